"""A persistent index of English reports: one e5 vector per sentence, searchable by sentence.

Layout of the index folder:
- `reports.sqlite` — the sidecar and the source of truth: `meta` (format version, encoder name
  and fingerprint, dimension, generation), `reports` (id, origin, sentence count, the first
  vector key of its contiguous key range, numbers, whether still active).
- `vectors.<generation>.usearch` — a usearch HNSW graph over float16 vectors (inner product on
  L2-normalised vectors = cosine). Queries open it memory-mapped (`view=True`), so matching does
  not read the pool into RAM; adding loads it, adds, and saves a new generation.

An add is atomic: the new vectors file is written under a new generation name first, then one
SQLite transaction records the reports and the new generation; readers follow the generation in
SQLite, so a crash leaves the old index whole (and at worst an orphan vectors file).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from xling.errors import InputError, XlingError

FORMAT = "xling-report-index"
VERSION = 1
DB = "reports.sqlite"
DIM = 384
CONNECTIVITY = 16
EXPANSION_ADD = 64  # graph build effort: 2.2x the add speed of 128, recall@8 0.964 vs 0.974
# Below this many vectors a query is exact (brute force over the mapped vectors): cheap there,
# and it removes the graph's approximation where it costs nothing.
EXACT_BELOW = 20_000
ADD_CHUNK = 65_536  # vectors handed to the graph at once
# HNSW candidate list at query time (at least 4 k): at 100k reports recall@1 0.967 with 256
# against 0.900 with 64, for 34 vs 21 ms an article (eval/RESULTS.md) — small beside embedding.
EXPANSION_SEARCH = 256


@dataclass
class Report:
    """One English report as indexed: its sentences' vectors and features kept beside them."""

    id: str
    origin: str
    vectors: np.ndarray  # (sentences, DIM) float32, L2-normalised
    numbers: list[float] = field(default_factory=list)
    text: str = ""  # kept so that `xling audit --index` can audit against it


@dataclass
class Hit:
    """Nearest sentences of each query: (queries, k) arrays; `report` indexes `report_ids`."""

    cosines: np.ndarray
    report: np.ndarray  # -1 where no neighbour
    sentence: np.ndarray
    report_ids: list[str]
    report_numbers: list[set[float]]


