"""The check: each condition of a notice met, not met or unknown for one profile, with its reason.

Honest by construction: a test is ``met`` only when every value the profile allows satisfies it (an
approximate 约5000万 is an interval; a year without a month is the whole year), ``not_met`` only when
none does, and ``unknown`` otherwise, including whenever the profile does not state the fact. What the
profile implies is computed and shown (200万 ÷ 5000万 = 4 % ≥ 3 %; 呈贡区 is in 昆明市; founded in 2019 →
at least 5 full years in 2025). ``eligible`` is true only when every condition is met, false when any
is not met, otherwise null. Deterministic: no model is asked anything.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from ingest.divisions import Division
from ingest.facts import resolved_years
from ingest.settings import Settings

from assistant.eligibility.conditions import Condition, Requirement
from assistant.eligibility.profile import Fact, Interval, Profile

Status = Literal["met", "not_met", "unknown"]
#: the default of ``Settings.eligibility_cert_valid_years``, for callers without settings (one source)
_VALID_YEARS: int = Settings.model_fields["eligibility_cert_valid_years"].default
_EPS = 1e-9


@dataclass
class Outcome:
    status: Status
    reason: str
    facts: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass
class CheckedCondition:
    condition: Condition
    status: Status
    reason: str
    facts: list[str]
    missing: list[str]

    def to_json(self, doc_id: str = "") -> dict[str, Any]:
        c = self.condition
        return {
            "n": c.n, "text": c.text, "tests": c.test_kinds, "status": self.status, "reason": self.reason,
            "facts": self.facts, "citation": {"doc_id": doc_id, "article": c.article, "text": c.text},
        }


@dataclass
class Checklist:
    doc_id: str
    title: str
    eligible: bool | None
    conditions: list[CheckedCondition]
    missing_facts: list[str]

    def count(self, status: Status) -> int:
        return sum(1 for c in self.conditions if c.status == status)

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id, "title": self.title, "eligible": self.eligible,
            "conditions": [c.to_json(self.doc_id) for c in self.conditions], "missing_facts": self.missing_facts,
        }


# --- formatting ---------------------------------------------------------------------------------------


def _num(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def fmt_money(v: float) -> str:
    """2e6 → 200万元, 2.5e8 → 2.5亿元, 8000 → 8000元."""
    if v >= 1e8:
        return f"{_num(v / 1e8)}亿元"
    if v >= 1e4:
        return f"{_num(v / 1e4)}万元"
    return f"{_num(v)}元"


def _fmt(iv: Interval, unit: str) -> str:
    f = fmt_money if unit == "元" else (lambda v: f"{_num(v)}{unit}")
    lo, hi = iv
    if lo == hi:
        return f(lo)
    if hi == math.inf:
        return f"至少{f(lo)}"
    if lo <= 0:
        return f"至多{f(hi)}"
    return f"{f(lo)}～{f(hi)}"


_BOUND_WORDS = {"at_least": "不低于", "more_than": "高于", "at_most": "不超过", "less_than": "低于", "exact": "等于"}


def _requirement(t: Requirement) -> str:
    value = fmt_money(t.value or 0) if t.unit == "元" else f"{_num(t.value or 0)}{t.unit}"
    return f"{_BOUND_WORDS.get(t.bound or 'exact', '')}{value}"


def satisfies(iv: Interval, bound: str, x: float) -> bool | None:
    """Whether every value in ``iv`` meets ``bound x`` (True), none does (False), or some do (None)."""
    lo, hi = iv
    tol = _EPS * max(1.0, abs(x))
    if bound == "at_least":
        return True if lo >= x - tol else False if hi < x - tol else None
    if bound == "more_than":
        return True if lo > x + tol else False if hi <= x + tol else None
    if bound == "at_most":
        return True if hi <= x + tol else False if lo > x + tol else None
    if bound == "less_than":
        return True if hi < x - tol else False if lo >= x - tol else None
    if abs(lo - x) <= tol and abs(hi - x) <= tol:
        return True
    return False if hi < x - tol or lo > x + tol else None


def _ratio(a: Interval, b: Interval) -> Interval | None:
    if b[1] <= 0:
        return None
    return (a[0] / b[1] * 100, (a[1] / b[0] * 100) if b[0] > 0 else math.inf)


def _times(ratio: Interval, b: Interval) -> Interval:
    return (ratio[0] * b[0] / 100, ratio[1] * b[1] / 100)


def _verdict(ok: bool | None, met: str, not_met: str, unknown: str, facts: list[str], missing: str) -> Outcome:
    if ok is True:
        return Outcome("met", met, facts)
    if ok is False:
        return Outcome("not_met", not_met, facts)
    return Outcome("unknown", unknown, facts, [missing])


# --- one test ------------------------------------------------------------------------------------------

_LABELS = {
    "revenue": "上年度营业收入", "rd_spending": "上年度研发投入", "rd_ratio": "研发投入占营业收入的比例",
    "staff": "职工总数", "rd_staff": "研发（科技）人员数", "rd_staff_share": "研发（科技）人员占职工总数的比例",
}


_FISCAL_YEAR = re.compile(r"(?:近|上|最近)一个?(?:会计|财务|纳税)?年度")


def figure_years(text: str, year: int | None) -> set[str]:
    """The years a figure's clause says it is of (上年度, 近一个会计年度 → the notice's year − 1; 2024年度),
    against the notice's year; empty when it names none."""
    return years_named(_FISCAL_YEAR.sub("上年度", text), year)


