"""The own-sentence check for deleted quotations, from the dev rows of the corruption suite.

A quotation whose Arabic sentence(s) were deleted is sometimes not `missing`: the aligner
links its English sentence to a neighbouring Arabic sentence, which is then read as the
quote without marks (`paraphrased`), or an Arabic quote of a neighbour (or elsewhere in the
document) is paired with it, `kept` with a low fidelity. `evidence.carried.own_margin` says
whose translation that Arabic is: its e5 similarity to the quote's own English sentence(s)
minus its best similarity to any other English sentence of the document; `room`, the
characters of that Arabic's alignment links left once their other English sentences are
paid for, over what the quote's sentence needs.
This script reads the evidence the suite stored (targets of the corrupted documents, every
English quotation of the untouched ones), dev rows only, both modes, and picks
OWN_MARGIN_MIN (a `paraphrased` quote below it is `missing`) and ROOM_MIN (an Arabic quote
found elsewhere in the document whose room is below it is not paired), xling/audit/quotes.py.

Rule (fixed before reading the rows), for each threshold apart (they act on disjoint
quotes): the most quote_deleted targets made `missing`, then the fewest untouched dev
documents with a `missing` quotation (at most one more than without the check), no
quote_marks target lost; ties: the middle of the interval of equal thresholds.

    .venv/bin/python eval/audit_corruption.py --split dev --no-omission-check \
        --embed-cache eval/out/e5-cache.npz --out eval/out/audit_corruption_dev_nocheck.json
    .venv/bin/python eval/quote_omission.py --rows eval/out/audit_corruption_dev_nocheck.json \
        --out eval/results/quote_omission.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

OWN_GRID = [round(-0.20 + 0.0025 * k, 4) for k in range(101)]  # -0.20 .. 0.05
ROOM_GRID = [round(-1.0 + 0.0025 * k, 4) for k in range(801)]  # -1.0 .. 1.0


def _value(item: dict, key: str) -> float | None:
    carried = item.get("carried")
    return None if carried is None else carried.get(key)


# The two rules act on disjoint items: A on a quote read as `paraphrased` (no Arabic quote
# paired), B on a quote paired with an Arabic quote found elsewhere in the document.
RULES = {
    "own_margin_min": ("own_margin", lambda q: q["verdict"] == "paraphrased", OWN_GRID),
    "room_min": (
        "room",
        lambda q: q["verdict"] == "kept" and q.get("scope") == "document",
        ROOM_GRID,
    ),
}


def choose(rows: list[dict], controls: dict, rule: str) -> dict:
    """One rule's threshold: most quote_deleted targets made `missing`, then fewest untouched
    documents given a `missing` quotation (at most one more than without the rule), no
    quote_marks target lost; ties: the middle of the interval of equal thresholds."""
    key, applies, grid = RULES[rule]

    def fires(item: dict, t: float) -> bool:
        v = _value(item, key)
        return applies(item) and v is not None and v < t

    def has_missing(c: dict, t: float | None) -> bool:
        return any(
            q["verdict"] == "missing" or (t is not None and fires(q, t))
            for q in c["carried_evidence"]
        )

    base = sum(has_missing(c, None) for c in controls.values())
    deleted = [r for r in rows if r["type"] == "quote_deleted"]
    marks = [r for r in rows if r["type"] == "quote_marks"]
    table = []
    for t in grid:
        table.append(
            {
                rule: t,
                "quote_deleted_detected": sum(
                    r["detected"] or any(fires(x, t) for x in r["target"]) for r in deleted
                ),
                "quote_marks_lost": sum(
                    r["detected"] and any(fires(x, t) for x in r["target"]) for r in marks
                ),
                "controls_with_missing": sum(has_missing(c, t) for c in controls.values()),
            }
        )
    ok = [x for x in table if x["controls_with_missing"] <= base + 1 and not x["quote_marks_lost"]]
    best = max((x["quote_deleted_detected"], -x["controls_with_missing"]) for x in ok)
    tied = [
        x[rule] for x in ok if (x["quote_deleted_detected"], -x["controls_with_missing"]) == best
    ]
    middle = round((min(tied) + max(tied)) / 2, 3)
    return {
        "chosen": middle,
        "interval": [min(tied), max(tied)],
        "quote_deleted_detected": best[0],
        "controls_with_missing": -best[1],
        "controls_with_missing_without_rule": base,
        "quote_deleted": len(deleted),
        "without_rule": table[0],
        "grid_every_10th": table[::10],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=Path, default=Path("eval/out/audit_corruption.json"))
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    data = json.loads(args.rows.read_text(encoding="utf-8"))
    # Both modes: a deleted quote is one error whatever the untouched audit said of it.
    rows = [r for r in data["results"] if r["split"] == "dev"]
    controls = {k: c for k, c in data["controls"].items() if c["split"] == "dev"}
    if not rows or any("carried_evidence" not in c for c in controls.values()):
        raise SystemExit("no dev rows with carried evidence: rerun eval/audit_corruption.py")
    out: dict = {"rule": choose.__doc__.split("\n")[0], "rules": {}}
    for rule, (key, applies, _) in RULES.items():
        out["rules"][rule] = choose(rows, controls, rule) | {
            "lowest": {
                "quote_deleted targets": sorted(
                    (_value(x, key), r["doc"], r["mode"])
                    for r in rows
                    if r["type"] == "quote_deleted"
                    for x in r["target"]
                    if applies(x) and _value(x, key) is not None
                )[:5],
                "quote_marks targets": sorted(
                    _value(x, key)
                    for r in rows
                    if r["type"] == "quote_marks"
                    for x in r["target"]
                    if applies(x) and _value(x, key) is not None
                )[:5],
                "control quotations": sorted(
                    (_value(q, key), doc)
                    for doc, c in controls.items()
                    for q in c["carried_evidence"]
                    if applies(q) and _value(q, key) is not None
                )[:5],
            }
        }
    print(
        json.dumps({k: {**v, "grid_every_10th": "..."} for k, v in out["rules"].items()}, indent=1)
    )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
