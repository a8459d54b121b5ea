"""Choose how a generator's batches are planned on CPU, on development documents.

    python eval/batch_plan.py --model fast --docs 4:9 --plans plain,2,4,6.6,12,24 --repeats 2
    python eval/batch_plan.py --model fast --docs 4:9 --plans 6.6 --rows 0,48,32,24

Documents: NTREX-128 documents [a:b) written as articles (the default 4:9 leaves out the
first three, on which eval/speed.py reports). In one process: the Argos-style baseline (one
decode call per paragraph, as eval/speed.py) and xling's BatchTranslator (guards off: the same work)
under each plan — `plain`: length-sorted batches under the token budget (token_batches), a
number: prompt_batches with that step cost (`step_fixed_rows`) — and each row cap, the runs
interleaved `--repeats` times. The measure is CPU seconds of this process (steadier than wall
time on a shared machine); speed-up = baseline CPU seconds / the plan's, medians over the
repeats. Writes eval/results/batch-plan-dev.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from pathlib import Path

from common import machine, ntrex_documents

from xling.models.names import resolve_alias
from xling.text.segment import split_sentences
from xling.translate.batch import BatchOptions, BatchTranslator
from xling.translate.engine import NO_ROW_CAP, Engine, EngineOptions, load_engine

RESULTS = Path(__file__).resolve().parent / "results"


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def baseline(engine: Engine, paragraphs: list[list[str]]) -> int:
    return sum(
        hyps[0].length
        for paragraph in paragraphs
        for i in range(0, len(paragraph), 32)
        for hyps in engine.decode(paragraph[i : i + 32], beam=1, n_best=1)
    )


def batched(engine: Engine, sentences: list[str]) -> int:
    # guards off: the same work as the baseline (their cost is eval/speed.py's to show)
    guards_off = BatchOptions(number_guard=False, length_check=False, script_guard=False)
    translator = BatchTranslator(engine, guards_off)
    return sum(r.target_tokens for r in translator.translate(sentences))


def measure(run, *args) -> dict:
    load, cpu, wall = os.getloadavg()[0], cpu_seconds(), time.perf_counter()
    tokens = run(*args)
    return {
        "cpu_seconds": round(cpu_seconds() - cpu, 2),
        "seconds": round(time.perf_counter() - wall, 2),
        "target_tokens": tokens,
        "load_average_1min": [round(load, 2), round(os.getloadavg()[0], 2)],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="fast")
    parser.add_argument("--docs", default="4:9", help="NTREX documents a:b (0-based, b excluded)")
    parser.add_argument("--rows", default="32", help="row caps to try; 0 = no cap")
    parser.add_argument("--plans", default="plain,6.6", help="plain and/or step costs")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    first, last = (int(x) for x in args.docs.split(":"))
    articles = ntrex_documents(last)[first:]
    paragraphs = [split_sentences(line) for _, lines in articles for line in lines]
    flat = [s for p in paragraphs for s in p]
    model = resolve_alias(args.model)
    configs = [("argos", 0.0, NO_ROW_CAP)] + [
        (f"{plan} rows={int(cap) or 'none'}", -1.0 if plan == "plain" else float(plan), int(cap))
        for plan in args.plans.split(",")
        for cap in args.rows.split(",")
    ]
    report = {
        "model": model,
        "documents": f"NTREX-128 [{first}:{last})",
        "sentences": len(flat),
        "machine": machine(),
        "runs": [],
    }
    runs: dict[str, list[dict]] = {}
    for _ in range(args.repeats):
        for name, fixed, cap in configs:
            options = EngineOptions(step_fixed_rows=fixed, batch_rows=cap or NO_ROW_CAP)
            engine = load_engine(model, options)
            row = (
                measure(baseline, engine, paragraphs)
                if name == "argos"
                else measure(batched, engine, flat)
            )
            runs.setdefault(name, []).append(row)
            print(name, json.dumps(row), flush=True)
    base = statistics.median(r["cpu_seconds"] for r in runs["argos"])
    for name, rows in runs.items():
        cpu = statistics.median(r["cpu_seconds"] for r in rows)
        report["runs"].append(
            {
                "mode": name,
                "cpu_seconds_median": cpu,
                "speedup_cpu": round(base / cpu, 2),
                "repeats": rows,
            }
        )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "batch-plan-dev.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print("| mode | CPU s (median) | speed-up (CPU time) |\n|---|---|---|")
    for r in report["runs"]:
        print(f"| {r['mode']} | {r['cpu_seconds_median']} | {r['speedup_cpu']}× |")


if __name__ == "__main__":
    main()
