"""Question understanding: answer types, fresh instances, lexicon coverage, follow-up substitution.

Tables of cases on the units themselves (no knowledge base needed)."""

from __future__ import annotations

import pytest

from assistant.answer_types import asked_unit, attribute_nouns, classify, fresh_instance, wh_heads
from assistant.api import contextualise
from assistant.guard import CoverageRules, chunk_coverage, coverages, title_in
from assistant.lexicon import abbreviation_in, acronym_expansions, broad_synonyms, confirmed_synonyms, two_word_abbreviation_in, english_content_words, english_term, is_person_noun, pinyin_in, synonyms
from assistant.query import analyse, without_place
from ingest.keyword import tokenize


@pytest.mark.parametrize(
    "question, kind",
    [
        ("1至8月技术合同成交额是多少?", "quantity"),
        ("该奖每年授奖不超过几名?", "quantity"),
        ("会议是什么时候召开的?", "date"),
        ("广三铁路在哪年建成?", "date"),
        ("谁负责科技成果转化工作?", "person"),
        ("俱乐部是由谁创立的?", "person"),
        ("由哪个部门负责?", "org"),
        ("是由哪两个公司合作开发的?", "org"),
        ("总部在哪里?", "place"),
        ("该地区一部分在独立时被哪国占去?", "place"),  # 哪国: 哪个国家 said shorter
        ("主要应用在哪些领域?", "list"),
        ("申报条件有哪些?", "condition"),
        ("科技成果是指什么?", "definition"),
        ("是否仍然有效?", "yes_no"),
        ("奖金受不受工资总额的限制?", "yes_no"),  # any A-not-A form
        ("市属研究院转化成果要不要报批?", "yes_no"),
        ("服务品牌叫什么名字?", "name"),
        ("How many patents were granted?", "quantity"),
        ("What corporate income tax rate does the law set?", "quantity"),  # a rate, whatever words stand before it
        ("What is the ratio of R&D staff to employees?", "quantity"),
        ("What does the law say about credit ratings?", "other"),
        ("When was the meeting held?", "date"),
        ("Who wrote the article?", "person"),
        ("Which department is responsible?", "org"),
        ("科技创新券多久结算一次?", "frequency"),
        ("How often is the environment assessed?", "frequency"),
        ("承担者多久要向项目管理机构报告一次实施情况?", "frequency"),  # 一次 after a whole clause
        ("多久能拿到补贴,一次给多少?", "quantity"),  # 一次 of another clause
        ("项目实施期多久?", "quantity"),  # how long, not how often
    ],
)
def test_classify(question: str, kind: str) -> None:
    assert classify(analyse(question).search).type == kind


@pytest.mark.parametrize(
    "question, present, absent",
    [
        ("奖金受不受工资总额的限制?", "限制", "受不受"),
        ("这个项目值不值得申报?", "值得", "值不值得"),
        ("转化成果要不要报批?", "报批", "不要"),
        ("企业用不用缴税?", "缴税", "不用"),
    ],
)
def test_a_not_a_is_how_it_is_asked(question: str, present: str, absent: str) -> None:
    terms = analyse(question).content_terms
    assert present in terms and absent not in terms


@pytest.mark.parametrize(
    "question, kind, head",
    [
        ("哪一個海峽位於巴丹群島和巴布煙群島中間?", "entity", "海峡"),  # measure word skipped, cut at the next word
        ("率先宣布脱离联邦的是哪一州?", "entity", "州"),
        ("新资产阶级主要信奉什么主义?", "entity", "主义"),
        ("喀山在哪一个世纪成为公国的中心?", "date", "世纪"),  # a time noun makes it a when-question
        ("卡卢加州的中心位在哪一个高地?", "entity", "高地"),  # 在哪一个 + noun is not 在哪里
        ("总部在哪个城市?", "place", None),
        ("哪些公司可优先支持?", "org", "公司"),  # the kind of body asked for
        ("由哪个部门负责?", "org", "部门"),
    ],
)
def test_classify_head(question: str, kind: str, head: str | None) -> None:
    asked = classify(analyse(question).search)
    assert (asked.type, asked.head) == (kind, head)


@pytest.mark.parametrize(
    "head, sentence, question, fresh",
    [
        ("州", "南卡罗来纳州率先宣布脱离联邦", "率先宣布脱离联邦的是哪一州", True),
        ("州", "此后宣布脱离联邦的州越来越多", "率先宣布脱离联邦的是哪一州", False),  # 的州: no name in front
        ("主义", "新资产阶级信奉新柏拉图主义", "新资产阶级主要信奉什么主义", True),
        ("海峡", "巴林坦海峡位于两群岛之间", "哪一个海峡位于巴丹群岛和巴布烟群岛中间", True),
        ("海峡", "位于台湾海峡南部", "台湾海峡南部是哪一个海峡", False),  # the question's own
    ],
)
def test_fresh_head_instance(head: str, sentence: str, question: str, fresh: bool) -> None:
    from assistant.answer_types import fresh_head_instance

    assert fresh_head_instance(head, sentence, question) is fresh


def test_a_role_name_question_asks_for_a_person() -> None:
    assert analyse("昆明市科技局局长叫什么名字?").asked.type == "person"
    assert is_person_noun("局长") and not is_person_noun("品牌")


