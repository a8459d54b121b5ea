"""Spelled-out English numbers: cardinals ("two hundred and fifty", "a dozen"), ordinals
("twenty-fourth"), vague plurals ("tens of thousands"), "half", and Roman numerals.

Hand-written rather than text2num (PyPI `text2num` 3.1.0, the maintained Rust-backed parser),
measured on tests/test_numbers.py's English cases: text2num misses "two dozen" (24) and
"a dozen" (12), reads the vague plurals "hundreds" and "tens of thousands" as exact 100 and
10, 1000, leaves "a" out of "a thousand", ignores "half", and reports token indices of its own
tokenisation, not character spans. Neither reads "four and a half million" as 4.5e6; this
one does ("N and a half" adds 0.5 to N, or half the scale: "a million and a half").
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from xling.text.numbers.digits import SCALES_EN, grand_is_thousand
from xling.text.numbers.mention import NumberMention
from xling.text.numbers.qualifiers import qualifier
from xling.text.numbers.units import PERCENT

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
_EN_MULTIPLIERS = {"hundred", "dozen", *SCALES_EN}
_EN_WORD = re.compile(r"[A-Za-z]+")
# Two letters or more, so the pronoun "I" is not one; "World War I" and "WWI" are.
_ROMAN = re.compile(
    r"(?:\b|(?<=\bWW))(?=[IVX]{2,}\b|(?<=War )I\b|(?<=WW)I\b)X{0,3}(?:IX|IV|V?I{0,3})\b"
)
_ROMAN_VALUE = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# One letter is enough where only a numeral can stand: the UN's session number after a
# resolution number, "resolution 973 (X)" = "973 (د-10)", "1894 (LVII)" = "1894 (د-57)",
# and a heading's number, "Section V" = "الفصل الخامس" (UNPC dev 679, 2115, 3775).
_ROMAN_PLACED = re.compile(
    r"(?:(?<=\d \()|(?<=\bSection )|(?<=\bChapter )|(?<=\bPart )|(?<=\bTitle ))"
    r"(?=[IVXLC]+(?:\)|\b))C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?:(?=\))|\b)"
)


class _Tok(NamedTuple):
    word: str  # lower-cased (English) or normalised (Arabic) form
    start: int
    end: int


def _joined(text: str, left: _Tok, right: _Tok) -> bool:
    """Whether two tokens are separated only by spaces or one hyphen."""
    gap = text[left.end : right.start]
    return gap == "-" or (gap.isspace() and "\n" not in gap)


def _and_a_half(text: str, toks: list[_Tok], j: int) -> bool:
    """Whether tokens j.. are "and a half" (joined by spaces or hyphens)."""
    if j + 2 >= len(toks) or [t.word for t in toks[j : j + 3]] != ["and", "a", "half"]:
        return False
    return _joined(text, toks[j], toks[j + 1]) and _joined(text, toks[j + 1], toks[j + 2])


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
        elif w == "and" and used and _and_a_half(text, toks, j):
            # "four and a half (million)", "a million and a half", "two and a half"
            if current and current == int(current) and place < 100:
                current += 0.5
                place, used, j = 0, j - i + 3, j + 3
                continue
            if not current and last_scale < math.inf:
                total += 0.5 * last_scale
                used = j - i + 3
            break
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
        elif w in SCALES_EN or (w == "grand" and grand_is_thousand(text, toks[j].end)):
            scale = SCALES_EN.get(w, 1e3)
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
            return used, value, "approx"  # "tens of people" (the عشرات of the source) too
        elif j == i and w == "half":
            return 1, 0.5, "fraction"
        else:
            break
        j += 1
    if not used:
        return None
    return used, total + current, kind


def english_word_mentions(text: str) -> list[NumberMention]:
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
        if kind == "words" and (percent := PERCENT["en"].match(text, end)):
            kind, end = "percent", percent.end()
        out.append(
            NumberMention(
                text[start:end], value, (start, end), kind, qualifier(text, start, end, "en")
            )
        )
        i += used
    spans = set()
    for m in [*_ROMAN.finditer(text), *_ROMAN_PLACED.finditer(text)]:
        if not m.group() or m.span() in spans:
            continue
        spans.add(m.span())
        value = 0
        for a, b in zip(m.group(), m.group()[1:] + " ", strict=True):
            value += (
                -_ROMAN_VALUE[a] if _ROMAN_VALUE.get(b, 0) > _ROMAN_VALUE[a] else _ROMAN_VALUE[a]
            )
        out.append(NumberMention(m.group(), float(value), m.span(), "roman"))
    return out
