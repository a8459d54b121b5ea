"""Order-free sentence alignment: a DP that walks the Arabic in order and may jump in the English.

The monotone DP (xling.align.dp) walks both documents forward. A rewritten article moves
paragraphs, so here only the Arabic is walked in order; the English position may jump back.
State (i, j): the first j Arabic sentences are placed and the last link ended at English
sentence i. A link (a, b) ending at (i, j) may follow any state (i', j − b): for i' <= i − a
(forward, as in the monotone DP) at no extra cost, for i' > i − a (backwards: a moved block
starts) at a cost `jump`. With `jump` = ∞ this is the monotone DP over the full grid.

Scores are the monotone DP's (a `Scorer`). English sentences start unaligned (each costs its
1-0 score) and a link refunds the 1-0 scores of the sentences it covers, so skipping English
forward costs what a run of 1-0 links costs in the monotone DP, wherever the skip happens.

A backward jump may land on English sentences already linked (an inserted headline that
repeats the lead): `resolve` keeps each English sentence in its best link only.

Links may not cross `breaks` (first sentence ids of the second, third, ... English report).
Time and memory grow with n·m (every English position is a candidate for every Arabic
sentence), against the banded monotone DP's n·width.
"""

from __future__ import annotations

import numpy as np

from xling.align.dp import Scorer, Span

FREE_MOVES: tuple[tuple[int, int], ...] = ((1, 1), (2, 1), (1, 2), (2, 2))
JUMP = 1.0  # cost of starting a moved block (tuned on the dev split, eval/align_reorder.py)


def score_tables(
    scorer: Scorer, moves: tuple[tuple[int, int], ...], breaks: list[int]
) -> dict[tuple[int, int], np.ndarray]:
    """tables[(a, b)][j, i]: score of the link English [i−a, i) × Arabic [j−b, j), or −∞
    where it does not exist or crosses a report boundary. Stored by Arabic row (the DP's
    walk) in float32."""
    n, m = scorer.n, scorer.m
    scorer.prepare(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64))
    starts = np.zeros(n + 1, dtype=np.int64)  # report start of each English position
    for b in breaks:
        starts[b + 1 :] = b
    tables = {}
    for a, b in moves:
        table = np.full((m + 1, n + 1), -np.inf, dtype=np.float32)
        cols = np.arange(b, m + 1)
        for i in range(a, n + 1):
            if i - a < starts[i]:
                continue  # would join the end of one report with the start of the next
            table[b:, i] = scorer.score(a, b, i, cols)
        tables[(a, b)] = table
    return tables


def align_free(
    scorer: Scorer,
    *,
    jump: float = JUMP,
    moves: tuple[tuple[int, int], ...] = FREE_MOVES,
    breaks: list[int] | None = None,
) -> list[Span]:
    """The best links, each English sentence in at most one of them, in Arabic order;
    English sentences left out have no span (the caller adds 1-0 links)."""
    n, m = scorer.n, scorer.m
    tables = score_tables(scorer, moves, breaks or [])
    skip_en = np.asarray(scorer.skip_en(), dtype=np.float64)
    cum_en = np.concatenate(([0.0], np.cumsum(skip_en)))
    skip_ar = np.asarray(scorer.skip_ar(), dtype=np.float64)
    # Gain of a link over leaving its English sentences unaligned: score − their 1-0 scores.
    refund = {a: -(cum_en[a:] - cum_en[:-a]) for a in {a for a, _ in moves}}
    positions = np.arange(n + 1)
    span_b = max(b for _, b in moves)
    choice = np.full((m + 1, n + 1), -1, dtype=np.int8)  # -1: 0-1 link; k: moves[k]
    source = np.zeros((m + 1, n + 1), dtype=np.int32)
    # For the last `span_b` columns: best earlier state at or before each English position
    # (forward) and strictly after it (backward), with where it is.
    runs: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}

    def add_runs(c: int, row: np.ndarray) -> None:
        fv = np.maximum.accumulate(row)
        fa = np.maximum.accumulate(np.where(row >= fv, positions, 0))
        rev = row[::-1]
        bv_rev = np.maximum.accumulate(rev)
        ba_rev = np.maximum.accumulate(np.where(rev >= bv_rev, positions, 0))
        bv = np.concatenate((bv_rev[::-1][1:], [-np.inf]))
        ba = np.concatenate(((n - ba_rev[::-1])[1:], [0]))
        runs[c] = (fv, fa, bv, ba)
        runs.pop(c - span_b - 1, None)

    row = np.full(n + 1, -np.inf)
    row[0] = 0.0
    add_runs(0, row)
    for j in range(1, m + 1):
        row = row + skip_ar[j - 1]
        arg = np.full(n + 1, -1, dtype=np.int8)
        src = positions.astype(np.int32)
        for k, (a, b) in enumerate(moves):
            if b > j:
                continue
            fv, fa, bv, ba = runs[j - b]
            fv, fa = fv[: n + 1 - a], fa[: n + 1 - a]
            bv, ba = bv[: n + 1 - a] - jump, ba[: n + 1 - a]
            forward = fv >= bv
            cand = np.where(forward, fv, bv) + tables[(a, b)][j, a:] + refund[a]
            better = cand > row[a:]
            row[a:][better] = cand[better]
            arg[a:][better] = k
            src[a:][better] = np.where(forward, fa, ba)[better]
        choice[j] = arg
        source[j] = src
        add_runs(j, row)
    spans: list[Span] = []
    i, j = int(np.argmax(row)), m
    while j > 0:
        k = int(choice[j, i])
        if k < 0:
            spans.append(Span(i, i, j - 1, j, float(skip_ar[j - 1])))
            j -= 1
            continue
        a, b = moves[k]
        spans.append(Span(i - a, i, j - b, j, float(tables[(a, b)][j, i])))
        i, j = int(source[j, i]), j - b
    spans.reverse()
    return resolve(spans)


def resolve(spans: list[Span]) -> list[Span]:
    """Each English sentence in its best-scoring span only: losing spans lose the sentence,
    and a span left without English becomes Arabic additions."""
    owner: dict[int, int] = {}
    for k, s in enumerate(spans):
        for i in range(s.en0, s.en1):
            if i not in owner or spans[owner[i]].score < s.score:
                owner[i] = k
    out: list[Span] = []
    for k, s in enumerate(spans):
        kept = [i for i in range(s.en0, s.en1) if owner.get(i) == k]
        if s.en1 > s.en0 and not kept:
            out.extend(Span(s.en0, s.en0, j, j + 1, 0.0) for j in range(s.ar0, s.ar1))
        elif len(kept) < s.en1 - s.en0:
            out.append(Span(kept[0], kept[-1] + 1, s.ar0, s.ar1, s.score))
        else:
            out.append(s)
    return out
