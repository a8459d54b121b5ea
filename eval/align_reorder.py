"""Order-free alignment on rewritten articles, in-order accuracy, and speed.

    python eval/align_reorder.py --tune      # tune on dev, report held out: ~10 min here
    python eval/align_reorder.py             # report with the committed defaults
    python eval/align_reorder.py --corpus tico|unpc|flores [--split dev]   # other corpora
    python eval/align_reorder.py --long      # long articles (100/500/2000 sentences)
    python eval/align_reorder.py --tune-leftover LEFTOVER_MIN|LEFTOVER_RUN_MIN
    python eval/align_reorder.py [--corpus C] --before   # auto without the gap repair
    python eval/align_reorder.py --gap-dev --cache FILE   # the gap repair on 4 dev halves

Test sets (eval/reorder_docs.py): NTREX-128 documents perturbed as eval/align_docs.py does,
grouped into paragraphs and rewritten: a block of 2–4 paragraphs moved ("moved"); moved,
one paragraph dropped, one of another story added, a headline and a caption inserted
("rewritten"); 2–3 documents compiled into one Arabic article ("compiled", several English
reports). Dev = the even-numbered NTREX documents, held out = the odd-numbered ones (the
split of eval/sentence_align.py). In-order: eval/align_docs.py's documents as they are.

Scores: sentence links — Vecalign's strict/lax P/R/F1 (eval/sentence_align.py `score`);
paragraph links — the set of (report, English paragraph, Arabic paragraph) pairs joined by at
least one link with both sides, P/R/F1 against the gold's. Results: eval/results/align-reorder.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from align_docs import TestDoc, build
from common import ROOT, machine
from reorder_docs import (
    CORPORA_SETS,
    ReorderDoc,
    build_sets,
    corpus_documents,
    corpus_sets,
    move_block,
    rewrite,
)
from sentence_align import Cached, score

from xling.align import freedp, reorder
from xling.align.reorder import align_reports
from xling.align.sentences import default_embedder
from xling.records import Sentence

RESULTS = ROOT / "eval" / "results" / "align-reorder.json"
SIGNALS = ("embed", "numbers", "length")
ORDERS_BEFORE = ("auto",)  # --before: auto as it was before the gap repair


def _reports(doc: ReorderDoc) -> list[list[Sentence]]:
    return [[Sentence(i, p, t) for i, (p, t) in enumerate(r)] for r in doc.reports]


def run_doc(doc: ReorderDoc, embedder, order: str, jump: float, switch: float | None = None):
    ar = [Sentence(j, p, t) for j, (p, t) in enumerate(doc.ar)]
    return align_reports(
        _reports(doc),
        ar,
        order=order,
        embedder=embedder,
        signals=SIGNALS,
        jump=jump,
        switch=freedp.SWITCH if switch is None else switch,
    )


def para_links(doc: ReorderDoc, links) -> set[tuple[int, int, int]]:
    """(report, English paragraph, Arabic paragraph) joined by a link with both sides."""
    en = doc.en_flat
    return {(en[i][0], en[i][1], doc.ar[j][0]) for e, a in links for i in e for j in a}


def para_f1(docs: list[ReorderDoc], tests: list) -> dict[str, float]:
    tp = fp = fn = 0
    for doc, test in zip(docs, tests, strict=True):
        gold, found = para_links(doc, doc.gold), para_links(doc, test)
        tp += len(gold & found)
        fp += len(found - gold)
        fn += len(gold - found)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"para_precision": p, "para_recall": r, "para_f1": 2 * p * r / (p + r) if p + r else 0}


def evaluate(
    docs: list[ReorderDoc], embedder, order: str, jump: float, switch: float | None = None
) -> dict:
    started = time.perf_counter()
    results = [run_doc(d, embedder, order, jump, switch) for d in docs]
    tests = [[(link.en, link.ar) for link in r.links] for r in results]
    out = score([[(tuple(e), tuple(a)) for e, a in d.gold] for d in docs], tests)
    out.update(para_f1(docs, tests))
    out["free_share"] = sum(r.order == "free" for r in results) / len(results)
    out["documents"] = len(docs)
    out["seconds"] = time.perf_counter() - started
    return out


def in_order(parity: int) -> list[ReorderDoc]:
    """eval/align_docs.py's perturbed documents, unchanged in order, as one-report docs."""
    docs = build(1)
    out = []
    for k, d in enumerate(docs):
        if k % 2 != parity:
            continue
        out.append(
            ReorderDoc(
                d.doc_id,
                "in-order",
                [[(i, t) for i, t in enumerate(d.en)]],
                [(j, t) for j, t in enumerate(d.ar)],
                [(list(e), list(a)) for e, a in d.gold],
            )
        )
    return out


