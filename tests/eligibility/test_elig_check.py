"""The check (assistant.eligibility.check): statuses, reasons, implied values, and the 35 hand-checked profiles."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pytest

from assistant.eligibility.check import check, check_condition, eligibility, satisfies
from assistant.eligibility.conditions import Condition, extract_conditions, notice_year, requirements_of
from assistant.eligibility.profile import parse_profile

DATA = Path(__file__).parent / "data"
PROFILES = [json.loads(line) for line in (DATA / "profiles.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def status(condition: str, profile: str | dict, year: int | None = 2025, context: str = "") -> tuple[str, str, list[str]]:
    from assistant.eligibility.conditions import context_places

    c = Condition(1, condition, "", requirements_of(condition, context_places(context)))
    r = check_condition(c, parse_profile(profile), year)
    return r.status, r.reason, r.facts


@pytest.mark.parametrize(
    "iv, bound, x, expected",
    [
        ((4.0, 4.0), "at_least", 3, True),
        ((3.0, 3.0), "at_least", 3, True),  # 不低于3% includes 3 %
        ((2.4, 2.4), "at_least", 3, False),
        ((2.0, math.inf), "at_least", 3, None),  # "more than 2" may or may not reach 3
        ((3.0, 3.0), "more_than", 3, False),
        ((5e7, 5e7), "at_most", 2e8, True),
        ((2.5e8, 2.5e8), "at_most", 2e8, False),
        ((1.8e8, 2.2e8), "at_most", 2e8, None),  # 约2亿: either side
        ((9.0, 9.0), "less_than", 10, True),
        ((10.0, 10.0), "exact", 10, True),
        ((9.999999999999998, 9.999999999999998), "at_least", 10, True),  # 9/90 in floating point is 10 %
    ],
)
def test_satisfies(iv: tuple, bound: str, x: float, expected: bool | None) -> None:
    assert satisfies(iv, bound, x) is expected


@pytest.mark.parametrize(
    "condition, profile, expected, reason_has",
    [
        # implied values
        ("研发费用总额占营业收入的比例不低于3%", "营业收入5000万元，研发投入200万元", "met", "4%（200万元 ÷ 5000万元）"),
        ("研发费用总额占营业收入的比例不低于3%", "营业收入2.5亿元，研发投入600万元", "not_met", "2.4%"),
        ("上年度研发费用不低于50万元", "营业收入8000万元，研发投入占营业收入的2.5%", "met", "200万元"),
        ("科技人员占职工总数的比例不低于10%", "职工90人，其中科技人员9人", "met", "10%"),
        ("科技人员占职工总数的比例不低于10%", "职工100人，科技人员8人", "not_met", "8%"),
        # a figure of another year than the condition's (上年度 of a 2025 notice is 2024)
        ("上年度营业收入不超过2亿元", "2022年营业收入5000万元", "unknown", "2022年"),
        ("上年度营业收入不超过2亿元", "2024年营业收入5000万元", "met", ""),
        ("上年度营业收入不超过2亿元", "去年营收5000万元", "met", ""),
        ("上年度营业收入不低于500万元", "营业收入2000万元", "met", ""),  # 2000万 is no year
        ("近一个会计年度研究开发费用总额占同期销售收入总额的比例不低于3%", "2023年销售收入1000万元，研发费用50万元", "unknown", "2024年"),
        # approximate figures are intervals: never met on a guess
        ("上年度营业收入不超过2亿元", "营业收入约2亿元", "unknown", ""),
        ("上年度营业收入不低于500万元", "营业收入5000多万元", "met", ""),
        ("上年度营业收入不超过500万元", "营业收入5000多万元", "not_met", ""),
        # a three-year total does not say last year's figure
        ("上年度研发费用不低于50万元", "近三年研发投入累计600万元", "unknown", "多年累计"),
        ("近三年研发费用累计不低于300万元", "近三年研发投入累计600万元", "met", ""),
        ("近三年研发费用累计不低于300万元", "上年度研发投入200万元", "unknown", "上年度"),
        # places
        ("在昆明市行政区域内注册", "2019年在昆明呈贡区注册", "met", "呈贡区（昆明市）"),
        ("在昆明市行政区域内注册", "在曲靖市麒麟区注册", "not_met", "麒麟区（曲靖市）"),
        ("在昆明市行政区域内注册", "我们在云南省注册", "unknown", "云南省"),
        ("在昆明市行政区域内注册", "公司注册在安宁市", "met", "安宁市（昆明市）"),
        # founding age against the notice's year, founding date against a cut-off
        ("注册成立满1年", "2019年成立", "met", "满5至6年"),
        ("注册成立满1年", "2024年成立", "unknown", "取决于月份"),
        ("注册成立满1年", "2023年12月成立", "met", ""),
        ("注册成立满1年", "2025年1月成立", "not_met", ""),
        ("注册成立满3年", "成立3年", "met", ""),
        ("注册成立满1年", "我们去年刚成立", "unknown", "2024年"),  # 去年 of a 2025 notice
        ("注册成立满1年", "前年成立", "met", "2023年"),
        ("在2024年6月30日前注册成立", "今年成立", "not_met", "2025年"),
        ("在2024年6月30日前注册成立", "2024年3月注册", "met", ""),
        ("在2024年6月30日前注册成立", "2024年注册", "unknown", "未说明月日"),
        ("在2024年6月30日前注册成立", "2024年7月注册", "not_met", ""),
        # certifications, both ways
        ("尚未被认定为高新技术企业", "去年认定为高新技术企业", "not_met", ""),
        ("尚未被认定为高新技术企业", "还不是高新技术企业", "met", ""),
        ("尚未被认定为高新技术企业", "我们是科技型中小企业", "unknown", "高新技术企业"),
        ("拥有有效期内的高新技术企业证书", "是高新技术企业", "met", ""),
        # a certification's year: the one the condition names, and its validity (3 years) at the notice's year
        ("2025年已通过科技型中小企业评价并取得入库登记编号", "今年已入库科技型中小企业", "met", "2025年"),
        ("2025年已通过科技型中小企业评价并取得入库登记编号", "2023年入库科技型中小企业", "unknown", "请确认"),
        ("拥有有效期内的高新技术企业证书", "2019年认定为高新技术企业", "unknown", "可能已过期"),
        ("拥有有效期内的高新技术企业证书", "2023年认定为高新技术企业", "met", ""),
        ("拥有有效期内的高新技术企业证书", "去年认定为高新技术企业", "met", "2024年"),
        ("拥有有效期内的高新技术企业证书", "2019年注册的高新技术企业", "met", ""),  # the founding year, not the certificate's
        ("尚未被认定为高新技术企业", "2015年认定为高新技术企业", "not_met", ""),
        # IP: counts of kinds are lower bounds of the total
        ("拥有自主知识产权不少于3件", "有发明专利1件，软著2项", "met", ""),
        ("拥有自主知识产权不少于3件", "有发明专利1件", "unknown", ""),
        ("拥有自主知识产权不少于1件", "没有任何专利和知识产权", "not_met", ""),
        ("拥有发明专利不少于1件", "有实用新型专利5件", "unknown", "发明专利"),
        # credit: each register named
        ("未被列入经营异常名录和严重违法失信企业名单", "无失信记录", "unknown", "经营异常名录"),
        ("未被列入经营异常名录和严重违法失信企业名单", "信用良好", "met", ""),
        ("近三年内未被列入严重失信主体名单", "被列入过失信被执行人名单", "not_met", ""),
        # who may apply
        ("具有独立法人资格的企业", "我们是独立法人企业", "met", ""),
        ("具有独立法人资格的企业", "我们是一家科研院所，具有独立法人资格", "not_met", "科研院所"),
        ("具有独立法人资格的企业", "我们是一家科技有限公司的分公司", "not_met", "不具有独立法人资格"),
        ("具有独立法人资格的企业", "我们是一家公司", "unknown", "独立法人"),
        # what the profile cannot tell
        ("申报前一年内未发生重大安全、重大质量事故", "信用良好，近三年没有发生重大安全事故", "unknown", "自行确认"),
    ],
)
def test_check_one_condition(condition: str, profile: str, expected: str, reason_has: str) -> None:
    got, reason, _ = status(condition, profile)
    assert got == expected, reason
    assert reason_has in reason
    assert reason.endswith("。") and reason.count("。") == 1  # one sentence


def test_the_facts_used_are_the_profiles_words() -> None:
    _, _, facts = status("研发费用总额占营业收入的比例不低于3%", "上年度营业收入5000万元，研发投入200万元")
    assert facts == ["研发投入200万元", "上年度营业收入5000万元"]


def test_age_needs_the_notices_year() -> None:
    assert status("注册成立满1年", "2019年成立", year=None)[0] == "unknown"


@pytest.mark.parametrize(
    "statuses, expected",
    [(["met", "met"], True), (["met", "unknown"], None), (["met", "not_met", "unknown"], False), ([], None)],
)
def test_eligibility(statuses: list, expected: bool | None) -> None:
    assert eligibility(statuses) is expected


@pytest.mark.parametrize("row", PROFILES, ids=[r["id"] for r in PROFILES])
def test_hand_checked_profiles(row: dict) -> None:
    """Every condition of every hand-checked profile has the status written down before the code."""
    text = (DATA / row["notice"]).read_text(encoding="utf-8")
    result = check(extract_conditions(text), parse_profile(row["profile"]), notice_year(text))
    got = [c.status for c in result.conditions]
    assert got == row["expected"], [(c.condition.n, c.status, c.reason) for c in result.conditions]
    assert result.eligible is row["eligible"]


def test_there_are_enough_hand_checked_profiles() -> None:
    assert len(PROFILES) >= 30
    assert {r["notice"] for r in PROFILES} == {p.name for p in DATA.glob("*.md")}
    assert sum(isinstance(r["profile"], dict) for r in PROFILES) >= 3


JSON_ROWS = [r for r in PROFILES if isinstance(r["profile"], dict)]


@pytest.mark.parametrize("row", JSON_ROWS, ids=[r["id"] for r in JSON_ROWS])
def test_unknowns_never_turn_into_met(row: dict) -> None:
    """Dropping any one stated fact never makes a condition met: a status only moves towards unknown."""
    text = (DATA / row["notice"]).read_text(encoding="utf-8")
    conds, year = extract_conditions(text), notice_year(text)
    full = [c.status for c in check(conds, parse_profile(row["profile"]), year).conditions]
    for key in row["profile"]:
        fewer = {k: v for k, v in row["profile"].items() if k != key}
        for before, after in zip(full, [c.status for c in check(conds, parse_profile(fewer), year).conditions]):
            assert after == before or after == "unknown", (key, before, after)


def test_missing_facts_are_listed() -> None:
    text = (DATA / "昆明市2025年度科技型中小企业研发费用补助申报指南.md").read_text(encoding="utf-8")
    result = check(extract_conditions(text), parse_profile("昆明市盘龙区企业，营业收入1000万元，研发费用30万元。"), notice_year(text))
    assert result.missing_facts[:3] == ["是否具有独立法人资格", "是否为科技型中小企业", "信用记录（失信名单）"]
    assert any(m.startswith("第7项") for m in result.missing_facts)


def test_the_check_is_deterministic() -> None:
    text = (DATA / "曲靖市2025年科技创新券申领指南.md").read_text(encoding="utf-8")
    runs = {json.dumps(check(extract_conditions(text), parse_profile(PROFILES[10]["profile"]), 2025).to_json(), ensure_ascii=False) for _ in range(3)}
    assert len(runs) == 1


@pytest.mark.parametrize(
    "founded, window, expected",
    [
        ("2024年3月注册", (date(2025, 5, 1), date(2025, 5, 31)), "met"),  # a year and more by May 2025
        ("2024年3月注册", None, "unknown"),  # any day of 2025: January is short of a year
        ("2024年1月注册", (date(2024, 12, 2), date(2025, 1, 10)), "unknown"),
        ("2023年6月注册", (date(2024, 12, 2), date(2025, 1, 10)), "met"),
        ("2024年12月注册", (date(2025, 5, 1), date(2025, 5, 31)), "not_met"),
    ],
)
def test_age_at_the_application_window(founded: str, window: tuple | None, expected: str) -> None:
    c = Condition(1, "在本市注册一年以上", "", requirements_of("注册成立满1年"))
    assert check_condition(c, parse_profile(founded), 2025, window=window).status == expected
