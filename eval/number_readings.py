"""Number flags of `xling audit` on untouched human translations: UNPC v1.0 dev line pairs.

Every line pair is audited as a one-line document (no encoder, no MT: the number check does
not use them). The UN's Arabic is a faithful human translation, so nearly every `changed` or
`qualifier_changed` flag here is a reading error of the audit: this counts them, by verdict
and by severity, and lists the lines for reading by hand. No threshold is tuned here;
the dev half was read to write reading rules (below), the test half never was.

Run it on the code of another commit to compare (the script only imports `xling`):
  git archive 023b1af xling | tar -x -C /tmp/base
  PYTHONPATH=/tmp/base python eval/number_readings.py --split test --label before
  PYTHONPATH=$PWD python eval/number_readings.py --split test --label after
Line pairs are split by UN document: `dev` (every other document) is the part read to find
reading errors, `test` the part reported and never read.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from common import CORPORA, need

from xling.audit.run import audit_document, build_report, settings


def corrupt(ar: str, numbers: list[dict]) -> str | None:
    """`ar` with the last digit of its first kept number of 2+ digits raised by one (9 -> 0),
    or None when it has none."""
    for item in numbers:
        side = item["ar"]
        if item["verdict"] != "kept" or side is None:
            continue
        start, end = side["span"]
        digits = [p for p in range(start, end) if ar[p].isdigit()]
        if len(digits) < 2:
            continue
        p = digits[-1]
        new = str((int(ar[p]) + 1) % 10).translate(_SAME_SCRIPT[ar[p] in "٠١٢٣٤٥٦٧٨٩"])
        return ar[:p] + new + ar[p + 1 :]
    return None


_SAME_SCRIPT = {False: str.maketrans("", ""), True: str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True, help="name of the run (before, after)")
    parser.add_argument(
        "--split",
        choices=("dev", "test", "all"),
        default="test",
        help="dev: line pairs of the 1st, 3rd, ... UN document (by symbol, in file order), "
        "read to find reading errors; test: the others, never read [default: test]",
    )
    parser.add_argument("--limit", type=int, default=None, help="first N line pairs")
    parser.add_argument(
        "--corrupt",
        action="store_true",
        help="also change one digit of a kept Arabic number per line pair (its last digit + 1) "
        "and count the pairs where the audit then flags a number: the recall the new readings "
        "must not lose",
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    folder = need(CORPORA / "unpc-v1.0-dev")
    en = (folder / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()[: args.limit]
    ar = (folder / "UNv1.0.devset.ar").read_text(encoding="utf-8").splitlines()[: args.limit]
    symbols = [
        line.split()[0]
        for line in (folder / "UNv1.0.devset.ids").read_text(encoding="utf-8").splitlines()
    ][: args.limit]
    order = {sym: n for n, sym in enumerate(dict.fromkeys(symbols))}
    keep = {"dev": 0, "test": 1}.get(args.split)
    verdicts: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    severity: Counter[str] = Counter()
    lines_with: Counter[str] = Counter()
    examples: list[dict] = []
    pairs = corrupted = detected = 0
    for k, (e, a) in enumerate(zip(en, ar, strict=True)):
        if not e.strip() or not a.strip():
            continue
        if keep is not None and order[symbols[k]] % 2 != keep:
            continue
        pairs += 1
        report = build_report([audit_document(str(k), e, a)], settings(None, None))
        numbers = report["documents"][0]["numbers"]
        seen = set()
        for item in numbers:
            verdicts[item["verdict"]] += 1
            if not item["flagged"]:
                continue
            flagged[item["verdict"]] += 1
            if "severity" in item:
                severity[item["severity"]] += 1
            seen.add(item["verdict"])
            if item["verdict"] in ("changed", "qualifier_changed"):
                examples.append({"line": k + 1, "note": item["evidence"]["note"]})
        for v in seen:
            lines_with[v] += 1
        if args.corrupt and (changed := corrupt(a, numbers)) is not None:
            corrupted += 1
            report = build_report([audit_document(str(k), e, changed)], settings(None, None))
            found = report["documents"][0]["scores"]["flagged"] > len(
                [n for n in numbers if n["flagged"]]
            )
            detected += found
    result = {
        "label": args.label,
        "corpus": "UNPC v1.0 dev (UNv1.0.devset.en/.ar), one document per line pair",
        "split": args.split,
        "documents": sum(1 for n in order.values() if keep is None or n % 2 == keep),
        "line_pairs": pairs,
        "number_items": dict(verdicts),
        "flagged": dict(flagged),
        "severity": dict(severity) or None,
        "lines_with_flag": dict(lines_with),
        "changed_and_qualifier_examples": examples,
    }
    if args.corrupt:
        result["corruption"] = {
            "line_pairs_corrupted": corrupted,
            "flagged_more_after_corruption": detected,
            "recall": round(detected / corrupted, 4) if corrupted else None,
        }
    out = (
        args.out
        or Path(__file__).parent
        / "results"
        / f"number_readings-unpc-{args.split}-{args.label}.json"
    )
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "changed_and_qualifier_examples"}))


if __name__ == "__main__":
    main()
