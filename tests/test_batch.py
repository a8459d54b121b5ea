"""Pieces of the batch translator that need no model: digits shown to the model, the guard's
defects, token-budgeted batches."""

from __future__ import annotations

from xling.translate.batch import _Piece, defects, token_batches, western_digits


def test_arabic_indic_digits_become_ascii_and_nothing_else_changes() -> None:
    assert western_digits("قتل ١٣٠ شخصا و۱۸۰ جريحا بنسبة ٣٫٥٪ من ١٬٢٠٠") == (
        "قتل 130 شخصا و180 جريحا بنسبة 3.5٪ من 1,200"
    )
    assert western_digits("لا أرقام هنا") == "لا أرقام هنا"


def test_defects_are_missing_numbers_and_arabic_letters() -> None:
    src = "مما أسفر عن مقتل أكثر من 130 شخصًا وإصابة 180 آخرين."
    assert defects(src, "killing more than 130 people and injuring 180 others.") == []
    assert defects(src, "killing more than 130 people and injuring 150 others.") == ["180"]
    assert defects("قال روجيو", "Rujio said") == []
    assert defects("قال روجيو", "Rوجيو said") == ["وجيو"]


def test_batches_are_longest_first_under_the_padded_token_budget() -> None:
    costs = [10, 40, 30, 5, 60, 20]
    pieces = [_Piece(i, str(i), tokens=1, cost=cost) for i, cost in enumerate(costs)]
    batches = [[p.cost for p in b] for b in token_batches(pieces, 100)]
    assert batches == [[60], [40, 30], [20, 10, 5]]
    assert all(len(b) * b[0] <= 100 for b in batches)
    assert sorted(t for b in batches for t in b) == [5, 10, 20, 30, 40, 60]
