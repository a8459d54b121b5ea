"""Bringing outside seq2seq translators into the model store.

Two sources: a local Hugging Face checkpoint directory (Marian/OPUS-MT, NLLB, M2M100), converted
with CTranslate2's TransformersConverter, and an Argos Translate `.argosmodel` package, which
already holds a CTranslate2 model and only needs unpacking.

Both build into a hidden temp folder beside the destination, write `xling-model.json` there last,
then rename the folder into place: a failed or interrupted import never leaves a half model under
the model's name.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from xling.errors import BuildError
from xling.models import store
from xling.models.info import ModelInfo, TokenizerInfo
from xling.models.staging import install, staging

# CTranslate2's translate_batch default max_input_length: longer inputs are truncated by it.
CT2_MAX_INPUT = 1024
DEFAULT_MAX_TOKENS = 512  # when config.json does not say
SUPPORTED = "Marian/OPUS-MT (model_type 'marian'), NLLB and M2M100 (model_type 'm2m_100')"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")


@dataclass
class _Recipe:
    """What a checkpoint family needs: the files to copy, its tokenizer, its language tokens."""

    family: str  # marian | nllb | m2m100
    copy_files: list[str]
    tokenizer: TokenizerInfo
    languages: list[str] = field(default_factory=lambda: ["ar", "en"])
    source_prefix: list[str] = field(default_factory=list)
    target_prefix: list[str] = field(default_factory=list)


def convert_hf_checkpoint(
    src: Path,
    name: str,
    *,
    quantization: str = "int8",
    force: bool = False,
    out_root: Path | None = None,
    licence: str | None = None,
    source: dict | None = None,
) -> Path:
    """Convert a local Hugging Face seq2seq translator checkpoint into a CTranslate2 model folder.

    The folder is `out_root / name` (default: the store, `$XLING_HOME/models/<name>`); returns it.
    `licence` and `source` (merged into the recorded source) override what the folder says: a
    pulled model records its hub repo, revision and file checksums there.
    Raises BuildError for a missing or unsupported checkpoint, an existing destination without
    `force`, or a failed conversion.
    """
    src = Path(src)
    config = _read_hf_config(src)
    recipe = _recipe(src, config)
    for filename in recipe.copy_files:
        if not (src / filename).is_file():
            raise BuildError(f"{src}: {filename} is missing ({recipe.family} checkpoints need it)")

    from ctranslate2.specs.model_spec import ACCEPTED_MODEL_TYPES

    if quantization not in ACCEPTED_MODEL_TYPES:
        raise BuildError(
            f"unknown quantization '{quantization}'; use one of {', '.join(ACCEPTED_MODEL_TYPES)}"
        )

    dest = _destination(name, out_root, force)
    positions = config.get("max_position_embeddings")
    max_tokens = min(int(positions), CT2_MAX_INPUT) if positions else DEFAULT_MAX_TOKENS
    info = ModelInfo(
        name=name,
        kind="translator",
        tokenizer=recipe.tokenizer,
        languages=recipe.languages,
        licence=licence or _readme_licence(src),
        source_prefix=recipe.source_prefix,
        target_prefix=recipe.target_prefix,
        source_suffix=["</s>"],
        max_input_tokens=max_tokens,
        max_output_tokens=max_tokens,
        source={
            "type": "hf-checkpoint",
            "path": str(src.resolve()),
            "model_type": config["model_type"],
            "family": recipe.family,
            "quantization": quantization,
            **(source or {}),
        },
    )
    with staging(dest) as staged:
        try:
            converter = _converter(src, recipe.copy_files)
            converter.convert(str(staged), quantization=quantization)
        except Exception as exc:  # converters raise many types; all mean the build failed
            raise BuildError(f"{src}: CTranslate2 conversion failed: {exc}") from exc
        info.sha256 = store.checksums(staged)
        info.save(staged)
        install(staged, dest, force)
    return dest


def import_argos_package(
    path: Path,
    name: str | None = None,
    *,
    force: bool = False,
    out_root: Path | None = None,
) -> Path:
    """Unpack an Argos Translate `.argosmodel` into a model folder; return the folder.

    Copies the package's CTranslate2 model (`model/`) and `sentencepiece.model`; the package's
    `metadata.json` is kept as `argos-metadata.json`. The default name is
    `argos-{from_code}-{to_code}-{package_version}`. Any language pair is accepted (with a warning
    when it is not ar→en) and recorded in `languages`.
    """
    path = Path(path)
    if not path.is_file():
        raise BuildError(f"{path}: no such Argos package file")
    if not zipfile.is_zipfile(path):
        raise BuildError(f"{path}: not an Argos package (.argosmodel files are zip archives)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = _safe_members(path, archive)
            top = _top_folder(members)
            metadata = _argos_metadata(path, archive, members, top)
            from_code, to_code = metadata["from_code"], metadata["to_code"]
            version = str(metadata.get("package_version") or "0")
            name = name or _clean_name(f"argos-{from_code}-{to_code}-{version}")
            if (from_code, to_code) != ("ar", "en"):
                warnings.warn(
                    f"{path}: the package translates {from_code}→{to_code}, not ar→en",
                    stacklevel=2,
                )
            model_files = {
                relative: info
                for relative, info in members.items()
                if relative.parts[: len(top) + 1] == (*top, "model")
            }
            spm_member = PurePosixPath(*top, "sentencepiece.model")
            if PurePosixPath(*top, "model", "model.bin") not in model_files:
                raise BuildError(f"{path}: the package has no CTranslate2 model (model/model.bin)")
            if spm_member not in members:
                raise BuildError(f"{path}: the package has no sentencepiece.model")

            dest = _destination(name, out_root, force)
            prefix = str(metadata.get("target_prefix") or "")
            info = ModelInfo(
                name=name,
                kind="translator",
                tokenizer=TokenizerInfo(type="sentencepiece", source="sentencepiece.model"),
                languages=[from_code, to_code],
                target_prefix=[prefix] if prefix else [],
                source={
                    "type": "argos-package",
                    "path": str(path.resolve()),
                    "sha256": store.sha256_file(path),
                    "package_version": version,
                    "argos_version": metadata.get("argos_version"),
                },
            )
            with staging(dest) as staged:
                staged.mkdir()
                for relative, member in model_files.items():
                    # Written at paths built from the validated names, never extracted as-is.
                    _copy_member(archive, member, staged.joinpath(*relative.parts[len(top) + 1 :]))
                _copy_member(archive, members[spm_member], staged / "sentencepiece.model")
                _copy_member(
                    archive,
                    members[PurePosixPath(*top, "metadata.json")],
                    staged / "argos-metadata.json",
                )
                info.sha256 = store.checksums(staged)
                info.save(staged)
                install(staged, dest, force)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise BuildError(f"{path}: broken Argos package ({exc})") from exc
    return dest


# --- Hugging Face checkpoints -------------------------------------------------------------


def _read_hf_config(src: Path) -> dict:
    if not src.is_dir():
        raise BuildError(f"{src}: no such checkpoint directory")
    config_path = src / "config.json"
    if not config_path.is_file():
        raise BuildError(
            f"{src}: no config.json; expected a Hugging Face checkpoint directory "
            f"(a save_pretrained folder of {SUPPORTED})"
        )
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BuildError(f"{config_path}: not valid JSON ({exc})") from exc
    if not isinstance(config, dict) or not isinstance(config.get("model_type"), str):
        raise BuildError(f"{config_path}: no model_type; supported: {SUPPORTED}")
    return config


def _recipe(src: Path, config: dict) -> _Recipe:
    model_type = config["model_type"]
    if model_type == "marian":
        tokenizer_config = _read_json(src / "tokenizer_config.json")
        if tokenizer_config.get("separate_vocabs"):
            # CTranslate2's Marian loader writes one shared vocabulary: the target side would be
            # silently wrong.
            raise BuildError(
                f"{src}: Marian checkpoints with separate source/target vocabularies "
                "(separate_vocabs) cannot be converted by CTranslate2"
            )
        source_lang = tokenizer_config.get("source_lang")
        target_lang = tokenizer_config.get("target_lang")
        languages = [source_lang, target_lang] if source_lang and target_lang else ["ar", "en"]
        return _Recipe(
            family="marian",
            copy_files=["source.spm", "target.spm"],
            tokenizer=TokenizerInfo(type="sentencepiece", source="source.spm", target="target.spm"),
            languages=languages,
        )
    if model_type == "m2m_100":
        spm = "sentencepiece.bpe.model"
        tokenizer = TokenizerInfo(type="sentencepiece", source=spm, target=spm)
        if _is_nllb(src, config):
            return _Recipe("nllb", [spm], tokenizer, ["ar", "en"], ["arb_Arab"], ["eng_Latn"])
        return _Recipe("m2m100", [spm], tokenizer, ["ar", "en"], ["__ar__"], ["__en__"])
    raise BuildError(
        f"{src}: unsupported architecture '{model_type}' (config.json model_type); "
        f"supported: {SUPPORTED}"
    )


def _converter(src: Path, copy_files: list[str]):
    """A CTranslate2 TransformersConverter for `src` that sees M2M100's language tokens.

    CTranslate2 4.8 finds M2M100's `__xx__` tokens in `special_tokens_map["additional_special_
    tokens"]`, which transformers 5 no longer fills, nor does `get_vocab()` list them: the
    converted vocabulary then lacks 100 tokens and conversion fails on a size mismatch. Handing
    the converter a tokenizer whose `get_vocab()` includes them (at their real ids) fixes that.
    """
    # Imported here: transformers and torch are the optional "build" dependencies.
    from ctranslate2.converters import TransformersConverter

    class Converter(TransformersConverter):
        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            tokenizer = super().load_tokenizer(tokenizer_class, model_name_or_path, **kwargs)
            _expose_language_tokens(tokenizer)
            return tokenizer

    return Converter(str(src), copy_files=copy_files)


def _expose_language_tokens(tokenizer) -> None:
    lang_ids = getattr(tokenizer, "lang_token_to_id", None)
    if not isinstance(lang_ids, dict):
        return
    vocab = tokenizer.get_vocab()
    missing = {token: index for token, index in lang_ids.items() if token not in vocab}
    if missing:
        full = {**vocab, **missing}
        tokenizer.get_vocab = lambda: dict(full)


def _is_nllb(src: Path, config: dict) -> bool:
    """NLLB and M2M100 share model_type m2m_100; the tokenizer class tells them apart."""
    tokenizer_class = str(_read_json(src / "tokenizer_config.json").get("tokenizer_class") or "")
    if tokenizer_class:
        return tokenizer_class.startswith("Nllb")
    # No tokenizer_config.json: NLLB-200 has 256k tokens, M2M100 128k.
    return int(config.get("vocab_size") or 0) > 200_000


def _read_json(path: Path) -> dict:
    """A JSON object from an optional file ({} when absent or not an object)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BuildError(f"{path}: not valid JSON ({exc})") from exc
    return data if isinstance(data, dict) else {}


