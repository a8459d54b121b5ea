"""`xling translate PATH... --out DIR --ray [ADDRESS]`: the translate driver on Ray.

`xling.commands.translate` hands the parsed arguments to `run_translate_on_ray(args)` when
`--ray` was given; the options and the worker plan live in `xling.distributed.plan`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from typing import Any

from xling.distributed.plan import (
    check_ray_args,
    local_cpus,
    plan_workers,
    remote_class,
    shard_size,
    worker_env,
)
from xling.errors import XlingError


def _err(message: str) -> None:
    sys.stderr.write(f"xling: {message}\n")


def run_translate_on_ray(args: argparse.Namespace) -> int:
    """`xling translate PATH... --out DIR --ray [ADDRESS]`: same files as a local run."""
    from xling.commands.translate import batch_options
    from xling.distributed.cluster import import_ray, ray_session
    from xling.distributed.inputs import iter_inputs
    from xling.distributed.outputs import open_output
    from xling.distributed.shards import Outcome, make_shards, run_pool
    from xling.distributed.translate_job import (
        TranslateJob,
        TranslateWorker,
        article_key,
        engine_options,
    )
    from xling.models import store
    from xling.models.info import ModelInfo
    from xling.models.names import resolve_alias
    from xling.report.progress import ArticleProgress

    check_ray_args(args)
    if "-" in args.paths:
        raise XlingError("--ray translates files and folders, not stdin (-)")
    if args.out is None:
        raise XlingError("--out DIR (or fsspec URL) is required with --ray")
    import_ray()  # fail fast, before reading anything, when Ray is not installed
    folder = store.resolve(resolve_alias(args.model)).resolve()
    model = ModelInfo.load(folder).name
    articles, total = iter_inputs(args.paths, args.encoding)
    output = open_output(str(args.out))
    since = output.stamp()

    already = 0

    def todo() -> Iterator[Any]:
        nonlocal already
        for article in articles:
            if not args.force and output.is_done(article, model):
                already += 1
                progress.advance(worked=False)
                continue
            yield article

    quiet = getattr(args, "quiet", False)
    progress = ArticleProgress("translating", total, enabled=not quiet and sys.stderr.isatty())
    sentences = flagged = 0
    empty: list[str] = []

    def on_outcome(outcome: Outcome) -> None:
        nonlocal sentences, flagged
        if outcome.status == "done":
            sentences += outcome.stats["sentences"]
            flagged += outcome.stats["flagged"]
            if outcome.stats["empty"]:
                empty.append(outcome.stats["empty"])
        progress.advance(worked=True)

    ray_address = None if args.ray == "local" else args.ray
    with progress, ray_session(ray_address, local_cpus(args)) as ray:
        plan = plan_workers(args, ray.cluster_resources())
        device = "cuda" if plan.gpus else ("cpu" if args.device == "auto" else args.device)
        job = TranslateJob(
            model_folder=str(folder),
            engine=engine_options(args, device, args.threads or plan.cpus),
            batch=batch_options(args),
            out=output.location,
            force=args.force,
            since=since,
        )
        actor_cls = remote_class(ray, TranslateWorker, plan, worker_env())
        size = shard_size(args, total, plan.workers)
        started = time.perf_counter()
        ready_at = started

        def on_ready(workers: list[dict]) -> None:
            nonlocal ready_at
            ready_at = time.perf_counter()
            progress.workers_ready(len(workers))

        report = run_pool(
            ray,
            lambda: actor_cls.remote(job),
            plan.workers,
            make_shards(todo(), size),
            article_key,
            on_outcome,
            on_ready=on_ready,
        )
        finished = time.perf_counter()
    elapsed, working = finished - started, finished - ready_at
    done = sum(o.status == "done" for o in report.outcomes.values())
    recovered = sum(o.status == "skipped" for o in report.outcomes.values())
    for origin in empty:
        _err(f"warning: {origin}: empty input, wrote an empty translation")
    if not quiet:
        rate = (done + recovered) / working if working > 0 else 0.0
        _err(
            f"{done + recovered} article(s) translated, {already} already done; "
            f"{sentences} sentences in {elapsed:.1f} s ({elapsed - working:.1f} s starting "
            f"workers, then {rate:.2f} articles/s) with {model} on "
            f"{plan.describe()} (shards of {size}); numbers: {flagged} sentence(s) flagged "
            f"numbers_ok=false; {report.lost_workers} worker(s) lost, {report.retried} "
            f"shard(s) retried, {recovered} article(s) found finished by a lost worker"
        )
    return 0
