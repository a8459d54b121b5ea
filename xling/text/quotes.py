"""Find quotations in Arabic or English text, with who said them.

`extract_quotes(text, lang)` takes a whole document (paragraphs separated by newlines) and
returns `Quote`s: the quoted words, the offsets of the marks, and the speaker and verb when
the text names them before ("Smith said: “…”", "وقال سميث: «…»"), inside ("“…,” Smith said,
“…”") or after the quote ("“…,” said Smith", "«…»، بحسب سميث"). Quotes that run over several
paragraphs (an opening mark starts each paragraph, only the last one closes) are one quote.

Marks: “…” «…» "…" ‘…’ '…' „…“ ‚…‘. Straight quotes pair in order; a straight quote glued
to the word before it and followed by a space is a closer, and a stray closer is ignored,
which keeps typos ("أدرك" بعد ذلك") from swallowing the rest of a paragraph; a “ followed by
another opening “ before any closing mark was a stray, and the quote opens at the second.
`quote_spans` is this one pairing for sentence segmentation too (xling/text/segment.py).

`speaker_match(en_speaker, ar_speaker)` compares names across scripts by their consonant
skeletons ("Trump" ~ "ترامب", "Roggio" ~ "روجيو").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

# Marks by family: Arabic text mixes “ ” " freely (“…" and ”…" both occur), so any double
# mark may close any other; guillemets and single quotes pair within their own family.
_FAMILY = {
    '"': "double",
    "“": "double",
    "”": "double",
    "„": "double",
    "″": "double",
    "«": "guillemet",
    "»": "guillemet",
    "'": "single",
    "‘": "single",
    "’": "single",
    "‚": "single",
}
_OPEN_ONLY = {"«"}
_CLOSE_ONLY = {"»"}
_LETTER = re.compile(r"\w")
_OPEN_AFTER = " \n\t(([:،,;—–-"
# Punctuation that follows a closing mark, never the first character of a quotation:
# `السرطان"، بما في ذلك` (NTREX dev dailymail.co.uk.298630) closes a quote whose opening
# mark the translator left out; read as an opener it took the rest of the paragraph.
_AFTER_CLOSE = set("،,;؛:!?؟)")  # not ".": "\"...and we will win" opens
# Latin letters on both sides: a typo inside a word ("coup d"état", NTREX dev
# nytimes.184830), never an opening mark (English puts a space before one).
_LATIN = re.compile(r"[A-Za-zÀ-ÿ]")
# "students' behaviour": in a quotation of some words, an apostrophe after a plural "s"
# before a lower-case word is a possessive, not a closing mark (NTREX dev
# dailymail.co.uk.298759 closed its quote there); "'furious' after" (a quoted term) and
# "…my students' she said" still close.
_PLURAL_POSSESSIVE = re.compile(
    r"s['’] (?!(?:he|she|they|we|I|it|you|said|says|added|told|and|or|but|in|on)\b)[a-z]"
)


def _possessive(text: str, start: int, j: int) -> bool:
    return (
        _FAMILY[text[j]] == "single"
        and bool(_PLURAL_POSSESSIVE.match(text, j - 1))
        and len(text[start + 1 : j].split()) >= 4
    )


@dataclass(frozen=True)
class Quote:
    """One quotation: its words, where its marks are, and who said it."""

    text: str  # the quoted words (pieces of an interrupted quote joined by " … ")
    span: tuple[int, int]  # from the opening mark to just after the closing mark
    pieces: tuple[tuple[int, int], ...]  # offsets of the quoted words, one per piece
    marks: str  # the opening and closing mark, e.g. "“”"
    speaker: str | None = None  # as written: "Bill Roggio", "he", "بيل روجيو"
    verb: str | None = None  # "said", "told", "قال", "أضاف"
    attribution: str | None = None  # "before", "inside", "after"
    resolved_speaker: str | None = None  # a pronoun or bare verb resolved to the last name
    closed: bool = True  # False when the paragraph ended before a closing mark

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def is_quotation(self) -> bool:
        """A reported quotation rather than a quoted term or title ("Tornado", "furious")."""
        return self.speaker is not None or self.words >= 4


# --- pairing marks --------------------------------------------------------------------------


def _prev(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else " "


def _next(text: str, i: int) -> str:
    return text[i + 1] if i + 1 < len(text) else " "


def _can_open(text: str, i: int) -> bool:
    ch = text[i]
    if ch in _CLOSE_ONLY:
        return False
    if ch in _OPEN_ONLY:
        return True
    before, after = _prev(text, i), _next(text, i)
    if _FAMILY[ch] == "single":
        # "O'Hagan", "didn't" are apostrophes: a single quote opens after a space or bracket.
        return before in _OPEN_AFTER and not after.isspace()
    if after in _AFTER_CLOSE or (_LATIN.match(before) and _LATIN.match(after)):
        return False
    if after.isspace():
        # "قائلة:" يعد..." has a space after the mark, and so has one opening a paragraph
        # (`" نبكي عندما نغضب"،`, NTREX dev nytimes.184822).
        return before in ":،\n" or i == 0 or _speech_before(text, i)
    # Glued to the word before and after ("قائلة”أريد") is ambiguous: it may open.
    return True


def _can_close(text: str, i: int) -> bool:
    ch = text[i]
    if ch in _OPEN_ONLY:
        return False
    if ch in _CLOSE_ONLY:
        return True
    before, after = _prev(text, i), _next(text, i)
    if _FAMILY[ch] == "single":
        return not before.isspace() and not _LETTER.match(after)
    # A mark after a space and before a word opens the next quote: "يصرخ، "لقد".
    return not (before.isspace() and _LETTER.match(after))


def _closes_next_paragraph(text: str, k: int, family: str) -> bool:
    """Whether the paragraph at k has a closing mark of `family` before any opening one."""
    end = text.find("\n", k)
    end = len(text) if end < 0 else end
    for m in range(k, end):
        if _FAMILY.get(text[m]) == family:
            return _can_close(text, m) and not _can_open(text, m)
    return False


# The UN's Arabic writes a quotation between two apostrophes and two backticks,
# ''فريق شهداء القنيطرة`` (the typewriter's “ and ” mirrored), and sometimes closes the two
# apostrophes with a plain double mark: ''شهادات" (UNPC v1.0 dev, read in the suite's
# fresh split, now dev2). Read mark by mark, the first ' opened a single-quoted quotation
# that ran to the end of the sentence.
_UN_OPEN, _UN_CLOSE = "''", "``"


def _un_close(text: str, i: int) -> int | None:
    """For two apostrophes opening a quotation at i: the offset of the last character of
    its closing mark (two backticks, or a double mark that can close) in the same paragraph;
    None when another pair of apostrophes or the paragraph's end comes first."""
    j = i + 2
    while j < len(text) and text[j] != "\n":
        if text.startswith(_UN_CLOSE, j):
            return j + 1 if j > i + 2 else None
        if text.startswith(_UN_OPEN, j):
            return None
        if _FAMILY.get(text[j]) == "double" and j > i + 2 and _can_close(text, j):
            return j
        j += 1
    return None


