"""Sentence alignment accuracy and speed on perturbed NTREX-128 documents.

    python eval/align_mt.py --model fast --every 6             # MT, tuning subset (once)
    python eval/align_mt.py --model fast --every 12 --start 3  # MT, held-out subset (once)
    python eval/sentence_align.py --tune                       # tune, then all tables + speed

Test documents (eval/align_docs.py, seed 1): the 123 NTREX documents with Arabic sentences
merged (2-1), split at a conjunction (1-2), deleted on either side (1-0, 0-1) and sentences of
another document inserted on either side. Scores are Vecalign's strict and lax precision,
recall and F1 (Thompson & Koehn 2019: precision counts every test link, 1-0/0-1 included;
recall only gold links with both sides; a lax match shares an English and an Arabic sentence
with a gold link), summed over documents.

Rows: Gale–Church (length only, classic priors), each signal alone and combined. Weights
are tuned (`--tune`) on the even-numbered documents and reported on the odd-numbered ones
(held out) and on all. MT (from eval/align_mt.py, cached in eval/out/) exists only for two
subsets: documents 0, 6, 12, ... (even: used to tune the MT weights) and 3, 15, 27, ...
(odd: held out); the MT rows are reported on those subsets only, beside the other rows on
the same documents.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections import defaultdict
from dataclasses import replace

import numpy as np
from align_docs import TestDoc, build
from align_mt import load_cache
from common import OUT, machine, save

from xling.align import dp
from xling.align.scoring import Weights
from xling.align.sentences import align_sentences, default_embedder
from xling.records import Sentence

Pairs = list[tuple[tuple[int, ...], tuple[int, ...]]]


def _counts(gold: Pairs, test: Pairs) -> np.ndarray:
    """[strict tp, strict fp, lax tp, lax fp] of `test` against `gold` (Vecalign's rules)."""
    test_set = {(tuple(e), tuple(a)) for e, a in test if e or a}
    gold_set = {(tuple(e), tuple(a)) for e, a in gold if e or a}
    targets: dict[int, set[int]] = defaultdict(set)
    for e, a in gold_set:
        for i in e:
            targets[i].update(a)
    out = np.zeros(4, dtype=np.int64)
    for e, a in test_set:
        if (e, a) in gold_set:
            out += (1, 0, 1, 0)
        elif any(j in targets[i] for i in e for j in a):
            out += (0, 1, 1, 0)
        else:
            out += (0, 1, 0, 1)
    return out


def score(golds: list[Pairs], tests: list[Pairs]) -> dict[str, float]:
    p = np.zeros(4, dtype=np.int64)
    r = np.zeros(4, dtype=np.int64)
    for gold, test in zip(golds, tests, strict=True):
        p += _counts(gold, test)
        r += _counts([x for x in test if x[0] and x[1]], [x for x in gold if x[0] and x[1]])

    def ratio(tp, fp):
        return tp / (tp + fp) if tp + fp else 0.0

    def f1(x, y):
        return 2 * x * y / (x + y) if x + y else 0.0

    ps, pl, rs, rl = ratio(p[0], p[1]), ratio(p[2], p[3]), ratio(r[0], r[1]), ratio(r[2], r[3])
    return {
        "precision_strict": ps,
        "recall_strict": rs,
        "f1_strict": f1(ps, rs),
        "precision_lax": pl,
        "recall_lax": rl,
        "f1_lax": f1(pl, rl),
    }


def sentences(texts: list[str]) -> list[Sentence]:
    return [Sentence(i, i, t) for i, t in enumerate(texts)]


class Cached:
    """Embeds each distinct text once, kept on disk across runs (the encoder is the slow
    part: about 40 sentences/s here); eval/out/align-embeddings-<model>.npz."""

    def __init__(self, embedder):
        self.embedder = embedder
        self.path = OUT / f"align-embeddings-{embedder.name}.npz"
        self.cache: dict[str, np.ndarray] = {}
        if self.path.exists():
            data = np.load(self.path, allow_pickle=False)
            self.cache = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))

    def embed(self, texts: list[str]) -> np.ndarray:
        todo = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if todo:
            for t, v in zip(todo, self.embedder.embed(todo), strict=True):
                self.cache[t] = v
            OUT.mkdir(parents=True, exist_ok=True)
            keys = list(self.cache)
            with open(self.path, "wb") as handle:
                np.savez(
                    handle, texts=np.array(keys), vectors=np.stack([self.cache[k] for k in keys])
                )
        return np.stack([self.cache[t] for t in texts])


