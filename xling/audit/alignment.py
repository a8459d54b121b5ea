"""The sentence alignment the audit works on, with each sentence's offsets in its document.

`xling align` (`xling.align.sentences.align_texts`) gives the sentences and links. Quotes run
across sentences and paragraphs, so they are found in the whole document text
("\\n".join(paragraphs)) and placed on sentences through the offsets kept here.
"""

from __future__ import annotations

from dataclasses import dataclass

from xling.align.sentences import SIGNALS, Link, align_texts
from xling.io.articles import split_paragraphs
from xling.records import Sentence
from xling.text.segment import segment_paragraphs


@dataclass
class DocumentSide:
    """One document: its text, its sentences and where each sentence lies in the text."""

    text: str  # paragraphs joined by "\n"
    sentences: list[Sentence]
    offsets: list[tuple[int, int]]

    def sentence_at(self, pos: int) -> int:
        """Index of the sentence that holds offset `pos` (the nearest one before it)."""
        best = 0
        for i, (start, _end) in enumerate(self.offsets):
            if start <= pos:
                best = i
            else:
                break
        return best

    def sentences_in(self, start: int, end: int) -> list[int]:
        """Indices of the sentences that overlap [start, end)."""
        hit = [i for i, (a, b) in enumerate(self.offsets) if a < end and start < b]
        return hit or [self.sentence_at(start)]


@dataclass
class AlignedPair:
    en: DocumentSide
    ar: DocumentSide
    links: list[Link]
    method: str  # "xling-align" (the report's contract also admits "paragraphs", never written)
    en_link: dict[int, int]  # sentence index -> link index
    ar_link: dict[int, int]


def _locate(paragraphs: list[str], sentences: list[Sentence]) -> tuple[str, list[tuple[int, int]]]:
    text = "\n".join(paragraphs)
    starts = []
    pos = 0
    for p in paragraphs:
        starts.append(pos)
        pos += len(p) + 1
    offsets = []
    cursor = 0
    for s in sentences:
        base = starts[s.para] if 0 <= s.para < len(starts) else 0
        at = text.find(s.text, max(cursor, base))
        if at < 0:
            # The aligner may have normalised whitespace: find the first word and measure.
            first = s.text.split()[0] if s.text.split() else ""
            at = text.find(first, max(cursor, base)) if first else -1
            if at < 0:
                at = max(cursor, base)
            end = min(len(text), at + len(s.text))
        else:
            end = at + len(s.text)
        offsets.append((at, end))
        cursor = end
    return text, offsets


def align_pair(
    en_text: str, ar_text: str, *, mt: list[str] | None = None, embedder=None
) -> AlignedPair:
    """Align two documents with `xling align`.

    With no `embedder` the alignment uses the other signals (MT, numbers, length) and does
    not load the encoder."""
    en_paras, _ = split_paragraphs(en_text)
    ar_paras, _ = split_paragraphs(ar_text)
    signals = [s for s in SIGNALS if s != "embed" or embedder is not None]
    alignment = align_texts(en_text, ar_text, mt=mt, embedder=embedder, signals=signals)
    en_sents, ar_sents = list(alignment.en), list(alignment.ar)
    links = [Link(list(k.en), list(k.ar), float(k.score)) for k in alignment.links]
    en_doc, en_off = _locate(en_paras, en_sents)
    ar_doc, ar_off = _locate(ar_paras, ar_sents)
    en_link = {i: k for k, link in enumerate(links) for i in link.en}
    ar_link = {j: k for k, link in enumerate(links) for j in link.ar}
    return AlignedPair(
        DocumentSide(en_doc, en_sents, en_off),
        DocumentSide(ar_doc, ar_sents, ar_off),
        links,
        "xling-align",
        en_link,
        ar_link,
    )


def document_text(text: str) -> str:
    """The text quotes are found in: the paragraphs joined by newlines."""
    return "\n".join(split_paragraphs(text)[0])


def arabic_sentences(ar_text: str) -> list[str]:
    """The Arabic sentences as `xling align` will split them (for translating them first)."""
    paragraphs, _ = split_paragraphs(ar_text)
    return [s.text for s in segment_paragraphs(paragraphs)]
