"""The presets on FLORES-200 devtest (held out: no setting was chosen on it), as one table.

    python eval/quality.py --preset balanced --corpus flores --limit 1012 --threads 1
    python eval/quality.py --preset fast --corpus flores --limit 1012 --threads 1
    python eval/quality.py --preset best --corpus flores --limit 100 --threads 1
    python eval/presets_flores.py

`balanced` and `fast` on all 1,012 lines; `best` (3.3× slower on dev) on the first 100, beside
`balanced` on the same 100 lines of its full run, with sacrebleu's paired bootstrap. Writes
eval/results/presets-flores.json and fills the presets-flores block of eval/RESULTS.md.
"""

from __future__ import annotations

import json

from common import OUT, ROOT, fill_results, machine
from quality import scores
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.significance import PairedTest

RUNS = {
    "balanced": "quality-qwen2.5-coder-1.5b-flores-1012-balanced",
    "fast": "quality-gemma3-270m-flores-1012-fast",
    "best": "quality-qwen2.5-coder-1.5b-flores-100-best",
}


def load(tag: str) -> tuple[dict, list[dict]]:
    report = json.loads((OUT / f"{tag}.json").read_text(encoding="utf-8"))
    rows = [json.loads(x) for x in (OUT / f"{tag}.mt.jsonl").read_text().splitlines()]
    return report, rows


def main() -> None:
    out: dict = {"machine": machine(), "corpus": "FLORES-200 devtest (held out)", "rows": []}
    runs = {name: load(tag) for name, tag in RUNS.items()}
    for name, (report, rows) in runs.items():
        final = scores([r["ref"] for r in rows], [r["mt"] for r in rows], [r["src"] for r in rows])
        out["rows"].append(
            {
                "preset": name,
                "lines": len(rows),
                **{k: final[k] for k in ("chrf", "bleu", "numbers_kept")},
                "ref_sentences_with_numbers": final["ref_sentences_with_numbers"],
                "lines_with_arabic_letters": final["lines_with_arabic_letters"],
                "sentences_flagged_numbers_ok_false": report["flagged_numbers_ok_false"],
                "sentences_per_s": report["sentences_per_s"],
                "threads": 1,
            }
        )
    # best against balanced on the same first 100 lines
    best_rows = runs["best"][1]
    balanced_rows = runs["balanced"][1][: len(best_rows)]
    refs = [r["ref"] for r in best_rows]
    test = PairedTest(
        [("balanced", [r["mt"] for r in balanced_rows]), ("best", [r["mt"] for r in best_rows])],
        {"BLEU": BLEU(), "chrF": CHRF()},
        [refs],
        test_type="bs",
        n_samples=1000,
    )
    _, results = test()
    out["first_100"] = {
        name: {
            "chrf": round(float(results["chrF2"][i].score), 2),
            "bleu": round(float(results["BLEU"][i].score), 2),
            "chrf_p_vs_balanced": None if i == 0 else float(results["chrF2"][i].p_value),
        }
        for i, name in enumerate(("balanced", "best"))
    }
    path = ROOT / "eval" / "results" / "presets-flores.json"
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    lines = [
        "**FLORES-200 devtest** (held out; `eval/presets_flores.py`, "
        "`eval/results/presets-flores.json`; 1 CPU thread per run, another job on the other "
        "core):",
        "",
        "| preset | lines | chrF | BLEU | numbers kept | lines with Arabic letters | "
        "flagged numbers_ok=false | sentences/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in out["rows"]:
        lines.append(
            f"| `{row['preset']}` | {row['lines']} | {row['chrf']:.2f} | {row['bleu']:.2f} | "
            f"{row['numbers_kept']:.1%} (of {row['ref_sentences_with_numbers']}) | "
            f"{row['lines_with_arabic_letters']} | {row['sentences_flagged_numbers_ok_false']} | "
            f"{row['sentences_per_s']:.2f} |"
        )
    first = out["first_100"]
    lines += [
        "",
        f"On the first 100 lines, `best` {first['best']['chrf']:.2f} chrF / "
        f"{first['best']['bleu']:.2f} BLEU against `balanced` {first['balanced']['chrf']:.2f} / "
        f"{first['balanced']['bleu']:.2f} (paired bootstrap p = "
        f"{first['best']['chrf_p_vs_balanced']:.3f} for chrF).",
    ]
    fill_results("presets-flores", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
