"""`xling align`: which Arabic sentences render which English sentences (and words).

    xling align EN_FILE AR_FILE [--json OUT.json] [--mt DIR|FILE.jsonl] [--words]
    xling align --en-dir D --ar-dir D --out DIR [--mt DIR] [--words]

Output JSON (the contract scripts rely on): "sentences": {"en": [...], "ar": [...]}, each
sentence {"id", "para", "text"} (para: the 0-based line, or blank-line block, it came from),
and "links": [{"en": [ids], "ar": [ids], "score": s}] in document order, covering every
sentence of both sides once; an empty "ar" marks an English sentence the Arabic omitted, an
empty "en" an Arabic sentence with no English source. score: about 0 for an unrelated pair,
towards 1 for a close translation (a log-probability when aligning by length only; 0 for
omissions and additions). "signals" lists the signals used. With
--words each link with both sides gets "words": Pharaoh "i-j" pairs, i indexing the words of
the link's English sentences joined in order and j those of its Arabic sentences, as split by
xling.align.words' tokenizer.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from xling.errors import InputError, XlingError
from xling.io.articles import article_stem, decode_bytes
from xling.io.atomic import atomic_write_text
from xling.io.pairs import pair_folders
from xling.io.translations import read_translation_records
from xling.text.script import has_arabic

SIGNAL_CHOICES = ("embed", "mt", "numbers", "length")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "align",
        help="align the sentences (and words) of an English source and its Arabic translation",
        description=__doc__,
        epilog="Sentences are segmented as `xling translate` segments them, so the Arabic "
        "sentence ids match its JSONL records (their MT is the 'mt' signal).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("en_file", nargs="?", type=Path, metavar="EN_FILE")
    p.add_argument("ar_file", nargs="?", type=Path, metavar="AR_FILE")
    p.add_argument("--json", type=Path, metavar="OUT.json", help="output file [default: stdout]")
    p.add_argument("--en-dir", type=Path, help="folder of English .txt files (folder mode)")
    p.add_argument("--ar-dir", type=Path, help="folder of Arabic .txt files, paired by stem")
    p.add_argument(
        "--out", type=Path, help="folder mode: output folder for <stem>.align.json files"
    )
    p.add_argument(
        "--mt",
        type=Path,
        metavar="DIR|FILE.jsonl",
        help="MT of the Arabic from `xling translate --out DIR` (DIR/<stem>.jsonl), or one "
        ".jsonl file; without it there is no MT signal",
    )
    p.add_argument(
        "--signals",
        default=",".join(SIGNAL_CHOICES),
        help="comma-separated signals to use [default: %(default)s]; embed needs the built "
        "e5-small encoder and is skipped with a warning without it",
    )
    p.add_argument("--words", action="store_true", help="also align words (Pharaoh i-j)")
    p.add_argument(
        "--no-joined-pairs",
        dest="pairs",
        action="store_false",
        help="embed single sentences only, not also each two adjacent ones joined: about "
        "twice as fast, slightly worse on merged and split sentences",
    )
    p.add_argument(
        "--encoding",
        default=None,
        help="encoding of input files that are not UTF-8 (e.g. cp1256); UTF-8 files and "
        "UTF-16 files with a BOM are still read as such",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no summary on stderr")
    p.set_defaults(func=cmd_align)


def _warn(message: str) -> None:
    sys.stderr.write(f"xling: warning: {message}\n")


def read_text(path: Path, encoding: str | None) -> str:
    if not path.exists():
        raise InputError("no such file", str(path))
    if path.is_dir():
        raise InputError("is a folder (use --en-dir/--ar-dir for folders)", str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", str(path)) from exc
    if encoding:
        try:
            return decode_bytes(data, str(path))
        except InputError:
            return decode_bytes(data, str(path), encoding)
    return decode_bytes(data, str(path))


def load_mt(path: Path, stem: str, arabic: list, origin: str) -> list[str] | None:
    """The MT of each Arabic sentence from `xling translate`'s JSONL, or None (with a warning)
    when it is missing or was made from differently segmented Arabic."""
    file = path / f"{stem}.jsonl" if path.is_dir() else path
    if not file.is_file():
        _warn(f"{file}: no MT for {origin}; aligning without the MT signal")
        return None
    records = read_translation_records(file)
    records.sort(key=lambda r: r.get("sent", 0))
    if len(records) != len(arabic):
        _warn(
            f"{file}: {len(records)} MT sentences but {origin} has {len(arabic)}; "
            "aligning without the MT signal"
        )
        return None
    for record, sentence in zip(records, arabic, strict=True):
        if "src" in record and " ".join(str(record["src"]).split()) != sentence.text:
            _warn(
                f"{file}: sentence {sentence.id} differs from {origin} (translated from "
                "another version?); aligning without the MT signal"
            )
            return None
    return [r["mt"] for r in records]


def _signals(raw: str) -> tuple[str, ...]:
    names = tuple(s.strip() for s in raw.split(",") if s.strip())
    unknown = [s for s in names if s not in SIGNAL_CHOICES]
    if unknown or not names:
        raise XlingError(
            f"--signals: unknown {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(SIGNAL_CHOICES)}"
        )
    return names


def _pairs(en_dir: Path, ar_dir: Path) -> list[tuple[str, Path, Path]]:
    pairs, warnings = pair_folders(en_dir, ar_dir)
    for warning in warnings:
        _warn(warning)
    return pairs


def align_files(
    en_path: Path,
    ar_path: Path,
    *,
    stem: str,
    mt_path: Path | None,
    signals: tuple[str, ...],
    words: bool,
    encoding: str | None,
    embedder=None,
    pairs: bool = True,
):
    from xling.align.sentences import align_sentences, segment_text

    en = segment_text(read_text(en_path, encoding))
    ar = segment_text(read_text(ar_path, encoding))
    if not en:
        raise InputError("no English sentences (empty file?)", str(en_path))
    if not ar:
        raise InputError("no Arabic sentences (empty file?)", str(ar_path))
    if not any(has_arabic(s.text) for s in ar):
        _warn(f"{ar_path}: no Arabic script in the Arabic side (two English files?)")
    mt = load_mt(mt_path, stem, ar, str(ar_path)) if mt_path is not None else None
    alignment = align_sentences(en, ar, mt=mt, embedder=embedder, signals=signals, pairs=pairs)
    if words:
        from xling.align.sentences import add_word_links

        add_word_links(alignment)
    return alignment


def _embedder(signals: tuple[str, ...]):
    """The encoder when "embed" is asked for, loaded once; None (with a warning) if unbuilt."""
    if "embed" not in signals:
        return None
    from xling.align.sentences import default_embedder

    embedder = default_embedder()
    if embedder is None:
        _warn(
            "the e5-small encoder is not built (xling models build encoder); aligning "
            "without sentence embeddings"
        )
    return embedder


def _summary(name: str, alignment) -> str:
    counts = alignment.counts()
    kinds = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
    return (
        f"{name}: {len(alignment.en)} English, {len(alignment.ar)} Arabic sentences; "
        f"links {kinds}; signals: {', '.join(alignment.signals)}"
    )


def _write(alignment, out: Path | None) -> None:
    text = json.dumps(alignment.to_json(), ensure_ascii=False, indent=1) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        atomic_write_text(out, text)


def cmd_align(args: argparse.Namespace) -> int:
    from xling.io.outputs import check_out_dir, check_out_file

    signals = _signals(args.signals)
    if args.json is not None:
        check_out_file(args.json)  # before any work: a bad path fails in a second
    if args.mt is not None and not args.mt.exists():
        raise InputError("no such file or folder", str(args.mt))
    folder_mode = args.en_dir is not None or args.ar_dir is not None
    if folder_mode:
        if args.en_file or args.ar_file:
            raise XlingError("give EN_FILE AR_FILE, or --en-dir and --ar-dir, not both")
        if args.en_dir is None or args.ar_dir is None:
            raise XlingError("folder mode needs both --en-dir and --ar-dir")
        if args.out is None:
            raise XlingError("folder mode needs --out DIR")
        if args.mt is not None and not args.mt.is_dir():
            raise XlingError("in folder mode --mt must be a folder (xling translate --out)")
        check_out_dir(args.out)
        pairs = _pairs(args.en_dir, args.ar_dir)
        embedder = _embedder(signals)
        for stem, en_path, ar_path in pairs:
            alignment = align_files(
                en_path,
                ar_path,
                stem=stem,
                mt_path=args.mt,
                signals=signals,
                words=args.words,
                encoding=args.encoding,
                embedder=embedder,
                pairs=args.pairs,
            )
            out = args.out / f"{stem}.align.json"
            _write(alignment, out)
            if not args.quiet:
                sys.stderr.write(_summary(stem, alignment) + f" -> {out}\n")
        return 0
    if args.en_file is None or args.ar_file is None:
        raise XlingError("give EN_FILE AR_FILE (or --en-dir D --ar-dir D --out DIR)")
    if args.out is not None:
        raise XlingError("--out is for folder mode; use --json OUT.json for one pair")
    alignment = align_files(
        args.en_file,
        args.ar_file,
        stem=article_stem(args.ar_file),
        mt_path=args.mt,
        signals=signals,
        words=args.words,
        encoding=args.encoding,
        embedder=_embedder(signals),
        pairs=args.pairs,
    )
    _write(alignment, args.json)
    if not args.quiet:
        sys.stderr.write(_summary(str(args.ar_file), alignment) + "\n")
    return 0
