"""Presets of `xling translate` and the choice among a beam's candidates (minimum Bayes risk)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from conftest import run_xling

from xling.commands.translate import apply_preset
from xling.errors import XlingError
from xling.translate.engine import Hypothesis
from xling.translate.presets import PRESETS
from xling.translate.select import closest_to_source, consensus


def hyp(text: str, score: float = 0.0, hit_limit: bool = False) -> Hypothesis:
    return Hypothesis(text, score, len(text.split()), hit_limit)


def test_consensus_prefers_the_candidate_the_others_agree_with() -> None:
    outlier = hyp("The minister said nothing about the storm yesterday in Cairo.", -0.1)
    agreed = [
        hyp("The minister said 25 people were killed in the storm.", -0.2),
        hyp("The minister said that 25 people were killed in the storm.", -0.3),
        hyp("The minister said 25 people died in the storm.", -0.4),
    ]
    assert consensus([outlier, *agreed]) is agreed[0]


def test_consensus_ignores_empty_and_cut_candidates_and_needs_three() -> None:
    best = hyp("Twenty-five people were killed.", -0.1)
    assert consensus([best, hyp("25 people were killed.", -0.2)]) is best  # too few to vote
    cut = hyp("Twenty-five people were killed and and and", -0.05, hit_limit=True)
    voters = [hyp("25 people were killed.", -0.2), hyp("25 people were killed.", -0.3), best]
    chosen = consensus([cut, hyp("", -0.01), *voters])
    assert chosen is voters[0]  # identical twins agree most; the earlier one wins the tie


def test_closest_to_source_takes_the_nearest_usable_candidate() -> None:
    import numpy as np

    source = np.array([1.0, 0.0])
    hyps = [hyp("far", -0.1), hyp("near but cut", -0.2, hit_limit=True), hyp("near", -0.3)]
    vectors = np.array([[0.0, 1.0], [1.0, 0.0], [0.9, 0.436]])
    assert closest_to_source(source, vectors, hyps) is hyps[2]
    assert closest_to_source(source, vectors[:1], [hyp("", -0.1)]).text == ""  # none usable


def args(**given: object) -> argparse.Namespace:
    base = {"preset": None, "model": None, "beam": None, "candidates": None, "select": None}
    base["name_memory"] = None  # --name-memory / --no-name-memory not given
    return argparse.Namespace(**{**base, "shots": None, "own_shots": None, **given})


def test_preset_fills_what_the_command_line_left_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XLING_MODEL", raising=False)
    a = args()
    apply_preset(a)  # no --preset: balanced, the default
    assert (a.model, a.beam, a.candidates) == ("quality", 1, 1)
    best = PRESETS["best"]
    a = args(preset="best", beam=2)
    apply_preset(a)  # an explicit flag overrides the preset
    assert (a.model, a.beam, a.candidates) == (best.model, 2, best.candidates)
    monkeypatch.setenv("XLING_MODEL", "fast")
    a = args()
    apply_preset(a)  # $XLING_MODEL still chooses the model without --preset ...
    assert a.model == "fast"
    a = args(preset="balanced")
    apply_preset(a)  # ... but an explicit --preset wins over it
    assert a.model == "quality"
    with pytest.raises(XlingError):
        apply_preset(args(candidates=0))


def test_the_name_memory_follows_the_preset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XLING_MODEL", raising=False)
    for given, expected in (
        ({}, True),  # balanced, the default
        ({"preset": "best"}, True),
        ({"preset": "fast"}, False),  # not measured on the fast model's output
        ({"name_memory": False}, False),  # --no-name-memory
        ({"preset": "fast", "name_memory": True}, True),  # --name-memory
    ):
        a = args(**given)
        apply_preset(a)
        assert a.name_memory is expected, given


def test_a_translators_spelling_cost_reads_its_english_vocabulary(tiny_home: Path) -> None:
    from xling.translate.engine import EngineOptions, load_engine

    engine = load_engine(str(tiny_home / "models" / "marian-tiny"), EngineOptions(threads=1))
    # its target sentencepiece was trained on English, its source one on Arabic
    english = engine.spelling_cost("the")
    assert english == len(engine.tokenizer.encode_target(" the"))
    assert english < len(engine.tokenizer.encode(" the"))


def test_candidates_run_end_to_end_with_a_real_model(tiny_home: Path, tmp_path: Path) -> None:
    from xling.models import store

    encoder = store.model_dir("e5-small")
    if not (encoder / "xling-model.json").is_file():
        pytest.skip("the e5-small encoder is not built (make setup)")
    home = tmp_path / "home"  # the tiny translator beside the real encoder (links, no copies)
    (home / "models").mkdir(parents=True)
    (home / "models" / "marian-tiny").symlink_to(tiny_home / "models" / "marian-tiny")
    (home / "models" / "e5-small").symlink_to(encoder)
    src = tmp_path / "a.txt"
    src.write_text("قال الوزير إن 25 شخصا قتلوا.\n\nوأضاف أن العمل مستمر.\n", encoding="utf-8")
    out = tmp_path / "out"
    cmd = ["translate", str(src), "-m", "marian-tiny", "--candidates", "3", "-q"]
    for select in ("mbr", "e5"):
        proc = run_xling([*cmd, "-o", str(out / select), "--select", select], home)
        assert proc.returncode == 0, proc.err
        text = (out / select / "a.jsonl").read_text(encoding="utf-8")
        rows = [json.loads(x) for x in text.splitlines()]
        assert len(rows) == 2 and all(isinstance(r["mt"], str) for r in rows)
    bad = run_xling(
        ["translate", str(src), "-o", str(tmp_path / "o2"), "--preset", "nope"], tiny_home
    )
    assert bad.returncode == 2 and "--preset" in bad.err