@pytest.mark.parametrize(
    "kind, sentence, question, fresh",
    [
        ("quantity", "全市共登记技术合同7936项", "技术合同登记了多少项?", True),
        ("quantity", "两场会议在昆明召开", "会议有多少人参会?", False),  # 多少人 is not answered by 两场
        ("quantity", "参会人员900人次", "会议有多少人参会?", True),
        ("quantity", "共有7936项", "7936项技术合同的成交额是多少?", False),  # the question's own figure
        # a share is answered by a percentage, a fraction or a ratio, not by a count of something else
        ("quantity", "全市高新技术企业通过评审946家", "研发人员占职工总数的比例是多少?", False),
        ("quantity", "研发人员占职工总数的比例不低于百分之十", "研发人员占职工总数的比例是多少?", True),
        ("quantity", "须经三分之二以上委员同意", "需要多大比例的委员同意?", True),
        ("quantity", "市级财政按1:1的比例配套", "配套比例是多少?", True),
        ("date", "会议于8月6日召开", "会议是什么时候召开的?", True),
        ("date", "会议在昆明召开", "会议是什么时候召开的?", False),
        ("date", "进入战国时代后成为日常发型", "什么时候成为日常的发型?", True),
        ("person", "俱乐部由徐根宝创立", "俱乐部是由谁创立的?", True),
        ("person", "俱乐部位于上海", "俱乐部是由谁创立的?", False),
        ("org", "由云南省科学技术厅负责", "由哪个部门负责?", True),
        ("place", "总部位于绵阳市", "总部在哪里?", True),
        # Taiwan's names of countries (義大利, 紐西蘭) are places too, read in their mainland form
        ("place", "义大利物理学家伽利略是科学革命的重要人物", "伽利略是哪里人?", True),
        ("place", "纽西兰的毛利人", "毛利人住在哪里?", True),
        ("place", "义大利物理学家伽利略", "义大利的伽利略是哪里人?", False),  # the question's own place
        ("place", "物理学家伽利略是科学革命的重要人物", "伽利略是哪里人?", False),
        ("list", "支持生物医药、绿色能源、新材料等领域", "支持哪些领域?", True),
        # an alias after a naming verb is a name, though its words are common nouns
        ("name", "钩盲蛇在中国亦被称为地鳝及铁丝蛇。", "钩盲蛇在中国被称为什么?", True),
        ("name", "该公司简称为长电科技", "该公司简称是什么?", True),
        ("name", "钩盲蛇的身体并没有分成明显的段节", "钩盲蛇在中国被称为什么?", False),
        # the term a sentence defines is the name of what it describes, unless the question names it
        ("name", "自杀预防是指人们集体防范以减少自杀事件的行为。", "集体防范以减少自杀事件的行为又称为什么?", True),
        ("name", "科技成果是指通过科学研究所产生的成果。", "科技成果又称为什么?", False),
        ("name", "它又称条纹鲈", "它是不是又称条纹鲈?", False),  # the question's own name
        # eras and geological periods answer when-questions
        ("date", "生存于白垩纪晚期的中坎潘阶", "结头龙属生存于什么时期?", True),
        ("date", "侏罗纪的恐龙化石发现于加拿大", "化石是在哪里发现的?", True),
        ("date", "化石发现于加拿大亚伯达省", "结头龙属生存于什么时期?", False),
        # how often: a frequency answers, with or without a number
        ("frequency", "科技创新券每半年至少结算一次", "科技创新券多久结算一次?", True),
        ("frequency", "市人民政府应当每年安排专项资金", "专项资金多久安排一次?", True),
        ("frequency", "科技创新券由科技部门发放", "科技创新券多久结算一次?", False),
        # an article's label is not a figure it states
        ("quantity", "第二十二条 国家推动保险机构开展贷款保证保险业务。", "贷款利率上限是多少?", False),
        # a rank answers a question for one, not a how-much question
        ("quantity", "昆明已连续举办第三届科技成果转化对接会", "这是第几届对接会?", True),
        ("quantity", "该校综合实力位列全国第三位", "该校在全国排名多少?", True),
        ("quantity", "2015年8月29日第十二届全国人民代表大会常务委员会第十六次会议修正", "专利年费可以减免多少?", False),
        # 谁 in a rule is often a body: 报国务院批准 answers 报谁批准
        ("person", "撤销奖励须经审核", "撤销奖励报谁批准?", False),
        # a role answers who, a sex or an age does not; nor when the question names the role itself
        ("person", "网球比赛的主裁判对比赛中所有事件拥有最终仲裁权", "谁在网球比赛中拥有最终仲裁权?", True),
        ("person", "该市女性居多", "谁在网球比赛中拥有最终仲裁权?", False),
        ("person", "共有24位市议员", "省议员选举中有谁曾胜选过?", False),
        ("org", "该片是2003年上映的第四部剧场版", "该片由哪个公司出品?", False),  # 第四部: a count, no ministry
    ],
)
def test_fresh_instance(kind: str, sentence: str, question: str, fresh: bool) -> None:
    assert fresh_instance(kind, sentence, question) is fresh


@pytest.mark.parametrize(
    "sentence, question, of_article, fresh",
    [
        # 谁 in a regulation's article is often a body: 报国务院批准 answers 报谁批准
        ("组成人员由国家科学技术奖励委员会报国务院批准", "组成人员报谁批准?", True, True),
        # ... elsewhere too a named organisation answers who (a sponsor, a party), but a faction or a
        # numbered work is none (第四部 is a count, not a ministry)
        ("球队的主要赞助商为索尼公司", "球队的重要赞助商是谁?", False, True),
        ("党外地方派系许家班长期盘踞省议会", "省议员选举中有谁曾胜选过?", False, False),
        ("该片是2003年上映的第四部剧场版", "片中特别出演的嘉宾是谁?", False, False),
        # a question for someone's name wants a person's name, even in a rule
        ("成立由局长担任组长的领导小组,市科技局统筹", "市科技局局长叫什么名字?", True, False),
    ],
)
def test_who_in_a_rule_is_a_body(sentence: str, question: str, of_article: bool, fresh: bool) -> None:
    assert fresh_instance("person", sentence, question, bodies=of_article) is fresh


@pytest.mark.parametrize(
    "question, unit",
    [
        ("有多少人参会", "人"), ("成交额多少亿元", "亿元"), ("多少米", "米"), ("是多少", None),
        ("一等奖的奖金是多少", "元"), ("how much prize money comes with it", "元"),
        ("比例是多少", "%"), ("研发人员占职工总数的比例是多少", "%"), ("有几成企业", "%"), ("what percentage goes to the inventors?", "%"),
    ],
)
def test_asked_unit(question: str, unit: str | None) -> None:
    assert asked_unit(question) == unit


@pytest.mark.parametrize(
    "question, attr",
    [
        ("羗山道的长度是多少?", "长度"), ("主角叫什么名字?", "主角"), ("美安公司的主要业务是什么?", "业务"),
        # a question left open after its copula asks for the noun before it
        ("禁止滴滴涕农业应用的美国政府单位是?", "单位"), ("德国的第一大邦为?", "大邦"), ("李白描写秦岭山路的作品是?", "作品"),
    ],
)
def test_attribute_nouns(question: str, attr: str) -> None:
    assert attr in attribute_nouns(question)


def test_a_metric_stays_required_for_figures() -> None:
    """授权量 names the figure asked: a passage of 申请量 does not answer it."""
    q = analyse("昆明专利授权量是多少?")
    assert "授权量" in q.strong_terms or "授权" in q.strong_terms


@pytest.mark.parametrize(
    "word, synonym, expected",
    [("机构", "单位", True), ("报名", "申请", True), ("高校", "大学", True), ("企业", "小卖部", False)],
)
def test_synonyms(word: str, synonym: str, expected: bool) -> None:
    assert (synonym in synonyms(word)) is expected


@pytest.mark.parametrize(
    "term, places, expected",
    [
        ("北京高校", {"北京"}, "高校"),  # a place and a class of bodies in one jieba word
        ("北京市民", {"北京"}, "市民"),
        ("昆明市高新区", {"昆明"}, "高新区"),
        ("北京大学", {"北京"}, "北京大学"),  # a name CC-CEDICT lists: another university does not answer for it
        ("云南大学", {"云南"}, "云南大学"),  # an organisation's name by its suffix
        ("北京市政府", {"北京"}, "北京市政府"),
        ("北京", {"北京"}, "北京"),  # nothing left but the place
        ("高校", {"北京"}, "高校"),
        ("北京高校", set(), "北京高校"),  # the question names no place
    ],
)
def test_without_place(term: str, places: set[str], expected: str) -> None:
    assert without_place(term, places) == expected


def test_a_place_prefixed_noun_is_the_noun_and_the_place() -> None:
    q = analyse("在北京高校当领导的科研人员拿奖金,有什么额外要求?")
    assert "高校" in q.strong_terms and "北京高校" not in q.content_terms and q.places == {"北京"}


