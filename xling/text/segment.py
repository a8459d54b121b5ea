"""Arabic-aware sentence segmentation, and splitting of over-long sentences for the model.

Both functions only ever cut at whitespace (except `split_long`'s last-resort character
split), so `" ".join(pieces)` gives back the input up to whitespace: nothing is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from xling.records import Sentence

# A quotation no longer than this is kept in one sentence even when it holds several
# sentences: news quotes are short and translating them whole keeps the quote intact.
# Longer quoted spans (speeches, statements) may be split at their inner sentence ends.
MAX_QUOTE_CHARS = 300

# A sentence end: terminal punctuation, then any closing quotes/brackets, then whitespace.
_END = re.compile(r"(?:[.!?؟؛…]+)[”\"»’)\]]*(?=\s)")

# Abbreviations after which a period does not end the sentence (lower-cased, with the dot).
_ABBREVIATIONS = frozenset(
    """
    mr. mrs. ms. dr. prof. st. sr. jr. mt. ft. no. nos. vs. etc. inc. ltd. co. corp. bros.
    gen. sen. rep. gov. lt. col. capt. cmdr. sgt. maj. adm. pres. rev. hon. gov't. dept.
    jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec.
    mon. tue. tues. wed. thu. thur. thurs. fri. sat. sun.
    approx. est. fig. vol. pp. ca. cf. al. ave. blvd. rd. mln. bln.
    """.split()
)
# Dotted initials and initialisms: "J.", "U.S.", "e.g.", "p.m.".
_LATIN_INITIALS = re.compile(r"(?:[A-Za-z]\.)+")
# Arabic one-letter abbreviations: "د." (doctor), "م." (AD), "هـ." (AH), "ص." (page), "ق.م.".
_ARABIC_INITIALS = re.compile(r"(?:[\u0621-\u064A]\u0640?\.)+")
# Latin letters spelt in Arabic, as in initials ("دي. كي. أريا"); none of these ends a sentence.
_ARABIC_LETTER_NAMES = frozenset(
    "اي بي سي دي إي إف جي إتش آي جاي كي إل إم إن أو كيو آر إس تي يو في دبليو إكس واي زد".split()
)
_OPENERS = "(“\"«['‘"


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each matched quotation; unmatched quote marks are ignored.

    Curly quotes and guillemets pair with a stack each; straight double quotes pair in
    order. An opener that never closes in the paragraph is usually a typo (the seed article
    has several), so it must not freeze segmentation until the end of the paragraph.
    """
    spans: list[tuple[int, int]] = []
    curly: list[int] = []
    guillemets: list[int] = []
    straight: int | None = None
    for i, ch in enumerate(text):
        if ch == "“":
            curly.append(i)
        elif ch == "”" and curly:
            spans.append((curly.pop(), i + 1))
        elif ch == "«":
            guillemets.append(i)
        elif ch == "»" and guillemets:
            spans.append((guillemets.pop(), i + 1))
        elif ch == '"':
            if straight is None:
                straight = i
            else:
                spans.append((straight, i + 1))
                straight = None
    return spans


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the period at `dot` closes an abbreviation rather than a sentence."""
    start = dot
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    token = text[start : dot + 1].lstrip(_OPENERS)
    return (
        token.lower() in _ABBREVIATIONS
        or _LATIN_INITIALS.fullmatch(token) is not None
        or _ARABIC_INITIALS.fullmatch(token) is not None
        or token[:-1] in _ARABIC_LETTER_NAMES
    )


def _next_char(text: str, pos: int) -> str:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return text[pos] if pos < len(text) else ""


def _sentence_ends(text: str, respect_quotes: bool) -> list[int]:
    """Offsets just after each sentence end (always followed by whitespace in `text`)."""
    protected = (
        [(s, e) for s, e in _quote_spans(text) if e - s <= MAX_QUOTE_CHARS]
        if respect_quotes
        else []
    )
    ends: list[int] = []
    for m in _END.finditer(text):
        run = m.group().rstrip('”"»’)]')
        if run == "." and _is_abbreviation(text, m.start()):
            continue
        # A period or ellipsis followed by a lower-case Latin letter is an abbreviation we
        # do not know ("approx. three") or a trailing-off quote, not a sentence end.
        if set(run) <= {".", "…"} and "a" <= _next_char(text, m.end()) <= "z":
            continue
        if any(s < m.end() < e for s, e in protected):
            continue
        ends.append(m.end())
    return ends


def _cut(text: str, cuts: list[int]) -> list[str]:
    pieces = []
    prev = 0
    for cut in [*cuts, len(text)]:
        piece = text[prev:cut].strip()
        if piece:
            pieces.append(piece)
        prev = cut
    return pieces


def _merge_letterless(pieces: list[str]) -> list[str]:
    """Fold pieces with no letter into a neighbour.

    A bare list number ("3." opening a UN paragraph) belongs to the sentence after it;
    stray punctuation (". ." or a lone “. in the seed article) to the sentence before it.
    """
    out: list[str] = []
    carry = ""
    for piece in pieces:
        if carry:
            piece = f"{carry} {piece}"
            carry = ""
        if any(ch.isalpha() for ch in piece):
            out.append(piece)
        elif any(ch.isdigit() for ch in piece) or not out:
            carry = piece
        else:
            out[-1] = f"{out[-1]} {piece}"
    if carry:
        if out:
            out[-1] = f"{out[-1]} {carry}"
        else:
            out.append(carry)
    return out


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph (no newlines) into sentences, keeping their punctuation.

    Ends are . ! ? ؟ ؛ … (or ...) followed by whitespace, with any closing quote or bracket
    kept on the sentence. No split after known abbreviations or initials (Dr., U.S., J.,
    د., هـ.), before a lower-case Latin word, or inside a quotation of at most
    MAX_QUOTE_CHARS characters. Decimals (3.5, ٣٫٥) never split: a cut needs whitespace.
    """
    text = paragraph.strip()
    if not text:
        return []
    return _merge_letterless(_cut(text, _sentence_ends(text, respect_quotes=True)))


