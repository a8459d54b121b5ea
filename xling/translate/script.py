"""No Arabic letters in the English: find them, and the vocabulary entries that would write them.

Small models leave Arabic in their English, mostly names they do not know ("the Dاعsh-K
group"). A sentence that still has Arabic letters after the number guard is decoded again with
every target token that writes Arabic script suppressed (CTranslate2's `suppress_sequences`):
the model has to spell the name in Latin letters. What still has Arabic letters (the retry
failed: empty or cut short) is marked `untranslated: true` in the JSONL.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from xling.translate.tokenizer import target_vocabulary

# Letters of the Arabic script blocks (what "untranslated" means): Arabic, Supplement,
# Extended-A and the presentation forms. Arabic punctuation and digits are not letters.
ARABIC_LETTERS = re.compile(
    r"[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06fc\u06ff\u0750-\u077f\u08a0-\u08c9"
    r"\ufb50-\ufdfb\ufe70-\ufefc]+"
)
# Any character of those blocks (what an English output must not contain at all).
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# UTF-8 lead bytes of U+0600–U+07FF (Arabic, Syriac, Thaana, NKo): a byte-level BPE token with
# one of them starts such a character; continuation bytes are 0x80–0xBF, so no false match.
_ARABIC_LEAD_BYTES = frozenset(range(0xD8, 0xDF + 1))
_BYTE_FALLBACK = re.compile(r"^<0x([0-9A-Fa-f]{2})>$")


def arabic_runs(text: str) -> list[str]:
    """The runs of Arabic letters in `text` (empty for a clean English sentence)."""
    return ARABIC_LETTERS.findall(text)


@functools.cache
def _byte_decoder() -> dict[str, int]:
    """GPT-2's byte-level BPE alphabet, reversed: each of 256 printable characters → its byte."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1)]
    printable += list(range(ord("®"), ord("ÿ") + 1))
    chars = list(printable)
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            chars.append(256 + extra)
            extra += 1
    return {chr(c): b for b, c in zip(printable, chars, strict=True)}


def writes_arabic(token: str, byte_level: bool) -> bool:
    """Whether emitting `token` puts Arabic script (or its first byte) into the output."""
    if _ARABIC_SCRIPT.search(token):
        return True
    fallback = _BYTE_FALLBACK.match(token)
    if fallback:
        return int(fallback.group(1), 16) in _ARABIC_LEAD_BYTES
    if byte_level:
        decoder = _byte_decoder()
        if all(c in decoder for c in token):
            return any(decoder[c] in _ARABIC_LEAD_BYTES for c in token)
    return False


@functools.cache
def arabic_tokens(folder: Path) -> tuple[str, ...]:
    """The target tokens of the model in `folder` that write Arabic script (cached per model)."""
    vocabulary = target_vocabulary(folder)
    # GPT-2 style byte-level BPE marks spaces and newlines with Ġ / Ċ
    byte_level = any(t.startswith("Ġ") for t in vocabulary[:5000])
    return tuple(t for t in vocabulary if t and writes_arabic(t, byte_level))
