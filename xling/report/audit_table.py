"""The audit on the terminal: a rich table of scores per document and the flagged items."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

MAX_FLAGGED = 40  # flagged items listed on the terminal; the JSON and HTML have them all


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _mt(scores: dict, name: str) -> str:
    mt = scores.get("mt")
    return "–" if not mt else f"{mt[name]['score']:.1f}"


def _passages(s: dict) -> str:
    p = s.get("passages")  # absent from reports written before passages were found
    return "–" if p is None else f"{p['omitted']}/{p['added']}/{p['moved']}"


def _severity(s: dict) -> str:
    counts = s.get("severity")  # absent from reports written before severities
    return "–" if counts is None else f"{counts['error']}/{counts['warning']}/{counts['info']}"


def _row(table: Table, name: str, s: dict, style: str | None = None) -> None:
    n, q = s["numbers"], s["quotes"]
    table.add_row(
        name,
        f"{n['kept']}/{n['changed']}/{n['qualifier_changed']}/{n['missing']}/{n['added']}",
        _pct(s["number_carry_over"]),
        f"{q['kept']}/{q['paraphrased']}/{q['missing']}/{q['added']}",
        _pct(s["quote_carry_over"]),
        "–" if s["mean_quote_fidelity"] is None else f"{s['mean_quote_fidelity']:.3f}",
        _mt(s, "bleu"),
        _mt(s, "chrf"),
        _passages(s),
        str(s["flagged"]),
        _severity(s),
        style=style,
    )


def _in_passage(doc: dict, item: dict) -> str:
    """Where the item is: its passage, and its English report when there are several."""
    out = ""
    r = item["evidence"].get("report")
    reports = doc["alignment"].get("reports")
    if r is not None and reports:
        out += f" [EN {reports[r]['name'] or 'report ' + str(r + 1)}]"
    p = item["evidence"].get("passage")
    if p is not None:
        out += f" [in {doc['passages'][p]['kind']} passage #{p}]"
    return out


def _label(item: dict) -> str:
    """ "error [number_changed] " before a finding's line; nothing for older reports."""
    if "severity" not in item:
        return ""
    return f"{item['severity']} [{item['check']}] "


def flagged_lines(report: dict) -> list[str]:
    """One line per flagged item: severity and check, document, sentence, verdict and the
    evidence."""
    lines = []
    for doc in report["documents"]:
        for item in doc["numbers"]:
            if item["flagged"]:
                side = item["en"] or item["ar"]
                where = f"en#{item['en']['sentence']}" if item["en"] else f"ar#{side['sentence']}"
                lines.append(
                    f"{_label(item)}{doc['id']} {where} number {item['verdict']}: "
                    f"{item['evidence']['note']}" + _in_passage(doc, item)
                )
        for item in doc["quotes"]:
            if item["flagged"]:
                side = item["en"] or item["ar"]
                where = f"en#{item['en']['sentence']}" if item["en"] else f"ar#{side['sentence']}"
                text = side["text"] if len(side["text"]) <= 70 else side["text"][:67] + "..."
                reasons = "; ".join(item["evidence"]["reasons"])
                lines.append(
                    f"{_label(item)}{doc['id']} {where} quote {item['verdict']} ({reasons}): "
                    f"«{text}»" + _in_passage(doc, item)
                )
    return lines


def suppressed_count(report: dict) -> int:
    """Findings of checks suppressed with --ignore."""
    return sum(
        bool(item.get("suppressed"))
        for doc in report["documents"]
        for item in doc["numbers"] + doc["quotes"] + doc.get("passages", [])
    )


def passage_lines(report: dict) -> list[str]:
    """One line per omitted, added or moved passage: document, where, and what it carries."""
    lines = []
    for doc in report["documents"]:
        for passage in doc.get("passages", []):
            mark = "! " if passage["flagged"] else ""
            lines.append(f"{mark}{doc['id']} {passage['note']}")
    return lines


def print_audit(report: dict, console: Console | None = None) -> None:
    console = console or Console(stderr=True)
    if not console.is_terminal:
        console.width = 160  # logs and CI: do not squeeze the table into 80 columns
    table = Table(
        title="xling audit",
        caption="numbers: kept/changed/qualifier/missing/added; "
        "quotes: kept/paraphrased/missing/added; passages: omitted/added/moved; "
        "E/W/I: findings that are errors/warnings/info",
    )
    for column in (
        "document",
        "numbers",
        "num rate",
        "quotes",
        "quote rate",
        "fidelity",
        "BLEU",
        "chrF",
        "passages",
        "flagged",
        "E/W/I",
    ):
        table.add_column(column, justify="left" if column == "document" else "right")
    for doc in report["documents"]:
        name = doc["id"]
        if "sources" in doc:  # --match: which report(s) the article was audited against
            name += " ← " + " + ".join(s["en"] for s in doc["sources"])
        _row(table, name, doc["scores"])
    for entry in report.get("unmatched", []):
        table.add_row(f"{entry['ar']} (no source in the pool)", *["–"] * 10, style="dim")
    if len(report["documents"]) > 1:
        table.add_section()
        _row(table, f"corpus ({len(report['documents'])})", report["corpus"], style="bold")
    console.print(table)
    lines = flagged_lines(report)
    if lines:
        console.print(Text(f"flagged ({len(lines)}):", style="bold"))
        for line in lines[:MAX_FLAGGED]:
            console.print(Text("  " + line))
        if len(lines) > MAX_FLAGGED:
            console.print(f"  ... and {len(lines) - MAX_FLAGGED} more in the JSON/HTML report")
    passages = passage_lines(report)
    if passages:
        console.print(
            Text(f"passages ({len(passages)}; ! = carries numbers or quotes):", style="bold")
        )
        for line in passages[:MAX_FLAGGED]:
            console.print(Text("  " + line))
        if len(passages) > MAX_FLAGGED:
            console.print(f"  ... and {len(passages) - MAX_FLAGGED} more in the JSON/HTML report")
    suppressed = suppressed_count(report)
    if suppressed:
        ignored = ", ".join(report["settings"].get("ignore") or [])
        console.print(Text(f"suppressed ({ignored}): {suppressed} finding(s), in the JSON"))
    mt = report["corpus"].get("mt")
    if mt:
        for name in ("bleu", "chrf", "ter"):
            console.print(f"{name.upper()} {mt[name]['score']:.2f}  {mt[name]['signature']}")
    if report["settings"].get("signature"):
        console.print(Text(report["settings"]["signature"]))
