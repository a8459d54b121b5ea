"""Per-sentence features that the alignment signals compare, all additive over sentences.

Every feature of a run of sentences is the sum of its sentences' features (lengths, bags of
words, bags of numbers; embeddings are summed and compared by cosine, the usual stand-in for
embedding the concatenation). That is what lets the DP score 2-1 and 2-2 links and lets
the coarse-to-fine search halve a document by summing neighbours.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from xling.text.numbers import extract_numbers, is_soft

LEXICAL_DIM = 4096  # hashed bag of words: collisions are rare for one document's vocabulary
NUMBER_DIM = 512
_WORD = re.compile(r"[^\W_]+")
# Kinds of numbers that anchor sentences; vague ones ("dozens", "half") are too loose.
_ANCHOR_KINDS = frozenset({"digits", "year", "percent", "time", "roman", "words", "ordinal"})


@dataclass
class Side:
    """Features of one side's sentences: lengths (n,), named (n, d) matrices, and optionally
    for a signal the embeddings of each two adjacent sentences joined: pairs[k][i] embeds
    sentences i-2 and i-1 as one text (rows 0 and 1 unused). A 2-sentence span then uses
    its own embedding, as Vecalign and Bertalign do, instead of the sum of its parts."""

    lengths: np.ndarray
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    pairs: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.lengths)

    def subset(self, ids: list[int]) -> Side:
        """The sentences `ids` (increasing) only. A joined pair is kept where both of its
        sentences are kept and adjacent; elsewhere it is zero (links must not join
        sentences that are apart: the caller cuts there)."""
        rows = np.asarray(ids, dtype=np.int64)
        pairs = {}
        for k, joined in self.pairs.items():
            out = np.zeros((len(rows) + 1, joined.shape[1]), dtype=joined.dtype)
            if len(rows) > 1:
                adjacent = np.nonzero(rows[1:] == rows[:-1] + 1)[0]
                # out[p] embeds kept sentences p-2, p-1 = original rows[p-1]-1, rows[p-1].
                out[adjacent + 2] = joined[rows[adjacent + 1] + 1]
            pairs[k] = out
        return Side(self.lengths[rows], {k: v[rows] for k, v in self.vectors.items()}, pairs)

    def coarsen(self) -> Side:
        """Adjacent sentences summed; joined-pair embeddings do not carry over."""
        return Side(_pairsum(self.lengths), {k: _pairsum(v) for k, v in self.vectors.items()})


def _pairsum(x: np.ndarray) -> np.ndarray:
    """Rows 2k and 2k+1 summed (the last row alone when the count is odd)."""
    if len(x) % 2:
        x = np.concatenate([x, np.zeros_like(x[:1])])
    return x[0::2] + x[1::2]


def char_lengths(texts: list[str]) -> np.ndarray:
    """Characters without spaces: Arabic and English space their words differently."""
    return np.array([sum(not ch.isspace() for ch in t) for t in texts], dtype=np.float64)


def _bucket(key: str, dim: int) -> int:
    return zlib.crc32(key.encode("utf-8")) % dim  # stable across processes, unlike hash()


def _tokens(text: str) -> list[str]:
    """Lower-cased words, plus a 5-letter prefix as a cheap stem ("worried" ~ "worries")."""
    out = []
    for word in _WORD.findall(text.lower()):
        out.append(word)
        if len(word) > 5:
            out.append(word[:5] + "~")
    return out


def lexical_vectors(
    left: list[str], right: list[str], dim: int = LEXICAL_DIM
) -> tuple[np.ndarray, np.ndarray]:
    """TF-IDF bags of words for English sentences and the MT of the Arabic ones.

    IDF is counted over both sides' sentences, so words in most sentences (the, of, a) weigh
    little and rare shared words (names, terms) dominate, as BLEU-based aligners rely on.
    """
    bags = [Counter(_tokens(t)) for t in [*left, *right]]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    total = len(bags)
    out = np.zeros((total, dim), dtype=np.float32)
    for row, bag in enumerate(bags):
        for token, count in bag.items():
            out[row, _bucket(token, dim)] += count * math.log((total + 1) / (df[token] + 0.5))
    return out[: len(left)], out[len(left) :]


def number_keys(text: str, lang: str) -> list[str]:
    keys = []
    for mention in extract_numbers(text, lang):
        # "one", "first": as often idiom as number (is_soft, the rule the audit uses too).
        if mention.kind not in _ANCHOR_KINDS or is_soft(mention):
            continue
        keys.append(f"{mention.value:.6g}")
    return keys


def number_vectors(texts: list[str], lang: str, dim: int = NUMBER_DIM) -> np.ndarray:
    """Hashed counts of the number values in each sentence (130 = ١٣٠ = one hundred thirty)."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for row, text in enumerate(texts):
        for key in number_keys(text, lang):
            out[row, _bucket(key, dim)] += 1.0
    return out
