"""`xling translate` through the real command line, with a real (tiny, random-weight) Marian
model converted by CTranslate2. Its English is noise: these tests check the contract (files,
records, layout, resume, atomicity, errors), not translation quality (see test_models.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_xling

ARTICLE = (
    "قال المتحدث باسم الشرطة إن 130 شخصا قتلوا. وأصيب ١٨٠ آخرون؟\n"
    "وأضاف: «لن نتراجع». وقع الهجوم في عام 2024.\n"
)


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_folder_translation_writes_the_contract_files(tiny_home: Path, tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "one.ar.txt").write_text(ARTICLE, encoding="utf-8")
    (src / "sub" / "two.txt").write_text(
        "فقرة أولى.\n\nفقرة ثانية. وجملة أخرى.\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    proc = run_xling(["translate", str(src), "--out", str(out), "-m", "marian-tiny"], tiny_home)
    assert proc.returncode == 0, proc.err
    assert "2 article(s) translated" in proc.err

    one = records(out / "one.jsonl")
    assert [(r["doc"], r["para"], r["sent"]) for r in one] == [
        ("one", 0, 0),
        ("one", 0, 1),
        ("one", 1, 2),
        ("one", 1, 3),
    ]
    assert [r["src"] for r in one] == [
        "قال المتحدث باسم الشرطة إن 130 شخصا قتلوا.",
        "وأصيب ١٨٠ آخرون؟",
        "وأضاف: «لن نتراجع».",
        "وقع الهجوم في عام 2024.",
    ]
    assert all(r["model"] == "marian-tiny" and isinstance(r["mt"], str) for r in one)
    assert all(isinstance(r["numbers_ok"], bool) for r in one)
    # line-per-paragraph in, line-per-paragraph out; each line = its sentences' translations
    lines = (out / "one.en.txt").read_text(encoding="utf-8").split("\n")
    assert lines[:2] == [" ".join(r["mt"] for r in one[:2]), " ".join(r["mt"] for r in one[2:])]
    # blank-line blocks in, blank-line blocks out
    two = (out / "sub" / "two.en.txt").read_text(encoding="utf-8")
    assert two.count("\n\n") == 1 and two.endswith("\n")
    assert [r["para"] for r in records(out / "sub" / "two.jsonl")] == [0, 1, 1]


def test_resume_skips_done_articles_and_force_redoes(tiny_home: Path, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    args = ["translate", str(src), "--out", str(out), "-m", "marian-tiny"]
    assert run_xling(args, tiny_home).returncode == 0
    first = (out / "a.jsonl").stat().st_mtime_ns
    again = run_xling(args, tiny_home)
    assert "0 article(s) translated, 1 already done" in again.err
    assert (out / "a.jsonl").stat().st_mtime_ns == first
    forced = run_xling([*args, "--force"], tiny_home)
    assert "1 article(s) translated, 0 already done" in forced.err
    # a .jsonl without its .en.txt (killed between the two renames) is not done
    (out / "a.en.txt").unlink()
    assert "1 article(s) translated" in run_xling(args, tiny_home).err


def test_jsonl_and_stdin_inputs(tiny_home: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        "\n".join(json.dumps({"id": i, "text": ARTICLE}, ensure_ascii=False) for i in (7, "x-8"))
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    proc = run_xling(["translate", str(batch), "-o", str(out), "-m", "marian-tiny"], tiny_home)
    assert proc.returncode == 0, proc.err
    assert sorted(p.name for p in out.iterdir()) == [
        "7.en.txt",
        "7.jsonl",
        "x-8.en.txt",
        "x-8.jsonl",
    ]
    assert records(out / "7.jsonl")[0]["doc"] == "7"

    piped = run_xling(["translate", "-", "-m", "marian-tiny", "-q"], tiny_home, stdin=ARTICLE)
    assert piped.returncode == 0, piped.err
    assert piped.out == (out / "7.en.txt").read_text(encoding="utf-8")
    assert piped.err == ""


def test_bad_input_gives_clear_errors(tiny_home: Path, tmp_path: Path) -> None:
    out = ["--out", str(tmp_path / "out"), "-m", "marian-tiny"]
    bad = tmp_path / "cp.txt"
    bad.write_bytes("سطر\nقال المتحدث".encode("cp1256"))
    proc = run_xling(["translate", str(bad), *out], tiny_home)
    assert proc.returncode == 5
    assert f"{bad}:1: not UTF-8" in proc.err and "--encoding cp1256" in proc.err
    assert "Traceback" not in proc.err
    ok = run_xling(["translate", str(bad), *out, "--encoding", "cp1256"], tiny_home)
    assert ok.returncode == 0, ok.err

    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes(ARTICLE.encode("utf-16"))
    assert run_xling(["translate", str(utf16), *out], tiny_home).returncode == 0
    assert records(tmp_path / "out" / "u16.jsonl")[0]["src"].startswith("قال المتحدث")

    empty = tmp_path / "empty.txt"
    empty.write_text("\n \n", encoding="utf-8")
    proc = run_xling(["translate", str(empty), *out], tiny_home)
    assert proc.returncode == 0 and "empty input" in proc.err
    assert (tmp_path / "out" / "empty.en.txt").read_text() == ""

    broken = tmp_path / "b.jsonl"
    broken.write_text('{"id": 1, "text": "نص"}\n{"id": 2, "text": \n', encoding="utf-8")
    proc = run_xling(["translate", str(broken), *out], tiny_home)
    assert proc.returncode == 5 and f"{broken}:2: malformed JSON" in proc.err
    assert not (tmp_path / "out" / "1.en.txt").exists()  # checked before any work

    proc = run_xling(["translate", str(empty), *out[:2], "-m", "no-such-model"], tiny_home)
    assert proc.returncode == 3
    assert "unknown model 'no-such-model'" in proc.err  # never "models build no-such-model"

    proc = run_xling(["translate", str(tmp_path / "missing.txt"), *out], tiny_home)
    assert proc.returncode == 5 and "no such file" in proc.err

    # a compute type this device cannot run is not a damaged model (no "rebuild it")
    proc = run_xling(["translate", str(empty), *out, "--compute-type", "bogus"], tiny_home)
    assert proc.returncode == 3 and "--compute-type bogus" in proc.err
    assert "damaged" not in proc.err and "Traceback" not in proc.err


def test_too_long_sentences_are_split_not_truncated(tiny_home: Path, tmp_path: Path) -> None:
    # A copy of the model whose limit is 24 tokens: a long sentence must be split at clause
    # boundaries, translated in pieces, and flagged, never cut.
    import shutil

    home = tmp_path / "home"
    shutil.copytree(tiny_home / "models" / "marian-tiny", home / "models" / "marian-short")
    info_path = home / "models" / "marian-short" / "xling-model.json"
    info = json.loads(info_path.read_text())
    info.update(name="marian-short", max_input_tokens=24)
    info_path.write_text(json.dumps(info))
    clause = "وقال المسؤول إن القوات وصلت إلى المدينة صباح الأحد"
    long_sentence = "، ".join([clause] * 6) + "."
    src = tmp_path / "long.txt"
    src.write_text(long_sentence + "\nجملة قصيرة.\n", encoding="utf-8")
    proc = run_xling(
        ["translate", str(src), "-o", str(tmp_path / "out"), "-m", "marian-short"], home
    )
    assert proc.returncode == 0, proc.err
    recs = records(tmp_path / "out" / "long.jsonl")
    assert recs[0]["src"] == long_sentence  # the record keeps the whole source sentence
    assert recs[0].get("split") is True
    # only the long sentence is over the input limit; the short one is split only if the
    # random model's output ran away to the length limit, and the summary says which it was
    assert "1 split as too long" in proc.err
    resplit = "split" in recs[1]
    assert (f"{int(resplit)} re-done in halves after a runaway output") in proc.err


def test_kill_9_never_leaves_a_half_article_that_counts_as_done(
    tiny_home: Path, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(60):
        (src / f"a{i:02d}.txt").write_text(ARTICLE * 3, encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "XLING_HOME": str(tiny_home)}
    cmd = [
        sys.executable,
        "-m",
        "xling",
        "translate",
        str(src),
        "-o",
        str(out),
        "-m",
        "marian-tiny",
        "--batch-tokens",
        "64",
    ]
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.glob("*.en.txt"))) < 2:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = sorted(out.glob("*.en.txt"))
    if len(done) == 60:
        pytest.skip("the run finished before it could be killed")
    for text in done:  # every article that looks done is whole
        recs = records(text.with_name(text.name.replace(".en.txt", ".jsonl")))
        assert len(recs) == 12
    rerun = run_xling(cmd[3:], tiny_home)
    assert rerun.returncode == 0, rerun.err
    assert f"{60 - len(done)} article(s) translated, {len(done)} already done" in rerun.err
    assert len(list(out.glob("*.en.txt"))) == 60
    # a write cut by kill -9 leaves at most a hidden temp file, never a file that looks done
    assert all(p.name.endswith(".tmp") for p in out.iterdir() if p.name.startswith("."))
