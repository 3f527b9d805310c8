"""The conditions a notice, guideline or regulation sets for applicants, and what each one tests.

Where they are: the enumerated items ((一), 1., items run together on one line, rows of a pipe table
or of a table as :func:`ingest.tables.render` writes it) under a heading or lead of conditions
(申报条件, 申请条件, 认定条件, 支持对象, "应当具备下列条件：", …); when a document enumerates none,
the requirement sentences (须 / 应当 / 需 / 不低于 / 不超过 / 满…年 / 具有…资格 / 在…注册) of those
sections, or, without such a section, of the whole text when they speak of the applicant. Items found
under a conditions heading win over sentences elsewhere: "申报单位须对材料的真实性负责" in a materials
section is an obligation, not a condition of eligibility.

What a condition tests is read with the text-facts layer: its bounds (不低于3% is at least 3 %) from
:func:`ingest.facts.quantities`, its places from :mod:`ingest.divisions`, and the attribute each bound
is about from the clause it sits in (:mod:`assistant.eligibility.terms`). A condition that tests
nothing a profile can state is ``other``: the check then never calls it met.

Why hand-rolled: no library reads Chinese programme notices into conditions; the layout is that of
GB/T 9704 documents, which :mod:`ingest.structure` reads for regulations (its item labels are reused).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from ingest.divisions import Division, find_places, lookup
from ingest.facts import Quantity, quantities, years
from ingest.normalize import nfkc, to_simplified
from ingest.structure import _ITEM, _item_label

from assistant.eligibility import terms

RequirementKind = Literal[
    "registration_place", "legal_person", "org_kind", "founded", "revenue", "rd_spending", "rd_ratio",
    "staff", "rd_staff", "rd_staff_share", "certification", "ip", "credit", "other",
]

_COND_HEAD = re.compile(
    r"申报条件|申请条件|申领条件|认定条件|评价条件|入库条件|准入条件|基本条件|资格条件|支持对象|资助对象|补助对象|奖励对象|申报对象|申报主体|申请对象"
    r"|(?:应当|应|须|需|必须)(?:同时)?(?:具备|满足|符合)(?:下列|以下|如下)(?:全部|所有)?(?:条件|要求)"
)
_MD_HEAD = re.compile(r"^#{1,6}\s*")
_CN_HEAD = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_ARTICLE_HEAD = re.compile(r"^第[〇零一二三四五六七八九十百千两\d]+条")
_REQUIREMENT = re.compile(
    r"须|应当|需要|需|必须|不低于|不少于|不超过|不高于|不得|满[^，。；]{1,4}年|具有[^，。；]{1,16}资格|具备[^，。；]{1,16}资格|在[^，。；]{1,20}(?:注册|登记)"
)
_PREFERENCE = re.compile(r"优先(?:支持|推荐|考虑|立项|资助|安排)?")
_APPLICANT = re.compile(r"申报单位|申请单位|申领单位|申报企业|申请企业|申请人|申报人|申报主体|申请主体")
_CUTOFF = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(前|之前|以前|后|之后|以后)")
_HERE = re.compile(r"本(市|区|县|省)(?:行政区域|辖区|范围)?")
_REG_WORDS = re.compile(r"注册|登记|设立|成立|行政区域|辖区|境内|区域内|注册地|所在地|落户|迁入")


@dataclass(frozen=True)
class Requirement:
    """One thing a condition tests, with what a profile must show.

    ``bound``/``value``/``unit``: the requirement as written (at_least 3 %); ``place``: the division a
    registration must lie in; ``cert``/``negated``: a certification required (or excluded: 尚未认定为…);
    ``org_kinds``: who may apply; ``ip_kind``: ``total`` or one kind of IP; ``lists``: the credit
    registers named; ``before``/``after``: a founding-date cut-off; ``multi_year``: a figure over
    several years (近三年累计), which an annual figure cannot settle; ``year``: the year a
    certification must be of.
    """

    kind: RequirementKind
    bound: str | None = None
    value: float | None = None
    unit: str = ""
    written: str = ""
    place: Division | None = None
    cert: str | None = None
    negated: bool = False
    org_kinds: tuple[str, ...] = ()
    ip_kind: str | None = None
    lists: tuple[str, ...] = ()
    before: date | None = None
    after: date | None = None
    multi_year: bool = False
    year: int | None = None  # a certification of one year (2025年已通过科技型中小企业评价)
    period: str = ""  # the clause of a figure, whose year words (上年度, 2024年度) say which year it must be of


@dataclass(frozen=True)
class Condition:
    n: int
    text: str  # as written (original script), without its item label
    article: str  # where it is: 第二条（一）, 二、申报条件（三）, 一、申领条件 表第2项
    tests: tuple[Requirement, ...] = field(default_factory=tuple)

    @property
    def test_kinds(self) -> list[str]:
        return list(dict.fromkeys(t.kind for t in self.tests))

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "text": self.text, "article": self.article, "tests": self.test_kinds}


def simplified(text: str) -> str:
    """The form every matcher here reads: NFKC + Simplified script."""
    return to_simplified(nfkc(text))


# --- where the conditions are -----------------------------------------------------------------------


@dataclass
class _Piece:
    text: str
    article: str


def _heading_text(line: str) -> str | None:
    """The heading a line is (without #), or None: Markdown headings and 一、… lines short of a sentence."""
    s = line.strip()
    if _MD_HEAD.match(s):
        return _MD_HEAD.sub("", s).strip()
    if _CN_HEAD.match(s) and len(s) <= 30 and s[-1] not in "。；;，,":
        return s
    return None


def _item_heading(line: str) -> bool:
    """An item label followed by a short title ("（一）申报条件"), not a sentence."""
    label = _item_label(line)
    rest = _ITEM.sub("", line, count=1)
    return bool(label) and len(rest) <= 20 and not re.search(r"[。；;：:，,\d]", rest)


def _style(line: str) -> str:
    label = _item_label(line) or ""
    return "paren" if label.startswith("（") else "dot" if label else ""


def _table_rows(lines: list[str]) -> list[tuple[str, str]]:
    """(row label, condition text) of a pipe table: the column headed 条件/要求/内容 (else the longest)."""
    rows = [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in lines]
    rows = [r for r in rows if not all(re.fullmatch(r":?-{2,}:?", c) or not c for c in r)]
    if len(rows) < 2:
        return []
    head, body = rows[0], rows[1:]
    col = next((i for i, h in enumerate(head) if re.search(r"条件|要求|内容|标准", simplified(h))), None)
    if col is None:
        col = max(range(len(head)), key=lambda i: sum(len(r[i]) if i < len(r) else 0 for r in body))
    label_col = next((i for i, h in enumerate(head) if re.search(r"序号|编号|项目", simplified(h)) and i != col), None)
    out = []
    for k, r in enumerate(body, 1):
        if col < len(r) and r[col]:
            label = r[label_col] if label_col is not None and label_col < len(r) and r[label_col] else str(k)
            out.append((label, r[col]))
    return out


_RENDERED_CELL = re.compile(r"^(?P<row>[^｜：；]{1,40})｜(?P<col>[^：；]{1,30})：(?P<value>.+)$")


def _rendered_row(s: str, line: str) -> tuple[str, str] | None:
    """(row label, condition) of a table row rendered ``row｜column：value；…`` (:func:`ingest.tables.render`):
    the cell under a 条件/要求/内容 column, else the longest; None for any other line."""
    cells = [_RENDERED_CELL.match(part) for part in re.split(r"[；;]", line.rstrip("。"))]
    if not cells or not all(cells):
        return None
    row = cells[0].group("row").split("·")[0].strip()
    if not row.isdigit():
        return None  # rows of a 序号 table only: other tables are data, not conditions
    named = [c for c in cells if re.search(r"条件|要求|内容|标准", simplified(c.group("col")))]
    best = (named or sorted(cells, key=lambda c: -len(c.group("value"))))[0]
    return row, best.group("value").strip()


_INLINE_ITEM = re.compile(r"(?:^|(?<=[；;。：:]))\s*[（(]\s*([一二三四五六七八九十]+)\s*[)）]")


def _inline_items(line: str) -> list[tuple[str, str]]:
    """(label, text) of the items a line runs together after a sentence end or colon; the text before
    the first label has label ""."""
    marks = list(_INLINE_ITEM.finditer(line))
    out = [("", line[: marks[0].start()] if marks else line)]
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(line)
        out.append((f"（{m.group(1)}）", line[m.end() : end].strip()))
    return out


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.findall(r"[^。；;！？!?\n]+[。；;！？!?]?", text) if s.strip()]