def _readme_licence(src: Path) -> str:
    """The `license:` of a model card's YAML front matter, else "unknown"."""
    try:
        text = (src / "README.md").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "unknown"
    if not text.startswith("---"):
        return "unknown"
    front = text[3:].split("\n---", 1)[0]
    match = re.search(r"^licen[cs]e:\s*(\S.*?)\s*$", front, re.MULTILINE)
    return match.group(1).strip("'\"") if match else "unknown"


# --- Argos packages ----------------------------------------------------------------------


def _safe_members(path: Path, archive: zipfile.ZipFile) -> dict[PurePosixPath, zipfile.ZipInfo]:
    """The archive's files by relative path; refuses absolute, `..`, and symlink members."""
    members: dict[PurePosixPath, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        raw = info.filename.replace("\\", "/")
        relative = PurePosixPath(raw)
        if (
            raw.startswith("/")
            or re.match(r"^[A-Za-z]:", raw)
            or ".." in relative.parts
            or stat.S_ISLNK(info.external_attr >> 16)
        ):
            raise BuildError(f"{path}: unsafe member '{info.filename}' in the package; refusing it")
        if not info.is_dir():
            members[relative] = info
    if not members:
        raise BuildError(f"{path}: the package is empty")
    return members


def _top_folder(members: dict[PurePosixPath, zipfile.ZipInfo]) -> tuple[str, ...]:
    """The single top folder Argos packages have (`()` when files sit at the archive root)."""
    tops = {relative.parts[0] for relative in members}
    if len(tops) == 1 and all(len(relative.parts) > 1 for relative in members):
        return (tops.pop(),)
    return ()


def _argos_metadata(
    path: Path,
    archive: zipfile.ZipFile,
    members: dict[PurePosixPath, zipfile.ZipInfo],
    top: tuple[str, ...],
) -> dict:
    member = members.get(PurePosixPath(*top, "metadata.json"))
    if member is None:
        raise BuildError(f"{path}: not an Argos package (no metadata.json in its top folder)")
    try:
        metadata = json.loads(archive.read(member).decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BuildError(f"{path}: metadata.json is not valid JSON ({exc})") from exc
    if not isinstance(metadata, dict):
        raise BuildError(f"{path}: metadata.json is not a JSON object")
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not metadata[key]:
            raise BuildError(f"{path}: metadata.json has no {key}")
    return metadata


def _copy_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with archive.open(member) as source, open(target, "wb") as sink:
        shutil.copyfileobj(source, sink, 1 << 20)


def _clean_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._+-]", "_", name)


# --- Store folders -----------------------------------------------------------------------


def _destination(name: str, out_root: Path | None, force: bool) -> Path:
    if not _NAME.match(name) or name.endswith(".tmp"):
        raise BuildError(
            f"bad model name '{name}': use letters, digits, '.', '_', '+' and '-', "
            "starting with a letter or digit"
        )
    dest = Path(out_root) / name if out_root is not None else store.model_dir(name)
    if dest.exists() and not force:
        raise BuildError(f"{dest} already exists (use force to replace it)")
    return dest
