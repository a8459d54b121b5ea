"""`xling match`: find each Arabic article's English source report(s) in a pool.

    xling match AR... (--en EN... | --index DIR) --json OUT.json [--top K] [--tsv OUT.tsv]

Output JSON (the contract): {"matches": [{"ar": ID, "no_source": bool, "sentences": N,
"sources": [{"en": ID, "score": S, "coverage": C, "selected": bool, "shared_numbers": n},
...]}, ...], "settings": {...}}. `sources` lists the selected source(s) first (several for an
article compiled from several reports, in the order the greedy cover picked them), then the
next candidates, up to --top in all. score: the mean margin of the article's sentences to the
report (0 ≈ unrelated); coverage: share of the article's sentences the report explains.
no_source: no report in the pool explains enough of the article (its candidates are still
listed, none selected). An article with no sentences gets no_source with "reason".
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from xling.errors import XlingError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "match",
        help="find the English source report(s) of Arabic articles in a pool",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="AR")
    pool = p.add_mutually_exclusive_group(required=True)
    pool.add_argument(
        "--en",
        nargs="+",
        metavar="EN",
        help="English reports (files, folders, .jsonl), embedded for this run",
    )
    pool.add_argument("--index", type=Path, metavar="DIR", help="an index from xling index add")
    p.add_argument("--json", type=Path, dest="json_out", metavar="OUT.json", required=True)
    p.add_argument("--tsv", type=Path, dest="tsv_out", metavar="OUT.tsv")
    p.add_argument("--top", type=int, default=5, help="candidates per article [default: 5]")
    p.add_argument("--encoder", default="e5-small", help="sentence encoder [default: %(default)s]")
    p.add_argument("--encoding", default=None, help="input encoding [default: UTF-8]")
    p.add_argument("--quiet", "-q", action="store_true")
    p.set_defaults(func=cmd_match)


def write_outputs(matches, settings: dict, json_out: Path, tsv_out: Path | None) -> None:
    from xling.io.atomic import atomic_write_text

    data = {"matches": [m.to_json() for m in matches], "settings": settings}
    atomic_write_text(json_out, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    if tsv_out is not None:
        lines = ["ar\trank\ten\tselected\tscore\tcoverage\tno_source"]
        for m in matches:
            if not m.sources:
                lines.append(f"{m.ar}\t\t\t\t\t\t{str(m.no_source).lower()}")
            for rank, s in enumerate(m.sources, 1):
                lines.append(
                    f"{m.ar}\t{rank}\t{s.en}\t{str(s.selected).lower()}\t{s.score:.4f}\t"
                    f"{s.coverage:.4f}\t{str(m.no_source).lower()}"
                )
        atomic_write_text(tsv_out, "\n".join(lines) + "\n")


def cmd_match(args: argparse.Namespace) -> int:
    from xling.match.pipeline import match_pool, read_texts

    if args.top < 1:
        raise XlingError("--top must be at least 1")
    articles = list(read_texts(args.paths, "ar", args.encoding))
    run = match_pool(articles, args.index, args.en, args.encoder, args.top, args.encoding)
    matches = run.matches
    settings = {
        "encoder": run.encoder,
        "pool_reports": run.reports,
        "pool_sentences": run.sentences,
        "neighbours": run.neighbours,
        "index": str(args.index) if args.index else None,
        "thresholds": run.thresholds.to_json(),
    }
    if run.warning:
        settings["warning"] = run.warning
        sys.stderr.write(f"xling: warning: {run.warning}\n")
    write_outputs(matches, settings, args.json_out, args.tsv_out)
    if not args.quiet:
        found = sum(not m.no_source for m in matches)
        multi = sum(len(m.selected) > 1 for m in matches)
        sys.stderr.write(
            f"xling: {len(matches)} article(s) against {run.reports} report(s): "
            f"{found} with a source ({multi} compiled from several), "
            f"{len(matches) - found} with no source in the pool\n"
        )
    return 0
