"""Order-free sentence alignment: a DP that walks the Arabic in order and may jump in the English.

The monotone DP (xling.align.dp) walks both documents forward. A rewritten article moves
paragraphs, so here only the Arabic is walked in order; the English position may jump back.
State (i, j): the first j Arabic sentences are placed and the last link ended at English
sentence i. A link (a, b) starting at English k may follow any state (i', j − b): in the same
report, for i' <= k (forward, as in the monotone DP) at no extra cost, for i' > k (backwards:
a moved block starts) at a cost `jump`; from another report (a compiled article) at a cost
`switch`; from the start (nothing linked yet) for free. With one report and `jump` = ∞ this
is the monotone DP over the full grid.

Scores are the monotone DP's (a `Scorer`). English sentences start unaligned (each costs its
1-0 score) and a link refunds the 1-0 scores of the sentences it covers, so skipping English
forward costs what a run of 1-0 links costs in the monotone DP, wherever the skip happens.

A backward jump may land on English sentences already linked (an inserted headline that
repeats the lead): `resolve` keeps each English sentence in its best link only.

Links may not cross `breaks` (first sentence ids of the second, third, ... English report).
Time and memory grow with n·m (every English position is a candidate for every Arabic
sentence), against the banded monotone DP's n·width. For long articles, `align_leftovers`
runs this DP only over the sentences a monotone pass left unaligned.
"""

from __future__ import annotations

import numpy as np

from xling.align.dp import Scorer, Span

FREE_MOVES: tuple[tuple[int, int], ...] = ((1, 1), (2, 1), (1, 2), (2, 2))
JUMP = 0.25  # cost of going back in a report: a moved block (tuned on the dev split,
SWITCH = 0.25  # and of going to another report (eval/align_reorder.py --tune)


def run_starts(length: int, cuts: list[int]) -> np.ndarray:
    """starts[k]: the first sentence of the run that holds sentence k − 1 (runs begin at 0
    and at each cut), for k = 1..length; a link ending at k may not start before it."""
    starts = np.zeros(length + 1, dtype=np.int64)
    for c in sorted(cuts):
        if 0 < c <= length:
            starts[c + 1 :] = c
    return starts


def score_tables(
    scorer: Scorer,
    moves: tuple[tuple[int, int], ...],
    breaks: list[int],
    en_cuts: list[int] = (),
    ar_cuts: list[int] = (),
) -> dict[tuple[int, int], np.ndarray]:
    """tables[(a, b)][j, i]: score of the link English [i−a, i) × Arabic [j−b, j), or −∞
    where it does not exist or crosses a report boundary or a cut (`en_cuts`, `ar_cuts`:
    first sentences of runs that are not adjacent in the document, see align_leftovers).
    Stored by Arabic row (the DP's walk) in float32."""
    n, m = scorer.n, scorer.m
    scorer.prepare(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64))
    starts = run_starts(n, [*breaks, *en_cuts])  # no link across a report or a cut
    ar_starts = run_starts(m, list(ar_cuts))
    cum_en = np.concatenate(([0.0], np.cumsum(scorer.skip_en())))
    cum_ar = np.concatenate(([0.0], np.cumsum(scorer.skip_ar())))
    tables = {}
    for a, b in moves:
        table = np.full((m + 1, n + 1), -np.inf, dtype=np.float32)
        cols = np.arange(b, m + 1)
        skip_ar = cum_ar[cols] - cum_ar[cols - b]
        joins = cols - b < ar_starts[cols]  # would join Arabic sentences that are apart
        for i in range(a, n + 1):
            if i - a < starts[i]:
                continue  # would join the end of one report with the start of the next
            score = scorer.score(a, b, i, cols)
            # Without the order to hold them apart, a link must beat leaving its sentences
            # unaligned, or any sentence would pair with any other left over.
            worth = (score > skip_ar + (cum_en[i] - cum_en[i - a])) & ~joins
            table[b:, i] = np.where(worth, score, -np.inf)
        tables[(a, b)] = table
    return tables


