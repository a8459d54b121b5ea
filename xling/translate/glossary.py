"""`--glossary FILE.tsv`: Arabic terms and the English they must become (روجيو → Roggio).

The file: one `Arabic<TAB>English` pair a line, UTF-8; blank lines and lines starting with `#`
are skipped. A term matches the Arabic whatever its diacritics, tatweel and alef/yaa/taa
marbuta spelling, with the proclitics و ف ب ل ك and the article ال before it (وروجيو, لروجيو,
والداعشي does not match داعش: the term must end at a word end). Its English is found
case-insensitively at word boundaries, hyphens and spaces alike ("ISIS-K" = "ISIS K").

How it is enforced (see `xling.translate.batch`): after decoding, a sentence whose Arabic has a
term but whose English lacks the term's English is decoded again with the Arabic term replaced
by its English in the source (models copy a Latin name through far more reliably than they
spell an Arabic one); what still lacks it is decoded once more with the Arabic term kept and its
English in brackets after it ("طاجيكستان (Tajikistan)"); what still lacks it then is listed in
the JSONL as `glossary_missing`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from xling.errors import InputError

_MARK = "[\u064b-\u065f\u0670\u0640]"  # harakat, superscript alef, tatweel: ignored
_MARKS = _MARK + "*"
_LETTER_CLASS = {
    "ا": "[اأإآٱ]",
    "أ": "[اأإآٱ]",
    "إ": "[اأإآٱ]",
    "آ": "[اأإآٱ]",
    "ٱ": "[اأإآٱ]",
    "ي": "[يى]",
    "ى": "[يى]",
    "ة": "[ةه]",
    "ه": "[ةه]",
}
_ARABIC_LETTER = re.compile(r"[\u0620-\u064a]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_SEPARATORS = re.compile(r"[\s\-‐–—_]+")
_GAP = r"[\s\-‐–—_]*"  # between the words of an English term: "ISIS-K" = "ISIS K" = "ISISK"


def _arabic_pattern(term: str) -> re.Pattern:
    words = [w for w in _SEPARATORS.split(term.strip()) if w]
    parts = []
    for word in words:
        letters = [c for c in word if not re.match(_MARK, c)]
        parts.append("".join(_LETTER_CLASS.get(c, re.escape(c)) + _MARKS for c in letters))
    body = r"[\s\-‐–—_]+".join(parts)
    # and, so / with, for, like / the (لل = for the), each possibly vowelled; in their own
    # group, kept when the term is replaced
    m = _MARKS
    clitics = rf"(?:[وف]{m})?(?:[بك]{m}|ل{m}(?:ل{m})?)?(?:ا{m}ل{m})?"
    edge = r"[\w\u064b-\u065f\u0670\u0640]"  # a letter or mark: inside a word
    return re.compile(rf"(?<!{edge})(?P<clitic>{clitics})(?P<term>{body})(?!{edge})")


def _english_pattern(term: str) -> re.Pattern:
    words = [re.escape(w) for w in _SEPARATORS.split(term.strip()) if w]
    body = _GAP.join(words)
    return re.compile(rf"(?<![\w]){body}(?![\w])", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    source: str  # Arabic, as written in the glossary
    target: str  # English
    line: int  # in the glossary file (for messages)
    arabic: re.Pattern = field(compare=False, repr=False)
    english: re.Pattern = field(compare=False, repr=False)

    def in_source(self, text: str) -> bool:
        return self.arabic.search(text) is not None

    def in_target(self, text: str) -> bool:
        return self.english.search(text) is not None

    def english_for(self, match: re.Match, beside: bool = False) -> str:
        """What replaces the Arabic `match` of this term: its English (the proclitics kept,
        spaced off), or with `beside` the Arabic kept and its English after it in brackets."""
        if beside:
            return f"{match.group()} ({self.target})"
        clitic = match.group("clitic")
        return f"{clitic} {self.target}" if clitic else self.target


def make_term(source: str, target: str, line: int = 0) -> Term:
    return Term(source, target, line, _arabic_pattern(source), _english_pattern(target))


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...] = ()
    path: str = ""

    def __bool__(self) -> bool:
        return bool(self.terms)

    def applicable(self, source: str) -> list[Term]:
        return [t for t in self.terms if t.in_source(source)]

    def missing(self, source: str, english: str) -> list[Term]:
        """Terms the Arabic has whose English the translation lacks."""
        return [t for t in self.applicable(source) if not t.in_target(english)]

    def enforce(self, source: str, terms: list[Term], beside: bool = False) -> str:
        """The source with `terms` written in English (`beside`: after the Arabic, in
        brackets), longest first (a term inside a longer one, داعش in داعش-خراسان, is not
        replaced on its own)."""
        edits: list[tuple[int, int, str]] = []
        for term in sorted(terms, key=lambda t: len(t.source), reverse=True):
            for match in term.arabic.finditer(source):
                start, end = match.span()
                if all(end <= a or start >= b for a, b, _ in edits):
                    edits.append((start, end, term.english_for(match, beside)))
        for start, end, text in sorted(edits, reverse=True):
            source = source[:start] + text + source[end:]
        return source


def parse_glossary(text: str, path: str = "<glossary>") -> Glossary:
    """Every bad line is reported (file:line: what), not only the first."""
    terms: list[Term] = []
    problems: list[str] = []
    seen: dict[str, tuple[str, int]] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 2:
            problems.append(
                f"{path}:{number}: expected 'Arabic<TAB>English' (2 tab-separated columns), "
                f"found {len(cells)}"
            )
            continue
        source, target = (c.strip() for c in cells)
        if not _ARABIC_LETTER.search(source):
            problems.append(f"{path}:{number}: the first column has no Arabic letter: {source!r}")
        elif not _LATIN_LETTER.search(target) or _ARABIC_LETTER.search(target):
            problems.append(
                f"{path}:{number}: the second column must be English (Latin letters, no Arabic): "
                f"{target!r}"
            )
        elif source in seen and seen[source][0] != target:
            problems.append(
                f"{path}:{number}: {source!r} is already {seen[source][0]!r} "
                f"(line {seen[source][1]})"
            )
        elif source not in seen:
            seen[source] = (target, number)
            terms.append(make_term(source, target, number))
    if problems:
        raise InputError("\n".join(problems))
    if not terms:
        raise InputError("the glossary has no terms", path)
    return Glossary(tuple(terms), path)


def load_glossary(path: Path | str | None) -> Glossary:
    if path is None:
        return Glossary()
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the glossary ({exc.strerror or exc})", str(path)) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("not UTF-8 (save the glossary as UTF-8)", str(path), line) from exc
    return parse_glossary(text, str(path))
