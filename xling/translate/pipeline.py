"""Articles in, translated articles out: `<stem>.en.txt` (same paragraph layout) and
`<stem>.jsonl` (one record per sentence), written atomically, skipped when already done."""

from __future__ import annotations

import contextlib
import glob
import json
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from xling.io.articles import Article
from xling.io.atomic import atomic_open
from xling.records import Sentence, Translation
from xling.text.segment import segment_paragraphs
from xling.translate.batch import BatchOptions, BatchTranslator, Result


def segment(article: Article) -> list[Sentence]:
    """The article's sentences, numbered in document order (the ids of the JSONL records)."""
    return segment_paragraphs(article.doc.paragraphs)


def output_paths(out_dir: Path, article: Article) -> tuple[Path, Path]:
    stem = out_dir / article.out_stem
    return stem.with_name(stem.name + ".en.txt"), stem.with_name(stem.name + ".jsonl")


def outputs_complete(article: Article, model: str, jsonl_text: str, en_text: str) -> bool:
    """Whether an article's two output files are the whole, valid translation of its current
    source by `model`: one record per sentence, in order, each with this source sentence, and
    the .en.txt that those records render. Anything else (a damaged or cut file, a 0-byte
    .jsonl for a non-empty article, another model, an edited source) is redone."""
    expected = [(s.para, s.text) for s in segment(article)]
    paragraphs: list[list[str]] = [[] for _ in article.doc.paragraphs]
    got = []
    try:
        for line in jsonl_text.splitlines():
            record = json.loads(line)
            if record.get("model") != model or not isinstance(record.get("mt"), str):
                return False
            got.append((record["para"], record["src"]))
            paragraphs[record["para"]].append(record["mt"])
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return False
    if got != expected:
        return False
    body = article.separator.join(" ".join(p) for p in paragraphs)
    return en_text == (body + "\n" if body else "")


def is_done(out_dir: Path, article: Article, model: str) -> bool:
    """Done = both files are there, whole and valid (`outputs_complete`). Unreadable ones are
    simply redone."""
    text_path, jsonl_path = output_paths(out_dir, article)
    try:
        jsonl_text = jsonl_path.read_text(encoding="utf-8")
        en_text = text_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return outputs_complete(article, model, jsonl_text, en_text)


def remove_stale_temps(path: Path) -> None:
    """Temp files atomic_open left beside `path` when a run was killed between write and
    rename (the run holds --out's lock, so no other writer owns them)."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def render_text(article: Article, translations: list[Translation]) -> str:
    paragraphs: list[list[str]] = [[] for _ in article.doc.paragraphs]
    for tr in translations:
        paragraphs[tr.sentence.para].append(tr.text)
    body = article.separator.join(" ".join(p) for p in paragraphs)
    return body + "\n" if body else ""


def write_article(out_dir: Path, article: Article, translations: list[Translation]) -> None:
    text_path, jsonl_path = output_paths(out_dir, article)
    remove_stale_temps(jsonl_path)
    remove_stale_temps(text_path)
    with atomic_open(jsonl_path) as handle:
        for tr in translations:
            handle.write(json.dumps(tr.to_json(article.doc.id), ensure_ascii=False) + "\n")
    with atomic_open(text_path) as handle:
        handle.write(render_text(article, translations))


@dataclass
class RunSummary:
    articles: int = 0
    skipped: int = 0
    empty: list[str] = field(default_factory=list)
    sentences: int = 0
    numbers_flagged: int = 0
    length_flagged: int = 0


def remember_names(
    translations: list[Translation],
    options: BatchOptions,
    cost: Callable[[str], int] | None = None,
) -> None:
    """One English spelling per Arabic name across the article (`--name-memory`); `cost`:
    the model's tokens per spelling (`Engine.spelling_cost`), fewer preferred."""
    from xling.translate.names import unify_names

    terms = options.glossary.terms
    texts, _ = unify_names(
        [t.sentence.text for t in translations],
        [t.text for t in translations],
        keep=lambda key: any(term.in_source(key) for term in terms),
        cost=cost,
    )
    for translation, text in zip(translations, texts, strict=True):
        translation.text = text


def _to_translation(sentence: Sentence, result: Result, model: str) -> Translation:
    return Translation(
        sentence,
        result.text,
        model,
        result.numbers_ok,
        result.numbers_missing,
        result.split,
        result.length_ok,
        result.untranslated,
        result.glossary_missing,
    )


def translate_articles(
    articles: Iterable[Article],
    translator: BatchTranslator,
    out_dir: Path | None,
    *,
    force: bool = False,
    on_article: Callable[[Article, list[Translation]], None] | None = None,
    per_article: bool = False,
) -> RunSummary:
    """Translate every article not yet done; `on_article` sees each one as it completes.

    Sentences of many articles share batches; articles are written as soon as their last
    sentence is back, so an interrupted run keeps every finished article.

    per_article: batch each article's sentences on their own. An int8 model's output for a
    sentence can change with its batch (padding length and GEMM shapes change the rounding), so
    this makes an article's translation a function of the article alone: the same in a local
    run, on any Ray worker (which translates one article per call), after a resume or a retry.
    """
    if per_article:
        total = RunSummary()
        for article in articles:
            one = translate_articles(
                [article], translator, out_dir, force=force, on_article=on_article
            )
            total.articles += one.articles
            total.skipped += one.skipped
            total.empty += one.empty
            total.sentences += one.sentences
            total.numbers_flagged += one.numbers_flagged
            total.length_flagged += one.length_flagged
        return total
    model = translator.engine.name
    summary = RunSummary()
    pending: deque[tuple[Article, list[Sentence]]] = deque()

    def sentences() -> Iterator[str]:
        for article in articles:
            if (
                out_dir is not None
                and article.out_stem is not None
                and not force
                and is_done(out_dir, article, model)
            ):
                summary.skipped += 1
                continue
            sents = segment(article)
            pending.append((article, sents))
            yield from (s.text for s in sents)

    done: list[Translation] = []

    def finish_ready() -> None:
        nonlocal done
        while pending and len(done) == len(pending[0][1]):
            article, _ = pending.popleft()
            if translator.options.name_memory:
                remember_names(done, translator.options, translator.engine.spelling_cost)
            if article.empty:
                summary.empty.append(article.origin)
            if out_dir is not None and article.out_stem is not None:
                write_article(out_dir, article, done)
            if on_article:
                on_article(article, done)
            summary.articles += 1
            summary.sentences += len(done)
            summary.numbers_flagged += sum(not t.numbers_ok for t in done)
            summary.length_flagged += sum(not t.length_ok for t in done)
            done = []

    for result in translator.translate(sentences()):
        finish_ready()  # articles with no sentences ahead of this one
        article, sents = pending[0]
        done.append(_to_translation(sents[len(done)], result, model))
        finish_ready()
    finish_ready()
    return summary


def print_stdout(article: Article, translations: list[Translation]) -> None:
    sys.stdout.write(render_text(article, translations))
    sys.stdout.flush()
