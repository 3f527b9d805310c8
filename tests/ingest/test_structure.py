"""Regulation structure and header metadata (ingest.structure): tables of cases, then the shipped texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.chunking import chunk_document
from ingest.normalize import parse_header
from ingest.structure import (
    _article_head,
    _heading,
    _item_label,
    cn_number,
    doc_numbers,
    document_meta,
    header_events,
    jurisdiction_of,
    kind_of,
    parse_structure,
)
from ingest_helpers import REPO, REPORT

POLICIES = REPO / "corpus" / "policies"


@pytest.mark.parametrize(
    "numeral, value",
    [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("二十九", 29), ("一百", 100), ("一百零五", 105),
     ("一百一十", 110), ("一百一十二", 112), ("一百九十九", 199), ("两百", 200), ("二百零一", 201), ("12", 12)],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert cn_number(numeral) == value


@pytest.mark.parametrize(
    "line, last_no, expected",
    [
        ("第一条 为了促进科技成果转化，制定本法。", 0, ("第一条", 1)),
        ("第一百零五条　国家鼓励企业开展研究开发。", 104, ("第一百零五条", 105)),
        ("第一百九十九条 本法自公布之日起施行。", 198, ("第一百九十九条", 199)),
        ("第十条之一 国家建立科技报告制度。", 10, ("第十条之一", 10)),
        ("第5条 本办法由市科技局负责解释。", 4, ("第5条", 5)),
        ("第二条：本条例适用于本市。", 1, ("第二条", 2)),
        ("第二条", 1, ("第二条", 2)),  # a label on its own line (the text follows on the next)
        ("第三十条规定的奖励，由单位发放。", 12, None),  # a wrapped line starting with a cross-reference
        ("第二条 前一条的号码不会倒退。", 5, None),  # article numbers only increase
        ("第十条之一 之一跟着它自己的条。", 9, None),
        ("第一章 总则", 0, None),
        ("依照本法第三条执行。", 2, None),
    ],
)
def test_article_headings(line: str, last_no: int, expected: tuple[str, int] | None) -> None:
    got = _article_head(line, last_no)
    assert (got[:2] if got else None) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("## 第一章 总则", ("章", "第一章 总则")),
        ("第一章　总　　则", ("章", "第一章 总则")),
        ("# 第三章 技术权益", ("章", "第三章 技术权益")),
        ("第二节 科技成果转化的组织实施", ("节", "第二节 科技成果转化的组织实施")),
        ("第一编 总则", ("编", "第一编 总则")),
        ("第十二章 附则", ("章", "第十二章 附则")),
        ("第四章", ("章", "第四章")),
        ("第一章 总则。", None),  # a sentence, not a heading
        ("第一章 " + "很长" * 30, None),
        ("第一条 为了促进科技成果转化，制定本法。", None),
        ("一、总体要求", None),
    ],
)
def test_headings(line: str, expected: tuple[str, str] | None) -> None:
    assert _heading(line) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("（一）国家最高科学技术奖；", "（一）"),
        ("(二) 国家自然科学奖；", "（二）"),
        ("（十一）其他事项。", "（十一）"),
        ("1. 研究开发费用；", "1."),
        ("12、人员费用。", "12."),
        ("1.5倍以上的罚款。", None),
        ("2024年起施行。", None),
        ("一、总体要求", None),
        ("国家设立下列奖项：", None),
    ],
)
def test_item_labels(line: str, expected: str | None) -> None:
    assert _item_label(line) == expected


REGULATION = """# 某某市科技创新促进条例

2020年1月1日 某某市第十五届人民代表大会常务委员会第三次会议通过

第一编 总则

## 第一章 一般规定

第一条 为了促进科技创新，制定本条例。

第二条 有下列情形之一的，由市科学技术部门责令改正：
（一）弄虚作假的；
（二）侵占他人科技成果的；
1. 情节严重的，依法处理。

前款规定的情形，记入信用档案。

第二章 组织实施

本章所称组织实施，是指规划和经费的安排。

第一节 规划

第三条 市人民政府应当
制定科技创新规划，并组织实施。

