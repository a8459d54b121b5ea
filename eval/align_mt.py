"""Machine-translate the Arabic sentences of the sentence-alignment test documents, once.

    python eval/align_mt.py --model fast --every 6            # tuning subset (even docs)
    python eval/align_mt.py --model fast --every 12 --start 3  # held-out subset (odd docs)

The MT signal of `eval/sentence_align.py` needs an English MT of every Arabic sentence of the
test documents, exactly as they appear there (merged and split sentences included). On this
CPU the fast model does one or two sentences a second, so only every `--every`-th document is
translated. Results are cached in eval/out/align-mt-<model>.json ({arabic: english}) and saved
after each window, so an interrupted run resumes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from align_docs import build
from common import OUT

from xling.io.atomic import atomic_write_text
from xling.models.names import resolve_alias
from xling.translate.batch import BatchOptions, BatchTranslator
from xling.translate.engine import EngineOptions, load_engine


def cache_path(model: str):
    return OUT / f"align-mt-{model}.json"


def load_cache(model: str) -> dict[str, str]:
    path = cache_path(model)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def subset(docs: list, every: int, start: int = 0) -> list:
    return docs[start::every]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="fast")
    parser.add_argument("--every", type=int, default=6, help="translate every N-th document")
    parser.add_argument("--start", type=int, default=0, help="the first document translated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--window", type=int, default=32, help="sentences between saves")
    args = parser.parse_args()
    model = resolve_alias(args.model)
    cache = load_cache(model)
    docs = subset(build(args.seed), args.every, args.start)
    # In document order, so an interrupted run leaves whole documents done.
    todo = list(dict.fromkeys(s for d in docs for s in d.ar if s not in cache))
    print(f"{len(docs)} documents, {len(todo)} Arabic sentences to translate", file=sys.stderr)
    if not todo:
        return 0
    engine = load_engine(model, EngineOptions(device="cpu"))
    translator = BatchTranslator(engine, BatchOptions(number_guard=False))
    started = time.perf_counter()
    for start in range(0, len(todo), args.window):
        chunk = todo[start : start + args.window]
        for src, result in zip(chunk, translator.translate(chunk), strict=True):
            cache[src] = result.text
        OUT.mkdir(parents=True, exist_ok=True)
        cache = {**load_cache(model), **cache}  # keep what another run may have added
        atomic_write_text(cache_path(model), json.dumps(cache, ensure_ascii=False, indent=0))
        done = start + len(chunk)
        rate = done / (time.perf_counter() - started)
        print(f"{done}/{len(todo)} ({rate:.2f} sentences/s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
