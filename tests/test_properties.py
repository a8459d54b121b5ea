"""Property-based tests (hypothesis) over the readers and the real command line.

Whatever the bytes, encodings, BOMs, control characters, JSONL shapes, ids and folder layouts:
every input either is read with its text intact or fails with one line naming it and a
documented exit code; nothing is written outside --out; no output file is half-written or
overwritten by another input. Example counts are bounded to keep the suite to about a minute.
"""

from __future__ import annotations

import codecs
import json
import tempfile
from pathlib import Path

from conftest import run_xling
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from xling.errors import InputError
from xling.io.articles import plan_articles, split_paragraphs
from xling.io.decode import decode_bytes
from xling.translate.pipeline import is_done, output_paths

FAST = settings(max_examples=150, deadline=None)
CLI = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Text as articles hold it: Arabic, ASCII, Arabic-Indic digits, punctuation, whitespace and the
# control characters that are not NUL.
ARABIC = st.characters(min_codepoint=0x0621, max_codepoint=0x064A)
TEXT_CHARS = st.one_of(
    ARABIC,
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.sampled_from("٠١٢٣٤٥٦٧٨٩،؛؟«»\n\n\r\t \u00a0\u200f"),
    st.characters(min_codepoint=0x01, max_codepoint=0x1F),
)
TEXTS = st.text(TEXT_CHARS, max_size=120)


def normalised(text: str) -> str:
    """What survives reading: words in order (paragraph layout and spacing are the reader's)."""
    return " ".join(text.replace("\u2029", "\n").split())


def article_text(paragraphs: list[str]) -> str:
    return " ".join(" ".join(paragraphs).split())


def one_line_error(exc: InputError, origin: str) -> None:
    message = str(exc)
    assert "\n" not in message and message.startswith(origin), message


# -- decoding -----------------------------------------------------------------------------------
@FAST
@given(st.binary(max_size=200), st.sampled_from([None, "cp1256", "latin-1", "utf-16"]))
def test_any_bytes_decode_without_nul_or_fail_in_one_line(data: bytes, encoding: str | None):
    try:
        text = decode_bytes(data, "f.txt", encoding)
    except InputError as exc:
        one_line_error(exc, "f.txt")
    else:
        assert "\x00" not in text


@FAST
@given(TEXTS, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"]))
def test_text_in_any_supported_encoding_reads_back_intact(text: str, codec: str) -> None:
    data = text.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        # Without a BOM, UTF-16 is recognised by its NUL bytes (a space, digit or line break
        # gives them); a text without any is read as the bytes it is.
        assume(b"\x00" in data and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE)))
        assume(not data.startswith(codecs.BOM_UTF16_BE))
    assert decode_bytes(data, "f.txt") == text.removeprefix("\ufeff")
    assert decode_bytes(data, "f.txt", "cp1256") == text.removeprefix("\ufeff")


@FAST
@given(st.text(st.one_of(ARABIC, st.sampled_from(" .،\n0123")), max_size=80))
def test_windows_arabic_reads_back_with_encoding_and_utf8_stays_utf8(text: str) -> None:
    try:
        data = text.encode("cp1256")
    except UnicodeEncodeError:
        assume(False)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        assert decode_bytes(data, "w.txt", "cp1256") == text
    else:  # the rule: bytes that are valid UTF-8 are UTF-8, whatever --encoding says
        assert decode_bytes(data, "w.txt", "cp1256") == data.decode("utf-8")
    assert decode_bytes(text.encode("utf-8"), "u.txt", "cp1256") == text


# -- JSONL shapes and ids ---------------------------------------------------------------------
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXTS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXTS, inner, max_size=3),
    max_leaves=6,
)
IDS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["..", ".", "../x", "/etc/x", "a/b", "a\\b", "x" * 300, "ok", "ok", "é"]),
    st.integers(),
)
RECORDS = st.one_of(
    st.fixed_dictionaries({"id": IDS, "text": TEXTS}),
    st.fixed_dictionaries({"id": IDS, "text": JSON_VALUES}),
    JSON_VALUES,
)


