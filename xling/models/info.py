"""What a built model is: the metadata file written beside a CTranslate2 model folder."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from xling.errors import ModelError
from xling.io.atomic import atomic_write_text

INFO_FILE = "xling-model.json"
KINDS = ("translator", "generator", "encoder")


@dataclass
class TokenizerInfo:
    """How to turn text into the model's tokens.

    type "sentencepiece": `source` (and `target`, default = source) are .model files in the folder.
    type "tokenizers": `source` is a tokenizer.json (Hugging Face tokenizers) in the folder.
    """

    type: str
    source: str
    target: str | None = None


@dataclass
class ModelInfo:
    """Metadata of a built model, stored as `xling-model.json` inside its folder.

    Written last (atomically) by every build path, so its presence marks a complete build.
    """

    name: str
    kind: str  # translator | generator | encoder
    tokenizer: TokenizerInfo
    languages: list[str] = field(default_factory=lambda: ["ar", "en"])
    licence: str = "unknown"
    # Tokens put before the source / the target (NLLB: ["arb_Arab"] / ["eng_Latn"]).
    source_prefix: list[str] = field(default_factory=list)
    target_prefix: list[str] = field(default_factory=list)
    # Tokens put after the source: ["</s>"] for Hugging Face checkpoints (their tokenizers add it
    # and CTranslate2 does not); Argos models are trained without it.
    source_suffix: list[str] = field(default_factory=list)
    # Longest input the model takes, in tokens (longer sentences are split, never truncated).
    max_input_tokens: int = 512
    max_output_tokens: int = 512
    # Generators: the prompt template (see xling.translate.prompts) and the end tokens.
    prompt: dict = field(default_factory=dict)
    end_tokens: list[str] = field(default_factory=list)
    # sha256 of model.bin, checked by `xling models verify`.
    sha256: dict[str, str] = field(default_factory=dict)
    # Byte sizes of the same files, checked at every load (cheap; checksums are not).
    sizes: dict[str, int] = field(default_factory=dict)
    source: dict = field(default_factory=dict)  # where the weights came from (packages, paths)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_dict(cls, data: dict) -> ModelInfo:
        data = dict(data)
        data["tokenizer"] = TokenizerInfo(**data["tokenizer"])
        return cls(**data)

    def save(self, folder: Path) -> None:
        self.sizes = {
            name: (folder / name).stat().st_size
            for name in self.sha256
            if (folder / name).is_file()
        }
        atomic_write_text(folder / INFO_FILE, self.to_json())

    @classmethod
    def load(cls, folder: Path) -> ModelInfo:
        path = folder / INFO_FILE
        try:
            return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError as exc:
            raise ModelError(f"{folder} is not a built xling model (no {INFO_FILE})") from exc
        except (json.JSONDecodeError, TypeError, KeyError) as exc:
            raise ModelError(f"{path}: broken model metadata ({exc})") from exc
