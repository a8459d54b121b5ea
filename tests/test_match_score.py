"""Source selection (`xling.match.score`) on real neighbours: the e5-small nearest neighbours of
five dev articles of eval/match.py in its 1,271-report pool, kept in tests/data (no encoder
needed, so these run everywhere and in milliseconds)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from xling.match.index import Hit
from xling.match.score import Thresholds, in_order_runs, margins, neighbours, rank

DATA = Path(__file__).resolve().parent / "data" / "match_hits_dev.json"


@pytest.fixture(scope="module")
def articles() -> dict[str, tuple[Hit, list[str]]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    out = {}
    for a in data["articles"]:
        hit = Hit(
            np.array(a["cosines"], dtype=np.float32),
            np.array(a["report"], dtype=np.int64),
            np.array(a["sentence"], dtype=np.int64),
            a["report_ids"],
            [set() for _ in a["report_ids"]],
        )
        out[a["id"]] = (hit, a["sources"])
    return out


def _selected(hit: Hit, thresholds: Thresholds) -> set[str]:
    return {s.en for s in rank("a", hit, set(), thresholds, 5).selected}


@pytest.mark.parametrize("article", ["dev-compiled3-062", "dev-compiled2-051"])
def test_in_order_run_finds_a_source_of_two_chance_level_sentences(articles, article):
    hit, truth = articles[article]
    # without runs, the source contributing two sentences (margins about 1.01 and 1.04) is lost
    without = _selected(hit, replace(Thresholds(), run_length=0))
    assert without < set(truth)
    assert _selected(hit, Thresholds()) == set(truth)


@pytest.mark.parametrize("article", ["dev-whole-006", "dev-rewritten-038", "dev-absent-070"])
def test_runs_add_no_false_source(articles, article):
    hit, truth = articles[article]
    match = rank(article, hit, set(), Thresholds(), 5)
    assert match.no_source == (not truth)
    assert {s.en for s in match.selected} == set(truth)


def test_a_run_needs_order_and_an_anchor(articles):
    hit, truth = articles["dev-compiled3-062"]
    best, _, where = margins(hit)
    t = Thresholds()
    r = hit.report_ids.index("tico_wiki_9_19")  # the source of the article's first 2 sentences
    assert best[r, 0] < t.sentence_margin <= best[r, 1]  # only one of them explained alone
    args = (t.run_margin, t.run_length, t.run_max_gap)
    runs = in_order_runs(best, where, *args, t.sentence_margin)
    assert runs[r, :2].all() and not runs[r, 2:].any()
    swapped = where.copy()
    swapped[r, [0, 1]] = where[r, [1, 0]]  # the same matches out of order: no run
    assert not in_order_runs(best, swapped, *args, t.sentence_margin)[r].any()
    # no sentence reaching the anchor: no run
    assert not in_order_runs(best, where, *args, best[r, :2].max() + 0.01)[r].any()


def test_small_pools_search_fewer_neighbours():
    assert neighbours(16, 8771) == 16  # eval/match.py's pool
    assert neighbours(16, 2000) == 8
    assert neighbours(16, 190) == 4  # tests/test_match.py's 30 reports
    assert neighbours(2, 10) == 2  # never more than asked
    assert neighbours(16, 100, per_neighbour=0) == 16  # the guard off
