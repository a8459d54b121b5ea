"""Sentence-embedding speed: the int8 CTranslate2 export vs the fp32 transformers model.

Both backends embed the same NTREX sentences (Arabic references and English sources) in one
command, alternating twice and keeping the best time of each (the machine is shared); also the
cosine between the two backends' vectors, and a retrieval check (is each Arabic line's nearest
English line its own translation?) for both.

    .venv/bin/python eval/embed_speed.py --lines 200     # writes eval/out/embed_speed.json
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.common import machine, ntrex, save  # noqa: E402
from xling.align.embed import load_embedder  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=200, help="NTREX lines per language")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    ar, en, _ = ntrex(args.lines)
    texts = ar + en
    embedders = {
        backend: load_embedder("e5-small", threads=args.threads, backend=backend)
        for backend in ("ctranslate2", "torch")
    }
    for embedder in embedders.values():
        embedder.embed(texts[:8])  # warm-up
    seconds: dict[str, list[float]] = {name: [] for name in embedders}
    vectors = {}
    for _ in range(2):
        for name, embedder in embedders.items():
            started = time.perf_counter()
            vectors[name] = embedder.embed(texts, batch_size=args.batch_size)
            seconds[name].append(time.perf_counter() - started)
    best = {name: min(times) for name, times in seconds.items()}
    cosine = np.sum(vectors["ctranslate2"] * vectors["torch"], axis=1)
    n = len(ar)
    retrieval = {
        name: float(np.mean(np.argmax(v[:n] @ v[n:].T, axis=1) == np.arange(n)))
        for name, v in vectors.items()
    }
    tokens = sum(embedders["torch"].token_count(t) for t in texts)
    result = {
        "machine": machine(),
        "threads": args.threads,
        "sentences": len(texts),
        "tokens": tokens,
        "seconds": {k: [round(x, 2) for x in v] for k, v in seconds.items()},
        "sentences_per_second": {k: round(len(texts) / v, 1) for k, v in best.items()},
        "speedup_ct2_vs_torch": round(best["torch"] / best["ctranslate2"], 2),
        "cosine_ct2_vs_torch": {
            "min": round(float(cosine.min()), 5),
            "mean": round(float(cosine.mean()), 5),
        },
        "ar_to_en_top1": retrieval,
    }
    path = save("embed_speed", result)
    print(result, file=sys.stderr)
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
