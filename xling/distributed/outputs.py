"""Where a distributed run writes: a (shared) local folder, or any fsspec URL.

Same file names and bytes as `xling translate` writes locally (`<stem>.jsonl`, then
`<stem>.en.txt`), each put in place whole: a rename on a filesystem; on an object store a single
PUT of the final name, which readers never see half-done.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from pathlib import Path, PurePosixPath

from xling.io.articles import Article
from xling.records import Translation
from xling.translate import pipeline


def is_url(location: str) -> bool:
    return "://" in location


class LocalOutput:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.location = str(root)

    def is_done(self, article: Article, model: str) -> bool:
        return pipeline.is_done(self.root, article, model)

    def written_since(self, article: Article, since: int) -> bool:
        text, _ = pipeline.output_paths(self.root, article)
        try:
            return text.stat().st_mtime_ns >= since
        except FileNotFoundError:
            return False

    def write(self, article: Article, translations: list[Translation]) -> None:
        pipeline.write_article(self.root, article, translations)

    def stamp(self) -> int:
        """The filesystem's own clock, in ns: what a file written now gets as its mtime (a
        shared filesystem's server clock, not this machine's)."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".xling-run-", dir=self.root)
        try:
            return os.fstat(fd).st_mtime_ns
        finally:
            os.close(fd)
            os.unlink(name)


class FsspecOutput:
    def __init__(self, url: str):
        from fsspec.core import url_to_fs

        self.fs, self.root = url_to_fs(url)
        self.location = url

    def _paths(self, article: Article) -> tuple[str, str]:
        stem = str(PurePosixPath(self.root) / str(article.out_stem))
        return stem + ".en.txt", stem + ".jsonl"

    def is_done(self, article: Article, model: str) -> bool:
        text, jsonl = self._paths(article)
        try:
            jsonl_text = self.fs.cat_file(jsonl).decode("utf-8")
            en_text = self.fs.cat_file(text).decode("utf-8")
        except (OSError, UnicodeDecodeError):  # FileNotFoundError included
            return False
        return pipeline.outputs_complete(article, model, jsonl_text, en_text)

    def written_since(self, article: Article, since: int) -> bool:
        text, _ = self._paths(article)
        if not self.fs.exists(text):
            return False
        return self.fs.modified(text).timestamp() * 1e9 >= since

    def _put(self, path: str, data: str) -> None:
        parent, name = path.rsplit("/", 1) if "/" in path else ("", path)
        if parent:
            self.fs.makedirs(parent, exist_ok=True)
        tmp = f"{parent}/.{name}.{uuid.uuid4().hex}.tmp" if parent else f".{name}.tmp"
        self.fs.pipe_file(tmp, data.encode("utf-8"))
        self.fs.mv(tmp, path)

    def write(self, article: Article, translations: list[Translation]) -> None:
        text, jsonl = self._paths(article)
        self._put(
            jsonl,
            "".join(
                json.dumps(tr.to_json(article.doc.id), ensure_ascii=False) + "\n"
                for tr in translations
            ),
        )
        self._put(text, pipeline.render_text(article, translations))

    def stamp(self) -> int:
        marker = f"{self.root}/.xling-run-{uuid.uuid4().hex}"
        self.fs.makedirs(self.root, exist_ok=True)
        self.fs.pipe_file(marker, b"")
        try:
            return int(self.fs.modified(marker).timestamp() * 1e9)
        finally:
            self.fs.rm(marker)


def open_output(location: str) -> LocalOutput | FsspecOutput:
    return FsspecOutput(location) if is_url(location) else LocalOutput(location)
