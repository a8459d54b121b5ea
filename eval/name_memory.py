"""Name consistency per article (issue 13): the same name spelled one way in every sentence of
an NTREX-128 document, without and with the name memory (`--name-memory`).

    python eval/name_memory.py --model quality --docs 3
    python eval/name_memory.py --docs 123 --mt eval/out/name-memory-qwen2.5-coder-1.5b-123.mt.jsonl

With `--mt FILE` the translations are read from a finished run (`{"src", "mt"}` per line, the
documents' lines in order) and nothing is translated.

Two measures. *Linked*: Arabic names linked (consonant skeletons) to an English word in 2+
sentences, and the share spelled one way: the memory's own criterion, so "after" is 100% by
construction; it shows how often the model varies. *Reference*: independent of the memory's
linking: each capitalised name of the human English that is in 2+ lines of a document; in the
MT of those lines, the words with the same consonant skeleton; consistent when they are one
spelling, right when that spelling is the reference's. Translates once; the memory is applied
to that output (it does not decode). Writes eval/results/name-memory-<model>-<docs>.json.

*Reference, by words* (`reference_words`): the same, less prone to pairing different words that
share a skeleton (German / Germany, Catalan / Catalonia, "Since" for China's, "Mrs" for
Maurice): an MT word counts as a spelling of the name only when it is not a title (the filter
the reference side already has) and not another capitalised word of the document's reference
(the human wrote both words in this article, so they are two words, not two spellings of one);
and a line whose reference has two different names of that skeleton (Rod Reed) says nothing,
since its MT words cannot be told apart. Both measures are reported.

Also: *mentions* (`mentions`), every capitalised word of each reference line and whether the
MT line writes it as the reference does (a right mention lost to the article's majority shows
there), and chrF, without and with the memory. The memory runs as `xling translate` runs it,
with the model's tokenizer as its spelling prior; `--no-prior` runs it without (and so can
measure an older memory that had no prior). With `--mt`, the results are named after the file:
eval/results/<file's stem>[-<label>].json.

Splits: the documents in corpus order, even-numbered (0, 2, ...) are dev (every rule of the
memory was chosen on them), odd-numbered are held out.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import sacrebleu
from common import OUT, ROOT, machine, ntrex

from xling.models import store
from xling.models.info import ModelInfo
from xling.models.names import resolve_alias
from xling.text.quotes import _EN_TITLES, _skeleton_en
from xling.translate.batch import BatchOptions, BatchTranslator
from xling.translate.engine import EngineOptions, load_engine
from xling.translate.names import consistency, unify_names
from xling.translate.script import arabic_runs
from xling.translate.tokenizer import load_tokenizer, spelling_tokens

_NAME = re.compile(r"(?<![\w'’-])[A-Z][a-z]+(?:[-'’][A-Za-z]+)*(?![\w-])")


def _name_lines(refs: list[str]) -> dict[str, set[int]]:
    """{capitalised word of the reference (no title, 2+ consonants): lines it is in}."""
    lines: dict[str, set[int]] = defaultdict(set)
    for i, ref in enumerate(refs):
        for word in _NAME.findall(ref):
            if word.lower() not in _EN_TITLES and len(_skeleton_en(word)) >= 2:
                lines[word].add(i)
    return lines


def reference_names(refs: list[str], mts: list[str]) -> list[dict]:
    lines = _name_lines(refs)
    out = []
    for name, where in lines.items():
        if len(where) < 2:
            continue
        skeleton = _skeleton_en(name)
        found = [
            w for i in sorted(where) for w in _NAME.findall(mts[i]) if _skeleton_en(w) == skeleton
        ]
        if len(found) >= 2:
            out.append({"name": name, "spellings": sorted(set(found)), "count": len(found)})
    return out


def reference_words(refs: list[str], mts: list[str]) -> list[dict]:
    """`reference_names` comparing words: see the module's docstring."""
    vocabulary = {w for ref in refs for w in _NAME.findall(ref)}
    lines = _name_lines(refs)
    out = []
    for name, where in lines.items():
        skeleton = _skeleton_en(name)
        found = []
        for i in sorted(where):
            others = {
                w
                for w in _NAME.findall(refs[i])
                if w != name and w.lower() not in _EN_TITLES and _skeleton_en(w) == skeleton
            }
            if len(where) < 2 or others:
                continue  # a name in one line; or a line whose MT words cannot be attributed
            found += [
                w
                for w in _NAME.findall(mts[i])
                if _skeleton_en(w) == skeleton
                and w.lower() not in _EN_TITLES
                and (w == name or w not in vocabulary)
            ]
        if len(found) >= 2:
            out.append({"name": name, "spellings": sorted(set(found)), "count": len(found)})
    return out


