"""How the report index scales: build throughput, query time per article, peak memory (RSS) at
1k, 10k and 100k reports.

The pool is SYNTHETIC beyond the real sources (labelled so in the output): encoding 100k real
reports would take days on this 2-core CPU. Each synthetic report is 7 sentence vectors drawn
at random from the real e5 vectors of every English sentence of eval/match.py's corpora, each
with Gaussian noise added (cosine to its original ≈ 0.9) and re-normalised; the 30 real source
documents of the test split's "whole" articles are in every pool, and those 30 real Arabic
articles are the queries (their recall@1 is checked at every size).
Each size runs its build and its queries in fresh child processes, so peak RSS is per step.

    python eval/match_scale.py [--sizes 1000 10000 100000] [--out eval/results/match_scale.json]
    python eval/match_scale.py --child exact SIZE -   # recall@1 by brute force, same pool

Needs eval/match.py's embedding cache (run it first).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from eval.common import machine  # noqa: E402

SENTENCES = 7  # the real pool averages 7.3 sentences a report
NOISE = 0.022  # per-dimension σ: cosine to the original ≈ 0.9 for 384-d unit vectors
QUERIES = 30


def _data():
    from eval.match import CACHE, embed_cached, sentences
    from eval.match_data import articles, documents

    if not CACHE.is_file():
        sys.exit("run eval/match.py first (it caches the embeddings this benchmark perturbs)")
    docs = documents()
    arts, _ = articles(docs)
    queries = [a for a in arts if a.split == "test" and a.kind == "whole"][:QUERIES]
    by_id = {d.id: d for d in docs}
    real = [by_id[a.sources[0]] for a in queries]
    en_all = [s for d in docs for s in sentences(d.en)]
    vec = embed_cached(en_all + [s for a in queries for s in sentences(a.paragraphs)])
    base = np.stack([vec[s] for s in en_all])
    real_vectors = [np.stack([vec[s] for s in sentences(d.en)]) for d in real]
    query_vectors = [np.stack([vec[s] for s in sentences(a.paragraphs)]) for a in queries]
    return base, real, real_vectors, queries, query_vectors


def build(size: int, folder: Path) -> dict:
    from xling.match.index import Report, ReportIndex

    base, real, real_vectors, _, _ = _data()
    rng = np.random.default_rng(size)

    def reports():
        for d, v in zip(real, real_vectors, strict=True):
            yield Report(d.id, "real", v)
        for i in range(size - len(real)):
            v = base[rng.integers(0, len(base), SENTENCES)]
            v = v + rng.normal(0, NOISE, v.shape).astype(np.float32)
            yield Report(f"synthetic_{i}", "synthetic", v / np.linalg.norm(v, axis=1)[:, None])

    index = ReportIndex.create(folder, "e5-small", "scale")
    started = time.perf_counter()
    done = index.add(reports())
    seconds = time.perf_counter() - started
    info = index.info()
    index.close()
    return {
        "reports": done["added"],
        "vectors": done["sentences"],
        "build_s": round(seconds, 2),
        "reports_per_s": round(done["added"] / seconds),
        "vectors_per_s": round(done["sentences"] / seconds),
        "vectors_file_mb": round(info["vectors_bytes"] / 2**20, 1),
        "sqlite_mb": round((folder / "reports.sqlite").stat().st_size / 2**20, 1),
        "build_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def exact(size: int, folder: Path) -> dict:
    """Recall@1 of the same queries against the same pool (regenerated from the same seed) by
    brute force in numpy: separates the graph's approximation from the pool's make-up."""
    from xling.match.index import Hit
    from xling.match.score import Thresholds, rank

    base, real, real_vectors, queries, query_vectors = _data()
    rng = np.random.default_rng(size)
    blocks, owner = list(real_vectors), []
    for _ in range(size - len(real)):
        v = base[rng.integers(0, len(base), SENTENCES)]
        v = v + rng.normal(0, NOISE, v.shape).astype(np.float32)
        blocks.append(v / np.linalg.norm(v, axis=1)[:, None])
    owner = np.concatenate([np.full(len(b), r) for r, b in enumerate(blocks)])
    pool = np.concatenate(blocks).astype(np.float16)
    ids = [d.id for d in real] + [f"synthetic_{i}" for i in range(size - len(real))]
    t = Thresholds()
    correct = 0
    for d, q in zip(real, query_vectors, strict=True):
        cos = np.concatenate(
            [q @ pool[s : s + 200_000].astype(np.float32).T for s in range(0, len(pool), 200_000)],
            axis=1,
        )
        top = np.argsort(-cos, axis=1)[:, : t.k]
        reports = sorted({int(owner[j]) for j in top.ravel()})
        local = {r: i for i, r in enumerate(reports)}
        hit = Hit(
            np.take_along_axis(cos, top, axis=1),
            np.array([[local[int(owner[j])] for j in row] for row in top]),
            np.zeros_like(top),
            [ids[r] for r in reports],
            [set() for _ in reports],
        )
        m = rank("q", hit, set(), t, 5)
        correct += bool(m.sources) and m.sources[0].en == d.id and not m.no_source
    return {"recall_at_1_exact_search": round(correct / len(queries), 4)}


def query(size: int, folder: Path) -> dict:
    from xling.match.index import EXACT_BELOW, ReportIndex
    from xling.match.score import Thresholds, rank

    _, real, _, queries, query_vectors = _data()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = Thresholds()
    started = time.perf_counter()
    index = ReportIndex.open(folder)
    opened = time.perf_counter() - started
    correct = 0
    started = time.perf_counter()
    for d, v in zip(real, query_vectors, strict=True):
        m = rank("q", index.search(v, t.k), set(), t, 5)
        correct += bool(m.sources) and m.sources[0].en == d.id and not m.no_source
    seconds = (time.perf_counter() - started) / len(queries)
    exact = index.size() < EXACT_BELOW
    index.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "open_s": round(opened, 3),
        "query_ms_per_article": round(1000 * seconds, 1),
        "search": "exact" if exact else "HNSW (approximate)",
        "recall_at_1_real_articles": round(correct / len(queries), 4),
        "query_peak_rss_mb": round(peak),
        "query_rss_over_loading_data_mb": round(peak - before),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--out", type=Path, default=Path("eval/results/match_scale.json"))
    parser.add_argument("--child", nargs=3, metavar=("STEP", "SIZE", "DIR"))
    parser.add_argument("--expansion-search", type=int, default=None, help="query step: HNSW ef")
    args = parser.parse_args()
    if args.child:
        step, size, folder = args.child
        if args.expansion_search:
            import xling.match.index as index_module

            index_module.EXPANSION_SEARCH = args.expansion_search
        steps = {"build": build, "query": query, "exact": exact}
        result = steps[step](int(size), Path(folder))
        print(json.dumps(result))
        return
    rows = []
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as tmp:
        for size in args.sizes:
            row = {"pool_reports": size}
            folder = Path(tmp) / f"i{size}"
            for step in ("build", "query", "exact"):
                proc = subprocess.run(
                    [sys.executable, __file__, "--child", step, str(size), str(folder)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                row.update(json.loads(proc.stdout.strip().splitlines()[-1]))
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
    result = {
        "what": "report index scale: SYNTHETIC pool (perturbed real e5 vectors) + 30 real "
        "sources; queries = 30 real Arabic articles (their sentence vectors, embedding excluded)",
        "sentences_per_synthetic_report": SENTENCES,
        "noise_sigma": NOISE,
        "machine": machine(),
        "load_average": round(os.getloadavg()[0], 1),
        "rows": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