def sets(parity: int) -> dict[str, list[ReorderDoc]]:
    return {**build_sets(1, parity), "in-order": in_order(parity)}


def _f1s(data: dict[str, list[ReorderDoc]], embedder, order: str, jump: float) -> dict:
    return {kind: evaluate(docs, embedder, order, jump) for kind, docs in data.items()}


def tune(dev: dict[str, list[ReorderDoc]], embedder) -> dict:
    """Jump cost (forced free) maximising mean strict F1 over dev sets, then the anchor
    margin and detection thresholds: auto must pick monotone on in-order dev documents."""
    log: dict = {"jump": {}, "switch": {}, "detect": {}}
    best_jump, best = freedp.JUMP, -1.0
    for jump in (0.0, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5):
        f = _f1s(dev, embedder, "free", jump)
        mean = float(np.mean([r["f1_strict"] for r in f.values()]))
        log["jump"][jump] = {k: round(r["f1_strict"], 4) for k, r in f.items()}
        print(f"tune jump={jump}: {log['jump'][jump]} mean {mean:.4f}", file=sys.stderr)
        if mean > best + 1e-9:
            best_jump, best = jump, mean
    log["best_jump"] = best_jump
    best_switch, best = freedp.SWITCH, -1.0
    for switch in (0.0, 0.1, 0.25, 0.5, 1.0):
        r = evaluate(dev["compiled"], embedder, "free", best_jump, switch)
        log["switch"][switch] = round(r["f1_strict"], 4)
        print(f"tune switch={switch}: compiled {r['f1_strict']:.4f}", file=sys.stderr)
        if r["f1_strict"] > best + 1e-9:
            best_switch, best = switch, r["f1_strict"]
    log["best_switch"] = best_switch
    # Detection: anchor margin and thresholds that best separate the in-order dev documents
    # (auto must pick monotone) from the rewritten ones (auto should pick free).
    vectors = {
        kind: [
            (
                embedder.embed([t for _, _, t in doc.en_flat]),
                embedder.embed([t for _, t in doc.ar]),
            )
            for doc in docs
        ]
        for kind, docs in dev.items()
    }
    best_detect = (-1.0, None)
    for margin in (1.0, 1.01, 1.02, 1.03, 1.04, 1.06):
        found = {
            kind: [reorder.detect(x, y, margin) for x, y in pairs]
            for kind, pairs in vectors.items()
        }
        for count in (1, 2, 3):
            for share in (0.0, 0.05, 0.1, 0.15):

                def free(d, count=count, share=share) -> bool:
                    return d.out_of_order >= count and d.share >= share

                rates = {kind: sum(map(free, ds)) / len(ds) for kind, ds in found.items()}
                # Correct decisions, in-order documents weighted as much as all others.
                others = [v for k, v in rates.items() if k != "in-order"]
                accuracy = (1 - rates["in-order"]) / 2 + float(np.mean(others)) / 2
                key = f"margin={margin} count>={count} share>={share}"
                log["detect"][key] = {k: round(v, 3) for k, v in rates.items()}
                if accuracy > best_detect[0] + 1e-9:
                    best_detect = (accuracy, key)
    log["best_detect"] = best_detect[1]
    print(f"detect: best {best_detect}", file=sys.stderr)
    return log


