"""Normalisation and header metadata (ingest.normalize): pure functions, no model."""

from __future__ import annotations

import pytest

from ingest.normalize import (
    detect_script,
    iso_date,
    is_header_line,
    nfkc,
    parse_header,
    search_form,
    to_simplified,
    to_traditional,
)
from ingest_helpers import REPORT


def test_nfkc_makes_full_width_digits_letters_and_punctuation_ascii() -> None:
    assert nfkc("全市共登記技術合同７９３６項") == "全市共登記技術合同7936項"
    assert nfkc("成交額１２２．７８億元") == "成交額122.78億元"
    assert nfkc("時間：２０２４－０９－２３") == "時間:2024-09-23"
    assert nfkc("ＡＢＣ（test）") == "ABC(test)"
    # what NFKC leaves alone: Chinese full stops and the ideographs themselves
    assert nfkc("發展。") == "發展。"


def test_search_form_is_nfkc_simplified_and_lower_case() -> None:
    assert search_form("昆明市科學技術局") == "昆明市科学技术局"
    assert search_form("高新技術企業通過專家評審７０６家") == "高新技术企业通过专家评审706家"
    assert search_form("ＢＲＩＣＳ Technology Transfer") == "brics technology transfer"
    # Simplified input and Traditional input meet in the same form
    assert search_form("技術合同成交額") == search_form("技术合同成交额") == "技术合同成交额"


def test_simplified_traditional_round_trip_on_common_terms() -> None:
    assert to_simplified("科技創新賦能高質量發展") == "科技创新赋能高质量发展"
    assert to_traditional("科技创新赋能高质量发展") == "科技創新賦能高質量發展"


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("昆明深入實施科技創新賦能高質量發展“七大工程”", "Hant"),
        ("全市共登記技術合同7936項,合同成交額122.78億元。", "Hant"),
        ("昆明深入实施科技创新赋能高质量发展“七大工程”", "Hans"),
        ("全市共登记技术合同7936项,合同成交额122.78亿元。", "Hans"),
        ("How many technology contracts were registered in Kunming?", "Latin"),
        ("What did the Kunming 科技局 report?", "Latin"),  # a Han name inside an English question
        ("2024-09-23 122.78", "Other"),
        ("", "Other"),
    ],
)
def test_detect_script(text: str, script: str) -> None:
    assert detect_script(text) == script


def test_detect_script_of_the_shipped_report_is_traditional() -> None:
    text = REPORT.read_text(encoding="utf-8")
    assert detect_script(text) == "Hant"
    assert detect_script(to_simplified(text)) == "Hans"


def test_parse_header_of_the_shipped_report() -> None:
    meta = parse_header(REPORT.read_text(encoding="utf-8"))
    assert meta.title is not None and meta.title.startswith("昆明深入實施")
    assert meta.title.endswith("通道")
    assert meta.date == "2024-09-23"
    assert meta.source == "昆明信息港"


@pytest.mark.parametrize(
    ("header", "date", "source"),
    [
        ("- 时间:2024-09-23\n- 来源:昆明市科学技术局", "2024-09-23", "昆明市科学技术局"),
        ("时间:2024年9月23日\n来源:昆明日报", "2024-09-23", "昆明日报"),
        ("发布时间:2024年9月23日 10:30\n信息来源:云南省科技厅", "2024-09-23", "云南省科技厅"),
        ("发布时间：２０２４年９月２３日\n来源：昆明信息港", "2024-09-23", "昆明信息港"),  # full-width colon and digits
        ("发布日期:2024/9/3\n发布机构:曲靖市科学技术局", "2024-09-03", "曲靖市科学技术局"),
        ("  • 日期 : 2024.09.23\n  * 來源 : 昆明信息港", "2024-09-23", "昆明信息港"),
    ],
)
def test_parse_header_simplified_and_variant_keys(header: str, date: str, source: str) -> None:
    text = f"昆明深入实施科技创新赋能高质量发展“七大工程”\n{header}\n浏览:12\n近期,两场科技创新领域的大规模会议在昆明拉开帷幕。"
    meta = parse_header(text)
    assert meta.title == "昆明深入实施科技创新赋能高质量发展“七大工程”"
    assert meta.date == date
    assert meta.source == source


def test_parse_header_title_hint_wins_and_header_lines_are_never_the_title() -> None:
    text = "- 时间:2024-09-23\n- 来源:昆明信息港\n近期,两场会议在昆明召开。"
    assert parse_header(text).title == "近期,两场会议在昆明召开。"
    meta = parse_header(text, title_hint="  From the PDF metadata  ")
    assert meta.title == "From the PDF metadata"
    assert meta.date == "2024-09-23"


def test_parse_header_ignores_dates_after_the_first_lines() -> None:
    body = "\n".join(f"第{i}段正文内容。" for i in range(20))
    text = f"某市科技工作简报\n{body}\n时间:2023年1月5日\n来源:别处"
    meta = parse_header(text)
    assert meta.title == "某市科技工作简报"
    assert meta.date is None
    assert meta.source is None


def test_iso_date_formats() -> None:
    assert iso_date("2024年9月23日") == "2024-09-23"
    assert iso_date("２０２４年９月２３日") == "2024-09-23"
    assert iso_date("2024/9/3 08:00") == "2024-09-03"
    assert iso_date("2024-13-01") is None
    assert iso_date("no date") is None


def test_is_header_line() -> None:
    assert is_header_line("- 瀏覽:77")
    assert is_header_line("发布时间：2024-09-23")
    assert not is_header_line("持續打響科技服務品牌")
    assert not is_header_line("今年以來,市科技局從健全科技創新政策體系著手。")
