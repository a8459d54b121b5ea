"""What the length check does with a real model: FLORES-200 devtest sentences (held out: the
bounds were learned on NTREX-128) and long run-on paragraphs made of 10 of them joined with
"،" (one sentence each, as in issue 9's collapsed paragraph), translated with the check off and
on in one command.

    .venv/bin/python eval/length_guard.py --model fast --sentences 40 --paragraphs 4
    # writes eval/results/length-guard-<model>.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import sacrebleu

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from eval.common import flores, machine  # noqa: E402
from xling.models.names import resolve_alias  # noqa: E402
from xling.translate.batch import BatchOptions, BatchTranslator  # noqa: E402
from xling.translate.engine import load_engine  # noqa: E402
from xling.translate.length import length_ok, ratio  # noqa: E402

OUT = Path(__file__).resolve().parent / "results"


def run_on(engine, sources: list[str], refs: list[str], check: bool) -> dict:
    translator = BatchTranslator(engine, BatchOptions(length_check=check))
    started = time.perf_counter()
    results = list(translator.translate(sources))
    hyps = [r.text for r in results]
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "outside_bounds": sum(not length_ok(s, h) for s, h in zip(sources, hyps, strict=True)),
        "ratios": [round(ratio(s, h), 3) for s, h in zip(sources, hyps, strict=True)],
        "pieces_redone": translator.stats.length_redone,
        "chrf": round(sacrebleu.corpus_chrf(hyps, [refs]).score, 2),
        "translations": hyps,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="fast")
    parser.add_argument("--sentences", type=int, default=40)
    parser.add_argument("--paragraphs", type=int, default=4)
    args = parser.parse_args()
    ar, en = flores()
    n = args.sentences
    sets = {"sentences": (ar[:n], en[:n])}
    paras_ar, paras_en = [], []
    for k in range(args.paragraphs):
        lines = range(n + 10 * k, n + 10 * (k + 1))
        paras_ar.append("، ".join(re.sub(r"[.؟!]+$", "", ar[i].strip()) for i in lines) + ".")
        paras_en.append(" ".join(en[i] for i in lines))
    sets["run_on_paragraphs"] = (paras_ar, paras_en)
    engine = load_engine(resolve_alias(args.model))
    result = {
        "command": f"python eval/length_guard.py --model {args.model} --sentences {n} "
        f"--paragraphs {args.paragraphs}",
        "machine": machine(),
        "model": engine.name,
        "corpus": "flores200-devtest (held out; bounds from ntrex128)",
    }
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"length-guard-{args.model}.json"
    for name, (sources, refs) in sets.items():
        result[name] = {
            "count": len(sources),
            "mean_source_chars": round(sum(map(len, sources)) / len(sources)),
        }
        for mode, check in (("check_off", False), ("check_on", True)):
            r = result[name][mode] = run_on(engine, sources, refs, check)
            # saved after each part: a slow shared machine still leaves what was measured
            path.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
            shown = {k: v for k, v in r.items() if k not in ("translations", "ratios")}
            print(name, mode, shown, flush=True)


if __name__ == "__main__":
    main()
