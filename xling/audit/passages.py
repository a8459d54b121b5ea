"""Passages of a rewritten article: English passages the Arabic omitted, Arabic passages it
added, and passages it moved.

The audit repairs the links of `xling align` where they leave sentences unaligned on both
sides, with the encoder, before it matches numbers and quotes:
- `recover_links`: an in-order aligner leaves a moved paragraph unaligned at both its places,
  and added paragraphs pull it off its path. The Arabic paragraphs are put back in the order
  of their English (each where the median of its sentences' English positions is: the linked
  English sentences of an aligned sentence, the most similar unaligned English sentence of an
  unaligned one), paragraphs that look added (no unaligned English sentence within
  LEFTOVER_MIN) are set aside, and `xling align`'s own DP aligns again; when that links more
  sentences, its links replace the first ones (mapped back to the real Arabic positions),
  except links of formerly unaligned sentences scoring under RECOVER_MIN.
- `settle_moved`: a moved link goes back to an unaligned sentence at its in-order place
  that is closer to its English than the Arabic it was linked to.
- `split_absorbed`: an unaligned sentence whose translation sits at the edge of the merge
  next to it gets it back.
- `pair_leftovers`: two unaligned sentences that are each other's nearest are linked (when
  the margin does not set them apart from their neighbourhoods, only if SimAlign links most
  of their words).
- `absorb_fragments`: unaligned pieces of a linked sentence's paragraph, split off where the
  other language's segmenter did not split (Arabic ؛), join that sentence's link.
Links made so are marked `recovered`. A link is *moved* when it lies outside the longest run
of links whose English and Arabic positions both rise (the longest increasing subsequence,
per English report), or when the aligner says so: an order-free aligner's links mostly need
no repair.

`find_passages` then cuts what stays unaligned into runs of consecutive sentences (omitted on
the English side, added on the Arabic side) and the moved links into runs of links that are
consecutive on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from xling.align.reorder import longest_increasing
from xling.align.words import aligned_share, default_aligner, tokenize_words
from xling.audit.alignment import AlignedPair, Link

# Tuned on the even-numbered NTREX-128 documents (eval/audit_reorder.py --split dev --tune,
# eval/results/audit_reorder-dev-tune.json):
# a formerly unaligned sentence is linked by the re-alignment when its link scores this much
# (1 - normalised distance, xling.align.scoring; 0.1-0.3 gave the same results);
RECOVER_MIN = 0.3
RECOVER_PASSES = 2  # a second pass orders the paragraphs by the first pass's links
# two sentences left unaligned on both sides that are each other's nearest (encoder cosine)
# among the unaligned ones are linked from this cosine on (e5-small cosines of NTREX
# translations are 0.86-0.94, 5th-95th percentile; of the nearest other sentence of the
# document 0.82-0.88; 0.83 / 0.85 / 0.87 gave passage F1 0.966 / 0.961 / 0.921 on dev).
LEFTOVER_MIN = 0.83
# ... and from this ratio margin (cosine over the mean of the 4 nearest cosines of each):
# NTREX and TICO-19 dev documents, see eval/RESULTS.md.
LEFTOVER_MARGIN = 1.0
MARGIN_NEIGHBOURS = 4
ABSORBED_MIN = 0.83  # see split_absorbed (set to LEFTOVER_MIN, not tuned apart)
# absorb_fragments: a run joins a link when the link's cosine changes by at least this much
# (TICO-19 dev windows, eval/audit_reorder.py --split tico-dev --limit 12 --tune-absorb,
# eval/results/audit_reorder-tico-dev-tune-absorb.json: passage F1 0.955 / 0.980 / 0.980 /
# 0.973 at 0 / -0.01 / -0.02 / -0.03; a fragment's join dips the cosine by under 0.01).
ABSORB_GAIN = -0.01
# pair_leftovers: a pair under LEFTOVER_MARGIN is linked when SimAlign links at least this
# share of its words: on TICO-19 and NTREX-128 dev (eval/audit_reorder.py --word-shares),
# the lowest share no replaced paragraph and <= 2% of neighbouring lines reach, 71-81% of
# translations; the full audit on dev is the same at any value (--tune-words), see RESULTS.
WORDS_MIN = 0.7
WORDS_COS_MIN = 0.83  # ... and a cosine of at least this (0.78-0.83: the same on dev)
KINDS = ("omitted", "added", "moved")


def _full(link: Link) -> bool:
    return bool(link.en) and bool(link.ar)


def _runs(indices: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for i in sorted(indices):
        if out and out[-1][-1] == i - 1:
            out[-1].append(i)
        else:
            out.append([i])
    return out


class _Cached:
    """The encoder with a cache: the re-alignment embeds the same sentences again."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.cache: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str], **kw) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            for t, v in zip(todo, np.asarray(self.inner.embed(todo, **kw)), strict=True):
                self.cache[t] = v
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 0))


