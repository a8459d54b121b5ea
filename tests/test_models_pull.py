"""`xling models pull` end to end against a local imitation of the Hugging Face hub (HF_ENDPOINT):
a tiny random Marian / NLLB checkpoint made here is served, pulled (listing, download, checksums,
CTranslate2 conversion, store), then used by `xling translate`. Offline, tampered and mismatched
pulls fail with one line and the right exit code."""

from __future__ import annotations

import hashlib
import json
import re
import socket
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import run_xling
from hub_server import FakeHub
from marian_fixture import make_random_m2m100, make_random_marian

from xling.cli import main
from xling.errors import BuildError
from xling.models import store
from xling.models.hub_pull import check_manifest
from xling.models.info import ModelInfo
from xling.models.manifest import all_manifests

REPO_ID = "tiny-org/tiny-ar-en"
ARTICLE = "قال المتحدث إن 130 شخصا قتلوا في الهجوم.\nوأضاف أن التحقيق مستمر.\n"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {
        "marian": make_random_marian(tmp_path_factory.mktemp("marian")),
        "nllb": make_random_m2m100(tmp_path_factory.mktemp("nllb"), nllb=True),
    }


def write_manifest(folder: Path, checkpoint: Path, revision: str, **sha: str) -> Path:
    """A pull manifest for the served checkpoint: the weights pinned by sha256, the rest
    checked against the hub's record."""
    folder.mkdir(parents=True, exist_ok=True)
    spm = ["source.spm", "target.spm", "vocab.json"]
    if (checkpoint / "sentencepiece.bpe.model").is_file():
        spm = ["sentencepiece.bpe.model"]
    files = {
        "config.json": "",
        "model.safetensors": sha.get("weights", sha256(checkpoint / "model.safetensors")),
        "tokenizer_config.json": "",
        **{name: "" for name in spm},
    }
    table = ", ".join(f'"{k}" = "{v}"' for k, v in files.items())
    path = folder / "tiny.toml"
    path.write_text(
        'name = "tiny-pulled"\nkind = "translator"\ndescription = "test"\n'
        'licence = "CC-BY-4.0"\n\n[weights]\nformat = "hf-hub"\n'
        f'repo = "{REPO_ID}"\nrevision = "{revision}"\nfiles = {{ {table} }}\n'
        'optional = ["generation_config.json", "special_tokens_map.json", "tokenizer.json", '
        '"README.md"]\n',
        encoding="utf-8",
    )
    return path


def pull(monkeypatch, home: Path, manifests: Path, endpoint: str, *extra: str) -> int:
    """The CLI in-process (torch and transformers are already loaded by the fixture)."""
    monkeypatch.setenv("XLING_HOME", str(home))
    monkeypatch.setenv("XLING_MANIFESTS", str(manifests))
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    return main(["models", "pull", "tiny-pulled", *extra])


@pytest.mark.parametrize("family", ["marian", "nllb"])
def test_pull_converts_registers_and_translates(
    checkpoints: dict[str, Path], tmp_path: Path, monkeypatch, capsys, family: str
) -> None:
    checkpoint = checkpoints[family]
    home, manifests = tmp_path / "home", tmp_path / "manifests"
    with FakeHub({REPO_ID: checkpoint}) as hub:
        commit = hub.repos[REPO_ID].commit
        write_manifest(manifests, checkpoint, commit)
        assert pull(monkeypatch, home, manifests, hub.url) == 0
        folder = store.model_dir("tiny-pulled")
        info = ModelInfo.load(folder)
        assert info.kind == "translator" and info.licence == "CC-BY-4.0"
        assert info.source["type"] == "hf-hub" and info.source["revision"] == commit
        # every fetched file's sha256 is recorded, and they are the served files
        for name, digest in info.source["files"].items():
            assert digest == sha256(checkpoint / name), name
        assert "model.safetensors" in info.source["files"]
        if family == "nllb":
            assert (info.source_prefix, info.target_prefix) == (["arb_Arab"], ["eng_Latn"])
        assert store.verify(folder) == []
        assert not (home / "downloads" / f"tiny-pulled@{commit[:12]}").exists()

        # pulled again: nothing is fetched, the verified model stays
        before = len(hub.requests)
        assert pull(monkeypatch, home, manifests, hub.url) == 0
        assert hub.requests[before:] == []
        assert "already built and verified" in capsys.readouterr().err

    # listed as pulled, and `xling translate -m NAME` uses it (the hub is gone by now)
    listing = run_xling(["models", "list"], home)  # XLING_MANIFESTS is still set
    assert re.search(r"tiny-pulled.*translator.*yes.*pull", listing.out), listing.out
    source = tmp_path / "in" / "article.txt"
    source.parent.mkdir()
    source.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    proc = run_xling(["translate", str(source), "--out", str(out), "-m", "tiny-pulled"], home)
    assert proc.returncode == 0, proc.err
    records = [json.loads(x) for x in (tmp_path / "out" / "article.jsonl").read_text().splitlines()]
    assert [r["model"] for r in records] == ["tiny-pulled", "tiny-pulled"]
    assert all(isinstance(r["mt"], str) for r in records)


