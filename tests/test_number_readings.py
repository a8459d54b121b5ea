"""Readings of numbers that real human translations (UN documents, TED talks) write in ways
the audit misread as changes: "four and a half million", approximators, the UN's "800 1" and
"5-1", "100 grand". Each string is the one the issue found; the real errors stay errors."""

from __future__ import annotations

import pytest

from xling.audit.run import audit_document
from xling.text.numbers import extract_numbers, missing_numbers


def readings(text: str, lang: str) -> list[tuple[str, tuple[float, ...], str | None]]:
    return [(m.text, m.readings(), m.qualifier) for m in extract_numbers(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("four and a half million", "en", [("four and a half million", (4.5e6,), None)]),
        ("three and a half million", "en", [("three and a half million", (3.5e6,), None)]),
        ("a million and a half", "en", [("a million and a half", (1.5e6,), None)]),
        ("two and a half years", "en", [("two and a half", (2.5,), None)]),
        ("أربعة ملايين ونصف", "ar", [("أربعة ملايين ونصف", (4.5e6,), None)]),
        ("ثلاثة ملايين ونصف", "ar", [("ثلاثة ملايين ونصف", (3.5e6,), None)]),
        # Word for word 4,000,500; as people say it (the thousand left out) 4,500,000.
        ("أربع ملايين وخمسمائة", "ar", [("أربع ملايين وخمسمائة", (4000500.0, 4.5e6), None)]),
        ("ثلاث سنوات ونصف", "ar", [("ثلاث سنوات ونصف", (3.5,), None)]),
        ("عامين ونصف", "ar", [("عامين ونصف", (2.5,), None)]),
        ("100 grand", "en", [("100 grand", (1e5,), None)]),
        ("100 ألف", "ar", [("100 ألف", (1e5,), None)]),
        ("roughly 80 percent", "en", [("80 percent", (80.0,), "about")]),
        ("ما يُقارب 80%", "ar", [("80%", (80.0,), "about")]),
        ("nearly 1.1 million", "en", [("1.1 million", (1.1e6,), "about")]),
        ("حوالي 1.1 مليون", "ar", [("1.1 مليون", (1.1e6,), "about")]),
        ("حوالَي 1.1 مليون", "ar", [("1.1 مليون", (1.1e6,), "about")]),
    ],
)
def test_readings_of_real_translations(text: str, lang: str, expected: list) -> None:
    assert readings(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # "grand" is a thousand only where it cannot qualify a noun.
        ("He won 5 Grand Slam titles", "en", [("5", (5.0,), None)]),
        ("5 grand slams", "en", [("5", (5.0,), None)]),
        # "ونصف" before a definite noun is "and half of".
        ("ثلاثة آلاف ونصف الضحايا", "ar", [("ثلاثة آلاف", (3e3,), None), ("ونصف", (0.5,), None)]),
        # "عن عمر يناهز" is "aged", not "about".
        ("توفي عن عمر يناهز 40 عامًا", "ar", [("40", (40.0,), None)]),
    ],
)
def test_readings_that_stay_as_they_were(text: str, lang: str, expected: list) -> None:
    assert readings(text, lang) == expected


PAIRS = [
    ("The war displaced four and a half million people.", "شردت الحرب أربعة ملايين ونصف شخص."),
    ("The war displaced four and a half million people.", "شردت الحرب أربع ملايين وخمسمائة شخص."),
    ("Three and a half million voted.", "صوّت ثلاثة ملايين ونصف."),
    ("Roughly 80 percent of them are women.", "ما يُقارب 80% منهم نساء."),
    ("Nearly 1.1 million children are out of school.", "حوالي 1.1 مليون طفل خارج المدرسة."),
    ("The budget provides for 1,800 posts.", "تنص الميزانية على 800 1 وظيفة."),
    ("See section 5.1 and paragraph 224.14.", "انظر الفرع 5-1 والفقرة 224-14."),
    ("He makes 100 grand a year.", "يكسب 100 ألف في السنة."),
]


