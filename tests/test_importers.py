"""Importing outside translators (HF checkpoints, Argos packages), on a real tiny Marian model."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from xling.errors import BuildError
from xling.models import store
from xling.models.importers import _recipe, convert_hf_checkpoint, import_argos_package
from xling.models.info import INFO_FILE, ModelInfo

try:  # tests/ may or may not be a package, depending on what else lives in it
    from .marian_fixture import make_random_m2m100, make_random_marian
except ImportError:
    from marian_fixture import make_random_m2m100, make_random_marian

# MarianTokenizer nags about an optional punctuation normaliser that these tests do not need.
pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")

ctranslate2 = pytest.importorskip("ctranslate2")
spm = pytest.importorskip("sentencepiece")
pytest.importorskip("transformers", reason="converting checkpoints needs the build extras")

ARABIC = ["قال الرئيس إن الاتفاق سيوقع غدا.", "ارتفعت الأسعار في الأسواق."]
ARGOS_TOP = "translate-ar_en-1_0"
ARGOS_METADATA = {
    "package_version": "1.0",
    "argos_version": "1.0",
    "from_code": "ar",
    "from_name": "Arabic",
    "to_code": "en",
    "to_name": "English",
}
GOOD_METADATA = json.dumps(ARGOS_METADATA).encode()


@pytest.fixture(scope="session")
def marian_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_random_marian(tmp_path_factory.mktemp("marian"))


@pytest.fixture(scope="session")
def store_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("xling-home")


@pytest.fixture(scope="session")
def converted(marian_checkpoint: Path, store_home: Path) -> Path:
    """The tiny Marian checkpoint converted into a store under a temp XLING_HOME."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XLING_HOME", str(store_home))
        return convert_hf_checkpoint(marian_checkpoint, "marian-tiny")


def translate(folder: Path, source_spm: str, target_spm: str) -> list[list[str]]:
    """Greedy translations of ARABIC by the model in `folder`, as target-side pieces."""
    source = spm.SentencePieceProcessor(model_file=str(folder / source_spm))
    target = spm.SentencePieceProcessor(model_file=str(folder / target_spm))
    translator = ctranslate2.Translator(str(folder), device="cpu", intra_threads=1)
    batch = [source.encode(text, out_type=str) + ["</s>"] for text in ARABIC]
    results = translator.translate_batch(batch, beam_size=1, max_decoding_length=12)
    hypotheses = [result.hypotheses[0] for result in results]
    for pieces in hypotheses:
        assert all(isinstance(piece, str) for piece in pieces)
        assert 0 < len(pieces) <= 12
        assert isinstance(target.decode(pieces), str)
    return hypotheses


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name), data)
    return path


def argos_files(model: Path, metadata: dict = ARGOS_METADATA) -> dict[str, bytes]:
    """The members of a real-layout .argosmodel holding the CTranslate2 model in `model`."""
    files = {f"{ARGOS_TOP}/metadata.json": json.dumps(metadata).encode()}
    for name in ("model.bin", "config.json", "shared_vocabulary.json"):
        files[f"{ARGOS_TOP}/model/{name}"] = (model / name).read_bytes()
    files[f"{ARGOS_TOP}/sentencepiece.model"] = (model / "source.spm").read_bytes()
    files[f"{ARGOS_TOP}/stanza/ar/tokenize/padt.pt"] = b"not a real stanza model"
    files[f"{ARGOS_TOP}/README.md"] = b"# Arabic - English\n"
    return files


# --- Hugging Face checkpoints -------------------------------------------------------------


def test_convert_marian_into_the_store(converted: Path, store_home: Path) -> None:
    assert converted == store_home / "models" / "marian-tiny"
    names = {path.name for path in converted.iterdir()}
    assert {"model.bin", "config.json", "source.spm", "target.spm", INFO_FILE} <= names
    assert "shared_vocabulary.json" in names  # Marian shares one vocabulary
    info = ModelInfo.load(converted)
    assert info.kind == "translator"
    assert (info.tokenizer.type, info.tokenizer.source, info.tokenizer.target) == (
        "sentencepiece",
        "source.spm",
        "target.spm",
    )
    assert info.languages == ["ar", "en"]
    assert info.source_prefix == info.target_prefix == []
    assert info.max_input_tokens == 512  # max_position_embeddings of the fixture
    assert info.source["type"] == "hf-checkpoint" and info.source["quantization"] == "int8"
    assert set(info.sha256) == {"model.bin"}
    # Nothing left beside it: the temp folder was renamed into place, then cleaned up.
    assert [path.name for path in converted.parent.iterdir()] == ["marian-tiny"]


def test_converted_model_translates_deterministically(converted: Path) -> None:
    first = translate(converted, "source.spm", "target.spm")
    assert len(first) == len(ARABIC)
    assert translate(converted, "source.spm", "target.spm") == first


