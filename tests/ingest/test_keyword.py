"""The keyword index (bm25s over jieba tokens of the search form): no embedder, real files."""

from __future__ import annotations

import math
from pathlib import Path

from ingest.keyword import KeywordIndex, tokenize
from ingest.normalize import search_form

TEXTS = {
    "c1": "全市共登记技术合同7936项,合同成交额122.78亿元。",
    "c2": "上半年全市新增云南实验室1家,总数达6家。",
    "c3": "全市高新技术企业通过专家评审706家。",
}


def build() -> KeywordIndex:
    return KeywordIndex.build(list(TEXTS), {cid: tokenize(search_form(t)) for cid, t in TEXTS.items()})


def test_tokenize_emits_words_and_sub_words_without_stopwords_or_punctuation() -> None:
    tokens = tokenize(search_form("全市共登記技術合同７９３６項,合同成交額１２２．７８億元。"))
    assert {"技术", "合同", "7936", "成交", "成交额", "122.78", "亿元"} <= set(tokens)  # 成交额 and its sub-word
    assert "。" not in tokens and "," not in tokens
    assert "的" not in tokenize("科技局的工作")
    assert tokenize("what is the number") == ["number"]


def test_search_ranks_matching_chunks_and_leaves_out_the_rest() -> None:
    index = build()
    hits = index.search(tokenize(search_form("技術合同成交額")), 3)
    assert hits[0][0] == "c1"
    assert "c2" not in {cid for cid, _ in hits}
    assert index.search(tokenize("实验室"), 3)[0][0] == "c2"
    assert index.search(["火星"], 3) == []
    assert index.search([], 3) == []
    assert "成交额" in index.vocabulary and "火星" not in index.vocabulary


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    index = build()
    index.save(tmp_path / "kw")
    loaded = KeywordIndex.load(tmp_path / "kw")
    assert loaded.ids == index.ids and loaded.tokens == index.tokens
    query = tokenize("高新技术企业")
    assert loaded.search(query, 3) == index.search(query, 3)


def test_empty_index_and_chunks_without_tokens(tmp_path: Path) -> None:
    empty = KeywordIndex.build([], {})
    empty.save(tmp_path / "empty")
    assert KeywordIndex.load(tmp_path / "empty").search(["技术"], 5) == []

    odd = KeywordIndex.build(["x", "y"], {"x": [], "y": ["技术"]})  # a chunk of stopwords only
    assert odd.search(["技术"], 5) == [("y", odd.search(["技术"], 5)[0][1])]


def test_vocabulary_and_idf_of_a_loaded_index_come_from_bm25_and_match_the_tokens(tmp_path: Path) -> None:
    index = build()
    index.save(tmp_path / "kw")
    loaded = KeywordIndex.load(tmp_path / "kw")
    every_token = {t for toks in index.tokens.values() for t in toks}
    assert loaded.vocabulary == index.vocabulary == every_token
    assert "\u0000" not in KeywordIndex.build(["x"], {"x": []}).vocabulary
    for term in every_token | {"火星"}:
        df = sum(term in toks for toks in index.tokens.values())
        assert loaded.idf(term) == index.idf(term)
        assert abs(loaded.idf(term) - math.log(1 + 3 / (1 + df))) < 1e-12
    assert loaded.idf("全市") < loaded.idf("实验室")  # in two chunks vs one
    assert loaded._tokens is None  # answering never read the token cache
