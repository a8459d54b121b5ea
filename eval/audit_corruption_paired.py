"""Two versions of `xling audit` on the same corrupted documents: a paired recall comparison.

eval/audit_corruption.py draws its corruptions from the items the code under test extracts
(quotations, number pairs) with one seeded random stream, so a change in what the code reads
moves the later draws too: its before and after runs corrupt different items, and their
recall differs by the draws as much as by the code. This script fixes the draws: `--dump`
writes every corrupted document of the suite as one version of the code draws it (the same
documents, seed and modes as eval/audit_corruption.py), and `--score` audits that file with
whichever version of `xling` is imported, counting per split, type and mode the corrupted
items flagged with the expected verdict (the suite's own rules, `_type_flags` and
`_hits_target`). Only summary counts are written; no document is listed.

    PYTHONPATH=$PWD python eval/audit_corruption_paired.py --dump eval/out/paired.json --fresh \
        --embed-cache eval/out/e5-cache.npz
    git archive 3b6bb54 xling | tar -x -C /tmp/base
    PYTHONPATH=/tmp/base python eval/audit_corruption_paired.py --score eval/out/paired.json \
        --embed-cache eval/out/e5-cache.npz --label before --out eval/results/x-before.json
    PYTHONPATH=$PWD python eval/audit_corruption_paired.py --score eval/out/paired.json \
        --embed-cache eval/out/e5-cache.npz --label after --out eval/results/x-after.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from audit_corruption import (  # noqa: E402
    MODES,
    NUMBER_TYPES,
    CachedEmbedder,
    _hits_target,
    _type_flags,
    _write,
    all_items,
    corrupt,
    kept_items,
    load_docs,
    speaker_names,
)
from common import machine  # noqa: E402

from xling.align.sentences import default_embedder  # noqa: E402
from xling.audit.run import audit_document  # noqa: E402
from xling.text.quotes import extract_quotes  # noqa: E402


def dump(args, embedder) -> dict:
    """Every corrupted document of the suite, drawn as eval/audit_corruption.py draws them."""
    docs = load_docs(None, args.tico_windows, args.unpc, args.flores, args.fresh)
    controls = {
        d.id: audit_document(d.id, "\n".join(d.en), "\n".join(d.ar), embedder=embedder).to_json()
        for d in docs
    }
    others = [
        {"doc": d.id, "text": q.text, "speaker": q.speaker}
        for d in docs
        if d.split != "fresh"
        for q in extract_quotes("\n".join(d.ar), "ar")
    ]
    names = speaker_names([d for d in docs if d.split != "fresh"])
    rows = []
    for mode in MODES:
        rng = random.Random(args.seed)
        fresh_rng = random.Random(args.seed)
        for d in docs:
            if d.split == "fresh":
                rng = fresh_rng
            control = controls[d.id]
            items = kept_items(control) if mode == "kept" else all_items(d, control)
            for c in corrupt(d, control, rng, others, items, names):
                rows.append({"mode": mode, "split": d.split} | dataclasses.asdict(c))
    return {"seed": args.seed, "documents": {d.id: "\n".join(d.en) for d in docs}, "rows": rows}


def score(data: dict, embedder, label: str) -> dict:
    counts: dict = defaultdict(lambda: {"corrupted": 0, "detected": 0})
    audited: dict[tuple[str, str], dict] = {}
    for r in data["rows"]:
        key = (r["doc"], r["ar_text"])
        if key not in audited:
            en = data["documents"][r["doc"]]
            audited[key] = audit_document(r["doc"], en, r["ar_text"], embedder=embedder).to_json()
        flags = _type_flags(audited[key], r["type"])
        hit = _hits_target(
            flags,
            r["target_en"],
            r["target_value"],
            r["target_en_sentences"],
            r["target_ar"] if r["type"] in NUMBER_TYPES else None,
        )
        cell = counts[f"{r['split']}|{r['type']}|{r['mode']}"]
        cell["corrupted"] += 1
        cell["detected"] += int(hit)
    table: dict = {}
    for key, cell in sorted(counts.items()):
        split, kind, mode = key.split("|")
        cell["recall"] = round(cell["detected"] / cell["corrupted"], 4)
        table.setdefault(split, {}).setdefault(kind, {})[mode] = cell
    return {"label": label, "machine": machine(), "seed": data["seed"], "recall": table}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dump", type=Path, help="write the corrupted documents to this file")
    ap.add_argument("--score", type=Path, help="audit the corrupted documents of this file")
    ap.add_argument("--label", default="run")
    ap.add_argument("--out", type=Path, help="the --score summary (JSON)")
    ap.add_argument("--tico-windows", type=int, default=40)
    ap.add_argument("--unpc", type=int, default=40)
    ap.add_argument("--flores", type=int, default=200)
    ap.add_argument("--fresh", action="store_true")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--embed-cache", type=Path, default=None)
    args = ap.parse_args()
    if bool(args.dump) == bool(args.score):
        ap.error("give one of --dump FILE or --score FILE")
    inner = default_embedder()
    if inner is None:
        sys.exit("the e5-small encoder is not built: xling models build e5-small")
    embedder = CachedEmbedder(inner, args.embed_cache)
    if args.dump:
        _write(args.dump, dump(args, embedder))
    else:
        summary = score(json.loads(args.score.read_text(encoding="utf-8")), embedder, args.label)
        if args.out:
            _write(args.out, summary)
        print(json.dumps(summary["recall"], indent=1))
    embedder.save()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
