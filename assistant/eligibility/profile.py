"""A company's facts, from the free text a user writes in the chat or from a JSON object.

"我们是2019年在昆明呈贡区注册的独立法人企业，上年度营业收入5000万元，研发投入200万元，职工120人，
其中研发人员15人，去年认定为高新技术企业" becomes: registered in 呈贡区 (昆明市, 云南省), a legal person,
an enterprise, founded 2019, revenue 5e7 元, R&D 2e6 元, 120 staff, 15 R&D staff, 高新技术企业.

Each fact keeps the words it was read from (``evidence``), so the check can say which facts it used.
Amounts, ratios and counts come from :func:`ingest.facts.quantities` (万/亿, 百分之…, Chinese numerals,
约/多/以上 as bounds), places from :mod:`ingest.divisions`, years from :func:`ingest.facts.years`. A
figure over several years (近三年累计600万元) is kept apart: it does not say what last year's was.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from ingest.divisions import Division, find_places, lookup
from ingest.facts import Quantity, quantities

from assistant.eligibility import terms
from assistant.eligibility.conditions import simplified

Interval = tuple[float, float]


class ProfileError(ValueError):
    """A profile that cannot be read (bad JSON, an unknown key, a value of the wrong kind)."""


@dataclass
class Fact:
    value: Any
    evidence: str  # the words it was read from (or "key: value" of a JSON profile)


@dataclass
class Profile:
    """What a profile states; a missing key is something the profile does not say."""

    facts: dict[str, Fact] = field(default_factory=dict)
    places: list[Division] = field(default_factory=list)  # most specific first
    certs: dict[str, Fact] = field(default_factory=dict)  # certification → Fact(True | False)
    ip: dict[str, Fact] = field(default_factory=dict)  # kind (or "total") → Fact(Interval)
    credit_clear: dict[str, Fact] = field(default_factory=dict)  # register (失信/经营异常/信用) → Fact
    credit_listed: dict[str, Fact] = field(default_factory=dict)
    text: str = ""

    def get(self, key: str) -> Fact | None:
        return self.facts.get(key)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: f.value for k, f in self.facts.items()}
        if self.places:
            out["registered_in"] = [d.name for d in self.places]
        out.update({f"cert:{k}": f.value for k, f in self.certs.items()})
        out.update({f"ip:{k}": f.value for k, f in self.ip.items()})
        return out


def interval(q: Quantity, tolerance: float) -> Interval:
    """The values a quantity as written allows: 5000万 is [5e7, 5e7], 5000多万 is (5e7, ∞), 约5000万
    is 5e7 ± ``tolerance``, 5000万以下 is [0, 5e7]."""
    v = q.value
    if q.bound == "exact":
        return (v, v)
    if q.bound in ("at_least", "more_than"):
        return (v, math.inf)
    if q.bound in ("at_most", "less_than"):
        return (0.0, v)
    return (round(v * (1 - tolerance), 6), round(v * (1 + tolerance), 6))


def _money(q: Quantity) -> bool:
    return q.kind == "money" or (q.kind == "number" and q.unit in ("万", "亿", "万亿", "千万", "百万"))


_YEAR_MONTH = re.compile(r"((?:19|20)\d{2})\s*(?:年(?:\s*(\d{1,2})\s*月)?|[-/.](\d{1,2})(?!\d))")
_REL_OFFSET = {"今年": 0, "当年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2}
_REL_FOUNDED = re.compile(r"(今年|当年|本年|去年|上年|前年)")
_LEGAL_NO = re.compile(r"(?:非|不具有|不具备|没有|无)独立?法人|分公司|分支机构|办事处|分厂")
_CREDIT_GOOD = re.compile(r"信用(?:状况|记录)?良好|无不良信用|信用(?:状况|记录)?(?:正常|优良)")


def _place_facts(s: str) -> list[Division]:
    """The places a profile names, most specific first; a shared name (南山区) resolved by the city
    or province the profile also names."""
    found = find_places(s)
    named = {d.name for _, d in found}
    out: list[Division] = []
    for written, d in found:
        cands = lookup(written) or [d]
        chosen = next((c for c in cands if c.parent_city in named or c.province in named), None)
        for c in [chosen] if chosen else cands:
            if c not in out:
                out.append(c)
    order = {"county": 0, "city": 1, "province": 2}
    return sorted(out, key=lambda d: order[d.level])


def parse_text(text: str, tolerance: float = 0.1) -> Profile:
    """The facts a free-text profile states (any script)."""
    s = simplified(text)
    p = Profile(text=text)
    p.places = _place_facts(s)
    clauses = terms.split_clauses(s)
    if p.places:
        d = p.places[0]
        said = next((c for c in clauses if d.name in c or d.short in c), d.name)  # the user's own words
        p.facts["registered_in"] = Fact(d.name, said)
    prev_subject = ""
    for clause in clauses:
        _legal(clause, p)
        _org_kind(clause, p)
        _founded(clause, p)
        _certs(clause, p)
        _credit(clause, p)
        prev_subject = _figures(clause, p, prev_subject, tolerance)
    return p


def _legal(clause: str, p: Profile) -> None:
    if _LEGAL_NO.search(clause):
        p.facts["legal_person"] = Fact(False, clause)
    elif terms.LEGAL_RE.search(clause) and "legal_person" not in p.facts:
        p.facts["legal_person"] = Fact(True, clause)


def _org_kind(clause: str, p: Profile) -> None:
    if "org_kind" in p.facts:
        return
    bare = terms.CERT_RE.sub("", clause)
    m = terms.ORG_RE.search(bare)
    if m:
        p.facts["org_kind"] = Fact(terms.ORG_OF[m.group(0)], clause)


def _founded(clause: str, p: Profile) -> None:
    if not terms.FOUNDED_RE.search(clause) or "founded" in p.facts:
        return
    m = _YEAR_MONTH.search(clause)
    if m:
        month = m.group(2) or m.group(3)
        p.facts["founded"] = Fact((int(m.group(1)), int(month) if month else None), clause)
        return
    rel = _REL_FOUNDED.search(clause)
    if rel:  # 去年成立: resolved against the notice's year by the check (the profile has no date of its own)
        p.facts["founded_offset"] = Fact(_REL_OFFSET[rel.group(1)], clause)
        return
    for q in quantities(clause):
        if q.kind == "duration" and q.unit == "年":
            p.facts["age_years"] = Fact((q.value, q.value) if q.bound == "exact" else (q.value, math.inf), clause)
            return


def _certs(clause: str, p: Profile) -> None:
    for m in terms.CERT_RE.finditer(clause):
        negated = bool(terms.NEGATION_RE.search(clause[max(0, m.start() - 8) : m.start()]))
        p.certs.setdefault(terms.CERT_OF[m.group(0)], Fact(not negated, clause))


def _credit(clause: str, p: Profile) -> None:
    if _CREDIT_GOOD.search(clause):
        p.credit_clear["信用"] = Fact(True, clause)
        return
    named = [k for k, ws in terms.CREDIT_LISTS.items() if any(w in clause for w in ws)]
    if not named:
        return
    clear = bool(re.search(r"(?:无|没有|未|从未|不存在|未曾)[^，。；]{0,6}(?:失信|经营异常|列入)", clause))
    for k in named:
        (p.credit_clear if clear else p.credit_listed)[k] = Fact(clear, clause)


def _figures(clause: str, p: Profile, prev_subject: str, tolerance: float) -> str:
    """Amounts, ratios, counts and IP of one clause; returns the clause's subject for the next one
    (研发费用500万元，占营收的8%: the 8 % is the R&D share)."""
    subject = ""
    if clause.startswith(("占", "其中占")) and prev_subject:
        subject = prev_subject
    elif terms.RD_STAFF_RE.search(clause):
        subject = "rd_staff"
    elif terms.RD_RE.search(clause):
        subject = "rd"
    elif terms.STAFF_RE.search(clause) or re.search(r"人员", clause):
        subject = "staff"
    elif terms.REVENUE_RE.search(clause):
        subject = "revenue"
    multi = bool(terms.MULTI_YEAR_RE.search(clause))
    negated_ip = re.search(r"(?:没有|无|尚无|暂无)[^，。；]{0,4}(?:专利|知识产权|著作权)", clause)
    if negated_ip:
        p.ip["total"] = Fact((0.0, 0.0), clause)
    for q in quantities(clause):
        if q.bound == "approx" and q.kind == "duration":
            continue
        iv = interval(q, tolerance)
        if q.kind == "percent":
            key = {"rd": "rd_ratio", "rd_staff": "rd_staff_ratio"}.get(subject)
        elif _money(q):
            key = {"rd": "rd_spending", "revenue": "revenue"}.get(subject)
            if key is None and terms.REVENUE_RE.search(clause):
                key = "revenue"
            if key and multi:
                key += "_multi_year"
        elif q.kind == "count" and q.unit in ("人", "名"):
            key = {"rd_staff": "rd_staff", "staff": "staff"}.get(subject, "staff" if subject == "" and re.search(r"共有|共|有", clause) else None)
        elif q.kind == "count" and terms.IP_ANY_RE.search(clause[: q.start]):
            kinds = [terms.IP_OF[m.group(0)] for m in terms.IP_KIND_RE.finditer(clause[: q.start])]
            kind = kinds[-1] if kinds else ("total" if "知识产权" in clause[: q.start] else "专利")
            p.ip[kind] = Fact(iv, clause)
            continue
        else:
            key = None
        if key and key not in p.facts:
            p.facts[key] = Fact(iv, clause)
    return subject


# --- JSON profiles -----------------------------------------------------------------------------------

JSON_KEYS = {
    "registered_in": "place of registration (昆明市呈贡区)",
    "legal_person": "true / false",
    "org_kind": "企业 / 高校 / 科研院所 / 事业单位 / 社会组织",
    "founded": "year or YYYY-MM",
    "age_years": "years since founding",
    "revenue": "last year's revenue (5000万元, or a number of 元)",
    "rd_spending": "last year's R&D spending",
    "rd_ratio": "R&D spending as a share of revenue (4%, or a number of percent)",
    "staff": "number of staff",
    "rd_staff": "number of R&D staff",
    "rd_staff_ratio": "R&D staff as a share of staff",
    "certifications": "list of certifications held",
    "lacks_certifications": "list of certifications not held",
    "ip": "number of IP items, or {kind: number}",
    "credit_ok": "true when on no 失信 / 经营异常 register",
}


def _amount(key: str, value: Any, unit: str, tolerance: float) -> Interval:
    if isinstance(value, bool):
        raise ProfileError(f"{key}: expected a number or an amount such as 5000万元, got {value!r}")
    if isinstance(value, (int, float)):
        return (float(value), float(value))
    if isinstance(value, str):
        qs = quantities(simplified(value), with_bare=True)
        if qs:
            return interval(qs[0], tolerance)
    raise ProfileError(f"{key}: expected a number or an amount such as 5000万{unit}, got {value!r}")


def parse_json(data: dict[str, Any], tolerance: float = 0.1) -> Profile:
    """The facts of a JSON profile (keys: :data:`JSON_KEYS`); an unknown key is an error naming the valid ones."""
    unknown = sorted(set(data) - set(JSON_KEYS))
    if unknown:
        raise ProfileError(f"unknown profile keys {unknown}; valid keys: {', '.join(JSON_KEYS)}")
    p = Profile(text=json.dumps(data, ensure_ascii=False))

    def ev(k: str) -> str:
        return f"{k}: {json.dumps(data[k], ensure_ascii=False)}"

    if "registered_in" in data:
        p.places = _place_facts(simplified(str(data["registered_in"])))
        if not p.places:
            raise ProfileError(f"registered_in: no Chinese administrative division in {data['registered_in']!r}")
        p.facts["registered_in"] = Fact(p.places[0].name, ev("registered_in"))
    if "legal_person" in data:
        if not isinstance(data["legal_person"], bool):
            raise ProfileError("legal_person: expected true or false")
        p.facts["legal_person"] = Fact(data["legal_person"], ev("legal_person"))
    if "org_kind" in data:
        m = terms.ORG_RE.search(simplified(str(data["org_kind"])))
        if not m:
            raise ProfileError(f"org_kind: expected one of {', '.join(terms.ORG_KINDS)}, got {data['org_kind']!r}")
        p.facts["org_kind"] = Fact(terms.ORG_OF[m.group(0)], ev("org_kind"))
    if "founded" in data:
        m = re.fullmatch(r"\s*((?:19|20)\d{2})(?:[-/.年](\d{1,2}))?.*", str(data["founded"]))
        if not m:
            raise ProfileError(f"founded: expected a year or YYYY-MM, got {data['founded']!r}")
        p.facts["founded"] = Fact((int(m.group(1)), int(m.group(2)) if m.group(2) else None), ev("founded"))
    if "age_years" in data:
        v = _amount("age_years", data["age_years"], "年", tolerance)
        p.facts["age_years"] = Fact(v, ev("age_years"))
    for key, unit in (("revenue", "元"), ("rd_spending", "元"), ("rd_ratio", "%"), ("staff", "人"), ("rd_staff", "人"), ("rd_staff_ratio", "%")):
        if key in data:
            p.facts[key] = Fact(_amount(key, data[key], unit, tolerance), ev(key))
    for key, held in (("certifications", True), ("lacks_certifications", False)):
        for name in data.get(key, []) or []:
            m = terms.CERT_RE.search(simplified(str(name)))
            if not m:
                raise ProfileError(f"{key}: unknown certification {name!r}; known: {', '.join(terms.CERTIFICATIONS)}")
            p.certs[terms.CERT_OF[m.group(0)]] = Fact(held, ev(key))
    if "ip" in data:
        ip = data["ip"]
        if isinstance(ip, dict):
            for k, n in ip.items():
                m = terms.IP_KIND_RE.search(simplified(str(k)))
                p.ip[terms.IP_OF[m.group(0)] if m else "total"] = Fact(_amount("ip", n, "件", tolerance), ev("ip"))
        else:
            p.ip["total"] = Fact(_amount("ip", ip, "件", tolerance), ev("ip"))
    if "credit_ok" in data:
        if not isinstance(data["credit_ok"], bool):
            raise ProfileError("credit_ok: expected true or false")
        target = p.credit_clear if data["credit_ok"] else p.credit_listed
        target["信用"] = Fact(data["credit_ok"], ev("credit_ok"))
    return p


def parse_profile(profile: str | dict[str, Any], tolerance: float = 0.1) -> Profile:
    """A profile from a JSON object, a JSON string (starting with ``{``) or free text."""
    if isinstance(profile, dict):
        return parse_json(profile, tolerance)
    text = profile.strip()
    if not text:
        raise ProfileError("the profile is empty: describe the company (place, founding year, revenue, R&D, staff, certifications)")
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProfileError(f"the profile looks like JSON but is not valid: {exc}") from None
        if not isinstance(data, dict):
            raise ProfileError("a JSON profile must be an object")
        return parse_json(data, tolerance)
    return parse_text(text, tolerance)
