"""Calibrated quote fidelity: how much of an English quotation's content the Arabic kept.

One score in [0, 1]: a logistic model over evidence that needs no MT,
  similarity        cosine of the encoder's (e5-small) vectors of the two quotations;
  contrast          similarity minus that of the best other Arabic sentence of the document
                    (e5 cosines of unrelated news sentences are high, ~0.8: the margin tells
                    "this content" from "some quote"); 0 when the document has no other;
  log_length_ratio  log of the quotation's Arabic/English characters over the same ratio for
                    the whole document (translators differ in how much longer they write);
  shortfall         how far that log ratio is below 0 (a cut quotation is short);
  quote_share       log of the share of its sentences the Arabic quotation takes over the
                    share the English one takes (a cut shortens the quote more than the
                    sentence; the translator's style cancels out);
  share_shortfall   how far that is below 0;
  numbers           +1 when the quotation's numbers agree, -1 when they differ, 0 without any.
The weights were fit by eval/quote_fidelity.py on NTREX-128 (the development split) with soft
labels: an untouched quotation 1, a quotation cut to a fraction f of its words f, another
document's quotation or another quotation of the same document 0; so the score reads as the
expected share of the quotation's content kept. The thresholds below were chosen on the same
split; eval/RESULTS.md ("Calibrated quote fidelity") reports them on held-out documents.

chrF of an MT, when there is one, stays in the evidence but is not in the score: no MT of
the development quotations was made to fit its weight.
"""

from __future__ import annotations

import math

FEATURES = (
    "similarity",
    "contrast",
    "log_length_ratio",
    "shortfall",
    "quote_share",
    "share_shortfall",
    "numbers",
)
# eval/results/quote_fidelity.json ("model"): fit on NTREX-128 dev examples.
WEIGHTS = {
    "similarity": 17.0476,
    "contrast": 12.6063,
    "log_length_ratio": -1.7342,
    "shortfall": -1.9496,
    "quote_share": 0.7448,
    "share_shortfall": 0.7606,
    "numbers": 0.1648,
}
BIAS = -14.905
MODEL = "quote-fidelity-v1"


def features(
    similarity: float,
    contrast: float | None,
    length_ratio: float,
    numbers_agree: bool | None,
    document_ratio: float = 1.0,
    share_ratio: float = 1.0,
) -> dict[str, float]:
    """The evidence of one English/Arabic quotation pair, as the model reads it;
    `document_ratio`: Arabic/English characters of the whole document; `share_ratio`: the
    share of its sentences the Arabic quotation takes over the English one's share."""
    log_ratio = math.log(max(length_ratio, 0.01) / max(document_ratio, 0.01))
    share = math.log(max(share_ratio, 0.01))
    return {
        "similarity": round(similarity, 4),
        "contrast": round(contrast if contrast is not None else 0.0, 4),
        "log_length_ratio": round(log_ratio, 4),
        "shortfall": round(max(0.0, -log_ratio), 4),
        "quote_share": round(share, 4),
        "share_shortfall": round(max(0.0, -share), 4),
        "numbers": 0.0 if numbers_agree is None else (1.0 if numbers_agree else -1.0),
    }


def score(evidence: dict[str, float]) -> float:
    """Share of the quotation's content kept, in [0, 1]."""
    z = BIAS + sum(WEIGHTS[name] * evidence[name] for name in FEATURES)
    return round(1.0 / (1.0 + math.exp(-z)), 4)
