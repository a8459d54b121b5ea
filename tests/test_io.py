"""Reading articles and writing outputs: layouts, encodings, bad input, atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xling.errors import InputError
from xling.io.articles import decode_bytes, iter_articles, split_paragraphs
from xling.io.atomic import atomic_open, atomic_write_text

AR = "قال المتحدث إن 130 شخصا قتلوا. وأصيب ١٨٠ آخرون."


def test_paragraphs_are_lines_or_blank_line_blocks() -> None:
    assert split_paragraphs("أ\nب\n\nج\n") == (["أ ب", "ج"], "\n\n")
    assert split_paragraphs("أ\nب\nج\n") == (["أ", "ب", "ج"], "\n")
    assert split_paragraphs("one\r\ntwo\r\n") == (["one", "two"], "\n")
    assert split_paragraphs("\n\n  \n") == ([], "\n")


def test_encodings() -> None:
    assert decode_bytes(AR.encode("utf-8"), "x") == AR
    assert decode_bytes(b"\xef\xbb\xbf" + AR.encode("utf-8"), "x") == AR
    assert decode_bytes(AR.encode("utf-16"), "x") == AR  # BOM, little endian
    assert decode_bytes(b"\xfe\xff" + AR.encode("utf-16-be"), "x") == AR
    windows = "سطر أول\nقال المتحدث إن 130 شخصا قتلوا."  # cp1256 has no Arabic-Indic digits
    cp1256 = windows.encode("cp1256")
    with pytest.raises(InputError) as err:
        decode_bytes(cp1256, "news.txt")
    assert "news.txt:1:" in str(err.value) and "--encoding cp1256" in str(err.value)
    assert decode_bytes(cp1256, "x", "cp1256") == windows
    with pytest.raises(InputError, match="unknown encoding"):
        decode_bytes(b"x", "x", "no-such-codec")


def test_folder_inputs_mirror_subfolders_and_drop_the_language_tag(tmp_path: Path) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "a.ar.txt").write_text(AR, encoding="utf-8")
    (tmp_path / "in" / "sub" / "b.txt").write_text(AR + "\n\n" + AR, encoding="utf-8")
    (tmp_path / "in" / "notes.md").write_text("ignored", encoding="utf-8")
    articles, total = iter_articles([str(tmp_path / "in")])
    got = [(str(a.out_stem), a.doc.id, len(a.doc.paragraphs), a.separator) for a in articles]
    assert total == 2
    assert got == [("a", "a", 1, "\n"), ("sub/b", "b", 2, "\n\n")]


def test_jsonl_is_checked_whole_before_anything_runs(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    good = [json.dumps({"id": f"d{i}", "text": AR}, ensure_ascii=False) for i in range(3)]
    path.write_text("\n".join(good) + "\n", encoding="utf-8")
    articles, total = iter_articles([str(path)])
    assert total == 3 and [a.doc.id for a in articles] == ["d0", "d1", "d2"]
    for bad, message in [
        ('{"id": "x", "text": "a"', "malformed JSON"),
        ('{"id": "x"}', '"id" and "text"'),
        ('{"id": "../etc", "text": "a"}', "cannot name an output file"),
        ('{"id": "d0", "text": "again"}', "duplicate id"),
        ('{"id": "y", "text": 5}', "must be a string"),
    ]:
        path.write_text("\n".join(good[:2] + [bad]) + "\n", encoding="utf-8")
        with pytest.raises(InputError, match=message) as err:
            iter_articles([str(path)])
        assert str(err.value).startswith(f"{path}:3: ")


def test_missing_inputs_and_collisions_fail_before_work(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        iter_articles([str(tmp_path / "nope.txt")])
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with pytest.raises(InputError, match="no .txt files"):
        iter_articles([str(tmp_path / "a")])
    (tmp_path / "a" / "x.txt").write_text(AR, encoding="utf-8")
    (tmp_path / "b" / "x.ar.txt").write_text(AR, encoding="utf-8")
    with pytest.raises(InputError, match="same output"):
        iter_articles([str(tmp_path / "a"), str(tmp_path / "b")])


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "out" / "a.en.txt"
    atomic_write_text(target, "old\n")
    with pytest.raises(RuntimeError), atomic_open(target) as handle:
        handle.write("half of the new")
        raise RuntimeError("killed")
    assert target.read_text() == "old\n"
    assert [p.name for p in target.parent.iterdir()] == ["a.en.txt"]  # no temp file left


def test_translate_jsonl_is_read_back_with_file_and_line_errors(tmp_path: Path) -> None:
    from xling.io.translations import read_translation_records

    path = tmp_path / "a.jsonl"
    path.write_text('{"src": "نص", "mt": "text", "sent": 0}\n\n{"src": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match='string "src" and "mt"') as err:
        read_translation_records(path)
    assert str(err.value).startswith(f"{path}:3: ")
    path.write_text('{"src": "نص", "mt": "text", "sent": 0}\n', encoding="utf-8")
    assert read_translation_records(path) == [{"src": "نص", "mt": "text", "sent": 0}]