def locate(text: str) -> list[_Piece]:
    """The condition texts of a document with where each is (see the module docstring for the order)."""
    items: list[_Piece] = []
    section_sentences: list[_Piece] = []
    in_section = False
    label = ""  # the heading or article the section is under
    current: _Piece | None = None
    table: list[str] = []
    section_style = ""  # the label style of an item-titled section ("（一）申报条件"): the next such title ends it

    def flush_table() -> None:
        nonlocal table
        for row, cell in _table_rows(table):
            items.append(_Piece(cell, f"{label} 表第{row}项".strip()))
        table = []

    for raw in text.split("\n"):
        line = raw.strip().strip("\u200b\ufeff")
        if not line:
            current = None
            continue
        s = simplified(line)
        if table and not line.startswith("|"):
            flush_table()
        heading = _heading_text(line)
        article = _ARTICLE_HEAD.match(s)
        item_head = _item_heading(line) and (not in_section or _style(line) == section_style)
        if heading is not None or article or item_head:
            current = None
            section_style = _style(line) if item_head else ""
            head_s = simplified(heading) if heading is not None else s
            if article and heading is None:
                # an article leads a list of conditions only with its first sentence ("申请单位应当具备下列
                # 条件："); one that mentions 申报条件 in passing ("合理设置申报条件") does not
                lead = re.match(r"[^。；;！？]*[：:]?", s[article.end():]).group(0)
                in_section = bool(_COND_HEAD.search(lead)) and (lead.endswith(("：", ":")) or bool(re.search(r"下列|以下|如下", lead)))
            else:
                in_section = bool(_COND_HEAD.search(head_s))
            label = (article.group(0) if article else (heading if heading is not None else line)).strip()
            if article and in_section:  # 第二条 申请单位应当具备下列条件：（一）…；（二）… on one line
                for item_label, body in _inline_items(line):
                    if item_label:
                        items.append(_Piece(body, f"{label}{item_label}"))
            continue
        if not in_section:
            continue
        if line.startswith("|"):
            table.append(line)
            current = None
            continue
        rendered = _rendered_row(s, line)
        if rendered is not None:  # a table row as ingest.tables renders .docx/.xlsx/PDF tables
            items.append(_Piece(rendered[1], f"{label} 表第{rendered[0]}项".strip()))
            current = None
            continue
        inline = _inline_items(line)
        if sum(1 for lab, _ in inline if lab) >= 2:  # （一）…；（二）… run together in one paragraph
            items.extend(_Piece(body, f"{label}{lab}") for lab, body in inline if lab)
            current = None
            continue
        item = _item_label(line)
        if item:
            current = _Piece(_ITEM.sub("", line, count=1).strip(), f"{label}{item}")
            items.append(current)
        elif current is not None and current.text and current.text[-1] not in "。；;":
            current.text += line  # a wrapped line of the same item
        else:
            current = None
            section_sentences.append(_Piece(line, label))
    if table:
        flush_table()
    if items:
        return items
    pieces = [
        _Piece(sent, p.article) for p in section_sentences for sent in _sentences(p.text)
        if _REQUIREMENT.search(simplified(sent)) and not _COND_HEAD.search(simplified(sent))
    ]
    if pieces:
        return pieces
    if section_sentences:
        return []
    return [
        _Piece(sent, "") for sent in _sentences(text)
        if _REQUIREMENT.search(simplified(sent)) and _APPLICANT.search(simplified(sent))
    ]


