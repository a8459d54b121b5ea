"""Name consistency per article (issue 13): the same name spelled one way in every sentence of
an NTREX-128 document, without and with the name memory (`--name-memory`).

    python eval/name_memory.py --model quality --docs 3

Two measures. *Linked*: Arabic names linked (consonant skeletons) to an English word in 2+
sentences, and the share spelled one way: the memory's own criterion, so "after" is 100% by
construction; it shows how often the model varies. *Reference*: independent of the memory's
linking: each capitalised name of the human English that is in 2+ lines of a document; in the
MT of those lines, the words with the same consonant skeleton; consistent when they are one
spelling, right when that spelling is the reference's. Translates once; the memory is applied
to that output (it does not decode). Writes eval/results/name-memory-<model>-<docs>.json.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import defaultdict

from common import OUT, ROOT, machine, ntrex

from xling.models.names import resolve_alias
from xling.text.quotes import _EN_TITLES, _skeleton_en
from xling.translate.batch import BatchOptions, BatchTranslator
from xling.translate.engine import EngineOptions, load_engine
from xling.translate.names import consistency, unify_names
from xling.translate.script import arabic_runs

_NAME = re.compile(r"(?<![\w'’-])[A-Z][a-z]+(?:[-'’][A-Za-z]+)*(?![\w-])")


def reference_names(refs: list[str], mts: list[str]) -> list[dict]:
    lines: dict[str, set[int]] = defaultdict(set)
    for i, ref in enumerate(refs):
        for word in _NAME.findall(ref):
            if word.lower() not in _EN_TITLES and len(_skeleton_en(word)) >= 2:
                lines[word].add(i)
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
    mts_all = translate_resumable(model, args.threads, [ar[i] for i in rows_all], name)
    mt_of = dict(zip(rows_all, mts_all, strict=True))
    report: dict = {"model": model, "corpus": f"NTREX-128, first {args.docs} documents", "docs": []}
    report["lines_with_arabic_letters"] = sum(bool(arabic_runs(m)) for m in mts_all)
    for doc, rows in docs.items():
        sources, refs = [ar[i] for i in rows], [en[i] for i in rows]
        before = [mt_of[i] for i in rows]
        after, replaced = unify_names(sources, before)
        entry = {"doc": doc, "lines": len(rows), "replaced": replaced}
        for label, mts in (("before", before), ("after", after)):
            linked, one = consistency(sources, mts)
            names = reference_names(refs, mts)
            entry[label] = {
                "linked_names": linked,
                "linked_one_spelling": one,
                "reference_names": len(names),
                "reference_one_spelling": sum(len(n["spellings"]) == 1 for n in names),
                "reference_right": sum(n["spellings"] == [n["name"]] for n in names),
                "names": names,
            }
        report["docs"].append(entry)
        print(
            doc,
            entry["replaced"],
            {k: {x: y for x, y in entry[k].items() if x != "names"} for k in ("before", "after")},
        )
    for label in ("before", "after"):
        docs_ok = sum(
            d[label]["reference_one_spelling"] == d[label]["reference_names"]
            for d in report["docs"]
        )
        report[f"docs_consistent_{label}"] = f"{docs_ok}/{len(report['docs'])}"
        # the documents that have a name to be consistent about (2+ MT mentions)
        named = [d for d in report["docs"] if d[label]["reference_names"]]
        named_ok = sum(
            d[label]["reference_one_spelling"] == d[label]["reference_names"] for d in named
        )
        report[f"named_docs_consistent_{label}"] = f"{named_ok}/{len(named)}"
        names = [n for d in report["docs"] for n in d[label]["names"]]
        report[f"names_one_spelling_{label}"] = (
            f"{sum(len(n['spellings']) == 1 for n in names)}/{len(names)}"
        )
        report[f"names_reference_spelling_{label}"] = (
            f"{sum(n['spellings'] == [n['name']] for n in names)}/{len(names)}"
        )
    report["machine"] = machine()
    out = ROOT / "eval" / "results" / f"{name}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
