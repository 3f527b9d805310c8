"""The text-facts layer (ingest.facts, ingest.divisions): tables of cases."""

from __future__ import annotations

import pytest

from ingest.divisions import find_places, lookup, lookup_english, short_name
from ingest.facts import (
    context_year,
    has_quantity,
    ordinals,
    period_keys,
    period_name,
    quantities,
    resolved_years,
    sentence_periods,
    strip_periods,
)


@pytest.mark.parametrize(
    "text, written, value, qualifier, bound, kind",
    [
        ("每项资助不超过300万元", "不超过300万元", 3_000_000, "不超过", "at_most", "money"),
        ("每項資助不超過300萬元", "不超过300万元", 3_000_000, "不超过", "at_most", "money"),
        ("开展上门服务活动100余次", "100余次", 100, "余", "more_than", "count"),
        ("研发投入不低于百分之五十", "不低于百分之五十", 50, "不低于", "at_least", "percent"),
        ("占比达到35%", "35%", 35, "", "exact", "percent"),
        ("合同成交额122.78亿元", "122.78亿元", 12_278_000_000, "", "exact", "money"),
        ("成交额一百二十二点七八亿元", "一百二十二点七八亿元", 12_278_000_000, "", "exact", "money"),
        ("投资5000万美元", "5000万美元", 50_000_000, "", "exact", "money"),
        ("约20万欧元", "约20万欧元", 200_000, "约", "approx", "money"),
        ("培训900人次以上", "900人次以上", 900, "以上", "at_least", "count"),
        ("举办两场会议", "两场", 2, "", "exact", "count"),
        ("增长了3倍", "3倍", 3, "", "exact", "multiple"),
        ("注册满三年", "满三年", 3, "满", "at_least", "duration"),
        ("最高奖励50万元", "50万元", 500_000, "", "exact", "money"),  # 最高 qualifies only a number it touches
        ("最高50万元", "最高50万元", 500_000, "最高", "at_most", "money"),
        ("肩高约1米", "约1米", 1, "约", "approx", "measure"),
        ("全长7,936项", "7,936项", 7936, "", "exact", "count"),
        ("在海上试了5年才服役", "5年", 5, "", "exact", "duration"),  # a short count of years is a duration
        ("雌性体长约10英寸", "约10英寸", 10, "约", "approx", "measure"),
        ("共有100艘船只下水", "100艘", 100, "", "exact", "count"),
        ("年满18周岁", "满18周岁", 18, "满", "at_least", "measure"),  # an age, not eighteen weeks
        ("不满四十五周岁的个人", "不满四十五周岁", 45, "不满", "less_than", "measure"),
        # 成: tenths, read as a percentage so that 九成 and 90% are the same figure
        ("工业原料有九成依赖进口", "九成", 90, "", "exact", "percent"),
        ("七成以上的企业", "七成以上", 70, "以上", "at_least", "percent"),
        ("增长三成五", "三成五", 35, "", "exact", "percent"),
        ("占9成", "9成", 90, "", "exact", "percent"),
        # fractions, compared as percentages
        ("须经三分之二以上多数通过", "三分之二以上", 66.666667, "以上", "at_least", "percent"),
        ("不少于四分之一", "不少于四分之一", 25, "不少于", "at_least", "percent"),
        ("罚款千分之三", "千分之三", 0.3, "", "exact", "percent"),
        # halves of durations
        ("此次围城持续超过半年", "超过半年", 0.5, "超过", "more_than", "duration"),
        ("一年半以后", "一年半", 1.5, "", "exact", "duration"),
        ("两个半月内完成", "两个半月", 2.5, "", "exact", "duration"),
        ("历时三年", "三年", 3, "", "exact", "duration"),  # a verb before it: a span
    ],
)
def test_quantities(text: str, written: str, value: float, qualifier: str, bound: str, kind: str) -> None:
    found = quantities(text)
    assert found, text
    q = next(x for x in found if x.text == written)
    assert (q.value, q.qualifier, q.bound, q.kind) == (value, qualifier, bound, kind)


@pytest.mark.parametrize(
    "text",
    ["2024年9月23日", "8月6日召开", "一个新的阶段", "第三次会议", "“3815”战略", "1至8月", "2025年重点领域",
     "民国5年成立", "西燕394年灭亡", "一只手", "在哪一年动工", "哪三处地理现象", "20世纪50年代", "八十年代",
     "一成不变", "三五成群", "由三成员组成", "十五成员国", "有几成把握",
     # a year of an era, not a span of years; a day of the month; a half-year period
     "隆武三年七月,郑成功会同郑彩", "隆武四年,卢若腾来归", "康熙六十一年", "四月初六日", "2024年上半年", "下半年",
     "承久3年5月14日,上皇下达院宣"],  # an era year in digits, its month after it
)
def test_not_quantities(text: str) -> None:
    assert not has_quantity(text), quantities(text)


def test_years_and_months_of_a_span_stay_durations() -> None:
    """承久3年5月 is a date; 满3年5个月 (months counted, 个 between) is still a span."""
    assert [q.text for q in quantities("满3年5个月")] == ["满3年", "5个月"]


def test_cap_is_not_more_than() -> None:
    (q,) = quantities("每项不超过300万元")
    assert q.bound == "at_most" and q.value_text == "300万元" and "余" not in q.text


