"""Pieces of the batch translator that need no model: digits shown to the model, the guard's
defects, token-budgeted batches, the halves retry's cut and choice."""

from __future__ import annotations

from xling.text.numbers import missing_numbers
from xling.translate.batch import (
    _Piece,
    defects,
    halves,
    join_halves,
    prompt_batches,
    token_batches,
    western_digits,
)
from xling.translate.engine import Hypothesis


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


def test_batches_hold_at_most_max_rows_pieces() -> None:
    pieces = [_Piece(i, str(i), tokens=1, cost=5 + i % 3) for i in range(70)]
    batches = [len(b) for b in token_batches(pieces, 10_000, max_rows=32)]
    assert batches == [32, 32, 6]
    assert [len(b) for b in token_batches(pieces, 10_000)] == [70]


def test_cpu_row_cap_follows_the_vocabulary_and_none_on_gpu(tmp_path) -> None:
    import json

    from xling.translate.engine import NO_ROW_CAP, default_batch_rows, output_vocabulary_size

    (tmp_path / "vocabulary.json").write_text(json.dumps(["x"] * 262_144), encoding="utf-8")
    assert output_vocabulary_size(tmp_path) == 262_144
    assert default_batch_rows(tmp_path, "cpu") == 32  # gemma3-270m's vocabulary
    assert default_batch_rows(tmp_path, "cuda") == NO_ROW_CAP
    (tmp_path / "vocabulary.json").unlink()
    (tmp_path / "shared_vocabulary.txt").write_text("a\nb\n" * 30_000, encoding="utf-8")
    assert default_batch_rows(tmp_path, "cpu") == 8 * 1024 * 1024 // 60_000  # Marian-sized


def test_prompt_batches_cut_where_prompt_lengths_differ_and_keep_every_piece() -> None:
    costs = [19, 100, 18, 98, 20]
    pieces = [_Piece(i, str(i), tokens=1, cost=cost) for i, cost in enumerate(costs)]
    batches = [[p.cost for p in b] for b in prompt_batches(pieces, 10_000, 32, fixed=6.6)]
    # one batch would read 80 prompt tokens a step at a time for all five rows
    assert batches == [[100, 98], [20, 19, 18]]
    # a step that costs nothing whatever the batch (fixed 0): every prompt length its own batch
    alone = [[p.cost for p in b] for b in prompt_batches(pieces, 10_000, 32, fixed=0.0)]
    assert alone == [[100], [98], [20], [19], [18]]
    # a large fixed cost (a GPU) joins close lengths whatever their number; the row cap and the
    # token budget still hold
    close = [_Piece(i, str(i), tokens=1, cost=cost) for i, cost in enumerate([100, 95, 90, 98])]
    assert [len(b) for b in prompt_batches(close, 10_000, 32, fixed=1000.0)] == [4]
    assert [len(b) for b in prompt_batches(close, 10_000, 2, fixed=1000.0)] == [2, 2]
    capped = list(prompt_batches(pieces, 150, 32, fixed=1000.0))
    assert all(len(b) == 1 or len(b) * b[0].cost <= 150 for b in capped)
    assert sorted(p.cost for b in capped for p in b) == sorted(costs)


def words(text: str) -> int:
    return len(text.split())


def test_a_sentence_that_lost_a_number_is_cut_in_two_with_the_number_written_in() -> None:
    # NTREX dev 306, whose English lost "ثماني" through the n-best and the hint retry
    src = "ويواصل فريق جيرارد هزيمته هذا الموسم، ويواجه المتصدر الذي يتخلف عنهم بفارق ثماني نقاط."
    lost = missing_numbers(src, "ar", "They face the leaders, who lead them by two points.", "en")
    pieces = halves(src, lost, words)  # 14 words: pieces of at most 7
    assert pieces[0] == "ويواصل فريق جيرارد هزيمته هذا الموسم،"  # cut at the comma first
    assert " ".join(pieces) == src.replace("ثماني", "8") and max(map(words, pieces)) <= 7
    assert halves("قتل ثمانية.", [], words) == ["قتل ثمانية."]  # too short to cut


def test_the_halves_are_joined_from_each_ones_best_candidate_with_every_number() -> None:
    def hyp(text: str, score: float) -> Hypothesis:
        return Hypothesis(text, score, len(text.split()), hit_limit=False)

    first = [hyp("Gerrard's team continues this season,", -1.0)]
    second = [
        hyp("facing the leaders by points.", -1.0),
        hyp("trailing the leaders by 8 points.", -2.0),
    ]
    joined = join_halves([("يواصل الفريق هذا الموسم،", first), ("بفارق 8 نقاط.", second)])
    assert joined.text == "Gerrard's team continues this season, trailing the leaders by 8 points."
    assert joined.length == 11 and joined.score == -3.0
    cut = Hypothesis("facing the", -0.5, 2, hit_limit=True)
    assert join_halves([("بفارق 8 نقاط.", [cut])]) is None  # a half with no usable candidate
