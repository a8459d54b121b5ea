"""Where a short Arabic quotation's missing words are: in its sentences outside the marks, or
nowhere (cut).

The cut check (xling.audit.quotes.cut_evidence) finds a quote whose Arabic is much shorter
than the English. Two things make a quote short: a cut (the words are gone) and a
translator who closed the marks earlier or opened them later (the words stand beside the
quote). Lengths tell them apart only when the sentence is short: in a long sentence the
translation's own length varies by more than the few words a cut removes (a UN title inside
a 60-word sentence). This module asks the word aligner instead: SimAlign over e5 links the
words of the English sentences to those of their Arabic sentences, and the English quote's
words that are not linked inside the Arabic marks are either linked outside them (the words
stand beside the quote) or not linked at all (they are missing).
"""

from __future__ import annotations

from collections.abc import Sequence

from xling.align.words import default_aligner, word_spans
from xling.audit.alignment import DocumentSide

Span = tuple[int, int]


def _words(side: DocumentSide, sentences: Sequence[int]) -> list[tuple[str, int]]:
    """(word, offset in the document) of the sentences, in order; punctuation included (the
    aligner reads it as context), offsets place each word inside or outside the marks."""
    out: list[tuple[str, int]] = []
    for i in sentences:
        start, end = side.offsets[i]
        out += [(w, start + at) for w, at in word_spans(side.text[start:end])]
    return out


def _inside(offset: int, pieces: Sequence[Span]) -> bool:
    return any(a <= offset < b for a, b in pieces)


def outside_share(
    en: DocumentSide,
    en_sentences: Sequence[int],
    en_pieces: Sequence[Span],
    ar: DocumentSide,
    ar_sentences: Sequence[int],
    ar_pieces: Sequence[Span],
) -> dict[str, float] | None:
    """Of the English quote's words the aligner does not link inside the Arabic marks, the
    share it links to Arabic words outside them (`outside_share`; near 1: the words stand
    beside the quote; near 0: they are missing), and the share of the quote's words linked
    inside (`inside_share`; `outside_share` is left out when that share is 1). None without
    the aligner, without words on a side, or when a side is longer than the encoder reads."""
    aligner = default_aligner()
    if aligner is None:
        return None
    en_words = _words(en, en_sentences)
    ar_words = _words(ar, ar_sentences)
    quote = {
        k
        for k, (w, at) in enumerate(en_words)
        if _inside(at, en_pieces) and any(c.isalnum() for c in w)
    }
    src, tgt = [w for w, _ in en_words], [w for w, _ in ar_words]
    if not quote or not tgt or not aligner.fits(src) or not aligner.fits(tgt):
        return None  # a truncated side would leave words unlinked: read as missing
    links = aligner.align([(src, tgt)])[0]
    inside: set[int] = set()
    outside: set[int] = set()
    for i, j in links:
        if i in quote:
            (inside if _inside(ar_words[j][1], ar_pieces) else outside).add(i)
    missing = quote - inside
    found = {"inside_share": round(len(inside) / len(quote), 4)}
    if missing:  # every word linked inside the marks: nothing to place (the lengths decide)
        found["outside_share"] = round(len(missing & outside) / len(missing), 4)
    return found
