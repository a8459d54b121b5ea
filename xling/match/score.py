"""Ranking an Arabic article's candidate source reports from its sentences' nearest neighbours.

Raw e5 cosines are compressed (a translation pair ≈ 0.89, an unrelated pair ≈ 0.81), and the
level differs from sentence to sentence. So each neighbour's cosine is divided by the mean
cosine of the Arabic sentence's k nearest neighbours (the forward half of the ratio margin used
for bitext mining, Artetxe & Schwenk 2019): a sentence whose translation is in the pool stands
out of its neighbourhood (margin well above 1), a sentence without one does not (≈ 1).

Per report r and Arabic sentence i, m_i(r) is the best margin of i to a sentence of r (the k-th
neighbour's margin when none of i's neighbours is in r: an upper bound). r explains i when
m_i(r) ≥ `sentence_margin`, or when i lies in an in-order run for r (`in_order_runs`): at least
`run_length` consecutive Arabic sentences whose best matches in r all reach `run_margin`, follow
each other in r (1 to `run_max_gap` sentences on), one of them at least at `sentence_margin`.
Compiled and rewritten articles copy blocks of their sources in order, so a source contributing
two or three sentences of chance-level margin (1.00–1.02) still shows as a run; chance matches
scatter over reports and positions. Then
- `coverage(r)`: share of the Arabic sentences r explains;
- `score(r)`: mean over the Arabic sentences of m_i(r) − 1 — margin and coverage in one number,
  used to rank; shared numbers break ties.
"No source": the best report explains fewer than `min_coverage` of the sentences, or fewer
than `min_sentences` of them.
Compilations: greedy set cover — after the best report, the sentences it explains are taken
away and the report explaining most of the rest is added while it explains at least
`extra_min_share` of all sentences and at least `extra_min_sentences` of them; a sentence counts
for a candidate only where no chosen source matches it better (so a neighbouring chunk of the
same story does not come in on sentences the chosen source already matches).
All thresholds are fit on the dev split of eval/match.py (see `Thresholds`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from xling.match.index import Hit

# Small pools: the k nearest sentences of a 30-report pool reach far into unrelated reports, so
# the neighbourhood mean falls and chance matches get margins that pass for sources. A pool of
# fewer than SENTENCES_PER_NEIGHBOUR × k sentences is searched with fewer neighbours (no fewer
# than MIN_NEIGHBOURS); chosen on dev pools of 12 to 1,000 reports (eval/match_small_pools.py).
SENTENCES_PER_NEIGHBOUR = 250
MIN_NEIGHBOURS = 4


def neighbours(k: int, pool_sentences: int, per_neighbour: int = SENTENCES_PER_NEIGHBOUR) -> int:
    """The neighbours to search for in a pool of `pool_sentences` sentences (k at most)."""
    if per_neighbour <= 0:
        return k
    return max(min(k, MIN_NEIGHBOURS), min(k, pool_sentences // per_neighbour))


@dataclass(frozen=True)
class Thresholds:
    # Fit on the dev split by eval/match.py (eval/results/match.json records the sweep).
    k: int = 16
    sentence_margin: float = 1.025
    min_coverage: float = 0.2
    min_sentences: int = 2  # and at least this many explained (or all, if fewer)
    extra_min_share: float = 0.1
    extra_min_sentences: int = 2
    # In-order runs (`in_order_runs`): length 0 turns them off.
    run_margin: float = 1.0
    run_length: int = 2
    run_max_gap: int = 2

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


def margins(hit: Hit) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(per-report best margins (reports, sentences), floor per sentence, and the report
    sentence giving each best margin (reports, sentences), -1 where none of the sentence's
    neighbours is in the report)."""
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
    where = np.full((n_rep, n_sent), -1, dtype=np.int64)
    rows = np.arange(n_sent)
    for j in range(cos.shape[1]):  # vectorised over sentences: (report, sentence) pairs unique
        r = hit.report[:, j]
        ok = r >= 0
        rr, ii = r[ok], rows[ok]
        better = (where[rr, ii] < 0) | (ratio[ok, j] > best[rr, ii])
        rr, ii = rr[better], ii[better]
        best[rr, ii] = np.maximum(ratio[ok, j][better], best[rr, ii])
        where[rr, ii] = hit.sentence[ok, j][better]
    return best, floor, where


