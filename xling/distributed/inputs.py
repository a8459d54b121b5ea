"""Articles for a distributed run: local paths as `xling translate` reads them, or fsspec URLs
(a folder of .txt, a .txt, a .jsonl) read the same way, with the same output names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from xling.distributed.outputs import is_url
from xling.errors import InputError
from xling.io.articles import (
    Article,
    article_stem,
    decode_bytes,
    iter_articles,
    make_article,
    parse_record,
)


def iter_inputs(paths: list[str], encoding: str | None) -> tuple[Iterator[Article], int]:
    urls = [p for p in paths if is_url(p)]
    if not urls:
        return iter_articles(paths, encoding)
    if len(urls) != len(paths):
        raise InputError("mix of local paths and URLs; give file:// URLs for the local ones")
    return _iter_urls(urls, encoding)


def _iter_urls(urls: list[str], encoding: str | None) -> tuple[Iterator[Article], int]:
    from fsspec.core import url_to_fs

    items: list[tuple[object, str, str, PurePosixPath | None]] = []  # fs, path, kind, out stem
    seen: dict[str, str] = {}
    for url in urls:
        fs, root = url_to_fs(url)
        if fs.isdir(root):
            files = sorted(
                f
                for f in fs.find(root)
                if f.endswith(".txt") and not f.rsplit("/", 1)[-1].startswith(".")
            )
            if not files:
                raise InputError("folder has no .txt files", url)
            for f in files:
                rel = PurePosixPath(f).relative_to(PurePosixPath(root))
                items.append((fs, f, "txt", rel.parent / article_stem(PurePosixPath(f))))
        elif fs.isfile(root):
            kind = "jsonl" if root.endswith(".jsonl") else "txt"
            items.append((fs, root, kind, PurePosixPath(article_stem(PurePosixPath(root)))))
        else:
            raise InputError("no such file or folder", url)
    for _, f, kind, stem in items:
        if kind == "txt":
            if str(stem) in seen:
                raise InputError(f"writes the same output as {seen[str(stem)]}", f)
            seen[str(stem)] = f

    def records(fs, path: str) -> Iterator[tuple[int, dict]]:
        text = decode_bytes(fs.cat_file(path), path, encoding)
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                yield number, parse_record(line, path, number)

    total = 0
    for fs, path, kind, _ in items:
        if kind == "jsonl":
            ids: set[str] = set()
            for number, record in records(fs, path):
                if record["id"] in ids:
                    raise InputError(f"duplicate id {record['id']!r}", path, number)
                ids.add(record["id"])
            total += len(ids)
        else:
            total += 1

    def generate() -> Iterator[Article]:
        for fs, path, kind, stem in items:
            if kind == "jsonl":
                for number, record in records(fs, path):
                    doc, text = record["id"], record["text"]
                    yield make_article(doc, text, f"{path}:{number}", PurePosixPath(doc))
            else:
                name = PurePosixPath(path)
                yield make_article(
                    article_stem(name), decode_bytes(fs.cat_file(path), path, encoding), path, stem
                )

    return generate(), total
