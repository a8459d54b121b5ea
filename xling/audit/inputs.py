"""Inputs of `xling audit`: document pairs (two files or two folders paired by stem) and MT."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xling.audit.run import MTInput, norm_source
from xling.errors import InputError, XlingError
from xling.io.articles import read_text, split_paragraphs
from xling.io.pairs import pair_folders as pair_by_stem
from xling.io.pairs import pair_stem
from xling.io.translations import read_translation_records


@dataclass(frozen=True)
class DocPair:
    id: str
    en: Path
    ar: Path


def pair_folders(en_dir: Path, ar_dir: Path) -> tuple[list[DocPair], list[str]]:
    """Pairs by stem (xling.io.pairs), and a warning line for each file without a partner."""
    pairs, warnings = pair_by_stem(en_dir, ar_dir)
    return [DocPair(stem, en, ar) for stem, en, ar in pairs], warnings


def doc_pairs(
    en_file: Path | None, ar_file: Path | None, en_dir: Path | None, ar_dir: Path | None
) -> tuple[list[DocPair], list[str]]:
    """The document pairs of `xling audit`: two files, or two folders paired by stem; with a
    warning line for each file without a partner."""
    if en_dir is not None or ar_dir is not None:
        if en_file or ar_file:
            raise XlingError("give EN_FILE AR_FILE or --en-dir/--ar-dir, not both")
        if en_dir is None or ar_dir is None:
            raise XlingError("folder mode needs both --en-dir and --ar-dir")
        return pair_folders(en_dir, ar_dir)
    if en_file is None or ar_file is None:
        raise XlingError("give EN_FILE AR_FILE, or --en-dir DIR --ar-dir DIR")
    for path in (en_file, ar_file):
        if not path.is_file():
            raise InputError("no such file", str(path))
    return [DocPair(pair_stem(ar_file), en_file, ar_file)], []


def read_mt_jsonl(path: Path, doc_id: str | None = None) -> MTInput:
    """`xling translate` records ({"src", "mt", ...} per line); `doc_id` keeps one document's."""
    mt = MTInput(origin=str(path))
    for record in read_translation_records(path):
        if doc_id is not None and "doc" in record and str(record["doc"]) != doc_id:
            continue
        mt.by_source[norm_source(record["src"])] = record["mt"]
    return mt


def read_mt_lines(path: Path, ar_text: str, encoding: str | None = None) -> MTInput:
    """A plain text translation: one line (or blank-line block) per Arabic line."""
    lines, _ = split_paragraphs(read_text(path, encoding))
    ar_lines, _ = split_paragraphs(ar_text)
    if len(lines) != len(ar_lines):
        raise InputError(
            f"has {len(lines)} lines of translation for {len(ar_lines)} Arabic lines "
            "(give one translation per Arabic line, or xling translate's .jsonl)",
            str(path),
        )
    return MTInput(lines=lines, origin=str(path))


def read_mt(path: Path, pair: DocPair, ar_text: str, encoding: str | None = None) -> MTInput:
    """MT for one pair from --mt: a .jsonl file, a plain text file, or a folder holding
    `<stem>.jsonl` (or `<stem>.en.txt`) as `xling translate --out` writes them."""
    if path.is_dir():
        for candidate in (path / f"{pair.id}.jsonl", path / f"{pair.ar.stem}.jsonl"):
            if candidate.is_file():
                return read_mt_jsonl(candidate)
        for candidate in (path / f"{pair.id}.en.txt", path / f"{pair.id}.txt"):
            if candidate.is_file():
                return read_mt_lines(candidate, ar_text, encoding)
        raise InputError(f"no {pair.id}.jsonl or {pair.id}.en.txt for {pair.ar}", str(path))
    if not path.is_file():
        raise InputError("no such file or folder", str(path))
    if path.suffix == ".jsonl":
        return read_mt_jsonl(path)
    return read_mt_lines(path, ar_text, encoding)
