"""Qualifiers around a number: "more than 130", "نحو 20", "30 people at most".

All approximators are one qualifier, `about`: "about", "around", "roughly", "approximately",
"nearly", "almost", "some", "close to" ~ "حوالي", "نحو", "قرابة", "ما يقارب", "زهاء",
"تقريبا". Translators choose among them freely ("nearly 1.1 million" is "حوالي 1.1 مليون" in
UN and TED translations); which side of the value an estimate lies on is not what an audit of
numbers checks. A dropped or added approximator is still `qualifier_changed` (a warning)."""

from __future__ import annotations

import re

from xling.text.numbers.letters import TASHKEEL

# The age between the verb and its preposition: "يزيد عمرهن على 55 عامًا" is "over 55"
# (UNPC dev 3163).
_AGE = r"(?:(?:عمر|[أا]عمار|سن)[\u0621-\u0652]*\s+)?"
_BEFORE = {
    "en": [
        ("at_least", re.compile(r"\b(?:at least|no (?:fewer|less) than|a minimum of)\s+$", re.I)),
        ("at_most", re.compile(r"\b(?:at most|no more than|not more than|a maximum of)\s+$", re.I)),
        ("more_than", re.compile(r"\b(?:more than|over|above|upwards of|in excess of)\s+$", re.I)),
        (
            "less_than",
            re.compile(
                r"\b(?:less than|fewer than|(?:under|below)(?: the)?(?: age(?: of)?)?)\s+$", re.I
            ),
        ),
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
        # Verbs agree with their noun: "يزيد" and "تزيد", "يصل" and "تصل".
        # "على الأقل من 100" is "at least 100": checked before "أقل من" (less than), which
        # it holds (found by the gold set, eval/gold).
        (
            "at_least",
            re.compile(r"(?:ما )?لا [يت]قل " + _AGE + r"(?:عن|على)\s+$|على ال[أا]قل(?: من)?\s+$"),
        ),
        (
            "at_most",
            re.compile(
                r"(?:ما )?لا [يت]زيد " + _AGE + r"(?:عن|على)\s+$|(?:ب|ك)حد [أا]قصى\s+$"
                r"|على ال[أا]كثر(?: من)?\s+$"
            ),
        ),
        (
            "more_than",
            re.compile(
                r"(?:[أا]كثر|[أا]زيد) من\s+$|(?:ما )?[يت](?:زيد|ربو) " + _AGE + r"(?:عن|على)\s+$"
                r"|(?:^|\s)(?:ت|ي)?(?:تجاوز|يفوق|تفوق)\s+(?:ال)?$"
            ),
        ),
        (
            "less_than",
            re.compile(
                r"(?:[أا]قل) من\s+$|(?:ما )?[يت]قل "
                + _AGE
                + r"عن\s+$|(?:^|\s)(?:تحت|دون)\s+(?:سن\s+)?(?:ال)?$"
            ),
        ),
        # "ما يصل إلى", "بنسبة تصل إلى" are "up to"; "ليصل إلى" is only "to reach".
        ("up_to", re.compile(r"(?:^|\s)(?:ما )?[يت]صل (?:إلى|الى)\s*$|(?:^|\s)و?حتى\s+$")),
        (
            "about",
            re.compile(
                r"(?:^|[\s(«])[وفبل]?(?:نحو|حوالي|حوالى|قرابة|زهاء|(?:ما )?(?:يقرب|يقارب)(?: من)?"
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
        ("at_least", re.compile(r"(?:\s+[\u0621-\u0652]+)?\s+(?:على ال[أا]قل|[كب]حد [أا]دنى)")),
        ("at_most", re.compile(r"(?:\s+[\u0621-\u0652]+)?\s+(?:على ال[أا]كثر|[كب]حد [أا]قصى)")),
        ("about", re.compile(r"(?:\s+[\u0621-\u0652]+)?\s+تقريب[اًا]")),
    ],
}


# A currency sign or code between the qualifier and the digits: "over Euro1.5 million" (UNPC
# dev 552), "over EUR 1.5 million", "over $1.5 million".
_CURRENCY_OR_THE = re.compile(
    r"(?:\s*(?:US\$|\$|£|€|¥)|\s*\b(?i:euros?|eur|usd|chf|gbp|swf)|\s*\bthe)\s*$"
)
# "under" before a count of headings files under them, it does not bound the count: "made
# commitments under 12 critical areas" (UNPC dev 546), "fall under four classifications" (1686).
_UNDER = re.compile(r"\bunder\s+$", re.I)
_HEADINGS_AFTER = re.compile(
    r"\s+(?:[A-Za-z-]+\s+)?(?:areas|categories|classifications|headings|pillars|themes"
    r"|clusters|sections|chapters|components|priorities|goals|subprogrammes"
    r"|programmes|outcomes|objectives|titles)\b",
    re.I,
)
# "over 24 hours" is a duration, not "more than": extract_numbers drops that qualifier.
OVER_UNDER = re.compile(r"\b(?:over|under|in)\s+(?:the\s+)?$", re.I)


# Qualifiers that say the same bound: "up to 5 years" is "خمس سنوات كحد أقصى" (at most).
_SAME_BOUND = {"at_most": "up_to"}
# A date: "حتى 21 تشرين الثاني" is "as at 21 November", "under the 12 August 2008 agreement".
_MONTH_AFTER = re.compile(
    r"\s+(?:[وب]?(?:كانون|شباط|آذار|اذار|نيسان|أيار|ايار|حزيران|تموز|آب|أيلول|ايلول|تشرين|يناير"
    r"|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يونيه|يوليو|يوليه|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر"
    r"|نوفمبر|ديسمبر)|(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)\b)"
)


def same_qualifier(a: str | None, b: str | None) -> bool:
    """Whether two qualifiers say the same thing ("up to" and "at most" are one bound)."""
    return _SAME_BOUND.get(a or "", a) == _SAME_BOUND.get(b or "", b)


def qualifier(text: str, start: int, end: int, lang: str) -> str | None:
    if _MONTH_AFTER.match(text, end):
        return None  # a day of a month: "حتى 4 شباط/فبراير" is "as of 4 February"
    before = text[max(0, start - 30) : start]
    if lang == "en":
        if _UNDER.search(before) and _HEADINGS_AFTER.match(text, end):
            return None
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