def align_free(
    scorer: Scorer,
    *,
    jump: float = JUMP,
    switch: float = SWITCH,
    moves: tuple[tuple[int, int], ...] = FREE_MOVES,
    breaks: list[int] | None = None,
    en_cuts: list[int] = (),
    ar_cuts: list[int] = (),
) -> list[Span]:
    """The best links, each English sentence in at most one of them, in Arabic order;
    English sentences left out have no span (the caller adds 1-0 links). No link joins
    sentences across a report boundary (`breaks`) or a cut (`en_cuts`, `ar_cuts`)."""
    n = scorer.n
    bounds = [0, *(breaks or []), n]
    tables = score_tables(scorer, moves, bounds[1:-1], en_cuts, ar_cuts)
    spans = _walk(scorer, tables, moves, bounds, jump, switch)
    # The walk does not remember which English sentences it used: a backward jump may reuse
    # one (and build its links around it). Walk again with each English sentence reserved
    # for the best link that took it (others pay REUSE), then keep each in one link.
    owners = resolve(spans)
    if sum(s.en1 - s.en0 for s in spans) > sum(s.en1 - s.en0 for s in owners):
        _reserve(tables, owners)
        spans = resolve(_walk(scorer, tables, moves, bounds, jump, switch))
    return repair(scorer, spans, moves, [*bounds, *en_cuts], list(ar_cuts))


REUSE = 5.0  # cost, in the second walk, of a link using an English sentence reserved elsewhere


def _reserve(tables: dict[tuple[int, int], np.ndarray], owners: list[Span]) -> None:
    """Make links that use an English sentence of a span in `owners` cost REUSE more, unless
    they overlap that span's Arabic sentences."""
    for span in owners:
        for i in range(span.en0, span.en1):
            for (a, b), table in tables.items():
                # Links covering English i end at i+1..i+a; they overlap Arabic [ar0, ar1)
                # when they end at j in ar0+1 .. ar1+b-1.
                keep = np.zeros(table.shape[0], dtype=bool)
                keep[span.ar0 + 1 : span.ar1 + b] = True
                table[~keep, i + 1 : i + a + 1] -= REUSE


def _walk(scorer, tables, moves, bounds: list[int], jump: float, switch: float) -> list[Span]:
    """One pass of the DP over the score tables: spans in Arabic order, possibly reusing
    English sentences."""
    n, m = scorer.n, scorer.m
    segments = [(s, e) for s, e in zip(bounds, bounds[1:], strict=False) if e > s]
    skip_en = np.asarray(scorer.skip_en(), dtype=np.float64)
    cum_en = np.concatenate(([0.0], np.cumsum(skip_en)))
    skip_ar = np.asarray(scorer.skip_ar(), dtype=np.float64)
    # Gain of a link over leaving its English sentences unaligned: score − their 1-0 scores.
    refund = {a: -(cum_en[a:] - cum_en[:-a]) for a in {a for a, _ in moves}}
    span_b = max(b for _, b in moves)
    choice = np.full((m + 1, n + 1), -1, dtype=np.int8)  # -1: 0-1 link; k: moves[k]
    source = np.zeros((m + 1, n + 1), dtype=np.int32)
    # prev[c] = (value, state) of the best state of column c to start a link at English k.
    prev: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def best_before(c: int, row: np.ndarray) -> None:
        value = np.full(n, -np.inf)
        where = np.zeros(n, dtype=np.int64)
        for s, e in segments:
            # States s+1..e ended inside this report; state 0 (nothing linked yet) is free.
            seg, idx = row[s + 1 : e + 1], np.arange(s + 1, e + 1)
            fv = np.maximum.accumulate(seg)
            fa = np.maximum.accumulate(np.where(seg >= fv, idx, 0))
            fv, fa = np.concatenate(([-np.inf], fv[:-1])), np.concatenate(([0], fa[:-1]))
            rev = seg[::-1]
            bv = np.maximum.accumulate(rev)
            ba = np.maximum.accumulate(np.where(rev >= bv, np.arange(len(rev)), 0))
            bv, ba = bv[::-1], (e - ba)[::-1]
            outside = np.concatenate((row[1 : s + 1], row[e + 1 :]))
            if len(outside):
                o = int(np.argmax(outside))
                ov, oa = float(outside[o]), (o + 1 if o < s else o + 1 + (e - s))
            else:
                ov, oa = -np.inf, 0
            # In order of preference on ties: forward, fresh start, back in the report
            # (a moved block), from another report.
            options = np.stack((fv, np.full(e - s, row[0]), bv - jump, np.full(e - s, ov - switch)))
            pick = np.argmax(options, axis=0)
            value[s:e] = options[pick, np.arange(e - s)]
            where[s:e] = np.choose(
                pick, (fa, np.zeros(e - s, dtype=np.int64), ba, np.full(e - s, oa))
            )
        prev[c] = (value, where)
        prev.pop(c - span_b - 1, None)

    row = np.full(n + 1, -np.inf)
    row[0] = 0.0
    best_before(0, row)
    for j in range(1, m + 1):
        row = row + skip_ar[j - 1]
        arg = np.full(n + 1, -1, dtype=np.int8)
        src = np.arange(n + 1, dtype=np.int32)
        for k, (a, b) in enumerate(moves):
            if b > j:
                continue
            value, where = prev[j - b]
            cand = value[: n + 1 - a] + tables[(a, b)][j, a:] + refund[a]
            better = cand > row[a:]
            row[a:][better] = cand[better]
            arg[a:][better] = k
            src[a:][better] = where[: n + 1 - a][better]
        choice[j] = arg
        source[j] = src
        best_before(j, row)
    spans: list[Span] = []
    i, j = int(np.argmax(row)), m
    while j > 0:
        k = int(choice[j, i])
        if k < 0:
            spans.append(Span(i, i, j - 1, j, float(skip_ar[j - 1])))
            j -= 1
            continue
        a, b = moves[k]
        spans.append(Span(i - a, i, j - b, j, _quality(scorer, a, b, i, j, tables)))
        i, j = int(source[j, i]), j - b
    spans.reverse()
    return spans


