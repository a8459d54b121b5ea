"""Arabic letters left in the English (issue 13): how many lines have them after the first pass,
after the number guard's n-best, and after the script guard (re-decoded with every Arabic-script
target token suppressed); chrF of the lines the script guard changed, before and after.

    python eval/untranslated.py --model quality --corpus flores --limit 100

FLORES-200 devtest is the held-out report set (nothing here is tuned: the guard has no
threshold). Writes eval/results/untranslated-<model>-<corpus>-<limit>.json.
"""

from __future__ import annotations

import argparse
import json
import time

import sacrebleu
from common import ROOT, flores, machine, ntrex

from xling.models.names import resolve_alias
from xling.translate.batch import BatchOptions, BatchTranslator
from xling.translate.engine import EngineOptions, load_engine
from xling.translate.script import arabic_runs

CHRF = sacrebleu.metrics.CHRF()


def chrf(hyps: list[str], refs: list[str]) -> float | None:
    return round(CHRF.corpus_score(hyps, [refs]).score, 2) if hyps else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="quality")
    parser.add_argument("--corpus", choices=("flores", "ntrex"), default="flores")
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()

    sources, refs = flores(args.limit) if args.corpus == "flores" else ntrex(args.limit)[:2]
    model = resolve_alias(args.model)
    engine = load_engine(model, EngineOptions(threads=args.threads))
    translator = BatchTranslator(engine, BatchOptions())
    started = time.perf_counter()
    results = list(translator.translate(sources))
    elapsed = time.perf_counter() - started
    stats = translator.stats
    first = [r.first or r.text for r in results]  # greedy, before the number and script guards
    final = [r.text for r in results]
    changed = [i for i in range(len(sources)) if arabic_runs(first[i]) and first[i] != final[i]]
    report = {
        "model": model,
        "corpus": f"{args.corpus}[:{args.limit}]",
        "split": "held-out (FLORES devtest)" if args.corpus == "flores" else "dev (NTREX)",
        "lines": len(sources),
        "lines_with_arabic_first_pass": sum(bool(arabic_runs(t)) for t in first),
        # pieces (sentences here: none is split) the number guard's n-best left with Arabic
        "pieces_with_arabic_after_number_guard": stats.script_tried,
        "script_guard_pieces_fixed": stats.script_fixed,
        "lines_with_arabic_final": sum(bool(arabic_runs(t)) for t in final),
        "flagged_untranslated": sum(r.untranslated for r in results),
        "chrf_lines_with_arabic_first_pass": chrf(
            [first[i] for i in changed], [refs[i] for i in changed]
        ),
        "chrf_same_lines_final": chrf([final[i] for i in changed], [refs[i] for i in changed]),
        "chrf_all_first_pass": chrf(first, refs),
        "chrf_all_final": chrf(final, refs),
        "chrf_signature": str(CHRF.get_signature()),
        "seconds": round(elapsed, 1),
        "sentences_per_second": round(len(sources) / elapsed, 3),
        "examples": [
            {"src": sources[i], "first": first[i], "final": final[i], "ref": refs[i]}
            for i in changed
        ],
        "machine": machine(),
    }
    out = ROOT / "eval" / "results" / f"untranslated-{model}-{args.corpus}-{args.limit}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "examples"}, indent=1))


if __name__ == "__main__":
    main()
