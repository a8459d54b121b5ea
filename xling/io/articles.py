"""Reading articles: .txt files, folders of them, JSONL ({"id", "text"} per line) and stdin.

Paragraphs are blank-line blocks when the file has blank lines between text, else single lines;
the output keeps the same layout. Bad input raises InputError naming the file and the line.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from xling.errors import InputError
from xling.io.decode import decode_bytes  # noqa: F401  (re-exported: its old home)
from xling.io.outputs import NAME_MAX, NAME_OVERHEAD, name_fits
from xling.records import Document

_SAFE_ID = re.compile(r"^[\w\u0600-\u06FF.@+=-][\w\u0600-\u06FF .@+=-]*$")


@dataclass(frozen=True)
class Article:
    doc: Document
    origin: str  # where it came from, for messages: a path, or path:line for JSONL
    out_stem: PurePosixPath | None  # output path without suffix, relative to --out (None: stdout)
    separator: str = "\n"  # between paragraphs in the output: "\n" or "\n\n"
    empty: bool = False


def split_paragraphs(text: str) -> tuple[list[str], str]:
    """Paragraphs and the separator that joined them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n\n")
    lines = text.split("\n")
    if re.search(r"\S\n[ \t]*\n+[ \t]*\S", text):
        blocks = re.split(r"\n[ \t]*\n+", text.strip())
        return [" ".join(b.split()) for b in blocks if b.strip()], "\n\n"
    return [" ".join(line.split()) for line in lines if line.strip()], "\n"


def article_stem(path: Path) -> str:
    """`story.txt` → `story`; a language tag is dropped too: `story.ar.txt` → `story`, so the
    translation lands beside its English source as `story.en.txt`."""
    stem = path.stem
    return stem[:-3] if stem.endswith(".ar") and len(stem) > 3 else stem


def _article(doc_id: str, text: str, origin: str, out_stem: PurePosixPath | None) -> Article:
    paragraphs, separator = split_paragraphs(text)
    return Article(Document(doc_id, paragraphs), origin, out_stem, separator, not paragraphs)


def read_txt(path: Path, out_stem: PurePosixPath, encoding: str | None) -> Article:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", str(path)) from exc
    return _article(
        article_stem(path), decode_bytes(data, str(path), encoding), str(path), out_stem
    )


def check_jsonl(path: Path, encoding: str | None) -> list[tuple[int, str]]:
    """Validate a whole JSONL file before anything is translated; return (line, id) of each
    record."""
    ids: dict[str, int] = {}
    for number, line in _jsonl_lines(path, encoding):
        record = _parse_record(line, str(path), number)
        if record["id"] in ids:
            raise InputError(
                f"duplicate id {record['id']!r} (first on line {ids[record['id']]})",
                str(path),
                number,
            )
        ids[record["id"]] = number
    return [(number, doc_id) for doc_id, number in ids.items()]


