"""Choosing among a beam's candidates (issue 13): the beam's best, minimum Bayes risk with chrF
(`--select mbr`) and the candidate closest to the source (`--select e5`), from ONE decode.

    python eval/candidates.py --model quality --corpus ntrex --limit 100 --beam 4

Decodes the lines once with `beam` candidates each (what `xling translate --candidates N` does),
records every candidate, and scores each selection rule's choice (before the number and script
guards, which act the same on any choice). Greedy decoding is `eval/quality.py`'s run. Writes
eval/out/candidates-<model>-<corpus>-<limit>-b<beam>.json.
"""

from __future__ import annotations

import argparse
import json
import time

from common import OUT, flores, machine, ntrex, save
from quality import scores

from xling.align.embed import load_embedder
from xling.models.names import resolve_alias
from xling.translate.batch import BatchOptions, BatchTranslator
from xling.translate.engine import EngineOptions, load_engine
from xling.translate.select import closest_to_source, consensus


class Recording(BatchTranslator):
    """A batch translator that keeps every piece's candidates (first pass only)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen: dict[str, list] = {}

    def _choose(self, pieces, decoded):
        for piece, hyps in zip(pieces, decoded, strict=True):
            self.seen.setdefault(piece.text, hyps)
        return super()._choose(pieces, decoded)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="quality")
    parser.add_argument("--corpus", choices=("flores", "ntrex"), default="ntrex")
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()

    if args.corpus == "flores":
        sources, refs = flores(args.limit)
    else:
        sources, refs, _ = ntrex(args.limit)
    model = resolve_alias(args.model)
    engine = load_engine(model, EngineOptions(beam=args.beam, threads=args.threads))
    options = BatchOptions(beam=args.beam, candidates=args.beam, select="mbr")
    translator = Recording(engine, options)
    started = time.perf_counter()
    results = list(translator.translate(sources))
    elapsed = time.perf_counter() - started
    # a sentence split in pieces has no single candidate list: score its final text throughout
    lists = [translator.seen.get(s) for s in sources]
    embedder = load_embedder(threads=args.threads)
    chosen: dict[str, list[str]] = {"beam_best": [], "mbr": [], "e5": []}
    for src, hyps, result in zip(sources, lists, results, strict=True):
        if hyps is None:
            for rule in chosen:
                chosen[rule].append(result.first or result.text)
            continue
        vectors = embedder.embed([src] + [h.text for h in hyps])
        chosen["beam_best"].append(hyps[0].text)
        chosen["mbr"].append(consensus(hyps).text)
        chosen["e5"].append(closest_to_source(vectors[0], vectors[1:], hyps).text)
    report = {
        "model": model,
        "corpus": f"{args.corpus}[:{len(sources)}]",
        "beam": args.beam,
        "machine": machine(),
        "seconds": round(elapsed, 1),
        "sentences_per_s": round(len(sources) / elapsed, 3),
        "split_sentences": sum(h is None for h in lists),
        "first_pass": {rule: scores(refs, mts, sources) for rule, mts in chosen.items()},
        "mbr_with_guards": scores(refs, [r.text for r in results], sources),
        "same_as_beam_best": {
            rule: sum(a == b for a, b in zip(chosen[rule], chosen["beam_best"], strict=True))
            for rule in ("mbr", "e5")
        },
    }
    tag = f"candidates-{model}-{args.corpus}-{len(sources)}-b{args.beam}"
    save(tag, report)
    with open(OUT / f"{tag}.jsonl", "w", encoding="utf-8") as handle:
        for i, (src, ref) in enumerate(zip(sources, refs, strict=True)):
            row = {"src": src, "ref": ref, **{rule: chosen[rule][i] for rule in chosen}}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
