"""Link scores for the DP: the combined signal model, and classic Gale–Church as a baseline.

`SignalScorer` gives a link of a English and b Arabic sentences the score

    − factor(a, b) · distance − penalty(a, b) + w_len · log P(length) + number term

and each unaligned sentence − skip. `distance` is the weighted mean over the vector signals
(sentence embeddings; English words against the MT of the Arabic) of Vecalign's normalised
cosine distance: about 1 for an unrelated pair, lower for a translation. A span of several
sentences is the sum of their vectors, or, for two sentences with embeddings, the embedding
of the two joined (`Side.pairs`). factor = a·b
(Vecalign), so two good 1-1 links are never merged into a 2-2, while a true merge, whose
parts match only halfway, beats its best 1-1 plus a skip. Numbers shared by both sides
add a bonus, disjoint numbers a malus; the length term is Gale–Church's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from xling.align.features import Side

# Numerical Recipes' erfcc: erfc(z) = t·exp(−z² + P(t)), t = 1 / (1 + z/2), P below.
_ERFC_POLY = (
    -1.26551223,
    1.00002368,
    0.37409196,
    0.09678418,
    -0.18628806,
    0.27886807,
    -1.13520398,
    1.48851587,
    -0.82215223,
    0.17087277,
)


def log_tail(delta: np.ndarray | float) -> np.ndarray:
    """log P(|Z| >= |delta|) for a standard normal Z: log erfc(|delta|/√2), computed in log
    space so it stays finite for large |delta| (relative error < 1.2e-7)."""
    z = np.abs(np.asarray(delta, dtype=np.float64)) / np.sqrt(2.0)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = np.zeros_like(t)
    for coefficient in reversed(_ERFC_POLY):
        poly = poly * t + coefficient
    return np.log(t) - z * z + poly


_MERGE_PENALTY = {(2, 1): 0.02, (1, 2): 0.02, (2, 2): 0.05, (3, 1): 0.05, (1, 3): 0.05}


@dataclass
class Weights:
    """The combined model's parameters, tuned on the even-numbered perturbed NTREX documents
    (eval/sentence_align.py --tune); the odd-numbered ones are held out."""

    # Which similarity signals to average, and how much each counts. MT from the fast model
    # is noisy (it invents names) and added nothing to the embeddings when tuned (weight 0:
    # MT is then used only when there are no embeddings); raise it for better MT.
    similarity: dict[str, float] = field(default_factory=lambda: {"embed": 1.0, "mt": 0.0})
    # Per signal: the cost of leaving a sentence unaligned (an unrelated 1-1 costs about 1),
    # and a hinge: distances above `hinge` cost `hinge_slope` more per unit, so unrelated
    # sentences (a deletion next to an insertion) stay apart instead of pairing as a poor
    # 1-1. With several signals their values are averaged with the similarity weights.
    skip: dict[str, float] = field(default_factory=lambda: {"embed": 0.6, "mt": 1.0})
    hinge: float = 0.8
    hinge_slope: dict[str, float] = field(default_factory=lambda: {"embed": 2.0, "mt": 0.0})
    length: float = 0.15  # weight of Gale–Church's log P(length difference)
    numbers_match: float = 0.4  # bonus (shared numbers) or malus (disjoint ones)
    numbers_one_side: float = 0.0  # malus when only one side has numbers
    # Distance multiplier per link type [default a·b, Vecalign's] and extra cost per type.
    factor: dict[tuple[int, int], float] = field(default_factory=dict)
    # A small extra cost for merges breaks ties towards 1-1 (two perfect 1-1 links and the
    # 2-2 made of them both have distance 0).
    penalty: dict[tuple[int, int], float] = field(default_factory=lambda: dict(_MERGE_PENALTY))
    variance: float = 6.8  # Gale–Church's variance of the length difference per character


def _length_delta(le: np.ndarray, la: np.ndarray, ratio: float, variance: float) -> np.ndarray:
    """Gale–Church's standardised length difference of an English and an Arabic span."""
    mean = np.maximum((le + la / ratio) / 2.0, 1.0)
    return (la - ratio * le) / np.sqrt(variance * mean)


