"""Conditions of a notice (assistant.eligibility.conditions): where they are and what each tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.eligibility.conditions import extract_conditions, notice_year, requirements_of

DATA = Path(__file__).parent / "data"


def kinds(text: str, context: str = "") -> list[str]:
    from assistant.eligibility.conditions import context_places

    return [t.kind for t in requirements_of(text, context_places(context))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("在昆明市行政区域内注册、具有独立法人资格的企业。", ["registration_place", "legal_person", "org_kind"]),
        ("上年度研发费用总额不低于50万元。", ["rd_spending"]),
        ("上年度研发费用总额占营业收入总额的比例不低于3%。", ["rd_ratio"]),
        ("上年度營業收入不超過2億元；", ["revenue"]),  # Traditional script
        ("职工总数不超过500人", ["staff"]),
        ("研发人员不少于10人", ["rd_staff"]),
        ("科技人员占职工总数的比例不低于10%", ["rd_staff_share"]),
        ("尚未被认定为高新技术企业。", ["certification"]),
        ("拥有自主知识产权（发明专利、实用新型专利、软件著作权等）不少于1件。", ["ip"]),
        ("近三年内未被列入严重失信主体名单。", ["credit"]),
        ("在2024年6月30日前注册成立", ["founded"]),
        ("在玉溪市注册成立满1年的居民企业。", ["registration_place", "org_kind", "founded"]),
        ("申报前一年内未发生重大安全、重大质量事故或严重环境违法行为。", ["other"]),
        ("企业开展的研发活动符合国家和云南省重点支持的产业方向。", ["other"]),  # 研发 without a figure tests nothing
        ("高校、科研院所和企业均可申报", ["other"]),
        ("具有独立法人资格的企业、高校、科研院所及其他事业单位", ["legal_person", "org_kind"]),  # kinds not at the end of a requirement: not read as a restriction
        ("申报单位为企业或高校", ["org_kind"]),
        ("近三年研发费用累计不低于300万元", ["rd_spending"]),
    ],
)
def test_what_a_condition_tests(text: str, expected: list[str]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text, field, value",
    [
        ("上年度研发费用总额不低于50万元。", "value", 5e5),
        ("上年度营业收入不超过2亿元。", "bound", "at_most"),
        ("上年度研发投入不低於200萬元", "value", 2e6),
        ("尚未被认定为高新技术企业。", "negated", True),
        ("擁有有效期內的國家高新技術企業證書", "negated", False),
        ("擁有有效期內的國家高新技術企業證書", "cert", "高新技术企业"),
        ("已入库科技型中小企业", "cert", "科技型中小企业"),
        ("在2024年6月30日前注册成立", "before", date(2024, 6, 30)),
        ("拥有发明专利不少于2件", "ip_kind", "发明专利"),
        ("拥有自主知识产权（发明专利、软件著作权等）不少于1件", "ip_kind", "total"),
        ("未被列入经营异常名录和严重违法失信企业名单", "lists", ("失信", "经营异常")),
        ("近三年研发费用累计不低于300万元", "multi_year", True),
        ("上年度研发费用不低于300万元", "multi_year", False),
        ("申报单位为企业或高校", "org_kinds", ("企业", "高校")),
        ("具有独立法人资格的企业、高校、科研院所及其他事业单位", "org_kinds", ("企业", "高校", "科研院所", "事业单位")),
    ],
)
def test_what_a_test_requires(text: str, field: str, value: object) -> None:
    found = [t for t in requirements_of(text) if t.kind not in ("registration_place", "legal_person")]
    assert getattr(found[0], field) == value


@pytest.mark.parametrize(
    "text, context, place, city",
    [
        ("在昆明市行政区域内注册", "", "昆明市", None),
        ("在南山区依法登记注册的企业", "深圳市南山区科技创新局", "南山区", "深圳市"),
        ("在南山区依法登记注册的企业", "鹤岗市科学技术局", "南山区", "鹤岗市"),  # the name two districts share
        ("在呈贡区注册", "", "呈贡区", "昆明市"),
        ("在本市注册满一年", "曲靖市科学技术局关于开展申报工作的通知", "曲靖市", None),  # 本市: the document's city
        ("在本区依法登记注册", "深圳市南山区科技创新局", "南山区", "深圳市"),
    ],
)
def test_registration_place_is_resolved_by_the_document(text: str, context: str, place: str, city: str | None) -> None:
    from assistant.eligibility.conditions import context_places

    t = next(t for t in requirements_of(text, context_places(context)) if t.kind == "registration_place")
    assert t.place is not None and (t.place.name, t.place.parent_city) == (place, city)


# the four notices: how many conditions, what each tests, where each is
NOTICES = {
    "昆明市2025年度科技型中小企业研发费用补助申报指南.md": (
        ["二、申报条件（一）", "二、申报条件（二）", "二、申报条件（三）", "二、申报条件（四）", "二、申报条件（五）", "二、申报条件（六）", "二、申报条件（七）"],
        [["registration_place", "legal_person", "org_kind"], ["certification"], ["rd_spending"], ["rd_ratio"], ["revenue"], ["credit"], ["other"]],
    ),
    "曲靖市2025年科技创新券申领指南.md": (
        [f"一、申领条件 表第{i}项" for i in range(1, 7)],
        [["registration_place", "legal_person"], ["founded"], ["staff"], ["revenue"], ["rd_staff_share"], ["credit"]],
    ),
    "玉溪市高新技术企业培育库入库申报指南2025.md": (
        [f"一、申报条件{i}." for i in range(1, 8)],
        [["registration_place", "org_kind", "founded"], ["certification"], ["ip"], ["rd_staff_share"], ["rd_ratio"], ["revenue"], ["other"]],
    ),
    "深圳市南山區2025年度研發投入支持計劃申請指南.md": (
        [f"第二条（{n}）" for n in "一二三四五六"],
        [["registration_place", "legal_person", "org_kind"], ["rd_spending"], ["rd_ratio"], ["certification"], ["rd_staff"], ["credit"]],
    ),
}


@pytest.mark.parametrize("name", sorted(NOTICES))
def test_conditions_of_the_notices(name: str) -> None:
    articles, tested = NOTICES[name]
    conds = extract_conditions((DATA / name).read_text(encoding="utf-8"))
    assert [c.article for c in conds] == articles
    assert [c.test_kinds for c in conds] == tested
    assert [c.n for c in conds] == list(range(1, len(conds) + 1))


def test_conditions_keep_the_original_script() -> None:
    conds = extract_conditions((DATA / "深圳市南山區2025年度研發投入支持計劃申請指南.md").read_text(encoding="utf-8"))
    assert conds[1].text == "上年度研發投入不低於200萬元"


def test_obligations_outside_the_conditions_are_not_conditions() -> None:
    """申报单位须对材料的真实性负责 (a materials section) and 最高不超过50万元 (the support) are not conditions."""
    text = (DATA / "昆明市2025年度科技型中小企业研发费用补助申报指南.md").read_text(encoding="utf-8")
    texts = [c.text for c in extract_conditions(text)]
    assert not any("真实性" in t or "50万元。" == t[-5:] and "补助" in t for t in texts)
    assert len(texts) == 7


@pytest.mark.parametrize(
    "text, expected",
    [
        # no enumerated items: the requirement sentences of the conditions section
        ("# 某市科技计划项目申报通知\n\n## 一、申报条件\n\n申报单位须在本市注册。申报单位上年度研发投入不低于100万元。本通知由市科技局负责解释。\n\n## 二、其他\n\n请按时申报。",
         ["申报单位须在本市注册。", "申报单位上年度研发投入不低于100万元。"]),
        # no conditions section at all: sentences of requirement that speak of the applicant
        ("某市关于开展科技奖励工作的通知\n今年共奖励10项成果。申请单位须具有独立法人资格。奖金最高不超过50万元。",
         ["申请单位须具有独立法人资格。"]),
        # an item-titled section (（一）申报条件) with numbered items
        ("一、项目说明\n（一）申报条件\n1. 在曲靖市注册的企业。\n2. 职工总数不超过500人。\n（二）支持方式\n1. 给予不超过20万元补助。",
         ["在曲靖市注册的企业。", "职工总数不超过500人。"]),
        # a wrapped item is one condition
        ("## 申报条件\n（一）上年度营业收入不低于\n500万元；\n（二）研发人员不少于5人。",
         ["上年度营业收入不低于500万元", "研发人员不少于5人。"]),
        ("# 某区科技局2024年工作总结\n全年完成技术合同登记100项。", []),
        # items run together on the article's line, or in one paragraph (a PDF or .docx joins them)
        ("第一条 为了促进创新，制定本办法。\n第二条 申请单位应当具备下列条件：（一）在本市注册；（二）研发人员不少于5人。\n第三条 本办法自公布之日起施行。",
         ["在本市注册", "研发人员不少于5人。"]),
        ("二、申报条件\n申报单位应同时满足以下条件：(一)在曲靖市注册;(二)职工总数不超过500人;(三)符合本条第(一)项的规定。\n三、其他",
         ["在曲靖市注册", "职工总数不超过500人", "符合本条第(一)项的规定。"]),
        # a table as ingest.tables renders one from a .docx / .xlsx / PDF
        ("一、申领条件\n1｜申领条件：在曲靖市注册。\n2｜申领条件：职工总数不超过500人。\n二、支持额度\n1｜额度：20万元。",
         ["在曲靖市注册", "职工总数不超过500人"]),
        # an article that mentions 申报条件 in passing sets no conditions
        ("第一条 为了促进创新，制定本条例。\n第二条 合理设置科技项目申报条件，不得将论文作为限制性条件。\n\n有关部门应当健全经费管理制度。\n第三条 本条例自公布之日起施行。", []),
        # an article whose lead introduces them does
        ("第一条 为了促进创新，制定本办法。\n第二条 申请认定的企业须同时满足以下条件：\n（一）在本市注册满一年；\n（二）研发人员不少于5人。\n第三条 本办法自公布之日起施行。",
         ["在本市注册满一年", "研发人员不少于5人。"]),
        # a preference is not a condition; the shipped Qujing call's layout (ASCII brackets, no Markdown)
        ("三、申报条件\n(一)申报单位应为在曲靖市内注册一年以上的企业;\n(二)同等条件下,高新技术企业优先支持;\n(三)每个单位限报3项。\n四、申报时间\n(一)12月申报。",
         ["申报单位应为在曲靖市内注册一年以上的企业", "每个单位限报3项。"]),
    ],
)
def test_where_conditions_are(text: str, expected: list[str]) -> None:
    assert [c.text for c in extract_conditions(text)] == expected


@pytest.mark.parametrize(
    "text, title, date_, year",
    [
        ("# 关于组织申报2025年度项目的通知\n正文", "", None, 2025),
        ("正文2023年", "玉溪市高新技术企业培育库入库申报指南（2025年）", None, 2025),
        ("# 关于组织申报项目的通知\n正文", "关于组织申报项目的通知", "2024-03-01", 2024),
        ("# 通知\n正文", "通知", None, None),
    ],
)
def test_notice_year(text: str, title: str, date_: str | None, year: int | None) -> None:
    assert notice_year(text, title, date_) == year


def test_conditions_of_a_docx_notice_with_a_table(tmp_path) -> None:
    """A .docx notice whose conditions are a Word table: read by the real loader, one condition per row."""
    from docx import Document

    from ingest.loaders import load_document

    doc = Document()
    doc.add_paragraph("曲靖市科学技术局关于开展2025年科技创新券申领工作的通知")
    doc.add_paragraph("一、申领条件")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "序号", "申领条件"
    rows = ["在曲靖市行政区域内注册登记，具有独立法人资格", "在2024年6月30日前注册成立", "职工总数不超过500人"]
    for i, text in enumerate(rows, 1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(i), text
    doc.add_paragraph("二、支持额度")
    doc.add_paragraph("每家企业最高不超过20万元。")
    path = tmp_path / "notice.docx"
    doc.save(str(path))
    conds = extract_conditions(load_document(path).text)
    assert [c.text for c in conds] == rows
    assert [c.article for c in conds] == ["一、申领条件 表第1项", "一、申领条件 表第2项", "一、申领条件 表第3项"]
    assert [c.test_kinds for c in conds] == [["registration_place", "legal_person"], ["founded"], ["staff"]]


@pytest.mark.parametrize(
    "text, window",
    [
        ("## 四、申报时间\n\n2025年5月1日至5月31日，逾期不予受理。", (date(2025, 5, 1), date(2025, 5, 31))),
        ("网上申报时间为2024年12月2日至2025年1月10日17:00,逾期不予受理。", (date(2024, 12, 2), date(2025, 1, 10))),
        ("申报时间：2024年12月2日至1月10日", (date(2024, 12, 2), date(2025, 1, 10))),
        ("申請單位須於2025年6月30日前提交申請材料。", None),  # a deadline, not a window
        ("本通知自2025年1月1日起施行。", None),
    ],
)
def test_application_window(text: str, window: tuple | None) -> None:
    from assistant.eligibility.conditions import application_window

    assert application_window(text) == window
