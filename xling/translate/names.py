"""Document-level name memory (`--name-memory`): one English spelling per Arabic name in an
article, where small models write Roggio, Ruggio, Rujio and Roguio for one روجيو.

In each sentence an Arabic word is linked to a capitalised English word of its translation
when their consonant skeletons agree (the rules the audit uses to match speakers across
scripts: روجيو and Roggio are both R-G) and the link is the only one of that skeleton on both
sides. Then the names linked anywhere in the article anchor the other sentences: a sentence
whose Arabic holds such a name (as its own word, or after a proclitic ل/ب/ك: لسيرزير) and
that was not linked there, links it to its one English word with the skeleton of one of that
name's linked spellings (Kita for كيت, where قد also reads K-T and blocked the first link).
Arabic spellings of one name that differ only by a long vowel inside it (وارين, وارن) are one
name. Over the article, a name linked to two or more spellings gets the most frequent one (on
a tie, the one written more often in the article's English; then the earliest), written into
the other sentences in place of theirs; given the model's tokenizer (`cost`), the spelling it
writes in the fewest tokens comes first: a common spelling (Warren over Warin, John over
Joon). No decoding: the spellings are the model's own, only
made to agree. Glossary terms are left to the glossary.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable

from xling.text.numbers.letters import norm_ar

# The speaker matcher's skeletons and title list (one set of rules for both uses).
from xling.text.quotes import _EN_TITLES, _skeleton_ar, _skeleton_en

_EN_WORD = re.compile(r"(?<![\w'’-])[A-Z][a-z]+(?:[-'’][A-Za-z]+)*(?![\w-])")
_POSSESSIVE = re.compile(r"['’]s$")
_AR_WORD = re.compile(r"[\u0621-\u064a\u064b-\u0652\u0640]+")
MIN_SKELETON = 2  # consonants; one-consonant words link to anything
_PROCLITICS = "لبك"  # li-, bi-, ka- written onto a name: لسيرزير is سيرزير
_LONG_VOWELS = "اوي"  # optional inside a transcribed name: وارين / وارن


def arabic_key(word: str) -> str:
    """The word without diacritics, tatweel, a leading و/ف and the article (وروجيو = روجيو)."""
    w = norm_ar(word)  # the lexicon's folding: diacritics, tatweel, alef forms, ى, ة
    if len(w) > 3 and w[0] in "وف":
        w = w[1:]
    for article in ("بال", "لل", "ال"):
        if len(w) > len(article) + 2 and w.startswith(article):
            return w[len(article) :]
    return w


def arabic_form(key: str) -> str:
    """The name with the long vowels inside it dropped; its first and last letters are kept
    (جون John and جوني Johnny stay two names)."""
    if len(key) <= 2:
        return key
    return key[0] + "".join(ch for ch in key[1:-1] if ch not in _LONG_VOWELS) + key[-1]


def skeleton_en(word: str) -> str:
    """The English consonant skeleton with repeated classes merged, as the Arabic one has
    them: Dae-Ton and Daiton are T-N like دايتون (T-T-N unmerged)."""
    return re.sub(r"(.)\1", r"\1", _skeleton_en(word))


def _english_names(english: str) -> dict[str, set[str]]:
    """{skeleton: capitalised words} of a translation, titles left out and a possessive read
    as its name (Woudz's is Woudz, not a second word of its skeleton; Russia's stays whole)."""
    en: dict[str, set[str]] = defaultdict(set)
    for word in _EN_WORD.findall(english):
        word = _POSSESSIVE.sub("", word)
        skeleton = skeleton_en(word)
        if word.lower() not in _EN_TITLES and len(skeleton) >= MIN_SKELETON:
            en[skeleton].add(word)
    return en


def links(source: str, english: str) -> dict[str, str]:
    """{Arabic key: English word} for the names this sentence pair agrees on, one per skeleton."""
    en = _english_names(english)
    ar: dict[str, set[str]] = defaultdict(set)
    for word in _AR_WORD.findall(source):
        key = arabic_key(word)
        skeleton = _skeleton_ar(key)
        if len(skeleton) >= MIN_SKELETON:
            ar[skeleton].add(key)
    found = {}
    for skeleton, keys in ar.items():
        words = en.get(skeleton, set())
        if len(keys) == 1 and len(words) == 1:
            found[next(iter(keys))] = next(iter(words))
    return found


def _mentions(source: str, form: str) -> str | None:
    """The key under which the sentence's Arabic holds the name `form`, if it does."""
    for token in _AR_WORD.findall(source):
        key = arabic_key(token)
        if arabic_form(key) == form:
            return key
        if len(key) > 3 and key[0] in _PROCLITICS and arabic_form(key[1:]) == form:
            return key[1:]
    return None