class _Cross:
    """Dot products between sums of consecutive rows of X and of Y, inside a DP band.

    Only the products of single rows near the band are computed; a span's product is the
    sum of a block of them, read from per-row prefix sums. Span norms come from the
    products of each row with its next two neighbours.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray):
        self.x = x
        self.y = y
        self.norm_en = _span_norms(x)
        self.norm_ar = _span_norms(y)
        # Dot product of each row with the mean direction of the other side: a span's mean
        # cosine with random sentences of the other side, which Vecalign divides by.
        self.mean_en, self.mean_ar = _mean_direction(x), _mean_direction(y)
        self.to_ar_mean = np.concatenate(([0.0], np.cumsum(x @ self.mean_ar)))
        self.to_en_mean = np.concatenate(([0.0], np.cumsum(y @ self.mean_en)))

    def rebase(self, mean_en: np.ndarray, mean_ar: np.ndarray) -> None:
        """Use these mean directions (of a larger document) for the random cosines."""
        self.mean_en, self.mean_ar = mean_en, mean_ar
        self.to_ar_mean = np.concatenate(([0.0], np.cumsum(self.x @ mean_ar)))
        self.to_en_mean = np.concatenate(([0.0], np.cumsum(self.y @ mean_en)))

    def prepare(self, lo: np.ndarray, hi: np.ndarray) -> None:
        n, m = len(self.x), len(self.y)
        # Row p is read by DP rows p+1..p+3, at columns down to their band's start minus 3.
        self.glo = np.empty(n, dtype=np.int64)
        ghi = np.empty(n, dtype=np.int64)
        for p in range(n):
            self.glo[p] = max(0, int(lo[p + 1 : p + 4].min()) - 3)
            ghi[p] = min(m, int(hi[p + 1 : p + 4].max()))
        width = int((ghi - self.glo).max()) if n else 0
        self.prefix = np.zeros((n, width + 1), dtype=np.float64)
        if n and int(self.glo.max()) == 0 and int(ghi.min()) == m:
            self.prefix[:, 1:] = np.cumsum(self.x @ self.y.T, axis=1)
            return
        for p in range(n):
            row = self.y[self.glo[p] : ghi[p]] @ self.x[p]
            self.prefix[p, 1 : len(row) + 1] = np.cumsum(row)
            self.prefix[p, len(row) + 1 :] = self.prefix[p, len(row)]

    def dot(self, a: int, b: int, i: int, cols: np.ndarray) -> np.ndarray:
        total = np.zeros(len(cols))
        for p in range(i - a, i):
            k = cols - self.glo[p]
            total += self.prefix[p, k] - self.prefix[p, k - b]
        return total

    def random_cosine(self, a: int, b: int, i: int, cols: np.ndarray):
        """Mean cosine of the English span with any Arabic sentence, and of the Arabic
        spans with any English sentence."""
        ne, na = self.norm_en[a][i], self.norm_ar[b][cols]
        en = (self.to_ar_mean[i] - self.to_ar_mean[i - a]) / np.sqrt(ne) if ne > 0 else 0.0
        with np.errstate(invalid="ignore", divide="ignore"):
            ar = (self.to_en_mean[cols] - self.to_en_mean[cols - b]) / np.sqrt(na)
        return en, np.where(na > 0, ar, 0.0)

    def cosine(self, a: int, b: int, i: int, cols: np.ndarray) -> np.ndarray:
        norms = self.norm_en[a][i] * self.norm_ar[b][cols]
        with np.errstate(invalid="ignore", divide="ignore"):
            cos = self.dot(a, b, i, cols) / np.sqrt(norms)
        return np.where(norms > 0, cos, 0.0)


def _mean_direction(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    unit = np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
    return unit.mean(axis=0) if len(x) else np.zeros(x.shape[1], dtype=x.dtype)


def _span_norms(x: np.ndarray) -> dict[int, np.ndarray]:
    """norms[a][i] = |x[i-a] + ... + x[i-1]|² for a = 1..3 (0 where i < a)."""
    n = len(x)
    d0 = np.einsum("ij,ij->i", x, x).astype(np.float64)
    d1 = np.einsum("ij,ij->i", x[:-1], x[1:]).astype(np.float64) if n > 1 else np.zeros(0)
    d2 = np.einsum("ij,ij->i", x[:-2], x[2:]).astype(np.float64) if n > 2 else np.zeros(0)
    out = {a: np.zeros(n + 1) for a in (1, 2, 3)}
    out[1][1:] = d0
    if n > 1:
        out[2][2:] = d0[:-1] + d0[1:] + 2 * d1
    if n > 2:
        out[3][3:] = d0[:-2] + d0[1:-1] + d0[2:] + 2 * (d1[:-1] + d1[1:]) + 2 * d2
    return out


class SignalScorer:
    """The combined model over whichever signals the sides carry (see the module docstring)."""

    def __init__(self, en: Side, ar: Side, weights: Weights, ratio: float | None = None):
        self.en, self.ar, self.w = en, ar, weights
        self.n, self.m = en.n, ar.n
        self.ratio = ratio if ratio is not None else _ratio(en, ar)
        available = [k for k in weights.similarity if k in en.vectors and k in ar.vectors]
        # Weights are relative: a signal with weight 0 is left out when another one is there,
        # and used alone (weight 1) when it is the only one.
        self.weight = {k: weights.similarity[k] for k in available if weights.similarity[k] > 0}
        if not self.weight:
            self.weight = {k: 1.0 for k in available}
        self.signals = list(self.weight)
        self.cross = {k: _Cross(en.vectors[k], ar.vectors[k]) for k in self.signals}
        self.skip = self._mix(weights.skip, 0.6)
        self.hinge_slope = self._mix(weights.hinge_slope, 0.0)
        self.numbers = (
            _Cross(en.vectors["numbers"], ar.vectors["numbers"])
            if "numbers" in en.vectors and "numbers" in ar.vectors
            else None
        )
        self.len_en = np.concatenate(([0.0], np.cumsum(en.lengths)))
        self.len_ar = np.concatenate(([0.0], np.cumsum(ar.lengths)))

    def _mix(self, values: dict[str, float], default: float) -> float:
        """A per-signal parameter averaged over the active signals with their weights."""
        total = sum(self.weight.values())
        if not total:
            return default
        return sum(w * values.get(k, default) for k, w in self.weight.items()) / total

    def prepare(self, lo: np.ndarray, hi: np.ndarray) -> None:
        for cross in self.cross.values():
            cross.prepare(lo, hi)
        if self.numbers is not None:
            self.numbers.prepare(lo, hi)

    def distance(self, a: int, b: int, i: int, cols: np.ndarray) -> np.ndarray:
        """Weighted mean over signals of Vecalign's normalised distance: 1 − cosine, divided
        by the spans' mean 1 − cosine with random sentences of the other side (so about 1
        for an unrelated pair, whatever the span sizes; sums of embeddings are closer to
        everything, which would otherwise favour merging good 1-1 links)."""
        total = np.zeros(len(cols))
        weight = 0.0
        for k in self.signals:
            if a <= 2 and b <= 2 and a + b > 2 and k in self.en.pairs and k in self.ar.pairs:
                cos, rand_en, rand_ar = self._joined_cosine(k, a, b, i, cols)
            else:
                cross = self.cross[k]
                cos = cross.cosine(a, b, i, cols)
                rand_en, rand_ar = cross.random_cosine(a, b, i, cols)
            scale = np.maximum((1.0 - rand_en) + (1.0 - rand_ar), 1e-6) / 2.0
            total += self.weight[k] * (1.0 - cos) / scale
            weight += self.weight[k]
        total = total / weight if weight else total
        if self.hinge_slope:
            total = total + self.hinge_slope * np.maximum(0.0, total - self.w.hinge)
        return total

    def _joined_cosine(self, k: str, a: int, b: int, i: int, cols: np.ndarray):
        """Cosine of spans of up to 2 sentences embedded as one text, and each span's
        cosine with the other side's mean direction."""
        x = self.en.vectors[k][i - 1] if a == 1 else self.en.pairs[k][i]
        ys = self.ar.vectors[k][cols - 1] if b == 1 else self.ar.pairs[k][cols]
        nx = max(float(np.linalg.norm(x)), 1e-12)
        ny = np.maximum(np.linalg.norm(ys, axis=1), 1e-12)
        cross = self.cross[k]
        cos = (ys @ x) / (nx * ny)
        return cos, float(x @ cross.mean_ar) / nx, (ys @ cross.mean_en) / ny

    def similarity(self, a: int, b: int, i: int, cols: np.ndarray) -> np.ndarray:
        """1 − distance: about 0 for an unrelated pair, towards 1 for a close translation."""
        return 1.0 - self.distance(a, b, i, cols)

    def score(self, a: int, b: int, i: int, cols: np.ndarray) -> np.ndarray:
        w = self.w
        # Vecalign's cost: distance times a·b, so merging two good 1-1 links into a 2-2
        # never pays, while a true merge (whose parts only half-match) does.
        out = -w.factor.get((a, b), a * b) * self.distance(a, b, i, cols)
        out -= w.penalty.get((a, b), 0.0)
        if w.length:
            le = self.len_en[i] - self.len_en[i - a]
            la = self.len_ar[cols] - self.len_ar[cols - b]
            out += w.length * log_tail(_length_delta(le, la, self.ratio, w.variance))
        if self.numbers is not None:
            has_en = self.numbers.norm_en[a][i] > 0
            has_ar = self.numbers.norm_ar[b][cols] > 0
            if has_en:
                cos = self.numbers.cosine(a, b, i, cols)
                out += np.where(has_ar, w.numbers_match * (2 * cos - 1), -w.numbers_one_side)
            else:
                out -= np.where(has_ar, w.numbers_one_side, 0.0)
        return out

    def skip_en(self) -> np.ndarray:
        return np.full(self.n, -self.skip)

    def skip_ar(self) -> np.ndarray:
        return np.full(self.m, -self.skip)

    def coarsen(self) -> SignalScorer:
        return SignalScorer(self.en.coarsen(), self.ar.coarsen(), self.w, self.ratio)

    def subset(self, en_ids: list[int], ar_ids: list[int]) -> SignalScorer:
        """The scorer of the sentences `en_ids` × `ar_ids` (increasing) only, with the whole
        documents' length ratio and distance normalisation (a sentence's mean cosine with
        the other document, not with the few sentences kept): scores of links inside the
        subset are the whole scorer's."""
        sub = SignalScorer(self.en.subset(en_ids), self.ar.subset(ar_ids), self.w, self.ratio)
        for k, cross in sub.cross.items():
            cross.rebase(self.cross[k].mean_en, self.cross[k].mean_ar)
        return sub


