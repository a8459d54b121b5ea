"""Output locations, checked before any model is loaded or any work is done, so that a bad
--out or --json fails in one line in a second, not with a traceback after hours."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from xling.errors import OutputError

# Longest file name most file systems take (ext4, xfs, btrfs, APFS: 255 bytes).
NAME_MAX = 255
# What an output name grows by at most: ".en.txt" and atomic_open's ".<name>.XXXXXXXX.tmp".
NAME_OVERHEAD = len(".en.txt") + len("..12345678.tmp")


def name_fits(name: str) -> bool:
    """Whether an output stem `name` leaves room for every file xling writes from it."""
    return len(name.encode("utf-8")) + NAME_OVERHEAD <= NAME_MAX


@contextlib.contextmanager
def os_errors(path: str | os.PathLike, what: str = "cannot write") -> Iterator[None]:
    """OS errors as one line naming `path`."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"{what} ({exc.strerror or exc})", str(path)) from exc


def _probe(folder: Path) -> None:
    fd, name = tempfile.mkstemp(prefix=".xling-probe-", dir=folder)
    os.close(fd)
    os.unlink(name)


def check_out_dir(path: Path) -> Path:
    """Create the output folder if needed and prove a file can be written in it."""
    if path.exists() and not path.is_dir():
        raise OutputError("is not a folder (--out takes a folder)", str(path))
    with os_errors(path, "cannot create or write in this folder"):
        path.mkdir(parents=True, exist_ok=True)
        _probe(path)
    return path


def check_out_file(path: Path) -> Path:
    """An output file's folder exists (or can be made) and takes a new file; it is no folder."""
    if path.is_dir():
        raise OutputError("is a folder; give a file name", str(path))
    parent = path.parent
    if parent.exists() and not parent.is_dir():
        raise OutputError(f"{parent} is not a folder", str(path))
    with os_errors(path):
        parent.mkdir(parents=True, exist_ok=True)
        _probe(parent)
    return path
