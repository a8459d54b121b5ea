"""Lost number words written into the source for the retry (translate.number_hints)."""

from __future__ import annotations

from xling.text.numbers import extract_numbers, missing_numbers
from xling.translate.digit_groups import join_digit_groups
from xling.translate.number_hints import write_in


def hinted(src: str, mt: str) -> str:
    return write_in(src, missing_numbers(src, "ar", mt, "en"))


def test_number_words_the_english_lost_are_written_in() -> None:
    src = "فاز الفريق بثماني نقاط في عيد ميلاده الثالث والستين."
    out = hinted(src, "The team won by points on his birthday.")
    assert "8" in out and "63rd" in out and "ثماني" not in out
    assert hinted("قتل المئات في الزلزال.", "Thousands died.") == "قتل hundreds في الزلزال."
    decade = hinted("عمل هناك في ثمانينيات القرن العشرين.", "He worked there in the 19th century.")
    assert decade == "عمل هناك في 1980s."


def test_numbers_kept_or_already_in_digits_are_left_alone() -> None:
    src = "قتل 130 شخصا وأصيب ثمانية."
    assert hinted(src, "130 people were killed and eight injured.") == src  # nothing lost
    assert hinted(src, "People were killed and eight injured.") == src  # lost, but in digits
    out = hinted(src, "130 people were killed and some injured.")
    assert out == "قتل 130 شخصا وأصيب 8." and extract_numbers(out, "ar")[-1].value == 8


def test_digit_groups_written_apart_are_joined_when_the_source_has_the_number() -> None:
    # the quality model's "379, 800" / "$26, 750" (NTREX dev 1587, 442): one number, not two
    src = "بتعداد سكان يصل إلى 379,800 شخص ومبلغ ٤٧٠٠ دولار."
    mt = "a population of 379, 800 people and $4, 700."
    joined = join_digit_groups(src, mt)
    assert joined == "a population of 379,800 people and $4,700."
    assert missing_numbers(src, "ar", mt, "en") and not missing_numbers(src, "ar", joined, "en")
    # a list the source does not write as one number stays a list
    assert join_digit_groups("الأرقام 5 و100 و200", "numbers 5, 100 and 200") == (
        "numbers 5, 100 and 200"
    )
