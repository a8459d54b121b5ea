"""Severity and check name of every finding of an audit, per-check suppression, and the
--fail-on gate.

As in pofilter and Trados QA, each finding is the result of a named check and has a severity:
`error` (the translation says something else: a changed or dropped number, a dropped
quotation, a quote with other numbers or another speaker), `warning` (worth a look, often
right: a dropped or added "about", an added number or quotation, quote marks dropped, a
quote whose content looks different) or `info` (recorded, not for review: small spelled-out
numbers, quoted terms, moved passages). Kept items are not findings.

Suppressing a check (`xling audit --ignore CHECK,...`, like pofilter's --nofilter) keeps its
findings in the JSON with `"suppressed": true` and `"flagged": false`: they leave the flagged
counts, the terminal list, the HTML list and --fail-on, and their verdicts still count in the
carry-over rates (a suppressed check changes what is reviewed, not what was measured).
"""

from __future__ import annotations

SEVERITIES = ("error", "warning", "info")  # most severe first
# check -> (what it finds, severity when flagged). Unflagged findings are `info`.
CHECKS: dict[str, tuple[str, str]] = {
    "number_changed": ("a number of the source has another value in the Arabic", "error"),
    "number_missing": ("a number of the source is not in the Arabic", "error"),
    "number_added": ("a number of the Arabic is not in the source", "warning"),
    "qualifier_changed": ('same value, another qualifier ("more than" -> "about")', "warning"),
    "quote_missing": ("a quotation of the source is not in the Arabic", "error"),
    "quote_numbers": ("a quotation's numbers differ", "error"),
    "quote_speaker": ("a quotation is given to another speaker", "error"),
    "quote_content": ("a quotation's content looks different", "warning"),
    "quote_marks": ("a quotation is carried without quote marks (paraphrased)", "warning"),
    "quote_added": (
        "the Arabic has a quotation with a speaker the source does not have",
        "warning",
    ),
    "passage_omitted": ("source sentences with no Arabic", "error"),
    "passage_added": ("Arabic sentences with no source", "warning"),
    "passage_moved": ("a passage at another place in the Arabic", "info"),
}
_NUMBER_CHECK = {
    "changed": "number_changed",
    "missing": "number_missing",
    "added": "number_added",
    "qualifier_changed": "qualifier_changed",
}
_QUOTE_REASON = {  # the start of a reason in evidence.reasons (xling.audit.quotes)
    "numbers differ": "quote_numbers",
    "speaker differs": "quote_speaker",
    "content differs": "quote_content",
    "quote marks dropped": "quote_marks",
}


def rank(severity: str) -> int:
    """0 for error, 1 for warning, 2 for info."""
    return SEVERITIES.index(severity)


def parse_ignore(values: list[str] | None) -> tuple[str, ...]:
    """--ignore values (repeated and/or comma-separated) as check names, checked."""
    from xling.errors import XlingError

    names = [n.strip() for v in values or [] for n in v.split(",") if n.strip()]
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        raise XlingError(
            f"--ignore: unknown check(s) {', '.join(unknown)}; the checks are: " + ", ".join(CHECKS)
        )
    return tuple(dict.fromkeys(names))


def _number_checks(item: dict) -> list[str]:
    check = _NUMBER_CHECK.get(item["verdict"])
    return [check] if check else []


def _quote_checks(item: dict) -> list[str]:
    if item["verdict"] == "missing":
        return ["quote_missing"]
    if item["verdict"] == "added":
        return ["quote_added"]
    checks = [
        check
        for reason in item["evidence"]["reasons"]
        for start, check in _QUOTE_REASON.items()
        if reason.startswith(start)
    ]
    if item["verdict"] == "paraphrased" and "quote_marks" not in checks:
        checks.insert(0, "quote_marks")
    return checks


def _grade(item: dict, checks: list[str], ignore: tuple[str, ...]) -> None:
    """Set check and severity (and suppressed) on one finding; nothing on a clean item. A
    flagged finding takes its most severe check; an unflagged one is `info`."""
    if not checks:
        return
    active = [c for c in checks if c not in ignore]
    chosen = active or checks
    if item["flagged"]:
        check = min(chosen, key=lambda c: rank(CHECKS[c][1]))
        item["check"], item["severity"] = check, CHECKS[check][1]
    else:
        item["check"], item["severity"] = chosen[0], "info"
    if not active:
        item["suppressed"] = True
        item["flagged"] = False


def _passage_check(passage: dict) -> str:
    return f"passage_{passage['kind']}"


def _count(items: list[dict]) -> dict[str, int]:
    active = [i for i in items if "severity" in i and not i.get("suppressed")]
    return {s: sum(i["severity"] == s for i in active) for s in SEVERITIES}


def apply_severity(report: dict, ignore: tuple[str, ...] = ()) -> None:
    """Give every finding of `report` its check and severity, suppress the `ignore`d checks,
    and count findings per severity in each document's scores and the corpus."""
    everything: list[dict] = []
    for doc in report["documents"]:
        for item in doc["numbers"]:
            _grade(item, _number_checks(item), ignore)
        for item in doc["quotes"]:
            _grade(item, _quote_checks(item), ignore)
        for passage in doc.get("passages", []):
            _grade(passage, [_passage_check(passage)], ignore)
        items = doc["numbers"] + doc["quotes"] + doc.get("passages", [])
        doc["scores"]["flagged"] = sum(i["flagged"] for i in doc["numbers"] + doc["quotes"])
        doc["scores"]["severity"] = _count(items)
        everything += items
    corpus = report["corpus"]
    corpus["flagged"] = sum(d["scores"]["flagged"] for d in report["documents"])
    corpus["documents_flagged"] = sum(d["scores"]["flagged"] > 0 for d in report["documents"])
    corpus["severity"] = _count(everything)


def findings_at(report: dict, level: str) -> int:
    """How many findings (not suppressed) have severity `level` or worse."""
    counts = report["corpus"].get("severity") or {}
    return sum(n for s, n in counts.items() if rank(s) <= rank(level))
