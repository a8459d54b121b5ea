"""Alignment of an Arabic article with one or several English reports, in order or not.

`align_reports(reports, ar, order=...)`:
- "monotone": the banded DP (xling.align.dp) over the reports concatenated — an in-order
  translation, today's aligner;
- "free": the order-free DP (xling.align.freedp): moved paragraphs, merges and splits,
  omissions, additions, paragraphs taken from several reports;
- "auto" (default): free with several reports, for articles up to ~500×500 sentences (as
  accurate in order, measured), or when the anchors show a longer article out of order;
  other long articles get the monotone DP and then the order-free DP over the sentences it
  left unaligned (`freedp.align_leftovers`: a moved block leaves its sentences on both
  sides, which a few anchors among hundreds may not reveal), at about the monotone DP's
  cost; `Alignment.order` is "free" when that pass linked something. The evidence is a set
  of confident anchors — mutual nearest sentence pairs by
  margin-normalised cosine, as in LASER bitext mining (cos(x, y) over the mean cosine of
  each one's k nearest neighbours) — the share of them outside the longest in-order chain.

Every link says which report its English sentences are in and whether it is `moved`: per
report, the links sorted by Arabic position whose English sentences are not in the longest
increasing chain of that report's English ids.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from xling.align import dp
from xling.align.freedp import JUMP, SWITCH, align_free, align_leftovers, repair_gaps
from xling.align.sentences import (
    SIGNALS,
    Alignment,
    Link,
    Report,
    make_scorer,
    span_score,
)
from xling.records import Sentence

ORDERS = ("auto", "monotone", "free")
NEIGHBOURS = 4  # k of the margin's k nearest neighbours
ANCHOR_MARGIN = 1.0  # an anchor's cosine over its neighbourhood mean (tuned on the dev split)
MOVED_ANCHORS = 1  # auto: free when at least this many anchors are out of order ...
MOVED_SHARE = 0.1  # ... and they are at least this share of the anchors
# After the order-free DP, gaps left unaligned on both sides are aligned again at the
# document's length ratio (freedp.repair_gaps); False: as before (eval --before).
GAP_REPAIR = True


@dataclass(frozen=True)
class Detection:
    """What auto mode saw: confident anchors (English id, Arabic id) and those out of order."""

    anchors: list[tuple[int, int]]
    out_of_order: int

    @property
    def share(self) -> float:
        return self.out_of_order / len(self.anchors) if self.anchors else 0.0

    @property
    def reordered(self) -> bool:
        return self.out_of_order >= MOVED_ANCHORS and self.share >= MOVED_SHARE


def longest_increasing(keys: list[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence of `keys` (patience sort)."""
    tails: list[int] = []  # tails[L]: smallest key ending an increasing run of length L+1
    tail_pos: list[int] = []
    parent = [-1] * len(keys)
    for pos, key in enumerate(keys):
        k = bisect.bisect_left(tails, key)
        if k == len(tails):
            tails.append(key)
            tail_pos.append(pos)
        else:
            tails[k] = key
            tail_pos[k] = pos
        parent[pos] = tail_pos[k - 1] if k else -1
    out: set[int] = set()
    pos = tail_pos[-1] if tail_pos else -1
    while pos >= 0:
        out.add(pos)
        pos = parent[pos]
    return out


def margin_scores(x: np.ndarray, y: np.ndarray, k: int = NEIGHBOURS) -> np.ndarray:
    """(n, m) ratio margin: cos(x_i, y_j) / mean of the k-NN cosines of x_i and of y_j."""
    xn = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    yn = y / np.maximum(np.linalg.norm(y, axis=1, keepdims=True), 1e-12)
    cos = xn @ yn.T
    kx, ky = min(k, cos.shape[1]), min(k, cos.shape[0])
    near_x = np.sort(cos, axis=1)[:, -kx:].mean(axis=1)
    near_y = np.sort(cos, axis=0)[-ky:, :].mean(axis=0)
    return cos / np.maximum((near_x[:, None] + near_y[None, :]) / 2.0, 1e-6)


def detect(x: np.ndarray, y: np.ndarray, margin: float = ANCHOR_MARGIN) -> Detection:
    """Anchors: mutual best pairs by margin score above `margin`; how many break the order."""
    if not len(x) or not len(y):
        return Detection([], 0)
    scores = margin_scores(x, y)
    best_ar = scores.argmax(axis=1)
    best_en = scores.argmax(axis=0)
    anchors = [
        (i, int(j)) for i, j in enumerate(best_ar) if best_en[j] == i and scores[i, j] >= margin
    ]
    anchors.sort(key=lambda p: p[1])
    chain = longest_increasing([i for i, _ in anchors])
    return Detection(anchors, len(anchors) - len(chain))


def _content_vectors(scorer) -> tuple[np.ndarray, np.ndarray] | None:
    """The English and Arabic vectors of the first content signal (embeddings, else MT)."""
    for k in getattr(scorer, "signals", []):
        return scorer.en.vectors[k], scorer.ar.vectors[k]
    return None


