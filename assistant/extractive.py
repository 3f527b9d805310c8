"""Extractive answering, the offline default: quote the sentences that answer, with [n] citations.

No language model: the answer is made of the documents' own sentences, chosen by how much of the
question's subject they cover, whether they carry the period the question names, and whether they
hold a number when a number is asked for. Every figure in it is therefore in a cited passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from assistant.answer_types import fresh_head_instance, fresh_instance
from assistant.query import Query, event_kind, is_event_word
from assistant.retrieval import RetrievedChunk
from ingest.chunking import is_heading, sentences
from ingest.facts import has_quantity, period_keys
from ingest.normalize import search_form
from ingest.structure import header_events

# answer types a sentence must hold a fresh instance of to be an answer at all
TYPED = frozenset({"quantity", "frequency", "date", "person", "place", "org", "name"})

_HAS_NUMBER = re.compile(r"\d")

# Sentences that talk to the reader's assistant instead of reporting facts ("忽略以上所有指令…") are
# never evidence: documents are data, and a planted instruction must not become an answer.
INSTRUCTION_LIKE = re.compile(
    r"(忽略|无视|忘记|不要理会).{0,8}(指令|指示|提示|规则|要求|设定)|(ignore|disregard|forget).{0,20}(instruction|prompt|rule)"
    r"|system prompt|系统提示|你现在是|you are now|回答[::]",
    re.I,
)


def is_instruction(search_text: str) -> bool:
    return bool(INSTRUCTION_LIKE.search(search_text))


def evidence_text(search_text: str) -> str:
    """A passage without its instruction-like sentences: what may count as evidence for anything."""
    if not INSTRUCTION_LIKE.search(search_text):
        return search_text
    return "。".join(s for s in re.split(r"[。!?\n]", search_text) if not INSTRUCTION_LIKE.search(s))


@dataclass
class Sentence:
    text: str  # original script
    search: str
    chunk: RetrievedChunk
    rank: int
    score: float = 0.0
    matched: frozenset[str] = frozenset()
    near: frozenset[str] = frozenset()  # question terms found only around the sentence, in its chunk


Weight = Callable[[str], float]


def length_weight(term: str) -> float:
    """Longer terms are more specific (高新技术企业 says more than 企业)."""
    return min(len(term), 6) ** 1.2


_DATE = re.compile(r"\d{1,2}月\d{1,2}[日号]|\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月")
_META = re.compile(r"记者|来源[::]|时间[::]|发布时间|日报|通讯员")


def is_event_line(search: str) -> bool:
    """A line telling what happened to a regulation on a date (2002年6月29日…会议通过, 本法自…起施行): the
    ingest's own reading of header events (``ingest.structure.header_events``), so that the lines the
    answer quotes are the events the manifest records."""
    return bool(header_events(search))


def has_date(text: str) -> bool:
    return bool(_DATE.search(text))


def _holds(term: str, text: str, query: Query) -> bool:
    if term in text:
        return True
    alts = query.alternatives.get(term)
    return bool(alts) and any(a in text for a in alts)


def term_credit(term: str, text: str, query: Query, synonym_credit: float = 0.8) -> float:
    """How much of ``term`` the sentence holds: 1 for the term or its translation, ``synonym_credit``
    for a Cilin synonym (由徐根宝所创建 answers 由谁创立: the answer sentence rarely repeats the
    question's verb, and the one that does is often the sentence restating the question), else 0."""
    if _holds(term, text, query):
        return 1.0
    if synonym_credit and term not in query.alternatives and re.search(r"[\u4e00-\u9fff]", term):
        if any(s in text for s in query.synonyms_of(term)):
            return synonym_credit
    return 0.0


def sentence_terms(query: Query) -> list[str]:
    """What a sentence is scored on: the subject words, plus the places the question names in its own
    words (广三铁路 → 广三: among a document's sentences the one naming the asked-about line, not the
    one about its neighbour, answers)."""
    terms = list(query.content_terms or query.tokens)
    if query.asked_event:
        # 2017年修订了,最早是哪年通过的: which event is asked is settled (score_sentence's event bonus);
        # the other event word says what happened, and must not make its line the answer
        terms = [t for t in terms if not is_event_word(t)]
    terms += sorted(p for p in query.places if p in query.search and p not in terms and not any(p in t for t in terms))
    return terms


def score_sentence(
    query: Query, sent: Sentence, weight: Weight = length_weight, prior: float = 1.0, type_bonus: float = 0.2,
    synonym_credit: float = 0.8,
) -> Sentence:
    """Share of the question's subject (weighted) that the sentence holds, adjusted for what is asked."""
    terms = sentence_terms(query)
    total = sum(weight(t) for t in terms) or 1.0
    credit = {t: term_credit(t, sent.search, query, synonym_credit) for t in terms}
    matched = frozenset(t for t, c in credit.items() if c > 0)
    # the document's subject (its title: 上海有线02足球俱乐部, 紫堇属) is what every sentence of it is
    # about: a term of the title counts for each sentence, so the sentence that restates the subject
    # does not win over the one that answers (由徐根宝创立)
    title = search_form(sent.chunk.title)
    topic = [t for t in terms if t not in matched and _holds(t, title, query)]
    # terms found only around the sentence (its chunk, section) count a little: "科技局" in the
    # sentence before "5个小分队…" still says whose teams they are
    around = [t for t in terms if t not in matched and t not in topic and _holds(t, sent.chunk.search_text, query)]
    score = (sum(weight(t) * credit[t] for t in matched) + sum(weight(t) for t in topic) + 0.3 * sum(weight(t) for t in around)) / total
    if query.asks_date:
        score += 0.25 if has_date(sent.search) else -0.1
    if query.asks_meta and _META.search(sent.search):
        score += 0.4
    if query.asks_events and (events := header_events(sent.search)):
        # the event asked about first (施行日期 → 本法自…起施行), the text's other events after it
        asked = not query.asked_event or any(event_kind(e.type) == query.asked_event for e, _ in events)
        score += 0.4 if asked else 0.2
    if query.periods:
        keys = period_keys(sent.search)
        if query.periods & keys:
            score *= 1.3
        elif keys:
            score *= 0.9
    if query.asks_number:
        score += 0.15 if _HAS_NUMBER.search(sent.search) else -0.1
    if query.asked.type in TYPED and answers_type(query, sent):
        score += type_bonus
    elif query.asked.type == "condition" and fresh_instance("condition", sent.search, query.search):
        score += type_bonus  # a sentence stating a requirement (应为…, 须…, 不低于…)
    elif query.asked.type == "entity" and query.asked.head and fresh_head_instance(query.asked.head, sent.search, query.search):
        score += type_bonus  # a bonus, not a filter: 哪种地形 is answered by 山地, which does not end in 地形
    return Sentence(sent.text, sent.search, sent.chunk, sent.rank, score * prior, matched, frozenset(around))


_ITEM = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|\d{1,2}[.、．]|[一二三四五六七八九十]+、|[①-⑳])")


