"""Quotation extraction and speakers, on real English and Arabic news phrasings."""

from __future__ import annotations

import pytest
from conftest import SEED, need

from xling.text.quotes import extract_quotes, matched_name_words, quote_spans, speaker_match

# UNv1.0 dev set, Arabic line 1148: the opening mark before الإيكونومست is missing.
UNPC_1148 = (
    'و"الغارديان" (المملكة المتحدة) والإيكونومست" (المملكة المتحدة)؛ وفي إذاعات "دويتش فيله" '
    '(ألمانيا) و "الجزيرة" (قطر)؛ وفي قرابة كل الصحف الأوسع انتشاراً في منطقة أمريكا اللاتينية.'
)


def quotes(text: str, lang: str) -> list[tuple[str, str | None, str | None]]:
    return [(q.text, q.speaker, q.attribution) for q in extract_quotes(text, lang)]


# --- English ---------------------------------------------------------------------------------


def test_speaker_after_the_quote() -> None:
    text = '"It\'s so easy to be presidential," Trump said, pointing at the crowd.'
    assert quotes(text, "en") == [("It's so easy to be presidential,", "Trump", "after")]


def test_verb_before_the_speaker_after_the_quote() -> None:
    text = "“We are here to stay,” said Jane Doe, the party leader."
    (q,) = extract_quotes(text, "en")
    assert (q.speaker, q.verb, q.marks) == ("Jane Doe", "said", "“”")


def test_speaker_before_with_colon_and_single_quotes() -> None:
    # ntrex128: straight single quotes, and an apostrophe in the speaker's name.
    text = (
        "Detective Inspector Brian O'Hagan said: 'The investigation is in the early stages "
        "but I would appeal to anyone who was in the vicinity.'"
    )
    (q,) = extract_quotes(text, "en")
    assert q.speaker == "Detective Inspector Brian O'Hagan"
    assert q.attribution == "before"
    assert q.text.startswith("The investigation") and q.text.endswith("vicinity.")


def test_apostrophes_are_not_quotes() -> None:
    text = "Sainsbury's said it didn't expect the Fragrance Shop's sales to fall."
    assert extract_quotes(text, "en") == []


def test_attribution_inside_joins_the_two_pieces() -> None:
    text = '"We spoke about him playing 55, 60 minutes," Guardiola said, "and he did well."'
    (q,) = extract_quotes(text, "en")
    assert q.text == "We spoke about him playing 55, 60 minutes, … and he did well."
    assert (q.speaker, q.attribution, len(q.pieces)) == ("Guardiola", "inside", 2)


def test_told_and_according_to() -> None:
    text = (
        'Trump told the crowd that "a vote to confirm Judge Kavanaugh is a vote for the law." '
        'According to the police, "nobody was hurt in the incident."'
    )
    got = quotes(text, "en")
    assert got[0][1:] == ("Trump", "before")
    assert got[1][1:] == ("the police", "before")


def test_quote_over_several_paragraphs_is_one_quote() -> None:
    # News style: each paragraph of a long quote opens with a mark, only the last closes.
    text = (
        '"Last year we lived through one of our best moments.\n'
        '"I watched my parents cry with joy at being able to vote," he said.'
    )
    (q,) = extract_quotes(text, "en")
    assert q.text.startswith("Last year") and q.text.endswith("able to vote,")
    assert q.speaker == "he" and q.closed


def test_quote_closing_on_the_next_line_without_reopening() -> None:
    # ntrex128 puts one sentence per line: the quote opens on one line and closes on the next.
    text = (
        "\"You're going to go after someone like that?\n"
        "That's not a very nice thing to do,\" the investment banker added."
    )
    (q,) = extract_quotes(text, "en")
    assert q.text.endswith("nice thing to do,")
    assert q.speaker == "the investment banker"


def test_pronoun_resolves_to_the_last_named_speaker() -> None:
    text = '"We will win," Smith said.\n"And we will do it soon," he added.'
    first, second = extract_quotes(text, "en")
    assert (second.speaker, second.resolved_speaker) == ("he", "Smith")


def test_terms_are_not_quotations() -> None:
    text = 'Sources say Jones was "furious" when she admitted it.'
    (q,) = extract_quotes(text, "en")
    assert q.text == "furious" and not q.is_quotation


def test_german_low_high_marks_and_nesting() -> None:
    text = "„Er sagte ‚nein‘ und ging“, said Müller."
    (q,) = extract_quotes(text, "en")
    assert q.text == "Er sagte ‚nein‘ und ging"


# --- Arabic ----------------------------------------------------------------------------------


