"""Speed of xling's engine against an Argos-style baseline, same model, inputs and threads.

    python eval/speed.py --model fast --docs 8            # runs every mode, prints the table
    python eval/speed.py --model fast --docs 8 --mode xling   # one mode (used internally)

Input: the first --docs NTREX-128 documents written as articles, one paragraph per line.
Modes, each in its own subprocess (so peak RSS is its own), one after the other:
- argos: what argos-translate does — one decode call per paragraph, its sentences in
  sub-batches of 32, greedy;
- xling: the streaming, length-sorted, token-budgeted BatchTranslator across articles, greedy,
  number guard off (the same work as the baseline);
- xling+guard: the same with the number guard on (the extra work it costs).
Speed-up ratios are against the baseline of the same command.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from common import machine, ntrex_documents, save

from xling.models.names import resolve_alias
from xling.text.segment import split_sentences
from xling.translate.batch import BatchOptions, BatchTranslator
from xling.translate.engine import EngineOptions, load_engine

MODES = ("argos", "xling", "xling+guard")


def run_mode(mode: str, model: str, docs: int, device: str, batch_tokens: int) -> dict:
    articles = ntrex_documents(docs)
    paragraphs = [[s for s in split_sentences(line)] for _, lines in articles for line in lines]
    engine = load_engine(model, EngineOptions(device=device, batch_tokens=batch_tokens))
    sentences = sum(len(p) for p in paragraphs)
    tokens = 0
    started = time.perf_counter()
    if mode == "argos":
        for paragraph in paragraphs:
            for i in range(0, len(paragraph), 32):
                for hyps in engine.decode(paragraph[i : i + 32], beam=1, n_best=1):
                    tokens += hyps[0].length
    else:
        translator = BatchTranslator(engine, BatchOptions(number_guard=mode == "xling+guard"))
        flat = [s for p in paragraphs for s in p]
        for result in translator.translate(flat):
            tokens += result.target_tokens
    seconds = time.perf_counter() - started
    return {
        "mode": mode,
        "sentences": sentences,
        "seconds": round(seconds, 2),
        "sentences_per_s": round(sentences / seconds, 3),
        "target_tokens_per_s": round(tokens / seconds, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "device": engine.device,
        "compute_type": engine.compute_type,
        "threads": engine.threads,
        "batch_tokens": engine.batch_tokens,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="fast")
    parser.add_argument("--docs", type=int, default=8)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--batch-tokens", type=int, default=0)
    parser.add_argument("--mode", choices=MODES)
    args = parser.parse_args()
    model = resolve_alias(args.model)
    if args.mode:
        print(json.dumps(run_mode(args.mode, model, args.docs, args.device, args.batch_tokens)))
        return
    rows = []
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
        rows.append(json.loads(out.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), file=sys.stderr)
    base = rows[0]["sentences_per_s"]
    for row in rows:
        row["speedup"] = round(row["sentences_per_s"] / base, 2)
    report = {"model": model, "docs": args.docs, "machine": machine(), "rows": rows}
    save(f"speed-{model}-{rows[0]['device']}-{args.docs}docs", report)
    print(f"| mode | sentences/s | target tokens/s | peak RSS MiB | speed-up |  ({machine()})")
    print("|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['mode']} | {row['sentences_per_s']} | {row['target_tokens_per_s']} | "
            f"{row['peak_rss_mib']} | {row['speedup']}× |"
        )


if __name__ == "__main__":
    main()
