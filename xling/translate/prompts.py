"""Prompts for generator models: a template per model (from its manifest), few-shot examples
chosen per input from a small parallel pool."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")  # harakat, dagger alif, tatweel
_WORD = re.compile(r"[\w٠-٩]+")
_DIGIT = re.compile(r"[0-9٠-٩۰-۹]")
_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")


def _stem(word: str) -> str:
    """A crude Arabic light stem, good enough to compare which words two sentences share."""
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix) :]
    return word


def _words(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(_DIACRITICS.sub("", text.lower())) if len(w) > 1}


@dataclass(frozen=True)
class Example:
    doc: str
    ar: str
    en: str
    words: frozenset[str]
    has_digits: bool


@lru_cache(maxsize=4)
def load_pool(path: str) -> tuple[Example, ...]:
    """The pool: a TSV with header `source ar en` (see corpora/README.md)."""
    examples = []
    lines = (REPO_ROOT / path).read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        doc, ar, en = line.split("\t")
        examples.append(Example(doc, ar, en, frozenset(_words(ar)), bool(_DIGIT.search(ar))))
    return tuple(examples)


def choose_examples(src: str, pool: tuple[Example, ...], k: int) -> list[Example]:
    """The k pool pairs that share most words with `src`, one per document, most similar last.

    One per document because consecutive examples from one story made the model copy them;
    an example with digits is preferred when the input has digits, to show they are kept.
    """
    if k <= 0 or not pool:
        return []
    words = _words(src)
    wants_digits = bool(_DIGIT.search(src))

    def score(ex: Example) -> tuple[float, int]:
        overlap = len(words & ex.words) / (len(ex.words) ** 0.5 + 1)
        return overlap + (0.5 if wants_digits and ex.has_digits else 0.0), -len(ex.ar)

    ranked = sorted(pool, key=score, reverse=True)
    chosen: list[Example] = []
    docs: set[str] = set()
    for ex in ranked:
        if ex.doc not in docs:
            chosen.append(ex)
            docs.add(ex.doc)
        if len(chosen) == k:
            break
    return chosen[::-1]


class PromptBuilder:
    """Renders a model's prompt for one source sentence.

    The manifest's [prompt] table holds `template` (with {src} and optionally {examples}),
    `example` (with {src} and {tgt}), `shots`, `pool`, and any other field that the template
    names ({system}, {instruction}). Placeholders are replaced literally, so braces in article
    text are safe.
    """

    def __init__(self, spec: dict, shots: int | None = None):
        self.template: str = spec["template"]
        self.example: str = spec.get("example", "")
        self.shots: int = int(spec.get("shots", 0) if shots is None else shots)
        self.pool = load_pool(spec["pool"]) if self.shots and spec.get("pool") else ()
        self.fields = {k: v for k, v in spec.items() if isinstance(v, str)}
        self.stop_at_newline: bool = bool(spec.get("stop_at_newline", False))

    def render(self, src: str) -> str:
        examples = "".join(
            self.example.replace("{src}", ex.ar).replace("{tgt}", ex.en)
            for ex in choose_examples(src, self.pool, self.shots)
        )
        text = self.template
        for key, value in self.fields.items():
            if key not in ("template", "example", "pool"):
                text = text.replace("{" + key + "}", value)
        return text.replace("{examples}", examples).replace("{src}", src)

    def clean(self, output: str) -> str:
        """The translation only: no continuation into a next example, no echoed label."""
        if self.stop_at_newline:
            output = output.strip().split("\n", 1)[0]
        return output.strip()
