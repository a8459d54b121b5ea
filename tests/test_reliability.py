"""Issue 9, reliability: no translation silently lost or garbled; every failure one clear line
with the documented exit code. Each test failed before its fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_xling

from xling.errors import InputError
from xling.io.articles import iter_articles

AR = "قال المتحدث إن 130 شخصا قتلوا. وأصيب آخرون."


def tiny(out: Path) -> list[str]:
    return ["--out", str(out), "-m", "marian-tiny", "-q"]


# -- 1. one output never overwrites another ---------------------------------------------------
def test_txt_and_jsonl_id_with_one_stem_collide_up_front(tmp_path: Path) -> None:
    (tmp_path / "p1").mkdir()
    (tmp_path / "p1" / "story.txt").write_text("شكرا\n", encoding="utf-8")
    jsonl = tmp_path / "s.jsonl"
    jsonl.write_text('{"id": "story", "text": "مرحبا"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="same output"):
        iter_articles([str(tmp_path / "p1" / "story.txt"), str(jsonl)])
    other = tmp_path / "t.jsonl"
    other.write_text('{"id": "story", "text": "نص"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="same output") as err:
        iter_articles([str(jsonl), str(other)])
    assert f"{other}:1" in str(err.value) and f"{jsonl}:1" in str(err.value)


def test_collision_is_refused_by_the_cli_before_any_work(tiny_home: Path, tmp_path: Path) -> None:
    (tmp_path / "p1").mkdir()
    (tmp_path / "p1" / "story.txt").write_text("شكرا\n", encoding="utf-8")
    jsonl = tmp_path / "s.jsonl"
    jsonl.write_text('{"id": "story", "text": "مرحبا"}\n', encoding="utf-8")
    out = tmp_path / "o"
    proc = run_xling(
        ["translate", str(tmp_path / "p1" / "story.txt"), str(jsonl), *tiny(out)], tiny_home
    )
    assert proc.returncode != 0 and "same output" in proc.err
    assert len(proc.err.strip().splitlines()) == 1 and "Traceback" not in proc.err
    assert not out.exists() or not any(out.iterdir())


# -- 2. --encoding never garbles the UTF-8 files of the same run ------------------------------
def test_encoding_applies_only_to_files_that_are_not_utf8(tmp_path: Path) -> None:
    from xling.io.decode import decode_bytes

    assert decode_bytes(AR.encode("utf-8"), "u.txt", "cp1256") == AR
    assert decode_bytes(b"\xef\xbb\xbf" + AR.encode("utf-8"), "u.txt", "cp1256") == AR
    windows = "قال المتحدث إن 130 شخصا قتلوا."
    assert decode_bytes(windows.encode("cp1256"), "w.txt", "cp1256") == windows
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.txt").write_bytes(AR.encode("utf-8"))
    (folder / "b.txt").write_bytes(windows.encode("cp1256"))
    articles, _ = iter_articles([str(folder)], "cp1256")
    assert [a.doc.paragraphs for a in articles] == [[AR], [windows]]


def test_audit_keeps_utf8_with_encoding_cp1256(tmp_path: Path) -> None:
    from xling.audit.inputs import read_text

    path = tmp_path / "a.ar.txt"
    path.write_bytes(AR.encode("utf-8"))
    assert read_text(path, "cp1256") == AR


# -- 3. UTF-16 without a BOM, NUL bytes ---------------------------------------------------------
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [AR, "مرحبا\n", "plain ascii text"])
def test_utf16_without_bom_is_detected(codec: str, text: str) -> None:
    from xling.io.decode import decode_bytes

    assert decode_bytes(text.encode(codec), "x.txt") == text
    assert decode_bytes(text.encode(codec), "x.txt", "cp1256") == text


def test_nul_bytes_are_an_error_naming_file_and_line() -> None:
    from xling.io.decode import decode_bytes

    data = (AR + "\nسطر\x00ثان\n").encode("utf-8")
    with pytest.raises(InputError, match="NUL") as err:
        decode_bytes(data, "n.txt")
    assert str(err.value).startswith("n.txt:2: ")
    with pytest.raises(InputError, match="NUL"):
        decode_bytes(b"\x00" * 64, "zeros.bin")


def test_utf16_without_bom_translates_through_the_cli(tiny_home: Path, tmp_path: Path) -> None:
    src = tmp_path / "u16.txt"
    src.write_bytes(AR.encode("utf-16-le"))
    out = tmp_path / "o"
    proc = run_xling(["translate", str(src), *tiny(out)], tiny_home)
    assert proc.returncode == 0, proc.err
    records = (out / "u16.jsonl").read_text(encoding="utf-8")
    assert "\\u0000" not in records and "\x00" not in records
    assert " ".join(json.loads(line)["src"] for line in records.splitlines()) == AR


# -- 4. output errors: checked before any work, one line naming the path ----------------------
def one_line(proc) -> str:
    lines = proc.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.err, proc.err
    return lines[0]


def test_unwritable_out_fails_before_the_model_loads(tiny_home: Path, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(AR, encoding="utf-8")
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    for out in (a_file, Path("/proc/xling-out"), a_file / "sub"):
        # the model does not exist: the output is checked first, so that is what is reported
        proc = run_xling(["translate", str(src), "--out", str(out), "-m", "no-such"], tiny_home)
        line = one_line(proc)
        assert proc.returncode == 6 and str(out) in line, line


def test_ids_too_long_for_a_file_name_are_refused_up_front(tmp_path: Path) -> None:
    jsonl = tmp_path / "s.jsonl"
    rows = [{"id": "a", "text": AR}, {"id": "x" * 240, "text": AR}, {"id": "b", "text": AR}]
    jsonl.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="too long") as err:
        iter_articles([str(jsonl)])
    assert str(err.value).startswith(f"{jsonl}:2: ")


def test_write_errors_name_the_path(tmp_path: Path) -> None:
    from xling.errors import OutputError
    from xling.io.atomic import atomic_write_text

    (tmp_path / "dir").mkdir()
    with pytest.raises(OutputError, match="cannot write") as err:
        atomic_write_text(tmp_path / "dir", "x")
    assert str(tmp_path / "dir") in str(err.value)


def test_audit_and_align_check_their_outputs_first(tiny_home: Path, tmp_path: Path) -> None:
    en, ar = tmp_path / "a.en.txt", tmp_path / "a.ar.txt"
    en.write_text("He said 130 people died.\n", encoding="utf-8")
    ar.write_text(AR + "\n", encoding="utf-8")
    proc = run_xling(
        ["audit", str(en), str(ar), "--no-mt", "--no-encoder", "--json", "/proc/x"], tiny_home
    )
    assert proc.returncode == 6 and "/proc/x" in one_line(proc)
    proc = run_xling(
        ["align", str(en), str(ar), "--signals", "numbers,length", "--json", str(tmp_path)],
        tiny_home,
    )
    assert proc.returncode == 6 and str(tmp_path) in one_line(proc)


# -- 6. resume redoes what is not a complete, valid output ------------------------------------
def test_damaged_outputs_are_redone_not_crashed_on(tiny_home: Path, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a", "b", "c", "d"):
        (src / f"{name}.txt").write_text(AR + "\n", encoding="utf-8")
    out = tmp_path / "o"
    args = ["translate", str(src), *tiny(out)]
    assert run_xling(args, tiny_home).returncode == 0
    good = (out / "a.jsonl").read_text(encoding="utf-8")
    (out / "a.jsonl").write_text("not json\n", encoding="utf-8")  # first line not JSON
    (out / "b.jsonl").write_text("", encoding="utf-8")  # 0 bytes for a non-empty article
    (out / "c.jsonl").write_text(good.splitlines()[0] + "\n", encoding="utf-8")  # cut short
    (out / "d.en.txt").write_text("", encoding="utf-8")  # text cut
    stale = out / ".a.jsonl.k2j4h5gf.tmp"  # left by kill -9 between write and rename
    stale.write_text('{"half', encoding="utf-8")
    proc = run_xling(["translate", str(src), "--out", str(out), "-m", "marian-tiny"], tiny_home)
    assert proc.returncode == 0, proc.err
    assert "4 article(s) translated, 0 already done" in proc.err
    for name in ("a", "b", "c", "d"):
        assert (out / f"{name}.jsonl").read_text(encoding="utf-8") == good.replace(
            '"doc": "a"', f'"doc": "{name}"'
        )
    assert not stale.exists()
    again = run_xling(["translate", str(src), "--out", str(out), "-m", "marian-tiny"], tiny_home)
    assert "0 article(s) translated, 4 already done" in again.err


def test_empty_article_with_empty_outputs_is_done(tiny_home: Path, tmp_path: Path) -> None:
    src = tmp_path / "e.txt"
    src.write_text("\n", encoding="utf-8")
    out = tmp_path / "o"
    args = ["translate", str(src), "--out", str(out), "-m", "marian-tiny"]
    assert run_xling(args, tiny_home).returncode == 0
    assert "1 already done" in run_xling(args, tiny_home).err


# -- 5. a damaged model: cheap checks at load, full checksums in `models verify` -------------
@pytest.fixture()
def damaged_home(tiny_home: Path, tmp_path: Path) -> Path:
    import shutil

    home = tmp_path / "home"
    shutil.copytree(tiny_home / "models" / "marian-tiny", home / "models" / "marian-tiny")
    return home


def translate_one(home: Path, tmp_path: Path):
    src = tmp_path / "a.txt"
    src.write_text(AR + "\n", encoding="utf-8")
    return run_xling(["translate", str(src), *tiny(tmp_path / "o")], home)


def test_truncated_model_bin_is_exit_3_in_one_line(damaged_home: Path, tmp_path: Path) -> None:
    model_bin = damaged_home / "models" / "marian-tiny" / "model.bin"
    data = model_bin.read_bytes()
    model_bin.write_bytes(data[: len(data) // 2])
    proc = translate_one(damaged_home, tmp_path)
    line = one_line(proc)
    assert proc.returncode == 3 and "model.bin" in line and "models verify" in line, line


def test_missing_tokenizer_file_is_exit_3_in_one_line(damaged_home: Path, tmp_path: Path) -> None:
    folder = damaged_home / "models" / "marian-tiny"
    info = json.loads((folder / "xling-model.json").read_text(encoding="utf-8"))
    (folder / info["tokenizer"]["source"]).unlink()
    proc = translate_one(damaged_home, tmp_path)
    line = one_line(proc)
    assert proc.returncode == 3 and info["tokenizer"]["source"] in line, line


def test_bit_flip_is_found_by_models_verify(damaged_home: Path, tmp_path: Path) -> None:
    assert run_xling(["models", "verify", "marian-tiny"], damaged_home).returncode == 0
    model_bin = damaged_home / "models" / "marian-tiny" / "model.bin"
    data = bytearray(model_bin.read_bytes())
    data[len(data) // 2] ^= 0x01
    model_bin.write_bytes(bytes(data))
    proc = run_xling(["models", "verify", "marian-tiny"], damaged_home)
    assert proc.returncode == 3 and "FAILED" in proc.out and "model.bin" in proc.out


# -- 7. audit: documents without a partner are in the report and fail the gate ---------------
def test_unpaired_documents_are_reported_and_fail_the_gate(tiny_home: Path, tmp_path: Path) -> None:
    en, ar = tmp_path / "en", tmp_path / "ar"
    en.mkdir()
    ar.mkdir()
    (en / "a.txt").write_text("He said 130 people died.\n", encoding="utf-8")
    (ar / "a.ar.txt").write_text("قال إن 130 شخصا قتلوا.\n", encoding="utf-8")
    (en / "b.txt").write_text("Only English, 5 people.\n", encoding="utf-8")
    (ar / "c.txt").write_text("عربي فقط.\n", encoding="utf-8")
    report, html = tmp_path / "r.json", tmp_path / "r.html"
    args = ["audit", "--en-dir", str(en), "--ar-dir", str(ar), "--no-mt", "--no-encoder", "-q"]
    args += ["--json", str(report), "--html", str(html)]
    proc = run_xling([*args, "--fail-under", "0"], tiny_home)
    assert proc.returncode == 1, proc.err
    assert "2 document(s) without a partner" in proc.err
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [(u["id"], u["language"]) for u in data["unpaired"]] == [("b", "en"), ("c", "ar")]
    assert data["corpus"]["documents_unpaired"] == 2
    page = html.read_text(encoding="utf-8")
    assert str(en / "b.txt") in page and str(ar / "c.txt") in page
    import jsonschema

    schema = json.loads((Path(__file__).parents[1] / "docs" / "audit.schema.json").read_text())
    jsonschema.validate(data, schema)


# -- 8. --out equal to the input folder -------------------------------------------------------
def test_out_equal_to_input_folder_skips_xlings_outputs(tiny_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(AR + "\n", encoding="utf-8")
    args = ["translate", str(folder), "--out", str(folder), "-m", "marian-tiny"]
    assert run_xling(args, tiny_home).returncode == 0
    again = run_xling(args, tiny_home)
    assert again.returncode == 0 and "0 article(s) translated, 1 already done" in again.err
    assert sorted(p.name for p in folder.iterdir()) == ["a.en.txt", "a.jsonl", "a.txt"]


def test_an_output_that_would_overwrite_an_input_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.en.txt").write_text("The English original.\n", encoding="utf-8")
    (folder / "story.ar.txt").write_text(AR + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="overwrite") as err:
        iter_articles([str(folder)], out_dir=folder)
    assert str(folder / "story.ar.txt") in str(err.value)


# -- 10. one exit-code convention everywhere (README "Exit codes") ---------------------------
def test_exit_codes_follow_the_readme(tiny_home: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    from xling.errors import BuildError, ModelError, OutputError, UsageError, XlingError

    assert (UsageError.exit_code, ModelError.exit_code, BuildError.exit_code) == (2, 3, 4)
    assert (InputError.exit_code, OutputError.exit_code, XlingError.exit_code) == (5, 6, 2)
    src = tmp_path / "a.txt"
    src.write_text(AR + "\n", encoding="utf-8")
    cases = [
        (["translate"], 2),  # argparse: a usage error
        (["translate", str(src), "--beam", "x"], 2),
        (["translate", str(src)], 2),  # the tool's own usage error: no --out
        (["audit", str(src), str(src), "--fail-under", "7"], 2),
        (["translate", str(tmp_path / "missing.txt"), *tiny(tmp_path / "o")], 5),
        (["translate", str(src), "--out", str(tmp_path / "o"), "-m", "no-such"], 3),
        (["translate", str(src), "--out", str(src), "-m", "marian-tiny"], 6),
    ]
    for args, code in cases:
        proc = run_xling(args, tiny_home)
        assert proc.returncode == code, (args, proc.err)
        assert "Traceback" not in proc.err
    # A bug is not a finding: an unexpected exception exits 70 (EX_SOFTWARE) in one line.
    crash = "import sys; sys.modules['xling.translate.engine'] = None\n"
    crash += "from xling.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run(
        [sys.executable, "-c", crash, "translate", str(src), *tiny(tmp_path / "o")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 70, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "--debug" in proc.stderr


# -- 9. output that collapses: flagged by length, re-decoded in smaller pieces ----------------
def test_collapsed_output_is_redecoded_in_pieces_and_flagged(
    tiny_home: Path, tmp_path: Path
) -> None:
    from xling.translate.length import RATIO_HIGH, RATIO_LOW, ratio

    # The tiny random model's output length has little to do with its input: a 700-character
    # sentence comes back a fraction of its expected length, a 45-character one runs on.
    long_sentence = " ".join(["وقال المسؤول إن القوات وصلت إلى المدينة صباح الأحد"] * 14) + "."
    short_sentence = "وقال المسؤول إن القوات وصلت إلى المدينة صباح."
    src = tmp_path / "a.txt"
    src.write_text(long_sentence + "\n" + short_sentence + "\n", encoding="utf-8")
    out = tmp_path / "o"
    proc = run_xling(["translate", str(src), "--out", str(out), "-m", "marian-tiny"], tiny_home)
    assert proc.returncode == 0, proc.err
    first, second = [json.loads(x) for x in (out / "a.jsonl").read_text().splitlines()]
    assert first["src"] == long_sentence
    assert first.get("split") is True  # re-decoded in pieces, the record whole
    for record in (first, second):  # what is still far off is flagged, the rest is not
        inside = RATIO_LOW <= ratio(record["src"], record["mt"]) <= RATIO_HIGH
        assert record["length_ok"] is inside
    redone = int(proc.err.split("length: ")[1].split(" piece")[0])
    flagged = int(proc.err.split("re-decoded in halves, ")[1].split(" flagged")[0])
    assert redone >= 1 and flagged == (not first["length_ok"]) + (not second["length_ok"])


# -- 11. smaller risks -------------------------------------------------------------------------
def bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(AR + "\n", encoding="utf-8")
    (folder / "b.txt").write_bytes("سطر\nقال".encode("cp1256"))
    (folder / "c.txt").write_text(AR + "\n", encoding="utf-8")
    (folder / "d.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (folder / "e.txt").symlink_to(tmp_path / "gone.txt")  # broken
    return folder


def test_every_bad_file_is_listed_before_any_work(tiny_home: Path, tmp_path: Path) -> None:
    folder = bad_folder(tmp_path)
    out = tmp_path / "o"
    proc = run_xling(["translate", str(folder), *tiny(out)], tiny_home)
    assert proc.returncode == 5 and "Traceback" not in proc.err
    lines = proc.err.strip().splitlines()
    for name in ("b.txt:1: not UTF-8", "d.txt:1: contains a NUL", "e.txt: broken symlink"):
        assert sum(name in line for line in lines) == 1, proc.err
    assert "3 bad input(s)" in lines[-1] and "--skip-bad" in lines[-1]
    assert not (out / "a.en.txt").exists()  # nothing translated


def test_skip_bad_translates_the_rest_and_lists_what_was_skipped(
    tiny_home: Path, tmp_path: Path
) -> None:
    folder = bad_folder(tmp_path)
    out = tmp_path / "o"
    proc = run_xling(
        ["translate", str(folder), "--out", str(out), "-m", "marian-tiny", "--skip-bad"],
        tiny_home,
    )
    assert proc.returncode == 0, proc.err
    assert sorted(p.name for p in out.glob("*.en.txt")) == ["a.en.txt", "c.en.txt"]
    skipped = [line for line in proc.err.splitlines() if "skipped:" in line]
    assert len(skipped) == 3 and "2 article(s) translated" in proc.err


def test_a_second_run_into_one_out_fails_in_one_line(tiny_home: Path, tmp_path: Path) -> None:
    import fcntl

    src = tmp_path / "a.txt"
    src.write_text(AR + "\n", encoding="utf-8")
    out = tmp_path / "o"
    out.mkdir()
    with open(out / ".xling.lock", "a+") as held:  # what a running `xling translate` holds
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        proc = run_xling(["translate", str(src), *tiny(out)], tiny_home)
    assert proc.returncode == 6 and "another xling run" in one_line(proc)
    assert not (out / "a.jsonl").exists()
    assert run_xling(["translate", str(src), *tiny(out)], tiny_home).returncode == 0
    # a --ray run takes the same lock, before any cluster starts
    with open(out / ".xling.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        proc = run_xling(["translate", str(src), *tiny(out), "--force", "--ray"], tiny_home)
    assert proc.returncode == 6 and "another xling run" in one_line(proc)
    proc = run_xling(["translate", str(src), *tiny(out), "--skip-bad", "--ray"], tiny_home)
    assert proc.returncode == 2 and "--skip-bad" in one_line(proc)


def test_resume_redoes_an_edited_source(tiny_home: Path, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(AR + "\n", encoding="utf-8")
    out = tmp_path / "o"
    args = ["translate", str(src), "--out", str(out), "-m", "marian-tiny"]
    assert run_xling(args, tiny_home).returncode == 0
    src.write_text(AR.replace("130", "140") + "\n", encoding="utf-8")
    proc = run_xling(args, tiny_home)
    assert "1 article(s) translated, 0 already done" in proc.err
    assert "140" in (out / "a.jsonl").read_text(encoding="utf-8")


def test_align_warns_when_the_arabic_side_has_no_arabic(tiny_home: Path, tmp_path: Path) -> None:
    en, other = tmp_path / "a.en.txt", tmp_path / "b.en.txt"
    en.write_text("He said 130 people died.\n", encoding="utf-8")
    other.write_text("He said 130 people were killed.\n", encoding="utf-8")
    proc = run_xling(["align", str(en), str(other), "--signals", "numbers,length"], tiny_home)
    assert proc.returncode == 0, proc.err
    assert f"{other}: the Arabic side has 0% Arabic letters" in proc.err


def test_unknown_model_suggests_only_real_names(tiny_home: Path, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(AR + "\n", encoding="utf-8")
    proc = run_xling(["translate", str(src), *tiny(tmp_path / "o")[:2], "-m", "nosuch"], tiny_home)
    line = one_line(proc)
    assert proc.returncode == 3 and "models build nosuch" not in line
    assert "marian-tiny" in line and "gemma3-270m" in line  # built here / has a manifest
    proc = run_xling(
        ["translate", str(src), "-o", str(tmp_path / "o"), "-m", "marian-tin"], tiny_home
    )
    assert "did you mean 'marian-tiny'" in one_line(proc)