def align_reports(
    reports: list[list[Sentence]],
    ar: list[Sentence],
    *,
    order: str = "auto",
    names: list[str] | None = None,
    mt: list[str] | None = None,
    embedder=None,
    signals: tuple[str, ...] | list[str] = SIGNALS,
    weights=None,
    moves: tuple[tuple[int, int], ...] = dp.MOVES,
    pairs: bool = True,
    jump: float = JUMP,
    switch: float = SWITCH,
) -> Alignment:
    """Align the Arabic sentences `ar` with the English sentences of one or more reports.

    Alignment.en is the reports' sentences concatenated (flat ids); `names` labels the
    reports (file names) in Alignment.reports. See the module docstring for `order`.
    Order-free alignment needs a content signal (embeddings or MT): with length only the
    alignment is monotone whatever `order` says (Alignment.order tells).
    """
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}; choose from {', '.join(ORDERS)}")
    names = names or [""] * len(reports)
    en: list[Sentence] = []
    report_list: list[Report] = []
    for k, sentences in enumerate(reports):
        start = len(en)
        en.extend(Sentence(start + p, s.para, s.text) for p, s in enumerate(sentences))
        report_list.append(Report(k, names[k], start, len(en)))
    ar = [Sentence(j, s.para, s.text) for j, s in enumerate(ar)]
    report_of = [r.index for r in report_list for _ in range(r.start, r.end)]
    if not en or not ar:
        links = [Link([s.id], [], 0.0, report=report_of[s.id]) for s in en]
        links += [Link([], [s.id], 0.0, report=None) for s in ar]
        return Alignment(en, ar, links, [], report_list)
    scorer, used = make_scorer(
        [s.text for s in en],
        [s.text for s in ar],
        mt=mt,
        embedder=embedder,
        signals=signals,
        weights=weights,
        pairs=pairs,
    )
    vectors = _content_vectors(scorer)
    detection = detect(*vectors) if vectors is not None else Detection([], 0)
    path = choose_path(order, detection, len(reports), (len(en) + 1) * (len(ar) + 1), used)
    found = []
    if path == "free":
        links = _align_free(scorer, detection, report_list, report_of, jump, switch)
    elif path == "leftovers":
        links, found = _align_leftovers(scorer, detection, moves, report_of, jump, switch)
    else:
        links = _monotone_links(scorer, dp.align(scorer, moves), report_of)
    free = path == "free" or bool(found)
    mark_moved(links)
    return Alignment(
        en,
        ar,
        links,
        used,
        report_list,
        "free" if free else "monotone",
        detection.share,
    )


def _align_free(scorer, detection, report_list, report_of, jump, switch) -> list[Link]:
    """Order-free links; the length ratio is taken from the anchors: added and dropped
    paragraphs bias the document's own ratio, the anchors (translations) do not. Then the
    gap repair (freedp.repair_gaps) with the document's ratio, each new link's sentences
    each other's nearest by margin."""
    document_ratio = getattr(scorer, "ratio", None)
    ratio = anchor_ratio(scorer, detection)
    if ratio is not None:
        scorer.ratio = ratio
    breaks = [r.start for r in report_list[1:] if r.start < scorer.n]
    spans = align_free(scorer, jump=jump, switch=switch, breaks=breaks)
    if GAP_REPAIR and document_ratio is not None and ratio is not None:
        vectors = _content_vectors(scorer)
        nearest = None
        if vectors is not None:
            margins = margin_scores(*vectors)
            nearest = (margins.argmax(axis=1), margins.argmax(axis=0))
        spans, _ = repair_gaps(
            scorer, spans, ratio=document_ratio, report_of=report_of, nearest=nearest
        )
    return _free_links(scorer, spans, scorer.n, report_of)


def choose_path(order: str, detection: Detection, reports: int, cells: int, used) -> str:
    """ "free" (the order-free DP), "leftovers" (the monotone DP, then the order-free DP over
    what it left unaligned) or "monotone", for `order` and what the scorer has (`used`)."""
    content = "embed" in used or "mt" in used  # order-free alignment needs a content signal
    if order == "monotone" or not content:
        return "monotone"
    if order == "free":
        return "free"
    small = cells <= dp.FULL_CELLS
    if detection.reordered or reports > 1:
        # Out of order, or compiled from several reports (rarely one after the other): the
        # full order-free DP at any size (its cost grows with n·m). A monotone pass would
        # tie up much of a compilation wrongly before the leftover pass could see it.
        return "free"
    # Looks in order: a moved paragraph may still hide among few anchors. The order-free
    # costs were tuned with sentence embeddings: with MT alone, auto stays monotone.
    if "embed" not in used:
        return "monotone"
    # Up to ~500×500 sentences the order-free DP (measured as accurate as the in-order DP on
    # in-order dev articles, and it finds the moves the anchors miss); above, the leftover pass.
    return "free" if small else "leftovers"