@pytest.mark.parametrize(("en", "ar"), PAIRS)
def test_audit_keeps_faithful_numbers(en: str, ar: str) -> None:
    numbers = audit_document("d", en, ar).to_json()["numbers"]
    assert numbers and all(n["verdict"] == "kept" and not n["flagged"] for n in numbers), [
        n["evidence"]["note"] for n in numbers
    ]


@pytest.mark.parametrize(("en", "ar"), PAIRS)
def test_translation_check_keeps_them_both_ways(en: str, ar: str) -> None:
    assert missing_numbers(en, "en", ar, "ar") == []
    assert missing_numbers(ar, "ar", en, "en") == []


def verdicts(en: str, ar: str) -> list[tuple[str, str | None, str | None]]:
    numbers = audit_document("d", en, ar).to_json()["numbers"]
    return [
        (n["verdict"], (n["en"] or {}).get("text"), (n["ar"] or {}).get("text")) for n in numbers
    ]


def test_the_translators_real_errors_stay_changed() -> None:
    # The two real errors the same run found: ages 25 and 54 written 25 and 45; 450,000 as 45,000.
    assert ("changed", "54", "45") in verdicts(
        "Adults aged 25 and 54 were surveyed.", "شمل المسح البالغين بين 25 و 45 عاما."
    )
    assert verdicts("About 450,000 people fled.", "فر نحو 45,000 شخص.") == [
        ("changed", "450,000", "45,000")
    ]


def test_un_readings_only_resolve_otherwise_unmatched_numbers() -> None:
    # "800 1" as 1,800 does not hide a changed number: 1,900 is still changed, to 1,800.
    assert verdicts("The budget provides for 1,900 posts.", "تنص الميزانية على 800 1 وظيفة.") == [
        ("changed", "1,900", "800 1")
    ]
    # Two numbers side by side keep their plain reading when the English has both.
    assert verdicts("Teams of 800 and 1 were sent.", "أرسلت فرق من 800 1.") == [
        ("kept", "800", "800"),
        ("kept", "1", "1"),
    ]
    # "5-10" is a range (or section 5.10), never 5.1.
    got = verdicts("It takes 5.1 years.", "يستغرق الأمر 5-10 سنوات.")
    assert ("kept", "5.1", "5-10") not in got and got[0][0] == "changed"


# UNPC v1.0 dev line pairs (the `dev` half of eval/number_readings.py, lines named), shortened.
UNPC_DEV = [
    # 1042: "two" had taken the 2 of "544 2".
    (
        "Two communities were reached with food distributed to 2,544 people.",
        "تم الوصول إلى مجموعتين محاصرتين، حيث وُزعت الأغذية على 544 2 شخصا.",
    ),
    # 3721: "Cascades 1" had taken the 1 of "630.8 1".
    (
        "Iran had fed 1,630.8 kg enriched up to 5% into Cascades 1 and 6.",
        "لقَّمت إيران 630.8 1 كغم المثرى بنسبة تصل إلى 5 في المائة في السلسلتين 1 و 6.",
    ),
    ("To be held at 10.47 a.m.", "المقرر عقدها الساعة 47/10"),  # 115
    ("The meeting resumed at 3 p.m.", "استؤنفت الجلسة الساعة 15:00."),  # 521
    (
        "Since 2005, more than $136,000 had been donated.",
        "منذ عام 2005، تلقـــى الصندوق تبرعـــــات تزيـــد على 000 136 دولار.",
    ),  # 3314
    ("a zone (nearly 800,000 square kilometres)", "منطقة (حوالي 000 800 كيلومتر مربع)"),  # 2279
    (
        "As of 4 February, 1.5 million people had been displaced.",
        "وحتى 4 شباط/فبراير، بلغ عدد النازحين 1.5 مليون شخص.",
    ),  # 439
    (
        "the extension sought (up to five years)",
        "فترة التمديد المطلوبة (خمس سنوات كحد أقصى)",
    ),  # 369
    ("Endorsed by the 131st Assembly", "التي أقرتها الجمعية الحادية والثلاثون بعد المائة"),  # 2783
    ("3.2.1 Progress is made", "3-2-1 إحراز تقدم"),  # 2234
    ("children under the age of five died", "توفي الأطفال دون سن الخامسة"),  # 1240
    ("uranium enriched up to 20%", "اليورانيوم المثرى بنسبة تصل إلى 20 في المائة"),  # 845
]


