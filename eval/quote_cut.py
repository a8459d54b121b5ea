"""Choose the thresholds of the quote checks "content differs" on the development split.

A kept quotation is flagged "content differs" when its calibrated fidelity is under
FIDELITY_MIN (xling/audit/fidelity.py: mostly replaced words) or when the cut check fires
(xling/audit/quotes.py `cut_evidence`): the Arabic quote is much shorter than the document's
length ratio predicts (`quote_log_ratio` <= -CUT_LOG_MIN) and its sentences miss most of
those characters too (`deficit_share` >= CUT_SHARE_MIN; a quote whose marks the translator
closed earlier keeps the words outside them, a cut loses them).

Input: the per-document rows of eval/audit_corruption.py (its --out), of which only the
development split (NTREX-128) is read: the evidence of every kept quotation the audit can flag
in each untouched document, and of each cut / altered quotation (mode `all`). Rule, fixed
before any held-out figure of the cut check was looked at: over a grid of the three
thresholds, keep the settings at which at most FLAG_BUDGET (10%) of the untouched dev
documents carry a "content differs" flag (the budget of FIDELITY_MIN since issue 12), and
take the one with the best mean of the cut and altered recall (ties: fewer flagged
documents, then the larger thresholds, the more conservative check).

    .venv/bin/python eval/quote_cut.py --rows eval/out/audit_corruption.json
        # writes eval/results/quote_cut.json (the chosen thresholds, the dev curve through
        # them) and eval/out/quote_cut_grid.json (every setting of the grid)
    .venv/bin/python eval/quote_cut.py --rows DEV.json DEV2.json --splits dev fresh \
        --out eval/results/quote_cut-dev-dev2.json
        # the same rule on two development parts (sixth session: the old fresh split is
        # dev2): the budget holds in each part, the recall is that of both parts' rows
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, ROOT, machine  # noqa: E402

FLAG_BUDGET = 0.10
FIDELITY_GRID = [round(x, 2) for x in np.arange(0.05, 0.601, 0.01)]
CUT_LOG_GRID = [round(x, 2) for x in np.arange(0.30, 1.501, 0.05)] + [None]  # None: no check
CUT_SHARE_GRID = [None, 0.0, 0.25, 0.5, 0.75]  # None: no condition on the sentences
# The word aligner's share of the quote's missing words linked outside the marks
# (xling/audit/quote_words.py; seventh session): --words adds it to the grid.
OUTSIDE_GRID = [round(x, 2) for x in np.arange(0.10, 0.801, 0.05)]


def fires(
    ev: dict,
    fidelity_min: float,
    cut_log: float | None,
    cut_share: float | None,
    outside: bool = False,
    outside_min: float | None = None,
    words: str = "and",
) -> bool:
    """Whether a kept quotation with this evidence is flagged "content differs"; `outside`:
    a short quote whose sentences are not short (the words stand outside the marks) is not
    flagged for a low fidelity either. With `outside_min`, the word aligner's evidence
    (`outside_share`, where it was measured) decides too: `words` "and", the words stand
    outside when the lengths and the aligner both say so; "only", when the aligner says so."""
    low = ev["score"] is not None and ev["score"] < fidelity_min
    if cut_log is None or ev["quote_log_ratio"] > -cut_log:
        return low
    by_length = cut_share is not None and ev["deficit_share"] < cut_share
    if outside_min is not None and ev.get("outside_share") is not None:
        by_words = ev["outside_share"] >= outside_min
        stands_outside = by_words if words == "only" else by_length and by_words
    else:
        stands_outside = by_length
    return not stands_outside or (low and not outside)


def _target_evidence(target: dict) -> dict | None:
    fid = target.get("fidelity") or {}
    if fid.get("score") is None:
        return None
    return {"score": fid["score"]} | (fid.get("cut") or {})


def detected(result: dict, setting: tuple) -> bool:
    """A cut/altered quotation is found: flagged missing/paraphrased (no threshold), or kept,
    flaggable, and the check fires (audit_corruption._type_flags)."""
    for tg in result["target"]:
        if tg["verdict"] in ("missing", "paraphrased") and tg["flagged"]:
            return True
        ev = _target_evidence(tg)
        if tg["verdict"] == "kept" and ev and tg.get("flaggable", True) and fires(ev, *setting):
            return True
    return False


def _share_grid(cut_log: float | None, with_words: bool) -> list[tuple]:
    """(cut_share, outside, outside_min, words) settings of the cut check's second part."""
    if cut_log is None:
        return [(None, False, None, "and")]
    lengths = [(s, o) for s in CUT_SHARE_GRID for o in (False, True) if s is not None or not o]
    out = [(s, o, None, "and") for s, o in lengths]
    if with_words:
        out += [
            (s, o, m, w)
            for s, o in lengths
            for m in OUTSIDE_GRID
            for w in ("and", "only")
            if (w == "and") == (s is not None)  # "only" ignores the lengths: one cut_share
        ]
    return out