def cached(embedder):
    """`embedder` with a cache (None stays None), for the alignment and the re-alignment."""
    return embedder if embedder is None or isinstance(embedder, _Cached) else _Cached(embedder)


def _paragraph_order(pair: AlignedPair, embedder) -> tuple[list[int], set[int]]:
    """The Arabic paragraphs in the order of their English: a paragraph goes where the median
    of its sentences' English positions is (the linked English sentences of an aligned
    sentence, the most similar English sentence of an unaligned one). Also the paragraphs
    that look added: every sentence unaligned and none within LEFTOVER_MIN cosine of an
    unaligned English sentence."""
    ar_done = {j: link.en for link in pair.links if link.en and link.ar for j in link.ar}
    free = [j for j in range(len(pair.ar.sentences)) if j not in ar_done]
    # An unaligned Arabic sentence is looked for among the unaligned English ones first: a
    # moved paragraph is unaligned on both sides.
    en_free = [i for i in range(len(pair.en.sentences)) if i not in _done(pair, "en")]
    en_ids = en_free or list(range(len(pair.en.sentences)))
    nearest: dict[int, tuple[int, float]] = {}
    if free and en_ids:
        en_vecs = embedder.embed([pair.en.sentences[i].text for i in en_ids])
        ar_vecs = embedder.embed([pair.ar.sentences[j].text for j in free])
        cos = ar_vecs @ en_vecs.T
        for j, row in zip(free, cos, strict=True):
            b = int(np.argmax(row))
            nearest[j] = (en_ids[b], float(row[b]) if en_free else 0.0)
    keys: dict[int, list[float]] = {}
    added: dict[int, bool] = {}
    for j, s in enumerate(pair.ar.sentences):
        en = ar_done.get(j)
        at, cos_j = nearest.get(j, (0, 0.0))
        keys.setdefault(s.para, []).append(sum(en) / len(en) if en else float(at))
        added[s.para] = added.get(s.para, True) and not en and cos_j < LEFTOVER_MIN
    order = sorted(keys, key=lambda p: (float(np.median(keys[p])), p))
    return order, {p for p, yes in added.items() if yes}