@pytest.mark.parametrize(("en", "ar"), UNPC_DEV)
def test_un_conventions_of_unpc_dev(en: str, ar: str) -> None:
    numbers = audit_document("d", en, ar).to_json()["numbers"]
    # Kept, or a soft number left out ("two communities" is "مجموعتين", a dual).
    assert any(n["verdict"] == "kept" for n in numbers)
    assert not [n["evidence"]["note"] for n in numbers if n["flagged"]]


def test_a_changed_un_number_shows_its_whole_reading() -> None:
    # UNPC dev 2729: a real difference between the two texts, read as 100,000, not 0.
    report = audit_document("d", "a fixed amount of $110,000", "بمبلغ 000 100 دولار").to_json()
    (item,) = report["numbers"]
    assert item["verdict"] == "changed" and item["ar"]["value"] == 100000


def test_twelve_hour_times_keep_their_reading() -> None:
    (m,) = extract_numbers("at 10:08 p.m. on Monday", "en")
    assert m.readings() == (10.08, 22.08) and m.kind == "time"


def test_an_added_un_number_is_one_finding() -> None:
    # UNPC dev 1736: the Arabic repeats the amount the English gives once ("in the same amount").
    en = "commitments up to the amount of $5,819,000 and to use the Fund in the same amount."
    ar = "التزامات بمبلغ أقصاه 000 819 5 دولار، وأن يستخدم الصندوق بمبلغ قدره 000 819 5 دولار."
    assert verdicts(en, ar) == [("kept", "5,819,000", "000 819 5"), ("added", None, "000 819 5")]


# Readings the hand-checked gold set (eval/gold, FLORES-200 devtest) showed wrong: decades
# written as words, "على الأقل من" read as "less than", times before a time zone. Those gold
# items are no longer blind (eval/RESULTS.md, "Gold set checked by hand").
@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("وفي ستينيات القرن الماضي", "ar", [("ستينيات", (60.0, 1960.0, 2060.0), None)]),
        ("في أواخر السبعينيات", "ar", [("السبعينيات", (70.0, 1970.0, 2070.0), None)]),
        ("كان في العشرينيات من عمره", "ar", [("العشرينيات", (20.0, 1920.0, 2020.0), None)]),
        # the 1930s with the century named stay one year
        ("في ثلاثينيات القرن العشرين", "ar", [("ثلاثينيات القرن العشرين", (1930.0,), None)]),
        ("قطرها على الأقل من 100 متر", "ar", [("100", (100.0,), "at_least")]),
        ("أقل من 100 متر", "ar", [("100", (100.0,), "less_than")]),
        ("at approximately 1200 GMT", "en", [("1200", (12.0, 1200.0), None)]),
        ("(15،00 UTC)", "ar", [("15،00", (15.0,), None)]),
        # no time zone: a count, not a time
        ("They worked 1200 hours.", "en", [("1200", (1200.0,), None)]),
    ],
)
def test_readings_the_gold_set_found(text: str, lang: str, expected: list) -> None:
    assert readings(text, lang) == expected


GOLD_PAIRS = [
    (
        "Throughout 1960s, Brzezinski worked for John F. Kennedy.",
        "وفي ستينيات القرن الماضي، عمل بريجنسكي مستشاراً لجون إف كينيدي.",
    ),
    ("He was reportedly aged in his 20s.", "فإنه كان في العشرينيات من عمره."),
    (
        "They are at least 100 to 250 meters in diameter.",
        "يبلغ قطرها على الأقل من 100 إلى 250 متراً.",
    ),
    (
        "It was taken away at approximately 1200 GMT on the same day.",
        "ونُقلت في الساعة 12:00 تقريباً بتوقيت غرينتش في اليوم ذاته.",
    ),
    ("The program started at 15.00 UTC.", "بدأ البرنامج في (15،00 UTC)."),
]


