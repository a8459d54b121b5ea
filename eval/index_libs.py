"""Which vector-search library backs the report index: faiss-cpu, usearch or hnswlib, measured.

Same vectors for each (synthetic, labelled so: real e5-small sentence vectors of the eval
corpora, from eval/match.py's cache, resampled with Gaussian noise), one after another in this
process:
- build: vectors added per second (HNSW, M=16, ef_construction=64, inner product / cosine);
- incremental add: a second batch added to the built index, then saved;
- save size on disk; reopen time and the RSS it costs: a memory-mapped view where the library
  has one, a full load otherwise;
- query: 20 queries × k=10, ms per query (ef=64), and recall@10 against exact search.

    python eval/index_libs.py [--n 20000] [--out eval/results/index_libs.json]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from eval.common import OUT, machine  # noqa: E402

CACHE = OUT / "match_vectors.npz"

DIM = 384


def vectors(n: int, seed: int) -> np.ndarray:
    """n unit vectors: real e5 sentence vectors (eval/match.py's cache) with Gaussian noise
    (cosine to the original about 0.9), or, without the cache, random ones in a narrow cone."""
    rng = np.random.default_rng(seed)
    if CACHE.is_file():
        real = np.load(CACHE)["vectors"]
        x = real[rng.integers(0, len(real), n)]
        x = x + rng.normal(0, 0.022, x.shape).astype(np.float32)
    else:
        centres = rng.standard_normal((2000, DIM)).astype(np.float32)
        base = rng.standard_normal(DIM).astype(np.float32) * 3
        noise = 0.8 * rng.standard_normal((n, DIM)).astype(np.float32)
        x = centres[rng.integers(0, 2000, n)] + base + noise
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def rss() -> float:
    return psutil.Process().memory_info().rss / 2**20


class Usearch:
    name = "usearch"
    mmap = "Index.restore(path, view=True): memory-mapped, read-only"

    def new(self):
        from usearch.index import Index

        return Index(ndim=DIM, metric="ip", dtype="f16", connectivity=16, expansion_add=64)

    def add(self, index, keys, x):
        index.add(keys, x, threads=2)

    def save(self, index, path):
        index.save(str(path))

    def open(self, path):
        from usearch.index import Index

        return Index.restore(str(path), view=True)

    def search(self, index, q, k):
        index.expansion_search = 64
        return np.asarray(index.search(q, k, threads=1).keys)


class Faiss:
    name = "faiss-cpu"
    mmap = "read_index(path, IO_FLAG_MMAP) (HNSW graph read, flat codes mapped)"

    def new(self):
        import faiss

        faiss.omp_set_num_threads(2)
        inner = faiss.IndexHNSWFlat(DIM, 16, faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = 64
        return faiss.IndexIDMap2(inner)

    def add(self, index, keys, x):
        index.add_with_ids(x, keys.astype(np.int64))

    def save(self, index, path):
        import faiss

        faiss.write_index(index, str(path))

    def open(self, path):
        import faiss

        try:
            return faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)
        except RuntimeError:
            return faiss.read_index(str(path))

    def search(self, index, q, k):
        import faiss

        faiss.downcast_index(index.index).hnsw.efSearch = 64
        return index.search(q, k)[1]


class Hnswlib:
    name = "hnswlib"
    mmap = "none: load_index reads the whole file into RAM"

    def new(self):
        import hnswlib

        index = hnswlib.Index(space="ip", dim=DIM)
        index.init_index(max_elements=16, ef_construction=64, M=16)
        index.set_num_threads(2)
        return index

    def add(self, index, keys, x):
        index.resize_index(index.get_current_count() + len(x))
        index.add_items(x, keys)

    def save(self, index, path):
        index.save_index(str(path))

    def open(self, path):
        import hnswlib

        index = hnswlib.Index(space="ip", dim=DIM)
        index.load_index(str(path))
        return index

    def search(self, index, q, k):
        index.set_ef(64)
        return index.knn_query(q, k)[0]


def run(lib, base: np.ndarray, extra: np.ndarray, queries: np.ndarray, truth, folder: Path):
    gc.collect()
    r0 = rss()
    index = lib.new()
    t = time.perf_counter()
    lib.add(index, np.arange(len(base), dtype=np.uint64), base)
    build = time.perf_counter() - t
    built_rss = rss() - r0
    t = time.perf_counter()
    lib.add(index, np.arange(len(base), len(base) + len(extra), dtype=np.uint64), extra)
    path = folder / f"{lib.name}.index"
    lib.save(index, path)
    incremental = time.perf_counter() - t
    del index
    gc.collect()
    r1 = rss()
    t = time.perf_counter()
    opened = lib.open(path)
    reopen = time.perf_counter() - t
    reopen_rss = rss() - r1
    lib.search(opened, queries[:2], 10)
    t = time.perf_counter()
    found = lib.search(opened, queries, 10)
    query_ms = (time.perf_counter() - t) * 1000 / len(queries)
    recall = float(
        np.mean(
            [
                len(set(map(int, f)) & set(map(int, g))) / 10
                for f, g in zip(found, truth, strict=True)
            ]
        )
    )
    return {
        "library": lib.name,
        "build_vectors_per_s": round(len(base) / build),
        "incremental_add_and_save_s": round(incremental, 2),
        "rss_after_build_mb": round(built_rss),
        "file_mb": round(path.stat().st_size / 2**20, 1),
        "reopen_s": round(reopen, 3),
        "reopen_rss_mb": round(reopen_rss),
        "memory_mapped_open": lib.mmap,
        "query_ms": round(query_ms, 3),
        "recall_at_10": round(recall, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=Path("eval/results/index_libs.json"))
    args = parser.parse_args()
    base, extra = vectors(args.n, 1), vectors(args.n // 10, 2)
    queries = vectors(20, 3)
    both = np.concatenate([base, extra])
    truth = np.argsort(-(queries @ both.T), axis=1)[:, :10]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for lib in (Usearch(), Faiss(), Hnswlib()):
            rows.append(run(lib, base, extra, queries, truth, Path(tmp)))
            print(json.dumps(rows[-1]), file=sys.stderr)
    result = {
        "what": "vector-search libraries for the report index; SYNTHETIC vectors: real e5 "
        "vectors resampled with noise"
        if CACHE.is_file()
        else "random unit vectors in a cone",
        "vectors": args.n,
        "incremental": args.n // 10,
        "dim": DIM,
        "machine": machine(),
        "load_average": os.getloadavg()[0],
        "rows": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
