"""A number found in a text (`NumberMention`), its vocabularies, and the one "soft" rule."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NumberMention:
    """One number in a text, with its value and where it was written."""

    text: str  # the surface span as written
    value: float  # 130 for "١٣٠", 3.5 for "٣٫٥", 1500000 for "1.5 million", 30 for "الثلاثين"
    span: tuple[int, int]  # character offsets in the input
    kind: str  # one of KINDS, see the module docstring
    # "more_than", "less_than", "about", "at_least", "at_most", "up_to"; see QUALIFIERS
    qualifier: str | None = None
    unit: str | None = None  # one of UNITS: "people", "years", "percent", "dollar", "century"...
    # Other values the same words may mean: "أربع ملايين وخمسمائة" is 4,000,500 read word for
    # word and 4,500,000 as people say it (the thousand left out). Matching accepts any.
    alternatives: tuple[float, ...] = ()

    def readings(self) -> tuple[float, ...]:
        """The value, then the alternatives."""
        return (self.value, *self.alternatives)


KINDS = ("digits", "year", "percent", "words", "ordinal", "approx", "fraction", "roman", "time")
QUALIFIERS = ("more_than", "less_than", "about", "at_least", "at_most", "up_to")
UNITS = (
    "percent",
    "people",
    "years",
    "months",
    "weeks",
    "days",
    "hours",
    "minutes",
    "dollar",
    "pound",
    "euro",
    "rouble",
    "km",
    "miles",
    "metres",
    "kg",
    "tonnes",
    "century",
)
TIME_UNITS = frozenset({"years", "months", "weeks", "days", "hours", "minutes"})

# The one "soft" rule. Spelled-out numbers up to this value are small: Arabic grammar often
# carries them without a number word (a singular noun is "one", the dual "عامين" is "two
# years", "أحد" is "one of"), and "first"/"one" are as often idiom ("early", "a") as numbers.
SMALL_SPELLED_MAX = 2


def is_soft(m: NumberMention) -> bool:
    """Whether a mention is too loose to demand or to anchor on: a small spelled-out number
    (see SMALL_SPELLED_MAX), a fraction ("half", "نصف") or a vague quantity ("عشرات").
    Digits are never soft. Used by missing_numbers, the audit and the aligner's number keys."""
    if m.kind in ("fraction", "approx"):
        return True
    return m.kind in ("words", "ordinal") and m.value <= SMALL_SPELLED_MAX
