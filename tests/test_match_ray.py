"""`xling index add --ray` on a real local Ray cluster (2 CPU slots, loopback only) with the
real e5-small encoder: the same index, and the same matches, as a local build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPORA, need, run_xling

from xling.models import store

ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'xling[ray]'")
pytestmark = [
    pytest.mark.models,
    pytest.mark.skipif(not store.is_built("e5-small"), reason="e5-small is not built"),
]
TIMEOUT = 300


@pytest.fixture(scope="module")
def cluster():
    from xling.distributed.cluster import ray_session

    with ray_session(None, num_cpus=2) as session:
        yield session.get_runtime_context().gcs_address


def test_ray_index_equals_local_index(cluster: str, tmp_path: Path) -> None:
    folder = need(CORPORA / "ntrex128")
    en = (folder / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    ar = (folder / "newstest2019-ref.arb.txt").read_text(encoding="utf-8").splitlines()
    (tmp_path / "en").mkdir()
    (tmp_path / "ar").mkdir()
    for i in range(6):
        body = "\n".join(en[i * 4 : (i + 1) * 4]) + "\n"
        (tmp_path / "en" / f"r{i}.txt").write_text(body, encoding="utf-8")
    (tmp_path / "ar" / "a.txt").write_text("\n".join(ar[8:12]) + "\n", encoding="utf-8")
    home = store.xling_home()
    local = run_xling(
        ["index", "add", str(tmp_path / "en"), "--index", str(tmp_path / "il")],
        home,
        timeout=TIMEOUT,
    )
    assert local.returncode == 0, local.err
    dist = run_xling(
        [
            "index",
            "add",
            str(tmp_path / "en"),
            "--index",
            str(tmp_path / "ir"),
            f"--ray={cluster}",
            "--shard-size",
            "2",
            "--workers",
            "2",
        ],
        home,
        timeout=TIMEOUT,
    )
    assert dist.returncode == 0, dist.err
    assert "2 Ray worker(s)" in dist.err
    infos = []
    for name in ("il", "ir"):
        proc = run_xling(["index", "info", "--index", str(tmp_path / name)], home)
        infos.append(json.loads(proc.out))
    for key in ("reports", "sentences", "encoder", "encoder_fingerprint", "generation"):
        assert infos[0][key] == infos[1][key], key
    results = []
    for name in ("il", "ir"):
        out = tmp_path / f"{name}.json"
        proc = run_xling(
            ["match", str(tmp_path / "ar"), "--index", str(tmp_path / name), "--json", str(out)],
            home,
            timeout=TIMEOUT,
        )
        assert proc.returncode == 0, proc.err
        results.append(json.loads(out.read_text(encoding="utf-8"))["matches"][0])
    assert results[0]["sources"][0]["en"] == results[1]["sources"][0]["en"] == "r2"
    for a, b in zip(results[0]["sources"], results[1]["sources"], strict=True):
        assert a["en"] == b["en"] and abs(a["score"] - b["score"]) < 2e-3
