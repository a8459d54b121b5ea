"""Progress of a translation batch on stderr (only when it is a terminal)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class TranslateProgress:
    """Articles done / total with ETA, and sentences and target tokens/s as they come."""

    def __init__(self, total_articles: int, enabled: bool):
        self.enabled = enabled
        self.sentences = 0
        self.tokens = 0
        self._progress = Progress(
            TextColumn("[bold]translating"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(
                "articles · {task.fields[sentences]} sentences · {task.fields[rate]:.0f} tok/s"
            ),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            disable=not enabled,
            transient=False,
        )
        self._task = self._progress.add_task(
            "translate", total=total_articles, sentences=0, rate=0.0
        )

    def __enter__(self) -> TranslateProgress:
        self._progress.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._progress.__exit__(*exc)

    def batch_done(self, sentences: int, tokens: int) -> None:
        self.sentences += sentences
        self.tokens += tokens
        elapsed = self._progress.tasks[0].elapsed or 1e-9
        self._progress.update(self._task, sentences=self.sentences, rate=self.tokens / elapsed)

    def article_done(self, *_: object) -> None:
        self._progress.advance(self._task)
