"""The words by which notices and profiles name the attributes a condition tests.

Shared by the condition side and the profile side, so 研发投入 in a notice and 研发费用 in a profile are
one attribute. These are the terms of the national programmes and of company accounts (the
科技型中小企业评价办法, the 高新技术企业认定管理办法, the 统计 words for revenue and staff), not words
picked from any one document. No package lists them (the PyPI name list searched for 政策, 资格, 惠企
and eligibility holds API clients and unrelated screeners only), so they are typed here, once.
"""

from __future__ import annotations

import re

#: certifications (资格) a programme can require or exclude, by canonical name, with the spellings
#: users write (高企, 科小)
CERTIFICATIONS: dict[str, tuple[str, ...]] = {
    "高新技术企业": ("高新技术企业", "高新企业", "高企"),
    "科技型中小企业": ("科技型中小企业", "科小企业", "科小"),
    "专精特新中小企业": ("专精特新中小企业", "专精特新企业", "专精特新"),
    "专精特新“小巨人”企业": ("专精特新“小巨人”企业", "小巨人企业", "小巨人"),
    "创新型中小企业": ("创新型中小企业",),
    "技术先进型服务企业": ("技术先进型服务企业",),
}
_CERT_SPELLINGS = sorted(((s, c) for c, ss in CERTIFICATIONS.items() for s in ss), key=lambda x: -len(x[0]))
CERT_RE = re.compile("|".join(re.escape(s) for s, _ in _CERT_SPELLINGS))
CERT_OF = dict(_CERT_SPELLINGS)

#: words that deny what follows within a clause (尚未认定为…, 不是…, 没有…)
NEGATION_RE = re.compile(r"(?:尚未|还未|还没有?|还不是|并非|不是|未|没有|没|无|非)")

#: kinds of organisation, canonical name → the words that name one
ORG_KINDS: dict[str, tuple[str, ...]] = {
    "高校": ("高等学校", "高等院校", "高校", "大学", "学院"),
    "科研院所": ("科研院所", "科研机构", "研究院", "研究所", "研究中心"),
    "事业单位": ("事业单位",),
    "社会组织": ("社会组织", "社会团体", "民办非企业单位", "基金会"),
    "企业": ("居民企业", "企业", "公司", "厂"),
}
_ORG_SPELLINGS = sorted(((s, k) for k, ss in ORG_KINDS.items() for s in ss), key=lambda x: -len(x[0]))
ORG_RE = re.compile("|".join(re.escape(s) for s, _ in _ORG_SPELLINGS))
ORG_OF = dict(_ORG_SPELLINGS)

REVENUE_RE = re.compile(r"营业收入|销售收入|主营业务收入|营收|销售额|收入")
RD_RE = re.compile(r"研发|研究开发|研究与试验发展|R&D|r&d")
RD_STAFF_RE = re.compile(r"研发人员|科技人员|研究开发人员|研发团队")
STAFF_RE = re.compile(r"职工|员工|从业人员|人员总数|雇员|教职工")
IP_KINDS: dict[str, tuple[str, ...]] = {
    "发明专利": ("发明专利",),
    "实用新型专利": ("实用新型专利", "实用新型"),
    "外观设计专利": ("外观设计专利", "外观设计"),
    "软件著作权": ("软件著作权", "软件著作", "软著"),
    "集成电路布图设计": ("集成电路布图设计",),
    "植物新品种": ("植物新品种",),
}
_IP_SPELLINGS = sorted(((s, k) for k, ss in IP_KINDS.items() for s in ss), key=lambda x: -len(x[0]))
IP_KIND_RE = re.compile("|".join(re.escape(s) for s, _ in _IP_SPELLINGS))
IP_OF = dict(_IP_SPELLINGS)
IP_ANY_RE = re.compile(r"知识产权|专利|著作权|软著")
FOUNDED_RE = re.compile(r"成立|注册|设立|创办|创立|登记")
LEGAL_RE = re.compile(r"法人")
#: the registers a credit condition names; 信用 alone is the general record
CREDIT_LISTS: dict[str, tuple[str, ...]] = {"失信": ("失信",), "经营异常": ("经营异常",)}
CREDIT_RE = re.compile(r"失信|信用|经营异常|违法违规记录")
MULTI_YEAR_RE = re.compile(r"近[两二三四五2345]年|[两二三四五2345]年(?:累计|合计|共)|累计|合计")


def split_clauses(text: str) -> list[str]:
    """Clauses of a profile or condition: a fact is stated within one (。；，and line breaks)."""
    return [c.strip() for c in re.split(r"[。；;，,！!？?\n]+", text) if c.strip()]
