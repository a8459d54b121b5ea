"""Write corpora/fewshot-ar-en.tsv: the small parallel pool few-shot prompts draw examples from.

Drawn from corpora that are NOT used to evaluate translation (FLORES devtest and NTREX are):
TICO-19 test (CC0; its Wikinews / Wikipedia / Wikisource lines, which read like news) and the
UN Parallel Corpus dev set (UNPC terms: free use). Short-to-medium sentences from many
different documents (at most 3 a document), half of them with numbers, so that an example
teaches "keep the figures".

    python eval/make_fewshot_pool.py [../shared/corpora]
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIGITS = re.compile(r"[0-9٠-٩]")


def pick(
    pairs: list[tuple[str, str, str]], n: int, rng: random.Random, per_doc: int = 1
) -> list[tuple[str, str, str]]:
    """n pairs, at most `per_doc` per document, half with digits on both sides."""
    rng.shuffle(pairs)
    seen: dict[str, int] = {}
    with_num, without = [], []
    for doc, ar, en in pairs:
        if seen.get(doc, 0) >= per_doc or not (8 <= len(en.split()) <= 32) or "\t" in ar + en:
            continue
        has = bool(DIGITS.search(ar)) and bool(DIGITS.search(en))
        bucket = with_num if has else without
        if len(bucket) < n // 2:
            bucket.append((doc, ar, en))
            seen[doc] = seen.get(doc, 0) + 1
    return with_num + without


def main() -> None:
    corpora = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpora"
    rng = random.Random(13)
    tico = corpora / "tico19-test"
    info = (tico / "tico19-test.en.info").read_text(encoding="utf-8").splitlines()
    ar = (tico / "tico19-test.ar").read_text(encoding="utf-8").splitlines()
    en = (tico / "tico19-test.en").read_text(encoding="utf-8").splitlines()
    tico_pairs = [
        ("tico:" + meta.split("\t")[1], a.strip(), e.strip())
        for meta, a, e in zip(info, ar, en, strict=True)
        if re.match(r"(Wikinews|Wikipedia|wiki|Wikisource)", meta)
    ]
    unpc = corpora / "unpc-v1.0-dev"
    ids = (unpc / "UNv1.0.devset.ids").read_text(encoding="utf-8").splitlines()
    uar = (unpc / "UNv1.0.devset.ar").read_text(encoding="utf-8").splitlines()
    uen = (unpc / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()
    unpc_pairs = [
        ("unpc:" + i.split()[0], a.strip(), e.strip())
        for i, a, e in zip(ids, uar, uen, strict=True)
    ]
    chosen = pick(tico_pairs, 120, rng, per_doc=3) + pick(unpc_pairs, 60, rng)
    out = ROOT / "corpora" / "fewshot-ar-en.tsv"
    lines = ["source\tar\ten"] + [f"{doc}\t{a}\t{e}" for doc, a, e in chosen]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(chosen)} pairs to {out}")


if __name__ == "__main__":
    main()
