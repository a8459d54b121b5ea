"""The command-line side of `--ray`: options, worker planning, and the translate/audit drivers.

`xling.cli` calls `add_ray_arguments(parser)` when it builds `translate` (and `audit`), and hands
the parsed arguments to `run_translate_on_ray(args)` when `--ray` was given.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from xling.errors import XlingError

_ADDRESS = re.compile(r"^(auto|ray://\S+|\[?[\w.:-]+\]?:\d+)$")


def add_ray_arguments(parser: argparse.ArgumentParser, *, article_batches: bool = True) -> None:
    g = parser.add_argument_group("scale-out on a Ray cluster (needs pip install 'xling[ray]')")
    g.add_argument(
        "--ray",
        nargs="?",
        const="local",
        default=None,
        metavar="ADDRESS",
        help="run on Ray: alone, start a private Ray instance on this machine (loopback only); "
        "with HOST:PORT or auto, join that cluster. Put it after the input paths, or write "
        "--ray=ADDRESS",
    )
    g.add_argument(
        "--workers",
        type=int,
        default=None,
        help="model-holding actors [default: one per CPU slot, or per GPU with --gpus-per-worker]",
    )
    g.add_argument(
        "--cpus-per-worker",
        type=int,
        default=None,
        help="CPU slots (and CTranslate2 threads) per worker [default: 1]",
    )
    g.add_argument(
        "--gpus-per-worker",
        type=float,
        default=0.0,
        help="GPUs per worker (CUDA decoding; fractions share a GPU) [default: 0]",
    )
    g.add_argument(
        "--shard-size",
        type=int,
        default=0,
        help="articles per shard (the unit of scheduling and retry) [default: about 8 shards "
        "per worker, 1 to 64 articles]",
    )
    if article_batches:
        g.add_argument(
            "--article-batches",
            action="store_true",
            help="batch each article's sentences on their own (a little slower): outputs then "
            "do not depend on which articles share a run, and match a --ray run exactly "
            "(always on with --ray)",
        )


@dataclass(frozen=True)
class WorkerPlan:
    workers: int
    cpus: int  # Ray CPU slots per worker, and its CTranslate2 threads
    gpus: float

    def describe(self) -> str:
        each = f"{self.cpus} CPU" + (f" + {self.gpus:g} GPU" if self.gpus else "")
        return f"{self.workers} Ray worker(s) × {each}"


def _check_args(args: argparse.Namespace) -> None:
    if args.ray != "local" and not _ADDRESS.match(args.ray):
        raise XlingError(
            f"--ray {args.ray!r} is not a Ray address (HOST:PORT, ray://HOST:PORT or auto); "
            "put --ray after the input paths, or write --ray=ADDRESS"
        )
    for name in ("workers", "cpus_per_worker"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise XlingError(f"--{name.replace('_', '-')} must be at least 1")
    if args.gpus_per_worker < 0 or args.shard_size < 0:
        raise XlingError("--gpus-per-worker and --shard-size cannot be negative")
    if args.gpus_per_worker and getattr(args, "device", "auto") == "cpu":
        raise XlingError("--gpus-per-worker needs --device auto or cuda")


def plan_workers(args: argparse.Namespace, resources: dict[str, float]) -> WorkerPlan:
    gpus = args.gpus_per_worker
    cpus = args.cpus_per_worker or 1
    have_cpu, have_gpu = resources.get("CPU", 0.0), resources.get("GPU", 0.0)
    if args.workers:
        workers = args.workers
    elif gpus:
        workers = int(have_gpu // gpus)
    else:
        workers = int(have_cpu // cpus)
    if workers < 1 or workers * cpus > have_cpu or workers * gpus > have_gpu + 1e-9:
        need = f"{max(workers, 1)} worker(s) × {cpus} CPU" + (f" + {gpus:g} GPU" if gpus else "")
        raise XlingError(
            f"--ray: {need} do not fit the cluster ({have_cpu:g} CPU, {have_gpu:g} GPU)"
        )
    return WorkerPlan(workers, cpus, gpus)


def local_cpus(args: argparse.Namespace) -> int:
    """CPU slots for a private instance: the machine's, or more if --workers asks for more."""
    want = (args.workers or 0) * (args.cpus_per_worker or 1)
    return max(os.cpu_count() or 1, want)


def shard_size(args: argparse.Namespace, todo: int, workers: int) -> int:
    if args.shard_size:
        return args.shard_size
    return max(1, min(64, math.ceil(todo / (workers * 8))))


def _remote_class(ray: Any, cls: type, plan: WorkerPlan, env: dict[str, str]) -> Any:
    return ray.remote(
        num_cpus=plan.cpus,
        num_gpus=plan.gpus,
        max_restarts=0,  # a dead worker is replaced by the driver, which re-sends its shard
        max_concurrency=1,
        runtime_env={"env_vars": env} if env else None,
    )(cls)


def _worker_env() -> dict[str, str]:
    """Settings the workers must share with the driver (a joined cluster's raylets were started
    with their own environment)."""
    return {k: os.environ[k] for k in ("XLING_HOME",) if k in os.environ}


def _err(message: str) -> None:
    sys.stderr.write(f"xling: {message}\n")


# -- translate ---------------------------------------------------------------------------------


def run_translate_on_ray(args: argparse.Namespace) -> int:
    """`xling translate PATH... --out DIR --ray [ADDRESS]`: same files as a local run."""
    from xling.distributed.cluster import import_ray, ray_session
    from xling.distributed.inputs import iter_inputs
    from xling.distributed.outputs import open_output
    from xling.distributed.progress import ArticleProgress
    from xling.distributed.shards import Outcome, make_shards, run_pool
    from xling.distributed.translate_job import (
        TranslateJob,
        TranslateWorker,
        article_key,
        engine_options,
    )
    from xling.models import store
    from xling.models.info import ModelInfo
    from xling.translate.batch import BatchOptions

    _check_args(args)
    if "-" in args.paths:
        raise XlingError("--ray translates files and folders, not stdin (-)")
    if args.out is None:
        raise XlingError("--out DIR (or fsspec URL) is required with --ray")
    import_ray()  # fail fast, before reading anything, when Ray is not installed
    from xling.cli import MODEL_ALIASES

    folder = store.resolve(MODEL_ALIASES.get(args.model, args.model)).resolve()
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
            batch=BatchOptions(beam=args.beam, number_guard=args.number_guard),
            out=output.location,
            force=args.force,
            since=since,
        )
        actor_cls = _remote_class(ray, TranslateWorker, plan, _worker_env())
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


# -- audit -------------------------------------------------------------------------------------


def run_audit_on_ray(args: argparse.Namespace) -> int:
    """`xling audit ... --ray [ADDRESS]`: pairs sharded over workers, the same report."""
    from xling.distributed.audit_job import run_audit_on_ray as run

    return run(args)
