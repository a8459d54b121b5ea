"""Bytes to text for every input of every command: UTF-8 stays UTF-8, whatever --encoding says.

Order: a BOM (UTF-8, UTF-16) → UTF-16 without a BOM (recognised by its high bytes) → UTF-8 →
the --encoding the user gave, for files that are none of these. NUL characters never reach a
model: text that still holds one after decoding is refused, naming the file and the line.
"""

from __future__ import annotations

import codecs

from xling.errors import InputError


def _plausible(text: str) -> bool:
    """Mostly characters a text of ours is made of: Latin, Arabic, general punctuation
    (LRM, RLM, ZWNJ...) and Arabic presentation forms; UTF-8 bytes misread as UTF-16 are not."""
    if not text:
        return False
    usual = sum(
        ord(c) < 0x0800 or 0x2000 <= ord(c) <= 0x206F or 0xFB50 <= ord(c) <= 0xFEFF for c in text
    )
    return usual >= 0.9 * len(text)


def utf16_without_bom(data: bytes) -> str | None:
    """The text if `data` looks like BOM-less UTF-16 (LE or BE), else None.

    Only tried when the bytes hold a NUL, which text never does and UTF-16 of any text with a
    space, a digit or a line break does: all NULs then sit on one side of the byte pairs, and
    the decoded text is made of usual characters. NUL-free bytes are never reinterpreted, so
    UTF-8 stays UTF-8.
    """
    if len(data) < 2 or len(data) % 2 or b"\x00" not in data:
        return None
    nul_even = any(b == 0 for b in data[0::2])
    nul_odd = any(b == 0 for b in data[1::2])
    if nul_even == nul_odd:  # NULs on both sides: not UTF-16 of text
        return None
    codec = "utf-16-le" if nul_odd else "utf-16-be"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return text if "\x00" not in text and _plausible(text) else None


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _no_nul(text: str, origin: str) -> str:
    at = text.find("\x00")
    if at >= 0:
        raise InputError(
            f"contains a NUL character (character {at}): a binary file, or UTF-16 without "
            "a BOM that could not be recognised?",
            origin,
            text.count("\n", 0, at) + 1,
        )
    return text


def decode_bytes(data: bytes, origin: str, encoding: str | None = None) -> str:
    """UTF-8 (with or without BOM), UTF-16 (with a BOM, or recognised without one); `encoding`
    only for bytes that are none of these."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise InputError(f"unknown encoding {encoding!r}") from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _no_nul(data.decode("utf-16"), origin)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"not valid UTF-16 although it starts with a UTF-16 BOM (byte {exc.start})", origin
            ) from exc
    if (text := utf16_without_bom(data)) is not None:
        return text
    try:
        return _no_nul(data.decode("utf-8-sig"), origin)
    except UnicodeDecodeError as exc:
        if not encoding:
            raise InputError(
                f"not UTF-8 (byte {exc.start}); if it is Windows Arabic, add --encoding cp1256",
                origin,
                _line_of(data, exc.start),
            ) from exc
    try:
        return _no_nul(data.decode(encoding), origin)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"neither UTF-8 nor {encoding} (byte {exc.start})", origin, _line_of(data, exc.start)
        ) from exc
