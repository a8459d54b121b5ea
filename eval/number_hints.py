"""The number retries (issue 13: numbers kept): the sentences of a finished run whose English
lost a source number, translated again without and with a retry, in one process, the same
batches. `--retry hints` (the default): the lost number words written in English
(`BatchOptions.number_hints`, the halves retry off in both); `--retry halves`: what still misses
a number translated in two halves (`BatchOptions.number_halves`, every other guard on in both).

    python eval/number_hints.py eval/out/name-memory-qwen2.5-coder-1.5b-123.mt.jsonl --corpus ntrex
    python eval/number_hints.py eval/out/quality-qwen2.5-coder-1.5b-flores-1012-balanced.mt.jsonl
    python eval/number_hints.py eval/out/name-memory-qwen2.5-coder-1.5b-123.mt.jsonl \
        --corpus ntrex --retry halves --threads 1

The run file has {"src", "mt"[, "ref"]} per line (for NTREX, without "ref", the reference is the
line of the corpus with the same number). `whole_run`: the scores of all the run's lines with
those sentences replaced. Writes eval/results/number-<retry>-<run>.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from common import ROOT, machine, ntrex
from quality import scores

from xling.text.numbers import missing_numbers
from xling.translate.batch import BatchOptions, BatchTranslator
from xling.translate.engine import EngineOptions, load_engine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("run", type=Path)
    parser.add_argument("--corpus", choices=("ntrex", "file"), default="file")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--retry", choices=("hints", "halves"), default="hints")
    args = parser.parse_args()

    rows = [json.loads(x) for x in args.run.read_text(encoding="utf-8").splitlines()]
    if args.corpus == "ntrex":
        _, en, _ = ntrex()
        for row, ref in zip(rows, en, strict=True):
            row["ref"] = ref
    lost = [r for r in rows if missing_numbers(r["src"], "ar", r["mt"], "en")]
    sources, refs = [r["src"] for r in lost], [r["ref"] for r in lost]
    engine = load_engine("quality", EngineOptions(threads=args.threads))
    report: dict = {
        "run": args.run.name,
        "machine": machine(),
        "lines": len(rows),
        "lines_missing_a_source_number": len(lost),
        "retry": args.retry,
    }
    for label, on in (("without", False), ("with", True)):
        if args.retry == "hints":
            options = BatchOptions(number_hints=on, number_halves=False)
        else:
            options = BatchOptions(number_halves=on)
        translator = BatchTranslator(engine, options)
        mts = [r.text for r in translator.translate(sources)]
        report[label] = {
            **scores(refs, mts, sources),
            "hint_tried": translator.stats.hint_tried,
            "hint_fixed": translator.stats.hint_fixed,
            "halves_tried": translator.stats.halves_tried,
            "halves_fixed": translator.stats.halves_fixed,
            "examples": [{"src": s, "mt": m} for s, m in list(zip(sources, mts, strict=True))[:40]],
        }
        # the whole run with those lines replaced: what a run with(out) the retry would read
        replaced = dict(zip(sources, mts, strict=True))
        whole = [replaced.get(r["src"], r["mt"]) for r in rows]
        report[label]["whole_run"] = scores(
            [r["ref"] for r in rows], whole, [r["src"] for r in rows]
        )
        print(label, {k: v for k, v in report[label].items() if k != "examples"})
    out = ROOT / "eval" / "results" / f"number-{args.retry}-{args.run.stem.replace('.mt', '')}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
