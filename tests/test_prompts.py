"""Prompt layout of generator models: a static part shared by every input (read once as
CTranslate2's static prompt) and a small part of each input's own. Real manifests, real pool."""

from __future__ import annotations

import tomllib
from pathlib import Path

from xling.text.numbers import missing_numbers
from xling.translate.prompts import PromptBuilder, choose_examples, load_pool

REPO = Path(__file__).resolve().parents[1]
SENTENCES = [
    "قال المتحدث إن 130 شخصا قتلوا في الهجوم.",
    "وأعلنت منظمة الصحة العالمية عن إجراءات جديدة لمكافحة كوفيد-19.",
    "اجتمعت اللجنة {src} لمناقشة الميزانية.",  # braces in article text stay as they are
]


def spec(name: str) -> dict:
    return tomllib.loads((REPO / "models" / f"{name}.toml").read_text(encoding="utf-8"))["prompt"]


def test_shared_block_is_static_and_the_input_part_is_small() -> None:
    builder = PromptBuilder(spec("gemma3-270m"))
    assert builder.shots == 4 and builder.own_shots == 0 and len(builder.shared) == 4
    assert builder.static.startswith("<bos>") and builder.static.count("Arabic: ") == 4
    for src in SENTENCES:
        parts = builder.parts(src)
        assert parts.static == builder.static  # the same for every input
        assert parts.own == f"Arabic: {src}\nEnglish:"
        assert builder.render(src) == parts.static + parts.own


def test_shared_examples_are_from_distinct_documents_and_keep_their_numbers() -> None:
    builder = PromptBuilder(spec("gemma3-270m"), shots=8)
    shared = builder.shared
    assert len(shared) == 8 and len({ex.doc for ex in shared}) == 8
    assert [ex.has_digits for ex in shared] == [True, False] * 4
    assert all(not missing_numbers(ex.ar, "ar", ex.en, "en") for ex in shared)
    # the pool does hold pairs whose translation drops or changes a number: never shared
    pool = load_pool(spec("gemma3-270m")["pool"])
    assert any(not ex.numbers_kept for ex in pool)


def test_examples_chosen_per_input_follow_the_shared_block() -> None:
    gemma = spec("gemma3-270m")
    mixed = PromptBuilder(gemma, shots=4, own_shots=1)
    assert mixed.static.count("Arabic: ") == 3
    shared_docs = {ex.doc for ex in mixed.shared}
    for src in SENTENCES:
        own = mixed.parts(src).own
        assert own.count("Arabic: ") == 2 and own.endswith(f"Arabic: {src}\nEnglish:")
        assert not any(ex.ar in own for ex in mixed.shared)
        (chosen,) = [ex for ex in mixed.pool if ex.ar in own]
        assert chosen.doc not in shared_docs
    # all per input: the earlier layout, text for text
    per_input = PromptBuilder(gemma, shots=4, own_shots=4)
    assert per_input.static == "<bos>" and per_input.shared == []
    src = SENTENCES[0]
    examples = "".join(
        f"Arabic: {ex.ar}\nEnglish: {ex.en}\n\n" for ex in choose_examples(src, per_input.pool, 4)
    )
    assert per_input.render(src) == f"<bos>{examples}Arabic: {src}\nEnglish:"


def test_chat_template_without_examples_splits_before_the_input() -> None:
    builder = PromptBuilder(spec("qwen2.5-coder-1.5b"))
    assert builder.static.startswith("<|im_start|>system\nYou are a professional translator")
    assert builder.static.endswith("Output only the translation.\n\n")
    own = builder.parts(SENTENCES[2]).own
    assert own == f"{SENTENCES[2]}<|im_end|>\n<|im_start|>assistant\n"


def test_chat_model_examples_are_past_turns_and_none_leaves_the_prompt_as_before() -> None:
    chat = spec("qwen2.5-coder-1.5b")
    plain = PromptBuilder(chat)
    src = SENTENCES[0]
    # shots = 0 (the default): the prompt the model was measured with, no examples
    assert plain.render(src) == (
        "<|im_start|>system\n"
        + chat["system"]
        + "<|im_end|>\n<|im_start|>user\n"
        + chat["instruction"]
        + "\n\n"
        + src
        + "<|im_end|>\n<|im_start|>assistant\n"
    )
    shared = PromptBuilder(chat, shots=2)  # a shared block: in the static part, read once
    assert shared.static.count("<|im_start|>user\n" + chat["instruction"]) == 2
    assert "{instruction}" not in shared.render(src) and shared.render(src).endswith(
        src + "<|im_end|>\n<|im_start|>assistant\n"
    )
    own = PromptBuilder(chat, shots=2, own_shots=2)  # chosen per input: in its own part
    assert own.static == "<|im_start|>system\n" + chat["system"] + "<|im_end|>\n"
    assert own.parts(src).own.count("<|im_start|>assistant") == 3


def test_a_translation_after_a_preamble_line_is_kept() -> None:
    """The quality model's raw output for NTREX dev line 1068 (script-guard retry): the talk
    fills the first line and the translation, between quotes, the next one."""
    clean = PromptBuilder(spec("qwen2.5-coder-1.5b")).clean
    raw = (
        "Here is the English translation of the given Arabic text:\n\n"
        '"According to Reuters, Professor of Political Science at Maxwel College, University'
        " of Sairaquiuz, on Sunday's article: 'It is not possible to eliminate such"
        " occurrences.' \""
    )
    assert clean(raw) == (
        "According to Reuters, Professor of Political Science at Maxwel College, University of"
        " Sairaquiuz, on Sunday's article: 'It is not possible to eliminate such occurrences.'"
    )
    # a translation on the first line still ends the output there
    assert clean("Four people died.\nThe translation is above.") == "Four people died."
    assert clean("The translation of the Arabic text is:") == ""
    # quotes of the text itself stay
    assert clean('Here is the translation:\n"Go," he said, "now."') == '"Go," he said, "now."'