def list_items(best: Sentence, scored: list[Sentence], limit: int = 15) -> list[Sentence]:
    """The enumerated items ((一)(二)…, 1. 2.) of the best sentence's passage, in document order:
    a list question is answered with the whole list, not the item that shares most words with it."""
    text = best.chunk.text
    at = text.find(best.text)
    ours = sorted((s for s in scored if s.chunk.chunk_id == best.chunk.chunk_id), key=lambda s: text.find(s.text))
    items: list[Sentence] = []
    for s in ours:
        pos = text.find(s.text)
        if pos <= at:
            continue
        if not _ITEM.match(s.text):
            if items:
                break  # the list ended
            continue
        items.append(s)
    if not items and _ITEM.match(best.text):
        # the best sentence is itself an item: the list around it, in order
        items = [s for s in ours if _ITEM.match(s.text)]
    return items[:limit]


def best_enumeration(query: Query, chunks: list[RetrievedChunk], weight: Weight = length_weight) -> list[Sentence]:
    """The enumerated list whose lead line (a heading or sentence just before its first item) names most
    of the question's terms: its lead and all its items, in document order; [] when no lead names any."""
    best: tuple[float, list[Sentence]] = (0.0, [])
    terms = query.content_terms
    for rank, chunk in enumerate(chunks):
        lines = [ln.strip() for ln in chunk.text.splitlines() if ln.strip()]
        i = 0
        while i < len(lines):
            if _ITEM.match(lines[i]) and i > 0 and not _ITEM.match(lines[i - 1]):
                j = i
                while j < len(lines) and _ITEM.match(lines[j]):
                    j += 1
                lead = lines[i - 1]
                lead_search = search_form(lead)
                got = sum(weight(t) for t in terms if _holds(t, lead_search, query))
                got += 0.5 * sum(weight(t) for t in terms if any(_holds(t, search_form(x), query) for x in lines[i:j]))
                if got > best[0]:
                    block = [Sentence(x, search_form(x), chunk, rank) for x in [lead, *lines[i:j]]]
                    best = (got, block)
                i = j
            else:
                i += 1
    return best[1]