def recover_links(pair: AlignedPair, embedder, mt: list[str] | None = None) -> int:
    """Re-align an article whose Arabic paragraphs are out of order, or interleaved with
    added paragraphs (see the module doc). Changes `pair` in place; returns how many more
    sentences are linked."""
    en_free = [i for i in range(len(pair.en.sentences)) if i not in _done(pair, "en")]
    ar_free = [j for j in range(len(pair.ar.sentences)) if j not in _done(pair, "ar")]
    if embedder is None or not en_free or not ar_free:
        return 0
    from xling.align.sentences import align_sentences

    order, added = _paragraph_order(pair, embedder)
    if order == sorted(order) and not added:
        return 0  # in order: the aligner's own choices stand
    # Added-looking paragraphs are left out: they pull the aligner off its path.
    order = [p for p in order if p not in added]
    by_para: dict[int, list[int]] = {}
    for j, s in enumerate(pair.ar.sentences):
        by_para.setdefault(s.para, []).append(j)
    ar_seq = [j for p in order for j in by_para[p]]
    alignment = align_sentences(
        pair.en.sentences,
        [pair.ar.sentences[j] for j in ar_seq],
        mt=None if mt is None else [mt[j] for j in ar_seq],
        embedder=embedder,
        signals=("embed", "numbers", "length") if mt is None else ("embed", "mt", "numbers"),
        order="monotone",  # the paragraphs are in order now
    )
    was_free = set(en_free), set(ar_free)
    en_all = embedder.embed([x.text for x in pair.en.sentences])
    margin = _margins(en_all, embedder.embed([x.text for x in pair.ar.sentences]))
    links: list[Link] = [Link([], [j], 0.0) for p in added for j in by_para[p]]
    for k in alignment.links:
        en, ar = list(k.en), sorted(ar_seq[j] for j in k.ar)
        new = bool(set(en) & was_free[0] or set(ar) & was_free[1])
        # A link of sentences all unaligned before must also stand out from their
        # neighbourhoods (two unrelated sentences on the article's topic do not).
        alone = set(en) <= was_free[0] and set(ar) <= was_free[1]
        weak = alone and en and ar and margin[np.ix_(en, ar)].max() < LEFTOVER_MARGIN
        if en and ar and new and (k.score < RECOVER_MIN or weak):
            # Too weak to link sentences the aligner had left out: keep them apart.
            links += [Link([i], [], 0.0) for i in en] + [Link([], [j], 0.0) for j in ar]
        else:
            links.append(Link(en, ar, float(k.score), recovered=bool(en and ar and new)))
    gained = sum(len(k.en) + len(k.ar) for k in links if k.en and k.ar) - sum(
        len(k.en) + len(k.ar) for k in pair.links if k.en and k.ar
    )
    if gained <= 0:
        return 0
    pair.set_links(links)
    return gained


def _margins(x: np.ndarray, y: np.ndarray, k: int = MARGIN_NEIGHBOURS) -> np.ndarray:
    """Ratio margin (Artetxe & Schwenk 2019): cos(x_i, y_j) over the mean of the k nearest
    cosines of x_i and of y_j — a pair stands out from its neighbourhoods, which a pair of
    two unrelated sentences on the same topic does not."""
    cos = x @ y.T
    kx, ky = min(k, cos.shape[1]), min(k, cos.shape[0])
    near_x = np.sort(cos, axis=1)[:, -kx:].mean(axis=1)
    near_y = np.sort(cos, axis=0)[-ky:, :].mean(axis=0)
    return cos / np.maximum((near_x[:, None] + near_y[None, :]) / 2.0, 1e-6)


def _without(links: list[Link], en_out: set[int], ar_out: set[int]) -> list[Link]:
    """The links less the given sentences (a link left empty goes)."""
    out = []
    for link in links:
        en = [i for i in link.en if i not in en_out]
        ar = [j for j in link.ar if j not in ar_out]
        if en or ar:
            out.append(link if (en, ar) == (link.en, link.ar) else Link(en, ar, link.score))
    return out


