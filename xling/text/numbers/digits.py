"""Numbers written in digits: ASCII, Arabic-Indic and Extended Arabic-Indic, with their
thousands and decimal separators, scale words ("1.5 million", "٣ آلاف"), percent signs,
ordinal suffixes, years and clock times."""

from __future__ import annotations

import re

from xling.text.numbers.letters import norm_ar
from xling.text.numbers.mention import NumberMention
from xling.text.numbers.qualifiers import qualifier
from xling.text.numbers.units import PERCENT

# The one Arabic-Indic digit table of xling: Arabic-Indic (٠-٩) and Extended Arabic-Indic
# (۰-۹, Persian/Urdu) digits, the Arabic decimal (٫) and thousands (٬) separators, each to
# its ASCII counterpart. One character maps to one, so offsets in the normalised text stay
# valid.
ARABIC_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬",
    "01234567890123456789.,",
)


def ascii_digits(text: str) -> str:
    """`text` with Arabic-Indic digits and separators as ASCII, character for character."""
    return text.translate(ARABIC_DIGITS)


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
# Only before a time zone: "1200 GMT" (hhmm, as news agencies write it) and "15،00 UTC" (the
# Arabic comma between hours and minutes) are 12:00 and 15:00 (found by the gold set).
_HOUR_WORD = re.compile(r"الساعة\s*$")
_ZONE = r"(?=\s*(?:GMT|UTC|بتوقيت غرينتش|بتوقيت جرينتش|ت\.\s?غ)\b)"
_ZONE_TIMES = (
    re.compile(r"(?<![\d.:,،])([01]\d|2[0-3])([0-5]\d)(?![\d.:,،])" + _ZONE),
    re.compile(r"(?<![\d.:,،])([01]?\d|2[0-3])،([0-5]\d)(?![\d.:,،])" + _ZONE),
)

_YEAR_AND_NOTE = re.compile(r"((?:19|20)\d\d)\.\d{1,3}")
_YEAR_PART = re.compile(r"\d{4}")
_MONTH_BEFORE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\s+$"
)

SCALES_EN = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SCALE_AFTER_DIGITS = {
    "en": re.compile(r"\+?\s*(thousand|million|billion|trillion)\b", re.IGNORECASE),
    "ar": re.compile(
        r"\s*(ألف|ألفا|الف|آلاف|الاف|مليون|مليونا|ملايين|مليار|مليارا|مليارات|بليون|تريليون"
        r"|تريليونات|بلايين)"
        r"[\u064B-\u0652]*(?![\u0621-\u064A])"
    ),
}
# "100 grand" is 100,000 in speech (TED talks), but "5 Grand Slam titles" and "a grand
# piano" are not: "grand" is a thousand only in lower case and at the end of the phrase or
# before a word that cannot be the noun it qualifies.
_GRAND_AFTER = re.compile(
    r"(?=\s*(?:[^\w\s-]|$|(?:a|an|per|in|on|for|of|to|from|at|and|or|each|apiece|worth|"
    r"cash|bucks|dollars|pounds|euros|year|month|week|day|more|less|is|was|were|are)\b))"
)


def grand_is_thousand(text: str, end: int) -> bool:
    """Whether a lower-case "grand" ending at `end`, after a number, means a thousand."""
    return text[end - 5 : end] == "grand" and bool(_GRAND_AFTER.match(text, end))


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
_GRAND = re.compile(r"\s+grand\b")
_AM_PM = re.compile(r"\s*([ap])\.?m\.?(?![A-Za-z])", re.IGNORECASE)
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)\b")
_DECADE_SUFFIX = re.compile(r"'?s\b")


def _clock24(value: float, half: str) -> tuple[float, ...]:
    """The 24-hour reading of a 12-hour time ("3.35 p.m." is 15.35), when it differs."""
    hours = int(value)
    other = round(hours % 12 + (12 if half.lower() == "p" else 0) + value - hours, 4)
    return (other,) if other != value else ()