def in_order_runs(
    best: np.ndarray,
    where: np.ndarray,
    margin: float,
    length: int,
    max_gap: int,
    anchor: float,
) -> np.ndarray:
    """(reports, sentences): the Arabic sentences that lie in a run for the report — at least
    `length` consecutive sentences whose best matches in it all reach `margin`, each 1 to
    `max_gap` report sentences after the previous one's, and one of them reaches `anchor`.

    A compiled article copies blocks of its sources in order, so a source's sentences come in
    such runs even where each margin alone is at chance level; chance matches scatter. The
    anchor keeps two weak matches that merely happen to be in order from making a source."""
    n_rep, n = best.shape
    out = np.zeros((n_rep, n), dtype=bool)
    if length < 2 or n < length:
        return out
    ok = (where >= 0) & (best >= margin)
    step = where[:, 1:] - where[:, :-1]
    link = ok[:, :-1] & ok[:, 1:] & (step >= 1) & (step <= max_gap)
    for r in np.flatnonzero(link.any(axis=1)):
        start = None
        for i in range(n):  # link[r, i] joins sentences i and i + 1
            linked = i < n - 1 and link[r, i]
            if linked and start is None:
                start = i
            if not linked and start is not None:
                if i - start + 1 >= length and best[r, start : i + 1].max() >= anchor:
                    out[r, start : i + 1] = True
                start = None
    return out


def rank(
    ar_id: str,
    hit: Hit,
    ar_numbers: set[float],
    thresholds: Thresholds,
    top: int,
    origin: str = "",
    *,
    pre: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> Match:
    """The ranked candidates of one article and the selected source(s); `pre`: `margins(hit)`
    when already computed (a threshold sweep scores one hit many times)."""
    n = hit.cosines.shape[0]
    if n == 0:
        return Match(ar_id, 0, True, [], origin, "no sentences")
    if not hit.report_ids:
        return Match(ar_id, n, True, [], origin, "empty pool")
    best, _, where = pre if pre is not None else margins(hit)
    explained = best >= thresholds.sentence_margin
    runs = in_order_runs(
        best,
        where,
        thresholds.run_margin,
        thresholds.run_length,
        thresholds.run_max_gap,
        thresholds.sentence_margin,
    )
    covered = explained | runs
    coverage = covered.mean(axis=1)
    score = (best - 1.0).mean(axis=1)
    shared = np.array([len(ar_numbers & nums) for nums in hit.report_numbers])
    order = np.lexsort((-shared, -np.round(score, 3))).tolist()  # stable: ties keep index order
    chosen: list[int] = []
    enough = covered[order[0]].sum() >= min(thresholds.min_sentences, n)
    if coverage[order[0]] >= thresholds.min_coverage and enough:
        chosen.append(order[0])
        left = ~covered[order[0]]
        while left.any():
            # a sentence counts for a candidate only where no chosen source matches it better
            beats = best > best[chosen].max(axis=0)[None, :]
            gains = (covered & left[None, :] & beats).sum(axis=1)
            gains[chosen] = -1
            r = int(np.argmax(gains + 1e-3 * score))
            if gains[r] < max(thresholds.extra_min_sentences, thresholds.extra_min_share * n):
                break
            chosen.append(r)
            left &= ~covered[r]
    listed = chosen + [r for r in order if r not in chosen][: max(0, top - len(chosen))]
    sources = [
        Source(
            hit.report_ids[r],
            float(score[r]),
            float(coverage[r]),
            selected=r in chosen,
            shared_numbers=int(shared[r]),
            first_sentence=int(np.argmax(covered[r])) if covered[r].any() else -1,
        )
        for r in listed
    ]
    return Match(ar_id, n, not chosen, sources, origin)
