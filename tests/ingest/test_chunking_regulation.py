"""Chunking of regulations by article (ingest.chunking.chunk_regulation): no model, no store."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from ingest.chunking import _shorten, chunk_document
from ingest.normalize import search_form
from ingest.structure import parse_structure
from ingest_helpers import REPO, REPORT, REPORT_ID

POLICIES = sorted((REPO / "corpus" / "policies").glob("*.md"))
SIZE, OVERLAP = 320, 80


def policy(name: str) -> tuple[str, str]:
    path = next(p for p in POLICIES if p.name.startswith(name))
    text = path.read_text(encoding="utf-8").strip()
    return text, text.splitlines()[0].lstrip("# ").strip()


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_every_chunk_names_its_article_and_chapter(path: Path) -> None:
    text = path.read_text(encoding="utf-8").strip()
    title = text.splitlines()[0].lstrip("# ")
    reg = parse_structure(text)
    assert reg is not None
    chunks = chunk_document(path.name, text, title, SIZE, OVERLAP)
    assert all(set(c.meta) == {"article", "article_no", "chapter"} for c in chunks)
    assert chunks[0].meta == {"article": "", "article_no": 0, "chapter": ""}  # the title and header lines
    by_article = {a.no: a for a in reg.articles}
    seen = []
    for c in chunks[1:]:
        art = by_article[c.meta["article_no"]]
        assert c.meta["article"] == art.label and c.meta["chapter"] == art.chapter
        assert c.section == (art.section or art.chapter)
        assert len(c.text) <= SIZE
        assert c.text.startswith(art.label)  # the first piece is the article's start; later ones repeat its lead
        assert search_form(art.label) in c.search_text and search_form(title) in c.search_text
        if art.chapter:
            assert search_form(art.chapter) in c.search_text
        seen.append(c.meta["article_no"])
    assert sorted(set(seen)) == sorted(by_article) and seen == sorted(seen)
    assert [c.index for c in chunks] == list(range(len(chunks)))
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    assert [c.chunk_id for c in chunk_document(path.name, text, title, SIZE, OVERLAP)] == [c.chunk_id for c in chunks]


@pytest.mark.parametrize(
    "name, article",
    [("国家科学技术奖励条例(2024", 8), ("促进科技成果转化法", 16), ("科学技术进步法", 87), ("广州市", 24), ("科学技术进步法", 1)],
)
def test_an_article_that_fits_is_one_chunk_with_its_items(name: str, article: int) -> None:
    text, title = policy(name)
    reg = parse_structure(text)
    assert reg is not None
    art = reg.article(article)
    assert art is not None and len(art.text) <= SIZE
    pieces = [c for c in chunk_document("d", text, title, SIZE, OVERLAP) if c.meta["article_no"] == article]
    assert [c.text for c in pieces] == [art.text]


def test_a_long_article_splits_at_items_and_every_piece_repeats_the_lead() -> None:
    text, title = policy("浙江省")
    reg = parse_structure(text)
    assert reg is not None
    art = reg.article(44)  # 有下列行为之一的 + four long items + a closing paragraph: 600 characters
    assert art is not None and len(art.text) > SIZE
    pieces = [c for c in chunk_document("d", text, title, SIZE, OVERLAP) if c.meta["article_no"] == 44]
    assert len(pieces) >= 2
    for c in pieces:
        assert c.text.startswith(art.lead_sentence)
        assert len(c.text) <= SIZE
    body = "\n".join(c.text for c in pieces)
    for block in art.blocks:
        assert block.text in body  # nothing lost, no item cut (these fit a chunk with the lead)
    starts = [c.start for c in pieces]
    assert starts == sorted(starts) and starts[0] == art.start


def test_report_keeps_the_sentence_chunker() -> None:
    text = REPORT.read_text(encoding="utf-8").strip()
    chunks = chunk_document(REPORT_ID, text, "昆明", SIZE, OVERLAP)
    assert chunks and all(c.meta == {} for c in chunks)


@pytest.mark.parametrize(
    "lead, limit, expected",
    [
        ("第二条 有下列情形之一的：", 100, "第二条 有下列情形之一的："),
        ("第二条 为了规范管理，制定本条。有下列情形之一的：", 20, "第二条 为了规范管理，制定本条。"),
        ("第二条 " + "很长" * 40 + "：", 20, "第二条 " + "很长" * 7 + "很…"),
    ],
)
def test_a_long_lead_is_shortened(lead: str, limit: int, expected: str) -> None:
    got = _shorten(lead, limit)
    assert got == expected and len(got) <= limit


# --- property: no item is ever in a chunk without its lead -------------------------------------

_FILL = "科技创新企业合同平台人才项目管理部门单位应当依法按照规定组织实施支持鼓励"
_NUMERALS = "一二三四五六七八九十"


def _sentences(marker: str, n_min: int, n_max: int):
    # clauses short enough to fit beside a repeated lead at the smallest size (so a clause is never cut)
    sentence = st.builds(lambda body, end: f"{marker}{body}{end}", st.text(alphabet=_FILL, min_size=2, max_size=30), st.sampled_from("，。；"))
    return st.lists(sentence, min_size=n_min, max_size=n_max).map(lambda xs: "".join(xs).rstrip("，") + "；")


@st.composite
def regulations(draw):
    articles = []
    for n in range(1, draw(st.integers(3, 5)) + 1):
        label = f"第{_NUMERALS[n - 1]}条"
        clauses = draw(st.lists(st.text(alphabet=_FILL, min_size=2, max_size=30), max_size=4))
        lead = f"{label} 领{n}号" + "".join(f"{c}，" for c in clauses) + "有下列情形之一的："  # long ones are shortened
        items = [
            (f"（{_NUMERALS[k]}）", draw(_sentences(f"项{n}x{k}号", 1, 6)))
            for k in range(draw(st.integers(0, 8)))
        ]
        tail = draw(st.lists(_sentences(f"段{n}号", 1, 4), max_size=2))
        articles.append((label, lead, items, tail))
    lines = ["# 生成的条例", "2020年1月1日 某某市第一届人民代表大会常务委员会第一次会议通过", "## 第一章 总则"]
    for label, lead, items, tail in articles:
        lines.append(lead)
        lines += [f"{mark}{body}" for mark, body in items]
        lines += tail
    return "\n".join(lines), articles


@pytest.mark.slow
@hsettings(max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated=regulations(), size=st.sampled_from([90, 120, 200, 320]))
def test_property_no_item_without_its_lead(generated, size: int) -> None:
    text, articles = generated
    chunks = chunk_document("gen.md", text, "生成的条例", size, size // 4)
    assert all(len(c.text) <= size for c in chunks)
    for n, (label, lead, items, tail) in enumerate(articles, 1):
        mine = [c for c in chunks if c.meta["article_no"] == n]
        assert mine and mine[0].text.startswith(label)
        short_lead = _shorten(lead, size // 2)
        for c in mine:
            for k in range(len(items)):
                at = c.text.find(f"项{n}x{k}号")
                if at >= 0:  # a piece of item k is here: so is its lead, before it
                    found = c.text.find(lead) if lead in c.text else c.text.find(short_lead)
                    assert 0 <= found < at, (c.text, short_lead)
        # nothing of the article is lost: every sentence of every item and paragraph is in one of its chunks
        joined = "\n".join(c.text for c in mine)
        for part in [lead] + [m + b for m, b in items] + tail:
            for sentence in re.findall(r"[^，。；：]+[，。；：]", part):
                assert sentence in joined, sentence