def test_arabic_speaker_before_with_colon_and_guillemets() -> None:
    text = "وقال المتحدث باسم الوزارة: «لن نسمح بتكرار هذا الهجوم مرة أخرى»."
    (q,) = extract_quotes(text, "ar")
    assert (q.text, q.speaker, q.verb, q.marks) == (
        "لن نسمح بتكرار هذا الهجوم مرة أخرى",
        "المتحدث باسم الوزارة",
        "قال",
        "«»",
    )


def test_arabic_speaker_with_apposition() -> None:
    # The seed article: the title, then the name between commas, then إن.
    text = (
        "وقال مستشار الأمن القومي بالبيت الأبيض، جون كيربي، إن الولايات المتحدة تظل "
        "“يقظة تماما أمام هذا التهديد الكبير”."
    )
    (q,) = extract_quotes(text, "ar")
    assert q.speaker == "مستشار الأمن القومي بالبيت الأبيض، جون كيربي"


def test_arabic_bare_verb_resolves_to_previous_speaker() -> None:
    text = (
        "وقال روجيو: “في بعض الأحيان تعمل هذه الجماعات في الظل”.\n"
        "وأضاف: “إن ذلك يشير إلى أن تنظيم الدولة الإسلامية لديه نفوذ أكبر”."
    )
    first, second = extract_quotes(text, "ar")
    assert first.speaker == "روجيو"
    assert (second.speaker, second.verb, second.resolved_speaker) == (None, "أضاف", "روجيو")


def test_arabic_participle_is_not_a_speaker() -> None:
    text = "وأضاف قائلًا: “لن نتوقف عن العمل حتى النهاية”."
    (q,) = extract_quotes(text, "ar")
    assert q.speaker is None and q.verb == "أضاف"


def test_arabic_speaker_after_the_quote() -> None:
    text = '"هذا ليس تصرفًا جيدًا على الإطلاق"، قال المصرفي.'
    (q,) = extract_quotes(text, "ar")
    assert (q.speaker, q.attribution) == ("المصرفي", "after")


def test_arabic_mixed_and_glued_marks() -> None:
    # ntrex128 reference: an opening ” glued to the verb, closed by a straight quote.
    text = 'وصرحت السيدة موريس لصحيفة واشنطن بوست قائلة”أريد أن أريهم أنه لا يسعك ذلك"'
    (q,) = extract_quotes(text, "ar")
    assert q.text == "أريد أن أريهم أنه لا يسعك ذلك"


def test_stray_mark_does_not_swallow_the_paragraph() -> None:
    # ntrex128 reference: a stray closing mark glued to a word, then a real quote.
    text = 'ولكنه أدرك" بعد ذلك بأن الصبي كان يصرخ، "لقد تم عضي!"'
    assert [q.text for q in extract_quotes(text, "ar")] == ["لقد تم عضي!"]


def test_stray_opening_mark_gives_way_to_the_next_one() -> None:
    # Seed article: a stray “ before وقال, then the real quote opens at the next “. The quote
    # is what follows the second mark, not the attribution between them.
    text = (
        "وقال بيل روجيو، زميل بارز في مؤسسة الدفاع عن الديمقراطيات والمحرر المؤسس لمجلة "
        "“ذا لونغ وور جورنال”، “من الجيد حقاً أن يقوم التجنيد لصالح تنظيم الدولة الإسلامية "
        "بإظهار قدرته على شن هجمات، وإظهار أن لديه نفوذاً”. “وقال فوكس نيوز ديجيتال. وأضاف "
        "“أي شخص يريد أن يصبح جهاديا قد يكون مدفوعا بمثل هذه الهجمات.”"
    )
    q = extract_quotes(text, "ar")[-1]
    assert q.text == "أي شخص يريد أن يصبح جهاديا قد يكون مدفوعا بمثل هذه الهجمات."
    assert q.verb == "أضاف"


def test_segmentation_and_extraction_pair_marks_alike() -> None:
    # One pairing (quote_spans) for both: every extracted closed quote is a span segmentation
    # keeps whole, on the seed article and an UNPC paragraph with a missing opening mark.
    paragraphs = need(SEED).read_text(encoding="utf-8").splitlines()
    paragraphs.append(UNPC_1148)
    for para in paragraphs:
        spans = quote_spans(para)
        closed = [q.span for q in extract_quotes(para, "ar") if q.closed and len(q.pieces) == 1]
        assert set(closed) <= set(spans)


def test_consecutive_quotes_continue_the_speaker() -> None:
    text = (
        "وقال الخبير الأمني: “سيستخدم داعش مقاطع الفيديو للتجنيد في المستقبل”. "
        "“سيستخدم التنظيم هذه المقاطع كدليل على وحشية خصومه”."
    )
    first, second = extract_quotes(text, "ar")
    assert (second.speaker, second.attribution) == ("الخبير الأمني", "continued")


