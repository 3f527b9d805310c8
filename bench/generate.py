"""Deterministic generator of bureau-style Chinese documents for the benchmarks.

Three kinds of documents, in the proportions a city S&T bureau's site has them:

* news (新闻) with figures: "1至8月,全市共登记技术合同7936项,合同成交额122.78亿元";
* work reports (工作总结): 上半年 / 全年 figures under numbered section headings;
* notices (通知): calls for applications with funding caps, deadlines and contacts.

Places are the 16 cities/prefectures of Yunnan plus a few other provincial capitals, years 2019–2025,
periods 1至N月 / 上半年 / 前三季度 / 全年 / 截至目前 / 今年以来. About a third of the documents are
written in Traditional characters (OpenCC s2t), like the shipped Kunming report. Files have the same
header as ``corpus/kunming-sti-2024-09-23.txt``: a title line, ``- 时间:YYYY-MM-DD``, ``- 来源:…``.

Document ``i`` depends only on ``(seed, i)``, so the corpus for 1,000 chunks is a prefix of the one
for 10,000. Each generated figure is recorded as a :class:`Fact`, from which :func:`questions`
builds evaluation questions with a known document and a support string (the hit@k definition of
``assistant.evaluation``).

The documents are fiction: every figure is random.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

#: Bump when the generated text changes (it keys the corpus cache).
GENERATOR_VERSION = 1

# (Chinese name, pinyin slug, suffix of the administrative unit)
YUNNAN = [
    ("昆明", "kunming", "市"), ("曲靖", "qujing", "市"), ("玉溪", "yuxi", "市"), ("保山", "baoshan", "市"),
    ("昭通", "zhaotong", "市"), ("丽江", "lijiang", "市"), ("普洱", "puer", "市"), ("临沧", "lincang", "市"),
    ("楚雄", "chuxiong", "州"), ("红河", "honghe", "州"), ("文山", "wenshan", "州"), ("西双版纳", "xishuangbanna", "州"),
    ("大理", "dali", "州"), ("德宏", "dehong", "州"), ("怒江", "nujiang", "州"), ("迪庆", "diqing", "州"),
]
OTHERS = [("成都", "chengdu", "市"), ("贵阳", "guiyang", "市"), ("南宁", "nanning", "市"), ("重庆", "chongqing", "市"),
          ("杭州", "hangzhou", "市"), ("武汉", "wuhan", "市"), ("西安", "xian", "市"), ("长沙", "changsha", "市")]
YEARS = list(range(2019, 2026))

SOURCES = ["{p}{u}科学技术局", "{p}日报", "{p}信息港", "云南省科学技术厅", "云南网", "{p}发布", "{p}{u}人民政府网", "科技日报"]
REPORTERS = "张怡 李明 王芳 杨帆 赵磊 陈静 刘洋 周敏 孙浩 马丽 何伟 罗娟 段志强 普文 杨丽华".split()

# metric: (key, question words, sentence templates using {scope} {n} {m} {v} {p}); the first
# {…} figure of a template is the one a question asks for, the support is the text from ``support_from``
METRICS: list[dict] = [
    {"key": "技术合同成交额", "q": "技术合同成交额", "tpl": "全{scope}共登记技术合同{n}项，合同成交额{v}亿元", "support": "合同成交额{v}亿元",
     "n": (300, 12000), "v": (1.5, 260.0)},
    {"key": "技术合同登记", "q": "登记了多少项技术合同", "tpl": "全{scope}共登记技术合同{n}项", "support": "登记技术合同{n}项",
     "n": (200, 9000)},
    {"key": "高新技术企业评审", "q": "高新技术企业通过专家评审多少家", "tpl": "全{scope}高新技术企业通过专家评审{n}家", "support": "通过专家评审{n}家",
     "n": (20, 900)},
    {"key": "高新技术企业总数", "q": "高新技术企业总数", "tpl": "全{scope}有效期内高新技术企业总数达{n}家，同比增长{p}%", "support": "高新技术企业总数达{n}家",
     "n": (80, 3000), "p": (1.0, 35.0)},
    {"key": "科技型中小企业", "q": "新增科技型中小企业多少家", "tpl": "新增入库科技型中小企业{n}家", "support": "科技型中小企业{n}家",
     "n": (30, 1500)},
    {"key": "重点实验室", "q": "省级重点实验室有多少家", "tpl": "全{scope}共有省级重点实验室{n}家，其中新增{m}家", "support": "省级重点实验室{n}家",
     "n": (3, 120), "m": (1, 3)},
    {"key": "国家重点实验室", "q": "国家重点实验室有几家", "tpl": "全{scope}共有国家重点实验室{n}家", "support": "国家重点实验室{n}家",
     "n": (1, 15)},
    {"key": "专利授权", "q": "专利授权量是多少", "tpl": "全{scope}专利授权量{n}件，其中发明专利授权{m}件", "support": "专利授权量{n}件",
     "n": (500, 30000), "m": (50, 4000)},
    {"key": "研发投入", "q": "全社会研发经费投入是多少", "tpl": "全社会研发经费投入{v}亿元，同比增长{p}%", "support": "研发经费投入{v}亿元",
     "v": (2.0, 400.0), "p": (1.0, 30.0)},
    {"key": "研发投入强度", "q": "研发投入强度是多少", "tpl": "研发投入强度达到{p}%", "support": "研发投入强度达到{p}%",
     "p": (0.30, 3.20)},
    {"key": "成果转化", "q": "转化了多少项科技成果", "tpl": "推动{n}项科技成果在{scope}内转化应用，实现经济效益{v}亿元", "support": "{n}项科技成果",
     "n": (5, 400), "v": (0.2, 60.0)},
    {"key": "科技特派员", "q": "选派了多少名科技特派员", "tpl": "选派科技特派员{n}名，开展技术培训{m}场次", "support": "选派科技特派员{n}名",
     "n": (20, 900), "m": (10, 600)},
    {"key": "上门服务", "q": "开展上门服务活动多少次", "tpl": "开展上门服务活动{n}次，培训企业和科研人员{m}人次", "support": "上门服务活动{n}次",
     "n": (10, 400), "m": (100, 9000)},
    {"key": "科技计划项目", "q": "获得省级科技计划立项支持多少项", "tpl": "{n}个项目获得省级科技计划立项支持，争取省级资金{v}万元", "support": "{n}个项目获得省级科技计划立项支持",
     "n": (2, 150), "v": (100.0, 9000.0)},
    {"key": "孵化器", "q": "有多少家科技企业孵化器", "tpl": "全{scope}共有科技企业孵化器和众创空间{n}家，在孵企业{m}家", "support": "众创空间{n}家",
     "n": (3, 120), "m": (40, 3000)},
    {"key": "国际科技合作基地", "q": "国际科技合作基地有多少个", "tpl": "累计建设国际科技合作基地{n}个", "support": "国际科技合作基地{n}个",
     "n": (1, 60)},
    {"key": "技术交易", "q": "技术交易额是多少", "tpl": "实现技术交易额{v}亿元，同比增长{p}%", "support": "技术交易额{v}亿元",
     "v": (0.5, 180.0), "p": (1.0, 40.0)},
]

SUBJECTS = ["{u}科技局", "各县（市）区科技部门", "高新区管委会", "局党组", "科技管理部门", "相关处室", "全{u}科技系统"]
VERBS = ["深入实施", "持续推进", "扎实开展", "加快构建", "不断完善", "全面落实", "认真组织", "统筹推进", "大力实施", "积极探索"]
OBJECTS = [
    "科技创新赋能高质量发展行动", "科技成果转化“三年行动”", "创新型企业梯次培育工程", "科技特派员制度", "产学研协同创新机制",
    "关键核心技术攻关", "“揭榜挂帅”项目组织方式", "科技金融结合试点", "科技人才引育计划", "科技服务业提质增效行动",
    "重点产业链创新资源库建设", "高原特色农业科技支撑行动", "生物医药产业科技攻关", "绿色铝硅新材料技术创新", "数字经济科技赋能行动",
    "县域科技创新试点", "科普惠民工程", "科研诚信建设", "科技领域“放管服”改革", "新型研发机构培育",
]
PURPOSES = [
    "推动科技与产业深度融合", "为高质量跨越式发展提供科技支撑", "不断激发创新主体活力", "加快培育发展新质生产力",
    "着力提升区域创新能力", "打通科技成果转化“最后一公里”", "营造良好创新生态", "促进创新链产业链资金链人才链深度融合",
    "夯实创新发展基础", "服务重点产业提质增效",
]
CONNECTORS = ["同时，", "此外，", "与此同时，", "另一方面，", "在此基础上，", "", "", ""]
PROGRAMS = ["科技计划项目", "重点研发计划项目", "科技型中小企业技术创新基金", "科技成果转化项目", "院士专家工作站",
            "企业科技创新中心", "科技创新人才培养对象", "科普示范基地", "新型研发机构", "“春城计划”高层次科技人才项目"]
FIELDS = ["生物医药", "高原特色农业", "生态环境", "绿色能源", "新材料", "装备制造", "数字经济", "大健康", "文旅康养", "现代物流"]
PROBLEMS = ["创新主体数量偏少", "企业研发活动不够活跃", "技术合同登记工作发展不平衡", "高层次人才引进难度较大",
            "科技成果本地转化率不高", "部分县（市）区重点指标进度滞后", "科技金融支撑不足", "研发投入强度与全国平均水平仍有差距"]


@dataclass(frozen=True)
class Period:
    text: str  # as written in the document ("1至8月", "上半年", ...)
    question: str  # as a question says it
    month: int  # the month the document is published (same year, or next year for 全年)
    next_year: bool = False
    key: str = ""  # one name per period however it is worded (for the ambiguity check)


def _periods(rng: random.Random) -> Period:
    r = rng.random()
    if r < 0.45:
        m = rng.randint(2, 11)
        style = rng.choice(["{a}至{b}月", "{a}月至{b}月", "{a}-{b}月"])
        return Period(style.format(a=1, b=m), rng.choice([f"1至{m}月", f"1到{m}月", f"前{m}个月"]), min(m + 1, 12), key=f"M1-{m}")
    if r < 0.65:
        return Period("上半年", "上半年", 7)
    if r < 0.75:
        return Period("前三季度", "前三季度", 10)
    if r < 0.85:
        return Period("一季度", "一季度", 4)
    if r < 0.93:
        return Period("全年", "全年", rng.randint(1, 3), next_year=True)
    return Period("截至目前", "截至目前", rng.randint(3, 12))


@dataclass
class Fact:
    doc_id: str
    place: str
    year: int
    period: str
    metric: str
    support: str
    question: str


@dataclass
class GeneratedDoc:
    doc_id: str
    title: str
    date: str
    source: str
    kind: str
    script: str
    text: str
    facts: list[Fact] = field(default_factory=list)


def _num(rng: random.Random, spec: tuple, key: str) -> str:
    lo, hi = spec
    if key in ("n", "m"):
        return str(rng.randint(int(lo), int(hi)))
    return f"{rng.uniform(lo, hi):.2f}"


def _fill(rng: random.Random, metric: dict, scope: str) -> tuple[str, str]:
    values = {k: _num(rng, metric[k], k) for k in ("n", "m", "v", "p") if k in metric}
    return metric["tpl"].format(scope=scope, **values), metric["support"].format(**values)


def _filler(rng: random.Random, n: int, unit: str = "市") -> str:
    out = []
    for _ in range(n):
        out.append(
            f"{rng.choice(CONNECTORS)}{rng.choice(SUBJECTS).format(u=unit)}{rng.choice(VERBS)}{rng.choice(OBJECTS)}，"
            f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}，{rng.choice(PURPOSES)}。"
        )
    return "".join(out)


def _question(rng: random.Random, place: str, year: int, period: Period, metric: dict) -> str:
    forms = [
        "{y}年{per}{p}{q}?", "{p}{y}年{per}{q}?", "{y}年{per},{p}{q}?", "请问{p}{y}年{per}的{q}?",
    ]
    q = metric["q"]
    if not any(w in q for w in ("多少", "几", "是多少")):
        q = q + "是多少"
    return rng.choice(forms).format(y=year, per=period.question, p=place, q=q)


def _date(rng: random.Random, year: int, period: Period) -> str:
    y = year + 1 if period.next_year else year
    return f"{y:04d}-{period.month:02d}-{rng.randint(1, 28):02d}"


def _facts_block(rng, doc_id, place, unit, year, period, metrics: list[dict], k: int) -> tuple[list[str], list[Fact]]:
    """k sentences with figures for (place, year, period), taking metrics from ``metrics`` (each
    metric once per document: a document never states two values of one figure)."""
    sentences, facts = [], []
    for _ in range(min(k, len(metrics))):
        metric = metrics.pop()
        body, support = _fill(rng, metric, unit)
        prefix = rng.choice([f"{period.text}，", f"{year}年{period.text}，", ""])
        sentences.append(f"{prefix}{body}。")
        facts.append(Fact(doc_id, place, year, period.key or period.text, metric["key"], support, _question(rng, place, year, period, metric)))
    return sentences, facts


def _news(rng: random.Random, doc_id: str, place: str, unit: str, year: int) -> tuple[str, list[str], list[Fact]]:
    period = _periods(rng)
    title = rng.choice([
        f"{place}深入实施科技创新赋能高质量发展行动 {rng.choice(PURPOSES)}",
        f"{year}年{period.text}{place}科技创新主要指标稳中有进",
        f"{place}{rng.choice(FIELDS)}领域科技创新取得新进展",
        f"{place}{unit}召开科技创新工作推进会",
        f"{place}：{rng.choice(OBJECTS)}成效明显",
    ])
    paras = [f"近日，{place}{unit}科学技术局{rng.choice(['召开', '举行', '组织召开'])}{rng.choice(FIELDS)}领域科技创新工作推进会。" + _filler(rng, rng.randint(1, 2), unit)]
    facts: list[Fact] = []
    metrics = rng.sample(METRICS, len(METRICS))
    for _ in range(rng.randint(3, 9)):
        sents, fs = _facts_block(rng, doc_id, place, unit, year, period, metrics, rng.randint(1, 2))
        facts += fs
        mix = sents + [_filler(rng, 1, unit) for _ in range(rng.randint(1, 3))]
        rng.shuffle(mix)
        paras.append("".join(mix))
        if rng.random() < 0.35:
            paras.append(rng.choice(["持续打响科技服务品牌", "创新平台建设提速", "科技人才队伍不断壮大", "成果转化跑出加速度",
                                     "开放合作迈出新步伐", "企业创新主体地位更加突出"]))
    paras.append(f"{place}{unit}科技局相关负责人表示，下一步将" +
                 f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}，{rng.choice(PURPOSES)}。" +
                 f"（{rng.choice([place + '日报', place + '信息港', '云南网'])} 记者{rng.choice(REPORTERS)}）")
    paras.append(_date(rng, year, period))  # popped by generate_doc: the publication date
    return title, paras, facts


_CN_NUM = "一二三四五六七八九十"


def _report(rng: random.Random, doc_id: str, place: str, unit: str, year: int) -> tuple[str, list[str], list[Fact]]:
    half = rng.random() < 0.5
    period = Period("上半年", "上半年", 7) if half else Period("全年", "全年", rng.randint(1, 3), next_year=True)
    title = f"{place}{unit}科学技术局{year}年{'上半年' if half else ''}工作总结" + ("和下半年工作计划" if half else "和下一年工作计划")
    paras = [f"{year}年{'上半年' if half else '以来'}，在{unit}委、{unit}政府的坚强领导下，{place}{unit}科学技术局紧紧围绕中心工作，"
             f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}，{rng.choice(PURPOSES)}。" + _filler(rng, 1, unit)]
    facts: list[Fact] = []
    metrics = rng.sample(METRICS, len(METRICS))
    sections = ["主要指标完成情况", "重点工作推进情况", "存在的问题", "下一步工作打算"]
    for si, sec in enumerate(sections):
        paras.append(f"{_CN_NUM[si]}、{sec}")
        if si <= 1:
            for sub in range(rng.randint(2, 5)):
                sents, fs = _facts_block(rng, doc_id, place, unit, year, period, metrics, rng.randint(1, 3))
                facts += fs
                paras.append(f"（{_CN_NUM[sub]}）{rng.choice(OBJECTS)}。" + "".join(sents) + _filler(rng, rng.randint(1, 2), unit))
        elif si == 2:
            paras.append("".join(f"{rng.choice(['一是', '二是', '三是'])}{p}；" for p in rng.sample(PROBLEMS, 3)).rstrip("；") + "。")
        else:
            paras.append(_filler(rng, rng.randint(2, 4), unit))
    return title, paras, facts


def _notice(rng: random.Random, doc_id: str, place: str, unit: str, year: int) -> tuple[str, list[str], list[Fact]]:
    program = rng.choice(PROGRAMS)
    title = f"关于组织申报{year}年度{place}{unit}{program}的通知"
    cap = rng.choice([20, 30, 50, 80, 100, 150, 200, 300, 500])
    dl_m, dl_d = rng.randint(3, 11), rng.randint(1, 28)
    paras = [
        "各县（市）区科技主管部门，各有关单位：",
        f"为深入实施创新驱动发展战略，{rng.choice(PURPOSES)}，根据《{place}{unit}科技计划项目管理办法》有关规定，现将{year}年度{program}申报工作有关事项通知如下。",
        "一、支持方向",
        "重点支持" + "、".join(rng.sample(FIELDS, 4)) + "等领域。" + _filler(rng, 1, unit),
        "二、申报条件",
        f"（一）申报单位须在{place}{unit}内注册，具有独立法人资格，上年度研发投入不低于{rng.randint(50, 500)}万元。"
        f"（二）项目负责人年龄一般不超过{rng.choice([45, 50, 55, 60])}周岁。（三）同一单位限报{rng.randint(1, 5)}项。",
        "三、支持方式",
        f"采取事前资助方式，单个项目最高资助{cap}万元，分{rng.randint(2, 3)}期拨付。",
        "四、申报时间",
        f"网上申报截止时间为{year}年{dl_m}月{dl_d}日17:00，逾期不予受理。",
        "五、联系方式",
        f"{place}{unit}科技局{rng.choice(['高新技术科', '农村科技科', '成果转化科', '政策法规科'])}，联系电话：0{rng.randint(870, 888)}-{rng.randint(2000000, 8999999)}。",
    ]
    facts = [Fact(doc_id, place, year, "", f"最高资助:{program}", f"单个项目最高资助{cap}万元", f"{place}{year}年度{program}单个项目最高资助多少钱?"),
             Fact(doc_id, place, year, "", f"申报截止:{program}", f"截止时间为{year}年{dl_m}月{dl_d}日", f"{place}{year}年度{program}申报截止时间是什么时候?")]
    date = (year, rng.randint(1, max(1, dl_m - 1)))
    return title, paras + [f"{place}{unit}科学技术局", f"{date[0]}年{date[1]}月{rng.randint(1, 28)}日"], facts


def generate_doc(seed: int, i: int) -> GeneratedDoc:
    """Document ``i`` of the stream for ``seed`` (independent of how many are generated)."""
    from ingest.normalize import to_traditional

    rng = random.Random(f"policyqa-bench:{seed}:{i}")
    place, slug, unit = rng.choice(YUNNAN) if rng.random() < 0.85 else rng.choice(OTHERS)
    year = rng.choice(YEARS)
    r = rng.random()
    kind = "news" if r < 0.55 else "report" if r < 0.85 else "notice"
    doc_id = f"{year}/{slug}-{kind}-{i:06d}.txt"
    title, paras, facts = {"news": _news, "report": _report, "notice": _notice}[kind](rng, doc_id, place, unit, year)
    news_date = paras.pop() if kind == "news" else ""
    if kind == "notice":
        date = f"{year:04d}-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}"
    elif kind == "report":
        date = f"{year:04d}-07-{rng.randint(5, 28):02d}" if "上半年" in title else f"{year + 1:04d}-0{rng.randint(1, 3)}-{rng.randint(1, 28):02d}"
    else:
        date = news_date  # published after the period it reports
    source = rng.choice(SOURCES).format(p=place, u=unit)
    header = [title, f"- 时间:{date}", f"- 来源:{source}"]
    if rng.random() < 0.6:
        header.append(f"- 浏览:{rng.randint(10, 3000)}")
    text = "\n".join(header + paras) + "\n"
    script = "Hans"
    if rng.random() < 0.3:
        text, title, script = to_traditional(text), to_traditional(title), "Hant"
        header_source = to_traditional(source)
        source = header_source
    return GeneratedDoc(doc_id, title, date, source, kind, script, text, facts)


def count_chunks(doc: GeneratedDoc, chunk_size: int, chunk_overlap: int) -> int:
    """Chunks the default chunker makes of this document (titles parsed as ingest does)."""
    from ingest.chunking import chunk_document
    from ingest.normalize import parse_header

    text = doc.text.strip()
    title = parse_header(text).title or doc.doc_id
    return len(chunk_document(doc.doc_id, text, title, chunk_size, chunk_overlap))


@dataclass
class CorpusInfo:
    folder: str
    seed: int
    target_chunks: int
    chunks: int
    documents: int
    chars: int
    bytes: int
    kinds: dict[str, int]
    scripts: dict[str, int]
    generator_version: int = GENERATOR_VERSION


def iter_docs(seed: int) -> Iterator[GeneratedDoc]:
    i = 0
    while True:
        yield generate_doc(seed, i)
        i += 1


def write_corpus(folder: Path, target_chunks: int, seed: int = 7, chunk_size: int = 320, chunk_overlap: int = 80) -> CorpusInfo:
    """Write documents into ``folder`` until the default chunker makes ``target_chunks`` chunks.

    A finished corpus is marked by ``corpus.json`` (with its facts in ``facts.jsonl``) and reused.
    """
    stamp = folder / "corpus.json"
    key = {"seed": seed, "target_chunks": target_chunks, "chunk_size": chunk_size, "chunk_overlap": chunk_overlap,
           "generator_version": GENERATOR_VERSION}
    if stamp.exists():
        data = json.loads(stamp.read_text(encoding="utf-8"))
        if data.get("key") == key:
            return CorpusInfo(**data["info"])
    docs_dir = folder / "docs"
    if docs_dir.exists():
        import shutil

        shutil.rmtree(docs_dir)
    docs_dir.mkdir(parents=True)
    total = chars = nbytes = n = 0
    kinds: dict[str, int] = {}
    scripts: dict[str, int] = {}
    with open(folder / "facts.jsonl", "w", encoding="utf-8") as facts_fh:
        for doc in iter_docs(seed):
            if total >= target_chunks:
                break
            path = docs_dir / doc.doc_id
            path.parent.mkdir(parents=True, exist_ok=True)
            data = doc.text.encode("utf-8")
            path.write_bytes(data)
            total += count_chunks(doc, chunk_size, chunk_overlap)
            chars += len(doc.text)
            nbytes += len(data)
            n += 1
            kinds[doc.kind] = kinds.get(doc.kind, 0) + 1
            scripts[doc.script] = scripts.get(doc.script, 0) + 1
            for fact in doc.facts:
                facts_fh.write(json.dumps(asdict(fact), ensure_ascii=False) + "\n")
    info = CorpusInfo(str(docs_dir), seed, target_chunks, total, n, chars, nbytes, kinds, scripts)
    stamp.write_text(json.dumps({"key": key, "info": asdict(info)}, ensure_ascii=False, indent=1), encoding="utf-8")
    return info


def read_facts(folder: Path) -> list[Fact]:
    with open(folder / "facts.jsonl", encoding="utf-8") as fh:
        return [Fact(**json.loads(line)) for line in fh if line.strip()]


def questions(folder: Path, n: int = 50, seed: int = 7) -> list[dict]:
    """``n`` evaluation rows (the ``tests/eval/questions.jsonl`` format) drawn from the corpus's facts.

    A fact is asked about only when no other document states the same figure for the same place,
    year and period, and no other document contains its support string: otherwise the "right"
    document would be ambiguous. About one in five questions is asked in Traditional characters.
    """
    from ingest.normalize import search_form, to_traditional

    facts = read_facts(folder)
    supports: dict[str, int] = {}
    keys: dict[tuple, int] = {}
    for f in facts:
        supports[search_form(f.support)] = supports.get(search_form(f.support), 0) + 1
        key = (f.place, f.year, f.period, f.metric)
        keys[key] = keys.get(key, 0) + 1
    rng = random.Random(f"policyqa-bench-questions:{seed}")
    pool = [f for f in facts if supports[search_form(f.support)] == 1 and keys[(f.place, f.year, f.period, f.metric)] == 1]
    rng.shuffle(pool)
    rows = []
    for k, f in enumerate(pool[:n]):
        q = to_traditional(f.question) if rng.random() < 0.2 else f.question
        rows.append({"id": f"g{k:03d}", "q": q, "doc": f.doc_id, "support": f.support, "answerable": True,
                     "metric": f.metric, "place": f.place, "year": f.year, "period": f.period})
    return rows


if __name__ == "__main__":  # a quick look: python -m bench.generate
    d = generate_doc(7, 0)
    print(d.text)
    for f in d.facts:
        print(f)
