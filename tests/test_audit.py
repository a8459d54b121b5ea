"""Number and quote verdicts, scores and the JSON report of `xling audit` (library level)."""

from __future__ import annotations

import json

import pytest
from conftest import CORPORA, REPO, need

from xling.audit.run import MTInput, audit_document, build_report, settings
from xling.models import store

EN = "\n".join(
    [
        "A Russian court charged four men on Sunday after gunmen attacked a concert hall.",
        "The attack killed more than 130 people and injured 180 others.",
        '"It is very good for the recruitment of the Islamic State," Bill Roggio said.',
        "The group was also behind the bombing of the abbey gate in 2021.",
        "The hall holds about 6,000 people.",
    ]
)
AR = "\n".join(
    [
        "وجهت محكمة روسية يوم الأحد اتهامات لأربعة رجال بعد أن هاجم مسلحون قاعة للحفلات.",
        "وأسفر الهجوم عن مقتل أكثر من ١٣٠ شخصًا وإصابة ١٨٠ آخرين.",
        "وقال بيل روجيو: “من الجيد حقا أن يقوم التجنيد لصالح تنظيم الدولة الإسلامية”.",
        "وكانت الجماعة وراء تفجير بوابة الدير في عام 2021.",
        "وتتسع القاعة لنحو 6000 شخص.",
    ]
)


def audit(en: str, ar: str, **kw) -> dict:
    return audit_document("doc", en, ar, **kw).to_json()


def by_en_value(report: dict) -> dict[float, dict]:
    return {item["en"]["value"]: item for item in report["numbers"] if item["en"]}


def test_faithful_translation_keeps_every_number_and_quote() -> None:
    report = audit(EN, AR)
    numbers = by_en_value(report)
    assert {v: numbers[v]["verdict"] for v in (4, 130, 180, 2021, 6000)} == dict.fromkeys(
        (4, 130, 180, 2021, 6000), "kept"
    )
    item = numbers[130]
    # The value is a plain JSON number whatever the script: "١٣٠" is 130.
    assert item["ar"]["text"] == "١٣٠" and item["ar"]["value"] == 130
    assert item["en"]["qualifier"] == item["ar"]["qualifier"] == "more_than"
    assert item["en"]["unit"] == item["ar"]["unit"] == "people"
    assert item["evidence"]["en_sentences"][0]["index"] == 1
    assert "مقتل أكثر من" in item["evidence"]["ar_sentences"][0]["text"]
    (quote,) = report["quotes"]
    assert quote["verdict"] == "kept"
    assert quote["en"]["speaker"] == "Bill Roggio" and quote["ar"]["speaker"] == "بيل روجيو"
    assert quote["speaker_match"] is True
    assert report["scores"]["number_carry_over"] == 1.0
    assert report["scores"]["quote_carry_over"] == 1.0
    assert report["scores"]["flagged"] == 0


def test_changed_value_qualifier_and_missing_number() -> None:
    ar = AR.replace("أكثر من ١٣٠", "نحو ١٣٠").replace("١٨٠", "١٥٠").replace(" في عام 2021", "")
    report = audit(EN, ar)
    numbers = by_en_value(report)
    assert numbers[130]["verdict"] == "qualifier_changed"
    assert numbers[130]["ar"]["qualifier"] == "about"
    assert numbers[180]["verdict"] == "changed" and numbers[180]["ar"]["value"] == 150
    assert "became" in numbers[180]["evidence"]["note"]
    assert numbers[2021]["verdict"] == "missing" and numbers[2021]["ar"] is None
    assert all(numbers[v]["flagged"] for v in (130, 180, 2021))
    counts = report["scores"]["numbers"]
    assert (counts["changed"], counts["qualifier_changed"], counts["missing"]) == (1, 1, 1)
    assert report["scores"]["number_carry_over"] == pytest.approx(2 / 5)


def test_added_number_and_soft_numbers_are_not_flagged() -> None:
    en = "Two stores opened last week. The first opened in Croydon."
    ar = "افتتح متجران الأسبوع الماضي. افتتح المتجر الأول في كرويدون وكلف 45 مليون جنيه."
    report = audit(en, ar)
    verdicts = {
        (i["verdict"], (i["en"] or i["ar"])["value"]): i["flagged"] for i in report["numbers"]
    }
    # "Two stores" is the dual "متجران": missing but soft, so not flagged.
    assert verdicts[("missing", 2)] is False
    assert verdicts[("kept", 1)] is False
    assert verdicts[("added", 45_000_000)] is True


def test_spelled_out_arabic_numbers_match_digits() -> None:
    en = "The war lasted 30 years and cost 130 lives."
    ar = "استمرت الحرب الثلاثين عامًا وكلفت مائة وثلاثين قتيلا."
    numbers = by_en_value(audit(en, ar))
    assert numbers[30]["verdict"] == numbers[130]["verdict"] == "kept"
    assert numbers[130]["ar"]["text"] == "مائة وثلاثين" and numbers[130]["ar"]["value"] == 130
    assert numbers[30]["ar"]["unit"] == "years"


