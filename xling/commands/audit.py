"""`xling audit`: how numbers and quotations carried over from an English source to its Arabic
translation, with verdicts, evidence, scores, a JSON and an HTML report."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from xling.models.names import DEFAULT_ENCODER, DEFAULT_MODEL, resolve_alias


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "audit",
        help="audit numbers and quotes of an Arabic translation against its English source",
        description="Compare an English source with its Arabic translation: which numbers and "
        "quotations were kept, changed, dropped or added, with evidence. Give two files, or "
        "two folders (--en-dir, --ar-dir) paired by file stem (story.txt, story.en.txt and "
        "story.ar.txt pair as 'story'). Paragraphs may be moved, omitted or added: they are "
        "reported as passages. Report layout: docs/audit-schema.md.",
    )
    p.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="EN_FILE AR_FILE; or EN_FILE EN_FILE2 ... AR_FILE: an Arabic article compiled "
        "from several English reports (findings name the report)",
    )
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
        default=os.environ.get("XLING_MODEL", DEFAULT_MODEL),
        help="model to translate with when --mt is not given [default: %(default)s]",
    )
    p.add_argument(
        "--no-mt",
        action="store_true",
        help="do not translate: no BLEU/chrF/TER, quote fidelity from the encoder only",
    )
    p.add_argument(
        "--encoder", default=DEFAULT_ENCODER, help="sentence encoder [default: %(default)s]"
    )
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
    p.add_argument(
        "--fail-on",
        choices=("error", "warning"),
        help="exit 1 when a finding of this severity or worse is left (after --ignore); "
        "with --fail-under, either gate fails the run",
    )
    p.add_argument(
        "--ignore",
        action="append",
        metavar="CHECK[,CHECK]",
        help="suppress these checks (repeatable): their findings stay in the JSON marked "
        "suppressed but are not flagged, listed or counted by --fail-on; checks: "
        "number_changed, number_missing, number_added, qualifier_changed, quote_missing, "
        "quote_numbers, quote_speaker, quote_content, quote_marks, quote_added, "
        "passage_omitted, passage_added, passage_moved",
    )
    p.add_argument("--encoding", default=None, help="input encoding [default: UTF-8]")
    p.add_argument("--quiet", "-q", action="store_true", help="no table on stderr")
    from xling.distributed.plan import add_ray_arguments

    add_ray_arguments(p, article_batches=False)
    p.set_defaults(func=cmd_audit)


def _matched(args: argparse.Namespace):
    """--match / --index: (pairs, {id: (en, ar)}, {id: MatchedPair}, unmatched, settings)."""
    from xling.audit.inputs import DocPair
    from xling.audit.matching import match_folder
    from xling.errors import XlingError

    if args.files:
        raise XlingError("--match works on folders: give --ar-dir (and --en-dir or --index)")
    if args.ar_dir is None or (args.en_dir is None) == (args.index is None):
        raise XlingError("--match needs --ar-dir and one of --en-dir or --index")
    if args.no_encoder:
        raise XlingError("--match needs the encoder; drop --no-encoder")
    matched, unmatched, settings = match_folder(
        args.ar_dir, args.en_dir, args.index, args.encoder, args.encoding
    )
    if settings.get("warning"):
        sys.stderr.write(f"xling: warning: {settings['warning']}\n")
    pairs = [DocPair(m.id, m.first_en or m.ar_path, m.ar_path) for m in matched]
    texts = {m.id: (m.en_text, m.ar_text) for m in matched}
    return pairs, texts, {m.id: m for m in matched}, unmatched, settings


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


def _translator(model: str):
    """texts -> translations with `model`, as the Ray worker's (xling/distributed/audit_job.py)."""
    from xling.translate.batch import BatchTranslator
    from xling.translate.engine import load_engine

    translator = BatchTranslator(load_engine(resolve_alias(model)))
    return lambda texts: [r.text for r in translator.translate(texts)]


