"""The sentence alignment the audit works on, with each sentence's offsets in its document.

`xling align` (`xling.align.sentences.align_texts`) gives the sentences and links. Quotes run
across sentences and paragraphs, so they are found in the whole document text
("\\n".join(paragraphs)) and placed on sentences through the offsets kept here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from xling.errors import XlingError
from xling.io.articles import split_paragraphs
from xling.records import Sentence
from xling.text.segment import split_sentences


@dataclass(frozen=True)
class Link:
    en: list[int]
    ar: list[int]
    score: float
    recovered: bool = False  # linked by the audit among sentences the aligner left unaligned
    moved: bool = False  # the aligner says the link is out of document order


@dataclass
class Side:
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
    en: Side
    ar: Side
    links: list[Link]
    method: str  # "xling-align" or "paragraphs" (the fallback when xling.align is absent)
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


def _sentences(paragraphs: list[str]) -> list[Sentence]:
    out = []
    for p, para in enumerate(paragraphs):
        for s in split_sentences(para):
            out.append(Sentence(len(out), p, s))
    return out


def _fallback_links(en: list[Sentence], ar: list[Sentence]) -> list[Link]:
    """Paragraph by paragraph, 1-1 inside paragraphs with as many sentences on both sides."""
    en_paras = sorted({s.para for s in en})
    ar_paras = sorted({s.para for s in ar})
    if len(en_paras) != len(ar_paras):
        return [Link([s.id for s in en], [s.id for s in ar], 0.0)]
    links = []
    for pe, pa in zip(en_paras, ar_paras, strict=True):
        ei = [s.id for s in en if s.para == pe]
        ai = [s.id for s in ar if s.para == pa]
        if len(ei) == len(ai):
            links += [Link([e], [a], 0.0) for e, a in zip(ei, ai, strict=True)]
        else:
            links.append(Link(ei, ai, 0.0))
    return links


def _align_module():
    try:
        return importlib.import_module("xling.align.sentences")
    except ModuleNotFoundError as exc:
        if exc.name != "xling.align.sentences":
            raise
        return None


def _reports_alignment(module, texts: list[str], ar_text: str, names: list[str], **kw):
    """Several English reports: `xling align`'s order-free alignment over all of them."""
    try:
        reorder = importlib.import_module("xling.align.reorder")
    except ModuleNotFoundError as exc:
        raise XlingError(
            "several English reports need xling align's report support (xling.align.reorder)"
        ) from exc
    reports = [module.segment_text(t) for t in texts]
    return reorder.align_reports(reports, module.segment_text(ar_text), names=names, **kw)


def align_pair(
    en_text: str,
    ar_text: str,
    *,
    mt: list[str] | None = None,
    embedder=None,
    more_en: list[str] | None = None,
    names: list[str] | None = None,
) -> AlignedPair:
    """Align two documents with `xling align` (or paragraph order when it is absent).

    `more_en`: further English reports the Arabic was compiled from (`names`: a label for
    each report, the first included); the English side is then every report's paragraphs
    in turn, and `AlignedPair.reports` says which sentences are whose.
    With no `embedder` the alignment uses the other signals (MT, numbers, length) and does
    not load the encoder."""
    texts = [en_text, *(more_en or [])]
    split = [split_paragraphs(t)[0] for t in texts]
    en_paras = [p for paras in split for p in paras]
    ar_paras, _ = split_paragraphs(ar_text)
    module = _align_module()
    reports = [{"index": 0, "name": (names or [""])[0], "sentences": [0, 0]}]
    if module is not None:
        signals = [s for s in module.SIGNALS if s != "embed" or embedder is not None]
        kw = {"mt": mt, "embedder": embedder, "signals": signals}
        if len(texts) > 1:
            labels = list(names or [f"report {k + 1}" for k in range(len(texts))])
            alignment = _reports_alignment(module, texts, ar_text, labels, **kw)
        else:
            alignment = module.align_texts(en_text, ar_text, **kw)
        # Paragraphs are counted over all reports in turn (Sentence.para is per report).
        first_para = [sum(len(p) for p in split[:k]) for k in range(len(texts))]
        spans = [(r.start, r.end) for r in getattr(alignment, "reports", [])] or [
            (0, len(alignment.en))
        ]
        report_of = [k for k, (a, b) in enumerate(spans) for _ in range(a, b)]
        en_sents = [
            Sentence(i, s.para + first_para[report_of[i]], s.text)
            for i, s in enumerate(alignment.en)
        ]
        ar_sents = list(alignment.ar)
        links = [
            Link(list(k.en), list(k.ar), float(k.score), moved=bool(getattr(k, "moved", False)))
            for k in alignment.links
        ]
        method = "xling-align"
        reports = [
            {"index": k, "name": (names or [""] * len(spans))[k], "sentences": [a, b]}
            for k, (a, b) in enumerate(spans)
        ]
    else:
        en_sents, ar_sents = _sentences(en_paras), _sentences(ar_paras)
        links = _fallback_links(en_sents, ar_sents)
        method = "paragraphs"
        reports[0]["sentences"] = [0, len(en_sents)]
    en_doc, en_off = _locate(en_paras, en_sents)
    ar_doc, ar_off = _locate(ar_paras, ar_sents)
    en_link = {i: k for k, link in enumerate(links) for i in link.en}
    ar_link = {j: k for k, link in enumerate(links) for j in link.ar}
    return AlignedPair(
        Side(en_doc, en_sents, en_off),
        Side(ar_doc, ar_sents, ar_off),
        links,
        method,
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
    return [s.text for s in _sentences(paragraphs)]