def test_quote_marks_dropped_is_paraphrased_without_encoder() -> None:
    ar = AR.replace("“", "").replace("”", "")
    (quote,) = audit(EN, ar)["quotes"]
    assert quote["verdict"] == "paraphrased" and quote["flagged"]
    assert quote["ar"] is None
    assert "روجيو" in quote["evidence"]["ar_sentences"][0]["text"]


def test_added_arabic_quote() -> None:
    ar = AR.replace(
        "وتتسع القاعة لنحو 6000 شخص.",
        "وقال المتحدث باسم الشرطة: «لن نسمح بتكرار هذا الهجوم مرة أخرى». "
        "وتتسع القاعة لنحو 6000 شخص.",
    )
    quotes = audit(EN, ar)["quotes"]
    added = [q for q in quotes if q["verdict"] == "added"]
    assert len(added) == 1 and added[0]["en"] is None
    assert added[0]["ar"]["speaker"] == "المتحدث باسم الشرطة" and added[0]["flagged"]


def test_mt_gives_chrf_fidelity_and_sacrebleu_scores() -> None:
    mt = MTInput(
        by_source={},
        lines=[
            "A Russian court charged four men on Sunday after gunmen attacked a concert hall.",
            "The attack killed more than 130 people and wounded 180 others.",
            'Bill Roggio said: "It is really good for recruiting for the Islamic State."',
            "The group was behind the bombing of the abbey gate in 2021.",
            "The hall holds about 6000 people.",
        ],
    )
    report = audit(EN, AR, mt=mt)
    (quote,) = report["quotes"]
    assert quote["fidelity"]["chrf_scope"] == "sentence"
    assert 30 < quote["fidelity"]["chrf"] <= 100
    mt_scores = report["scores"]["mt"]
    assert mt_scores["segments"] == 5
    assert mt_scores["bleu"]["signature"].startswith("nrefs:1|case:mixed")
    assert "chrF2" in mt_scores["chrf"]["signature"] or "nc:6" in mt_scores["chrf"]["signature"]
    assert 0 < mt_scores["ter"]["score"] < 60


def test_report_validates_against_the_documented_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((REPO / "docs" / "audit.schema.json").read_text(encoding="utf-8"))
    ar = AR.replace("١٨٠", "١٥٠")
    report = build_report(
        [audit_document("a", EN, AR), audit_document("b", EN, ar)], settings(None, None)
    )
    jsonschema.validate(report, schema)
    assert report["corpus"]["documents"] == 2
    assert report["corpus"]["documents_flagged"] == 1
    assert report["corpus"]["numbers"]["changed"] == 1
    # Keys the issue promises, spelled out.
    doc = report["documents"][0]
    assert {"id", "numbers", "quotes", "scores"} <= doc.keys()
    assert {"verdict", "en", "ar", "evidence"} <= doc["numbers"][0].keys()
    assert {"text", "value", "qualifier", "unit", "sentence"} <= doc["numbers"][0]["en"].keys()
    q = doc["quotes"][0]
    assert {"verdict", "en", "ar", "fidelity", "numbers_agree", "speaker_match", "evidence"} <= (
        q.keys()
    )
    assert {"text", "speaker", "sentence"} <= q["en"].keys()


def test_schema_doc_names_every_verdict() -> None:
    text = (REPO / "docs" / "audit-schema.md").read_text(encoding="utf-8")
    for verdict in ("kept", "changed", "qualifier_changed", "missing", "added", "paraphrased"):
        assert f"`{verdict}`" in text


# --- with the real encoder and NTREX documents ------------------------------------------------

needs_encoder = pytest.mark.skipif(
    not store.is_built("e5-small"), reason="the e5-small encoder is not built (make setup)"
)