def digit_mentions(text: str, norm: str, lang: str) -> list[NumberMention]:
    skip = [m.span() for m in _URL.finditer(norm)]
    out = []
    for m in _TIME.finditer(norm):
        value, end, alternatives = int(m.group(1)) + int(m.group(2)) / 100, m.end(), ()
        if lang == "en" and value < 13 and (clock := _AM_PM.match(norm, end)):
            end, alternatives = clock.end(), _clock24(value, clock.group(1))
        elif lang == "ar" and int(m.group(1)) == 0 and _HOUR_WORD.search(norm, 0, m.start()):
            # The UN writes minutes first, as "الساعة 47/10": "الساعة 00:10" is 10 a.m.
            alternatives = (float(m.group(2)),)
        out.append(
            NumberMention(
                text[m.start() : end], value, (m.start(), end), "time", alternatives=alternatives
            )
        )
        skip.append(m.span())
    for hhmm, pattern in zip((True, False), _ZONE_TIMES, strict=True):
        for m in pattern.finditer(norm):
            if any(a < m.end() and m.start() < b for a, b in skip):
                continue
            value = int(m.group(1)) + int(m.group(2)) / 100
            # "1200" stays a reading: a plain 1200 on the other side is the same time
            alternatives = (float(m.group()),) if hhmm else ()
            out.append(
                NumberMention(
                    text[m.start() : m.end()], value, m.span(), "time", alternatives=alternatives
                )
            )
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
            if lang == "en" and (year := _YEAR_AND_NOTE.fullmatch(m.group())):
                if _MONTH_BEFORE.search(norm, max(0, m.start() - 12), m.start()):
                    # "September 2014.42": the year and a footnote mark run together
                    # (UNPC, read in dev2); the Arabic writes "2014(42)".
                    m = _YEAR_PART.match(norm, m.start())
                    found.append((m, float(year.group(1))))
                    continue
            found.append((m, float(m.group().replace(",", ""))))
    found.sort(key=lambda p: p[0].start())
    for m, value in found:
        start, end = m.span()
        plain = m.group().isdigit()
        kind = "digits"
        alternatives: tuple[float, ...] = ()
        # "كوف-2 مليون إصابة": the 2 belongs to the name SARS-CoV-2, not to the million.
        in_name = start > 1 and norm[start - 1] == "-" and norm[start - 2].isalpha()
        scale = None if in_name else _SCALE_AFTER_DIGITS[lang].match(norm, end)
        if (
            not scale
            and not in_name
            and lang == "en"
            and norm[start - 1 : start] == "("
            and norm[end : end + 1] == ")"
            and (scale := _SCALE_AFTER_DIGITS[lang].match(norm, end + 1))
        ):
            # "(80) million US dollars" (UNPC, read in dev2): the figure of a number the
            # UN's English spells out and repeats in digits, with the scale after the bracket.
            start -= 1
        if (
            lang == "en"
            and (grand := _GRAND.match(norm, end))
            and grand_is_thousand(norm, grand.end())
        ):
            value *= 1e3
            end = grand.end()
        elif scale:
            word = scale.group(1).lower() if lang == "en" else norm_ar(scale.group(1))
            value *= SCALES_EN[word] if lang == "en" else _SCALES_AR[word]
            end = scale.end()
        elif (
            start > 0 and norm[start - 1] in "$£€" and (abbr := _ABBREVIATED_SCALE.match(norm, end))
        ):
            value *= _ABBREVIATED_VALUE[abbr.group(1).lower()]
            end = abbr.end()
        elif lang == "en" and (suffix := _ORDINAL_SUFFIX.match(norm, end)):
            kind = "ordinal"
            end = suffix.end()
        elif lang == "en" and value < 13 and (clock := _AM_PM.match(norm, end)):
            # "3.35 p.m." may be written "3.35 مساء" or, in the UN's Arabic, "15:35".
            kind, end = "time", clock.end()
            alternatives = _clock24(value, clock.group(1))
        if percent := PERCENT[lang].match(norm, end):
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
                "more_than" if "+" in text[start:end] else qualifier(text, start, end, lang),
                alternatives=alternatives,
            )
        )
    return out