def _ratio(en: Side, ar: Side) -> float:
    """Arabic characters per English character over the document (1 if a side is empty)."""
    total_en, total_ar = float(en.lengths.sum()), float(ar.lengths.sum())
    return total_ar / total_en if total_en > 0 and total_ar > 0 else 1.0


# Gale & Church (1993), table 5: prior probabilities of the link types.
GALE_CHURCH_PRIORS = {
    (1, 1): 0.89,
    (1, 0): 0.0099 / 2,
    (0, 1): 0.0099 / 2,
    (2, 1): 0.089 / 2,
    (1, 2): 0.089 / 2,
    (2, 2): 0.011,
}


class GaleChurchScorer:
    """Length only: log prior(a, b) + log P(|δ|), δ the standardised length difference."""

    def __init__(self, en: Side, ar: Side, variance: float = 6.8, ratio: float | None = None):
        self.en, self.ar, self.variance = en, ar, variance
        self.n, self.m = en.n, ar.n
        self.ratio = ratio if ratio is not None else _ratio(en, ar)
        self.len_en = np.concatenate(([0.0], np.cumsum(en.lengths)))
        self.len_ar = np.concatenate(([0.0], np.cumsum(ar.lengths)))

    def prepare(self, lo: np.ndarray, hi: np.ndarray) -> None:
        pass

    def _log_p(self, le, la, a: int, b: int) -> np.ndarray:
        prior = GALE_CHURCH_PRIORS.get((a, b), 0.001)
        return np.log(prior) + log_tail(_length_delta(le, la, self.ratio, self.variance))

    def score(self, a: int, b: int, i: int, cols: np.ndarray) -> np.ndarray:
        le = self.len_en[i] - self.len_en[i - a]
        la = self.len_ar[cols] - self.len_ar[cols - b]
        return self._log_p(le, la, a, b)

    def skip_en(self) -> np.ndarray:
        return self._log_p(self.en.lengths, 0.0, 1, 0)

    def skip_ar(self) -> np.ndarray:
        return self._log_p(0.0, self.ar.lengths, 0, 1)

    def coarsen(self) -> GaleChurchScorer:
        return GaleChurchScorer(self.en.coarsen(), self.ar.coarsen(), self.variance, self.ratio)
