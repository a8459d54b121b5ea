"""Reading articles: .txt files, folders of them, JSONL ({"id", "text"} per line) and stdin.

Paragraphs are blank-line blocks when the file has blank lines between text, else single lines;
the output keeps the same layout. Bad input raises InputError naming the file and the line.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath

from xling.errors import InputError
from xling.io.pairs import pair_stem
from xling.records import Document

_SAFE_ID = re.compile(r"^[\w\u0600-\u06FF.@+=-][\w\u0600-\u06FF .@+=-]*$")


@dataclass(frozen=True)
class Article:
    doc: Document
    origin: str  # where it came from, for messages: a path, or path:line for JSONL
    out_stem: PurePosixPath | None  # output path without suffix, relative to --out (None: stdout)
    separator: str = "\n"  # between paragraphs in the output: "\n" or "\n\n"
    empty: bool = False


def decode_bytes(data: bytes, origin: str, encoding: str | None = None) -> str:
    """UTF-8 (with or without BOM) and UTF-16 with a BOM by default; any codec when asked."""
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError as exc:
            raise InputError(f"unknown encoding {encoding!r}") from exc
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(f"not valid {encoding} (byte {exc.start})", origin, line) from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 (byte {exc.start}); if it is Windows Arabic, add --encoding cp1256",
            origin,
            line,
        ) from exc


def split_paragraphs(text: str) -> tuple[list[str], str]:
    """Paragraphs and the separator that joined them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n\n")
    lines = text.split("\n")
    if re.search(r"\S\n[ \t]*\n+[ \t]*\S", text):
        blocks = re.split(r"\n[ \t]*\n+", text.strip())
        return [" ".join(b.split()) for b in blocks if b.strip()], "\n\n"
    return [" ".join(line.split()) for line in lines if line.strip()], "\n"


def article_stem(path: PurePath) -> str:
    """`story.txt` → `story`; the Arabic tag is dropped too: `story.ar.txt` → `story`, so the
    translation lands beside its English source as `story.en.txt`."""
    return pair_stem(path, (".ar",))


def read_text(path: Path, encoding: str | None = None) -> str:
    """A text file, decoded as `decode_bytes` does (the one reader of translate, align, audit)."""
    if not path.exists():
        raise InputError("no such file", str(path))
    if path.is_dir():
        raise InputError("is a folder, not a file", str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", str(path)) from exc
    return decode_bytes(data, str(path), encoding)


def make_article(doc_id: str, text: str, origin: str, out_stem: PurePosixPath | None) -> Article:
    """An Article from a decoded text: its paragraphs, their separator, empty or not."""
    paragraphs, separator = split_paragraphs(text)
    return Article(Document(doc_id, paragraphs), origin, out_stem, separator, not paragraphs)


def read_txt(path: Path, out_stem: PurePosixPath, encoding: str | None) -> Article:
    return make_article(article_stem(path), read_text(path, encoding), str(path), out_stem)


def check_jsonl(path: Path, encoding: str | None) -> int:
    """Validate a whole JSONL file before anything is translated; return its record count."""
    ids: dict[str, int] = {}
    for number, line in _jsonl_lines(path, encoding):
        record = parse_record(line, str(path), number)
        if record["id"] in ids:
            raise InputError(
                f"duplicate id {record['id']!r} (first on line {ids[record['id']]})",
                str(path),
                number,
            )
        ids[record["id"]] = number
    return len(ids)


def _jsonl_lines(path: Path, encoding: str | None) -> Iterator[tuple[int, str]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", str(path)) from exc
    for number, line in enumerate(decode_bytes(data, str(path), encoding).splitlines(), 1):
        if line.strip():
            yield number, line


def parse_record(line: str, origin: str, number: int) -> dict:
    """One JSONL input line as {"id", "text"}; InputError (origin:number) when it is not one."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"malformed JSON ({exc.msg} at column {exc.colno})", origin, number
        ) from exc
    if not isinstance(record, dict) or "text" not in record or "id" not in record:
        raise InputError('each line must be an object with "id" and "text"', origin, number)
    if not isinstance(record["text"], str):
        raise InputError('"text" must be a string', origin, number)
    record["id"] = str(record["id"])
    if not _SAFE_ID.match(record["id"]) or record["id"] in (".", ".."):
        raise InputError(
            f"id {record['id']!r} cannot name an output file (use letters, digits, "
            "spaces, . _ - @ + =)",
            origin,
            number,
        )
    return record


def read_jsonl(path: Path, encoding: str | None) -> Iterator[Article]:
    for number, line in _jsonl_lines(path, encoding):
        record = parse_record(line, str(path), number)
        yield make_article(
            record["id"], record["text"], f"{path}:{number}", PurePosixPath(record["id"])
        )


def expand_inputs(paths: list[str], encoding: str | None) -> tuple[list[tuple[str, Path]], int]:
    """Resolve the command line's inputs into (kind, path) items and count the articles.

    Everything is checked before the first article is translated, so a typo in the last path or
    a malformed line in a JSONL file fails fast instead of after hours of work.
    """
    items: list[tuple[str, Path]] = []
    total = 0
    for raw in paths:
        if raw == "-":
            items.append(("stdin", Path("-")))
            total += 1
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*.txt") if p.is_file() and not p.name.startswith(".")
            )
            items.extend(("dir", p) for p in files)
            total += len(files)
            if not files:
                raise InputError("folder has no .txt files", raw)
        elif path.is_file():
            if path.suffix == ".jsonl":
                total += check_jsonl(path, encoding)
                items.append(("jsonl", path))
            else:
                items.append(("txt", path))
                total += 1
        else:
            raise InputError("no such file or folder", raw)
    return items, total


def iter_articles(paths: list[str], encoding: str | None = None) -> tuple[Iterator[Article], int]:
    items, total = expand_inputs(paths, encoding)
    roots = {Path(raw) for raw in paths if raw != "-" and Path(raw).is_dir()}

    def out_stem_for(path: Path) -> PurePosixPath:
        for root in roots:
            if path.is_relative_to(root):
                rel = path.relative_to(root)
                return PurePosixPath(rel.parent.as_posix()) / article_stem(path)
        return PurePosixPath(article_stem(path))

    seen: dict[PurePosixPath, Path] = {}
    for kind, path in items:
        if kind in ("txt", "dir"):
            stem = out_stem_for(path)
            if stem in seen:
                raise InputError(
                    f"writes the same output as {seen[stem]} ({stem}.en.txt); "
                    "translate them in separate runs or rename one",
                    str(path),
                )
            seen[stem] = path

    def generate() -> Iterator[Article]:
        for kind, path in items:
            if kind == "stdin":
                yield make_article(
                    "stdin",
                    decode_bytes(sys.stdin.buffer.read(), "<stdin>", encoding),
                    "<stdin>",
                    None,
                )
            elif kind == "jsonl":
                yield from read_jsonl(path, encoding)
            else:
                yield read_txt(path, out_stem_for(path), encoding)

    return generate(), total