def _ntrex_doc(index: int) -> tuple[str, str]:
    folder = need(CORPORA / "ntrex128")
    ids = (folder / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    en = (folder / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    ar = (folder / "newstest2019-ref.arb.txt").read_text(encoding="utf-8").splitlines()
    wanted = list(dict.fromkeys(ids))[index]
    rows = [k for k, d in enumerate(ids) if d == wanted]
    return "\n".join(en[k] for k in rows), "\n".join(ar[k] for k in rows)


@pytest.fixture(scope="module")
def embedder():
    from xling.align.embed import load_embedder

    return load_embedder("e5-small")


@pytest.mark.models
@needs_encoder
def test_ntrex_document_deleted_quote_sentence_is_missing(embedder) -> None:
    en, ar = _ntrex_doc(0)  # bbc.381790: Welsh Assembly Members, five quotes
    clean = audit(en, ar, embedder=embedder)
    assert [q["verdict"] for q in clean["quotes"]] == ["kept"] * len(clean["quotes"])
    target = next(q for q in clean["quotes"] if q["en"]["text"].startswith("The final decision"))
    lines = ar.split("\n")
    line = next(k for k, x in enumerate(lines) if "القرار النهائي" in x)
    corrupted = "\n".join(lines[:line] + lines[line + 1 :])
    report = audit(en, corrupted, embedder=embedder)
    item = next(q for q in report["quotes"] if q["en"] and q["en"]["span"] == target["en"]["span"])
    assert item["verdict"] == "missing" and item["flagged"]
    others = [q for q in report["quotes"] if q is not item and q["en"]]
    assert all(q["verdict"] == "kept" for q in others)


@pytest.mark.models
@needs_encoder
def test_ntrex_document_changed_digit_and_swapped_speaker(embedder) -> None:
    en, ar = _ntrex_doc(0)
    assert "2017" in ar
    report = audit(en, ar.replace("2017", "2019"), embedder=embedder)
    changed = [n for n in report["numbers"] if n["verdict"] == "changed"]
    assert [(n["en"]["value"], n["ar"]["value"]) for n in changed] == [(2017, 2019)]
    assert report["scores"]["quote_carry_over"] == 1.0


# Two paragraphs of two sentences each: the MT of a line covers both sentences of its paragraph.
PARA_EN = "\n".join(
    [
        "The attack killed more than 130 people. Officials said 180 others were injured.",
        "The hall holds about 6,000 people. It opened in 2002.",
    ]
)
PARA_AR = "\n".join(
    [
        "أسفر الهجوم عن مقتل أكثر من 130 شخصا. وقال مسؤولون إن 180 آخرين أصيبوا.",
        "تتسع القاعة لنحو 6000 شخص. وقد افتتحت في عام 2002.",
    ]
)


def test_line_mt_is_scored_per_paragraph_not_once_per_first_link() -> None:
    # The MT of each line is the English paragraph word for word: a perfect MT. Before, the
    # line went to the first link of its paragraph only and the second link scored "".
    report = audit(PARA_EN, PARA_AR, mt=MTInput(lines=PARA_EN.split("\n")))
    assert len(report["alignment"]["links"]) == 4
    mt = report["scores"]["mt"]
    assert mt["unit"] == "paragraph" and mt["segments"] == 2
    assert mt["bleu"]["score"] == 100 and mt["chrf"]["score"] == 100 and mt["ter"]["score"] == 0


def test_sentence_mt_is_scored_per_link_with_repeated_translations() -> None:
    # Per-sentence MT (xling translate's JSONL): one segment per link, and two sentences
    # whose translations are the same text each keep theirs.
    en = "He said no. The attack killed 130 people.\nHe said no. Officials counted 180 injured."
    ar = "قال لا. أسفر الهجوم عن مقتل 130 شخصا.\nقال لا. أحصى المسؤولون 180 جريحا."
    by_source = {
        "قال لا.": "He said no.",
        "أسفر الهجوم عن مقتل 130 شخصا.": "The attack killed 130 people.",
        "أحصى المسؤولون 180 جريحا.": "Officials counted 180 injured.",
    }
    report = audit(en, ar, mt=MTInput(by_source=by_source))
    links = report["alignment"]["links"]
    assert all(link["en"] and link["ar"] for link in links)
    mt = report["scores"]["mt"]
    assert mt["unit"] == "link" and mt["segments"] == len(links)
    assert mt["bleu"]["score"] == 100 and mt["ter"]["score"] == 0


def test_line_mt_leaves_out_a_paragraph_with_an_added_sentence() -> None:
    from xling.audit.alignment import align_pair
    from xling.audit.run import _paragraph_segments

    pair = align_pair(PARA_EN, PARA_AR)
    # The second paragraph's last Arabic sentence without English: an addition.
    k = pair.ar_link[3]
    pair.links[k].en = []
    hyps, refs = _paragraph_segments(pair, ["first line", "second line"])
    assert hyps == ["first line"]
    assert refs == [" ".join(pair.en.sentences[i].text for i in (0, 1))]


def test_a_quoted_name_is_not_the_english_quotation() -> None:
    # NTREX dev dailymail.co.uk.298696 (issue 12, fifth follow-up): the translator dropped the
    # quotation's marks and put marks around the speaker's name; the name was paired with
    # the quotation and flagged as a cut. The quotation is `paraphrased` (marks dropped).
    en = (
        "Nigel Farage vowed to 'mobilise the people's army' today during a protest at the "
        "Tory conference."
    )
    ar = (
        'تعهد "نايجل فارج" بحشد قوات جيش الشعب اليوم خلال المظاهرات خلال المؤتمر المنعقد '
        "لحزب المحافظين البريطاني"
    )
    quotes = audit_document("d", en, ar).to_json()["quotes"]
    verdicts = [
        (q["verdict"], q["en"] and q["en"]["text"], q["ar"] and q["ar"]["text"]) for q in quotes
    ]
    assert verdicts == [
        ("paraphrased", "mobilise the people's army", None),
        ("added", None, "نايجل فارج"),
    ]
