"""Number verdicts: which numbers of the English source the Arabic kept, changed or dropped.

Matching runs in passes, most certain first:
  1. same value inside one alignment link (the aligned sentences), same qualifier preferred;
  2. same value within DOCUMENT_WINDOW sentences of the Arabic sentences aligned to the
     English one (the fallback when the alignment is off locally);
  2b. an English number still unmatched and a run of unmatched Arabic digits that the UN's
     conventions make one number ("800 1" = 1,800, "5-1" = section 5.1; see
     xling.text.numbers.joined), nearest first;
  3. an unmatched source number and an unmatched Arabic number of the same sort (unit and
     kind) in one link, then in the links next to it on both sides: the value was changed
     (130 -> 150);
and what is left is `missing` (source) or `added` (Arabic). Vague quantities ("hundreds of",
"مئات") match a vague one of the same order of magnitude.

Links are used wherever their sentences are (a moved paragraph is matched at its new place).
A number in a sentence the alignment leaves unaligned (a link with an empty side: an omitted
English or an added Arabic passage) is matched by none of the passes: it is `missing` or
`added` with its passage (xling.audit.passages). Two unaligned sentences are never compared:
the evidence that they say the same thing is the encoder's, and the audit already re-aligned
every unaligned pair the encoder finds close (xling.audit.passages.recover_links).

Small spelled-out numbers ("one", "two", "first", "half") are *soft* (`is_soft` in
xling.text.numbers, the one rule the number check and the aligner use too): Arabic grammar often
carries them without a number word (the dual "عامين" is "two years", "أحد" is "one of"), so a
soft item that is missing or added keeps its verdict but is not flagged for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xling.audit.alignment import AlignedPair
from xling.text.numbers import (
    TIME_UNITS,
    NumberMention,
    ascii_digits,
    extract_numbers,
    is_soft,
    magnitude,
    value_key,
)
from xling.text.numbers.joined import Joined, joined_readings
from xling.text.numbers.qualifiers import same_qualifier

VERDICTS = ("kept", "changed", "qualifier_changed", "missing", "added")
# Pass 2 looks this many sentences either side of where the alignment puts the source.
DOCUMENT_WINDOW = 3

# Labels: numbers that name or number a piece of text and say nothing the translation must
# carry. (1) A paragraph or list number opening a sentence: "12." / "(6)" in English, "10-",
# "٣٣ -", "(6)", "'3`", "عاشراً -" in the UN's Arabic; the two languages' files often
# number paragraphs differently (UNPC dev 2841: "107-" opens an Arabic line whose English
# has none). (2) A
# footnote mark glued to the text: "Yugoslavia;1", "ranges\"18", "planning.[23]", "العام(1)"
# (UNPC dev 1451, 1893, 1435), "2014(42)". (3) Digits glued to Latin letters, part of a code or a
# unit: "UF6", "B2C", "P3", "km2" (UNPC dev 845, 1101, 1823, 2279).
# A label left unmatched is not flagged. A paragraph number is `changed` only against a
# paragraph number and is matched after the text's numbers; footnote marks and codes are
# compared as any number ("Table33" -> "الجدول 35" is a change).
_MARKER_BEFORE = re.compile(r"\s*[(\['‘]?\s*$")
_MARKER_AFTER = {
    "en": re.compile(r"(?:\.(?!\d)|\))"),
    "ar": re.compile(r"(?:\s*[-–‐](?!\s*[\d٠-٩])|[)`’'])"),
}
_SHORT_DIGITS = re.compile(r"[\d٠-٩]{1,3}")
_FOOTNOTE = {
    "en": re.compile(r"(?<=[^\s\d][”\"’;:,.)])\d{1,3}(?![\w,.]?\d)|(?<=\S\[)\d{1,3}(?=\])"),
    # ... also after digits: "أيلول/سبتمبر 2014(42)" (UNPC, read in dev2)
    "ar": re.compile(r"(?<=[\u0621-\u064A\d٠-٩]\()[\d٠-٩]{1,3}(?=\))"),
}
_CODE = re.compile(r"(?<=[A-Za-z])\d+")
# English digit groups one space apart ("116 123", a phone number: NTREX dev bbc.381749)
# are two numbers when read alone, and one when the Arabic writes them as one (116123).
_ONE_SPACE = re.compile(r"[ \u00a0\u202f]")
# A capitalised word right before digits names something with them ("Group 7", "Article
# 5"), which an Arabic ordinal may render ("المجموعة السابعة"); see _ranks.
_NAMED_BY = re.compile(r"\b[A-Z][A-Za-z]*\.?\s+$")


@dataclass
class Found:
    """A number mention placed on its sentence."""

    mention: NumberMention
    sentence: int
    offset: int  # of the sentence in the document text

    def to_json(self) -> dict:
        m = self.mention
        value = int(m.value) if float(m.value).is_integer() else m.value
        return {
            "text": m.text,
            "value": value,
            "kind": m.kind,
            "qualifier": m.qualifier,
            "unit": m.unit,
            "sentence": self.sentence,
            "span": [self.offset + m.span[0], self.offset + m.span[1]],
        }


@dataclass
class NumberItem:
    verdict: str
    en: Found | None
    ar: Found | None
    scope: str  # "link" (aligned sentences), "document" (fallback) or "none"
    flagged: bool

    def to_json(self, pair: AlignedPair) -> dict:
        en_sents = sorted({self.en.sentence} if self.en else set())
        ar_sents = sorted({self.ar.sentence} if self.ar else set())
        # The sentences on the other side that the alignment links to this item's sentence.
        if self.en and not self.ar and self.en.sentence in pair.en_link:
            ar_sents = pair.links[pair.en_link[self.en.sentence]].ar
        if self.ar and not self.en and self.ar.sentence in pair.ar_link:
            en_sents = pair.links[pair.ar_link[self.ar.sentence]].en
        return {
            "verdict": self.verdict,
            "flagged": self.flagged,
            "en": self.en.to_json() if self.en else None,
            "ar": self.ar.to_json() if self.ar else None,
            "evidence": {
                "scope": self.scope,
                "en_sentences": [{"index": i, "text": pair.en.sentences[i].text} for i in en_sents],
                "ar_sentences": [{"index": j, "text": pair.ar.sentences[j].text} for j in ar_sents],
                "note": _note(self),
            },
        }


def _fmt(f: Found) -> str:
    m = f.mention
    value = int(m.value) if float(m.value).is_integer() else m.value
    qual = f"{m.qualifier.replace('_', ' ')} " if m.qualifier else ""
    unit = f" {m.unit}" if m.unit else ""
    return f"{qual}{value}{unit} («{m.text}»)"


def _note(item: NumberItem) -> str:
    if item.verdict == "kept":
        where = "the aligned sentence" if item.scope == "link" else "another sentence"
        return f"{_fmt(item.en)} kept as {_fmt(item.ar)} in {where}"
    if item.verdict == "changed":
        return f"{_fmt(item.en)} became {_fmt(item.ar)}"
    if item.verdict == "qualifier_changed":
        return f"qualifier {item.en.mention.qualifier} -> {item.ar.mention.qualifier}: " + (
            f"{_fmt(item.en)} vs {_fmt(item.ar)}"
        )
    if item.verdict == "missing":
        soft = " (small spelled-out number, often carried by grammar)" if not item.flagged else ""
        return f"{_fmt(item.en)} not found in the Arabic{soft}"
    soft = " (small spelled-out number)" if not item.flagged else ""
    return f"{_fmt(item.ar)} has no counterpart in the English{soft}"


_DOT_GROUPS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")


def _values(m: NumberMention) -> set[float]:
    keys = {value_key(v) for v in m.readings()}
    # "10.700" is 10700 in Arabic news and 10.7 in English: either reading may be meant.
    surface = ascii_digits(m.text)
    # "١٠٫٧٠٠" has the Arabic decimal separator: it is never a thousands grouping.
    if "٫" not in m.text and _DOT_GROUPS.match(surface):
        keys |= {value_key(float(surface)), value_key(float(surface.replace(".", "")))}
    if m.unit == "century":  # "القرن التاسع عشر" is the 1800s
        keys.add(value_key((m.value - 1) * 100))
    if m.kind == "year" and m.value % 100 == 0:  # "the 2000s" ~ "القرن الواحد والعشرين"
        keys.add(value_key(m.value / 100 + 1))
    return keys


def _same_value(a: NumberMention, b: NumberMention) -> bool:
    if a.kind == "approx" or b.kind == "approx":
        return a.kind == b.kind and magnitude(a.value) == magnitude(b.value)
    return bool(_values(a) & _values(b))


def _sort(m: NumberMention) -> str:
    if m.kind in ("year", "percent", "time"):
        return m.kind
    return "count"


def _comparable(a: NumberMention, b: NumberMention) -> bool:
    """Whether an Arabic number could be a changed rendering of an English one."""
    if is_soft(a) or is_soft(b):
        return False
    if _sort(a) != _sort(b):
        return False
    if a.unit and b.unit and a.unit != b.unit:
        # "Five weeks" rendered "خمسة أيام" is still the same count, changed.
        return a.unit in TIME_UNITS and b.unit in TIME_UNITS
    return True


def _digits(m: NumberMention) -> bool:
    return any(c.isdigit() for c in m.text)


def _is_label(pair: AlignedPair, f: Found, lang: str, marker: bool) -> bool:
    """Whether a mention is a paragraph number (`marker`: _is_marker's answer), a footnote
    mark or part of a code (above)."""
    text = (pair.en if lang == "en" else pair.ar).sentences[f.sentence].text
    start, end = f.mention.span
    if f.mention.text != text[start:end]:
        return False
    for pattern in (_CODE, _FOOTNOTE[lang]):
        if (m := pattern.match(text, start)) and m.end() == end:
            return True
    return marker


def _is_marker(pair: AlignedPair, f: Found, lang: str) -> bool:
    """Whether a mention is the paragraph or list number that opens its sentence."""
    text = (pair.en if lang == "en" else pair.ar).sentences[f.sentence].text
    start, end = f.mention.span
    return f.mention.text == text[start:end] and bool(
        # "عاشراً - الإجراء ...": a heading numbered by an ordinal word (UNPC dev 2437)
        (_SHORT_DIGITS.fullmatch(f.mention.text) or f.mention.kind in ("ordinal", "roman"))
        and _MARKER_BEFORE.fullmatch(text[:start])
        and _MARKER_AFTER[lang].match(text, end)
    )


def _ranks(pair: AlignedPair, e: Found, a: NumberMention) -> bool:
    """Whether the Arabic mention `a` can be a changed rendering of the English `e` as far as
    ranking goes: an Arabic ordinal word renders an English ordinal ("seventh", "7th") or
    digits that name something ("Group 7" -> "المجموعة السابعة"), not a bare count or score.
    NTREX dev scotsman.133801: "the 2-2 draw" and "المجموعة السابعة" (group seven) share a
    link; the draw's score is not in the Arabic and the group is not in the English, and
    they were paired as 2 "changed" to 7."""
    if a.kind != "ordinal" or e.mention.kind == "ordinal":
        return True
    text = pair.en.sentences[e.sentence].text
    return e.mention.kind in ("digits", "roman") and bool(
        _NAMED_BY.search(text, 0, e.mention.span[0])
    )


def _spaced_runs(pair: AlignedPair, en: list[Found]) -> list[tuple[tuple[int, ...], Found]]:
    """Runs of English digit mentions one space apart in one sentence ("116 123"), each with
    the run read as one number (the digits in a row)."""
    out = []
    i = 0
    while i < len(en):
        members = [i]
        while members[-1] + 1 < len(en):
            a, b = en[members[-1]], en[members[-1] + 1]
            text = pair.en.sentences[a.sentence].text
            if (
                b.sentence != a.sentence
                or not all(ascii_digits(m.mention.text).isdigit() for m in (a, b))
                or not _ONE_SPACE.fullmatch(text[a.mention.span[1] : b.mention.span[0]])
            ):
                break
            members.append(members[-1] + 1)
        if len(members) > 1:
            first, last = en[members[0]], en[members[-1]]
            start, end = first.mention.span[0], last.mention.span[1]
            surface = pair.en.sentences[first.sentence].text[start:end]
            value = float("".join(ascii_digits(en[m].mention.text) for m in members))
            mention = NumberMention(surface, value, (start, end), "digits")
            out.append((tuple(members), Found(mention, first.sentence, first.offset)))
        i = members[-1] + 1
    return out


def _mentions(pair: AlignedPair, lang: str) -> list[Found]:
    side = pair.en if lang == "en" else pair.ar
    out = []
    for i, s in enumerate(side.sentences):
        offset = side.offsets[i][0]
        out += [Found(m, i, offset) for m in extract_numbers(s.text, lang)]
    return out


@dataclass
class _JoinedFound:
    joined: Joined
    sentence: int
    offset: int


def _joined(pair: AlignedPair, ar: list[Found]) -> list[tuple[tuple[int, ...], _JoinedFound]]:
    """The joined readings (xling.text.numbers.joined) of each Arabic sentence's mentions, with
    the indices in `ar` of the mentions each run is made of."""
    out = []
    by_sentence: dict[int, list[int]] = {}
    for j, f in enumerate(ar):
        by_sentence.setdefault(f.sentence, []).append(j)
    for sentence, ids in by_sentence.items():
        text = pair.ar.sentences[sentence].text
        for run in joined_readings(text, [ar[j].mention for j in ids]):
            found = _JoinedFound(run, sentence, ar[ids[0]].offset)
            out.append((tuple(ids[m] for m in run.members), found))
    return out


def _neighbours(pair: AlignedPair) -> dict[int, set[int]]:
    """Links with both sides, each with the links right before and after it in English order
    whose Arabic lies next to its Arabic too (an in-order neighbour, wherever it was moved)."""
    full = sorted(
        (k for k, link in enumerate(pair.links) if link.en and link.ar),
        key=lambda k: min(pair.links[k].en),
    )
    out: dict[int, set[int]] = {k: set() for k in full}
    for a, b in zip(full, full[1:], strict=False):
        la, lb = pair.links[a], pair.links[b]
        if abs(min(lb.ar) - max(la.ar)) <= 2 or abs(min(la.ar) - max(lb.ar)) <= 2:
            out[a].add(b)
            out[b].add(a)
    return out


def match_numbers(pair: AlignedPair) -> list[NumberItem]:
    en = _mentions(pair, "en")
    ar = _mentions(pair, "ar")
    en_used: dict[int, NumberItem] = {}
    ar_used: set[int] = set()
    owner: dict[int, int] = {}  # Arabic mention -> the English mention it was matched with
    neighbours = _neighbours(pair)
    en_marker = [_is_marker(pair, f, "en") for f in en]
    ar_marker = [_is_marker(pair, f, "ar") for f in ar]
    en_label = [_is_label(pair, f, "en", m) for f, m in zip(en, en_marker, strict=True)]
    ar_label = [_is_label(pair, f, "ar", m) for f, m in zip(ar, ar_marker, strict=True)]

    def link_of(f: Found, lang: str) -> int | None:
        """The link of the mention's sentence when it has both sides, else None."""
        k = (pair.en_link if lang == "en" else pair.ar_link).get(f.sentence)
        return k if k in neighbours else None

    def take(i: int, j: int, verdict: str, scope: str) -> None:
        en_used[i] = NumberItem(verdict, en[i], ar[j], scope, verdict != "kept")
        ar_used.add(j)
        owner[j] = i

    def take_run(i: int, members: tuple[int, ...], found: _JoinedFound, verdict: str) -> None:
        """Match English mention i with a joined run, releasing soft English mentions that
        had taken one of its members ("two communities" had taken the 2 of "544 2")."""
        for j in members:
            if j in ar_used:
                q = None if is_soft(en[owner[j]].mention) else elsewhere(j, members)
                item = en_used.pop(owner[j])
                ar_used.discard(j)
                if q is not None:  # the English mention moves to its other Arabic mention
                    take(owner[j], q, qualifier_verdict(owner[j], q), item.scope)
                owner.pop(j)
        a = Found(found.joined.mention, found.sentence, found.offset)
        k = link_of(en[i], "en")
        scope = "link" if k is not None and link_of(a, "ar") == k else "document"
        if verdict == "kept":
            verdict = qualifier_verdict(i, members[0], a.mention)
        en_used[i] = NumberItem(verdict, en[i], a, scope, verdict != "kept")
        ar_used.update(members)
        owner.update((j, i) for j in members)

    def elsewhere(j: int, members: tuple[int, ...]) -> int | None:
        """Another free Arabic mention in the same link as j with the value j was matched
        for ("Cascades 1" took the 1 of "630.8 1"; the cascades' own 1 comes later)."""
        i = owner[j]
        for q, a in enumerate(ar):
            if (
                q not in ar_used
                and q not in members
                and link_of(a, "ar") == link_of(ar[j], "ar")
                and _same_value(en[i].mention, a.mention)
            ):
                return q
        return None

    def run_free(members: tuple[int, ...]) -> bool:
        """No member matched, or matched by a soft English mention or by one that another
        free Arabic mention of its value can take."""
        return all(
            j not in ar_used
            or is_soft(en[owner[j]].mention)
            or en_used[owner[j]].scope == "link"
            and elsewhere(j, members) is not None
            for j in members
        )

    def qualifier_verdict(i: int, j: int, a: NumberMention | None = None) -> str:
        a = a or ar[j].mention
        e = en[i].mention
        same = same_qualifier(e.qualifier, a.qualifier)
        # "around one defender" -> "مدافع واحد": a soft number's qualifier is not audited, nor
        # that of a date or a rank ("under the 2013 Decision", "up to the sixty-fifth session").
        dated = {e.kind, a.kind} <= {"year", "ordinal"}
        return "kept" if same or is_soft(e) or dated else "qualifier_changed"

    # 1. same value in the same link: first with the same qualifier, then any qualifier;
    # in each, first a mention written as the English one is (digits or words), then one
    # written otherwise ("one of two values, 0 or 1" -> "قيمة واحدة ... 0 أو 1": 1 with 1,
    # "one" with "واحدة"). Content numbers before paragraph numbers, firm before soft:
    # "Two (2) men" -> "رجلان (2)" pairs the digits (UNPC dev 797), the soft "Two" is left to
    # the dual.
    order = sorted(range(len(en)), key=lambda i: (is_soft(en[i].mention), en_marker[i]))
    for same_first, same_form in ((True, True), (True, False), (False, True), (False, False)):
        for i in order:
            e = en[i]
            if i in en_used:
                continue
            k = link_of(e, "en")
            for j, a in enumerate(ar):
                if j in ar_used or k is None or link_of(a, "ar") != k:
                    continue
                if (
                    _same_value(e.mention, a.mention)
                    and (not same_first or same_qualifier(e.mention.qualifier, a.mention.qualifier))
                    and (not same_form or _digits(e.mention) == _digits(a.mention))
                ):
                    take(i, j, qualifier_verdict(i, j), "link")
                    break
    # 2. same value near the aligned sentences (alignment errors are local), nearest first.
    for i, e in enumerate(en):
        k = link_of(e, "en")
        if i in en_used or is_soft(e.mention) or k is None:
            continue
        ar_pos = sum(pair.links[k].ar) / len(pair.links[k].ar)
        candidates = [
            j
            for j, a in enumerate(ar)
            if j not in ar_used
            and not is_soft(a.mention)
            and abs(a.sentence - ar_pos) <= DOCUMENT_WINDOW
            and _same_value(e.mention, a.mention)
            # another sentence's paragraph number is no rendering of a content number (dev2
            # unpc:2015/a/69/783: "thirty-ninth" changed to "التاسع والسبعين" was read as
            # kept by the paragraph number "39 -" two sentences on)
            and (en_marker[i] or not ar_marker[j])
        ]
        if candidates:
            j = min(candidates, key=lambda j: abs(ar[j].sentence - ar_pos))
            take(i, j, qualifier_verdict(i, j), "document")
    # 2b. UN Arabic conventions read as one number ("800 1" = 1,800, "5-1" = section 5.1),
    # only for an English number nothing else matched and runs whose mentions are all free.
    runs = _joined(pair, ar)
    for i, e in enumerate(en):
        k = link_of(e, "en")
        if i in en_used or is_soft(e.mention) or k is None:
            continue
        ar_pos = sum(pair.links[k].ar) / len(pair.links[k].ar)
        fits = [
            (members, found)
            for members, found in runs
            if run_free(members)
            and abs(found.sentence - ar_pos) <= DOCUMENT_WINDOW
            and found.joined.matches(e.mention)
        ]
        if fits:
            members, found = min(fits, key=lambda r: abs(r[1].sentence - ar_pos))
            take_run(i, members, found, "kept")
    # 2c. English digit groups one space apart read as one number ("116 123" = 116123), only
    # when every group is still unmatched and a free Arabic number in the window has the
    # value of the groups in a row; the run is one item and its groups are not reported.
    absorbed: set[int] = set()
    for members, whole in _spaced_runs(pair, en):
        k = link_of(en[members[0]], "en")
        if k is None or any(i in en_used for i in members):
            continue
        ar_pos = sum(pair.links[k].ar) / len(pair.links[k].ar)
        fits = [
            j
            for j, a in enumerate(ar)
            if j not in ar_used
            and abs(a.sentence - ar_pos) <= DOCUMENT_WINDOW
            and _same_value(whole.mention, a.mention)
        ]
        if fits:
            j = min(fits, key=lambda j: abs(ar[j].sentence - ar_pos))
            scope = "link" if link_of(ar[j], "ar") == k else "document"
            en_used[members[0]] = NumberItem("kept", whole, ar[j], scope, False)
            ar_used.add(j)
            owner[j] = members[0]
            absorbed.update(members[1:])
    # 3. changed values inside one link, in reading order, then in the links next to it.
    for reach in (0, 1):
        for i, e in enumerate(en):
            if i in en_used or i in absorbed:
                continue
            k = link_of(e, "en")
            if k is None:
                continue
            near = {k} if reach == 0 else {k, *neighbours[k]}
            for j, a in enumerate(ar):
                if j in ar_used or link_of(a, "ar") not in near:
                    continue
                # A paragraph number is compared only with a paragraph number.
                if (
                    _comparable(e.mention, a.mention)
                    and en_marker[i] == ar_marker[j]
                    and _ranks(pair, e, a.mention)
                ):
                    # "$110,000" against "000 100": the change is to the whole run, 100,000.
                    grouped = [
                        (members, found)
                        for members, found in runs
                        if j in members
                        and not found.joined.section
                        and e.mention.value >= 1000
                        and not ar_used & set(members)
                    ]
                    if grouped:
                        members, found = max(grouped, key=lambda r: len(r[0]))
                        take_run(i, members, found, "changed")
                    else:
                        take(i, j, "changed", "link")
                    break
    items = []
    for i, e in enumerate(en):
        if i in absorbed:  # a later group of a run read as one number (2c)
            continue
        if i in en_used:
            items.append(en_used[i])
        else:
            flag = not is_soft(e.mention) and not en_label[i]
            items.append(NumberItem("missing", e, None, "none", flag))
    # An unmatched run that can only be one number ("000 819 5": a group with a leading zero)
    # is one added number, 5,819,000, not three.
    for members, found in sorted(runs, key=lambda r: -len(r[0])):
        groups = [ascii_digits(ar[j].mention.text) for j in members[:-1]]
        if (
            not found.joined.section
            and found.joined.mention.kind == "digits"
            and any(g.startswith("0") for g in groups)
            and not ar_used & set(members)
        ):
            a = Found(found.joined.mention, found.sentence, found.offset)
            items.append(NumberItem("added", None, a, "none", True))
            ar_used.update(members)
    for j, a in enumerate(ar):
        if j not in ar_used:
            flag = not is_soft(a.mention) and not ar_label[j]
            items.append(NumberItem("added", None, a, "none", flag))
    n_en = len(en) - len(absorbed)
    items[n_en:] = sorted(items[n_en:], key=lambda item: (item.ar.sentence, item.ar.mention.span))
    return items
