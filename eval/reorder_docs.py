"""Rewritten-article test sets for order-free alignment, built from NTREX-128 documents
(and, by `corpus_sets`, from TICO-19, UNPC and FLORES-200: see there).

Each NTREX document is first perturbed sentence by sentence as in eval/align_docs.py (merges,
splits, omissions, insertions; seed 1), then its gold units are grouped into paragraphs of
1–3 units (the same paragraphs on both sides) and the Arabic is rewritten paragraph-wise:

- "moved": one block of 2–4 consecutive paragraphs moved elsewhere (nothing removed);
- "rewritten": a block moved, one paragraph dropped, one paragraph of another story added,
  a headline (another story's first line) put on top and a caption (a short sentence of
  another story) inserted as a paragraph of its own;
- "compiled": one Arabic article from 2 or 3 documents: runs of 1–3 paragraphs taken from
  each in turn, a paragraph in five dropped; the English reports stay whole.

The gold links follow every unit through the rewrite; English sentences whose Arabic was
dropped are omissions (1-0) and the inserted Arabic sentences additions (0-1).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from align_docs import TestDoc, build, load_documents
from common import CORPORA, need

KINDS = ("moved", "rewritten", "compiled")


@dataclass
class Unit:
    en: list[int]  # flat English ids (reports concatenated)
    ar: list[str]  # Arabic sentence texts


@dataclass
class ReorderDoc:
    doc_id: str
    kind: str
    reports: list[list[tuple[int, str]]]  # per report: (paragraph, English sentence)
    ar: list[tuple[int, str]]  # (paragraph, Arabic sentence)
    gold: list[tuple[list[int], list[int]]]  # (flat English ids, Arabic ids)

    @property
    def en_flat(self) -> list[tuple[int, int, str]]:
        """(report, paragraph, text) of every English sentence, in flat id order."""
        return [(k, p, t) for k, report in enumerate(self.reports) for p, t in report]


PARA_SIZES = (1, 2, 2, 3)  # units per paragraph, drawn for each NTREX paragraph


def paragraphs(
    doc: TestDoc, rng: random.Random, offset: int, sizes: tuple[int, ...] = PARA_SIZES
) -> tuple[list, list[list[Unit]]]:
    """The English sentences with their paragraph, and the paragraphs as lists of units
    (gold links of `doc`, English ids shifted by `offset`)."""
    units = [Unit([offset + i for i in e], [doc.ar[j] for j in a]) for e, a in doc.gold]
    paras: list[list[Unit]] = []
    k = 0
    while k < len(units):
        size = rng.choice(sizes)
        paras.append(units[k : k + size])
        k += size
    english: list[tuple[int, str]] = []
    for p, para in enumerate(paras):
        for unit in para:
            english.extend((p, doc.en[i - offset]) for i in unit.en)
    # Every English sentence is in exactly one unit, in order: ids run 0..n-1 here.
    return english, paras


def move_block(paras: list, rng: random.Random) -> list:
    """One block of 2–4 consecutive paragraphs moved to another place (if there is room)."""
    if len(paras) < 4:
        return paras
    size = rng.randint(2, min(4, len(paras) - 2))
    start = rng.randrange(0, len(paras) - size + 1)
    block, rest = paras[start : start + size], paras[:start] + paras[start + size :]
    places = [p for p in range(len(rest) + 1) if p != start]
    where = rng.choice(places)
    return rest[:where] + block + rest[where:]


def _finish(doc_id, kind, reports, ar_paras: list[list[Unit]]) -> ReorderDoc:
    ar: list[tuple[int, str]] = []
    gold: list[tuple[list[int], list[int]]] = []
    linked: set[int] = set()
    for p, para in enumerate(ar_paras):
        for unit in para:
            ids = list(range(len(ar), len(ar) + len(unit.ar)))
            ar.extend((p, t) for t in unit.ar)
            if unit.en:
                gold.append((unit.en, ids))
            else:  # an addition: one 0-1 link per Arabic sentence
                gold.extend(([], [j]) for j in ids)
            linked.update(unit.en if unit.ar else [])
    total = sum(len(r) for r in reports)
    gold = [g for g in gold if g[1]]
    gold += [([i], []) for i in range(total) if i not in linked]
    return ReorderDoc(doc_id, kind, reports, _renumber_paras(ar), gold)


def _renumber_paras(ar: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Paragraph numbers 0, 1, 2, ... over the paragraphs that kept a sentence."""
    out, last, p = [], None, -1
    for para, text in ar:
        if para != last:
            p, last = p + 1, para
        out.append((p, text))
    return out


def _foreign(rng: random.Random, others: list[TestDoc]) -> tuple[str, str]:
    """A headline (first line) and a caption (a short line) of other stories."""
    headline = rng.choice(others).ar[0]
    lines = [t for d in others for t in d.ar if len(t) < 90] or [others[0].ar[-1]]
    return headline, rng.choice(lines)