def pair_leftovers(pair: AlignedPair, embedder) -> int:
    """Link unaligned English and Arabic sentences that are each other's nearest among the
    unaligned ones (by margin over the whole documents), with a cosine of at least
    LEFTOVER_MIN and a margin of at least LEFTOVER_MARGIN, wherever they are (the aligner
    skips a pair it cannot fit in order); under that margin (from WORDS_COS_MIN), when
    SimAlign links at least WORDS_MIN of their words. Returns how many links were added."""
    en_free = [i for i in range(len(pair.en.sentences)) if i not in _done(pair, "en")]
    ar_free = [j for j in range(len(pair.ar.sentences)) if j not in _done(pair, "ar")]
    if embedder is None or not en_free or not ar_free:
        return 0
    en_all = embedder.embed([s.text for s in pair.en.sentences])
    ar_all = embedder.embed([s.text for s in pair.ar.sentences])
    cos = (en_all @ ar_all.T)[np.ix_(en_free, ar_free)]
    margin = _margins(en_all, ar_all)[np.ix_(en_free, ar_free)]
    mutual = [
        (a, b)
        for a, b in enumerate(np.argmax(margin, axis=1).tolist())
        if int(np.argmax(margin[:, b])) == a and cos[a, b] >= min(LEFTOVER_MIN, WORDS_COS_MIN)
    ]
    found = [
        (en_free[a], ar_free[b], float(cos[a, b]))
        for a, b in mutual
        if margin[a, b] >= LEFTOVER_MARGIN and cos[a, b] >= LEFTOVER_MIN
    ]
    # Under the margin, the sentence vectors cannot tell a loose translation from a
    # paragraph on the same topic (one replaced in place): the words can. A translation
    # aligns most of its words, a same-topic paragraph only its names and terms.
    weak = [
        (en_free[a], ar_free[b], float(cos[a, b]))
        for a, b in mutual
        if (margin[a, b] < LEFTOVER_MARGIN or cos[a, b] < LEFTOVER_MIN)
        and cos[a, b] >= WORDS_COS_MIN
    ]
    if weak and WORDS_MIN <= 1.0:
        shares = word_shares(
            [(pair.en.sentences[i].text, pair.ar.sentences[j].text) for i, j, _ in weak]
        )
        found += [
            x
            for x, share in zip(weak, shares, strict=True)
            if share is not None and share >= WORDS_MIN
        ]
    return _link_pairs(pair, found)


def word_shares(pairs: list[tuple[str, str]]) -> list[float | None]:
    """For each (English, Arabic) sentence: the share of their words that SimAlign links
    (xling.align.words.aligned_share); None for each when the aligner is not installed."""
    aligner = default_aligner()
    if aligner is None:
        return [None] * len(pairs)
    words = [(tokenize_words(e), tokenize_words(a)) for e, a in pairs]
    return [
        aligned_share(s, t, links)
        for (s, t), links in zip(words, aligner.align(words), strict=True)
    ]


def _link_pairs(pair: AlignedPair, found: list[tuple[int, int, float]]) -> int:
    """Link each (English, Arabic, cosine) 1-1, taking those sentences out of their links.
    The link's score is the cosine here, not the aligner's normalised score."""
    if not found:
        return 0
    links = _without(pair.links, {i for i, _, _ in found}, {j for _, j, _ in found})
    links += [Link([i], [j], c, recovered=True) for i, j, c in found]
    pair.set_links(links)
    return len(found)


def settle_moved(pair: AlignedPair, embedder) -> int:
    """A moved link whose English has an unaligned Arabic sentence at its in-order place —
    between the Arabic of the in-order links before and after it — that is closer to it
    (encoder cosine) than the Arabic it is linked to, is linked there instead: the place
    and the closeness both say so (an order-free aligner can jump to a look-alike of an
    inserted paragraph). The Arabic it leaves is unaligned. Returns the links moved back."""
    if embedder is None:
        return 0
    made = 0
    while made < len(pair.links) and _settle_one(pair, embedder):
        made += 1  # links are renumbered: look again
    return made


def _settle_one(pair: AlignedPair, embedder) -> bool:
    moved = moved_links(pair)
    ar_done = _done(pair, "ar")
    for k in sorted(moved, key=lambda k: min(pair.links[k].en)):
        link = pair.links[k]
        report = pair.report_of(min(link.en))
        around = [
            x
            for m, x in enumerate(pair.links)
            if m not in moved and _full(x) and pair.report_of(min(x.en)) == report
        ]
        lo = max((max(x.ar) for x in around if max(x.en) < min(link.en)), default=-1)
        hi = min(
            (min(x.ar) for x in around if min(x.en) > max(link.en)),
            default=len(pair.ar.sentences),
        )
        free = [j for j in range(lo + 1, hi) if j not in ar_done]
        if not free:
            continue
        en = embedder.embed([" ".join(pair.en.sentences[i].text for i in link.en)])[0]
        now = embedder.embed([" ".join(pair.ar.sentences[j].text for j in link.ar)])[0] @ en
        cos = embedder.embed([pair.ar.sentences[j].text for j in free]) @ en
        best = int(np.argmax(cos))
        if float(cos[best]) <= float(now):
            continue
        links = _without([x for m, x in enumerate(pair.links) if m != k], set(), {free[best]})
        links += [Link([], [j], 0.0, report=None) for j in link.ar]
        links.append(
            Link(list(link.en), [free[best]], float(cos[best]), report=link.report, recovered=True)
        )
        pair.set_links(links)
        return True
    return False