def test_seed_article_quotes_and_speakers() -> None:
    text = need(SEED).read_text(encoding="utf-8")
    found = extract_quotes("\n".join(line for line in text.splitlines() if line.strip()), "ar")
    assert len(found) >= 15

    def starting(prefix: str):
        return next(q for q in found if q.text.startswith(prefix))

    assert starting("من الجيد حقاً").speaker == "بيل روجيو"
    assert starting("في بعض الأحيان").speaker == "روجيو"
    # The title “ذا لونغ وور جورنال” after the speaker is not what he said.
    assert starting("ذا لونغ وور جورنال").speaker is None
    kirby = [q for q in found if q.text.startswith("لكن مرة أخرى")]
    assert kirby and "جون كيربي" in kirby[0].resolved_speaker


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        extract_quotes("x", "fr")


# --- speakers across scripts -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("en", "ar", "expected"),
    [
        ("Bill Roggio", "بيل روجيو", True),
        ("Trump", "الرئيس ترامب", True),
        ("Brian O'Hagan", "براين أوهجان", True),
        ("Secretary of State Mike Pompeo", "وزير الخارجية الأمريكي مايك بومبيو", True),
        ("Mr. Adams", "السيد آدامز", True),
        ("Bill Roggio", "جون كيربي", False),
        ("Smith", "ترامب", False),
        ("he", "روجيو", None),
        ("a spokesman", "المتحدث", None),
        (None, "روجيو", None),
    ],
)
def test_speaker_match(en: str | None, ar: str, expected: bool | None) -> None:
    assert speaker_match(en, ar) is expected


@pytest.mark.parametrize(
    ("en", "ar"),
    [
        # NTREX-128 (dev) line 1464: "...," he told the assembly / وقال أمام الجمعية العامة: "...":
        # the extractor reads the place as the speaker; the speaker is Walid al-Moualem.
        ("Walid al-Moualem", "أمام الجمعية العامة"),
        # line 1793: a speech verb and the words around it read as a speaker.
        ("Tellis", "الحقيقة فعلًا عندما صرح بأنه كان"),
        # a title for the name, and a body in the construct state.
        ("Dr Tedros", "المدير العام لمنظمة الصحة العالمية"),
        ("Boris Johnson", "متحدثًا باسم الحكومة قائلًا"),
    ],
)
def test_arabic_speaker_without_a_name_cannot_differ(en: str, ar: str) -> None:
    # Before, any Arabic speaker whose words match no English name word was a different
    # person, and the quote was flagged "speaker differs".
    assert speaker_match(en, ar) is None


@pytest.mark.parametrize(
    ("en", "ar_before", "ar_swapped"),
    [
        # NTREX-128 (dev) speakers and the corruption suite's swaps of their names: before,
        # the affiliation, a nationality or a verb matched by chance kept them "the same".
        (
            "Robyn Christie of Melrose",
            "روبن كريستي مدرب فريق ميلروز",
            "روبرتو كالزاديلا مدرب فريق ميلروز",
        ),
        (
            "Russian Energy Minister Aleksandr Novak",
            "وزير الطاقة الروسي ألكسندر نوفاك عقب",
            "وزير الطاقة الروسي ديمتري بيسكوف عقب",
        ),
        (
            "Jordan Spieth",
            "جوردان سبيث بينما يستعد ليوم المباراة",
            "نيل باير بينما يستعد ليوم المباراة",
        ),
    ],
)
def test_the_persons_name_decides_not_its_affiliation(
    en: str, ar_before: str, ar_swapped: str
) -> None:
    assert speaker_match(en, ar_before) is True
    assert speaker_match(en, ar_swapped) is False


@pytest.mark.parametrize(
    ("en", "ar"),
    [
        ("Walton", "والتون"),  # not و+ال
        ("Coker", "كوكر"),
        ("District of Columbia Attorney General Karl Racine", "كارل راسين"),
    ],
)
def test_dev_speakers_still_match(en: str, ar: str) -> None:
    assert speaker_match(en, ar) is True


def test_matched_name_words_are_the_name_inside_the_speaker() -> None:
    ar = "مفتش المباحث براين أوهجان"
    assert matched_name_words("Detective Inspector Brian O'Hagan", ar) == [2, 3]
    assert matched_name_words("he", ar) == []


