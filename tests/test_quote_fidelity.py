"""The calibrated quote fidelity (xling/audit/fidelity.py) and the verdicts it drives."""

from __future__ import annotations

import pytest

from xling.audit import fidelity
from xling.audit.quotes import (
    CUT_LOG_MIN,
    CUT_SHARE_MIN,
    DOCUMENT_MATCH_MIN,
    FIDELITY_MIN,
    MATCH_MIN,
    OUTSIDE_MIN,
)
from xling.audit.run import audit_document
from xling.models import store


def test_features_read_the_evidence() -> None:
    f = fidelity.features(0.9, 0.05, 0.5, False, document_ratio=1.0)
    assert f["similarity"] == 0.9 and f["contrast"] == 0.05 and f["numbers"] == -1.0
    assert f["log_length_ratio"] == pytest.approx(-0.6931, abs=1e-4)
    assert f["shortfall"] == pytest.approx(0.6931, abs=1e-4)
    # Relative to the document: a translator who writes 30% longer is not "longer" here.
    g = fidelity.features(0.9, None, 1.3, None, document_ratio=1.3)
    assert g["log_length_ratio"] == 0.0 and g["shortfall"] == 0.0
    assert g["contrast"] == 0.0 and g["numbers"] == 0.0


def test_score_is_a_share_in_0_1_and_moves_with_the_evidence() -> None:
    kept = fidelity.features(0.92, 0.06, 1.0, None)
    cut = fidelity.features(0.89, 0.03, 0.33, None)  # the first third of the words
    unrelated = fidelity.features(0.81, -0.03, 1.0, None)  # another quote: e5 still ~0.8
    scores = [fidelity.score(x) for x in (kept, cut, unrelated)]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[0] > scores[1] > scores[2]
    differ = fidelity.features(0.92, 0.06, 1.0, False)
    assert fidelity.score(differ) < fidelity.score(kept)


def test_shipped_thresholds_separate_typical_pairs() -> None:
    """Typical e5-small evidence (eval/results/quote_fidelity.json) against the shipped
    thresholds: a faithful quotation is matched and not flagged; another quotation with the
    usual 0.80 cosine of unrelated news text, less similar than another Arabic sentence, is
    flagged when it stands in the aligned sentences and not matched elsewhere in the document.
    (FIDELITY_MIN is chosen with the cut check for at most 10% of flagged untouched dev
    documents: eval/quote_cut.py.)"""
    kept = fidelity.score(fidelity.features(0.92, 0.06, 1.0, True))
    unrelated = fidelity.score(fidelity.features(0.80, -0.05, 1.0, None))
    assert kept >= FIDELITY_MIN and kept >= MATCH_MIN and kept >= DOCUMENT_MATCH_MIN
    assert unrelated < FIDELITY_MIN and unrelated < DOCUMENT_MATCH_MIN


# --- with the real encoder ------------------------------------------------------------------

needs_encoder = pytest.mark.skipif(
    not store.is_built("e5-small"), reason="the e5-small encoder is not built (make setup)"
)

EN = "\n".join(
    [
        "A Russian court charged four men on Sunday after gunmen attacked a concert hall.",
        '"We will not allow anyone to threaten the security of our citizens or to sow panic '
        'in our cities," the interior minister said.',
        "The hall holds about 6,000 people.",
    ]
)
AR = "\n".join(
    [
        "وجهت محكمة روسية يوم الأحد اتهامات لأربعة رجال بعد أن هاجم مسلحون قاعة للحفلات.",
        "وقال وزير الداخلية: «لن نسمح لأحد بتهديد أمن مواطنينا أو بنشر الذعر في مدننا».",
        "وتتسع القاعة لنحو 6000 شخص.",
    ]
)


@pytest.fixture(scope="module")
def embedder():
    from xling.align.embed import load_embedder

    return load_embedder("e5-small")


def _quote(ar: str, embedder, en: str = EN) -> dict:
    """The item of the English quotation."""
    report = audit_document("d", en, ar, embedder=embedder).to_json()
    (quote,) = [q for q in report["quotes"] if q["en"]]
    return quote