@pytest.mark.parametrize(
    "word, vocabulary, expected",
    [
        # 公司's 28-word Cilin group: too large for strict synonyms, so candidates only
        ("公司", None, {"企业", "商店", "小卖部"}),
        ("公司", {"企业", "小卖部", "法律"}, {"企业", "小卖部"}),  # only words the corpus uses
        ("机构", None, set()),  # its group is small: a strict synonym (单位), never a broad one
    ],
)
def test_broad_synonyms_are_candidates_from_large_groups(word: str, vocabulary: set[str] | None, expected: set[str]) -> None:
    got = broad_synonyms(word, vocabulary)
    assert expected <= got if vocabulary is None else got == expected
    assert not got & synonyms(word)


@pytest.mark.parametrize(
    "term, vocabulary, confirmed",
    [
        ("公司", {"企业", "商店", "小卖部", "合作社"}, ("企业",)),  # the embedder keeps the close one
        ("企业", {"公司", "小卖部"}, ("公司",)),
        ("专利", {"企业", "公司"}, ()),  # not in those groups: thesaurus first, however close the vectors
        ("公司", set(), ()),  # nothing in the corpus to stand for it
    ],
)
def test_confirmed_synonyms_need_thesaurus_and_embedder(e5_embedder, term: str, vocabulary: set[str], confirmed: tuple[str, ...]) -> None:
    import numpy as np

    def vectors(words: list[str]) -> list[np.ndarray]:
        v = e5_embedder.embed_passages(words)
        return list(v / np.linalg.norm(v, axis=1, keepdims=True))

    assert confirmed_synonyms([term], vocabulary, vectors, 0.96).get(term, ()) == confirmed


@pytest.mark.parametrize(
    "term, vocabulary, confirmed",
    [
        # 过世 ~ 去世 0.93, below the bar of 0.96, but the two share their head 世 in one Cilin group
        ("过世", {"去世", "完蛋", "死亡"}, ("去世",)),
        ("公司", {"商店", "小卖部"}, ()),  # 0.92, no shared head: still not a synonym
    ],
)
def test_confirmed_synonyms_sharing_a_head_need_less(e5_embedder, term: str, vocabulary: set[str], confirmed: tuple[str, ...]) -> None:
    import numpy as np

    def vectors(words: list[str]) -> list[np.ndarray]:
        v = e5_embedder.embed_passages(words)
        return list(v / np.linalg.norm(v, axis=1, keepdims=True))

    assert confirmed_synonyms([term], vocabulary, vectors, 0.96, 0.92).get(term, ()) == confirmed
    assert confirmed_synonyms([term], vocabulary, vectors, 0.96).get(term, ()) == ()  # without it, neither


@pytest.mark.parametrize(
    "a, b, shared",
    [("过世", "去世", True), ("创立", "建立", True), ("公司", "商店", False), ("过世", "过世", False), ("专利", "专利权", False)],
)
def test_shares_head(a: str, b: str, shared: bool) -> None:
    from assistant.lexicon import shares_head

    assert shares_head(a, b) is shared


@pytest.mark.parametrize(
    "word, not_time",
    [("过世", True), ("去世", True), ("今年", False), ("当时", False), ("后来", False), ("年底", False), ("元宵节", False), ("qwerty", False)],
)
def test_time_tagged_words_that_are_no_time(word: str, not_time: bool) -> None:
    from assistant.lexicon import is_not_time_word

    assert is_not_time_word(word) is not_time


def test_a_death_verb_tagged_as_time_is_a_subject_term() -> None:
    assert "过世" in analyse("狄拉克於何年過世?").content_terms  # jieba: 过世/t
    assert "今年" not in analyse("今年的技术合同成交额是多少?").content_terms


@pytest.mark.parametrize(
    "term, text, expansion",
    [("科小", "支持科技型中小企业发展", "科技型中小"), ("省科技厅", "云南省科学技术厅发布", "省科学技术厅"), ("科小", "科学研究", None)],
)
def test_abbreviation_in(term: str, text: str, expansion: str | None) -> None:
    assert abbreviation_in(term, text) == expansion


@pytest.mark.parametrize(
    "term, text, phrase",
    [
        ("研发", "加大研究开发投入", "研究开发"),
        ("高校", "支持高等院校开展合作", "高等院校"),
        ("高校", "鼓励高等学校转化成果", "高等学校"),
        ("科研", "从事科学研究的人员", "科学研究"),
        ("科技", "促进科学技术进步", "科学技术"),
        ("外资", "吸引外国投资", "外国投资"),
        ("国企", "深化国有企业改革", "国有企业"),
        # the halves must be the words the term abbreviates, not any two words holding its characters
        ("公司", "国家发展改革委公共服务司", None),
        ("工资", "统筹工作资金", None),
        ("高校", "建设高速学校", None),
        ("研发", "企业研发投入", None),  # the term itself is there: abbreviation_in's and the plain match's job
        ("研发费", "研究开发费用", None),  # three characters: abbreviation_in's job
    ],
)
def test_two_word_abbreviation_in(term: str, text: str, phrase: str | None) -> None:
    assert two_word_abbreviation_in(term, text) == phrase


@pytest.mark.parametrize(
    "question, words",
    [
        # an idiom with a function word or particle stands as one (its words alone translate to 电荷 …)
        ("Who was in charge of the review work?", ["in charge", "review", "work"]),
        ("Which company took over the project?", ["company", "take over", "project"]),
        ("Is the regulation still in force?", ["regulation", "still", "in force"]),
        # a compound of content words stays word by word (national law is wider than 国法)
        ("When did the national law take effect?", ["national", "law", "take", "effect"]),
        ("How many patents were granted?", ["patents", "granted"]),
        ("Is this a door-to-door service?", ["door", "door", "service"]),  # a hyphenated compound the dictionary lacks
        ("Equipment that can't be made domestically", ["Equipment", "domestically"]),  # can't is can, no "ca"
    ],
)
def test_english_content_words(question: str, words: list[str]) -> None:
    assert english_content_words(question) == words


@pytest.mark.parametrize(
    "acronym, includes, excludes",
    [
        ("GDP", "国内生产总值", None),  # "gross domestic product (GDP)"
        ("SMEs", "中小企业", "中型企业"),  # plural; the dictionary's shorter word, not one losing a core character
        ("WTO", "世界贸易组织", None),  # "WTO (World Trade Organization)"
        ("PRC", None, "国务院"),  # "State Council (PRC)": the capitals say whose, they spell nothing
        ("NDA", None, None),  # not in the dictionary: nothing
    ],
)
def test_acronym_expansions(acronym: str, includes: str | None, excludes: str | None) -> None:
    found = acronym_expansions(acronym)
    assert (includes in found) if includes else found == (), found
    assert excludes not in found


