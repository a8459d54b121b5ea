"""Precision and recall of `xling audit`'s flags on the hand-checked gold set (eval/gold/).

The gold set gives every number and every quotation of 60 FLORES-200 devtest documents
(English source, human Arabic) a verdict decided by reading both texts
(eval/gold/flores.tsv; how it was made: eval/gold/README.md). FLORES was never used to set a
threshold of the audit: this is held-out data.

Each document is audited whole as `xling audit --no-mt` does (real sentence aligner, e5-small).
A flag of the audit is *right* when it lands on a gold item whose verdict is not `kept`
(any discrepancy a reviewer should see) and *wrong* otherwise, including flags on words the
gold set does not count as numbers or quotations (extractor errors). Recall: the gold items
that are not `kept` and carry a flag.

    .venv/bin/python eval/audit_gold.py      # writes eval/results/audit_gold.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, machine  # noqa: E402
from gold_candidates import flores_documents, flores_lines  # noqa: E402

GOLD = ROOT / "eval" / "gold"


@dataclass
class Ref:
    line: int
    start: int  # offset in the document text (lines joined by newlines)
    end: int
    surface: str


@dataclass
class GoldItem:
    doc: int
    kind: str  # "number" or "quote"
    en: Ref | None
    ar: Ref | None
    verdict: str
    note: str


def _find(line_text: str, surface: str, k: int) -> int:
    """Offset of the k-th occurrence (1-based) of `surface` as a whole word."""
    # Digits may be glued to a letter (Arabic و5.0), never to another digit.
    left = r"(?<![\d.,])" if surface[0].isdigit() else r"(?<!\w)"
    right = r"(?!\w)" if surface[-1].isalpha() else r"(?![\d])"
    hits = [m.start() for m in re.finditer(left + re.escape(surface) + right, line_text)]
    if len(hits) < k:
        raise ValueError(f"{surface!r} (occurrence {k}) is not in line: {line_text}")
    return hits[k - 1]


def _ref(field: str, lines: list[str], first: int) -> Ref | None:
    if field == "-":
        return None
    line_no, surface = field.split(":", 1)
    k = 1
    if "#" in surface:
        surface, occ = surface.rsplit("#", 1)
        k = int(occ)
    line = int(line_no)
    offset = sum(len(lines[i]) + 1 for i in range(first, line))
    pos = _find(lines[line], surface, k)
    return Ref(line, offset + pos, offset + pos + len(surface), surface)


def load_gold(path: Path = GOLD / "flores.tsv") -> tuple[dict[int, tuple[str, int, int]], list]:
    """The gold documents (first line -> (url, first, end)) and items, offsets resolved."""
    en, ar = flores_lines()
    docs = {lo: (url, lo, hi) for url, lo, hi in flores_documents()}
    items: list[GoldItem] = []
    rows = [r for r in path.read_text(encoding="utf-8").splitlines() if r and r[0] != "#"]
    for n, row in enumerate(rows[1:], start=2):
        cols = row.split("\t")
        if len(cols) < 5:
            raise ValueError(f"{path.name} row {n}: expected 5 or 6 tab-separated fields")
        doc = int(cols[0])
        if doc not in docs:
            raise ValueError(f"{path.name} row {n}: no FLORES document starts at line {doc}")
        first = docs[doc][1]
        items.append(
            GoldItem(
                doc,
                cols[1],
                _ref(cols[2], en, first),
                _ref(cols[3], ar, first),
                cols[4],
                cols[5] if len(cols) > 5 else "",
            )
        )
    chosen = {i.doc for i in items}
    return {d: docs[d] for d in sorted(chosen)}, items


def _overlaps(ref: Ref | None, span: list[int] | None, point: bool) -> bool:
    if ref is None or span is None:
        return False
    if point:  # a quotation: its first words lie inside the audit's quote span
        return span[0] <= ref.start < span[1]
    return ref.start < span[1] and span[0] < ref.end


def _gold_for(item: dict, kind: str, gold: list[GoldItem]) -> GoldItem | None:
    point = kind == "quote"
    for g in gold:
        if g.kind != kind:
            continue
        if item["en"] and _overlaps(g.en, item["en"]["span"], point):
            return g
        if item["ar"] and _overlaps(g.ar, item["ar"]["span"], point):
            return g
    return None


def _prf(right: int, flags: int, found: int, positives: int) -> dict:
    p = right / flags if flags else None
    r = found / positives if positives else None
    f = 2 * p * r / (p + r) if p and r else None
    return {
        "flags": flags,
        "right_flags": right,
        "precision": None if p is None else round(p, 4),
        "positives": positives,
        "found": found,
        "recall": None if r is None else round(r, 4),
        "f1": None if f is None else round(f, 4),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "eval" / "results" / "audit_gold.json")
    args = ap.parse_args()
    from xling.align.sentences import default_embedder
    from xling.audit.run import audit_document

    embedder = default_embedder()
    if embedder is None:
        sys.exit("the e5-small encoder is not built: xling models build e5-small")
    docs, gold = load_gold()
    en, ar = flores_lines()
    flag_rows, item_rows = [], []
    for doc, (url, lo, hi) in docs.items():
        report = audit_document(
            url, "\n".join(en[lo:hi]), "\n".join(ar[lo:hi]), embedder=embedder
        ).to_json()
        mine = [g for g in gold if g.doc == doc]
        for kind, key in (("number", "numbers"), ("quote", "quotes")):
            for it in report[key]:
                g = _gold_for(it, kind, mine)
                if it["flagged"]:
                    flag_rows.append(
                        {
                            "doc": doc,
                            "kind": kind,
                            "verdict": it["verdict"],
                            "en": it["en"]["text"] if it["en"] else None,
                            "ar": it["ar"]["text"] if it["ar"] else None,
                            "gold": g.verdict if g else None,
                            "right": bool(g and g.verdict != "kept"),
                        }
                    )
            for g in mine:
                if g.kind != kind:
                    continue
                hits = [it for it in report[key] if _gold_for(it, kind, [g]) is g]
                item_rows.append(
                    {
                        "doc": doc,
                        "kind": kind,
                        "en": g.en.surface if g.en else None,
                        "ar": g.ar.surface if g.ar else None,
                        "gold": g.verdict,
                        "xling": sorted({it["verdict"] for it in hits}) or ["(not found)"],
                        "flagged": any(it["flagged"] for it in hits),
                    }
                )
    table = {}
    for kind in ("number", "quote", "all"):
        flags = [f for f in flag_rows if kind in ("all", f["kind"])]
        items = [i for i in item_rows if kind in ("all", i["kind"])]
        pos = [i for i in items if i["gold"] != "kept"]
        table[kind] = _prf(
            sum(f["right"] for f in flags), len(flags), sum(i["flagged"] for i in pos), len(pos)
        ) | {
            "gold_items": len(items),
            "gold_verdicts": dict(Counter(i["gold"] for i in items)),
            "xling_verdict_on_gold": dict(
                Counter(f"{i['gold']} -> {'/'.join(i['xling'])}" for i in items)
            ),
        }
    out = {
        "summary": {
            "machine": machine(),
            "corpus": "flores200-devtest (held out)",
            "documents": len(docs),
            "mt": None,
            "encoder": "e5-small",
            "documents_with_a_flag": len({f["doc"] for f in flag_rows}),
            "documents_with_a_wrong_flag": len({f["doc"] for f in flag_rows if not f["right"]}),
            "table": table,
        },
        "flags": flag_rows,
        "items": item_rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(json.dumps(out["summary"]["table"], ensure_ascii=False, indent=1))
    for f in flag_rows:
        print(f)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