def run(
    docs: list[TestDoc],
    signals: tuple[str, ...],
    *,
    embedder=None,
    mt: dict[str, str] | None = None,
    weights: Weights | None = None,
    moves=dp.MOVES,
    pairs: bool = True,
) -> list[Pairs]:
    out = []
    for doc in docs:
        result = align_sentences(
            sentences(doc.en),
            sentences(doc.ar),
            mt=[mt[s] for s in doc.ar] if mt is not None and "mt" in signals else None,
            embedder=embedder,
            signals=signals,
            weights=weights,
            moves=moves,
            pairs=pairs,
        )
        if "embed" in signals and "embed" not in result.signals:
            sys.exit("the e5-small encoder is not built: xling models build encoder")
        out.append([(tuple(link.en), tuple(link.ar)) for link in result.links])
    return out


def gold(docs: list[TestDoc]) -> list[Pairs]:
    return [[(tuple(e), tuple(a)) for e, a in d.gold] for d in docs]


ROWS = {
    "Gale–Church (length only)": ("length",),
    "embeddings only": ("embed",),
    "embeddings + numbers + length": ("embed", "numbers", "length"),
    "MT only": ("mt",),
    "MT + numbers + length": ("mt", "numbers", "length"),
    "combined (embeddings + MT + numbers + length)": ("embed", "mt", "numbers", "length"),
}
COMBINED = "combined (embeddings + MT + numbers + length)"
BEST = "embeddings + numbers + length"


