"""Candidate items for the hand-checked gold set (eval/gold/): FLORES-200 devtest documents.

A FLORES document is the run of consecutive devtest lines sharing one source URL. For each
chosen document this prints every English and Arabic line with the numbers and quotations
the extractors find (line, start, end, surface), so a reader can decide each item's verdict
by reading both texts and correct the extractor where it is wrong; the decisions live in
eval/gold/flores.tsv (written by hand, not by this script).

    .venv/bin/python eval/gold_candidates.py [--docs 40] [--skip 0]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPORA, need  # noqa: E402

from xling.text.numbers import extract_numbers  # noqa: E402
from xling.text.quotes import extract_quotes  # noqa: E402

FLORES = CORPORA / "flores200-devtest"


def flores_documents() -> list[tuple[str, int, int]]:
    """(url, first line, end line) of every FLORES devtest document, in file order."""
    meta = need(FLORES / "metadata_devtest.tsv").read_text(encoding="utf-8").splitlines()[1:]
    docs: list[tuple[str, int, int]] = []
    for i, row in enumerate(meta):
        url = row.split("\t")[0]
        if docs and docs[-1][0] == url and docs[-1][2] == i:
            docs[-1] = (url, docs[-1][1], i + 1)
        else:
            docs.append((url, i, i + 1))
    return docs


def flores_lines() -> tuple[list[str], list[str]]:
    en = need(FLORES / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    ar = need(FLORES / "arb_Arab.devtest").read_text(encoding="utf-8").splitlines()
    return en, ar


def has_items(lines: list[str]) -> bool:
    text = "\n".join(lines)
    return bool(extract_numbers(text, "en")) or any(
        q.is_quotation for q in extract_quotes(text, "en")
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=40)
    ap.add_argument("--skip", type=int, default=0, help="skip this many eligible documents")
    args = ap.parse_args()
    en, ar = flores_lines()
    chosen = [d for d in flores_documents() if has_items(en[d[1] : d[2]])]
    for url, lo, hi in chosen[args.skip : args.skip + args.docs]:
        print(f"=== {url} lines {lo}..{hi - 1}")
        for lang, lines in (("en", en), ("ar", ar)):
            for i in range(lo, hi):
                print(f"[{lang} {i}] {lines[i]}")
                for m in extract_numbers(lines[i], lang):
                    print(f"    num {m.span[0]}:{m.span[1]} «{m.text}» = {m.value} q={m.qualifier}")
                for q in extract_quotes(lines[i], lang):
                    print(f"    quote {q.span[0]}:{q.span[1]} «{q.text[:60]}» by {q.speaker}")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