@pytest.mark.parametrize(("en", "ar"), GOLD_PAIRS)
def test_gold_set_readings_are_kept(en: str, ar: str) -> None:
    numbers = audit_document("d", en, ar).to_json()["numbers"]
    assert numbers and all(n["verdict"] == "kept" and not n["flagged"] for n in numbers), [
        n["evidence"]["note"] for n in numbers
    ]
    assert missing_numbers(en, "en", ar, "ar") == []
    assert missing_numbers(ar, "ar", en, "en") == []


def test_a_wrong_decade_is_still_flagged() -> None:
    # a year against a decade word: not paired as `changed`, but both sides are flagged
    assert verdicts("Sales fell in the 1960s.", "تراجعت المبيعات في السبعينيات.") == [
        ("missing", "1960s", None),
        ("added", None, "السبعينيات"),
    ]


# Readings from the UNPC dev half read after the fresh held-out set missed the number goal
# (eval/RESULTS.md, "Labels, session numbers, ..."): UNPC dev lines named, shortened.
UNPC_DEV_2 = [
    # 797: the firm "(2)" takes the Arabic digits; the soft "Two" is the dual "رجلان".
    ("Two (2) men were observed crossing the BL.", "شوهد رجلان (2) وهما يعبران الخط الأزرق."),
    # 2983: the UN writes minutes first, "الساعة 00:10" is 10 a.m.
    (
        "The meeting will be held on 27 March at 10 a.m.",
        "يعقد الاجتماع يوم 27 آذار/مارس في الساعة 00:10 في مجلس الأمن.",
    ),
    # 552: a currency code between "over" and the digits.
    (
        "Finland has contributed over Euro1.5 million to the programme.",
        "ساهمت فنلندا بما يربو على 1,5 مليون يورو في البرنامج.",
    ),
    # 3163: the age between "يزيد" and "على".
    ("jobs for women over 55", "فرص عمل للنساء اللائي يزيد عمرهن على 55 عامًا"),
    # 546, 1686: "under" a count of headings does not bound it.
    (
        "made comprehensive commitments under 12 critical areas of concern.",
        "تعهدات شاملة في اثني عشر مجالاً من مجالات الاهتمام الحاسمة.",
    ),
    (
        "Operating revenues fall under four classifications.",
        "وتندرج إيرادات التشغيل ضمن أربعة تصنيفات.",
    ),
    # 679, 2115: the session number of a resolution, Roman in English.
    (
        "its resolution 973 (X) of 15 December 1955",
        "قرارها 973 (د-10) المؤرخ 15 كانون الأول/ديسمبر 1955",
    ),
    ("Council resolution 1894 (LVII).", "قرار المجلس 1894 (د-57)."),
    # 3775: a heading's Roman number.
    ("Section V of the present document", "يعرض الفصل الخامس من هذه الوثيقة"),
    # 846: "UF6" is a name, not six; 1451: a footnote mark on both sides.
    (
        "14. The purpose of enriching UF6 up to 5% is fuel.",
        "14 - الغرض من إثراء سادس فلوريد اليورانيوم بنسبة تصل إلى 5 في المائة هو الوقود.",
    ),
    (
        "Takes note of the report for the Former Yugoslavia;1",
        "1 - تحيط علما بتقرير الأداء الأول المقدّم من الأمين العام(1)؛",
    ),
    # 1101, 1435, 2279: codes, units and footnote marks the Arabic does not write.
    (
        "30. It was also queried whether it was closer to a B2C than a B2B procedure.",
        "30- واستُفسر أيضاً عمَّا إذا كان يتَّسق مع الإجراءات بين المنشآت والمستهلكين.",
    ),
    (
        "blasting of 1,690 structures, indicating planning.[23]",
        "التفجير المنهجي لما عدده 690 1 مبنى، مما يدل على التخطيط.",
    ),
    ("a zone (nearly 800,000 km2)", "منطقة (حوالي 000 800 كيلومتر مربع)"),
]


@pytest.mark.parametrize(("en", "ar"), UNPC_DEV_2)
def test_un_readings_of_unpc_dev_second_pass(en: str, ar: str) -> None:
    numbers = audit_document("d", en, ar).to_json()["numbers"]
    assert any(n["verdict"] == "kept" for n in numbers)
    assert not [n["evidence"]["note"] for n in numbers if n["flagged"]]