def test_verify_passes_then_detects_damage(converted: Path, tmp_path: Path) -> None:
    assert store.verify(converted) == []
    damaged = shutil.copytree(converted, tmp_path / "damaged")
    data = bytearray((damaged / "model.bin").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (damaged / "model.bin").write_bytes(bytes(data))
    (damaged / "target.spm").unlink()
    problems = store.verify(damaged)
    assert any("model.bin" in problem and "sha256" in problem for problem in problems)
    assert "tokenizer file target.spm is missing" in problems


def test_convert_refuses_an_existing_model_then_replaces_it_with_force(
    marian_checkpoint: Path, tmp_path: Path
) -> None:
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "old.txt").write_text("old")
    with pytest.raises(BuildError, match="already exists"):
        convert_hf_checkpoint(marian_checkpoint, "tiny", out_root=tmp_path)
    folder = convert_hf_checkpoint(
        marian_checkpoint, "tiny", quantization="float32", force=True, out_root=tmp_path
    )
    assert not (folder / "old.txt").exists()
    assert ModelInfo.load(folder).source["quantization"] == "float32"
    assert store.verify(folder) == []
    assert [path.name for path in tmp_path.iterdir()] == ["tiny"]


def test_failed_conversion_leaves_no_half_model(marian_checkpoint: Path, tmp_path: Path) -> None:
    broken = shutil.copytree(marian_checkpoint, tmp_path / "broken")
    (broken / "model.safetensors").write_bytes(b"\0" * 64)
    out = tmp_path / "store"
    with pytest.raises(BuildError, match="conversion failed"):
        convert_hf_checkpoint(broken, "broken", out_root=out)
    assert list(out.iterdir()) == []


def test_convert_rejects_bad_checkpoints(marian_checkpoint: Path, tmp_path: Path) -> None:
    out = tmp_path / "store"
    with pytest.raises(BuildError, match="no such checkpoint directory"):
        convert_hf_checkpoint(tmp_path / "absent", "x", out_root=out)
    (tmp_path / "empty").mkdir()
    with pytest.raises(BuildError, match="no config.json"):
        convert_hf_checkpoint(tmp_path / "empty", "x", out_root=out)
    bart = tmp_path / "bart"
    bart.mkdir()
    (bart / "config.json").write_text(json.dumps({"model_type": "bart"}))
    with pytest.raises(BuildError, match=r"unsupported architecture 'bart'.*marian.*m2m_100"):
        convert_hf_checkpoint(bart, "x", out_root=out)
    no_spm = shutil.copytree(marian_checkpoint, tmp_path / "no-spm")
    (no_spm / "target.spm").unlink()
    with pytest.raises(BuildError, match="target.spm is missing"):
        convert_hf_checkpoint(no_spm, "x", out_root=out)
    split = shutil.copytree(marian_checkpoint, tmp_path / "split")
    config = json.loads((split / "tokenizer_config.json").read_text(encoding="utf-8"))
    (split / "tokenizer_config.json").write_text(json.dumps({**config, "separate_vocabs": True}))
    with pytest.raises(BuildError, match="separate source/target vocabularies"):
        convert_hf_checkpoint(split, "x", out_root=out)
    with pytest.raises(BuildError, match="unknown quantization 'int3'"):
        convert_hf_checkpoint(marian_checkpoint, "x", quantization="int3", out_root=out)
    with pytest.raises(BuildError, match="bad model name"):
        convert_hf_checkpoint(marian_checkpoint, "../escape", out_root=out)
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("nllb", "family", "source_prefix", "target_prefix"),
    [(False, "m2m100", "__ar__", "__en__"), (True, "nllb", "arb_Arab", "eng_Latn")],
)
def test_convert_m2m100_and_nllb(
    tmp_path: Path, nllb: bool, family: str, source_prefix: str, target_prefix: str
) -> None:
    checkpoint = make_random_m2m100(tmp_path, nllb=nllb)
    folder = convert_hf_checkpoint(checkpoint, family, out_root=tmp_path / "store")
    info = ModelInfo.load(folder)
    assert info.source["family"] == family
    assert (info.source_prefix, info.target_prefix) == ([source_prefix], [target_prefix])
    assert info.tokenizer.source == info.tokenizer.target == "sentencepiece.bpe.model"
    assert info.max_input_tokens == 1024
    assert store.verify(folder) == []
    # The language tokens must be real vocabulary entries, not <unk>.
    vocabulary = json.loads((folder / "shared_vocabulary.json").read_text(encoding="utf-8"))
    assert {source_prefix, target_prefix} <= set(vocabulary)
    pieces = spm.SentencePieceProcessor(model_file=str(folder / "sentencepiece.bpe.model"))
    translator = ctranslate2.Translator(str(folder), device="cpu", intra_threads=1)
    batch = [[source_prefix, *pieces.encode(text, out_type=str), "</s>"] for text in ARABIC]
    results = translator.translate_batch(
        batch, target_prefix=[[target_prefix]] * len(batch), beam_size=1, max_decoding_length=8
    )
    for result in results:
        assert result.hypotheses[0][0] == target_prefix
        assert isinstance(pieces.decode(result.hypotheses[0][1:]), str)


