"""`xling align`: which Arabic sentences render which English sentences (and words).

    xling align EN_FILE [EN_FILE2 ...] AR_FILE [--json OUT] [--mt DIR|FILE.jsonl] [--words]
                [--order auto|monotone|free] [--format json|tmx|vecalign]
    xling align --en-dir D --ar-dir D --out DIR [--mt DIR] [--words] [--format ...]

The last file is the Arabic article; the ones before it are its English source report(s).
--order: "monotone" for an in-order translation, "free" for an article whose paragraphs were
moved, dropped, added or compiled from several reports, "auto" (default): free with several
reports or up to ~500×500 sentences, else free only when confident sentence pairs are out
of order.

Output JSON (the contract scripts rely on): "sentences": {"en": [...], "ar": [...]}, each
sentence {"id", "para", "text"} (para: the 0-based line, or blank-line block, it came from),
and "links": [{"en": [ids], "ar": [ids], "score": s}] in document order, covering every
sentence of both sides once; an empty "ar" marks an English sentence the Arabic omitted, an
empty "en" an Arabic sentence with no English source. score: about 0 for an unrelated pair,
towards 1 for a close translation (a log-probability when aligning by length only; 0 for
omissions and additions). "signals" lists the signals used. With several reports
"sentences.en" is their sentences concatenated (flat ids; each has "report"), "reports" gives
each report's file and id range, and each link has "report" (null for an addition) and
"moved" (out of order in the Arabic relative to its report); "order" is the mode used and
"reordered" the share of confident sentence pairs found out of order. With
--words each link with both sides gets "words": Pharaoh "i-j" pairs, i indexing the words of
the link's English sentences joined in order and j those of its Arabic sentences, as split by
xling.align.words' tokenizer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xling.align.formats import FORMATS, SUFFIX, render
from xling.errors import InputError, XlingError
from xling.io.articles import article_stem, read_text
from xling.io.atomic import atomic_write_text
from xling.io.pairs import pair_folders
from xling.io.translations import read_translation_records

SIGNAL_CHOICES = ("embed", "mt", "numbers", "length")
ORDERS = ("auto", "monotone", "free")  # xling.align.reorder.ORDERS, without importing numpy
ARABIC_SHARE = 0.2  # below this share of Arabic letters a text is not Arabic


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "align",
        help="align the sentences (and words) of an English source and its Arabic translation",
        description=__doc__,
        epilog="Sentences are segmented as `xling translate` segments them, so the Arabic "
        "sentence ids match its JSONL records (their MT is the 'mt' signal).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="EN_FILE [EN_FILE2 ...] AR_FILE: the English report(s), then the Arabic article",
    )
    p.add_argument(
        "--json",
        "-o",
        type=Path,
        metavar="OUT",
        help="output file, in --format [default: stdout]",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="json (the contract), tmx (TMX 1.4 for translation memories) or vecalign "
        "([i]:[j]:score lines) [default: %(default)s]",
    )
    p.add_argument(
        "--order",
        choices=ORDERS,
        default="auto",
        help="monotone: in-order translation; free: paragraphs moved/dropped/added or taken "
        "from several reports; auto: free when detected out of order [default: %(default)s]",
    )
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
        help="input encoding [default: UTF-8, or UTF-16 with a BOM]; e.g. cp1256",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no summary on stderr")
    p.set_defaults(func=cmd_align)


def _warn(message: str) -> None:
    sys.stderr.write(f"xling: warning: {message}\n")


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


def arabic_share(text: str) -> float:
    """Share of the letters of `text` that are Arabic script."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    arabic = sum(
        "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufefc"
        for ch in letters
    )
    return arabic / len(letters)


def check_sides(en_paths: list[Path], en_texts: list[str], ar_path: Path, ar_text: str) -> None:
    """Warn when the sides look swapped (no Arabic script in the Arabic, Arabic in the
    English): the alignment would be meaningless, but the user decides."""
    ar_share = arabic_share(ar_text)
    if ar_share < ARABIC_SHARE:
        swapped = [
            str(p) for p, t in zip(en_paths, en_texts, strict=True) if arabic_share(t) >= 0.5
        ]
        hint = f" while {', '.join(swapped)} is Arabic: sides swapped?" if swapped else ""
        _warn(
            f"{ar_path}: the Arabic side has {ar_share:.0%} Arabic letters{hint} (the Arabic "
            "article is the LAST file)"
        )
        return
    for path, text in zip(en_paths, en_texts, strict=True):
        if arabic_share(text) >= 0.5:
            _warn(f"{path}: an English report that is mostly Arabic script: sides swapped?")