def years_named(text: str, year: int | None) -> set[str]:
    """Years a clause names: written with 年 (2024年, not the 2000 of 2000万元) or relative (去年, 上年度)."""
    written = set(re.findall(r"(?<!\d)((?:19|20)\d{2})\s*年", text))
    return written | resolved_years(re.sub(r"\d", "", text), year) if text else set()


def _figure(t: Requirement, p: Profile, year: int | None = None) -> Outcome:
    """Revenue, R&D spending and its share, staff and the R&D staff's share: stated or implied."""
    name = _LABELS[t.kind]
    key = {"rd_staff_share": "rd_staff_ratio"}.get(t.kind, t.kind)
    facts: list[str] = []
    iv: Interval | None = None
    how = ""

    def f(k: str) -> Fact | None:
        return p.get(k + "_multi_year") if t.multi_year else p.get(k)

    direct = f(key)
    if direct is not None:
        iv, facts = direct.value, [direct.evidence]
    elif t.kind in ("rd_ratio", "rd_staff_share"):
        a, b = (f("rd_spending"), f("revenue")) if t.kind == "rd_ratio" else (f("rd_staff"), f("staff"))
        if a is not None and b is not None:
            iv = _ratio(a.value, b.value)
            unit = "元" if t.kind == "rd_ratio" else "人"
            how = f"（{_fmt(a.value, unit)} ÷ {_fmt(b.value, unit)}）"
            facts = [a.evidence, b.evidence]
    elif t.kind in ("rd_spending", "rd_staff"):
        r, b = (f("rd_ratio"), f("revenue")) if t.kind == "rd_spending" else (f("rd_staff_ratio"), f("staff"))
        if r is not None and b is not None:
            iv = _times(r.value, b.value)
            unit = "元" if t.kind == "rd_spending" else "人"
            how = f"（{_fmt(b.value, unit)} × {_fmt(r.value, '%')}）"
            facts = [r.evidence, b.evidence]
    if iv is None:
        other = p.get(key + ("" if t.multi_year else "_multi_year"))
        if other is not None:
            given, needed = ("上年度", "多年累计") if t.multi_year else ("多年累计", "上年度")
            return Outcome("unknown", f"资料给出的是{given}数字（{other.evidence}），不能说明{needed}的{name}", [other.evidence], [name])
        return Outcome("unknown", f"资料未说明{name}", [], [name])
    unit = {"rd_ratio": "%", "rd_staff_share": "%", "revenue": "元", "rd_spending": "元"}.get(t.kind, "人")
    wanted = figure_years(t.period, year)
    for evidence in facts:
        given = figure_years(evidence, year)
        if wanted and given and not wanted & given:
            return Outcome("unknown", f"资料给出的是{'、'.join(sorted(given))}年的数字（{evidence}），条件要求{'、'.join(sorted(wanted))}年的{name}",
                           [evidence], [f"{'、'.join(sorted(wanted))}年的{name}"])
    stated = f"{name}{_fmt(iv, unit)}{how}"
    ok = satisfies(iv, t.bound or "exact", t.value or 0.0)
    req = _requirement(t)
    return _verdict(ok, f"{stated}，{req}", f"{stated}，未达到{req}的要求", f"{stated}，不能确定是否{req}", facts, name)


