"""Speed of xling's engine against an Argos-style baseline, same model, inputs and threads.

    python eval/speed.py --model fast,quality --docs 3   # every mode of each model, one table
    python eval/speed.py --model fast --docs 8 --mode xling   # one mode (used internally)

Input: the first --docs NTREX-128 documents written as articles, one paragraph per line.
Modes, each in its own subprocess (so peak RSS is its own), one after the other:
- argos: what argos-translate does — one decode call per paragraph, its sentences in
  sub-batches of 32, greedy;
- argos/sentence: one decode call per sentence (a generator reads the part of a batch's
  prompts beyond the shortest one token per step, so a paragraph's call pays for its spread of
  prompt lengths; this row shows what the baseline costs without that);
- xling: the streaming BatchTranslator across articles (length-sorted batches under a token
  budget; a generator's cut where prompt lengths differ: batch.prompt_batches), greedy, every
  guard off (number, length, script: the same work as the baseline);
- xling+guards: the same with the guards on, as `xling translate` runs by default (the extra
  work they cost: re-decoding what lost a number, came out far too short or long, or kept
  Arabic letters);
- xling/article: as xling, but each article's sentences batched on their own (what
  `xling translate --article-batches` does: an article's translation does not depend on the others).
Every mode uses the same engine, prompts included (a generator's shared prompt part is read
once as CTranslate2's static prompt, by the baseline too). Speed-up ratios are against the
baseline of the same model in the same command; the load average is recorded beside each row
(the machine is shared); `--repeats R` runs every mode R times, interleaved, and reports the
median (speed and CPU time). Writes eval/results/speed-<device>-<N>docs[-<R>x].json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import machine, ntrex_documents

from xling.models.names import resolve_alias
from xling.text.segment import split_sentences
from xling.translate.batch import BatchOptions, BatchTranslator
from xling.translate.engine import EngineOptions, load_engine

MODES = ("argos", "argos/sentence", "xling", "xling+guards", "xling/article")
# the same work as the baseline: no second decoding of any sentence
GUARDS_OFF = BatchOptions(number_guard=False, length_check=False, script_guard=False)
RESULTS = Path(__file__).resolve().parent / "results"


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_mode(mode: str, model: str, docs: int, device: str, batch_tokens: int) -> dict:
    articles = ntrex_documents(docs)
    paragraphs = [[s for s in split_sentences(line)] for _, lines in articles for line in lines]
    engine = load_engine(model, EngineOptions(device=device, batch_tokens=batch_tokens))
    sentences = sum(len(p) for p in paragraphs)
    tokens = 0
    load_before = os.getloadavg()[0]
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    if mode == "argos":
        for paragraph in paragraphs:
            for i in range(0, len(paragraph), 32):
                for hyps in engine.decode(paragraph[i : i + 32], beam=1, n_best=1):
                    tokens += hyps[0].length
    elif mode == "argos/sentence":
        for sentence in (s for p in paragraphs for s in p):
            tokens += engine.decode([sentence], beam=1, n_best=1)[0][0].length
    elif mode == "xling/article":
        translator = BatchTranslator(engine, GUARDS_OFF)
        for _, lines in articles:
            flat = [s for line in lines for s in split_sentences(line)]
            for result in translator.translate(flat):
                tokens += result.target_tokens
    else:
        options = BatchOptions() if mode == "xling+guards" else GUARDS_OFF
        translator = BatchTranslator(engine, options)
        flat = [s for p in paragraphs for s in p]
        for result in translator.translate(flat):
            tokens += result.target_tokens
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before
    return {
        "mode": mode,
        "sentences": sentences,
        "seconds": round(seconds, 2),
        "sentences_per_s": round(sentences / seconds, 3),
        # CPU seconds this process used (all threads): steadier than wall time on a machine
        # shared with other jobs, which takes cores away from one mode and not another
        "cpu_seconds": round(cpu, 1),
        "sentences_per_cpu_s": round(sentences / cpu, 3),
        "target_tokens_per_s": round(tokens / seconds, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "device": engine.device,
        "compute_type": engine.compute_type,
        "threads": engine.threads,
        "batch_tokens": engine.batch_tokens,
        "static_prompt_tokens": len(getattr(engine, "static_tokens", [])),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def run_model(model: str, args: argparse.Namespace) -> list[dict]:
    runs: dict[str, list[dict]] = {mode: [] for mode in MODES}
    for _ in range(args.repeats):  # modes interleaved: a change of load hits every mode
        for mode in MODES:
            cmd = [
                sys.executable,
                str(Path(__file__)),
                "--model",
                model,
                "--docs",
                str(args.docs),
                "--device",
                args.device,
                "--batch-tokens",
                str(args.batch_tokens),
                "--mode",
                mode,
            ]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
            runs[mode].append(json.loads(out.strip().splitlines()[-1]))
            print(json.dumps(runs[mode][-1]), file=sys.stderr, flush=True)
    rows = []
    for mode in MODES:
        # the run of median speed, with the medians of both measures over the repeats
        ordered = sorted(runs[mode], key=lambda r: r["sentences_per_s"])
        row = dict(ordered[len(ordered) // 2])
        for key in ("sentences_per_s", "sentences_per_cpu_s"):
            row[key] = round(statistics.median(r[key] for r in runs[mode]), 3)
        if args.repeats > 1:
            row["repeats"] = [
                {k: r[k] for k in ("seconds", "cpu_seconds", "load_average_1min")}
                for r in runs[mode]
            ]
        rows.append(row)
    base, base_cpu = rows[0]["sentences_per_s"], rows[0]["sentences_per_cpu_s"]
    single, single_cpu = rows[1]["sentences_per_s"], rows[1]["sentences_per_cpu_s"]
    for row in rows:
        row["speedup"] = round(row["sentences_per_s"] / base, 2)
        row["speedup_cpu"] = round(row["sentences_per_cpu_s"] / base_cpu, 2)
        # against the faster-per-sentence variant of the baseline too
        row["speedup_vs_sentence"] = round(row["sentences_per_s"] / single, 2)
        row["speedup_cpu_vs_sentence"] = round(row["sentences_per_cpu_s"] / single_cpu, 2)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="fast", help="a model, or several joined by commas")
    parser.add_argument("--docs", type=int, default=3)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--batch-tokens", type=int, default=0)
    parser.add_argument("--mode", choices=MODES)
    parser.add_argument("--repeats", type=int, default=1, help="runs of every mode, interleaved")
    args = parser.parse_args()
    models = [resolve_alias(m) for m in args.model.split(",")]
    if args.mode:
        print(json.dumps(run_mode(args.mode, models[0], args.docs, args.device, args.batch_tokens)))
        return
    report = {"docs": args.docs, "repeats": args.repeats, "machine": machine(), "models": {}}
    for model in models:
        report["models"][model] = run_model(model, args)
    device = report["models"][models[0]][0]["device"]
    RESULTS.mkdir(exist_ok=True)
    repeats = f"-{args.repeats}x" if args.repeats > 1 else ""
    path = RESULTS / f"speed-{device}-{args.docs}docs{repeats}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"({machine()})")
    print(
        "| model | mode | sentences/s | target tokens/s | peak RSS MiB | load avg | speed-up "
        "| speed-up in CPU time | against argos/sentence (wall, CPU) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for model, rows in report["models"].items():
        for row in rows:
            load = "–".join(str(x) for x in row["load_average_1min"])
            print(
                f"| {model} | {row['mode']} | {row['sentences_per_s']} | "
                f"{row['target_tokens_per_s']} | {row['peak_rss_mib']} | {load} | "
                f"{row['speedup']}× | {row['speedup_cpu']}× | "
                f"{row['speedup_vs_sentence']}×, {row['speedup_cpu_vs_sentence']}× |"
            )


if __name__ == "__main__":
    main()
