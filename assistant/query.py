"""Question analysis: normalise a question like the documents, and pull out what it is about.

What the retrievers and the answerability check need to know about a question: its search form,
its keyword tokens, and the constraints that make near-identical passages wrong answers: the years,
periods and places it names, and whether it asks for a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from functools import lru_cache

from ingest.keyword import STOPWORDS, tokenize
from ingest.normalize import Script, detect_script, nfkc, search_form

# Words that say *how* something is asked, not *what*: they are not evidence that the documents
# cover the question, so the coverage check ignores them.
QUESTION_WORDS = frozenset(
    "多少 多少钱 几 几个 几家 几项 哪些 哪个 哪里 哪儿 什么 怎么 怎样 如何 是否 有没有 有无 吗 呢 请问 告诉 一下 "
    "一共 总共 共 共计 合计 总计 数量 数目 情况 方面 具体 相关 有关 主要 分别 目前 现在 当前 最新 那 那么 还有 另外 "
    "至 到 从 起 说 提到 报道 文章 文中 里 这篇 那篇 消息 新闻 据 根据 显示 介绍 了解 知道 想 问 能 可以 可 要 需要 该 "
    "达到 达 获得 取得 实现 完成 开展 做 做了 进行 举办 举行 有 是 为 被 把 给 让 多 少 大 小 钱 卖 收入 金额 额 个 家 项 次 人次 亿元 万元 元 "
    "市里 本市 全市 我市 今年 当年 期间 时候 时间 日子 哪天 哪一天 何时 什么时候 啥 谁 哪位 成果 呀 啊 吧 "
    "what which who whom whose when where why how many much is are was were be been the a an of in on at for to "
    "and or did does do has have had there their its it this that these those by from with about according "
    "report say says said tell me please number total city bureau "
    # meta nouns: they name the kind of answer wanted (a name, a date, a document), not its subject
    "名字 名称 全称 简称 叫 网站 报纸 例子 举例 文件 哪份 哪家 哪位 哪天 日期 时段 出处 来源 统计 期间 简报 注明 "
    "提供 列出 列举 内容 东西 方向 领域 部分 环节 几条 哪几 哪几个 多大 多长 规定 要求 标准是 怎么样 为什么 原因 "
    "进展 新进展 进度 成效 成绩 动态 举措 措施 工作 "
"项数 个数 家数 次数 "
    "拿到 拿了 办了 搞 搞了 干 干了 弄 弄了 做出 当 后面 前面 里面 已经 正在 打算 计划要 用来 属于 那家 这家 这个 那个 我们 企业想".split()
)

# Abbreviations people type for bureau terms (高企 for 高新技术企业): expanded before searching.
ALIASES: dict[str, str] = {"高企": "高新技术企业", "双创": "创新创业"}

# A small bilingual glossary of bureau vocabulary: English questions are matched against Chinese
# documents through these terms (keyword search and the coverage check), while the dense side
# handles the rest. Data, not logic: extend it as the corpus grows.
GLOSSARY: dict[str, str] = {
    "technology contract": "技术合同", "technical contract": "技术合同", "tech contract": "技术合同",
    "contract turnover": "成交额", "transaction value": "成交额", "turnover": "成交额", "deal value": "成交额",
    "high-tech enterprise": "高新技术企业", "high-tech firm": "高新技术企业", "high-tech compan": "高新技术企业",
    "high tech": "高新技术", "expert review": "专家评审", "passed": "通过",
    "key laborator": "重点实验室", "state key lab": "国家重点实验室", "national key lab": "国家重点实验室",
    "yunnan laborator": "云南实验室", "laborator": "实验室", "patent": "专利", "standard": "技术标准",
    "new product": "新产品", "r&d": "研发", "research and development": "研发", "investment": "投入",
    "international": "国际", "cooperation base": "合作基地", "science and technology cooperation": "科技合作",
    "talent": "人才", "spring city": "春城计划", "chuncheng": "春城计划", "economic benefit": "经济效益",
    "training": "培训", "trained": "培训", "door-to-door": "上门服务", "on-site service": "上门服务", "service team": "小分队",
    "brics": "金砖国家", "technology transfer": "技术转移", "forum": "论坛", "life science": "生命科学",
    "universit": "高校", "research institute": "科研院所", "enterprise": "企业", "compan": "企业", "firm": "企业",
    "innovation platform": "创新平台", "industrial chain": "产业链", "industry chain": "产业链",
    "biomedic": "生物医药", "plateau": "高原特色农业", "agricultur": "农业", "green energy": "绿色能源",
    "ecolog": "生态环境", "equipment manufactur": "装备制造", "new material": "新材料", "aluminum": "绿色铝硅",
    "project": "项目", "recommend": "推荐", "guideline": "申报指南", "call for": "申报指南", "apply": "申报",
    "enterprise technology innovation center": "企业科技创新中心", "innovation center": "科技创新中心",
    "achievement": "科技成果", "transform": "转化", "leading group": "领导小组", "seven major project": "七大工程",
    "seven project": "七大工程", "seven major": "七大工程", "source": "来源", "reporter": "记者", "journalist": "记者",
    "first half": "上半年", "january to august": "1月至8月", "january to july": "1月至7月", "last year": "上年度",
    "so far": "截至目前", "to date": "截至目前", "kunming": "昆明", "yunnan": "云南", "subsid": "补贴",
    "tax": "税收", "loan": "贷款", "incubator": "孵化器", "startup": "创业", "venture": "创业投资",
    "funding": "资助经费", "maximum": "最高", "deadline": "截止", "gdp": "生产总值", "intensity": "强度",
    "share of": "占比", "proportion": "占比", "growth": "增长", "attend": "参会", "participant": "参会人员",
    "budget": "预算", "award": "奖励", "prize": "奖励", "director": "局长", "phone": "电话", "hotline": "热线",
    "province": "省", "provincial": "省", "strategy": "战略", "municipal goal": "六个春城", "goal": "目标",
    "brand": "品牌", "name of": "", "leader": "组长", "head": "组长", "newspaper": "日报", "wrote": "记者",
    "author": "记者", "website": "信息港", "published": "时间", "date": "时间", "conference": "会议", "meeting": "会议",
    "database": "资源库", "resource pool": "资源库", "resource library": "资源库", "listed": "",
    "national": "国家", "key lab": "重点实验室", "person-time": "人次", "outreach": "上门服务",
    "s&t": "科技", "science and technology": "科技", "innovation": "创新",
}

# Places a question may name, with their English names: a question about a place the evidence
# never mentions is not answerable from it. Chinese place names beyond this list come from jieba's
# ``ns`` tag.
PLACES: dict[str, str] = {
    "kunming": "昆明", "yuxi": "玉溪", "qujing": "曲靖", "dali": "大理", "lijiang": "丽江", "baoshan": "保山",
    "zhaotong": "昭通", "pu'er": "普洱", "puer": "普洱", "lincang": "临沧", "chuxiong": "楚雄", "honghe": "红河",
    "wenshan": "文山", "xishuangbanna": "西双版纳", "dehong": "德宏", "nujiang": "怒江", "diqing": "迪庆",
    "tengchong": "腾冲", "yunnan": "云南", "beijing": "北京", "shanghai": "上海", "guangzhou": "广州",
    "shenzhen": "深圳", "chengdu": "成都", "chongqing": "重庆", "hangzhou": "杭州", "wuhan": "武汉", "xi'an": "西安",
    "nanjing": "南京", "guiyang": "贵阳", "nanning": "南宁", "tianjin": "天津", "suzhou": "苏州", "xiamen": "厦门",
    "guizhou": "贵州", "sichuan": "四川", "guangxi": "广西", "guangdong": "广东", "zhejiang": "浙江", "jiangsu": "江苏",
    "hong kong": "香港", "macau": "澳门", "taiwan": "台湾", "taipei": "台北", "hefei": "合肥", "changsha": "长沙",
    "zhengzhou": "郑州", "jinan": "济南", "qingdao": "青岛", "harbin": "哈尔滨", "shenyang": "沈阳", "lanzhou": "兰州",
}
_CN_PLACES = frozenset(PLACES.values())
_NOT_PLACES = frozenset("全市 市 中国 国家 全国 国内 省 全省 城市 城乡 地方 各地 当地 本地 异地 基地 园区 县区 市区 全州 州".split())
_PLACE_SUFFIX = re.compile(r"^(.{2,4}?)(?:市|省|县|区|州)$")

_NOT_PLACE_PREFIX = frozenset("地级 县级 市级 省级 全国 全省 全州 全县 所在 哪个 什么 这个 那个 城市 各个 我们 他们 今年".split())
_COMMON_ADMIN_WORDS = frozenset("城市 超市 股市 上市 夜市 门市 都市 花市 全市 本市 我市 各市 全州 全县 全省 本省 外省 本县".split())
_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?:\s*年|(?!\d))")
_CN_DIGITS = "零〇一二两三四五六七八九十"


def _cn_int(text: str) -> int | None:
    import cn2an

    try:
        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError):
        return None


def arabic_months(text: str) -> str:
    """一至八月 → 1至8月, 前八个月 → 前8个月: periods compare digit to digit."""

    def repl(m: re.Match[str]) -> str:
        value = _cn_int(m.group(1))
        return f"{value}{m.group(2)}" if value is not None else m.group(0)

    return re.sub(rf"([{_CN_DIGITS}]{{1,3}})(月|个月|季度|至|到)", repl, text)


# Canonical period keys: every wording of one period maps to the same key.
_PERIOD_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d{1,2})\s*月?\s*(?:至|到|-|~|—|–)\s*(\d{1,2})\s*月"), "M{0}-{1}"),
    (re.compile(r"前\s*(\d{1,2})\s*个?月"), "M1-{0}"),
    (re.compile(r"截[至止]\s*(\d{1,2})\s*月\s*(?:底|末)"), "M1-{0}"),
    (re.compile(r"上半年|1-6月|first half|h1\b"), "H1"),
    (re.compile(r"下半年|second half"), "H2"),
    (re.compile(r"第?一季度|first quarter|\bq1\b"), "Q1"),
    (re.compile(r"上年度|去年|上一年|last year|previous year"), "LASTYEAR"),
    (re.compile(r"今年以来|so far this year|since the start of the year"), "YTD"),
    (re.compile(r"截至目前|目前|至今|现在|当前|现有|so far|to date|currently|\bnow\b"), "TODATE"),
]
_EN_NUM = {"six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10"}
_MONTH_NAMES = "january february march april may june july august september october november december".split()


def period_keys(text: str) -> set[str]:
    """Periods named in ``text`` (search form), as canonical keys such as ``M1-8`` or ``H1``."""
    t = arabic_months(text.lower())
    for i, name in enumerate(_MONTH_NAMES, 1):
        t = re.sub(rf"\b{name}\b", f"{i}月", t)
    t = re.sub(r"(\d{1,2})月\s*(?:and|to|through|until|till)\s*(\d{1,2})月", r"\1月至\2月", t)
    t = re.sub(r"first\s+(\d{1,2}|eight|seven|six|nine|ten)\s+months", lambda m: f"前{_EN_NUM.get(m.group(1), m.group(1))}个月", t)
    keys: set[str] = set()
    for pattern, template in _PERIOD_PATTERNS:
        for m in pattern.finditer(t):
            keys.add(template.format(*m.groups()))
    if "M1-6" in keys:
        keys.add("H1")
    return keys


def years(text: str) -> set[str]:
    return set(_YEAR.findall(text))


@lru_cache(maxsize=4096)
def places(search_text: str) -> frozenset[str]:
    """Place names in a question (Chinese, or English names mapped to Chinese)."""
    import jieba.posseg as pseg

    found: set[str] = set()
    low = search_text.lower()
    for en, cn in PLACES.items():
        if re.search(rf"\b{re.escape(en)}\b", low):
            found.add(cn)
    for cn in _CN_PLACES:
        if cn in search_text:
            found.add(cn)
    for word, flag in pseg.lcut(search_text):
        if flag == "ns" and len(word) >= 2:
            m = _PLACE_SUFFIX.match(word)
            found.add(m.group(1) if m else word)
    # administrative names jieba does not know (测试市, 某某县): a name + 市/州/县/区/省 that is not a common word
    import jieba

    words = jieba.lcut(search_text)
    for i, w in enumerate(words):
        if w in ("市", "州", "县") and i > 0 and 2 <= len(words[i - 1]) <= 3 and re.fullmatch(r"[\u4e00-\u9fff]+", words[i - 1]):
            name = words[i - 1]
        elif 3 <= len(w) <= 4 and w[-1] in "市州县" and re.fullmatch(r"[\u4e00-\u9fff]+", w):
            name = w[:-1]
        else:
            continue
        name = re.sub(r"(?<=..)[全本我各该]$", "", name)  # 曲靖全市 → 曲靖
        if name not in _NOT_PLACE_PREFIX and f"{name}{w[-1]}" not in _COMMON_ADMIN_WORDS:
            found.add(name)
    # a place inside a longer known place (云南 in 云南实验室 is fine: it is then a name, not a place)
    return frozenset(p for p in found if p not in _NOT_PLACES)


def glossary_terms(text: str) -> list[str]:
    """Chinese words for the bureau vocabulary and the place names of an English question."""
    low = text.lower()
    terms = [cn for en, cn in GLOSSARY.items() if cn and re.search(rf"(?<![a-z]){re.escape(en)}", low)]
    return terms + [cn for en, cn in PLACES.items() if cn not in terms and re.search(rf"\b{re.escape(en)}\b", low)]


@dataclass
class Query:
    original: str
    script: Script
    search: str  # NFKC + Simplified + Arabic months, plus Chinese glossary terms for English questions
    tokens: list[str]
    content_terms: list[str]  # the subject words, for sentence scoring and coverage
    strong_terms: set[str] = field(default_factory=set)  # nouns among them: must be covered
    phrases: list[tuple[str, ...]] = field(default_factory=list)
    asks_date: bool = False
    this_year: bool = False  # 今年 / this year: the newest figure, not a comparison across years
    asks_meta: bool = False
    years: set[str] = field(default_factory=set)
    periods: set[str] = field(default_factory=set)
    places: frozenset[str] = frozenset()
    asks_number: bool = False

    @property
    def english(self) -> bool:
        return self.script == "Latin"


_DATE_ASK = re.compile(r"什么时候|何时|哪天|哪一天|几月几[日号]|截止日期|截止时间|开始时间|\bwhen\b|what date|which day|deadline")
_META_ASK = re.compile(r"来源|出处|哪个网站|哪家媒体|哪家报纸|哪位记者|记者|作者|发布|source|published|who wrote|author|reporter|newspaper")
_NUMBER_ASK = re.compile(r"多少|几|数量|数目|规模|金额|how many|how much|number of|amount|总数|共有|达到")


_MEASURE = "份项个家位支批次条件座所名"
_NOUN_FLAGS = ("n", "nz", "vn", "j", "nr", "nt", "ng", "nrt", "nrfg", "an")


def _merge_single_nouns(pairs: list[Any]) -> list[tuple[str, str]]:
    """Join runs of one-character nouns (铝 硅 → 铝硅): without the HMM jieba leaves rare compounds in pieces."""
    out: list[tuple[str, str]] = []
    for word, flag in pairs:
        single_noun = len(word) == 1 and flag.startswith("n") and word not in _MEASURE
        if single_noun and out and out[-1][1] == "n1":
            out[-1] = (out[-1][0] + word, "n1")
        else:
            out.append((word, "n1" if single_noun else flag))
    return [(w, "n" if f == "n1" and len(w) > 1 else ("x" if f == "n1" else f)) for w, f in out]


def subject_terms(search: str, english: bool = False) -> tuple[list[str], set[str], list[tuple[str, ...]]]:
    """The subject words of a question, which of them are nouns, and the phrases they form.

    Nouns name what is asked about (专利, 强度, 实验室): a noun the evidence lacks is a reason to
    refuse. Verbs and the rest only count towards how much of the question the evidence covers.
    Phrases are runs of adjacent subject words (国家 重点 实验室 → 国家重点实验室): where the corpus
    uses the phrase, a passage must contain the phrase itself, not just its words scattered.
    jieba runs without its HMM here, so unknown character runs stay single characters instead of
    becoming invented "words" (项新, 局下) that no passage could contain.
    """
    import jieba.posseg as pseg

    content: list[str] = []
    strong: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    run: list[str] = []

    def close_run() -> None:
        for n in range(2, 5):
            for i in range(len(run) - n + 1):
                phrase = tuple(run[i : i + n])
                if phrase not in phrases:
                    phrases.append(phrase)
        run.clear()

    for word, flag in _merge_single_nouns(pseg.lcut(search, HMM=False)):
        w = word.strip().lower()
        if len(w) >= 3 and w[0] in _MEASURE:
            w = w[1:]  # 哪份文件 → 文件: jieba glues the measure word to its noun
        if re.fullmatch(r"第[\d一二三四五六七八九十]+[批届期次]|首[批届]", w):
            flag = "mq"  # an ordinal names *which* one (第一批): a subject word, though a numeral
        keep = (
            len(w) >= 2
            and w not in STOPWORDS
            and w not in QUESTION_WORDS
            and not re.fullmatch(r"[\d.]+|[a-z]|(?=.*\d)(?=.*[a-z])[\da-z]{2,4}", w)  # 31m, m31: codes, not subjects
            and bool(re.search(r"[\w\u3400-\u9fff]", w))
            and flag not in ("m", "t", "x", "r", "p", "u", "uj", "ul", "c", "d", "f")
            and not (english and re.fullmatch(r"[a-z'&-]+", w))  # English words count through the glossary
        )
        if not keep:
            close_run()
            continue
        run.append(w)
        if w not in content:
            content.append(w)
        if flag.startswith(_NOUN_FLAGS) or flag in ("eng", "mq"):
            strong.add(w)
    close_run()
    return content, strong, phrases


def analyse(question: str) -> Query:
    """Everything retrieval and answering need to know about the question."""
    text = nfkc(question).strip()
    script = detect_script(text)
    search = arabic_months(search_form(text))
    for short, full in ALIASES.items():
        if short in search and full not in search:
            search = search.replace(short, full)
    extra = glossary_terms(search) if script == "Latin" else []
    if extra:
        search = f"{search} {' '.join(extra)}"
    tokens = tokenize(search)
    content, strong, phrases = subject_terms(search, english=script == "Latin")
    named_places = places(search)
    # places are checked on their own (every place named must be in the passage), not as subject words
    is_place = lambda t: any(t == p or t == f"{p}市" or t == f"{p}州" for p in named_places)  # noqa: E731
    content = [t for t in content if not is_place(t)]
    phrases = [ph for ph in phrases if not any(is_place(t) for t in ph)]
    return Query(
        original=question,
        script=script,
        search=search,
        tokens=tokens,
        content_terms=content,
        strong_terms=strong,
        phrases=phrases,
        asks_date=bool(_DATE_ASK.search(search)),
        this_year=bool(re.search(r"今年|本年|this year|so far", search)),
        asks_meta=bool(_META_ASK.search(search)),
        years=years(search),
        periods=period_keys(search),
        places=named_places,
        asks_number=bool(_NUMBER_ASK.search(search)),
    )
