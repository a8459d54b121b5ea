"""The driver's progress bar: articles done / total and articles/s, on stderr."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class ArticleProgress:
    def __init__(self, verb: str, total: int, enabled: bool):
        self.started = time.perf_counter()
        self.worked = 0  # articles done by workers in this run (the rate counts only these)
        self._progress = Progress(
            TextColumn(f"[bold]{verb}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("articles · {task.fields[rate]:.2f} articles/s · {task.fields[note]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            disable=not enabled,
        )
        self._task = self._progress.add_task(verb, total=total, rate=0.0, note="starting Ray")

    def __enter__(self) -> ArticleProgress:
        self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(*exc)

    def note(self, text: str) -> None:
        self._progress.update(self._task, note=text)

    def workers_ready(self, count: int) -> None:
        """The rate counts from here: starting Ray and loading models is not throughput."""
        self.started = time.perf_counter()
        self.note(f"{count} worker(s)")

    def advance(self, worked: bool) -> None:
        self.worked += worked
        elapsed = time.perf_counter() - self.started
        self._progress.update(self._task, advance=1, rate=self.worked / max(elapsed, 1e-9))
