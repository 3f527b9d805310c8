"""Company facts from free text or JSON (assistant.eligibility.profile)."""

from __future__ import annotations

import math

import pytest

from assistant.eligibility.profile import ProfileError, parse_profile

ISSUE_EXAMPLE = "我们是2019年在昆明呈贡区注册的独立法人企业，上年度营业收入5000万元，研发投入200万元，职工120人，其中研发人员15人，去年认定为高新技术企业"


@pytest.mark.parametrize(
    "text, key, value",
    [
        (ISSUE_EXAMPLE, "revenue", (5e7, 5e7)),
        (ISSUE_EXAMPLE, "rd_spending", (2e6, 2e6)),
        (ISSUE_EXAMPLE, "staff", (120, 120)),
        (ISSUE_EXAMPLE, "rd_staff", (15, 15)),
        (ISSUE_EXAMPLE, "founded", (2019, None)),
        (ISSUE_EXAMPLE, "legal_person", True),
        (ISSUE_EXAMPLE, "org_kind", "企业"),
        (ISSUE_EXAMPLE, "registered_in", "呈贡区"),
        ("营收1.2亿", "revenue", (1.2e8, 1.2e8)),  # 亿 without 元
        ("去年营收8000万", "revenue", (8e7, 8e7)),
        ("销售收入三千万元", "revenue", (3e7, 3e7)),  # Chinese numerals
        ("营业收入5000多万元", "revenue", (5e7, math.inf)),  # 多: more than
        ("营业收入约5000万元", "revenue", (4.5e7, 5.5e7)),  # 约: within the tolerance
        ("营业收入2500000元", "revenue", (2.5e6, 2.5e6)),
        ("研发投入占营业收入的2.5%", "rd_ratio", (2.5, 2.5)),
        ("研发费用500万元，占营收的8%", "rd_ratio", (8, 8)),  # the share's subject is the clause before
        ("研发投入占比百分之四", "rd_ratio", (4, 4)),
        ("科技人员占职工总数15%", "rd_staff_ratio", (15, 15)),
        ("近三年研发投入累计600万元", "rd_spending_multi_year", (6e6, 6e6)),
        ("2024年3月在曲靖市马龙区注册成立", "founded", (2024, 3)),
        ("成立于2016年", "founded", (2016, None)),
        ("成立3年", "age_years", (3, 3)),
        ("公司2020-05注册", "founded", (2020, 5)),
        ("我们去年刚成立", "founded_offset", -1),
        ("我们是昆明市西山区一家科技有限公司的分公司", "legal_person", False),
        ("我们是曲靖市的一所高校", "org_kind", "高校"),
        ("我们是昆明市五华区的一家科研院所", "org_kind", "科研院所"),
        ("教职工1500人", "staff", (1500, 1500)),
        ("我們是2021年在曲靖市麒麟區註冊的獨立法人企業，職工90人", "staff", (90, 90)),  # Traditional
        ("我們是2021年在曲靖市麒麟區註冊的獨立法人企業", "registered_in", "麒麟区"),
    ],
)
def test_facts_of_text(text: str, key: str, value: object) -> None:
    fact = parse_profile(text).get(key)
    assert fact is not None and fact.value == value


@pytest.mark.parametrize(
    "text, absent",
    [
        ("近三年研发投入累计600万元", "rd_spending"),  # a three-year total is not last year's
        ("去年认定为高新技术企业", "org_kind"),  # 企业 inside a certification's name says nothing of the kind
        ("我们公司想申报，能申报吗？", "revenue"),
        ("2025年已入库科技型中小企业", "founded"),  # a year without 成立/注册 is not the founding
        ("公司注册在安宁市", "founded"),
    ],
)
def test_facts_not_stated_are_absent(text: str, absent: str) -> None:
    assert parse_profile(text).get(absent) is None


