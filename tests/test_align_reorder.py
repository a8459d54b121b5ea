"""Order-free alignment (moved paragraphs, several reports), TMX and Vecalign export, and
the bad input of `xling align` (empty article, swapped sides, a report given twice)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from conftest import CORPORA, need, run_xling

from xling.align import dp, freedp, reorder
from xling.align.dp import Span
from xling.align.features import Side
from xling.align.freedp import align_free, align_leftovers, resolve, run_starts
from xling.align.reorder import align_reports, detect, longest_increasing
from xling.align.scoring import SignalScorer, Weights
from xling.models import store
from xling.records import Sentence

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
needs_encoder = pytest.mark.skipif(
    not store.is_built("e5-small"), reason="the e5-small encoder is not built (make setup)"
)


def ntrex_docs(count: int, first: int = 0) -> list[tuple[list[str], list[str]]]:
    """NTREX documents `first` .. `first+count-1` as (English lines, Arabic lines)."""
    folder = need(CORPORA / "ntrex128")
    ids = (folder / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    en = (folder / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    ar = (folder / "newstest2019-ref.arb.txt").read_text(encoding="utf-8").splitlines()
    wanted = list(dict.fromkeys(ids))[first : first + count]
    return [
        ([en[k] for k, d in enumerate(ids) if d == w], [ar[k] for k, d in enumerate(ids) if d == w])
        for w in wanted
    ]


def paragraphs(lines: list[str], size: int = 2) -> list[list[int]]:
    return [list(range(k, min(k + size, len(lines)))) for k in range(0, len(lines), size)]


def write(path, paras: list[list[str]]) -> None:
    path.write_text("\n\n".join(" ".join(p) for p in paras) + "\n", encoding="utf-8")


def test_longest_increasing_and_resolve():
    assert longest_increasing([5, 6, 7, 0, 1, 8, 9]) == {0, 1, 2, 5, 6}
    assert longest_increasing([]) == set()
    # English 3 claimed twice (an inserted headline repeating the lead): the better link keeps it.
    spans = [Span(3, 4, 0, 1, -0.1), Span(3, 4, 1, 2, -0.5), Span(4, 5, 2, 3, -0.2)]
    assert resolve(spans) == [Span(3, 4, 0, 1, -0.1), Span(3, 3, 1, 2, 0.0), spans[2]]


def _moved_block_scorer(n: int = 60, seed: int = 0):
    """A real SignalScorer over vectors whose Arabic side is the English one, noisy, with
    English 30..35 moved after English 9 (what a site does with a paragraph)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 32)).astype(np.float32)
    order = [*range(10), *range(30, 36), *range(10, 30), *range(36, n)]
    y = x[order] + 0.3 * rng.normal(size=(n, 32)).astype(np.float32)
    lengths = rng.integers(50, 150, size=n).astype(float)
    en = Side(lengths, {"embed": x})
    ar = Side(lengths[order] * 1.1, {"embed": y})
    return SignalScorer(en, ar, Weights()), order


def test_side_subset_keeps_only_adjacent_joined_pairs():
    x = np.arange(10, dtype=np.float32).reshape(5, 2)
    joined = np.concatenate([np.zeros((2, 2)), 100 + np.arange(8).reshape(4, 2)])  # pairs[i]
    side = Side(np.arange(5.0), {"embed": x}, {"embed": joined})
    sub = side.subset([1, 2, 4])
    assert sub.n == 3 and sub.lengths.tolist() == [1.0, 2.0, 4.0]
    assert sub.vectors["embed"].tolist() == [[2, 3], [4, 5], [8, 9]]
    # sentences 1, 2 are adjacent: their joined pair is the original pairs[3]; 2 and 4 are not.
    assert sub.pairs["embed"][2].tolist() == joined[3].tolist()
    assert not sub.pairs["embed"][3].any()


