"""`xling translate --ray` on a real local Ray cluster (loopback only), with the tiny random
Marian model: same files as a local run, resume, a worker killed mid-shard, the missing-extra
error. Ray is started with 2 CPU slots; every run is bounded in time and Ray is shut down."""

from __future__ import annotations

import ipaddress
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import CORPORA, need, run_xling

ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'xling[ray]'")

TIMEOUT = 240  # seconds for any one command; Ray start-up takes ~10 s on a busy 2-core box


def write_articles(folder: Path, count: int, lines: int) -> list[str]:
    """`count` articles of `lines` real Arabic news lines (NTREX), one paragraph per line."""
    ar = need(CORPORA / "ntrex128" / "newstest2019-ref.arb.txt").read_text(encoding="utf-8")
    ar = ar.splitlines()
    folder.mkdir(parents=True)
    stems = []
    for i in range(count):
        stem = f"art{i:02d}"
        body = "\n".join(ar[i * lines : (i + 1) * lines]) + "\n"
        (folder / f"{stem}.txt").write_text(body, encoding="utf-8")
        stems.append(stem)
    return stems


def outputs(folder: Path) -> dict[str, bytes]:
    """Every output file that counts (dot-files are temp files of interrupted writes)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def ray_processes() -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmd = proc.info["cmdline"] or []
        if proc.info["name"] in ("gcs_server", "raylet") or (cmd and cmd[0].startswith("ray::")):
            found.append(proc)
    return found


def test_ray_not_installed_is_a_one_line_error(tiny_home: Path, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("مرحبا.\n", encoding="utf-8")
    code = (
        "import sys; sys.modules['ray'] = None\n"  # what `import ray` does when it is absent
        "from xling.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    args = ["translate", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o"), "-m", "marian-tiny"]
    proc = subprocess.run(
        [sys.executable, "-c", code, *args, "--ray"],
        env={**os.environ, "XLING_HOME": str(tiny_home)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2  # a usage error: README "Exit codes"
    assert proc.stderr.strip().splitlines() == [
        "xling: --ray needs Ray, which is not installed: pip install 'xling[ray]'"
    ]
    assert not (tmp_path / "o").exists()


def test_private_instance_matches_local_run_and_leaves_nothing_running(
    tiny_home: Path, tmp_path: Path
) -> None:
    """`--ray` alone starts a private loopback Ray in the xling process and stops it."""
    before = {p.pid for p in ray_processes()}
    src = tmp_path / "in"
    write_articles(src, 5, 4)
    (src / "empty.txt").write_text("", encoding="utf-8")
    base = ["translate", str(src), "-m", "marian-tiny", "-o"]
    local = run_xling([*base, str(tmp_path / "local"), "--article-batches"], tiny_home)
    assert local.returncode == 0, local.err
    dist = run_xling([*base, str(tmp_path / "ray"), "--ray", "--workers", "2"], tiny_home)
    assert dist.returncode == 0, dist.err
    assert "6 article(s) translated, 0 already done" in dist.err
    assert "2 Ray worker(s) × 1 CPU" in dist.err
    assert "empty.txt: empty input" in dist.err
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")
    assert len(outputs(tmp_path / "ray")) == 12
    # the private instance is gone: no Ray process is left but those of other clusters
    # (which were running before, and whatever they started since)
    left = [p for p in ray_processes() if p.pid not in before and p.ppid() not in before]
    assert not left, [p.info["cmdline"][:1] for p in left]


@pytest.fixture(scope="module")
def cluster():
    """A real local Ray cluster (2 CPU slots, loopback only) that the CLI joins by address."""
    from xling.distributed.cluster import ray_session

    with ray_session(None, num_cpus=2) as session:
        yield session.get_runtime_context().gcs_address


def loopback(ip: str) -> bool:
    address = ipaddress.ip_address(ip)
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1 is IPv4 loopback
    return (mapped or address).is_loopback


def test_cluster_listens_on_loopback_only(cluster: str) -> None:
    assert cluster.startswith("127.0.0.1:")
    ours = psutil.Process().children(recursive=True)
    names = {p.name() for p in ours}
    assert {"gcs_server", "raylet"} <= names
    listening = [
        c.laddr.ip
        for p in ours
        for c in p.net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    ]
    assert listening and all(loopback(ip) for ip in listening), listening


def test_joined_cluster_output_matches_local_and_resumes(
    cluster: str, tiny_home: Path, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    stems = write_articles(src / "sub", 6, 3)
    base = ["translate", str(src), "-m", "marian-tiny", "-o"]
    local = run_xling([*base, str(tmp_path / "local"), "--article-batches"], tiny_home)
    assert local.returncode == 0, local.err
    ray_args = [*base, str(tmp_path / "ray"), f"--ray={cluster}", "--shard-size", "2"]
    first = run_xling(ray_args, tiny_home, timeout=TIMEOUT)
    assert first.returncode == 0, first.err
    assert "6 article(s) translated, 0 already done" in first.err
    got = outputs(tmp_path / "ray")
    assert got == outputs(tmp_path / "local")
    assert sorted(got) == sorted(f"sub/{s}{ext}" for s in stems for ext in (".en.txt", ".jsonl"))

    # resume: two articles lost (one only half: its .jsonl survives), four already done
    (tmp_path / "ray" / "sub" / "art01.en.txt").unlink()
    (tmp_path / "ray" / "sub" / "art04.en.txt").unlink()
    (tmp_path / "ray" / "sub" / "art04.jsonl").unlink()
    kept = (tmp_path / "ray" / "sub" / "art00.jsonl").stat().st_ino
    again = run_xling(ray_args, tiny_home, timeout=TIMEOUT)
    assert again.returncode == 0, again.err
    assert "2 article(s) translated, 4 already done" in again.err
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")
    assert (tmp_path / "ray" / "sub" / "art00.jsonl").stat().st_ino == kept  # not rewritten


def _kill_a_busy_worker(out: Path, run: subprocess.Popen, deadline: float) -> dict[str, int]:
    """Once an article is written, SIGKILL a worker that is inside a shard (process title
    `ray::TranslateWorker.run`); return the inodes of the outputs that existed at that moment."""
    while time.monotonic() < deadline and run.poll() is None:
        if any(out.rglob("*.en.txt")):
            for proc in ray_processes():
                if proc.info["cmdline"][0].startswith("ray::TranslateWorker.run"):
                    snapshot = {p.name: p.stat().st_ino for p in out.glob("[!.]*")}
                    os.kill(proc.pid, signal.SIGKILL)
                    return snapshot
        time.sleep(0.01)
    pytest.fail("no worker was ever seen inside a shard")


def test_killed_worker_loses_no_article_and_writes_none_twice(
    cluster: str, tiny_home: Path, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    stems = write_articles(src, 8, 12)
    out = tmp_path / "ray"
    out.mkdir()
    # what a worker killed mid-write leaves: a temp dot-file, which must not count as done
    (out / ".art07.en.txt.x1y2.tmp").write_text("half", encoding="utf-8")
    (out / ".art07.jsonl.x1y2.tmp").write_text('{"model": "marian-tiny"}\n', encoding="utf-8")
    args = [sys.executable, "-m", "xling", "translate", str(src), "-m", "marian-tiny", "-o"]
    run = subprocess.Popen(
        [*args, str(out), f"--ray={cluster}", "--workers", "2", "--shard-size", "4"],
        env={**os.environ, "XLING_HOME": str(tiny_home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        before_kill = _kill_a_busy_worker(out, run, time.monotonic() + TIMEOUT)
        _, err = run.communicate(timeout=TIMEOUT)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 0, err
    print(err)
    assert "8 article(s) translated, 0 already done" in err
    assert "1 worker(s) lost, 1 shard(s) retried" in err

    # every article exactly once: one complete pair of files each, identical to a local run
    local = run_xling(
        [*args[3:], str(tmp_path / "local"), "--article-batches"], tiny_home, timeout=TIMEOUT
    )
    assert local.returncode == 0, local.err
    assert outputs(out) == outputs(tmp_path / "local")
    names = sorted(f"{s}{ext}" for s in stems for ext in (".en.txt", ".jsonl"))
    assert sorted(outputs(out)) == names
    # nothing written twice: what the dead worker had finished was not redone by its successor
    assert before_kill, "the kill came before any output"
    after = {p.name: p.stat().st_ino for p in out.glob("[!.]*")}
    assert all(after[name] == inode for name, inode in before_kill.items())


def test_audit_on_the_cluster_gives_the_local_report(
    cluster: str, tiny_home: Path, tmp_path: Path
) -> None:
    folder = need(CORPORA / "ntrex128")
    ar = (folder / "newstest2019-ref.arb.txt").read_text(encoding="utf-8").splitlines()
    en = (folder / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    for side, lines in (("en", en), ("ar", ar)):
        (tmp_path / side).mkdir()
        for i in range(3):
            body = "\n".join(lines[i * 4 : (i + 1) * 4]) + "\n"
            (tmp_path / side / f"d{i}.txt").write_text(body, encoding="utf-8")
    base = ["audit", "--en-dir", str(tmp_path / "en"), "--ar-dir", str(tmp_path / "ar")]
    base += ["-m", "marian-tiny", "--no-encoder", "-q", "--json"]
    local = run_xling([*base, str(tmp_path / "local.json")], tiny_home, timeout=TIMEOUT)
    assert local.returncode == 0, local.err
    dist = run_xling(
        [*base, str(tmp_path / "ray.json"), f"--ray={cluster}", "--shard-size", "1"],
        tiny_home,
        timeout=TIMEOUT,
    )
    assert dist.returncode == 0, dist.err
    assert (tmp_path / "ray.json").read_bytes() == (tmp_path / "local.json").read_bytes()
    assert not (tmp_path / "ray.json.parts").exists()  # parts are removed once the report is
