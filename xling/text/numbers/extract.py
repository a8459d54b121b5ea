"""`extract_numbers`: digits, spelled-out numbers, their units and qualifiers, in one list."""

from __future__ import annotations

import re
from dataclasses import replace

from xling.text.numbers.arabic import arabic_word_mentions, decade_mentions, dual_and_half
from xling.text.numbers.digits import ascii_digits, digit_mentions
from xling.text.numbers.english import english_word_mentions
from xling.text.numbers.mention import TIME_UNITS, NumberMention
from xling.text.numbers.qualifiers import OVER_UNDER
from xling.text.numbers.units import AR_PERCENT_WORDS, unit_of

_YEAR_RANGE = re.compile(r"(?<![\d.,])((?:19|20)\d\d)[-–/]$")  # "1950-53": the 53 is 1953
_DECADES = re.compile(r"[\s-]+decades?\b", re.IGNORECASE)


def extract_numbers(text: str, lang: str) -> list[NumberMention]:
    """All number mentions in `text` ("ar" or "en"), in reading order."""
    if lang not in ("ar", "en"):
        raise ValueError(f"unsupported language {lang!r}: expected 'ar' or 'en'")
    norm = ascii_digits(text)
    mentions = digit_mentions(text, norm, lang)
    if lang == "en":
        words = english_word_mentions(text)
    else:
        # "في المئة" after a number and "آلاف" in "3 آلاف" belong to the digit mention.
        taken = [m.span for m in mentions]
        taken += [p.span() for p in re.finditer(AR_PERCENT_WORDS, text)]
        words = arabic_word_mentions(text, taken)
        duals = dual_and_half(text, taken + [w.span for w in words if w.kind != "fraction"])
        words = [w for w in words if not any(d.span[0] <= w.span[0] < d.span[1] for d in duals)]
        words += duals
        words += decade_mentions(text, taken + [w.span for w in words])
    digit_spans = [m.span for m in mentions]
    mentions += [
        w for w in words if not any(a < w.span[1] and w.span[0] < b for a, b in digit_spans)
    ]
    mentions = [replace(m, unit=unit_of(text, m, lang)) for m in mentions]
    mentions = [_year_range_end(text, m) for m in mentions]
    if lang == "en":  # "three decades" is 30 years ("الثلاثين عامًا", the seed article)
        mentions = [
            replace(m, unit="years", alternatives=(*m.alternatives, m.value * 10))
            if m.kind in ("words", "digits") and _DECADES.match(text, m.span[1])
            else m
            for m in mentions
        ]
    mentions = [
        replace(m, qualifier=None)
        if (m.kind == "year" and m.qualifier == "up_to")  # "حتى 2020" is "until 2020"
        or lang == "en"
        and m.unit in TIME_UNITS
        and m.qualifier == "more_than"
        and OVER_UNDER.search(text[max(0, m.span[0] - 12) : m.span[0]])
        else m
        for m in mentions
    ]
    return sorted(mentions, key=lambda m: m.span)


def _year_range_end(text: str, m: NumberMention) -> NumberMention:
    """The two digits after a year and a dash ("1950-53", "2010–11", "1998-02") also read as
    the year they end on (1953, 2011, 2002)."""
    start, end = m.span
    year = _YEAR_RANGE.search(text, max(0, start - 5), start)
    if m.kind != "digits" or end - start != 2 or not year or not text[start:end].isdigit():
        return m
    first = int(year.group(1))
    last = first // 100 * 100 + int(m.value)
    last += 100 if last <= first else 0
    return replace(m, alternatives=(*m.alternatives, float(last)))
