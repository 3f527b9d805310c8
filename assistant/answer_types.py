"""What a question asks for, and whether a sentence holds a fresh instance of it.

A sentence that restates the question ("谁负责科技成果转化工作?" → "…负责科技成果转化工作的…") is not an
answer to a who-question unless it names someone the question does not; a how-many question needs
a quantity the question does not already state; a list question wants all the items. Classifying
the question first lets the selector demand the right thing of a sentence, and refuse when the best
passages only echo the question.

Types: ``quantity``, ``frequency`` (how often), ``date``, ``person``, ``place``, ``org``, ``list``, ``definition``,
``condition``, ``yes_no``, ``entity`` (哪个/什么 + a noun: the noun is the ``head``), ``other``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.facts import ordinals, quantities, years

AnswerType = str

# an A-not-A question (受不受, 要不要, 值不值得): a yes-no question; assistant.query reads it as its verb
A_NOT_A = r"([\u4e00-\u9fff])不\1"

# (pattern, type), first match wins; patterns run on the search form (NFKC, Simplified, lower case)
_RULES: list[tuple[re.Pattern[str], AnswerType]] = [
    (re.compile(rf"是否|能否|可否|{A_NOT_A}|可不可以|有没有|^(is|are|was|were|can|could|does|do|did|has|have|should|must|may)\b"), "yes_no"),
    (re.compile(r"(?:西元|公元|于|在)几年|几几年|什么时候|何时|哪天|哪一天|哪一年|哪年|几月|几[日号]|什么时间|什么时期|什么年代|哪个朝代|何年|几时|\bwhen\b|what year|which year|what date|what time|\bsince when\b"), "date"),
    # how often (多久评估一次, how often): answered by 每年, 每半年至少一次, 年度…, not only by a number
    (re.compile(r"多久[^。?？,，]{0,16}一次|多长时间[^。?？,，]{0,16}一次|隔多久|多久(?:评估|结算|报告|检查|更新|公布|安排|召开|开展|复核|审核)|频次|频率|\bhow (?:often|frequently)\b"), "frequency"),
    (re.compile(r"第几|多少|(?<!哪)几[个家项次人名所批位条种类倍年月天届期件篇台套亿万代]|几成|百分之几|比例是|占比|多大|多高|多长|多久|多远|多重|\bhow (many|much|long|large|big|high|old)\b|what (percentage|share|proportion|fraction|amount|number)|\bwhat (?:is |are |was |were )?(?:the )?(?:[a-z-]+ ){0,4}(?:rate|ratio|percentage|proportion)\b|number of|\bamount of\b"), "quantity"),
    (re.compile(r"(哪|什么)[\d一二两三四五六七八九十几]*[个家所些]?(?P<ohead>部门|机构|单位|机关|组织|公司|企业|大学|学校|高校|政府|委员会|银行|集团|团队|媒体|报纸|网站)"
                r"|\bwhich (department|agency|organi[sz]ation|body|authority|company|ministry|institution|university|bank)\b"), "org"),
    (re.compile(r"由谁|谁|哪位|何人|什么人|哪个人|\bwho\b|\bwhom\b|\bwhose\b"), "person"),
    (re.compile(r"哪里|哪儿|在哪(?![些几一个种])|什么地方|何地|何处|哪个地方|哪个国家|哪一?国(?!人)|哪个城市|哪个省|哪座城市|\bwhere\b|which (city|country|province|region|place)"), "place"),
    (re.compile(r"叫什么|名字|名称是什么|什么名称|称为什么|称作什么|又称什么|别称|简称是什么|\bname of\b|\bcalled\b|\bnamed\b"), "name"),
    (re.compile(r"条件|资格|要求|情形|\b(conditions?|requirements?|criteria|eligib\w*|qualif\w*)\b"), "condition"),
    (re.compile(r"哪些|哪几|有哪|包括什么|包括哪|列举|分别是|都有什么|几类|几种|\bwhat are\b|\bwhich are\b|\blist\b|what (kinds|types|areas|fields)"), "list"),
    (re.compile(r"什么是|是什么意思|指什么|是指什么|含义|定义|何谓|所称.{0,12}是|\bwhat (is|are) (a|an|the)?\s*\w+\s*\??$|\bdefin\w*|\bmean\b|\bmeaning\b"), "definition"),
    (re.compile(r"(哪个|哪一|哪种|哪类|哪项|哪条|什么)(?P<head>[\u4e00-\u9fff]{1,4})|\bwhich (?P<ehead>\w+)"), "entity"),
]
@dataclass(frozen=True)
class AskedFor:
    type: AnswerType
    head: str | None = None  # the noun after 哪个/什么 (部门, 公司): it names the answer, not the subject


def classify(search: str) -> AskedFor:
    """The answer type of a question (search form)."""
    low = search.lower().strip()
    for pattern, kind in _RULES:
        m = pattern.search(low)
        if not m:
            continue
        head = None
        if kind == "org":
            head = m.groupdict().get("ohead")  # 哪些公司: the kind of body asked for
        if kind == "entity":
            head = (_head_noun(low[m.start("head") :]) if m.group("head") else None) or m.groupdict().get("ehead") or None
            if head in _TIME_HEADS:
                return AskedFor("date", head)  # 哪一个世纪, 什么朝代: a when-question
        return AskedFor(kind, head)
    return AskedFor("other", None)


_MEASURE_WORDS = frozenset("个些种家位所条项类名座支部本批次届期件样")
_TIME_HEADS = frozenset({"世纪", "年代", "朝代", "年份", "年度", "时期", "时代", "季度", "月份"})


def _head_noun(rest: str) -> str | None:
    """The noun right after 哪一/哪个/什么 (哪一个海峡位于… → 海峡, 哪一州 → 州): measure words and
    numerals skipped, the noun cut where the next word starts (jieba), not at a fixed length."""
    for word, flag in _pos(rest[:12]):
        if word in _MEASURE_WORDS or flag in ("m", "q", "x") or word in ("一", "1"):
            continue
        if flag.startswith("n") or flag in ("vn", "zg", "ng") or len(word) == 1:
            return word
        return None
    return None


def wh_heads(search: str) -> set[str]:
    """Nouns that name the kind of answer (哪两个公司 → 公司; 什么部门 → 部门): not subject terms."""
    out: set[str] = set()
    for m in re.finditer(r"(?:哪|什么|何)(?:一[个位种类家所项条]|[个些一种家位类项条所几])?(?:[\d一二两三四五六七八九十]+[个家项位种类条所名])?([\u4e00-\u9fff]{2,4})", search):
        word = m.group(1)
        for n in (4, 3, 2):
            if len(word) >= n:
                out.add(word[:n])
        # 什么样的男性, 哪一类型的设施: the kind named after 样的 / 类型的
        if head := _noun_phrase_head(re.sub(r"^(?:样|型|类型|种类)的", "", search[m.start(1): m.start(1) + 10])):
            out.add(head)
    return out


def _noun_phrase_head(text: str) -> str | None:
    """The last noun of the noun phrase ``text`` opens with (元朝皇帝下令… → 皇帝): a Chinese phrase's head
    comes last, after its modifiers (哪一位元朝皇帝 asks for an emperor, not for 元朝)."""
    head = None
    for word, flag in _pos(text):
        if flag[:1] in ("n", "l") and not flag.startswith("nr") and len(word) >= 2:
            head = word
        elif flag[:1] not in ("t", "b", "s", "f") and flag != "m":
            break
    return head


_ATTRIBUTE = re.compile(r"([\u4e00-\u9fff]{2,6}?)(?:又|也|还|主要|通常|一般)?(?:是|为|有|叫|叫做|称为|称作|被称为|在|可达|约有|约为|达)?(?:什么|多少|哪|谁|怎样|怎么样|如何|几)")


_OPEN_COPULA = re.compile(r"([\u4e00-\u9fff]{2,6}?)(?:又|也|还|主要|通常|一般)?(?:是|为)\s*[?？]?\s*$")
_WH = re.compile(r"什么|哪|谁|多少|几|何|怎")


def attribute_nouns(search: str) -> set[str]:
    """The attribute a question asks about (X的长度是多少 → 长度; 主角叫什么 → 主角; 又称什么 → 又称):
    it names the answer's kind, and a passage answers it by giving the value, often without the word."""
    out: set[str] = set()
    found = list(_ATTRIBUTE.finditer(search))
    if not found and not _WH.search(search):
        # 朱棣实力大增的原因是?, 德国的第一大邦为?: a question left open after its copula asks for the
        # value of the noun before it, as 原因是什么 does
        found = list(_OPEN_COPULA.finditer(search))
    for m in found:
        words = _pos(m.group(1))
        if words:
            last, flag = words[-1]
            # an attribute is a common noun (长度, 主角); a person (王金璐是什么…) is the subject
            if len(last) >= 2 and not flag.startswith("nr"):
                out.add(last)
    return out


