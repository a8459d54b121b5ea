"""A chat model's talk about the translation is taken out (outputs seen on NTREX-128 dev)."""

from __future__ import annotations

from xling.translate.batch import defects
from xling.translate.preamble import strip_preamble


def test_preamble_alone_leaves_nothing_and_the_guard_sees_it() -> None:
    for talk in (
        "The translation of the Arabic text is:",
        "Translating the Arabic text to English while keeping every number, name, and "
        "quotation, we get:",
        "First, I will translate the Arabic text to English while keeping every number, name, "
        "and quotation intact. Here is the translation:",
        "The translator has successfully translated the Arabic text to English. The "
        "translation is as follows:",
    ):
        assert strip_preamble(talk) == ""
        assert defects("قال الوزير إن العمل مستمر.", strip_preamble(talk)) == ["(no translation)"]


def test_the_translation_around_the_talk_is_kept() -> None:
    assert (
        strip_preamble("The English translation of the Arabic text is: Four people died.")
        == "Four people died."
    )
    assert (
        strip_preamble("The Arab League Here is the English translation of the given text: X.")
        == "The Arab League X."
    )
    assert strip_preamble("He was arrested. Arabic text translation to English:") == (
        "He was arrested."
    )


def test_sentences_about_translation_stay() -> None:
    for news in (
        "Scientists translated the old texts into English using the Latin language.",
        'The translator said: "We will finish the book next year."',
        "The UN published the Arabic text of the resolution on Monday.",
        'He said: "Here is what we know."',
    ):
        assert strip_preamble(news) == news