def _raw_spans(text: str) -> list[tuple[int, int, str, str, bool]]:
    """Top-level quoted spans: (open offset, close offset, opener, closer, closed)."""
    spans = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if (
            text.startswith(_UN_OPEN, i)
            and _prev(text, i) in _OPEN_AFTER
            and (close := _un_close(text, i)) is not None
        ):
            closer = _UN_CLOSE if text[close] == "`" else text[close]
            spans.append((i, close, _UN_OPEN, closer, True))
            i = close + 1
            continue
        if ch in _FAMILY and _can_open(text, i):
            start, family = i, _FAMILY[ch]
            j = i + 1
            inner: list[str] = []  # families of nested quotes
            while j < n:
                c = text[j]
                if c == "\n":
                    # A quote that goes on in the next paragraph opens it again.
                    k = j + 1
                    while k < n and text[k] == "\n":
                        k += 1
                    if k < n and _FAMILY.get(text[k]) == family and not inner:
                        j = k + 1
                        continue
                    if not inner and _closes_next_paragraph(text, k, family):
                        j = k  # one sentence a line: the quote closes on the next line
                        continue
                    break
                fam = _FAMILY.get(c)
                if c == ch == "“" and not inner and _can_open(text, j) and not _can_close(text, j):
                    # “… “… with no closing mark between: the first “ was a stray mark (a
                    # typo: “وقال فوكس نيوز. وأضاف “أي شخص…”), the quote opens here.
                    start = j
                elif fam and inner and fam == inner[-1] and _can_close(text, j):
                    inner.pop()
                elif (
                    fam == family
                    and j > start + 1
                    and _can_close(text, j)
                    and not _possessive(text, start, j)
                ):
                    break
                elif fam and fam != family and _can_open(text, j):
                    inner.append(fam)
                j += 1
            closed = j < n and text[j] != "\n"
            if closed:
                spans.append((start, j, ch, text[j], True))
                i = j + 1
            else:
                if text[start + 1 : j].strip():
                    spans.append((start, j, ch, "", False))
                i = j
            continue
        i += 1
    return spans


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each closed top-level quotation, marks included: the one pairing of
    quote marks, used by `extract_quotes` and by sentence segmentation (which does not cut
    inside a quotation). Unclosed and stray marks give no span."""
    return [(s, e + 1) for s, e, _opener, _closer, closed in _raw_spans(text) if closed]


def _pieces(text: str, start: int, end: int, opener: str, closer: str) -> list[tuple[int, int]]:
    """Content offsets of a span, without the re-opening marks of continued paragraphs."""
    if opener == _UN_OPEN:  # ''…`` or ''…": one paragraph, marks two characters wide
        a, b = start + 2, end - len(closer) + 1
        return [(a, b)] if text[a:b].strip() else []
    out = []
    pos = start + 1
    marks = "".join(c for c, f in _FAMILY.items() if f == _FAMILY[opener])
    for m in re.finditer(r"\n+[" + re.escape(marks) + "]", text[start:end]):
        cut = start + m.start()
        out.append((pos, cut))
        pos = start + m.end()
    out.append((pos, end))
    return [(a, b) for a, b in out if text[a:b].strip()]


# --- attribution ---------------------------------------------------------------------------

_EN_VERBS = (
    "said|says|say|added|adds|told|tells|argued|argues|stated|states|explained|explains|noted"
    "|notes|wrote|writes|asked|asks|claimed|claims|insisted|insists|warned|warns|declared"
    "|continued|replied|recalled|remarked|acknowledged|admitted|announced|tweeted|posted"
    "|stressed|urged|concluded|suggested|responded|shouted|yelled|cried|laughed|joked"
)
_EN_NAME = (
    r"(?:(?:[A-Z][\w'’.-]*|al-\w+|el-\w+)(?:\s+(?:[A-Z][\w'’.-]*|of|de|da|van|von|bin|al|el|la|le|"
    r"du|al-\w+|the))*|he|she|they|I|we|it|(?:[Tt]he|[Aa]n?)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?"
    r"|[a-z]+\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)"
)
_EN_AFTER = re.compile(
    rf"^[,.!?;:—–-]?\s*(?:(?P<v1>{_EN_VERBS})\s+(?P<n1>{_EN_NAME})"
    rf"|(?P<n2>{_EN_NAME})\s+(?:(?:also|later|then|had|has|have|would|once)\s+)?"
    rf"(?P<v2>{_EN_VERBS})"
    rf"|according to\s+(?P<n3>{_EN_NAME}))\b"
)
_EN_BEFORE = re.compile(
    rf"(?:(?P<n1>{_EN_NAME})\s+(?:(?:also|later|then|had|has|have|would|once)\s+)?"
    rf"(?P<v1>{_EN_VERBS})|[Aa]ccording to\s+(?P<n2>{_EN_NAME}))"
    r"(?P<gap>[^.!?\"“”«»]{0,80}?)[:,]?\s*$"
)
_EN_PRONOUNS = {"he", "she", "they", "i", "we", "it"}

_AR_VERB_STEMS = (
    "قال|قالت|يقول|تقول|أضاف|أضافت|يضيف|تضيف|أكد|أكدت|يؤكد|تؤكد|أشار|أشارت|يشير|تشير|صرح|صرحت"
    "|ذكر|ذكرت|أوضح|أوضحت|تابع|تابعت|أعلن|أعلنت|كتب|كتبت|أفاد|أفادت|أخبر|أخبرت|لفت|لفتت|شدد|شددت"
    "|اعتبر|اعتبرت|رأى|رأت|أردف|أردفت|قائلا|قائلة|مضيفا|مضيفة|موضحا|موضحة|مؤكدا|مؤكدة|مشيرا|مشيرة"
    "|متابعا|متابعة|حذر|حذرت|سأل|سألت|جادل|جادلت|زعم|زعمت|غرد|غردت|بحسب|حسب|وفقا ل|وفقًا ل"
)
# A mark glued to a speech verb or to the conjunction و and followed by a space opens the
# quotation the verb introduces: `وقال" إننا`, `قائلًا" قلوبنا`, `و" أداة تاريخية`
# (NTREX dev cnbc.com.6790, newsweek.51340, nytimes.184853); elsewhere such a mark closes.
_VERB_BEFORE_MARK = re.compile(
    rf"(?:^|[\s،,:])(?:[وف]?(?:{_AR_VERB_STEMS}|قائل|مضيف|موضح|مؤكد|مشير|متابع)"
    r"[ًٌٍَُِّْ]*[اة]?[ًٌٍَُِّْ]*|و)$"
)


def _speech_before(text: str, i: int) -> bool:
    """Whether the mark at i is glued to a speech verb or to a lone و."""
    return bool(_VERB_BEFORE_MARK.search(text, max(0, i - 24), i))


_AR_VERB = rf"(?:^|(?<=[\s،,.:\"“«(]))[وف]?(?P<verb>{_AR_VERB_STEMS})[ًٌٍَُِّْ]*"
# A speaker runs from the verb to a comma, colon, quote or a complementiser (إن/أن/بأن).
_AR_NAME_WORD = r"[^\s،,:\"“”«».؟!]+"
_AR_NAME_STOP = r"(?:إن|أن|بأن|إنه|إنها|أنه|أنها|لـ|في|خلال|عن|على)\s"
_AR_NAME = rf"(?P<name>{_AR_NAME_WORD}(?:\s+(?!{_AR_NAME_STOP}){_AR_NAME_WORD}){{0,5}})"
_AR_BEFORE = re.compile(rf"{_AR_VERB}(?:\s+{_AR_NAME})?(?P<gap>[^.؟!\"“”«»\n]{{0,160}}?)\s*$")
_AR_AFTER = re.compile(rf"^[،,.!؟:؛-]?\s*{_AR_VERB}(?:\s+{_AR_NAME})?")
_AR_NOT_NAMES = re.compile(r"^(?:إن|أن|بأن|إنه|إنها|أنه|أنها|إنهم|أنهم|إننا|لـ?|في|ل|له|لها|لهم)$")
_AR_NOT_NAME_START = re.compile(r"^(?:إن|أن|بأن|إنه|إنها|أنه|أنها|إنهم|أنهم|إننا|إنني|أنني)\b")


# Words after a speech verb that are not a speaker: "أضاف قائلًا", "قال مبتسمًا", "على تويتر".
_AR_NOT_SPEAKER = re.compile(
    r"^(?:[وف]?(?:قائل|مضيف|موضح|مؤكد|مشير|متابع|مبتسم|معلق|مشدد|مردف|مستدرك)(?:ا|ة|ًا|اً|ين|ون)?"
    r"|على|عبر|في|خلال|عن|ل[هم]|له|لها|لهم|أيضا|أيضًا|كذلك|اليوم|أمس|يوم|ذلك|هذا|حينها)$"
)


_AR_APPOSITION = re.compile(r"^\s*[،,]\s*([^\s،,:]+(?:\s+[^\s،,:]+){0,2})\s*[،,]")
_AR_TO_SOMEONE = re.compile(r"^(?:لل|ل(?:وكال|قنا|صحيف|موقع|شبك|إذاع|مجل))")


def _clean_ar_name(name: str | None) -> str | None:
    if not name:
        return None
    words = []
    for w in name.split():
        if not words and (_AR_NOT_SPEAKER.match(w) or _AR_TO_SOMEONE.match(w)):
            return None
        if _AR_NOT_NAMES.match(w) or _AR_NOT_NAME_START.match(w):
            break
        words.append(w)
    return " ".join(words) or None


def _sentence_start(text: str, pos: int, lang: str) -> int:
    """Offset of the start of the sentence holding `pos` (or the paragraph start)."""
    ends = ".!?؟\n" if lang == "en" else ".!?؟\n"
    k = pos - 1
    while k >= 0 and text[k] not in ends:
        k -= 1
    return k + 1


def _attribution(
    text: str, start: int, end: int, lang: str, prev_end: int, next_start: int
) -> tuple[str | None, str | None, str | None]:
    """(speaker, verb, where) for the quote whose marks span start..end."""
    after = text[end : min(next_start, end + 120)].split("\n", 1)[0]
    before_from = max(prev_end, _sentence_start(text, start, lang), start - 240)
    before = text[before_from:start]
    if lang == "en":
        if m := _EN_AFTER.match(after):
            name = m.group("n1") or m.group("n2") or m.group("n3")
            verb = m.group("v1") or m.group("v2") or "according to"
            return _trim_en_name(name), verb, "after"
        if m := _EN_BEFORE.search(before):
            name = m.group("n1") or m.group("n2")
            verb = m.group("v1") or "according to"
            return _trim_en_name(name), verb, "before"
        return None, None, None
    if m := _AR_AFTER.match(after):
        return _clean_ar_name(m.group("name")), m.group("verb"), "after"
    if m := _AR_BEFORE.search(before):
        name = _clean_ar_name(m.group("name"))
        # "وقال مستشار الأمن القومي، جون كيربي، إن": keep the name in apposition.
        if name and (appos := _AR_APPOSITION.match(m.group("gap") or "")):
            name = f"{name}، {appos.group(1)}"
        return name, m.group("verb"), "before"
    return None, None, None


_EN_TRAILING = re.compile(r"\s+(?:the|of|a|an)$")


def _trim_en_name(name: str | None) -> str | None:
    if not name:
        return None
    name = _EN_TRAILING.sub("", name.strip())
    # "Sunday, Smith" / "Monday he": keep what follows a day or sentence adverb.
    return name


# --- public API ----------------------------------------------------------------------------


def extract_quotes(text: str, lang: str) -> list[Quote]:
    """All top-level quotations in `text` ("ar" or "en"), in reading order."""
    if lang not in ("ar", "en"):
        raise ValueError(f"unsupported language {lang!r}: expected 'ar' or 'en'")
    raw = _raw_spans(text)
    # Join an interrupted quote: “Part one,” Smith said, “part two.”
    merged: list[list[tuple[int, int, str, str, bool]]] = []
    for span in raw:
        if merged and merged[-1][-1][4]:
            gap = text[merged[-1][-1][1] + 1 : span[0]]
            if "\n" not in gap and len(gap.split()) <= 8 and _inside_attr(gap, lang):
                merged[-1].append(span)
                continue
        merged.append([span])
    quotes: list[Quote] = []
    last_speaker: str | None = None
    for idx, group in enumerate(merged):
        start, end = group[0][0], group[-1][1]
        pieces: list[tuple[int, int]] = []
        for s, e, opener, closer, _closed in group:
            pieces += _pieces(text, s, e, opener, closer)
        content = " … ".join(" ".join(text[a:b].split()) for a, b in pieces)
        if not any(ch.isalpha() for ch in content):
            continue
        closed = group[-1][4]
        close_end = end + 1 if closed else end
        prev_end = merged[idx - 1][-1][1] + 1 if idx else 0
        next_start = merged[idx + 1][0][0] if idx + 1 < len(merged) else len(text)
        if len(group) > 1:
            gap = text[group[0][1] + 1 : group[1][0]]
            speaker, verb, where = _attribution(gap, 0, 0, lang, 0, len(gap))
            where = "inside" if speaker or verb else None
            if not (speaker or verb):
                speaker, verb, where = _attribution(
                    text, start, close_end, lang, prev_end, next_start
                )
        else:
            prev_short = idx and (_is_term(merged[idx - 1], text) or _adjacent(merged, idx, text))
            scan = text
            if prev_short:
                prev_end = merged[idx - 2][-1][1] + 1 if idx > 1 else 0
                # Look through the title's marks: “ذا لونغ وور جورنال”، “…
                a, b = merged[idx - 1][0][0], merged[idx - 1][-1][1]
                scan = f"{text[:a]} {text[a + 1 : b]} {text[b + 1 :]}"
            speaker, verb, where = _attribution(scan, start, close_end, lang, prev_end, next_start)
            if where == "before" and (
                _is_term(group, text)
                or (idx + 1 < len(merged) and _adjacent(merged, idx + 1, text))
            ):
                # A title quoted after the verb ("قال روجيو، محرر “ذا لونغ وور جورنال”، “…”")
                # leaves the attribution to the quotation that follows it.
                if speaker and speaker.lower() not in _EN_PRONOUNS:
                    last_speaker = speaker
                speaker, verb, where = None, None, None
        if not (speaker or verb) and quotes and idx and _continues(merged, idx, text):
            # “…”. “…”: a second quote straight after the first goes on with its speaker.
            prev = quotes[-1]
            speaker, verb, where = prev.speaker, prev.verb, "continued" if prev.verb else None
        resolved = speaker
        if verb and (speaker is None or speaker.lower() in _EN_PRONOUNS):
            resolved = last_speaker
        elif speaker:
            last_speaker = speaker
        quotes.append(
            Quote(
                text=content,
                span=(start, close_end),
                pieces=tuple(pieces),
                marks=group[0][2] + group[-1][3],
                speaker=speaker,
                verb=verb,
                attribution=where,
                resolved_speaker=resolved,
                closed=closed,
            )
        )
    return quotes


def _gap_before(merged: list, idx: int, text: str) -> str:
    return text[merged[idx - 1][-1][1] + 1 : merged[idx][0][0]]


def _adjacent(merged: list, idx: int, text: str) -> bool:
    """Quote idx starts right after quote idx-1 (at most a comma between): one statement."""
    gap = _gap_before(merged, idx, text)
    return merged[idx - 1][-1][4] and len(gap) <= 3 and not gap.strip(" ،,")


def _continues(merged: list, idx: int, text: str) -> bool:
    """Quote idx follows quote idx-1 in the same paragraph with only punctuation between."""
    gap = _gap_before(merged, idx, text)
    return merged[idx - 1][-1][4] and "\n" not in gap and len(gap.strip(" .,،؛;")) == 0


def _is_term(group: list[tuple[int, int, str, str, bool]], text: str) -> bool:
    """A short single quoted span: a title, a name or a scare-quoted word."""
    return len(group) == 1 and len(text[group[0][0] + 1 : group[0][1]].split()) < 4


def _inside_attr(gap: str, lang: str) -> bool:
    """Whether the text between two quotes is an attribution: ', Smith said, '."""
    g = gap.strip()
    if not g or not g.endswith((",", "،", ":", ".")):
        return False
    if lang == "en":
        return bool(_EN_AFTER.match(g)) and g.endswith((",", ":"))
    if _AR_NEW_STATEMENT.match(g):
        return False
    return bool(_AR_AFTER.match(g)) and g.endswith(("،", ",", ":"))


# "«…» وأضاف: «…»": a verb with the conjunction ("and he added") opens a new statement, as
# "and added" does in English; an interruption has none ("«…»، مضيفة …: «…»", "«…»، قال
# سميث، «…»"). Joined, NTREX dev bbc.381692 paired both English quotes with one Arabic quote.
_AR_NEW_STATEMENT = re.compile(rf"^[وف](?:{_AR_VERB_STEMS})")


# --- matching speakers across scripts ------------------------------------------------------

_LATIN_DIGRAPHS = [
    ("sch", "S"),
    ("sh", "S"),
    ("ch", "S"),
    ("th", "T"),
    ("ph", "F"),
    ("kh", "K"),
    ("gh", "G"),
    ("ck", "K"),
    ("qu", "K"),
    ("x", "KS"),
]
_LATIN_CLASS = str.maketrans(
    {
        "b": "B",
        "p": "B",
        "f": "F",
        "v": "F",
        "m": "M",
        "n": "N",
        "l": "L",
        "r": "R",
        "t": "T",
        "d": "T",
        "s": "S",
        "z": "S",
        "c": "K",
        "k": "K",
        "q": "K",
        "g": "G",
        "j": "G",
    }
)
_ARABIC_CLASS = str.maketrans(
    {
        "ب": "B",
        "پ": "B",
        "ف": "F",
        "ڤ": "F",
        "م": "M",
        "ن": "N",
        "ل": "L",
        "ر": "R",
        "ت": "T",
        "ط": "T",
        "د": "T",
        "ض": "T",
        "ث": "T",
        "ذ": "T",
        "ظ": "T",
        "س": "S",
        "ص": "S",
        "ز": "S",
        "ش": "S",
        "ك": "K",
        "ق": "K",
        "خ": "K",
        "ج": "G",
        "غ": "G",
        "گ": "G",
    }
)
# Titles and function words that are not part of a person's name.
_EN_TITLES = {
    w.lower()
    for w in (
        "Mr Mrs Ms Dr Prof President Prime Minister Secretary Senator Sen Rep Governor Gov "
        "General Gen Chief Executive Officer Detective Inspector Sergeant Police Judge Justice "
        "Spokesman Spokeswoman Director Chairman Leader King Queen Prince Sir Lord Lady Mayor "
        "Captain Colonel Commissioner Superintendent Coach Manager Professor The A An He She "
        "They It We I Of And Minister Foreign State Republican Democrat Democratic Labour"
    ).split()
}


def _skeleton_en(word: str) -> str:
    w = word.lower()
    w = re.sub(r"([a-z])\1", r"\1", w)  # Roggio -> Rogio
    for digraph, cls in _LATIN_DIGRAPHS:
        w = w.replace(digraph, cls.lower() if cls != "KS" else "ks")
    w = re.sub(r"c(?=[eiy])", "s", w)
    return "".join(ch for ch in w.translate(_LATIN_CLASS) if ch.isupper())


def _skeleton_ar(word: str) -> str:
    w = re.sub(r"[\u064B-\u0652\u0640]", "", word)
    if len(w) > 4 and w.startswith(("وال", "بال", "لل")):
        w = w[3:] if not w.startswith("لل") else w[2:]
    elif len(w) > 3 and w.startswith("ال"):
        w = w[2:]
    skeleton = "".join(ch for ch in w.translate(_ARABIC_CLASS) if ch.isupper())
    return re.sub(r"(.)\1", r"\1", skeleton)


def _en_name_tokens(speaker: str) -> list[str]:
    tokens = re.findall(r"[A-Z][A-Za-z'’-]+", speaker)
    return [t for t in tokens if t.lower().strip("'’") not in _EN_TITLES]


# Arabic words that cannot be (part of) a person's name, so an Arabic speaker made only of
# them names no one and cannot "differ" from the English name: a word with the article
# ("المدير العام" for "Dr Tedros"), a title or body without it ("لمنظمة", "وزير"), a
# function word or a speech verb (a misread attribution: "وقال أمام الجمعية العامة"), an
# adverbial accusative in -ًا ("متحدثًا", "فعلًا", "قائلًا").
_AR_ARTICLE = re.compile(r"^(?:[وفبكل]?ال|لل)")
_AR_FUNCTION_WORDS = set(
    "أمام على في عن من إلى مع بعد قبل عند عندما حين حينما لدى خلال حول ضد بين منذ كان كانت "
    "يكون إن أن بأن إنه أنه بأنه إنها أنها بأنها لأن كما لكن ثم أو و ذلك هذا هذه هو هي هم "
    "له لها لهم به بها أيضا أيضًا كذلك يوم اليوم أمس باسم نيابة عبر".split()
)
_AR_SPEECH_VERB = re.compile(rf"^[وف]?(?:{_AR_VERB_STEMS})$")
# Titles and bodies in the construct state ("وزير الخارجية", "لمنظمة الصحة"): no article.
_AR_TITLE = re.compile(
    r"^[وفبل]?(?:وزير|وزيرة|وزارة|رئيس|رئيسة|مدير|مديرة|نائب|نائبة|متحدث|متحدثة|مستشار|مستشارة"
    r"|سفير|سفيرة|منظمة|مركز|مراكز|هيئة|وكالة|مكتب|جامعة|مجلس|لجنة|حكومة|شركة|حزب|أمين|عضو"
    r"|زعيم|قائد|مسؤول|مسؤولة|مسؤولو|خبير|خبراء|أستاذ|طبيب|مصدر|مصادر|بيان|تقرير)$"
)


def _ar_name_candidates(ar_speaker: str) -> list[str]:
    """The words of an Arabic speaker that could be (part of) a person's name."""
    out = []
    for word in ar_speaker.replace("،", " ").split():
        w = re.sub(r"[\u064B-\u0652\u0640]", "", word)
        if (
            _AR_ARTICLE.match(w)
            or w in _AR_FUNCTION_WORDS
            or _AR_SPEECH_VERB.match(w)
            or _AR_TITLE.match(w)
            or re.search(r"ا$", w)
            and re.search(r"(?:ًا|اً)$", word)
        ):
            continue
        out.append(word)
    return out


