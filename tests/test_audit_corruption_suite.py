"""The corruption suite's speaker swap (eval/audit_corruption.py): it replaces the name the
quote is attributed to, with a real person's name (a measurement fix: before, it replaced the
first occurrence of the speaker near the quote, with any Arabic "speaker" of another
document, "المعلم" or "شخص آخر" among them)."""

from __future__ import annotations

import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "eval"))
from audit_corruption import Doc, _attribution_at, _name_in, speaker_names  # noqa: E402

from xling.text.quotes import extract_quotes, speaker_match  # noqa: E402

# NTREX-128 (dev) cnn.304489, its first two lines: "ترامب" is in the headline (offset 4)
# before the attribution "قال ترامب في تجمع ...: "..."" of the quotation.
CNN_AR = (
    'قال ترامب أن كافانو "قد عانى من حقد، وكره الحزب الديموقراطي له\n'
    "قال ترامب في تجمع في ويلينغ بولاية فرجينيا الغربية: "
    '"إن التصويت لصالح القاضي كافانو هو بمثابة تصويت لرفض الأساليب القاسية والفاضحة من '
    'جانب الحزب الديمقراطي".'
)
CNN_EN = (
    "Trump says Kavanaugh 'suffered, the meanness, the anger' of the Democratic Party\n"
    '"A vote for Judge Kavanaugh is a vote to reject the ruthless and outrageous tactics of '
    'the Democratic Party," Trump said at a rally in Wheeling, West Virginia.'
)


def test_the_swap_replaces_the_attributed_mention() -> None:
    quote = next(q for q in extract_quotes(CNN_AR, "ar") if q.text.startswith("إن التصويت"))
    ar = {"span": list(quote.span), "attribution": quote.attribution}
    name = _name_in("Trump", quote.speaker)
    assert name == "ترامب"
    pos = _attribution_at(CNN_AR, ar, name)
    assert pos == CNN_AR.index("ترامب في تجمع")  # not the headline's, at offset 4
    swapped = CNN_AR[:pos] + "راسل زيمرمان" + CNN_AR[pos + len(name) :]
    after = next(q for q in extract_quotes(swapped, "ar") if q.text.startswith("إن التصويت"))
    assert speaker_match("Trump", after.speaker) is False


def test_the_pool_holds_full_names_matched_to_an_english_speaker() -> None:
    en = '"It is very good for the recruitment of the Islamic State," Bill Roggio said.'
    ar = 'وقال بيل روجيو: "إنه أمر جيد جدا لتجنيد تنظيم الدولة الإسلامية".'
    names = speaker_names(
        [Doc("a", [en], [ar]), Doc("cnn", CNN_EN.split("\n"), CNN_AR.split("\n"))]
    )
    # "ترامب" alone is one word: a skeleton can match one word by chance ("المدير").
    assert [n["name"] for n in names] == ["بيل روجيو"]
    # A speaker that no English name matches is not a name ("المعلم" for "the teacher").
    assert _name_in("the teacher", "المعلم") is None


def test_a_cut_inside_un_marks_keeps_both_marks() -> None:
    from audit_corruption import _mark_widths

    text = (
        "بعنوان ''تكنولوجيا المعلومات والاتصالات والحكومة الإلكترونية في الدول الجزرية`` التي عقدت."
    )
    quote = extract_quotes(text, "ar")[0]
    o, c = _mark_widths(quote.marks, closed=True)
    a, b = quote.span
    words = text[a + o : b - c].split(" ")
    cut = text[: a + o] + " ".join(words[: len(words) // 3]) + text[b - c :]
    assert [q.text for q in extract_quotes(cut, "ar")] == ["تكنولوجيا المعلومات"]
    assert _mark_widths("“”") == (1, 1) and _mark_widths("“") == (1, 0)


def test_fresh2_holds_only_documents_no_other_split_loads() -> None:
    from audit_corruption import UNPC_MIN, _unpc_test_half, load_docs
    from conftest import CORPORA, need

    need(CORPORA / "unpc-v1.0-dev")
    docs = load_docs(None, 40, 40, 200, fresh=True, fresh2=True)
    ids = [d.id for d in docs]
    assert len(ids) == len(set(ids))
    test = _unpc_test_half()
    fresh2 = [d for d in docs if d.split == "fresh2"]
    fresh2q = [d for d in docs if d.split == "fresh2q"]
    assert (len(fresh2), len(fresh2q)) == (186, 342)
    assert all(d.id.removeprefix("unpc:") in test and len(d.en) < UNPC_MIN for d in fresh2)
    assert not any(d.id.removeprefix("unpc:") in test for d in fresh2q)