@pytest.mark.parametrize(
    "text, places",
    [
        ("昆明呈贡区", [("呈贡区", "昆明市", "云南省"), ("昆明市", None, "云南省")]),
        ("公司注册在安宁市", [("安宁市", "昆明市", "云南省")]),
        ("曲靖宣威市一家企业", [("宣威市", "曲靖市", "云南省"), ("曲靖市", None, "云南省")]),
        ("广东省深圳市南山区", [("南山区", "深圳市", "广东省"), ("深圳市", None, "广东省"), ("广东省", None, None)]),
        # a name two districts share, with nothing to tell them apart: both kept
        ("南山区的企业", [("南山区", "深圳市", "广东省"), ("南山区", "鹤岗市", "黑龙江省")]),
    ],
)
def test_places_down_to_districts(text: str, places: list[tuple]) -> None:
    assert [(d.name, d.parent_city, d.province) for d in parse_profile(text).places] == places


@pytest.mark.parametrize(
    "text, cert, held",
    [
        ("去年认定为高新技术企业", "高新技术企业", True),
        ("还不是高新技术企业", "高新技术企业", False),
        ("尚未入库科技型中小企业", "科技型中小企业", False),
        ("已取得科技型中小企业入库编号", "科技型中小企业", True),
        ("高新技術企業證書有效", "高新技术企业", True),
        ("我们是高企", "高新技术企业", True),
    ],
)
def test_certifications(text: str, cert: str, held: bool) -> None:
    assert parse_profile(text).certs[cert].value is held


@pytest.mark.parametrize(
    "text, clear, listed",
    [
        ("信用良好", {"信用"}, set()),
        ("近三年无失信记录", {"失信"}, set()),
        ("未被列入经营异常名录", {"经营异常"}, set()),
        ("被列入过失信被执行人名单", set(), {"失信"}),
        ("近三年没有发生重大安全事故", set(), set()),  # not a credit record
    ],
)
def test_credit(text: str, clear: set, listed: set) -> None:
    p = parse_profile(text)
    assert (set(p.credit_clear), set(p.credit_listed)) == (clear, listed)


@pytest.mark.parametrize(
    "text, ip",
    [
        ("有发明专利2件", {"发明专利": (2, 2)}),
        ("软件著作权3项", {"软件著作权": (3, 3)}),
        ("有实用新型专利5件，软著4个", {"实用新型专利": (5, 5), "软件著作权": (4, 4)}),
        ("知识产权2件", {"total": (2, 2)}),
        ("没有任何专利和知识产权", {"total": (0, 0)}),
    ],
)
def test_ip(text: str, ip: dict) -> None:
    assert {k: f.value for k, f in parse_profile(text).ip.items()} == ip


def test_json_profile() -> None:
    p = parse_profile('{"registered_in": "昆明市官渡区", "legal_person": true, "revenue": "1.5亿元", "rd_ratio": 4, '
                      '"founded": "2020-05", "certifications": ["科小"], "ip": {"发明专利": 1}, "credit_ok": true}')
    assert p.get("revenue").value == (1.5e8, 1.5e8)
    assert p.get("rd_ratio").value == (4, 4)
    assert p.get("founded").value == (2020, 5)
    assert p.places[0].parent_city == "昆明市"
    assert p.certs["科技型中小企业"].value is True
    assert p.ip["发明专利"].value == (1, 1)
    assert "信用" in p.credit_clear


@pytest.mark.parametrize(
    "profile, message",
    [
        ("", "empty"),
        ("   ", "empty"),
        ("{not json", "not valid"),
        ("[1, 2]", None),  # not an object and not JSON-looking: read as text, states nothing
        ('{"revenu": 1}', "unknown profile keys ['revenu']"),
        ('{"legal_person": "yes"}', "legal_person"),
        ('{"revenue": true}', "revenue"),
        ('{"registered_in": "火星"}', "registered_in"),
        ('{"certifications": ["金牌企业"]}', "unknown certification"),
        ('{"founded": "去年"}', "founded"),
    ],
)
def test_bad_profiles_are_clear_errors(profile: str, message: str | None) -> None:
    if message is None:
        assert parse_profile(profile).facts == {}
        return
    with pytest.raises(ProfileError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_profile(profile)
