"""Reading back what `xling translate` wrote: `<stem>.jsonl`, one record per sentence."""

from __future__ import annotations

import json
from pathlib import Path

from xling.errors import InputError
from xling.io.articles import decode_bytes


def read_translation_records(path: Path, encoding: str | None = None) -> list[dict]:
    """The records of a translate JSONL, each checked to have string "src" and "mt";
    errors name the file and line."""
    records = []
    text = decode_bytes(path.read_bytes(), str(path), encoding)
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"malformed JSON ({exc.msg})", str(path), number) from exc
        if not (
            isinstance(record, dict)
            and isinstance(record.get("src"), str)
            and isinstance(record.get("mt"), str)
        ):
            raise InputError(
                'each line must be an object with string "src" and "mt"', str(path), number
            )
        records.append(record)
    return records
