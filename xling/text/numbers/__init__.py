"""Find the numbers in Arabic or English text, and check that a translation kept them.

`extract_numbers` returns `NumberMention`s for digit numbers (ASCII, Arabic-Indic and
Extended Arabic-Indic digits, with scale words and percent signs), spelled-out numbers in
both languages, ordinals and vague quantities ("عشرات", "hundreds of"). `missing_numbers`
compares a source and its translation by value, so "١٣٠", "130", "مائة وثلاثون" and
"one hundred and thirty" all agree.

Mention kinds:
  digits    a number written in digits ("130", "٣٫٥", "1.5 million")
  year      four plain digits between 1900 and 2100 ("2021", "١٩٩٩", "the 1970s")
  percent   a number followed by % ٪ "في المئة" "percent" ...
  words     a spelled-out cardinal ("ثلاثة", "مائة وثلاثون", "two dozen")
  ordinal   "الثالث", "twenty-first", "20th", "الحادي والعشرين"
  approx    a vague magnitude: "عشرات" (10), "مئات الآلاف" (100000), "thousands of" (1000)
  fraction  "نصف", "half" (0.5)
  roman     an upper-case Roman numeral of two or more letters ("World War II", "WWI")
  time      a clock time, valued hours + minutes / 100 ("12:30" is 12.3)

Modules: mention (the record, its vocabularies, the soft rule), digits (the Arabic-Indic digit
table, separators, scales), english and arabic (number words), qualifiers and units (what
surrounds a number), letters (Arabic normalisation), extract (`extract_numbers`), compare
(`missing_numbers`).
"""

from xling.text.numbers.compare import magnitude, missing_numbers, numbers_agree, value_key
from xling.text.numbers.digits import ARABIC_DIGITS, ascii_digits
from xling.text.numbers.extract import extract_numbers
from xling.text.numbers.mention import (
    KINDS,
    QUALIFIERS,
    SMALL_SPELLED_MAX,
    TIME_UNITS,
    UNITS,
    NumberMention,
    is_soft,
)

__all__ = [
    "ARABIC_DIGITS",
    "KINDS",
    "QUALIFIERS",
    "SMALL_SPELLED_MAX",
    "TIME_UNITS",
    "UNITS",
    "NumberMention",
    "ascii_digits",
    "extract_numbers",
    "is_soft",
    "magnitude",
    "missing_numbers",
    "numbers_agree",
    "value_key",
]
