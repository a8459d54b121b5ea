"""`xling translate`: Arabic articles (.txt, folders, .jsonl, stdin) to English, here or on Ray."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

from xling.errors import XlingError
from xling.models.names import resolve_alias
from xling.translate.presets import DEFAULT_PRESET, PRESETS


def err(message: str) -> None:
    sys.stderr.write(f"xling: {message}\n")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "translate",
        help="translate Arabic articles to English",
        description="Translate .txt articles, folders of them (recursive), .jsonl "
        'files ({"id", "text"} per line) or - (stdin to stdout).',
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--out", "-o", type=Path, help="output folder (required unless PATH is -)")
    p.add_argument(
        "--preset",
        choices=sorted(PRESETS),
        default=None,
        help="model and decoding settings measured together (eval/RESULTS.md, presets): "
        + "; ".join(f"{name}: {p.summary}" for name, p in PRESETS.items())
        + f" [default: {DEFAULT_PRESET}]; --model, --beam, --candidates, --select, --shots and "
        "--[no-]name-memory override it",
    )
    p.add_argument(
        "--model",
        "-m",
        default=None,
        help="model name, alias (quality, fast) or built model folder [default: the preset's, "
        "or $XLING_MODEL when no --preset is given]",
    )
    p.add_argument("--beam", type=int, default=None, help="beam size [default: the preset's]")
    p.add_argument(
        "--candidates",
        type=int,
        default=None,
        help="decode this many beam candidates and keep one, chosen by --select [default: the "
        "preset's]",
    )
    p.add_argument(
        "--select",
        choices=("mbr", "e5"),
        default=None,
        help="how --candidates chooses: mbr, the one the others agree with most (minimum Bayes "
        "risk with chrF); e5, the one closest in meaning to the source (the sentence encoder) "
        "[default: the preset's]",
    )
    p.add_argument(
        "--batch-tokens",
        type=int,
        default=0,
        help="tokens read per batch, prompts included (but not a generator's static prompt, "
        "read once) [default: 2048 on CPU, 32768 on CUDA]",
    )
    p.add_argument(
        "--batch-rows",
        type=int,
        default=0,
        help="most sentences per batch [default: on CPU 8Mi / the model's vocabulary size "
        "(32 for gemma3-270m), no limit on CUDA]",
    )
    p.add_argument(
        "--compute-type",
        default="default",
        help="CTranslate2 compute type [default: int8 on CPU, int8_float16 on CUDA]",
    )
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    p.add_argument("--threads", type=int, default=0, help="CPU threads [default: all cores]")
    p.add_argument(
        "--shots",
        type=int,
        default=None,
        help="few-shot examples per prompt (generators) [default: the manifest's]",
    )
    p.add_argument(
        "--own-shots",
        type=int,
        default=None,
        help="of those, how many are chosen per sentence (the rest are one block shared by "
        "every sentence and read once; each chosen one costs its tokens per sentence) "
        "[default: 0]",
    )
    p.add_argument(
        "--no-number-guard",
        dest="number_guard",
        action="store_false",
        help="do not re-decode sentences whose numbers were lost",
    )
    p.add_argument(
        "--no-script-guard",
        dest="script_guard",
        action="store_false",
        help="do not re-decode sentences whose English kept Arabic letters (they are still "
        "flagged untranslated)",
    )
    p.add_argument(
        "--glossary",
        type=Path,
        metavar="FILE.tsv",
        help="Arabic<TAB>English terms the English must use (checked after decoding; a sentence "
        "that breaks one is re-decoded with the term written in, then flagged glossary_missing)",
    )
    p.add_argument(
        "--name-memory",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="one English spelling per Arabic name in an article, chosen among the model's own "
        "spellings (the most common to its tokenizer, then the most frequent) [default: the "
        "preset's: on for balanced and best, off for fast]",
    )
    p.add_argument(
        "--encoding",
        default=None,
        help="input encoding [default: UTF-8, or UTF-16 with a BOM]; e.g. cp1256",
    )
    p.add_argument("--force", action="store_true", help="redo articles already translated")
    p.add_argument(
        "--skip-bad",
        action="store_true",
        help="translate the good inputs when some are bad (all bad ones are listed either way)",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress, no summary")
    from xling.distributed.plan import add_ray_arguments

    add_ray_arguments(p)
    p.set_defaults(func=cmd_translate)


def apply_preset(args: argparse.Namespace) -> None:
    """Fill what the command line left unset from the preset. Without --preset, $XLING_MODEL
    still chooses the model (an explicit --preset wins over it, an explicit --model over both)."""
    preset = PRESETS[args.preset or DEFAULT_PRESET]
    if args.model is None:
        env = os.environ.get("XLING_MODEL") if args.preset is None else None
        args.model = env or preset.model
    for name in ("beam", "candidates", "select", "shots", "own_shots", "name_memory"):
        if getattr(args, name, None) is None:
            setattr(args, name, getattr(preset, name))
    if args.beam < 1 or args.candidates < 1:
        raise XlingError("--beam and --candidates must be at least 1")


def batch_options(args: argparse.Namespace):
    """The batch translator's options from the command line (local runs and Ray alike); a bad
    glossary fails here, before any model loads."""
    from xling.translate.batch import BatchOptions
    from xling.translate.glossary import load_glossary

    apply_preset(args)
    return BatchOptions(
        beam=args.beam,
        candidates=args.candidates,
        select=args.select,
        number_guard=args.number_guard,
        script_guard=getattr(args, "script_guard", True),
        glossary=load_glossary(getattr(args, "glossary", None)),
        name_memory=bool(getattr(args, "name_memory", False)),
    )


def cmd_translate(args: argparse.Namespace) -> int:
    from xling.io.articles import plan_articles
    from xling.io.lock import out_lock
    from xling.io.outputs import check_out_dir
    from xling.report.progress import TranslateProgress
    from xling.translate.batch import BatchTranslator
    from xling.translate.engine import EngineOptions, load_engine
    from xling.translate.pipeline import print_stdout, translate_articles

    options = batch_options(args)  # a bad glossary: one line, exit 5, before anything starts
    if args.ray is not None:
        from xling.distributed.ray_runner import run_translate_on_ray

        if args.skip_bad:
            raise XlingError("--skip-bad is not supported with --ray yet; drop one of them")
        from xling.distributed.cluster import import_ray
        from xling.distributed.plan import check_ray_args

        check_ray_args(args)
        import_ray()  # Ray missing: one line, before --out is made or locked
        with contextlib.ExitStack() as ray_lock:
            if args.out is not None and "://" not in str(args.out):  # a local --out: locked
                ray_lock.enter_context(out_lock(check_out_dir(Path(args.out))))
            return run_translate_on_ray(args)
    to_stdout = args.paths == ["-"]
    if "-" in args.paths and not to_stdout:
        raise XlingError("- (stdin) cannot be mixed with other inputs")
    if not to_stdout and args.out is None:
        raise XlingError("--out DIR is required (or translate stdin with -)")
    plan = plan_articles(args.paths, args.encoding, args.out, skip_bad=args.skip_bad)
    articles, total = plan.articles, plan.total
    for bad in plan.skipped:
        err(f"skipped: {bad}")
    lock = contextlib.ExitStack()
    if not to_stdout:
        check_out_dir(args.out)  # before the model loads: a bad --out fails in a second
        lock.enter_context(out_lock(args.out))  # one writer per --out
    model = resolve_alias(args.model)
    engine = load_engine(
        model,
        EngineOptions(
            device=args.device,
            compute_type=args.compute_type,
            beam=args.beam,
            batch_tokens=args.batch_tokens,
            batch_rows=args.batch_rows,
            threads=args.threads,
            shots=args.shots,
            own_shots=args.own_shots,
        ),
    )
    progress = TranslateProgress(total, enabled=not args.quiet and sys.stderr.isatty())
    translator = BatchTranslator(
        engine,
        options,
        on_batch=progress.batch_done,
    )
    started = time.perf_counter()
    with lock, progress:
        summary = translate_articles(
            articles,
            translator,
            None if to_stdout else args.out,
            force=args.force,
            on_article=print_stdout if to_stdout else progress.article_done,
            # by default batches never cross articles: an article's output is the same alone,
            # in any folder, after a resume, and on Ray
            per_article=args.article_batches,
        )
    for origin in summary.empty:
        err(f"warning: {origin}: empty input, wrote an empty translation")
    if not args.quiet:
        s = translator.stats
        elapsed = time.perf_counter() - started
        rate = s.sentences / s.seconds if s.seconds else 0.0
        tok_rate = s.target_tokens / s.seconds if s.seconds else 0.0
        err(
            f"{summary.articles} article(s) translated, {summary.skipped} already done"
            + (f", {len(plan.skipped)} bad input(s) skipped (listed above)" if plan.skipped else "")
            + "; "
            f"{s.sentences} sentences in {elapsed:.1f} s ({rate:.2f} sentences/s, "
            f"{tok_rate:.0f} target tokens/s) with {engine.name} on {engine.device}/"
            f"{engine.compute_type}; numbers: {s.guard_fixed} fixed by the guard, "
            f"{s.hint_fixed} by writing the lost number words in, "
            f"{s.halves_fixed} by translating in halves, "
            f"{summary.numbers_flagged} sentence(s) flagged numbers_ok=false; "
            f"{s.split} split as too long, {s.resplit} re-done in halves after a runaway output; "
            f"length: {s.length_redone} piece(s) re-decoded in halves, "
            f"{summary.length_flagged} flagged length_ok=false; Arabic letters: "
            f"{s.script_fixed} piece(s) re-decoded without them, {s.untranslated} sentence(s) "
            "flagged untranslated"
            + (
                f"; glossary: {s.glossary_fixed} piece(s) re-decoded into line, "
                f"{s.glossary_flagged} sentence(s) flagged glossary_missing"
                if options.glossary
                else ""
            )
        )
    return 0
