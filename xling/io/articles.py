"""Reading articles: .txt files, folders of them, JSONL ({"id", "text"} per line) and stdin.

Paragraphs are blank-line blocks when the file has blank lines between text, else single lines;
the output keeps the same layout. Bad input raises InputError naming the file and the line.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath

from xling.errors import InputError
from xling.io.decode import decode_bytes  # noqa: F401  (re-exported: its old home)
from xling.io.outputs import NAME_MAX, NAME_OVERHEAD, name_fits
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


def check_jsonl(path: Path, encoding: str | None) -> list[tuple[int, str]]:
    """Validate a whole JSONL file before anything is translated; return (line, id) of each
    record."""
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
    return [(number, doc_id) for doc_id, number in ids.items()]


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


def _folder_files(folder: Path, out_dir: Path | None) -> tuple[list[Path], list[InputError]]:
    """The .txt files below `folder`, less xling's own outputs when --out is inside it (a run
    with --out equal to the input folder must not translate its English the next time), and
    an error for each broken symlink (never skipped silently)."""
    out = out_dir.resolve() if out_dir is not None else None
    files, broken = [], []
    for path in sorted(folder.rglob("*.txt")):
        if path.name.startswith("."):
            continue
        if path.is_symlink() and not path.exists():
            broken.append(InputError(f"broken symlink (to {os.readlink(path)})", str(path)))
            continue
        if not path.is_file():
            continue
        if out is not None and path.resolve().is_relative_to(out) and is_xling_output(path):
            continue
        files.append(path)
    return files, broken


def check_txt(path: Path, encoding: str | None) -> None:
    """Read and decode a .txt input now, so that a bad one fails before any work."""
    read_text(path, encoding)


class BadInputs(InputError):
    """Every bad input of a run, one line each, then what to do."""

    def __init__(self, errors: list[InputError]):
        lines = [str(e) for e in errors]
        lines.append(
            f"{len(errors)} bad input(s), nothing translated; fix them, or --skip-bad to "
            "translate the rest"
        )
        super().__init__("\n".join(lines))
        self.errors = errors


@dataclass
class InputPlan:
    sources: list[Source]
    bad: list[InputError]  # inputs refused (all listed; --skip-bad translates the rest)


def expand_inputs(paths: list[str], encoding: str | None, out_dir: Path | None = None) -> InputPlan:
    """Resolve the command line's inputs into checked sources and the bad ones.

    Everything is read and checked before the first article is translated, so a typo in the
    last path, a file in the wrong encoding or a malformed JSONL line fails fast, all of them
    listed, instead of after hours of work.
    """
    roots = [Path(raw) for raw in paths if raw != "-" and Path(raw).is_dir()]

    def out_stem_for(path: Path) -> PurePosixPath:
        for root in roots:
            if path.is_relative_to(root):
                rel = path.relative_to(root)
                return PurePosixPath(rel.parent.as_posix()) / article_stem(path)
        return PurePosixPath(article_stem(path))

    def txt(path: Path) -> Source:
        check_txt(path, encoding)
        return Source("txt", path, [(out_stem_for(path), str(path))])

    sources: list[Source] = []
    bad: list[InputError] = []
    seen_files: list[Path] = []  # every input file, good or bad: none may be overwritten
    for raw in paths:
        if raw == "-":
            sources.append(Source("stdin", Path("-")))
            continue
        path = Path(raw)
        seen_files.append(path)
        try:
            if path.is_dir():
                files, broken = _folder_files(path, out_dir)
                seen_files.extend(files)
                bad.extend(broken)
                if not files and not broken:
                    raise InputError("folder has no .txt files", raw)
                for file in files:
                    try:
                        sources.append(txt(file))
                    except InputError as exc:
                        bad.append(exc)
            elif path.is_file():
                if path.suffix == ".jsonl":
                    records = check_jsonl(path, encoding)
                    outputs = [(PurePosixPath(i), f"{path}:{n}") for n, i in records]
                    sources.append(Source("jsonl", path, outputs))
                else:
                    sources.append(txt(path))
            elif path.is_symlink():
                raise InputError(f"broken symlink (to {os.readlink(path)})", raw)
            else:
                raise InputError("no such file or folder", raw)
        except InputError as exc:
            bad.append(exc)
    return InputPlan(_check_outputs(sources, out_dir, bad, seen_files), bad)


def _output_problem(
    stem: PurePosixPath,
    origin: str,
    out_dir: Path | None,
    inputs: dict[Path, Path],
    seen: dict[PurePosixPath, str],
) -> InputError | None:
    if out_dir is not None:
        for suffix in (".en.txt", ".jsonl"):
            target = (out_dir / f"{stem}{suffix}").resolve()
            if target in inputs:
                return InputError(
                    f"its translation would overwrite the input {inputs[target]}; "
                    "give another --out",
                    origin,
                )
    if not name_fits(stem.name):
        return InputError(
            f"id {stem.name[:40]!r}... is too long to name an output file "
            f"({len(stem.name.encode())} bytes; at most {NAME_MAX - NAME_OVERHEAD})",
            origin,
        )
    if stem in seen:
        return InputError(
            f"writes the same output as {seen[stem]} ({stem}.en.txt); "
            "translate them in separate runs or rename one",
            origin,
        )
    return None


def _check_outputs(
    sources: list[Source], out_dir: Path | None, bad: list[InputError], files: list[Path]
) -> list[Source]:
    """Two inputs that would write one output pair, an output that would overwrite an input,
    a name too long for the file system: refused before any work, whatever the inputs' kinds
    (.txt, JSONL ids in one or many files). Returns the sources without such problems."""
    seen: dict[PurePosixPath, str] = {}
    inputs = {p.resolve(): p for p in files if p.is_file()}
    kept = []
    for source in sources:
        mine: dict[PurePosixPath, str] = {}
        for stem, origin in source.outputs:
            problem = _output_problem(stem, origin, out_dir, inputs, {**seen, **mine})
            if problem is not None:
                bad.append(problem)
                break
            mine[stem] = origin
        else:
            seen.update(mine)
            kept.append(source)
    return kept


@dataclass
class ArticlePlan:
    articles: Iterator[Article]
    total: int
    skipped: list[InputError]  # bad inputs left out (--skip-bad)


def plan_articles(
    paths: list[str],
    encoding: str | None = None,
    out_dir: Path | None = None,
    skip_bad: bool = False,
) -> ArticlePlan:
    """The articles to translate. Bad inputs raise BadInputs (all of them listed) unless
    `skip_bad`, which leaves them out and reports them in `skipped`."""
    plan = expand_inputs(paths, encoding, out_dir)
    if plan.bad and not skip_bad:
        raise plan.bad[0] if len(plan.bad) == 1 else BadInputs(plan.bad)
    if not plan.sources:
        raise BadInputs(plan.bad) if plan.bad else InputError("no input")
    sources = plan.sources
    total = sum(1 if s.kind == "stdin" else len(s.outputs) for s in sources)

    def generate() -> Iterator[Article]:
        for source in sources:
            if source.kind == "stdin":
                yield make_article(
                    "stdin",
                    decode_bytes(sys.stdin.buffer.read(), "<stdin>", encoding),
                    "<stdin>",
                    None,
                )
            elif source.kind == "jsonl":
                yield from read_jsonl(source.path, encoding)
            else:
                yield read_txt(source.path, source.outputs[0][0], encoding)

    return ArticlePlan(generate(), total, plan.bad)


def iter_articles(
    paths: list[str], encoding: str | None = None, out_dir: Path | None = None
) -> tuple[Iterator[Article], int]:
    plan = plan_articles(paths, encoding, out_dir)
    return plan.articles, plan.total
