"""Alignment of an Arabic article with one or several English reports, in order or not.

`align_reports(reports, ar, order=...)`:
- "monotone": the banded DP (xling.align.dp) over the reports concatenated — an in-order
  translation, today's aligner;
- "free": the order-free DP (xling.align.freedp): moved paragraphs, merges and splits,
  omissions, additions, paragraphs taken from several reports;
- "auto" (default): free with several reports, for articles up to ~500×500 sentences (as
  accurate in order, measured), or when a longer article is out of order; else monotone.
  The evidence is a
  set of confident anchors — mutual nearest sentence pairs by margin-normalised cosine, as in
  LASER bitext mining (cos(x, y) over the mean cosine of each one's k nearest neighbours) —
  and the share of them outside the longest in-order chain (`reordered`).

Every link says which report its English sentences are in and whether it is `moved`: per
report, the links sorted by Arabic position whose English sentences are not in the longest
increasing chain of that report's English ids.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from xling.align import dp
from xling.align.freedp import JUMP, SWITCH, align_free
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
    # Several reports: an article compiled from them rarely follows them one after the other.
    several = len(reports) > 1
    free = vectors is not None and (
        order == "free" or (order == "auto" and (detection.reordered or several))
    )
    # Auto on an article that looks in order: a moved paragraph may still hide among few
    # anchors. Up to ~500×500 sentences the order-free DP is cheap and measured at least as
    # accurate on in-order articles (eval/RESULTS.md), so it is used there too; longer
    # articles that look in order get the banded monotone DP (near-linear time).
    small = (len(en) + 1) * (len(ar) + 1) <= dp.FULL_CELLS
    # (Its costs were tuned with sentence embeddings: with MT alone, auto stays monotone.)
    free = free or (order == "auto" and "embed" in used and small)
    if free:
        links = _align_free(scorer, detection, report_list, report_of, jump, switch)
    else:
        links = _monotone_links(scorer, dp.align(scorer, moves), report_of)
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
    paragraphs bias the document's own ratio, the anchors (translations) do not."""
    if len(detection.anchors) >= 3 and hasattr(scorer, "ratio"):
        ratios = [
            scorer.ar.lengths[j] / scorer.en.lengths[i]
            for i, j in detection.anchors
            if scorer.en.lengths[i] > 0
        ]
        if ratios:
            scorer.ratio = float(np.median(ratios))
    breaks = [r.start for r in report_list[1:] if r.start < scorer.n]
    spans = align_free(scorer, jump=jump, switch=switch, breaks=breaks)
    return _free_links(scorer, spans, scorer.n, report_of)


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


def _free_links(scorer, spans: list[dp.Span], n: int, report_of: list[int]) -> list[Link]:
    """Links in Arabic order, each omission right after the link of the English sentence
    before it in its report (first when there is none)."""
    with_ar = []
    covered: dict[int, int] = {}
    for span in spans:
        en_ids = list(range(span.en0, span.en1))
        ar_ids = list(range(span.ar0, span.ar1))
        report = report_of[en_ids[0]] if en_ids else None
        with_ar.append(Link(en_ids, ar_ids, span_score(scorer, span), report=report))
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
