"""The one assistant API: ``Assistant.ask`` / ``Assistant.stream``. The CLI, the UI and tests call it.

>>> from assistant import Assistant
>>> bot = Assistant()                                   # settings from POLICYQA_* env vars
>>> ans = bot.ask("1至8月技术合同成交额是多少?")          # doctest: +SKIP
>>> ans.answer, ans.citations[0].title                   # doctest: +SKIP
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterator, Sequence

from assistant.extractive import TYPED, SelectRules, Sentence, evidence_text, has_date, length_weight, select
from assistant.guard import Coverage, CoverageRules, best_coverage, coverages, unsupported_figures
from assistant.query import Query, analyse, period_keys, years
from ingest.facts import context_year, display_periods, has_quantity, period_name, strip_periods
from assistant.retrieval import HybridRetriever, KnowledgeBase, RetrievedChunk
from ingest.embedder import Embedder
from ingest.normalize import Script, detect_script, nfkc, search_form, to_script
from ingest.settings import Settings

log = logging.getLogger(__name__)

History = Sequence[Any]  # [(user, assistant), ...] or Gradio-style [{"role":..., "content":...}, ...]


@dataclass
class Citation:
    n: int
    doc_id: str
    title: str
    date: str
    source: str
    chunk_id: str
    text: str
    page: int | None = None  # PDF page (1-based) the passage starts on
    article: str | None = None  # "第四十五条" for a regulation's article
    chapter: str | None = None
    doc_status: str | None = None  # "current" | "superseded" | None (not a versioned text)
    version_date: str | None = None
    ocr: bool = False  # the passage is recognised text (OCR): a reader should check the original

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def label(self, english: bool = False) -> str:
        """How a citation is named to a reader: 《促进科技成果转化法》第四十五条, 第3页, 识别文本, 已被修订."""
        name = f"《{self.title}》{self.article or ''}" if self.article else self.title
        extra = [f"p. {self.page}" if english else f"第{self.page}页"] if self.page else []
        if self.ocr:
            extra.append("OCR text, check the original" if english else "识别文本")
        if self.doc_status == "superseded":
            extra.append(f"superseded version of {self.version_date}" if english else f"已被修订的{self.version_date or ''}版本")
        where = ", ".join(x for x in (self.date or "n.d.", self.source or self.doc_id) if x)
        return f"{name}{' · ' + ' · '.join(extra) if extra else ''} ({where})"

    @classmethod
    def of(cls, n: int, chunk: RetrievedChunk, doc: Any = None) -> "Citation":
        """The citation of a retrieved chunk: chunk-level facts from its metadata (page, article,
        chapter, OCR), document-level ones (version status) from the manifest's record, which an
        upload of a newer version changes without re-embedding the chunks."""
        meta = chunk.meta
        page = meta.get("page")
        return cls(
            n, chunk.doc_id, chunk.title, chunk.date, chunk.source, chunk.chunk_id, chunk.text,
            page=int(page) if isinstance(page, (int, float)) and page > 0 else None,
            article=meta.get("article") or None,
            chapter=meta.get("chapter") or None,
            doc_status=getattr(doc, "status", None) or None,
            version_date=getattr(doc, "version_date", None) or None,
            ocr=bool(meta.get("ocr_low_confidence") or False),
        )


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[RetrievedChunk] = field(default_factory=list)
    mode: str = "extractive"
    model: str | None = None
    standalone_question: str | None = None
    flagged_figures: list[str] = field(default_factory=list)
    note: str | None = None
    error: str | None = None
    seconds: float = 0.0
    # answered: as asked; refused: the documents do not say; nearest: they give another period's
    # figure (shown, but not as the answer); invalid-input: empty, too long, no words
    status: str = ""

    def __post_init__(self) -> None:
        if not self.status:
            self.status = "invalid-input" if self.error and not self.retrieved and self.refused else ("refused" if self.refused else "answered")

    def to_json(self) -> dict[str, Any]:
        """The `policyqa ask --json` contract (plus mode/model/flags, which readers may ignore)."""
        return {
            "question": self.question,
            "answer": self.answer,
            "status": self.status,
            "refused": self.refused,
            "citations": [c.to_json() for c in self.citations],
            "retrieved": [
                {"doc_id": c.doc_id, "chunk_id": c.chunk_id, "score": round(float(c.score), 6), "text": c.text}
                for c in self.retrieved
            ],
            "mode": self.mode,
            "model": self.model,
            "standalone_question": self.standalone_question,
            "flagged_figures": self.flagged_figures,
            "note": self.note,
            "error": self.error,
        }


# --- messages in the reader's script ------------------------------------------------------------

_MESSAGES = {
    "empty": ("请输入一个问题。", "Please type a question."),
    "too_long": ("问题太长({n}字),请精简到{m}字以内。", "The question is too long ({n} characters); please keep it under {m}."),
    "refusal": ("文档中没有找到这个问题的答案{why}。下面是最相关的段落,仅供参考。",
                "The documents do not say{why}. The nearest passages are listed below for reference."),
    "no_index": ("知识库还没有建立:{detail}", "The knowledge base is not ready: {detail}"),
    "period": ("注意:文档给出的是{have}的数据,没有单独给出{asked}的数据。",
               "Note: the documents give the figure for {have}, not for {asked}."),
    "flagged": ("(模型回答中的数字{figs}在引用段落中找不到,已改为显示原文摘录。)",
                "(The model's answer contained figures not found in the cited passages ({figs}); the quoted passages are shown instead.)"),
    "according": ("", "According to the documents: "),
}

# a law or regulation named in a question, by the words its titles end with
_NAMED_RULE = re.compile(r"((?:[\u4e00-\u9fff]{2,8}(?:省|市|自治区|县|区))?[\u4e00-\u9fff]{2,24}?(?:条例|办法|实施细则|细则|法))(?:规定|中|里|第|的|$|[,，?？])")
_AMOUNT_ASK = re.compile(r"标准|数额|金额|多少|费用|收费|how much|amount|\bfee")
# a question asking for the content of a rule (the procedure, the standard, the conditions)
_RULE_ASK = re.compile(r"具体|办法|标准|细则|规则|程序|条件|要求|怎么|如何|怎样|哪些|what are|how (?:is|are|do|does)|rules|criteria|procedure|standard")
# ... and one asking who sets it: the body is then the answer, not a reason to refuse
_BODY_ASK = re.compile(r"由谁|谁来|谁定|谁制定|谁规定|哪个部门|哪一?级|什么部门|哪个机关|哪家|who\b|which (?:body|authority|department)")
# "X办法由Y(会同Z)(，…)制定": the text leaves the content of a rule to a body. The verb must end the
# clause: 由财政部门按照相关规定予以处理 applies rules, it does not delegate them.
_DELEGATED = re.compile(
    r"(?P<thing>(?:办法|标准|数额|金额|条件|细则|规则|目录|程序|方案|比例|事项))?[，,]?由(?P<body>[\u4e00-\u9fff、]{2,30}?)"
    r"(?:会同[\u4e00-\u9fff、]{2,30}?)?(?:[，,][^。；;]{0,40}?)?(?:另行)?(?:规定|制定|确定|核定)(?=$|[。；;，,并])"
)
_RULE_KINDS = frozenset({"law", "administrative_regulation", "local_regulation", "normative_document"})
_WHICH_ARTICLE = re.compile(r"哪一?条|第几条|哪个条款|which article|what article")


# what ends a clause before a rule's name in a question: 是哪天通过青年创新创业促进条例, 2020年版条例
_BEFORE_NAME = re.compile(r"^.*(?:的|是|了|吗|版|哪天|哪年|什么|谁|怎么|通过|修订|修正|颁布|发布|施行|实施)")
# words ending in 法 that are not laws (说法, 做法, 合法)
_NOT_A_LAW = re.compile(r"(?:说|做|方|看|想|用|手|合|依|非|违|立|执|司|算|写|办)法$")


def rule_name(raw: str) -> str:
    """The name of a law or regulation as a question writes it, without what precedes it in the
    sentence ("现行的国家科学技术奖励条例" → 国家科学技术奖励条例) or "" when it names none
    (本条例, 这部法, 照顾的说法)."""
    name = raw.replace("中华人民共和国", "")
    name = _BEFORE_NAME.sub("", name)
    name = re.sub(r"^(?:根据|按照|依据|依照|关于|在|按|对于|对)", "", name)
    # 该条例, 本法, 这部条例, 上述办法, 现行条例: the text already in question (or its current version), not a name
    name = re.sub(r"^(?:该|本|此|这部|这个|这项|上述|那部|前述|现行|最新|新|旧|原|修订后|修改后)", "", name)
    if _NOT_A_LAW.search(name) and not name.endswith("办法"):
        return ""
    if re.search(r"哪|何(?!以)", name):
        return ""  # 哪国刑事程序法, 哪一级条例: the question asks which law, it names none
    return name


def left_to_other_rules(query: Query, sentences: list[tuple[str, str]], context: Sequence[str] = ()) -> str | None:
    """The body a provision leaves the answer to, when the question asks how much ("收费标准由…另行规定"
    gives no amount) or what a rule says (提名办法由…制定 does not say how nominating works); else None.

    ``sentences``: (search form, text) of the chosen sentences. ``context``: the other passages that
    cover the question (search form), where a delegation counts only when it names the very rule the
    question asks about (评审办法是什么 and "评审办法由…制定" in another article than the one quoted).
    A question asking *who* sets the rule is answered by that body, so it is never refused here.
    """
    amount = query.asks_number or bool(_AMOUNT_ASK.search(query.search))
    content = bool(_RULE_ASK.search(query.search.lower())) and query.asked.type not in ("org", "person")
    if not (amount or content) or _BODY_ASK.search(query.search.lower()):
        return None
    for search, text in sentences:
        for m in _DELEGATED.finditer(search):
            # how much: any delegation without a figure; what a rule says: the rule itself is delegated
            if (amount and not has_quantity(text)) or (content and m.group("thing")):
                return m.group("body")
    if content:
        for passage in context:
            for m in _DELEGATED.finditer(passage):
                if m.group("thing") and _names_rule(query.search, passage[: m.end("thing")]):
                    return m.group("body")
    return None


def _names_rule(question: str, before: str) -> bool:
    """Whether the question names the rule a delegation is about: the words ending at the rule's kind
    (提名办法, 评审办法 in "…。评审办法由…制定"), at least two characters besides the kind itself."""
    phrase = re.split(r"[。；;，,:：、\s]", before)[-1]
    return any(phrase[-n:] in question for n in range(len(phrase), 3, -1))


# why a question was refused, in the reader's language ({terms}: the uncovered terms)
_WHY = {
    "missing": ("文档未提及:{terms}", "not mentioned: {terms}"),
    "quantity": ("文档未给出相应数字", "no such figure is given"),
    "date": ("文档未给出相应日期", "no such date is given"),
    "frequency": ("文档未给出相应频次", "no such frequency is given"),
    "person": ("文档未提到相应的人", "no person is named for this"),
    "place": ("文档未给出相应地点", "no such place is given"),
    "org": ("文档未提到相应的单位", "no such organisation is named"),
    "name": ("文档未给出相应的名称", "no such name is given"),
    "none": ("", "no passage answers it"),
    "delegated": ("文档未给出具体规定,由{terms}另行规定", "the text does not set it: it is left to {terms}"),
}


def has_subject(query: Query) -> bool:
    """Whether the question names something to look for: a subject word, or a place when it asks for
    an answer of a type (香港的广东人是哪一年之后才抵港的: its verbs are single characters, so nothing is
    left of it but its places and the year it asks for). A bare place ("香港呢?") asks nothing, and nor
    does a place with a how-much ("北京有多少?"): a figure of something never named would be a guess."""
    return bool(query.content_terms) or (bool(query.places) and query.asked.type in TYPED - {"quantity", "frequency"})


def message(key: str, script: Script, **kw: Any) -> str:
    zh, en = _MESSAGES[key]
    if script == "Latin":
        return en.format(**kw)
    return to_script(zh.format(**kw), script)


_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff\ud800-\udfff]")


def clean_question(question: str) -> str:
    return _CONTROL.sub(" ", _ANSI.sub(" ", question or "")).strip()


def _has_words(text: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


# --- follow-up questions without an LLM -------------------------------------------------------------

_FOLLOW_UP = re.compile(r"^(那|那么|还有|另外|而|and\b|what about|how about|and what)", re.I)


def history_pairs(history: History | None) -> list[tuple[str, str]]:
    """Accepts [(user, assistant)] pairs or Gradio message dicts."""
    pairs: list[tuple[str, str]] = []
    pending_user: str | None = None
    for item in history or []:
        if isinstance(item, dict):
            content = item.get("content")
            text = content if isinstance(content, str) else str(content or "")
            if item.get("role") == "user":
                pending_user = text
            elif item.get("role") == "assistant" and pending_user is not None:
                pairs.append((pending_user, text))
                pending_user = None
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            pairs.append((str(item[0] or ""), str(item[1] or "")))
    return pairs


def contextualise(question: str, history: list[tuple[str, str]]) -> str:
    """Fold an elliptical follow-up ("那上半年呢?") into the previous question, swapping its period."""
    if not history:
        return question
    q = analyse(question)
    if len(q.content_terms) > 1 and not _FOLLOW_UP.match(question.strip()):
        return question
    previous = nfkc(history[-1][0])
    if q.periods or q.years:
        # drop the previous question's period and year, so the new one wins
        previous = strip_periods(previous)
    if q.places:
        # a follow-up naming another place ("那玉溪呢?") asks about it instead of the previous one
        for place in sorted(analyse(previous).places, key=len, reverse=True):
            if place not in q.places:
                previous = re.sub(rf"{re.escape(place)}(?:市|省|区|县|州)?", "", previous)
    stripped = re.sub(r"^(那么|那|还有|另外|而)", "", question.strip())
    stripped = re.sub(r"[呢吗?？]+$", "", stripped)
    return f"{stripped} {previous}".strip()


def keeps_follow_up(follow_up: str, rewritten: str) -> bool:
    """A rewrite must keep the follow-up's own periods, years, places and subject words."""
    a, b = analyse(follow_up), analyse(rewritten)
    return (
        a.periods <= b.periods
        and a.years <= b.years
        and a.places <= b.places
        and all(t in b.search for t in a.content_terms)
    )