def _within(d: Division, target: Division) -> bool:
    return d.adcode == target.adcode or d.parent_city == target.name or d.province == target.name


def _place(t: Requirement, p: Profile) -> Outcome:
    target = t.place
    assert target is not None
    if not p.places:
        return Outcome("unknown", f"资料未说明注册地，条件要求在{target.name}注册", [], ["注册地（区县）"])
    fact = p.facts["registered_in"].evidence
    level = p.places[0].level
    specific = [d for d in p.places if d.level == level]
    inside = next((d for d in specific if _within(d, target)), None)
    if inside is not None:
        where = f"{inside.name}（{inside.parent_city or inside.province}）" if inside.level == "county" else inside.name
        return Outcome("met", f"注册地{where}在{target.name}范围内", [fact])
    if any(_within(target, d) for d in specific):  # 深圳市 for 南山区: finer than the profile says
        return Outcome("unknown", f"资料只说明在{p.places[0].name}，未说明是否在{target.name}", [fact], ["注册地（区县）"])
    d = p.places[0]
    where = f"{d.name}（{d.parent_city or d.province}）" if d.level == "county" and (d.parent_city or d.province) else d.name
    return Outcome("not_met", f"注册地{where}不在{target.name}", [fact])


def _age_range(founded: tuple[int, int | None], year: int, window: tuple[date, date] | None = None) -> tuple[int, int]:
    """Full years between a founding (a month, or the whole year) and any day applications are taken:
    the notice's window when it gives one, else any day of ``year``."""
    y, m = founded
    lo_f = date(y, m or 1, 1)
    hi_f = date(y, m or 12, 28 if (m or 12) == 2 else 30 if (m or 12) in (4, 6, 9, 11) else 31)
    first, last = window or (date(year, 1, 1), date(year, 12, 31))

    def years_between(a: date, b: date) -> int:
        return b.year - a.year - ((b.month, b.day) < (a.month, a.day))

    return max(0, years_between(hi_f, first)), max(0, years_between(lo_f, last))


def _founded(t: Requirement, p: Profile, year: int | None, window: tuple[date, date] | None = None) -> Outcome:
    fact = p.get("founded")
    offset = p.get("founded_offset")
    if fact is None and offset is not None and year is not None:
        fact = Fact((year + offset.value, None), offset.evidence)  # 去年成立 in a 2025 notice: 2024
    if t.before or t.after:
        cutoff = t.before or t.after
        assert cutoff is not None
        if fact is None:
            return Outcome("unknown", f"资料未说明成立日期，条件要求{t.written}", [], ["成立（注册）日期"])
        y, m = fact.value
        lo = date(y, m or 1, 1)
        hi = date(y, m or 12, 28) if (m or 12) == 2 else date(y, m or 12, 30 if (m or 12) in (4, 6, 9, 11) else 31)
        when = f"{y}年{m}月" if m else f"{y}年"
        ok = (hi <= cutoff if t.before else lo > cutoff) if (hi <= cutoff or lo > cutoff) else None
        return _verdict(ok, f"{when}成立，符合{t.written}", f"{when}成立，不符合{t.written}",
                        f"{when}成立，未说明月日，不能确定是否{t.written}", [fact.evidence], "成立（注册）的具体日期")
    if fact is not None:
        if year is None:
            return Outcome("unknown", "通知未写明申报年度，无法计算成立年限", [fact.evidence], ["申报年度"])
        lo, hi = _age_range(fact.value, year, window)
        y, m = fact.value
        when = f"{window[0].isoformat()}至{window[1].isoformat()}申报时" if window else f"{year}年申报时"
        stated = f"{y}年{str(m) + '月' if m else ''}成立，到{when}满{lo}年" if lo == hi else f"{y}年{str(m) + '月' if m else ''}成立，到{when}满{lo}至{hi}年"
        iv: Interval = (float(lo), float(hi))
        facts = [fact.evidence]
    elif p.get("age_years") is not None:
        a = p.get("age_years")
        assert a is not None
        iv, facts = a.value, [a.evidence]
        stated = f"成立{_fmt(iv, '年')}"
    else:
        return Outcome("unknown", f"资料未说明成立时间，条件要求成立{_requirement(t)}", [], ["成立（注册）时间"])
    ok = satisfies(iv, t.bound or "at_least", t.value or 0.0)
    req = f"成立{_requirement(t)}"
    return _verdict(ok, f"{stated}，符合{req}", f"{stated}，不符合{req}", f"{stated}，不能确定是否{req}（取决于月份）", facts, "成立（注册）的月份")


