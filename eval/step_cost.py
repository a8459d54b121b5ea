"""What one decoding step of a generator costs on this machine, by batch size and prompt spread.

    python eval/step_cost.py --model fast

Two measurements, CPU seconds of this process, one NTREX-128 sentence's prompt (the first
document's sentence whose own prompt is nearest 40 tokens), the engine's static prompt:
- per batch size B: the CPU time of 21 generated tokens minus that of 1 (the prompt read),
  per token, with the output length forced (min_length); this is what the row cap
  (engine.CPU_LOGITS_PER_BATCH) and the step cost of batch.prompt_batches rest on;
- prompt spread: 16 prompts of one length against 15 of it and one much longer one, prompt
  read only (max_length 1): CTranslate2 reads what a batch's longer prompts have beyond the
  shortest one token per step, for every row.
Writes eval/results/step-cost-<device>.json.
"""

from __future__ import annotations

import argparse
import json
import resource
from pathlib import Path

from common import machine, ntrex_documents

from xling.models.names import resolve_alias
from xling.text.segment import split_sentences
from xling.translate.engine import EngineOptions, GeneratorEngine, load_engine

RESULTS = Path(__file__).resolve().parent / "results"


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def generate(engine: GeneratorEngine, prompts: list[list[str]], steps: int, forced: bool) -> float:
    before = cpu_seconds()
    engine.model.generate_batch(
        prompts,
        max_length=steps,
        min_length=steps if forced else 0,
        sampling_topk=1,
        include_prompt_in_result=False,
        static_prompt=engine.static_tokens or None,
        cache_static_prompt=True,
        end_token=engine.end_tokens or None,
    )
    return cpu_seconds() - before


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="fast")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--batches", default="1,2,4,8,16,24,32,40,48,64")
    args = parser.parse_args()
    engine = load_engine(resolve_alias(args.model), EngineOptions(device=args.device))
    if not isinstance(engine, GeneratorEngine):
        raise SystemExit("step_cost.py measures generators (prompted decoders)")
    _, lines = ntrex_documents(1)[0]
    prompts = sorted(
        (engine.prompt_tokens(s) for line in lines for s in split_sentences(line)), key=len
    )
    prompt = min(prompts, key=lambda p: abs(len(p) - 40))
    short, longest = prompts[0], prompts[-1]
    generate(engine, [prompt, prompt], 2, True)  # warm up: the static prompt's state
    per_batch = []
    for size in (int(x) for x in args.batches.split(",")):
        read = generate(engine, [prompt] * size, 1, True)
        full = generate(engine, [prompt] * size, 21, True)
        per_batch.append(
            {
                "rows": size,
                "prompt_read_ms_per_row": round(read / size * 1000, 1),
                "cpu_ms_per_token": round((full - read) / (size * 20) * 1000, 2),
            }
        )
        print(json.dumps(per_batch[-1]), flush=True)
    same = generate(engine, [short] * 16, 1, False)
    mixed = generate(engine, [short] * 15 + [longest], 1, False)
    spread = {
        "short_prompt_tokens": len(short),
        "long_prompt_tokens": len(longest),
        "cpu_s_16_short": round(same, 3),
        "cpu_s_15_short_1_long": round(mixed, 3),
        "ratio": round(mixed / same, 2),
    }
    print(json.dumps(spread))
    report = {
        "model": engine.info.name,
        "device": engine.device,
        "threads": engine.threads,
        "machine": machine(),
        "prompt_tokens": len(prompt),
        "static_prompt_tokens": len(engine.static_tokens),
        "per_batch": per_batch,
        "prompt_spread": spread,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"step-cost-{engine.device}.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
