"""How long an English translation of an Arabic text should be: a ratio of character lengths
learned on human translations (NTREX-128, dev), so that a translation that collapses (a long
paragraph that comes back a third as long and about other things) or runs on is noticed.

Bounds: the 0.5% and 99.5% quantiles of len(en)/len(ar) over NTREX-128 sentence pairs whose
Arabic has at least MIN_SOURCE_CHARS characters, from `python eval/length_ratio.py`
(eval/results/length-ratio.json, which also gives the share of held-out FLORES-200 and TICO-19
human translations outside them).
"""

from __future__ import annotations

MIN_SOURCE_CHARS = 40  # shorter sources vary too much to judge by length
RATIO_LOW = 0.547
RATIO_HIGH = 1.603


def ratio(source: str, translation: str) -> float:
    return len(" ".join(translation.split())) / max(1, len(" ".join(source.split())))


def length_ok(source: str, translation: str) -> bool:
    """False when the translation is far longer or shorter than its source predicts."""
    if len(source.strip()) < MIN_SOURCE_CHARS:
        return True
    return RATIO_LOW <= ratio(source, translation) <= RATIO_HIGH
