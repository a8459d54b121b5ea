"""What a number counts: a percent sign or word, a currency sign, or the counted noun after it."""

from __future__ import annotations

import re

from xling.text.numbers.letters import TASHKEEL, norm_ar
from xling.text.numbers.mention import NumberMention

# "في المئة", "بالمائة": percent in words, which belongs to the number before it.
AR_PERCENT_WORDS = r"(?:في\s*ال|بال)م(?:ئ|ائ|ا|ي)[ةه](?![\u0621-\u064A])"
PERCENT = {
    "en": re.compile(r"\s*(?:%|percent\b|per\s+cent\b|percentage\s+points?\b)", re.IGNORECASE),
    "ar": re.compile(rf"\s*(?:[%٪]|{AR_PERCENT_WORDS})"),
}

# What a number counts, from the word after it (after an optional adjective in English:
# "130 more people", "30 long years"). Arabic words are matched after norm_ar, with
# clitics and case endings allowed: "شخصًا", "عامين", "بالمئة".
_UNIT_WORDS = {
    "en": {
        "people": "people persons person men women children civilians soldiers troops migrants "
        "refugees residents workers employees students patients victims dead killed injured "
        "wounded casualties fatalities deaths inmates prisoners officers passengers fans "
        "voters members staff jobs",
        "years": "years year yrs year-old years-old",
        "months": "months month",
        "weeks": "weeks week",
        "days": "days day",
        "hours": "hours hour",
        "minutes": "minutes minute mins",
        "dollar": "dollars dollar usd",
        "pound": "pounds sterling gbp",
        "euro": "euros euro eur",
        "rouble": "roubles rubles",
        "km": "km kilometres kilometers kilometre kilometer",
        "miles": "miles mile mph",
        "metres": "metres meters metre meter m",
        "kg": "kg kilograms kilos",
        "tonnes": "tonnes tons tonne ton",
    },
    "ar": {
        "people": "شخص اشخاص شخصا قتيل قتلي قتيلا جريح جرحي جريحا مصاب مصابين مصابا مدني مدنيين "
        "مدنيا جندي جنود جنديا طفل اطفال طفلا امراه نساء رجل رجال رجلا لاجئ لاجئين لاجئا مهاجر "
        "مهاجرين مهاجرا عامل عمال عاملا طالب طلاب طالبا مريض مرضي مريضا ضحيه ضحايا نسمه فرد "
        "افراد فردا مواطن مواطنين مواطنا سجين سجناء سجينا شخصين قتيلين جريحين",
        "years": "عام اعوام عاما عامين سنه سنوات سنين سنتين عاما",
        "months": "شهر اشهر شهور شهرا شهرين",
        "weeks": "اسبوع اسابيع اسبوعا اسبوعين",
        "days": "يوم ايام يوما يومين",
        "hours": "ساعه ساعات ساعتين",
        "minutes": "دقيقه دقائق دقيقتين",
        "dollar": "دولار دولارات دولارا",
        "pound": "جنيه جنيهات جنيها استرليني",
        "euro": "يورو",
        "rouble": "روبل روبلات روبلا",
        "km": "كيلومتر كيلومترات كيلومترا كم",
        "miles": "ميل اميال ميلا",
        "metres": "متر امتار مترا",
        "kg": "كيلوغرام كيلوغرامات كيلوجرام كغ كجم",
        "tonnes": "طن اطنان طنا",
    },
}
_UNIT_LOOKUP = {
    lang: {
        (w if lang == "en" else norm_ar(w)): unit
        for unit, words in table.items()
        for w in words.split()
    }
    for lang, table in _UNIT_WORDS.items()
}
_CURRENCY_BEFORE = re.compile(r"(?:US\s?\$|\$|£|€)\s*$")
_CURRENCY_SIGN = {"$": "dollar", "£": "pound", "€": "euro"}
_NEXT_WORDS = {
    "en": re.compile(r"[-\s]+([A-Za-z][A-Za-z-]*)(?:\s+([A-Za-z][A-Za-z-]*))?"),
    "ar": re.compile(r"\s+([\u0621-\u0652\u0640]+)(?:\s+([\u0621-\u0652\u0640]+))?"),
}


def ar_unit(word: str) -> str | None:
    """The unit of an Arabic counted noun ("شخصًا" people, "بالسنوات" years), or None."""
    norm = TASHKEEL.sub("", norm_ar(word))
    for prefix in ("", "ب", "ل", "و", "ال", "بال", "وال"):
        if norm.startswith(prefix) and (unit := _UNIT_LOOKUP["ar"].get(norm[len(prefix) :])):
            return unit
    return None


def unit_of(text: str, mention: NumberMention, lang: str) -> str | None:
    """The unit of a mention: its percent sign, a currency sign before it, a counted noun."""
    if mention.unit:
        return mention.unit
    if mention.kind == "percent":
        return "percent"
    if mention.kind in ("year", "time", "roman", "fraction"):
        return None
    start, end = mention.span
    if sign := _CURRENCY_BEFORE.search(text[max(0, start - 4) : start]):
        return _CURRENCY_SIGN[sign.group().strip()[-1]]
    nxt = _NEXT_WORDS[lang].match(text, end)
    if not nxt:
        return None
    for word in nxt.groups():
        if word is None:
            break
        if lang == "en":
            low = word.lower()
            unit = _UNIT_LOOKUP["en"].get(low) or _UNIT_LOOKUP["en"].get(low.split("-")[0])
            if low.endswith(("-year-old", "-years-old")):
                unit = "years"
        else:
            unit = ar_unit(word)
        if unit:
            return unit
        if lang == "ar":
            break  # Arabic puts the counted noun right after the number
    return None