# NTREX-128 dev (issue 12, fifth follow-up): marks of untouched human translations that the
# audit misread, each from the dev document named.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # cnbc.com.6790, newsweek.51340, bbc.381749: a mark glued to the speech verb opens
        (
            'وقال" إننا نؤدي أداءً طيبًا بشأن كوريا الشمالية".',
            ["إننا نؤدي أداءً طيبًا بشأن كوريا الشمالية"],
        ),
        ('وأضاف قائلًا" قلوبنا تفطرت لسماع الخبر".', ["قلوبنا تفطرت لسماع الخبر"]),
        (
            'وصرحت قائلة” لا أريد أن يشعر الآباء بما شعرت به".',
            ["لا أريد أن يشعر الآباء بما شعرت به"],
        ),
        # nytimes.184853: ... or to a lone و
        ('شيئًا آخر: "كنز ثقافي" و" أداة تاريخية لا تُعوض."', ["كنز ثقافي", "أداة تاريخية لا تُعوض."]),
        # nytimes.184822: a mark opening a paragraph with a space after it opens; one before
        # a comma closes
        (
            '" نبكي عندما نغضب"،هذا ما أخبرتني به السيدة شتاينم.\n'
            '"لا أعتقد بانه أمر شائع، أليس كذلك؟"',
            ["نبكي عندما نغضب", "لا أعتقد بانه أمر شائع، أليس كذلك؟"],
        ),
        # dailymail.co.uk.298630: a closing mark whose opener the translator left out
        ('إن بروتين HER2 يؤدي إلى نمو عدة أنواع من السرطان"، بما في ذلك سرطان الثدي.', []),
        # a mark after a word and before a space still closes
        ('قال إنه "يشعر بالفخر" ثم غادر.', ["يشعر بالفخر"]),
    ],
)
def test_arabic_marks_of_the_dev_translations(text: str, expected: list[str]) -> None:
    assert [q.text for q in extract_quotes(text, "ar")] == expected


def test_a_mark_inside_a_latin_word_is_no_quote() -> None:
    # nytimes.184830: a typo for an apostrophe read as a quote to the end of the paragraph.
    text = 'German officers were ready to stage a coup d"état against Hitler, if only.'
    assert extract_quotes(text, "en") == []


def test_and_he_added_starts_a_new_quotation() -> None:
    # bbc.381692: "وأضاف:" joined two quotations into one, as "and added" does not in English.
    text = (
        'قال مايكل فان إنه "يشعر بالفخر الشديد للعب دور في الاستعراض" وأضاف: "تتجلى شجاعة '
        'البطل الحقيقي في الدعم الذي يقدمه له الكثير من الناس".'
    )
    assert len(extract_quotes(text, "ar")) == 2
    # An interruption without the conjunction is still one quotation.
    text = '"الجزء الأول من كلامه"، مضيفة ذلك دون ذكر الأدلة: "والجزء الثاني منه".'
    assert len(extract_quotes(text, "ar")) == 1


def test_a_plural_possessive_does_not_close_a_quote() -> None:
    # dailymail.co.uk.298759: the quote runs over two paragraphs; "students' behaviour"
    # closed it after its first five words.
    text = (
        "'We know it won't change students' behaviour instantly.\n"
        "But we believe they have a right to know,' Prof Czeisler added."
    )
    (q,) = extract_quotes(text, "en")
    assert q.text.endswith("a right to know,") and q.speaker == "Prof Czeisler"
    (q,) = extract_quotes("'I will miss my students' she said.", "en")
    assert q.text == "I will miss my students"


def test_a_quoted_term_ending_in_s_still_closes() -> None:
    # dailymail.co.uk.298595 (the guard of the rule above)
    text = "Peter Jones left 'furious' after TV presenter Holly Willoughby pulls out."
    assert [q.text for q in extract_quotes(text, "en")] == ["furious"]


# The UN's Arabic marks of the suite's old fresh split, now dev2 (UNPC v1.0 dev): two
# apostrophes open, two backticks (or a plain double mark) close; read mark by mark, the
# first apostrophe opened a quote that ran to the end of the sentence.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "بعنوان ''تكنولوجيا المعلومات والاتصالات`` التي عقدت في 14 تشرين الثاني/نوفمبر 2014.",
            [("تكنولوجيا المعلومات والاتصالات", "''``")],
        ),
        (
            "في إشارة إلى ''فريق شهداء القنيطرة``، في إشارة إلى الغارة الجوية.",
            [("فريق شهداء القنيطرة", "''``")],
        ),
        (
            'الرئيس السابق \'\'للجنة التحقيق" المعنية، ويستند إلى "تقرير اللجنة" '
            "وإلى ''شهادات\" زور.",
            [("للجنة التحقيق", "''\""), ("تقرير اللجنة", '""'), ("شهادات", "''\"")],
        ),
    ],
)
def test_un_arabic_marks(text: str, expected: list) -> None:
    assert [(q.text, q.marks) for q in extract_quotes(text, "ar")] == expected
    assert [text[a:b] for a, b in quote_spans(text)][0].startswith("''")


def test_apostrophes_that_are_no_un_marks() -> None:
    # glued to a letter: no UN mark, the single quotes pair as before
    assert [q.text for q in extract_quotes("O''Neil said 'no way at all' then left", "en")] == [
        "no way at all"
    ]
