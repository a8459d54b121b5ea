"""The name memory on real sentences of the seed article and the quality model's real
translations of them (greedy, from eval/results/glossary-qwen2.5-coder-1.5b.json): روجيو came
out as Ruggio, Rujio and Roguio in one article."""

from __future__ import annotations

from xling.translate.glossary import parse_glossary
from xling.translate.names import arabic_key, consistency, links, unify_names

SOURCES = [
    "وقال بيل روجيو، زميل بارز في مؤسسة الدفاع عن الديمقراطيات",
    "لكن روجيو قال إن هذه الخطوة من غير المرجح أن تكون ناجحة في ردع الهجمات الإرهابية فعليا.",
    "وقال روجيو: “في بعض الأحيان تعمل هذه الجماعات في الظل”.",
    "وأشار روجيو إلى أن المتطرفين الإسلاميين شنوا العديد من الهجمات في روسيا",
    "وقال مستشار الأمن القومي بالبيت الأبيض، جون كيربي، إن الولايات المتحدة تظل “يقظة”",
]
ENGLISH = [
    "Bill Ruggio, a fellow member of the Defense for Democracy and Freedom Association",
    "But Rujio said that this step was not advisable to be successful in the war against terror.",
    "Roguio said: “Sometimes these groups work in the dark”.",
    "Roguio pointed out that the two Muslim groups had launched a series of attacks in Russia",
    "The National Security Advisor for the White House, John Kerry, said that the United States",
]


def test_links_pair_arabic_names_with_their_english_spelling() -> None:
    assert arabic_key("وروجيو") == arabic_key("روجيو") == "روجيو"
    assert links(SOURCES[0], ENGLISH[0]) == {"بيل": "Bill", "روجيو": "Ruggio"}
    assert links(SOURCES[3], ENGLISH[3]) == {"روجيو": "Roguio", "روسيا": "Russia"}
    # كيربي (K-R-B) is not Kerry (K-R): no link, nothing to unify
    assert "كيربي" not in links(SOURCES[4], ENGLISH[4])


def test_one_spelling_per_name_in_the_article() -> None:
    assert consistency(SOURCES, ENGLISH) == (1, 0)  # روجيو in 4 sentences, 3 spellings
    unified, replaced = unify_names(SOURCES, ENGLISH)
    assert replaced == {"Ruggio": "Roguio", "Rujio": "Roguio"}  # the most frequent
    assert consistency(SOURCES, unified) == (1, 1)
    assert unified[0].startswith("Bill Roguio, a fellow") and unified[1].startswith("But Roguio")
    assert unified[2:] == ENGLISH[2:]
    # a glossary term is the glossary's business
    glossary = parse_glossary("روجيو\tRoggio\n")
    kept, replaced = unify_names(
        SOURCES, ENGLISH, keep=lambda key: any(t.in_source(key) for t in glossary.terms)
    )
    assert kept == ENGLISH and replaced == {}


def test_the_pipeline_step_rewrites_an_articles_translations_and_respects_the_glossary() -> None:
    from xling.records import Sentence, Translation
    from xling.translate.batch import BatchOptions
    from xling.translate.pipeline import remember_names

    def article() -> list[Translation]:
        return [
            Translation(Sentence(i, 0, src), english, "m")
            for i, (src, english) in enumerate(zip(SOURCES, ENGLISH, strict=True))
        ]

    records = article()
    remember_names(records, BatchOptions(name_memory=True))
    assert records[0].text.startswith("Bill Roguio, a fellow")
    assert records[1].text.startswith("But Roguio")
    assert [t.text for t in records[2:]] == ENGLISH[2:]
    records = article()
    glossary = parse_glossary("روجيو\tRoggio\n")
    remember_names(records, BatchOptions(name_memory=True, glossary=glossary))
    assert [t.text for t in records] == ENGLISH  # the glossary's term is left to the glossary
