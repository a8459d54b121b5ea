"""The options of `--ray` and how a run is planned on a cluster: how many workers, of what size,
shards of how many items, and the Ray actor class with the driver's settings. Shared by the
translate and audit drivers; nothing here imports Ray.
"""

from __future__ import annotations

import argparse
import math
import os
import re
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
            help="batch each article's sentences on their own: outputs then do not depend on "
            "which articles share a run, and match a --ray run exactly (always on with --ray); "
            "costs ~1.5x the CPU time with news articles of 6-21 sentences (eval/RESULTS.md)",
        )


@dataclass(frozen=True)
class WorkerPlan:
    workers: int
    cpus: int  # Ray CPU slots per worker, and its CTranslate2 threads
    gpus: float

    def describe(self) -> str:
        each = f"{self.cpus} CPU" + (f" + {self.gpus:g} GPU" if self.gpus else "")
        return f"{self.workers} Ray worker(s) × {each}"


def check_ray_args(args: argparse.Namespace) -> None:
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


def remote_class(ray: Any, cls: type, plan: WorkerPlan, env: dict[str, str]) -> Any:
    return ray.remote(
        num_cpus=plan.cpus,
        num_gpus=plan.gpus,
        max_restarts=0,  # a dead worker is replaced by the driver, which re-sends its shard
        max_concurrency=1,
        runtime_env={"env_vars": env} if env else None,
    )(cls)


def worker_env() -> dict[str, str]:
    """Settings the workers must share with the driver (a joined cluster's raylets were started
    with their own environment)."""
    return {k: os.environ[k] for k in ("XLING_HOME",) if k in os.environ}
