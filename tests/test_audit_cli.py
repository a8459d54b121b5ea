"""`xling audit` on the command line: files, folders, MT inputs, exit codes, JSON and HTML."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import REPO, run_xling

EN = (
    "A Russian court charged four men on Sunday after gunmen attacked a concert hall.\n"
    "The attack killed more than 130 people and injured 180 others.\n"
    '"It is very good for the recruitment of the Islamic State," Bill Roggio said.\n'
    "Police said the suspect wrote <script>alert(x)</script> online.\n"
)
AR = (
    "وجهت محكمة روسية يوم الأحد اتهامات لأربعة رجال بعد أن هاجم مسلحون قاعة للحفلات.\n"
    "وأسفر الهجوم عن مقتل أكثر من ١٣٠ شخصًا وإصابة ١٨٠ آخرين.\n"
    "وقال بيل روجيو: “من الجيد حقا أن يقوم التجنيد لصالح تنظيم الدولة الإسلامية”.\n"
    "وقالت الشرطة إن المشتبه به كتب <script>alert(x)</script> على الإنترنت.\n"
)
MT = (
    "A Russian court charged four men on Sunday after gunmen attacked a concert hall.\n"
    "The attack killed more than 130 people and wounded 180 others.\n"
    'Bill Roggio said: "It is really good for recruiting for the Islamic State."\n'
    "Police said the suspect wrote <script>alert(x)</script> online.\n"
)


def write_pair(folder: Path, stem: str, en: str = EN, ar: str = AR) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    en_path, ar_path = folder / f"{stem}.en.txt", folder / f"{stem}.ar.txt"
    en_path.write_text(en, encoding="utf-8")
    ar_path.write_text(ar, encoding="utf-8")
    return en_path, ar_path


def audit(args: list[str], tmp_path: Path):
    return run_xling(["audit", *args], tmp_path / "home", timeout=180)


def test_pair_with_plain_text_mt_writes_json_and_html(tmp_path: Path) -> None:
    en, ar = write_pair(tmp_path, "story")
    mt = tmp_path / "story.mt.txt"
    mt.write_text(MT, encoding="utf-8")
    out_json, out_html = tmp_path / "out" / "a.json", tmp_path / "out" / "a.html"
    proc = audit(
        [str(en), str(ar), "--mt", str(mt), "--json", str(out_json), "--html", str(out_html)],
        tmp_path,
    )
    assert proc.returncode == 0, proc.err
    assert "e5-small" in proc.err  # the empty store has no encoder: said, not fatal
    assert "xling audit" in proc.err and "BLEU" in proc.err  # the rich table and signatures
    report = json.loads(out_json.read_text(encoding="utf-8"))
    (doc,) = report["documents"]
    assert doc["id"] == "story"
    assert doc["scores"]["number_carry_over"] == 1.0
    assert doc["scores"]["mt"]["bleu"]["signature"].startswith("nrefs:1")
    assert report["settings"]["mt"] == str(mt)
    html = out_html.read_text(encoding="utf-8")
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    # Article text is escaped; the page loads nothing from anywhere.
    assert "<script>alert(x)</script>" not in html
    assert "&lt;script&gt;alert(x)&lt;/script&gt;" in html
    for needle in ("<script", "<link", "src=", "@import", "url("):
        assert needle not in html


def test_jsonl_mt_from_xling_translate(tmp_path: Path) -> None:
    en, ar = write_pair(tmp_path, "story")
    records = [
        {"doc": "story", "para": i, "sent": i, "src": src, "mt": mt, "model": "x"}
        for i, (src, mt) in enumerate(zip(AR.splitlines(), MT.splitlines(), strict=True))
    ]
    mt_path = tmp_path / "mt" / "story.jsonl"
    mt_path.parent.mkdir()
    mt_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    out = tmp_path / "a.json"
    proc = audit(
        [str(en), str(ar), "--mt", str(mt_path.parent), "--json", str(out), "-q"], tmp_path
    )
    assert proc.returncode == 0, proc.err
    doc = json.loads(out.read_text(encoding="utf-8"))["documents"][0]
    assert doc["scores"]["mt"]["segments"] == 4
    (quote,) = doc["quotes"]
    assert quote["fidelity"]["chrf"] is not None


def test_fail_under(tmp_path: Path) -> None:
    en, ar = write_pair(tmp_path, "story", ar=AR.replace("١٨٠", "١٥٠"))
    proc = audit([str(en), str(ar), "--no-mt", "--fail-under", "0.9"], tmp_path)
    assert proc.returncode == 1
    assert "number_carry_over 0.667" in proc.err  # four and 130 kept, 180 changed
    assert "changed" in proc.err and "became" in proc.err  # the flagged list
    proc = audit([str(en), str(ar), "--no-mt", "--fail-under", "0.6", "-q"], tmp_path)
    assert proc.returncode == 0, proc.err


def test_folder_mode_pairs_by_stem(tmp_path: Path) -> None:
    write_pair(tmp_path / "en", "one", ar="")  # the Arabic goes in the other folder
    write_pair(tmp_path / "en", "two", ar="")
    (tmp_path / "en" / "lonely.txt").write_text("Nothing to pair with.\n", encoding="utf-8")
    (tmp_path / "ar").mkdir()
    (tmp_path / "ar" / "one.ar.txt").write_text(AR, encoding="utf-8")
    (tmp_path / "ar" / "two.txt").write_text(AR.replace("١٣٠", "١٥٠"), encoding="utf-8")
    for p in (tmp_path / "en").glob("*.ar.txt"):
        p.unlink()
    out = tmp_path / "r.json"
    proc = audit(
        [
            "--en-dir",
            str(tmp_path / "en"),
            "--ar-dir",
            str(tmp_path / "ar"),
            "--no-mt",
            "--json",
            str(out),
            "-q",
        ],
        tmp_path,
    )
    assert proc.returncode == 0, proc.err
    assert "lonely.txt: no Arabic file" in proc.err
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [d["id"] for d in report["documents"]] == ["one", "two"]
    assert report["corpus"]["documents"] == 2 and report["corpus"]["documents_flagged"] == 1
    assert report["corpus"]["numbers"]["changed"] == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["missing.en.txt", "missing.ar.txt", "--no-mt"], 5, "no such file"),
        (["--en-dir", "nowhere", "--ar-dir", "nowhere", "--no-mt"], 5, "no such folder"),
        (["--en-dir", "x"], 2, "needs both --en-dir and --ar-dir"),
        ([], 2, "give EN_FILE AR_FILE"),
        (["EN", "AR", "--fail-under", "5", "--no-mt"], 2, "between 0 and 1"),
    ],
)
def test_bad_input_is_one_clear_line(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    en, ar = write_pair(tmp_path, "story")
    args = [str(en) if a == "EN" else str(ar) if a == "AR" else a for a in args]
    proc = run_xling(["audit", *args], tmp_path / "home", cwd=tmp_path, timeout=60)
    assert proc.returncode == code, proc.err
    assert message in proc.err and "Traceback" not in proc.err


def test_mt_with_wrong_line_count_names_the_file(tmp_path: Path) -> None:
    en, ar = write_pair(tmp_path, "story")
    mt = tmp_path / "short.txt"
    mt.write_text("only one line\n", encoding="utf-8")
    proc = audit([str(en), str(ar), "--mt", str(mt)], tmp_path)
    assert proc.returncode == 5
    assert f"{mt}: has 1 lines of translation for 4 Arabic lines" in proc.err


def test_translating_needs_a_built_model(tmp_path: Path) -> None:
    en, ar = write_pair(tmp_path, "story")
    proc = audit([str(en), str(ar), "--model", "fast", "-q"], tmp_path)
    assert proc.returncode == 3 and "Traceback" not in proc.err


# --- the HTML report in a real browser ---------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


def _png_rows(path: Path) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA PNG (what Chromium writes) into rows of pixel bytes."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and color in (2, 6)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, bpp, rows


@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium) to render HTML"
)
def test_html_renders_in_headless_chromium_with_arabic_right_to_left(tmp_path: Path) -> None:
    # Short sentences: right-aligned Arabic leaves the left part of its column empty.
    en_lines = [f"Line {k}: {k * 10} people came." for k in range(1, 25)]
    ar_lines = [f"جاء {k * 10} شخصًا." for k in range(1, 25)]
    en, ar = write_pair(tmp_path, "short", "\n".join(en_lines), "\n".join(ar_lines))
    html = tmp_path / "r.html"
    proc = audit([str(en), str(ar), "--no-mt", "--html", str(html), "-q"], tmp_path)
    assert proc.returncode == 0, proc.err
    shot = tmp_path / "shot.png"
    profile = tmp_path / "profile"
    subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--screenshot={shot}",
            "--window-size=1200,2400",
            html.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert shot.is_file(), "Chromium wrote no screenshot"
    width, bpp, rows = _png_rows(shot)
    # The bottom third of the page is the aligned table: count dark pixels per column band.
    bands = [0] * 8
    for row in rows[len(rows) * 2 // 3 :]:
        for x in range(0, width, 2):
            if sum(row[x * bpp : x * bpp + 3]) < 300:
                bands[x * 8 // width] += 1
    assert sum(bands) > 0, "the page rendered blank"
    # English (left-aligned) fills the start of the left half, Arabic (right-aligned) the
    # end of the right half; the middle of the Arabic column stays empty.
    assert bands[7] > 5 * max(1, bands[5]), bands
    assert bands[1] > 5 * max(1, bands[3]), bands


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint not installed")
def test_html_is_well_formed_enough_for_a_parser(tmp_path: Path) -> None:
    en, ar = write_pair(tmp_path, "story")
    html = tmp_path / "r.html"
    assert audit([str(en), str(ar), "--no-mt", "--html", str(html), "-q"], tmp_path).returncode == 0
    proc = subprocess.run(["xmllint", "--html", "--noout", str(html)], capture_output=True)
    assert proc.returncode == 0, proc.stderr


def test_schema_file_is_in_the_repo() -> None:
    assert (REPO / "docs" / "audit.schema.json").is_file()
