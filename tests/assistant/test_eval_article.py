"""Article-citation accuracy of `policyqa eval`: how an article reference is normalised (ingest.articles)
and when the first citation counts as the article that answers (assistant.evaluation.article_correct)."""

from __future__ import annotations

import pytest

from assistant.api import Answer, Citation
from assistant.evaluation import EvalRow, article_correct, article_scored
from ingest.articles import article_key, articles_named

DOC = "policies/促进科技成果转化法(2015-08-29).md"


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("第四十五条", "45"),
        ("第45条", "45"),
        ("45", "45"),
        (45, "45"),
        (" 第 四十五 条 ", "45"),
        ("第四十五条之一", "45-1"),
        ("第45条之1", "45-1"),
        ("第一百零五条", "105"),
        ("第一百一十七条", "117"),
        ("第十条", "10"),
        ("第二条", "2"),
        ("Article 45", "45"),
        ("第四十五條", "45"),  # Traditional 條
        ("第４５条", "45"),
        (None, None),
        ("", None),
        (0, None),
        (True, None),
        ("第三章", None),
        ("第四十五款", None),
        ("总则", None),
    ],
)
def test_article_key(label, key) -> None:
    assert article_key(label) == key


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("国家科学技术奖励条例第二十五条修订后有什么变化?", ["25"]),
        ("第二十五条和第30条有何不同", ["25", "30"]),
        ("第四十五条之一规定了什么", ["45-1"]),
        ("第四十五條", ["45"]),
        ("What changed in article 4?", ["4"]),
        ("2024年修订有哪些变化?", []),
        ("第三章有哪些规定", []),
        ("第一批市级企业", []),
    ],
)
def test_articles_named(text: str, keys: list[str]) -> None:
    assert articles_named(text) == keys


def _answer(*cited: tuple[str, str | None], refused: bool = False) -> Answer:
    citations = [
        Citation(n, doc_id, "促进科技成果转化法", "2015-08-29", "", f"c{n}", "text", article=article)
        for n, (doc_id, article) in enumerate(cited, 1)
    ]
    return Answer(question="q", answer="a", refused=refused, citations=citations)


def _row(article: str | None = "第四十五条", doc: str | None = DOC, answerable: bool = True) -> EvalRow:
    extra = {"article": article} if article is not None else {}
    return EvalRow(id="x", q="q", expect=[], doc=doc, support=None, answerable=answerable, extra=extra)


@pytest.mark.parametrize(
    ("row", "answer", "scored", "correct"),
    [
        # the first citation is the expected article of the expected document, however spelt
        (_row(), _answer((f"corpus/{DOC}", "第四十五条")), True, True),
        (_row("45"), _answer((f"corpus/{DOC}", "第四十五条")), True, True),
        (_row("第四十五条之一"), _answer((f"corpus/{DOC}", "第45条之1")), True, True),
        (_row(), _answer((DOC, "第四十五条")), True, True),
        # only the first citation counts: the right article cited second is wrong
        (_row(), _answer((f"corpus/{DOC}", "第四十四条"), (f"corpus/{DOC}", "第四十五条")), True, False),
        # 第四十五条之一 is not 第四十五条
        (_row(), _answer((f"corpus/{DOC}", "第四十五条之一")), True, False),
        # the same number in another text is another article
        (_row(), _answer(("corpus/policies/科学技术进步法(2021-12-24).md", "第四十五条")), True, False),
        # a document whose name merely ends like the expected one is not it
        (_row(), _answer((f"corpus/x{DOC}", "第四十五条")), True, False),
        # a citation without an article (a report, the header lines) is wrong
        (_row(), _answer((f"corpus/{DOC}", None)), True, False),
        (_row(), _answer(), True, False),
        # a row naming no document is scored on the article alone
        (_row(doc=None), _answer(("anything.md", "第四十五条")), True, True),
        # not scored: refused, unanswerable, no article expected
        (_row(), _answer((f"corpus/{DOC}", "第四十五条"), refused=True), False, None),
        (_row(answerable=False), _answer((f"corpus/{DOC}", "第四十五条")), False, None),
        (_row(article=None), _answer((f"corpus/{DOC}", "第四十五条")), False, None),
        (_row(article="总则"), _answer((f"corpus/{DOC}", "第四十五条")), False, None),
    ],
)
def test_article_scoring(row: EvalRow, answer: Answer, scored: bool, correct: bool | None) -> None:
    assert article_scored(row, answer) is scored
    if scored:
        assert article_correct(row, answer) is correct
