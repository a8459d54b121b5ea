"""Reading reports and articles, embedding their sentences, and matching: what `xling index`
and `xling match` (and `xling audit --match`) run."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from xling.errors import InputError
from xling.io.articles import Article, iter_articles
from xling.match.index import Report, ReportIndex, encoder_fingerprint
from xling.match.score import Match, Thresholds, neighbours, rank
from xling.text.numbers import extract_numbers
from xling.text.segment import split_sentences

# Reports embedded per batch when indexing: bounds memory, not a tuning knob.
ADD_BATCH = 256


@dataclass
class Text:
    """An article or report, segmented as `xling translate` segments it."""

    id: str
    origin: str
    sentences: list[str]
    numbers: set[float]
    text: str = ""  # paragraphs joined by newlines


def sentences_of(article: Article) -> list[str]:
    return [s for p in article.doc.paragraphs for s in split_sentences(p)]


def read_texts(paths: list[str], lang: str, encoding: str | None = None) -> Iterator[Text]:
    """Files, folders (recursive .txt) and JSONL ({"id", "text"}), read as translate reads them."""
    if "-" in paths:
        raise InputError("- (stdin) is not accepted here; give files, folders or .jsonl")
    articles, _ = iter_articles(paths, encoding)
    for article in articles:
        text = "\n".join(article.doc.paragraphs)
        yield Text(
            article.doc.id,
            article.origin,
            sentences_of(article),
            {m.value for m in extract_numbers(text, lang)},
            text,
        )


def load_encoder(name: str):
    """The embedder and its fingerprint."""
    from xling.align.embed import encoder_folder, load_embedder

    embedder = load_embedder(name)
    return embedder, embedder.name, encoder_fingerprint(encoder_folder(name))


def embed_texts(texts: list[Text], embedder) -> list[np.ndarray]:
    """One (sentences, 384) array per text, embedded in one batch."""
    flat = [s for t in texts for s in t.sentences]
    vectors = np.asarray(embedder.embed(flat), dtype=np.float32) if flat else np.zeros((0, 384))
    out, start = [], 0
    for t in texts:
        out.append(vectors[start : start + len(t.sentences)])
        start += len(t.sentences)
    return out


def to_reports(texts: list[Text], vectors: list[np.ndarray]) -> list[Report]:
    return [
        Report(t.id, t.origin, v, sorted(t.numbers), t.text)
        for t, v in zip(texts, vectors, strict=True)
    ]


def batches(items: Iterator[Text], size: int) -> Iterator[list[Text]]:
    batch: list[Text] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def index_add(
    paths: list[str],
    folder: Path,
    embedder,
    encoder: str,
    fingerprint: str,
    *,
    replace: bool = False,
    encoding: str | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> dict:
    """Embed every report under `paths` and add them to the index at `folder` in one
    generation (nothing is added if any report fails)."""
    texts = list(read_texts(paths, "en", encoding))
    index = ReportIndex.open_or_create(folder, encoder, fingerprint)
    try:
        reports: list[Report] = []
        for batch in batches(iter(texts), ADD_BATCH):
            reports += to_reports(batch, embed_texts(batch, embedder))
            if on_batch:
                on_batch(len(batch))
        return index.add(reports, replace=replace)
    finally:
        index.close()


@contextlib.contextmanager
def pool_index(
    index_dir: Path | None,
    en_paths: list[str] | None,
    embedder,
    encoder: str,
    fingerprint: str,
    encoding: str | None = None,
) -> Iterator[ReportIndex]:
    """The index to match against: an existing one, or a temporary one over --en files."""
    if index_dir is not None:
        index = ReportIndex.open(index_dir, encoder=encoder, fingerprint=fingerprint)
        try:
            yield index
        finally:
            index.close()
        return
    with tempfile.TemporaryDirectory(prefix="xling-pool-") as tmp:
        index_add(
            en_paths or [], Path(tmp) / "index", embedder, encoder, fingerprint, encoding=encoding
        )
        index = ReportIndex.open(Path(tmp) / "index")
        try:
            yield index
        finally:
            index.close()


def pool_neighbours(index: ReportIndex, thresholds: Thresholds) -> int:
    """The neighbours searched per sentence: `thresholds.k`, fewer in a small pool."""
    return neighbours(thresholds.k, index.info()["sentences"])


def small_pool_warning(reports: int, sentences: int, thresholds: Thresholds) -> str | None:
    """One line for stderr when the pool is too small for the calibrated neighbourhood."""
    k = neighbours(thresholds.k, sentences)
    if k >= thresholds.k:
        return None
    return (
        f"small pool ({reports} reports, {sentences} sentences): "
        f"{k} neighbours per sentence instead of {thresholds.k}; the thresholds are calibrated "
        "on pools of about a thousand reports, so a source found here is less certain"
    )


@dataclass
class PoolMatch:
    """What one matching run against a pool found, and how (for settings in the reports)."""

    matches: list[Match]
    encoder: str
    thresholds: Thresholds
    reports: int
    sentences: int
    neighbours: int
    warning: str | None
    texts: dict[str, tuple[str, str]]  # selected source id -> (origin, text), if asked for


def match_pool(
    articles: list[Text],
    index_dir: Path | None,
    en_paths: list[str] | None,
    encoder_name: str,
    top: int,
    encoding: str | None = None,
    with_texts: bool = False,
) -> PoolMatch:
    """Match `articles` against an index (or a temporary one over `en_paths`): the one run
    behind `xling match` and `xling audit --match`. An empty pool is bad input."""
    embedder, encoder, fingerprint = load_encoder(encoder_name)
    thresholds = Thresholds()
    with pool_index(index_dir, en_paths, embedder, encoder, fingerprint, encoding) as index:
        info = index.info()  # read once: the counts below are of this pool
        if info["sentences"] == 0:  # no report, or reports without a sentence
            where = str(index_dir) if index_dir is not None else " ".join(en_paths or [])
            raise InputError("the pool is empty: no English report with a sentence", where)
        matches = match_texts(articles, index, embedder, thresholds, top)
        wanted = sorted({s.en for m in matches for s in m.selected}) if with_texts else []
        return PoolMatch(
            matches,
            encoder,
            thresholds,
            info["reports"],
            info["sentences"],
            neighbours(thresholds.k, info["sentences"]),
            small_pool_warning(info["reports"], info["sentences"], thresholds),
            index.texts(wanted) if wanted else {},
        )


def match_texts(
    texts: list[Text],
    index: ReportIndex,
    embedder,
    thresholds: Thresholds,
    top: int,
) -> list[Match]:
    vectors = embed_texts(texts, embedder)
    return match_vectors(texts, vectors, index, thresholds, top)


def match_vectors(
    texts: list[Text],
    vectors: list[np.ndarray],
    index: ReportIndex,
    thresholds: Thresholds,
    top: int,
) -> list[Match]:
    out = []
    k = pool_neighbours(index, thresholds)
    for text, v in zip(texts, vectors, strict=True):
        hit = index.search(v, k)
        out.append(rank(text.id, hit, text.numbers, thresholds, top, text.origin))
    return out
