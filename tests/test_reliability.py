"""Issue 9, reliability: no translation silently lost or garbled; every failure one clear line
with the documented exit code. Each test failed before its fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_xling

from xling.errors import InputError
from xling.io.articles import iter_articles

AR = "قال المتحدث إن 130 شخصا قتلوا. وأصيب آخرون."


def tiny(out: Path) -> list[str]:
    return ["--out", str(out), "-m", "marian-tiny", "-q"]


# -- 1. one output never overwrites another ---------------------------------------------------
def test_txt_and_jsonl_id_with_one_stem_collide_up_front(tmp_path: Path) -> None:
    (tmp_path / "p1").mkdir()
    (tmp_path / "p1" / "story.txt").write_text("شكرا\n", encoding="utf-8")
    jsonl = tmp_path / "s.jsonl"
    jsonl.write_text('{"id": "story", "text": "مرحبا"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="same output"):
        iter_articles([str(tmp_path / "p1" / "story.txt"), str(jsonl)])
    other = tmp_path / "t.jsonl"
    other.write_text('{"id": "story", "text": "نص"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="same output") as err:
        iter_articles([str(jsonl), str(other)])
    assert f"{other}:1" in str(err.value) and f"{jsonl}:1" in str(err.value)


def test_collision_is_refused_by_the_cli_before_any_work(tiny_home: Path, tmp_path: Path) -> None:
    (tmp_path / "p1").mkdir()
    (tmp_path / "p1" / "story.txt").write_text("شكرا\n", encoding="utf-8")
    jsonl = tmp_path / "s.jsonl"
    jsonl.write_text('{"id": "story", "text": "مرحبا"}\n', encoding="utf-8")
    out = tmp_path / "o"
    proc = run_xling(
        ["translate", str(tmp_path / "p1" / "story.txt"), str(jsonl), *tiny(out)], tiny_home
    )
    assert proc.returncode != 0 and "same output" in proc.err
    assert len(proc.err.strip().splitlines()) == 1 and "Traceback" not in proc.err
    assert not out.exists() or not any(out.iterdir())
