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
    # one spelling per name in an article (translate.names): measured on the quality model's
    # output (eval/RESULTS.md, "Name memory linking"); the fast model's output was not
    name_memory: bool = False
    summary: str = ""


PRESETS: dict[str, Preset] = {
    "fast": Preset("fast", summary="gemma3-270m, greedy"),
    "balanced": Preset(
        "quality", name_memory=True, summary="qwen2.5-coder-1.5b, greedy, name memory (the default)"
    ),
    "best": Preset(
        "quality",
        beam=4,
        candidates=4,
        name_memory=True,
        summary="qwen2.5-coder-1.5b, beam 4, MBR, name memory",
    ),
}
DEFAULT_PRESET = "balanced"
