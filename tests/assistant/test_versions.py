"""Current version first (assistant.versions.version_factor), and its one use in retrieval."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from assistant.query import analyse
from assistant.retrieval import RetrievedChunk, constraint_factor
from assistant.versions import asks_history, version_factor


@dataclass
class Doc:
    status: str | None
    version_date: str | None = "2020-10-07"
    date: str = ""


OLD, NEW, PLAIN = Doc("superseded"), Doc("current", "2024-05-26"), Doc(None, None, "2024-09-23")
W = 0.5


@pytest.mark.parametrize(
    "doc, question, successor, expected",
    [
        (NEW, "国家最高科学技术奖的奖金数额由谁规定?", None, 1.0),
        (PLAIN, "1至8月技术合同成交额是多少?", None, 1.0),
        (None, "国家最高科学技术奖的奖金数额由谁规定?", None, 1.0),
        (OLD, "国家最高科学技术奖的奖金数额由谁规定?", None, W),
        (OLD, "国家科学技术奖励条例第二十五条怎么规定的?", None, W),
        (OLD, "2020年版国家科学技术奖励条例怎么规定奖金数额?", None, 1.0),
        (OLD, "2022年时国家最高科学技术奖的奖金由谁规定?", "2024-05-26", 1.0),  # in force then
        (OLD, "2022年时国家最高科学技术奖的奖金由谁规定?", None, W),  # successor unknown: its own year only
        (OLD, "2024年国家最高科学技术奖的奖金由谁规定?", "2024-05-26", W),  # the new version's year
        (OLD, "2019年国家最高科学技术奖的奖金由谁规定?", "2024-05-26", W),  # before this version
        (OLD, "原来的条例对奖金数额是怎么规定的?", None, 1.0),
        (OLD, "旧版条例怎么规定的?", None, 1.0),
        (OLD, "修订前第二条是怎么写的?", None, 1.0),
        (OLD, "国家科学技术奖励条例的修订历史", None, 1.0),
        (OLD, "2024年修订有哪些变化?", None, 1.0),
        (OLD, "修訂前的條例怎麼規定?", None, 1.0),  # Traditional
        (OLD, "What did the previous version say about the prize money?", None, 1.0),
        (OLD, "Who sets the prize money of the top award?", None, W),
    ],
)
def test_version_factor(doc: Doc | None, question: str, successor: str | None, expected: float) -> None:
    assert version_factor(doc, question, W, successor) == expected


@pytest.mark.parametrize(
    "question, expected",
    [("原先的规定", True), ("以前怎么规定", True), ("历次修订", True), ("有什么区别", True), ("奖金是多少", False),
     ("比较大的企业", False), ("How old is the law?", True), ("Which article sets the amount?", False)],
)
def test_asks_history(question: str, expected: bool) -> None:
    assert asks_history(question) == expected


def test_retrieval_down_weights_a_superseded_chunk_by_the_setting() -> None:
    chunk = RetrievedChunk("c", "old.md", "国家科学技术奖励条例", "2020-10-07", "", "", "第二十五条 奖金数额由国务院规定。",
                           "国家科学技术奖励条例 第二十五条 国家最高科学技术奖的奖金数额由国务院规定。")
    query = analyse("国家最高科学技术奖的奖金数额由谁规定?")
    base, _ = constraint_factor(query, chunk, "", 0.0)
    current, _ = constraint_factor(query, chunk, "", 0.0, NEW, 0.3)
    old, _ = constraint_factor(query, chunk, "", 0.0, OLD, 0.3)
    assert current == pytest.approx(base) and old == pytest.approx(base * 0.3)
    history, _ = constraint_factor(analyse("修订前奖金数额由谁规定?"), chunk, "", 0.0, OLD, 0.3)
    assert history == pytest.approx(constraint_factor(analyse("修订前奖金数额由谁规定?"), chunk, "", 0.0)[0])
