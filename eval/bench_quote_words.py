"""What the cut check's word evidence (xling/audit/quote_words.py) costs the audit.

Audits the same documents twice in one process, with the e5 vectors cached so the encoder's
cost is the same in both: first without the word evidence (`WORDS_FROM` = +inf: the lengths
decide alone, as before the seventh session), then with it (the shipped setting). The word
aligner is built before the timed runs; its build time is reported apart (a process that
audits pays it once, on the first short quotation). Reports the fastest of `--repeat`
alternated runs of each, the ratio, and how many quotations got the word evidence.

    .venv/bin/python eval/bench_quote_words.py --embed-cache eval/out/e5-cache.npz \
        --out eval/results/bench_quote_words.json     # NTREX-128 (dev), ~1 min here
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from audit_corruption import CachedEmbedder, _ntrex  # noqa: E402
from common import ROOT, machine  # noqa: E402

import xling.audit.quotes as audit_quotes  # noqa: E402
from xling.align.sentences import default_embedder  # noqa: E402
from xling.align.words import default_aligner  # noqa: E402
from xling.audit.run import audit_document  # noqa: E402


def run(docs, embedder) -> tuple[float, int]:
    started = time.perf_counter()
    measured = 0
    for doc in docs:
        report = audit_document(doc.id, "\n".join(doc.en), "\n".join(doc.ar), embedder=embedder)
        measured += sum(
            1
            for q in report.to_json()["quotes"]
            if "inside_share" in ((q.get("fidelity") or {}).get("cut") or {})
        )
    return time.perf_counter() - started, measured


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--embed-cache", type=Path, default=None)
    ap.add_argument("--limit", type=int, default=None, help="first N NTREX-128 documents")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each, the fastest counts")
    ap.add_argument(
        "--out", type=Path, default=ROOT / "eval" / "results" / "bench_quote_words.json"
    )
    args = ap.parse_args()
    embedder = CachedEmbedder(default_embedder(), args.embed_cache)
    docs = _ntrex(args.limit)
    started = time.perf_counter()  # before any audit, which would build it on a short quote
    aligner = default_aligner()
    build = time.perf_counter() - started
    if aligner is None:
        sys.exit("the word aligner is not available (simalign and the e5-small encoder)")
    run(docs[:3], embedder)  # warm the caches and imports
    shipped = audit_quotes.WORDS_FROM
    times: dict[str, list[float]] = {"without": [], "with": []}
    for _ in range(args.repeat):  # alternated; the fastest of each (a shared machine)
        audit_quotes.WORDS_FROM = float("inf")
        times["without"].append(run(docs, embedder)[0])
        audit_quotes.WORDS_FROM = shipped
        seconds, measured = run(docs, embedder)
        times["with"].append(seconds)
    without, with_words = min(times["without"]), min(times["with"])
    out = {
        "machine": machine(),
        "documents": len(docs),
        "corpus": "NTREX-128 (dev)",
        "aligner_build_seconds": round(build, 2),
        "seconds_lengths_only": round(without, 2),
        "seconds_with_word_evidence": round(with_words, 2),
        "ratio": round(with_words / without, 3),
        "quotations_with_word_evidence": measured,
        "repeat": args.repeat,
        "note": "one process, e5 vectors cached; lengths-only = WORDS_FROM +inf; the fastest "
        "of the alternated runs",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
