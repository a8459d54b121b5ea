"""One interface over CTranslate2 Translators (seq2seq) and Generators (prompted LLMs).

An engine decodes a batch of source sentences into n-best hypotheses. Batching, splitting of
long inputs and the number guard live in `xling.translate.batch`; prompts in `prompts`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from xling.errors import ModelError
from xling.models import store
from xling.models.info import ModelInfo
from xling.translate.prompts import PromptBuilder
from xling.translate.tokenizer import (
    HFTokenizer,
    load_tokenizer,
    spelling_tokens,
    target_vocabulary,
)

# Each decoding step writes a row of logits per sentence (vocabulary × 4 bytes); on CPU, once a
# batch's logits outgrow the cache (32 MiB of L3 on the benchmark machine) a step costs more
# per sentence than in a smaller batch: 8 Mi logits is 32 rows for Gemma's 262,144-token
# vocabulary (eval/step_cost.py, eval/results/step-cost-cpu.json: 6.6 ms of CPU per token at
# 32 rows, 18.6 at 40; on the dev documents of eval/batch_plan.py the cap changed nothing).
CPU_LOGITS_PER_BATCH = 8 * 1024 * 1024
NO_ROW_CAP = 1_000_000  # batch_rows when nothing limits the rows of a batch


def output_vocabulary_size(folder: Path) -> int:
    """Entries of a CTranslate2 model's (target) vocabulary; 0 when it has none."""
    return len(target_vocabulary(folder))


def default_batch_rows(folder: Path, device: str) -> int:
    """No cap on a GPU; on CPU as many sentences as keep a step's logits near the cache."""
    vocabulary = output_vocabulary_size(folder)
    if device != "cpu" or not vocabulary:
        return NO_ROW_CAP
    return max(8, CPU_LOGITS_PER_BATCH // vocabulary)


@dataclass(frozen=True)
class EngineOptions:
    device: str = "auto"  # auto | cpu | cuda
    compute_type: str = "default"  # default = int8 on CPU, int8_float16 on CUDA
    beam: int = 1
    batch_tokens: int = 0  # 0 = pick from the device
    batch_rows: int = 0  # most sentences per batch; 0 = pick from the device and vocabulary
    step_fixed_rows: float = 0.0  # generators' batch planning (batch.prompt_batches); 0 = default
    threads: int = 0  # 0 = all cores
    shots: int | None = None  # override the manifest's few-shot count (generators)
    own_shots: int | None = None  # of those, chosen per input (the rest are shared by all)
    repetition_penalty: float = 1.0
    length_penalty: float = 1.0  # beam search: exponent of the length normalisation


@dataclass
class Hypothesis:
    text: str
    score: float
    length: int  # output tokens
    hit_limit: bool  # stopped by max length, not by an end token: the output may be cut


def resolve_device(device: str) -> str:
    import ctranslate2

    if device == "auto":
        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    if device not in ("cpu", "cuda"):
        raise ModelError(f"unknown device {device!r} (use auto, cpu or cuda)")
    if device == "cuda" and ctranslate2.get_cuda_device_count() == 0:
        raise ModelError("--device cuda: no CUDA device is visible to CTranslate2")
    return device


class Engine:
    """A loaded model. Subclasses implement `decode`."""

    def __init__(self, folder: Path, info: ModelInfo, options: EngineOptions):
        self.folder = folder
        self.info = info
        self.name = info.name
        self.options = options
        self.device = resolve_device(options.device)
        if options.compute_type != "default":
            self.compute_type = options.compute_type
        else:
            self.compute_type = "int8" if self.device == "cpu" else "int8_float16"
        self.threads = options.threads or os.cpu_count() or 1
        # Budget of tokens read per batch (prompts included). On CPU larger batches of long
        # prompts get slower, not faster (see eval/RESULTS.md, speed).
        self.batch_tokens = options.batch_tokens or (2048 if self.device == "cpu" else 32768)
        self.batch_rows = options.batch_rows or default_batch_rows(folder, self.device)
        self.tokenizer = load_tokenizer(folder, info.tokenizer)
        self.max_input_tokens = info.max_input_tokens

    def _ct2_kwargs(self) -> dict:
        return {
            "device": self.device,
            "compute_type": self.compute_type,
            "intra_threads": self.threads if self.device == "cpu" else 0,
            "inter_threads": 1,
        }

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer.encode(text))

    def spelling_cost(self, word: str) -> int:
        """Tokens the model writes `word` in (tokenizer.spelling_tokens): fewer, more common."""
        return spelling_tokens(self.tokenizer, word)

    def input_length(self, text: str) -> int:
        """Tokens the model reads for this text (what a batch's budget is spent on)."""
        return self.count_tokens(text) + len(self.info.source_prefix) + len(self.info.source_suffix)

    step_fixed_rows = 0.0  # > 0: batches planned by prompt length (batch.prompt_batches)

    def max_length(self, source_tokens: int) -> int:
        """Output budget: generous for the longest input of the batch, capped by the model."""
        return min(self.info.max_output_tokens, int(source_tokens * 2) + 24)

    def decode(
        self,
        texts: list[str],
        beam: int,
        n_best: int,
        suppress: tuple[str, ...] = (),
        no_repeat_ngram: int = 0,
    ) -> list[list[Hypothesis]]:
        """n-best hypotheses per text; `suppress`: target tokens the output may not contain;
        `no_repeat_ngram` > 0: no n-gram of that size twice (a retry that must avoid a loop)."""
        raise NotImplementedError


