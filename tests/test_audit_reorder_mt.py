"""eval/audit_reorder.py --mt-cache: cached translations feed the audit's MTInput."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "eval"))
from audit_reorder import MTCache  # noqa: E402

from xling.audit.alignment import arabic_sentences  # noqa: E402
from xling.audit.run import mt_requests, norm_source  # noqa: E402

AR = 'قال الوزير إن 12 شخصا أصيبوا.\nوأضاف: "الوضع تحت السيطرة".'


def test_cache_covers_every_sentence_and_quote_without_loading_a_model(tmp_path) -> None:
    path = tmp_path / "mt.json"
    done = {r: f"EN {k}" for k, r in enumerate(mt_requests(AR))}
    path.write_text(json.dumps({"model": "fast", "translations": done}), encoding="utf-8")
    cache = MTCache("fast", path)
    cache.fill([AR])  # everything cached: nothing translated, no engine loaded
    assert cache.translate is None and cache.translated == 0
    mt = cache.mt(AR)
    assert mt.origin == "model:fast"
    assert all(norm_source(s) in mt.by_source for s in arabic_sentences(AR))
    assert mt.quotes  # the quotation's own translation, as the CLI asks for it


def test_cache_of_another_model_is_refused(tmp_path) -> None:
    path = tmp_path / "mt.json"
    path.write_text(json.dumps({"model": "quality", "translations": {}}), encoding="utf-8")
    with pytest.raises(SystemExit, match="quality"):
        MTCache("fast", path)
