"""Progress bars on stderr (drawn only when it is a terminal): one set-up, `progress_bar`, for
the local translation (`TranslateProgress`) and the Ray drivers (`ArticleProgress`)."""

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


def progress_bar(verb: str, counts: str, enabled: bool) -> Progress:
    """`verb ━━━ done/total <counts> elapsed ETA remaining`; `counts` is a rich format string
    over the task's fields."""
    return Progress(
        TextColumn(f"[bold]{verb}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(counts),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=False,
    )


class TranslateProgress:
    """Articles done / total with ETA, and sentences and target tokens/s as they come."""

    def __init__(self, total_articles: int, enabled: bool):
        self.enabled = enabled
        self.sentences = 0
        self.tokens = 0
        self._progress = progress_bar(
            "translating",
            "articles · {task.fields[sentences]} sentences · {task.fields[rate]:.0f} tok/s",
            enabled,
        )
        self._task = self._progress.add_task(
            "translate", total=total_articles, sentences=0, rate=0.0
        )

    def __enter__(self) -> TranslateProgress:
        self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(*exc)

    def batch_done(self, sentences: int, tokens: int) -> None:
        self.sentences += sentences
        self.tokens += tokens
        elapsed = self._progress.tasks[0].elapsed or 1e-9
        self._progress.update(self._task, sentences=self.sentences, rate=self.tokens / elapsed)

    def article_done(self, *_: object) -> None:
        self._progress.advance(self._task)


class ArticleProgress:
    """A Ray driver's bar: items done / total and items/s counted once the workers are up."""

    def __init__(self, verb: str, total: int, enabled: bool):
        self.started = time.perf_counter()
        self.worked = 0  # articles done by workers in this run (the rate counts only these)
        self._progress = progress_bar(
            verb, "articles · {task.fields[rate]:.2f} articles/s · {task.fields[note]}", enabled
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