def matched_name_words(en_speaker: str | None, ar_speaker: str | None) -> list[int]:
    """Indices of the words of `ar_speaker` (split on spaces) whose consonant skeleton is
    like that of a name word of `en_speaker`: the name inside "مفتش المباحث براين أوهجان"."""
    if not en_speaker or not ar_speaker or en_speaker.lower() in _EN_PRONOUNS:
        return []
    en_tokens = [s for s in map(_skeleton_en, _en_name_tokens(en_speaker)) if len(s) >= 2]
    return [
        k
        for k, word in enumerate(ar_speaker.split())
        if len(a := _skeleton_ar(word)) >= 2
        and any(SequenceMatcher(None, e, a).ratio() >= 0.75 for e in en_tokens)
    ]


# An affiliation follows a comma or one of these: "Robyn Christie of Melrose", "Bill Roggio,
# editor of the Long War Journal".
_EN_AFFILIATION = re.compile(r",|\s(?:of|from|at|for|with)\s")


def _en_person_tokens(speaker: str) -> list[str]:
    """The person's name inside an English speaker: the last run of two or more consecutive
    name words of the first part (split at a comma, "of", "from", "at", ...) that has one,
    else the last run of the first part with a name word ("Aleksandr Novak" in "Russian
    Energy Minister Aleksandr Novak", "Robyn Christie" in "Robyn Christie of Melrose", "Karl
    Racine" in "District of Columbia Attorney General Karl Racine")."""
    parts = []
    for part in _EN_AFFILIATION.split(speaker):
        runs: list[list[str]] = [[]]
        for word in part.split():
            token = re.fullmatch(r"[A-Z][A-Za-z'’-]+", word.strip(".;:!?\"'()"))
            if token and token.group().lower().strip("'’") not in _EN_TITLES:
                runs[-1].append(token.group())
            elif runs[-1]:
                runs.append([])
        parts.append([r for r in runs if r])
    for runs in parts:
        if full := [r for r in runs if len(r) >= 2]:
            return full[-1]
    return next((runs[-1] for runs in parts if runs), [])