def flagged_verdicts(en: str, ar: str) -> list[tuple[str, bool, str | None, str | None]]:
    numbers = audit_document("d", en, ar).to_json()["numbers"]
    return [
        (n["verdict"], n["flagged"], (n["en"] or {}).get("text"), (n["ar"] or {}).get("text"))
        for n in numbers
    ]


def test_a_paragraph_number_is_no_changed_number() -> None:
    # UNPC dev 2841: the Arabic line opens with its paragraph number, the English has none;
    # "Action Team 14" was read as changed to 107. The 14 is still missing.
    en = (
        "The view was expressed that, as with the Action Team on Near-Earth Objects "
        "(Action Team 14), a group should be set up."
    )
    ar = (
        "107- وأُعرب عن رأي مفاده أنَّه ينبغي إنشاء فريق استشاري على غرار فريق العمل "
        "المعني بالأجسام القريبة من الأرض."
    )
    assert flagged_verdicts(en, ar) == [
        ("missing", True, "14", None),
        ("added", False, None, "107"),
    ]


def test_labels_still_catch_their_changes() -> None:
    # A paragraph number against a paragraph number, a code against a code: still changed.
    assert flagged_verdicts("12. The reports show gaps.", "13 - يوضح التقريران ثغرات.") == [
        ("changed", True, "12", "13")
    ]
    # UNPC dev 2437: a heading numbered by an ordinal word.
    assert flagged_verdicts("Action taken by the General Assembly", "عاشراً - الإجراء المتخذ") == [
        ("added", False, None, "عاشراً")
    ]
    assert flagged_verdicts("crossing IVO B59.", "يعبرون قرب البرميل B58.") == [
        ("changed", True, "59", "58")
    ]
    # An ordinary number is never a label: a changed count in a numbered paragraph.
    got = flagged_verdicts("7. Some 45 staff left.", "٧ - غادر نحو 54 موظفا.")
    assert ("changed", True, "45", "54") in got


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("children under 5 years", "en", [("5", (5.0,), "less_than")]),
        ("over EUR 1.5 million", "en", [("1.5 million", (1.5e6,), "more_than")]),
        ("لا يقل عمره عن 18 عاما", "ar", [("18", (18.0,), "at_least")]),
        ("الساعة 15:00", "ar", [("15:00", (15.0,), None)]),
        ("في الساعة 00:10", "ar", [("00:10", (0.1, 10.0), None)]),
        ("Section Vice", "en", []),
    ],
)
def test_readings_of_unpc_dev_second_pass(text: str, lang: str, expected: list) -> None:
    assert readings(text, lang) == expected


def test_codes_and_content_numbers_still_catch_changes() -> None:
    # Guards from the seen held-out set of the corruption suite (TICO-19, FLORES-200, UNPC),
    # where a first version of the labels lost these digit corruptions.
    got = flagged_verdicts("the following factors (Table33):", "العوامل التالية (الجدول 35):")
    assert ("changed", True, "33", "35") in got
    got = flagged_verdicts("He fired his M16 rifle.", "أطلق النار من بندقيته م14 على السياح.")
    assert ("changed", True, "16", "14") in got
    # digits pair with digits, words with words: the changed 1 is found
    got = flagged_verdicts(
        "A binary digit can have only one of two values, 0 or 1.",
        "يمكن أن تكون قيمة الرقم الثنائي قيمة واحدة فقط من قيمتين، وهما 0 أو 6.",
    )
    assert ("changed", True, "1", "6") in got
    # the paragraph number is matched after the text's numbers ("annex II" = "الثاني")
    got = flagged_verdicts(
        "2. Schedule 3 shall be replaced by the programme attached as annex II.",
        "٨ - يستعاض عن الجدول 3 ببرنامج التدريب الملحق بصفته المرفق الثاني.",
    )
    assert ("changed", True, "2", "٨") in got