@pytest.mark.parametrize("text, found", [("第三次会议", [("第三次", 3)]), ("第二批名单", [("第二批", 2)]), ("第四十五条", [("第四十五条", 45)])])
def test_ordinals(text: str, found: list[tuple[str, int]]) -> None:
    assert ordinals(text) == found


@pytest.mark.parametrize(
    "text, keys",
    [
        ("1至8月", {"M1-8"}),
        ("一至八月", {"M1-8"}),
        ("1月到8月", {"M1-8"}),
        ("前八个月", {"M1-8"}),
        ("截至8月底", {"M1-8"}),
        ("一季度", {"Q1", "M1-3"}),
        ("第三季度", {"Q3", "M7-9"}),
        ("in the first quarter", {"Q1", "M1-3"}),
        ("上半年", {"H1", "M1-6"}),
        ("1-6月", {"M1-6", "H1"}),
        ("全年", {"FY", "M1-12"}),
        ("年底", {"YE"}),
        ("at the end of 2023", {"YE"}),
        ("from January to August", {"M1-8"}),
        ("the first eight months", {"M1-8"}),
        ("截至目前", {"TODATE"}),
        ("今年以来", {"YTD"}),
        ("技术合同成交额", set()),
    ],
)
def test_period_keys(text: str, keys: set[str]) -> None:
    assert period_keys(text) == keys


@pytest.mark.parametrize(
    "key, year, english, name",
    [("M1-8", "2024", False, "2024年1月至8月"), ("FY", "2023", False, "2023年全年"), ("Q1", None, False, "一季度"),
     ("M1-8", "2024", True, "January–August 2024"), ("Q1", "2024", True, "the first quarter of 2024")],
)
def test_period_name(key: str, year: str | None, english: bool, name: str) -> None:
    assert period_name(key, year, english) == name


@pytest.mark.parametrize(
    "text, doc_year, years",
    [("今年1至8月", 2024, {"2024"}), ("上年度", 2024, {"2023"}), ("去年同期", 2024, {"2023"}), ("2022年全年", 2023, {"2022"}),
     ("last year", 2024, {"2023"})],
)
def test_resolved_years(text: str, doc_year: int, years: set[str]) -> None:
    assert resolved_years(text, doc_year) == years


def test_context_year_prefers_the_reviewed_year() -> None:
    assert context_year("昆明市科技局2023年工作综述", "2024-01-26") == 2023
    assert context_year("昆明深入实施七大工程", "2024-09-23") == 2024
    assert context_year("无日期", None) is None


def test_sentence_periods_carry_their_year() -> None:
    (p,) = [x for x in sentence_periods("2024年1至8月,全市共登记技术合同7936项", 2024) if x.key == "M1-8"]
    assert p.year == "2024" and p.text == "2024年1月至8月"
    full = [x for x in sentence_periods("全年,高新技术企业946家", 2023) if x.key == "FY"]
    assert full and full[0].year == "2023"


def test_strip_periods_leaves_the_subject() -> None:
    assert "技术合同" in strip_periods("2024年1至8月技术合同成交额")
    assert "2024" not in strip_periods("2024年1至8月技术合同成交额") and "8月" not in strip_periods("1至8月技术合同")


@pytest.mark.parametrize(
    "name, short, level, city, province",
    [
        ("呈贡区", "呈贡", "county", "昆明市", "云南省"),
        ("绵阳市", "绵阳", "city", None, "四川省"),
        ("云南省", "云南", "province", None, None),
        ("西双版纳傣族自治州", "西双版纳", "city", None, "云南省"),
        ("玉龙纳西族自治县", "玉龙", "county", "丽江市", "云南省"),
        ("广西壮族自治区", "广西", "province", None, None),
    ],
)
def test_divisions(name: str, short: str, level: str, city: str | None, province: str | None) -> None:
    d = lookup(name)[0]
    assert (d.short, d.level, d.parent_city, d.province) == (short, level, city, province)
    assert short_name(name) == short


@pytest.mark.parametrize("word, short", [("Mianyang", "绵阳"), ("Kunming", "昆明"), ("yunnan", "云南"), ("Chenggong", "呈贡")])
def test_english_place_names(word: str, short: str) -> None:
    assert lookup_english(word)[0].short == short


@pytest.mark.parametrize(
    "text, names",
    [
        ("昆明市呈贡区的企业", ["昆明市", "呈贡区"]),
        ("绵阳的技术合同", ["绵阳"]),
        ("和平利用科技成果", []),  # 和平区's short name is an everyday word: counties need their suffix
        ("城市发展", []),
        ("嵩明县一季度", ["嵩明县"]),
    ],
)
def test_find_places(text: str, names: list[str]) -> None:
    assert [n for n, _ in find_places(text, frozenset({"城市"}))] == names


@pytest.mark.parametrize(
    "text, written, span",
    [
        ("今年前八个月登记技术合同", "八个月", True),
        ("上一年度共拿到专利", "一年", True),
        ("近三年研发投入", "近三年", True),
        ("过去五年建成", "五年", True),
        ("约七十年几乎没有黑子活动", "约七十年", False),
        ("成立满3年的企业", "满3年", False),
        ("10个工作日内办结", "10个工作日", False),
        ("近3000家企业", "近3000家", False),  # a count, not a span of time
    ],
)
def test_is_period_span(text: str, written: str, span: bool) -> None:
    from ingest.facts import is_period_span

    q = next(x for x in quantities(text) if x.text == written)
    assert is_period_span(text, q) is span
