"""Streaming, length-sorted, token-budgeted batch translation with the number guard.

Sentences stream in; a bounded window of them is split where too long, sorted by length, cut into
batches under a token budget, decoded, checked and yielded in input order (the shape of
CTranslate2's translate_iterable, plus what it lacks: splitting instead of truncating, and a second
look at sentences whose numbers did not survive).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from xling.text.numbers import NumberMention, ascii_digits, missing_numbers
from xling.text.segment import split_long
from xling.translate.digit_groups import join_digit_groups
from xling.translate.engine import NO_ROW_CAP, Engine, Hypothesis
from xling.translate.glossary import Glossary, Term
from xling.translate.length import length_ok
from xling.translate.number_hints import write_in
from xling.translate.script import arabic_runs, arabic_tokens
from xling.translate.select import closest_to_source, consensus

SCRIPT_NO_REPEAT_NGRAM = 4  # the script guard's retry (see _script_guard)
_DIGIT_GROUP = re.compile(r"[٠-٩۰-۹][٠-٩۰-۹٫٬]*")


def defects(src: str, mt: str) -> list[str]:
    """What the guard looks for: source numbers missing from the translation, an empty
    translation, and Arabic letters left in the English."""
    found = [m.text for m in missing_numbers(src, "ar", mt, "en")]
    if src.strip() and not mt.strip():  # nothing left (e.g. a chat preamble, taken out)
        found.append("(no translation)")
    return found + arabic_runs(mt)  # the script guard's own definition of Arabic letters


def western_digits(text: str) -> str:
    """Arabic-Indic digits (and their separators) as ASCII, so every model sees digits it knows."""
    return _DIGIT_GROUP.sub(lambda m: ascii_digits(m.group()), text)


@dataclass
class Result:
    """The translation of one input sentence."""

    text: str
    numbers_ok: bool = True
    numbers_missing: list[str] = field(default_factory=list)
    split: bool = False  # translated in pieces (too long for the model, or output hit its limit)
    too_long: bool = False  # the source was longer than the model's input limit
    length_ok: bool = True  # the translation's length is in the range its source predicts
    guarded: bool = False  # the number guard changed the translation
    untranslated: bool = False  # Arabic letters are left in the English (after every retry)
    glossary_missing: list[str] = field(default_factory=list)  # glossary English not in `text`
    first: str = ""  # the translation before the guards (for measuring them)
    source_tokens: int = 0
    target_tokens: int = 0


@dataclass
class Stats:
    sentences: int = 0
    source_tokens: int = 0
    target_tokens: int = 0
    split: int = 0  # sentences longer than the model's input limit, split before decoding
    resplit: int = 0  # sentences whose output hit the length limit and were re-done in halves
    guard_tried: int = 0
    guard_fixed: int = 0
    hint_tried: int = 0  # pieces re-decoded with their lost number words written in English
    hint_fixed: int = 0  # of those, pieces whose English then had every number
    halves_tried: int = 0  # pieces still missing a number, translated again in two halves
    halves_fixed: int = 0  # of those, pieces whose English then had every number
    numbers_bad: int = 0
    length_redone: int = 0  # pieces re-decoded in halves because their output length was far off
    length_bad: int = 0  # sentences whose translation length is still far off (flagged)
    script_tried: int = 0  # pieces re-decoded with Arabic-script tokens suppressed
    script_fixed: int = 0  # of those, pieces whose English lost its Arabic letters
    untranslated: int = 0  # sentences still with Arabic letters (flagged untranslated)
    glossary_tried: int = 0  # pieces re-decoded with glossary terms written into the source
    glossary_fixed: int = 0  # of those, pieces whose English then had every term
    glossary_flagged: int = 0  # sentences still missing a glossary term (glossary_missing)
    seconds: float = 0.0


@dataclass
class _Piece:
    owner: int  # index of the input sentence in the window
    text: str
    tokens: int  # source tokens (what the model's input limit counts)
    cost: int = 0  # tokens the model reads, prompt included (what the batch budget counts)
    hyp: Hypothesis | None = None
    depth: int = 0  # how often it was split because its output hit the length limit
    order: tuple[int, ...] = ()  # sorts the pieces back into document order
    guarded: bool = False  # the number guard replaced its first translation
    first: Hypothesis | None = None  # the hypothesis before the guard


def _take_if_fewer_defects(piece: _Piece, candidates: list[Hypothesis]) -> bool:
    """Give `piece` the most probable usable candidate (not empty, not cut) with the fewest
    defects against its source, if that is fewer than its translation has; the translation
    before any guard stays in `first`. True when the piece then has no defect at all."""
    before = len(defects(piece.text, piece.hyp.text))
    ranked = sorted(
        (len(defects(piece.text, h.text)), i)
        for i, h in enumerate(candidates)
        if h.text and not h.hit_limit
    )
    if not ranked or ranked[0][0] >= before:
        return False
    piece.first = piece.first or piece.hyp
    piece.hyp = candidates[ranked[0][1]]
    piece.guarded = True
    return ranked[0][0] == 0


def _joined_groups(src: str, hyp: Hypothesis) -> Hypothesis:
    """`hyp` with the digit groups of a source number written apart joined again ("26, 750")."""
    text = join_digit_groups(src, hyp.text)
    return hyp if text == hyp.text else replace(hyp, text=text)


def halves(src: str, missing: list[NumberMention], count_tokens: Callable[[str], int]) -> list[str]:
    """The source of a translation that lost `missing` numbers, their words written in English
    (number_hints), cut into pieces of at most half its tokens, at clause boundaries where it
    can be (split_long, as the length check cuts); one piece when it is too short to cut."""
    text = write_in(src, missing)
    return split_long(text, max(4, count_tokens(text) // 2), count_tokens)


def join_halves(decoded: list[tuple[str, list[Hypothesis]]]) -> Hypothesis | None:
    """One hypothesis from each half's candidates (the most probable of those with the fewest
    defects against that half), joined; None when a half has no usable candidate."""
    chosen = []
    for text, candidates in decoded:
        usable = [h for h in candidates if h.text and not h.hit_limit]
        if not usable:
            return None
        chosen.append(min(usable, key=lambda h: len(defects(text, h.text))))
    return Hypothesis(
        " ".join(h.text for h in chosen),
        sum(h.score for h in chosen),
        sum(h.length for h in chosen),
        hit_limit=False,
    )


def token_batches(
    pieces: list[_Piece], budget: int, max_rows: int = NO_ROW_CAP
) -> Iterator[list[_Piece]]:
    """Longest first; each batch's padded size (count × its longest) stays under the budget
    (a piece longer than the budget goes alone), and it holds at most `max_rows` pieces."""
    batch: list[_Piece] = []
    for piece in sorted(pieces, key=lambda p: p.cost, reverse=True):
        if batch and (len(batch) >= max_rows or (len(batch) + 1) * batch[0].cost > budget):
            yield batch
            batch = []
        batch.append(piece)
    if batch:
        yield batch


# A generator reads the prompt tokens its batch's shortest prompt lacks one decoding step at a
# time, every row of the batch with it, so a batch whose prompts differ by 40 tokens pays for
# 40 steps before its first word (measured: 15 prompts of 23 tokens and one of 94 cost 5.6×
# the 16 short ones alone). prompt_batches cuts the length-sorted prompts where that costs more
# than a smaller batch does. A step costs `fixed + rows` units (fixed: what a step costs
# whatever the batch, reading the weights; 1 unit: one more row); a batch costs
# (fixed + rows) × (longest − shortest prompt) + fixed × its longest output (~OUTPUT_RATIO ×
# its longest prompt); the rows' own output steps cost the same however they are batched.
OUTPUT_RATIO = 0.8


def prompt_batches(
    pieces: list[_Piece], budget: int, max_rows: int, fixed: float
) -> Iterator[list[_Piece]]:
    """Longest prompt first, cut into the batches of least total cost (an exact DP over the
    sorted prompts), each under the token budget and the row cap."""
    ordered = sorted(pieces, key=lambda p: p.cost, reverse=True)
    n = len(ordered)
    best = [0.0] + [float("inf")] * n  # best[j]: least cost of the first j prompts
    cut = [0] * (n + 1)
    for j in range(1, n + 1):
        shortest = ordered[j - 1].cost
        for i in range(j - 1, -1, -1):  # the batch ordered[i:j]
            rows, longest = j - i, ordered[i].cost
            if rows > max_rows or (rows > 1 and rows * longest > budget):
                break
            cost = (fixed + rows) * (longest - shortest) + fixed * OUTPUT_RATIO * longest
            if best[i] + cost < best[j]:
                best[j], cut[j] = best[i] + cost, i
    bounds = []
    j = n
    while j > 0:
        bounds.append((cut[j], j))
        j = cut[j]
    for i, j in reversed(bounds):
        yield ordered[i:j]


@dataclass(frozen=True)
class BatchOptions:
    beam: int = 1
    number_guard: bool = True
    length_check: bool = True  # re-decode in pieces what is far from its expected length
    guard_hypotheses: int = 4
    # after the number guard's n-best: sentences still missing a number written in words are
    # decoded again with that number written in English in the source (translate.number_hints)
    number_hints: bool = True
    # then: sentences still missing a number are translated in two halves (_halves_guard)
    number_halves: bool = True
    script_guard: bool = True  # re-decode English with Arabic letters, Arabic tokens suppressed
    glossary: Glossary = field(default_factory=Glossary)  # terms checked and enforced
    name_memory: bool = False  # one spelling per Arabic name in an article (translate.names)
    window: int = 256  # sentences held at once: bounds memory, gives sorting room
    max_split_depth: int = 3
    # > 1: decode this many beam candidates and keep one (translate.select): by `select`,
    # "mbr" the one the others agree with most (minimum Bayes risk with chrF), "e5" the one
    # closest in meaning to the source; 1 = the beam's best
    candidates: int = 1
    select: str = "mbr"


class BatchTranslator:
    def __init__(
        self,
        engine: Engine,
        options: BatchOptions | None = None,
        on_batch: Callable[[int, int], None] | None = None,
    ):
        self.engine = engine
        self.options = options or BatchOptions()
        self.stats = Stats()
        self.on_batch = on_batch  # called with (sentences, target tokens) after each batch
        self._embedder = None  # the sentence encoder, loaded when candidates are chosen by it

    # -- batching -------------------------------------------------------------------------
    def _decode(
        self,
        pieces: list[_Piece],
        beam: int,
        n_best: int,
        suppress: tuple[str, ...] = (),
        no_repeat_ngram: int = 0,
    ) -> list[list[Hypothesis]]:
        out: dict[int, list[Hypothesis]] = {}
        # beam search decodes `beam` copies of each input: the budget is for all of them
        budget = max(1, self.engine.batch_tokens // max(beam, n_best))
        rows = max(1, self.engine.batch_rows // max(beam, n_best))
        fixed = self.engine.step_fixed_rows
        batches = (
            prompt_batches(pieces, budget, rows, fixed)
            if fixed
            else token_batches(pieces, budget, rows)
        )
        for batch in batches:
            texts = [p.text for p in batch]
            hyps = self.engine.decode(texts, beam, n_best, suppress, no_repeat_ngram)
            for piece, piece_hyps in zip(batch, hyps, strict=True):
                out[id(piece)] = [_joined_groups(piece.text, h) for h in piece_hyps]
            if self.on_batch:
                self.on_batch(len(batch), sum(h[0].length for h in hyps))
        return [out[id(p)] for p in pieces]

    def _choose(self, pieces: list[_Piece], decoded: list[list[Hypothesis]]) -> list[Hypothesis]:
        """One hypothesis per piece among its candidates (see BatchOptions.select)."""
        if self.options.candidates <= 1:
            return [hyps[0] for hyps in decoded]
        if self.options.select == "mbr":
            return [consensus(hyps) for hyps in decoded]
        if self._embedder is None:
            from xling.align.embed import load_embedder

            self._embedder = load_embedder(threads=self.engine.threads)
        sources = self._embedder.embed([p.text for p in pieces])
        flat = [h.text for hyps in decoded for h in hyps]
        vectors, start, chosen = self._embedder.embed(flat), 0, []
        for source, hyps in zip(sources, decoded, strict=True):
            chosen.append(closest_to_source(source, vectors[start : start + len(hyps)], hyps))
            start += len(hyps)
        return chosen

    # -- splitting ------------------------------------------------------------------------
    def _split(
        self, owner: int, text: str, limit: int, depth: int, order: tuple[int, ...]
    ) -> list[_Piece]:
        count, cost = self.engine.count_tokens, self.engine.input_length
        parts = split_long(text, limit, count) if count(text) > limit else [text]
        return [
            _Piece(owner, part, count(part), cost(part), depth=depth, order=(*order, i))
            for i, part in enumerate(parts)
        ]

    def _translate_pieces(self, pieces: list[_Piece]) -> list[_Piece]:
        """Decode; a piece whose output hit the length limit, or whose length is far from what
        its source predicts (a collapse, a run-on), is split in two and redone."""
        final: list[_Piece] = []
        todo = pieces
        while todo:
            retry: list[_Piece] = []
            n = max(1, self.options.candidates)
            decoded = self._decode(todo, max(self.options.beam, n), n)
            for piece, hyp in zip(todo, self._choose(todo, decoded), strict=True):
                piece.hyp = hyp
                halves: list[_Piece] = []
                off = self.options.length_check and not length_ok(piece.text, piece.hyp.text)
                if (piece.hyp.hit_limit or off) and piece.depth < self.options.max_split_depth:
                    halves = self._split(
                        piece.owner,
                        piece.text,
                        max(4, piece.tokens // 2),
                        piece.depth + 1,
                        piece.order,
                    )
                if len(halves) > 1:
                    retry.extend(halves)
                    self.stats.length_redone += off and not piece.hyp.hit_limit
                else:
                    final.append(piece)
            todo = retry
        return sorted(final, key=lambda p: p.order)

    # -- number guard ---------------------------------------------------------------------
    def _guard(self, pieces: list[_Piece]) -> None:
        """Pieces whose numbers did not survive (or whose English kept Arabic letters, as small
        models do in names): re-decode with n-best and keep the most probable hypothesis
        without the defect. Pieces with no such hypothesis keep their first translation."""
        bad = [p for p in pieces if defects(p.text, p.hyp.text)]
        if not bad:
            return
        self.stats.guard_tried += len(bad)
        n = self.options.guard_hypotheses
        for piece, hyps in zip(bad, self._decode(bad, max(n, self.options.beam), n), strict=True):
            self.stats.guard_fixed += _take_if_fewer_defects(piece, hyps)

    def _hint_guard(self, pieces: list[_Piece]) -> None:
        """Pieces still missing a number after the n-best: when the number is in words, decode
        again from the source with it written in English ("ثماني" → "8"), and keep the
        hypothesis with the fewest defects against the real source, if it has fewer."""
        todo = []
        for piece in pieces:
            if not piece.hyp or not piece.hyp.text:
                continue
            text = write_in(piece.text, missing_numbers(piece.text, "ar", piece.hyp.text, "en"))
            if text != piece.text:
                todo.append((piece, text))
        if not todo:
            return
        self.stats.hint_tried += len(todo)
        retries = [
            _Piece(p.owner, text, p.tokens, self.engine.input_length(text)) for p, text in todo
        ]
        n = self.options.guard_hypotheses
        hyps = self._decode(retries, max(n, self.options.beam), n)
        for (piece, _), candidates in zip(todo, hyps, strict=True):
            self.stats.hint_fixed += _take_if_fewer_defects(piece, candidates)

    def _halves_guard(self, pieces: list[_Piece]) -> None:
        """Pieces still missing a number after the n-best and the hints: translate the source
        (its lost number words written in English) in halves cut at clause boundaries, a
        shorter input being copied more faithfully (NTREX dev: 10 of 14 then kept every
        number); the joined halves replace the translation if they miss fewer numbers."""
        count, todo = self.engine.count_tokens, []
        for piece in pieces:
            missing = missing_numbers(piece.text, "ar", piece.hyp.text, "en") if piece.hyp else []
            parts = halves(piece.text, missing, count) if missing else []
            if len(parts) > 1:
                own = [_Piece(piece.owner, t, count(t), self.engine.input_length(t)) for t in parts]
                todo.append((piece, own))
        if not todo:
            return
        self.stats.halves_tried += len(todo)
        flat = [half for _, own in todo for half in own]
        n = self.options.guard_hypotheses
        decoded = iter(self._decode(flat, max(n, self.options.beam), n))
        for piece, own in todo:
            joined = join_halves([(half.text, next(decoded)) for half in own])
            if joined is not None:
                self.stats.halves_fixed += _take_if_fewer_defects(piece, [joined])

    # -- Arabic letters left in the English --------------------------------------------------
    def _script_guard(self, pieces: list[_Piece]) -> None:
        """Pieces whose English still has Arabic letters (after the number guard's n-best):
        decode again with every target token that writes Arabic script suppressed, and keep
        the hypothesis with the fewest number defects. A retry that comes back empty or cut
        short is dropped: the piece keeps its Arabic and is flagged `untranslated`."""
        bad = [p for p in pieces if p.hyp and arabic_runs(p.hyp.text)]
        banned = arabic_tokens(self.engine.folder) if bad else ()
        if not banned:
            return
        self.stats.script_tried += len(bad)
        n = self.options.guard_hypotheses
        # With the Arabic tokens gone a beam can loop on a phrase to the length limit (NTREX
        # dev line 1037: 4 of 4 hypotheses cut); no 4-gram twice lets it end.
        hyps = self._decode(bad, max(n, self.options.beam), n, banned, SCRIPT_NO_REPEAT_NGRAM)
        for piece, candidates in zip(bad, hyps, strict=True):
            clean = [
                h for h in candidates if h.text and not h.hit_limit and not arabic_runs(h.text)
            ]
            if clean:  # the most probable among those missing the fewest numbers
                best = min(clean, key=lambda h: len(defects(piece.text, h.text)))
                piece.first = piece.first or piece.hyp
                piece.hyp = best
                self.stats.script_fixed += 1

    # -- glossary ---------------------------------------------------------------------------
    def _glossary_guard(self, pieces: list[_Piece]) -> None:
        """Pieces whose Arabic has a glossary term whose English the translation lacks: decode
        again from the source with those terms written in English, keep the hypothesis that
        misses the fewest terms (then numbers), if it misses fewer than the first. Pieces that
        still miss a term are decoded once more with the Arabic term kept and its English after
        it in brackets: a model that inflects a name it copies ("Tajikistan" → "four
        Tajikistanis", the seed article) keeps it whole beside the Arabic."""
        glossary = self.options.glossary
        todo = [(p, glossary.missing(p.text, p.hyp.text)) for p in pieces if p.hyp]
        todo = [(p, missing) for p, missing in todo if missing]
        if not todo:
            return
        self.stats.glossary_tried += len(todo)
        self._glossary_retry(todo, beside=False)
        todo = [(p, glossary.missing(p.text, p.hyp.text)) for p, _ in todo]
        self._glossary_retry([(p, missing) for p, missing in todo if missing], beside=True)

    def _glossary_retry(self, todo: list[tuple[_Piece, list[Term]]], beside: bool) -> None:
        if not todo:
            return
        glossary = self.options.glossary
        retries = []
        for piece, missing in todo:
            text = glossary.enforce(piece.text, missing, beside=beside)
            retries.append(_Piece(piece.owner, text, piece.tokens, self.engine.input_length(text)))
        n = self.options.guard_hypotheses
        suppress = arabic_tokens(self.engine.folder) if self.options.script_guard else ()
        hyps = self._decode(retries, max(n, self.options.beam), n, suppress=suppress)
        for (piece, missing), candidates in zip(todo, hyps, strict=True):
            ranked = sorted(
                (
                    len(glossary.missing(piece.text, h.text)),
                    len(defects(piece.text, h.text)),
                    i,
                )
                for i, h in enumerate(candidates)
                if h.text and not h.hit_limit
            )
            if ranked and ranked[0][0] < len(missing):
                piece.first = piece.first or piece.hyp
                piece.hyp = candidates[ranked[0][2]]
                self.stats.glossary_fixed += ranked[0][0] == 0

    # -- the window -----------------------------------------------------------------------
    def _window(self, sources: list[str]) -> list[Result]:
        texts = [western_digits(s) for s in sources]
        pieces = []
        first_pieces = []  # pieces per sentence before decoding: > 1 when over the input limit
        for owner, text in enumerate(texts):
            parts = self._split(owner, text, self.engine.max_input_tokens, 0, (owner,))
            first_pieces.append(len(parts))
            pieces.extend(parts)
        pieces = self._translate_pieces(pieces)
        if self.options.number_guard:
            self._guard(pieces)
            if self.options.number_hints:
                self._hint_guard(pieces)
            if self.options.number_halves:
                self._halves_guard(pieces)
        if self.options.script_guard:
            self._script_guard(pieces)
        if self.options.glossary:
            self._glossary_guard(pieces)
        by_owner: dict[int, list[_Piece]] = {}
        for piece in pieces:
            by_owner.setdefault(piece.owner, []).append(piece)
        results = []
        for owner, text in enumerate(texts):
            own = by_owner.get(owner, [])
            mt = " ".join(p.hyp.text for p in own if p.hyp and p.hyp.text).strip()
            missing = missing_numbers(text, "ar", mt, "en") if text.strip() else []
            result = Result(
                text=mt,
                numbers_ok=not missing,
                numbers_missing=[m.text for m in missing],
                split=len(own) > 1,
                too_long=first_pieces[owner] > 1,
                length_ok=length_ok(text, mt),
                guarded=any(p.guarded for p in own),
                untranslated=bool(arabic_runs(mt)),
                glossary_missing=[t.target for t in self.options.glossary.missing(text, mt)],
                first=" ".join(h.text for h in (p.first or p.hyp for p in own) if h and h.text),
                source_tokens=sum(p.tokens for p in own),
                target_tokens=sum(p.hyp.length for p in own if p.hyp),
            )
            results.append(result)
            self.stats.sentences += 1
            self.stats.source_tokens += result.source_tokens
            self.stats.target_tokens += result.target_tokens
            # two causes, counted apart: an input over the limit is split whatever the model
            # does; a runaway output (hit the length limit) is re-done in halves
            self.stats.split += result.too_long
            self.stats.resplit += result.split and not result.too_long
            self.stats.numbers_bad += not result.numbers_ok
            self.stats.length_bad += not result.length_ok
            self.stats.untranslated += result.untranslated
            self.stats.glossary_flagged += bool(result.glossary_missing)
        return results

    def translate(self, sentences: Iterable[str]) -> Iterator[Result]:
        """Translations in input order, holding at most `window` sentences at a time."""
        window: list[str] = []
        for sentence in sentences:
            window.append(sentence)
            if len(window) >= self.options.window:
                yield from self._timed(window)
                window = []
        if window:
            yield from self._timed(window)

    def _timed(self, window: list[str]) -> list[Result]:
        started = time.perf_counter()
        results = self._window(window)
        self.stats.seconds += time.perf_counter() - started
        return results