def _quality(scorer, a: int, b: int, i: int, j: int, tables) -> float:
    """How good a link is, comparable across link types: the scorer's similarity (1 −
    distance) when it has one, else the raw link score."""
    if hasattr(scorer, "similarity"):
        return float(scorer.similarity(a, b, i, np.array([j]))[0])
    return float(tables[(a, b)][j, i])


def resolve(spans: list[Span]) -> list[Span]:
    """Each English sentence in its best span only (by `Span.score`, a similarity): losing
    spans lose the sentence, and a span left without English becomes Arabic additions."""
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


def repair(
    scorer: Scorer,
    spans: list[Span],
    moves: tuple[tuple[int, int], ...],
    bounds: list[int],
    ar_cuts: list[int] = (),
) -> list[Span]:
    """Give each sentence left unaligned to a neighbouring link when the merged link scores
    better than the link and a 1-0 (or 0-1) apart. Needed after `resolve`: a link that lost
    an English sentence to a better one may have chosen its shape around it. A link only
    grows within its run: `bounds` (English) and `ar_cuts` (Arabic) start runs."""
    skip_en, skip_ar = scorer.skip_en(), scorer.skip_ar()
    reports = np.searchsorted(np.asarray(sorted(bounds)), np.arange(scorer.n), side="right")
    ar_runs = np.searchsorted(
        np.asarray(sorted(ar_cuts), dtype=np.int64), np.arange(scorer.m), side="right"
    )

    def link_score(en0: int, en1: int, ar0: int, ar1: int) -> float:
        return float(scorer.score(en1 - en0, ar1 - ar0, en1, np.array([ar1]))[0])

    used = {i for s in spans for i in range(s.en0, s.en1)}
    k = 0
    while k < len(spans):
        s = spans[k]
        if s.en1 == s.en0:
            k += 1
            continue
        a, b = s.en1 - s.en0, s.ar1 - s.ar0
        base = link_score(s.en0, s.en1, s.ar0, s.ar1)
        options = []
        for i, en0, en1 in ((s.en0 - 1, s.en0 - 1, s.en1), (s.en1, s.en0, s.en1 + 1)):
            if 0 <= i < scorer.n and i not in used and (a + 1, b) in moves:
                if reports[i] == reports[s.en0]:
                    gain = link_score(en0, en1, s.ar0, s.ar1) - base - skip_en[i]
                    options.append((gain, Span(en0, en1, s.ar0, s.ar1, s.score), None, i))
        for pos in (k - 1, k + 1):
            if 0 <= pos < len(spans) and spans[pos].en1 == spans[pos].en0:
                j = spans[pos].ar0
                if (a, b + 1) in moves and j in (s.ar0 - 1, s.ar1) and ar_runs[j] == ar_runs[s.ar0]:
                    ar0, ar1 = min(j, s.ar0), max(j + 1, s.ar1)
                    gain = link_score(s.en0, s.en1, ar0, ar1) - base - skip_ar[j]
                    options.append((gain, Span(s.en0, s.en1, ar0, ar1, s.score), pos, None))
        best = max(options, key=lambda o: o[0]) if options else None
        if best is None or best[0] <= 0:
            k += 1
            continue
        # Take the sentence and look at the grown link again (it may take one more).
        _, spans[k], drop, taken = best
        if taken is not None:
            used.add(taken)
        if drop is not None:
            del spans[drop]
            if drop < k:
                k -= 1
    return spans