class Assistant:
    """Answers questions from the knowledge base; build once, ask many times (thread-safe reads)."""

    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None) -> None:
        self.settings = settings or Settings()
        self.kb = KnowledgeBase(self.settings, embedder=embedder)
        self.retriever = HybridRetriever(self.kb, self.settings)
        self._llm: Any = None

    # -- public API ------------------------------------------------------------------------------

    def ask(self, question: str, history: History | None = None, mode: str | None = None) -> Answer:
        final: Answer | None = None
        for item in self.stream(question, history, mode):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final

    def stream(self, question: str, history: History | None = None, mode: str | None = None) -> Iterator[str | Answer]:
        """Text deltas while the answer is produced, then the final :class:`Answer` (always last)."""
        started = time.perf_counter()
        mode = mode or self.settings.mode
        text = clean_question(question)
        script = detect_script(text) if text else "Hans"
        if not text or not _has_words(text):
            yield self._input_error(question, message("empty", script), started)
            return
        if len(text) > self.settings.max_question_chars:
            yield self._input_error(question, message("too_long", script, n=len(text), m=self.settings.max_question_chars), started)
            return
        from assistant.changes import what_changed  # "2024年修订有哪些变化?": the diff of two versions (issue 12)

        if (changes := what_changed(text, script, self.kb, self.settings)) is not None:
            changes.seconds = time.perf_counter() - started
            yield changes.answer
            yield changes
            return
        from assistant.in_force import in_force_answer  # "2020年版…还有效吗?": the library's version status (issue 12)

        if (status := in_force_answer(text, script, self.kb, self.settings)) is not None:
            status.seconds = time.perf_counter() - started
            yield status.answer
            yield status
            return
        from assistant.eligibility.chat import eligibility_answer  # "我们…能申报…吗?": the checklist (issue 14)

        if (checklist := eligibility_answer(text, script, self.kb, self.retriever, self.settings)) is not None:
            checklist.seconds = time.perf_counter() - started
            yield checklist.answer
            yield checklist
            return
        pairs = history_pairs(history)
        if mode == "llm":
            from assistant.llm import LLMError, rewrite_question

            try:
                standalone = rewrite_question(self.llm, text, pairs) if pairs else text
            except LLMError:
                standalone = contextualise(text, pairs)  # the answering step reports the LLM's error
            if pairs and not keeps_follow_up(text, standalone):
                # the model's rewrite dropped what the follow-up itself asks (its period, place, subject)
                standalone = contextualise(text, pairs)
        else:
            standalone = contextualise(text, pairs)
        query = analyse(standalone)
        query.script = script  # answer in the script of what the user typed
        chunks = self.retriever.retrieve(query)
        extractive = self._extractive(question, query, chunks)
        extractive.standalone_question = standalone if standalone != text else None
        if mode != "llm" or extractive.refused:
            extractive.seconds = time.perf_counter() - started
            yield extractive.answer
            yield extractive
            return
        yield from self._llm_answer(question, query, chunks, extractive, started)

    @property
    def llm(self) -> Any:
        if self._llm is None:
            from assistant.llm import chat_model

            self._llm = chat_model(self.settings)
        return self._llm

    # -- internals -------------------------------------------------------------------------------

    def _input_error(self, question: str, msg: str, started: float) -> Answer:
        return Answer(question=question, answer=msg, refused=True, error=msg, seconds=time.perf_counter() - started, status="invalid-input")

    def _coverages(self, query: Query, chunks: list[RetrievedChunk]) -> list[Coverage]:
        """How well each of the top passages covers the question (see assistant.guard). Adds to
        ``query.related`` the confirmed synonyms these passages hold (``_related_words``), which the
        sentence step reads too."""
        s = self.settings
        evidence = [f"{evidence_text(c.search_text)} {search_form(c.title)} {search_form(c.source)} {c.date}{self._applies_to(query, c)}" for c in chunks]
        strong, term = (s.min_strong_coverage_en, s.min_term_coverage_en) if query.english else (s.min_strong_coverage, s.min_term_coverage)
        rules = CoverageRules(strong, term, s.partial_credit, tuple(s.stated_figure_kinds))
        query.related = {**query.related, **self._related_words(query, " ".join(evidence[: s.coverage_passages]))}
        return coverages(query, evidence[: s.coverage_passages], vocabulary=self.kb.keyword.vocabulary, context=evidence, rules=rules)

    def _applies_to(self, query: Query, chunk: RetrievedChunk) -> str:
        """The question's places a regulation applies to without naming them: a province's regulation
        applies in its cities (杭州 under 浙江省促进科技成果转化条例). National law is not counted: a question
        about a place's own rules is refused rather than answered from another level as if it were local."""
        doc = self.kb.manifest.documents.get(chunk.doc_id)
        jurisdiction = getattr(doc, "jurisdiction", None)
        # only rules apply to places: a prefecture's report does not speak for its counties
        if not query.places or not jurisdiction or jurisdiction == "national" or getattr(doc, "kind", None) not in _RULE_KINDS:
            return ""
        from ingest.divisions import lookup

        applies = []
        for place in query.places:
            # a province's rules apply in its cities and counties, a city's in its districts
            if any(jurisdiction in (d.province, d.parent_city) for d in lookup(place)[:1]):
                applies.append(place)
        return f" {' '.join(applies)}" if applies else ""

    def _nearest_period(self, question: str, query: Query, chunks: list[RetrievedChunk]) -> Answer | None:
        """The answer for the same question without its period, as a refusal that names both periods."""
        loose = replace(query, periods=set())
        nearest = self._extractive(question, loose, self.retriever.retrieve(loose), nearest_allowed=False)
        if nearest.refused:
            return None
        have = period_keys(search_form(nearest.answer))
        if have & query.periods:
            return None
        note = message(
            "period",
            query.script,
            have="、".join(period_name(k, english=query.english) for k in display_periods(have)) or "?",
            asked="、".join(period_name(k, english=query.english) for k in display_periods(query.periods)),
        )
        return replace(nearest, answer=f"{note}\n\n{nearest.answer}", refused=True, status="nearest", note=note, retrieved=chunks)

    def _document_ends(self, doc_id: str, score: float) -> list[RetrievedChunk]:
        """First and last chunk of a document: where its date, source and byline are."""
        doc = self.kb.manifest.documents.get(doc_id)
        if not doc or not doc.chunks:
            return []
        ids = list(dict.fromkeys([doc.chunks[0], doc.chunks[-1]]))
        found = self.kb.chunks(ids)
        return [replace(found[i], score=score) for i in ids if i in found]

    def _refusal(self, question: str, query: Query, chunks: list[RetrievedChunk], why: str = "") -> Answer:
        return Answer(question, message("refusal", query.script, why=why), True, retrieved=chunks, status="refused")

    def _why(self, query: Query, key: str, terms: str = "") -> str:
        zh, en = _WHY[key]
        return f" ({en.format(terms=terms)})" if query.english else f"({zh.format(terms=terms)})"

    def _usable(self, query: Query, chunks: list[RetrievedChunk], covs: list[Coverage]) -> list[RetrievedChunk]:
        """Passages that cover the question on their own; for a question about the home city (naming no
        place, not asking what the law or the state says), the home city's among them when it has any."""
        usable = [c for c, ok in zip(chunks, covs) if ok.ok]
        home = self.settings.home_place
        if home and self.retriever.home_terms(query) and any(self._is_home(c) for c in usable):
            usable = [c for c in usable if self._is_home(c)]
        return usable

    def _is_home(self, chunk: RetrievedChunk) -> bool:
        return self.settings.home_place in f"{evidence_text(chunk.search_text)}{chunk.title}"

    def _select(self, query: Query, usable: list[RetrievedChunk]) -> list[Sentence]:
        """The quoted sentences: chosen by ``select``, then only those of the year asked, if any state it."""
        s = self.settings
        rules = SelectRules(
            s.max_answer_sentences, s.min_sentence_score, s.add_sentence_ratio, s.type_bonus, s.chunk_prior, s.answer_chunks,
            s.synonym_credit, s.dense_rerank_k, s.dense_rerank_weight, s.dense_rerank_tie,
        )
        idf = self.kb.keyword.idf
        chosen = select(query, usable, weight=lambda t: length_weight(t) * idf(t), rules=rules, similarity=self._similarity(query))
        if query.years and query.asks_number:
            # "2022年…" asked: a sentence stating another year's figure (2021年全年…) is not part of the answer
            stated = [(x, years(x.search)) for x in chosen]
            if any(y & query.years for _, y in stated):
                chosen = [x for x, y in stated if not y or y & query.years]
        return chosen

    def _related_words(self, query: Query, evidence: str) -> dict[str, tuple[str, ...]]:
        """Synonyms from Cilin's large groups, confirmed by the embedder (公司 → 企业), for the question's
        Chinese terms the passages at hand lack, among the words they hold: coverage and sentence credit
        count them like strict synonyms. Only those terms and words are embedded (a few, and rarely):
        embedding every term's candidates cost 15 ms a question on the development sets."""
        threshold = self.settings.broad_synonym_similarity
        if threshold > 1 or query.english:
            return {}
        from assistant.lexicon import confirmed_synonyms

        absent = [t for t in query.content_terms if t not in evidence and t not in query.related]
        return confirmed_synonyms(absent, evidence, self.kb.passage_vectors, threshold, self.settings.broad_synonym_head_similarity)

    def _similarity(self, query: Query) -> Callable[[list[str]], list[float]] | None:
        """Embedding similarity of sentences to the question (cosine: the embedder normalises), or None
        when the tie-break is off. The question's vector is the one retrieval already computed."""
        s = self.settings
        if s.dense_rerank_k <= 1 or s.dense_rerank_weight <= 0:
            return None
        kb, text, cap = self.kb, self.retriever.query_text(query), s.dense_rerank_chars

        def similarity(texts: list[str]) -> list[float]:
            q = kb.query_vector(text)
            return [float(v @ q) for v in kb.passage_vectors([t[:cap] for t in texts])]

        return similarity

    def _unknown_document(self, query: Query) -> str | None:
        """A law or regulation the question names (昆明市促进科技成果转化条例) that the library does not hold:
        answering from another jurisdiction's text as if it were that one would be wrong."""
        from assistant.lexicon import is_subsequence

        titles = [search_form(d.title).replace("中华人民共和国", "") for d in self.kb.manifest.documents.values()]
        for m in _NAMED_RULE.finditer(query.search):
            name = rule_name(m.group(1))
            if not name:
                continue
            # a short name (国家科技奖励条例 for 国家科学技术奖励条例) is known when its characters stand in order in a title
            if any(name in t or (is_subsequence(name, t) and name[-2:] == t[-2:]) for t in titles):
                continue
            # a bare …法 must be long enough to be a law's name (促进科技成果转化法), not 做法 or 具体方法
            if len(name) >= (6 if name.endswith("法") and not name.endswith("办法") else 4) and not any(name in t for t in titles):
                return m.group(1)
        return None

    def _extractive(self, question: str, query: Query, chunks: list[RetrievedChunk], nearest_allowed: bool = True) -> Answer:
        """analyse → judge passages → select sentences → decide → compose, each a small step."""
        if not has_subject(query):
            # nothing in the question to look for ("hello", "多少?"): every passage "covers" it, none answers it
            return self._refusal(question, query, chunks)
        missing_doc = self._unknown_document(query)
        if missing_doc:
            return self._refusal(question, query, chunks, self._why(query, "missing", f"《{missing_doc}》"))
        covs = self._coverages(query, chunks)
        cov = best_coverage(covs)
        if chunks and not cov.ok and self.settings.whole_articles:
            # the answer may stand in another piece of an article split at ingest (…向项目管理机构提交年度报告
            # in 第三十二条's second piece): read the articles whole before refusing
            widened = self.kb.whole_articles(chunks[: self.settings.coverage_passages]) + chunks[self.settings.coverage_passages :]
            if widened != chunks and best_coverage(wider := self._coverages(query, widened)).ok:
                chunks, covs, cov = widened, wider, best_coverage(wider)
        wants_period = bool(query.periods) and query.asks_number and nearest_allowed
        if chunks and not cov.ok and wants_period:
            # nothing for that period: is there the same figure for another period? Say which.
            nearest = self._nearest_period(question, query, chunks)
            if nearest is not None:
                return nearest
        if not chunks or not cov.ok:
            return self._refusal(question, query, chunks, self._why(query, "missing", cov.reason) if cov.missing else "")
        usable = self._usable(query, chunks, covs)
        home = self.settings.home_place
        if self.retriever.home_terms(query) and wants_period and not any(self._is_home(c) for c in usable):
            # only another city has that period ("上半年" in 大理's report): our own city's figure for
            # another period is the honest answer, not the other city's figure
            nearest = self._nearest_period(question, query, chunks)
            if nearest is not None and nearest.citations and home in f"{nearest.citations[0].title}{nearest.citations[0].text}":
                return nearest
        if query.asks_meta:
            # a text's date, source and byline are in its first and last chunks: they come first, or the
            # few chunks sentences are drawn from (answer_chunks) would leave them out
            ends = self._document_ends(usable[0].doc_id, usable[0].score)
            usable = ends + [u for u in usable if u.chunk_id not in {e.chunk_id for e in ends}]
        if query.asks_events:
            # a text's history is in its header lines (adopted, revised) and its last article (in force):
            # they come first, or the few chunks sentences are drawn from would leave them out
            ends = self._document_ends(usable[0].doc_id, usable[0].score)
            usable = ends + [u for u in usable if u.chunk_id not in {e.chunk_id for e in ends}]
        chosen = self._select(query, usable)
        if not chosen:
            key = query.asked.type if query.asked.type in _WHY else "none"
            return self._refusal(question, query, chunks, self._why(query, key))
        body = left_to_other_rules(query, [(x.search, x.text) for x in chosen], [evidence_text(c.search_text) for c in usable[: self.settings.coverage_passages]])
        if body:
            return self._refusal(question, query, chunks, self._why(query, "delegated", body))
        if query.asks_date and query.asked.type != "date" and not any(has_date(x.search) for x in chosen):
            return self._refusal(question, query, chunks, self._why(query, "date"))
        return self._compose(question, query, chosen, chunks)

    def _compose(self, question: str, query: Query, chosen: list[Sentence], chunks: list[RetrievedChunk]) -> Answer:
        citations, parts = self._cite(chosen, query.script)
        notes = [n for n in (self._version_note(citations, query), self._jurisdiction_note(citations, query)) if n]
        if query.english:
            titles = list(dict.fromkeys(c.title for c in citations if c.title))
            lead = f"According to 《{'》《'.join(titles)}》: " if titles else message("according", query.script)
        else:
            lead = message("according", query.script)
        text = lead + "".join(parts)
        if _WHICH_ARTICLE.search(query.search) and citations and citations[0].article:
            # "哪一条规定了…": the article is the answer, the quote its evidence
            text = f"《{citations[0].title}》{citations[0].article}[1]:" + text
        if notes:
            text = text + "\n\n" + "\n".join(notes)
        higher = self._higher_text(query, chosen, citations)
        if higher is not None:
            text = f"{text}\n\n{higher[0]}"
            citations = [*citations, *higher[1]]
        headline = self._figure_headline(query, chosen, citations)
        if headline:
            text = f"{headline}\n\n{text}"
        note = self._period_note(query, chosen)
        if note and query.asks_number:
            # the figure asked for (1至7月) is not the one the documents give (1至8月): not an answer,
            # but the nearest figure is worth showing, with its period spelled out
            return Answer(question, f"{note}\n\n{text}", True, citations=citations, retrieved=chunks, note=note, status="nearest")
        if note:
            text = f"{text}\n\n{note}"
        return Answer(question, text, False, citations=citations, retrieved=chunks, note=note, status="answered")

    def _version_note(self, citations: list[Citation], query: Query) -> str | None:
        """An answer quoting a superseded version says so and names the current one."""
        docs = self.kb.manifest.documents
        for c in citations:
            doc = docs.get(c.doc_id)
            if c.doc_status == "superseded" and doc is not None:
                current = docs.get(doc.superseded_by or "")
                # dates named here must stand in a cited passage too (the figure guard reads the whole answer):
                # the quoted version's own date, and the current one by title and document id only
                title = current.title if current else c.title
                zh = f"注意:所引为《{c.title}》({c.date})的旧版本,已被修订;请以现行的《{title}》为准。"
                en = f"Note: this quotes the {c.date} version of 《{c.title}》, which has been superseded; the current 《{title}》 applies."
                return en if query.english else to_script(zh, query.script)
        return None

    def _jurisdiction_note(self, citations: list[Citation], query: Query) -> str | None:
        """When a question names a city and the quote is its province's regulation, say which text it is."""
        if not query.places:
            return None
        docs = self.kb.manifest.documents
        for c in citations:
            doc = docs.get(c.doc_id)
            jur = getattr(doc, "jurisdiction", None)
            if jur and jur != "national" and getattr(doc, "kind", None) in _RULE_KINDS and not any(p in jur for p in query.places):
                zh = f"(所引为{jur}的地方性法规《{c.title}》,适用于其辖区。)"
                en = f"(This quotes {jur}'s regulation 《{c.title}》, which applies within its jurisdiction.)"
                return en if query.english else to_script(zh, query.script)
        return None

    def _higher_text(self, query: Query, chosen: list[Sentence], citations: list[Citation]) -> tuple[str, list[Citation]] | None:
        """Where the province's or national text a quoted local regulation sits under states another
        figure for the same question (北京 不低于百分之七十, the national law 不低于百分之五十), a note
        quoting it, and its citation.

        "The same question" is the question without its places and without the local text's own name,
        answered by the same steps (coverage, sentence choice) from the higher texts alone, nearest
        level first; the first level that answers decides. Only figures are compared
        (:func:`assistant.jurisdiction.figures_differ`): they can be compared exactly, wording cannot.
        """
        if not (self.settings.higher_text_compare and query.asks_number and chosen and citations):
            return None
        from assistant.jurisdiction import figures_differ, higher_texts
        from ingest.keyword import tokenize

        docs = self.kb.manifest.documents
        local = docs.get(chosen[0].chunk.doc_id)
        levels = higher_texts(local, docs)
        if not levels or local is None:
            return None
        own = set(tokenize(self.retriever.title_of(local.doc_id))) | {local.jurisdiction or ""}
        dropped = lambda t: t in own or any(p in t for p in query.places)  # noqa: E731
        loose = replace(
            query,
            places=frozenset(),
            content_terms=[t for t in query.content_terms if not dropped(t)],
            strong_terms={t for t in query.strong_terms if not dropped(t)},
            phrases=[ph for ph in query.phrases if not any(dropped(t) for t in ph)],
        )
        if not loose.content_terms:
            return None
        for within in levels:
            chunks = self.retriever.retrieve(loose, within=within)
            covs = self._coverages(loose, chunks) if chunks else []
            if not covs or not best_coverage(covs).ok:
                continue
            picked = self._select(loose, [c for c, ok in zip(chunks, covs) if ok.ok])
            if not picked or left_to_other_rules(loose, [(x.search, x.text) for x in picked]):
                continue
            top = picked[0]
            if not figures_differ(chosen[0].search, top.search):
                return None
            cite = Citation.of(len(citations) + 1, top.chunk, docs.get(top.chunk.doc_id))
            shown = top.text if query.english or detect_script(top.text) == query.script else to_script(top.text, query.script)
            where = f"《{cite.title}》{cite.article or ''}"
            zh = f"上位法的规定不同:{where}:{shown}[{cite.n}]"
            en = f"A higher-level text states a different figure: {where}: {shown}[{cite.n}]"
            return (en if query.english else to_script(zh, query.script)), [cite]
        return None

    def _cite(self, chosen: list[Sentence], script: Script) -> tuple[list[Citation], list[str]]:
        citations: list[Citation] = []
        by_chunk: dict[str, int] = {}
        parts: list[str] = []
        for s in chosen:
            c = s.chunk
            if c.chunk_id not in by_chunk:
                by_chunk[c.chunk_id] = len(citations) + 1
                citations.append(Citation.of(by_chunk[c.chunk_id], c, self.kb.manifest.documents.get(c.doc_id)))
            shown = s.text if script in ("Latin",) or detect_script(s.text) == script else to_script(s.text, script)
            parts.append(f"{shown}[{by_chunk[c.chunk_id]}]")
        return citations, parts

    def _figure_headline(self, query: Query, chosen: list[Sentence], citations: list[Citation]) -> str | None:
        """"技术合同成交额(2024年1月至8月、昆明):122.78亿元[1]" for how-many/how-much questions.

        Only a figure whose metric names what was asked (the question's most specific subject noun),
        whose period matches the one asked (when one is), written as the document writes it with its
        qualifier (不超过300万元, 100余次), the period with its year. Otherwise no headline: the quoted
        sentences speak for themselves. The figure comes from the table extracted at ingest
        (ingest.figures), restricted to the quoted sentences, so it always stands in a cited passage.
        """
        if not query.asks_number:
            return None
        n_of = {c.chunk_id: c.n for c in citations}
        idf = self.kb.keyword.idf
        strong = [t for t in query.content_terms if t in query.strong_terms and not query.english]
        if not strong:
            return None
        key_term = max(strong, key=lambda t: (idf(t) * length_weight(t), t))
        lines: list[str] = []
        for s in chosen:
            doc = self.kb.manifest.documents.get(s.chunk.doc_id)
            if not doc:
                continue
            year = context_year(doc.title, doc.date)
            for row in doc.figures:
                sentence = search_form(row.get("sentence", ""))
                if not sentence or (s.search[:20] not in sentence and s.search not in sentence):
                    continue
                metric = search_form(str(row.get("metric", "")))
                if key_term not in metric:
                    continue
                period = row.get("period") or ""
                keys = period_keys(search_form(period)) if period else set()
                if query.periods and not (keys & query.periods):
                    continue
                qualifier = row.get("qualifier")
                if qualifier is None:  # a manifest written before qualifiers were kept
                    qualifier = "余" if row.get("approx") else ""
                value = f"{row['value']}{row['unit']}"
                value = f"{qualifier}{value}" if qualifier and qualifier not in ("余", "多", "以上", "以下", "左右", "有余") else (
                    f"{row['value']}{qualifier}{row['unit']}" if qualifier in ("余", "多") else f"{value}{qualifier}")
                stated = years(period) | years(sentence)
                when = period if (not period or stated or not year or "截至" in period) else f"{year}年{period}"
                where = "、".join(x for x in (when, row.get("place")) if x)
                line = f"{row['metric']}({where}):{value}" if where else f"{row['metric']}:{value}"
                lines.append(f"{to_script(line, query.script)}[{n_of[s.chunk.chunk_id]}]")
                break
        return ";".join(dict.fromkeys(lines)) or None

    def _period_note(self, query: Query, chosen: list[Sentence]) -> str | None:
        """A note when the chosen sentences give another period or year than the one asked for.

        Years: only sentences that state a year count ("2022年全年,…195.08亿元" in a report dated
        2023-02-09 answers nothing about 2023, though the passage's date names 2023); a sentence
        without one takes its document's year and is left to the passage-level check.
        """
        if query.periods:
            have: set[str] = set()
            for s in chosen:
                have |= period_keys(s.search)
            if have and not query.periods & have:
                return message(
                    "period",
                    query.script,
                    have="、".join(period_name(k, english=query.english) for k in display_periods(have)),
                    asked="、".join(period_name(k, english=query.english) for k in display_periods(query.periods)),
                )
        if query.years and query.asks_number:
            stated = [years(s.search) for s in chosen if has_quantity(s.text)]
            have_years = set().union(*stated) if stated and all(stated) else set()
            if have_years and not query.years & have_years:
                return message("period", query.script, have="、".join(f"{y}年" for y in sorted(have_years)),
                               asked="、".join(f"{y}年" for y in sorted(query.years)))
        return None

    def _llm_answer(
        self, question: str, query: Query, chunks: list[RetrievedChunk], extractive: Answer, started: float
    ) -> Iterator[str | Answer]:
        from assistant.llm import NO_ANSWER, LLMError, cited_numbers, is_refusal, stream_answer

        chunks = chunks[: self.settings.llm_passages]
        passages = [(i, c.title, c.text) for i, c in enumerate(chunks, 1)]
        model_name = self.settings.llm_model
        parts: list[str] = []
        try:
            for delta in stream_answer(self.llm, query.search if query.english else query.original, passages, self.settings):
                parts.append(delta)
                yield delta
        except LLMError as exc:
            extractive.error = str(exc)
            extractive.mode = "extractive"
            extractive.seconds = time.perf_counter() - started
            yield extractive
            return
        text = "".join(parts).strip()
        numbers = [n for n in cited_numbers(text) if 1 <= n <= len(chunks)]
        cited = [chunks[n - 1] for n in numbers]
        # every figure must stand in a passage the answer cites (an answer citing nothing supports none);
        # a planted sentence ("…成交额为999亿元") in a cited passage is no evidence for a figure either
        flagged = unsupported_figures(text, [f"{evidence_text(search_form(c.text))} {c.title} {c.date}" for c in cited])
        refused = is_refusal(text) and not numbers
        if NO_ANSWER in text:
            text = text.replace(NO_ANSWER, "").strip() or message("refusal", query.script, why="")
        if flagged:
            # a figure the passages do not contain is never shown as the answer
            note = message("flagged", query.script, figs="、".join(flagged))
            answer = Answer(
                question, f"{extractive.answer}\n\n{note}", extractive.refused, extractive.citations, chunks,
                mode="llm", model=model_name, flagged_figures=flagged, note=note,
            )
        else:
            citations = [Citation.of(n, c, self.kb.manifest.documents.get(c.doc_id)) for n, c in zip(numbers, cited)]
            answer = Answer(question, text, refused, citations, chunks, mode="llm", model=model_name)
        answer.standalone_question = extractive.standalone_question
        answer.seconds = time.perf_counter() - started
        yield answer
