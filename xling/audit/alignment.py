"""The sentence alignment the audit works on, with each sentence's offsets in its document.

`xling align` (`xling.align.sentences.align_texts`) gives the sentences and links. Quotes run
across sentences and paragraphs, so they are found in the whole document text
("\\n".join(paragraphs)) and placed on sentences through the offsets kept here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xling.align.sentences import SIGNALS, Link, align_texts, segment_text
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
    moved: set[int] = field(default_factory=set)  # indices of links out of document order
    # The English reports: {"index", "name", "sentences": [start, end)}; one unless the
    # Arabic was compiled from several.
    reports: list[dict] = field(default_factory=list)

    def report_of(self, en_sentence: int) -> int:
        for r in self.reports:
            if r["sentences"][0] <= en_sentence < r["sentences"][1]:
                return r["index"]
        return 0

    def set_links(self, links: list[Link]) -> None:
        """Replace the links (kept in English order, Arabic-only links after the link of the
        Arabic sentence before them) and recompute the sentence -> link maps."""

        def key(link: Link) -> tuple:
            if link.en:
                return (min(link.en), 0, 0)
            before = [k for k in links if k.en and k.ar and max(k.ar) < min(link.ar)]
            anchor = max(before, key=lambda k: max(k.ar), default=None)
            return (-1 if anchor is None else min(anchor.en), 1, min(link.ar))

        self.links = sorted(links, key=key)
        self.en_link = {i: k for k, link in enumerate(self.links) for i in link.en}
        self.ar_link = {j: k for k, link in enumerate(self.links) for j in link.ar}

    def linked(self, index: int, lang: str) -> list[int]:
        """The sentences of the other side linked to sentence `index` of side `lang`."""
        k = (self.en_link if lang == "en" else self.ar_link).get(index)
        if k is None:
            return []
        return self.links[k].ar if lang == "en" else self.links[k].en


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
    en_text: str,
    ar_text: str,
    *,
    mt: list[str] | None = None,
    embedder=None,
    more_en: list[str] | None = None,
    names: list[str] | None = None,
) -> AlignedPair:
    """Align two documents with `xling align`.

    `more_en`: further English reports the Arabic was compiled from (`names`: a label for
    each report, the first included); the English side is then every report's paragraphs
    in turn, and `AlignedPair.reports` says which sentences are whose.
    With no `embedder` the alignment uses the other signals (MT, numbers, length) and does
    not load the encoder."""
    texts = [en_text, *(more_en or [])]
    split = [split_paragraphs(t)[0] for t in texts]
    en_paras = [p for paras in split for p in paras]
    ar_paras, _ = split_paragraphs(ar_text)
    signals = [s for s in SIGNALS if s != "embed" or embedder is not None]
    kw = {"mt": mt, "embedder": embedder, "signals": signals}
    if len(texts) > 1:
        from xling.align.reorder import align_reports

        labels = list(names or [f"report {k + 1}" for k in range(len(texts))])
        reports_in = [segment_text(t) for t in texts]
        alignment = align_reports(reports_in, segment_text(ar_text), names=labels, **kw)
    else:
        alignment = align_texts(en_text, ar_text, **kw)
    # Paragraphs are counted over all reports in turn (Sentence.para is per report).
    first_para = [sum(len(p) for p in split[:k]) for k in range(len(texts))]
    spans = [(r.start, r.end) for r in alignment.reports] or [(0, len(alignment.en))]
    report_of = [k for k, (a, b) in enumerate(spans) for _ in range(a, b)]
    en_sents = [
        Sentence(i, s.para + first_para[report_of[i]], s.text) for i, s in enumerate(alignment.en)
    ]
    ar_sents = list(alignment.ar)
    links = [
        Link(list(k.en), list(k.ar), float(k.score), report=k.report, moved=k.moved)
        for k in alignment.links
    ]
    reports = [
        {"index": k, "name": (names or [""] * len(spans))[k], "sentences": [a, b]}
        for k, (a, b) in enumerate(spans)
    ]
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
        reports=reports,
    )


def document_text(text: str) -> str:
    """The text quotes are found in: the paragraphs joined by newlines."""
    return "\n".join(split_paragraphs(text)[0])


def arabic_sentences(ar_text: str) -> list[str]:
    """The Arabic sentences as `xling align` will split them (for translating them first)."""
    paragraphs, _ = split_paragraphs(ar_text)
    return [s.text for s in segment_paragraphs(paragraphs)]
