"""Audit document pairs: align, match numbers and quotes, score, and build the JSON report.

The report layout is documented in docs/audit-schema.md (JSON Schema: docs/audit.schema.json).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from xling.audit.alignment import AlignedPair, align_pair, arabic_sentences, document_text
from xling.audit.fidelity import MODEL as FIDELITY_MODEL
from xling.audit.numbers import DOCUMENT_WINDOW, match_numbers
from xling.audit.passages import (
    ABSORB_GAIN,
    ABSORBED_MIN,
    LEFTOVER_MARGIN,
    LEFTOVER_MIN,
    RECOVER_MIN,
    RECOVER_PASSES,
    absorb_fragments,
    attach_items,
    cached,
    find_passages,
    moved_links,
    pair_leftovers,
    passage_json,
    recover_links,
    settle_moved,
    split_absorbed,
)
from xling.audit.quotes import (
    CUT_LOG_MIN,
    CUT_SHARE_MIN,
    DOCUMENT_MATCH_MIN,
    FIDELITY_MIN,
    MATCH_MIN,
    OUTSIDE_MIN,
    OWN_MARGIN_MIN,
    PARAPHRASE_MARGIN,
    PARAPHRASE_MIN,
    ROOM_MIN,
    SHORT_SHORTFALL,
    Similarity,
    match_quotes,
)
from xling.audit.scores import item_scores, mt_scores
from xling.audit.severity import apply_severity, findings_at
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


def translate_mt(
    translate: Callable[[list[str]], Iterable[str]], ar_text: str, origin: str
) -> MTInput:
    """The MT of one Arabic text, made by `translate` (texts -> translations, in order).

    One call per document, in local and Ray audits alike: a model's output (int8 above all)
    depends on what else is in its batch, so batching across documents would make a local
    report differ from one whose documents were translated on different workers."""
    unique = list(dict.fromkeys(t for t in mt_requests(ar_text) if t.strip()))
    done = dict(zip(unique, translate(unique), strict=True))
    return mt_from_translations(ar_text, done, origin)


def _link_segments(pair: AlignedPair, mt: list[str | None]) -> tuple[list[str], list[str]]:
    """(hypotheses, references) of a per-sentence MT: per alignment link, the MT of its Arabic
    sentences against its English sentences; links without English, or with an Arabic
    sentence the MT lacks, are left out (nothing to compare with)."""
    hyps, refs = [], []
    for link in pair.links:
        if not link.en:
            continue
        parts = [mt[j] if j < len(mt) else None for j in link.ar]
        if not parts or any(p is None for p in parts):
            continue
        hyps.append(" ".join(p for p in parts if p is not None))
        refs.append(" ".join(pair.en.sentences[i].text for i in link.en))
    return hyps, refs


def _paragraph_segments(pair: AlignedPair, lines: list[str]) -> tuple[list[str], list[str]]:
    """(hypotheses, references) of a per-line MT: one segment per Arabic paragraph (or per run
    of paragraphs that one link spans), its MT line(s) against the English of all its links.

    A line's translation cannot be cut into sentences, so it is scored whole against the
    English of every sentence of that paragraph; a paragraph with an Arabic sentence linked to
    no English (an addition) is left out, as an added sentence is with a per-sentence MT."""
    paras = [s.para for s in pair.ar.sentences]
    group = {p: p for p in paras}

    def root(p: int) -> int:
        while group[p] != p:
            group[p] = group[group[p]]
            p = group[p]
        return p

    for link in pair.links:  # a link across paragraphs joins them into one segment
        for j in link.ar[1:]:
            group[root(paras[j])] = root(paras[link.ar[0]])
    members: dict[int, set[int]] = {}
    for p in paras:
        members.setdefault(root(p), set()).add(p)
    hyps, refs = [], []
    for g in sorted(members, key=lambda g: min(members[g])):
        sentences = [j for j, p in enumerate(paras) if p in members[g]]
        links = {pair.ar_link.get(j) for j in sentences}
        if None in links or any(not pair.links[k].en for k in links if k is not None):
            continue
        if any(p >= len(lines) for p in members[g]):
            continue
        en = sorted({i for k in links if k is not None for i in pair.links[k].en})
        hyps.append(" ".join(lines[p] for p in sorted(members[g])))
        refs.append(" ".join(pair.en.sentences[i].text for i in en))
    return hyps, refs


def _link_json(k: int, link, moved: set[int]) -> dict:
    record = {"en": link.en, "ar": link.ar, "score": round(link.score, 4)}
    if k in moved:
        record["moved"] = True
    if link.recovered:
        record["recovered"] = True
    return record


@dataclass
class DocumentAudit:
    id: str
    pair: AlignedPair
    numbers: list[dict]
    quotes: list[dict]
    scores: dict
    segments: tuple[list[str], list[str]]
    files: dict
    passages: list[dict] = field(default_factory=list)

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
                "links": [_link_json(k, link, pair.moved) for k, link in enumerate(pair.links)],
                **({"reports": pair.reports} if len(pair.reports) > 1 else {}),
            },
            "numbers": self.numbers,
            "quotes": self.quotes,
            "passages": self.passages,
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
    more_en: list[str] | None = None,
    names: list[str] | None = None,
) -> DocumentAudit:
    """Audit one Arabic article against its English source; `more_en`: further English
    reports it was compiled from (`names` labels every report, the first included)."""
    embedder = cached(embedder)  # the re-alignment of moved paragraphs embeds them again
    sentence_mt = None
    if mt is not None and mt.by_source:
        # Give the aligner the MT when it covers every Arabic sentence.
        candidate = [mt.by_source.get(norm_source(s)) for s in arabic_sentences(ar_text)]
        if candidate and all(t is not None for t in candidate):
            sentence_mt = candidate
    try:
        pair = align_pair(
            en_text, ar_text, mt=sentence_mt, embedder=embedder, more_en=more_en, names=names
        )
    except ValueError:
        if sentence_mt is None:
            raise
        pair = align_pair(en_text, ar_text, embedder=embedder, more_en=more_en, names=names)
        sentence_mt = None
    # Paragraphs an in-order aligner left out; a second pass starts from better positions.
    for _ in range(RECOVER_PASSES):
        if not recover_links(pair, embedder, sentence_mt):
            break
    settle_moved(pair, embedder)
    split_absorbed(pair, embedder)
    pair_leftovers(pair, embedder)
    absorb_fragments(pair, embedder)
    pair.moved = moved_links(pair)
    per_sentence = mt.for_sentences(pair) if mt is not None else None
    sim = Similarity(embedder)
    numbers = [item.to_json(pair) for item in match_numbers(pair)]
    quotes = [
        item.to_json(pair)
        for item in match_quotes(pair, sim, per_sentence, mt.quotes if mt else None)
    ]
    if len(pair.reports) > 1:  # say which report each English item is in
        for item in numbers + quotes:
            if item["en"] is not None:
                item["evidence"]["report"] = pair.report_of(item["en"]["sentence"])
    found = find_passages(pair)
    attach_items(found, numbers, quotes)
    passages = [passage_json(pair, p, numbers, quotes) for p in found]
    scores = item_scores(numbers, quotes, passages)
    segments: tuple[list[str], list[str]] = ([], [])
    unit = None
    if mt is not None and mt.lines is not None:
        segments, unit = _paragraph_segments(pair, mt.lines), "paragraph"
    elif per_sentence is not None:
        segments, unit = _link_segments(pair, per_sentence), "link"
    scores["mt"] = mt_scores(*segments)
    if scores["mt"] is not None:
        scores["mt"]["unit"] = unit
    return DocumentAudit(doc_id, pair, numbers, quotes, scores, segments, files or {}, passages)


def settings(mt_origin: str | None, encoder: str | None, ignore: tuple[str, ...] = ()) -> dict:
    """The audit's configuration in the report, with its signature line (`signature`)."""
    out = {
        "mt": mt_origin,
        "encoder": encoder,
        "thresholds": {
            "quote_match": MATCH_MIN,
            "quote_document_match": DOCUMENT_MATCH_MIN,
            "paraphrase": PARAPHRASE_MIN,
            "paraphrase_margin": PARAPHRASE_MARGIN,
            "fidelity": FIDELITY_MIN,
            "number_window": DOCUMENT_WINDOW,
            "recover_link": RECOVER_MIN,
            "leftover_cosine": LEFTOVER_MIN,
            "leftover_margin": LEFTOVER_MARGIN,
            "absorbed_cosine": ABSORBED_MIN,
            "absorb_gain": ABSORB_GAIN,
            "quote_short_shortfall": SHORT_SHORTFALL,
            "quote_cut_log": CUT_LOG_MIN,
            "quote_cut_share": CUT_SHARE_MIN,
            "quote_cut_outside_words": OUTSIDE_MIN,
            "quote_own_margin": OWN_MARGIN_MIN,
            "quote_document_room": ROOM_MIN,
        },
        "quote_fidelity": FIDELITY_MODEL,
        "ignore": list(ignore),
    }
    out["signature"] = signature(out)
    return out