def test_an_acronym_stands_for_its_expansion() -> None:
    zh = analyse("全社会研发经费占GDP要达到多少？")
    assert "国内生产总值" in zh.alternatives["gdp"] and set(tokenize("国内生产总值")) <= set(zh.tokens)  # keyword search looks for it
    en = analyse("What share of the procurement budget is set aside for SMEs?")
    assert "smes" not in en.unknown_terms and "中小企业" in en.alternatives["smes"]
    assert "nda" in analyse("Can engineers be made to sign an NDA?").unknown_terms  # no expansion: still unknown


@pytest.mark.parametrize(
    "search, head, not_head",
    [
        ("哪一位元朝皇帝下令恢复科举?", "皇帝", None),  # the phrase's last noun: an emperor is asked for
        ("哪两个公司参与了项目?", "公司", None),
        ("什么部门负责审批?", "部门", "审批"),  # the verb ends the phrase
        ("什么样的男性才能参与投票?", "男性", "投票"),
        ("哪一类型的设施增长最快?", "设施", None),
        ("哪个国家的首都是巴黎?", "国家", "巴黎"),
    ],
)
def test_wh_heads(search: str, head: str, not_head: str | None) -> None:
    heads = wh_heads(search)
    assert head in heads and not_head not in heads, heads


@pytest.mark.parametrize(
    "question, embedded, keyword_only",
    [
        # the embedder reads English: it gets the question and its places' Chinese names, while the
        # keyword side's translations (贷款, 借给 …) stay out of it
        ("What loans can a company in Kunming get?", ["what loans can a company in kunming get?", "昆明"], ["贷款"]),
        ("Which laboratories were added?", ["which laboratories were added?"], ["实验室"]),
    ],
)
def test_english_questions_embed_without_translations(question: str, embedded: list[str], keyword_only: list[str]) -> None:
    q = analyse(question)
    assert all(part in q.dense_search for part in embedded)
    assert all(word in q.search and word not in q.dense_search for word in keyword_only)


def test_a_chinese_question_embeds_its_search_form() -> None:
    q = analyse("技術合同成交額是多少？")
    assert q.dense_search == "" and "技术合同" in q.search  # "" = embed ``search`` (HybridRetriever.query_text)


@pytest.mark.parametrize(
    "word, must_include, noun",
    [
        ("patents", "专利", True), ("registered", "登记", True), ("laboratories", "实验室", True), ("held", None, False), ("national", "国家", True),
        # senses only the Chinese→English dictionary (CC-CEDICT, read backwards) has
        ("training", "培训", True), ("companies", "企业", True), ("person-times", "人次", False), ("key", "重点", True),
        ("provincial", "省", True),  # 省的 never stands in a text: its core does
        # irregular plurals through the lemmatizer, adverbs through their adjective
        ("children", "孩子", True), ("criteria", "标准", None), ("ethically", "伦理", None),
        # CC-CEDICT glosses a thing that comes in numbers in the plural (条例 "regulations")
        ("regulation", "条例", True), ("regulations", "条例", True),
        # an idiom glossed as a whole
        ("in charge", "主管", None), ("take over", "接管", None),
    ],
)
def test_english_terms(word: str, must_include: str | None, noun: bool | None) -> None:
    term = english_term(word)
    assert term is not None and (noun is None or term.noun is noun)
    if must_include:
        assert must_include in term.translations


@pytest.mark.parametrize(
    "title, text, stands",
    [
        ("论自由", "雅各书的作者", False),
        ("人权规约", "《国际人权规约》", True),  # inside a longer title
        ("中华人民共和国科学技术进步法", "科学技术进步法第八条", True),  # the country prefix is optional
        ("成果转化法", "中华人民共和国促进科技成果转化法第四十五条", True),  # shortened: in order, same run
        ("成果转化法", "成果的转让,以及依法", False),  # its characters across runs are not the title
        ("ONE PIECE 死亡尽头的冒险".lower().replace(" ", ""), "one piece 死亡尽头的冒险", True),
    ],
)
def test_title_in(title: str, text: str, stands: bool) -> None:
    assert title_in(title, text) is stands


def test_quoted_titles() -> None:
    assert analyse("《論自由》的作者是誰?").quoted_titles == ["论自由"]
    assert analyse("《A 书》和《B》有何不同?").quoted_titles == ["a书", "b"]
    assert analyse("论自由的作者是谁?").quoted_titles == []


def test_unknown_english_words_and_pinyin() -> None:
    assert english_term("xyzzyplugh") is None
    assert pinyin_in("Chuncheng", "春城计划高层次人才") and not pinyin_in("Chuncheng", "昆明")


def _cov(question: str, text: str, vocabulary: frozenset[str] = frozenset({"单位", "申请"})):
    return chunk_coverage(analyse(question), text, vocabulary, rules=CoverageRules())


@pytest.mark.parametrize(
    "question, passage, ok",
    [
        ("申报机构需要满足什么条件?", "申报单位应为在本市注册的独立法人单位,具备相应条件。", True),  # synonym 机构 ~ 单位
        ("科小企业可以获得什么支持?", "对科技型中小企业给予研发费用补助支持。", True),  # abbreviation
        # a figure the question states as a condition must stand in the passage, however written
        ("太阳在什么时期有约七十年几乎没有黑子活动?", "太阳黑子活动在蒙德极小期约三十年几乎消失。", False),
        ("太阳在什么时期有约七十年几乎没有黑子活动?", "1645年至1715年约70年间太阳黑子活动几乎停止,称为蒙德极小期。", True),
        ("资助金额不超过300万元的项目是什么?", "资助金额不超过500万元的项目为重点项目。", False),
        ("昆明专利授权量是多少?", "昆明专利申请量达到5000件。", False),  # granted is not filed
        ("呈贡区技术合同成交额是多少?", "昆明市技术合同成交额122.78亿元。", False),  # a district the passage lacks
        ("What was Mianyang's technology contract turnover?", "昆明技术合同成交额122.78亿元,营业额增长。", False),
        ("How many patents were granted on Mars?", "昆明专利授权量5000件。", False),
        # a name coined from single characters gets no credit for a piece of it (another eel's 体长)
        ("线蚓鳗的体长是多少?", "鳞蚓鳗体长可达76公分。", False),
        ("科技成果转化的收益如何分配?", "职务科技成果的收益分配办法。", True),  # a compound of words: partial credit
        ("羗山道的长度是多少?", "羗山道全长4.5公里,长度为", True),  # 长度 is not a place the passage must name
        # a quoted title must stand in the passage, whatever else the passage covers
        ("《论自由》的作者是谁?", "雅各书的作者在书信起头表明自己是雅各。", False),
        ("《论自由》的作者是谁?", "《论自由》是约翰·斯图尔特·密尔的著作,其作者密尔。", True),
        ("《成果转化法》规定的奖励比例是多少?", "中华人民共和国促进科技成果转化法 奖励比例不低于百分之五十。", True),  # shortened
        ("《ONE PIECE 死亡尽头的冒险》中特别出演的嘉宾是谁?", "onepiece死亡尽头的冒险 特别出演嘉宾为酒井美纪。", True),
    ],
)
def test_coverage(question: str, passage: str, ok: bool) -> None:
    assert _cov(question, passage).ok is ok


