"""Find the numbers in Arabic or English text, and check that a translation kept them.

`extract_numbers` returns `NumberMention`s for digit numbers (ASCII, Arabic-Indic and
Extended Arabic-Indic digits, with scale words and percent signs), spelled-out numbers in
both languages, ordinals and vague quantities ("عشرات", "hundreds of"). `missing_numbers`
compares a source and its translation by value, so "١٣٠", "130", "مائة وثلاثون" and
"one hundred and thirty" all agree.

Mention kinds:
  digits    a number written in digits ("130", "٣٫٥", "1.5 million")
  year      four plain digits between 1900 and 2100 ("2021", "١٩٩٩", "the 1970s")
  percent   a number followed by % ٪ "في المئة" "percent" ...
  words     a spelled-out cardinal ("ثلاثة", "مائة وثلاثون", "two dozen")
  ordinal   "الثالث", "twenty-first", "20th", "الحادي والعشرين"
  approx    a vague magnitude: "عشرات" (10), "مئات الآلاف" (100000), "thousands of" (1000)
  fraction  "نصف", "half" (0.5)
  roman     an upper-case Roman numeral of two or more letters ("World War II", "WWI")
  time      a clock time, valued hours + minutes / 100 ("12:30" is 12.3)
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import NamedTuple


@dataclass(frozen=True)
class NumberMention:
    """One number in a text, with its value and where it was written."""

    text: str  # the surface span as written
    value: float  # 130 for "١٣٠", 3.5 for "٣٫٥", 1500000 for "1.5 million", 30 for "الثلاثين"
    span: tuple[int, int]  # character offsets in the input
    kind: str  # one of KINDS, see the module docstring
    # "more_than", "less_than", "about", "at_least", "at_most", "up_to"; see QUALIFIERS
    qualifier: str | None = None
    unit: str | None = None  # one of UNITS: "people", "years", "percent", "dollar", "century"...


KINDS = ("digits", "year", "percent", "words", "ordinal", "approx", "fraction", "roman", "time")
QUALIFIERS = ("more_than", "less_than", "about", "at_least", "at_most", "up_to")
UNITS = (
    "percent",
    "people",
    "years",
    "months",
    "weeks",
    "days",
    "hours",
    "minutes",
    "dollar",
    "pound",
    "euro",
    "rouble",
    "km",
    "miles",
    "metres",
    "kg",
    "tonnes",
    "century",
)

# --- digits --------------------------------------------------------------------------------

# Arabic-Indic and Extended Arabic-Indic digits, Arabic decimal (٫) and thousands (٬)
# separators map one character to one, so offsets in the normalised text stay valid.
_DIGIT_MAP = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬",
    "01234567890123456789.,",
)
# A comma groups thousands only before exactly three digits: "1,000" but not the list
# "1,5" in Arabic text. A period is a decimal point in both languages.
_NUMBER = re.compile(r"(?<!\d)\d+(?:,\d{3}(?!\d))*(?:\.\d+)?")
# Arabic news also groups thousands with a period ("76.000", "1.500.000") or a space
# ("30 000"), and writes decimals with a comma before a scale word ("25,2 مليار").
_AR_DOT_THOUSANDS = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:\.\d{3})+(?![\d.,]|\s*[%٪])")
# "30،000": the Arabic comma as a thousands separator.
_AR_COMMA_THOUSANDS = re.compile(r"(?<![\d.,،])\d{1,3}(?:،\d{3})+(?![\d.,])")
_SPACE_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])")
_AR_DECIMAL_COMMA = re.compile(
    r"(?<![\d.,])\d+,\d{1,2}"
    r"(?=\s*(?:مليون|مليار|ملايين|مليارات|ألف|آلاف|بالمئة|بالمائة|في الم|%|٪))"
)
_URL = re.compile(r"(?:https?://|www\.)\S+")
# A clock time is one mention, valued hh.mm, so "١٢:٠٠" matches "12:00" and "12.00".
_TIME = re.compile(r"(?<![\d.:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")

_SCALES_EN = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SCALE_AFTER_DIGITS = {
    "en": re.compile(r"\+?\s*(thousand|million|billion|trillion)\b", re.IGNORECASE),
    "ar": re.compile(
        r"\s*(ألف|ألفا|الف|آلاف|الاف|مليون|مليونا|ملايين|مليار|مليارا|مليارات|بليون|تريليون"
        r"|تريليونات|بلايين)"
        r"[\u064B-\u0652]*(?![\u0621-\u064A])"
    ),
}
# "$45m", "£2.5bn": abbreviated scales, trusted only after a currency sign.
_ABBREVIATED_SCALE = re.compile(r"(bn|mn|mln|m|k)\b", re.IGNORECASE)
_ABBREVIATED_VALUE = {"bn": 1e9, "mn": 1e6, "mln": 1e6, "m": 1e6, "k": 1e3}
_SCALES_AR = {
    "الف": 1e3,
    "الفا": 1e3,
    "الاف": 1e3,
    "مليون": 1e6,
    "مليونا": 1e6,
    "ملايين": 1e6,
    "مليار": 1e9,
    "مليارا": 1e9,
    "مليارات": 1e9,
    "بليون": 1e9,
    "بلايين": 1e9,
    "تريليون": 1e12,
    "تريليونات": 1e12,
}
_AR_PERCENT_WORDS = r"(?:في\s*ال|بال)م(?:ئ|ائ|ا|ي)[ةه](?![\u0621-\u064A])"
_PERCENT = {
    "en": re.compile(r"\s*(?:%|percent\b|per\s+cent\b|percentage\s+points?\b)", re.IGNORECASE),
    "ar": re.compile(rf"\s*(?:[%٪]|{_AR_PERCENT_WORDS})"),
}
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)\b")
_DECADE_SUFFIX = re.compile(r"'?s\b")

# --- qualifiers ----------------------------------------------------------------------------

_QUALIFIER_BEFORE = {
    "en": [
        ("at_least", re.compile(r"\b(?:at least|no (?:fewer|less) than|a minimum of)\s+$", re.I)),
        ("at_most", re.compile(r"\b(?:at most|no more than|not more than|a maximum of)\s+$", re.I)),
        ("more_than", re.compile(r"\b(?:more than|over|above|upwards of|in excess of)\s+$", re.I)),
        ("less_than", re.compile(r"\b(?:less than|fewer than|under|below)\s+$", re.I)),
        ("up_to", re.compile(r"\b(?:up to|as many as|as much as)\s+$", re.I)),
        (
            "about",
            re.compile(
                r"\b(?:about|around|nearly|almost|approximately|roughly|some|close to|near|"
                r"an estimated|estimated|approx\.|ca\.?|c\.|circa)\s+$",
                re.I,
            ),
        ),
    ],
    "ar": [
        ("at_least", re.compile(r"(?:ما )?لا يقل (?:عن|على)\s+$")),
        ("at_most", re.compile(r"(?:ما )?لا يزيد (?:عن|على)\s+$|(?:ب|ك)حد [أا]قصى\s+$")),
        (
            "more_than",
            re.compile(
                r"(?:[أا]كثر|[أا]زيد) من\s+$|(?:ما )?(?:يزيد|يربو) (?:عن|على)\s+$"
                r"|(?:^|\s)(?:ت|ي)?(?:تجاوز|يفوق|تفوق)\s+(?:ال)?$"
            ),
        ),
        (
            "less_than",
            re.compile(
                r"(?:[أا]قل) من\s+$|(?:ما )?يقل عن\s+$|(?:^|\s)(?:تحت|دون)\s+(?:سن\s+)?(?:ال)?$"
            ),
        ),
        # "ما يصل إلى" is "up to"; "ليصل إلى" is only "to reach".
        ("up_to", re.compile(r"ما (?:يصل|تصل) (?:إلى|الى)\s*$|(?:^|\s)و?حتى\s+$")),
        (
            "about",
            re.compile(
                r"(?:^|\s)[وفبل]?(?:نحو|حوالي|حوالى|قرابة|زهاء|ما يقرب من|ما يقارب|ما يناهز|تقريبا)"
                r"\s*$"
            ),
        ),
    ],
}
# Qualifiers written after the number (and its counted noun): "130 شخصا على الأقل",
# "30 people at most", "نحو 20 عاما تقريبا".
_QUALIFIER_AFTER = {
    "en": [
        ("at_least", re.compile(r"(?:\s+[A-Za-z]+)?\s+at least\b")),
        ("at_most", re.compile(r"(?:\s+[A-Za-z]+)?\s+at most\b")),
        ("more_than", re.compile(r"(?:\s+[A-Za-z]+)?\s+or more\b")),
    ],
    "ar": [
        ("at_least", re.compile(r"(?:\s+[\u0621-\u0652]+)?\s+على ال[أا]قل")),
        ("at_most", re.compile(r"(?:\s+[\u0621-\u0652]+)?\s+على ال[أا]كثر")),
        ("about", re.compile(r"(?:\s+[\u0621-\u0652]+)?\s+تقريب[اًا]")),
    ],
}


_CURRENCY_OR_THE = re.compile(r"(?:\s*(?:US\$|\$|£|€)|\s*\bthe)\s*$")
# "over 24 hours" is a duration, not "more than".
_OVER_UNDER = re.compile(r"\b(?:over|under|in)\s+(?:the\s+)?$", re.I)
_TIME_UNITS = {"years", "months", "weeks", "days", "hours", "minutes"}


def _qualifier(text: str, start: int, end: int, lang: str) -> str | None:
    before = text[max(0, start - 30) : start]
    if lang == "en":
        before = _CURRENCY_OR_THE.sub(" ", before)
    for name, pattern in _QUALIFIER_BEFORE[lang]:
        if pattern.search(before):
            return name
    for name, pattern in _QUALIFIER_AFTER[lang]:
        if pattern.match(text, end):
            return name
    return None


def _digit_mentions(text: str, norm: str, lang: str) -> list[NumberMention]:
    skip = [m.span() for m in _URL.finditer(norm)]
    out = []
    for m in _TIME.finditer(norm):
        value = int(m.group(1)) + int(m.group(2)) / 100
        out.append(NumberMention(text[m.start() : m.end()], value, m.span(), "time"))
        skip.append(m.span())
    found = []
    if lang == "ar":
        for pattern, fix in (
            (_AR_DOT_THOUSANDS, lambda g: g.replace(".", "")),
            (_AR_DECIMAL_COMMA, lambda g: g.replace(",", ".")),
            (_AR_COMMA_THOUSANDS, lambda g: g.replace("،", "")),
        ):
            for m in pattern.finditer(norm):
                # "1.500 مليون" is 1.5 million: a scale word after it makes the period decimal.
                if pattern is _AR_DOT_THOUSANDS and _SCALE_AFTER_DIGITS["ar"].match(norm, m.end()):
                    continue
                if not any(a < m.end() and m.start() < b for a, b in skip):
                    found.append((m, float(fix(m.group()))))
                    skip.append(m.span())
    for m in _SPACE_THOUSANDS.finditer(norm):
        if any(a < m.end() and m.start() < b for a, b in skip):
            continue
        groups = re.split(r"[ \u00a0\u202f]", m.group())
        # A plain space only joins "30 000"-style groups, never "5 100" (a date and a count).
        if "000" in groups[1:] or re.search(r"[\u00a0\u202f]", m.group()):
            found.append((m, float("".join(groups))))
            skip.append(m.span())
    for m in _NUMBER.finditer(norm):
        if not any(a <= m.start() < b for a, b in skip):
            found.append((m, float(m.group().replace(",", ""))))
    found.sort(key=lambda p: p[0].start())
    for m, value in found:
        start, end = m.span()
        plain = m.group().isdigit()
        kind = "digits"
        # "كوف-2 مليون إصابة": the 2 belongs to the name SARS-CoV-2, not to the million.
        in_name = start > 1 and norm[start - 1] == "-" and norm[start - 2].isalpha()
        scale = None if in_name else _SCALE_AFTER_DIGITS[lang].match(norm, end)
        if scale:
            word = scale.group(1).lower() if lang == "en" else _norm_ar(scale.group(1))
            value *= _SCALES_EN[word] if lang == "en" else _SCALES_AR[word]
            end = scale.end()
        elif (
            start > 0 and norm[start - 1] in "$£€" and (abbr := _ABBREVIATED_SCALE.match(norm, end))
        ):
            value *= _ABBREVIATED_VALUE[abbr.group(1).lower()]
            end = abbr.end()
        elif lang == "en" and (suffix := _ORDINAL_SUFFIX.match(norm, end)):
            kind = "ordinal"
            end = suffix.end()
        if percent := _PERCENT[lang].match(norm, end):
            kind = "percent"
            end = percent.end()
        elif kind == "digits" and plain and len(m.group()) == 4 and 1900 <= value <= 2100:
            kind = "year"
            if decade := _DECADE_SUFFIX.match(norm, end):
                end = decade.end()
        out.append(
            NumberMention(
                text[start:end],
                value,
                (start, end),
                kind,
                # "$300+ billion", "١٠٠+": a plus sign after the digits is "more than".
                "more_than" if "+" in text[start:end] else _qualifier(text, start, end, lang),
            )
        )
    return out


# --- English words ---------------------------------------------------------------------------

_EN_UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_EN_TENS = {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_EN_ORDINALS = {
    w: i
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split(),
        1,
    )
}
_EN_ORDINALS |= {
    w: 10 * i
    for i, w in enumerate(
        "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split(), 2
    )
}
_EN_ORDINAL_SCALES = {"hundredth": 100, "thousandth": 1e3, "millionth": 1e6, "billionth": 1e9}
# Plurals are vague magnitudes: "hundreds of", "dozens of", "tens of thousands".
_EN_APPROX = {
    "dozens": 12,
    "hundreds": 100,
    "thousands": 1e3,
    "millions": 1e6,
    "billions": 1e9,
    "trillions": 1e12,
}
_EN_MULTIPLIERS = {"hundred", "dozen", *_SCALES_EN}
_EN_WORD = re.compile(r"[A-Za-z]+")
# Two letters or more, so the pronoun "I" is not one; "World War I" and "WWI" are.
_ROMAN = re.compile(
    r"(?:\b|(?<=\bWW))(?=[IVX]{2,}\b|(?<=War )I\b|(?<=WW)I\b)X{0,3}(?:IX|IV|V?I{0,3})\b"
)
_ROMAN_VALUE = {"I": 1, "V": 5, "X": 10}


class _Tok(NamedTuple):
    word: str  # lower-cased (English) or normalised (Arabic) form
    start: int
    end: int


def _joined(text: str, left: _Tok, right: _Tok) -> bool:
    """Whether two tokens are separated only by spaces or one hyphen."""
    gap = text[left.end : right.start]
    return gap == "-" or (gap.isspace() and "\n" not in gap)


def _parse_en(text: str, toks: list[_Tok], i: int) -> tuple[int, float, str] | None:
    """Parse a number starting at token i: (tokens used, value, kind), or None."""
    total, current, place, last_scale = 0.0, 0.0, math.inf, math.inf
    kind, used, j = "words", 0, i
    while j < len(toks):
        w = toks[j].word
        if j > i and not _joined(text, toks[j - 1], toks[j]):
            break
        nxt = toks[j + 1].word if j + 1 < len(toks) else ""
        if w in ("a", "an") and j == i and nxt in _EN_MULTIPLIERS:
            current, place = 1.0, 0
        elif w == "and" and used and place >= 100 and (nxt in _EN_UNITS or nxt in _EN_TENS):
            pass  # "two hundred and fifty"
        elif w in _EN_UNITS or w in _EN_TENS:
            v = _EN_UNITS.get(w, _EN_TENS.get(w, 0))
            if v >= place:
                break
            current += v
            place = 10 if w in _EN_TENS else 0
            used = j - i + 1
        elif w == "hundred":
            if not (j == i or 0 < current < 100):
                break
            current = (current or 1) * 100
            place, used = 100, j - i + 1
        elif w in _SCALES_EN:
            scale = _SCALES_EN[w]
            if scale >= last_scale:
                break
            total += (current or 1) * scale
            current, place, last_scale, used = 0.0, scale, scale, j - i + 1
        elif w == "dozen":
            current, place, used = (current or 1) * 12, 0, j - i + 1
        elif w in _EN_ORDINALS:
            if _EN_ORDINALS[w] >= place:
                break
            current += _EN_ORDINALS[w]
            kind, used = "ordinal", j - i + 1
            break
        elif w in _EN_ORDINAL_SCALES:
            current = (current or 1) * _EN_ORDINAL_SCALES[w]
            kind, used = "ordinal", j - i + 1
            break
        elif j == i and (w in _EN_APPROX or (w == "tens" and nxt == "of")):
            value = float(_EN_APPROX.get(w, 10))
            used = 1
            # "tens of thousands", "hundreds of millions"
            if nxt == "of" and j + 2 < len(toks) and toks[j + 2].word in _EN_APPROX:
                value *= _EN_APPROX[toks[j + 2].word]
                used = 3
            elif w == "tens":
                return None
            return used, value, "approx"
        elif j == i and w == "half":
            return 1, 0.5, "fraction"
        else:
            break
        j += 1
    if not used:
        return None
    return used, total + current, kind


def _english_word_mentions(text: str) -> list[NumberMention]:
    toks = [_Tok(m.group().lower(), *m.span()) for m in _EN_WORD.finditer(text)]
    out = []
    i = 0
    while i < len(toks):
        parsed = _parse_en(text, toks, i)
        if parsed is None:
            i += 1
            continue
        used, value, kind = parsed
        start, end = toks[i].start, toks[i + used - 1].end
        if kind == "words" and (percent := _PERCENT["en"].match(text, end)):
            kind, end = "percent", percent.end()
        out.append(
            NumberMention(
                text[start:end], value, (start, end), kind, _qualifier(text, start, end, "en")
            )
        )
        i += used
    for m in _ROMAN.finditer(text):
        value = 0
        for a, b in zip(m.group(), m.group()[1:] + " ", strict=True):
            value += (
                -_ROMAN_VALUE[a] if _ROMAN_VALUE.get(b, 0) > _ROMAN_VALUE[a] else _ROMAN_VALUE[a]
            )
        out.append(NumberMention(m.group(), float(value), m.span(), "roman"))
    return out


# --- Arabic words ----------------------------------------------------------------------------

_TASHKEEL = re.compile(r"[\u064B-\u0652\u0670\u0640]")
_ALEFS = str.maketrans("أإآٱىة", "اااايه")


def _norm_ar(word: str) -> str:
    """Drop diacritics and tatweel, unify alef forms, ى→ي and ة→ه for lexicon look-up."""
    return _TASHKEEL.sub("", word).translate(_ALEFS)


def _lexicon(entries: dict[str, tuple[str, float]]) -> dict[str, tuple[str, float]]:
    return {_norm_ar(form): info for forms, info in entries.items() for form in forms.split()}


# category, value. Categories drive the grammar in _parse_ar.
_AR_LEXICON = _lexicon(
    {
        "واحد واحدة واحدا": ("unit", 1),
        "اثنان اثنين اثنتان اثنتين": ("unit", 2),
        "ثلاثة ثلاث": ("unit", 3),
        "أربعة أربع": ("unit", 4),
        "خمسة خمس": ("unit", 5),
        "ستة ست": ("unit", 6),
        "سبعة سبع": ("unit", 7),
        "ثمانية ثماني ثمان ثمانى": ("unit", 8),
        "تسعة تسع": ("unit", 9),
        # Only numbers before عشر/عشرة: "أحد عشر" 11, "اثنا عشر" 12; alone "أحد" is "anyone"
        # and "الأحد" is Sunday.
        "أحد إحدى": ("teen_only", 1),
        "اثنا اثني اثنتا اثنتي": ("teen_only", 2),
        "عشرة عشر": ("ten", 10),
        "عشرون عشرين": ("tens", 20),
        "ثلاثون ثلاثين": ("tens", 30),
        "أربعون أربعين": ("tens", 40),
        "خمسون خمسين": ("tens", 50),
        "ستون ستين": ("tens", 60),
        "سبعون سبعين": ("tens", 70),
        "ثمانون ثمانين": ("tens", 80),
        "تسعون تسعين": ("tens", 90),
        "مئة مائة": ("hundred", 100),
        "مئتان مئتين مائتان مائتين مئتا مئتي مائتا مائتي": ("hundred", 200),
        "ثلاثمئة ثلاثمائة": ("hundred", 300),
        "أربعمئة أربعمائة": ("hundred", 400),
        "خمسمئة خمسمائة": ("hundred", 500),
        "ستمئة ستمائة": ("hundred", 600),
        "سبعمئة سبعمائة": ("hundred", 700),
        "ثمانمئة ثمانمائة ثمانيمئة ثمانيمائة": ("hundred", 800),
        "تسعمئة تسعمائة": ("hundred", 900),
        "ألف ألفا": ("scale", 1e3),
        "مليون مليونا": ("scale", 1e6),
        "مليار مليارا بليون": ("scale", 1e9),
        "تريليون": ("scale", 1e12),
        "ألفان ألفين ألفي": ("dual", 1e3),
        "مليونان مليونين مليوني": ("dual", 1e6),
        "ملياران مليارين ملياري": ("dual", 1e9),
        "آلاف ألوف": ("plural", 1e3),
        "ملايين": ("plural", 1e6),
        "مليارات بلايين": ("plural", 1e9),
        "تريليونات": ("plural", 1e12),
        "عشرات": ("approx", 10),
        "مئات": ("approx", 100),
        "أول أولى أولا": ("ordinal", 1),
        "حادي حادية": ("ordinal", 1),
        "ثاني ثانية ثانيا ثان": ("ordinal", 2),
        "ثالث ثالثة ثالثا": ("ordinal", 3),
        "رابع رابعة رابعا": ("ordinal", 4),
        "خامس خامسة خامسا": ("ordinal", 5),
        "سادس سادسة سادسا": ("ordinal", 6),
        "سابع سابعة سابعا": ("ordinal", 7),
        "ثامن ثامنة ثامنا": ("ordinal", 8),
        "تاسع تاسعة تاسعا": ("ordinal", 9),
        "عاشر عاشرة عاشرا": ("ordinal", 10),
        "نصف": ("fraction", 0.5),
    }
)
# "أول/أولى" never make a teen: 11th is "الحادي عشر".
_FIRST = {_norm_ar(w) for w in ("أول", "أولى", "أولا")}
# Words that need the article to be numbers: bare "ثانية" is mostly "a second" (of time).
_NEEDS_ARTICLE = {_norm_ar("ثانية")}
# Words that are not numbers with the article: "الاثنين" is Monday, "الست" is "the lady".
_NOT_WITH_ARTICLE = {_norm_ar(w) for w in ("اثنين", "اثنان", "ست")}
# "كانون الثاني" (January), "تشرين الأول" (October), "ربيع الأول"...: month names.
_MONTH_HEAD = re.compile(
    "[وفبل]?(?:" + "|".join(map(_norm_ar, ("كانون", "تشرين", "ربيع", "جمادى"))) + ")"
)
# "ثاني أكسيد الكربون" is carbon dioxide, "سادس فلوريد اليورانيوم" uranium hexafluoride.
_NOT_BEFORE = {_norm_ar(w) for w in ("أكسيد", "اكسيد", "فلوريد", "كلوريد")}
# "ألف" is also the letter A that numbers sections: "ألف - الوضع", "المرفق ألف".
_LETTER_ALIF_AFTER = re.compile(r"\s*[-–)]")
_LETTER_ALIF_BEFORE = re.compile(r"(?:\(|(?:المرفق|الفرع|الجزء|الباب|الجدول|البند)\s+)$")
# Numbers only inside a compound ("التاسعة والستون", "عشرون ألفا") or with tanween
# ("ألفًا"): alone, "ستون" is mostly the name Stone and "ألفا" the letter alpha.
_ONLY_IN_COMPOUNDS = {_norm_ar("ستون"), _norm_ar("ألفا")}
# Not numbers before these words: "نصف الكرة" is a hemisphere.
_IDIOM_NEXT = {_norm_ar("نصف"): {_norm_ar("الكرة")}}
# "ميغابيت في الثانية" is "per second".
_PER_SECOND = re.compile(r"(?:في|ف|/)\s*$")
_CENTURY_BEFORE = re.compile(r"(?:^|\s)[وفبل]?(?:ال|ل)?قرن\s+$")
# A decade before the century: "ثلاثينيات", "الستينيات" (the tens word without its ن + يات).
_DECADE = re.compile(r"([\u0621-\u064A]+[يو])نيات(?:\s+من)?\s*$")
# Whole words that only look like a clitic plus a number: "لست" is "I am not".
_NOT_NUMBERS = {"لست", "باول"}  # "I am not", Powell (as written: "بأول" is "with the first")

_AR_WORD = re.compile(r"[\u0621-\u063A\u0641-\u064A\u0671-\u06D3\u064B-\u0652\u0670\u0640]+")


class _ArTok(NamedTuple):
    core: str  # normalised word without clitics
    cat: str | None  # lexicon category, None for a non-number
    value: float
    wa: bool  # starts with the conjunction و (joins compound numbers)
    article: bool  # has ال
    start: int
    end: int


def _analyse_ar(word: str, start: int, end: int) -> _ArTok:
    """Strip و/ف, then ب/ل/ك, then ال (or لل) until the rest is a number word."""
    norm = _norm_ar(word)
    bare = _TASHKEEL.sub("", word)
    if bare in _NOT_NUMBERS:
        return _ArTok(norm, None, 0.0, False, False, start, end)
    # Normalising alefs would make "وأحد" (and one of) look like "واحد" (one): a و before a
    # hamza-alef is always the conjunction.
    conjunctions = ("و", "ف") if bare[:2] in ("وأ", "وإ", "وآ") else ("", "و", "ف")
    for conj in conjunctions:
        if not norm.startswith(conj):
            continue
        rest = norm[len(conj) :]
        for prep in ("", "ب", "ل", "ك"):
            if not rest.startswith(prep):
                continue
            body = rest[len(prep) :]
            options = [(body, False)]
            if body.startswith("ال"):
                options.append((body[2:], True))
            if prep == "ل" and body.startswith("ل"):  # للثلاثين = ل + الثلاثين
                options.append((body[1:], True))
            for core, article in options:
                if core in _AR_LEXICON:
                    if core in _NEEDS_ARTICLE and not article:
                        continue
                    if core in _NOT_WITH_ARTICLE and article:
                        continue
                    if core == "اولي" and bare.endswith("ي"):
                        continue  # "الأولي" (preliminary) is not "الأولى" (the first)
                    cat, value = _AR_LEXICON[core]
                    return _ArTok(core, cat, value, conj == "و", article, start, end)
    return _ArTok(norm, None, 0.0, False, False, start, end)


def _joined_ar(text: str, left: _ArTok, right: _ArTok) -> bool:
    gap = text[left.end : right.start]
    return gap.isspace() and "\n" not in gap


def _parse_ar(text: str, toks: list[_ArTok], i: int) -> tuple[int, float, str] | None:
    """Parse an Arabic number starting at token i: (tokens used, value, kind), or None.

    Arabic reads big to small with و between groups and units before tens:
    "ألف وتسعمائة وخمسة وأربعون" = 1000 + 900 + 5 + 40. A count before a scale multiplies
    it ("ثلاثة آلاف", "خمسة وعشرون ألفا"), a unit before عشر/عشرة makes a teen.
    """
    first = toks[i]
    if first.cat == "teen_only":
        ok = i + 1 < len(toks) and toks[i + 1].cat == "ten" and not toks[i + 1].wa
        if not ok or not _joined_ar(text, first, toks[i + 1]):
            return None
    if first.cat == "ordinal":
        prev = toks[i - 1] if i > 0 else None
        if prev and _MONTH_HEAD.fullmatch(prev.core) and _joined_ar(text, prev, first):
            return None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt and nxt.core in _NOT_BEFORE:
            return None
    if first.cat == "fraction":
        return 1, first.value, "fraction"
    if first.cat in ("approx", "plural"):
        value = first.value
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        # "عشرات الآلاف" (tens of thousands), "مئات الملايين"
        if nxt and nxt.cat == "plural" and not nxt.wa and _joined_ar(text, first, nxt):
            return 2, value * nxt.value, "approx"
        return 1, value, "approx"

    total, current, place, last_scale = 0.0, 0.0, math.inf, math.inf
    kind, unit_open, last_cat, used = "words", False, "", 0
    for j in range(i, len(toks)):
        t = toks[j]
        if j > i and (t.cat is None or not _joined_ar(text, toks[j - 1], t)):
            break
        start = j == i
        if t.cat in ("unit", "teen_only", "ordinal"):
            if start:
                current, place = t.value, 0
            elif t.wa and t.cat == "unit" and place > t.value:
                current += t.value
                place = 0
            else:
                break
            unit_open = True
            if t.cat == "ordinal":
                kind = "ordinal"
        elif t.cat == "ten":
            if start:
                current, place = 10, 0
            elif (
                not t.wa
                and last_cat in ("unit", "teen_only", "ordinal")
                and unit_open
                and toks[j - 1].core not in _FIRST  # "أول عشر" is "the first ten"
            ):
                current += 10  # ثلاثة عشر, الحادي عشر
            elif t.wa and place > 10:
                current += 10
            else:
                break
            place, unit_open = 0, False
        elif t.cat == "tens":
            if start:
                current = t.value
            elif t.wa and (unit_open or place > t.value):
                current += t.value  # خمسة وعشرون, مائة وثلاثون, التاسعة والستون
            else:
                break
            place, unit_open = 0, False
        elif t.cat == "hundred":
            if start:
                current = t.value
            elif not t.wa and t.value == 100 and last_cat == "unit" and current < 10:
                current *= 100  # ثلاث مئة
            elif t.wa and place > t.value:
                current += t.value
            else:
                break
            place, unit_open = 100, False
        elif t.cat in ("scale", "plural", "dual"):
            scale = t.value
            count = 2 if t.cat == "dual" else 1
            if t.cat == "plural" and (start or t.wa or not current):
                break  # a bare plural is a vague quantity, handled above
            if start or (t.wa and scale < place):
                total += count * scale
            elif not t.wa and current and t.cat != "dual" and scale < last_scale:
                total += current * scale  # ثلاثة آلاف, مائة ألف
                current = 0
            else:
                break
            place, last_scale, unit_open = scale, scale, False
        else:
            break
        last_cat = t.cat or ""
        used = j - i + 1
        if kind == "ordinal" and t.cat in ("ten", "tens"):
            break
    if not used or (first.cat == "teen_only" and used < 2):
        return None
    return used, total + current, kind


def _arabic_word_mentions(text: str, taken: list[tuple[int, int]]) -> list[NumberMention]:
    toks = [
        _analyse_ar(m.group(), *m.span())
        for m in _AR_WORD.finditer(text)
        if not any(a <= m.start() < b for a, b in taken)
    ]
    out = []
    i = 0
    while i < len(toks):
        parsed = _parse_ar(text, toks, i) if toks[i].cat else None
        if parsed is None:
            i += 1
            continue
        used, value, kind = parsed
        first = toks[i]
        nxt = toks[i + used] if i + used < len(toks) else None
        start, end = first.start, toks[i + used - 1].end
        if used == 1 and (
            (first.core in _ONLY_IN_COMPOUNDS and "\u064b" not in text[start:end])
            or (
                first.core == "الف"
                and _TASHKEEL.sub("", text[start:end]) == "ألف"
                and (
                    _LETTER_ALIF_AFTER.match(text, end)
                    or _LETTER_ALIF_BEFORE.search(text[max(0, start - 10) : start])
                )
            )
            or (nxt and nxt.core in _IDIOM_NEXT.get(first.core, ()))
            or (first.cat == "ordinal" and value == 2 and _PER_SECOND.search(text[:start]))
        ):
            i += 1
            continue
        unit = None
        if kind in ("ordinal", "words") and (
            century := _CENTURY_BEFORE.search(text[max(0, start - 30) : start])
        ):
            unit = "century"
            # "ثلاثينيات القرن العشرين" is the 1930s.
            base = max(0, start - 30)
            if decade := _DECADE.search(text[base:start][: century.start()]):
                tens = _analyse_ar(decade.group(1) + "ن", 0, 0)
                if tens.cat == "tens":
                    start = base + decade.start()
                    value = (value - 1) * 100 + tens.value
                    kind, unit = "year", None
        if kind in ("words", "approx") and (percent := _PERCENT["ar"].match(text, end)):
            kind, end = "percent", percent.end()
        qualifier = _qualifier(text, start, end, "ar")
        out.append(NumberMention(text[start:end], value, (start, end), kind, qualifier, unit))
        i += used
    return out


# --- units ---------------------------------------------------------------------------------

# What a number counts, from the word after it (after an optional adjective in English:
# "130 more people", "30 long years"). Arabic words are matched after _norm_ar, with
# clitics and case endings allowed: "شخصًا", "عامين", "بالمئة".
_UNIT_WORDS = {
    "en": {
        "people": "people persons person men women children civilians soldiers troops migrants "
        "refugees residents workers employees students patients victims dead killed injured "
        "wounded casualties fatalities deaths inmates prisoners officers passengers fans "
        "voters members staff jobs",
        "years": "years year yrs year-old years-old",
        "months": "months month",
        "weeks": "weeks week",
        "days": "days day",
        "hours": "hours hour",
        "minutes": "minutes minute mins",
        "dollar": "dollars dollar usd",
        "pound": "pounds sterling gbp",
        "euro": "euros euro eur",
        "rouble": "roubles rubles",
        "km": "km kilometres kilometers kilometre kilometer",
        "miles": "miles mile mph",
        "metres": "metres meters metre meter m",
        "kg": "kg kilograms kilos",
        "tonnes": "tonnes tons tonne ton",
    },
    "ar": {
        "people": "شخص اشخاص شخصا قتيل قتلي قتيلا جريح جرحي جريحا مصاب مصابين مصابا مدني مدنيين "
        "مدنيا جندي جنود جنديا طفل اطفال طفلا امراه نساء رجل رجال رجلا لاجئ لاجئين لاجئا مهاجر "
        "مهاجرين مهاجرا عامل عمال عاملا طالب طلاب طالبا مريض مرضي مريضا ضحيه ضحايا نسمه فرد "
        "افراد فردا مواطن مواطنين مواطنا سجين سجناء سجينا شخصين قتيلين جريحين",
        "years": "عام اعوام عاما عامين سنه سنوات سنين سنتين عاما",
        "months": "شهر اشهر شهور شهرا شهرين",
        "weeks": "اسبوع اسابيع اسبوعا اسبوعين",
        "days": "يوم ايام يوما يومين",
        "hours": "ساعه ساعات ساعتين",
        "minutes": "دقيقه دقائق دقيقتين",
        "dollar": "دولار دولارات دولارا",
        "pound": "جنيه جنيهات جنيها استرليني",
        "euro": "يورو",
        "rouble": "روبل روبلات روبلا",
        "km": "كيلومتر كيلومترات كيلومترا كم",
        "miles": "ميل اميال ميلا",
        "metres": "متر امتار مترا",
        "kg": "كيلوغرام كيلوغرامات كيلوجرام كغ كجم",
        "tonnes": "طن اطنان طنا",
    },
}
_UNIT_LOOKUP = {
    lang: {
        (w if lang == "en" else _norm_ar(w)): unit
        for unit, words in table.items()
        for w in words.split()
    }
    for lang, table in _UNIT_WORDS.items()
}
_CURRENCY_BEFORE = re.compile(r"(?:US\s?\$|\$|£|€)\s*$")
_CURRENCY_SIGN = {"$": "dollar", "£": "pound", "€": "euro"}
_NEXT_WORDS = {
    "en": re.compile(r"[-\s]+([A-Za-z][A-Za-z-]*)(?:\s+([A-Za-z][A-Za-z-]*))?"),
    "ar": re.compile(r"\s+([\u0621-\u0652\u0640]+)(?:\s+([\u0621-\u0652\u0640]+))?"),
}


def _ar_unit(word: str) -> str | None:
    norm = _TASHKEEL.sub("", _norm_ar(word))
    for prefix in ("", "ب", "ل", "و", "ال", "بال", "وال"):
        if norm.startswith(prefix) and (unit := _UNIT_LOOKUP["ar"].get(norm[len(prefix) :])):
            return unit
    return None


def _unit(text: str, mention: NumberMention, lang: str) -> str | None:
    """The unit of a mention: its percent sign, a currency sign before it, a counted noun."""
    if mention.unit:
        return mention.unit
    if mention.kind == "percent":
        return "percent"
    if mention.kind in ("year", "time", "roman", "fraction"):
        return None
    start, end = mention.span
    if sign := _CURRENCY_BEFORE.search(text[max(0, start - 4) : start]):
        return _CURRENCY_SIGN[sign.group().strip()[-1]]
    nxt = _NEXT_WORDS[lang].match(text, end)
    if not nxt:
        return None
    for word in nxt.groups():
        if word is None:
            break
        if lang == "en":
            low = word.lower()
            unit = _UNIT_LOOKUP["en"].get(low) or _UNIT_LOOKUP["en"].get(low.split("-")[0])
            if low.endswith(("-year-old", "-years-old")):
                unit = "years"
        else:
            unit = _ar_unit(word)
        if unit:
            return unit
        if lang == "ar":
            break  # Arabic puts the counted noun right after the number
    return None


# --- public API ----------------------------------------------------------------------------


def extract_numbers(text: str, lang: str) -> list[NumberMention]:
    """All number mentions in `text` ("ar" or "en"), in reading order."""
    if lang not in ("ar", "en"):
        raise ValueError(f"unsupported language {lang!r}: expected 'ar' or 'en'")
    norm = text.translate(_DIGIT_MAP)
    mentions = _digit_mentions(text, norm, lang)
    if lang == "en":
        words = _english_word_mentions(text)
    else:
        # "في المئة" after a number and "آلاف" in "3 آلاف" belong to the digit mention.
        taken = [m.span for m in mentions]
        taken += [p.span() for p in re.finditer(_AR_PERCENT_WORDS, text)]
        words = _arabic_word_mentions(text, taken)
    digit_spans = [m.span for m in mentions]
    mentions += [
        w for w in words if not any(a < w.span[1] and w.span[0] < b for a, b in digit_spans)
    ]
    mentions = [replace(m, unit=_unit(text, m, lang)) for m in mentions]
    mentions = [
        replace(m, qualifier=None)
        if (m.kind == "year" and m.qualifier == "up_to")  # "حتى 2020" is "until 2020"
        or lang == "en"
        and m.unit in _TIME_UNITS
        and m.qualifier == "more_than"
        and _OVER_UNDER.search(text[max(0, m.span[0] - 12) : m.span[0]])
        else m
        for m in mentions
    ]
    return sorted(mentions, key=lambda m: m.span)


def _key(value: float) -> float:
    return round(value, 6)


def _magnitude(value: float) -> int:
    return math.floor(math.log10(value)) if value > 0 else 0


def _forgivable(m: NumberMention) -> bool:
    """Spelled-out source numbers that a faithful translation often words differently.

    "الأول/الأولى" is as often "early", "top" or "premier" as "first"; "واحد" after a
    noun is "a", "single" or "unilaterally"; "نصف" is "hemisphere" in "نصف الكرة" and
    also the verb "we describe". Digits are never forgiven.
    """
    return m.kind == "fraction" or (m.kind in ("words", "ordinal") and m.value == 1)


def missing_numbers(src: str, src_lang: str, mt: str, mt_lang: str) -> list[NumberMention]:
    """Source mentions whose value the translation does not have (as a multiset).

    Kinds do not matter, only values: "٢٠٢١" matches "2021", "ثلاثة" matches "three" or
    "3", "الثالث" matches "third" or "3rd". A vague source quantity ("عشرات") is matched
    by a vague translation of the same order of magnitude ("dozens of") or the same value.
    A source century ordinal also matches its hundreds ("القرن التاسع عشر", "the 1800s").
    Unmatched spelled-out ones ("واحد", "الأولى") and halves are forgiven, see _forgivable.
    """
    exact: Counter[float] = Counter()
    vague: Counter[int] = Counter()
    for m in extract_numbers(mt, mt_lang):
        if m.kind == "approx":
            vague[_magnitude(m.value)] += 1
        else:
            exact[_key(m.value)] += 1
    source = extract_numbers(src, src_lang)
    missing = set()
    # Precise numbers first, so a vague one never takes the value a precise one needs.
    for idx, m in sorted(enumerate(source), key=lambda p: p[1].kind == "approx"):
        alternatives = [m.value]
        if m.unit == "century":  # "القرن التاسع عشر" may come out as "the 1800s"
            alternatives.append((m.value - 1) * 100)
        found = next((v for v in alternatives if exact[_key(v)]), None)
        if m.kind == "approx" and vague[_magnitude(m.value)]:
            vague[_magnitude(m.value)] -= 1
        elif found is not None:
            exact[_key(found)] -= 1
        elif not _forgivable(m):
            missing.add(idx)
    return [m for idx, m in enumerate(source) if idx in missing]


def numbers_agree(src: str, src_lang: str, mt: str, mt_lang: str) -> bool:
    """Whether every number of the source is in the translation."""
    return not missing_numbers(src, src_lang, mt, mt_lang)