def split_absorbed(pair: AlignedPair, embedder) -> int:
    """An unaligned sentence whose translation the aligner put at the edge of a neighbouring
    merge (EN 2 -> AR 4+5 while EN 3 is unaligned and AR 5 is its translation): the edge
    sentence moves to a link of its own when it is closer to the unaligned sentence than to
    every sentence of its link, by at least ABSORBED_MIN cosine. Returns the links made."""
    if embedder is None:
        return 0
    made = 0
    for lang, other in (("en", "ar"), ("ar", "en")):
        side = pair.en if lang == "en" else pair.ar
        for i in range(len(side.sentences)):
            link_of = pair.en_link if lang == "en" else pair.ar_link  # set_links renews it
            k = link_of.get(i)
            if k is None or _full(pair.links[k]):
                continue
            for step in (-1, 1):
                n = link_of.get(i + step)
                if n is None or not _full(pair.links[n]):
                    continue
                link = pair.links[n]
                mine, theirs = getattr(link, lang), getattr(link, other)
                if len(theirs) < 2:
                    continue
                edge = max(theirs) if step == -1 else min(theirs)
                texts = [side.sentences[i].text] + [side.sentences[x].text for x in mine]
                far = (pair.ar if lang == "en" else pair.en).sentences[edge].text
                cos = embedder.embed(texts) @ embedder.embed([far])[0]
                if cos[0] < ABSORBED_MIN or cos[0] <= max(cos[1:]):
                    continue
                rest = [x for x in theirs if x != edge]
                if lang == "en":
                    changed = [
                        Link(link.en, rest, link.score),
                        Link([i], [edge], float(cos[0]), recovered=True),
                    ]
                else:
                    changed = [
                        Link(rest, link.ar, link.score),
                        Link([edge], [i], float(cos[0]), recovered=True),
                    ]
                links = [x for m, x in enumerate(pair.links) if m not in (k, n)] + changed
                pair.set_links(links)
                made += 1
                break
    return made


def absorb_fragments(pair: AlignedPair, embedder) -> int:
    """Unaligned sentences that are pieces of a linked sentence's own paragraph, split off
    where the other language's segmentation did not split (the Arabic segmenter ends
    sentences at ؛, the English one not at ;): a run of unaligned sentences of one paragraph
    joins the link of the sentence next to it in that paragraph when the link's side with
    the run is about as close to the other side (encoder cosine of the joined texts) as
    without it (at most -ABSORB_GAIN lower) — content the other side lacks lowers it more.
    Runs after `pair_leftovers`, so that a real counterpart elsewhere is linked first.
    Returns the sentences joined."""
    if embedder is None:
        return 0

    def vec(texts: list[str]) -> np.ndarray:
        return embedder.embed([" ".join(texts)])[0]

    made = 0
    for lang, other in (("en", "ar"), ("ar", "en")):
        side = pair.en if lang == "en" else pair.ar
        far = pair.ar if lang == "en" else pair.en
        free = [i for i in range(len(side.sentences)) if i not in _done(pair, lang)]
        for run in _runs(free):
            for piece in _runs_by_para(run, side):
                link_of = pair.en_link if lang == "en" else pair.ar_link
                para = side.sentences[piece[0]].para
                best = None
                for n in (piece[0] - 1, piece[-1] + 1):
                    k = link_of.get(n)
                    if k is None or side.sentences[n].para != para:
                        continue
                    link = pair.links[k]
                    if not _full(link):
                        continue
                    mine, theirs = getattr(link, lang), getattr(link, other)
                    target = vec([far.sentences[x].text for x in theirs])
                    before = float(vec([side.sentences[x].text for x in mine]) @ target)
                    joined = sorted(mine + piece)
                    after = float(vec([side.sentences[x].text for x in joined]) @ target)
                    if after - before >= ABSORB_GAIN and (best is None or after > best[0]):
                        best = (after, k, joined)
                if best is None:
                    continue
                _, k, joined = best
                link = pair.links[k]
                en, ar = (joined, link.ar) if lang == "en" else (link.en, joined)
                grown = Link(en, ar, link.score, recovered=link.recovered)
                grown.moved = link.moved
                rest = []
                for m, x in enumerate(pair.links):
                    if m == k:
                        continue
                    if not _full(x):  # an unaligned link loses the run's sentences
                        en_x = [y for y in x.en if lang != "en" or y not in piece]
                        ar_x = [y for y in x.ar if lang != "ar" or y not in piece]
                        x = x if (en_x, ar_x) == (x.en, x.ar) else Link(en_x, ar_x, x.score)
                        if not (x.en or x.ar):
                            continue
                    rest.append(x)
                pair.set_links(rest + [grown])
                made += len(piece)
    return made


