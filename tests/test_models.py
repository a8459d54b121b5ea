"""The models `make setup` builds, used for real: checksums, tokenizers, and translations of
the seed article and of real FLORES sentences. Skipped (with the command that builds them) when
the models are not built."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SEED, need, run_xling

from xling.models import store
from xling.models.gguf_build import check_tokenizer_ids
from xling.text.numbers import extract_numbers

pytestmark = pytest.mark.models

QUALITY, FAST = "qwen2.5-coder-1.5b", "gemma3-270m"


def built(name: str) -> Path:
    if not store.is_built(name):
        pytest.skip(f"model {name} is not built (run `xling models build {name}` or make setup)")
    return store.model_dir(name)


@pytest.mark.parametrize("name", [QUALITY, FAST])
def test_built_model_verifies_and_tokenizer_matches_vocabulary(name: str) -> None:
    folder = built(name)
    assert store.verify(folder) == []
    assert check_tokenizer_ids(folder) > 100_000


def test_quality_model_translates_the_seed_article_keeping_its_numbers(tmp_path: Path) -> None:
    built(QUALITY)
    need(SEED)
    out = tmp_path / "out"
    proc = run_xling(["translate", str(SEED), "--out", str(out)], store.xling_home(), timeout=900)
    assert proc.returncode == 0, proc.err
    english = (out / "moscow-isis-k.en.txt").read_text(encoding="utf-8")
    values = {m.value for m in extract_numbers(english, "en")}
    assert {130, 180, 2021, 95, 280} <= values
    assert not re.search(r"[\u0600-\u06ff]{3,}", english)  # English, not Arabic left over
    assert len(english.splitlines()) == len(SEED.read_text(encoding="utf-8").splitlines())
    records = [json.loads(x) for x in (out / "moscow-isis-k.jsonl").read_text().splitlines()]
    assert {r["model"] for r in records} == {QUALITY}
    assert sum(r["numbers_ok"] for r in records) >= len(records) - 2


def test_fast_model_gives_one_clean_english_line_per_sentence(tmp_path: Path) -> None:
    built(FAST)
    flores = need(SEED.parents[1] / "flores200-devtest" / "arb_Arab.devtest")
    # lines with 4-digit numbers: each translation must carry its own line's number, which
    # also shows the length-sorted batches come back in input order
    lines = [
        x
        for x in flores.read_text(encoding="utf-8").splitlines()
        if re.search(r"\b(19|20)\d\d\b", x) and len(x) < 200
    ][:6]
    proc = run_xling(
        ["translate", "-", "-m", "fast", "-q"],
        store.xling_home(),
        stdin="\n".join(lines) + "\n",
        timeout=600,
    )
    assert proc.returncode == 0, proc.err
    out = proc.out.splitlines()
    assert len(out) == 6
    own_year = 0
    for src, line in zip(lines, out, strict=True):
        assert line.strip() and "Arabic:" not in line and "English:" not in line
        letters = re.findall(r"[A-Za-z\u0600-\u06ff]", line)
        assert sum(c.isascii() for c in letters) / len(letters) > 0.95
        own_year += re.search(r"\b(19|20)\d\d\b", src).group() in line
    assert own_year >= 5


def test_fast_model_article_alone_and_among_others_gives_identical_files(tmp_path: Path) -> None:
    """With --article-batches an article's files are the same bytes whether it is translated
    alone or in a folder of others (int8 outputs otherwise depend on which sentences share a
    batch)."""
    built(FAST)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "قال المتحدث باسم الشرطة إن 130 شخصا قتلوا في الهجوم.\nوأصيب ١٨٠ آخرون بجروح.\n",
        encoding="utf-8",
    )
    (folder / "b.txt").write_text(
        "أعلنت الحكومة يوم الثلاثاء عن خطة جديدة لدعم المزارعين المتضررين من الجفاف الذي "
        "ضرب المنطقة خلال الأشهر الستة الماضية.\nوقال الوزير إن الخطة تتكلف 25 مليون دولار.\n",
        encoding="utf-8",
    )
    (folder / "c.txt").write_text("فاز الفريق بالمباراة.\n", encoding="utf-8")
    together, alone = tmp_path / "together", tmp_path / "alone"
    home = store.xling_home()
    for src, out in ((folder, together), (folder / "a.txt", alone)):
        args = ["translate", str(src), "--out", str(out), "-m", "fast", "-q", "--article-batches"]
        proc = run_xling(args, home)
        assert proc.returncode == 0, proc.err
    assert len(list(together.glob("*.jsonl"))) == 3 and len(list(alone.glob("*.jsonl"))) == 1
    for name in ("a.en.txt", "a.jsonl"):
        assert (together / name).read_bytes() == (alone / name).read_bytes()
    assert len((alone / "a.en.txt").read_text(encoding="utf-8").splitlines()) == 2
