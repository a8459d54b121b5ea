"""Word alignment: Pharaoh output, the word tokenizer, and SimAlign over the built e5 encoder."""

from __future__ import annotations

import pytest

from xling.align.words import WordAligner, to_pharaoh, tokenize_words
from xling.models import store

PAIRS = [
    ("the cat sat on the mat .".split(), "le chat était assis sur le tapis .".split()),
    ("I love my small dog".split(), "j' aime mon petit chien".split()),
    (
        tokenize_words("The court charged four men on Sunday."),
        tokenize_words("وجهت المحكمة يوم الأحد اتهامات لأربعة رجال."),
    ),
    (
        "Thank you very much , Mr. President".split(),
        "merci beaucoup , Monsieur le Président".split(),
    ),
]


def test_pharaoh_format():
    assert to_pharaoh([(2, 3), (0, 0), (1, 2), (0, 0)]) == "0-0 1-2 2-3"
    assert to_pharaoh([]) == ""


def test_word_tokenizer_splits_punctuation_keeps_words_and_numbers():
    text = "قال: «إنها ٣٫٥ في المئة» — the court's 1,500 al-Qaeda (3.5%) وَالْكِتَابُ."
    assert tokenize_words(text) == [
        "قال", ":", "«", "إنها", "٣٫٥", "في", "المئة", "»", "—", "the", "court's",
        "1,500", "al-Qaeda", "(", "3.5", "%", ")", "وَالْكِتَابُ", ".",
    ]  # fmt: skip
    assert tokenize_words("  ") == []


@pytest.fixture(scope="module")
def aligner() -> WordAligner:
    if not store.is_built("e5-small"):
        pytest.skip("e5-small is not built (run `xling models build encoder`)")
    return WordAligner(batch_size=3)  # small batches: the test pairs span several


@pytest.mark.models
def test_obvious_pair_aligned_word_for_word(aligner: WordAligner):
    links = set(aligner.align([PAIRS[0]])[0])
    # the → le, cat → chat, on → sur, mat → tapis, . → .
    expected = {(0, 0), (1, 1), (3, 4), (5, 6), (6, 7)}
    assert expected <= links
    # no word of "the cat sat" is linked to the end of the French sentence
    assert not {(i, j) for i, j in links if i <= 2 and j >= 5}


@pytest.mark.models
def test_arabic_english_names_and_numbers_link(aligner: WordAligner):
    src, tgt = PAIRS[2]
    links = set(aligner.align([PAIRS[2]])[0])
    assert (src.index("court"), tgt.index("المحكمة")) in links
    assert (src.index("Sunday"), tgt.index("الأحد")) in links


@pytest.mark.models
def test_empty_side_gives_no_links(aligner: WordAligner):
    result = aligner.align([([], ["a", "b"]), (["a"], []), PAIRS[1], ([], [])])
    assert result[0] == result[1] == result[3] == []
    assert result[2]
    assert aligner.align([]) == []


@pytest.mark.models
def test_batched_equals_per_pair_and_simalign(aligner: WordAligner):
    batched = aligner.align(PAIRS)
    one_by_one = [aligner.align([pair])[0] for pair in PAIRS]
    assert batched == one_by_one
    # simalign's own get_word_aligns, one call per pair, gives the same links
    assert batched == [aligner.align_simalign(src, tgt) for src, tgt in PAIRS]
    for links, (src, tgt) in zip(batched, PAIRS, strict=True):
        assert all(0 <= i < len(src) and 0 <= j < len(tgt) for i, j in links)


@pytest.mark.models
def test_methods_and_bad_arguments(aligner: WordAligner):
    from xling.errors import ModelError

    for method in ("argmax", "match"):
        links = WordAligner(method=method).align([PAIRS[0]])[0]
        assert {(1, 1), (5, 6)} <= set(links)
        if method == "match":  # a matching links each word at most once
            assert len({i for i, _ in links}) == len(links) == len({j for _, j in links})
    with pytest.raises(ModelError, match="unknown alignment method"):
        WordAligner(method="nearest")
    with pytest.raises(ModelError, match="layer must be between"):
        WordAligner(layer=13)
    with pytest.raises(TypeError):
        aligner.align([("a b", "c d")])


@pytest.mark.models
def test_fits_says_when_a_sentence_would_be_truncated(aligner: WordAligner):
    """`encode` truncates a sentence at `max_tokens` subwords and its last words get no link;
    `fits` tells a caller beforehand (the audit's cut check then leaves the words out of it)."""
    short = tokenize_words("The attack killed 130 people.")
    assert aligner.fits(short)
    long = short * (aligner.max_tokens // len(short) + 1)
    assert not aligner.fits(long)
    links = aligner.align([(long, long)])[0]
    assert max(i for i, _ in links) < len(long) - 1  # the words past the cut have no link
