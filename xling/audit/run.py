"""Audit document pairs: align, match numbers and quotes, score, and build the JSON report.

The report layout is documented in docs/audit-schema.md (JSON Schema: docs/audit.schema.json).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xling.audit.alignment import AlignedPair, align_pair, arabic_sentences, document_text
from xling.audit.numbers import DOCUMENT_WINDOW, match_numbers
from xling.audit.quotes import (
    CONTRAST_MIN,
    DOCUMENT_MATCH_MIN,
    FIDELITY_MIN,
    MATCH_MIN,
    PARAPHRASE_MARGIN,
    PARAPHRASE_MIN,
    SHORT_CONTRAST_MAX,
    SHORT_RATIO,
    Similarity,
    match_quotes,
)
from xling.audit.scores import item_scores, mt_scores
from xling.errors import XlingError
from xling.text.quotes import extract_quotes

SCHEMA_VERSION = 1


def norm_source(text: str) -> str:
    """An Arabic sentence as a key of `MTInput.by_source`: whitespace runs made one space."""
    return " ".join(text.split())


@dataclass
class MTInput:
    """Machine translation of the Arabic: per sentence (by source text) or per line."""

    by_source: dict[str, str] = field(default_factory=dict)  # Arabic sentence -> English
    lines: list[str] | None = None  # one translation per Arabic paragraph/line
    quotes: dict[str, str] = field(default_factory=dict)  # Arabic quote text -> English
    origin: str = ""

    def for_sentences(self, pair: AlignedPair) -> list[str | None] | None:
        if self.lines is not None:
            return [
                self.lines[s.para] if s.para < len(self.lines) else None for s in pair.ar.sentences
            ]
        if not self.by_source:
            return None
        return [self.by_source.get(norm_source(s.text)) for s in pair.ar.sentences]


def mt_requests(ar_text: str) -> list[str]:
    """What an audit asks the model to translate for one Arabic text: its sentences, then its
    quotes. Local and Ray audits both ask exactly this (deduplicate before translating)."""
    sentences = arabic_sentences(ar_text)
    quotes = [q.text for q in extract_quotes(document_text(ar_text), "ar")]
    return sentences + quotes


def mt_from_translations(ar_text: str, done: dict[str, str], origin: str) -> MTInput:
    """The MT of one Arabic text from `done` (request -> translation, see `mt_requests`)."""
    mt = MTInput(origin=origin)
    mt.by_source = {norm_source(s): done[s] for s in arabic_sentences(ar_text) if s in done}
    mt.quotes = {
        q.text: done[q.text] for q in extract_quotes(document_text(ar_text), "ar") if q.text in done
    }
    return mt


def _link_segments(pair: AlignedPair, mt: list[str | None]) -> tuple[list[str], list[str]]:
    """(hypotheses, references): per alignment link, the MT of its Arabic sentences against
    its English sentences; links without English are left out (nothing to compare with)."""
    hyps, refs = [], []
    seen: set[str] = set()
    for link in pair.links:
        if not link.en:
            continue
        parts = []
        complete = True
        for j in link.ar:
            text = mt[j]
            if text is None:
                complete = False
                break
            if text not in seen:  # a line-level MT is used once, by its first link
                parts.append(text)
                seen.add(text)
        if not complete:
            continue
        hyps.append(" ".join(parts))
        refs.append(" ".join(pair.en.sentences[i].text for i in link.en))
    return hyps, refs


@dataclass
class DocumentAudit:
    id: str
    pair: AlignedPair
    numbers: list[dict]
    quotes: list[dict]
    scores: dict
    segments: tuple[list[str], list[str]]
    files: dict

    def to_json(self) -> dict:
        pair = self.pair
        return {
            "id": self.id,
            "files": self.files,
            "alignment": {
                "method": pair.method,
                "en": [s.text for s in pair.en.sentences],
                "ar": [s.text for s in pair.ar.sentences],
                "en_paragraphs": [s.para for s in pair.en.sentences],
                "ar_paragraphs": [s.para for s in pair.ar.sentences],
                "en_offsets": [list(o) for o in pair.en.offsets],
                "ar_offsets": [list(o) for o in pair.ar.offsets],
                "links": [
                    {"en": link.en, "ar": link.ar, "score": round(link.score, 4)}
                    for link in pair.links
                ],
            },
            "numbers": self.numbers,
            "quotes": self.quotes,
            "scores": self.scores,
        }


def audit_document(
    doc_id: str,
    en_text: str,
    ar_text: str,
    *,
    mt: MTInput | None = None,
    embedder=None,
    files: dict | None = None,
) -> DocumentAudit:
    sentence_mt = None
    if mt is not None and mt.by_source:
        # Give the aligner the MT when it covers every Arabic sentence.
        candidate = [mt.by_source.get(norm_source(s)) for s in arabic_sentences(ar_text)]
        if candidate and all(t is not None for t in candidate):
            sentence_mt = candidate
    try:
        pair = align_pair(en_text, ar_text, mt=sentence_mt, embedder=embedder)
    except ValueError:
        if sentence_mt is None:
            raise
        pair = align_pair(en_text, ar_text, embedder=embedder)
    per_sentence = mt.for_sentences(pair) if mt is not None else None
    sim = Similarity(embedder)
    numbers = [item.to_json(pair) for item in match_numbers(pair)]
    quotes = [
        item.to_json(pair)
        for item in match_quotes(pair, sim, per_sentence, mt.quotes if mt else None)
    ]
    scores = item_scores(numbers, quotes)
    segments: tuple[list[str], list[str]] = ([], [])
    if per_sentence is not None:
        segments = _link_segments(pair, per_sentence)
    scores["mt"] = mt_scores(*segments)
    return DocumentAudit(doc_id, pair, numbers, quotes, scores, segments, files or {})


def settings(mt_origin: str | None, encoder: str | None) -> dict:
    return {
        "mt": mt_origin,
        "encoder": encoder,
        "thresholds": {
            "quote_match": MATCH_MIN,
            "quote_document_match": DOCUMENT_MATCH_MIN,
            "paraphrase": PARAPHRASE_MIN,
            "paraphrase_margin": PARAPHRASE_MARGIN,
            "fidelity": FIDELITY_MIN,
            "contrast": CONTRAST_MIN,
            "short_ratio": SHORT_RATIO,
            "short_contrast": SHORT_CONTRAST_MAX,
            "number_window": DOCUMENT_WINDOW,
        },
    }


def build_report(audits: list[DocumentAudit], settings: dict) -> dict:
    """The whole JSON report: documents[] and corpus scores."""
    documents = [a.to_json() for a in audits]
    corpus = item_scores(
        [n for d in documents for n in d["numbers"]], [q for d in documents for q in d["quotes"]]
    )
    hyps = [h for a in audits for h in a.segments[0]]
    refs = [r for a in audits for r in a.segments[1]]
    corpus["mt"] = mt_scores(hyps, refs)
    corpus["documents"] = len(documents)
    corpus["documents_flagged"] = sum(d["scores"]["flagged"] > 0 for d in documents)
    return {
        "xling_audit": SCHEMA_VERSION,
        "settings": settings,
        "documents": documents,
        "corpus": corpus,
    }


def check_fail_under(rate: float | None) -> None:
    """--fail-under takes a rate in [0, 1]; checked before any work is done."""
    if rate is not None and not 0 <= rate <= 1:
        raise XlingError("--fail-under takes a rate between 0 and 1, e.g. 0.95")


def below_fail_under(report: dict, rate: float) -> list[str]:
    """The corpus carry-over rates below `rate` ("number_carry_over 0.912"), none if it passes."""
    corpus = report["corpus"]
    return [
        f"{name} {corpus[name]:.3f}"
        for name in ("number_carry_over", "quote_carry_over")
        if corpus[name] is not None and corpus[name] < rate
    ]
