"""The audit's machine translation is the same locally and on a Ray worker (per document)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPORA, need, run_xling


def test_local_audit_translates_like_a_ray_worker(tmp_path: Path) -> None:
    # A real default model (`fast`): int8 output depends on what else is in the batch, so a
    # local audit that batched all documents together gave another report than the workers.
    from xling.audit.inputs import doc_pairs
    from xling.distributed.audit_job import AuditJob, AuditWorker
    from xling.models import store

    if not store.is_built("gemma3-270m"):
        pytest.skip("the fast model is not built (xling models build fast)")
    folder = store.model_dir("gemma3-270m")
    ntrex = need(CORPORA / "ntrex128")
    ar = (ntrex / "newstest2019-ref.arb.txt").read_text(encoding="utf-8").splitlines()
    en = (ntrex / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    for side, lines in (("en", en), ("ar", ar)):
        (tmp_path / side).mkdir()
        for i, (start, stop) in enumerate(((0, 3), (3, 4))):  # documents of unequal length
            body = "\n".join(lines[start:stop]) + "\n"
            (tmp_path / side / f"d{i}.txt").write_text(body, encoding="utf-8")
    local = run_xling(
        ["audit", "--en-dir", str(tmp_path / "en"), "--ar-dir", str(tmp_path / "ar")]
        + ["-m", "fast", "--no-encoder", "-q", "--json", str(tmp_path / "local.json")],
        store.xling_home(),
        timeout=600,
    )
    assert local.returncode == 0, local.err
    documents = json.loads((tmp_path / "local.json").read_text(encoding="utf-8"))["documents"]

    # What each Ray worker runs for its documents (xling audit --ray), in this process.
    job = AuditJob(
        parts=str(tmp_path / "parts"),
        mt=None,
        no_mt=False,
        model_folder=str(folder),
        model="fast",
        encoder=None,
        encoding=None,
    )
    (tmp_path / "parts").mkdir()
    pairs, _ = doc_pairs([], tmp_path / "en", tmp_path / "ar")
    outcomes = list(AuditWorker(job).run(pairs))
    assert [o.status for o in outcomes] == ["done", "done"]
    from xling.audit.severity import apply_severity

    for pair, document in zip(pairs, documents, strict=True):
        part = json.loads((tmp_path / "parts" / f"{pair.id}.json").read_text(encoding="utf-8"))
        # The report adds each finding's severity (build_report, on the driver for Ray).
        graded = {"documents": [part["document"]], "corpus": {}}
        apply_severity(graded)
        assert graded["documents"][0] == document
