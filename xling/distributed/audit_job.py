"""`xling audit --ray`: document pairs sharded over workers that each load the encoder (and the
translation model, when the audit translates) once.

Each worker writes one part per document (`<report>.parts/<id>.json`, atomically): the
document's report entry and its MT segments. A re-run skips documents whose part exists; when
every part is there the driver builds the report exactly as a local run does, then removes
the parts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from xling.distributed.shards import Outcome
from xling.io.atomic import atomic_write_text


@dataclass(frozen=True)
class AuditJob:
    parts: str  # folder for the per-document parts (shared by all nodes)
    mt: str | None  # --mt path
    no_mt: bool
    model_folder: str | None  # translate with this model when there is no --mt
    model: str
    encoder: str | None
    encoding: str | None


@dataclass
class _Part:
    """What build_report needs from a DocumentAudit, read back from its part file."""

    document: dict
    segments: tuple[list[str], list[str]]

    def to_json(self) -> dict:
        return self.document


def _part_path(parts: str, pair_id: str) -> Path:
    return Path(parts) / f"{pair_id}.json"


class AuditWorker:
    def __init__(self, job: AuditJob):
        self.job = job
        self.embedder = None
        if job.encoder:
            from xling.align.sentences import default_embedder

            self.embedder = default_embedder(job.encoder)
        self.translator = None
        if job.model_folder:
            from xling.translate.batch import BatchTranslator
            from xling.translate.engine import load_engine

            self.translator = BatchTranslator(load_engine(job.model_folder))

    def ready(self) -> dict:
        return {"pid": os.getpid(), "host": socket.gethostname(), "encoder": bool(self.embedder)}

    def _mt(self, pair, ar_text: str):
        from xling.audit.inputs import read_mt
        from xling.audit.run import translate_mt

        if self.job.mt is not None:
            return read_mt(Path(self.job.mt), pair, ar_text, self.job.encoding)
        if self.translator is None:
            return None
        # the same per-document translation as a local audit (translate_mt)
        translator = self.translator
        return translate_mt(
            lambda texts: [r.text for r in translator.translate(texts)],
            ar_text,
            f"model:{self.job.model}",
        )

    def run(self, pairs: list) -> Iterator[Outcome]:
        from xling.audit.run import audit_document
        from xling.io.articles import read_text

        for pair in pairs:
            path = _part_path(self.job.parts, pair.id)
            if path.is_file():
                yield Outcome(pair.id, "skipped")
                continue
            en_text = read_text(pair.en, self.job.encoding)
            ar_text = read_text(pair.ar, self.job.encoding)
            more = [read_text(p, self.job.encoding) for p in pair.more_en]
            audit = audit_document(
                pair.id,
                en_text,
                ar_text,
                mt=self._mt(pair, ar_text),
                embedder=self.embedder,
                files=pair.files(),
                more_en=more or None,
                names=[str(pair.en), *map(str, pair.more_en)] if more else None,
            )
            part = {"document": audit.to_json(), "segments": list(audit.segments)}
            atomic_write_text(path, json.dumps(part, ensure_ascii=False) + "\n")
            yield Outcome(pair.id, "done")


def _load_part(parts: str, pair_id: str) -> _Part:
    data = json.loads(_part_path(parts, pair_id).read_text(encoding="utf-8"))
    return _Part(data["document"], (data["segments"][0], data["segments"][1]))


def run_audit_on_ray(args: argparse.Namespace, finish: Callable[[dict], int]) -> int:
    """`xling audit ... --ray [ADDRESS]`: the same report as a local audit, handed to `finish`
    (the local command's writer and --fail-under gate) before the parts are removed."""
    from xling.audit.inputs import doc_pairs, unpaired_warnings
    from xling.audit.run import check_fail_under
    from xling.distributed.cluster import import_ray, ray_session
    from xling.distributed.plan import (
        check_ray_args,
        local_cpus,
        plan_workers,
        remote_class,
        shard_size,
        worker_env,
    )
    from xling.distributed.shards import make_shards, run_pool
    from xling.models import store
    from xling.models.names import resolve_alias
    from xling.report.progress import ArticleProgress

    check_ray_args(args)
    check_fail_under(args.fail_under)
    from xling.audit.severity import parse_ignore

    parse_ignore(args.ignore)  # an unknown check fails before Ray starts
    import_ray()
    pairs, unpaired = doc_pairs(args.files, args.en_dir, args.ar_dir)
    for line in unpaired_warnings(unpaired, args.en_dir, args.ar_dir):
        sys.stderr.write(f"xling: warning: {line}\n")
    translate = args.mt is None and not args.no_mt
    model = resolve_alias(args.model)
    folder = str(store.resolve(model).resolve()) if translate else None
    mt_origin = f"model:{args.model}" if translate else None
    if args.mt is not None:
        mt_origin = str(args.mt)
    keep = args.json_out is not None  # parts beside the report let an interrupted run resume
    parts = str(args.json_out) + ".parts" if keep else tempfile.mkdtemp(prefix="xling-audit-")
    job = AuditJob(
        parts=str(Path(parts).resolve()),
        mt=str(Path(args.mt).resolve()) if args.mt is not None else None,
        no_mt=args.no_mt,
        model_folder=folder,
        model=args.model,
        encoder=None if args.no_encoder else args.encoder,
        encoding=args.encoding,
    )
    Path(job.parts).mkdir(parents=True, exist_ok=True)
    show = not args.quiet and sys.stderr.isatty()
    progress = ArticleProgress("auditing", len(pairs), enabled=show)
    address = None if args.ray == "local" else args.ray
    started = time.perf_counter()
    with progress, ray_session(address, local_cpus(args)) as ray:
        plan = plan_workers(args, ray.cluster_resources())
        actor_cls = remote_class(ray, AuditWorker, plan, worker_env())
        report = run_pool(
            ray,
            lambda: actor_cls.remote(job),
            plan.workers,
            make_shards(pairs, shard_size(args, len(pairs), plan.workers)),
            lambda pair: pair.id,
            lambda outcome: progress.advance(worked=outcome.status == "done"),
            on_ready=lambda ws: progress.workers_ready(len(ws)),
        )
    encoder = args.encoder if report.workers and report.workers[0]["encoder"] else None
    if encoder is None and not args.no_encoder:
        sys.stderr.write(
            f"xling: warning: encoder {args.encoder!r} is not built on the workers; aligned "
            "without it, quote similarity left empty\n"
        )
    from xling.audit.run import build_report, settings
    from xling.audit.severity import parse_ignore

    audit = build_report(
        [_load_part(job.parts, p.id) for p in pairs],
        settings(mt_origin, encoder, parse_ignore(args.ignore)),
        unpaired,
    )
    code = finish(audit)
    shutil.rmtree(job.parts, ignore_errors=True)
    if not args.quiet:
        sys.stderr.write(
            f"xling: {len(pairs)} document(s) audited in {time.perf_counter() - started:.1f} s "
            f"on {plan.describe()}; {report.lost_workers} worker(s) lost, {report.retried} "
            "shard(s) retried\n"
        )
    return code