@pytest.mark.models
@needs_encoder
def test_faithful_cut_and_altered_quotation(embedder) -> None:
    kept = _quote(AR, embedder)
    assert kept["verdict"] == "kept" and not kept["flagged"]
    assert kept["fidelity"]["score"] >= FIDELITY_MIN
    assert set(kept["fidelity"]["features"]) == set(fidelity.FEATURES)
    assert kept["fidelity"]["calibration"] == fidelity.MODEL
    # cut to its first third, as the corruption suite does
    cut = _quote(AR.replace(" بتهديد أمن مواطنينا أو بنشر الذعر في مدننا", ""), embedder)
    altered = _quote(
        AR.replace("لن نسمح لأحد بتهديد أمن مواطنينا أو بنشر الذعر في مدننا", "الطقس جميل اليوم"),
        embedder,
    )
    # The cut keeps 3 of 10 words: its score drops well below the faithful one's, and the
    # cut check flags it from the lengths (eval/RESULTS.md reports the recall of cuts).
    assert cut["verdict"] == "kept"
    assert cut["fidelity"]["score"] < kept["fidelity"]["score"] - 0.3
    assert cut["fidelity"]["features"]["shortfall"] > 0.5
    assert cut["flagged"] and cut["evidence"]["reasons"][0].startswith("content differs (cut: ")
    # Another text in the quote marks: the alignment drops the sentence, the quote is missing.
    assert altered["flagged"]
    assert altered["verdict"] in ("missing", "paraphrased") or any(
        r.startswith("content differs") for r in altered["evidence"]["reasons"]
    )


# --- the cut check (length evidence, no encoder needed) ---------------------------------------

CUT_EN = "\n".join(
    [
        "The attack killed more than 130 people and injured 180 others.",
        '"It is very good for the recruitment of the Islamic State," Bill Roggio said.',
        "The group was also behind the bombing of the abbey gate in 2021.",
    ]
)
CUT_AR = "\n".join(
    [
        "وأسفر الهجوم عن مقتل أكثر من ١٣٠ شخصًا وإصابة ١٨٠ آخرين.",
        "وقال بيل روجيو: “من الجيد حقا أن يقوم التجنيد لصالح تنظيم الدولة الإسلامية”.",
        "وكانت الجماعة وراء تفجير بوابة الدير في عام 2021.",
    ]
)
# cut to its first three words, as the corruption suite cuts (to a third)
CUT = CUT_AR.replace(" أن يقوم التجنيد لصالح تنظيم الدولة الإسلامية”", "”")
# the translator closed the marks after three words; the rest stands outside them
OUTSIDE = CUT_AR.replace("حقا أن", "حقا” أن").replace("الإسلامية”", "الإسلامية")


def _cut_quote(ar: str, embedder) -> dict:
    report = audit_document("d", CUT_EN, ar, embedder=embedder).to_json()
    (quote,) = report["quotes"]
    return quote


def _reasons(quote: dict) -> list[str]:
    return quote["evidence"]["reasons"]


def test_cut_quotation_is_flagged_without_an_encoder() -> None:
    """A quote cut to its first three words: much shorter than the document's length ratio
    predicts, and its sentence lacks the words too. Flagged "content differs (cut: ...)" from
    the lengths alone (the calibrated score is null without an encoder)."""
    kept, cut = _cut_quote(CUT_AR, None), _cut_quote(CUT, None)
    assert kept["verdict"] == "kept" and not kept["flagged"] and not _reasons(kept)
    assert cut["verdict"] == "kept" and cut["fidelity"]["score"] is None
    evidence = cut["fidelity"]["cut"]
    assert evidence["quote_log_ratio"] <= -CUT_LOG_MIN
    assert evidence["deficit_share"] >= CUT_SHARE_MIN
    assert cut["flagged"] and _reasons(cut)[0].startswith("content differs (cut: ")


def test_words_outside_the_marks_are_not_a_cut() -> None:
    """The same three quoted words, but the rest of the quote stands after the closing mark:
    the sentence is as long as the document's ratio predicts, so nothing was cut."""
    outside = _cut_quote(OUTSIDE, None)
    assert outside["verdict"] == "kept" and outside["ar"]["text"] == "من الجيد حقا"
    evidence = outside["fidelity"]["cut"]
    assert evidence["quote_log_ratio"] <= -CUT_LOG_MIN
    assert evidence["deficit_share"] < CUT_SHARE_MIN
    assert not outside["flagged"] and not _reasons(outside)


