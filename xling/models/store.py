"""Where built models live: $XLING_HOME/models/<name>/ (default ~/.cache/xling), never in git."""

from __future__ import annotations

import difflib
import hashlib
import os
from pathlib import Path

from xling.errors import ModelError
from xling.models.info import INFO_FILE, ModelInfo
from xling.models.names import resolve_alias


def xling_home() -> Path:
    return Path(os.environ.get("XLING_HOME") or Path.home() / ".cache" / "xling")


def models_dir() -> Path:
    return xling_home() / "models"


def model_dir(name: str) -> Path:
    return models_dir() / name


def is_built(name: str) -> bool:
    return (model_dir(name) / INFO_FILE).is_file()


def sha256_file(path: Path, block: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(block):
            digest.update(chunk)
    return digest.hexdigest()


def checksums(folder: Path, files: tuple[str, ...] = ("model.bin",)) -> dict[str, str]:
    return {name: sha256_file(folder / name) for name in files if (folder / name).is_file()}


def verify(folder: Path) -> list[str]:
    """Problems with a built model folder (empty list = verified)."""
    problems = []
    try:
        info = ModelInfo.load(folder)
    except ModelError as exc:
        return [str(exc)]
    if not info.sha256:
        problems.append("no checksums recorded")
    for name, expected in info.sha256.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif sha256_file(path) != expected:
            problems.append(f"{name}: sha256 differs from the one recorded at build time")
    for extra in (info.tokenizer.source, info.tokenizer.target):
        if extra and not (folder / extra).is_file():
            problems.append(f"tokenizer file {extra} is missing")
    return problems


def quick_check(folder: Path, info: ModelInfo) -> list[str]:
    """What every load checks, in milliseconds: the files the metadata names exist and have
    the sizes recorded at build time (a truncated copy, a missing tokenizer). A same-size
    corruption needs the checksums of `verify` (`xling models verify`)."""
    problems = []
    for name in info.sha256:
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif name in info.sizes and path.stat().st_size != info.sizes[name]:
            problems.append(
                f"{name} has {path.stat().st_size:,} bytes, {info.sizes[name]:,} at build time"
            )
    for extra in (info.tokenizer.source, info.tokenizer.target):
        if extra and not (folder / extra).is_file():
            problems.append(f"tokenizer file {extra} is missing")
    return problems


def damaged(folder: Path, info: ModelInfo, problems: list[str]) -> ModelError:
    """One line: what is wrong, and the commands that check and repair it."""
    return ModelError(
        f"model '{info.name}' in {folder} is damaged: {'; '.join(problems)}; check it with "
        f"`xling models verify {info.name}`, rebuild it with `xling models build {info.name} "
        "--force` (or re-import it)"
    )


def resolve(name_or_path: str) -> Path:
    """A model name in the store, or a path to a built model folder."""
    path = Path(name_or_path)
    if (path / INFO_FILE).is_file():
        return path
    name = resolve_alias(name_or_path)  # "quality" names the built qwen2.5-coder-1.5b
    if is_built(name):
        return model_dir(name)
    if path.exists():
        raise ModelError(
            f"{path} is not an xling model folder; import it with "
            f"`xling models convert {path} --name NAME`"
        )
    raise unknown_model(name_or_path)


def built_models() -> list[str]:
    folder = models_dir()
    return sorted(p.name for p in folder.iterdir() if is_built(p.name)) if folder.is_dir() else []


def unknown_model(name: str) -> ModelError:
    """Not built: suggest building it only when a manifest exists, else real names only."""
    from xling.models.manifest import all_manifests

    try:
        found = all_manifests()
    except ModelError:
        found = {}
    manifests = sorted(found)
    pullable = {n for n, m in found.items() if m.weights.pulled}
    if name in manifests:
        if name in pullable:
            return ModelError(
                f"model '{name}' is not pulled; fetch it with `xling models pull {name}` "
                "(needs a network; list models with `xling models list`)"
            )
        return ModelError(
            f"model '{name}' is not built; build it with `xling models build {name}` "
            "(list models with `xling models list`)"
        )
    from xling.models.names import MODEL_ALIASES

    built = built_models()
    close = difflib.get_close_matches(name, sorted({*built, *manifests, *MODEL_ALIASES}), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return ModelError(
        f"unknown model '{name}': {hint}built: {', '.join(built) or 'none'}; buildable "
        "(xling models build NAME): "
        f"{', '.join(m for m in manifests if m not in built and m not in pullable) or 'none'}; "
        "pullable (xling models pull NAME): "
        f"{', '.join(m for m in manifests if m not in built and m in pullable) or 'none'}"
        f"; aliases: {', '.join(MODEL_ALIASES)}; or a path to a model folder"
    )
