"""Choosing among a beam's candidates: minimum Bayes risk with chrF.

The candidate with the highest mean chrF against the others is the one they agree with most:
an outlier (a hallucinated clause, a dropped one) loses even when the model scores it best.
"""

from __future__ import annotations

from sacrebleu.metrics import CHRF

from xling.translate.engine import Hypothesis

_CHRF = CHRF()


def consensus(hyps: list[Hypothesis]) -> Hypothesis:
    """The usable candidate (not empty, not cut at the length limit) with the highest mean
    sentence chrF against the other usable ones; ties go to the more probable one (earlier in
    the beam's order). With fewer than 3 usable candidates, the beam's best."""
    usable = [h for h in hyps if h.text and not h.hit_limit]
    if len(usable) < 3:
        return hyps[0]

    def agreement(i: int) -> float:
        others = [h.text for j, h in enumerate(usable) if j != i]
        return sum(_CHRF.sentence_score(usable[i].text, [o]).score for o in others) / len(others)

    best = max(range(len(usable)), key=lambda i: (agreement(i), -i))
    return usable[best]