# --- what a condition tests ---------------------------------------------------------------------------


def _resolve(written: str, found: Division, context: list[Division]) -> Division:
    """One of several divisions sharing a name (南山区: 深圳 or 鹤岗): the one under a place the
    document (or profile) also names, else the table's first."""
    cands = lookup(written) or [found]
    names = {d.name for d in context}
    for d in cands:
        if d.parent_city in names or d.province in names:
            return d
    return found


def context_places(text: str) -> list[Division]:
    """The divisions a document's opening (title, issuer) names: what its unqualified names refer to."""
    return [d for _, d in find_places(simplified(text[:300]))]


def _clause_of(s: str, start: int) -> str:
    """The clause (between ，；、 and sentence ends) holding offset ``start`` of ``s``."""
    left = max(s.rfind(p, 0, start) for p in "，,；;。") + 1
    rights = [i for i in (s.find(p, start) for p in "，,；;。") if i >= 0]
    return s[left : min(rights) if rights else len(s)]


def _quantity_test(q: Quantity, clause: str) -> Requirement | None:
    """The attribute a bound is about, from the words of its clause."""
    if q.bound == "approx":
        return None
    multi = bool(terms.MULTI_YEAR_RE.search(clause))
    common = {"bound": q.bound, "value": q.value, "written": q.text, "multi_year": multi, "period": clause}
    money = q.kind == "money" or (q.kind == "number" and q.unit in ("万", "亿", "万亿", "千万", "百万"))
    if q.kind == "percent":
        if terms.RD_STAFF_RE.search(clause):
            return Requirement("rd_staff_share", unit="%", **common)
        if terms.RD_RE.search(clause):
            return Requirement("rd_ratio", unit="%", **common)
        return None
    if money:
        if terms.RD_RE.search(clause):
            return Requirement("rd_spending", unit="元", **common)
        if terms.REVENUE_RE.search(clause):
            return Requirement("revenue", unit="元", **common)
        return None
    if q.kind == "count" and q.unit in ("人", "名"):
        if terms.RD_STAFF_RE.search(clause):
            return Requirement("rd_staff", unit="人", **common)
        if terms.STAFF_RE.search(clause):
            return Requirement("staff", unit="人", **common)
        return None
    if q.kind == "count" and terms.IP_ANY_RE.search(clause):
        kinds = {terms.IP_OF[m.group(0)] for m in terms.IP_KIND_RE.finditer(clause)}
        if "知识产权" in clause or len(kinds) > 1:
            ip_kind = "total"
        elif kinds:
            ip_kind = kinds.pop()
        else:
            ip_kind = "专利" if "专利" in clause else "total"
        return Requirement("ip", unit="件", ip_kind=ip_kind, **common)
    if q.kind == "duration" and q.unit == "年" and terms.FOUNDED_RE.search(clause):
        return Requirement("founded", unit="年", **common)
    return None


