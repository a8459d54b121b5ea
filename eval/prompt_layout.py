"""Few-shot prompt layouts of a generator, compared on NTREX-128 (dev): quality and time.

    python eval/prompt_layout.py --model fast --lines 60
    # writes eval/results/prompt-layout-<model>-ntrex-<lines>.json

Layouts (SHOTS/OWN: OWN of the SHOTS examples chosen per input, the rest a fixed block shared
by every input and read once as CTranslate2's static prompt):
- 4/4: the earlier layout, every example chosen per input (nothing shared but "<bos>");
- 4/0: a shared block of 4; - 4/1: 3 shared + 1 chosen per input; - 8/0: a shared block of 8;
- 2/0, 3/0: shared blocks of 2 and 3 (a shorter context: cheaper per decoding step).
Input: every 24th NTREX line (a spread over its documents), greedy, number guard off (the
prompt's own effect), the same engine settings for every layout, one after the other in this
process. NTREX is the dev split here: the layout is chosen on it, not on FLORES devtest.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from common import machine, ntrex
from quality import scores

from xling.models.names import resolve_alias
from xling.translate.batch import BatchOptions, BatchTranslator
from xling.translate.engine import EngineOptions, load_engine

RESULTS = Path(__file__).resolve().parent / "results"
LAYOUTS = ((4, 4), (4, 0), (4, 1), (8, 0), (2, 0), (3, 0))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="fast")
    parser.add_argument("--lines", type=int, default=80)
    parser.add_argument("--layouts", default=",".join(f"{s}/{o}" for s, o in LAYOUTS))
    args = parser.parse_args()
    model = resolve_alias(args.model)
    ar, en, _ = ntrex()
    sources, refs = ar[::24][: args.lines], en[::24][: args.lines]
    rows = []
    for layout in args.layouts.split(","):
        shots, own = (int(x) for x in layout.split("/"))
        engine = load_engine(model, EngineOptions(shots=shots, own_shots=own))
        translator = BatchTranslator(engine, BatchOptions(number_guard=False))
        started = time.perf_counter()
        hyps = [r.text for r in translator.translate(sources)]
        seconds = time.perf_counter() - started
        row = {
            "shots": shots,
            "own_shots": own,
            "static_tokens": len(engine.static_tokens),
            "own_tokens_mean": round(sum(engine.input_length(s) for s in sources) / len(sources)),
            "seconds": round(seconds, 1),
            "sentences_per_s": round(len(sources) / seconds, 3),
            "load_average_1min": round(os.getloadavg()[0], 2),
            **scores(refs, hyps, sources),
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
        del engine, translator
    report = {
        "model": model,
        "corpus": "ntrex128 (dev), every 24th line",
        "lines": len(sources),
        "machine": machine(),
        "rows": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"prompt-layout-{model}-ntrex-{len(sources)}.json"
    if path.exists():  # rows of other layouts from an earlier run are kept (times: their own)
        done = {(r["shots"], r["own_shots"]) for r in rows}
        old = json.loads(path.read_text(encoding="utf-8"))["rows"]
        rows = [r for r in old if (r["shots"], r["own_shots"]) not in done] + rows
        report["rows"] = rows
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("| shots / per input | static tokens | own tokens | chrF | numbers kept | s/sentence |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['shots']} / {r['own_shots']} | {r['static_tokens']} | {r['own_tokens_mean']} "
            f"| {r['chrf']} | {r['numbers_kept']} ({r['ref_sentences_with_numbers']}) "
            f"| {round(r['seconds'] / len(sources), 2)} |"
        )


if __name__ == "__main__":
    main()
