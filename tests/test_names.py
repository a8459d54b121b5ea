"""The name memory on real sentences of the seed article and the quality model's real
translations of them (greedy, from eval/results/glossary-qwen2.5-coder-1.5b.json): روجيو came
out as Ruggio, Rujio and Roguio in one article."""

from __future__ import annotations

import pytest

from xling.models import store
from xling.models.info import ModelInfo
from xling.translate.glossary import parse_glossary
from xling.translate.names import (
    arabic_form,
    arabic_key,
    article_links,
    consistency,
    links,
    unify_names,
)
from xling.translate.tokenizer import load_tokenizer, spelling_tokens

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


# NTREX-128 articles and the quality model's translations of them (greedy, all guards: the run
# eval/out/name-memory-qwen2.5-coder-1.5b-123.mt.jsonl), as (Arabic lines, English lines).
DYTEON = (
    [
        (
            "إطلاق النار على وايد سيمز: ألقت الشرطة القبض على المشتبه به دايتون "
            "سيمبسون في وفاة لاعب ال إس يو"
        ),
        (
            'وقالت إدارة شرطة باتون روج "إنه قد ألقي القبض على دايتون سيمبسون، الذي '
            "يبلغ 20 عامًا وتم اصطحابه إلى السجن بجريمة قتل من الدرجة الثانية."
        ),
    ],
    [
        (
            "The fire was set on the stadium: The police arrested the person who was "
            "involved in the incident, Dae-Ton Seembsun, who died in the incident."
        ),
        (
            "The management of the Department of Justice in the United States said "
            "that it had placed a bounty on Daiton Symbos, who was 20 years old and "
            "had been convicted of first-degree murder."
        ),
    ],
)
SCHERZER = (
    [
        "سيرزير يرغب في أن يلعب دور مفسد نشوة الفوز ضد روكيز",
        (
            "لم يعلن فريق ناشونالز حتى الآن عن بداية يوم الأحد، ولكن تميل التقارير "
            "إلى السماح لسيرزير باللعب في ظل هذه الأجواء."
        ),
    ],
    [
        ("Syrizar wants to play the role of the winner of the contest against Roukiz."),
        (
            "The New Orleans Saints have not yet announced their start of the game "
            "on Sunday, but the reports suggest that they will allow Serrizier to "
            "play in this atmosphere."
        ),
    ],
)
KIT = (
    [
        'نجم مسلسل "صراع العروش"كيت هارينغتونيهاجم مفهوم الرجولة المضرة',
        (
            'في حديثه إلىصنداي تايمز كلتشر، قال كيت إنه يعتقد أن "شيئًا ما قد صار '
            'بطريقالخطأ" وتساءل عن كيفية معالجة مشكلة الرجولة المضرة في عصر"هاشتاج '
            'أنا أيضًا".'
        ),
        (
            'اعترف كيت، الذي تزوج مؤخرًا من زميلته النجمة في "صراع العروش"، روز '
            'ليزلي، البالغة من العمر 31 عامًا، بأنه يشعر "بشعور قوي" حيال معالجة '
            "المشكلة."
        ),
    ],
    [
        (
            'The actor who played "The War of the Roses" in the film "War of the '
            'Roses" is Kit Harrenghunt.'
        ),
        (
            "In his interview with Timz Allert, Kita said he believes that "
            '"something may have been wrong said" and asks how to handle the problem '
            "of the missing money in his time. I also asked him."
        ),
        (
            'Kit, who had recently married his girlfriend from the "War of the '
            'Roses," told me that he was feeling "very strong" about the problem.'
        ),
    ],
)
WARREN = (
    [
        (
            'ستلقي إليزابيث وارين "نظرة فاحصة" من أجل الترشح للرئاسة في عام 2020، '
            "كما تقول عضوة مجلس الشيوخ عن ولاية ماساتشوستس"
        ),
        ("أثناء اجتماع مجلس المدينة في هوليوك، ماساتشوستس، أكدت وارن أنها تفكر في الترشح."),
    ],
    [
        (
            'Elizabeth Warren will visit "The View" for the 2020 presidential '
            "campaign, as a member of the Massachusetts House of Representatives."
        ),
        (
            "During the meeting of the city council in Houston, Texas, Warran stated "
            "that she is thinking about the promotion."
        ),
    ],
)
WOODS = (
    [
        (
            "قاد الثنائي المُلهَم تومي فليتوود وفرانشيسكو موليناري هذه المهمة بفوزين "
            "على تايجر وودز المتعثر ليرفع رصيده حتى الآن في ملعب لو غولف ناسيونال "
            "إلى أربع نقاط."
        ),
        (
            "وبعد هزيمتهما أمام وودز وباتريك ريد في الأربع كرات، أبدعا بعد ذلك "
            "باللعب الممتاز وتغلبا على وودز المهزوم والأمريكي المبتدئ بريسون ديشامبو "
            "بنتيجة 5 مقابل 4."
        ),
        (
            "أظهر وودز، الذي عانى خلال مباراتين يوم السبت، تألقه لكنه فوّت الآن  19 "
            "حفرة من 29 مباراة له في الأربع كرات والمجموعة الرباعية وسبع حفرات "
            "متتالية."
        ),
    ],
    [
        (
            "The two men, Tommy Floretti and François Soubry, have won this "
            "important match by defeating Tiger Woods, who has raised his current "
            "record to four points."
        ),
        (
            "After their victory over Woudz and Barack Ried in four games, they "
            "played the game with the best result and defeated Woudz's victorious "
            "and American beginner, Bryan Dychambo, with a score of 5-4."
        ),
        (
            "Woudz, who had been injured during two Saturday matches, has now scored "
            "19 goals out of 29 matches for the four rounds and the fourth group, "
            "and seven consecutive goals."
        ),
    ],
)
RUSSIA = (
    [
        (
            "زعم زينك أن مشاركة روسيا في سوريا – خاصةً وأنها تُنفّذ ذلك بدعوة من "
            "الحكومة الشرعية - هو ذريعة لاستكشاف أسواق جديدة للطاقة."
        ),
        (
            '"أعتقد أن السبب في وجودهم في الشرق الأوسط هو أنهم يريدون أن يكون '
            "لهموسيط تجاريللطاقة مثلما يفعلون في أوروبا الشرقية، والوسط الجنوبي "
            'لأوروبا"، حسبما ورد ذكره.'
        ),
    ],
    [
        (
            "Zinak believes that Russia’s participation in Syria, especially as a "
            "result of a government decree, is a reason for exploring new markets "
            "for technology."
        ),
        (
            "I believe that the reason for their presence in the Middle East is that "
            "they want to have their own technology industries like those in Europe, "
            "and the Middle East for Europe."
        ),
    ],
)
SAINSBURY = (
    [
        (
            "تتنافس سينسبري مع بوتس وسوبردراج وديبنهامز بتوفير ممرات لمنتجات تجميل "
            "على غرار المتاجر المزودة بمساعدين متخصصين."
        ),
        (
            "وقال مايك كوب، المدير التنفيذي لسينسبري، إن منافذ بيع المنتجات ستشبه "
            "إلى حد متزايد المتاجر حيث إن سلسلة السوبر ماركت تسعى إلى مواجهة "
            "الخصومات التي يقدمها آلدي وليدل بتقديم خدمات أكثر غير المنتجات الغذائية."
        ),
    ],
    [
        (
            "Sensbar is competing with Bosch and Suhrberg for the sale of cleaning "
            "products to retailers who provide professional cleaning services."
        ),
        (
            "Mike Cup, the CEO of Sainsbury, said that competitors will try to mimic "
            "Sainsbury's supermarket strategy, which aims to compete with Aldi and "
            "Willy's by offering more than just food products."
        ),
    ],
)

