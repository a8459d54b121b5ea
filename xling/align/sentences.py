"""Sentence alignment of an English source and its Arabic translation.

`align_texts(en_text, ar_text)` segments both texts the way `xling translate` does and aligns
them; `align_sentences(en, ar)` aligns sentences already segmented. The result lists every
sentence of both sides and the links between them in document order: 1-1, merges (2-1),
splits (1-2), 2-2 and, with an empty side, omissions (1-0: an English sentence the Arabic
left out) and additions (0-1: an Arabic sentence with no English source).

Signals (each optional, see `SIGNALS`): "embed" cross-lingual sentence embeddings (the
e5-small encoder), "mt" the machine translation of each Arabic sentence compared with the
English as TF-IDF bags of words, "numbers" numbers shared by both sides, "length" the
Gale–Church length model. Without embeddings and MT, alignment falls back to Gale–Church
(length only, with its classic priors).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from xling.align import dp
from xling.align.features import Side, char_lengths, lexical_vectors, number_vectors
from xling.align.scoring import GaleChurchScorer, SignalScorer, Weights
from xling.errors import ModelError
from xling.io.articles import split_paragraphs
from xling.models.names import DEFAULT_ENCODER
from xling.records import Sentence
from xling.text.segment import segment_paragraphs

SIGNALS = ("embed", "mt", "numbers", "length")


@dataclass
class Link:
    """English sentence ids `en` rendered by Arabic sentence ids `ar` (one side may be empty).

    `score`: 1 − the link's normalised distance (see xling.align.scoring): about 0 for an
    unrelated pair, towards 1 for a close translation (a Gale–Church log-probability when
    aligning by length only; 0 for omissions and additions). `words`: Pharaoh "i-j" word
    links, when asked for.
    """

    en: list[int]
    ar: list[int]
    score: float
    words: str | None = None
    # The report (index into Alignment.reports) of the English sentences; None for additions.
    report: int | None = 0
    # Out of order: not in the longest in-order chain of its report's links (see reorder).
    moved: bool = False

    def to_json(self) -> dict:
        record: dict = {
            "en": self.en,
            "ar": self.ar,
            "score": round(self.score, 4),
            "report": self.report if self.en else None,
            "moved": self.moved,
        }
        if self.words is not None:
            record["words"] = self.words
        return record


@dataclass(frozen=True)
class Report:
    """One English report: its flat sentence ids [start, end) in Alignment.en."""

    index: int
    name: str
    start: int
    end: int

    def to_json(self) -> dict:
        return {"index": self.index, "file": self.name, "sentences": [self.start, self.end]}


@dataclass
class Alignment:
    """`en`: the English sentences of every report, concatenated (ids 0..N-1; `para` is the
    paragraph within its report). `order`: the mode used, "monotone" or "free";
    `reordered`: share of confident anchor pairs out of order (what "auto" decided on)."""

    en: list[Sentence]
    ar: list[Sentence]
    links: list[Link]
    signals: list[str] = field(default_factory=list)  # the signals actually used
    reports: list[Report] = field(default_factory=list)
    order: str = "monotone"
    reordered: float = 0.0

    def report_of(self, en_id: int) -> int:
        for report in self.reports:
            if report.start <= en_id < report.end:
                return report.index
        return 0

    def to_json(self) -> dict:
        """The contract: sentences.en (with "report" when there are several) / sentences.ar
        ({id, para, text}),
        reports, links (with report and moved), order, reordered, signals."""
        reports = self.reports or [Report(0, "", 0, len(self.en))]
        report_of = [0] * len(self.en)
        for r in reports:
            report_of[r.start : r.end] = [r.index] * (r.end - r.start)
        en = [{"id": s.id, "para": s.para, "text": s.text} for s in self.en]
        if len(reports) > 1:  # one report: the sentences stay as they always were
            for record in en:
                record["report"] = report_of[record["id"]]
        return {
            "sentences": {
                "en": en,
                "ar": [{"id": s.id, "para": s.para, "text": s.text} for s in self.ar],
            },
            "reports": [r.to_json() for r in reports],
            "links": [link.to_json() for link in self.links],
            "order": self.order,
            "reordered": round(self.reordered, 4),
            "signals": self.signals,
        }

    def counts(self) -> dict[str, int]:
        """Links by type: "1-1", "2-1", ..., "1-0" (omitted), "0-1" (added)."""
        out: dict[str, int] = {}
        for link in self.links:
            key = f"{len(link.en)}-{len(link.ar)}"
            out[key] = out.get(key, 0) + 1
        return out


def segment_text(text: str) -> list[Sentence]:
    """Sentences with their paragraph, segmented and numbered by `xling translate`'s own
    `segment`, so sentence ids match its JSONL records."""
    paragraphs, _ = split_paragraphs(text)
    return segment_paragraphs(paragraphs)


_ENCODERS: dict[str, object] = {}


def default_embedder(name: str = DEFAULT_ENCODER):
    """The built encoder, loaded once per process; None if it is not built."""
    if name not in _ENCODERS:
        try:
            from xling.align.embed import load_embedder

            _ENCODERS[name] = load_embedder(name)
        except (ModelError, ImportError):
            _ENCODERS[name] = None
    return _ENCODERS[name]


def build_sides(
    en: list[str],
    ar: list[str],
    *,
    mt: list[str] | None,
    embedder,
    signals: tuple[str, ...] | list[str],
    pairs: bool = True,
) -> tuple[Side, Side, list[str]]:
    """Features of both sides for the requested signals that are available. `pairs`: also
    embed each two adjacent sentences joined, for 2-1, 1-2 and 2-2 links (twice the
    encoder's work; sums of sentence embeddings stand in otherwise)."""
    en_side = Side(char_lengths(en))
    ar_side = Side(char_lengths(ar))
    used = []
    if "embed" in signals and embedder is not None:
        en_pairs = [f"{en[i - 2]} {en[i - 1]}" for i in range(2, len(en) + 1)] if pairs else []
        ar_pairs = [f"{ar[j - 2]} {ar[j - 1]}" for j in range(2, len(ar) + 1)] if pairs else []
        vectors = np.asarray(embedder.embed([*en, *ar, *en_pairs, *ar_pairs]), dtype=np.float32)
        n, m = len(en), len(ar)
        en_side.vectors["embed"], ar_side.vectors["embed"] = vectors[:n], vectors[n : n + m]
        if pairs and n > 1 and m > 1:
            joined = vectors[n + m :]
            en_side.pairs["embed"] = np.concatenate(
                [np.zeros((2, joined.shape[1])), joined[: n - 1]]
            )
            ar_side.pairs["embed"] = np.concatenate(
                [np.zeros((2, joined.shape[1])), joined[n - 1 :]]
            )
        used.append("embed")
    if "mt" in signals and mt is not None:
        if len(mt) != len(ar):
            raise ValueError(f"{len(mt)} MT sentences for {len(ar)} Arabic sentences")
        en_side.vectors["mt"], ar_side.vectors["mt"] = lexical_vectors(en, mt)
        used.append("mt")
    if "numbers" in signals:
        en_side.vectors["numbers"] = number_vectors(en, "en")
        ar_side.vectors["numbers"] = number_vectors(ar, "ar")
        used.append("numbers")
    if "length" in signals:
        used.append("length")
    return en_side, ar_side, used


def make_scorer(
    en: list[str],
    ar: list[str],
    *,
    mt: list[str] | None,
    embedder,
    signals: tuple[str, ...] | list[str],
    weights: Weights | None,
    pairs: bool,
) -> tuple[SignalScorer | GaleChurchScorer, list[str]]:
    """The link scorer over the requested signals that are available, and those signals."""
    unknown = set(signals) - set(SIGNALS)
    if unknown:
        raise ValueError(f"unknown signal(s) {sorted(unknown)}; known: {', '.join(SIGNALS)}")
    if embedder is None and "embed" in signals:
        embedder = default_embedder()
    en_side, ar_side, used = build_sides(
        en, ar, mt=mt, embedder=embedder, signals=signals, pairs=pairs
    )
    weights = weights or Weights()
    if "length" not in used:
        weights = replace(weights, length=0.0)
    if any(k in used for k in weights.similarity):
        scorer = SignalScorer(en_side, ar_side, weights)
        used = [k for k in used if k in scorer.signals or k not in weights.similarity]
        return scorer, used
    return GaleChurchScorer(en_side, ar_side, weights.variance), ["length"]


def span_score(scorer, span: dp.Span) -> float:
    """A link's reported score: 1 − its distance (see Link), or Gale–Church's log P."""
    a, b = span.en1 - span.en0, span.ar1 - span.ar0
    if not (a and b):
        return 0.0
    if isinstance(scorer, SignalScorer):
        return float(scorer.similarity(a, b, span.en1, np.array([span.ar1]))[0])
    return span.score


def align_sentences(
    en: list[Sentence],
    ar: list[Sentence],
    *,
    mt: list[str] | None = None,
    embedder=None,
    signals: tuple[str, ...] | list[str] = SIGNALS,
    weights: Weights | None = None,
    moves: tuple[tuple[int, int], ...] = dp.MOVES,
    pairs: bool = True,
    order: str = "auto",
) -> Alignment:
    """Align segmented sentences. `mt`: one English MT per Arabic sentence, or None.

    `embedder`: an object with `embed(texts) -> (n, d)` array; None loads the e5-small
    encoder if it is built (leave "embed" out of `signals` to align without it).
    Sentence ids in the links are positions in `en` and `ar` (renumbered from 0).
    `order`: "monotone" (in-order translation), "free" (paragraphs moved, dropped, added:
    xling.align.reorder) or "auto" (free only when the article is detected out of order).
    """
    from xling.align.reorder import align_reports

    return align_reports(
        [en],
        ar,
        mt=mt,
        embedder=embedder,
        signals=signals,
        weights=weights,
        moves=moves,
        pairs=pairs,
        order=order,
    )


def align_texts(
    en_text: str,
    ar_text: str,
    *,
    mt: list[str] | None = None,
    embedder=None,
    signals: tuple[str, ...] | list[str] = SIGNALS,
    weights: Weights | None = None,
    pairs: bool = True,
    order: str = "auto",
) -> Alignment:
    """Segment an English and an Arabic text (paragraphs = lines or blank-line blocks) and
    align their sentences. `mt`: the MT of each Arabic sentence as segmented here (the
    `mt` field of `xling translate`'s JSONL records), or None."""
    return align_sentences(
        segment_text(en_text),
        segment_text(ar_text),
        mt=mt,
        embedder=embedder,
        signals=signals,
        weights=weights,
        pairs=pairs,
        order=order,
    )


def add_word_links(alignment: Alignment, aligner=None) -> None:
    """Fill `words` of every link with both sides: Pharaoh "i-j" links between the words of
    the link's English sentences joined in order (i) and of its Arabic sentences (j), as
    split by `xling.align.words.tokenize_words`. `aligner`: a WordAligner (default: built
    on the e5-small encoder)."""
    from xling.align.words import WordAligner, to_pharaoh, tokenize_words

    both = [link for link in alignment.links if link.en and link.ar]
    if not both:
        return
    aligner = aligner or WordAligner()
    pairs = [
        (
            tokenize_words(" ".join(alignment.en[i].text for i in link.en)),
            tokenize_words(" ".join(alignment.ar[j].text for j in link.ar)),
        )
        for link in both
    ]
    for link, words in zip(both, aligner.align(pairs), strict=True):
        link.words = to_pharaoh(words)