@pytest.mark.parametrize(
    "question, figures",
    [
        ("太阳在什么时期有约七十年几乎没有黑子活动?", ["约七十年"]),
        ("资助金额不超过300万元的项目有哪些?", ["不超过300万元"]),
        ("Which projects got more than $5 million?", ["$5 million"]),
        ("一太阴周期比一个什么期间少9年?", []),  # a difference the question worked out
        ("研发投入是否超过10%?", []),  # a yes-no question's threshold: the passage may give 12%
        ("台湾的阴阳海共有哪三处地理现象?", []),  # counts restate a list's size; 哪三处 is not even one
        ("台北101于哪一年动工?", []),
        ("昆明今年前八个月一共登记了多少项技术合同?", []),  # a period, not eight months of something
        ("企业上一年度共拿到多少项专利?", []),
        ("近三年研发投入多少?", []),
        ("成立满3年的企业可以申请吗?", []),  # yes-no
        ("成立满3年的企业有哪些支持?", ["满3年"]),
        ("What share of the annual budget is set aside?", []),  # annual is no figure, whatever its translation
        # a count in digits states a figure; the asker's own circumstances do not
        ("在红军的前沙皇时期,其中10,300名为担任什么职务的人?", ["10,300名"]),
        ("我们公司有50名员工,要满足什么条件?", []),
        ("有50名员工的企业要满足什么条件?", []),
    ],
)
def test_stated_figures(question: str, figures: list[str]) -> None:
    from assistant.guard import stated_figures

    query = analyse(question)
    text = query.original if query.english else query.search
    assert [f.text for f in stated_figures(text, query.asked.type, CoverageRules().stated_figure_kinds)] == figures


@pytest.mark.parametrize(
    "passage, ok",
    [
        ("高等学校研究开发费用可以按规定扣除。", True),  # each word the corpus uses, spelled out as its two words
        ("高速学校研究开发费用可以按规定扣除。", False),  # 高速+学校 holds 高…校 but is not what 高校 is short for
        ("高校研发费用可以按规定扣除。", True),
    ],
)
def test_coverage_of_corpus_words_spelled_out(passage: str, ok: bool) -> None:
    """高校 and 研发 are words of this corpus, so ``abbreviation_in``'s loose in-order match does not
    apply to them; their two-word spelled-out forms still cover them."""
    assert _cov("高校研发费用怎样扣除?", passage, frozenset({"高校", "研发", "费用"})).ok is ok


@pytest.mark.parametrize(
    "question, passage, ok",
    [
        # a framing noun (哪一种…方式, 什么…人士) the answering passage does not repeat: still answerable
        ("哪一种交通工具是绿岛主要的代步方式?", "绿岛的交通工具以机车为主,居民多以机车代步。", True),
        ("有九成在东德的人士信仰什么宗教?", "东德约九成居民信仰新教。", True),
        # ... but a subject noun it lacks still refuses
        ("东德的人士信仰什么宗教?", "西德约九成居民信仰新教。", False),
    ],
)
def test_coverage_generic_nouns(question: str, passage: str, ok: bool) -> None:
    assert _cov(question, passage).ok is ok


def test_a_corpus_phrase_with_a_word_missing_refuses() -> None:
    """技术转移协作会议 is a phrase of the corpus: a passage about another 会议 lacking 协作 does not answer."""
    q = analyse("技术转移协作会议一共有多少人参会?")
    passage = "全年组织技术转移宣讲会议40余场,覆盖3000余人次。"
    covs = coverages(q, [passage], context=["召开技术转移协作会议", passage])
    assert not covs[0].ok and q.phrases


@pytest.mark.parametrize(
    "question, places",
    [
        ("罗马文学白银时代少有突破", {"罗马"}),  # 白银 inside 白银时代 (an era) is not the city
        ("尼西亚帝国收复了哪些领土", set()),  # 西亚 is a piece of the name 尼西亚
        ("律敦治医院是哪年盖的", set()),
        ("昆明市呈贡区的企业", {"昆明", "呈贡"}),
        ("白银市的高新区", {"白银"}),
        ("大理州科技局", {"大理"}),
        # a name that can only be a place, heading a longer word jieba knows, is still the place
        ("北京市政府在科技上的财政投入有什么要求", {"北京"}),
        ("在北京高校当领导的科研人员", {"北京"}),
    ],
)
def test_places_are_words_not_pieces_of_words(question: str, places: set[str]) -> None:
    from assistant.query import places as found

    assert set(found(question)) == places


@pytest.mark.parametrize(
    "question, sentence, body",
    [
        ("国家科技奖的提名办法具体有哪些要求?", "提名办法由国务院科学技术行政部门制定。", "国务院科学技术行政部门"),
        ("中小企业按多少员工来划分?", "划分标准由国务院有关部门会同其他部门,根据从业人员等指标制定,报国务院批准。", "国务院有关部门"),
        ("一等奖的奖金是多少?", "奖金数额由国务院规定。", "国务院"),
        # who sets it: the body answers the question
        ("提名办法由哪个部门制定?", "提名办法由国务院科学技术行政部门制定。", None),
        # applying rules is not leaving them to others
        ("投资亏损怎么处理?", "由财政部门按照相关规定予以资产处理。", None),
        # a figure in the sentence answers how much
        ("补助标准是多少?", "补助标准为每项不超过50万元,由市科技局核定。", None),
        # a duty assigned, not a rule left open
        ("证书由谁颁发?", "证书由国务院颁发。", None),
    ],
)
def test_left_to_other_rules(question: str, sentence: str, body: str | None) -> None:
    from assistant.api import left_to_other_rules
    from ingest.normalize import search_form

    assert left_to_other_rules(analyse(question), [(search_form(sentence), sentence)]) == body


@pytest.mark.parametrize(
    "question, passage, body",
    [
        # another article of the text leaves the very rule asked about to a body
        ("国家科技奖评审具体怎么打分、评审办法是什么?", "第十八条 评审活动应当坚持公开的原则。评审办法由国务院科学技术行政部门制定。", "国务院科学技术行政部门"),
        ("提名办法具体有哪些要求?", "提名者应当按照提名办法提名。提名办法由国务院科学技术行政部门制定。", "国务院科学技术行政部门"),
        # a delegated rule the question does not ask about does not count
        ("评审委员会有哪些职责?", "第十八条 评审活动应当坚持公开的原则。评审办法由国务院科学技术行政部门制定。", None),
        ("奖励办法有哪些要求?", "评审办法由国务院科学技术行政部门制定。", None),  # 办法 alone is not the rule named
    ],
)
def test_left_to_other_rules_elsewhere_in_the_passages(question: str, passage: str, body: str | None) -> None:
    from assistant.api import left_to_other_rules
    from ingest.normalize import search_form

    quoted = "评审委员会根据相关办法对初评建议进行评审。"
    assert left_to_other_rules(analyse(question), [(search_form(quoted), quoted)], [search_form(passage)]) == body