# --- splitting sentences that are too long for the model ---------------------------------

# Clause boundaries, strongest first; each gives offsets where the text may be cut.
# Commas and colons only count when followed by whitespace, so "1,000" and "10:30" survive.
_SEMICOLON = re.compile(r"[;؛:](?=\s)")
_COMMA = re.compile(r"[،,]|\s[-–—]+(?=\s)")
# A conjunction starts the next piece: cut at the whitespace before it. Arabic و is
# attached to its word; some very common words merely start with و and are skipped.
_CONJUNCTION = re.compile(
    r"\s(?=(?:and|but|or|while|whereas|because)\s|(?:و?لكن|بينما|حيث|إذ)\s"
    r"|و(?!زير|زار|اشنطن|لاي|فق|سط|قت|ضع|احد|فد|كال|طن|سائل|جود|ثيق|صول)[\u0621-\u064A])"
)
_WHITESPACE = re.compile(r"\s+")
_DIGIT_GROUP = re.compile(r"\d{3}(?!\d)")

# Cost added per cut at each level, in units of max_tokens**2, on top of the sum of squared
# piece lengths: enough to prefer a sentence end or comma over a conjunction, small enough
# that a much more balanced split at a weaker boundary can still win.
_LEVEL_PENALTY = (0.0, 0.05, 0.1, 0.3)
_WORD_PENALTY = 0.6


def segment_paragraphs(paragraphs: list[str]) -> list[Sentence]:
    """Every paragraph's sentences, numbered in document order with their paragraph index: the
    one segmentation `xling translate` (its JSONL ids) and `xling align` share."""
    sentences: list[Sentence] = []
    for para, paragraph in enumerate(paragraphs):
        for text in split_sentences(paragraph):
            sentences.append(Sentence(len(sentences), para, text))
    return sentences


def _level_cuts(text: str) -> list[tuple[int, int]]:
    """(offset, level) of every clause boundary in `text`, best level per offset."""
    found: dict[int, int] = {}
    for cut in _sentence_ends(text, respect_quotes=False):
        found.setdefault(cut, 0)
    for level, pattern in ((1, _SEMICOLON), (2, _COMMA), (3, _CONJUNCTION)):
        for m in pattern.finditer(text):
            found.setdefault(m.end() if level < 3 else m.start(), level)
    inner = {c: lv for c, lv in found.items() if text[:c].strip() and text[c:].strip()}
    return sorted(inner.items())


def _fits(count: Callable[[str], int], max_tokens: int) -> Callable[[str], bool]:
    return lambda piece: count(piece) <= max_tokens


def _split_chars(word: str, max_tokens: int, count: Callable[[str], int]) -> list[str]:
    """Last resort for a single 'word' (a URL, an unspaced run) longer than the limit."""
    pieces = []
    rest = word
    while rest:
        if count(rest) <= max_tokens:
            pieces.append(rest)
            break
        lo, hi = 1, len(rest) - 1  # the longest prefix that fits, at least one character
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if count(rest[:mid]) <= max_tokens:
                lo = mid
            else:
                hi = mid - 1
        cut = lo
        # Step back out of a number if that leaves something to cut.
        while cut > 1 and rest[cut - 1].isdigit() and rest[cut].isdigit():
            cut -= 1
        if rest[cut - 1].isdigit() and rest[cut].isdigit():
            cut = lo
        pieces.append(rest[:cut])
        rest = rest[cut:]
    return pieces


def _word_cuts(text: str) -> list[int]:
    """Whitespace offsets, except between digit groups such as "918 483" or "1 000"."""
    cuts = []
    for m in _WHITESPACE.finditer(text):
        if m.start() == 0 or m.end() == len(text):
            continue
        if text[m.start() - 1].isdigit() and _DIGIT_GROUP.match(text, m.end()):
            continue
        cuts.append(m.start())
    return cuts


