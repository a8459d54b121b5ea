"""Readings of adjacent Arabic digit mentions as one number, in the UN's Arabic conventions.

UN Arabic documents write 1,800 as "800 1" (the thousands groups of "1 800" in right-to-left
order; "630.8 1" is 1,630.8), the section number 5.1 as "5-1" and the time 10.47 as
"الساعة 47/10". Read alone, "800 1" is the two numbers 800 and
1, and "5-10 سنوات" is a range: so these readings are never a mention of their own. They are
candidates that the audit (and `missing_numbers`) take only to resolve an English number
that nothing else matched, when every mention of the run is unmatched too: in ordinary text
two bare numbers side by side ("في الجدول 150 200 3") never meet such an English number, so
the candidate cannot take a number that a plain reading needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xling.text.numbers.digits import ascii_digits
from xling.text.numbers.mention import NumberMention

_SPACE = re.compile(r"[ \u00a0\u202f]")
_NAME_BEFORE = re.compile(r"[A-Za-z\u0621-\u064A]-$")  # "كوف-2": part of a name
_LOW_GROUP = re.compile(r"\d{3}(?:\.\d+)?")  # the first group written may carry the decimals
_HOUR_BEFORE = re.compile(r"الساعة\s+$")


@dataclass(frozen=True)
class Joined:
    """A run of mentions (indices into the list given) read as one number."""

    members: tuple[int, ...]
    mention: NumberMention  # the run as one mention: its surface, span and value
    section: bool  # "5-1": a section number, compared by its digits, not its value

    def matches(self, other: NumberMention) -> bool:
        """Whether `other` (an English mention) is this number."""
        if self.section:  # "5-10" is section 5.10, not 5.1
            digits = ascii_digits(self.mention.text).replace(" ", "").replace("-", ".")
            return ascii_digits(other.text) == digits
        return round(other.value, 6) == round(self.mention.value, 6)


def _plain(m: NumberMention) -> str | None:
    """The ASCII digits of a mention written as digits only, else None."""
    digits = ascii_digits(m.text)
    return digits if m.kind in ("digits", "year") and digits.isdigit() else None


_LEAD_WITH_SCALE = re.compile(r"(\d{1,3})\s+\D+")


def _lead_with_scale(m: NumberMention) -> tuple[str, float] | None:
    """("1", 1e6) for "1 مليون": a leading group that carries the scale word of the whole
    number, as in "731.5 1 مليون" ($1,731.5 million; UNPC, read in dev2)."""
    found = _LEAD_WITH_SCALE.fullmatch(ascii_digits(m.text))
    if m.kind != "digits" or not found or int(found.group(1)) == 0:
        return None
    scale = m.value / int(found.group(1))
    return (found.group(1), scale) if scale in (1e3, 1e6, 1e9, 1e12) else None


def joined_readings(text: str, mentions: list[NumberMention]) -> list[Joined]:
    """Right-to-left thousands groups ("800 1" = 1800, "000 500 4" = 4500000) and section
    numbers ("5-1" = 5.1, "224-14" = 224.14) among `mentions` of the Arabic `text`."""
    order = sorted(range(len(mentions)), key=lambda k: mentions[k].span)
    out = []
    for pos, k in enumerate(order):
        first = mentions[k]
        head = _plain(first)
        low = ascii_digits(first.text)
        if head is None and _LOW_GROUP.fullmatch(low) and first.kind == "digits":
            head = low  # "630.8 1" is 1,630.8
        if head is None:
            continue
        # Section numbers: "A-B", not inside a name ("SARS-CoV-2").
        if pos + 1 < len(order):
            nxt = mentions[order[pos + 1]]
            tail = _plain(nxt)
            start, end = first.span[0], nxt.span[1]
            gap = text[first.span[1] : nxt.span[0]]
            if (
                gap == "/"
                and tail is not None
                and head.isdigit()
                and len(head) == 2
                and int(head) < 60
                and _HOUR_BEFORE.search(text[max(0, start - 12) : start])
            ):  # "الساعة 47/10" is 10.47 (a.m.)
                value = int(tail) + int(head) / 100
                mention = NumberMention(text[start:end], value, (start, end), "time")
                out.append(Joined((k, order[pos + 1]), mention, False))
            if (
                tail is not None
                and head.isdigit()
                and gap in ("-", "- ")  # "المادة 6- 11" (UNPC, read in dev2) is 6.11 too
                and not _NAME_BEFORE.search(text[:start])
                and not text[:start].endswith(("-", "."))
            ):  # "3-2-1" (section 3.2.1) gives "3-2"; its "1" stays a number of its own
                surface = text[start:end]
                value = float(f"{head}.{tail}")
                mention = NumberMention(surface, value, (start, end), "digits", first.qualifier)
                out.append(Joined((k, order[pos + 1]), mention, True))
        # Thousands groups: 3-digit groups, then the leading 1-3 digits, one space apart.
        if not _LOW_GROUP.fullmatch(head):
            continue
        groups, members = [head], [k]
        for q in order[pos + 1 :]:
            m = mentions[q]
            digits = _plain(m)
            gap = text[mentions[members[-1]].span[1] : m.span[0]]
            scaled = _lead_with_scale(m) if digits is None else None
            if scaled and _SPACE.fullmatch(gap):
                # the leading group with the number's scale word ends the reading
                start, end = first.span[0], m.span[1]
                value = float("".join(reversed([*groups, scaled[0]]))) * scaled[1]
                mention = NumberMention(
                    text[start:end], value, (start, end), "digits", first.qualifier, m.unit
                )
                out.append(Joined((*members, q), mention, False))
                break
            if digits is None or not _SPACE.fullmatch(gap) or len(digits) > 3:
                break
            groups.append(digits)
            members.append(q)
            if len(digits) < 3 or digits[0] != "0":
                # A group without a leading zero may be the leading one: a reading ends here.
                last = mentions[q]
                start, end = first.span[0], last.span[1]
                value = float("".join(reversed(groups)))
                mention = NumberMention(
                    text[start:end], value, (start, end), "digits", first.qualifier, last.unit
                )
                out.append(Joined(tuple(members), mention, False))
            if len(digits) < 3:
                break
    return out