# What a generator's decoding step costs whatever its batch, in rows' worth of work: on CPU a
# step of gemma3-270m (int8, 2 threads) took ~29 ms at 1 row and ~4.4 ms more per row (~6.6);
# 12 was best on dev documents, within noise of 6.6 and of plain batches (eval/batch_plan.py,
# eval/results/batch-plan-dev.json). On a GPU a step costs about the same up to hundreds of
# rows (not measured here: no GPU was lent).
STEP_FIXED_ROWS = {"cpu": 12.0, "cuda": 256.0}


class Seq2SeqEngine(Engine):
    """OPUS-MT/Marian, NLLB, M2M100, Argos: a CTranslate2 Translator."""

    def __init__(self, folder: Path, info: ModelInfo, options: EngineOptions):
        super().__init__(folder, info, options)
        import ctranslate2

        self.model = ctranslate2.Translator(str(folder), **self._ct2_kwargs())
        self.step_fixed_rows = 0.0  # an encoder reads padded sources at once: plain batches

    def decode(
        self,
        texts: list[str],
        beam: int,
        n_best: int,
        suppress: tuple[str, ...] = (),
        no_repeat_ngram: int = 0,
    ) -> list[list[Hypothesis]]:
        sources = [
            self.info.source_prefix + self.tokenizer.encode(t) + self.info.source_suffix
            for t in texts
        ]
        limit = self.max_length(max(len(s) for s in sources))
        prefix = [list(self.info.target_prefix)] * len(texts) if self.info.target_prefix else None
        results = self.model.translate_batch(
            sources,
            target_prefix=prefix,
            beam_size=max(beam, n_best),
            num_hypotheses=n_best,
            return_scores=True,
            max_decoding_length=limit,
            max_input_length=0,
            repetition_penalty=self.options.repetition_penalty,
            length_penalty=self.options.length_penalty,
            suppress_sequences=[[t] for t in suppress] or None,
            no_repeat_ngram_size=no_repeat_ngram,
        )
        skip = len(self.info.target_prefix)
        out = []
        for result in results:
            hyps = []
            for tokens, score in zip(result.hypotheses, result.scores, strict=True):
                tokens = tokens[skip:]
                hyps.append(
                    Hypothesis(
                        self.tokenizer.decode(tokens).strip(),
                        score,
                        len(tokens),
                        len(tokens) + skip >= limit,
                    )
                )
            out.append(hyps)
        return out


