"""The records the pipeline stages exchange (JSON-serialisable dataclasses)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Document:
    """An article: an id (file stem or JSONL id) and its paragraphs, in order."""

    id: str
    paragraphs: list[str]


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document; `para` is the 0-based paragraph it came from."""

    id: int
    para: int
    text: str


@dataclass
class Translation:
    """The translation of one sentence, with what the number guard found."""

    sentence: Sentence
    text: str
    model: str
    numbers_ok: bool = True
    numbers_missing: list[str] = field(default_factory=list)
    split: bool = False  # the source was longer than the model's limit and was split
    length_ok: bool = True  # length in the range its source predicts (translate.length)
    untranslated: bool = False  # Arabic letters left in the English after every retry
    glossary_missing: list[str] = field(default_factory=list)  # glossary English not in `text`

    def to_json(self, doc_id: str) -> dict:
        record = {
            "doc": doc_id,
            "para": self.sentence.para,
            "sent": self.sentence.id,
            "src": self.sentence.text,
            "mt": self.text,
            "model": self.model,
            "numbers_ok": self.numbers_ok,
            "length_ok": self.length_ok,
        }
        if self.numbers_missing:
            record["numbers_missing"] = self.numbers_missing
        if self.split:
            record["split"] = True
        if self.untranslated:
            record["untranslated"] = True
        if self.glossary_missing:
            record["glossary_missing"] = self.glossary_missing
        return record


def as_dict(record) -> dict:
    return asdict(record)