def _distinct_reports(en_paths: list[Path], en_texts: list[str]) -> list[int]:
    """Indices of the reports to align: a report identical to an earlier one (same text,
    whitespace aside) is dropped with a warning, as links into either copy are arbitrary."""
    seen: dict[str, Path] = {}
    keep = []
    for k, (path, text) in enumerate(zip(en_paths, en_texts, strict=True)):
        key = " ".join(text.split())
        if key in seen:
            _warn(f"{path}: the same report as {seen[key]}; aligning with it once")
            continue
        seen[key] = path
        keep.append(k)
    return keep


def align_files(
    en_path: Path | list[Path],
    ar_path: Path,
    *,
    stem: str,
    mt_path: Path | None,
    signals: tuple[str, ...],
    words: bool,
    encoding: str | None,
    embedder=None,
    pairs: bool = True,
    order: str = "auto",
):
    """Align the Arabic file with one English file or a list of them (several reports)."""
    from xling.align.reorder import align_reports
    from xling.align.sentences import segment_text

    en_paths = en_path if isinstance(en_path, list) else [en_path]
    for path in en_paths:
        if path.resolve() == ar_path.resolve():
            raise InputError("given as both an English report and the Arabic article", str(path))
    en_texts = [read_text(path, encoding) for path in en_paths]
    ar_text = read_text(ar_path, encoding)
    keep = _distinct_reports(en_paths, en_texts)
    en_paths = [en_paths[k] for k in keep]
    en_texts = [en_texts[k] for k in keep]
    reports = [segment_text(text) for text in en_texts]
    ar = segment_text(ar_text)
    for path, sentences in zip(en_paths, reports, strict=True):
        if not sentences:
            raise InputError("no English sentences (empty file?)", str(path))
    if not ar:
        raise InputError("no Arabic sentences (empty file?)", str(ar_path))
    check_sides(en_paths, en_texts, ar_path, ar_text)
    mt = load_mt(mt_path, stem, ar, str(ar_path)) if mt_path is not None else None
    alignment = align_reports(
        reports,
        ar,
        order=order,
        names=[str(p) for p in en_paths],
        mt=mt,
        embedder=embedder,
        signals=signals,
        pairs=pairs,
    )
    if order == "free" and alignment.order != "free":
        _warn("order-free alignment needs embeddings or MT; aligned in order")
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
    moved = sum(link.moved for link in alignment.links)
    reports = f" in {len(alignment.reports)} reports" if len(alignment.reports) > 1 else ""
    return (
        f"{name}: {len(alignment.en)} English{reports}, {len(alignment.ar)} Arabic sentences; "
        f"links {kinds}; order: {alignment.order} ({moved} moved); "
        f"signals: {', '.join(alignment.signals)}"
    )


def _write(alignment, out: Path | None, fmt: str = "json") -> None:
    text = render(alignment, fmt)
    if out is None:
        sys.stdout.write(text)
    else:
        atomic_write_text(out, text)


def cmd_align(args: argparse.Namespace) -> int:
    signals = _signals(args.signals)
    if args.mt is not None and not args.mt.exists():
        raise InputError("no such file or folder", str(args.mt))
    folder_mode = args.en_dir is not None or args.ar_dir is not None
    if folder_mode:
        if args.files:
            raise XlingError("give EN_FILE AR_FILE, or --en-dir and --ar-dir, not both")
        if args.en_dir is None or args.ar_dir is None:
            raise XlingError("folder mode needs both --en-dir and --ar-dir")
        if args.out is None:
            raise XlingError("folder mode needs --out DIR")
        if args.mt is not None and not args.mt.is_dir():
            raise XlingError("in folder mode --mt must be a folder (xling translate --out)")
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
                order=args.order,
            )
            out = args.out / f"{stem}{SUFFIX[args.format]}"
            _write(alignment, out, args.format)
            if not args.quiet:
                sys.stderr.write(_summary(stem, alignment) + f" -> {out}\n")
        return 0
    if len(args.files) < 2:
        raise XlingError(
            "give EN_FILE AR_FILE (several reports: EN_FILE EN_FILE2 ... AR_FILE; folders: "
            "--en-dir D --ar-dir D --out DIR)"
        )
    if args.out is not None:
        raise XlingError("--out is for folder mode; use --json OUT for one article")
    *en_files, ar_file = args.files
    alignment = align_files(
        en_files,
        ar_file,
        stem=article_stem(ar_file),
        mt_path=args.mt,
        signals=signals,
        words=args.words,
        encoding=args.encoding,
        embedder=_embedder(signals),
        pairs=args.pairs,
        order=args.order,
    )
    _write(alignment, args.json, args.format)
    if not args.quiet:
        sys.stderr.write(_summary(str(ar_file), alignment) + "\n")
    return 0