def _runs_by_para(run: list[int], side) -> list[list[int]]:
    out: list[list[int]] = []
    for i in run:
        if out and side.sentences[out[-1][-1]].para == side.sentences[i].para:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def _done(pair: AlignedPair, lang: str) -> set[int]:
    return {i for link in pair.links if _full(link) for i in getattr(link, lang)}


def moved_links(pair: AlignedPair) -> set[int]:
    """Indices of the links outside the longest in-order run: per English report, the links
    in Arabic order whose English positions are not in the longest increasing subsequence.
    A link the aligner marked `moved` counts as moved too."""
    by_report: dict[int, list[int]] = {}
    for k, link in enumerate(pair.links):
        if _full(link):
            by_report.setdefault(pair.report_of(min(link.en)), []).append(k)
    moved = {k for k, link in enumerate(pair.links) if link.moved}
    for ks in by_report.values():
        ks.sort(key=lambda k: (min(pair.links[k].ar), min(pair.links[k].en)))
        in_order = longest_increasing([min(pair.links[k].en) for k in ks])
        moved |= {k for n, k in enumerate(ks) if n not in in_order}
    return moved


@dataclass
class Passage:
    """A run of sentences the Arabic omitted, added, or moved (then both sides)."""

    kind: str  # "omitted", "added" or "moved"
    en: list[int]  # English sentence indices (empty for "added"), all of one report
    ar: list[int]  # Arabic sentence indices (empty for "omitted")
    links: list[int] = field(default_factory=list)  # for "moved": the moved links
    numbers: list[int] = field(default_factory=list)  # indices into the document's numbers
    quotes: list[int] = field(default_factory=list)  # ... and quotes

    def paragraphs(self, pair: AlignedPair, lang: str) -> list[int]:
        side = pair.en if lang == "en" else pair.ar
        return sorted({side.sentences[i].para for i in (self.en if lang == "en" else self.ar)})


def find_passages(pair: AlignedPair) -> list[Passage]:
    en_done = {i for link in pair.links if _full(link) for i in link.en}
    ar_done = {j for link in pair.links if _full(link) for j in link.ar}
    free_en = [i for i in range(len(pair.en.sentences)) if i not in en_done]
    out = [
        Passage("omitted", [i for i in run if pair.report_of(i) == r], [])
        for run in _runs(free_en)
        for r in sorted({pair.report_of(i) for i in run})
    ]
    out += [
        Passage("added", [], run)
        for run in _runs([j for j in range(len(pair.ar.sentences)) if j not in ar_done])
    ]
    moved = sorted(pair.moved, key=lambda k: min(pair.links[k].en))
    blocks: list[list[int]] = []
    for k in moved:
        link = pair.links[k]
        if blocks:
            last = pair.links[blocks[-1][-1]]
            # The next sentences on both sides (unaligned sentences between them allowed).
            en_next = min(link.en) - max(last.en) in (1, 2) and pair.report_of(
                min(link.en)
            ) == pair.report_of(max(last.en))
            ar_next = 1 <= min(link.ar) - max(last.ar) <= 2
            if en_next and ar_next:
                blocks[-1].append(k)
                continue
        blocks.append([k])
    for block in blocks:
        en = sorted(i for k in block for i in pair.links[k].en)
        ar = sorted(j for k in block for j in pair.links[k].ar)
        out.append(Passage("moved", en, ar, block))
    return out