def _jsonl_lines(path: Path, encoding: str | None) -> Iterator[tuple[int, str]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", str(path)) from exc
    for number, line in enumerate(decode_bytes(data, str(path), encoding).splitlines(), 1):
        if line.strip():
            yield number, line


def _parse_record(line: str, origin: str, number: int) -> dict:
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
        record = _parse_record(line, str(path), number)
        yield _article(
            record["id"], record["text"], f"{path}:{number}", PurePosixPath(record["id"])
        )


@dataclass
class Source:
    """One input of the command line, checked: what it is and the outputs it will write."""

    kind: str  # "stdin" | "txt" | "jsonl"
    path: Path
    outputs: list[tuple[PurePosixPath, str]] = field(default_factory=list)  # (stem, origin)


def is_xling_output(path: Path) -> bool:
    """`<stem>.en.txt` beside its `<stem>.jsonl`: what `xling translate` writes."""
    name = path.name
    return name.endswith(".en.txt") and path.with_name(name[: -len(".en.txt")] + ".jsonl").is_file()


def _folder_files(folder: Path, out_dir: Path | None) -> list[Path]:
    """The .txt files below `folder`, less xling's own outputs when --out is inside it (a run
    with --out equal to the input folder must not translate its English the next time)."""
    out = out_dir.resolve() if out_dir is not None else None
    files = []
    for path in sorted(folder.rglob("*.txt")):
        if path.name.startswith(".") or not path.is_file():
            continue
        if out is not None and path.resolve().is_relative_to(out) and is_xling_output(path):
            continue
        files.append(path)
    return files


def expand_inputs(
    paths: list[str], encoding: str | None, out_dir: Path | None = None
) -> list[Source]:
    """Resolve the command line's inputs into checked sources.

    Everything is checked before the first article is translated, so a typo in the last path or
    a malformed line in a JSONL file fails fast instead of after hours of work.
    """
    roots = [Path(raw) for raw in paths if raw != "-" and Path(raw).is_dir()]

    def out_stem_for(path: Path) -> PurePosixPath:
        for root in roots:
            if path.is_relative_to(root):
                rel = path.relative_to(root)
                return PurePosixPath(rel.parent.as_posix()) / article_stem(path)
        return PurePosixPath(article_stem(path))

    sources: list[Source] = []
    for raw in paths:
        if raw == "-":
            sources.append(Source("stdin", Path("-")))
            continue
        path = Path(raw)
        if path.is_dir():
            files = _folder_files(path, out_dir)
            if not files:
                raise InputError("folder has no .txt files", raw)
            sources.extend(Source("txt", p, [(out_stem_for(p), str(p))]) for p in files)
        elif path.is_file():
            if path.suffix == ".jsonl":
                records = check_jsonl(path, encoding)
                outputs = [(PurePosixPath(i), f"{path}:{n}") for n, i in records]
                sources.append(Source("jsonl", path, outputs))
            else:
                sources.append(Source("txt", path, [(out_stem_for(path), str(path))]))
        else:
            raise InputError("no such file or folder", raw)
    _check_collisions(sources, out_dir)
    return sources


def _check_collisions(sources: list[Source], out_dir: Path | None) -> None:
    """Two inputs that would write one output pair, or an output that would overwrite an
    input: refused before any work, whatever their kinds (.txt, JSONL ids in many files)."""
    seen: dict[PurePosixPath, str] = {}
    inputs = {s.path.resolve(): s.path for s in sources if s.kind != "stdin"}
    for source in sources:
        for stem, origin in source.outputs:
            if out_dir is not None:
                for suffix in (".en.txt", ".jsonl"):
                    target = (out_dir / f"{stem}{suffix}").resolve()
                    if target in inputs:
                        raise InputError(
                            f"its translation would overwrite the input {inputs[target]}; "
                            "give another --out",
                            origin,
                        )
            if not name_fits(stem.name):
                raise InputError(
                    f"id {stem.name[:40]!r}... is too long to name an output file "
                    f"({len(stem.name.encode())} bytes; at most {NAME_MAX - NAME_OVERHEAD})",
                    origin,
                )
            if stem in seen:
                raise InputError(
                    f"writes the same output as {seen[stem]} ({stem}.en.txt); "
                    "translate them in separate runs or rename one",
                    origin,
                )
            seen[stem] = origin


def iter_articles(
    paths: list[str], encoding: str | None = None, out_dir: Path | None = None
) -> tuple[Iterator[Article], int]:
    sources = expand_inputs(paths, encoding, out_dir)
    total = sum(1 if s.kind == "stdin" else len(s.outputs) for s in sources)

    def generate() -> Iterator[Article]:
        for source in sources:
            if source.kind == "stdin":
                yield _article(
                    "stdin",
                    decode_bytes(sys.stdin.buffer.read(), "<stdin>", encoding),
                    "<stdin>",
                    None,
                )
            elif source.kind == "jsonl":
                yield from read_jsonl(source.path, encoding)
            else:
                yield read_txt(source.path, source.outputs[0][0], encoding)

    return generate(), total
