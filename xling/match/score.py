"""Ranking an Arabic article's candidate source reports from its sentences' nearest neighbours.

Raw e5 cosines are compressed (a translation pair ≈ 0.89, an unrelated pair ≈ 0.81), and the
level differs from sentence to sentence. So each neighbour's cosine is divided by the mean
cosine of the Arabic sentence's k nearest neighbours (the forward half of the ratio margin used
for bitext mining, Artetxe & Schwenk 2019): a sentence whose translation is in the pool stands
out of its neighbourhood (margin well above 1), a sentence without one does not (≈ 1).

Per report r and Arabic sentence i, m_i(r) is the best margin of i to a sentence of r (the k-th
neighbour's margin when none of i's neighbours is in r: an upper bound). Then
- `coverage(r)`: share of the Arabic sentences r explains (m_i(r) ≥ `sentence_margin`);
- `score(r)`: mean over the Arabic sentences of m_i(r) − 1 — margin and coverage in one number,
  used to rank; shared numbers break ties.
"No source": the best report explains fewer than `min_coverage` of the sentences, or fewer
than `min_sentences` of them.
Compilations: greedy set cover — after the best report, the sentences it explains are taken
away and the report explaining most of the rest is added while it explains at least
`extra_min_share` of all sentences and at least `extra_min_sentences` of them.
All thresholds are fit on the dev split of eval/match.py (see `Thresholds`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from xling.match.index import Hit


@dataclass(frozen=True)
class Thresholds:
    # Fit on the dev split by eval/match.py (eval/results/match.json records the sweep).
    k: int = 8
    sentence_margin: float = 1.02
    min_coverage: float = 0.2
    min_sentences: int = 2  # and at least this many explained (or all, if fewer)
    extra_min_share: float = 0.05
    extra_min_sentences: int = 2

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Source:
    en: str
    score: float
    coverage: float
    selected: bool = False
    shared_numbers: int = 0
    first_sentence: int = -1  # first Arabic sentence it explains (orders compiled sources)

    def to_json(self) -> dict:
        return {
            "en": self.en,
            "score": round(self.score, 4),
            "coverage": round(self.coverage, 4),
            "selected": self.selected,
            "shared_numbers": self.shared_numbers,
        }


@dataclass
class Match:
    ar: str
    sentences: int
    no_source: bool
    sources: list[Source] = field(default_factory=list)
    origin: str = ""
    reason: str | None = None  # why no source, when it is not the score

    def to_json(self) -> dict:
        record = {
            "ar": self.ar,
            "no_source": self.no_source,
            "sentences": self.sentences,
            "sources": [s.to_json() for s in self.sources],
        }
        if self.origin:
            record["file"] = self.origin
        if self.reason:
            record["reason"] = self.reason
        return record

    @property
    def selected(self) -> list[Source]:
        return [s for s in self.sources if s.selected]


def margins(hit: Hit) -> tuple[np.ndarray, np.ndarray]:
    """(per-report best margins (reports, sentences), floor per sentence)."""
    cos = hit.cosines
    n_sent = cos.shape[0]
    n_rep = len(hit.report_ids)
    valid = hit.report >= 0
    denom = np.where(valid, cos, np.nan)
    mean = np.nanmean(denom, axis=1) if cos.shape[1] else np.ones(n_sent)
    mean = np.where(np.isfinite(mean) & (mean > 0), mean, 1.0)
    ratio = cos / mean[:, None]
    floor = np.where(valid, ratio, np.inf).min(axis=1) if cos.shape[1] else np.ones(n_sent)
    floor = np.where(np.isfinite(floor), floor, 1.0)
    best = np.tile(floor, (n_rep, 1))
    for i in range(n_sent):
        for j in range(cos.shape[1]):
            r = hit.report[i, j]
            if r >= 0 and ratio[i, j] > best[r, i]:
                best[r, i] = ratio[i, j]
    return best, floor


def rank(
    ar_id: str,
    hit: Hit,
    ar_numbers: set[float],
    thresholds: Thresholds,
    top: int,
    origin: str = "",
) -> Match:
    """The ranked candidates of one article and the selected source(s)."""
    n = hit.cosines.shape[0]
    if n == 0:
        return Match(ar_id, 0, True, [], origin, "no sentences")
    if not hit.report_ids:
        return Match(ar_id, n, True, [], origin, "empty pool")
    best, _ = margins(hit)
    explained = best >= thresholds.sentence_margin
    coverage = explained.mean(axis=1)
    score = (best - 1.0).mean(axis=1)
    shared = np.array([len(ar_numbers & nums) for nums in hit.report_numbers])
    order = sorted(range(len(hit.report_ids)), key=lambda r: (-round(score[r], 3), -shared[r]))
    chosen: list[int] = []
    enough = explained[order[0]].sum() >= min(thresholds.min_sentences, n)
    if coverage[order[0]] >= thresholds.min_coverage and enough:
        chosen.append(order[0])
        left = ~explained[order[0]]
        while left.any():
            gains = (explained & left[None, :]).sum(axis=1)
            gains[chosen] = -1
            r = int(np.argmax(gains + 1e-3 * score))
            if gains[r] < max(thresholds.extra_min_sentences, thresholds.extra_min_share * n):
                break
            chosen.append(r)
            left &= ~explained[r]
    listed = chosen + [r for r in order if r not in chosen][: max(0, top - len(chosen))]
    sources = [
        Source(
            hit.report_ids[r],
            float(score[r]),
            float(coverage[r]),
            selected=r in chosen,
            shared_numbers=int(shared[r]),
            first_sentence=int(np.argmax(explained[r])) if explained[r].any() else -1,
        )
        for r in listed
    ]
    return Match(ar_id, n, not chosen, sources, origin)
