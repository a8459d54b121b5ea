"""Sentence segmentation and long-sentence splitting on real news phrasings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from xling.text.segment import MAX_QUOTE_CHARS, split_long, split_sentences

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
needs_corpora = pytest.mark.skipif(
    not CORPORA.is_dir(), reason=f"shared corpora not found at {CORPORA}"
)


def words(text: str) -> list[str]:
    return text.split()


def no_space(text: str) -> str:
    return "".join(text.split())


def word_count(text: str) -> int:
    return len(text.split())


# --- split_sentences -------------------------------------------------------------------------


def test_seed_paragraph_with_unbalanced_quotes_splits_into_its_three_sentences() -> None:
    # Seed article, paragraph 2: the “ before وقال never closes; it must not swallow the rest.
    para = (
        "وقال بيل روجيو، زميل بارز في مؤسسة الدفاع عن الديمقراطيات والمحرر المؤسس لمجلة "
        "“ذا لونغ وور جورنال”، “من الجيد حقاً أن يقوم التجنيد لصالح تنظيم الدولة الإسلامية "
        "بإظهار قدرته على شن هجمات، وإظهار أن لديه نفوذاً”. “وقال فوكس نيوز ديجيتال. وأضاف "
        "“أي شخص يريد أن يصبح جهاديا قد يكون مدفوعا بمثل هذه الهجمات.”"
    )
    assert split_sentences(para) == [
        "وقال بيل روجيو، زميل بارز في مؤسسة الدفاع عن الديمقراطيات والمحرر المؤسس لمجلة "
        "“ذا لونغ وور جورنال”، “من الجيد حقاً أن يقوم التجنيد لصالح تنظيم الدولة الإسلامية "
        "بإظهار قدرته على شن هجمات، وإظهار أن لديه نفوذاً”.",
        "“وقال فوكس نيوز ديجيتال.",
        "وأضاف “أي شخص يريد أن يصبح جهاديا قد يكون مدفوعا بمثل هذه الهجمات.”",
    ]


def test_short_quotation_with_inner_sentence_end_stays_whole() -> None:
    para = "وأضاف “هذا هو نوع الهجوم الفعال. نحن نتحدث عنه”."
    assert split_sentences(para) == [para]
    english = 'Danius said, "Right now we are doing nothing. For now, that is certainly enough."'
    assert split_sentences(english) == [english]


def test_two_quotes_in_a_row_split_after_the_closing_quote() -> None:
    para = (
        "وقال الخبير الأمني: “سيستخدم داعش مقاطع الفيديو للتجنيد في المستقبل”. "
        "“سيستخدم تنظيم الدولة الإسلامية (داعش) مقاطع الفيديو هذه كدليل”."
    )
    first, second = split_sentences(para)
    assert first.endswith("المستقبل”.")
    assert second.startswith("“سيستخدم تنظيم")


def test_period_inside_closing_quote_ends_after_the_quote() -> None:
    para = 'He said the foam had fallen "after the time we are concerned about." Then he left.'
    assert split_sentences(para) == [
        'He said the foam had fallen "after the time we are concerned about."',
        "Then he left.",
    ]


def test_long_quotation_may_split_inside() -> None:
    sentence = "ونحن جميعاً بطريقة أو بأخرى أشبه بالوشاح الأكبر بالنسبة لهم."
    quote = " ".join([sentence] * (MAX_QUOTE_CHARS // len(sentence) + 2))
    para = f"وقال: “{quote}”"
    parts = split_sentences(para)
    assert len(parts) > 1
    assert words(" ".join(parts)) == words(para)


@pytest.mark.parametrize(
    "para",
    [
        "Dr. Ehud Ur, professor of medicine at Dalhousie University, cautioned that the "
        "research is still in its early days.",
        "U.S. President George W. Bush arrived in Singapore the morning of November 16.",
        "The U.N. also hopes to finalize a fund to help countries affected by global warming.",
        "Mrs. Kirchner announced her intention to run for president at the Argentine Theatre.",
        "Throughout 1960s, Brzezinski worked for John F. Kennedy as his advisor.",
        "A moderate earthquake shook western Montana at 10:08 p.m. on Monday.",
        "Sales rose 3.5 percent to 1,000 units in Jan. and Feb. after prices fell.",
        "وقال نائب المفتش العام دي. كي. أريا إن الشرطة اعتقلت خمسة أشخاص.",
        "وقال د. محمد البرادعي إن الوكالة لم تعثر على أدلة.",
        "ولد في المدينة عام 570 م. وتوفي فيها بعد ذلك بسنوات.",
        "ارتفع معدل التضخم إلى ٣٫٥ في المئة مقارنة بـ ١٬٠٠٠ نقطة.",
        "3. Notes the recent engagements between the United Nations and the Caribbean Community;",
    ],
)
def test_no_split_after_abbreviations_initials_numbers_and_list_markers(para: str) -> None:
    assert split_sentences(para) == [para]


@pytest.mark.parametrize(
    ("para", "expected"),
    [
        (
            "ما هو تنظيم داعش-K؟ إنه فرع من التنظيم في أفغانستان.",
            ["ما هو تنظيم داعش-K؟", "إنه فرع من التنظيم في أفغانستان."],
        ),
        (
            "لم يبدُ لي ذلك منطقياً؛ بالتأكيد لم يكن عادلاً.",
            ["لم يبدُ لي ذلك منطقياً؛", "بالتأكيد لم يكن عادلاً."],
        ),
        (
            "وصلت سرعة الرياح إلى 70 كم في الساعة... ثم هطلت الأمطار بغزارة!",
            ["وصلت سرعة الرياح إلى 70 كم في الساعة...", "ثم هطلت الأمطار بغزارة!"],
        ),
        (
            "The fatalities were Nicholas Alden, 25, and Zachary Cuddeback, 21. "
            "Cuddeback had been the driver.",
            [
                "The fatalities were Nicholas Alden, 25, and Zachary Cuddeback, 21.",
                "Cuddeback had been the driver.",
            ],
        ),
    ],
)
def test_sentence_ends(para: str, expected: list[str]) -> None:
    assert split_sentences(para) == expected


def test_ellipsis_before_lower_case_continues_the_sentence() -> None:
    para = (
        "the wind is reaching 70km/h... then the rain comes, but so hard that it slaps your skin."
    )
    assert split_sentences(para) == [para]


def test_stray_punctuation_joins_the_sentence_before_it() -> None:
    # Seed article, paragraph 13 ends with a doubled full stop ". .".
    para = "حيث توجد أعداد كبيرة من السكان المسلمين. ."
    assert split_sentences(para) == [para]


def test_blank_paragraph_gives_nothing() -> None:
    assert split_sentences("   ") == []


@needs_corpora
def test_seed_article_loses_nothing() -> None:
    for para in (CORPORA / "seed" / "moscow-isis-k.ar.txt").read_text().splitlines():
        parts = split_sentences(para)
        assert all(p and p == p.strip() for p in parts)
        assert words(" ".join(parts)) == words(para)


@needs_corpora
@pytest.mark.parametrize(
    ("path", "min_single"),
    [
        # Measured: 0.881 (Arabic, where ؛ also ends sentences) and 0.887 (English).
        ("flores200-devtest/arb_Arab.devtest", 0.85),
        ("flores200-devtest/eng_Latn.devtest", 0.85),
        # Measured: 0.988 and 0.995.
        ("ntrex128/newstest2019-ref.arb.txt", 0.97),
        ("ntrex128/newstest2019-src.eng.txt", 0.97),
    ],
)
def test_corpus_lines_are_mostly_one_sentence_and_nothing_is_lost(
    path: str, min_single: float
) -> None:
    lines = (CORPORA / path).read_text().splitlines()
    single = 0
    for line in lines:
        parts = split_sentences(line)
        assert words(" ".join(parts)) == words(line), line
        single += len(parts) == 1
    assert single / len(lines) >= min_single


# --- split_long ------------------------------------------------------------------------------

SEED_LONG = (
    "لكن المجموعة ظلت إلى حد كبير خارج عناوين الأخبار الرئيسية حتى وقت سابق من هذا العام بعد "
    "أن أعلنت مسؤوليتها عن التفجيرين المزدوجين اللذين تم تنفيذهما خلال حفل تأبيني للجنرال "
    "الإيراني قاسم سليماني في يناير/كانون الثاني، والذي أسفر عن مقتل 95 شخصًا وإصابة أكثر من "
    "280 آخرين."
)


def check_pieces(pieces: list[str], sentence: str, limit: int, count: Callable[[str], int]) -> None:
    assert pieces and all(p and p == p.strip() for p in pieces)
    assert all(count(p) <= limit for p in pieces)
    assert no_space(" ".join(pieces)) == no_space(sentence)


def test_short_sentence_is_returned_whole() -> None:
    assert split_long(SEED_LONG, 100, word_count) == [SEED_LONG]
    assert split_long("  ", 10, word_count) == []


def test_long_sentence_splits_at_the_comma() -> None:
    # 47 words: 36 up to the comma, 11 after it.
    pieces = split_long(SEED_LONG, 40, word_count)
    check_pieces(pieces, SEED_LONG, 40, word_count)
    assert len(pieces) == 2
    assert pieces[0].endswith("يناير/كانون الثاني،")


def test_inner_sentence_end_beats_a_comma() -> None:
    sentence = (
        "وأضاف: “إن ذلك يشير إلى أن تنظيم الدولة الإسلامية لديه نفوذ أكبر بكثير مما كان يعتقده "
        "البعض في البداية”. “إنهم لا يقتصرون على أفغانستان فقط، بل يتجاوزونها.”"
    )
    pieces = split_long(sentence, 20, word_count)
    check_pieces(pieces, sentence, 20, word_count)
    assert pieces[0].endswith("في البداية”.")


def test_pieces_are_as_few_as_possible_and_balanced() -> None:
    sentence = (
        "وأشار روجيو إلى أن المتطرفين الإسلاميين شنوا العديد من الهجمات في روسيا، على مدى "
        "الثلاثين عامًا الماضية، في أعقاب العمليات العسكرية لموسكو، في الشرق الأوسط وجنوب آسيا، "
        "بالإضافة إلى مناطق أخرى مثل القوقاز والشيشان."
    )
    total = word_count(sentence)
    pieces = split_long(sentence, 25, word_count)
    check_pieces(pieces, sentence, 25, word_count)
    assert len(pieces) == -(-total // 25)
    sizes = [word_count(p) for p in pieces]
    assert max(sizes) - min(sizes) <= 12


def test_conjunction_is_used_when_there_is_no_punctuation() -> None:
    sentence = (
        "وجهت محكمة روسية اتهامات لأربعة رجال من طاجيكستان بعد أن هاجم مسلحون قاعة للحفلات "
        "الموسيقية وأسفر الهجوم عن مقتل أكثر من 130 شخصًا وإصابة 180 آخرين"
    )
    pieces = split_long(sentence, 16, word_count)
    check_pieces(pieces, sentence, 16, word_count)
    assert pieces[1].startswith("و")


def test_numbers_are_never_cut() -> None:
    sentence = (
        "Officials said 1,000 people, 250 of them children, lost 3.5 million dollars when "
        "medicines reached 918 483 people across the country"
    )
    pieces = split_long(sentence, 5, word_count)
    check_pieces(pieces, sentence, 5, word_count)
    joined = " | ".join(pieces)
    for number in ("1,000", "3.5", "918 483"):
        assert number in joined


def test_words_then_characters_as_a_last_resort() -> None:
    sentence = "one two three four five six seven eight nine ten"
    assert split_long(sentence, 6, word_count) == [
        "one two three four five",
        "six seven eight nine ten",
    ]
    chars = lambda text: -(-len(text) // 10)  # noqa: E731 - a token per 10 characters
    word = "https://example.com/" + "a" * 45
    pieces = split_long(word, 2, chars)
    check_pieces(pieces, word, 2, chars)


def test_counter_with_a_fixed_overhead() -> None:
    # Real tokenizers add an end-of-sentence token to every piece.
    def with_eos(text: str) -> int:
        return len(text.split()) + 1

    pieces = split_long(SEED_LONG, 25, with_eos)
    check_pieces(pieces, SEED_LONG, 25, with_eos)


def test_a_closing_mark_without_its_opener_protects_nothing() -> None:
    # UNv1.0 dev, Arabic line 1148: the opening mark before الإيكونومست is missing. Its closing
    # mark (glued to the word, then a space) must not open a quotation that runs to the next
    # quote and hides the ؛ between them.
    text = (
        'و"الغارديان" (المملكة المتحدة) والإيكونومست" (المملكة المتحدة)؛ وفي إذاعات '
        '"دويتش فيله" (ألمانيا) و "الجزيرة" (قطر)؛ وفي قرابة كل الصحف الأوسع انتشاراً.'
    )
    assert split_sentences(text) == [
        'و"الغارديان" (المملكة المتحدة) والإيكونومست" (المملكة المتحدة)؛',
        'وفي إذاعات "دويتش فيله" (ألمانيا) و "الجزيرة" (قطر)؛',
        "وفي قرابة كل الصحف الأوسع انتشاراً.",
    ]
