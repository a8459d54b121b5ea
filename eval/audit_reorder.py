"""The audit on rewritten articles: moved, omitted and added paragraphs (NTREX-128).

Each NTREX-128 document (English source, human Arabic, one paragraph per line) is audited as
`xling audit --no-mt` does (`audit_document`, the e5-small encoder, no MT) in order and in
four rewrites of its Arabic (the English stays whole, except in "caption"). The rewrites work
on units: paragraphs, or runs of paragraphs that one quotation runs across (a site moves a
quotation whole, it does not cut it in two):

  moved     one block of 2–4 consecutive units moved elsewhere (nothing removed);
  omitted   one or two blocks of 1–2 units dropped from the Arabic;
  added     one or two paragraphs of another document inserted between units, and another
            document's first line (its headline) put on top;
  caption   the seed's case: a paragraph of another document with a number inserted into
            the English (the Arabic omits it) and a headline of a third document with a
            number inserted elsewhere into the Arabic (the English lacks it);
  replaced  one unit of the Arabic replaced, at its place, by a paragraph of another
            document (for TICO-19, of the same source: on the same topic) — counted apart
            (`replaced_omitted_and_added`), so the five above stay comparable with earlier
            runs; `all_omitted_and_added` pools the six.

Figures:
- extra flags: flagged numbers and quotes of a rewrite that the in-order audit of the same
  document does not flag (items compared by verdict and text in their original paragraphs;
  items of the dropped or inserted paragraphs themselves are left out) — the goal is zero;
- passage F1: paragraphs found omitted (English) and added (Arabic) — a paragraph counts as
  found when at least half of its sentences lie in an omitted (added) passage — against the
  paragraphs dropped and inserted; over every variant, so passages found in the in-order and
  moved articles count as false positives;
- moved F1: Arabic paragraphs found in moved passages against the paragraphs moved (in the
  "moved" variant: the smaller of the two blocks that swap places is the one moved);
- changed across passages: `changed` or `qualifier_changed` verdicts with a side in an
  inserted paragraph (the seed's "2024 became 2021") — the goal is zero.

Split as eval/sentence_align.py: documents in file order, even positions (0, 2, ...) tune
(dev), odd positions are held out. Run from the repository root:

    .venv/bin/python eval/audit_reorder.py --split dev --tune     # choose RECOVER_MIN
    .venv/bin/python eval/audit_reorder.py --split held-out       # the reported figures
    .venv/bin/python eval/audit_reorder.py --split dev --limit 30 --tune-margin
    .venv/bin/python eval/audit_reorder.py --split tico-dev --limit 12 --tune-margin
    .venv/bin/python eval/audit_reorder.py --split tico-dev --limit 12 --tune-absorb
    .venv/bin/python eval/audit_reorder.py --split tico-dev --tune-words   # WORDS_MIN
    .venv/bin/python eval/audit_reorder.py --split dev --limit 30 --tune-words
    .venv/bin/python eval/audit_reorder.py --split tico-dev --word-shares  # WORDS_MIN from
    .venv/bin/python eval/audit_reorder.py --split dev --limit 30 --word-shares
    .venv/bin/python eval/audit_reorder.py --split tico --limit 12  # TICO-19 odd windows
(The --tune-gap sweep of pair_gaps, measured and left off, ran with the code of commit b67c727;
its results stay in eval/results/audit_reorder-*-tune-gap.json.)

--values overrides a one-parameter grid; --embed-cache FILE.npz keeps the sentence vectors
between runs (the figures do not change, the seconds do).

--mt-model NAME audits as the default `xling audit` does (with MT, aligning on the signals
embed + mt + numbers) instead of as `xling audit --no-mt`: every Arabic sentence and quote
of every version is translated once with xling's engine (the requests of
xling.audit.run.mt_requests, translated one original document at a time: its versions and the
donor paragraphs they take), and the MTInput goes to the audit as the CLI passes it.
--mt-cache FILE.json keeps the translations (request -> English) between runs and versions:

    .venv/bin/python eval/audit_reorder.py --split tico --limit 12 --mt-model fast \\
        --mt-cache eval/out/mt-fast.json

writes eval/results/audit_reorder-<split>[-tune...][-mt-<model>].json.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from audit_corruption import CachedEmbedder  # noqa: E402
from common import CORPORA, ROOT, machine, need  # noqa: E402

from xling.align.sentences import default_embedder  # noqa: E402
from xling.audit.run import MTInput, audit_document, mt_from_translations, mt_requests  # noqa: E402
from xling.text.numbers import extract_numbers  # noqa: E402
from xling.text.quotes import extract_quotes  # noqa: E402

VARIANTS = ("in_order", "moved", "omitted", "added", "caption")
# Counted apart (its own passage F1), so that the figures of the five above stay comparable.
REPLACED = "replaced"
RESULTS = ROOT / "eval" / "results"
# Tuned one after the other, each at the best value of the ones before.
GRID = {"RECOVER_MIN": (0.1, 0.2, 0.3), "LEFTOVER_MIN": (0.83, 0.85, 0.87, 1.01)}
# --tune-margin: only the margin of pair_leftovers, at the chosen RECOVER_MIN and LEFTOVER_MIN.
MARGIN_GRID = {"LEFTOVER_MARGIN": (1.0, 1.03, 1.06, 1.09, 1.12)}
# --tune-absorb: how much a split-off piece may lower its link's cosine and still join it
# (xling.audit.passages.absorb_fragments), on TICO-19 dev windows.
ABSORB_GRID = {"ABSORB_GAIN": (0.0, -0.01, -0.02, -0.03, -0.05)}
# --tune-words: the share of SimAlign-linked words that lets pair_leftovers link a pair under
# its margin (xling.audit.passages.WORDS_MIN; 1.01: never).
WORDS_GRID = {"WORDS_MIN": (1.01, 0.6, 0.65, 0.7, 0.75, 0.8), "WORDS_COS_MIN": (0.83, 0.8, 0.78)}


def objective(result: dict, pooled: bool = False) -> float:
    """Passage F1, less a hundredth per extra flag or changed verdict across passages.
    `pooled` (--tune-words, whose rule could link a replaced paragraph): the F1 and the
    verdicts of all six rewrites, the replaced one included."""
    kinds = (*VARIANTS, REPLACED) if pooled else VARIANTS
    extra = sum(
        result[k]["extra_flags"] + result[k]["changed_across_passages"]
        for k in kinds
        if k in result
    )
    f1 = result["all_omitted_and_added" if pooled else "omitted_and_added"]["f1"]
    return f1 - 0.01 * extra


@dataclass
class Doc:
    id: str
    en: list[str]
    ar: list[str]


@dataclass
class Variant:
    """A rewrite: its texts and, per paragraph, the original paragraph (None: inserted)."""

    kind: str
    en: list[str]
    ar: list[str]
    en_orig: list[int | None]
    ar_orig: list[int | None]
    dropped: set[int] = field(default_factory=set)  # original paragraphs the Arabic lacks
    moved: set[int] = field(default_factory=set)  # original paragraphs moved


def load_docs() -> list[Doc]:
    folder = need(CORPORA / "ntrex128")
    en = (folder / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    ar = (folder / "newstest2019-ref.arb.txt").read_text(encoding="utf-8").splitlines()
    ids = (folder / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    docs: dict[str, Doc] = {}
    for doc_id, e, a in zip(ids, en, ar, strict=True):
        if e.strip() and a.strip():
            docs.setdefault(doc_id, Doc(doc_id, [], [])).en.append(" ".join(e.split()))
            docs[doc_id].ar.append(" ".join(a.split()))
    return list(docs.values())


def load_tico(window: int = 40) -> list[Doc]:
    """TICO-19 test documents (English, human Arabic, one sentence per line), cut into
    windows of at most `window` lines as eval/audit_corruption.py does; each line is a
    paragraph. Never used for tuning."""
    folder = need(CORPORA / "tico19-test")
    en = (folder / "tico19-test.en").read_text(encoding="utf-8").splitlines()
    ar = (folder / "tico19-test.ar").read_text(encoding="utf-8").splitlines()
    info = (folder / "tico19-test.en.info").read_text(encoding="utf-8").splitlines()
    by_source: dict[str, list[tuple[str, str]]] = {}
    for line, e, a in zip(info, en, ar, strict=True):
        if e.strip() and a.strip():
            pair = (" ".join(e.split()), " ".join(a.split()))
            by_source.setdefault(line.split("\t")[0].split(":")[0], []).append(pair)
    docs = []
    for source, pairs in by_source.items():
        for k in range(0, len(pairs), window):
            chunk = pairs[k : k + window]
            docs.append(
                Doc(f"tico:{source}:{k // window}", [e for e, _ in chunk], [a for _, a in chunk])
            )
    return docs


def _has_number(text: str, lang: str) -> bool:
    return any(m.kind in ("digits", "year", "percent") for m in extract_numbers(text, lang))


def units(doc: Doc) -> list[list[int]]:
    """Paragraphs grouped so that no quotation runs across two groups (on either side): a
    site moves, drops or inserts around whole quotations, never inside one."""
    joined = set()
    for lines, lang in ((doc.en, "en"), (doc.ar, "ar")):
        text = "\n".join(lines)
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line) + 1)
        for q in extract_quotes(text, lang):
            first = bisect.bisect_right(starts, q.span[0]) - 1
            last = bisect.bisect_right(starts, max(q.span[0], q.span[1] - 1)) - 1
            joined |= set(range(first, last))  # boundaries p|p+1 inside the quote
    out: list[list[int]] = []
    for p in range(len(doc.ar)):
        if out and p - 1 in joined:
            out[-1].append(p)
        else:
            out.append([p])
    return out


def make_variants(doc: Doc, others: list[Doc], rng: random.Random) -> list[Variant]:
    n = len(doc.ar)
    same = list(range(n))
    groups = units(doc)
    u = len(groups)
    out = [Variant("in_order", doc.en, doc.ar, same, same)]
    if u < 4:
        return out  # too few movable units (long quotations)
    # moved: a block of 2-4 units put elsewhere (not next to where it was).
    size = rng.randint(2, min(4, u - 2))
    start = rng.randrange(0, u - size + 1)
    block = list(range(start, start + size))
    rest = [k for k in range(u) if k not in block]
    at = rng.choice([k for k in range(len(rest) + 1) if k != start])
    unit_order = rest[:at] + block + rest[at:]
    order = [p for k in unit_order for p in groups[k]]
    # The block that swapped with it is the one "moved" when it is smaller.
    passed = [p for k in rest[min(at, start) : max(at, start)] for p in groups[k]]
    inside = [p for k in block for p in groups[k]]
    moved = set(passed) if len(passed) < len(inside) else set(inside)
    out.append(Variant("moved", doc.en, [doc.ar[p] for p in order], same, order, moved=moved))
    # omitted: one or two blocks of 1-2 units dropped (at least 3 units left).
    dropped_units: set[int] = set()
    for _ in range(rng.randint(1, 2)):
        size = rng.randint(1, 2)
        start = rng.randrange(0, u - size + 1)
        if len(dropped_units | set(range(start, start + size))) <= u - 3:
            dropped_units |= set(range(start, start + size))
    dropped_units = dropped_units or {rng.randrange(u)}
    dropped = {p for k in dropped_units for p in groups[k]}
    keep = [p for p in same if p not in dropped]
    out.append(Variant("omitted", doc.en, [doc.ar[p] for p in keep], same, keep, dropped=dropped))
    # added: paragraphs of another document between units, another document's headline on top.
    donor, headline = rng.sample(others, 2)
    slots: dict[int, list[str]] = {}
    for text in rng.sample(donor.ar[1:], min(len(donor.ar) - 1, rng.randint(1, 2))):
        slots.setdefault(rng.randint(1, u), []).append(text)
    ar: list[str] = [headline.ar[0]]
    orig: list[int | None] = [None]
    for k in range(u + 1):
        for text in slots.get(k, []):
            ar.append(text)
            orig.append(None)
        if k < u:
            ar += [doc.ar[p] for p in groups[k]]
            orig += groups[k]
    out.append(Variant("added", doc.en, ar, same, orig))
    # caption: an English paragraph with a number the Arabic lacks, an Arabic headline with a
    # number the English lacks, at different places (between units).
    with_en = [(d, t) for d in others for t in d.en if _has_number(t, "en") and len(t) < 300]
    with_ar = [(d, t) for d in others for t in d.ar[:1] if _has_number(t, "ar")]
    if with_en and with_ar:
        (_, caption), (_, head) = rng.choice(with_en), rng.choice(with_ar)
        k = rng.randint(1, u)
        j = rng.choice([x for x in range(u + 1) if x != k])
        en, en_orig, ar, ar_orig = [], [], [], []
        for x in range(u + 1):
            if x == k:
                en.append(caption)
                en_orig.append(None)
            if x == j:
                ar.append(head)
                ar_orig.append(None)
            if x < u:
                en += [doc.en[p] for p in groups[x]]
                en_orig += groups[x]
                ar += [doc.ar[p] for p in groups[x]]
                ar_orig += groups[x]
        out.append(Variant("caption", en, ar, en_orig, ar_orig))
    # replaced: one unit of the Arabic replaced, at its place, by a paragraph of another
    # document (of the same source when there is one: on the same topic).
    pick = random.Random(rng.random())
    source = doc.id.rsplit(":", 1)[0] if doc.id.startswith("tico:") else None
    kin = [d for d in others if source and d.id.rsplit(":", 1)[0] == source] or others
    donor = pick.choice(kin)
    k = pick.randrange(u)
    ar, ar_orig = [], []
    for x in range(u):
        if x == k:
            ar.append(pick.choice(donor.ar[1:] or donor.ar))
            ar_orig.append(None)
        else:
            ar += [doc.ar[p] for p in groups[x]]
            ar_orig += groups[x]
    out.append(Variant(REPLACED, doc.en, ar, same, ar_orig, dropped=set(groups[k])))
    return out


def _side_key(item_side: dict | None, paras: list[int], orig: list[int | None]):
    if item_side is None:
        return None
    return (orig[paras[item_side["sentence"]]], item_side["text"])


def flagged_keys(doc_json: dict, v: Variant) -> Counter:
    """Flagged numbers and quotes by (type, verdict, English key, Arabic key), each side keyed
    by its original paragraph and text; items touching a dropped or inserted paragraph are
    left out (they are the rewrite itself)."""
    al = doc_json["alignment"]
    keys: Counter = Counter()
    for kind in ("numbers", "quotes"):
        for item in doc_json[kind]:
            if not item["flagged"]:
                continue
            en = _side_key(item["en"], al["en_paragraphs"], v.en_orig)
            ar = _side_key(item["ar"], al["ar_paragraphs"], v.ar_orig)
            if (en and (en[0] is None or en[0] in v.dropped)) or (ar and ar[0] is None):
                continue
            keys[(kind, item["verdict"], en, ar)] += 1
    return keys


def _found_paragraphs(doc_json: dict, kind: str, lang: str) -> set[int]:
    """Paragraphs with at least half of their sentences in passages of `kind`."""
    al = doc_json["alignment"]
    paras = al[f"{lang}_paragraphs"]
    inside = Counter(
        paras[i]
        for p in doc_json.get("passages", [])
        if p["kind"] == kind and p[lang]
        for i in p[lang]["sentences"]
    )
    total = Counter(paras)
    return {p for p, k in inside.items() if 2 * k >= total[p]}


def changed_across(doc_json: dict, v: Variant) -> list[str]:
    """Notes of changed verdicts with a side in an inserted paragraph."""
    al = doc_json["alignment"]
    out = []
    for item in doc_json["numbers"]:
        if item["verdict"] not in ("changed", "qualifier_changed"):
            continue
        en = v.en_orig[al["en_paragraphs"][item["en"]["sentence"]]]
        ar = v.ar_orig[al["ar_paragraphs"][item["ar"]["sentence"]]]
        if en is None or ar is None:
            out.append(item["evidence"]["note"])
    return out


class Tally:
    def __init__(self) -> None:
        self.c: Counter = Counter()
        self.examples: list[str] = []

    def f1(self, name: str) -> dict:
        tp, fp, fn = self.c[f"{name}_tp"], self.c[f"{name}_fp"], self.c[f"{name}_fn"]
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "tp": tp,
            "fp": fp,
            "fn": fn,
        }


def score_variant(t: Tally, base: dict, doc_json: dict, v: Variant, doc_id: str) -> None:
    extra = flagged_keys(doc_json, v) - flagged_keys(base, VARIANTS_BASE[doc_id])
    t.c[f"{v.kind}_extra_flags"] += sum(extra.values())
    t.c[f"{v.kind}_flags"] += sum(i["flagged"] for i in doc_json["numbers"] + doc_json["quotes"])
    for key in list(extra)[:3]:
        if len(t.examples) < 200:
            t.examples.append(f"{doc_id} {v.kind}: {key}")
    t.c[f"{v.kind}_documents"] += 1
    s = doc_json["scores"]
    t.c[f"{v.kind}_numbers_kept"] += s["numbers"]["kept"]
    t.c[f"{v.kind}_numbers_counted"] += s["numbers_counted"]
    # omitted (English paragraphs) and added (Arabic paragraphs), over every variant
    gold_added = {k for k, o in enumerate(v.ar_orig) if o is None}
    en_inserted = {k for k, o in enumerate(v.en_orig) if o is None}
    gold_omitted = {k for k, o in enumerate(v.en_orig) if o in v.dropped} | en_inserted
    apart = "replaced_" if v.kind == REPLACED else ""
    for name, found, gold in (
        (apart + "omitted", _found_paragraphs(doc_json, "omitted", "en"), gold_omitted),
        (apart + "added", _found_paragraphs(doc_json, "added", "ar"), gold_added),
        (
            apart + "passages",
            {("en", p) for p in _found_paragraphs(doc_json, "omitted", "en")}
            | {("ar", p) for p in _found_paragraphs(doc_json, "added", "ar")},
            {("en", p) for p in gold_omitted} | {("ar", p) for p in gold_added},
        ),
    ):
        t.c[f"{name}_tp"] += len(found & gold)
        t.c[f"{name}_fp"] += len(found - gold)
        t.c[f"{name}_fn"] += len(gold - found)
        if name.endswith("passages"):  # pooled over the six variants
            t.c["all_passages_tp"] += len(found & gold)
            t.c["all_passages_fp"] += len(found - gold)
            t.c["all_passages_fn"] += len(gold - found)
        if not name.endswith("passages"):
            lines = v.en if name.endswith("omitted") else v.ar
            t.examples += [
                f"{doc_id} {v.kind} {name} FP ¶{p}: {lines[p][:90]}" for p in found - gold
            ]
            t.examples += [
                f"{doc_id} {v.kind} {name} FN ¶{p}: {lines[p][:90]}" for p in gold - found
            ]
    if v.kind == "moved":
        found = {v.ar_orig[p] for p in _found_paragraphs(doc_json, "moved", "ar")}
        t.c["moved_tp"] += len(found & v.moved)
        t.c["moved_fp"] += len(found - v.moved)
        t.c["moved_fn"] += len(v.moved - found)
    across = changed_across(doc_json, v)
    t.c[f"{v.kind}_changed_across"] += len(across)
    t.examples += [f"{doc_id} {v.kind} changed across: {n}" for n in across[:2]]


VARIANTS_BASE: dict[str, Variant] = {}


class MTCache:
    """Translations by xling's engine (`model`), request -> English, kept in a JSON file.

    The requests are those of `xling audit` (mt_requests: sentences, then quotes); they are
    translated one original document at a time (its versions share most sentences), and the
    file is rewritten (atomically) after each document, so an interrupted run loses nothing."""

    def __init__(self, model: str, path: Path | None) -> None:
        self.model = model
        self.path = path
        self.done: dict[str, str] = {}
        self.translate = None
        self.translated = 0
        self.seconds = 0.0
        if path is not None and path.exists():
            saved = json.loads(path.read_text(encoding="utf-8"))
            if saved.get("model") != model:
                sys.exit(f"{path}: translations of {saved.get('model')!r}, not of {model!r}")
            self.done.update(saved["translations"])

    def fill(self, ar_texts: list[str]) -> None:
        todo = list(
            dict.fromkeys(
                r
                for text in ar_texts
                for r in mt_requests(text)
                if r.strip() and r not in self.done
            )
        )
        if not todo:
            return
        if self.translate is None:
            from xling.commands.audit import _translator  # the CLI's own translator

            self.translate = _translator(self.model)
        started = time.perf_counter()
        self.done.update(zip(todo, self.translate(todo), strict=True))
        self.seconds += time.perf_counter() - started
        self.translated += len(todo)
        print(
            f"translated {len(todo)} ({self.translated} in {self.seconds:.0f} s)", file=sys.stderr
        )
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            data = {"model": self.model, "translations": self.done}
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")
            tmp.replace(self.path)

    def mt(self, ar_text: str) -> MTInput:
        return mt_from_translations(ar_text, self.done, f"model:{self.model}")


def run(docs: list[Doc], pool: list[Doc], embedder, seed: int, mt: MTCache | None = None) -> dict:
    t = Tally()
    for doc in docs:
        rng = random.Random(f"{seed}:{doc.id}")
        others = [d for d in pool if d.id != doc.id]
        variants = make_variants(doc, others, rng)
        if mt is not None:
            mt.fill(["\n".join(v.ar) for v in variants])
        base = None
        for v in variants:
            ar_text = "\n".join(v.ar)
            audit = audit_document(
                doc.id,
                "\n".join(v.en),
                ar_text,
                mt=mt.mt(ar_text) if mt is not None else None,
                embedder=embedder,
            )
            doc_json = audit.to_json()
            if v.kind == "in_order":
                base = doc_json
                VARIANTS_BASE[doc.id] = v
            score_variant(t, base, doc_json, v, doc.id)
    out: dict = {"documents": len(docs)}
    for kind in (*VARIANTS, REPLACED):
        n = t.c[f"{kind}_documents"]
        if not n:
            continue
        counted = t.c[f"{kind}_numbers_counted"]
        out[kind] = {
            "documents": n,
            "flags": t.c[f"{kind}_flags"],
            "extra_flags": t.c[f"{kind}_extra_flags"],
            "changed_across_passages": t.c[f"{kind}_changed_across"],
            "number_carry_over": round(t.c[f"{kind}_numbers_kept"] / counted, 4)
            if counted
            else None,
        }
    out["omitted_paragraphs"] = t.f1("omitted")
    out["added_paragraphs"] = t.f1("added")
    out["omitted_and_added"] = t.f1("passages")
    out["moved_paragraphs"] = t.f1("moved")
    out["replaced_omitted_and_added"] = t.f1("replaced_passages")
    out["all_omitted_and_added"] = t.f1("all_passages")
    out["examples"] = t.examples
    return out


def word_shares(docs: list[Doc], pool: list[Doc], embedder, seed: int) -> dict:
    """--word-shares: for the split's documents, the encoder cosine and the share of words
    SimAlign links (xling.audit.passages.word_shares) of three kinds of sentence pairs:
    translations (each line with its own), neighbours (a line with the next line's Arabic:
    same document, same topic) and replaced (the English of the unit the "replaced" rewrite
    drops with the paragraph put in its place). How many pairs of cosine >= 0.78 reach each
    share: where WORDS_MIN comes from."""
    from xling.audit.passages import word_shares as shares_of

    rows: list[tuple[str, str, str]] = []
    for doc in docs:
        rng = random.Random(f"{seed}:{doc.id}")
        variants = make_variants(doc, [d for d in pool if d.id != doc.id], rng)
        for k in range(len(doc.en)):
            rows.append(("translation", doc.en[k], doc.ar[k]))
            if k + 1 < len(doc.ar):
                rows.append(("neighbour", doc.en[k], doc.ar[k + 1]))
        for v in variants:
            if v.kind == REPLACED:
                new = [v.ar[p] for p, o in enumerate(v.ar_orig) if o is None]
                rows += [("replaced", doc.en[q], a) for q in sorted(v.dropped) for a in new]
    texts = list(dict.fromkeys([e for _, e, _ in rows] + [a for _, _, a in rows]))
    vectors = dict(zip(texts, embedder.embed(texts), strict=True))
    shares = shares_of([(e, a) for _, e, a in rows])
    out: dict = {}
    for kind in ("translation", "neighbour", "replaced"):
        got = [
            (float(vectors[e] @ vectors[a]), share)
            for (k, e, a), share in zip(rows, shares, strict=True)
            if k == kind
        ]
        close = [share for cos, share in got if cos >= 0.78]
        out[kind] = {
            "pairs": len(got),
            "cosine_at_least_0.78": len(close),
            "share_percentiles_1_5_50_95_99": [
                round(float(x), 3) for x in np.percentile([s for _, s in got], [1, 5, 50, 95, 99])
            ],
            "of_those_share_at_least": {
                str(t): sum(share >= t for share in close) for t in (0.6, 0.65, 0.7, 0.75, 0.8)
            },
        }
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("dev", "held-out", "tico-dev", "tico"), default="held-out")
    ap.add_argument("--tune-margin", action="store_true", help="sweep LEFTOVER_MARGIN only")
    ap.add_argument("--tune-absorb", action="store_true", help="sweep ABSORB_GAIN only")
    ap.add_argument("--tune-words", action="store_true", help="sweep WORDS_MIN only")
    ap.add_argument(
        "--word-shares",
        action="store_true",
        help="SimAlign's share of linked words for translations, neighbours and replaced "
        "paragraphs (writes audit_reorder-SPLIT-word-shares.json)",
    )
    ap.add_argument(
        "--values",
        default=None,
        help="comma-separated values to sweep instead of the grid of --tune-margin/-absorb",
    )
    ap.add_argument("--limit", type=int, default=None, help="documents of the split to use")
    ap.add_argument(
        "--tag", default="", help="appended to the result file's name (another --limit)"
    )
    ap.add_argument("--min-paragraphs", type=int, default=6)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tune", action="store_true", help="sweep RECOVER_MIN over GRID")
    ap.add_argument(
        "--embed-cache",
        type=Path,
        default=None,
        help="a .npz of sentence vectors read first and written back (reruns skip the encoder)",
    )
    ap.add_argument(
        "--mt-model",
        default=None,
        help="audit with MT by this xling model (e.g. fast, quality), as `xling audit` does; "
        "default: no MT, as `xling audit --no-mt`",
    )
    ap.add_argument(
        "--mt-cache",
        type=Path,
        default=None,
        help="a .json of translations (request -> English) read first and written back",
    )
    args = ap.parse_args()
    if args.mt_cache is not None and args.mt_model is None:
        ap.error("--mt-cache needs --mt-model")
    mt = MTCache(args.mt_model, args.mt_cache) if args.mt_model else None
    docs = load_tico() if args.split.startswith("tico") else load_docs()
    split = {"dev": docs[0::2], "held-out": docs[1::2], "tico-dev": docs[0::2], "tico": docs[1::2]}[
        args.split
    ]
    chosen = [d for d in split if len(d.ar) >= args.min_paragraphs][: args.limit]
    raw = default_embedder()
    if raw is None:
        sys.exit("the e5-small encoder is not built: xling models build e5-small")
    embedder = CachedEmbedder(raw)
    if args.embed_cache is not None and args.embed_cache.exists():
        with np.load(args.embed_cache) as saved:
            embedder.cache.update(zip(saved["texts"].tolist(), saved["vectors"], strict=True))
    report: dict = {
        "command": "eval/audit_reorder.py " + " ".join(sys.argv[1:]),
        "machine": machine(),
        "split": (
            f"{args.split}: TICO-19 test windows of <= 40 lines at "
            f"{'even' if args.split == 'tico-dev' else 'odd'} positions, a line per paragraph "
            f"({len(chosen)} documents)"
            if args.split.startswith("tico")
            else f"{args.split}: NTREX-128 documents at "
            f"{'even' if args.split == 'dev' else 'odd'} positions with >= "
            f"{args.min_paragraphs} paragraphs ({len(chosen)} documents)"
        ),
        "encoder": "e5-small",
        "mt": f"model:{args.mt_model}" if args.mt_model else None,
    }
    started = time.perf_counter()
    if args.word_shares:
        report["word_shares"] = word_shares(chosen, docs, embedder, args.seed)
        path = RESULTS / f"audit_reorder-{args.split}-word-shares.json"
        path.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(json.dumps(report["word_shares"], indent=1))
        return 0
    if args.tune or args.tune_margin or args.tune_absorb or args.tune_words:
        import xling.audit.passages as passages

        report["grid"] = {}
        best = {}
        grid = (
            MARGIN_GRID
            if args.tune_margin
            else ABSORB_GRID
            if args.tune_absorb
            else WORDS_GRID
            if args.tune_words
            else GRID
        )
        if args.values and len(grid) == 1:
            grid = {name: tuple(float(x) for x in args.values.split(",")) for name in grid}
        elif args.values:  # NAME=v,v;NAME=v,...: the grids of several parameters
            grid = dict(grid)
            for part in args.values.split(";"):
                name, values = part.split("=")
                grid[name] = tuple(float(x) for x in values.split(","))
        if args.tune_words:  # the two interact: every combination
            names = list(grid)
            combos = [dict(zip(names, c, strict=True)) for c in itertools.product(*grid.values())]
        else:
            combos = None
        if combos:
            scored = []
            for combo in combos:
                for name, value in combo.items():
                    setattr(passages, name, value)
                result = run(chosen, docs, embedder, args.seed, mt)
                result.pop("examples")
                key = " ".join(f"{n}={v}" for n, v in combo.items())
                report["grid"][key] = result
                scored.append((objective(result, pooled=True), key))
                print(key, scored[-1][0], file=sys.stderr)
            best = {
                "objective": max(scored)[0],
                "best": [k for o, k in scored if o == max(scored)[0]],
            }
            grid = {}
        for name, values in grid.items():
            scored = []
            for value in values:
                setattr(passages, name, value)
                result = run(chosen, docs, embedder, args.seed, mt)
                result.pop("examples")
                report["grid"][f"{name}={value} {best}"] = result
                scored.append((objective(result), value))
                print(name, value, scored[-1][0], file=sys.stderr)
            best[name] = max(scored)[1]
            setattr(passages, name, best[name])
        report["chosen"] = best
    else:
        report["result"] = run(chosen, docs, embedder, args.seed, mt)
    report["seconds"] = round(time.perf_counter() - started, 1)
    if mt is not None:
        report["mt_translated"] = {"requests": mt.translated, "seconds": round(mt.seconds, 1)}
    if args.embed_cache is not None and embedder.cache:
        texts = list(embedder.cache)
        tmp = args.embed_cache.with_name(args.embed_cache.name + ".tmp.npz")
        np.savez(tmp, texts=np.array(texts), vectors=np.stack([embedder.cache[t] for t in texts]))
        tmp.replace(args.embed_cache)
    RESULTS.mkdir(parents=True, exist_ok=True)
    tag = (
        "-tune"
        if args.tune
        else "-tune-margin"
        if args.tune_margin
        else "-tune-absorb"
        if args.tune_absorb
        else "-tune-words"
        if args.tune_words
        else ""
    )
    if args.mt_model:
        tag += f"-mt-{args.mt_model}"
    path = RESULTS / f"audit_reorder-{args.split}{tag}{'-' + args.tag if args.tag else ''}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=1))
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
