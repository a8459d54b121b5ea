"""The `xling` command: builds the parser from the subcommands in xling.commands and turns an
XlingError into one line and its exit code. No logic of its own."""

from __future__ import annotations

import argparse
import sys

from xling import __version__
from xling.commands import align, audit, index, match, models, translate
from xling.errors import XlingError

# Each subcommand module has `register(subparsers)`; this is the order of `xling --help`.
COMMANDS = (translate, models, align, audit, match, index)


def _err(message: str) -> None:
    sys.stderr.write(f"xling: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xling", description=__doc__)
    parser.add_argument("--version", action="version", version=f"xling {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except XlingError as exc:
        if args.debug:
            raise
        for line in str(exc).splitlines():  # one line per problem (all bad inputs are listed)
            _err(line)
        return exc.exit_code
    except KeyboardInterrupt:
        _err("interrupted; finished articles are saved, re-run to resume")
        return 130
    except Exception as exc:  # a bug, not a finding: never exit 1 (audit's gate) for it
        if args.debug:
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (re-run with --debug for details)")
        return 70