def test_pull_rejects_files_that_are_not_the_pinned_ones(
    checkpoints: dict[str, Path], tmp_path: Path, monkeypatch, capsys
) -> None:
    checkpoint = checkpoints["marian"]
    with FakeHub({REPO_ID: checkpoint}) as hub:
        commit = hub.repos[REPO_ID].commit
        # 1. the manifest pins other weights than the hub records: refused before downloading
        manifests = tmp_path / "m1"
        write_manifest(manifests, checkpoint, commit, weights="ab" * 32)
        assert pull(monkeypatch, tmp_path / "h1", manifests, hub.url) == 4
        err = capsys.readouterr().err
        assert "model.safetensors" in err and "expects abab" in err
        assert not [r for r in hub.requests if "/resolve/" in r]

        # 2. the server sends other bytes than its own listing records: caught after download
        weights = (checkpoint / "model.safetensors").read_bytes()
        hub.tamper[(REPO_ID, "model.safetensors")] = weights[:-1] + bytes([weights[-1] ^ 1])
        manifests = tmp_path / "m2"
        write_manifest(manifests, checkpoint, commit)
        assert pull(monkeypatch, tmp_path / "h2", manifests, hub.url) == 4
        err = capsys.readouterr().err
        assert "model.safetensors is not the pinned file" in err and "sha256" in err
        assert not store.is_built("tiny-pulled")

        # 3. a revision the hub does not have
        manifests = tmp_path / "m3"
        write_manifest(manifests, checkpoint, "0" * 40)
        assert pull(monkeypatch, tmp_path / "h3", manifests, hub.url) == 4
        assert "has no revision" in capsys.readouterr().err


def test_pull_offline_fails_in_one_line_with_the_model_exit_code(
    tmp_path: Path, monkeypatch
) -> None:
    with socket.socket() as sock:  # a port with nothing listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    proc = run_xling(["models", "pull", "opus-mt-tc-big-ar-en"], tmp_path)
    assert proc.returncode == 3
    lines = proc.err.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the Hugging Face hub" in lines[0], proc.err
    assert not (tmp_path / "models" / "opus-mt-tc-big-ar-en").exists()
    # a registry-built model is not pulled
    proc = run_xling(["models", "pull", "fast"], tmp_path)
    assert proc.returncode == 2 and "xling models build gemma3-270m" in proc.err


def test_pull_manifests_pin_a_commit_and_name_their_files() -> None:
    pulls = {n: m for n, m in all_manifests().items() if m.weights.format == "hf-hub"}
    assert {"opus-mt-tc-big-ar-en", "nllb-200-distilled-600m", "nllb-200-1.3b"} <= set(pulls)
    for manifest in pulls.values():
        check_manifest(manifest)  # a 40-hex commit, sha256s well formed
        assert "config.json" in manifest.weights.files
        assert any(f.endswith((".bin", ".safetensors")) for f in manifest.weights.files)
    nllb = pulls["nllb-200-1.3b"]
    on_a_branch = replace(nllb, weights=replace(nllb.weights, revision="main"))
    with pytest.raises(BuildError, match="40-hex commit"):
        check_manifest(on_a_branch)