@pytest.mark.parametrize(
    "previous, follow_up, has, lacks",
    [
        ("玉溪市有多少家省级重点实验室?", "那昆明呢?", "昆明", "玉溪"),
        ("1至8月技术合同成交额是多少?", "那上半年呢?", "上半年", "8月"),
        ("2024年昆明技术合同成交额是多少?", "那2023年呢?", "2023", "2024"),
    ],
)
def test_follow_ups_replace_place_period_and_year(previous: str, follow_up: str, has: str, lacks: str) -> None:
    folded = contextualise(follow_up, [(previous, "")])
    assert has in folded and lacks not in folded


def _passage(title: str, text: str) -> "RetrievedChunk":
    from assistant.retrieval import RetrievedChunk
    from ingest.normalize import search_form

    return RetrievedChunk("c0", "d0.txt", title, "2024-01-01", "", "", text, search_form(text), score=1.0)


@pytest.mark.parametrize(
    "question, title, text, answer",
    [
        # the answer sentence uses a synonym of the question's verb (创建 for 创立); the sentence restating
        # the subject must not win the tie that the title's terms give every sentence
        (
            "上海有线02足球俱乐部是由谁所创立?",
            "上海有线02足球俱乐部",
            "上海有线02足球俱乐部是一支已经不存在的足球俱乐部,位于上海。俱乐部是1995年由上海申花主教练徐根宝所创建的。",
            "徐根宝",
        ),
        # the place the question names (广三) picks the sentence about that line, not about its neighbour
        (
            "广三铁路在哪年建成?",
            "广茂铁路",
            "广茂铁路是在2004年2月29日起合并而成的铁路。广三铁路于1903年建成,全长49公里。而全长357公里的三茂铁路则于1991年投入运营。",
            "1903",
        ),
        # an alias after 称为 answers a name question
        (
            "钩盲蛇在中国被称为什么?",
            "钩盲蛇",
            "钩盲蛇是蛇亚目盲蛇科下的一种无毒蛇种,主要分布在非洲及亚洲。钩盲蛇在中国亦被称为地鳝及铁丝蛇。",
            "地鳝",
        ),
    ],
)
def test_sentence_selection_reads_synonyms_places_and_aliases(question: str, title: str, text: str, answer: str) -> None:
    from assistant.extractive import select

    chosen = select(analyse(question), [_passage(title, text)])
    assert chosen and answer in chosen[0].text


@pytest.mark.parametrize(
    "question, text, answer",
    [
        # the best sentence points back (该党, 此片): the one before names what is asked
        (
            "哪一个党为现今全国人大常委会内的第九大党?",
            "中国民主建国会是中国的参政党之一,成立于1945年。同时,该党也是现时全国人大常委会内的第九大党。",
            "中国民主建国会",
        ),
        (
            "吉米·史都华因为哪一部片真正成名?",
            "1939年他主演了《华府风云》。吉米·史都华在此片真正成名,得到奥斯卡提名。",
            "华府风云",
        ),
    ],
)
def test_a_sentence_pointing_back_is_quoted_with_the_one_before(question: str, text: str, answer: str) -> None:
    from assistant.extractive import select

    chosen = select(analyse(question), [_passage("", text)])
    assert any(answer in c.text for c in chosen), [c.text for c in chosen]


@pytest.mark.parametrize(
    "sentence, points_back",
    [("同时,该党也是第九大党。", True), ("他在海南岛找到野稻。", True), ("其中,10300名为管理人员。", False), ("国务院负责全国工作。", False), ("此外还有三项。", False),
     # a sentence that opens with its verb leaves its subject to the sentence before
     ("曾任北京大学校长。", True), ("位于北京市西城区。", True), ("目前有员工3000人。", False),
     # a one-character adverb jieba tags as a noun or time word, then the copula or verb
     ("原为上古氏族首领,后成为人类始祖。", True), ("现为国家一级保护动物。", True), ("鸟类是恐龙的后代。", False),
     ("本法自2018年1月1日起施行。", False)],
)
def test_antecedent_only_for_sentences_pointing_back(sentence: str, points_back: bool) -> None:
    from assistant.extractive import Sentence, antecedent_of
    from ingest.normalize import search_form

    chunk = _passage("", f"这是前一句话,说明了主题。{sentence}")
    got = antecedent_of(Sentence(sentence, search_form(sentence), chunk, 0))
    assert (got is not None) is points_back


@pytest.mark.parametrize(
    "term, text, credit",
    [("创立", "由徐根宝所创建", 0.8), ("创立", "由徐根宝创立", 1.0), ("创立", "位于上海", 0.0)],
)
def test_term_credit(term: str, text: str, credit: float) -> None:
    from assistant.extractive import term_credit

    assert term_credit(term, text, analyse("俱乐部由谁创立?"), synonym_credit=0.8) == credit


def test_similarity_breaks_word_overlap_ties_but_does_not_overturn_a_clear_lead() -> None:
    from assistant.extractive import rerank_by_similarity, select

    chunk = _passage("俱乐部", "俱乐部是一支足球俱乐部。俱乐部由徐根宝创立。")
    query = analyse("俱乐部是谁创立的?")
    prefers_answer = lambda texts: [0.9 if "徐根宝" in t else 0.5 for t in texts]  # noqa: E731
    assert "徐根宝" in select(query, [chunk], similarity=prefers_answer)[0].text
    from assistant.extractive import Sentence

    lead = Sentence("甲", "甲", chunk, 0, score=1.0)
    close = Sentence("乙", "乙", chunk, 0, score=0.99)
    far = Sentence("丙", "丙", chunk, 0, score=0.2)
    texts = lambda s: [x.text for x in s]  # noqa: E731
    assert texts(rerank_by_similarity([lead, close, far], lambda t: [0.5, 0.9, 0.95][: len(t)], k=4, weight=0.3)) == ["乙", "甲", "丙"]
    # only near-ties are embedded: a clear lexical lead is kept without calling the embedder at all
    calls: list[int] = []
    embed = lambda t: calls.append(len(t)) or [0.5, 0.95][: len(t)]  # noqa: E731
    assert texts(rerank_by_similarity([lead, far], embed, k=4, weight=0.3)) == ["甲", "丙"]
    assert calls == []
    rerank_by_similarity([lead, close, far], embed, k=4, weight=0.3)
    assert calls == [2]
    # a tie between two documents (two years' reports) is left to retrieval's order (newer first)
    from dataclasses import replace as _replace

    other = Sentence("丁", "丁", _replace(chunk, doc_id="d1.txt"), 1, score=1.0)
    assert texts(rerank_by_similarity([lead, other], lambda t: [0.1, 0.9][: len(t)], k=4, weight=0.3)) == ["甲", "丁"]


@pytest.mark.parametrize(
    "question, present, absent",
    [
        ("哪家公司获得了奖励?", "公司", "家公司"),  # the measure word glued to its noun comes off
        ("承担者多久要向项目管理机构报告?", "项目管理", "目管理"),  # ... but not the first character of a word
        ("封建制度是由威廉一世从何处带至英格兰?", "威廉", "由威廉"),  # the preposition comes off the name
        ("他们要在多长时间内处理投诉?", "投诉", "多长时间"),  # how it is asked, not what
        ("这座桥有多高的桥墩?", "桥墩", "多高"),
    ],
)
def test_subject_terms_measure_words_and_how_words(question: str, present: str, absent: str) -> None:
    terms = analyse(question).content_terms
    assert present in terms and absent not in terms


