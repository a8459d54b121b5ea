"""Shared helpers for the benchmarks: corpora, machine description, result files."""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
OUT = ROOT / "eval" / "out"
RESULTS = ROOT / "eval" / "RESULTS.md"  # the one file of figures; scripts fill marked blocks


def need(path: Path) -> Path:
    if not path.exists():
        sys.exit(f"{path} is absent: the shared corpora live in ../shared beside the repo")
    return path


def flores(limit: int | None = None) -> tuple[list[str], list[str]]:
    folder = need(CORPORA / "flores200-devtest")
    ar = (folder / "arb_Arab.devtest").read_text(encoding="utf-8").splitlines()
    en = (folder / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    return ar[:limit], en[:limit]


def ntrex(limit: int | None = None) -> tuple[list[str], list[str], list[str]]:
    """Arabic reference lines, English source lines, document ids (line-aligned)."""
    folder = need(CORPORA / "ntrex128")
    ar = (folder / "newstest2019-ref.arb.txt").read_text(encoding="utf-8").splitlines()
    en = (folder / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    ids = (folder / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    return ar[:limit], en[:limit], ids[:limit]


def ntrex_documents(count: int) -> list[tuple[str, list[str]]]:
    """The first `count` NTREX documents as (id, Arabic lines): one paragraph per line."""
    ar, _, ids = ntrex()
    docs: dict[str, list[str]] = {}
    for doc_id, line in zip(ids, ar, strict=True):
        if doc_id not in docs and len(docs) == count:
            break
        docs.setdefault(doc_id, []).append(line)
    return list(docs.items())


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}"


def save(name: str, data: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def fill_results(block: str, text: str) -> None:
    """Put `text` into eval/RESULTS.md between its `<!-- block -->` and `<!-- /block -->` lines."""
    from xling.io.atomic import atomic_write_text

    doc = RESULTS.read_text(encoding="utf-8")
    begin, end = f"<!-- {block} -->\n", f"<!-- /{block} -->"
    head, found, rest = doc.partition(begin)
    if not found or end not in rest:
        sys.exit(f"{RESULTS}: no {begin.strip()} ... {end} block to fill")
    atomic_write_text(
        RESULTS, head + begin + text.rstrip("\n") + "\n" + end + rest.split(end, 1)[1]
    )