def requirements_of(text: str, context: list[Division] | None = None) -> tuple[Requirement, ...]:
    """What one condition tests (``context``: the document's places, for names several places share)."""
    s = simplified(text)
    found: list[Requirement] = []
    places = find_places(s)
    if places and _REG_WORDS.search(s):
        written, div = max(places, key=lambda p: {"province": 0, "city": 1, "county": 2}[p[1].level])
        found.append(Requirement("registration_place", place=_resolve(written, div, (context or []) + [d for _, d in places]), written=written))
    elif (here := _HERE.search(s)) and _REG_WORDS.search(s):
        level = {"市": "city", "区": "county", "县": "county", "省": "province"}[here.group(1)]
        own = [d for d in context or [] if d.level == level] or [d for d in context or [] if level == "county" and d.level == "city"]
        if own:  # 在本市注册: the city the document's title or issuer names
            found.append(Requirement("registration_place", place=own[0], written=here.group(0)))
    if terms.LEGAL_RE.search(s):
        found.append(Requirement("legal_person", written="独立法人资格" if "独立法人" in s else "法人资格"))
    for m in _CUTOFF.finditer(s):
        if terms.FOUNDED_RE.search(s):
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            before = m.group(4) in ("前", "之前", "以前")
            found.append(Requirement("founded", before=d if before else None, after=None if before else d, written=m.group(0)))
    for m in terms.CERT_RE.finditer(s):
        clause_start = max(s.rfind(p, 0, m.start()) for p in "，,；;。") + 1
        negated = bool(terms.NEGATION_RE.search(s[max(clause_start, m.start() - 8) : m.start()]))
        written_years = sorted(years(_clause_of(s, m.start())))
        found.append(Requirement("certification", cert=terms.CERT_OF[m.group(0)], negated=negated, written=m.group(0),
                                 year=int(written_years[0]) if len(written_years) == 1 else None))
    bare = terms.CERT_RE.sub("", s).rstrip("。；;，,、 ")
    kinds = re.search(rf"(?:{terms.ORG_RE.pattern})(?:[、和或及与]+(?:其他|其它)?(?:{terms.ORG_RE.pattern}))*$", bare)
    if kinds:
        found.append(Requirement("org_kind", org_kinds=tuple(dict.fromkeys(terms.ORG_OF[k] for k in terms.ORG_RE.findall(kinds.group(0)))), written=kinds.group(0)))
    for q in quantities(s):
        t = _quantity_test(q, _clause_of(s, q.start))
        if t is not None:
            found.append(t)
    if terms.CREDIT_RE.search(s):
        lists = tuple(k for k, words in terms.CREDIT_LISTS.items() if any(w in s for w in words)) or ("信用",)
        found.append(Requirement("credit", lists=lists, written=s))
    return tuple(found) or (Requirement("other"),)