def anchor_ratio(scorer, detection: Detection) -> float | None:
    """The median Arabic/English length ratio of the anchors (translations): added and
    dropped paragraphs bias the document's own ratio. None with fewer than 3 anchors."""
    if len(detection.anchors) < 3 or not hasattr(scorer, "ratio"):
        return None
    pairs = [(i, j) for i, j in detection.anchors if scorer.en.lengths[i] > 0]
    if not pairs:
        return None
    return float(np.median([scorer.ar.lengths[j] / scorer.en.lengths[i] for i, j in pairs]))


def _align_leftovers(scorer, detection, moves, report_of, jump, switch):
    """The monotone DP, then the order-free pass over what it left unaligned
    (freedp.align_leftovers). Returns the links and the links that pass made."""
    spans = _split_reports(dp.align(scorer, moves), report_of)
    scores = {(s.en0, s.en1, s.ar0, s.ar1): span_score(scorer, s) for s in spans}
    spans, found = align_leftovers(
        scorer,
        spans,
        report_of=report_of,
        jump=jump,
        switch=switch,
        ratio=anchor_ratio(scorer, detection),
    )
    scores.update({(s.en0, s.en1, s.ar0, s.ar1): s.score for s in found})
    return _free_links(scorer, spans, scorer.n, report_of, scores), found


def _split_reports(spans: list[dp.Span], report_of: list[int]) -> list[dp.Span]:
    """A monotone link across two reports keeps its Arabic with the report holding most of
    its English (the first on a tie); the other English sentences become 1-0 spans."""
    out = []
    for s in spans:
        reports = [report_of[i] for i in range(s.en0, s.en1)]
        if len(set(reports)) <= 1:
            out.append(s)
            continue
        main = max(set(reports), key=lambda r: (reports.count(r), -r))
        ids = [i for i in range(s.en0, s.en1) if report_of[i] == main]
        out.append(dp.Span(ids[0], ids[-1] + 1, s.ar0, s.ar1, s.score))
        out.extend(
            dp.Span(i, i + 1, s.ar0, s.ar0, 0.0)
            for i in range(s.en0, s.en1)
            if report_of[i] != main
        )
    return out


def _monotone_links(scorer, spans: list[dp.Span], report_of: list[int]) -> list[Link]:
    """Links in DP order; a link that would join two reports keeps the Arabic with the
    report holding most of its English, the rest become omissions."""
    links = []
    for span in spans:
        en_ids = list(range(span.en0, span.en1))
        ar_ids = list(range(span.ar0, span.ar1))
        score = span_score(scorer, span)
        parts: dict[int, list[int]] = {}
        for i in en_ids:
            parts.setdefault(report_of[i], []).append(i)
        if len(parts) <= 1:
            links.append(
                Link(en_ids, ar_ids, score, report=report_of[en_ids[0]] if en_ids else None)
            )
            continue
        main = max(parts, key=lambda r: len(parts[r]))
        for r, ids in parts.items():
            links.append(
                Link(ids, ar_ids if r == main else [], score if r == main else 0.0, report=r)
            )
    return links


def _free_links(
    scorer,
    spans: list[dp.Span],
    n: int,
    report_of: list[int],
    scores: dict[tuple[int, int, int, int], float] | None = None,
) -> list[Link]:
    """Links in Arabic order, each omission right after the link of the English sentence
    before it in its report (first when there is none). `scores`: each span's link score
    by (en0, en1, ar0, ar1), when the scorer cannot give it (a banded one)."""
    with_ar = []
    covered: dict[int, int] = {}
    for span in spans:
        en_ids = list(range(span.en0, span.en1))
        ar_ids = list(range(span.ar0, span.ar1))
        report = report_of[en_ids[0]] if en_ids else None
        key = (span.en0, span.en1, span.ar0, span.ar1)
        score = scores[key] if scores is not None else span_score(scorer, span)
        with_ar.append(Link(en_ids, ar_ids, score, report=report))
        for i in en_ids:
            covered[i] = ar_ids[0]
    keyed: list[tuple[tuple[int, int, int], Link]] = [
        ((link.ar[0], 0, 0), link) for link in with_ar
    ]
    last_ar = -1
    for i in range(n):
        if i in covered:
            last_ar = covered[i]
            continue
        if i == 0 or report_of[i - 1] != report_of[i]:
            last_ar = -1  # a report's first sentences have no predecessor
        keyed.append(((last_ar, 1, i), Link([i], [], 0.0, report=report_of[i])))
    keyed.sort(key=lambda item: item[0])
    return [link for _, link in keyed]


def mark_moved(links: list[Link]) -> None:
    """Per report: links with both sides, in Arabic order, outside the longest chain of
    increasing English ids are moved."""
    by_report: dict[int, list[Link]] = {}
    for link in links:
        link.moved = False
        if link.en and link.ar and link.report is not None:
            by_report.setdefault(link.report, []).append(link)
    for group in by_report.values():
        group.sort(key=lambda link: link.ar[0])
        chain = longest_increasing([link.en[0] for link in group])
        for pos, link in enumerate(group):
            link.moved = pos not in chain
