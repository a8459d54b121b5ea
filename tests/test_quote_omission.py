"""A deleted quotation is `missing` even when the aligner pairs its sentence with a neighbour's
translation (xling/audit/quotes.py carried_evidence, OWN_MARGIN_MIN and ROOM_MIN; chosen on
the NTREX-128 dev documents by eval/quote_omission.py). The two documents and deletions are
those of the corruption suite (eval/audit_corruption.py, --split dev) where the check was
missing before."""

from __future__ import annotations

import pytest
from conftest import CORPORA, need

from xling.audit.quotes import OWN_MARGIN_MIN, ROOM_MIN
from xling.audit.run import audit_document, settings
from xling.models import store

needs_encoder = pytest.mark.skipif(
    not store.is_built("e5-small"), reason="the e5-small encoder is not built (make setup)"
)


def _ntrex(doc_id: str) -> tuple[str, str]:
    folder = need(CORPORA / "ntrex128")
    ids = (folder / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    en = (folder / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    ar = (folder / "newstest2019-ref.arb.txt").read_text(encoding="utf-8").splitlines()
    rows = [k for k, d in enumerate(ids) if d == doc_id and en[k].strip() and ar[k].strip()]
    clean = [" ".join(x.split()) for x in (en[k] for k in rows)]
    return "\n".join(clean), "\n".join(" ".join(ar[k].split()) for k in rows)


def _delete_sentence(en: str, ar: str, index: int, embedder) -> tuple[str, str]:
    """The suite's quote_deleted: Arabic sentence `index` removed (as the untouched audit
    splits it), spaces tidied; returns the corrupted Arabic and the removed sentence."""
    clean = audit_document("d", en, ar, embedder=embedder).to_json()
    a, b = clean["alignment"]["ar_offsets"][index]
    lines = [" ".join(x.split()) for x in (ar[:a] + ar[b:]).split("\n")]
    return "\n".join(x for x in lines if x), ar[a:b]


@pytest.fixture(scope="module")
def embedder():
    from xling.align.embed import load_embedder

    return load_embedder("e5-small")


def _quote(report: dict, start: str) -> dict:
    return next(q for q in report["quotes"] if q["en"] and q["en"]["text"].startswith(start))


@pytest.mark.models
@needs_encoder
def test_deleted_quote_read_as_a_neighbours_translation_is_missing(embedder) -> None:
    # dailymail.co.uk.298738: the Arabic sentence of "I thought he was going to kill me ..."
    # is deleted; the aligner links the English sentence to the next Arabic sentence, which
    # is the translation of another English sentence (e5 closer to it than to the quote's).
    # Before: `paraphrased` ("quote marks dropped").
    en, ar = _ntrex("dailymail.co.uk.298738")
    corrupted, removed = _delete_sentence(en, ar, 8, embedder)
    assert removed.count('"') >= 2 or "“" in removed
    report = audit_document("d", en, corrupted, embedder=embedder).to_json()
    deleted = [
        q
        for q in report["quotes"]
        if q["en"]
        and q["evidence"]["reasons"][:1] == ["aligned Arabic translates another sentence"]
    ]
    assert len(deleted) == 1 and deleted[0]["verdict"] == "missing" and deleted[0]["flagged"]
    assert deleted[0]["evidence"]["carried"]["own_margin"] < OWN_MARGIN_MIN
    # The untouched document keeps every quotation it kept before.
    clean = audit_document("d", en, ar, embedder=embedder).to_json()
    assert not any(q["verdict"] == "missing" for q in clean["quotes"])


@pytest.mark.models
@needs_encoder
def test_deleted_quote_is_not_paired_with_an_arabic_quote_that_has_no_room(embedder) -> None:
    # newsweek.51307: the Arabic sentence of the quote is deleted; before, the English quote
    # was paired with an Arabic quote elsewhere in the document (scope "document", kept
    # with a fidelity above FIDELITY_MIN: not flagged at all), whose sentence is already the
    # whole translation of its own English sentence.
    en, ar = _ntrex("newsweek.51307")
    corrupted, _ = _delete_sentence(en, ar, 5, embedder)
    report = audit_document("d", en, corrupted, embedder=embedder).to_json()
    assert not any(q["evidence"]["scope"] == "document" for q in report["quotes"])
    missing = [q for q in report["quotes"] if q["verdict"] == "missing"]
    assert len(missing) == 1 and missing[0]["flagged"]


def test_the_signature_hashes_the_omission_thresholds() -> None:
    thresholds = settings(None, "e5-small")["thresholds"]
    assert thresholds["quote_own_margin"] == OWN_MARGIN_MIN
    assert thresholds["quote_document_room"] == ROOM_MIN
