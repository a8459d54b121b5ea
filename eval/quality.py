"""Translation quality and number preservation of a model on FLORES-200 devtest and NTREX-128.

    python eval/quality.py --model fast --corpus flores --limit 200
    python eval/quality.py --model quality --corpus ntrex --limit 100
    python eval/quality.py --model fast --corpus ntrex --limit 100 --compute-type float32

Prints sacrebleu BLEU and chrF (with signatures), number preservation (share of reference
sentences that have numbers whose numbers all appear in the translation) and how many sentences
the number guard flagged and fixed, each for the first pass ("guard off") and the final output
("guard on") of the same run. Writes eval/out/quality-<model>-<corpus>-<limit>.json and the
translations beside it.
"""

from __future__ import annotations

import argparse
import json
import time

import sacrebleu
from common import OUT, flores, machine, ntrex, save

from xling.models.names import resolve_alias
from xling.text.numbers import extract_numbers, missing_numbers
from xling.translate.batch import BatchOptions, BatchTranslator
from xling.translate.engine import EngineOptions, load_engine
from xling.translate.presets import PRESETS
from xling.translate.script import arabic_runs


def number_preservation(refs: list[str], hyps: list[str]) -> tuple[float, int]:
    with_numbers = [(r, h) for r, h in zip(refs, hyps, strict=True) if extract_numbers(r, "en")]
    kept = sum(not missing_numbers(r, "en", h, "en") for r, h in with_numbers)
    return kept / max(1, len(with_numbers)), len(with_numbers)


def scores(refs: list[str], hyps: list[str], sources: list[str]) -> dict:
    bleu = sacrebleu.metrics.BLEU()
    chrf = sacrebleu.metrics.CHRF()
    b = bleu.corpus_score(hyps, [refs])
    c = chrf.corpus_score(hyps, [refs])
    kept, n = number_preservation(refs, hyps)
    src_flags = sum(
        bool(missing_numbers(s, "ar", h, "en")) for s, h in zip(sources, hyps, strict=True)
    )
    return {
        "bleu": round(b.score, 2),
        "bleu_signature": str(bleu.get_signature()),
        "chrf": round(c.score, 2),
        "chrf_signature": str(chrf.get_signature()),
        "numbers_kept": round(kept, 4),
        "ref_sentences_with_numbers": n,
        "sentences_missing_source_numbers": src_flags,
        "lines_with_arabic_letters": sum(bool(arabic_runs(h)) for h in hyps),
    }


def rescore(tag: str) -> None:
    """Recompute the scores of a finished run from its saved translations (no decoding)."""
    report = json.loads((OUT / f"{tag}.json").read_text(encoding="utf-8"))
    rows = [json.loads(x) for x in (OUT / f"{tag}.mt.jsonl").read_text().splitlines()]
    sources, refs = [r["src"] for r in rows], [r["ref"] for r in rows]
    report["guard_off"] = scores(refs, [r["first"] or r["mt"] for r in rows], sources)
    report["guard_on"] = scores(refs, [r["mt"] for r in rows], sources)
    save(tag, report)
    print(json.dumps(report, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="fast")
    parser.add_argument("--corpus", choices=("flores", "ntrex"), default="flores")
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--beam", type=int, default=1)
    parser.add_argument("--shots", type=int, default=None)
    parser.add_argument("--batch-tokens", type=int, default=0)
    parser.add_argument("--compute-type", default="default", help="CTranslate2 compute type")
    parser.add_argument("--own-shots", type=int, default=None, help="of --shots, chosen per input")
    parser.add_argument("--candidates", type=int, default=1, help="> 1: MBR (chrF) among them")
    parser.add_argument("--select", choices=("mbr", "e5"), default="mbr")
    parser.add_argument("--length-penalty", type=float, default=1.0)
    parser.add_argument("--repetition-penalty", type=float, default=1.0)
    parser.add_argument("--preset", default=None, help="an xling translate preset")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--label", default="", help="appended to the output's name")
    parser.add_argument("--rescore", metavar="TAG", help="rescore eval/out/TAG.json, no decoding")
    args = parser.parse_args()
    if args.rescore:
        return rescore(args.rescore)

    if args.corpus == "flores":
        sources, refs = flores(args.limit)
    else:
        sources, refs, _ = ntrex(args.limit)
    if args.preset:
        preset = PRESETS[args.preset]
        args.model, args.beam, args.candidates = preset.model, preset.beam, preset.candidates
        args.select = preset.select
        args.shots, args.own_shots = preset.shots, preset.own_shots
    model = resolve_alias(args.model)
    options = EngineOptions(
        beam=args.beam,
        shots=args.shots,
        own_shots=args.own_shots,
        batch_tokens=args.batch_tokens,
        compute_type=args.compute_type,
        length_penalty=args.length_penalty,
        repetition_penalty=args.repetition_penalty,
        threads=args.threads,
    )
    engine = load_engine(model, options)
    translator = BatchTranslator(
        engine, BatchOptions(beam=args.beam, candidates=args.candidates, select=args.select)
    )
    started = time.perf_counter()
    results = list(translator.translate(sources))
    elapsed = time.perf_counter() - started
    final = [r.text for r in results]
    first = [r.first or r.text for r in results]
    stats = translator.stats
    report = {
        "model": model,
        "corpus": args.corpus,
        "lines": len(sources),
        "beam": args.beam,
        "candidates": args.candidates,
        "select": args.select if args.candidates > 1 else None,
        "own_shots": args.own_shots,
        "length_penalty": args.length_penalty,
        "repetition_penalty": args.repetition_penalty,
        "preset": args.preset,
        "compute_type": engine.compute_type,
        "shots": engine.prompt.shots if hasattr(engine, "prompt") else None,
        "machine": machine(),
        "seconds": round(elapsed, 1),
        "sentences_per_s": round(len(sources) / elapsed, 3),
        "guard_off": scores(refs, first, sources),
        "guard_on": scores(refs, final, sources),
        "guard_tried": stats.guard_tried,
        "guard_fixed": stats.guard_fixed,
        "hint_tried": stats.hint_tried,
        "hint_fixed": stats.hint_fixed,
        "halves_tried": stats.halves_tried,
        "halves_fixed": stats.halves_fixed,
        "flagged_numbers_ok_false": stats.numbers_bad,
        "split": stats.split,
        "resplit": stats.resplit,
    }
    tag = (
        f"quality-{model}-{args.corpus}-{len(sources)}"
        + (
            f"-{args.preset}"
            if args.preset
            else (f"-shots{args.shots}" if args.shots is not None else "")
            + (f"-own{args.own_shots}" if args.own_shots is not None else "")
            + (f"-beam{args.beam}" if args.beam != 1 else "")
            + (f"-{args.select}{args.candidates}" if args.candidates > 1 else "")
            + (f"-lp{args.length_penalty:g}" if args.length_penalty != 1.0 else "")
            + (f"-rp{args.repetition_penalty:g}" if args.repetition_penalty != 1.0 else "")
            + (f"-{args.compute_type}" if args.compute_type != "default" else "")
        )
        + (f"-{args.label}" if args.label else "")
    )
    save(tag, report)
    with open(OUT / f"{tag}.mt.jsonl", "w", encoding="utf-8") as handle:
        for s, r, res in zip(sources, refs, results, strict=True):
            handle.write(
                json.dumps(
                    {
                        "src": s,
                        "ref": r,
                        "mt": res.text,
                        "first": res.first,
                        "numbers_ok": res.numbers_ok,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