def test_leftovers_of_the_monotone_pass_are_aligned_out_of_order():
    scorer, order = _moved_block_scorer()
    spans = dp.align(scorer)
    gold = {(order[j], j) for j in range(len(order))}

    def one_to_one(spans):
        return {(s.en0, s.ar0) for s in spans if s.en1 - s.en0 == 1 and s.ar1 - s.ar0 == 1}

    assert len(one_to_one(spans) & gold) <= len(order) - 4  # the moved block is left over
    with_ar, new = align_leftovers(scorer, spans, report_of=[0] * scorer.n)
    assert {(s.en0, s.ar0) for s in new} == {(30 + k, 10 + k) for k in range(6)}
    assert one_to_one(with_ar) == gold
    assert [s.ar0 for s in with_ar] == sorted(s.ar0 for s in with_ar)
    assert sorted(j for s in with_ar for j in range(s.ar0, s.ar1)) == list(range(len(order)))
    # The subset scorer scores a link as the whole one does (same normalisation and ratio).
    sub = scorer.subset([30, 31, 40], [10, 11, 12])
    for sc in (sub, scorer):
        sc.prepare(np.zeros(sc.n + 1, dtype=np.int64), np.full(sc.n + 1, sc.m, dtype=np.int64))
    whole = scorer.similarity(1, 1, 31, np.array([11]))[0]
    assert sub.similarity(1, 1, 1, np.array([1]))[0] == pytest.approx(whole, abs=1e-5)


def test_leftover_links_need_more_similarity_alone_than_in_a_run():
    # English 30..35 moved after 9 (a run of links) and English 50 alone after 20.
    rng = np.random.default_rng(1)
    n = 60
    x = rng.normal(size=(n, 32)).astype(np.float32)
    order = [*range(10), *range(30, 36), *range(10, 21), 50, *range(21, 30), *range(36, 50)]
    order += list(range(51, n))
    y = x[order] + 0.3 * rng.normal(size=(n, 32)).astype(np.float32)
    lengths = rng.integers(50, 150, size=n).astype(float)
    scorer = SignalScorer(
        Side(lengths, {"embed": x}), Side(lengths[order], {"embed": y}), Weights()
    )
    spans = dp.align(scorer)
    _, loose = align_leftovers(scorer, spans, report_of=[0] * n, min_similarity=0.0)
    assert {(s.en0, s.ar0) for s in loose} == {(30 + k, 10 + k) for k in range(6)} | {(50, 27)}
    _, strict = align_leftovers(scorer, spans, report_of=[0] * n, min_similarity=1.01)
    assert freedp.LEFTOVER_RUN_MIN < 0.9  # the run's similarities are about 0.95
    assert {(s.en0, s.ar0) for s in strict} == {(30 + k, 10 + k) for k in range(6)}


def test_free_links_never_join_sentences_across_a_cut():
    # The Arabic merges English 32 and 33 into one sentence: without cuts the order-free DP
    # links them 2-1; with a cut between them (English 33 starts another run) it may not.
    rng = np.random.default_rng(0)
    n = 40
    x = rng.normal(size=(n, 32)).astype(np.float32)
    lengths = rng.integers(50, 150, size=n).astype(float)
    keep = [i for i in range(n) if i not in (32, 33)]
    ar_vectors = [x[i] for i in keep]
    ar_lengths = [lengths[i] for i in keep]
    ar_vectors.insert(32, x[32] + x[33])
    ar_lengths.insert(32, lengths[32] + lengths[33])
    y = np.stack(ar_vectors) + 0.3 * rng.normal(size=(n - 1, 32)).astype(np.float32)

    def joined(v: np.ndarray) -> np.ndarray:  # Side.pairs[i]: sentences i-2 and i-1 joined
        out = np.zeros((len(v) + 1, v.shape[1]), np.float32)
        out[2:] = v[:-1] + v[1:]
        return out

    en = Side(lengths, {"embed": x}, {"embed": joined(x)})
    ar = Side(np.array(ar_lengths) * 1.1, {"embed": y}, {"embed": joined(y)})
    scorer = SignalScorer(en, ar, Weights())
    merged = [(s.en0, s.en1, s.ar0, s.ar1) for s in align_free(scorer) if s.en0 < 33 < s.en1]
    assert merged == [(32, 34, 32, 33)]
    for s in align_free(scorer, en_cuts=[33], ar_cuts=[]):
        assert not (s.en0 < 33 < s.en1)
    assert run_starts(6, [2, 4]).tolist() == [0, 0, 0, 2, 2, 4, 4]


