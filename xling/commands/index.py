"""`xling index`: a persistent, incremental index of English reports for `xling match`.

    xling index add EN... --index DIR [--replace] [--ray [ADDRESS]]
    xling index info --index DIR

EN: .txt files, folders of them (recursive) and .jsonl files ({"id", "text"} per line), read
as `xling translate` reads them; a report's id is its file stem or its JSONL id. Adding to an
existing index appends; an id already there is an error unless --replace. The index stores
its format version and the encoder's name and checksum: an index of another version, made with
another encoder, or damaged is refused with one line (exit code 2).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "index",
        help="build and inspect a persistent index of English reports (for xling match)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    isub = p.add_subparsers(dest="index_cmd", required=True)
    a = isub.add_parser("add", help="embed English reports and add them to an index")
    a.add_argument("paths", nargs="+", metavar="EN")
    a.add_argument("--index", type=Path, required=True, metavar="DIR")
    a.add_argument("--replace", action="store_true", help="supersede reports with the same id")
    a.add_argument("--encoder", default="e5-small", help="sentence encoder [default: %(default)s]")
    a.add_argument("--encoding", default=None, help="input encoding [default: UTF-8]")
    a.add_argument("--quiet", "-q", action="store_true")
    from xling.distributed.plan import add_ray_arguments

    add_ray_arguments(a, article_batches=False)
    a.set_defaults(func=cmd_index_add)
    i = isub.add_parser("info", help="what an index holds (JSON on stdout)")
    i.add_argument("--index", type=Path, required=True, metavar="DIR")
    i.set_defaults(func=cmd_index_info)


def cmd_index_add(args: argparse.Namespace) -> int:
    if args.ray is not None:
        from xling.distributed.index_job import run_index_on_ray

        return run_index_on_ray(args)
    from xling.match.pipeline import index_add, load_encoder

    embedder, encoder, fingerprint = load_encoder(args.encoder)
    started = time.perf_counter()
    done = index_add(
        args.paths,
        args.index,
        embedder,
        encoder,
        fingerprint,
        replace=args.replace,
        encoding=args.encoding,
    )
    if not args.quiet:
        elapsed = time.perf_counter() - started
        sys.stderr.write(
            f"xling: {done['added']} report(s) added ({done['replaced']} replaced), "
            f"{done['sentences']} sentences in {elapsed:.1f} s, to {args.index}\n"
        )
    return 0


def cmd_index_info(args: argparse.Namespace) -> int:
    from xling.match.index import ReportIndex

    index = ReportIndex.open(args.index)
    try:
        sys.stdout.write(json.dumps(index.info(), indent=1) + "\n")
    finally:
        index.close()
    return 0