def curve(data: dict, split: str | tuple[str, ...] = "dev", with_words: bool = False) -> list[dict]:
    splits = (split,) if isinstance(split, str) else split
    controls = {
        s: [r["content_evidence"] for r in data["controls"].values() if r["split"] == s]
        for s in splits
    }
    results = [
        r
        for r in data["results"]
        if r["split"] in splits
        and r["mode"] == "all"
        and r["type"] in ("quote_cut", "quote_altered")
    ]
    rows = []
    for f in FIDELITY_GRID:
        for c in CUT_LOG_GRID:
            for s, o, m, w in _share_grid(c, with_words):
                setting = (f, c, s, o, m, w)
                # the budget holds in each development part (the worst part counts)
                flagged = max(
                    np.mean([any(fires(ev, *setting) for ev in evs) for evs in part])
                    for part in controls.values()
                )
                row = {
                    "fidelity_min": f,
                    "cut_log_min": c,
                    "cut_share_min": s,
                    "outside_not_flagged": o,
                    "outside_min": m,
                    "words": w,
                    "controls_flagged_content": round(float(flagged), 4),
                }
                if len(controls) > 1:
                    row["controls_flagged_content_by_split"] = {
                        name: round(
                            float(np.mean([any(fires(ev, *setting) for ev in e) for e in part])),
                            4,
                        )
                        for name, part in controls.items()
                    }
                for kind in ("quote_cut", "quote_altered"):
                    hits = [detected(r, setting) for r in results if r["type"] == kind]
                    row[f"{kind}_recall"] = round(float(np.mean(hits)), 4) if hits else None
                rows.append(row)
    return rows


def distributions(data: dict, split: str | tuple[str, ...] = "dev") -> dict:
    """Percentiles (5, 10, 25, 50, 75, 90, 95) of the cut evidence: every kept quotation the
    audit can flag in the untouched documents, and every cut quotation (mode all) kept."""
    splits = (split,) if isinstance(split, str) else split
    kept = [
        ev
        for r in data["controls"].values()
        if r["split"] in splits
        for ev in r["content_evidence"]
    ]
    cut = [
        ev
        for r in data["results"]
        if r["split"] in splits and r["mode"] == "all" and r["type"] == "quote_cut"
        for tg in r["target"]
        if tg["verdict"] == "kept" and (ev := _target_evidence(tg)) and "quote_log_ratio" in ev
    ]
    out: dict = {}
    for name, evs in (("untouched_kept", kept), ("cut_to_a_third", cut)):
        out[name] = {"n": len(evs)}
        for f in (
            "quote_log_ratio",
            "sentence_log_ratio",
            "deficit_share",
            "outside_share",
            "score",
        ):
            values = [ev[f] for ev in evs if ev.get(f) is not None]
            pct = np.percentile(values, [5, 10, 25, 50, 75, 90, 95]) if values else []
            out[name][f] = [round(float(v), 3) for v in pct]
    return out


