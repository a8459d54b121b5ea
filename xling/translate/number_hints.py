"""Numbers written into the source for a retry: the Arabic number words a translation lost,
replaced by their English ("ثماني" → "8", "الثالث والستين" → "63rd", "المئات" → "hundreds",
"ثمانينيات القرن العشرين" → "1980s"), as `--glossary` writes its terms in. The model copies
what it can read; a number it had to translate from words is what it drops or changes.
Mentions already in digits are left as they are (there is nothing to write in).
"""

from __future__ import annotations

import re

from xling.text.numbers import NumberMention

_ASCII_DIGIT = re.compile(r"[0-9]")
_VAGUE = {  # an Arabic vague quantity's magnitude ("عشرات", "مئات", "آلاف", ...) in English
    10: "tens",
    100: "hundreds",
    1_000: "thousands",
    10_000: "tens of thousands",
    100_000: "hundreds of thousands",
    1_000_000: "millions",
    1_000_000_000: "billions",
}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _number(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}" if value >= 10_000 else str(int(value))
    return f"{value:g}"


def english_for(mention: NumberMention) -> str | None:
    """What to write in place of an Arabic number mention; None when it is already digits or
    has no sure English."""
    if _ASCII_DIGIT.search(mention.text):
        return None
    if mention.kind == "approx":
        return _VAGUE.get(int(mention.value))
    if mention.kind == "ordinal":
        return _ordinal(int(mention.value)) if mention.value == int(mention.value) else None
    if mention.kind == "year":  # a decade in words ("الثمانينيات", "ثمانينيات القرن العشرين")
        return f"{int(mention.value)}s" if "ينيات" in mention.text else str(int(mention.value))
    if mention.kind == "percent":
        return f"{_number(mention.value)}%"
    if mention.kind in ("words", "fraction"):
        return _number(mention.value)
    return None


def write_in(src: str, missing: list[NumberMention]) -> str:
    """`src` with each missing mention that has an English written in its place (right to
    left, so the spans stay right); the same text when none has."""
    out = src
    for mention in sorted(missing, key=lambda m: m.span[0], reverse=True):
        english = english_for(mention)
        start, end = mention.span
        if english is not None and out[start:end] == mention.text:
            out = out[:start] + english + out[end:]
    return out