def _greedy(text: str, cuts: list[int], fits: Callable[[str], bool]) -> list[int] | None:
    """Cuts taking the longest fitting run each time; None if one gap alone is too long."""
    bounds = [0, *cuts, len(text)]
    chosen: list[int] = []
    i = 0
    while i < len(bounds) - 1:
        lo, hi = i + 1, len(bounds) - 1
        if not fits(text[bounds[i] : bounds[lo]].strip()):
            return None
        while lo < hi:  # the furthest bound j with text[i:j] fitting (length is monotone)
            mid = (lo + hi + 1) // 2
            if fits(text[bounds[i] : bounds[mid]].strip()):
                lo = mid
            else:
                hi = mid - 1
        if lo < len(bounds) - 1:
            chosen.append(bounds[lo])
        i = lo
    return chosen


def _split_words(text: str, max_tokens: int, count: Callable[[str], int]) -> list[str]:
    """Split at whitespace into as few, then as even, pieces as fit."""
    if not text:
        return []
    if count(text) <= max_tokens:
        return [text]
    cuts = _word_cuts(text)
    greedy = _greedy(text, cuts, _fits(count, max_tokens)) if cuts else None
    if greedy is None:
        # Some word is too long by itself: split it by characters, the runs of words
        # between such words as usual.
        out: list[str] = []
        run_start = 0
        bounds = [0, *cuts, len(text)]
        for a, b in zip(bounds, bounds[1:], strict=False):
            word = text[a:b].strip()
            if count(word) > max_tokens:
                out.extend(_split_words(text[run_start:a].strip(), max_tokens, count))
                out.extend(_split_chars(word, max_tokens, count))
                run_start = b
        out.extend(_split_words(text[run_start:].strip(), max_tokens, count))
        return out
    # Balance: the smallest limit that still needs no more pieces (greedy is optimal for a
    # given limit, so binary search over the limit minimises the largest piece).
    lo, hi, best = 1, max_tokens, greedy
    while lo < hi:
        mid = (lo + hi) // 2
        trial = _greedy(text, cuts, _fits(count, mid))
        if trial is not None and len(trial) <= len(greedy):
            best, hi = trial, mid
        else:
            lo = mid + 1
    return _cut(text, best)


def split_long(sentence: str, max_tokens: int, count_tokens: Callable[[str], int]) -> list[str]:
    """Split a sentence too long for the model into pieces of at most `max_tokens` tokens.

    Cuts go at clause boundaries — inner sentence ends, then ; ؛ :, then , ، and spaced
    dashes, then before conjunctions (و, and, but, لكن) — chosen to need the fewest pieces,
    then to keep them even (sum of squared lengths) and at strong boundaries. A clause
    still too long is split by words, a single over-long word by characters. Whitespace
    between digit groups is never cut. `count_tokens` must grow with the text.
    """
    text = sentence.strip()
    if not text:
        return []
    if count_tokens(text) <= max_tokens:
        return [text]
    cuts = _level_cuts(text)
    bounds = [0, *(c for c, _ in cuts), len(text)]
    levels = [0, *(lv for _, lv in cuts), 0]
    cache: dict[tuple[int, int], int] = {}

    def tokens(i: int, j: int) -> int:
        if (i, j) not in cache:
            cache[(i, j)] = count_tokens(text[bounds[i] : bounds[j]].strip())
        return cache[(i, j)]

    scale = float(max_tokens) ** 2
    # best[j]: (pieces, cost, previous bound, word-split pieces) for text[:bounds[j]].
    best: list[tuple[int, float, int, list[str] | None]] = [(0, 0.0, -1, None)]
    for j in range(1, len(bounds)):
        options = []
        for i in range(j - 1, -1, -1):
            n = tokens(i, j)
            if n > max_tokens:
                if i == j - 1:  # one clause alone is too long: split it by words
                    words = _split_words(
                        text[bounds[i] : bounds[j]].strip(), max_tokens, count_tokens
                    )
                    cost = sum(count_tokens(w) ** 2 for w in words) + _WORD_PENALTY * scale * (
                        len(words) - 1
                    )
                    options.append((len(words), cost, i, words))
                break  # a longer span would not fit either
            options.append((1, n * n, i, None))
        choices = []
        for pieces, cost, i, words in options:
            prev_pieces, prev_cost = best[i][0], best[i][1]
            penalty = _LEVEL_PENALTY[levels[i]] * scale if i > 0 else 0.0
            choices.append((prev_pieces + pieces, prev_cost + cost + penalty, i, words))
        best.append(min(choices, key=lambda c: (c[0], c[1])))
    out: list[list[str]] = []
    j = len(bounds) - 1
    while j > 0:
        _, _, i, words = best[j]
        out.append(words if words is not None else [text[bounds[i] : bounds[j]].strip()])
        j = i
    return [piece for group in reversed(out) for piece in group if piece]