_DATE_RE = re.compile(
    r"(?:19|20)\d{2}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{1,2}\s*月(?:份|初|中旬|下旬|底)?|[一二三四]季度|上半年|下半年|年底|年末|年初|"
    r"(?:公元前?)?\d{1,4}\s*年代?|[一二三四五六七八九十〇零]{2,4}年|世纪|[\u4e00-\u9fff]{1,4}(?:时代|时期|年间|朝|王朝|年代)|[\u4e00-\u9fff]{1,3}纪(?:早期|中期|晚期|末期|初期|前期|后期)?|"
    r"(?:昭和|平成|明治|大正|令和|民国|康熙|乾隆|光绪)\s*[\d元一二三四五六七八九十]+年|\b(?:1[0-9]|20)\d{2}\b|"
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\b",
    re.I,
)
_ORG_SUFFIX = re.compile(
    r"[\u4e00-\u9fff]{2,}(?:部|厅|局|委员会|委|政府|部门|机构|公司|集团|大学|院|研究所|学会|协会|中心|中央|银行|办公室|常务委员会|人民代表大会)"
)


def is_organisation_name(word: str) -> bool:
    """Whether a word reads as an organisation's name by its suffix (云南大学, 北京市政府, 昆明银行)."""
    return bool(_ORG_SUFFIX.fullmatch(word))