_CERT_ACT = re.compile(r"认定|入库|评价|获评|评为|通过|取得|获得|入选")
_FOUNDING = re.compile(r"成立|注册|设立|创办|创立")


def cert_year(evidence: str, year: int | None) -> int | None:
    """The year a profile says a certification was granted (2019年认定为…, 去年入库…; relative years
    against the notice's year), or None; a clause about the founding says nothing of the certification."""
    if not _CERT_ACT.search(evidence) or _FOUNDING.search(evidence):
        return None
    found = sorted(years_named(evidence, year))
    return int(found[-1]) if len(found) == 1 else None


def _cert(t: Requirement, p: Profile, year: int | None, valid_years: int) -> Outcome:
    fact = p.certs.get(t.cert or "")
    need = f"尚未认定为{t.cert}" if t.negated else f"{t.year}年的{t.cert}资格" if t.year else f"具有{t.cert}资格"
    if fact is None:
        return Outcome("unknown", f"资料未说明是否为{t.cert}，条件要求{need}", [], [f"是否为{t.cert}"])
    held = bool(fact.value)
    granted = cert_year(fact.evidence, year) if held else None
    if held and not t.negated and granted is not None:
        if t.year and granted != t.year:
            return Outcome("unknown", f"资料说明{granted}年为{t.cert}，条件要求{need}，请确认", [fact.evidence], [f"{t.year}年是否为{t.cert}"])
        if year is not None and year - granted >= valid_years:
            return Outcome("unknown", f"资料说明{granted}年认定为{t.cert}，按{valid_years}年有效期到{year}年可能已过期，请确认是否已重新认定",
                           [fact.evidence], [f"{t.cert}资格是否在有效期内"])
    ok = held != t.negated
    state = f"资料说明{str(granted) + '年' if granted else ''}{'已是' if held else '不是'}{t.cert}"
    return Outcome("met" if ok else "not_met", f"{state}，{'符合' if ok else '不符合'}{need}的要求", [fact.evidence])


_PATENTS = ("发明专利", "实用新型专利", "外观设计专利", "专利")


def _ip(t: Requirement, p: Profile) -> Outcome:
    kind = t.ip_kind or "total"
    label = "知识产权" if kind == "total" else kind
    zero = p.ip.get("total")
    if kind != "total" and zero is not None and zero.value == (0.0, 0.0):
        facts, iv = [zero.evidence], zero.value
    elif kind in p.ip:
        facts, iv = [p.ip[kind].evidence], p.ip[kind].value
    else:
        parts = [f for k, f in p.ip.items() if k != "total" and (kind == "total" or (kind == "专利" and k in _PATENTS))]
        if not parts:
            return Outcome("unknown", f"资料未说明{label}数量", [], [f"{label}数量"])
        iv = (sum(f.value[0] for f in parts), math.inf)  # other kinds may exist: a lower bound only
        facts = list(dict.fromkeys(f.evidence for f in parts))
    ok = satisfies(iv, t.bound or "at_least", t.value or 0.0)
    stated = f"{label}{_fmt(iv, '件')}"
    req = _requirement(t)
    return _verdict(ok, f"{stated}，{req}", f"{stated}，未达到{req}", f"{stated}，不能确定是否{req}", facts, f"{label}数量")


