"""Dynamic programming over sentence alignment moves, banded and coarse-to-fine.

A *link* covers `a` consecutive English and `b` consecutive Arabic sentences (a move (a, b):
1-1, 2-1, 1-2, 2-2, 1-0, 0-1, ...). The DP finds the monotone sequence of links that covers
both documents and maximises the sum of link scores given by a `Scorer`.

Cells are (i, j) = "the first i English and j Arabic sentences are aligned". Small problems
run over every cell. Large ones follow Vecalign: sum adjacent sentence features to halve both
documents, align the halves recursively, project that path back and search only a band of
`width` cells around it, so time and memory grow with n·width instead of n·m.

Rows are computed one at a time with numpy over the row's band. The 0-1 move stays inside a
row; it is a running maximum (`D[j] = max(base[j], D[j-1] + skip[j])` is
`C[j] + max_{k<=j}(base[k] - C[k])` with C the prefix sum of skip scores), so it vectorises too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

MOVES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2))
WIDE_MOVES = (*MOVES, (3, 1), (1, 3))

FULL_CELLS = 250_000  # up to ~500×500 sentences: every cell, no recursion
WIDTH = 8  # band half-width around the projected coarse path, in sentences


class Scorer(Protocol):
    """Link scores for one document pair. `prepare` is called once per band before `score`."""

    n: int
    m: int

    def prepare(self, lo: np.ndarray, hi: np.ndarray) -> None: ...

    def score(self, a: int, b: int, i: int, cols: np.ndarray) -> np.ndarray:
        """Scores of links ending at (i, j) for each j in cols, covering English
        [i-a, i) and Arabic [j-b, j); a >= 1 and b >= 1."""
        ...

    def skip_en(self) -> np.ndarray:
        """(n,) score of leaving each English sentence unaligned (a 1-0 link)."""
        ...

    def skip_ar(self) -> np.ndarray:
        """(m,) score of leaving each Arabic sentence unaligned (a 0-1 link)."""
        ...

    def coarsen(self) -> Scorer:
        """The same problem with adjacent sentences summed pairwise (ceil(n/2), ceil(m/2))."""
        ...


@dataclass(frozen=True)
class Span:
    """One link of a DP path: English [en0, en1), Arabic [ar0, ar1), and its score."""

    en0: int
    en1: int
    ar0: int
    ar1: int
    score: float


def align(
    scorer: Scorer,
    moves: tuple[tuple[int, int], ...] = MOVES,
    *,
    width: int = WIDTH,
    full_cells: int = FULL_CELLS,
) -> list[Span]:
    """The best-scoring path, as links in document order."""
    n, m = scorer.n, scorer.m
    if (n + 1) * (m + 1) <= full_cells or min(n, m) < 8:
        lo = np.zeros(n + 1, dtype=np.int64)
        hi = np.full(n + 1, m, dtype=np.int64)
    else:
        coarse = align(scorer.coarsen(), moves, width=width, full_cells=full_cells)
        lo, hi = project(coarse, n, m, width)
    return _banded(scorer, moves, lo, hi)


def project(coarse: list[Span], n: int, m: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Band (lo[i], hi[i]) per row around a coarse path mapped to the full-size documents."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for span in coarse:
        r0, r1 = min(2 * span.en0, n), min(2 * span.en1, n)
        c0, c1 = min(2 * span.ar0, m), min(2 * span.ar1, m)
        lo[r0 : r1 + 1] = np.minimum(lo[r0 : r1 + 1], c0)
        hi[r0 : r1 + 1] = np.maximum(hi[r0 : r1 + 1], c1)
    lo[0], hi[n] = 0, m
    # Widen along both axes: rows near a row share its band, then add `width` columns.
    wide_lo = lo.copy()
    wide_hi = hi.copy()
    for i in range(n + 1):
        window = slice(max(0, i - width), i + width + 1)
        wide_lo[i] = max(0, lo[window].min() - width)
        wide_hi[i] = min(m, hi[window].max() + width)
    wide_lo[0] = 0
    wide_hi[n] = m
    return wide_lo, wide_hi


def _banded(
    scorer: Scorer, moves: tuple[tuple[int, int], ...], lo: np.ndarray, hi: np.ndarray
) -> list[Span]:
    n, m = scorer.n, scorer.m
    scorer.prepare(lo, hi)
    skip_en = scorer.skip_en()
    skip_ar = scorer.skip_ar()
    cum_ar = np.concatenate(([0.0], np.cumsum(skip_ar)))  # cum_ar[j]: skipping Arabic [0, j)
    left = moves.index((0, 1))
    rows: list[np.ndarray] = []
    back: list[np.ndarray] = []
    for i in range(n + 1):
        cols = np.arange(lo[i], hi[i] + 1)
        base = np.full(len(cols), -np.inf)
        arg = np.full(len(cols), -1, dtype=np.int8)
        if i == 0:
            base[cols == 0] = 0.0
        for k, (a, b) in enumerate(moves):
            if a == 0 or a > i:
                continue
            prev = rows[i - a]
            src = cols - b - lo[i - a]
            ok = np.nonzero((src >= 0) & (src < len(prev)))[0]
            if not len(ok):
                continue
            cand = prev[src[ok]]
            if b == 0:
                cand = cand + skip_en[i - 1]
            else:
                cand = cand + scorer.score(a, b, i, cols[ok])
            better = cand > base[ok]
            base[ok[better]] = cand[better]
            arg[ok[better]] = k
        c = cum_ar[cols]
        best = np.maximum.accumulate(base - c) + c
        from_left = best > base + 1e-9 * (1.0 + np.abs(best))
        from_left &= np.isfinite(best)
        best[~from_left] = base[~from_left]
        arg[from_left] = left
        rows.append(best)
        back.append(arg)
    return _trace(rows, back, lo, moves, n, m)


def _trace(rows, back, lo, moves, n: int, m: int) -> list[Span]:
    if not np.isfinite(rows[n][m - lo[n]]):
        raise RuntimeError("no alignment path inside the band")  # a bug, not bad input
    spans: list[Span] = []
    i, j = n, m
    while i > 0 or j > 0:
        a, b = moves[back[i][j - lo[i]]]
        score = rows[i][j - lo[i]] - rows[i - a][j - b - lo[i - a]]
        spans.append(Span(i - a, i, j - b, j, float(score)))
        i, j = i - a, j - b
    spans.reverse()
    return spans