# NTREX-128 dev (issue 12, fifth follow-up: the untouched dev documents' flags read by hand).
SAMARITANS_EN = (
    "If you are struggling to cope, you can call Samaritans free on 116 123 (UK and Ireland), "
    "email jo@samaritans.org, or visit the Samaritans website here."
)
SAMARITANS_AR = (
    "إذا كنت تكافح من أجل البقاء على قيد الحياة، فلا تتردد في التواصل مع أفرد الطائفة "
    "السامرية مجانًا على الرقم 116123 (بالمملكة المتحدة وأيرلندا) أو على البريد الإلكتروني "
    "(jo@samaritans.org) أو زيارة موقعنا على العنوان التالي."
)


def _number_verdicts(en: str, ar: str) -> list[tuple[str, bool, str | None, str | None]]:
    report = audit_document("t", en, ar).to_json()
    return [
        (n["verdict"], n["flagged"], n["en"] and n["en"]["text"], n["ar"] and n["ar"]["text"])
        for n in report["numbers"]
    ]


def test_english_digit_groups_one_space_apart_are_the_arabic_number() -> None:
    # bbc.381749: the phone number "116 123" was 116 `changed` to 116123 and 123 `missing`.
    assert _number_verdicts(SAMARITANS_EN, SAMARITANS_AR) == [("kept", False, "116 123", "116123")]
    # A changed digit is still a change (the groups read alone again).
    assert ("changed", True, "116", "116124") in _number_verdicts(
        SAMARITANS_EN, SAMARITANS_AR.replace("116123", "116124")
    )


def test_a_score_is_no_changed_ordinal() -> None:
    # scotsman.133801: the English score "2-2" and the Arabic "group seven" share a link;
    # they were paired as 2 `changed` to 7. Now both are flagged apart (missing, added).
    en = (
        "A knee injury prevented midfielder Graham Dorrans from making his first appearance "
        "of the season until the 2-2 draw with Villarreal but he believes Rangers can use "
        "that result as a springboard to greater things."
    )
    ar = (
        "رينجرز يستضيف رابيد فيينا في يوم الخميس، مع الوضع في الاعتبار أن الانتصار على "
        "النمساويين، وبعد التعادل المثير للإعجاب في إسبانيا ضد فياريال في وقت سابق من هذا "
        "الشهر، سوف يضعهم في موقف قوي للتأهل من المجموعة السابعة لدوري أوروبا."
    )
    verdicts = _number_verdicts(en, ar)
    assert not [v for v in verdicts if v[0] == "changed"]
    assert ("added", True, None, "السابعة") in verdicts


@pytest.mark.parametrize(
    "en", ["They play in Group 7 of the Europa League.", "They play in the seventh group."]
)
def test_an_ordinal_still_renders_a_named_number_or_an_ordinal(en: str) -> None:
    ar = "إنهم يلعبون في المجموعة الثامنة من الدوري الأوروبي."
    assert [v[0] for v in _number_verdicts(en, ar)] == ["changed"]


# UNPC v1.0 dev line pairs of the suite's old fresh split, now a development part ("dev2";
# eval/RESULTS.md, "Fresh2"), read by hand: faithful numbers the audit flagged. Shortened.
DEV2_PAIRS = [
    # unpc:2015/cedaw/c/rus/q/8: the UN's section hyphen with a space after it
    (
        "Please provide information on the impact of article 6.11 of the Code.",
        "يرجى تقديم معلومات عن تأثير المادة 6- 11 من قانون الجرائم الإدارية.",
    ),
    # unpc:2015/s/2015/80: the unit named again after the half
    (
        "Through practice over four and a half years of operation, the mechanism met its goals.",
        "ومن خلال ممارسة على مدى أربع سنوات ونصف السنة من العمل، أوفت الآلية بأهدافها.",
    ),
    # unpc:2015/cedaw/c/mmr/4_5: the figure in brackets before the scale word
    (
        "The World Bank provides financial assistance of (80) million US dollars.",
        "يقدم البنك الدولي مساعدة مالية بمبلغ 80 مليون دولار من دولارات الولايات المتحدة.",
    ),
    # unpc:2015/iccd/cric_13_/4: a teen after "و" in a compound
    (
        "One hundred and eleven countries had not established a monitoring system at all.",
        "ولم ينشئ مائة وأحد عشر بلداً أي نظام لرصد التصحر وتدهور الأراضي والجفاف().",
    ),
    # unpc:2015/s/2015/17: "800 1" with decimals and the scale word on the leading group
    (
        "The outstanding contributions amounted to $1,731.5 million.",
        "وبلغ مجموع الأنصبة المقررة غير المسددة 731.5 1 مليون دولار.",
    ),
    # unpc:2015/s/2015/79: the year and its footnote mark run together in the English
    (
        "Ra'is Khudaidad was captured by Afghan security forces in September 2014.42",
        "وقد ألقت قوات الأمن الأفغانية القبض على رئيس خُديداد في أيلول/سبتمبر 2014(42).",
    ),
]