def rewrite(
    doc: TestDoc, kind: str, others: list[TestDoc], seed: int, sizes: tuple[int, ...] = PARA_SIZES
) -> ReorderDoc:
    rng = random.Random(f"{seed}:{kind}:{doc.doc_id}")
    english, paras = paragraphs(doc, rng, 0, sizes)
    ar_paras = move_block(paras, rng)
    if kind == "rewritten":
        if len(ar_paras) > 3:
            dropped = rng.randrange(len(ar_paras))
            ar_paras = ar_paras[:dropped] + ar_paras[dropped + 1 :]
        other = rng.choice(others)
        start = rng.randrange(max(1, len(other.ar) - 2))
        added = [Unit([], other.ar[start : start + 2])]
        where = rng.randrange(1, len(ar_paras) + 1)
        ar_paras = ar_paras[:where] + [added] + ar_paras[where:]
        headline, caption = _foreign(rng, others)
        where = rng.randrange(1, len(ar_paras) + 1)
        ar_paras = [[Unit([], [headline])], *ar_paras[:where], [Unit([], [caption])]] + ar_paras[
            where:
        ]
    return _finish(doc.doc_id, kind, [english], ar_paras)


def compile_docs(docs: list[TestDoc], seed: int, sizes: tuple[int, ...] = PARA_SIZES) -> ReorderDoc:
    """One Arabic article from runs of paragraphs of each document in turn."""
    rng = random.Random(f"{seed}:compiled:{'+'.join(d.doc_id for d in docs)}")
    reports, queues, offset = [], [], 0
    for doc in docs:
        english, paras = paragraphs(doc, rng, offset, sizes)
        reports.append(english)
        queues.append([p for p in paras if rng.random() >= 0.2])
        offset += len(doc.en)
    ar_paras: list[list[Unit]] = []
    turn = 0
    while any(queues):
        if queues[turn]:
            take = rng.randint(1, 3)
            ar_paras.extend(queues[turn][:take])
            queues[turn] = queues[turn][take:]
        turn = (turn + 1) % len(queues)
    doc_id = "+".join(d.doc_id for d in docs)
    return _finish(doc_id, "compiled", reports, ar_paras)


