"""Word alignment of sentence pairs with SimAlign over the local multilingual-e5-small encoder.

SimAlign (Jalili Sabet et al., 2020) aligns words by the cosine similarity of a multilingual
encoder's contextual embeddings at one layer, then extracts links with argmax (mutual best),
itermax (argmax repeated for still-unaligned words) or match (maximum-weight bipartite
matching). `WordAligner` builds simalign's own `SentenceAligner` on the encoder folder and uses
its similarity and matching functions; what it changes is the encoding: simalign runs the
encoder once per sentence pair, `align` runs it over length-sorted batches of many sentences
and then matches each pair (eval/word_align.py measures the speed-up and that the links are
the same). Layers above the chosen one are dropped from the model, since hidden state `layer`
does not depend on them.

Words and links are 0-based: (i, j) links source word i to target word j; `to_pharaoh` writes
"i-j i-j ..." (Pharaoh format).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import numpy as np
import regex

from xling.align.embed import encoder_folder
from xling.errors import ModelError
from xling.models.names import DEFAULT_ENCODER

# Chosen by the lowest mean AER over en-fr, ro-en, ja-en, zh-en (first 80 pairs of each; layers
# 4-12, argmax / itermax, subword / word vectors): layer 7, argmax, subwords. Layer 6 is within
# 0.001; itermax trades precision for recall (eval/word_align.py, eval/RESULTS.md).
DEFAULT_LAYER = 7
DEFAULT_METHOD = "argmax"
# Our names -> simalign's matching-method letters and result keys.
METHODS = {"argmax": ("a", "inter"), "itermax": ("i", "itermax"), "match": ("m", "mwmf")}

Link = tuple[int, int]

# A word: letters/marks/digits (Arabic diacritics are marks, kept inside the word), with
# inner apostrophes or hyphens ("don't", "al-Qaeda") and decimal/thousands separators between
# digits ("1,500", "3.5", "٣٫٥"). Any other non-space character is a token by itself, so
# punctuation (، ؛ ؟ « » . , " ( )) is split off. Arabic clitics (و، ال، ب) stay attached: the
# encoder's subwords handle them, and gold alignments for Arabic are usually at this level.
_WORD = regex.compile(
    r"\p{N}+(?:[.,٫٬]\p{N}+)*"
    r"|[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*"
    r"|[^\s\p{L}\p{M}\p{N}]"
)


def tokenize_words(text: str) -> list[str]:
    """Split text into words and punctuation marks for word alignment (see `_WORD`)."""
    return _WORD.findall(text)


def word_spans(text: str) -> list[tuple[str, int]]:
    """The words of `tokenize_words` with the offset where each starts in `text`."""
    return [(m.group(), m.start()) for m in _WORD.finditer(text)]


def to_pharaoh(links: list[Link]) -> str:
    """Links as Pharaoh "i-j" pairs, sorted, space-separated ("" for none)."""
    return " ".join(f"{i}-{j}" for i, j in sorted(set(links)))


@dataclass
class _Encoded:
    vectors: np.ndarray  # (tokens, hidden) at the chosen layer, special tokens removed
    word_ids: np.ndarray  # (tokens,) word index of each token


class WordAligner:
    """SimAlign over the e5 encoder: `align(pairs)` returns 0-based (src, tgt) word links.

    token_type "bpe" aligns subwords and maps links to their words (SimAlign's default);
    "word" averages a word's subword vectors first.
    """

    def __init__(
        self,
        model: str = DEFAULT_ENCODER,
        layer: int = DEFAULT_LAYER,
        method: str = DEFAULT_METHOD,
        *,
        token_type: str = "bpe",
        device: str = "cpu",
        threads: int = 0,
        batch_size: int = 32,
        max_tokens: int = 512,
    ) -> None:
        if method not in METHODS:
            raise ModelError(f"unknown alignment method {method!r} (known: {', '.join(METHODS)})")
        if token_type not in ("bpe", "word"):
            raise ModelError(f"token_type must be 'bpe' or 'word', not {token_type!r}")
        folder = encoder_folder(model)
        depth = int(json.loads((folder / "config.json").read_text())["num_hidden_layers"])
        if not 0 <= layer <= depth:
            raise ModelError(f"layer must be between 0 and {depth}, not {layer}")
        import logging

        import torch
        from simalign import SentenceAligner
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        # simalign logs "Initialized ..." at INFO on its own stderr handler: keep stderr quiet.
        logging.getLogger("simalign.simalign").setLevel(logging.WARNING)
        if threads > 0:
            torch.set_num_threads(threads)
        letter, self._key = METHODS[method]
        self.simalign = SentenceAligner(
            model=str(folder),
            token_type=token_type,
            matching_methods=letter,
            device=device,
            layer=layer,
        )
        encoder = self.simalign.embed_loader.emb_model
        encoder.encoder.layer = encoder.encoder.layer[:layer]
        encoder.config.num_hidden_layers = layer
        self._model = encoder
        self._tokenizer = self.simalign.embed_loader.tokenizer
        self._device = torch.device(device)
        self.layer, self.method, self.token_type = layer, method, token_type
        self.batch_size, self.max_tokens = batch_size, max_tokens

    def align(self, pairs: list[tuple[list[str], list[str]]]) -> list[list[Link]]:
        """Links for each (source words, target words) pair, in input order."""
        sentences: list[list[str]] = []
        for src, tgt in pairs:
            if isinstance(src, str) or isinstance(tgt, str):
                raise TypeError("align() takes lists of words; use tokenize_words(text)")
            sentences += [list(src), list(tgt)]
        encoded = self.encode(sentences)[self.layer]
        return [self.match(encoded[2 * k], encoded[2 * k + 1]) for k in range(len(pairs))]

    def fits(self, words: list[str]) -> bool:
        """Whether a sentence's subwords fit the encoder (`max_tokens`): `encode` truncates
        longer ones, and the words past the cut get no link."""
        ids = self._tokenizer(
            words, is_split_into_words=True, truncation=True, max_length=self.max_tokens + 1
        )["input_ids"]
        return len(ids) <= self.max_tokens

    def align_simalign(self, src: list[str], tgt: list[str]) -> list[Link]:
        """One pair through simalign's own `get_word_aligns` (the per-pair reference path)."""
        if not src or not tgt:
            return []
        return [tuple(link) for link in self.simalign.get_word_aligns(src, tgt)[self._key]]

    def encode(
        self, sentences: list[list[str]], layers: tuple[int, ...] | None = None
    ) -> dict[int, list[_Encoded | None]]:
        """Subword vectors of each sentence at each of `layers` (default: the chosen layer).

        One forward pass serves every layer (the evaluation's layer sweep uses this); an
        empty sentence gives None.
        """
        import torch

        layers = layers or (self.layer,)
        if max(layers) > len(self._model.encoder.layer):
            raise ModelError(
                f"layer {max(layers)} is above the {len(self._model.encoder.layer)}"
                " layers this aligner keeps"
            )
        out: dict[int, list[_Encoded | None]] = {ly: [None] * len(sentences) for ly in layers}
        todo = [i for i, words in enumerate(sentences) if words]
        if not todo:
            return out
        tokenized = self._tokenizer(
            [sentences[i] for i in todo],
            is_split_into_words=True,
            truncation=True,
            max_length=self.max_tokens,
        )
        ids = tokenized["input_ids"]
        order = sorted(range(len(todo)), key=lambda k: len(ids[k]))
        pad = self._tokenizer.pad_token_id
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            width = max(len(ids[k]) for k in chunk)
            batch = torch.full((len(chunk), width), pad, dtype=torch.long)
            mask = torch.zeros((len(chunk), width), dtype=torch.long)
            for row, k in enumerate(chunk):
                batch[row, : len(ids[k])] = torch.tensor(ids[k])
                mask[row, : len(ids[k])] = 1
            with torch.inference_mode():
                states = self._model(
                    input_ids=batch.to(self._device),
                    attention_mask=mask.to(self._device),
                    output_hidden_states=True,
                ).hidden_states
            for layer in layers:
                hidden = states[layer].float().cpu().numpy()
                for row, k in enumerate(chunk):
                    words = tokenized.word_ids(k)
                    keep = [t for t, w in enumerate(words) if w is not None]
                    out[layer][todo[k]] = _Encoded(
                        vectors=hidden[row, keep],
                        word_ids=np.array([words[t] for t in keep], dtype=np.int64),
                    )
        return out

    def match(
        self,
        src: _Encoded | None,
        tgt: _Encoded | None,
        method: str | None = None,
        token_type: str | None = None,
    ) -> list[Link]:
        """Links between two encoded sentences by simalign's extraction (default: ours)."""
        method = method or self.method
        token_type = token_type or self.token_type
        if src is None or tgt is None or not len(src.word_ids) or not len(tgt.word_ids):
            return []
        x, x_words = _units(src, token_type)
        y, y_words = _units(tgt, token_type)
        aligner = self.simalign
        sim = aligner.apply_distortion(aligner.get_similarity(x, y), aligner.distortion)
        if method == "argmax":
            forward, backward = aligner.get_alignment_matrix(sim)
            matrix = forward * backward
        elif method == "itermax":
            matrix = aligner.iter_max(sim)
        else:
            matrix = aligner.get_max_weight_match(sim)
        rows, cols = np.nonzero(matrix > 0)
        return sorted({(int(x_words[i]), int(y_words[j])) for i, j in zip(rows, cols, strict=True)})


def _units(enc: _Encoded, token_type: str) -> tuple[np.ndarray, np.ndarray]:
    """Vectors to match and the word each belongs to (subwords, or averaged words)."""
    if token_type == "bpe":
        return enc.vectors, enc.word_ids
    words, inverse = np.unique(enc.word_ids, return_inverse=True)
    sums = np.zeros((len(words), enc.vectors.shape[1]), dtype=np.float64)
    np.add.at(sums, inverse, enc.vectors)
    counts = np.bincount(inverse, minlength=len(words))[:, None]
    return (sums / counts).astype(np.float32), words


def aligned_share(src: list[str], tgt: list[str], links: list[Link]) -> float:
    """Share of the words (tokens with a letter or digit; punctuation left out) of both
    sentences that have a link: a translation aligns most of its words, two sentences on
    the same topic only their shared names and terms (0 when neither has a word)."""
    words_src = {i for i, w in enumerate(src) if any(c.isalnum() for c in w)}
    words_tgt = {j for j, w in enumerate(tgt) if any(c.isalnum() for c in w)}
    if not words_src and not words_tgt:
        return 0.0
    linked = len(words_src & {i for i, _ in links}) + len(words_tgt & {j for _, j in links})
    return linked / (len(words_src) + len(words_tgt))


@functools.cache
def default_aligner() -> WordAligner | None:
    """The default word aligner (SimAlign over e5-small), built once per process; None without
    simalign or the encoder (the extra `align`): the checks that use it are then skipped."""
    try:
        return WordAligner()
    except (ImportError, ModelError, OSError):
        return None