def extract_conditions(text: str, title: str = "") -> list[Condition]:
    """The conditions of a document's text, numbered in document order."""
    context = context_places(title + "\n" + text)
    out: list[Condition] = []
    for p in locate(text):
        body = p.text.strip().rstrip("；;")
        if not body or (_PREFERENCE.search(simplified(body)) and not _REQUIREMENT.search(simplified(body))):
            continue  # 同等条件下，高新技术企业优先支持: a preference, which no applicant must meet
        out.append(Condition(len(out) + 1, body, p.article, requirements_of(body, context)))
    return out


def notice_year(text: str, title: str = "", doc_date: str | None = None) -> int | None:
    """The year a notice applies to: the year its title names (2025年度), else the year of its date."""
    found = sorted(years(simplified(title or text.split("\n", 1)[0])))
    if found:
        return int(found[-1])
    if doc_date and re.match(r"\d{4}", doc_date):
        return int(doc_date[:4])
    found = sorted(years(simplified(text[:400])))
    return int(found[-1]) if found else None


_WINDOW_WORD = re.compile(r"(?:申报|申请|申领|受理|报送|网上申报)(?:时间|日期|期限)")
_DATE = r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_WINDOW = re.compile(_DATE + r"[^至到—\-~～]{0,12}?(?:至|到|—|-|~|～)\s*" + _DATE)


def application_window(text: str) -> tuple[date, date] | None:
    """The days applications are taken (申报时间为2024年12月2日至2025年1月10日), from the first date
    range within 80 characters after a 申报时间 / 申请时间 / 受理时间 word; None when the notice gives none."""
    s = simplified(text)
    for w in _WINDOW_WORD.finditer(s):
        m = _WINDOW.search(s[w.end() : w.end() + 80])
        if not m or not m.group(1):
            continue
        y1 = int(m.group(1))
        y2 = int(m.group(4)) if m.group(4) else y1 + (int(m.group(5)) < int(m.group(2)))  # 12月2日至1月10日
        try:
            start, end = date(y1, int(m.group(2)), int(m.group(3))), date(y2, int(m.group(5)), int(m.group(6)))
        except ValueError:
            continue
        if start <= end:
            return start, end
    return None