@FAST
@given(st.lists(st.one_of(RECORDS.map(json.dumps), TEXTS), min_size=1, max_size=6))
def test_jsonl_lines_are_read_intact_or_refused_with_file_and_line(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            plan = plan_articles([str(path)], out_dir=Path(tmp) / "out")
            articles = list(plan.articles)
        except InputError as exc:
            one_line_error(exc, str(path))
            return
        records = [json.loads(line) for line in lines if line.strip()]
        assert len(articles) == len(records) == plan.total
        for article, record in zip(articles, records, strict=True):
            assert article.doc.id == str(record["id"])
            assert article_text(article.doc.paragraphs) == normalised(record["text"])
            stem = article.out_stem
            assert stem is not None and len(stem.parts) == 1 and stem.name not in ("", ".", "..")
            assert not stem.is_absolute()
        stems = [a.out_stem for a in articles]
        assert len(set(stems)) == len(stems)  # never two inputs on one output


# -- folder layouts -----------------------------------------------------------------------------
NAMES = st.sampled_from(
    ["a.txt", "a.ar.txt", "a.en.txt", "b.txt", "a.jsonl", ".hidden.txt", "c.md", "a"]
)
FOLDERS = st.sampled_from(["", "sub", "sub/deeper", "other"])
CONTENTS = st.one_of(
    TEXTS.map(lambda t: t.encode("utf-8")),
    TEXTS.map(lambda t: t.encode("utf-16")),
    st.binary(max_size=40),
    st.just(json.dumps({"id": "a", "text": "نص"}).encode()),
)
LAYOUTS = st.lists(st.tuples(FOLDERS, NAMES, CONTENTS), min_size=1, max_size=6)


def write_layout(root: Path, layout: list[tuple[str, str, bytes]]) -> None:
    for folder, name, data in layout:
        (root / folder).mkdir(parents=True, exist_ok=True)
        target = root / folder / name
        if not target.exists():
            target.write_bytes(data)


@FAST
@given(LAYOUTS, st.booleans(), st.booleans())
def test_folder_layouts_never_map_two_inputs_or_an_input_to_one_output(
    layout: list[tuple[str, str, bytes]], out_inside: bool, skip_bad: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "in"
        root.mkdir()
        write_layout(root, layout)
        out = root if out_inside else Path(tmp) / "out"
        inputs = [str(root)] + [str(p) for p in sorted(root.rglob("*.jsonl"))]
        try:
            plan = plan_articles(inputs, out_dir=out, skip_bad=skip_bad)
            articles = list(plan.articles)
        except InputError as exc:
            for line in str(exc).splitlines():  # every bad input named, one line each
                assert line.startswith(str(Path(tmp))) or "bad input(s)" in line, line
            return
        targets = [p for a in articles for p in output_paths(out, a)]
        assert len(set(targets)) == len(targets)
        sources = {Path(a.origin.rsplit(":", 1)[0]).resolve() for a in articles}
        sources |= {Path(p).resolve() for p in inputs[1:]}
        for target in targets:
            assert target.resolve().is_relative_to(out.resolve())
            assert target.resolve() not in sources  # an output never overwrites an input


# -- the real command line, with the tiny random Marian model -------------------------------------
def snapshot(root: Path, skip: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not p.resolve().is_relative_to(skip.resolve())
    }


CLI_FILES = st.lists(
    st.tuples(st.sampled_from(["a", "b", "sub/c", "sub/a"]), CONTENTS), min_size=1, max_size=3
)


@CLI
@given(CLI_FILES, st.booleans())
def test_cli_translates_intact_or_fails_in_one_documented_line(
    tiny_home: Path, files: list[tuple[str, bytes]], skip_bad: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src = root / "in"
        for stem, data in files:
            (src / stem).parent.mkdir(parents=True, exist_ok=True)
            (src / f"{stem}.txt").write_bytes(data)
        out = root / "out"
        before = snapshot(root, out)
        args = ["translate", str(src), "--out", str(out), "-m", "marian-tiny", "-q"]
        proc = run_xling([*args, "--skip-bad"] if skip_bad else args, tiny_home, timeout=120)
        assert snapshot(root, out) == before  # nothing written (or changed) outside --out
        assert "Traceback" not in proc.err
        assert proc.returncode in (0, 5), proc.err  # done, or bad input (README "Exit codes")
        if proc.returncode:
            assert all(line.startswith("xling: ") for line in proc.err.strip().splitlines())
            assert not any(out.rglob("*.jsonl")) if out.exists() else True
            return
        written = sorted(out.rglob("*"))
        assert not [p for p in written if p.name.endswith(".tmp")]  # no half-written file
        plan = plan_articles([str(src)], out_dir=out, skip_bad=True)
        for article in plan.articles:
            assert is_done(out, article, "marian-tiny")  # whole and matching its source
            jsonl = output_paths(out, article)[1]
            srcs = [json.loads(x)["src"] for x in jsonl.read_text(encoding="utf-8").splitlines()]
            assert " ".join(srcs) == article_text(article.doc.paragraphs)
            raw = decode_bytes((src / f"{article.out_stem}.txt").read_bytes(), "x")
            assert article_text(split_paragraphs(raw)[0]) == normalised(raw)
