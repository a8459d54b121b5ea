"""Arabic letter normalisation for look-ups in the number and unit lexicons."""

from __future__ import annotations

import re

TASHKEEL = re.compile(r"[\u064B-\u0652\u0670\u0640]")
_ALEFS = str.maketrans("أإآٱىة", "اااايه")


def norm_ar(word: str) -> str:
    """Drop diacritics and tatweel, unify alef forms, ى→ي and ة→ه for lexicon look-up."""
    return TASHKEEL.sub("", word).translate(_ALEFS)