def attach_items(passages: list[Passage], numbers: list[dict], quotes: list[dict]) -> None:
    """Fill each passage's numbers and quotes (JSON items) and mark the items with
    `evidence.passage`, the index of their passage."""
    en_at = {i: p for p, passage in enumerate(passages) for i in passage.en}
    ar_at = {j: p for p, passage in enumerate(passages) for j in passage.ar}
    for attr, items in (("numbers", numbers), ("quotes", quotes)):
        for n, item in enumerate(items):
            # An item belongs to the passage of its English side, or of its Arabic side when
            # it has no English (an Arabic number matched near an added passage stays out).
            if item["en"] is not None:
                where = en_at.get(item["en"]["sentence"])
            else:
                where = ar_at.get(item["ar"]["sentence"])
            if where is None:
                continue
            getattr(passages[where], attr).append(n)
            item["evidence"]["passage"] = where


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _where(pair: AlignedPair, passage: Passage, lang: str) -> str:
    paras = passage.paragraphs(pair, lang)
    count = len(passage.en if lang == "en" else passage.ar)
    label = lang.upper()
    if lang == "en" and len(pair.reports) > 1:
        # Paragraphs are counted within their report when there are several.
        report = pair.reports[pair.report_of(passage.en[0])]
        label = f"EN {report['name'] or 'report ' + str(report['index'] + 1)}"
        start = report["sentences"][0]
        first = pair.en.sentences[start].para if start < len(pair.en.sentences) else 0
        paras = [p - first for p in paras]
    paras = [p + 1 for p in paras]  # 1-based for readers
    span = f"¶{paras[0]}" if len(paras) == 1 else f"¶{paras[0]}–{paras[-1]}"
    return f"{label} {span} ({_plural(count, 'sentence')})"


def passage_json(
    pair: AlignedPair, passage: Passage, numbers: list[dict], quotes: list[dict]
) -> dict:
    """One passage finding of the JSON report (docs/audit-schema.md, `passages`)."""
    values = [(numbers[n]["en"] or numbers[n]["ar"])["text"] for n in passage.numbers]
    quotations = sum(
        bool((quotes[q]["en"] or quotes[q]["ar"])["quotation"]) for q in passage.quotes
    )
    carries = []
    if values:
        carries.append(("number " if len(values) == 1 else "numbers ") + ", ".join(values))
    if quotations:
        carries.append(_plural(quotations, "quotation"))
    tail = f" — carries {' and '.join(carries)}" if carries else ""
    if passage.kind == "moved":
        note = f"passage moved: {_where(pair, passage, 'en')} is at {_where(pair, passage, 'ar')}"
    else:
        lang = "en" if passage.kind == "omitted" else "ar"
        note = f"passage {passage.kind}: {_where(pair, passage, lang)}"
    # Omitted or added content that carries a flagged number or a quotation is for review;
    # a moved passage is not an error (its items have their own verdicts).
    flagged = passage.kind != "moved" and (
        quotations > 0 or any(numbers[n]["flagged"] for n in passage.numbers)
    )

    def side(lang: str) -> dict | None:
        ids = passage.en if lang == "en" else passage.ar
        if not ids:
            return None
        sentences = pair.en.sentences if lang == "en" else pair.ar.sentences
        return {
            "sentences": ids,
            "paragraphs": passage.paragraphs(pair, lang),
            "text": " ".join(sentences[i].text for i in ids),
        }

    record = {
        "kind": passage.kind,
        "flagged": flagged,
        "en": side("en"),
        "ar": side("ar"),
        "numbers": passage.numbers,
        "quotes": passage.quotes,
        "note": note + tail,
    }
    if passage.kind == "moved":
        record["links"] = passage.links
    if passage.en and len(pair.reports) > 1:
        record["report"] = pair.report_of(passage.en[0])
    return record
