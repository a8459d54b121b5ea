"""The audit's JSON report, written atomically (layout: docs/audit-schema.md)."""

from __future__ import annotations

import json
from pathlib import Path

from xling.io.atomic import atomic_write_text


def write_json(report: dict, path: Path) -> None:
    atomic_write_text(path, json.dumps(report, ensure_ascii=False, indent=1) + "\n")