@pytest.mark.models
@needs_encoder
def test_words_outside_the_marks_are_not_flagged_for_low_fidelity(embedder) -> None:
    """With the encoder, the English quote against three of its words scores low; the cut
    check tells this from a cut: no "content differs" flag, while the cut one is flagged."""
    outside, cut = _cut_quote(OUTSIDE, embedder), _cut_quote(CUT, embedder)
    assert outside["fidelity"]["score"] < FIDELITY_MIN
    assert not outside["flagged"]
    assert cut["flagged"] and _reasons(cut)[0].startswith("content differs (cut: ")


# --- the word evidence: where a short quote's missing words are ------------------------------

# The first lines of a TICO-19 window (CC0; dev2 of the corruption suite): the CDC's words are
# a quotation in the third line. The suite cut it to a third, and its one-sentence document
# ratio let the lengths read the lost words as standing outside the marks (a dev2 miss).
SOAP_EN = "\n".join(
    [
        "Solid soap, because of its reusable nature, may hold bacteria acquired from previous"
        " uses.",
        "A small number of studies which have looked at the bacterial transfer from contaminated"
        " solid soap have concluded transfer is unlikely as the bacteria are rinsed off with the"
        " foam.",
        'The CDC still states "liquid soap with hands-free controls for dispensing is preferable".',
        "Antibacterial soaps have been heavily promoted to a health-conscious public.",
    ]
)
SOAP_AR = "\n".join(
    [
        "قد يحمل الصابون الصلب، بسبب طبيعته القابلة لإعادة الاستخدام، البكتيريا المكتسبة من"
        " الاستخدامات السابقة.",
        "قد خلص عدد قليل من الدراسات التي لاحظت الانتقال البكتيري من الصابون الصلب الملوث إلى"
        " أن الانتقال غير محتمل لأن البكتيريا يتم غسلها بالرغوة.",
        'لا تزال مراكز مكافحة الأمراض والوقاية منها تنص على أنه "يفضل استخدام الصابون السائل'
        ' من الأجهزة التي تعمل دون لمس لضخ الصابون".',
        "رُوِج للصابون المضاد للبكتيريا بشكل كبير للمستهلكين المهتمين بالصحة.",
    ]
)
SOAP_CUT = SOAP_AR.replace(' من الأجهزة التي تعمل دون لمس لضخ الصابون"', '"')
# the translator closed the marks after the same four words; the rest stands after them
SOAP_OUTSIDE = SOAP_AR.replace("السائل من", 'السائل" من').replace('الصابون".', "الصابون.")


@pytest.mark.models
@needs_encoder
def test_word_aligner_finds_a_cut_the_lengths_read_as_words_outside(embedder) -> None:
    """Both Arabic quotes keep four of twelve words and both sentences are about as long as
    the document's ratio predicts (deficit_share < CUT_SHARE_MIN), so the lengths call both
    "words outside the marks". The word aligner links most of the missing English words to
    Arabic words after the closing mark in one, none in the other (the cut): only the cut is
    flagged (before the word evidence, neither was)."""
    kept, cut, outside = (_quote(ar, embedder, SOAP_EN) for ar in (SOAP_AR, SOAP_CUT, SOAP_OUTSIDE))
    assert kept["verdict"] == "kept" and not kept["flagged"]
    for quote in (cut, outside):
        evidence = quote["fidelity"]["cut"]
        assert quote["verdict"] == "kept" and quote["ar"]["text"] == "يفضل استخدام الصابون السائل"
        assert evidence["quote_log_ratio"] <= -CUT_LOG_MIN
        assert evidence["deficit_share"] < CUT_SHARE_MIN
    assert cut["fidelity"]["cut"]["outside_share"] < OUTSIDE_MIN
    assert cut["flagged"] and _reasons(cut)[0].startswith("content differs (cut: ")
    assert "word aligner" in _reasons(cut)[0]
    assert outside["fidelity"]["cut"]["outside_share"] >= OUTSIDE_MIN
    assert not outside["flagged"] and not _reasons(outside)