def where_lengths_say_outside(data: dict, splits: tuple[str, ...], cut_log: float) -> dict:
    """`outside_share` of the short quotes (`quote_log_ratio` <= -cut_log) whose sentences hold
    the missing characters (`deficit_share` < CUT_SHARE_MIN): untouched kept quotations, and
    cut ones (mode all), sorted: how the word evidence separates what the lengths cannot."""
    from xling.audit.quotes import CUT_SHARE_MIN

    def short(ev: dict) -> bool:
        return ev["quote_log_ratio"] <= -cut_log and ev["deficit_share"] < CUT_SHARE_MIN

    kept = [
        ev
        for r in data["controls"].values()
        if r["split"] in splits
        for ev in r["content_evidence"]
        if short(ev)
    ]
    cut = [
        ev
        for r in data["results"]
        if r["split"] in splits and r["mode"] == "all" and r["type"] == "quote_cut"
        for tg in r["target"]
        if tg["verdict"] == "kept" and (ev := _target_evidence(tg)) and short(ev)
    ]
    return {
        name: sorted(ev.get("outside_share") for ev in evs if ev.get("outside_share") is not None)
        for name, evs in (("untouched_kept", kept), ("cut_to_a_third", cut))
    }


def effect(data: dict) -> dict:
    """At the shipped thresholds (xling/audit/quotes.py), per split of the rows: cut and
    altered recall and the untouched documents flagged "content differs", with the lengths
    alone and with the word evidence: what OUTSIDE_MIN changes, held-out splits included."""
    from xling.audit import quotes as q

    shipped = (q.FIDELITY_MIN, q.CUT_LOG_MIN, q.CUT_SHARE_MIN, True)
    out: dict = {}
    for split in sorted({r["split"] for r in data["controls"].values()}):
        controls = [r["content_evidence"] for r in data["controls"].values() if r["split"] == split]
        results = [
            r
            for r in data["results"]
            if r["split"] == split
            and r["mode"] == "all"
            and r["type"] in ("quote_cut", "quote_altered")
        ]
        row: dict = {"controls": len(controls)}
        for name, words in (("lengths_only", None), ("with_words", q.OUTSIDE_MIN)):
            setting = (*shipped, words, "and")
            part = {
                "controls_flagged_content": sum(
                    any(fires(ev, *setting) for ev in evs) for evs in controls
                )
            }
            for kind in ("quote_cut", "quote_altered"):
                hits = [detected(r, setting) for r in results if r["type"] == kind]
                part[kind] = f"{sum(hits)}/{len(hits)}"
            row[name] = part
        out[split] = row
    return out


