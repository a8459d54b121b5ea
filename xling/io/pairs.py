"""Pairing an English folder with an Arabic one by file stem (align and audit share it)."""

from __future__ import annotations

from pathlib import Path, PurePath, PurePosixPath

from xling.errors import InputError

LANGUAGE_TAGS = (".en", ".ar", ".eng", ".arb")


def pair_stem(path: PurePath, tags: tuple[str, ...] = LANGUAGE_TAGS) -> str:
    """`story.txt`, `story.en.txt` and `story.ar.txt` all pair as `story`: the one stem rule
    (`xling translate` names its outputs with it too, dropping only the `.ar` tag)."""
    stem = path.name[: -len(".txt")] if path.name.endswith(".txt") else path.stem
    for tag in tags:
        if stem.endswith(tag) and len(stem) > len(tag):
            return stem[: -len(tag)]
    return stem


def _by_stem(folder: Path) -> dict[str, Path]:
    """Every .txt below `folder` (recursive, like `xling translate`), keyed by sub-folder/stem."""
    if not folder.is_dir():
        raise InputError("no such folder", str(folder))
    out: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.txt")):
        if path.name.startswith(".") or not path.is_file():
            continue
        rel = PurePosixPath(path.parent.relative_to(folder).as_posix()) / pair_stem(path)
        out[str(rel)] = path
    return out


def pair_folders(en_dir: Path, ar_dir: Path) -> tuple[list[tuple[str, Path, Path]], list[str]]:
    """(stem, English file, Arabic file) for each stem in both folders, and a warning line for
    each file without a partner. No pair at all is an error."""
    en, ar = _by_stem(en_dir), _by_stem(ar_dir)
    warnings = [
        f"{en[s]}: no Arabic file with stem {s!r} in {ar_dir}; skipped"
        for s in sorted(en.keys() - ar.keys())
    ]
    warnings += [
        f"{ar[s]}: no English file with stem {s!r} in {en_dir}; skipped"
        for s in sorted(ar.keys() - en.keys())
    ]
    pairs = [(s, en[s], ar[s]) for s in sorted(en.keys() & ar.keys())]
    if not pairs:
        raise InputError(f"no .txt files pair by stem between {en_dir} and {ar_dir}")
    return pairs, warnings