def article_links(sources: list[str], english: list[str]) -> list[dict[str, str]]:
    """Each sentence's {Arabic key: English word}: its own links (`links`), then the names
    linked elsewhere in the article that its Arabic holds (see the module's docstring)."""
    pairs = [links(s, e) for s, e in zip(sources, english, strict=True)]
    skeletons: dict[str, set[str]] = defaultdict(set)  # name (its form) -> spellings' skeletons
    for found in pairs:
        for key, word in found.items():
            skeletons[arabic_form(key)].add(skeleton_en(word))
    for source, translation, found in zip(sources, english, pairs, strict=True):
        taken = set(found.values())
        en = _english_names(translation)
        for form in sorted(skeletons.keys() - {arabic_form(key) for key in found}):
            key = _mentions(source, form)
            words = {w for sk in skeletons[form] for w in en.get(sk, ()) if w not in taken}
            if key is not None and len(words) == 1:
                found[key] = words.pop()
                taken.add(found[key])
    return pairs


def _word(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")


def unify_names(
    sources: list[str],
    english: list[str],
    keep: Callable[[str], bool] = lambda key: False,
    cost: Callable[[str], int] | None = None,
) -> tuple[list[str], dict[str, str]]:
    """The article's translations with one spelling per linked Arabic name, and the spellings
    replaced ({old: new}). `keep(key)`: names not to touch (glossary terms); `cost(word)`: the
    model's tokens for a spelling (fewer: more common), the first criterion when given."""
    pairs = article_links(sources, english)
    spellings: dict[str, Counter] = defaultdict(Counter)
    first: dict[tuple[str, str], int] = {}
    kept: set[str] = set()
    for index, found in enumerate(pairs):
        for key, word in found.items():
            form = arabic_form(key)
            spellings[form][word] += 1
            first.setdefault((form, word), index)
            if keep(key):
                kept.add(form)
    text = "\n".join(english)

    def rank(form: str, word: str) -> tuple[int, int, int, int]:
        # the model's most common spelling; then the most linked; then the one the article
        # writes more (Sainsbury, twice in the sentence where it was linked once, over
        # Sensbar); then the earliest
        written = len(_word(word).findall(text))
        common = -cost(word) if cost else 0
        return common, spellings[form][word], written, -first[(form, word)]

    canonical = {
        form: max(counts, key=lambda w, f=form: rank(f, w))
        for form, counts in spellings.items()
        if len(counts) > 1 and form not in kept
    }
    out = list(english)
    replaced: dict[str, str] = {}
    for index, found in enumerate(pairs):
        for key, word in found.items():
            target = canonical.get(arabic_form(key))
            if target and word != target:
                out[index] = _word(word).sub(target, out[index])
                replaced[word] = target
    return out, replaced


def consistency(sources: list[str], english: list[str]) -> tuple[int, int]:
    """(Arabic names linked in 2+ sentences, of those with one spelling) in one article."""
    seen: dict[str, list[str]] = defaultdict(list)
    for found in article_links(sources, english):
        for key, word in found.items():
            seen[arabic_form(key)].append(word)
    repeated = {k: v for k, v in seen.items() if len(v) > 1}
    return len(repeated), sum(len(set(v)) == 1 for v in repeated.values())
