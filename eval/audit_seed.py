"""Extraction only, on the seed article (Arabic, no English source): its numbers and quotes.

    .venv/bin/python eval/audit_seed.py

writes eval/out/audit_seed.json and prints the README section "What audit finds in the seed
article" (README.md is the one place of that table).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPORA, OUT, need  # noqa: E402

from xling.audit.alignment import document_text  # noqa: E402
from xling.io.articles import split_paragraphs  # noqa: E402
from xling.text.numbers import extract_numbers  # noqa: E402
from xling.text.quotes import extract_quotes  # noqa: E402

SEED = CORPORA / "seed" / "moscow-isis-k.ar.txt"


def _cell(text: str | None) -> str:
    return "–" if not text else text.replace("|", "\\|").replace("\n", " ")


def main() -> int:
    raw = need(SEED).read_text(encoding="utf-8")
    text = document_text(raw)
    paragraphs, _ = split_paragraphs(raw)
    numbers = []
    for p, para in enumerate(paragraphs):
        for m in extract_numbers(para, "ar"):
            value = int(m.value) if float(m.value).is_integer() else m.value
            numbers.append(
                {
                    "paragraph": p + 1,
                    "text": m.text,
                    "value": value,
                    "kind": m.kind,
                    "qualifier": m.qualifier,
                    "unit": m.unit,
                }
            )
    quotes = []
    for q in extract_quotes(text, "ar"):
        quotes.append(
            {
                "paragraph": text.count("\n", 0, q.span[0]) + 1,
                "text": q.text,
                "speaker": q.speaker,
                "resolved_speaker": q.resolved_speaker,
                "verb": q.verb,
                "attribution": q.attribution,
                "quotation": q.is_quotation,
                "closed": q.closed,
            }
        )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "audit_seed.json").write_text(
        json.dumps({"numbers": numbers, "quotes": quotes}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    lines = [
        "### What audit finds in the seed article",
        "",
        f"`{SEED.relative_to(CORPORA.parent)}` ({len(paragraphs)} paragraphs), extraction "
        "only (`.venv/bin/python eval/audit_seed.py`): "
        f"{len(numbers)} numbers and {len(quotes)} quoted spans "
        f"({sum(q['quotation'] for q in quotes)} quotations).",
        "",
        "| ¶ | number | value | kind | qualifier | unit |",
        "|---|---|---|---|---|---|",
    ]
    for n in numbers:
        lines.append(
            f"| {n['paragraph']} | {_cell(n['text'])} | {n['value']} | {n['kind']} | "
            f"{_cell(n['qualifier'])} | {_cell(n['unit'])} |"
        )
    lines += [
        "",
        "| ¶ | quote | speaker (as written → resolved) | verb | attribution |",
        "|---|---|---|---|---|",
    ]
    for q in quotes:
        text = q["text"] if len(q["text"]) <= 90 else q["text"][:87] + "…"
        speaker = _cell(q["speaker"])
        if q["resolved_speaker"] and q["resolved_speaker"] != q["speaker"]:
            speaker += f" → {q['resolved_speaker']}"
        lines.append(
            f"| {q['paragraph']} | {_cell(text)} | {speaker} | {_cell(q['verb'])} | "
            f"{_cell(q['attribution'])}{'' if q['closed'] else ' (unclosed)'} |"
        )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
