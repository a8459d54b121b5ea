"""No Arabic letters in the English (the script guard, `untranslated`) and `--glossary`: the
token rules and the TSV on their own, then with a real (tiny, random) Marian model through the
batch translator and the CLI's JSONL contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPORA, need, run_xling

from xling.errors import InputError
from xling.models import store
from xling.translate.batch import BatchOptions, BatchTranslator, Result
from xling.translate.engine import EngineOptions, load_engine
from xling.translate.glossary import load_glossary, parse_glossary
from xling.translate.script import arabic_runs, arabic_tokens, writes_arabic

FLORES_AR = CORPORA / "flores200-devtest" / "arb_Arab.devtest"


def test_arabic_runs_are_letters_not_digits_or_punctuation() -> None:
    assert arabic_runs("What is the structure of Dاعش-K?") == ["اعش"]
    assert arabic_runs("killing 130 people، 3٫5٪") == []  # Arabic comma and signs: no letters
    assert arabic_runs("ﻻ presentation forms") == ["ﻻ"]


def test_tokens_that_write_arabic_in_each_vocabulary_style() -> None:
    # byte-level BPE (Qwen): Arabic letters are two bytes, the first 0xD8–0xDB
    assert writes_arabic("Ø¯Ø§Ø¹Ø´", byte_level=True)  # "داعش"
    assert writes_arabic("Ø", byte_level=True)  # a lone lead byte starts an Arabic letter
    assert not writes_arabic("ĠRog", byte_level=True)
    assert not writes_arabic("Ã©", byte_level=True)  # "é": not Arabic
    # sentencepiece with byte fallback (Gemma, NLLB)
    assert writes_arabic("▁الدولة", byte_level=False)
    assert writes_arabic("<0xD9>", byte_level=False)
    assert not writes_arabic("<0xC3>", byte_level=False) and not writes_arabic("▁the", False)


@pytest.mark.models
def test_the_quality_models_arabic_tokens() -> None:
    folder = store.model_dir("qwen2.5-coder-1.5b")
    if not store.is_built("qwen2.5-coder-1.5b"):
        pytest.skip("quality model not built")
    banned = set(arabic_tokens(folder))
    assert "Ø¯Ø§Ø¹Ø´" in banned and "ĠRog" not in banned and "Ġthe" not in banned
    assert 1000 < len(banned) < 10_000


GLOSSARY = (
    "# seed article names\n"
    "روجيو\tRoggio\n"
    "داعش-خراسان\tISIS-K\n"
    "داعش\tISIS\n"
    "\n"
    "ذا لونغ وور جورنال\tThe Long War Journal\n"
)


def test_glossary_terms_match_arabic_spellings_and_english_variants() -> None:
    glossary = parse_glossary(GLOSSARY, "g.tsv")
    src = "وقال رُوجيو إن تنظيم داعش خراسان، ولروجيو رأي في «ذا لونغ وور جورنال». والداعشي"
    assert [t.target for t in glossary.applicable(src)] == [
        "Roggio",
        "ISIS-K",
        "ISIS",
        "The Long War Journal",
    ]
    assert glossary.applicable("الداعشيون ومروجيو المخدرات") == []  # inside other words
    english = "Roggio said ISIS K ... the long war journal"
    assert glossary.missing(src, english) == []
    assert [t.target for t in glossary.missing(src, "Rujio said Daesh-K")] == [
        "Roggio",
        "ISIS-K",
        "ISIS",
        "The Long War Journal",
    ]
    # enforced: longest term first, proclitics kept and spaced off
    enforced = glossary.enforce(src, glossary.missing(src, "Rujio"))
    assert enforced.startswith("وقال Roggio إن تنظيم ISIS-K، ول Roggio رأي في «The Long War")
    assert enforced.endswith("والداعشي")
    # the second retry: the Arabic kept, its English beside it; a term inside a longer one
    # (داعش in داعش خراسان) is not glossed on its own
    beside = glossary.enforce(src, glossary.missing(src, "Rujio"), beside=True)
    assert beside.startswith("وقال رُوجيو (Roggio) إن تنظيم داعش خراسان (ISIS-K)، ولروجيو (Roggio)")
    assert "(ISIS)" not in beside and beside.endswith("والداعشي")
    seed = "اتهامات لأربعة رجال من طاجيكستان بعد أن هاجم مسلحون"  # the seed article, para 4
    term = parse_glossary("طاجيكستان\tTajikistan\n").terms
    assert parse_glossary("طاجيكستان\tTajikistan\n").enforce(seed, list(term), beside=True) == (
        "اتهامات لأربعة رجال من طاجيكستان (Tajikistan) بعد أن هاجم مسلحون"
    )


def test_bad_glossaries_are_reported_by_file_and_line(tmp_path: Path) -> None:
    bad = "روجيو\tRoggio\nروجيو Roggio\nRoggio\tروجيو\nكيربي\tKirby\tx\nروجيو\tRujio\n"
    with pytest.raises(InputError) as caught:
        parse_glossary(bad, "g.tsv")
    lines = str(caught.value).splitlines()
    assert [line.split(": ")[0] for line in lines] == ["g.tsv:2", "g.tsv:3", "g.tsv:4", "g.tsv:5"]
    assert "2 tab-separated columns" in lines[0] and "already 'Roggio' (line 1)" in lines[3]
    path = tmp_path / "cp1256.tsv"
    path.write_bytes("روجيو\tRoggio\n".encode("cp1256"))
    with pytest.raises(InputError, match=r"cp1256.tsv:1: not UTF-8"):
        load_glossary(path)
    with pytest.raises(InputError, match="cannot read the glossary"):
        load_glossary(tmp_path / "absent.tsv")
    with pytest.raises(InputError, match="no terms"):
        parse_glossary("# nothing\n\n", "empty.tsv")


def test_script_guard_removes_arabic_from_a_real_models_output(tiny_home: Path) -> None:
    """The tiny random Marian writes pieces of its shared vocabulary, Arabic ones too: with
    the guard every such sentence is decoded again without them, and nothing is flagged."""
    lines = need(FLORES_AR).read_text(encoding="utf-8").splitlines()[:12]
    engine = load_engine(str(tiny_home / "models" / "marian-tiny"), EngineOptions(threads=1))
    off = BatchTranslator(engine, BatchOptions(script_guard=False))
    raw = list(off.translate(lines))
    flagged = [r for r in raw if r.untranslated]
    assert flagged and all(arabic_runs(r.text) for r in flagged)
    assert off.stats.untranslated == len(flagged) and off.stats.script_tried == 0
    on = BatchTranslator(engine, BatchOptions())
    fixed = list(on.translate(lines))
    assert not any(arabic_runs(r.text) or r.untranslated for r in fixed)
    assert on.stats.script_fixed == on.stats.script_tried >= len(flagged)


def test_jsonl_flags_untranslated_and_glossary_misses(tiny_home: Path, tmp_path: Path) -> None:
    lines = need(FLORES_AR).read_text(encoding="utf-8").splitlines()[:4]
    article = tmp_path / "in" / "a.txt"
    article.parent.mkdir()
    article.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # a term of the first line, whose English the random model will not write
    word = next(w for w in lines[0].split() if len(w) > 4 and w.isalpha())
    glossary = tmp_path / "g.tsv"
    glossary.write_text(f"{word}\tZanzibar\n", encoding="utf-8")

    def records(*extra: str) -> list[dict]:
        out = tmp_path / f"out{len(extra)}"
        args = ["translate", str(article), "--out", str(out), "-m", "marian-tiny", *extra]
        proc = run_xling(args, tiny_home)
        assert proc.returncode == 0, proc.err
        return [json.loads(x) for x in (out / "a.jsonl").read_text().splitlines()]

    raw = records("--no-script-guard")
    assert any(r.get("untranslated") is True for r in raw)
    assert all(bool(arabic_runs(r["mt"])) == r.get("untranslated", False) for r in raw)
    guarded = records("--glossary", str(glossary))
    assert not any("untranslated" in r for r in guarded)
    assert guarded[0]["glossary_missing"] == ["Zanzibar"]
    assert all("glossary_missing" not in r for r in guarded[1:])

    # a bad glossary: one line per bad line, exit 5, before any model loads
    glossary.write_text(f"{word} Zanzibar\n", encoding="utf-8")
    proc = run_xling(
        [
            "translate",
            str(article),
            "--out",
            str(tmp_path / "x"),
            "--glossary",
            str(glossary),
            "-m",
            "marian-tiny",
        ],
        tiny_home,
    )
    assert proc.returncode == 5
    assert (
        proc.err.strip() == f"xling: {glossary}:1: expected 'Arabic<TAB>English' (2 "
        "tab-separated columns), found 1"
    )


def quality_alone(sentence: str) -> tuple[BatchTranslator, Result]:
    """The quality model's translation of one sentence alone (its batch is itself), with
    every default guard; skips when the model is not built."""
    if not store.is_built("qwen2.5-coder-1.5b"):
        pytest.skip("quality model not built")
    engine = load_engine("qwen2.5-coder-1.5b", EngineOptions(threads=2))
    translator = BatchTranslator(engine, BatchOptions())
    (result,) = translator.translate([sentence])
    return translator, result


@pytest.mark.models
@pytest.mark.slow
def test_quality_model_spells_the_seed_name_in_latin_letters() -> None:
    """The issue's "What is the structure of the Dاعsh-K group": greedy decoding leaves Arabic
    letters in this sentence; after the guards there are none, and nothing is flagged."""
    translator, result = quality_alone(
        "ما هو تنظيم داعش-K، المجموعة الإرهابية المرتبطة بالهجوم على قاعة الحفلات الموسيقية في "
        "موسكو وتفجير بوابة الدير في عام 2021؟"
    )
    assert not arabic_runs(result.text) and not result.untranslated, result.text
    assert "2021" in result.text
    if arabic_runs(result.first):  # what greedy decoding gave on the machines measured
        assert translator.stats.guard_tried == 1


@pytest.mark.models
@pytest.mark.slow
def test_script_guard_retry_ends_where_a_beam_would_loop() -> None:
    """NTREX-128 (dev) line 1037: greedy leaves "Jيف سيشنز"; with the Arabic tokens suppressed
    all 4 beam hypotheses looped on a phrase to the length limit, so the sentence kept its
    Arabic. The retry now forbids a repeated 4-gram: it ends, in Latin letters."""
    translator, result = quality_alone(
        "طلب المدّعِي العام جيف سيشنز من قضاة الهجرة عدم منح حق اللجوء للضحايا الفارين من "
        "العنف الأسري وعنف العصابات في يونيو."
    )
    assert not arabic_runs(result.text) and not result.untranslated, result.text
    if arabic_runs(result.first):  # what greedy decoding gave on the machine measured
        assert translator.stats.script_fixed == 1