def encoder_fingerprint(folder: Path) -> str:
    """A short checksum of the encoder's weights (from its build metadata), so an index is never
    queried with vectors from another encoder."""
    from xling.models.info import ModelInfo

    info = ModelInfo.load(folder)
    blob = json.dumps({"name": info.name, "sha256": info.sha256}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


class ReportIndex:
    """`ReportIndex.create(folder, encoder, fingerprint)` or `ReportIndex.open(folder)`."""

    def __init__(self, folder: Path, db: sqlite3.Connection):
        self.folder = folder
        self.db = db
        self._view = None
        self._starts: np.ndarray | None = None

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, folder: Path, *, encoder: str | None = None, fingerprint: str | None = None):
        """An existing index; InputError if it is missing, damaged, of another format version,
        or made with another encoder than (`encoder`, `fingerprint`) when given."""
        folder = Path(folder)
        if not (folder / DB).is_file():
            raise InputError(
                f"not an xling report index (no {DB}); create it with `xling "
                "index add EN... --index DIR`",
                str(folder),
            )
        db = _connect(folder)
        index = cls(folder, db)
        meta = index.meta()
        if meta.get("format") != FORMAT:
            raise InputError(f"{DB} is not an xling report index", str(folder))
        if meta.get("version") != str(VERSION):
            raise InputError(
                f"index format version {meta.get('version')}, this xling reads version "
                f"{VERSION}; rebuild it with `xling index add ... --index NEWDIR`",
                str(folder),
            )
        if encoder is not None and (meta.get("encoder"), meta.get("fingerprint")) != (
            encoder,
            fingerprint,
        ):
            raise InputError(
                f"index made with encoder {meta.get('encoder')} ({meta.get('fingerprint')}), "
                f"not {encoder} ({fingerprint}); its vectors cannot be compared; rebuild it",
                str(folder),
            )
        if index.generation and not index.vectors_path.is_file():
            raise InputError(f"damaged: {index.vectors_path.name} is missing", str(folder))
        return index

    @classmethod
    def create(cls, folder: Path, encoder: str, fingerprint: str) -> ReportIndex:
        folder = Path(folder)
        if folder.exists() and any(folder.iterdir()):
            raise InputError(
                "exists and is not an xling report index; give a new folder", str(folder)
            )
        folder.mkdir(parents=True, exist_ok=True)
        db = _connect(folder)
        with db:
            db.executescript(
                """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE reports (
                    row INTEGER PRIMARY KEY,
                    id TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    sentences INTEGER NOT NULL,
                    first_key INTEGER NOT NULL,
                    numbers TEXT NOT NULL,
                    text TEXT NOT NULL,
                    added REAL NOT NULL,
                    active INTEGER NOT NULL DEFAULT 1
                );
                CREATE UNIQUE INDEX active_id ON reports (id) WHERE active = 1;
                CREATE INDEX by_key ON reports (first_key);
                """
            )
            db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [
                    ("format", FORMAT),
                    ("version", str(VERSION)),
                    ("encoder", encoder),
                    ("fingerprint", fingerprint),
                    ("dim", str(DIM)),
                    ("generation", "0"),
                    ("next_key", "0"),
                ],
            )
        return cls(folder, db)

    @classmethod
    def open_or_create(cls, folder: Path, encoder: str, fingerprint: str) -> ReportIndex:
        if (Path(folder) / DB).is_file():
            return cls.open(folder, encoder=encoder, fingerprint=fingerprint)
        return cls.create(folder, encoder, fingerprint)

    def close(self) -> None:
        self._view = None
        self.db.close()

    # -- metadata ------------------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        try:
            return dict(self.db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as exc:
            raise InputError(f"damaged index ({exc})", str(self.folder)) from exc

    @property
    def generation(self) -> int:
        return int(self.meta()["generation"])

    @property
    def vectors_path(self) -> Path:
        return self.folder / f"vectors.{self.generation}.usearch"

    def info(self) -> dict:
        meta = self.meta()
        reports, sentences = self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(sentences), 0) FROM reports WHERE active = 1"
        ).fetchone()
        size = self.vectors_path.stat().st_size if self.generation else 0
        return {
            "index": str(self.folder),
            "format": meta["format"],
            "version": int(meta["version"]),
            "encoder": meta["encoder"],
            "encoder_fingerprint": meta["fingerprint"],
            "reports": reports,
            "sentences": sentences,
            "generation": int(meta["generation"]),
            "vectors_file": self.vectors_path.name if self.generation else None,
            "vectors_bytes": size,
        }

    def texts(self, ids: list[str]) -> dict[str, tuple[str, str]]:
        """(origin, text) of active reports by id."""
        out = {}
        for rid in ids:
            row = self.db.execute(
                "SELECT origin, text FROM reports WHERE id = ? AND active = 1", (rid,)
            ).fetchone()
            if row:
                out[rid] = (row[0], row[1])
        return out

    def active_ids(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT id FROM reports WHERE active = 1")}

    # -- adding --------------------------------------------------------------------------------

    def add(self, reports: Iterable[Report], *, replace: bool = False) -> dict:
        """Add reports (all or nothing). A report id already in the index is an error, or with
        `replace` supersedes the old report (its vectors are removed from the graph)."""
        Index = _usearch()

        reports = list(reports)
        seen: set[str] = set()
        for report in reports:
            if report.id in seen:
                raise InputError(f"report id {report.id!r} given twice", report.origin)
            seen.add(report.id)
        existing = self.active_ids() & seen
        if existing and not replace:
            first = sorted(existing)[0]
            origin = next(r.origin for r in reports if r.id == first)
            raise InputError(
                f"report id {first!r} is already in the index ({len(existing)} such); "
                "give --replace to supersede them",
                origin,
            )
        old_gen = self.generation
        index = Index(
            ndim=DIM,
            metric="ip",
            dtype="f16",
            connectivity=CONNECTIVITY,
            expansion_add=EXPANSION_ADD,
        )
        if old_gen:
            try:
                index.load(str(self.vectors_path))
            except Exception as exc:  # usearch raises RuntimeError/ValueError on bad files
                raise InputError(
                    f"damaged: cannot load {self.vectors_path.name} ({exc})", str(self.folder)
                ) from exc
        removed = 0
        for rid in sorted(existing):
            first_key, count = self.db.execute(
                "SELECT first_key, sentences FROM reports WHERE id = ? AND active = 1", (rid,)
            ).fetchone()
            if count:
                index.remove(np.arange(first_key, first_key + count, dtype=np.uint64))
            removed += 1
        next_key = int(self.meta()["next_key"])
        rows = []
        pending: list[np.ndarray] = []
        now = time.time()
        threads = os.cpu_count() or 1

        def flush(end_key: int) -> None:
            # added in chunks: the float32 input is never copied whole beside the graph
            if pending:
                block = np.concatenate(pending)
                keys = np.arange(end_key - len(block), end_key, dtype=np.uint64)
                index.add(keys, block, threads=threads)
                pending.clear()

        for report in reports:
            n = len(report.vectors)
            numbers = json.dumps(sorted(report.numbers))
            rows.append((report.id, report.origin, n, next_key, numbers, report.text, now))
            if n:
                pending.append(np.asarray(report.vectors, dtype=np.float32))
            next_key += n
            if sum(len(v) for v in pending) >= ADD_CHUNK:
                flush(next_key)
        flush(next_key)
        new_gen = old_gen + 1
        new_path = self.folder / f"vectors.{new_gen}.usearch"
        tmp = self.folder / f".vectors.{new_gen}.usearch.tmp"
        index.save(str(tmp))
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, new_path)
        try:
            with self.db:
                if existing:
                    self.db.executemany(
                        "UPDATE reports SET active = 0 WHERE id = ? AND active = 1",
                        [(rid,) for rid in existing],
                    )
                self.db.executemany(
                    "INSERT INTO reports (id, origin, sentences, first_key, numbers, text, added) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
                self.db.execute(
                    "UPDATE meta SET value = ? WHERE key = 'generation'", (str(new_gen),)
                )
                self.db.execute(
                    "UPDATE meta SET value = ? WHERE key = 'next_key'", (str(next_key),)
                )
        except BaseException:
            with contextlib.suppress(OSError):
                new_path.unlink()
            raise
        if old_gen:
            with contextlib.suppress(OSError):
                (self.folder / f"vectors.{old_gen}.usearch").unlink()
        self._view = None
        self._starts = None
        return {"added": len(rows), "replaced": removed, "sentences": sum(r[2] for r in rows)}

    # -- searching -----------------------------------------------------------------------------

    def _graph(self):
        if self._view is None:
            Index = _usearch()

            try:
                self._view = Index.restore(str(self.vectors_path), view=True)
            except Exception as exc:
                raise InputError(
                    f"damaged: cannot read {self.vectors_path.name} ({exc})", str(self.folder)
                ) from exc
            if self._view is None or self._view.ndim != DIM:
                raise InputError(
                    f"damaged: {self.vectors_path.name} is not a usearch index "
                    f"of {DIM}-dimensional vectors",
                    str(self.folder),
                )
        return self._view

    def _key_starts(self) -> tuple[np.ndarray, np.ndarray]:
        """first_key and row of every active report, sorted: 16 bytes a report, so mapping keys
        to reports never needs the vectors."""
        if self._starts is None:
            rows = self.db.execute(
                "SELECT first_key, row FROM reports WHERE active = 1 AND sentences > 0 "
                "ORDER BY first_key"
            ).fetchall()
            self._starts = np.array(rows, dtype=np.int64).reshape(-1, 2)
        return self._starts[:, 0], self._starts[:, 1]

    def size(self) -> int:
        return 0 if not self.generation else len(self._graph())

    def search(self, queries: np.ndarray, k: int) -> Hit:
        """The k nearest indexed sentences of each query vector (cosine)."""
        m = len(queries)
        if not self.generation or m == 0 or self.size() == 0:
            empty = np.full((m, 0), -1, dtype=np.int64)
            return Hit(np.zeros((m, 0), np.float32), empty, empty, [], [])
        graph = self._graph()
        k = min(k, len(graph))
        graph.expansion_search = max(EXPANSION_SEARCH, 4 * k)
        found = graph.search(
            np.asarray(queries, dtype=np.float32), k, exact=len(graph) < EXACT_BELOW
        )
        keys = np.asarray(found.keys, dtype=np.int64).reshape(m, -1)
        cos = (1.0 - np.asarray(found.distances, dtype=np.float32)).reshape(m, -1)
        if hasattr(found, "counts"):  # a batch of queries
            counts = np.asarray(found.counts).reshape(m)
        else:  # one query vector: usearch answers with a single Matches
            counts = np.array([len(found.keys)])
        valid = np.arange(keys.shape[1])[None, :] < counts[:, None]
        starts, rows = self._key_starts()
        pos = np.searchsorted(starts, keys, side="right") - 1
        pos = np.where(valid & (pos >= 0), pos, -1)
        hit_rows = np.where(pos >= 0, rows[np.maximum(pos, 0)], -1)
        unique = sorted({int(r) for r in hit_rows.ravel() if r >= 0})
        lookup: dict[int, tuple[str, int, str]] = {}
        for chunk in range(0, len(unique), 900):
            part = unique[chunk : chunk + 900]
            marks = ",".join("?" * len(part))
            for row, rid, first_key, numbers in self.db.execute(
                f"SELECT row, id, first_key, numbers FROM reports WHERE row IN ({marks})", part
            ):
                lookup[row] = (rid, first_key, numbers)
        order = {row: i for i, row in enumerate(unique)}
        report = np.vectorize(lambda r: order.get(int(r), -1), otypes=[np.int64])(hit_rows)
        firsts = np.array([lookup[r][1] for r in unique] or [0], dtype=np.int64)
        sentence = np.where(report >= 0, keys - firsts[np.maximum(report, 0)], -1)
        cos = np.where(report >= 0, cos, -1.0)
        return Hit(
            cos,
            report,
            sentence,
            [lookup[r][0] for r in unique],
            [set(json.loads(lookup[r][2])) for r in unique],
        )


def _usearch():
    try:
        from usearch.index import Index
    except ImportError as exc:
        raise XlingError("the report index needs usearch: pip install usearch==2.26.6") from exc
    return Index


def _connect(folder: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(str(folder / DB))
        db.execute("PRAGMA journal_mode = DELETE")
        db.execute("SELECT 1 FROM sqlite_master").fetchall()
    except sqlite3.DatabaseError as exc:
        raise InputError(f"damaged index ({DB}: {exc})", str(folder)) from exc
    return db
