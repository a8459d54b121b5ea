"""Text ↔ model tokens, for the two tokenizer kinds models come with."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Protocol

from xling.errors import ModelError
from xling.models.info import TokenizerInfo


def target_vocabulary(folder: Path) -> tuple[str, ...]:
    """The tokens a CTranslate2 model writes: vocabulary.json (generators), else the target or
    shared vocabulary of a translator (.json, or .txt one token a line in older conversions);
    empty when the folder has none. Read once per file version (the engine and the script
    guard both need it, and a generator's holds 150k–262k tokens)."""
    for stem in ("vocabulary", "target_vocabulary", "shared_vocabulary"):
        for suffix in (".json", ".txt"):
            path = folder / f"{stem}{suffix}"
            if path.is_file():
                stat = path.stat()
                return _read_vocabulary(path, stat.st_mtime_ns, stat.st_size)
    return ()


@functools.lru_cache(maxsize=4)
def _read_vocabulary(path: Path, _mtime_ns: int, _size: int) -> tuple[str, ...]:
    text = path.read_text(encoding="utf-8")
    return tuple(json.loads(text)) if path.suffix == ".json" else tuple(text.splitlines())


class Tokenizer(Protocol):
    def encode(self, text: str) -> list[str]: ...

    def encode_target(self, text: str) -> list[str]: ...

    def decode(self, tokens: list[str]) -> str: ...


def spelling_tokens(tokenizer: Tokenizer, word: str) -> int:
    """Tokens the model writes ` word` in, mid-sentence. Subword vocabularies are merged by
    frequency, so a common spelling of a name (Warren, John) takes fewer than a rare one
    (Warin, Joon): the name memory's prior among the model's own spellings."""
    return len(tokenizer.encode_target(" " + word))


class SentencePieceTokenizer:
    """Separate source/target SentencePiece models (OPUS-MT, NLLB, Argos)."""

    def __init__(self, source: Path, target: Path | None = None):
        import sentencepiece as spm

        self._source = spm.SentencePieceProcessor(model_file=str(source))
        self._target = (
            self._source if target is None else spm.SentencePieceProcessor(model_file=str(target))
        )

    def encode(self, text: str) -> list[str]:
        return self._source.encode(text, out_type=str)

    def encode_target(self, text: str) -> list[str]:
        return self._target.encode(text, out_type=str)

    def decode(self, tokens: list[str]) -> str:
        return self._target.decode(tokens)


class HFTokenizer:
    """A Hugging Face `tokenizer.json` (the generators built from GGUF files).

    Special tokens written in a prompt (<|im_start|>, <bos>) are recognised as such, and no
    special tokens are added: the prompt template spells out every one it needs.
    """

    def __init__(self, path: Path):
        from tokenizers import Tokenizer as HFTok

        self._tok = HFTok.from_file(str(path))

    def encode(self, text: str) -> list[str]:
        return self._tok.encode(text, add_special_tokens=False).tokens

    encode_target = encode  # one vocabulary for the prompt and the English

    def decode(self, tokens: list[str]) -> str:
        ids = [self._tok.token_to_id(t) for t in tokens]
        return self._tok.decode([i for i in ids if i is not None], skip_special_tokens=True)

    def decode_ids(self, ids: list[int]) -> str:
        return self._tok.decode(ids, skip_special_tokens=True)


def load_tokenizer(folder: Path, info: TokenizerInfo) -> Tokenizer:
    if info.type == "sentencepiece":
        target = folder / info.target if info.target else None
        return SentencePieceTokenizer(folder / info.source, target)
    if info.type == "tokenizers":
        return HFTokenizer(folder / info.source)
    raise ModelError(f"{folder}: unknown tokenizer type {info.type!r}")