# where a rule sends things: a platform, system or database (全国信用信息共享平台)
_VENUE = re.compile(r"[\u4e00-\u9fff]{2,}(?:平台|系统|数据库|网站|门户)")
# 第四部, 三部, 两院: a numeral and a measure word, not an organisation's name
_COUNTED = re.compile(r"[\d一二两三四五六七八九十百千几]+(?:部|院|局|委|厅|中心)$")
_LIST_MARK = re.compile(r"[、;；]|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|^\s*\d+[.、]|包括|分别|以及|等[\u4e00-\u9fff]{0,4}[。,，]")


# what follows a naming verb is a name (亦被称为地鳝及铁丝蛇, 又名…, 简称…): the words of an alias are
# often common nouns that no POS tag marks as a name
NAMING_VERBS = (
    "称为", "称作", "叫做", "又称", "亦称", "也称", "简称", "俗称", "别称", "通称", "统称", "昵称", "绰号", "外号",
    "又名", "原名", "别名", "全称", "译为", "译作", "名为", "号称", "被称", "人称", "改称", "称之为", "命名为",
)
_NAMED_AS = re.compile(rf"(?:{'|'.join(NAMING_VERBS)})[:：\s「“\"]*(?P<name>[^,，。;；、)）]{{2,20}})")
# a definition opening a sentence (自杀预防是指…, X指的是…): the term it defines
_DEFINED = re.compile(r"^(?P<name>[\u4e00-\u9fff]{2,10})(?:是指|指的是|,?是指)")
# how a text states a requirement (申报单位应为…, 须具备…, 不低于…, 注册满一年): what a condition question wants
_REQUIREMENT = re.compile(r"应当|应为|应是|应具|应有|须|需要|需|必须|具备|具有|满足|符合|不低于|不少于|不超过|不高于|以上的|以下的|满[\d一二三四五六七八九十]|注册|资格|条件")
_QUOTED = re.compile(r"[“「『《\"]([^”」』》\"]{1,30})[”」』》\"]")


@lru_cache(maxsize=8192)
def _pos(text: str) -> tuple[tuple[str, str], ...]:
    import jieba.posseg as pseg

    return tuple((p.word, p.flag) for p in pseg.lcut(text))


_ASKED_UNIT = re.compile(r"(?:多少|几)(?P<unit>万亿元|亿元|万元|元|美元|平方公里|公里|千米|厘米|公分|毫米|米|公斤|千克|克|吨|岁|度|人次|家|项|个|所|次|人|名|位|场|件|篇|批|条|种|类|倍|年|天|日|个月|%)")
# count units that answer each other (多少人 is answered by 900人次 or 30名)
_UNIT_FAMILIES = [{"人", "人次", "名", "位"}, {"家", "所", "户"}, {"次", "场", "场次", "人次"}, {"年", "个月", "天", "日"}]