class GeneratorEngine(Engine):
    """A decoder LLM prompted to translate: template and few-shot pool from its manifest."""

    def __init__(self, folder: Path, info: ModelInfo, options: EngineOptions):
        super().__init__(folder, info, options)
        import ctranslate2

        if not isinstance(self.tokenizer, HFTokenizer):
            raise ModelError(f"{folder}: generators need a tokenizer.json")
        self.prompt = PromptBuilder(info.prompt, shots=options.shots, own_shots=options.own_shots)
        # The part of every prompt that does not depend on the input (system text, shared
        # few-shot block): CTranslate2 reads it once and reuses its state for every batch.
        self.static_tokens = self.tokenizer.encode(self.prompt.static)
        self._prompts: dict[str, list[str]] = {}  # text -> own prompt tokens, current window
        self.end_tokens = list(info.end_tokens)
        if self.prompt.stop_at_newline:
            vocab = target_vocabulary(folder)
            self.end_tokens += [t for t in vocab if t and set(t) <= {"\n", "Ċ"}]
        self.model = ctranslate2.Generator(str(folder), **self._ct2_kwargs())
        # < 0 in the options: plain length-sorted batches (for eval/batch_plan.py)
        fixed = options.step_fixed_rows or STEP_FIXED_ROWS[self.device]
        self.step_fixed_rows = max(0.0, fixed)

    def prompt_tokens(self, text: str) -> list[str]:
        """The tokens of the prompt after the static part: this input's own."""
        tokens = self._prompts.get(text)
        if tokens is None:
            if len(self._prompts) > 4096:  # bounded: a window's worth is all that is reused
                self._prompts.clear()
            tokens = self._prompts[text] = self.tokenizer.encode(self.prompt.parts(text).own)
        return tokens

    def input_length(self, text: str) -> int:
        # what a batch reads anew per input: the static part is read once, not per input
        return len(self.prompt_tokens(text))

    def decode(
        self,
        texts: list[str],
        beam: int,
        n_best: int,
        suppress: tuple[str, ...] = (),
        no_repeat_ngram: int = 0,
    ) -> list[list[Hypothesis]]:
        prompts = [self.prompt_tokens(t) for t in texts]
        limit = self.max_length(max(self.count_tokens(t) for t in texts))
        results = self.model.generate_batch(
            prompts,
            max_length=limit,
            beam_size=max(beam, n_best),
            num_hypotheses=n_best,
            sampling_topk=1,
            return_scores=True,
            include_prompt_in_result=False,
            # one state, cached by CTranslate2 for the model's lifetime (one entry per engine)
            static_prompt=self.static_tokens or None,
            cache_static_prompt=True,
            end_token=self.end_tokens or None,
            repetition_penalty=self.options.repetition_penalty,
            length_penalty=self.options.length_penalty,
            suppress_sequences=[[t] for t in suppress] or None,
            no_repeat_ngram_size=no_repeat_ngram,
        )
        out = []
        for result in results:
            hyps = []
            for ids, score in zip(result.sequences_ids, result.scores, strict=True):
                text = self.prompt.clean(self.tokenizer.decode_ids(ids))
                hyps.append(Hypothesis(text, score, len(ids), len(ids) >= limit))
            out.append(hyps)
        return out


def load_engine(model: str, options: EngineOptions | None = None) -> Engine:
    """A model name in the store or a path to a built model folder."""
    options = options or EngineOptions()
    folder = store.resolve(model)
    info = ModelInfo.load(folder)
    if info.kind not in ("translator", "generator"):
        raise ModelError(f"model '{info.name}' is an {info.kind}, not a translation model")
    problems = store.quick_check(folder, info)
    if problems:
        raise store.damaged(folder, info, problems)
    engine = Seq2SeqEngine if info.kind == "translator" else GeneratorEngine
    try:
        return engine(folder, info, options)
    except (RuntimeError, ValueError, OSError) as exc:  # CTranslate2 / tokenizers refused it
        if isinstance(exc, RuntimeError) and "CUDA" in str(exc):
            raise ModelError(f"cannot load model '{info.name}' on {options.device}: {exc}") from exc
        if isinstance(exc, ValueError) and "compute type" in str(exc):
            # the model is fine: this device or build cannot run that compute type
            raise ModelError(
                f"cannot load model '{info.name}' with --compute-type {options.compute_type} "
                f"on {options.device}: {exc}"
            ) from exc
        raise store.damaged(folder, info, [str(exc).splitlines()[0]]) from exc
