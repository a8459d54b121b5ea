"""Bytes to text for every input of every command: UTF-8 stays UTF-8, whatever --encoding says.

Order: a BOM (UTF-8, UTF-16) → UTF-16 without a BOM (recognised by its high bytes) → UTF-8 →
the --encoding the user gave, for files that are none of these. NUL characters never reach a
model: text that still holds one after decoding is refused, naming the file and the line.
"""

from __future__ import annotations

import codecs

from xling.errors import InputError

# High bytes of UTF-16 code units for ASCII (0x00) and the Arabic block (0x06).
_UTF16_HIGH = (0x00, 0x06)
# C0 controls that plain text does not contain (tab, newline, VT, FF, CR excluded).
_ODD_CONTROLS = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0B, 0x0C, 0x0D))


def _high_share(half: bytes) -> float:
    return sum(b in _UTF16_HIGH for b in half) / len(half)


def utf16_without_bom(data: bytes) -> str | None:
    """The text if `data` looks like BOM-less UTF-16 (LE or BE), else None.

    Only tried when the bytes hold controls that UTF-8 text does not (NUL, 0x06, ...): in UTF-16
    of Arabic or ASCII text one byte of every pair is almost always 0x00 or 0x06.
    """
    if len(data) < 2 or len(data) % 2 or not any(b in _ODD_CONTROLS for b in data):
        return None
    even, odd = data[0::2], data[1::2]
    for codec, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if _high_share(high) >= 0.9 and _high_share(low) < 0.5:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text
    return None


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