# a how-much question about money without a unit (奖金是多少, 多少钱, how much prize money): an amount
# of money answers it, not a count (分为2个等级)
_MONEY = r"(?:奖金|奖励金|金额|资金|经费|费用|补助|资助|补贴|贷款|钱|money|funding|funds?|fees?|prize|grants?|subsid\w*)"
_MONEY_ASK = re.compile(rf"多少钱|{_MONEY}[^。?？,，]{{0,10}}(?:多少|几)|(?:多少|how much)[^。?？,，]{{0,12}}{_MONEY}")


# a question for a share (占职工总数的比例是多少, 占比, 百分之几, 几成, what percentage): a percentage or
# fraction answers it (不低于百分之十, 三分之二, 七成), not a count of something else
_SHARE_ASK = re.compile(r"比例|占比|比重|百分比|百分之几|几成|\bwhat (?:percentage|proportion|share|fraction)\b|\bhow much of\b")


_RATIO = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s*[:：∶]\s*\d+(?:\.\d+)?(?![\d.:：])")


def asked_unit(question: str) -> str | None:
    """The unit a how-many question names (多少人 → 人, 多少亿元 → 亿元; 奖金是多少 → 元; 比例是多少 → %),
    if any."""
    m = _ASKED_UNIT.search(question)
    if m:
        return m.group("unit")
    if _SHARE_ASK.search(question):
        return "%"
    return "元" if _MONEY_ASK.search(question) else None


def unit_fits(asked: str, q_unit: str, q_kind: str) -> bool:
    if asked.endswith("元") or asked == "美元":
        return q_kind == "money"
    if asked == "%":
        return q_kind == "percent"
    if asked == "个":
        return q_kind == "count"
    base = q_unit.lstrip("万亿千百")
    return base == asked or any(asked in f and base in f for f in _UNIT_FAMILIES)


_NOT_A_NAME_PART = "的个一各该此本每等哪这那其之与和及或在是为于了"


def fresh_head_instance(head: str, sentence: str, question: str) -> bool:
    """Whether the sentence names a thing of the kind asked (哪一州 → 南卡罗来纳州, 什么主义 →
    新柏拉图主义, 哪一个海峡 → 巴林坦海峡) that the question does not: the head noun with a word
    of its own in front."""
    for m in re.finditer(re.escape(head), sentence):
        before = sentence[max(0, m.start() - 2) : m.start()]
        if not before or before[-1] in _NOT_A_NAME_PART or not re.match(r"[\u4e00-\u9fff\da-z]", before[-1]):
            continue
        if f"{before}{head}" not in question and f"{before[-1]}{head}" not in question:
            return True
    return False


# how often something happens: 每年, 每半年至少一次, 每季度, 年度报告, 定期, 三十日内
_FREQUENCY = re.compile(
    r"每(?:一)?(?:年|半年|季度|季|个?月|周|星期|日|天)|(?:年度|季度|月度)(?:报告|评估|计划|考核)?|定期|"
    r"(?:\d+|[一二两三四五六七八九十百]+)(?:个)?(?:工作日|日|天|周|个月|月|年)(?:内|以内|一次)"
)
_ASKS_NAME = re.compile(r"名字|姓名|叫什么|名叫|\bname\b")


@lru_cache(maxsize=8192)
def _roles(text: str) -> tuple[str, ...]:
    """The nouns of ``text`` that name a person by role (主裁判, 政治家, 创始人: see ``is_role_noun``)."""
    from assistant.lexicon import is_role_noun

    return tuple(w for w, f in _pos(text) if f.startswith("n") and len(w) >= 2 and is_role_noun(w))


def _fresh_role(sentence: str, question: str) -> bool:
    """Whether the sentence names a person by role that the question does not, when the question
    names no role itself (省议员选举中有谁胜选: the role is given, who asks for a name among them)."""
    return not _roles(question) and any(w not in question for w in _roles(sentence))