def cmd_audit(args: argparse.Namespace) -> int:
    from xling.audit.inputs import doc_pairs, read_mt, unpaired_warnings
    from xling.audit.run import (
        MTInput,
        audit_document,
        build_report,
        check_fail_under,
        mt_requests,
        settings,
        translate_mt,
    )
    from xling.audit.severity import parse_ignore
    from xling.io.articles import read_text
    from xling.io.outputs import check_out_file

    ignore = parse_ignore(args.ignore)  # an unknown check is a usage error, before any work
    for out in (args.json_out, args.html_out):
        if out is not None:
            check_out_file(out)  # before any work: a bad path fails in a second
    match_mode = args.match or args.index is not None
    if args.ray is not None:  # documents sharded over Ray workers, the same report
        if match_mode:
            from xling.errors import XlingError

            raise XlingError("--match/--index do not run on --ray yet; drop --ray")
        from xling.distributed.audit_job import run_audit_on_ray

        return run_audit_on_ray(args, lambda report: finish_report(args, report))
    check_fail_under(args.fail_under)
    matched: dict = {}
    unmatched: list[dict] = []
    unpaired: list = []
    if match_mode:
        pairs, texts, matched, unmatched, match_settings = _matched(args)
    else:
        pairs, unpaired = doc_pairs(args.files, args.en_dir, args.ar_dir)
        for line in unpaired_warnings(unpaired, args.en_dir, args.ar_dir):
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
        # Per document, as a Ray worker does (translate_mt): one batch across documents
        # would give other int8 output and so another report.
        wanted = sum(len({w for w in mt_requests(texts[p.id][1]) if w.strip()}) for p in pairs)
        if not args.quiet:
            sys.stderr.write(
                f"xling: translating {wanted} Arabic sentences and quotes with "
                f"{args.model} (give --mt or --no-mt to skip)\n"
            )
        translate = _translator(args.model)
        mt_origin = f"model:{args.model}"
        for p in pairs:
            mts[p.id] = translate_mt(translate, texts[p.id][1], mt_origin)
    embedder = _embedder(args)
    audits = []
    for p in pairs:
        en_text, ar_text = texts[p.id]
        more = [read_text(path, args.encoding) for path in p.more_en]
        audits.append(
            audit_document(
                p.id,
                en_text,
                ar_text,
                mt=mts[p.id],
                embedder=embedder,
                files=matched[p.id].files if match_mode else p.files(),
                more_en=more or None,
                names=[str(p.en), *map(str, p.more_en)] if more else None,
            )
        )
    report = build_report(
        audits,
        settings(mt_origin, None if embedder is None else args.encoder, ignore),
        unpaired,
    )
    if match_mode:
        for document in report["documents"]:
            document["sources"] = matched[document["id"]].sources
        report["settings"]["match"] = match_settings
        report["unmatched"] = unmatched
        report["corpus"]["documents_without_source"] = len(unmatched)
    return finish_report(args, report)


def finish_report(args: argparse.Namespace, report: dict) -> int:
    """Write and print a report (JSON, HTML, table) and apply --fail-under and --fail-on (exit
    1 when either fails): shared by the local and the Ray paths."""
    from xling.audit.run import below_fail_under, fail_on

    if args.json_out:
        from xling.report.audit_json import write_json

        write_json(report, args.json_out)
    if args.html_out:
        from xling.report.audit_html import write_html

        write_html(report, args.html_out)
    if not args.quiet:
        from xling.report.audit_table import print_audit

        print_audit(report)
    code = 0
    if args.fail_under is not None:
        low = below_fail_under(report, args.fail_under)
        if low:
            sys.stderr.write(f"xling: below --fail-under {args.fail_under}: {', '.join(low)}\n")
            code = 1
    if args.fail_on is not None:
        found = fail_on(report, args.fail_on)
        if found:
            sys.stderr.write(f"xling: --fail-on {args.fail_on}: {found}\n")
            code = 1
    return code