def read_run(path: Path, sources: list[str]) -> list[str]:
    """The translations of a finished run, checked line by line against the corpus."""
    rows = path.read_text(encoding="utf-8").splitlines()
    if len(rows) < len(sources):
        sys.exit(f"{path}: {len(rows)} lines, the documents asked for have {len(sources)}")
    out = []
    for number, (row, src) in enumerate(zip(rows, sources, strict=False), 1):
        record = json.loads(row)
        if record["src"] != src:
            sys.exit(f"{path}:{number}: the source is not the corpus line {number}")
        out.append(record["mt"])
    return out


def state(names: list[dict], words: list[dict]) -> dict:
    """One document's figures without or with the memory, by both measures; the names kept
    are those spelled more than one way (the ones to read)."""
    out = {}
    for measure, found in (("reference", names), ("words", words)):
        out[f"{measure}_names"] = len(found)
        out[f"{measure}_one_spelling"] = sum(len(n["spellings"]) == 1 for n in found)
        out[f"{measure}_right"] = sum(n["spellings"] == [n["name"]] for n in found)
        out[f"{measure}_inconsistent"] = [n for n in found if len(n["spellings"]) > 1]
    return out


def summary(docs: list[dict], label: str) -> dict:
    """The documents' figures for one state (before/after) of the memory."""
    out = {"docs": len(docs)}
    for measure in ("reference", "words"):
        ok = [d for d in docs if not d[label][f"{measure}_inconsistent"]]
        named = [d for d in docs if d[label][f"{measure}_names"]]
        out["reference_words" if measure == "words" else measure] = {
            "docs_consistent": len(ok),
            "named_docs_consistent": f"{sum(d in ok for d in named)}/{len(named)}",
            "names": sum(d[label][f"{measure}_names"] for d in docs),
            "names_one_spelling": sum(d[label][f"{measure}_one_spelling"] for d in docs),
            "names_reference_spelling": sum(d[label][f"{measure}_right"] for d in docs),
        }
    return out


def mentions(refs: list[str], before: list[str], after: list[str]) -> dict:
    """Each line's capitalised reference words (2+ consonants), and whether the MT line writes
    them as the reference does, without and with the memory: a name mentioned once counts too,
    and a right mention lost to the article's majority shows here (Clark -> Clarke)."""
    out = {"before": 0, "after": 0, "lost": 0, "gained": 0}
    for ref, b, a in zip(refs, before, after, strict=True):
        words_b, words_a = set(_NAME.findall(b)), set(_NAME.findall(a))
        for word in {w for w in _NAME.findall(ref) if len(_skeleton_en(w)) >= 2}:
            out["before"] += word in words_b
            out["after"] += word in words_a
            out["lost"] += word in words_b and word not in words_a
            out["gained"] += word in words_a and word not in words_b
    return out


def made(before: list[dict], after: list[dict]) -> dict:
    """Names (the skeleton measure) that the memory brought to the reference's spelling, and
    names it took away from it."""
    was = {n["name"]: n["spellings"] == [n["name"]] for n in before}
    now = {n["name"]: n["spellings"] == [n["name"]] for n in after}
    return {
        "reference_spelling": sum(now[k] and was.get(k) is False for k in now),
        "other_spelling": sum(not now[k] and was.get(k) is True for k in now),
    }


def changes(docs: list[dict]) -> dict:
    """The documents' `made` and `mentions`, summed."""
    return {
        "names_made_reference_spelling": sum(d["made"]["reference_spelling"] for d in docs),
        "names_made_other_spelling": sum(d["made"]["other_spelling"] for d in docs),
        "mentions_as_reference": {
            k: sum(d["mentions"][k] for d in docs) for k in ("before", "after", "lost", "gained")
        },
    }


def chrf(lines: list[tuple[str, str, str]]) -> dict:
    """Corpus chrF of (reference, before, after) lines, without and with the memory."""
    refs = [[r for r, _, _ in lines]]
    return {
        label: round(sacrebleu.metrics.CHRF().corpus_score([x[i] for x in lines], refs).score, 2)
        for i, label in ((1, "before"), (2, "after"))
    }


def dump(report: dict) -> str:
    """The report as JSON, a document per line (123 documents' names stay a small file)."""
    head = json.dumps(
        {k: v for k, v in report.items() if k != "docs"}, ensure_ascii=False, indent=1
    )
    docs = ",\n  ".join(json.dumps(d, ensure_ascii=False) for d in report["docs"])
    return head[: -len("\n}")] + f',\n "docs": [\n  {docs}\n ]\n}}\n'


