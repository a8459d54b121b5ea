"""Qualifiers around a number: "more than 130", "نحو 20", "30 people at most".

All approximators are one qualifier, `about`: "about", "around", "roughly", "approximately",
"nearly", "almost", "some", "close to" ~ "حوالي", "نحو", "قرابة", "ما يقارب", "زهاء",
"تقريبا". Translators choose among them freely ("nearly 1.1 million" is "حوالي 1.1 مليون" in
UN and TED translations); which side of the value an estimate lies on is not what an audit of
numbers checks. A dropped or added approximator is still `qualifier_changed` (a warning)."""

from __future__ import annotations

import re

from xling.text.numbers.letters import TASHKEEL

_BEFORE = {
    "en": [
        ("at_least", re.compile(r"\b(?:at least|no (?:fewer|less) than|a minimum of)\s+$", re.I)),
        ("at_most", re.compile(r"\b(?:at most|no more than|not more than|a maximum of)\s+$", re.I)),
        ("more_than", re.compile(r"\b(?:more than|over|above|upwards of|in excess of)\s+$", re.I)),
        ("less_than", re.compile(r"\b(?:less than|fewer than|under|below)\s+$", re.I)),
        ("up_to", re.compile(r"\b(?:up to|as many as|as much as)\s+$", re.I)),
        (
            "about",
            re.compile(
                r"\b(?:about|around|nearly|almost|approximately|roughly|some|close to|near|"
                r"an estimated|estimated|approx\.|ca\.?|c\.|circa)\s+$",
                re.I,
            ),
        ),
    ],
    "ar": [
        ("at_least", re.compile(r"(?:ما )?لا يقل (?:عن|على)\s+$")),
        ("at_most", re.compile(r"(?:ما )?لا يزيد (?:عن|على)\s+$|(?:ب|ك)حد [أا]قصى\s+$")),
        (
            "more_than",
            re.compile(
                r"(?:[أا]كثر|[أا]زيد) من\s+$|(?:ما )?(?:يزيد|يربو) (?:عن|على)\s+$"
                r"|(?:^|\s)(?:ت|ي)?(?:تجاوز|يفوق|تفوق)\s+(?:ال)?$"
            ),
        ),
        (
            "less_than",
            re.compile(
                r"(?:[أا]قل) من\s+$|(?:ما )?يقل عن\s+$|(?:^|\s)(?:تحت|دون)\s+(?:سن\s+)?(?:ال)?$"
            ),
        ),
        # "ما يصل إلى" is "up to"; "ليصل إلى" is only "to reach".
        ("up_to", re.compile(r"ما (?:يصل|تصل) (?:إلى|الى)\s*$|(?:^|\s)و?حتى\s+$")),
        (
            "about",
            re.compile(
                r"(?:^|\s)[وفبل]?(?:نحو|حوالي|حوالى|قرابة|زهاء|(?:ما )?(?:يقرب|يقارب)(?: من)?"
                r"|ما يناهز|تقريبا|تقريبًا)\s*$"
            ),
        ),
    ],
}
# Qualifiers written after the number (and its counted noun): "130 شخصا على الأقل",
# "30 people at most", "نحو 20 عاما تقريبا".
_AFTER = {
    "en": [
        ("at_least", re.compile(r"(?:\s+[A-Za-z]+)?\s+at least\b")),
        ("at_most", re.compile(r"(?:\s+[A-Za-z]+)?\s+at most\b")),
        ("more_than", re.compile(r"(?:\s+[A-Za-z]+)?\s+or more\b")),
    ],
    "ar": [
        ("at_least", re.compile(r"(?:\s+[\u0621-\u0652]+)?\s+على ال[أا]قل")),
        ("at_most", re.compile(r"(?:\s+[\u0621-\u0652]+)?\s+على ال[أا]كثر")),
        ("about", re.compile(r"(?:\s+[\u0621-\u0652]+)?\s+تقريب[اًا]")),
    ],
}


_CURRENCY_OR_THE = re.compile(r"(?:\s*(?:US\$|\$|£|€)|\s*\bthe)\s*$")
# "over 24 hours" is a duration, not "more than": extract_numbers drops that qualifier.
OVER_UNDER = re.compile(r"\b(?:over|under|in)\s+(?:the\s+)?$", re.I)


def qualifier(text: str, start: int, end: int, lang: str) -> str | None:
    before = text[max(0, start - 30) : start]
    if lang == "en":
        before = _CURRENCY_OR_THE.sub(" ", before)
    else:  # "ما يُقارب", "حوالَي": vowel marks do not change the word ("عن عمر يناهز" is "aged")
        before = TASHKEEL.sub("", before)
    for name, pattern in _BEFORE[lang]:
        if pattern.search(before):
            return name
    for name, pattern in _AFTER[lang]:
        if pattern.match(text, end):
            return name
    return None
