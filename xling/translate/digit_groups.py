"""A source number whose digit groups the model wrote apart ("26,750" → "$26, 750"), joined again.

The quality model sometimes puts a space after a thousands comma (NTREX dev: "379, 800 people",
"a $26, 750 check"): the English then reads as two numbers, 379 and 800, and the number guard
re-decodes a sentence whose number is there. Groups are joined only where the source has the
number they spell (the same digits), so a list ("5, 100 and 200") is left as it is.
"""

from __future__ import annotations

import re

from xling.text.numbers import ascii_digits

# three-digit groups after a comma and a space: "26, 750", "1, 200, 000" (and "1,200, 000")
_SPACED_GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?:, ?\d{3})*, \d{3}(?:, ?\d{3})*(?![\d,]\d)")
_SOURCE_NUMBER = re.compile(r"\d[\d,]*")


def join_digit_groups(src: str, mt: str) -> str:
    """`mt` with each comma-and-space grouped number joined ("379, 800" → "379,800") when its
    digits are a number of `src` (written with or without grouping commas)."""
    if ", " not in mt:
        return mt
    numbers = {m.group().replace(",", "") for m in _SOURCE_NUMBER.finditer(ascii_digits(src))}

    def join(match: re.Match) -> str:
        text = match.group()
        digits = re.sub(r"[, ]", "", text)
        return text.replace(", ", ",") if digits in numbers else text

    return _SPACED_GROUPS.sub(join, mt)
