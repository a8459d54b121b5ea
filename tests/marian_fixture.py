"""Real, tiny, random-weight seq2seq checkpoints built offline for tests (Marian; M2M100, NLLB).

Nothing is downloaded: two small sentencepiece models are trained on a few hundred FLORES-200
devtest lines from the shared corpora, a shared Marian vocab.json is built from their pieces, and a
randomly initialised MarianMTModel (fixed seed, tiny dims) is saved beside a MarianTokenizer.
The output is a valid Hugging Face checkpoint directory that the CTranslate2 converter accepts.
Its translations are noise; the point is a checkpoint with the real layout and real code paths.
`make_random_m2m100` does the same for the M2M100 architecture, with an M2M100 or NLLB tokenizer.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
FLORES = CORPORA / "flores200-devtest"
SOURCE_TEXT = FLORES / "arb_Arab.devtest"
TARGET_TEXT = FLORES / "eng_Latn.devtest"

LINES = 300  # training lines per language: enough for a few hundred pieces, trains in < 1 s
VOCAB_SIZE = 300  # sentencepiece pieces per language (hard limit off: small corpora may give fewer)
SEED = 1234


def read_lines(path: Path, limit: int = LINES) -> list[str]:
    """The first `limit` non-empty lines of a corpus file, or a pytest skip if it is absent."""
    if not path.is_file():
        pytest.skip(f"test corpus {path} is absent (the shared corpora are not checked out)")
    with open(path, encoding="utf-8") as handle:
        lines = [line.strip() for line in handle if line.strip()]
    return lines[:limit]


def train_sentencepiece(lines: list[str], out: Path, vocab_size: int = VOCAB_SIZE) -> Path:
    """Train a small unigram sentencepiece model on `lines` and write it to `out`."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        num_threads=1,
        # Marian's ids: <unk>=0, <s>=1, </s>=2 in the .spm; vocab.json renumbers them anyway.
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        minloglevel=2,
    )
    out.write_bytes(model.getvalue())
    return out


def marian_vocab(source_spm: Path, target_spm: Path) -> dict[str, int]:
    """A shared OPUS-MT style vocab: </s>=0, <unk>=1, then the pieces of both models, <pad> last.

    CTranslate2's Marian loader drops a trailing <pad> (decoding starts from a zero embedding),
    so <pad> must be the last id, as in the released OPUS-MT checkpoints.
    """
    import sentencepiece as spm

    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for path in (source_spm, target_spm):
        processor = spm.SentencePieceProcessor(model_file=str(path))
        for index in range(processor.get_piece_size()):
            if processor.is_control(index) or processor.is_unknown(index):
                continue
            vocab.setdefault(processor.id_to_piece(index), len(vocab))
    vocab["<pad>"] = len(vocab)
    return vocab


def make_random_marian(tmp_path: Path) -> Path:
    """Build a tiny random Marian ar→en checkpoint under `tmp_path`; return its directory.

    The directory holds config.json, model.safetensors, generation_config.json, source.spm,
    target.spm, vocab.json and tokenizer_config.json, like a Helsinki-NLP/opus-mt-* download.
    Skips the calling test when the shared FLORES corpus is absent.
    """
    source_lines = read_lines(SOURCE_TEXT)
    target_lines = read_lines(TARGET_TEXT)

    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    work = tmp_path / "marian-spm"
    work.mkdir(parents=True, exist_ok=True)
    source_spm = train_sentencepiece(source_lines, work / "source.spm")
    target_spm = train_sentencepiece(target_lines, work / "target.spm")
    vocab = marian_vocab(source_spm, target_spm)
    vocab_file = work / "vocab.json"
    vocab_file.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")

    pad_id = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=512,
        activation_function="swish",  # as in OPUS-MT
        scale_embedding=True,
        pad_token_id=pad_id,
        decoder_start_token_id=pad_id,
        eos_token_id=vocab["</s>"],
        forced_eos_token_id=vocab["</s>"],
        share_encoder_decoder_embeddings=True,
    )
    torch.manual_seed(SEED)
    model = MarianMTModel(config).eval()

    out = tmp_path / "marian-tiny-ar-en"
    model.save_pretrained(out)
    tokenizer = MarianTokenizer(
        source_spm=str(source_spm),
        target_spm=str(target_spm),
        vocab=str(vocab_file),
        source_lang="ar",
        target_lang="en",
        model_max_length=512,
    )
    tokenizer.save_pretrained(out)
    return out


def make_random_m2m100(tmp_path: Path, *, nllb: bool = False) -> Path:
    """A tiny random M2M100ForConditionalGeneration checkpoint with an M2M100 or NLLB tokenizer.

    Like facebook/m2m100_418M (vocab.json + sentencepiece.bpe.model, `__ar__` language tokens)
    or facebook/nllb-200-* (tokenizer.json + sentencepiece.bpe.model, `arb_Arab` tokens).
    """
    lines = read_lines(SOURCE_TEXT, LINES // 2) + read_lines(TARGET_TEXT, LINES // 2)

    import sentencepiece as spm
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration

    out = tmp_path / ("nllb-tiny" if nllb else "m2m100-tiny")
    out.mkdir(parents=True, exist_ok=True)
    spm_file = train_sentencepiece(lines, out / "sentencepiece.bpe.model")
    processor = spm.SentencePieceProcessor(model_file=str(spm_file))
    # fairseq's dictionary order, as in the released checkpoints.
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for index in range(processor.get_piece_size()):
        if not (processor.is_control(index) or processor.is_unknown(index)):
            vocab.setdefault(processor.id_to_piece(index), len(vocab))

    if nllb:
        from transformers import NllbTokenizer

        # No merges: the HF side splits into characters; CTranslate2 users feed the .model's pieces.
        tokenizer = NllbTokenizer(vocab=vocab, merges=[], src_lang="arb_Arab", tgt_lang="eng_Latn")
        vocab_size = len(tokenizer)
    else:
        from transformers import M2M100Tokenizer

        vocab_file = out / "vocab.json"
        vocab_file.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        tokenizer = M2M100Tokenizer(
            vocab_file=str(vocab_file), spm_file=str(spm_file), src_lang="ar", tgt_lang="en"
        )
        # Pieces, then the 100 language tokens, then fairseq's "madeupword" padding.
        vocab_size = len(vocab) + len(tokenizer.lang_token_to_id) + tokenizer.num_madeup_words
    config = M2M100Config(
        vocab_size=vocab_size,
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=1024,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
    )
    torch.manual_seed(SEED)
    M2M100ForConditionalGeneration(config).eval().save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out
