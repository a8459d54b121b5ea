"""`xling translate --ray`: same outputs as a local run, scaling with workers and nodes, overhead.

    python eval/ray_scaling.py same --model tiny --docs 50            # 50 NTREX articles
    python eval/ray_scaling.py same --model fast --docs 10 --lines 3
    python eval/ray_scaling.py scaling --model fast --docs 6 --lines 3

Input: the first --docs NTREX-128 documents written as articles (one paragraph per line; with
--lines N only their first N lines). Every run is the real CLI in a subprocess, one at a time.
`tiny` is the random-weight Marian model of the tests (built into eval/out/tiny-home; its
English is noise, but it is a real CTranslate2 int8 model, so batch effects are real).

same: a local run as shipped (batches cross articles), a local run with --article-batches, and a
2-worker private Ray instance (--ray); files compared sentence by sentence.
scaling: local (1 and 2 threads), then Ray with 1 and 2 single-thread workers on one node, and
with 2 workers on two Ray nodes started on this machine (`ray start --head` + `ray start
--address`, loopback only). Wall time includes starting Ray and loading models; "steady"
is the driver's articles/s from the moment all workers are ready.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
from common import OUT, ROOT, fill_results, machine, ntrex_documents, save

XLING = [sys.executable, "-m", "xling"]
RAY = str(Path(sys.executable).with_name("ray"))
# Ray's local-only mode; `ray start` clusters use token auth, which their clients must ask for
LOOPBACK = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_AUTH_MODE": "token"}


def tiny_home() -> Path:
    home = OUT / "tiny-home"
    if not (home / "models" / "marian-tiny" / "xling-model.json").is_file():
        sys.path.insert(0, str(ROOT / "tests"))
        from marian_fixture import make_random_marian

        from xling.models.importers import convert_hf_checkpoint

        checkpoint = make_random_marian(OUT / "tiny-checkpoint")
        convert_hf_checkpoint(checkpoint, "marian-tiny", out_root=home / "models", force=True)
    return home


def model_env(model: str) -> tuple[str, dict[str, str]]:
    if model == "tiny":
        return "marian-tiny", {**os.environ, "XLING_HOME": str(tiny_home())}
    return model, dict(os.environ)


def write_input(folder: Path, docs: int, lines: int | None) -> tuple[int, int]:
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i, (_, doc_lines) in enumerate(ntrex_documents(docs)):
        kept = doc_lines[:lines] if lines else doc_lines
        (folder / f"ntrex{i:03d}.txt").write_text("\n".join(kept) + "\n", encoding="utf-8")
        total += len(kept)
    return docs, total


def translate(src: Path, out: Path, model: str, env: dict, *extra: str) -> dict:
    cmd = [*XLING, "translate", str(src), "-o", str(out), "-m", model, *extra]
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=4 * 3600)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr}")
    summary = proc.stderr.strip().splitlines()[-1]
    steady = re.search(r"then ([\d.]+) articles/s", summary)
    articles = int(re.search(r"(\d+) article\(s\) translated", summary).group(1))
    return {
        "command": " ".join(["xling", *cmd[3:]]),
        "wall_s": round(wall, 1),
        "articles_per_s": round(articles / wall, 4),
        "steady_articles_per_s": float(steady.group(1)) if steady else None,
        "summary": summary,
        "load_average": os.getloadavg()[0],
    }


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def compare(a: Path, b: Path) -> dict:
    """Files, articles and sentences that differ between two output folders."""
    names = sorted(p.name for p in a.iterdir() if not p.name.startswith("."))
    other = sorted(p.name for p in b.iterdir() if not p.name.startswith("."))
    assert names == other, "the two runs wrote different file names"
    files = sum((a / n).read_bytes() != (b / n).read_bytes() for n in names)
    articles = sentences = total = 0
    examples = []
    for name in (n for n in names if n.endswith(".jsonl")):
        ra, rb = records(a / name), records(b / name)
        diff = [(x, y) for x, y in zip(ra, rb, strict=True) if x["mt"] != y["mt"]]
        total += len(ra)
        sentences += len(diff)
        articles += bool(diff)
        if diff and len(examples) < 3:
            examples.append({"article": name, "src": diff[0][0]["src"][:80]})
    return {
        "files": len(names),
        "files_differing": files,
        "articles_differing": articles,
        "sentences": total,
        "sentences_differing": sentences,
        "examples": examples,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def ray_nodes(cpus: list[int], env: dict) -> Iterator[str]:
    """A Ray cluster of len(cpus) nodes on this machine (loopback), one `ray start --block`
    each; stopped by signalling those processes (and, failing that, their own children)."""
    env = {**env, **LOOPBACK}
    if len(cpus) > 1:  # Ray refuses a second node in its local-only mode; allow it explicitly
        env["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "1"
    port = free_port()
    address = f"127.0.0.1:{port}"
    common = ["--disable-usage-stats", "--block"]
    procs: list[subprocess.Popen] = []
    try:
        head = [RAY, "start", "--head", "--node-ip-address=127.0.0.1", f"--port={port}"]
        head.append("--include-dashboard=false")  # only the head node takes this flag
        procs.append(subprocess.Popen([*head, f"--num-cpus={cpus[0]}", *common], env=env))
        wait_nodes(address, 1, env)
        for n, count in enumerate(cpus[1:], 2):
            node = [RAY, "start", f"--address={address}", "--node-ip-address=127.0.0.1"]
            procs.append(subprocess.Popen([*node, f"--num-cpus={count}", *common], env=env))
            wait_nodes(address, n, env)
        yield address
    finally:
        children = [c for p in procs for c in psutil.Process(p.pid).children(recursive=True)]
        for p in reversed(procs):
            p.terminate()
            p.wait(timeout=120)
        _, alive = psutil.wait_procs(children, timeout=30)
        for c in alive:
            c.kill()


def wait_nodes(address: str, count: int, env: dict, timeout: float = 180) -> None:
    probe = (
        f"import logging, ray; ray.init(address={address!r}, logging_level=logging.ERROR); "
        "print(sum(n['Alive'] for n in ray.nodes()))"
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        proc = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True)
        if proc.returncode == 0 and int(proc.stdout.split()[-1]) >= count:
            return
        time.sleep(2)
    sys.exit(f"Ray cluster at {address} did not reach {count} node(s)")


def cmd_same(args: argparse.Namespace, work: Path) -> dict:
    model, env = model_env(args.model)
    docs, lines = write_input(work / "in", args.docs, args.lines)
    runs = {
        "local": translate(work / "in", work / "local", model, env),
        "local_article_batches": translate(
            work / "in", work / "local-ab", model, env, "--article-batches"
        ),
        "ray_2_workers": translate(
            work / "in", work / "ray", model, env, "--ray", "--workers", "2"
        ),
    }
    return {
        "articles": docs,
        "lines": lines,
        "runs": runs,
        "ray_vs_local": compare(work / "local", work / "ray"),
        "ray_vs_local_article_batches": compare(work / "local-ab", work / "ray"),
        "local_vs_local_article_batches": compare(work / "local", work / "local-ab"),
    }


def cmd_scaling(args: argparse.Namespace, work: Path) -> dict:
    model, env = model_env(args.model)
    docs, lines = write_input(work / "in", args.docs, args.lines)
    src = work / "in"
    ab = "--article-batches"
    runs = {}
    runs["local_1_thread"] = translate(src, work / "l1", model, env, ab, "--threads", "1")
    runs["local_2_threads"] = translate(src, work / "l2", model, env, ab, "--threads", "2")
    runs["ray_private_1x1"] = translate(src, work / "p1", model, env, "--ray", "--workers", "1")
    joined = {**env, **LOOPBACK}
    with ray_nodes([2], env) as address:
        for n in (1, 2):
            runs[f"ray_1_node_{n}x1"] = translate(
                src, work / f"n1w{n}", model, joined, f"--ray={address}", "--workers", str(n)
            )
    with ray_nodes([1, 1], env) as address:
        runs["ray_2_nodes_2x1"] = translate(
            src,
            work / "n2w2",
            model,
            {**joined, "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "1"},
            f"--ray={address}",
            "--workers",
            "2",
        )
    base = runs["local_1_thread"]["wall_s"]
    for run in runs.values():
        run["speedup_vs_local_1_thread"] = round(base / run["wall_s"], 2)
    one = runs["ray_1_node_1x1"]["steady_articles_per_s"]
    for name in ("ray_1_node_2x1", "ray_2_nodes_2x1"):
        rate = runs[name]["steady_articles_per_s"]
        runs[name]["steady_speedup_vs_1_worker"] = round(rate / one, 2)
    same = all(
        compare(work / "l1", work / d)["files_differing"] == 0
        for d in ("l2", "p1", "n1w1", "n1w2", "n2w2")
    )
    return {"articles": docs, "lines": lines, "runs": runs, "all_outputs_identical": same}


def fill_section(result: dict) -> None:
    """Put the scaling table into eval/RESULTS.md (its ray-scaling block)."""
    rows = [
        "| run | wall s | articles/s (wall) | steady articles/s | speed-up vs local 1 thread |",
        "|---|---|---|---|---|",
    ]
    for name, run in result["runs"].items():
        steady = run["steady_articles_per_s"]
        rows.append(
            f"| {name} | {run['wall_s']} | {run['articles_per_s']} | "
            f"{steady if steady is not None else '-'} | {run['speedup_vs_local_1_thread']} |"
        )
    rows.append(
        f"\n{result['articles']} articles, {result['lines']} lines; steady speed-up of 2 workers "
        f"over 1: one node {result['runs']['ray_1_node_2x1']['steady_speedup_vs_1_worker']}, two "
        f"nodes {result['runs']['ray_2_nodes_2x1']['steady_speedup_vs_1_worker']}; all outputs "
        f"identical: {result['all_outputs_identical']}; overhead (Ray 1 worker vs local 1 "
        f"thread, wall): {result['runs']['ray_private_1x1']['wall_s']} s vs "
        f"{result['runs']['local_1_thread']['wall_s']} s."
    )
    fill_results("ray-scaling", "\n".join(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("same", "scaling"))
    parser.add_argument("--model", default="fast", help="fast, tiny or any built model")
    parser.add_argument("--docs", type=int, default=50)
    parser.add_argument("--lines", type=int, default=None, help="first N lines of each document")
    args = parser.parse_args()
    work = OUT / f"ray-{args.what}-{args.model}"
    if work.exists():
        import shutil

        shutil.rmtree(work)
    started = time.perf_counter()
    result = (cmd_same if args.what == "same" else cmd_scaling)(args, work)
    result.update(
        {
            "what": args.what,
            "model": args.model,
            "machine": machine(),
            "seconds": round(time.perf_counter() - started),
            "command": "python " + " ".join(sys.argv),
        }
    )
    save(f"ray_{args.what}_{args.model}", result)
    if args.what == "scaling":
        fill_section(result)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
