"""User errors: one type per kind, turned into a one-line message and an exit code by the CLI.

Exit codes (README "Exit codes"): 0 ok · 1 findings (audit --fail-under) · 2 usage (argparse
and the tool's own) · 3 model missing or broken · 4 build failed · 5 bad input · 6 output cannot
be written · 70 internal error (a bug) · 130 interrupted.
"""

from __future__ import annotations


class XlingError(Exception):
    """An error the user can fix; the CLI prints `str(error)` and exits with `exit_code`.
    Raised as such it is a usage error (exit 2, like argparse's)."""

    exit_code = 2


class UsageError(XlingError):
    """The command line cannot run as given: options missing or in conflict, an optional
    dependency absent (exit 2, argparse's code)."""


class InputError(XlingError):
    """Bad input: unreadable file, wrong encoding, malformed JSONL line."""

    exit_code = 5

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)
        self.path = path
        self.line = line


class ModelError(XlingError):
    """Unknown, unbuilt or broken model."""

    exit_code = 3


class BuildError(XlingError):
    """A model could not be built (download, checksum, conversion)."""

    exit_code = 4


class OutputError(XlingError):
    """An output cannot be written: --out is a file, read-only, on /proc, a name too long..."""

    exit_code = 6

    def __init__(self, message: str, path: str | None = None):
        super().__init__(f"{path}: {message}" if path is not None else message)
        self.path = path
