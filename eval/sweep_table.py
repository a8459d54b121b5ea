"""The decoding sweep of issue 13 on the development split, as one table: chrF, BLEU, numbers
kept and speed of each setting, with sacrebleu's paired bootstrap test of chrF and BLEU against
the greedy default (the same lines).

    python eval/sweep_table.py    # after the runs listed in eval/RESULTS.md, "Presets"

Reads the runs' translations from eval/out; writes eval/results/translate-sweep-ntrex-100.json.
"""

from __future__ import annotations

import json

from common import OUT, ROOT, machine
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.significance import PairedTest

MODEL = "qwen2.5-coder-1.5b"
BASE = f"quality-{MODEL}-ntrex-100"
CAND = f"candidates-{MODEL}-ntrex-100-b4.jsonl"
# (label, file of translations, the field holding the output); each file's report (its
# sentences/s) is the same name ending in .json
RUNS = [
    ("greedy (balanced, the default)", f"{BASE}.mt.jsonl", "mt"),
    ("greedy, before guards", f"{BASE}.mt.jsonl", "first"),
    ("4 shared examples (chat turns)", f"{BASE}-shots4-own0.mt.jsonl", "mt"),
    ("2 examples chosen per input", f"{BASE}-shots2-own2.mt.jsonl", "mt"),
    ("repetition penalty 1.1", f"{BASE}-rp1.1.mt.jsonl", "mt"),
    ("beam 4, length penalty 0.6, all guards", f"{BASE}-beam4-lp0.6.mt.jsonl", "mt"),
    ("beam 4, length penalty 0.6 (before guards)", f"{BASE}-beam4-lp0.6.mt.jsonl", "first"),
    ("beam 4, its best (before guards)", CAND, "beam_best"),
    ("beam 4, MBR chrF (before guards)", CAND, "mbr"),
    ("beam 4, closest to source, e5 (before guards)", CAND, "e5"),
]


def main() -> None:
    base_rows = [json.loads(x) for x in (OUT / RUNS[0][1]).read_text().splitlines()]
    refs = [r["ref"] for r in base_rows]
    systems = []
    for label, name, field in RUNS:
        path = OUT / name
        if not path.exists():
            print(f"skipped (not run): {label}")
            continue
        rows = [json.loads(x) for x in path.read_text().splitlines()]
        assert [r["ref"] for r in rows] == refs, name
        # "first" is empty where the guards changed nothing: the output itself
        outputs = [r[field] or r["mt"] if field == "first" else r[field] for r in rows]
        systems.append((label, name, outputs))
    candidates = json.loads((OUT / f"candidates-{MODEL}-ntrex-100-b4.json").read_text())
    test = PairedTest(
        [(label, outputs) for label, _, outputs in systems],
        {"BLEU": BLEU(), "chrF": CHRF()},
        [refs],
        test_type="bs",
        n_samples=1000,
    )
    _, results = test()
    table = []
    for i, (label, name, _) in enumerate(systems):
        row = {"setting": label}
        for metric, key in (("chrF", "chrF2"), ("BLEU", "BLEU")):
            result = results[key][i]
            row[metric] = round(float(result.score), 2)
            row[f"{metric}_ci95"] = round(float(result.ci or 0), 2)
            row[f"{metric}_p_vs_greedy"] = None if result.p_value is None else float(result.p_value)
        report = OUT / name.replace(".mt.jsonl", ".json").replace(".jsonl", ".json")
        row["sentences_per_s"] = json.loads(report.read_text())["sentences_per_s"]
        table.append(row)
    out = {
        "corpus": "NTREX-128[:100] (development), quality model int8, 1 CPU thread per run "
        "(the length-penalty run: 2)",
        "machine": machine(),
        "test": "sacrebleu paired bootstrap, 1000 samples, against the first row",
        "beam4_mbr_with_guards": candidates["mbr_with_guards"],
        "rows": table,
    }
    path = ROOT / "eval" / "results" / "translate-sweep-ntrex-100.json"
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    for row in table:
        print(row)


if __name__ == "__main__":
    main()
