"""Shards: consecutive runs of work items, and the driver loop that feeds them to Ray actors.

Exactly-once rests on three things. Workers write every output by atomic rename, so a killed
worker leaves either a whole file or a dot-file that nothing counts as output. Workers report
each item as it completes (a streaming generator), so the driver knows what a lost worker
finished. And when a worker dies, only the items it had not reported are sent again; a worker
re-checks each item's outputs before working on it, so an item the dead worker finished but
could not report is recognised as done, not redone.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from xling.errors import XlingError


@dataclass
class Shard:
    index: int
    items: list[Any]
    attempt: int = 1


@dataclass
class Outcome:
    """What a worker reports for one item: `done` (worked on now) or `skipped` (its outputs
    were already complete when the worker looked, e.g. written by a worker that then died)."""

    key: str
    status: str
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass
class PoolReport:
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    retried: int = 0  # shards sent again after their worker died
    lost_workers: int = 0
    workers: list[dict] = field(default_factory=list)  # what each worker reported at start


def make_shards(items: Iterable[Any], size: int) -> Iterator[Shard]:
    batch: list[Any] = []
    index = 0
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield Shard(index, batch)
            index += 1
            batch = []
    if batch:
        yield Shard(index, batch)


def _worker_lost(ray: Any, exc: BaseException) -> bool:
    """A failure of the worker process or its node (retry elsewhere), not of our code."""
    errors = ray.exceptions
    lost = (errors.RayActorError, errors.WorkerCrashedError, errors.NodeDiedError)
    lost += tuple(
        getattr(errors, name)
        for name in ("ActorUnavailableError", "OutOfMemoryError", "ObjectLostError")
        if hasattr(errors, name)
    )
    return isinstance(exc, lost)


def _raise_task_error(exc: BaseException) -> None:
    """Our own exception inside a worker: a user error keeps its one-line message."""
    cause = getattr(exc, "cause", None)
    if isinstance(cause, XlingError):
        raise cause from None
    raise exc


def _start_failed(exc: BaseException) -> XlingError:
    """A worker that cannot even start (model missing on its node...): say why in one line."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return XlingError(f"a Ray worker failed to start: {lines[-1] if lines else exc}")


@dataclass
class _Slot:
    actor: Any
    busy: Shard | None = None


def run_pool(
    ray: Any,
    make_actor: Callable[[], Any],
    workers: int,
    shards: Iterable[Shard],
    key: Callable[[Any], str],
    on_outcome: Callable[[Outcome], None],
    *,
    max_attempts: int = 3,
    ready_timeout: float = 600.0,
    on_ready: Callable[[list[dict]], None] | None = None,
) -> PoolReport:
    """Run every shard on a pool of `workers` actors, one shard per actor at a time.

    `make_actor()` returns a new actor handle with `ready() -> dict` and a generator method
    `run(items)` yielding one Outcome per item, in order. A shard whose worker dies goes back
    to the queue holding only its unreported items, and a fresh actor replaces the dead one;
    a shard that fails `max_attempts` times stops the run.
    """
    report = PoolReport()
    slots = [_Slot(make_actor()) for _ in range(workers)]
    try:
        report.workers = ray.get([s.actor.ready.remote() for s in slots], timeout=ready_timeout)
    except ray.exceptions.GetTimeoutError as exc:
        raise XlingError(
            f"{workers} Ray worker(s) did not start within {ready_timeout:.0f} s "
            "(does the cluster have the CPUs/GPUs they ask for?)"
        ) from exc
    except ray.exceptions.RayActorError as exc:
        raise _start_failed(exc) from exc
    if on_ready:
        on_ready(report.workers)

    source = iter(shards)
    retry: deque[Shard] = deque()
    running: dict[Any, _Slot] = {}  # generator -> slot

    def next_shard() -> Shard | None:
        return retry.popleft() if retry else next(source, None)

    def submit(slot: _Slot) -> bool:
        shard = next_shard()
        if shard is None:
            return False
        slot.busy = shard
        gen = slot.actor.run.options(num_returns="streaming").remote(shard.items)
        running[gen] = slot
        return True

    for slot in slots:
        if not submit(slot):
            break
    while running:
        ready, _ = ray.wait(list(running), num_returns=1)
        for gen in ready:
            slot = running[gen]
            shard = slot.busy
            assert shard is not None
            try:
                outcome = ray.get(next(gen))
            except StopIteration:
                del running[gen]
                missing = [key(i) for i in shard.items if key(i) not in report.outcomes]
                if missing:  # a worker that ends a shard early is a bug, not a fault
                    raise RuntimeError(
                        f"shard {shard.index}: no outcome for {missing[:3]}"
                    ) from None
                slot.busy = None
                submit(slot)
                continue
            except Exception as exc:
                del running[gen]
                if getattr(exc, "actor_init_failed", False):
                    raise _start_failed(exc) from exc
                if not _worker_lost(ray, exc):
                    _raise_task_error(exc)
                report.lost_workers += 1
                remaining = [i for i in shard.items if key(i) not in report.outcomes]
                if shard.attempt >= max_attempts:
                    raise XlingError(
                        f"shard {shard.index} ({len(remaining)} article(s) left, first "
                        f"{key(remaining[0]) if remaining else '-'}) lost its worker "
                        f"{shard.attempt} times; last error: {exc}"
                    ) from exc
                if remaining:
                    retry.append(Shard(shard.index, remaining, shard.attempt + 1))
                    report.retried += 1
                ray.kill(slot.actor, no_restart=True)
                slot.actor, slot.busy = make_actor(), None
                submit(slot)
                continue
            if outcome.key not in report.outcomes:  # never count an item twice
                report.outcomes[outcome.key] = outcome
                on_outcome(outcome)
        # a slot left idle while another worker's shard was retried picks the retry up
        for slot in slots:
            if slot.busy is None and retry:
                submit(slot)
    return report