def _ar_skeletons(word: str) -> set[str]:
    """A word's skeleton with and without a leading article: "والتون" is Walton, not و+ال."""
    bare = re.sub(r"[\u064B-\u0652\u0640]", "", word)
    whole = re.sub(
        r"(.)\1", r"\1", "".join(ch for ch in bare.translate(_ARABIC_CLASS) if ch.isupper())
    )
    return {s for s in (_skeleton_ar(word), whole) if len(s) >= 2}


def _alike(en_skeleton: str, ar_skeleton: str) -> bool:
    """Two consonant skeletons of one name; a two-consonant one must be equal (يستعد ~ Spieth
    at 0.8 otherwise)."""
    en_skeleton = re.sub(r"(.)\1", r"\1", en_skeleton)  # Coker ~ كوكر
    if min(len(en_skeleton), len(ar_skeleton)) <= 2:
        return en_skeleton == ar_skeleton
    return SequenceMatcher(None, en_skeleton, ar_skeleton).ratio() >= 0.75


def speaker_match(en_speaker: str | None, ar_speaker: str | None) -> bool | None:
    """Whether an English and an Arabic speaker name the same person (None: cannot tell).

    True when a word of the person's name in the English speaker (not its title or
    affiliation: "Robyn Christie of Melrose") and a word of the Arabic one have similar
    consonant skeletons; False when the Arabic holds a word that can be a name and matches
    no name word of the English speaker; None when either side names no one ("he", "a
    spokesman", an Arabic title, or place and verb read as the speaker: "أمام الجمعية
    العامة"), or the Arabic names only the affiliation.
    Pass the speakers as written: a pronoun resolved to an earlier name is a guess.
    """
    if not en_speaker or not ar_speaker or en_speaker.lower() in _EN_PRONOUNS:
        return None
    en_tokens = [s for s in map(_skeleton_en, _en_name_tokens(en_speaker)) if len(s) >= 2]
    ar_tokens = [s for s in map(_skeleton_ar, ar_speaker.split()) if len(s) >= 2]
    if not en_tokens or not ar_tokens:
        return None
    person = [s for s in map(_skeleton_en, _en_person_tokens(en_speaker)) if len(s) >= 2]
    ar_words = [_ar_skeletons(w) for w in ar_speaker.split()]
    if any(_alike(e, a) for e in person for sk in ar_words for a in sk):
        return True
    # "Differs" needs a name on the Arabic side that matches nothing English: a title, a
    # description, a misread attribution or the affiliation alone cannot be told apart.
    candidates = [sk for w in _ar_name_candidates(ar_speaker) if (sk := _ar_skeletons(w))]
    unmatched = [sk for sk in candidates if not any(_alike(e, a) for e in en_tokens for a in sk)]
    return False if unmatched else None