@pytest.mark.parametrize(
    ("tokenizer_class", "vocab_size", "family", "source_prefix", "target_prefix"),
    [
        ("NllbTokenizer", 256206, "nllb", ["arb_Arab"], ["eng_Latn"]),
        ("NllbTokenizerFast", 256206, "nllb", ["arb_Arab"], ["eng_Latn"]),
        ("M2M100Tokenizer", 128112, "m2m100", ["__ar__"], ["__en__"]),
        (None, 256206, "nllb", ["arb_Arab"], ["eng_Latn"]),
        (None, 128112, "m2m100", ["__ar__"], ["__en__"]),
    ],
)
def test_m2m100_family_recipes(
    tmp_path: Path,
    tokenizer_class: str | None,
    vocab_size: int,
    family: str,
    source_prefix: list[str],
    target_prefix: list[str],
) -> None:
    if tokenizer_class:
        (tmp_path / "tokenizer_config.json").write_text(
            json.dumps({"tokenizer_class": tokenizer_class})
        )
    recipe = _recipe(tmp_path, {"model_type": "m2m_100", "vocab_size": vocab_size})
    assert recipe.family == family
    assert recipe.copy_files == ["sentencepiece.bpe.model"]
    assert recipe.tokenizer.source == recipe.tokenizer.target == "sentencepiece.bpe.model"
    assert (recipe.source_prefix, recipe.target_prefix) == (source_prefix, target_prefix)


# --- Argos packages ----------------------------------------------------------------------


def test_import_argos_package(converted: Path, tmp_path: Path) -> None:
    package = write_zip(tmp_path / "translate-ar_en-1_0.argosmodel", argos_files(converted))
    out = tmp_path / "store"
    folder = import_argos_package(package, out_root=out)
    assert folder == out / "argos-ar-en-1.0"
    names = {path.name for path in folder.iterdir()}
    assert names == {
        "model.bin",
        "config.json",
        "shared_vocabulary.json",
        "sentencepiece.model",
        "argos-metadata.json",
        INFO_FILE,
    }
    info = ModelInfo.load(folder)
    assert (info.kind, info.tokenizer.type, info.tokenizer.source) == (
        "translator",
        "sentencepiece",
        "sentencepiece.model",
    )
    assert info.languages == ["ar", "en"] and info.target_prefix == []
    assert info.source["type"] == "argos-package" and info.source["package_version"] == "1.0"
    assert store.verify(folder) == []
    assert len(translate(folder, "sentencepiece.model", "sentencepiece.model")) == len(ARABIC)
    with pytest.raises(BuildError, match="already exists"):
        import_argos_package(package, out_root=out)
    assert import_argos_package(package, out_root=out, force=True) == folder


def test_import_argos_other_pair_warns_and_records_languages(tmp_path: Path) -> None:
    metadata = {**ARGOS_METADATA, "from_code": "fr", "target_prefix": "__en__"}
    files = {  # files at the archive root, no top folder: accepted too
        "metadata.json": json.dumps(metadata).encode(),
        "model/model.bin": b"weights",
        "model/config.json": b"{}",
        "sentencepiece.model": b"spm",
    }
    package = write_zip(tmp_path / "fr_en.argosmodel", files)
    with pytest.warns(UserWarning, match="fr→en, not ar→en"):
        folder = import_argos_package(package, "french", out_root=tmp_path / "store")
    assert (folder / "model.bin").read_bytes() == b"weights"
    info = ModelInfo.load(folder)
    assert info.name == "french"
    assert info.languages == ["fr", "en"] and info.target_prefix == ["__en__"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"pkg/metadata.json": b"{}", "pkg/../../evil.txt": b"x"}, "unsafe member"),
        ({"/etc/evil.txt": b"x", "pkg/metadata.json": b"{}"}, "unsafe member"),
        ({"pkg/model/model.bin": b"w", "pkg/sentencepiece.model": b"s"}, "no metadata.json"),
        ({"pkg/metadata.json": b"not json"}, "metadata.json is not valid JSON"),
        ({"pkg/metadata.json": b'{"from_code": "ar"}'}, "metadata.json has no to_code"),
        (
            {
                "pkg/metadata.json": json.dumps(ARGOS_METADATA).encode(),
                "pkg/sentencepiece.model": b"",
            },
            r"no CTranslate2 model \(model/model.bin\)",
        ),
        (
            {"pkg/metadata.json": GOOD_METADATA, "pkg/model/model.bin": b""},
            "no sentencepiece.model",
        ),
    ],
)
def test_import_argos_rejects_bad_packages(
    tmp_path: Path, files: dict[str, bytes], message: str
) -> None:
    package = write_zip(tmp_path / "bad.argosmodel", files)
    out = tmp_path / "store"
    with pytest.raises(BuildError, match=message):
        import_argos_package(package, out_root=out)
    assert not out.exists() or list(out.iterdir()) == []
    assert not (tmp_path.parent / "evil.txt").exists()


def test_import_argos_rejects_missing_and_non_zip_files(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="no such Argos package file"):
        import_argos_package(tmp_path / "absent.argosmodel")
    text = tmp_path / "fake.argosmodel"
    text.write_text("just text")
    with pytest.raises(BuildError, match="not an Argos package"):
        import_argos_package(text)