def fresh_instance(kind: AnswerType, sentence: str, question: str, bodies: bool = False) -> bool:
    """Whether ``sentence`` (search form) holds an instance of ``kind`` that ``question`` does not name;
    ``bodies``: the sentence is of a regulation's article, where a where-question is answered by a body
    or a platform (共享到哪里 → 全国信用信息共享平台).

    A quantity must also be of the unit asked for, when the question names one (多少人 is not
    answered by 两场会议)."""
    if kind == "quantity":
        asked = {q.text for q in quantities(question)}
        unit = asked_unit(question)
        fresh = [q for q in quantities(sentence) if q.text not in asked]
        if unit == "%" and _RATIO.search(sentence):
            return True  # 按1:1的比例配套: a share written as a ratio
        if unit:
            return any(unit_fits(unit, q.unit, q.kind) for q in fresh)
        return bool(fresh) or _fresh_ordinal(sentence, question)
    if kind == "frequency":
        return bool(_FREQUENCY.search(sentence)) or fresh_instance("quantity", sentence, question)
    if kind == "date":
        asked = set(_DATE_RE.findall(question)) | years(question)
        return any(d not in asked and d not in question for d in _DATE_RE.findall(sentence))
    if kind == "person":
        if any(f in ("nr", "nrfg", "nrt") and len(w) >= 2 and w not in question for w, f in _pos(sentence)):
            return True
        if _ASKS_NAME.search(question):
            return False  # a question for a name (局长叫什么名字) wants a person's name
        # a who-question is answered by a role as well as a name (谁拥有最终仲裁权 → 主裁判), and by a named
        # organisation (赞助商是谁 → 索尼公司; 谁负责, 报谁批准: the actors of a regulation are bodies)
        return _fresh_role(sentence, question) or fresh_instance("org", sentence, question)
    if kind == "place":
        from ingest.divisions import find_places

        if any(name not in question for name, _ in find_places(sentence)):
            return True
        if bodies and (fresh_instance("org", sentence, question) or any(m.group(0) not in question for m in _VENUE.finditer(sentence))):
            return True  # 共享到哪里, 向哪里报送: in a rule the destination is a body or a platform (全国信用信息共享平台)
        if any(f == "ns" and len(w) >= 2 and w not in question for w, f in _pos(sentence)):
            return True
        # 义大利 (Taiwan's 義大利) is no word to jieba, 意大利 is: read the names in their mainland form too
        from ingest.normalize import mainland_names

        mainland, asked = mainland_names(sentence), mainland_names(question)
        return mainland != sentence and any(f == "ns" and len(w) >= 2 and w not in asked for w, f in _pos(mainland))
    if kind == "org":
        if any(m.group(0) not in question and not _COUNTED.search(m.group(0)) for m in _ORG_SUFFIX.finditer(sentence)):
            return True
        return any(f == "nt" and w not in question for w, f in _pos(sentence))
    if kind == "name":
        # a name: something quoted or titled, or a proper noun the question does not contain
        if any(q not in question for q in _QUOTED.findall(sentence)):
            return True
        if any(m.group("name") not in question for m in _NAMED_AS.finditer(sentence)):
            return True
        if (m := _DEFINED.match(sentence)) and m.group("name") not in question:
            return True  # 自杀预防是指…集体防范以减少自杀事件的行为: the defined term is the name asked for
        return any(f in ("nr", "nrfg", "nrt", "nz", "nt", "ns") and len(w) >= 2 and w not in question for w, f in _pos(sentence))
    if kind == "list":
        return bool(_LIST_MARK.search(sentence))
    if kind == "condition":
        return bool(_REQUIREMENT.search(sentence))
    return True


# where a text is divided (第二十二条, 第三章): a label of the passage, not a count it states
_STRUCTURAL = re.compile(r"[条款项章节编]$")


# a question for a rank (第几次, 哪一届, which session): answered by an ordinal. A how-much question is not:
# 第十二届…第十六次会议 in a law's header names a meeting, it is no amount of anything.
_ORDINAL_ASK = re.compile(r"第几|第多少|哪一?[届次期轮批代任版]|排名|排第|名次|\b(?:rank|ranked|ranking)\b|\bwhich (?:session|edition|round|time|batch)\b")


def _fresh_ordinal(sentence: str, question: str) -> bool:
    if not _ORDINAL_ASK.search(question.lower()):
        return False
    asked = {t for t, _ in ordinals(question)}
    return any(t not in asked and not _STRUCTURAL.search(t) for t, _ in ordinals(sentence))