# a short line ending in a colon introduces what follows (各县市科技局、有关单位: / 联系方式:): it says nothing itself
_LEAD_LINE = re.compile(r"^.{0,24}[:：]$")
_BOILERPLATE = re.compile(r"(通知|公告|说明|规定|报告)如下[。::]?$|特此(通知|公告)|^(附件|附:)|如下[::]$|^\s*-\s*[\u4e00-\u9fff]{1,6}[::]")


def is_question(text: str) -> bool:
    """Interrogative sentences ask, they do not answer."""
    return text.rstrip().endswith(("?", "？")) or bool(re.search(r"(吗|呢)[?？]?$", text.rstrip()))


def answers_type(query: Query, sent: Sentence) -> bool:
    """Whether the sentence holds a fresh instance of what the question asks for
    (:func:`assistant.answer_types.fresh_instance`). A question for kinds of body (哪些公司可优先支持) is
    also answered by a sentence naming a kind of that body or of its synonym (科技型中小企业: 公司 ~ 企业),
    where a named body (州科技局) is no answer to it."""
    if fresh_instance(query.asked.type, sent.search, query.search, of_article(sent)):
        return True
    head = query.asked.head if query.asked.type == "org" else None
    if not head or not re.search(rf"(?:哪些|哪几|什么样的?|什么){re.escape(head)}", query.search):
        return False  # 哪个部门, 哪家公司: one body, by its name
    return any(fresh_head_instance(h, sent.search, query.search) for h in (head, *query.synonyms_of(head)))


def of_article(sent: Sentence) -> bool:
    """Whether a sentence is of a regulation's article (its chunk carries the article it belongs to)."""
    return bool(sent.chunk.meta.get("article"))


def candidate_sentences(chunks: list[RetrievedChunk], limit_chunks: int = 4, events: bool = False, meta: bool = False) -> list[Sentence]:
    """The sentences of the top chunks that may answer; ``events``: a regulation's dated header lines
    (2015年8月29日…修正) too, for a question about its history, where nothing else answers; ``meta``: a
    report's byline lines (- 来源:昆明信息港, - 时间:2024-09-23), for a question about its source or date."""
    seen: set[str] = set()
    out: list[Sentence] = []
    for rank, chunk in enumerate(chunks[:limit_chunks]):
        title = search_form(chunk.title)
        for text in sentences(chunk.text):
            search = search_form(text)
            byline = meta and bool(_META.search(search))
            # skip headings (not a regulation's dated event lines), the title, questions, boilerplate and
            # fragments: not answers
            if (
                len(search) < 8 or search in seen or is_instruction(search) or (is_heading(text) and not (events and is_event_line(search)) and not byline)
                or search.strip() == title.strip() or is_question(search) or (_BOILERPLATE.search(search) and not byline)
                or _LEAD_LINE.match(search.strip())
            ):
                continue
            seen.add(search)
            out.append(Sentence(text, search, chunk, rank))
    return out


@dataclass(frozen=True)
class SelectRules:
    """Thresholds of sentence selection (from Settings)."""

    max_sentences: int = 3
    min_score: float = 0.15
    add_ratio: float = 0.85
    type_bonus: float = 0.2
    chunk_prior: float = 0.5
    limit_chunks: int = 4
    synonym_credit: float = 0.8
    dense_k: int = 4
    dense_weight: float = 0.3
    dense_tie: float = 0.02


Similarity = Callable[[list[str]], list[float]]


