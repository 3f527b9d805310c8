"""The chat path: "我们…能申报…吗?" answered with the checklist, cited, in the asker's script."""

from __future__ import annotations

import pytest

from assistant.eligibility.chat import asks_eligibility, facts_part, programme_words, stated_facts
from assistant.eligibility.profile import parse_text

KUNMING = "昆明市2025年度科技型中小企业研发费用补助申报指南.md"
QUJING = "曲靖市2025年科技创新券申领指南.md"
ISSUE_Q = ("我们是2019年在昆明呈贡区注册的独立法人企业，上年度营业收入5000万元，研发投入200万元，职工120人，"
           "其中研发人员15人，去年认定为高新技术企业，能申报2025年度科技型中小企业研发费用补助吗？")


@pytest.mark.parametrize(
    "question, asks",
    [
        (ISSUE_Q, True),
        ("我们公司可以申请入库吗", True),
        ("我們能申領科技創新券嗎？", True),
        ("哪些企业可以申请科技创新券？", False),  # who may apply, in general
        ("企业能否申报研发费用补助？", False),
        ("我们是否可以申报高新技术企业培育库？", True),
        ("Can we apply for the innovation voucher?", True),
        ("科技创新券的申领条件是什么？", False),  # what the conditions are, not whether we meet them
        ("2025年度研发费用补助什么时候申报？", False),
        ("研发费用补助最高多少钱", False),
    ],
)
def test_asks_eligibility(question: str, asks: bool) -> None:
    assert asks_eligibility(question) is asks


@pytest.mark.parametrize(
    "question, programme, facts",
    [
        (ISSUE_Q, "2025年度科技型中小企业研发费用补助", 9),  # place, legal person, kind, founded, revenue, R&D, staff, R&D staff, 高新
        ("我们是曲靖的独立法人企业，能申领科技创新券吗？", "科技创新券", 3),
        ("能申报吗？", "", 0),
    ],
)
def test_the_programme_is_not_a_fact(question: str, programme: str, facts: int) -> None:
    assert programme_words(question) == programme
    profile = parse_text(facts_part(question))
    assert stated_facts(profile) == facts
    assert "科技型中小企业" not in profile.certs  # the programme's name says nothing about the asker


@pytest.fixture(scope="module")
def assistant(notices_kb, e5_embedder):
    from assistant.api import Assistant

    return Assistant(notices_kb, embedder=e5_embedder)


@pytest.mark.slow
def test_the_issue_question_gets_the_checklist(assistant) -> None:
    a = assistant.ask(ISSUE_Q)
    assert a.status == "answered" and a.note == "eligibility" and not a.refused
    lines = [ln for ln in a.answer.splitlines() if ln[:1] in "✔✘？"]
    assert [ln[0] for ln in lines] == ["✔", "？", "✔", "✔", "✔", "？", "？"]
    assert all(ln.rstrip().endswith("[1]") for ln in lines)  # each condition cited
    assert {c.doc_id for c in a.citations} == {KUNMING}
    assert "二、申报条件（一）" in a.citations[0].text or "申报条件" in a.citations[0].text
    assert "4%（200万元 ÷ 5000万元）" in a.answer
    assert "需要确认" in a.answer


@pytest.mark.slow
def test_traditional_question_gets_a_traditional_checklist(assistant) -> None:
    q = "我們是2021年在曲靖市麒麟區註冊的獨立法人企業，職工90人，其中科技人員9人，上年度營業收入4500萬元，能申領科技創新券嗎？"
    a = assistant.ask(q)
    assert a.note == "eligibility" and {c.doc_id for c in a.citations} == {QUJING}
    assert [ln[0] for ln in a.answer.splitlines() if ln[:1] in "✔✘？"] == ["✔"] * 5 + ["？"]
    assert "條件" in a.answer and "条件" not in a.answer


@pytest.mark.slow
def test_a_not_met_condition_says_so(assistant) -> None:
    a = assistant.ask("我们在曲靖市麒麟区注册，是独立法人企业，上年度营业收入3000万元，研发投入150万元，能申报研发费用补助吗？")
    assert {c.doc_id for c in a.citations} == {KUNMING}
    assert a.answer.splitlines()[1].startswith("✘ 1.") and "不满足" in a.answer


@pytest.mark.slow
def test_questions_about_the_conditions_take_the_ordinary_path(assistant) -> None:
    a = assistant.ask("科技创新券的申领条件是什么？")
    assert a.note != "eligibility"
    assert "✔" not in a.answer


@pytest.mark.slow
def test_a_programme_the_library_lacks_is_not_checked_against_another(assistant) -> None:
    a = assistant.ask("我们是昆明的独立法人企业，上年度营业收入5000万元，能申报专精特新小巨人吗？")
    assert a.note != "eligibility" and "✔" not in a.answer