@pytest.mark.parametrize(
    "question, term, strong",
    [
        ("曾伟明的出生地在哪里?", "曾伟明", True),  # a name jieba's HMM finds, cut into 曾 伟 明 without it
        ("邓飏是哪里人?", "邓飏", True),  # a surname and a rare given name
        ("什么是票王?", "票王", True),  # ... but the question mark after a surname is not a given name
        ("王金璐是什么项目的继承人?", "王金璐", True),  # a person before 是什么 is the subject, not an attribute
        ("加拿大的首都在哪里?", "首都", False),  # tagged an adverb; Cilin files it as a noun: a subject word
        ("朴正熙因为差点被谁杀害?", "差点", False),  # tagged a noun; Cilin: a function word, not required
        ("世纪节庆日中,哪一个单位会举行飞行表演?", "单位", False),  # 哪一个 + noun names the answer's kind
    ],
)
def test_subject_terms_repair_jieba_tags(question: str, term: str, strong: bool) -> None:
    query = analyse(question)
    assert term in query.content_terms
    assert (term in query.strong_terms) is strong


@pytest.mark.parametrize(
    "question, places",
    [("羗山道的长度是多少?", set()), ("加拿大的首都在哪里?", {"加拿大"}), ("昆明市技术合同成交额是多少?", {"昆明"})],
)
def test_places_exclude_nouns_jieba_tags_as_places(question: str, places: set[str]) -> None:
    assert set(analyse(question).places) == places


@pytest.mark.parametrize(
    "raw, name",
    [
        ("现行的国家科学技术奖励条例", "国家科学技术奖励条例"),
        ("年版奖励条例", "奖励条例"),
        ("年版条例", "条例"),
        ("广州市人大常委会是哪天通过青年创新创业促进条例", "青年创新创业促进条例"),
        ("哺乳期的女科研人员有什么照顾的说法", ""),
        ("根据中华人民共和国促进科技成果转化法", "促进科技成果转化法"),
        ("昆明市促进科技成果转化条例", "昆明市促进科技成果转化条例"),
        ("现行奖励条例", "奖励条例"),
        ("具体管理办法", "具体管理办法"),
        ("相当理由是哪国刑事程序法", ""),  # which law: a question, not a name
    ],
)
def test_rule_name(raw: str, name: str) -> None:
    from assistant.api import rule_name

    assert rule_name(raw) == name


@pytest.mark.parametrize(
    "question, events",
    [
        ("中小企业促进法最早是哪年通过的?", True),
        ("科技进步法到现在改过几回?", True),
        ("条例是在哪个会议上通过的?", True),
        ("When was the regulation passed?", True),
        ("When did the law first take effect?", True),  # any form of the verb
        ("When does the regulation come into force?", True),
        ("When did it become effective?", True),
        ("What does the law say about effectiveness reviews?", False),
        ("该法第十八条规定了什么?", False),
        ("哪些项目可以通过政府采购支持?", False),  # 通过 as "through", no when
    ],
)
def test_asks_events(question: str, events: bool) -> None:
    """A question about when a text was adopted, revised or put in force (its header lines answer it)."""
    assert analyse(question).asks_events is events


@pytest.mark.parametrize(
    "question, event",
    [
        ("中小企业促进法最早是哪年通过的?", "adopted"),
        ("浙江条例2021年又修正了,那它的施行日期写的是哪天?", "effective"),  # the event nearest the when-word
        ("中小企业促进法后来修订过吗?哪年?", "amended"),
        ("When did the law first take effect?", "effective"),
        ("When was the regulation passed?", "adopted"),
        ("科技进步法到现在改过几回?", None),  # how many times: every amendment
        ("该法第十八条规定了什么?", None),
    ],
)
def test_asked_event(question: str, event: str | None) -> None:
    assert analyse(question).asked_event == event


_HISTORY = (
    "2002年6月29日 第九届全国人民代表大会常务委员会第二十八次会议通过。"
    "2017年9月1日 第十二届全国人民代表大会常务委员会第二十九次会议修订。"
    "第六十一条 本法自2018年1月1日起施行。"
)


@pytest.mark.parametrize(
    "question, first",
    [
        # the question names another event, and its year, as what happened: the when-word's event is asked
        ("这部法2017年修订后,施行日期是哪天?", "2018年1月1日"),
        ("这部法2017年修订了,最早是哪年通过的?", "2002年6月29日"),
        ("When did the law take effect?", "2018年1月1日"),
    ],
)
def test_the_event_asked_about_is_quoted_first(question: str, first: str) -> None:
    from assistant.extractive import select

    chosen = select(analyse(question), [_passage("中小企业促进法", _HISTORY)])
    assert first in chosen[0].text, [c.text for c in chosen]
    assert len(chosen) > 1  # the text's other events come along: its history


@pytest.mark.parametrize(
    "question, rules, national",
    [
        ("法律上科技成果转化具体指什么活动?", True, False),
        ("依法应当如何处理?", True, False),
        ("What does the law say about technical secrets?", True, False),
        ("國家財政的科技經費增長幅度有什麼要求?", False, True),
        ("国家设立的科研院所实行什么领导制度?", False, True),
        ("对国务院部门有什么要求?", False, True),
        ("When did the national law on tech transfer first take effect?", True, True),
        # countries and national designations given to local units are not the state
        ("2024年度金砖国家技术转移中心协作会议是哪天开的?", False, False),
        ("哪个国家的代表参加了会议?", False, False),
        ("昆明目前有多少家国家级科技企业孵化器?", False, False),
        ("国家重点实验室有几家?", False, False),
        ("How many national key laboratories does Kunming have?", False, False),
        ("1至8月技术合同成交额是多少?", False, False),
    ],
)
def test_asks_rules_and_national(question: str, rules: bool, national: bool) -> None:
    """What the law says / what the state does: answered by (national) rules, not the home city's report."""
    q = analyse(question)
    assert (q.asks_rules, q.asks_national) == (rules, national)


@pytest.mark.parametrize(
    "question, kind, jurisdiction, factor",
    [
        ("法律上科技成果转化指什么?", "law", "national", 1.3),
        ("法律上科技成果转化指什么?", "local_regulation", "北京市", 1.3),
        ("法律上科技成果转化指什么?", "news", "昆明市", 1.0),  # a report is not a rule
        ("国家设立的科研院所实行什么制度?", "law", "national", 1.3),
        ("国家设立的科研院所实行什么制度?", "local_regulation", "北京市", 1.0),
        ("When did the national law on tech transfer take effect?", "law", "national", 1.3 * 1.3),
        ("北京法律上对科技成果转化有什么规定?", "law", "national", 1.0),  # a place is named: jurisdiction decides
        ("科技成果转化指什么?", "law", "national", 1.0),
    ],
)
def test_level_factor(question: str, kind: str, jurisdiction: str, factor: float) -> None:
    from assistant.jurisdiction import level_factor
    from ingest.store import DocRecord

    doc = DocRecord("d", "d", "", "h", "t", "", "", "Hans", [], "", kind=kind, jurisdiction=jurisdiction)
    assert level_factor(doc, analyse(question), 1.3, 1.3) == pytest.approx(factor)