WARIN = (
    [
        'تخطط "وارين" للاستعانة بكافة الأساليب القوية للترشح لرئاسة',
        (
            "الولايات المتحدة الأمريكية صرحت السيناتور إليزابيث وارين بأنها بصدد "
            "اتخاذ كافة الأساليب المعنية والاستعانة بنظرة فاحصة بأمر الترشح لمقعد "
            "الرئاسة بعد انتخابات نوفمبر المقبل."
        ),
    ],
    [
        (
            '"Warin" plans to help you with all the strong methods of advertising to '
            "become the leader."
        ),
        (
            "The United States of America has announced that Elizabeth Warren, the "
            "Democratic candidate for President, will be taking all necessary steps "
            "and seeking advice from a high-level perspective on the nomination "
            "process for the November election."
        ),
    ],
)


def test_repeated_consonant_classes_are_merged_as_in_the_arabic_skeleton() -> None:
    (ar, en) = DYTEON  # دايتون is T-N; Dae-Ton and Daiton T-T-N unmerged
    assert links(ar[0], en[0])["دايتون"] == "Dae-Ton"
    assert article_links(ar, en)[1]["دايتون"] == "Daiton"  # (الثانية is T-N too: anchored)
    unified, replaced = unify_names(ar, en)
    assert replaced == {"Daiton": "Dae-Ton"} and "on Dae-Ton Symbos," in unified[1]