def table(name: str, results: dict[str, dict]) -> str:
    lines = [
        f"**{name}**",
        "",
        "| signals | strict P | strict R | strict F1 | lax P | lax R | lax F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for row, r in results.items():
        lines.append(
            f"| {row} | {r['precision_strict']:.3f} | {r['recall_strict']:.3f} | "
            f"**{r['f1_strict']:.3f}** | {r['precision_lax']:.3f} | {r['recall_lax']:.3f} | "
            f"{r['f1_lax']:.3f} |"
        )
    return "\n".join(lines)


def _set(w: Weights, key: str, value: float) -> Weights:
    """A copy of `w` with `key` set; "skip.embed" sets one signal's entry of a dict field."""
    if "." in key:
        field_name, signal = key.split(".")
        return replace(w, **{field_name: {**getattr(w, field_name), signal: value}})
    return replace(w, **{key: value})


def tune(
    docs: list[TestDoc], embedder, signals: tuple[str, ...], grid: dict, mt=None, start=None
) -> Weights:
    """Coordinate search (two rounds) over `grid` on `docs`, maximising strict F1."""
    golds = gold(docs)
    best = start or Weights()

    def f1(w: Weights) -> float:
        tests = run(docs, signals, embedder=embedder, mt=mt, weights=w)
        return score(golds, tests)["f1_strict"]

    best_f1 = f1(best)
    print(f"tune {signals}: start -> strict F1 {best_f1:.4f}", file=sys.stderr)
    for _ in range(2):
        for key, values in grid.items():
            for value in values:
                trial = _set(best, key, value)
                f = f1(trial)
                if f > best_f1 + 1e-9:
                    best, best_f1 = trial, f
                    print(f"tune: {key}={value} -> strict F1 {f:.4f}", file=sys.stderr)
    print(f"tuned: {best} strict F1 {best_f1:.4f}", file=sys.stderr)
    return best


EMBED_GRID = {
    "skip.embed": [0.4, 0.5, 0.6, 0.7, 0.8],
    "length": [0.03, 0.05, 0.1, 0.15, 0.2, 0.3],
    "numbers_match": [0.0, 0.2, 0.4, 0.6, 0.8],
    "numbers_one_side": [0.0, 0.1, 0.2],
    "variance": [3.0, 4.5, 6.8, 10.0, 15.0],
    "hinge": [0.7, 0.75, 0.8, 0.85, 0.9],
    "hinge_slope.embed": [0.0, 1.0, 2.0, 4.0],
}
MT_GRID = {"skip.mt": [0.5, 0.7, 0.8, 0.9, 1.0, 1.2], "hinge_slope.mt": [0.0, 1.0, 2.0]}
MIX_GRID = {"similarity.mt": [0.0, 0.1, 0.25, 0.5, 1.0]}


def speed(docs: list[TestDoc], embedder: Cached | None) -> dict:
    """Seconds to align documents of growing size made by concatenating test documents.

    Alignment times exclude the encoder (vectors come from the cache); the encoder's own
    time is measured once, on the first 100-sentence document, without the cache.
    """
    rows = []
    encode = None
    for size in (100, 250, 500, 1000, 2000):
        en: list[str] = []
        ar: list[str] = []
        for doc in itertools.cycle(docs):
            if len(en) >= size:
                break
            en.extend(doc.en)
            ar.extend(doc.ar)
        share = len(ar) / len(en)
        en, ar = en[:size], ar[: round(size * share)]
        row: dict = {"en": len(en), "ar": len(ar)}
        if embedder is not None and encode is None:
            # What align_sentences embeds: every sentence and every two adjacent ones joined.
            texts = [*en, *ar, *(f"{a} {b}" for a, b in zip(en, en[1:], strict=False))]
            texts += [f"{a} {b}" for a, b in zip(ar, ar[1:], strict=False)]
            started = time.perf_counter()
            embedder.embedder.embed(texts)
            encode = {
                "sentences": len(en) + len(ar),
                "texts": len(texts),
                "seconds": time.perf_counter() - started,
            }
        for label, signals in (
            ("gale_church_s", ("length",)),
            ("combined_s", ("embed", "numbers", "length")),
        ):
            if "embed" in signals and embedder is None:
                continue
            if embedder is not None:  # make sure the cache holds every text
                align_sentences(sentences(en), sentences(ar), embedder=embedder, signals=signals)
            started = time.perf_counter()
            align_sentences(sentences(en), sentences(ar), embedder=embedder, signals=signals)
            row[label] = time.perf_counter() - started
        rows.append(row)
        print(f"speed: {row}", file=sys.stderr)
    return {"rows": rows, "encoder": encode}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mt-model", default="gemma3-270m")
    parser.add_argument("--tune", action="store_true", help="tune weights on even documents")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--wide", action="store_true", help="also report with 1-3/3-1 moves")
    args = parser.parse_args()

    docs = build(args.seed)
    raw = default_embedder()
    embedder = Cached(raw) if raw is not None else None
    mt = load_cache(args.mt_model)

    def with_mt(subset: list[TestDoc]) -> list[TestDoc]:
        return [d for d in subset if all(s in mt for s in d.ar)]

    mt_tune, mt_test = with_mt(docs[0::6]), with_mt(docs[3::12])
    report: dict = {"machine": machine(), "seed": args.seed, "documents": len(docs)}
    if args.tune:
        tuned = tune(docs[0::2], embedder, ("embed", "numbers", "length"), EMBED_GRID)
        if mt_tune:
            tuned = tune(mt_tune, None, ("mt", "numbers", "length"), MT_GRID, mt, tuned)
            tuned = tune(mt_tune, embedder, ROWS[COMBINED], MIX_GRID, mt, tuned)
        report["tuned"] = str(tuned)
        print(f"set these as the Weights defaults: {tuned}", file=sys.stderr)
    held_out = docs[1::2]
    sets = {
        f"held-out: the {len(held_out)} odd-numbered documents": held_out,
        f"all {len(docs)} documents": docs,
    }
    if mt_test:
        sets[f"MT held-out subset: {len(mt_test)} documents (3, 15, 27, ...)"] = mt_test
    if mt_tune:
        sets[f"MT tuning subset: {len(mt_tune)} documents (0, 6, 12, ...)"] = mt_tune
    sections = []
    for name, subset_docs in sets.items():
        results = {}
        mt_rows = subset_docs is mt_test or subset_docs is mt_tune
        for row, signals in ROWS.items():
            if "embed" in signals and embedder is None:
                continue
            if "mt" in signals and not mt_rows:
                continue
            started = time.perf_counter()
            tests = run(subset_docs, signals, embedder=embedder, mt=mt if mt_rows else None)
            results[row] = score(gold(subset_docs), tests)
            results[row]["seconds"] = time.perf_counter() - started
            print(f"{name} | {row}: {results[row]}", file=sys.stderr)
        if mt_rows and embedder is not None:
            for share in (0.25, 1.0):
                row = f"combined, MT weight {share} (embeddings 1.0)"
                weights = replace(Weights(), similarity={"embed": 1.0, "mt": share})
                tests = run(subset_docs, ROWS[COMBINED], embedder=embedder, mt=mt, weights=weights)
                results[row] = score(gold(subset_docs), tests)
        if embedder is not None:
            row = "embeddings + numbers + length, 2-sentence spans as sums (no joined pairs)"
            tests = run(subset_docs, ROWS[BEST], embedder=embedder, pairs=False)
            results[row] = score(gold(subset_docs), tests)
        if args.wide and embedder is not None:
            row = "embeddings + numbers + length, with 1-3/3-1 moves"
            tests = run(
                subset_docs,
                ("embed", "numbers", "length"),
                embedder=embedder,
                moves=dp.WIDE_MOVES,
            )
            results[row] = score(gold(subset_docs), tests)
        report[name] = results
        sections.append(table(name, results))
    if not args.no_speed:
        report["speed"] = speed(docs, embedder)
    path = save("align-sentences", report)
    print("\n\n".join(sections))
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
