"""Batches that never cross article boundaries, for outputs that do not depend on the run.

The local pipeline batches sentences of many articles together (a window of 256), and an int8
model's output for a sentence can change with its batch (padding length and GEMM shapes change
the rounding). Batching each article on its own makes an article's translation a function of
the article alone: the same in a local run, on any Ray worker, after a resume or a retry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from xling.io.articles import Article
from xling.records import Translation
from xling.translate.batch import BatchTranslator
from xling.translate.pipeline import RunSummary, translate_articles


def translate_each_article(
    articles: Iterable[Article],
    translator: BatchTranslator,
    out_dir: Path | None,
    *,
    force: bool = False,
    on_article: Callable[[Article, list[Translation]], None] | None = None,
) -> RunSummary:
    """`translate_articles`, one article per call, so each article's sentences batch alone."""
    total = RunSummary()
    for article in articles:
        one = translate_articles([article], translator, out_dir, force=force, on_article=on_article)
        total.articles += one.articles
        total.skipped += one.skipped
        total.empty += one.empty
        total.sentences += one.sentences
        total.numbers_flagged += one.numbers_flagged
    return total
