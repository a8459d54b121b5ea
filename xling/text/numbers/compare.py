"""Whether a translation kept the numbers of its source, compared by value."""

from __future__ import annotations

import math
from collections import Counter

from xling.text.numbers.extract import extract_numbers
from xling.text.numbers.joined import joined_readings
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
    Any reading of a mention counts ("أربع ملايين وخمسمائة" is 4,000,500 or 4,500,000), and
    so does a run of Arabic digits in the UN's conventions ("800 1" = 1,800, "5-1" = 5.1),
    for numbers nothing else matched (xling.text.numbers.joined).
    Unmatched soft ones (is_soft: "واحد", "الأولى", halves) are forgiven: a faithful
    translation often words them differently ("الأول" as "early", "واحد" as "a", "نصف الكرة"
    as "hemisphere"). A vague quantity is not: it must meet one of its magnitude or value.
    """
    targets = extract_numbers(mt, mt_lang)
    free = [m.kind != "approx" for m in targets]  # precise translation mentions not yet used
    vague: Counter[int] = Counter(magnitude(m.value) for m in targets if m.kind == "approx")
    source = extract_numbers(src, src_lang)
    missing = set()

    def take(keys: set[float]) -> bool:
        for k, m in enumerate(targets):
            if free[k] and keys & {value_key(v) for v in m.readings()}:
                free[k] = False
                return True
        return False

    # Precise numbers first, so a vague one never takes the value a precise one needs.
    for idx, m in sorted(enumerate(source), key=lambda p: p[1].kind == "approx"):
        keys = {value_key(v) for v in m.readings()}
        if m.unit == "century":  # "القرن التاسع عشر" may come out as "the 1800s"
            keys.add(value_key((m.value - 1) * 100))
        if m.kind == "approx" and vague[magnitude(m.value)]:
            vague[magnitude(m.value)] -= 1
        elif not take(keys) and (m.kind == "approx" or not is_soft(m)):
            missing.add(idx)
    # "800 1" in an Arabic source for 1,800 in the translation, or "5.1" for "5-1".
    if src_lang == "ar":
        for run in joined_readings(src, source):
            if set(run.members) <= missing and any(
                free[k] and run.matches(t) for k, t in enumerate(targets)
            ):
                k = next(k for k, t in enumerate(targets) if free[k] and run.matches(t))
                free[k] = False
                missing -= set(run.members)
    elif mt_lang == "ar":
        for run in joined_readings(mt, targets):
            if not all(free[k] for k in run.members):
                continue
            idx = next((i for i in sorted(missing) if run.matches(source[i])), None)
            if idx is not None:
                missing.discard(idx)
                for k in run.members:
                    free[k] = False
    return [m for idx, m in enumerate(source) if idx in missing]


def numbers_agree(src: str, src_lang: str, mt: str, mt_lang: str) -> bool:
    """Whether every number of the source is in the translation."""
    return not missing_numbers(src, src_lang, mt, mt_lang)
