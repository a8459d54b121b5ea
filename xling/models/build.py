"""`xling models build`: dispatch a manifest to the builder of its weights' format."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from xling.errors import ModelError
from xling.models import store
from xling.models.manifest import Manifest

# weights.format -> "module:function"; each builder takes (manifest, *, wheels_dir, force, log),
# builds and returns the model folder (build_model skips a model already built and verified).
BUILDERS = {
    "gguf": "xling.models.gguf_build:build_gguf_model",
    "e5-q4": "xling.models.encoder_build:build_encoder",
    "hf-hub": "xling.models.hub_pull:pull_model",  # `xling models pull`: needs a network
}


def build_model(
    manifest: Manifest,
    *,
    wheels_dir: Path | None = None,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> Path:
    target = BUILDERS.get(manifest.weights.format)
    if target is None:
        raise ModelError(
            f"{manifest.path}: no builder for weights format "
            f"{manifest.weights.format!r} (known: {', '.join(BUILDERS)})"
        )
    final = store.model_dir(manifest.name)
    if store.is_built(manifest.name) and not force:
        problems = store.verify(final)
        if not problems:
            log(f"{manifest.name}: already built and verified at {final}")
            return final
        log(f"{manifest.name}: rebuilding ({'; '.join(problems)})")
    module, function = target.split(":")
    builder = getattr(importlib.import_module(module), function)
    return builder(manifest, wheels_dir=wheels_dir, force=force, log=log)
