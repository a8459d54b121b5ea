"""Presets of `xling translate --preset`: a model and its decoding settings, chosen by
measurement on development data (eval/RESULTS.md, "Presets")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    model: str
    beam: int = 1
    candidates: int = 1  # > 1: one of the beam's candidates, chosen by `select`
    select: str = "mbr"  # mbr (agreement, chrF) | e5 (closest to the source)
    shots: int | None = None  # None: the manifest's
    own_shots: int | None = None
    summary: str = ""


PRESETS: dict[str, Preset] = {
    "fast": Preset("fast", summary="gemma3-270m, greedy"),
    "balanced": Preset("quality", summary="qwen2.5-coder-1.5b, greedy (the default)"),
    "best": Preset("quality", beam=4, candidates=4, summary="qwen2.5-coder-1.5b, beam 4, MBR"),
}
DEFAULT_PRESET = "balanced"
