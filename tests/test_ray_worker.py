"""The pieces of `--ray` that need no Ray: the worker's exactly-once check, shards, planning,
per-article batching. The worker class is a plain class that Ray wraps into an actor."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import pytest

from xling.distributed.outputs import open_output
from xling.distributed.plan import add_ray_arguments, plan_workers
from xling.distributed.shards import make_shards
from xling.distributed.translate_job import TranslateJob, TranslateWorker
from xling.errors import XlingError
from xling.io.articles import iter_articles
from xling.models import store
from xling.translate.batch import BatchOptions, BatchTranslator
from xling.translate.engine import EngineOptions, load_engine
from xling.translate.pipeline import translate_articles

TEXT = "قال المتحدث إن 130 شخصا قتلوا.\nوأضاف أن الهجوم وقع في عام 2024.\n"


@pytest.fixture
def home(tiny_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XLING_HOME", str(tiny_home))
    return tiny_home


def articles(folder: Path, count: int) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"a{i}.txt").write_text(TEXT.replace("130", str(130 + i)), encoding="utf-8")
    found, _ = iter_articles([str(folder)])
    return list(found)


def worker(out: Path, force: bool = False) -> TranslateWorker:
    job = TranslateJob(
        model_folder=str(store.resolve("marian-tiny").resolve()),
        engine=EngineOptions(device="cpu", threads=1),
        batch=BatchOptions(),
        out=str(out),
        force=force,
        since=open_output(str(out)).stamp(),
    )
    return TranslateWorker(job)


def test_a_retried_shard_skips_what_a_dead_worker_finished(home: Path, tmp_path: Path) -> None:
    arts = articles(tmp_path / "in", 3)
    out = tmp_path / "out"
    first = worker(out)
    gen = first.run(arts)
    assert next(gen).status == "done"  # a0 written... and then the worker "dies"
    written = (out / "a0.en.txt").stat().st_ino
    retry = worker(out)  # the replacement gets the whole unreported rest, a0 included
    assert [(o.key, o.status) for o in retry.run(arts)] == [
        ("a0", "skipped"),
        ("a1", "done"),
        ("a2", "done"),
    ]
    assert (out / "a0.en.txt").stat().st_ino == written


def test_force_redoes_old_outputs_but_not_this_runs(home: Path, tmp_path: Path) -> None:
    arts = articles(tmp_path / "in", 2)
    out = tmp_path / "out"
    list(worker(out).run(arts))  # an earlier run
    old = (out / "a1.en.txt").stat().st_ino
    time.sleep(0.05)  # the filesystem clock moves on between runs
    forced = worker(out, force=True)  # this run starts now
    assert [o.status for o in forced.run(arts[:1])] == ["done"]
    # a retry in the same run: a0 (written by this run) is kept, a1 (older) is redone
    again = TranslateWorker(forced.job)
    assert [o.status for o in again.run(arts)] == ["skipped", "done"]
    assert (out / "a1.en.txt").stat().st_ino != old


def test_fsspec_url_output_writes_the_same_files(home: Path, tmp_path: Path) -> None:
    arts = articles(tmp_path / "in", 2)
    list(worker(tmp_path / "plain").run(arts))
    url = (tmp_path / "url").as_uri()
    w = worker(tmp_path / "unused")
    w.output = open_output(url)
    assert [o.status for o in w.run(arts)] == ["done", "done"]
    assert [o.status for o in w.run(arts)] == ["skipped", "skipped"]
    for name in ("a0.en.txt", "a0.jsonl", "a1.en.txt", "a1.jsonl"):
        assert (tmp_path / "url" / name).read_bytes() == (tmp_path / "plain" / name).read_bytes()
    assert not [p for p in os.listdir(tmp_path / "url") if p.startswith(".")]


def test_article_batches_do_not_depend_on_the_company(home: Path, tmp_path: Path) -> None:
    """With per-article batching an article translates the same alone or among others."""
    arts = articles(tmp_path / "in", 4)
    translator = BatchTranslator(load_engine("marian-tiny", EngineOptions(device="cpu")))
    together, alone = {}, {}
    translate_articles(
        arts,
        translator,
        None,
        on_article=lambda a, t: together.update({a.doc.id: t}),
        per_article=True,
    )
    for article in reversed(arts):
        translate_articles(
            [article], translator, None, on_article=lambda a, t: alone.update({a.doc.id: t})
        )
    assert {k: [t.text for t in v] for k, v in together.items()} == {
        k: [t.text for t in v] for k, v in alone.items()
    }


def test_shards_and_worker_planning() -> None:
    assert [s.items for s in make_shards(range(7), 3)] == [[0, 1, 2], [3, 4, 5], [6]]
    parser = argparse.ArgumentParser()
    add_ray_arguments(parser)
    args = parser.parse_args(["--ray"])
    assert args.ray == "local"
    assert plan_workers(args, {"CPU": 4.0}).workers == 4
    args = parser.parse_args(["--ray=127.0.0.1:6379", "--cpus-per-worker", "2"])
    assert plan_workers(args, {"CPU": 5.0}).workers == 2
    args = parser.parse_args(["--ray", "--gpus-per-worker", "0.5"])
    assert plan_workers(args, {"CPU": 16.0, "GPU": 2.0}).workers == 4
    with pytest.raises(XlingError, match="do not fit the cluster"):
        plan_workers(parser.parse_args(["--ray", "--workers", "3"]), {"CPU": 2.0})
