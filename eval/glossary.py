"""How to enforce a glossary (issue 13): on the sentences of the seed article that contain a term
of corpora/glossary-seed.tsv, decode (1) the plain source, (2) the source with the Arabic term
replaced by its English (what `--glossary` does), (3) the source followed by a note
"(Glossary: Arabic = English)"; count the sentences whose English has every term.

    python eval/glossary.py --model quality

The seed article is development data (the strategy was chosen here); no held-out glossary set
exists in the shared corpora. Writes eval/results/glossary-<model>.json.
"""

from __future__ import annotations

import argparse
import json
import time

from common import CORPORA, ROOT, machine

from xling.models.names import resolve_alias
from xling.text.segment import segment_paragraphs
from xling.translate.batch import BatchOptions, BatchTranslator
from xling.translate.engine import EngineOptions, load_engine
from xling.translate.glossary import load_glossary


def note(source: str, terms) -> str:
    pairs = "; ".join(f"{t.source} = {t.target}" for t in terms)
    return f"{source} (Glossary: {pairs})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="quality")
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()

    glossary = load_glossary(ROOT / "corpora" / "glossary-seed.tsv")
    paragraphs = (CORPORA / "seed" / "moscow-isis-k.ar.txt").read_text(encoding="utf-8")
    sentences = [s.text for s in segment_paragraphs([p for p in paragraphs.splitlines() if p])]
    with_terms = [(s, glossary.applicable(s)) for s in sentences]
    with_terms = [(s, terms) for s, terms in with_terms if terms]
    model = resolve_alias(args.model)
    engine = load_engine(model, EngineOptions(threads=args.threads))
    strategies = {
        "plain": [s for s, _ in with_terms],
        "substitute": [glossary.enforce(s, terms) for s, terms in with_terms],
        "note": [note(s, terms) for s, terms in with_terms],
    }
    report: dict = {"model": model, "sentences": len(with_terms), "strategies": {}}
    for name, texts in strategies.items():
        # the guards off: the strategy alone, one greedy decode each
        options = BatchOptions(number_guard=False, script_guard=False, length_check=False)
        translator = BatchTranslator(engine, options)
        started = time.perf_counter()
        out = [r.text for r in translator.translate(texts)]
        elapsed = time.perf_counter() - started
        kept = [not glossary.missing(s, e) for (s, _), e in zip(with_terms, out, strict=True)]
        terms_total = sum(len(t) for _, t in with_terms)
        terms_kept = sum(
            len(t) - len(glossary.missing(s, e)) for (s, t), e in zip(with_terms, out, strict=True)
        )
        report["strategies"][name] = {
            "sentences_with_every_term": sum(kept),
            "terms_kept": f"{terms_kept}/{terms_total}",
            "seconds": round(elapsed, 1),
            "outputs": out,
        }
        print(name, sum(kept), "/", len(with_terms), f"terms {terms_kept}/{terms_total}")
    # and the whole --glossary path (first pass, guards, re-decode of what breaks a term)
    translator = BatchTranslator(engine, BatchOptions(glossary=glossary))
    started = time.perf_counter()
    results = list(translator.translate(strategies["plain"]))
    report["xling_glossary"] = {
        "sentences_with_every_term": sum(not r.glossary_missing for r in results),
        "flagged_glossary_missing": sum(bool(r.glossary_missing) for r in results),
        "retried": translator.stats.glossary_tried,
        "fixed": translator.stats.glossary_fixed,
        "seconds": round(time.perf_counter() - started, 1),
        "outputs": [r.text for r in results],
    }
    print("xling --glossary", report["xling_glossary"]["sentences_with_every_term"])
    report["sources"] = [s for s, _ in with_terms]
    report["machine"] = machine()
    out = ROOT / "eval" / "results" / f"glossary-{model}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
