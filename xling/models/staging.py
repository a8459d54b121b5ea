"""Putting a model into the store: the one finaliser of every builder and importer.

A model is made in a hidden scratch folder beside its destination (`staging`), saved with its
metadata and renamed into place whole (`install`), as CTranslate2's `Converter.convert` writes
its output only after the model loaded. An interrupted build leaves nothing half-made behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from xling.errors import BuildError
from xling.models.info import ModelInfo


@contextlib.contextmanager
def staging(dest: Path) -> Iterator[Path]:
    """A not-yet-existing path inside a hidden temp dir beside `dest`; the temp dir goes after
    (its other entries are scratch space for the build).

    Beside, not in /tmp: the final rename must stay on one filesystem to be atomic.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent))
    try:
        yield scratch / "model"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def install(staged: Path, dest: Path, force: bool) -> None:
    """Rename the finished `staged` folder to `dest`, moving an old `dest` aside first if forced."""
    old = staged.parent / "old"
    if dest.exists():
        if not force:
            raise BuildError(f"{dest} already exists (use force to replace it)")
        os.replace(dest, old)  # removed with the staging dir
    try:
        os.replace(staged, dest)
    except OSError as exc:
        if old.exists():
            os.replace(old, dest)
        raise BuildError(f"could not move the new model into {dest}: {exc}") from exc


def finish_build(
    folder: Path, dest: Path, info: ModelInfo, started: float, log: Callable[[str], None]
) -> Path:
    """A builder's last step: save `info`, make the files plain (temp files are created 0600),
    replace `dest` with `folder` and say so."""
    info.save(folder)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    install(folder, dest, force=True)
    log(f"{info.name}: built in {time.time() - started:.0f} s at {dest}")
    return dest