def build_sets(seed: int = 1, parity: int | None = None) -> dict[str, list[ReorderDoc]]:
    """The three sets; `parity` 0 keeps the even-numbered NTREX documents (dev), 1 the odd
    ones (held out), None all. Compiled articles join documents of the same parity only."""
    base = build(seed, load_documents())
    indices = [k for k in range(len(base)) if parity is None or k % 2 == parity]
    out: dict[str, list[ReorderDoc]] = {kind: [] for kind in KINDS}
    for k in indices:
        doc = base[k]
        # Other stories than the one eval/align_docs.py inserts lines from (k + len/2).
        far = [base[(k + len(base) // 4 + d) % len(base)] for d in range(3)]
        for kind in ("moved", "rewritten"):
            out[kind].append(rewrite(doc, kind, far, seed))
    rng = random.Random(f"{seed}:groups:{parity}")
    pool = list(indices)
    rng.shuffle(pool)
    while len(pool) >= 2:
        size = 3 if len(pool) >= 5 and rng.random() < 0.5 else 2
        group, pool = pool[:size], pool[size:]
        out["compiled"].append(compile_docs([base[k] for k in group], seed))
    return out


# --- TICO-19, UNPC, FLORES-200 ------------------------------------------------------------------
# These corpora are line-aligned: each line is a 1-1 gold unit and, in the rewrites, a
# paragraph of its own (TICO-19 and UNPC lines are paragraphs or sentences of reports;
# FLORES-200 lines are the sentences of 3–5-sentence article extracts). No sentence-level
# perturbation: the rewrites are the paragraph-level ones above.
CORPORA_SETS = ("tico", "unpc", "flores")
TICO_WINDOW = 24  # lines of one TICO-19 source per document (its sources run to 450 lines)
MIN_LINES = 4  # a block of 2+ paragraphs can only move among at least 4


def _read(path) -> list[str]:
    return need(path).read_text(encoding="utf-8").splitlines()


def _one_to_one(doc_id: str, pairs: list[tuple[str, str]]) -> TestDoc:
    pairs = [(" ".join(e.split()), " ".join(a.split())) for e, a in pairs]
    pairs = [(e, a) for e, a in pairs if e and a]
    return TestDoc(
        doc_id,
        [e for e, _ in pairs],
        [a for _, a in pairs],
        [([k], [k]) for k in range(len(pairs))],
    )


def corpus_documents(corpus: str) -> list[TestDoc]:
    """The documents of a corpus, in corpus order, with a 1-1 gold per line:
    - tico: TICO-19 test, windows of TICO_WINDOW consecutive lines of one source (the
      source named in tico19-test.en.info), as eval/audit_reorder.py cuts them;
    - unpc: UNPC v1.0 dev, one document per UN symbol (first field of UNv1.0.devset.ids),
      its lines in their order in the English original (the ids' en:LINE field): the dev
      set samples 1–12 lines of each document;
    - flores: FLORES-200 devtest, one document per source URL (metadata_devtest.tsv)."""
    if corpus == "tico":
        folder = CORPORA / "tico19-test"
        info = _read(folder / "tico19-test.en.info")
        en, ar = _read(folder / "tico19-test.en"), _read(folder / "tico19-test.ar")
        by_source: dict[str, list[tuple[str, str]]] = {}
        for line, e, a in zip(info, en, ar, strict=True):
            by_source.setdefault(line.split("\t")[0].split(":")[0], []).append((e, a))
        return [
            _one_to_one(f"tico:{source}:{k // TICO_WINDOW}", pairs[k : k + TICO_WINDOW])
            for source, pairs in by_source.items()
            for k in range(0, len(pairs), TICO_WINDOW)
        ]
    if corpus == "unpc":
        folder = CORPORA / "unpc-v1.0-dev"
        ids = _read(folder / "UNv1.0.devset.ids")
        en, ar = _read(folder / "UNv1.0.devset.en"), _read(folder / "UNv1.0.devset.ar")
        by_symbol: dict[str, list[tuple[int, str, str]]] = {}
        for line, e, a in zip(ids, en, ar, strict=True):
            fields = line.split()
            where = next(int(f.split(":")[1]) for f in fields[1:] if f.startswith("en:"))
            by_symbol.setdefault(fields[0], []).append((where, e, a))
        return [
            _one_to_one(f"unpc:{symbol}", [(e, a) for _, e, a in sorted(rows)])
            for symbol, rows in by_symbol.items()
        ]
    if corpus == "flores":
        folder = CORPORA / "flores200-devtest"
        urls = [line.split("\t")[0] for line in _read(folder / "metadata_devtest.tsv")[1:]]
        en, ar = _read(folder / "eng_Latn.devtest"), _read(folder / "arb_Arab.devtest")
        by_url: dict[str, list[tuple[str, str]]] = {}
        for url, e, a in zip(urls, en, ar, strict=True):
            by_url.setdefault(url, []).append((e, a))
        return [_one_to_one(f"flores:{k}", pairs) for k, pairs in enumerate(by_url.values())]
    raise ValueError(f"unknown corpus {corpus!r}; choose from {', '.join(CORPORA_SETS)}")


def corpus_sets(
    corpus: str, seed: int = 1, parity: int | None = None, limit: int | None = None
) -> dict[str, list[ReorderDoc]]:
    """The moved, rewritten and compiled sets and the in-order documents of a corpus, a line
    per paragraph. `parity`: 0 the even-numbered documents of the corpus (dev), 1 the odd
    ones (held out); compiled articles join documents of the same parity (FLORES-200's
    short extracts: 3, else 2 or 3). `limit`: at most this many documents per set (the
    first ones in corpus order), to bound the encoder's work. Documents of fewer than
    MIN_LINES lines only enter compilations; other stories (added paragraphs, headlines,
    captions) come from the same corpus and parity."""
    base = corpus_documents(corpus)
    indices = [k for k in range(len(base)) if parity is None or k % 2 == parity]
    long = [k for k in indices if len(base[k].ar) >= MIN_LINES][:limit]
    out: dict[str, list[ReorderDoc]] = {kind: [] for kind in (*KINDS, "in-order")}
    sizes = (1,)
    for pos, k in enumerate(long):
        doc = base[k]
        far = [base[long[(pos + len(long) // 4 + d) % len(long)]] for d in range(1, 4)]
        for kind in ("moved", "rewritten"):
            out[kind].append(rewrite(doc, kind, far, seed, sizes))
        out["in-order"].append(
            ReorderDoc(
                doc.doc_id,
                "in-order",
                [[(i, t) for i, t in enumerate(doc.en)]],
                [(j, t) for j, t in enumerate(doc.ar)],
                [(list(e), list(a)) for e, a in doc.gold],
            )
        )
    rng = random.Random(f"{seed}:groups:{corpus}:{parity}")
    pool = [k for k in indices if len(base[k].ar) >= 2]
    rng.shuffle(pool)
    while len(pool) >= 2 and (limit is None or len(out["compiled"]) < limit):
        if corpus == "flores":
            size = min(3, len(pool))
        else:
            size = 3 if len(pool) >= 5 and rng.random() < 0.5 else 2
        group, pool = pool[:size], pool[size:]
        out["compiled"].append(compile_docs([base[k] for k in group], seed, sizes))
    return out