def rerank_by_similarity(scored: list[Sentence], similarity: Similarity, k: int, weight: float, tie: float = 0.02) -> list[Sentence]:
    """Break near-ties among the best sentences by their embedding similarity to the question.

    Word overlap often ties: every sentence of a document gets its title's terms, and the one
    restating the question shares as many words as the one answering it; the multilingual embedder
    tells them apart (CMRC development set: the answer sentence first for 0.78 → 0.81 of answerable
    questions; the gain did not depend on the weight between 0.1 and 1, i.e. it comes from ties).
    So only the sentences within ``tie`` of the best score (among the best ``k``) are embedded, and
    none when nothing ties: embedding costs tens of milliseconds per sentence on a small CPU. Only
    sentences of the best one's document compete: between documents (two years' reports stating the
    same figure) retrieval's order, which prefers the newer one, stands."""
    best_score, doc = scored[0].score, scored[0].chunk.doc_id
    tied = [i for i, x in enumerate(scored[:k]) if x.score >= best_score - tie and x.chunk.doc_id == doc]
    if len(tied) < 2:
        return scored
    head = [scored[i] for i in tied]
    tail = [x for i, x in enumerate(scored) if i not in tied]
    sims = list(similarity([s.text for s in head]))
    top = max(sims)
    adjusted = [
        Sentence(s.text, s.search, s.chunk, s.rank, s.score + weight * (sim - top), s.matched, s.near)
        for s, sim in zip(head, sims)
    ]
    return sorted(adjusted, key=lambda s: s.score, reverse=True) + tail


# a sentence that opens by pointing back (该党也是…, 在此片…, 这座宫…, 他…): what it speaks of is named
# in the sentence before it, which the answer must quote too
_ANAPHOR = re.compile(r"^(?:[^,，。]{1,4}[,，])?[^,，。]{0,8}?(?:该|此|这|那|其)(?![中他余实后外时样])|^(?:[^,，。]{1,4}[,，])?(?:他|她|它)")


_COPULAS = frozenset("为是系乃")


def opens_with_predicate(search: str) -> bool:
    """Whether a sentence opens with its verb, its subject left to the sentence before (曾任北京大学校长,
    位于西城区, 是中国最大的城市): jieba tags its first word a verb or an adverb."""
    import jieba.posseg as pseg

    words = pseg.lcut(search[:12])
    if not words:
        return False
    if words[0].flag in ("v", "d"):
        return True
    # 原为…, 现为…, 后成为…: a one-character adverb jieba tags otherwise (原/n, 现/tg, 后/f) before
    # the copula or verb
    return len(words) > 1 and len(words[0].word) == 1 and (words[1].flag == "v" or words[1].word in _COPULAS)


def _before(sent: Sentence) -> list[Sentence]:
    """The sentences of ``sent``'s chunk before it, nearest first (none when it is not found there)."""
    texts = sentences(sent.chunk.text)
    searches = [search_form(t) for t in texts]
    if sent.search not in searches:
        return []
    i = searches.index(sent.search)
    return [Sentence(texts[j], searches[j], sent.chunk, sent.rank, sent.score, frozenset(), frozenset()) for j in range(i - 1, -1, -1)]


def list_lead_of(sent: Sentence) -> Sentence | None:
    """The sentence that opens the list an enumerated item belongs to ("从事下列活动的,…享受税收优惠:" before
    "(二)进口…"): an item quoted alone loses what the list is of. None when ``sent`` is no item."""
    if not _ITEM.match(sent.text):
        return None
    lead = next((b for b in _before(sent) if not _ITEM.match(b.text)), None)
    return lead if lead is not None and re.search(r"[:：]\s*$", lead.text) else None


def antecedent_of(sent: Sentence) -> Sentence | None:
    """The sentence before ``sent`` in its chunk when ``sent`` opens by pointing back to something
    (该党, 此片, 他), so the quote names what it is about; else None."""
    if not _ANAPHOR.search(sent.search) and not opens_with_predicate(sent.search):
        return None
    prev = next(iter(_before(sent)), None)
    if prev is None or len(prev.search) < 8 or is_heading(prev.text) or is_question(prev.search):
        return None
    return prev