# --- the real encoder on real NTREX documents -------------------------------------------------


@pytest.fixture(scope="module")
def embedder():
    from xling.align.sentences import default_embedder

    return default_embedder()


class Memo:
    """The encoder, each text embedded once (the same article is aligned several times)."""

    def __init__(self, embedder):
        self.embedder, self.cache = embedder, {}

    def embed(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            self.cache.update(zip(todo, self.embedder.embed(todo), strict=True))
        return np.stack([self.cache[t] for t in texts])


def sentences(lines: list[str]) -> list[Sentence]:
    return [Sentence(i, i, t) for i, t in enumerate(lines)]


@pytest.mark.models
@needs_encoder
def test_moved_paragraphs_are_found_and_flagged(embedder):
    (en, ar), *_ = ntrex_docs(1, 0)
    en, ar = en[:14], ar[:14]
    paras = paragraphs(ar)  # 7 paragraphs of 2 lines; move paragraphs 1-2 to the end
    order = [0, 3, 4, 5, 6, 1, 2]
    ar_ids = [i for p in order for i in paras[p]]
    moved_ar = [pos for pos, i in enumerate(ar_ids) if i in (2, 3, 4, 5)]
    result = align_reports([sentences(en)], sentences([ar[i] for i in ar_ids]), embedder=embedder)
    assert result.order == "free" and result.reordered > 0
    got = {(tuple(link.en), tuple(link.ar)) for link in result.links}
    gold = {((i,), (pos,)) for pos, i in enumerate(ar_ids)}
    assert len(got & gold) >= 13  # NTREX is 1-1 per line
    moved = {link.ar[0] for link in result.links if link.moved}
    assert moved == set(moved_ar)
    # Forced monotone on the same article leaves the moved block unaligned or misaligned.
    mono = align_reports(
        [sentences(en)], sentences([ar[i] for i in ar_ids]), embedder=embedder, order="monotone"
    )
    assert mono.order == "monotone"
    assert len({(tuple(k.en), tuple(k.ar)) for k in mono.links} & gold) < len(got & gold)


@pytest.mark.models
@needs_encoder
def test_long_article_path_links_the_moved_block(embedder, monkeypatch):
    # Articles above dp.FULL_CELLS cells take auto's long-article path (the monotone DP,
    # then the order-free DP over its leftovers); lowered, a 14-line story takes it.
    monkeypatch.setattr(dp, "FULL_CELLS", 100)
    # The similarity floors of the leftover pass are tuned for long articles, where the
    # normalisation spreads similarities wider than in 14 lines (tested on their own below).
    monkeypatch.setattr(freedp, "LEFTOVER_MIN", 0.0)
    monkeypatch.setattr(freedp, "LEFTOVER_RUN_MIN", 0.0)
    # ... and the anchors do not show the move (among hundreds of sentences they would not).
    monkeypatch.setattr(reorder, "MOVED_ANCHORS", 10**6)
    embedder = Memo(embedder)  # the four alignments below embed the same texts
    (en, ar), *_ = ntrex_docs(1, 0)
    en, ar = en[:14], ar[:14]
    ar_ids = [0, 1, 6, 7, 8, 9, 10, 11, 12, 13, 2, 3, 4, 5]  # lines 2-5 moved to the end
    moved = sentences([ar[i] for i in ar_ids])
    gold = {((i,), (pos,)) for pos, i in enumerate(ar_ids)}
    mono = align_reports([sentences(en)], moved, embedder=embedder, order="monotone")
    auto = align_reports([sentences(en)], moved, embedder=embedder)
    assert mono.order == "monotone" and auto.order == "free"
    got = {(tuple(k.en), tuple(k.ar)) for k in auto.links}
    assert len(got & gold) >= 13 > len({(tuple(k.en), tuple(k.ar)) for k in mono.links} & gold)
    assert {k.ar[0] for k in auto.links if k.moved} == {10, 11, 12, 13}
    assert sorted(j for k in auto.links for j in k.ar) == list(range(14))
    assert sorted(i for k in auto.links for i in k.en) == list(range(14))
    # In order, the path keeps what the monotone DP found.
    auto = align_reports([sentences(en)], sentences(ar), embedder=embedder)
    mono = align_reports([sentences(en)], sentences(ar), embedder=embedder, order="monotone")
    pairs = {(tuple(k.en), tuple(k.ar)) for k in mono.links if k.en and k.ar}
    assert pairs <= {(tuple(k.en), tuple(k.ar)) for k in auto.links}


@pytest.mark.models
@needs_encoder
def test_in_order_article_has_no_moved_link(embedder):
    (en, ar), *_ = ntrex_docs(1, 2)
    auto = align_reports([sentences(en)], sentences(ar), embedder=embedder)
    assert auto.reordered < 0.1 and not any(link.moved for link in auto.links)
    mono = align_reports([sentences(en)], sentences(ar), embedder=embedder, order="monotone")
    assert mono.order == "monotone" and not any(link.moved for link in mono.links)
    # NTREX is 1-1 per line: both modes find (nearly) every line pair.
    for result in (auto, mono):
        pairs = {(tuple(k.en), tuple(k.ar)) for k in result.links}
        assert len(pairs & {((i,), (i,)) for i in range(len(en))}) >= len(en) - 2


@pytest.mark.models
@needs_encoder
def test_two_report_compilation(embedder):
    (en1, ar1), (en2, ar2) = ntrex_docs(2, 3)
    en1, ar1, en2, ar2 = en1[:8], ar1[:8], en2[:8], ar2[:8]
    # The article: report 2's first 4 lines, report 1's first 4, report 2's rest; report 1's
    # last 4 lines are left out.
    ar = [*ar2[:4], *ar1[:4], *ar2[4:]]
    gold = {((8 + i,), (i,)) for i in range(4)} | {((i,), (4 + i,)) for i in range(4)}
    gold |= {((8 + i,), (4 + i,)) for i in range(4, 8)}
    result = align_reports(
        [sentences(en1), sentences(en2)], sentences(ar), embedder=embedder, names=["a", "b"]
    )
    assert [(r.start, r.end) for r in result.reports] == [(0, 8), (8, 16)]
    got = {(tuple(link.en), tuple(link.ar)) for link in result.links}
    assert len(got & gold) >= 11
    for link in result.links:
        if link.en:
            assert link.report == (0 if link.en[0] < 8 else 1)
            assert all((i < 8) == (link.en[0] < 8) for i in link.en)  # never across reports
    omitted = {link.en[0] for link in result.links if link.en and not link.ar}
    assert omitted >= {5, 6, 7}
    data = result.to_json()
    assert data["reports"][1] == {"index": 1, "file": "b", "sentences": [8, 16]}
    assert {s["report"] for s in data["sentences"]["en"]} == {0, 1}
    # Every sentence of both sides exactly once.
    assert sorted(i for k in data["links"] for i in k["en"]) == list(range(16))
    assert sorted(j for k in data["links"] for j in k["ar"]) == list(range(len(ar)))


@pytest.mark.models
@needs_encoder
def test_detect_on_real_embeddings(embedder):
    (en, ar), *_ = ntrex_docs(1, 0)
    x, y = embedder.embed(en), embedder.embed(ar)
    assert detect(x, y).out_of_order == 0
    assert detect(x, y[::-1]).out_of_order >= len(detect(x, y[::-1]).anchors) // 2


# --- the command line: formats and bad input ---------------------------------------------------


@pytest.mark.models
@needs_encoder
def test_cli_several_reports_tmx_and_vecalign(tmp_path):
    (en1, ar1), (en2, ar2) = ntrex_docs(2, 3)
    en1, ar1, en2, ar2 = en1[:6], ar1[:6], en2[:6], ar2[:6]
    a, b, art = tmp_path / "a.en.txt", tmp_path / "b.en.txt", tmp_path / "story.ar.txt"
    write(a, [en1[k : k + 2] for k in range(0, 6, 2)])
    write(b, [en2[k : k + 2] for k in range(0, 6, 2)])
    write(art, [ar2[0:2], ar1[0:2], ar2[2:4], ar1[2:6], ar2[4:6]])
    home = store.xling_home()
    proc = run_xling(
        ["align", str(a), str(b), str(art), "--format", "tmx", "-o", str(tmp_path / "x.tmx")], home
    )
    assert proc.returncode == 0, proc.err
    assert "in 2 reports" in proc.err
    root = ET.parse(tmp_path / "x.tmx").getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None and header.get("srclang") == "en"
    units = root.findall("body/tu")
    data = json.loads(run_xling(["align", str(a), str(b), str(art)], home).out)
    both = [k for k in data["links"] if k["en"] and k["ar"]]
    assert len(units) == len(both)  # one unit per link with two sides
    # every Arabic sentence of this compilation has its source in one of the two reports
    assert sorted(j for k in both for j in k["ar"]) == list(range(len(data["sentences"]["ar"])))
    for tu in units:
        langs = [tuv.get(XML_LANG) for tuv in tu.findall("tuv")]
        assert langs == ["en", "ar"]
        assert all(tuv.findtext("seg") for tuv in tu.findall("tuv"))
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        assert props["x-report"] in ("0", "1") and props["x-report-file"] in (str(a), str(b))
    # The English segment of a unit is the text of the report it names.
    for tu in units:
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        seg = tu.find("tuv").findtext("seg")
        assert seg.split()[0] in ((a if props["x-report"] == "0" else b).read_text())
    proc = run_xling(["align", str(a), str(b), str(art), "--format", "vecalign"], home)
    assert proc.returncode == 0, proc.err
    lines = proc.out.splitlines()
    pattern = re.compile(r"^\[(\d+(, \d+)*)?\]:\[(\d+(, \d+)*)?\]:-?\d+\.\d{4}$")
    assert lines and all(pattern.match(line) for line in lines), lines
    en_ids = sorted(int(i) for line in lines for i in re.findall(r"\d+", line.split(":")[0]))
    assert en_ids == list(range(len(data["sentences"]["en"])))  # every English sentence once
    assert [line.split(":")[:2] for line in lines] == [
        [f"[{', '.join(map(str, k['en']))}]", f"[{', '.join(map(str, k['ar']))}]"]
        for k in data["links"]
    ]


def test_cli_bad_input_for_reordered_alignment(tmp_path):
    home = tmp_path / "home"  # no encoder: the checks come before any alignment
    (en, ar), *_ = ntrex_docs(1, 0)
    en_path, ar_path = tmp_path / "s.en.txt", tmp_path / "s.ar.txt"
    write(en_path, [en[:3]])
    write(ar_path, [ar[:3]])
    sig = ["--signals", "numbers,length"]
    # An Arabic article with no sentences.
    empty = tmp_path / "e.ar.txt"
    empty.write_text("\n\n \n", encoding="utf-8")
    proc = run_xling(["align", str(en_path), str(empty), *sig], home)
    assert proc.returncode == 5 and "e.ar.txt: no Arabic sentences" in proc.err
    assert proc.out == ""
    # Sides swapped: a warning that names it, and the alignment still comes out.
    proc = run_xling(["align", str(ar_path), str(en_path), *sig], home)
    assert proc.returncode == 0, proc.err
    assert "s.en.txt: the Arabic side has 0% Arabic letters" in proc.err
    assert "s.ar.txt is Arabic: sides swapped?" in proc.err
    # The same report twice: aligned once, with a warning.
    copy = tmp_path / "copy.en.txt"
    copy.write_text(en_path.read_text(encoding="utf-8").replace(" ", "  "), encoding="utf-8")
    proc = run_xling(["align", str(en_path), str(copy), str(ar_path), *sig], home)
    assert proc.returncode == 0, proc.err
    assert f"{copy}: the same report as {en_path}; aligning with it once" in proc.err
    data = json.loads(proc.out)
    assert len(data["reports"]) == 1 and data["order"] == "monotone"
    # The Arabic given as an English report too.
    proc = run_xling(["align", str(ar_path), str(ar_path), *sig], home)
    assert proc.returncode == 5 and "both an English report and the Arabic article" in proc.err
    # Order-free asked for without a content signal: said, and aligned in order.
    proc = run_xling(["align", str(en_path), str(ar_path), *sig, "--order", "free"], home)
    assert proc.returncode == 0 and "order-free alignment needs embeddings or MT" in proc.err
    proc = run_xling(["align", str(en_path), str(ar_path), "--format", "xml"], home)
    assert proc.returncode != 0 and "invalid choice: 'xml'" in proc.err


def flores_lines(first: str, count: int) -> tuple[list[str], list[str]]:
    """`count` FLORES-200 devtest lines from the one starting with `first`."""
    folder = need(CORPORA / "flores200-devtest")
    en = (folder / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    ar = (folder / "arb_Arab.devtest").read_text(encoding="utf-8").splitlines()
    k = next(k for k, line in enumerate(en) if line.startswith(first))
    return en[k : k + count], ar[k : k + count]


@pytest.mark.models
@needs_encoder
def test_gap_left_on_both_sides_is_aligned_with_the_documents_ratio(embedder, monkeypatch):
    # A FLORES-200 dev story (4 lines, 1-1): line 2's Arabic is much shorter than its English
    # (137 against 204 characters). The anchors' length ratio makes the order-free DP leave
    # it 1-0 + 0-1; the gap repair aligns that gap with the document's ratio, as the
    # monotone DP does.
    en, ar = flores_lines("The Great Pyramid at Giza is the only one", 4)
    embedder = Memo(embedder)
    gold = {((i,), (i,)) for i in range(4)}

    def links(**kw) -> set:
        result = align_reports([sentences(en)], sentences(ar), embedder=embedder, **kw)
        return {(tuple(k.en), tuple(k.ar)) for k in result.links}

    assert links() == gold
    assert links(order="monotone") == gold
    monkeypatch.setattr(reorder, "GAP_REPAIR", False)
    assert links() == gold - {((2,), (2,))} | {((2,), ()), ((), (2,))}
    monkeypatch.setattr(reorder, "GAP_REPAIR", True)
    # An unrelated Arabic sentence in that place (line 2 dropped, another story's line
    # inserted) stays apart from the English left over.
    other = "وقالت الشرطة إن الرجل اعتقل بعد ظهر يوم الأحد في منزله في ضواحي المدينة."
    result = align_reports([sentences(en)], sentences([*ar[:2], other, ar[3]]), embedder=embedder)
    got = {(tuple(k.en), tuple(k.ar)) for k in result.links}
    assert ((2,), ()) in got and ((), (2,)) in got


def test_repair_gaps_only_inside_gaps_between_links_in_order():
    # Real scorer, synthetic vectors: 12 sentences 1-1; the order-free links leave English 5
    # and Arabic 5 unaligned between the in-order links 4 and 6, and English 9 / Arabic 2
    # unaligned where no in-order gap holds both.
    rng = np.random.default_rng(3)
    x = rng.normal(size=(12, 32)).astype(np.float32)
    y = x + 0.3 * rng.normal(size=(12, 32)).astype(np.float32)
    lengths = rng.integers(50, 150, size=12).astype(float)
    scorer = SignalScorer(Side(lengths, {"embed": x}), Side(lengths, {"embed": y}), Weights())
    spans = [Span(i, i + 1, i, i + 1, 0.9) for i in range(12) if i not in (2, 5, 9)]
    spans += [Span(5, 5, 5, 6, 0.0), Span(9, 9, 2, 3, 0.0)]  # Arabic 2 unaligned, English 2 ...
    spans.append(Span(2, 3, 9, 10, 0.9))  # ... linked out of order to Arabic 9
    spans = sorted(spans, key=lambda s: s.ar0)
    out, made = freedp.repair_gaps(scorer, spans, ratio=scorer.ratio, report_of=[0] * 12)
    assert made == 1 and Span(5, 6, 5, 6, out[5].score) in out
    assert Span(9, 9, 2, 3, 0.0) in out  # English 9 and Arabic 2 are not in one gap
    assert sorted(j for s in out for j in range(s.ar0, s.ar1)) == list(range(12))


def test_repair_gaps_splits_a_merge_next_to_a_gap_only_into_full_links():
    # English 0 and 1 merged into Arabic 0 with Arabic 1 left unaligned, where each is a 1-1
    # translation: the merge is split. A true merge (Arabic 0 = English 0 + 1) next to an
    # unrelated Arabic sentence stays, the unrelated sentence unaligned.
    rng = np.random.default_rng(5)
    x = rng.normal(size=(8, 32)).astype(np.float32)
    lengths = rng.integers(50, 150, size=8).astype(float)
    y = x + 0.3 * rng.normal(size=(8, 32)).astype(np.float32)
    scorer = SignalScorer(Side(lengths, {"embed": x}), Side(lengths, {"embed": y}), Weights())
    spans = [Span(0, 2, 0, 1, 0.5), Span(2, 2, 1, 2, 0.0)]
    spans += [Span(i, i + 1, i, i + 1, 0.9) for i in range(2, 8)]
    out, made = freedp.repair_gaps(scorer, spans, ratio=scorer.ratio, report_of=[0] * 8)
    assert made == 2 and [(s.en0, s.en1, s.ar0, s.ar1) for s in out[:2]] == [
        (0, 1, 0, 1),
        (1, 2, 1, 2),
    ]
    assert (
        freedp.repair_gaps(scorer, spans, ratio=scorer.ratio, report_of=[0] * 8, merges=False)[1]
        == 0
    )

    merged = np.concatenate([x[:1] + x[1:2], rng.normal(size=(1, 32)), x[2:]]).astype(np.float32)
    ar_lengths = np.concatenate([[lengths[0] + lengths[1]], [90.0], lengths[2:]])
    scorer = SignalScorer(
        Side(lengths, {"embed": x}), Side(ar_lengths, {"embed": merged}), Weights()
    )
    spans = [Span(0, 2, 0, 1, 0.5), Span(2, 2, 1, 2, 0.0)]
    spans += [Span(i, i + 1, i, i + 1, 0.9) for i in range(2, 8)]
    assert freedp.repair_gaps(scorer, spans, ratio=scorer.ratio, report_of=[0] * 8) == (spans, 0)


def test_repair_gaps_keeps_a_link_only_when_its_sentences_are_each_others_nearest():
    # The gap between links 4 and 6 holds English 5 and Arabic 5, which the DP links; when
    # Arabic 5's nearest English sentence is elsewhere (a dropped paragraph and an unrelated
    # one inserted in its place look like this), the link is not made.
    rng = np.random.default_rng(3)
    x = rng.normal(size=(12, 32)).astype(np.float32)
    y = x + 0.3 * rng.normal(size=(12, 32)).astype(np.float32)
    lengths = rng.integers(50, 150, size=12).astype(float)
    scorer = SignalScorer(Side(lengths, {"embed": x}), Side(lengths, {"embed": y}), Weights())
    spans = [Span(i, i + 1, i, i + 1, 0.9) for i in range(12) if i != 5]
    spans = sorted([*spans, Span(5, 5, 5, 6, 0.0)], key=lambda s: s.ar0)
    best = np.arange(12)
    assert (
        freedp.repair_gaps(scorer, spans, ratio=1.0, report_of=[0] * 12, nearest=(best, best))[1]
        == 1
    )
    elsewhere = best.copy()
    elsewhere[5] = 9  # Arabic 5 is nearest to English 9
    out, made = freedp.repair_gaps(
        scorer, spans, ratio=1.0, report_of=[0] * 12, nearest=(best, elsewhere)
    )
    assert made == 0 and out == spans
