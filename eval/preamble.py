"""Chat preambles ("Here is the English translation:") in finished runs, and the same sentences
translated again with the current code (issue 13: no invented sentence in the English).

    python eval/preamble.py eval/out/name-memory-qwen2.5-coder-1.5b-123.mt.jsonl \\
        eval/out/quality-qwen2.5-coder-1.5b-flores-1012-balanced.mt.jsonl --threads 1

For each run file ({"src", "mt"[, "ref"]} per line): the lines whose output holds a preamble
(`xling.translate.preamble.strip_preamble` changes them), then those sources translated again
by the quality model with every default (the preamble taken out, an empty result re-decoded by
the guard). Writes eval/results/preamble.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from common import ROOT, machine
from sacrebleu.metrics import CHRF

from xling.translate.batch import BatchOptions, BatchTranslator
from xling.translate.engine import EngineOptions, load_engine
from xling.translate.preamble import strip_preamble


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="+", type=Path)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()

    found = []
    totals = {}
    for run in args.runs:
        rows = [json.loads(x) for x in run.read_text(encoding="utf-8").splitlines()]
        totals[run.name] = len(rows)
        found += [(run.name, r) for r in rows if strip_preamble(r["mt"]) != r["mt"]]
    engine = load_engine("quality", EngineOptions(threads=args.threads))
    again = list(BatchTranslator(engine, BatchOptions()).translate([r["src"] for _, r in found]))
    chrf = CHRF()
    items = []
    for (name, row), result in zip(found, again, strict=True):
        item = {"run": name, "src": row["src"], "before": row["mt"], "now": result.text}
        if row.get("ref"):
            item["ref"] = row["ref"]
            for key in ("before", "now"):
                item[f"chrf_{key}"] = round(chrf.sentence_score(item[key], [row["ref"]]).score, 1)
        item["preamble_left"] = strip_preamble(result.text) != result.text
        items.append(item)
    report = {
        "machine": machine(),
        "lines_read": totals,
        "lines_with_a_preamble": {n: sum(i["run"] == n for i in items) for n in totals},
        "now_empty": sum(not i["now"] for i in items),
        "now_with_a_preamble_word": sum(
            "translation" in i["now"].lower() and ":" in i["now"] for i in items
        ),
        "items": items,
    }
    out = ROOT / "eval" / "results" / "preamble.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "items"}, indent=1))
    for i in items:
        print(i["run"][:20], "|", i["before"][:70], "=>", i["now"][:70])


if __name__ == "__main__":
    main()
