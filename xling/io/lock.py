"""One writer per output folder: `xling translate` holds an exclusive lock on `--out` while it
runs, so two runs never write (or clean up) the same articles at once."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from xling.errors import OutputError

LOCK_NAME = ".xling.lock"  # a dot-file: never read as input, never removed (no unlink race)


@contextlib.contextmanager
def out_lock(folder: Path) -> Iterator[Path]:
    """Hold `folder/.xling.lock` (flock, released by the kernel even after kill -9); another
    holder makes this fail at once, in one line."""
    path = folder / LOCK_NAME
    try:
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held for the block)
    except OSError as exc:
        raise OutputError(f"cannot create the lock file ({exc.strerror})", str(path)) from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            owner = handle.read().strip() or "unknown"
            raise OutputError(
                f"another xling run is writing here (pid {owner}); wait for it to end or "
                "give another --out",
                str(folder),
            ) from exc
        except OSError:  # a file system without locks (some network mounts): run unlocked
            yield path
            return
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield path
