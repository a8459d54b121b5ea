"""Scores of an audit: carry-over rates, verdict counts, quote fidelity, BLEU/chrF/TER of the MT.

number_carry_over = kept / source numbers, leaving out the soft source numbers that are
missing (see xling.audit.numbers): a dropped "one" is not a translation error to count.
quote_carry_over = kept / source quotations (quotes with a speaker or of 4+ words);
paraphrased quotations count as not carried (their marks were lost).
mean_quote_fidelity = mean fidelity score of the kept and paraphrased quotations.
"""

from __future__ import annotations

from collections import Counter

from sacrebleu.metrics import BLEU, CHRF, TER

from xling.audit.numbers import VERDICTS as NUMBER_VERDICTS
from xling.audit.passages import KINDS as PASSAGE_KINDS
from xling.audit.quotes import VERDICTS as QUOTE_VERDICTS


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def item_scores(
    numbers: list[dict], quotes: list[dict], passages: list[dict] | None = None
) -> dict:
    """Scores from the JSON items of one document or of a whole corpus; `passages` (omitted,
    added and moved passages) are counted by kind."""
    n_counts = Counter(item["verdict"] for item in numbers)
    q_counts = Counter(item["verdict"] for item in quotes)
    counted = [
        item
        for item in numbers
        if item["en"] is not None and (item["verdict"] != "missing" or item["flagged"])
    ]
    kept = sum(item["verdict"] == "kept" for item in counted)
    quotations = [item for item in quotes if item["en"] is not None and item["en"]["quotation"]]
    kept_quotes = sum(item["verdict"] == "kept" for item in quotations)
    fidelities = [
        item["fidelity"]["score"]
        for item in quotations
        if item["fidelity"] and item["fidelity"]["score"] is not None
    ]
    return {
        "number_carry_over": _rate(kept, len(counted)),
        "quote_carry_over": _rate(kept_quotes, len(quotations)),
        "mean_quote_fidelity": round(sum(fidelities) / len(fidelities), 4) if fidelities else None,
        "numbers": {v: n_counts.get(v, 0) for v in NUMBER_VERDICTS},
        "quotes": {v: q_counts.get(v, 0) for v in QUOTE_VERDICTS},
        "numbers_total": len(numbers),
        "numbers_counted": len(counted),
        "quotations_total": len(quotations),
        "flagged": sum(item["flagged"] for item in numbers + quotes),
        "passages": {
            kind: sum(p["kind"] == kind for p in passages or []) for kind in PASSAGE_KINDS
        },
    }


def mt_scores(hypotheses: list[str], references: list[str]) -> dict | None:
    """sacrebleu BLEU, chrF and TER of the MT against the English, with their signatures."""
    if not hypotheses:
        return None
    out = {}
    for name, metric in (("bleu", BLEU()), ("chrf", CHRF()), ("ter", TER())):
        score = metric.corpus_score(hypotheses, [references])
        out[name] = {"score": round(score.score, 2), "signature": str(metric.get_signature())}
    out["segments"] = len(hypotheses)
    return out