def translate_resumable(model: str, threads: int, sources: list[str], name: str) -> list[str]:
    """Translate every line in one run (length-sorted batches across documents), appending
    each result to eval/out as it comes, so that a stopped run resumes where it stopped."""
    path = OUT / f"{name}.mt.jsonl"
    done = []
    if path.exists():
        done = [json.loads(line)["mt"] for line in path.read_text(encoding="utf-8").splitlines()]
    todo = sources[len(done) :]
    if todo:
        engine = load_engine(model, EngineOptions(threads=threads))
        translator = BatchTranslator(engine, BatchOptions())
        started = time.perf_counter()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            for src, result in zip(todo, translator.translate(todo), strict=True):
                handle.write(json.dumps({"src": src, "mt": result.text}, ensure_ascii=False))
                handle.write("\n")
                handle.flush()
                done.append(result.text)
        print(f"translated {len(todo)} lines in {time.perf_counter() - started:.0f} s")
    return done


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="quality")
    parser.add_argument("--docs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0)
    # a new run beside an older one (its own translations and results): name-memory-M-N-LABEL
    parser.add_argument("--label", default="")
    parser.add_argument("--mt", type=Path, help="a finished run's translations: translate nothing")
    # the memory as a caller without the model's tokenizer runs it (no "common spelling" prior)
    parser.add_argument("--no-prior", action="store_true")
    args = parser.parse_args()

    ar, en, ids = ntrex()
    docs: dict[str, list[int]] = {}
    for i, doc in enumerate(ids):
        if doc not in docs and len(docs) == args.docs:
            break
        docs.setdefault(doc, []).append(i)
    model = resolve_alias(args.model)
    rows_all = [i for rows in docs.values() for i in rows]
    name = f"name-memory-{model}-{args.docs}" + (f"-{args.label}" if args.label else "")
    if args.mt:
        name = args.mt.name.removesuffix(".mt.jsonl") + (f"-{args.label}" if args.label else "")
        mts_all = read_run(args.mt, [ar[i] for i in rows_all])
    else:
        mts_all = translate_resumable(model, args.threads, [ar[i] for i in rows_all], name)
    mt_of = dict(zip(rows_all, mts_all, strict=True))
    cost = None
    if not args.no_prior:  # as `xling translate` runs it: Engine.spelling_cost
        folder = store.resolve(model)
        tokenizer = load_tokenizer(folder, ModelInfo.load(folder).tokenizer)
        cost = lambda word: spelling_tokens(tokenizer, word)  # noqa: E731
    report: dict = {"model": model, "corpus": f"NTREX-128, first {args.docs} documents", "docs": []}
    if args.mt:
        report["translations"] = f"eval/out/{args.mt.name}"
    report["memory"] = (
        "without the spelling prior" if args.no_prior else "as xling translate runs it"
    )
    report["lines_with_arabic_letters"] = sum(bool(arabic_runs(m)) for m in mts_all)
    lines: dict[str, list[tuple[str, str, str]]] = {"dev": [], "held_out": []}
    for number, (doc, rows) in enumerate(docs.items()):
        sources, refs = [ar[i] for i in rows], [en[i] for i in rows]
        before = [mt_of[i] for i in rows]
        # without the prior, called as before it existed: the same script measures older memories
        after, replaced = unify_names(sources, before, **({"cost": cost} if cost else {}))
        split = "dev" if number % 2 == 0 else "held_out"
        entry = {"doc": doc, "split": split, "lines": len(rows), "replaced": replaced}
        lines[split] += zip(refs, before, after, strict=True)
        entry["mentions"] = mentions(refs, before, after)
        names = {}
        for label, mts in (("before", before), ("after", after)):
            linked, one = consistency(sources, mts)
            names[label] = reference_names(refs, mts)
            entry[label] = {"linked_names": linked, "linked_one_spelling": one}
            entry[label] |= state(names[label], reference_words(refs, mts))
        entry["made"] = made(names["before"], names["after"])
        report["docs"].append(entry)
        print(doc, entry["replaced"], {k: entry[k]["reference_inconsistent"] for k in names})
    lines["all"] = lines["dev"] + lines["held_out"]
    report["splits"] = {
        split: {label: summary(chosen, label) for label in ("before", "after")}
        | changes(chosen)
        | {"chrf": chrf(lines[split])}
        for split, chosen in (
            ("dev", [d for d in report["docs"] if d["split"] == "dev"]),
            ("held_out", [d for d in report["docs"] if d["split"] == "held_out"]),
            ("all", report["docs"]),
        )
    }
    for split, states in report["splits"].items():
        print(split, json.dumps(states))
    report["machine"] = machine()
    out = ROOT / "eval" / "results" / f"{name}.json"
    out.write_text(dump(report), encoding="utf-8")


if __name__ == "__main__":
    main()
