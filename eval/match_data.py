"""The documents and test articles of eval/match.py, built from the shared corpora.

Documents (English and Arabic, line-aligned, one paragraph per line):
- NTREX-128: DOCUMENT_IDS.tsv gives each line's document (123 documents);
- FLORES-200 devtest: metadata_devtest.tsv gives each line's source URL (one document a URL);
- UNPC v1.0 dev: the first field of UNv1.0.devset.ids is the UN document symbol;
- TICO-19 test: tico19-test.en.info names each line's source; sources are long, so each is
  cut into chunks of 12 consecutive lines (documents "tico:SOURCE:N", labelled so).

Articles (seeded): "whole" (an Arabic document as is), "rewritten" (paragraphs moved and about a
quarter dropped), "compiled2"/"compiled3" (blocks of 2 or 3 documents concatenated) and
"absent" (a whole or rewritten document whose English is kept out of the pool).
Split: each document goes to dev or test by the parity of its position in its corpus; an
article only uses documents of its split. `more_dev_articles` builds further dev articles (no
absent ones: those would change the pool) from dev documents no article uses, so that the
thresholds are tuned on more compilations than the 18 of the main dev set.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from eval.common import CORPORA, need

TICO_CHUNK = 12


@dataclass
class Doc:
    id: str
    corpus: str
    en: list[str]
    ar: list[str]
    split: str = "dev"


@dataclass
class Article:
    id: str
    kind: str
    split: str
    paragraphs: list[str]
    sources: list[str] = field(default_factory=list)  # empty: no source in the pool


def _lines(path) -> list[str]:
    return need(path).read_text(encoding="utf-8").splitlines()


def _group(keys: list[str], en: list[str], ar: list[str], corpus: str) -> list[Doc]:
    docs: dict[str, Doc] = {}
    for key, e, a in zip(keys, en, ar, strict=True):
        if not e.strip() or not a.strip():
            continue
        docs.setdefault(key, Doc(key, corpus, [], [])).en.append(e)
        docs[key].ar.append(a)
    return list(docs.values())


def documents() -> list[Doc]:
    out: list[Doc] = []
    n = CORPORA / "ntrex128"
    ids = _lines(n / "DOCUMENT_IDS.tsv")
    out += _group(
        [f"ntrex_{i}" for i in ids],
        _lines(n / "newstest2019-src.eng.txt"),
        _lines(n / "newstest2019-ref.arb.txt"),
        "ntrex",
    )
    f = CORPORA / "flores200-devtest"
    urls = [line.split("\t")[0] for line in _lines(f / "metadata_devtest.tsv")[1:]]
    number = {u: i for i, u in enumerate(dict.fromkeys(urls))}
    out += _group(
        [f"flores_{number[u]}" for u in urls],
        _lines(f / "eng_Latn.devtest"),
        _lines(f / "arb_Arab.devtest"),
        "flores",
    )
    u = CORPORA / "unpc-v1.0-dev"
    symbols = [line.split()[0].replace("/", "_") for line in _lines(u / "UNv1.0.devset.ids")]
    out += _group(
        [f"unpc_{s}" for s in symbols],
        _lines(u / "UNv1.0.devset.en"),
        _lines(u / "UNv1.0.devset.ar"),
        "unpc",
    )
    t = CORPORA / "tico19-test"
    sources = [line.split("\t")[0].split(":")[0] for line in _lines(t / "tico19-test.en.info")]
    keys, count, last = [], 0, None
    for s in sources:
        count = 0 if s != last else count + 1
        last = s
        keys.append(f"tico_{s}_{count // TICO_CHUNK}")
    out += _group(keys, _lines(t / "tico19-test.en"), _lines(t / "tico19-test.ar"), "tico")
    position: dict[str, int] = {}
    for doc in out:
        position[doc.corpus] = position.get(doc.corpus, -1) + 1
        doc.split = "dev" if position[doc.corpus] % 2 == 0 else "test"
    return out


def _rewrite(lines: list[str], rng: random.Random) -> list[str]:
    keep = [x for x in lines if rng.random() > 0.25] or lines[:2]
    if len(keep) < 2:
        keep = lines[:2]
    cut = rng.randrange(1, len(keep)) if len(keep) > 1 else 0
    return keep[cut:] + keep[:cut]  # a block moved to the front


def _block(lines: list[str], rng: random.Random, most: int = 8) -> list[str]:
    size = min(len(lines), most, max(2, round(len(lines) * rng.uniform(0.5, 0.8))))
    start = rng.randrange(0, len(lines) - size + 1)
    return lines[start : start + size]


def articles(
    docs: list[Doc], seed: int = 11, per_split: dict[str, int] | None = None
) -> tuple[list[Article], set[str]]:
    """The articles of both splits and the ids of the documents kept out of the pool."""
    per_split = per_split or {
        "whole": 30,
        "rewritten": 20,
        "compiled2": 10,
        "compiled3": 8,
        "absent": 25,
    }
    rng = random.Random(seed)
    out: list[Article] = []
    held_out: set[str] = set()
    for split in ("dev", "test"):
        usable = [d for d in docs if d.split == split and len(d.ar) >= 3]
        by_corpus: dict[str, list[Doc]] = {}
        for d in usable:
            by_corpus.setdefault(d.corpus, []).append(d)
        for group in by_corpus.values():
            rng.shuffle(group)
        corpora = sorted(by_corpus)

        def take(i: int, by_corpus=by_corpus, corpora=corpora) -> Doc:
            return by_corpus[corpora[i % len(corpora)]].pop()

        n = 0
        for kind, count in per_split.items():
            for _ in range(count):
                n += 1
                aid = f"{split}-{kind}-{n:03d}"
                if kind in ("whole", "rewritten"):
                    d = take(n)
                    text = d.ar if kind == "whole" else _rewrite(d.ar, rng)
                    out.append(Article(aid, kind, split, list(text), [d.id]))
                elif kind.startswith("compiled"):
                    parts = [take(n + j) for j in range(int(kind[-1]))]
                    text = [line for d in parts for line in _block(d.ar, rng)]
                    out.append(Article(aid, kind, split, text, [d.id for d in parts]))
                else:
                    d = take(n)
                    held_out.add(d.id)
                    text = d.ar if rng.random() < 0.5 else _rewrite(d.ar, rng)
                    out.append(Article(aid, kind, split, list(text), []))
    return out, held_out


def more_dev_articles(
    docs: list[Doc], used: set[str], seed: int = 12, per_kind: dict[str, int] | None = None
) -> list[Article]:
    """Extra dev articles (ids "dev+..."), from dev documents not in `used`; the test split and
    the pool are untouched."""
    per_kind = per_kind or {"whole": 10, "rewritten": 20, "compiled2": 20, "compiled3": 30}
    rng = random.Random(seed)
    by_corpus: dict[str, list[Doc]] = {}
    for d in docs:
        if d.split == "dev" and len(d.ar) >= 3 and d.id not in used:
            by_corpus.setdefault(d.corpus, []).append(d)
    for group in by_corpus.values():
        rng.shuffle(group)
    corpora = sorted(by_corpus)
    turn = 0

    def take() -> Doc:  # corpora in turn, as `articles` does, skipping spent ones
        nonlocal turn
        while not by_corpus[corpora[turn % len(corpora)]]:
            turn += 1
        turn += 1
        return by_corpus[corpora[(turn - 1) % len(corpora)]].pop()

    out: list[Article] = []
    n = 0
    for kind, count in per_kind.items():
        for _ in range(count):
            n += 1
            aid = f"dev+{kind}-{n:03d}"
            if kind in ("whole", "rewritten"):
                d = take()
                text = d.ar if kind == "whole" else _rewrite(d.ar, rng)
                out.append(Article(aid, kind, "dev", list(text), [d.id]))
            else:
                parts = [take() for _ in range(int(kind[-1]))]
                text = [line for d in parts for line in _block(d.ar, rng)]
                out.append(Article(aid, kind, "dev", text, [d.id for d in parts]))
    return out
