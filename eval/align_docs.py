"""Test documents for sentence alignment, built from NTREX-128 (a 1-1 gold per line).

Each NTREX document is perturbed with a seeded random generator so the gold alignment is
known: adjacent Arabic sentences merged (2-1), long Arabic sentences split at a conjunction
(1-2), sentences deleted on either side (1-0, 0-1) and sentences of another document inserted
on either side (0-1, 1-0). Everything else stays 1-1.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from common import ntrex

# A word that starts a coordinated clause: a free conjunction, or و attached to a word
# (skipping common words that merely begin with و, as xling.text.segment does).
_CONJUNCTION = re.compile(
    r"\s(?=(?:لكن|ولكن|بينما|ثم|حيث)\s|و(?!زير|زار|اشنطن|لاي|فق|سط|قت|ضع|احد|فد|كال|طن|سائل"
    r"|جود|ثيق|صول|يلز)[\u0621-\u064A])"
)

# Probability of each operation per gold unit; the rest stays 1-1.
RATES = {
    "merge": 0.08,  # this unit and the next: 2 English ↔ 1 Arabic
    "split": 0.08,  # 1 English ↔ 2 Arabic (only if the Arabic has a conjunction mid-way)
    "del_ar": 0.05,  # English kept, Arabic dropped (1-0)
    "del_en": 0.05,  # Arabic kept, English dropped (0-1)
}
INSERT_RATE = 0.04  # before each unit, a foreign sentence on each side, independently


@dataclass
class TestDoc:
    doc_id: str
    en: list[str]
    ar: list[str]
    gold: list[tuple[list[int], list[int]]]  # in document order, covering both sides


def load_documents() -> list[tuple[str, list[str], list[str]]]:
    """NTREX documents as (id, English lines, Arabic lines), in corpus order."""
    ar, en, ids = ntrex()
    docs: dict[str, tuple[list[str], list[str]]] = {}
    for doc_id, e, a in zip(ids, en, ar, strict=True):
        pair = docs.setdefault(doc_id, ([], []))
        pair[0].append(e.strip())
        pair[1].append(a.strip())
    return [(doc_id, e, a) for doc_id, (e, a) in docs.items()]


def split_at_conjunction(text: str) -> tuple[str, str] | None:
    """The cut nearest the middle, between 30% and 70% of the sentence; None if there is none."""
    if len(text) < 80:
        return None
    best = None
    for m in _CONJUNCTION.finditer(text):
        share = m.start() / len(text)
        if 0.3 <= share <= 0.7 and (best is None or abs(share - 0.5) < abs(best / len(text) - 0.5)):
            best = m.start()
    if best is None:
        return None
    return text[:best].strip(), text[best:].strip()


def perturb(
    doc_id: str,
    en_lines: list[str],
    ar_lines: list[str],
    foreign: list[tuple[str, str]],
    seed: int,
) -> TestDoc:
    """A perturbed copy of one document; `foreign` holds (en, ar) lines of other documents."""
    rng = random.Random(f"{seed}:{doc_id}")
    en: list[str] = []
    ar: list[str] = []
    gold: list[tuple[list[int], list[int]]] = []

    def add(e: list[str], a: list[str]) -> None:
        en_ids = list(range(len(en), len(en) + len(e)))
        gold.append((en_ids, list(range(len(ar), len(ar) + len(a)))))
        en.extend(e)
        ar.extend(a)

    k = 0
    while k < len(en_lines):
        if rng.random() < INSERT_RATE:
            add([], [rng.choice(foreign)[1]])
        if rng.random() < INSERT_RATE:
            add([rng.choice(foreign)[0]], [])
        r = rng.random()
        op = "keep"
        for name, rate in RATES.items():
            if r < rate:
                op = name
                break
            r -= rate
        e, a = en_lines[k], ar_lines[k]
        if op == "merge" and k + 1 < len(en_lines):
            add([e, en_lines[k + 1]], [f"{a} {ar_lines[k + 1]}"])
            k += 2
            continue
        if op == "split" and (halves := split_at_conjunction(a)):
            add([e], list(halves))
        elif op == "del_ar":
            add([e], [])
        elif op == "del_en":
            add([], [a])
        else:
            add([e], [a])
        k += 1
    return TestDoc(doc_id, en, ar, gold)


def build(seed: int = 1, docs: list | None = None) -> list[TestDoc]:
    """Perturbed copies of `docs` (default: all NTREX documents)."""
    docs = docs if docs is not None else load_documents()
    out = []
    for index, (doc_id, en, ar) in enumerate(docs):
        # Foreign sentences come from a document far away in the corpus (another story).
        other = docs[(index + len(docs) // 2) % len(docs)]
        out.append(perturb(doc_id, en, ar, list(zip(other[1], other[2], strict=True)), seed))
    return out
