"""`xling index` and `xling match` on real NTREX documents with the real e5-small encoder."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import CORPORA, need, run_xling

from xling.models import store

needs_encoder = pytest.mark.skipif(
    not store.is_built("e5-small"), reason="the e5-small encoder is not built (make setup)"
)
pytestmark = [pytest.mark.models, needs_encoder]

LINES = 6  # sentences kept per document: small pool, quick tests


def _ntrex_docs(count: int) -> list[tuple[str, list[str], list[str]]]:
    folder = need(CORPORA / "ntrex128")
    ids = (folder / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    en = (folder / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    ar = (folder / "newstest2019-ref.arb.txt").read_text(encoding="utf-8").splitlines()
    docs: dict[str, tuple[list[str], list[str]]] = {}
    for doc, e, a in zip(ids, en, ar, strict=True):
        if doc not in docs and len(docs) == count:
            break
        pair = docs.setdefault(doc, ([], []))
        if len(pair[0]) < LINES:
            pair[0].append(e)
            pair[1].append(a)
    return [(doc, e, a) for doc, (e, a) in docs.items()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """30 English reports (28 in a folder, 2 in a JSONL), Arabic articles: a whole document,
    a compilation of two, and one whose source is not in the pool: the 38th document, a story
    no pool report covers (some NTREX documents report the same story as another, e.g. the
    Macedonian referendum, and are rightly found as sources)."""
    root = tmp_path_factory.mktemp("match")
    docs = _ntrex_docs(38)
    en_dir = root / "en"
    en_dir.mkdir()
    for doc, en, _ in docs[:28]:
        (en_dir / f"{doc}.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
    jsonl = root / "more.jsonl"
    jsonl.write_text(
        "".join(json.dumps({"id": d, "text": "\n".join(en)}) + "\n" for d, en, _ in docs[28:30]),
        encoding="utf-8",
    )
    ar_dir = root / "ar"
    ar_dir.mkdir()
    (ar_dir / "whole.txt").write_text("\n".join(docs[3][2]) + "\n", encoding="utf-8")
    (ar_dir / "compiled.txt").write_text(
        "\n".join(docs[5][2][:4] + docs[29][2][:4]) + "\n", encoding="utf-8"
    )
    (ar_dir / "absent.txt").write_text("\n".join(docs[37][2]) + "\n", encoding="utf-8")
    index = root / "index"
    home = store.xling_home()
    first = run_xling(["index", "add", str(en_dir), "--index", str(index)], home)
    assert first.returncode == 0, first.err
    return {
        "root": root,
        "docs": docs,
        "en_dir": en_dir,
        "jsonl": jsonl,
        "ar_dir": ar_dir,
        "index": index,
        "home": home,
    }


def _info(corpus: dict, index: Path) -> dict:
    proc = run_xling(["index", "info", "--index", str(index)], corpus["home"])
    assert proc.returncode == 0, proc.err
    return json.loads(proc.out)


def _match(corpus: dict, *pool: str, tmp: Path) -> tuple[dict, str]:
    out = tmp / "m.json"
    tsv = tmp / "m.tsv"
    proc = run_xling(
        ["match", str(corpus["ar_dir"]), *pool, "--json", str(out), "--tsv", str(tsv)],
        corpus["home"],
    )
    assert proc.returncode == 0, proc.err
    data = json.loads(out.read_text(encoding="utf-8"))
    return {m["ar"]: m for m in data["matches"]}, tsv.read_text(encoding="utf-8")


def test_incremental_add_duplicates_and_replace(corpus, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(corpus["index"], index)
    assert _info(corpus, index)["reports"] == 28
    proc = run_xling(["index", "add", str(corpus["jsonl"]), "--index", str(index)], corpus["home"])
    assert proc.returncode == 0, proc.err
    info = _info(corpus, index)
    assert info["reports"] == 30 and info["generation"] == 2
    from xling.text.segment import split_sentences

    expected = sum(len(split_sentences(line)) for _, en, _ in corpus["docs"][:30] for line in en)
    assert info["sentences"] == expected
    # the same reports again: refused with one line, index unchanged
    again = run_xling(["index", "add", str(corpus["jsonl"]), "--index", str(index)], corpus["home"])
    assert again.returncode == 5
    assert "already in the index" in again.err and "--replace" in again.err
    assert len(again.err.strip().splitlines()) == 1
    assert _info(corpus, index)["generation"] == 2
    replaced = run_xling(
        ["index", "add", str(corpus["jsonl"]), "--index", str(index), "--replace"],
        corpus["home"],
    )
    assert replaced.returncode == 0, replaced.err
    info = _info(corpus, index)
    assert info["reports"] == 30 and info["generation"] == 3
    assert sorted(p.name for p in index.glob("vectors.*")) == ["vectors.3.usearch"]


def test_match_whole_compiled_and_absent_against_index(corpus, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(corpus["index"], index)
    run_xling(["index", "add", str(corpus["jsonl"]), "--index", str(index)], corpus["home"])
    docs = corpus["docs"]
    matches, tsv = _match(corpus, "--index", str(index), tmp=tmp_path)
    whole = matches["whole"]
    assert not whole["no_source"]
    assert whole["sources"][0]["en"] == docs[3][0] and whole["sources"][0]["selected"]
    assert whole["sources"][0]["coverage"] >= 0.8
    assert [s["en"] for s in whole["sources"] if s["selected"]] == [docs[3][0]]
    compiled = matches["compiled"]
    chosen = {s["en"] for s in compiled["sources"] if s["selected"]}
    assert chosen == {docs[5][0], docs[29][0]}
    assert all(0.3 <= s["coverage"] <= 0.7 for s in compiled["sources"] if s["selected"])
    absent = matches["absent"]
    assert absent["no_source"] and not any(s["selected"] for s in absent["sources"])
    assert tsv.splitlines()[0].startswith("ar\trank\ten\tselected")
    assert f"whole\t1\t{docs[3][0]}\ttrue" in tsv
    # 30 reports of 6 sentences: a small pool, searched with fewer neighbours, and said so
    settings = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["settings"]
    assert settings["neighbours"] == 4 < settings["thresholds"]["k"]
    assert "small pool (30 reports" in settings["warning"]


def test_match_with_en_files_and_empty_article(corpus, tmp_path):
    from xling.text.segment import split_sentences

    (corpus["ar_dir"] / "empty.txt").write_text("\n", encoding="utf-8")
    one = split_sentences(corpus["docs"][4][2][1])[0]  # a one-sentence article
    (corpus["ar_dir"] / "one.txt").write_text(one + "\n", encoding="utf-8")
    try:
        matches, _ = _match(corpus, "--en", str(corpus["en_dir"]), tmp=tmp_path)
    finally:
        (corpus["ar_dir"] / "empty.txt").unlink()
        (corpus["ar_dir"] / "one.txt").unlink()
    assert matches["one"]["sentences"] == 1
    assert matches["one"]["sources"][0]["en"] == corpus["docs"][4][0]
    assert matches["whole"]["sources"][0]["en"] == corpus["docs"][3][0]
    assert matches["empty"]["no_source"] and matches["empty"]["reason"] == "no sentences"


def test_version_mismatch_and_damage_are_one_line_errors(corpus, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(corpus["index"], old)
    with sqlite3.connect(old / "reports.sqlite") as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'version'")
    out = tmp_path / "m.json"
    proc = run_xling(
        ["match", str(corpus["ar_dir"]), "--index", str(old), "--json", str(out)], corpus["home"]
    )
    assert proc.returncode == 5 and "format version 0" in proc.err
    assert len(proc.err.strip().splitlines()) == 1 and not out.exists()

    other = tmp_path / "other"
    shutil.copytree(corpus["index"], other)
    with sqlite3.connect(other / "reports.sqlite") as db:
        db.execute("UPDATE meta SET value = 'abc' WHERE key = 'fingerprint'")
    proc = run_xling(["index", "add", str(corpus["jsonl"]), "--index", str(other)], corpus["home"])
    assert proc.returncode == 5 and "made with encoder" in proc.err

    broken = tmp_path / "broken"
    shutil.copytree(corpus["index"], broken)
    (broken / "vectors.1.usearch").write_bytes(b"not a usearch file" * 10)
    proc = run_xling(
        ["match", str(corpus["ar_dir"]), "--index", str(broken), "--json", str(out)], corpus["home"]
    )
    assert proc.returncode == 5 and "damaged" in proc.err, proc.err
    assert len(proc.err.strip().splitlines()) == 1

    (broken / "reports.sqlite").write_bytes(b"garbage" * 100)
    proc = run_xling(["index", "info", "--index", str(broken)], corpus["home"])
    assert proc.returncode == 5 and "damaged" in proc.err, proc.err


def test_empty_pool_is_bad_input_for_match_and_audit(corpus, tmp_path):
    # A pool whose only report has no sentence is empty: one line, exit 5, no output, from
    # `xling match` and `xling audit --match` alike (one function runs both).
    pool = tmp_path / "pool"
    pool.mkdir()
    (pool / "blank.txt").write_text("\n", encoding="utf-8")
    out = tmp_path / "m.json"
    for args in (
        ["match", str(corpus["ar_dir"]), "--en", str(pool), "--json", str(out)],
        [
            "audit",
            "--en-dir",
            str(pool),
            "--ar-dir",
            str(corpus["ar_dir"]),
            "--match",
            "--no-mt",
            "--json",
            str(out),
        ],
    ):
        proc = run_xling(args, corpus["home"])
        assert proc.returncode == 5 and "the pool is empty" in proc.err, proc.err
        assert len(proc.err.strip().splitlines()) == 1 and not out.exists()


def test_audit_with_index_finds_sources_and_reports_unmatched(corpus, tmp_path):
    import jsonschema

    index = tmp_path / "index"
    shutil.copytree(corpus["index"], index)
    run_xling(["index", "add", str(corpus["jsonl"]), "--index", str(index)], corpus["home"])
    out = tmp_path / "audit.json"
    html = tmp_path / "audit.html"
    proc = run_xling(
        [
            "audit",
            "--ar-dir",
            str(corpus["ar_dir"]),
            "--index",
            str(index),
            "--no-mt",
            "--json",
            str(out),
            "--html",
            str(html),
        ],
        corpus["home"],
    )
    assert proc.returncode == 0, proc.err
    report = json.loads(out.read_text(encoding="utf-8"))
    schema_path = Path(__file__).resolve().parents[1] / "docs" / "audit.schema.json"
    jsonschema.validate(report, json.loads(schema_path.read_text(encoding="utf-8")))
    docs = corpus["docs"]
    by_id = {d["id"]: d for d in report["documents"]}
    assert set(by_id) == {"whole", "compiled"}
    assert [s["en"] for s in by_id["whole"]["sources"]] == [docs[3][0]]
    # compiled: doc 5's block comes first in the Arabic, so its text comes first
    assert [s["en"] for s in by_id["compiled"]["sources"]] == [docs[5][0], docs[29][0]]
    en_sentences = by_id["compiled"]["alignment"]["en"]
    assert docs[5][1][0].startswith(en_sentences[0])
    assert [u["ar"] for u in report["unmatched"]] == ["absent"]
    assert report["corpus"]["documents_without_source"] == 1
    assert report["settings"]["match"]["pool_reports"] == 30
    assert "no source" in proc.err
    assert "warning: small pool" in proc.err
    # the HTML lists the article with no source, as the JSON and the table do
    page = html.read_text(encoding="utf-8")
    assert "Articles with no source in the pool (1)" in page
    assert '<li class="missing">absent (' in page