LEFTOVER_MIN = 0.5  # similarity a link of the leftover pass needs (eval/align_reorder.py)
LEFTOVER_RUN_MIN = 0.4  # ... or this, when it continues or is continued by another link


def align_leftovers(
    scorer,
    spans: list[Span],
    *,
    report_of: list[int],
    jump: float = JUMP,
    switch: float = SWITCH,
    moves: tuple[tuple[int, int], ...] = FREE_MOVES,
    ratio: float | None = None,
    min_similarity: float | None = None,
) -> tuple[list[Span], list[Span]]:
    """The order-free pass of a long article, after the monotone DP: the sentences that
    `spans` (a full monotone path) left unaligned — a moved block leaves its Arabic and its
    English there — aligned order-free among themselves, on a scorer of those sentences
    only (`scorer.subset`, the whole documents' normalisation; `ratio`: the length ratio
    to use there). Runs of leftovers that are not adjacent in the document are cut apart,
    so no link joins them. Costs the monotone DP plus a free DP over leftovers × leftovers.
    Without the order, a long article's leftovers (true omissions and additions) offer
    many loosely similar pairs: a link must reach `min_similarity` (default LEFTOVER_MIN),
    or LEFTOVER_RUN_MIN when the next or previous link on both sides is one too (a block).

    Returns (the spans with an Arabic side in Arabic order, the monotone ones less the 0-1
    spans of Arabic sentences now linked; the new links, in original ids, with the subset
    scorer's similarity as score); English sentences without a span are omissions."""
    left_en = [i for s in spans if s.ar1 == s.ar0 for i in range(s.en0, s.en1)]
    left_ar = [j for s in spans if s.en1 == s.en0 for j in range(s.ar0, s.ar1)]
    kept = [s for s in spans if s.ar1 > s.ar0]
    if not left_en or not left_ar or not hasattr(scorer, "subset"):
        return kept, []
    sub = scorer.subset(left_en, left_ar)
    if ratio is not None:
        sub.ratio = ratio
    breaks = [
        p for p in range(1, len(left_en)) if report_of[left_en[p]] != report_of[left_en[p - 1]]
    ]
    en_cuts = [p for p in range(1, len(left_en)) if left_en[p] != left_en[p - 1] + 1]
    ar_cuts = [q for q in range(1, len(left_ar)) if left_ar[q] != left_ar[q - 1] + 1]
    found = align_free(
        sub,
        jump=jump,
        switch=switch,
        moves=moves,
        breaks=breaks,
        en_cuts=[p for p in en_cuts if p not in breaks],
        ar_cuts=ar_cuts,
    )
    low = LEFTOVER_MIN if min_similarity is None else min_similarity
    candidates = [
        Span(
            left_en[s.en0], left_en[s.en1 - 1] + 1, left_ar[s.ar0], left_ar[s.ar1 - 1] + 1, s.score
        )
        for s in found
        if s.en1 > s.en0 and s.ar1 > s.ar0 and s.score >= min(low, LEFTOVER_RUN_MIN)
    ]
    # A moved block comes back as a run of links that continue each other on both sides;
    # unrelated leftovers pair up one by one. A link in such a run needs less similarity.
    ends = {(s.en1, s.ar1) for s in candidates}
    starts = {(s.en0, s.ar0) for s in candidates}
    new = [
        s
        for s in candidates
        if s.score >= low
        or (s.score >= LEFTOVER_RUN_MIN and ((s.en0, s.ar0) in ends or (s.en1, s.ar1) in starts))
    ]
    linked = {j for s in new for j in range(s.ar0, s.ar1)}
    kept = [s for s in kept if s.en1 > s.en0 or s.ar0 not in linked]
    return sorted(kept + new, key=lambda s: s.ar0), new


