"""Whether a translation kept the numbers of its source, compared by value."""

from __future__ import annotations

import math
from collections import Counter

from xling.text.numbers.extract import extract_numbers
from xling.text.numbers.mention import NumberMention, is_soft


def value_key(value: float) -> float:
    """A value as a dictionary key: 0.1 + 0.2 and 0.3 are one number."""
    return round(value, 6)


def magnitude(value: float) -> int:
    """The order of magnitude by which vague quantities match ("عشرات" ~ "dozens of")."""
    return math.floor(math.log10(value)) if value > 0 else 0


def missing_numbers(src: str, src_lang: str, mt: str, mt_lang: str) -> list[NumberMention]:
    """Source mentions whose value the translation does not have (as a multiset).

    Kinds do not matter, only values: "٢٠٢١" matches "2021", "ثلاثة" matches "three" or
    "3", "الثالث" matches "third" or "3rd". A vague source quantity ("عشرات") is matched
    by a vague translation of the same order of magnitude ("dozens of") or the same value.
    A source century ordinal also matches its hundreds ("القرن التاسع عشر", "the 1800s").
    Unmatched soft ones (is_soft: "واحد", "الأولى", halves) are forgiven: a faithful
    translation often words them differently ("الأول" as "early", "واحد" as "a", "نصف الكرة"
    as "hemisphere"). A vague quantity is not: it must meet one of its magnitude or value.
    """
    exact: Counter[float] = Counter()
    vague: Counter[int] = Counter()
    for m in extract_numbers(mt, mt_lang):
        if m.kind == "approx":
            vague[magnitude(m.value)] += 1
        else:
            exact[value_key(m.value)] += 1
    source = extract_numbers(src, src_lang)
    missing = set()
    # Precise numbers first, so a vague one never takes the value a precise one needs.
    for idx, m in sorted(enumerate(source), key=lambda p: p[1].kind == "approx"):
        alternatives = [m.value]
        if m.unit == "century":  # "القرن التاسع عشر" may come out as "the 1800s"
            alternatives.append((m.value - 1) * 100)
        found = next((v for v in alternatives if exact[value_key(v)]), None)
        if m.kind == "approx" and vague[magnitude(m.value)]:
            vague[magnitude(m.value)] -= 1
        elif found is not None:
            exact[value_key(found)] -= 1
        elif m.kind == "approx" or not is_soft(m):
            missing.add(idx)
    return [m for idx, m in enumerate(source) if idx in missing]


def numbers_agree(src: str, src_lang: str, mt: str, mt_lang: str) -> bool:
    """Whether every number of the source is in the translation."""
    return not missing_numbers(src, src_lang, mt, mt_lang)
