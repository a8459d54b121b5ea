"""The audit as one self-contained HTML file: no scripts or fonts from the network.

Aligned sentences side by side (Arabic right to left), numbers and quotes highlighted by
verdict, flagged items linked to their sentences, an inline SVG chart of the scores per
document. All article text goes through Jinja2's autoescaping.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from jinja2 import Environment, select_autoescape

from xling.io.atomic import atomic_write_text
from xling.report.audit_table import flagged_lines


def _segments(text: str, offset: int, marks: list[tuple[int, int, str]]) -> list[dict]:
    """Cut a sentence into pieces, each with the CSS classes of the marks covering it.

    `marks` are (start, end, class) in document offsets; the sentence starts at `offset`.
    """
    n = len(text)
    local = [
        (max(0, a - offset), min(n, b - offset), cls)
        for a, b, cls in marks
        if a - offset < n and b - offset > 0
    ]
    cuts = sorted({0, n, *(a for a, _, _ in local), *(b for _, b, _ in local)})
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a >= b:
            continue
        classes = [cls for s, e, cls in local if s <= a and b <= e]
        pieces.append({"text": text[a:b], "cls": " ".join(classes)})
    return pieces


def _marks(doc: dict, lang: str) -> list[tuple[int, int, str]]:
    marks = []
    for k, item in enumerate(doc["quotes"]):
        side = item[lang]
        if side:
            marks.append((side["span"][0], side["span"][1], f"q q-{item['verdict']} qi{k}"))
    for k, item in enumerate(doc["numbers"]):
        side = item[lang]
        if side:
            marks.append((side["span"][0], side["span"][1], f"n n-{item['verdict']} ni{k}"))
    return marks


def _rows(doc: dict) -> list[dict]:
    al = doc["alignment"]
    en_marks, ar_marks = _marks(doc, "en"), _marks(doc, "ar")
    flagged_en: set[int] = set()
    flagged_ar: set[int] = set()
    for item in doc["numbers"] + doc["quotes"]:
        if item["flagged"]:
            flagged_en.update(s["index"] for s in item["evidence"]["en_sentences"])
            flagged_ar.update(s["index"] for s in item["evidence"]["ar_sentences"])
    rows = []
    for link in al["links"]:
        if link.get("moved"):
            kind = "moved"
        elif not link["ar"]:
            kind = "omitted"
        elif not link["en"]:
            kind = "added"
        else:
            kind = ""
        rows.append(
            {
                "kind": kind,
                "en": [
                    {
                        "index": i,
                        "pieces": _segments(al["en"][i], al["en_offsets"][i][0], en_marks),
                        "flagged": i in flagged_en,
                    }
                    for i in link["en"]
                ],
                "ar": [
                    {
                        "index": j,
                        "pieces": _segments(al["ar"][j], al["ar_offsets"][j][0], ar_marks),
                        "flagged": j in flagged_ar,
                    }
                    for j in link["ar"]
                ],
                "score": link["score"],
            }
        )
    return rows


def _flagged(report: dict) -> list[dict]:
    """Flagged items with the anchor of their first sentence."""
    out = []
    lines = iter(flagged_lines(report))
    for d, doc in enumerate(report["documents"]):
        for item in doc["numbers"] + doc["quotes"]:
            if not item["flagged"]:
                continue
            if item["en"]:
                anchor = f"d{d}-en{item['en']['sentence']}"
            else:
                anchor = f"d{d}-ar{item['ar']['sentence']}"
            out.append(
                {
                    "anchor": anchor,
                    "line": next(lines),
                    "verdict": item["verdict"],
                    "severity": item.get("severity", ""),
                }
            )
    return out


def _passages(report: dict) -> list[dict]:
    """Every omitted, added and moved passage with the anchor of its first sentence."""
    out = []
    for d, doc in enumerate(report["documents"]):
        for passage in doc.get("passages", []):
            lang = "en" if passage["en"] else "ar"
            first = passage[lang]["sentences"][0]
            out.append(
                {
                    "anchor": f"d{d}-{lang}{first}",
                    "kind": passage["kind"],
                    "flagged": passage["flagged"],
                    "line": f"{doc['id']} {passage['note']}",
                }
            )
    return out


def _chart(report: dict) -> dict:
    """Bars of number and quote carry-over per document, in SVG units."""
    docs = report["documents"]
    bar, gap, height = 10, 8, 120
    bars = []
    for k, doc in enumerate(docs):
        x = 40 + k * (2 * bar + gap)
        for m, key in enumerate(("number_carry_over", "quote_carry_over")):
            value = doc["scores"][key]
            h = 0 if value is None else value * height
            bars.append(
                {
                    "x": x + m * bar,
                    "y": 10 + height - h,
                    "h": h,
                    "cls": "bar-n" if m == 0 else "bar-q",
                    "title": f"{doc['id']}: {key} "
                    + ("n/a" if value is None else f"{100 * value:.1f}%"),
                }
            )
    return {"bars": bars, "width": max(320, 60 + len(docs) * (2 * bar + gap)), "height": height}


def render_html(report: dict) -> str:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    source = (
        resources.files("xling.report")
        .joinpath("templates/audit.html.j2")
        .read_text(encoding="utf-8")
    )
    template = env.from_string(source)
    documents = [
        {"doc": doc, "rows": _rows(doc), "anchor": f"d{d}"}
        for d, doc in enumerate(report["documents"])
    ]
    return template.render(
        report=report,
        documents=documents,
        flagged=_flagged(report),
        passages=_passages(report),
        chart=_chart(report),
    )


def write_html(report: dict, path: Path) -> None:
    atomic_write_text(path, render_html(report))