def choose(rows: list[dict]) -> dict:
    ok = [r for r in rows if r["controls_flagged_content"] <= FLAG_BUDGET]

    def key(r: dict) -> tuple:
        mean = (r["quote_cut_recall"] + r["quote_altered_recall"]) / 2
        return (
            round(mean, 6),
            -r["controls_flagged_content"],
            r["cut_log_min"] if r["cut_log_min"] is not None else 9.0,
            r["cut_share_min"] if r["cut_share_min"] is not None else -9.0,
            not r["outside_not_flagged"],
            r.get("outside_min") is None,  # the word evidence only where it adds recall
            -(r.get("outside_min") or 0.0),  # ... and then the fewer "stands outside"
            -r["fidelity_min"],
        )

    best = max(ok, key=key)
    if best.get("outside_min") is None:
        return best
    # outside_min: the middle of the interval of values that do as well as the best (the
    # same recall and flags, every other threshold the same), not its edge
    others = ("fidelity_min", "cut_log_min", "cut_share_min", "outside_not_flagged", "words")
    same = sorted(
        (
            r
            for r in ok
            if r.get("outside_min") is not None
            and key(r)[:2] == key(best)[:2]
            and all(r[n] == best[n] for n in others)
        ),
        key=lambda r: r["outside_min"],
    )
    return same[(len(same) - 1) // 2]


def slices(rows: list[dict], chosen: dict) -> dict:
    """The grid through the chosen setting, one threshold moving at a time, and the curve of
    FIDELITY_MIN without the cut check (the committed JSON stays small)."""
    names = (
        "fidelity_min",
        "cut_log_min",
        "cut_share_min",
        "outside_not_flagged",
        "outside_min",
        "words",
    )

    def through(*moving: str) -> list[dict]:
        return [r for r in rows if all(r[n] == chosen[n] for n in names if n not in moving)]

    return {
        "fidelity_min": through("fidelity_min"),
        "cut_log_min": through("cut_log_min"),
        "cut_share_min_and_outside": through("cut_share_min", "outside_not_flagged"),
        "outside_min_and_words": through("outside_min", "words"),
        "no_cut_check": [r for r in rows if r["cut_log_min"] is None],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=Path, nargs="+", default=[OUT / "audit_corruption.json"])
    ap.add_argument("--splits", nargs="+", default=["dev"], help="development splits to use")
    ap.add_argument("--out", type=Path, default=ROOT / "eval" / "results" / "quote_cut.json")
    ap.add_argument(
        "--words",
        action="store_true",
        help="add the word aligner's outside_share to the grid (rows of the seventh session)",
    )
    ap.add_argument(
        "--effect",
        action="store_true",
        help="no grid: what the shipped OUTSIDE_MIN changes on every split of the rows "
        "(held-out ones included; nothing is chosen), to --out",
    )
    args = ap.parse_args()
    data: dict = {"controls": {}, "results": []}
    for path in args.rows:
        part = json.loads(path.read_text(encoding="utf-8"))
        if not all("content_evidence" in r for r in part["controls"].values()):
            sys.exit(f"{path}: rows of an older eval/audit_corruption.py (no content_evidence)")
        data["controls"] |= part["controls"]
        data["results"] += part["results"]
    if args.effect:
        result = {
            "machine": machine(),
            "source": [
                str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in args.rows
            ],
            "note": "shipped thresholds; detection as eval/audit_corruption.py counts a kept "
            "quotation's content flag (missing/paraphrased targets count as found)",
            "by_split": effect(data),
        }
        _write_json(args.out, result)
        print(json.dumps(result["by_split"], indent=1))
        return 0
    splits = tuple(args.splits)
    rows = curve(data, splits, args.words)
    chosen = choose(rows)
    baseline = next(
        r for r in rows if r["cut_log_min"] is None and r["fidelity_min"] == chosen["fidelity_min"]
    )
    out = {
        "machine": machine(),
        "source": [
            str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in args.rows
        ],
        "split": "dev (NTREX-128)" if splits == ("dev",) else " + ".join(splits),
        "rule": f"at most {FLAG_BUDGET:.0%} of untouched dev documents flagged 'content differs'; "
        "best mean of cut and altered recall (mode all); ties: fewer flagged, larger thresholds"
        + (
            "; the word evidence only where it adds recall, its outside_min the middle of the "
            "values that do as well"
            if args.words
            else ""
        ),
        "chosen": chosen,
        "without_cut_check_same_fidelity_min": baseline,
        "percentiles_5_10_25_50_75_90_95": distributions(data, splits),
        "outside_share_where_lengths_say_outside": where_lengths_say_outside(
            data, splits, chosen["cut_log_min"] or CUT_LOG_GRID[0]
        )
        if args.words
        else None,
        "slices": slices(rows, chosen),
        "grid": {
            "fidelity_min": [FIDELITY_GRID[0], FIDELITY_GRID[-1], 0.01],
            "cut_log_min": [x for x in CUT_LOG_GRID if x is not None],
            "cut_share_min": CUT_SHARE_GRID,
            "outside_min": OUTSIDE_GRID if args.words else None,
            "settings": len(rows),
            "every_setting": str(OUT.relative_to(ROOT) / "quote_cut_grid.json"),
        },
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "quote_cut_grid.json").write_text(json.dumps(rows) + "\n", encoding="utf-8")
    _write_json(args.out, out)
    print(
        json.dumps(
            {k: out[k] for k in ("rule", "chosen", "without_cut_check_same_fidelity_min")}, indent=1
        )
    )
    return 0


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)


if __name__ == "__main__":
    raise SystemExit(main())
