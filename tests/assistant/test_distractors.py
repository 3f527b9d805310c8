"""The shipped report among many near-identical reports of other cities, and a report of another year.

A bureau's index is not five documents: provincial and neighbouring cities' reports use the same
sentences with other figures. These tests build such an index (real files, Chroma, e5) and check
that a question naming no place still finds the home city's figure, and that a figure of another
stated year is never given as the answer.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # builds its own knowledge base with the real model

KUNMING_DOC = "kunming-sti-2024-09-23.txt"
CITIES = ["曲靖", "保山", "昭通", "丽江", "普洱", "临沧", "楚雄", "红河", "文山", "德宏", "成都", "贵阳", "南宁", "杭州", "武汉",
          "西安", "长沙", "重庆", "绵阳", "柳州", "遵义", "宜宾", "泸州", "桂林"]

YUXI_REPORT = """玉溪市科学技术局2022年工作总结
- 时间:2023-02-09
- 来源:玉溪市科学技术局
2022年全年,全市共登记技术合同469项,合同成交额195.08亿元。全年研发投入强度达到0.64%。
2021年全年,全市共登记技术合同9709项,合同成交额79.09亿元。
"""


def other_city_report(city: str, rng: random.Random) -> str:
    """The shipped report's sentences about the resource library and contracts, for another city."""
    n = [rng.randint(5, 60) for _ in range(6)]
    return (
        f"{city}深入实施科技创新赋能高质量发展行动 打通科技到产业的通道\n"
        f"- 时间:2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n- 来源:{city}日报\n"
        f"近期,{city}市科技局召开科技创新工作推进会。全市科技系统扎实开展重点产业链创新资源库建设。\n"
        f"{city}印发《科技支撑重点产业链高质量发展实施方案》,建成涵盖{n[0]}所高校、{n[1]}家科研院所、{n[2]}家企业、"
        f"{n[3]}个国家级科技创新平台、{n[4]}个省级科技创新平台、{n[5]}个优秀人才团队的“重点产业链创新资源库”,"
        f"构建以需求端带动供给端的产业链科技支撑集群。\n"
        f"1至8月,全市共登记技术合同{rng.randint(300, 9000)}项,合同成交额{rng.randint(10, 200)}.{rng.randint(10, 99)}亿元。\n"
    )


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory, e5_embedder: Any, assistant_settings):
    from assistant.api import Assistant
    from ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("crowded")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy2(ROOT / "corpus" / KUNMING_DOC, corpus / KUNMING_DOC)
    rng = random.Random(3)
    for i, city in enumerate(CITIES * 2):
        (corpus / f"other-{i:02d}.txt").write_text(other_city_report(city, rng), encoding="utf-8")
    (corpus / "yuxi-2022-summary.txt").write_text(YUXI_REPORT, encoding="utf-8")
    settings = assistant_settings(root / "index")
    report = ingest([corpus], settings, embedder=e5_embedder)
    assert not report.failed and report.documents == 2 * len(CITIES) + 2, report.to_json()
    return Assistant(settings, embedder=e5_embedder)


@pytest.mark.parametrize(
    "q, figure",
    [
        ("我们企业想了解一下产业链创新资源库,里面已经纳入了多少家企业?", "62家"),
        ("重點產業鏈創新資源庫涵蓋多少個省級科技創新平台?", "297個"),
        ("1至8月技术合同成交额是多少?", "122.78"),
    ],
)
def test_question_naming_no_place_finds_the_home_citys_figure_among_48_look_alikes(crowded, q: str, figure: str) -> None:
    ans = crowded.ask(q)
    assert not ans.refused, ans.answer
    assert figure in ans.answer
    assert ans.citations and {c.doc_id for c in ans.citations} == {KUNMING_DOC}, [c.doc_id for c in ans.citations]
    assert ans.retrieved[0].doc_id == KUNMING_DOC


def test_figure_of_another_stated_year_is_not_the_answer(crowded) -> None:
    """The 2023-02-09 report states 2022's figure: asked for 2023, say the documents give 2022."""
    ans = crowded.ask("玉溪市2023年全年技术合同成交额是多少?")
    assert ans.refused, ans.answer
    assert ans.note and "2022年" in ans.note and "2023年" in ans.note
    assert "195.08" in ans.answer  # the nearest figure is shown, labelled with its year


def test_asked_year_drops_sentences_stating_other_years(crowded) -> None:
    ans = crowded.ask("玉溪市2022年全年技术合同成交额是多少?")
    assert not ans.refused, ans.answer
    assert "195.08亿元" in ans.answer
    assert "79.09" not in ans.answer, "2021's figure is not part of the answer about 2022"


def test_english_place_name_reaches_the_keyword_side(crowded) -> None:
    from assistant.query import analyse

    assert "玉溪" in analyse("What was the technology contract turnover of Yuxi in 2022?").tokens
    ans = crowded.ask("What was the technology contract turnover of Yuxi in 2022?")
    assert not ans.refused, ans.answer
    assert "195.08" in ans.answer
