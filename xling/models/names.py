"""Model names: the aliases `make setup` builds and the defaults every command starts from.

The one place these live, so the CLI, the Ray jobs, the aligner and eval/ resolve a name alike.
"""

from __future__ import annotations

DEFAULT_ENCODER = "e5-small"
# Aliases for the models `make setup` builds.
MODEL_ALIASES = {"quality": "qwen2.5-coder-1.5b", "fast": "gemma3-270m", "encoder": DEFAULT_ENCODER}
DEFAULT_MODEL = "quality"
# What `xling models build` builds with no names (and so what `make setup` builds).
DEFAULT_BUILDS = ("quality", "fast", "encoder")


def resolve_alias(name: str) -> str:
    """The model name behind an alias ("quality" -> "qwen2.5-coder-1.5b"); other names as given."""
    return MODEL_ALIASES.get(name, name)
