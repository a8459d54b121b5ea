"""Choosing among a beam's candidates: minimum Bayes risk with chrF, or the candidate closest
in meaning to the source (cross-lingual e5 embeddings).

The candidate with the highest mean chrF against the others is the one they agree with most:
an outlier (a hallucinated clause, a dropped one) loses even when the model scores it best.
The source-similarity choice looks at the Arabic instead of the other candidates.
"""

from __future__ import annotations

import numpy as np
from sacrebleu.metrics import CHRF

from xling.translate.engine import Hypothesis

_CHRF = CHRF()


def consensus(hyps: list[Hypothesis]) -> Hypothesis:
    """The usable candidate (not empty, not cut at the length limit) with the highest mean
    sentence chrF against the other usable ones; ties go to the more probable one (earlier in
    the beam's order). With fewer than 3 usable candidates, the beam's best."""
    keep = usable(hyps)
    texts = [hyps[i].text for i in keep]
    if len(texts) < 3:
        return hyps[0]

    def agreement(i: int) -> float:
        others = [t for j, t in enumerate(texts) if j != i]
        return sum(_CHRF.sentence_score(texts[i], [o]).score for o in others) / len(others)

    best = max(range(len(texts)), key=lambda i: (agreement(i), -i))
    return hyps[keep[best]]


def usable(hyps: list[Hypothesis]) -> list[int]:
    """Indices of the candidates worth choosing: not empty, not cut at the length limit."""
    return [i for i, h in enumerate(hyps) if h.text and not h.hit_limit]


def closest_to_source(
    source: np.ndarray, candidates: np.ndarray, hyps: list[Hypothesis]
) -> Hypothesis:
    """The usable candidate whose embedding is nearest the source's (rows L2-normalised, one
    per hypothesis); ties go to the more probable one. None usable: the beam's best."""
    keep = usable(hyps)
    if not keep:
        return hyps[0]
    similarity = candidates[keep] @ source
    return hyps[keep[int(np.argmax(similarity))]]  # argmax: the first of equals