@pytest.mark.parametrize(
    "question, subject",
    [
        ("大多数现今在香港的广东人是在哪一年之后才抵港的?", True),  # nothing but places and the year asked
        ("香港呢?", False),  # a bare place asks nothing
        ("北京的有多少?", False),  # a figure of something never named would be a guess
        ("多少?", False),
        ("技术合同成交额是多少?", True),
    ],
)
def test_has_subject(question: str, subject: bool) -> None:
    from assistant.api import has_subject

    assert has_subject(analyse(question)) is subject


@pytest.mark.parametrize(
    "word, unglued",
    [
        ("由威廉", "威廉"),  # jieba lists the preposition glued to the name, rarer than the name alone
        ("由城邦", "城邦"),
        ("对象", "对象"),  # two characters: never cut
        ("将军府", "将军府"),  # a word commoner than its tail
        ("被子植物", "被子植物"),  # its tail is no word
        ("与会者", "与会者"),
    ],
)
def test_unglue_preposition(word: str, unglued: str) -> None:
    from assistant.query import unglue_preposition

    assert unglue_preposition(word) == unglued


@pytest.mark.parametrize(
    "question, term, pieces",
    [
        ("承久之亂於何年爆發?", "承久之乱", ("久之",)),  # jieba: 承 / 久之 / 乱
        ("靖康之变后谁即位?", "靖康之变", ("靖康",)),  # jieba: 靖康 / 之 / 变
        ("义和团之乱发生在哪一年?", "义和团之乱", ("义和团",)),  # the tokens the name overlaps join whole
        ("两次澶渊之盟之后边境如何?", "澶渊之盟", ()),
    ],
)
def test_event_names_with_zhi_stay_whole(question: str, term: str, pieces: tuple[str, ...]) -> None:
    q = analyse(question)
    assert term in q.content_terms and term in q.strong_terms
    assert not any(p in q.content_terms for p in pieces)


@pytest.mark.parametrize("question", ["总之之后有什么变化?", "研究之后的变化是什么?", "战争之后经济如何变化?"])
def test_zhi_outside_event_names_is_left_alone(question: str) -> None:
    assert not any("之" in t for t in analyse(question).content_terms)


@pytest.mark.parametrize(
    "question, adverb, kept",
    [
        ("西燕在哪一年正式灭亡?", "正式", "西燕"),  # jieba tags 正式 ad: how it fell, not what
        ("哪一份国际公约明订了正常的正式的宣战程序?", "正式", "宣战"),
    ],
)
def test_adverbial_adjectives_are_not_subject_terms(question: str, adverb: str, kept: str) -> None:
    q = analyse(question)
    assert adverb not in q.content_terms
    assert any(kept in t for t in q.content_terms)



_REPORT_HEAD = "昆明深入实施科技创新赋能高质量发展\n- 时间:2024-09-23\n- 来源:昆明信息港\n- 浏览:77\n近期,两场科技创新领域的大规模会议在昆明拉开帷幕。8月6日,协作会议召开,各方代表齐聚一堂。\n(昆明日报 记者张怡)"


@pytest.mark.parametrize(
    "question, wanted",
    [
        # a question about a report's source and date is answered by its byline lines, whatever type it asks
        ("这篇报道来源是哪个网站?哪天发布的?", ["来源:昆明信息港", "2024-09-23"]),
        ("这篇报道是哪家报纸、哪位记者写的?", ["记者张怡"]),
    ],
)
def test_byline_lines_answer_questions_about_a_reports_source(question: str, wanted: list[str]) -> None:
    from assistant.extractive import select

    chosen = " ".join(c.text for c in select(analyse(question), [_passage("昆明深入实施科技创新赋能高质量发展", _REPORT_HEAD)]))
    assert all(w in chosen for w in wanted), chosen
    assert "8月6日" not in chosen


def test_byline_lines_are_no_answer_to_other_questions() -> None:
    from assistant.extractive import candidate_sentences

    chunk = _passage("昆明深入实施科技创新赋能高质量发展", _REPORT_HEAD)
    assert not any("来源" in s.text for s in candidate_sentences([chunk]))
    assert any("来源" in s.text for s in candidate_sentences([chunk], meta=True))


@pytest.mark.parametrize(
    "question, kept, dropped",
    [
        # the kind of answer after 哪一种 is no phrase a passage must hold whole; the question's subject is
        ("改善该国或世界福祉是哪一种政治人物的主要目的?", ("世界", "福祉"), ("政治", "人物")),
    ],
)
def test_the_answer_kind_is_no_required_phrase(question: str, kept: tuple[str, ...], dropped: tuple[str, ...]) -> None:
    q = analyse(question)
    assert kept in q.phrases and dropped not in q.phrases, q.phrases


_TAX_ARTICLE = (
    "第九十条 从事下列活动的,按照国家有关规定享受税收优惠:\n(一)技术开发、技术转让、技术许可;\n"
    "(二)进口国内不能生产或者性能不能满足需要的科学研究用品;\n(三)其他科学技术活动。"
)


def test_an_item_is_quoted_with_the_sentence_opening_its_list() -> None:
    from assistant.extractive import select

    chosen = select(analyse("进口国内不能生产的科学研究用品有什么政策?"), [_passage("科学技术进步法", _TAX_ARTICLE)])
    assert "享受税收优惠" in chosen[0].text and any("(二)" in c.text for c in chosen), [c.text for c in chosen]


@pytest.mark.parametrize("text, lead", [("(二)进口国内不能生产的科学研究用品;", True), ("第九十条 从事下列活动的,按照国家有关规定享受税收优惠:", False)])
def test_list_lead_only_for_items(text: str, lead: bool) -> None:
    from assistant.extractive import Sentence, list_lead_of
    from ingest.normalize import search_form

    chunk = _passage("", _TAX_ARTICLE)
    full = next(t for t in chunk.text.split("\n") if t.startswith(text[:6]))
    assert (list_lead_of(Sentence(full, search_form(full), chunk, 0)) is not None) is lead


@pytest.mark.parametrize(
    "sentence, question, of_article, fresh",
    [
        # in a rule, where things go is a body or a platform
        ("有关信息共享至全国信用信息共享平台", "失信信息会被共享到哪里?", True, True),
        ("申请人向市科学技术主管部门提出申请", "企业去哪里申请?", True, True),
        # elsewhere a where-question wants a place
        ("有关信息共享至全国信用信息共享平台", "失信信息会被共享到哪里?", False, False),
    ],
)
def test_where_in_a_rule_is_a_body_or_platform(sentence: str, question: str, of_article: bool, fresh: bool) -> None:
    assert fresh_instance("place", sentence, question, bodies=of_article) is fresh