def test_a_name_written_with_a_proclitic_is_the_name() -> None:
    (ar, en) = SCHERZER  # لسيرزير: "to let Scherzer pitch"
    assert "سيرزير" not in links(ar[1], en[1])
    unified, replaced = unify_names(ar, en)
    assert replaced == {"Serrizier": "Syrizar"} and "allow Syrizar to play" in unified[1]


def test_a_name_linked_elsewhere_anchors_a_sentence_that_could_not_link_it() -> None:
    (ar, en) = KIT  # in the 2nd sentence قد is K-T too, so كيت has no link of its own
    assert "كيت" not in links(ar[1], en[1])
    assert article_links(ar, en)[1]["كيت"] == "Kita"
    unified, replaced = unify_names(ar, en)
    assert replaced == {"Kita": "Kit"} and "Allert, Kit said" in unified[1]
    assert unified[0] == en[0] and unified[2] == en[2]


def test_a_long_vowel_inside_an_arabic_name_does_not_make_another_name() -> None:
    (ar, en) = WARREN  # وارين, then وارن
    assert arabic_form(arabic_key("وارين")) == arabic_form(arabic_key("وارن"))
    assert arabic_form("جون") != arabic_form("جوني")  # John, Johnny: the last letter stays
    unified, replaced = unify_names(ar, en)
    assert replaced == {"Warran": "Warren"} and "Texas, Warren stated" in unified[1]


def test_a_possessive_is_read_as_its_name() -> None:
    (ar, en) = WOODS  # Woudz and Woudz's in one sentence: one name, not two of skeleton W-T-S
    unified, replaced = unify_names(ar, en)
    assert replaced == {"Woods": "Woudz"}
    assert "Tiger Woudz," in unified[0] and unified[1:] == en[1:]
    (ar, en) = RUSSIA  # Russia’s, then Russia: one spelling, nothing to replace
    assert links(ar[0], en[0])["روسيا"] == "Russia"
    assert unify_names(ar, en) == (en, {})


def test_on_a_tie_the_spelling_the_article_writes_more_often_wins() -> None:
    (ar, en) = SAINSBURY  # Sensbar once; Sainsbury linked once (لسينسبري), written twice
    unified, replaced = unify_names(ar, en)
    assert replaced == {"Sensbar": "Sainsbury"}
    assert unified[0].startswith("Sainsbury is competing") and unified[1] == en[1]


@pytest.mark.models
def test_the_models_common_spelling_comes_first() -> None:
    if not store.is_built("qwen2.5-coder-1.5b"):
        pytest.skip("quality model not built")
    folder = store.model_dir("qwen2.5-coder-1.5b")
    tokenizer = load_tokenizer(folder, ModelInfo.load(folder).tokenizer)
    assert spelling_tokens(tokenizer, "Warren") < spelling_tokens(tokenizer, "Warin")
    (ar, en) = WARIN  # وارين as Warin, then Warren: a tie, the earlier wins without the prior
    assert unify_names(ar, en)[1] == {"Warren": "Warin"}
    unified, replaced = unify_names(ar, en, cost=lambda w: spelling_tokens(tokenizer, w))
    assert replaced == {"Warin": "Warren"} and unified[0].startswith('"Warren" plans')
