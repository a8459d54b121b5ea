"""Severity per finding, --fail-on, --ignore and the configuration signature of `xling audit`
(real command lines; --no-mt and no encoder keep them fast)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO, run_xling
from test_audit_cli import AR, EN, write_pair

from xling.audit.run import audit_document, build_report, settings

# "more than 130" loses its qualifier (a warning), 180 becomes 150 (an error).
AR_ERRORS = AR.replace("أكثر من ١٣٠", "١٣٠").replace("١٨٠", "١٥٠")


def audit(args: list[str], tmp_path: Path):
    return run_xling(["audit", *args], tmp_path / "home", timeout=180)


def findings(report: dict) -> list[tuple[str, str, str, bool]]:
    return [
        (i["check"], i["severity"], i["verdict"], i["flagged"])
        for d in report["documents"]
        for i in d["numbers"] + d["quotes"]
        if "check" in i
    ]


def test_severity_of_each_finding_and_suppression_in_the_report() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((REPO / "docs" / "audit.schema.json").read_text(encoding="utf-8"))
    doc = audit_document("d", EN, AR_ERRORS)
    report = build_report([doc], settings(None, None))
    jsonschema.validate(report, schema)
    assert sorted(findings(report)) == [
        ("number_changed", "error", "changed", True),
        ("qualifier_changed", "warning", "qualifier_changed", True),
    ]
    assert report["corpus"]["severity"] == {"error": 1, "warning": 1, "info": 0}
    ignored = build_report(
        [audit_document("d", EN, AR_ERRORS)], settings(None, None, ("number_changed",))
    )
    jsonschema.validate(ignored, schema)
    (changed,) = [i for i in ignored["documents"][0]["numbers"] if i["verdict"] == "changed"]
    assert changed["suppressed"] and not changed["flagged"] and changed["severity"] == "error"
    assert ignored["corpus"]["severity"] == {"error": 0, "warning": 1, "info": 0}
    assert ignored["corpus"]["flagged"] == 1 == report["corpus"]["flagged"] - 1
    # What was measured does not change: the changed number still counts against carry-over.
    assert ignored["corpus"]["number_carry_over"] == report["corpus"]["number_carry_over"]
    assert "|ignore:number_changed|" in ignored["settings"]["signature"]


def test_signature_names_the_configuration() -> None:
    plain = settings(None, None)["signature"]
    assert plain.startswith("xling-audit|mt:none|encoder:none|aligner:xling-align|")
    assert "|signals:numbers+length|order:auto|thresholds:" in plain
    full = settings("model:quality", "e5-small")["signature"]
    assert (
        "|mt:model:quality|encoder:e5-small|" in full
        and "|signals:embed+mt+numbers+length|" in full
    )
    assert settings("/tmp/x|y.jsonl", None)["signature"].startswith("xling-audit|mt:file|")
    # The thresholds field follows every shipped threshold.
    other = settings(None, None)
    other["thresholds"]["quote_match"] += 0.01
    from xling.audit.run import signature

    assert signature(other).split("|")[6] != plain.split("|")[6]


def test_fail_on_error_lists_severities_everywhere(tmp_path: Path) -> None:
    en, ar = write_pair(tmp_path, "story", ar=AR_ERRORS)
    out_json, out_html = tmp_path / "a.json", tmp_path / "a.html"
    args = [str(en), str(ar), "--no-mt", "--fail-on", "error"]
    proc = audit(args + ["--json", str(out_json), "--html", str(out_html)], tmp_path)
    assert proc.returncode == 1, proc.err
    assert "--fail-on error: 1 error(s), 1 warning(s)" not in proc.err  # only the level asked
    assert "xling: --fail-on error: 1 error(s)" in proc.err
    assert "error [number_changed] story en#1 number changed" in proc.err
    assert "warning [qualifier_changed] story en#1" in proc.err
    report = json.loads(out_json.read_text(encoding="utf-8"))
    signature = report["settings"]["signature"]
    assert signature.startswith("xling-audit|mt:none|") and signature in proc.err
    html = out_html.read_text(encoding="utf-8")
    assert signature in html and "sev-error" in html and "sev-warning" in html


def test_ignore_and_fail_on_warning_and_fail_under_together(tmp_path: Path) -> None:
    en, ar = write_pair(tmp_path, "story", ar=AR_ERRORS)
    out = tmp_path / "b.json"
    base = [str(en), str(ar), "--no-mt", "-q"]
    # The error is suppressed, the warning is left: --fail-on warning fails, --fail-under
    # passes (carry-over 1/3: "four" kept, 130 lost its qualifier, 180 changed).
    proc = audit(
        base
        + ["--ignore", "number_changed", "--fail-on", "warning", "--fail-under", "0.3"]
        + ["--json", str(out)],
        tmp_path,
    )
    assert proc.returncode == 1, proc.err
    assert "--fail-on warning: 1 warning(s)" in proc.err and "--fail-under" not in proc.err
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["settings"]["ignore"] == ["number_changed"]
    assert report["corpus"]["severity"] == {"error": 0, "warning": 1, "info": 0}
    # Both checks suppressed: --fail-on passes, --fail-under still fails the run.
    proc = audit(
        base
        + ["--ignore", "number_changed,qualifier_changed", "--fail-on", "warning"]
        + ["--fail-under", "0.99"],
        tmp_path,
    )
    assert proc.returncode == 1, proc.err
    assert "below --fail-under 0.99" in proc.err and "--fail-on" not in proc.err
    proc = audit(base + ["--ignore", "qualifier_chnaged"], tmp_path)
    assert proc.returncode == 2 and "unknown check(s) qualifier_chnaged" in proc.err
