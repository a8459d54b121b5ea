"""One writer per output folder: `xling translate` holds an exclusive lock on `--out` while it
runs, so two runs never write (or clean up) the same articles at once."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from xling.errors import OutputError

LOCK_NAME = ".xling.lock"  # a dot-file: never read as input; removed when the run ends


def _busy(folder: Path, handle) -> OutputError:
    handle.seek(0)
    owner = handle.read().strip() or "unknown"
    return OutputError(
        f"another xling run is writing here (pid {owner}); wait for it to end or give "
        "another --out",
        str(folder),
    )


@contextlib.contextmanager
def out_lock(folder: Path) -> Iterator[Path]:
    """Hold `folder/.xling.lock` (flock: the kernel releases it even after kill -9); another
    holder makes this fail at once, in one line. The file is removed while still held, and a
    lock taken on a file that was removed meanwhile is retried, so removal is race-free."""
    path = folder / LOCK_NAME
    while True:
        try:
            handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held for the block)
        except OSError as exc:
            raise OutputError(f"cannot create the lock file ({exc.strerror})", str(path)) from exc
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            with handle:
                raise _busy(folder, handle) from exc
        except OSError:  # a file system without locks (some network mounts): run unlocked
            with handle:
                yield path
            return
        try:
            same = os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        handle.close()  # the holder before us removed it: lock the new one
    with handle:
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield path
        finally:
            with contextlib.suppress(OSError):
                path.unlink()
