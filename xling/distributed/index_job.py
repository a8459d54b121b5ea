"""`xling index add ... --ray`: reports sharded over workers that each load the encoder once and
embed their shard; the driver adds every report to the index in one generation, as a local run.

The driver reads and segments the reports (cheap), so ids are checked and duplicates refused
before any worker starts; workers only embed. Nothing is written until every shard is back, so
a failed run leaves the index as it was.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from xling.distributed.shards import Outcome


@dataclass(frozen=True)
class IndexJob:
    encoder: str
    threads: int


class IndexWorker:
    def __init__(self, job: IndexJob):
        from xling.align.embed import load_embedder

        self.embedder = load_embedder(job.encoder, threads=job.threads)

    def ready(self) -> dict:
        return {"pid": os.getpid(), "host": socket.gethostname()}

    def run(self, texts: list) -> Iterator[Outcome]:
        from xling.match.pipeline import embed_texts

        # one batch per shard: the encoder sorts by length, so a shard pads little
        for text, vectors in zip(texts, embed_texts(texts, self.embedder), strict=True):
            yield Outcome(text.id, "done", {"vectors": vectors.astype(np.float16)})


def run_index_on_ray(args: argparse.Namespace) -> int:
    from xling.align.embed import encoder_folder
    from xling.distributed.cluster import import_ray, ray_session
    from xling.distributed.plan import (
        check_ray_args,
        local_cpus,
        plan_workers,
        remote_class,
        shard_size,
        worker_env,
    )
    from xling.distributed.shards import make_shards, run_pool
    from xling.errors import InputError
    from xling.match.index import Report, ReportIndex, encoder_fingerprint
    from xling.match.pipeline import read_texts

    check_ray_args(args)
    import_ray()
    folder = encoder_folder(args.encoder)
    from xling.models.info import ModelInfo

    encoder = ModelInfo.load(folder).name
    fingerprint = encoder_fingerprint(folder)
    texts = list(read_texts(args.paths, "en", args.encoding))
    seen: set[str] = set()
    for t in texts:
        if t.id in seen:
            raise InputError(f"report id {t.id!r} given twice", t.origin)
        seen.add(t.id)
    index = ReportIndex.open_or_create(args.index, encoder, fingerprint)
    try:
        clash = index.active_ids() & seen
        if clash and not args.replace:
            raise InputError(
                f"report id {sorted(clash)[0]!r} is already in the index ({len(clash)} such); "
                "give --replace to supersede them",
                str(args.index),
            )
        vectors: dict[str, np.ndarray] = {}
        started = time.perf_counter()
        ray_address = None if args.ray == "local" else args.ray
        with ray_session(ray_address, local_cpus(args)) as ray:
            plan = plan_workers(args, ray.cluster_resources())
            job = IndexJob(str(folder), plan.cpus)
            actor_cls = remote_class(ray, IndexWorker, plan, worker_env())
            size = shard_size(args, len(texts), plan.workers)

            def on_outcome(outcome: Outcome) -> None:
                vectors[outcome.key] = np.asarray(outcome.stats["vectors"], dtype=np.float32)

            report = run_pool(
                ray,
                lambda: actor_cls.remote(job),
                plan.workers,
                make_shards(iter(texts), size),
                lambda t: t.id,
                on_outcome,
            )
        embedded = time.perf_counter() - started
        done = index.add(
            (Report(t.id, t.origin, vectors[t.id], sorted(t.numbers), t.text) for t in texts),
            replace=args.replace,
        )
    finally:
        index.close()
    if not args.quiet:
        sys.stderr.write(
            f"xling: {done['added']} report(s) added ({done['replaced']} replaced), "
            f"{done['sentences']} sentences embedded in {embedded:.1f} s on "
            f"{plan.describe()} (shards of {size}; {report.lost_workers} worker(s) lost, "
            f"{report.retried} shard(s) retried), to {args.index}\n"
        )
    return 0