第二节 经费
第四条 市财政应当保障科技经费。
"""


def test_parse_structure_hierarchy_paragraphs_and_items() -> None:
    reg = parse_structure(REGULATION)
    assert reg is not None
    assert [h.label for h in reg.headings] == ["第一编 总则", "第一章 一般规定", "第二章 组织实施", "第一节 规划", "第二节 经费"]
    assert [a.label for a in reg.articles] == ["第一条", "第二条", "第三条", "第四条"]
    first, second, third, fourth = reg.articles
    assert (first.part, first.chapter, first.section) == ("第一编 总则", "第一章 一般规定", "")
    assert (third.chapter, third.section) == ("第二章 组织实施", "第一节 规划")
    assert fourth.section == "第二节 经费"
    assert [(b.kind, b.label, b.lead) for b in second.blocks] == [
        ("paragraph", "", None), ("item", "（一）", 0), ("item", "（二）", 0), ("item", "1.", 0), ("paragraph", "", None)
    ]
    assert second.lead_sentence == "第二条 有下列情形之一的，由市科学技术部门责令改正："
    # a line that ends no sentence continues on the next one (a PDF wraps long paragraphs)
    assert third.blocks[0].text == "第三条 市人民政府应当制定科技创新规划，并组织实施。"
    assert REGULATION[third.start : third.end].replace("\n", "") == third.text
    assert reg.preamble_end == REGULATION.index("第一编")
    # text after a heading that belongs to no article is kept, with its chapter
    [loose] = reg.loose
    assert REGULATION[loose.start : loose.end] == "本章所称组织实施，是指规划和经费的安排。"
    assert (loose.chapter, loose.section) == ("第二章 组织实施", "")
    chunks = chunk_document("reg.md", REGULATION, "某某市科技创新促进条例", 320, 80, regulation=reg)
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)
    [preface] = [c for c in chunks if "本章所称组织实施" in c.text]
    assert preface.meta == {"article": "", "article_no": 0, "chapter": "第二章 组织实施"}
    assert preface.section == "第二章 组织实施"
    assert [c.meta["article"] for c in chunks if c.meta["article"]] == ["第一条", "第二条", "第三条", "第四条"]


@pytest.mark.parametrize(
    "text",
    [
        REPORT.read_text(encoding="utf-8"),
        "第一条 只有两条。\n第二条 不算法规。\n",
        "会议指出，要落实第一条要求。\n第二条意见也要落实。\n第三条是什么？\n",
    ],
    ids=["kunming-report", "two-articles", "cross-references"],
)
def test_not_a_regulation(text: str) -> None:
    assert parse_structure(text) is None


def _policy(name: str) -> Path:
    hits = sorted(POLICIES.glob(f"{name}*"))
    assert len(hits) == 1, hits
    return hits[0]


@pytest.mark.parametrize("path", sorted(POLICIES.glob("*.md")), ids=lambda p: p.stem)
def test_every_article_of_the_shipped_texts(path: Path) -> None:
    """Every line that starts with "第…条 " is an article, numbered 1..N without a gap, and nothing else is."""
    text = path.read_text(encoding="utf-8")
    reg = parse_structure(text)
    assert reg is not None
    expected = re.findall(r"^(第[一二三四五六七八九十百零]+条)[ \u3000]", text, flags=re.M)
    assert [a.label for a in reg.articles] == expected
    assert [a.no for a in reg.articles] == list(range(1, len(expected) + 1))
    items = re.findall(r"^[（(][一二三四五六七八九十]+[）)]", text, flags=re.M)
    assert sum(b.kind == "item" for a in reg.articles for b in a.blocks) == len(items)
    for a in reg.articles:  # every block is a line of the file, as written
        for b in a.blocks:
            assert text[b.start : b.end] == b.text


@pytest.mark.parametrize(
    "name, article, chapter, items",
    [
        ("促进科技成果转化法", 45, "第四章 技术权益", 3),
        ("国家科学技术奖励条例(2024", 8, "第二章 国家科学技术奖的设置", 2),
        ("科学技术进步法", 105, "第十章 监督管理", 0),
        ("广州市青年创新创业促进条例", 4, "", 11),
    ],
)
def test_articles_of_shipped_texts(name: str, article: int, chapter: str, items: int) -> None:
    reg = parse_structure(_policy(name).read_text(encoding="utf-8"))
    assert reg is not None
    art = reg.article(article)
    assert art is not None and art.no == article
    assert art.chapter == chapter
    assert sum(b.kind == "item" for b in art.blocks) == items


def test_two_lists_in_one_article_have_their_own_leads() -> None:
    reg = parse_structure(_policy("广州市").read_text(encoding="utf-8"))
    assert reg is not None
    art = reg.article(4)
    assert art is not None
    leads = {art.blocks[b.lead].text for b in art.blocks if b.kind == "item" and b.lead is not None}
    assert leads == {"全体成员会议负责研究、协调青年创新创业工作中的下列事项：", "共产主义青年团委员会应当履行下列职责："}


# --- header metadata --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, expected",
    [
        ("2002年6月29日 第九届全国人民代表大会常务委员会第二十八次会议通过",
         [("adopted", "2002-06-29", "全国人民代表大会常务委员会")]),
        ("2015年8月29日 第十二届全国人民代表大会常务委员会第十六次会议《关于修改<中华人民共和国促进科技成果转化法>的决定》修正",
         [("amended", "2015-08-29", "全国人民代表大会常务委员会")]),
        ("1999年5月23日 中华人民共和国国务院令第265号发布", [("promulgated", "1999-05-23", "国务院")]),
        ("2024年5月26日 《国务院关于修改〈国家科学技术奖励条例〉的决定》第四次修订）", [("revised", "2024-05-26", "国务院")]),
        ("2022年11月25日 广州市第十六届人民代表大会常务委员会第八次会议通过\n"
         "2023年1月9日 广东省第十三届人民代表大会常务委员会第四十八次会议批准）",
         [("adopted", "2022-11-25", "广州市人民代表大会常务委员会"), ("approved", "2023-01-09", "广东省人民代表大会常务委员会")]),
        ("2024年1月25日 北京市第十六届人民代表大会第二次会议通过", [("adopted", "2024-01-25", "北京市人民代表大会")]),
        ("（2002年6月29日第九届全国人民代表大会常务委员会第二十八次会议通过 根据2017年9月1日第十二届全国人民代表大会常务委员会第二十九次会议修订）",
         [("adopted", "2002-06-29", "全国人民代表大会常务委员会"), ("revised", "2017-09-01", "全国人民代表大会常务委员会")]),
        ("（2016年1月29日 国科发火〔2016〕32号）", [("promulgated", "2016-01-29", None)]),
        ("2016年2月1日公布 自2016年3月1日起施行", [("promulgated", "2016-02-01", None), ("effective", "2016-03-01", None)]),
        ("2021年3月5日 昆明市科学技术局印发", [("promulgated", "2021-03-05", None)]),
        ("- 时间:2024-09-23", []),  # a date line, not an event
        ("2022年11月25日 廣州市第十六屆人民代表大會常務委員會第八次會議通過",  # Traditional
         [("adopted", "2022-11-25", "广州市人民代表大会常务委员会")]),
    ],
)
def test_header_events(header: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert [(e.type, e.date, e.body) for e, _ in header_events(header)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("科技部 财政部 国家税务总局关于修订印发《高新技术企业认定管理办法》的通知 国科发火〔2016〕32号", ["国科发火〔2016〕32号"]),
        ("云政办发[2023]15号", ["云政办发[2023]15号"]),
        ("京政发（2019）第 7 号", ["京政发(2019)第7号"]),
        ("中华人民共和国国务院令第731号第三次修订", ["中华人民共和国国务院令第731号"]),
        ("北京市人民政府令第300号", ["北京市人民政府令第300号"]),
        ("2024年全市技术合同成交额达到300亿元", []),
    ],
)
def test_document_numbers(text: str, expected: list[str]) -> None:
    assert doc_numbers(text) == expected


@pytest.mark.parametrize(
    "title, issuer, is_regulation, doc_number, has_source, kind",
    [
        ("中华人民共和国促进科技成果转化法", "全国人民代表大会常务委员会", True, None, False, "law"),
        ("中华人民共和国科学技术进步法", None, True, None, False, "law"),
        ("国家科学技术奖励条例", "国务院", True, "国务院令第731号", False, "administrative_regulation"),
        ("浙江省促进科技成果转化条例", "浙江省人民代表大会常务委员会", True, None, False, "local_regulation"),
        ("广州市青年创新创业促进条例", "广州市人民代表大会常务委员会", True, None, False, "local_regulation"),
        ("北京国际科技创新中心建设条例", "北京市人民代表大会", True, None, False, "local_regulation"),
        ("高新技术企业认定管理办法", "科技部", True, "国科发火〔2016〕32号", False, "normative_document"),
        ("昆明市科技计划项目管理办法", "昆明市科学技术局", True, None, False, "normative_document"),
        ("关于开展2025年科技计划项目申报工作的通知", "昆明市科学技术局", False, None, False, "notice"),
        ("科技部关于印发《科技型中小企业评价办法》的通知", "科技部", True, "国科发政〔2017〕115号", False, "notice"),
        ("2023年昆明市科技工作总结", None, False, None, False, "report"),
        ("昆明市2023年国民经济和社会发展统计公报", None, False, None, True, "report"),
        ("昆明深入实施科技创新赋能高质量发展“七大工程”", None, False, None, True, "news"),
        ("关于加快科技成果转化的若干措施", "云南省人民政府", False, "云政发〔2022〕12号", False, "normative_document"),
        ("中華人民共和國促進科技成果轉化法", None, True, None, False, "law"),
        ("廣州市青年創新創業促進條例", None, True, None, False, "local_regulation"),
    ],
)
def test_kind(title: str, issuer: str | None, is_regulation: bool, doc_number: str | None, has_source: bool, kind: str) -> None:
    assert kind_of(title, issuer, is_regulation, doc_number, has_source) == kind


@pytest.mark.parametrize(
    "issuer, title, expected",
    [
        ("全国人民代表大会常务委员会", "中华人民共和国促进科技成果转化法", ("national", None)),
        ("国务院", "国家科学技术奖励条例", ("national", None)),
        ("科学技术部", "科技型中小企业评价办法", ("national", None)),
        ("浙江省人民代表大会常务委员会", "浙江省促进科技成果转化条例", ("浙江省", "浙江省")),
        ("广州市人民代表大会常务委员会", "广州市青年创新创业促进条例", ("广州市", "广东省")),
        ("北京市人民代表大会", "北京国际科技创新中心建设条例", ("北京市", "北京市")),
        ("昆明市科学技术局", "昆明市科技计划项目管理办法", ("昆明市", "云南省")),
        ("宁波市人民政府", "宁波市科技创新券管理办法", ("宁波市", "浙江省")),
        (None, "河南省促进高新技术产业发展条例", ("河南省", "河南省")),
        (None, "深圳经济特区科技创新条例", ("深圳市", "广东省")),
        (None, "中华人民共和国中小企业促进法", ("national", None)),
        (None, "关于印发北京市科技计划管理办法的通知", ("national", None)),  # the place must open the title
        ("廣州市人民代表大會常務委員會", "廣州市青年創新創業促進條例", ("广州市", "广东省")),
    ],
)
def test_jurisdiction(issuer: str | None, title: str, expected: tuple[str, str | None]) -> None:
    assert jurisdiction_of(issuer, title) == expected


#: checked by hand against the header lines and last articles of each file
SHIPPED_META = [
    ("中小企业促进法", "law", "全国人民代表大会常务委员会", None, "national", "2017-09-01", "2018-01-01"),
    ("促进科技成果转化法", "law", "全国人民代表大会常务委员会", None, "national", "2015-08-29", None),
    ("北京国际科技创新中心建设条例", "local_regulation", "北京市人民代表大会", None, "北京市", "2024-01-25", "2024-03-01"),
    ("北京市促进科技成果转化条例", "local_regulation", "北京市人民代表大会常务委员会", None, "北京市", "2019-11-27", "2020-01-01"),
    ("国家科学技术奖励条例(2020", "administrative_regulation", "国务院", "中华人民共和国国务院令第731号", "national", "2020-10-07", "2020-12-01"),
    ("国家科学技术奖励条例(2024", "administrative_regulation", "国务院", None, "national", "2024-05-26", None),
    ("广州市青年创新创业促进条例", "local_regulation", "广州市人民代表大会常务委员会", None, "广州市", "2023-01-09", "2023-03-01"),
    ("河南省促进高新技术产业发展条例", "local_regulation", "河南省人民代表大会常务委员会", None, "河南省", "2011-06-10", "2011-08-01"),
    ("浙江省促进科技成果转化条例", "local_regulation", "浙江省人民代表大会常务委员会", None, "浙江省", "2021-09-29", None),
    ("科学技术进步法", "law", "全国人民代表大会常务委员会", None, "national", "2021-12-24", "2022-01-01"),
]


@pytest.mark.parametrize("name, kind, issuer, doc_number, jurisdiction, version_date, effective", SHIPPED_META, ids=[m[0] for m in SHIPPED_META])
def test_metadata_of_shipped_texts(
    name: str, kind: str, issuer: str, doc_number: str | None, jurisdiction: str, version_date: str, effective: str | None
) -> None:
    path = _policy(name)
    text = path.read_text(encoding="utf-8").strip()
    header = parse_header(text)
    assert header.title
    meta = document_meta(text, header.title, parse_structure(text), path.name, header.date, bool(header.source))
    assert (meta.kind, meta.issuer, meta.doc_number, meta.jurisdiction) == (kind, issuer, doc_number, jurisdiction)
    assert (meta.version_date, meta.effective_date) == (version_date, effective)
    assert meta.events and [e.date for e in meta.events] == sorted(e.date for e in meta.events)


def test_zhejiang_events_include_adoption_revision_amendment_and_effect() -> None:
    text = _policy("浙江省").read_text(encoding="utf-8").strip()
    meta = document_meta(text, "浙江省促进科技成果转化条例", parse_structure(text), "")
    assert [e.to_json() for e in meta.events] == [
        {"type": "adopted", "date": "2004-01-16"},
        {"type": "revised", "date": "2017-03-30"},
        {"type": "effective", "date": "2017-10-01"},
        {"type": "amended", "date": "2021-09-29"},
    ]
    assert meta.province == "浙江省"


@pytest.mark.parametrize(
    "text, file_name, expected",
    [
        ("关于某事的通知\n各单位：\n请按时报送。\n昆明市科学技术局\n2024年3月5日", "notice.txt", "2024-03-05"),  # dateline
        ("关于某事的通知\n各单位：\n请按时报送。", "notice(2023-07-01).txt", "2023-07-01"),  # file name
        ("关于某事的通知\n- 发布时间:2022-01-02\n请按时报送。\n2024年3月5日", "n(2023-07-01).txt", "2022-01-02"),  # header first
    ],
)
def test_version_date_without_events(text: str, file_name: str, expected: str) -> None:
    header = parse_header(text)
    meta = document_meta(text, header.title or "", None, file_name, header.date, bool(header.source))
    assert meta.version_date == expected
    assert meta.kind == "notice"


def test_issuer_from_a_closing_signature() -> None:
    text = "关于开展科技活动周的通知\n各县区科技局：\n现将有关事项通知如下。\n昆明市科学技术局\n2024年3月5日"
    meta = document_meta(text, "关于开展科技活动周的通知", None, "n.txt")
    assert (meta.issuer, meta.jurisdiction, meta.province) == ("昆明市科学技术局", "昆明市", "云南省")


def test_report_keeps_its_header_and_has_no_events() -> None:
    text = REPORT.read_text(encoding="utf-8").strip()
    header = parse_header(text)
    meta = document_meta(text, header.title or "", parse_structure(text), REPORT.name, header.date, bool(header.source))
    assert meta.kind == "news"
    assert meta.events == ()
    assert meta.version_date == header.date == "2024-09-23"


# --- never a crash on odd text -------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st  # noqa: E402

_ODD = st.lists(
    st.sampled_from(list("第条章节编之一二三四五六七八九十百千零〇两0123456789年月日（）()、.．：:。；，\n #\u3000\u200b")
                    + ["通过", "修订", "施行", "人民代表大会常务委员会", "国务院令", "〔2016〕", "号", "省", "市", "北京", "起施行"]),
    max_size=200,
).map("".join)


@hsettings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_ODD)
def test_property_odd_text_never_raises(text: str) -> None:
    reg = parse_structure(text, min_articles=1)
    if reg is not None:
        assert [a.no for a in reg.articles] == sorted(a.no for a in reg.articles)
    meta = document_meta(text, text.splitlines()[0] if text.strip() else "", reg, "f.txt")
    assert meta.kind in ("law", "administrative_regulation", "local_regulation", "normative_document", "notice", "report", "news")
