"""A chat model's talk about the translation, taken out of the translation.

The instruction-tuned model sometimes answers "Here is the English translation:" or "The
translation of the Arabic text is: …" (NTREX dev: 9 of 1,536 lines; the output stops at the
first newline, so a preamble alone can be all there is). Such a sentence is not the source's:
it is dropped. A sentence counts as preamble when it mentions translating and ends with a
colon; the sentence just before one that also mentions translating goes with it ("First, I will
translate the Arabic text to English … Here is the translation:"). "The translator said: …"
stays: it names no text, no language and no "here is".
"""

from __future__ import annotations

import re

_SENTENCES = re.compile(r"(?<=[.!?:])\s+")
_TRANSLATING = re.compile(r"\btranslat\w*", re.I)
_META = re.compile(
    r"\b(?:arabic|english|text|here is|here's|as follows|we get|translation is)\b", re.I
)


# where the talk starts inside a sentence: what comes before it is a translation ("The Arab
# League Here is the English translation of the given Arabic text:")
_START = re.compile(
    r"\b(?:here(?: is|'s)|(?:the|this is the|an?) (?:\w+ ){0,2}translation"
    r"|translating|first,? i)\b",
    re.I,
)


def _is_preamble(sentence: str) -> bool:
    return (
        sentence.endswith(":")
        and bool(_TRANSLATING.search(sentence))
        and bool(_META.search(sentence))
    )


def strip_preamble(text: str) -> str:
    """`text` without the sentences that talk about translating it (see the module's doc)."""
    if not _TRANSLATING.search(text):
        return text  # the usual case, untouched
    sentences = _SENTENCES.split(text.strip())
    talk = [i for i, s in enumerate(sentences) if _is_preamble(s)]
    if not talk:
        return text
    kept = list(sentences)
    for i in talk:
        start = _START.search(sentences[i])
        kept[i] = sentences[i][: start.start()].strip() if start else ""
        if i > 0 and _TRANSLATING.search(sentences[i - 1]):
            kept[i - 1] = ""
    return " ".join(s for s in kept if s).strip()