def signature(config: dict) -> str:
    """The audit's configuration on one line, in the style of sacrebleu's signatures:
    xling-audit|mt:model:quality|encoder:e5-small|aligner:xling-align|signals:embed+mt+numbers+
    length|order:auto|thresholds:<hash>|ignore:none|version:0.1.0. Two reports with the same
    signature were made the same way; `thresholds` is the first 8 hex digits of the SHA-256 of
    the thresholds (sorted JSON), so any retuned value changes it."""
    import hashlib
    import json

    from xling import __version__

    mt = config["mt"]
    if mt is None:
        mt_part = "none"
    elif mt.startswith("model:"):
        mt_part = mt
    else:
        mt_part = "file"  # --mt: the path is in settings.mt, not in a portable signature
    signals = [s for s in ("embed", "mt", "numbers", "length") if s != "embed" or config["encoder"]]
    if mt is None:
        signals.remove("mt")
    digest = hashlib.sha256(
        json.dumps(config["thresholds"], sort_keys=True).encode("utf-8")
    ).hexdigest()[:8]
    fields = {
        "mt": mt_part,
        "encoder": config["encoder"] or "none",
        "aligner": "xling-align",
        "signals": "+".join(signals),
        "order": "auto",
        "thresholds": digest,
        "quotes": config.get("quote_fidelity") or "none",
        "ignore": ",".join(config.get("ignore") or []) or "none",
        "version": __version__,
    }
    return "xling-audit|" + "|".join(f"{k}:{str(v).replace('|', '/')}" for k, v in fields.items())


