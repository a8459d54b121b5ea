"""Prompts for generator models: a template per model (from its manifest), few-shot examples
from a small parallel pool (a fixed block shared by every input, optionally some chosen per
input), split into the static part shared by all inputs and each input's own part."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from xling.text.numbers import missing_numbers
from xling.translate.preamble import strip_preamble

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
    numbers_kept: bool  # every number of `ar` is in `en` (the pool has a few that are not)


@lru_cache(maxsize=4)
def load_pool(path: str) -> tuple[Example, ...]:
    """The pool: a TSV with header `source ar en` (see corpora/README.md)."""
    examples = []
    lines = (REPO_ROOT / path).read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        doc, ar, en = line.split("\t")
        kept = not missing_numbers(ar, "ar", en, "en")
        examples.append(Example(doc, ar, en, frozenset(_words(ar)), bool(_DIGIT.search(ar)), kept))
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


def shared_examples(pool: tuple[Example, ...], k: int) -> list[Example]:
    """k pool pairs that serve every input: the most typical of the pool (most words in common
    with the other pairs), one per document, alternately with and without digits, and only
    pairs whose translation keeps every number (the block teaches that to every input).

    Fixed for a pool, so the block they make is the same text for every sentence: CTranslate2
    reads it once and keeps its state (the static prompt), instead of once per sentence.
    """
    if k <= 0 or not pool:
        return []

    def typicality(ex: Example) -> tuple[float, int]:
        shared = sum(
            len(ex.words & other.words) / ((len(ex.words) * len(other.words)) ** 0.5 or 1)
            for other in pool
            if other is not ex
        )
        return shared, -len(ex.ar)

    ranked = sorted((ex for ex in pool if ex.numbers_kept), key=typicality, reverse=True)
    chosen: list[Example] = []
    docs: set[str] = set()
    for want_digits in [i % 2 == 0 for i in range(k)]:
        for ex in ranked:
            if ex.doc not in docs and ex.has_digits == want_digits:
                break
        else:  # the pool lacks that kind: any unused document
            ex = next((e for e in ranked if e.doc not in docs), None)
            if ex is None:
                break
        chosen.append(ex)
        docs.add(ex.doc)
    return chosen


@dataclass(frozen=True)
class PromptParts:
    """A prompt split where it starts to depend on the input: `static` is the same text for
    every input (CTranslate2's static prompt), `own` the rest."""

    static: str
    own: str


_WRAP = re.compile(r'^["“](?P<inner>[^"“”]+)["”]$')


def _unwrap(text: str) -> str:
    """A translation the model put between double quotes after its preamble, without them
    (only when no other double mark is inside: then they are the model's, not the text's)."""
    m = _WRAP.match(text)
    return m.group("inner").strip() if m else text


class PromptBuilder:
    """Renders a model's prompt for one source sentence.

    The manifest's [prompt] table holds `template` (with {src} and optionally {examples}),
    `example` (with {src} and {tgt}), `shots`, `pool`, and any other field that the template
    names ({system}, {instruction}). Placeholders are replaced literally, so braces in article
    text are safe.

    Of the `shots` examples, `own_shots` are chosen per input (those sharing most words with
    it) and the others are a fixed block shared by every input (`shared_examples`), placed
    first so that it belongs to the static part. `own_shots` defaults to 0: the shared block
    alone translated as well on NTREX (dev) and costs nothing per sentence (eval/RESULTS.md,
    speed); a manifest may set `own_shots` in its [prompt] table.
    """

    def __init__(self, spec: dict, shots: int | None = None, own_shots: int | None = None):
        self.template: str = spec["template"]
        self.example: str = spec.get("example", "")
        self.shots: int = int(spec.get("shots", 0) if shots is None else shots)
        self.pool = load_pool(spec["pool"]) if self.shots and spec.get("pool") else ()
        own = int(spec.get("own_shots", 0) if own_shots is None else own_shots)
        self.own_shots: int = max(0, min(own, self.shots))
        self.shared = shared_examples(self.pool, self.shots - self.own_shots)
        shared_docs = {ex.doc for ex in self.shared}
        self._own_pool = tuple(ex for ex in self.pool if ex.doc not in shared_docs)
        self.fields = {
            k: v
            for k, v in spec.items()
            if isinstance(v, str) and k not in ("template", "example", "pool")
        }
        self.stop_at_newline: bool = bool(spec.get("stop_at_newline", False))
        text = self.template
        for key, value in self.fields.items():
            text = text.replace("{" + key + "}", value)
            # a chat model's examples are past turns: they repeat the instruction
            self.example = self.example.replace("{" + key + "}", value)
        if not self.shots:  # no examples: the static part runs up to the input, as before
            text = text.replace("{examples}", "")
        # The static part: the template up to the input's own part, the shared block included.
        cut = max(0, text.find("{src}"))
        if 0 <= text.find("{examples}") < cut:
            before, self._tail = text.split("{examples}", 1)
            self.static = before + self._examples(self.shared)
        else:  # no examples, or examples after the input: they all go in the own part
            self.static, self._tail = text[:cut], text[cut:]

    def _examples(self, examples: list[Example]) -> str:
        return "".join(
            self.example.replace("{src}", ex.ar).replace("{tgt}", ex.en) for ex in examples
        )

    def parts(self, src: str) -> PromptParts:
        own = choose_examples(src, self._own_pool, self.own_shots)
        if "{examples}" in self._tail:  # a template with examples after the input
            own_text = self._tail.replace("{examples}", self._examples(self.shared + own))
        else:  # this input's examples follow the shared ones, most similar last
            own_text = self._examples(own) + self._tail
        return PromptParts(self.static, own_text.replace("{src}", src))

    def render(self, src: str) -> str:
        """The whole prompt as one text."""
        parts = self.parts(src)
        return parts.static + parts.own

    def clean(self, output: str) -> str:
        """The translation only: no continuation into a next example, no echoed label, no
        "Here is the translation:" (translate.preamble)."""
        if not self.stop_at_newline:
            return strip_preamble(output.strip())
        lines = [line.strip() for line in output.strip().split("\n")]
        first = strip_preamble(lines[0])
        if first or not lines[0].endswith(":"):
            return first
        # "Here is the English translation of the given Arabic text:\n\n"…"": the talk was
        # all of the first line and the translation follows it (a token like ":ĊĊ" does not
        # end the decoding as a newline token does). NTREX dev line 1068: all 4 hypotheses
        # of the script guard's retry were cleaned to nothing.
        rest = next((line for line in lines[1:] if line), "")
        return strip_preamble(_unwrap(rest))
