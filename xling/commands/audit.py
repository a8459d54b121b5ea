"""`xling audit`: how numbers and quotations carried over from an English source to its Arabic
translation, with verdicts, evidence, scores, a JSON and an HTML report."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from xling.errors import InputError, XlingError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "audit",
        help="audit numbers and quotes of an Arabic translation against its English source",
        description="Compare an English source with its Arabic translation: which numbers and "
        "quotations were kept, changed, dropped or added, with evidence. Give two files, or "
        "two folders (--en-dir, --ar-dir) paired by file stem (story.txt, story.en.txt and "
        "story.ar.txt pair as 'story'). Report layout: docs/audit-schema.md.",
    )
    p.add_argument("en_file", nargs="?", type=Path, metavar="EN_FILE")
    p.add_argument("ar_file", nargs="?", type=Path, metavar="AR_FILE")
    p.add_argument("--en-dir", type=Path, help="folder of English sources (*.txt)")
    p.add_argument("--ar-dir", type=Path, help="folder of Arabic translations (*.txt)")
    p.add_argument(
        "--match",
        action="store_true",
        help="find each Arabic article's source(s) among the --en-dir reports (xling match) "
        "instead of pairing by file name; articles with no source are reported as such",
    )
    p.add_argument(
        "--index",
        type=Path,
        metavar="DIR",
        help="find the sources in this report index (xling index add) instead of --en-dir; "
        "implies --match",
    )
    p.add_argument(
        "--mt",
        type=Path,
        help="MT of the Arabic: a .jsonl of xling translate, a folder of <stem>.jsonl, or a "
        "text file with one translation per Arabic line [default: translate with --model]",
    )
    p.add_argument(
        "--model",
        "-m",
        default=os.environ.get("XLING_MODEL", "quality"),
        help="model to translate with when --mt is not given [default: %(default)s]",
    )
    p.add_argument(
        "--no-mt",
        action="store_true",
        help="do not translate: no BLEU/chrF/TER, quote fidelity from the encoder only",
    )
    p.add_argument("--encoder", default="e5-small", help="sentence encoder [default: %(default)s]")
    p.add_argument(
        "--no-encoder", action="store_true", help="align without the encoder (length, numbers)"
    )
    p.add_argument("--json", type=Path, dest="json_out", metavar="OUT.json")
    p.add_argument("--html", type=Path, dest="html_out", metavar="OUT.html")
    p.add_argument(
        "--fail-under",
        type=float,
        metavar="RATE",
        help="exit 1 when the corpus number or quote carry-over rate is below RATE (0..1)",
    )
    p.add_argument("--encoding", default=None, help="input encoding [default: UTF-8]")
    p.add_argument("--quiet", "-q", action="store_true", help="no table on stderr")
    from xling.distributed.ray_runner import add_ray_arguments

    add_ray_arguments(p, article_batches=False)
    p.set_defaults(func=cmd_audit)


def _matched(args: argparse.Namespace):
    """--match / --index: (pairs, {id: (en, ar)}, {id: MatchedPair}, unmatched, settings)."""
    from xling.audit.inputs import DocPair
    from xling.audit.matching import match_folder

    if args.en_file or args.ar_file:
        raise XlingError("--match works on folders: give --ar-dir (and --en-dir or --index)")
    if args.ar_dir is None or (args.en_dir is None) == (args.index is None):
        raise XlingError("--match needs --ar-dir and one of --en-dir or --index")
    if args.no_encoder:
        raise XlingError("--match needs the encoder; drop --no-encoder")
    matched, unmatched, settings = match_folder(
        args.ar_dir, args.en_dir, args.index, args.encoder, args.encoding
    )
    pairs = [DocPair(m.id, m.first_en or m.ar_path, m.ar_path) for m in matched]
    texts = {m.id: (m.en_text, m.ar_text) for m in matched}
    return pairs, texts, {m.id: m for m in matched}, unmatched, settings


def _pairs(args: argparse.Namespace):
    from xling.audit.inputs import DocPair, pair_folders
    from xling.io.pairs import pair_stem

    folder_mode = args.en_dir is not None or args.ar_dir is not None
    if folder_mode:
        if args.en_file or args.ar_file:
            raise XlingError("give EN_FILE AR_FILE or --en-dir/--ar-dir, not both")
        if args.en_dir is None or args.ar_dir is None:
            raise XlingError("folder mode needs both --en-dir and --ar-dir")
        return pair_folders(args.en_dir, args.ar_dir)
    if args.en_file is None or args.ar_file is None:
        raise XlingError("give EN_FILE AR_FILE, or --en-dir DIR --ar-dir DIR")
    for path in (args.en_file, args.ar_file):
        if not path.is_file():
            raise InputError("no such file", str(path))
    return [DocPair(pair_stem(args.ar_file), args.en_file, args.ar_file)], []


def _embedder(args: argparse.Namespace):
    if args.no_encoder:
        return None
    from xling.align.sentences import default_embedder

    embedder = default_embedder(args.encoder)
    if embedder is None:
        sys.stderr.write(
            f"xling: warning: encoder {args.encoder!r} is not built (xling models build "
            f"{args.encoder}); aligning without it, quote similarity left empty\n"
        )
    return embedder


def _translate(model: str, texts: list[str]) -> list[str]:
    from xling.cli import MODEL_ALIASES
    from xling.translate.batch import BatchTranslator
    from xling.translate.engine import load_engine

    engine = load_engine(MODEL_ALIASES.get(model, model))
    return [r.text for r in BatchTranslator(engine).translate(texts)]


def cmd_audit(args: argparse.Namespace) -> int:
    from xling.audit.alignment import arabic_sentences, document_text
    from xling.audit.inputs import read_mt, read_text
    from xling.audit.run import MTInput, _norm, audit_document, build_report, settings
    from xling.text.quotes import extract_quotes

    match_mode = args.match or args.index is not None
    if args.ray is not None:  # documents sharded over Ray workers, the same report
        if match_mode:
            raise XlingError("--match/--index do not run on --ray yet; drop --ray")
        from xling.distributed.ray_runner import run_audit_on_ray

        return run_audit_on_ray(args)
    if args.fail_under is not None and not 0 <= args.fail_under <= 1:
        raise XlingError("--fail-under takes a rate between 0 and 1, e.g. 0.95")
    matched: dict = {}
    unmatched: list[dict] = []
    if match_mode:
        pairs, texts, matched, unmatched, match_settings = _matched(args)
    else:
        pairs, warnings = _pairs(args)
        for line in warnings:
            sys.stderr.write(f"xling: warning: {line}\n")
        texts = {
            p.id: (read_text(p.en, args.encoding), read_text(p.ar, args.encoding)) for p in pairs
        }
    mts: dict[str, MTInput | None] = {}
    if args.mt is not None:
        for p in pairs:
            mts[p.id] = read_mt(args.mt, p, texts[p.id][1], args.encoding)
        mt_origin = str(args.mt)
    elif args.no_mt:
        mts = {p.id: None for p in pairs}
        mt_origin = None
    else:
        # One batch for the whole run: every Arabic sentence and every Arabic quote.
        wanted: list[str] = []
        for p in pairs:
            ar = texts[p.id][1]
            wanted += arabic_sentences(ar)
            wanted += [q.text for q in extract_quotes(document_text(ar), "ar")]
        unique = list(dict.fromkeys(w for w in wanted if w.strip()))
        if not args.quiet:
            sys.stderr.write(
                f"xling: translating {len(unique)} Arabic sentences and quotes with "
                f"{args.model} (give --mt or --no-mt to skip)\n"
            )
        done = dict(zip(unique, _translate(args.model, unique), strict=True))
        for p in pairs:
            ar = texts[p.id][1]
            mt = MTInput(origin=f"model:{args.model}")
            mt.by_source = {_norm(s): done[s] for s in arabic_sentences(ar) if s in done}
            mt.quotes = {
                q.text: done[q.text]
                for q in extract_quotes(document_text(ar), "ar")
                if q.text in done
            }
            mts[p.id] = mt
        mt_origin = f"model:{args.model}"
    embedder = _embedder(args)
    audits = []
    for p in pairs:
        en_text, ar_text = texts[p.id]
        audits.append(
            audit_document(
                p.id,
                en_text,
                ar_text,
                mt=mts[p.id],
                embedder=embedder,
                files=matched[p.id].files if match_mode else {"en": str(p.en), "ar": str(p.ar)},
            )
        )
    report = build_report(audits, settings(mt_origin, None if embedder is None else args.encoder))
    if match_mode:
        for document in report["documents"]:
            document["sources"] = matched[document["id"]].sources
        report["settings"]["match"] = match_settings
        report["unmatched"] = unmatched
        report["corpus"]["documents_without_source"] = len(unmatched)
    return finish_report(args, report)


def finish_report(args: argparse.Namespace, report: dict) -> int:
    """Write and print a report (JSON, HTML, table) and apply --fail-under: shared by the local
    and the Ray paths."""
    if args.json_out:
        from xling.report.audit_json import write_json

        write_json(report, args.json_out)
    if args.html_out:
        from xling.report.audit_html import write_html

        write_html(report, args.html_out)
    if not args.quiet:
        from xling.report.audit_table import print_audit

        print_audit(report)
    if args.fail_under is not None:
        corpus = report["corpus"]
        low = [
            f"{name} {corpus[name]:.3f}"
            for name in ("number_carry_over", "quote_carry_over")
            if corpus[name] is not None and corpus[name] < args.fail_under
        ]
        if low:
            sys.stderr.write(f"xling: below --fail-under {args.fail_under}: {', '.join(low)}\n")
            return 1
    return 0
