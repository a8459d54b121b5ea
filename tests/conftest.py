"""Shared fixtures: the shared corpora, a tiny real Marian model in a throwaway store, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
SEED = CORPORA / "seed" / "moscow-isis-k.ar.txt"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared corpora live in ../shared beside the repo)")
    return path


@pytest.fixture(scope="session")
def tiny_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An XLING_HOME whose store holds `marian-tiny`: a random-weight Marian ar→en model
    built with transformers and converted with CTranslate2, as a user's OPUS-MT would be."""
    from marian_fixture import make_random_marian

    from xling.models.importers import convert_hf_checkpoint

    home = tmp_path_factory.mktemp("home")
    checkpoint = make_random_marian(tmp_path_factory.mktemp("marian-ckpt"))
    convert_hf_checkpoint(checkpoint, "marian-tiny", out_root=home / "models")
    return home


def run_xling(
    args: list[str], home: Path, stdin: str | bytes | None = None, timeout: float = 300, **kwargs
) -> subprocess.CompletedProcess:
    """The real command line, in a subprocess, against the store in `home`."""
    env = {**os.environ, "XLING_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    data = stdin.encode() if isinstance(stdin, str) else stdin
    proc = subprocess.run(
        [sys.executable, "-m", "xling", *args],
        input=data,
        env=env,
        capture_output=True,
        timeout=timeout,
        **kwargs,
    )
    proc.out = proc.stdout.decode("utf-8", errors="replace")  # type: ignore[attr-defined]
    proc.err = proc.stderr.decode("utf-8", errors="replace")  # type: ignore[attr-defined]
    return proc