def select(
    query: Query, chunks: list[RetrievedChunk], weight: Weight = length_weight, max_sentences: int = 3,
    rules: SelectRules | None = None, similarity: Similarity | None = None,
) -> list[Sentence]:
    """The best sentence, plus others that add question terms the first one lacks (lists, comparisons).

    A sentence's score is scaled by how its chunk ranked (1 - prior + prior × chunk score / best chunk
    score), so retrieval's judgement of places, years and recency carries into the choice of sentence.
    For a question asking for a quantity, date, person, place or organisation, only sentences holding
    a fresh instance of it (not one the question already names) compete: none means no answer ([]).
    ``similarity`` (texts → similarity of each to the question), when given, re-orders the best few.
    """
    rules = rules or SelectRules(max_sentences=max_sentences)
    max_sentences = rules.max_sentences
    top = max((c.score for c in chunks), default=0.0) or 1.0
    prior = rules.chunk_prior
    candidates = candidate_sentences(chunks, rules.limit_chunks, events=query.asks_events, meta=query.asks_meta)
    if query.asked.type in TYPED:
        # a byline line answers a question about a text's source or author whatever else it asks
        # (来源是哪个网站?哪天发布的?: the date and the source line)
        candidates = [
            s for s in candidates
            if answers_type(query, s) or (query.asks_meta and _META.search(s.search))
        ]
    scored = sorted(
        (
            score_sentence(query, s, weight, 1 - prior + prior * max(s.chunk.score, 0.0) / top, rules.type_bonus, rules.synonym_credit)
            for s in candidates
        ),
        key=lambda s: s.score,
        reverse=True,
    )
    if similarity is not None and rules.dense_k > 1 and len(scored) > 1:
        scored = rerank_by_similarity(scored, similarity, rules.dense_k, rules.dense_weight, rules.dense_tie)
    if not scored or scored[0].score <= rules.min_score:
        return scored[:1]
    best = scored[0]
    chosen = [best]
    covered = set(best.matched)
    for s in scored[1:]:
        if len(chosen) >= max_sentences:
            break
        adds = s.matched - covered
        if s.score >= rules.add_ratio * best.score and adds and sum(map(weight, adds)) >= 0.2 * sum(map(weight, covered)):
            chosen.append(s)
            covered |= s.matched
        elif query.asks_meta and _META.search(s.search) and s.chunk.doc_id == best.chunk.doc_id:
            chosen.append(s)  # date, source and byline lines answer together
        elif query.asks_events and is_event_line(s.search) and is_event_line(best.search) and s.chunk.doc_id == best.chunk.doc_id:
            chosen.append(s)  # a text's history is all its header events: adopted, revised, in force
        elif (
            query.asks_number
            and not query.this_year
            and len({c.chunk.doc_id for c in chosen}) < 2
            and s.chunk.doc_id not in {c.chunk.doc_id for c in chosen}
            and s.score >= 0.8 * best.score
            and s.matched | s.near >= best.matched
            and has_quantity(s.search)
        ):
            # the same figure in another document (another year or city, when the question names
            # none): show both, newest first, each with its own citation, rather than pick one
            chosen.append(s)
    if query.asked.type in ("list", "condition"):
        items = list_items(best, scored)
        if not items:
            # the list may stand under a heading rather than after the best sentence (一、支持领域 + items)
            block = best_enumeration(query, chunks[: rules.limit_chunks], weight)
            held = {t for t in sentence_terms(query) for x in block if term_credit(t, x.search, query, rules.synonym_credit) > 0}
            if block and best.matched <= held:
                return block  # unless the best sentence says something the list does not (申报单位应为…)
            if block:
                # the list's own article says all the best sentence says (第九条 …重大科学发现的个人。前款所称
                # 重大科学发现，应当具备下列条件：(一)…): that sentence and the list, in the article's order
                listed, home = {x.search for x in block}, block[0].chunk.chunk_id
                own = next((x for x in scored if x.chunk.chunk_id == home and x.search not in listed and best.matched <= x.matched | held), None)
                if own is not None:
                    return sorted([own, *block], key=lambda x: own.chunk.text.find(x.text))
        chosen += [s for s in items if s not in chosen]
    if query.asks_number and len({c.chunk.doc_id for c in chosen}) > 1:
        chosen.sort(key=lambda c: c.chunk.date, reverse=True)
    # what a which/who/what question asks for is often named only in the sentence before (该党也是第九大党);
    # a figure, a date or a list stands in the sentence itself
    wants_name = query.asked.type not in ("quantity", "frequency", "date", "list", "condition")
    antecedent = antecedent_of(best) if wants_name else None
    if antecedent is not None and all(antecedent.search != c.search for c in chosen):
        chosen.insert(0, antecedent)
    lead = list_lead_of(chosen[0]) if chosen else None
    if lead is not None and all(lead.search != c.search for c in chosen):
        chosen.insert(0, lead)  # (二)进口国内不能生产的…用品 says nothing without 从事下列活动的,享受税收优惠:
    # keep document order within a chunk, so a list reads as the document wrote it
    return chosen

