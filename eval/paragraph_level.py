"""Sentence-level against paragraph-level translation (issue 13): does the model translate
better when it sees a few sentences of the article at once?

    python eval/paragraph_level.py --model quality --limit 100 --window 3

NTREX-128 (development): the first `limit` lines, cut into windows of `window` consecutive lines
of one document. Each window is translated as one text; the sentence-level translation is the
`eval/quality.py` run of the same model and lines (its eval/out/*.mt.jsonl, run it first), joined
per window. Both are scored against the joined references, window by window: what a reader of the
paragraph gets. Writes eval/out/paragraph-<model>-ntrex-<limit>-w<window>.json.
"""

from __future__ import annotations

import argparse
import json
import time

from common import OUT, machine, ntrex, save
from quality import scores

from xling.models.names import resolve_alias
from xling.translate.batch import BatchOptions, BatchTranslator
from xling.translate.engine import EngineOptions, load_engine


def windows(ids: list[str], size: int) -> list[list[int]]:
    """Consecutive line numbers, at most `size` per window, never across documents."""
    out: list[list[int]] = []
    for i, doc in enumerate(ids):
        if out and len(out[-1]) < size and ids[out[-1][-1]] == doc:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="quality")
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--window", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()

    ar, en, ids = ntrex(args.limit)
    model = resolve_alias(args.model)
    sentence_run = OUT / f"quality-{model}-ntrex-{len(ar)}.mt.jsonl"
    if not sentence_run.exists():
        raise SystemExit(f"{sentence_run} is absent: run eval/quality.py --corpus ntrex first")
    sentence_mt = [json.loads(x)["mt"] for x in sentence_run.read_text().splitlines()]
    groups = windows(ids, args.window)
    sources = [" ".join(ar[i] for i in g) for g in groups]
    refs = [" ".join(en[i] for i in g) for g in groups]
    engine = load_engine(model, EngineOptions(threads=args.threads))
    translator = BatchTranslator(engine, BatchOptions())
    started = time.perf_counter()
    paragraph_mt = [r.text for r in translator.translate(sources)]
    elapsed = time.perf_counter() - started
    report = {
        "model": model,
        "corpus": f"NTREX-128[:{len(ar)}] (development), windows of {args.window} lines",
        "windows": len(groups),
        "machine": machine(),
        "paragraph_seconds": round(elapsed, 1),
        "paragraph_sentences_per_s": round(len(ar) / elapsed, 3),
        "sentence_level": scores(
            refs, [" ".join(sentence_mt[i] for i in g) for g in groups], sources
        ),
        "paragraph_level": scores(refs, paragraph_mt, sources),
    }
    save(f"paragraph-{model}-ntrex-{len(ar)}-w{args.window}", report)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
