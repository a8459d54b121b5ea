"""`xling translate --ray`: the worker actor (one loaded model each) and the driver side."""

from __future__ import annotations

import argparse
import os
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from xling.distributed.outputs import open_output
from xling.distributed.shards import Outcome
from xling.io.articles import Article
from xling.records import Translation
from xling.translate.batch import BatchOptions
from xling.translate.engine import EngineOptions


def article_key(article: Article) -> str:
    return str(article.out_stem)


@dataclass(frozen=True)
class TranslateJob:
    """Everything a worker needs, sent once when the actor starts."""

    model_folder: str  # absolute path, the same on every node (a shared filesystem)
    engine: EngineOptions
    batch: BatchOptions
    out: str  # folder or fsspec URL
    force: bool
    since: int  # the output filesystem's clock at the start of the run (ns)


class TranslateWorker:
    """Loads the model once; translates shards of articles, one article's batches at a time.

    An article's sentences are batched only with each other (never with another article's),
    so its translation does not depend on which articles share its shard or worker: the
    same as `xling translate --article-batches` writes locally.
    """

    def __init__(self, job: TranslateJob):
        from xling.translate.batch import BatchTranslator
        from xling.translate.engine import load_engine

        self.job = job
        self.engine = load_engine(job.model_folder, job.engine)
        self.translator = BatchTranslator(self.engine, job.batch)
        self.output = open_output(job.out)

    def ready(self) -> dict:
        return {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "device": self.engine.device,
            "threads": self.engine.threads,
            "model": self.engine.name,
        }

    def _already_done(self, article: Article) -> bool:
        """Outputs complete and not to be redone. With --force, only what this run wrote
        (a worker that died after writing, before reporting) counts as done."""
        if not self.output.is_done(article, self.engine.name):
            return False
        return not self.job.force or self.output.written_since(article, self.job.since)

    def run(self, articles: list[Article]) -> Iterator[Outcome]:
        from xling.translate.pipeline import translate_articles

        for article in articles:
            if self._already_done(article):
                yield Outcome(article_key(article), "skipped")
                continue
            started = time.perf_counter()
            got: list[list[Translation]] = []
            translate_articles([article], self.translator, None, on_article=_collect(got))
            self.output.write(article, got[0])
            yield Outcome(
                article_key(article),
                "done",
                {
                    "sentences": len(got[0]),
                    "flagged": sum(not t.numbers_ok for t in got[0]),
                    "empty": article.origin if article.empty else None,
                    "seconds": time.perf_counter() - started,
                },
            )


def _collect(into: list[list[Translation]]) -> Callable[[Article, list[Translation]], None]:
    return lambda _, translations: into.append(translations)


def engine_options(args: argparse.Namespace, device: str, threads: int) -> EngineOptions:
    return EngineOptions(
        device=device,
        compute_type=args.compute_type,
        beam=args.beam,
        batch_tokens=args.batch_tokens,
        batch_rows=args.batch_rows,
        threads=threads,
        shots=args.shots,
        own_shots=args.own_shots,
    )