def _credit(t: Requirement, p: Profile) -> Outcome:
    lists = t.lists or ("信用",)
    names = "、".join("失信名单" if x == "失信" else "经营异常名录" if x == "经营异常" else "信用记录" for x in lists)
    bad = [p.credit_listed[k] for k in (*lists, "信用") if k in p.credit_listed]
    if bad:
        return Outcome("not_met", f"资料说明有不良信用记录（{bad[0].evidence}）", [bad[0].evidence])
    general = p.credit_clear.get("信用")
    if general is not None:
        return Outcome("met", "资料说明信用良好、无不良记录", [general.evidence])
    clear = [k for k in lists if k in p.credit_clear]
    if len(clear) == len(lists):
        return Outcome("met", f"资料说明未被列入{names}", [p.credit_clear[k].evidence for k in clear])
    left = "、".join("失信名单" if x == "失信" else "经营异常名录" if x == "经营异常" else "信用记录" for x in lists if x not in clear)
    facts = [p.credit_clear[k].evidence for k in clear]
    return Outcome("unknown", f"资料未说明是否被列入{left}", facts, [f"信用记录（{left}）"])


def run_test(t: Requirement, p: Profile, condition: Condition, year: int | None, valid_years: int = _VALID_YEARS,
             window: tuple[date, date] | None = None) -> Outcome:
    """One test of one condition against the profile."""
    if t.kind == "registration_place":
        return _place(t, p)
    if t.kind == "legal_person":
        fact = p.get("legal_person")
        if fact is None:
            return Outcome("unknown", "资料未说明是否具有独立法人资格", [], ["是否具有独立法人资格"])
        return Outcome("met", "资料说明具有独立法人资格", [fact.evidence]) if fact.value else Outcome(
            "not_met", f"资料说明不具有独立法人资格（{fact.evidence}）", [fact.evidence])
    if t.kind == "org_kind":
        fact = p.get("org_kind")
        kinds = "、".join(t.org_kinds)
        if fact is None:
            return Outcome("unknown", f"资料未说明单位类型，条件限于{kinds}", [], ["单位类型"])
        ok = fact.value in t.org_kinds
        return Outcome("met" if ok else "not_met", f"单位类型为{fact.value}，{'属于' if ok else '不属于'}{kinds}", [fact.evidence])
    if t.kind == "founded":
        return _founded(t, p, year, window)
    if t.kind in _LABELS:
        return _figure(t, p, year)
    if t.kind == "certification":
        return _cert(t, p, year, valid_years)
    if t.kind == "ip":
        return _ip(t, p)
    if t.kind == "credit":
        return _credit(t, p)
    return Outcome("unknown", "这一条资料无法判断，请对照原文自行确认", [], [f"第{condition.n}项：{condition.text}"])


def check_condition(c: Condition, p: Profile, year: int | None, valid_years: int = _VALID_YEARS,
                    window: tuple[date, date] | None = None) -> CheckedCondition:
    """A condition's status from its tests: not met if any is, met if all are, else unknown
    (``valid_years``: how long a certification lasts, ``Settings.eligibility_cert_valid_years``)."""
    outcomes = [run_test(t, p, c, year, valid_years, window) for t in c.tests]
    bad = [o for o in outcomes if o.status == "not_met"]
    unknown = [o for o in outcomes if o.status == "unknown"]
    status: Status = "not_met" if bad else "unknown" if unknown else "met"
    shown = bad or unknown or outcomes
    reason = "；".join(dict.fromkeys(o.reason for o in shown)) + "。"
    facts = list(dict.fromkeys(f for o in outcomes for f in o.facts))
    missing = list(dict.fromkeys(m for o in unknown for m in o.missing))
    return CheckedCondition(c, status, reason, facts, missing)


def eligibility(statuses: list[Status]) -> bool | None:
    """True only when every condition is met, False when any is not, else None (confirm the unknowns)."""
    if any(s == "not_met" for s in statuses):
        return False
    if statuses and all(s == "met" for s in statuses):
        return True
    return None


def check(conditions: list[Condition], profile: Profile, year: int | None, doc_id: str = "", title: str = "",
          valid_years: int = _VALID_YEARS, window: tuple[date, date] | None = None) -> Checklist:
    """The checklist of a document's conditions for one profile (``window``: the days the notice takes
    applications, :func:`assistant.eligibility.conditions.application_window`)."""
    checked = [check_condition(c, profile, year, valid_years, window) for c in conditions]
    missing = list(dict.fromkeys(m for c in checked for m in c.missing))
    return Checklist(doc_id, title, eligibility([c.status for c in checked]), checked, missing)