def speed(docs: list, embedder: Cached, jump: float, switch: float) -> dict:
    """Alignment seconds, monotone and free, on articles of ~100, 500, 2000 Arabic sentences
    (held-out documents concatenated, a block of paragraphs moved); the encoder's time on
    each article is measured once without the cache."""
    rows = []
    import random

    for size in (100, 500, 2000):
        en: list[str] = []
        ar_paras: list[list[str]] = []
        k = 0
        while sum(len(p[0]) for p in ar_paras) < size:
            d = docs[k % len(docs)]
            k += 1
            en.extend(d.en)
            ar_paras.extend([d.ar[i : i + 2]] for i in range(0, len(d.ar), 2))
        ar_paras = move_block(ar_paras, random.Random(size))
        ar = [t for para in ar_paras for p in para for t in p]
        en_s = [Sentence(i, i, t) for i, t in enumerate(en)]
        ar_s = [Sentence(j, j, t) for j, t in enumerate(ar)]
        texts = [*en, *ar, *(f"{a} {b}" for a, b in zip(en, en[1:], strict=False))]
        texts += [f"{a} {b}" for a, b in zip(ar, ar[1:], strict=False)]
        row: dict = {"en": len(en), "ar": len(ar), "embedded_texts": len(texts)}
        if size == 100:  # the encoder's rate, once (it is linear in the texts embedded)
            started = time.perf_counter()
            embedder.embedder.embed(texts)
            row["encoder_s"] = time.perf_counter() - started
        embedder.embed(texts)  # fills the cache: the timings below exclude the encoder
        for order in ("monotone", "free", "auto"):
            started = time.perf_counter()
            result = align_reports(
                [en_s],
                ar_s,
                order=order,
                embedder=embedder,
                signals=SIGNALS,
                jump=jump,
                switch=switch,
            )
            row[f"{order}_s"] = time.perf_counter() - started
            row[f"{order}_used"] = result.order
        rows.append(row)
        print(f"speed: {row}", file=sys.stderr)
    return {"rows": rows}


def long_pool(parity: int) -> list[TestDoc]:
    """Documents for long articles, each used once (a document twice would give each of
    its sentences two equally good sources): the perturbed NTREX-128 documents of one
    split, then the TICO-19 windows of the same parity (2000 sentences need both)."""
    return build(1)[parity::2] + corpus_documents("tico")[parity::2]


def long_articles(docs: list, size: int, seed: int = 1) -> dict[str, ReorderDoc]:
    """An article of about `size` Arabic sentences: documents of `docs` concatenated in
    turn (their gold shifted), in order and with one block of 2–4 of its paragraphs (1–3
    gold units each) moved, as eval/reorder_docs.py's "moved" set."""
    en: list[str] = []
    ar: list[str] = []
    gold: list[tuple[list[int], list[int]]] = []
    k = 0
    while len(ar) < size:
        if k == len(docs):
            raise ValueError(f"not enough documents for {size} sentences")
        d = docs[k]
        k += 1
        gold += [([len(en) + i for i in e], [len(ar) + j for j in a]) for e, a in d.gold]
        en += d.en
        ar += d.ar
    merged = TestDoc(f"long{size}", en, ar, gold)
    in_order = ReorderDoc(
        merged.doc_id,
        "in-order",
        [[(i, t) for i, t in enumerate(en)]],
        [(j, t) for j, t in enumerate(ar)],
        gold,
    )
    return {"moved": rewrite(merged, "moved", [], seed), "in-order": in_order}