@pytest.mark.parametrize(("en", "ar"), DEV2_PAIRS)
def test_readings_of_dev2_are_kept(en: str, ar: str) -> None:
    numbers = audit_document("d", en, ar).to_json()["numbers"]
    assert any(n["verdict"] == "kept" for n in numbers)
    assert not [n["evidence"]["note"] for n in numbers if n["flagged"]]


@pytest.mark.parametrize(
    ("en", "ar"),
    [
        ("article 6.12 of the Code", "المادة 6- 11 من القانون"),
        ("over four and a half years", "على مدى خمس سنوات ونصف السنة"),
        ("assistance of (90) million US dollars", "مساعدة بمبلغ 80 مليون دولار"),
        ("One hundred and twelve countries", "مائة وأحد عشر بلداً"),
        ("amounted to $1,731.6 million", "بلغ 731.5 1 مليون دولار"),
        ("captured in September 2015.42", "القبض عليه في أيلول/سبتمبر 2014(42)."),
    ],
)
def test_dev2_readings_still_catch_a_change(en: str, ar: str) -> None:
    numbers = audit_document("d", en, ar).to_json()["numbers"]
    assert [n["verdict"] for n in numbers if n["flagged"]][:1] == ["changed"], [
        (n["verdict"], n["evidence"]["note"]) for n in numbers
    ]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("أربع سنوات ونصف السنة", "ar", [("أربع سنوات ونصف السنة", 4.5)]),
        ("مائة وأحد عشر بلداً", "ar", [("مائة وأحد عشر", 111.0)]),
        ("ألف وإحدى عشرة دولة", "ar", [("ألف وإحدى عشرة", 1011.0)]),
        ("(80) million US dollars", "en", [("(80) million", 8e7)]),
        ("in September 2014.42", "en", [("2014", 2014.0)]),
        # what stays: half of a definite noun of another unit, a decimal after no month
        ("ثلاثة أشخاص ونصف المصابين", "ar", [("ثلاثة", 3.0), ("ونصف", 0.5)]),
        ("in 2014.42 cases", "en", [("2014.42", 2014.42)]),
    ],
)
def test_dev2_readings(text: str, lang: str, expected: list) -> None:
    assert [(m.text, m.value) for m in extract_numbers(text, lang)] == expected


def test_another_sentences_paragraph_number_keeps_no_content_number() -> None:
    # dev2 unpc:2015/a/69/783 (shortened): "thirty-ninth" changed to "التاسع والسبعين" was
    # read as kept by the paragraph number "39 -" of the next sentence.
    en = (
        "I have the honour to transmit the report of the thirty-ninth ministerial meeting of "
        "the Committee.\nThe meeting ended with a statement by the chair on the budget."
    )
    ar = (
        "أتشرف بأن أحيل إليكم تقرير الاجتماع الوزاري {} للجنة.\n"
        "39 - واختتم الاجتماع ببيان من الرئيس بشأن الميزانية."
    )
    assert ("changed", True, "thirty-ninth", "التاسع والسبعين") in flagged_verdicts(
        en, ar.format("التاسع والسبعين")
    )
    assert ("kept", False, "thirty-ninth", "التاسع والثلاثين") in flagged_verdicts(
        en, ar.format("التاسع والثلاثين")
    )
