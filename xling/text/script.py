"""Which script a text is written in: enough to notice the two sides of a pair swapped or the
same language twice (an English file given as the Arabic side)."""

from __future__ import annotations

import re

# Arabic letters (the Arabic, Supplement and Presentation Forms blocks); digits do not count.
_ARABIC = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]")


def has_arabic(text: str) -> bool:
    return _ARABIC.search(text) is not None
