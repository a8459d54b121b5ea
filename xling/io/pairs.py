"""Pairing an English folder with an Arabic one by file stem (align and audit share it)."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Unpaired:
    """A file with no partner in the other folder: a missing translation (or source)."""

    id: str  # its stem
    language: str  # "en" or "ar": the side it is on
    file: str

    def warning(self, other_dir: Path) -> str:
        other = "Arabic" if self.language == "en" else "English"
        return f"{self.file}: no {other} file with stem {self.id!r} in {other_dir}"


def match_folders(
    en_dir: Path, ar_dir: Path
) -> tuple[list[tuple[str, Path, Path]], list[Unpaired]]:
    """(stem, English file, Arabic file) for each stem in both folders, and the files without
    a partner. No pair at all is an error."""
    en, ar = _by_stem(en_dir), _by_stem(ar_dir)
    unpaired = [Unpaired(s, "en", str(en[s])) for s in sorted(en.keys() - ar.keys())]
    unpaired += [Unpaired(s, "ar", str(ar[s])) for s in sorted(ar.keys() - en.keys())]
    pairs = [(s, en[s], ar[s]) for s in sorted(en.keys() & ar.keys())]
    if not pairs:
        raise InputError(f"no .txt files pair by stem between {en_dir} and {ar_dir}")
    return pairs, unpaired


def pair_folders(en_dir: Path, ar_dir: Path) -> tuple[list[tuple[str, Path, Path]], list[str]]:
    """`match_folders` with a warning line for each file without a partner."""
    pairs, unpaired = match_folders(en_dir, ar_dir)
    return pairs, [
        u.warning(ar_dir if u.language == "en" else en_dir) + "; skipped" for u in unpaired
    ]