def moved_gold(doc: ReorderDoc) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Gold links with both sides outside the longest in-order chain (in Arabic order)."""
    links = sorted(((tuple(e), tuple(a)) for e, a in doc.gold if e and a), key=lambda g: g[1])
    chain = reorder.longest_increasing([e[0] for e, _ in links])
    return {g for k, g in enumerate(links) if k not in chain}


def run_long(doc: ReorderDoc, embedder: Cached, order: str, jump: float, switch: float) -> dict:
    """Scores of one long article, the share of its moved gold links found, and seconds."""
    started = time.perf_counter()
    result = run_doc(doc, embedder, order, jump, switch)
    seconds = time.perf_counter() - started
    test = [(link.en, link.ar) for link in result.links]
    r = score([[(tuple(e), tuple(a)) for e, a in doc.gold]], [test])
    r.update(para_f1([doc], [test]))
    moved = moved_gold(doc)
    found = {(tuple(e), tuple(a)) for e, a in test}
    return {
        "seconds": round(seconds, 3),
        "used": result.order,
        "f1_strict": round(float(r["f1_strict"]), 4),
        "f1_lax": round(float(r["f1_lax"]), 4),
        "para_f1": round(r["para_f1"], 4),
        "moved_found": f"{len(moved & found)}/{len(moved)}",
    }


def long_bench(docs: list, embedder: Cached, jump: float, switch: float, free_max: int) -> dict:
    """Accuracy and alignment seconds of monotone, free and auto on long articles (100,
    500, 2000 Arabic sentences), moved and in order; embeddings from the cache (filled
    first, the encoder measured once on the 100-sentence article). The full free DP only
    up to `free_max` sentences in order (it is the slow one)."""
    rows = []
    for size in (100, 500, 2000):
        for kind, doc in long_articles(docs, size).items():
            en = [t for _, _, t in doc.en_flat]
            ar = [t for _, t in doc.ar]
            texts = [*en, *ar, *(f"{a} {b}" for a, b in zip(en, en[1:], strict=False))]
            texts += [f"{a} {b}" for a, b in zip(ar, ar[1:], strict=False)]
            row: dict = {"set": kind, "size": size, "en": len(en), "ar": len(ar)}
            if size == 100 and kind == "moved":
                started = time.perf_counter()
                embedder.embedder.embed(texts)
                row["encoder_s"] = time.perf_counter() - started
                row["embedded_texts"] = len(texts)
            embedder.embed(texts)  # fills the cache: the timings below exclude the encoder
            for order in ("monotone", "auto", "free"):
                if order == "free" and kind == "in-order" and size > free_max:
                    continue
                row[order] = run_long(doc, embedder, order, jump, switch)
            rows.append(row)
            print(f"long: {row}", file=sys.stderr)
    return {"rows": rows}


LEFTOVER_GRID = {
    "LEFTOVER_MIN": (0.0, 0.3, 0.4, 0.5, 0.6, 0.7),
    "LEFTOVER_RUN_MIN": (0.5, 0.4, 0.3, 0.2),  # tuned second, at LEFTOVER_MIN = 0.5
}


def tune_leftover(embedder: Cached, jump: float, switch: float, attribute: str) -> dict:
    """freedp.LEFTOVER_MIN (the similarity a link of auto's leftover pass on a long article
    needs) or LEFTOVER_RUN_MIN (the same for a link in a run): auto's strict F1 on dev
    long articles (even NTREX-128 documents, then even TICO-19 windows) of 500 and 1000
    Arabic sentences, moved and in order."""
    grid = LEFTOVER_GRID[attribute]
    articles = {
        f"{kind}-{size}": doc
        for size in (500, 1000)
        for kind, doc in long_articles(long_pool(0), size).items()
    }
    prefill(list(articles.values()), embedder)
    log: dict = {"monotone": {}}
    for name, doc in articles.items():
        log["monotone"][name] = run_long(doc, embedder, "monotone", jump, switch)
    chosen = getattr(freedp, attribute)
    for value in grid:
        setattr(freedp, attribute, value)
        log[value] = {
            name: run_long(d, embedder, "auto", jump, switch) for name, d in articles.items()
        }
        log[value]["mean"] = float(np.mean([r["f1_strict"] for r in log[value].values()]))
        print(f"{attribute} {value}: {log[value]}", file=sys.stderr)
    setattr(freedp, attribute, chosen)
    log["best"] = max(grid, key=lambda v: log[v]["mean"])
    return log


def gap_dev(embedder: Cached, jump: float, switch: float) -> dict:
    """The gap repair (reorder.GAP_REPAIR) on the dev halves of all four corpora: auto
    without it (as before), auto with it, and the monotone DP, per set; means over sets."""
    data = {f"ntrex {kind}": docs for kind, docs in sets(0).items()}
    for corpus in CORPORA_SETS:
        data.update({f"{corpus} {k}": v for k, v in corpus_sets(corpus, 1, 0).items()})
    prefill([d for docs in data.values() for d in docs], embedder)
    out: dict = {}
    runs = (("auto before", False, "auto"), ("auto", True, "auto"), ("monotone", True, "monotone"))
    for name, docs in data.items():
        out[name] = {}
        for label, gap, order in runs:
            reorder.GAP_REPAIR = gap
            out[name][label] = evaluate(docs, embedder, order, jump, switch)
        reorder.GAP_REPAIR = True
        print(name, {k: round(v["f1_strict"], 4) for k, v in out[name].items()}, file=sys.stderr)
    out["mean_f1_strict"] = {
        label: float(np.mean([out[n][label]["f1_strict"] for n in data])) for label, _, _ in runs
    }
    return out


def table(name: str, results: dict) -> str:
    lines = [
        f"**{name}**",
        "",
        "| set | docs | order | sent strict P | R | **F1** | sent lax F1 | para P | R | **F1** "
        "| auto chose free |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, by_order in results.items():
        for order, r in by_order.items():
            lines.append(
                f"| {kind} | {r['documents']} | {order} | {r['precision_strict']:.3f} | "
                f"{r['recall_strict']:.3f} | **{r['f1_strict']:.3f}** | {r['f1_lax']:.3f} | "
                f"{r['para_precision']:.3f} | {r['para_recall']:.3f} | **{r['para_f1']:.3f}** "
                f"| {r['free_share']:.0%} |"
            )
    return "\n".join(lines)


def prefill(docs: list[ReorderDoc], embedder: Cached) -> None:
    """Embed every text the aligner will ask for (sentences and adjacent pairs, as
    xling.align.sentences.build_sides joins them) in one call: the cache is written once."""
    texts: list[str] = []
    for doc in docs:
        for side in ([t for _, _, t in doc.en_flat], [t for _, t in doc.ar]):
            texts += side
            texts += [f"{a} {b}" for a, b in zip(side, side[1:], strict=False)]
    embedder.embed(list(dict.fromkeys(texts)))


def side_run(args, report: dict, embedder: Cached, jump: float, switch: float) -> int:
    """--corpus (the sets of another corpus, one split) or --long (long articles)."""
    report["detection"] = {
        "anchor_margin": reorder.ANCHOR_MARGIN,
        "moved_anchors": reorder.MOVED_ANCHORS,
        "moved_share": reorder.MOVED_SHARE,
    }
    if args.tune_leftover:
        attribute = args.tune_leftover
        report[attribute] = tune_leftover(embedder, jump, switch, attribute)
        report["leftover_min"] = freedp.LEFTOVER_MIN
        path = RESULTS.with_name(f"align-reorder-{attribute.lower()}-dev.json")
    elif args.long:
        report["leftover_min"] = freedp.LEFTOVER_MIN
        report["leftover_run_min"] = freedp.LEFTOVER_RUN_MIN
        report["long"] = long_bench(long_pool(1), embedder, jump, switch, args.free_max)
        path = RESULTS.with_name("align-reorder-long.json")
    else:
        parity = 1 if args.split == "held-out" else 0
        data = corpus_sets(args.corpus, 1, parity, args.limit)
        report.update(corpus=args.corpus, split=args.split, limit=args.limit)
        prefill([d for docs in data.values() for d in docs], embedder)
        results: dict = {}
        for kind, docs in data.items():
            results[kind] = {}
            for order in ORDERS_BEFORE if args.before else ("auto", "monotone", "free"):
                results[kind][order] = evaluate(docs, embedder, order, jump, switch)
                print(f"{kind} {order}: {results[kind][order]}", file=sys.stderr)
        report[args.split.replace("-", "_")] = results
        suffix = ("" if args.split == "held-out" else "-dev") + ("-before" if args.before else "")
        path = RESULTS.with_name(f"align-reorder-{args.corpus}{suffix}.json")
        print(table(f"{args.corpus} {args.split}", results))
    path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--jump", type=float, default=None)
    parser.add_argument("--switch", type=float, default=None)
    parser.add_argument(
        "--corpus",
        choices=CORPORA_SETS,
        help="the sets built from this corpus instead of NTREX-128 "
        "(writes eval/results/align-reorder-CORPUS.json)",
    )
    parser.add_argument(
        "--split", choices=("held-out", "dev"), default="held-out", help="with --corpus"
    )
    parser.add_argument("--limit", type=int, default=None, help="documents per set (--corpus)")
    parser.add_argument(
        "--long",
        action="store_true",
        help="accuracy and time on 100/500/2000-sentence articles, moved and in order "
        "(writes eval/results/align-reorder-long.json)",
    )
    parser.add_argument("--free-max", type=int, default=500, help="with --long")
    parser.add_argument(
        "--tune-leftover",
        choices=sorted(LEFTOVER_GRID),
        help="a similarity floor of the leftover pass, on dev long articles "
        "(writes eval/results/align-reorder-NAME-dev.json)",
    )
    parser.add_argument("--cache", type=Path, help="embedding cache file (default eval/out/)")
    parser.add_argument(
        "--gap-dev",
        action="store_true",
        help="the gap repair on the dev halves of the four corpora, before/after "
        "(writes eval/results/align-reorder-gap-dev.json)",
    )
    parser.add_argument(
        "--before",
        action="store_true",
        help="auto without the gap repair (reorder.GAP_REPAIR off), as before it: "
        "writes eval/results/align-reorder[-CORPUS]-before.json",
    )
    args = parser.parse_args()
    if args.before:
        reorder.GAP_REPAIR = False
    raw = default_embedder()
    if raw is None:
        sys.exit("the e5-small encoder is not built: xling models build encoder")
    embedder = Cached(raw)
    if args.cache:  # another cache file (two runs at once must not write the same one)
        embedder.path = args.cache
        if args.cache.exists():
            data = np.load(args.cache, allow_pickle=False)
            embedder.cache = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
    report: dict = {"machine": machine(), "seed": 1, "signals": list(SIGNALS)}
    jump = args.jump if args.jump is not None else freedp.JUMP
    if args.tune:
        report["tuning"] = tune(sets(0), embedder)
        jump = report["tuning"]["best_jump"]
        switch = report["tuning"]["best_switch"]
        print(f"set freedp.JUMP = {jump}, SWITCH = {switch}", file=sys.stderr)
    else:
        switch = args.switch if args.switch is not None else freedp.SWITCH
    report["jump"], report["switch"] = jump, switch
    if args.gap_dev:
        report["dev"] = gap_dev(embedder, jump, switch)
        path = RESULTS.with_name("align-reorder-gap-dev.json")
        path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        print(json.dumps(report["dev"]["mean_f1_strict"]))
        print(f"wrote {path}", file=sys.stderr)
        return 0
    if args.corpus or args.long or args.tune_leftover:
        return side_run(args, report, embedder, jump, switch)
    report["detection"] = {
        "anchor_margin": reorder.ANCHOR_MARGIN,
        "moved_anchors": reorder.MOVED_ANCHORS,
        "moved_share": reorder.MOVED_SHARE,
    }
    held = sets(1)
    results: dict = {}
    for kind, docs in held.items():
        results[kind] = {}
        for order in ORDERS_BEFORE if args.before else ("auto", "monotone", "free"):
            results[kind][order] = evaluate(docs, embedder, order, jump, switch)
            print(f"{kind} {order}: {results[kind][order]}", file=sys.stderr)
    report["held_out"] = results
    if not args.no_speed:
        report["speed"] = speed(build(1)[1::2], embedder, jump, switch)
    path = RESULTS.with_name("align-reorder-before.json") if args.before else RESULTS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(table("Held out (odd-numbered NTREX documents)", results))
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
