"""`xling audit --match`: pair each Arabic article with the source(s) `xling match` finds.

A compiled article (several sources selected) is audited against the concatenation of its
sources, ordered by where each one's sentences first appear in the Arabic, so the monotonic
sentence alignment can follow the article from one source to the next. An article with no
source in the pool is not audited; the report lists it under "unmatched".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from xling.errors import InputError
from xling.io.pairs import pair_stem


@dataclass
class MatchedPair:
    id: str
    en_text: str
    ar_text: str
    ar_path: Path
    files: dict
    sources: list[dict] = field(default_factory=list)
    first_en: Path | None = None


def _ar_id(origin: str, ar_dir: Path) -> str:
    path = Path(origin)
    try:
        rel = path.relative_to(ar_dir)
    except ValueError:
        return pair_stem(path)
    return str(PurePosixPath(rel.parent.as_posix()) / pair_stem(path)).removeprefix("./")


def match_folder(
    ar_dir: Path,
    en_dir: Path | None,
    index_dir: Path | None,
    encoder_name: str,
    encoding: str | None = None,
) -> tuple[list[MatchedPair], list[dict], dict]:
    """(pairs to audit, unmatched articles, settings.match) for an Arabic folder."""
    from xling.io.articles import read_text
    from xling.match.pipeline import match_pool, read_texts

    if not ar_dir.is_dir():
        raise InputError("no such folder", str(ar_dir))
    articles = list(read_texts([str(ar_dir)], "ar", encoding))
    en_paths = [str(en_dir)] if en_dir is not None else None
    run = match_pool(articles, index_dir, en_paths, encoder_name, 5, encoding, with_texts=True)
    matches, texts = run.matches, run.texts
    pairs: list[MatchedPair] = []
    unmatched: list[dict] = []
    for m in matches:
        aid = _ar_id(m.origin, ar_dir)
        candidates = [
            {"en": s.en, "score": round(s.score, 4), "coverage": round(s.coverage, 4)}
            for s in m.sources
        ]
        if m.no_source:
            entry = {
                "ar": aid,
                "file": m.origin,
                "sentences": m.sentences,
                "candidates": candidates,
            }
            if m.reason:
                entry["reason"] = m.reason
            unmatched.append(entry)
            continue
        chosen = sorted(m.selected, key=lambda s: s.first_sentence)
        origins = [texts[s.en][0] for s in chosen]
        pairs.append(
            MatchedPair(
                aid,
                "\n".join(texts[s.en][1] for s in chosen),
                read_text(Path(m.origin), encoding),
                Path(m.origin),
                {"en": " + ".join(origins), "ar": m.origin},
                [c for c in candidates if c["en"] in {s.en for s in chosen}],
                Path(origins[0].rsplit(":", 1)[0]) if origins else None,
            )
        )
    settings = {
        "pool": str(index_dir) if index_dir is not None else str(en_dir),
        "pool_reports": run.reports,
        "pool_sentences": run.sentences,
        "neighbours": run.neighbours,
        "thresholds": run.thresholds.to_json(),
        "compiled": "audited against the concatenation of the selected sources",
    }
    if run.warning:
        settings["warning"] = run.warning
    return pairs, unmatched, settings
