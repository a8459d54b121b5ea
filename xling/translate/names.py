"""Document-level name memory (`--name-memory`): one English spelling per Arabic name in an
article, where small models write Roggio, Ruggio, Rujio and Roguio for one روجيو.

In each sentence an Arabic word is linked to a capitalised English word of its translation
when their consonant skeletons agree (the rules the audit uses to match speakers across
scripts: روجيو and Roggio are both R-G) and the link is the only one of that skeleton on both
sides. Over the article, an Arabic word linked to two or more spellings gets the most frequent
one (the earliest on a tie), written into the other sentences in place of theirs. No decoding:
the spellings are the model's own, only made to agree. Glossary terms are left to the glossary.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable

from xling.text.numbers.letters import norm_ar

# The speaker matcher's skeletons and title list (one set of rules for both uses).
from xling.text.quotes import _EN_TITLES, _skeleton_ar, _skeleton_en

_EN_WORD = re.compile(r"(?<![\w'’-])[A-Z][a-z]+(?:[-'’][A-Za-z]+)*(?![\w-])")
_AR_WORD = re.compile(r"[\u0621-\u064a\u064b-\u0652\u0640]+")
MIN_SKELETON = 2  # consonants; one-consonant words link to anything


def arabic_key(word: str) -> str:
    """The word without diacritics, tatweel, a leading و/ف and the article (وروجيو = روجيو)."""
    w = norm_ar(word)  # the lexicon's folding: diacritics, tatweel, alef forms, ى, ة
    if len(w) > 3 and w[0] in "وف":
        w = w[1:]
    for article in ("بال", "لل", "ال"):
        if len(w) > len(article) + 2 and w.startswith(article):
            return w[len(article) :]
    return w


def links(source: str, english: str) -> dict[str, str]:
    """{Arabic key: English word} for the names this sentence pair agrees on, one per skeleton."""
    en: dict[str, set[str]] = defaultdict(set)
    for word in _EN_WORD.findall(english):
        skeleton = _skeleton_en(word)
        if word.lower() not in _EN_TITLES and len(skeleton) >= MIN_SKELETON:
            en[skeleton].add(word)
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


def unify_names(
    sources: list[str], english: list[str], keep: Callable[[str], bool] = lambda key: False
) -> tuple[list[str], dict[str, str]]:
    """The article's translations with one spelling per linked Arabic name, and the spellings
    replaced ({old: new}). `keep(key)`: names not to touch (glossary terms)."""
    pairs = [links(s, e) for s, e in zip(sources, english, strict=True)]
    spellings: dict[str, Counter] = defaultdict(Counter)
    first: dict[tuple[str, str], int] = {}
    for index, found in enumerate(pairs):
        for key, word in found.items():
            spellings[key][word] += 1
            first.setdefault((key, word), index)
    canonical = {
        key: max(counts, key=lambda w, k=key, c=counts: (c[w], -first[(k, w)]))
        for key, counts in spellings.items()
        if len(counts) > 1 and not keep(key)
    }
    out = list(english)
    replaced: dict[str, str] = {}
    for index, found in enumerate(pairs):
        for key, word in found.items():
            target = canonical.get(key)
            if target and word != target:
                out[index] = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", target, out[index])
                replaced[word] = target
    return out, replaced


def consistency(sources: list[str], english: list[str]) -> tuple[int, int]:
    """(Arabic names linked in 2+ sentences, of those with one spelling) in one article."""
    pairs = [links(s, e) for s, e in zip(sources, english, strict=True)]
    seen: dict[str, list[str]] = defaultdict(list)
    for found in pairs:
        for key, word in found.items():
            seen[key].append(word)
    repeated = {k: v for k, v in seen.items() if len(v) > 1}
    return len(repeated), sum(len(set(v)) == 1 for v in repeated.values())