def _nearest_inside(link: Span, best_ar: np.ndarray, best_en: np.ndarray) -> bool:
    """Every sentence of the link has its nearest sentence of the other side (by margin
    over the whole documents) inside the link: a loose translation still does, a dropped
    paragraph and an unrelated one inserted in its place do not."""
    return all(link.ar0 <= best_ar[i] < link.ar1 for i in range(link.en0, link.en1)) and all(
        link.en0 <= best_en[j] < link.en1 for j in range(link.ar0, link.ar1)
    )


def repair_gaps(
    scorer,
    spans: list[Span],
    *,
    ratio: float,
    report_of: list[int],
    moves=None,
    merges: bool = True,
    nearest: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[list[Span], int]:
    """In-order gaps left on both sides, aligned again by the monotone DP at `ratio`.

    The order-free DP takes its length ratio from the anchors (added and dropped paragraphs
    bias the document's own); a loosely translated pair whose lengths fit the document's
    ratio but not the anchors' can then score under two skips and stay unaligned (a 1-0
    and a 0-1 where an in-order aligner links them). Here every gap between two links that
    follow each other on both sides (consecutive in Arabic order, in order in one report's
    English, nothing of that report's English between them linked elsewhere), where an
    English and an Arabic run are both left unaligned, is aligned by the monotone DP over
    those sentences only (`scorer.subset`, the whole documents' normalisation) with the
    length ratio `ratio` (the document's); its links replace the skips there. With
    `merges`, a merge (2-1, 1-2, 2-2) next to a gap left unaligned on one side joins the
    gap (a 2-1 taken where two 1-1 were due), and the DP's links replace the ones there
    when they score better at `ratio` and leave nothing there unaligned (at the document's
    ratio, which added paragraphs bias, the DP would also cut true merges in two). With
    `nearest` (per English sentence its nearest Arabic one, per Arabic sentence its nearest
    English one), a new link is kept only when each of its sentences has its nearest inside
    it: the DP at the document's ratio also links a dropped paragraph with an unrelated one
    inserted in its place (eval/audit_reorder.py's "replaced"), which are not each other's
    nearest. Returns the spans (Arabic order, omissions without a span as `align_free`
    gives them) and how many links it made.

    Measured on the dev halves of four corpora (eval/align_reorder.py --before and
    eval/RESULTS.md): in-order documents reach the monotone DP's strict F1 on TICO-19,
    UNPC and FLORES-200."""
    from xling.align import dp

    moves = moves or dp.MOVES
    if not hasattr(scorer, "subset"):
        return spans, 0
    n, m = scorer.n, scorer.m
    full = sorted((s for s in spans if s.en1 > s.en0 and s.ar1 > s.ar0), key=lambda s: s.ar0)
    en_used = {i for s in full for i in range(s.en0, s.en1)}
    regions: list[tuple[int, int, int, int, list[Span]]] = []
    bounds = [None, *full, None]
    for left, right in zip(bounds, bounds[1:], strict=False):
        ar0 = left.ar1 if left else 0
        ar1 = right.ar0 if right else m
        if left and right:
            if report_of[left.en0] != report_of[right.en0] or left.en1 > right.en0:
                continue
            en0, en1 = left.en1, right.en0
        elif right:  # before the first link: back to the start of its report
            en1 = en0 = right.en0
            while en0 > 0 and report_of[en0 - 1] == report_of[en1] and en0 - 1 not in en_used:
                en0 -= 1
        elif left:  # after the last link: on to the end of its report
            en0 = en1 = left.en1
            while en1 < n and report_of[en1] == report_of[en0 - 1] and en1 not in en_used:
                en1 += 1
        else:
            continue
        if any(i in en_used for i in range(en0, en1)) or (en1 <= en0 and ar1 <= ar0):
            continue
        if en1 > en0 and ar1 > ar0:
            regions.append((en0, en1, ar0, ar1, []))
            continue
        if not merges:
            continue
        members = [x for x in (left, right) if x and x.en1 - x.en0 + x.ar1 - x.ar0 > 2]
        if not members:
            continue
        en0 = min([en0, *(x.en0 for x in members)])
        en1 = max([en1, *(x.en1 for x in members)])
        ar0 = min([ar0, *(x.ar0 for x in members)])
        ar1 = max([ar1, *(x.ar1 for x in members)])
        regions.append((en0, en1, ar0, ar1, members))
    made = 0
    new: list[Span] = []
    dropped: set[Span] = set()
    linked_ar: set[int] = set()
    taken_ar: set[int] = set()
    for en0, en1, ar0, ar1, members in regions:
        if any(j in taken_ar for j in range(ar0, ar1)):
            continue  # two regions share a merge: the first one has it
        sub = scorer.subset(list(range(en0, en1)), list(range(ar0, ar1)))
        sub.ratio = ratio
        path = dp.align(sub, moves)
        links = [x for x in path if x.en1 > x.en0 and x.ar1 > x.ar0]
        if members:
            # Adopt only a better path at `ratio` than the links there now.
            sub.prepare(
                np.zeros(sub.n + 1, dtype=np.int64), np.full(sub.n + 1, sub.m, dtype=np.int64)
            )
            now = sum(
                float(
                    sub.score(x.en1 - x.en0, x.ar1 - x.ar0, x.en1 - en0, np.array([x.ar1 - ar0]))[0]
                )
                for x in members
            )
            now += float(sub.skip_en()[0]) * (en1 - en0 - sum(x.en1 - x.en0 for x in members))
            now += float(sub.skip_ar()[0]) * (ar1 - ar0 - sum(x.ar1 - x.ar0 for x in members))
            better = sum(x.score for x in path)
            # ... and one that links every sentence there (a merge split into its parts):
            # at the document's ratio, which added and dropped paragraphs bias, the DP
            # would also cut true merges in two and leave a part unaligned.
            if better <= now + 1e-9 or len(links) < len(path):
                continue
        links = [Span(en0 + x.en0, en0 + x.en1, ar0 + x.ar0, ar0 + x.ar1, x.score) for x in links]
        if nearest is not None:
            # Each sentence's nearest sentence of the other side must be in its link (see
            # _nearest_inside); a merge is split only when all the parts are that sure.
            sure = [x for x in links if _nearest_inside(x, *nearest)]
            if members and len(sure) < len(links):
                continue
            links = sure
        if members:
            dropped.update(members)
        taken_ar.update(range(ar0, ar1))
        for x in links:
            new.append(x)
            linked_ar.update(range(x.ar0, x.ar1))
            made += 1
        # Arabic of a dropped merge that the DP leaves unaligned becomes 0-1.
        for x in members:
            new.extend(
                Span(x.en0, x.en0, j, j + 1, 0.0) for j in range(x.ar0, x.ar1) if j not in linked_ar
            )
            linked_ar.update(range(x.ar0, x.ar1))
    if not made and not dropped:
        return spans, 0
    kept = [s for s in spans if s not in dropped and (s.en1 > s.en0 or s.ar0 not in linked_ar)]
    return sorted(kept + new, key=lambda s: (s.ar0, s.en0)), made
