"""An article split into pieces at ingest is read whole before a refusal (KnowledgeBase.whole_articles),
on the shipped 科学技术进步法 (its 第三十二条 is longer than one chunk), real pipeline, e5 and Chroma."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from assistant.retrieval import KnowledgeBase, _joined_lines

pytestmark = pytest.mark.slow

LAW = Path(__file__).resolve().parents[2] / "corpus" / "policies" / "科学技术进步法(2021-12-24).md"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory, e5_embedder: Any) -> KnowledgeBase:
    from ingest.pipeline import ingest
    from tests.assistant.test_changes import kb_settings

    base = tmp_path_factory.mktemp("articles")
    corpus = base / "corpus"
    corpus.mkdir()
    shutil.copy(LAW, corpus / LAW.name)
    settings = kb_settings(base / "index")
    assert not ingest([corpus], settings, embedder=e5_embedder).failed
    kb = KnowledgeBase(settings, embedder=e5_embedder)
    kb.refresh()
    return kb


def _pieces(kb: KnowledgeBase, article_no: int) -> list[Any]:
    (doc,) = kb.manifest.documents.values()
    chunks = kb.chunks(list(doc.chunks))
    return [chunks[i] for i in doc.chunks if chunks[i].meta.get("article_no") == article_no]


def test_a_piece_of_a_split_article_reads_as_the_whole_article(kb: KnowledgeBase) -> None:
    pieces = _pieces(kb, 32)
    assert len(pieces) >= 2  # the premise: 第三十二条 does not fit one chunk
    for piece in pieces:
        (whole,) = kb.whole_articles([piece])
        assert whole.chunk_id == piece.chunk_id and whole.meta["article"] == "第三十二条"
        # every paragraph of the article, the lead (which each piece repeats) once
        assert "向项目管理机构提交年度报告" in whole.text and "利益分配" in whole.text
        assert whole.text.count("第三十二条") == 1 and whole.search_text.count("第三十二条") == 1
        assert "第三十三条" not in whole.text  # the neighbouring article is not part of it


def test_an_article_of_one_chunk_comes_back_as_it_was(kb: KnowledgeBase) -> None:
    (one,) = _pieces(kb, 1)
    assert kb.whole_articles([one]) == [one]


@pytest.mark.parametrize(
    "texts, joined",
    [
        (["第五条 甲。\n乙。", "第五条 甲。\n丙。"], "第五条 甲。\n乙。\n丙。"),
        (["a\n\nb", "b\nc"], "a\nb\nc"),
        (["only"], "only"),
    ],
)
def test_joined_lines(texts: list[str], joined: str) -> None:
    assert _joined_lines(texts) == joined