def build_report(audits: list[DocumentAudit], settings: dict, unpaired: list | None = None) -> dict:
    """The whole JSON report: documents[], the files without a partner, corpus scores."""
    documents = [a.to_json() for a in audits]
    corpus = item_scores(
        [n for d in documents for n in d["numbers"]],
        [q for d in documents for q in d["quotes"]],
        [p for d in documents for p in d["passages"]],
    )
    hyps = [h for a in audits for h in a.segments[0]]
    refs = [r for a in audits for r in a.segments[1]]
    corpus["mt"] = mt_scores(hyps, refs)
    if corpus["mt"] is not None:
        units = {d["scores"]["mt"]["unit"] for d in documents if d["scores"].get("mt")}
        corpus["mt"]["unit"] = units.pop() if len(units) == 1 else "mixed"
    corpus["documents"] = len(documents)
    corpus["documents_unpaired"] = len(unpaired or [])
    report = {
        "xling_audit": SCHEMA_VERSION,
        "settings": settings,
        "documents": documents,
        "unpaired": [asdict(u) for u in unpaired or []],
        "corpus": corpus,
    }
    # Check and severity of every finding; settings.ignore suppresses checks (--ignore).
    apply_severity(report, tuple(settings.get("ignore") or ()))
    return report


def check_fail_under(rate: float | None) -> None:
    """--fail-under takes a rate in [0, 1]; checked before any work is done."""
    if rate is not None and not 0 <= rate <= 1:
        raise XlingError("--fail-under takes a rate between 0 and 1, e.g. 0.95")


def fail_on(report: dict, level: str) -> str | None:
    """--fail-on LEVEL: "3 error(s), 2 warning(s)" when findings at LEVEL or worse exist."""
    if not findings_at(report, level):
        return None
    counts = report["corpus"]["severity"]
    levels = ("error",) if level == "error" else ("error", "warning")
    return ", ".join(f"{counts[s]} {s}(s)" for s in levels if counts[s])


def below_fail_under(report: dict, rate: float) -> list[str]:
    """The corpus carry-over rates below `rate` ("number_carry_over 0.912"), none if it passes."""
    corpus = report["corpus"]
    low = [
        f"{name} {corpus[name]:.3f}"
        for name in ("number_carry_over", "quote_carry_over")
        if corpus[name] is not None and corpus[name] < rate
    ]
    if report.get("unpaired"):  # a missing translation is the worst carry-over there is
        low.append(f"{len(report['unpaired'])} document(s) without a partner")
    return low
