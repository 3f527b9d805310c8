"""The chat's answer to "我们…能申报…吗?": the checklist of the notice the question names.

A question is one when it asks whether the asker can apply (能/可以/能否/是否可以 + 申报/申请/申领/入库)
and states at least ``eligibility_chat_min_facts`` facts about the company. The notice is the best
retrieved document that sets conditions, searched with the words after the asking verb (the
programme's name: 2025年度科技型中小企业研发费用补助), or the whole question when it names none.
Each line of the checklist (✔ met, ✘ not met, ？ unknown) cites the passage holding its condition;
the answer is in the asker's script. The statuses are those of :mod:`assistant.eligibility.check`.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.normalize import Script, search_form, to_script
from ingest.settings import Settings
from ingest.store import StoreError

from assistant.eligibility.check import Checklist, check
from assistant.eligibility.library import document_conditions
from assistant.eligibility.profile import Profile, ProfileError, parse_text

_ASKS = re.compile(
    r"(?:能|可以|可否|能否|是否(?:可以|能)?|有没有资格|有资格|符合(?:条件)?|够(?:条件|资格)?)(?:不能|不可以)?"
    r"(?:申报|申请|申领|入库|参评|报名)|can we apply|are we eligible|do we qualify|eligible for",
    re.I,
)
_TARGET = re.compile(r"(?:申报|申请|申领|参评|入库|apply for|eligible for)\s*([^吗么嘛呢?？。]{2,60}?)\s*(?:吗|么|嘛|呢|[?？。]|$)", re.I)
_MARKS = {"met": "✔", "not_met": "✘", "unknown": "？"}


_FIRST_PERSON = re.compile(r"我们|我司|我公司|本公司|本企业|本单位|我单位|我方|我厂|咱们|\b(?:we|our|us)\b", re.I)


def asks_eligibility(text: str) -> bool:
    """Whether a question asks if the asker (我们, 本公司, we) can apply: not what the conditions are,
    nor who in general may apply (哪些企业可以申请…)."""
    t = search_form(text)
    return bool(_ASKS.search(t) and _FIRST_PERSON.search(t))


def stated_facts(p: Profile) -> int:
    """How many facts about the company a profile states."""
    return len(p.facts) + len(p.certs) + len(p.ip) + len(p.credit_clear) + len(p.credit_listed)


def programme_words(text: str) -> str:
    """What the question names as the programme: the words after its last asking verb."""
    found = list(_TARGET.finditer(search_form(text)))
    return found[-1].group(1).strip() if found else ""


def facts_part(text: str) -> str:
    """The question before its asking verb: the company's facts, not the programme's name
    (…能申报科技型中小企业研发费用补助吗 names a programme, it does not say the asker is one)."""
    t = search_form(text)
    found = list(_ASKS.finditer(t))
    return t[: found[-1].start()] if found else t


def overlap(target: str, text: str) -> float:
    """The longest run of ``target`` found in ``text``, as a share of ``target``."""
    from difflib import SequenceMatcher

    if not target:
        return 0.0
    m = SequenceMatcher(None, target, text, autojunk=False).find_longest_match(0, len(target), 0, len(text))
    return m.size / len(target)


def _pick(text: str, kb: Any, retriever: Any, settings: Settings) -> tuple[Any, Any] | None:
    """The notice a question asks about: of the retrieved documents that set conditions, the one whose
    title (then text) holds the longest run of the programme's name; retrieval order breaks ties.
    None when the question names a programme that no such document's title or conditions hold."""
    from assistant.query import analyse

    target = re.sub(r"(?:19|20)\d{2}\s*年度?", "", programme_words(text)).strip()
    seen: list[str] = []
    candidates: list[tuple[float, float, int, Any, Any]] = []
    for chunk in retriever.retrieve(analyse(target or text)):
        if chunk.doc_id in seen or chunk.doc_id not in kb.manifest.documents:
            continue
        seen.append(chunk.doc_id)
        record = kb.manifest.documents[chunk.doc_id]
        if record.status == "superseded":
            continue
        found = document_conditions(record, kb)
        if len(found.conditions) >= settings.eligibility_min_conditions:
            body = search_form(" ".join(c.text for c in found.conditions))
            candidates.append((-overlap(target, search_form(record.title)), -overlap(target, body), len(candidates), record, found))
    if not candidates:
        return None
    best = min(candidates, key=lambda c: c[:3])
    if target and -min(best[0], best[1]) < settings.eligibility_chat_min_overlap:
        return None  # the programme it names is not in the library: the ordinary path says so
    return best[3], best[4]


def compose(result: Checklist, chunks: list[Any], english: bool) -> tuple[str, list[tuple[int, Any]]]:
    """The checklist as text with a citation number per line, and the cited chunks (number, chunk)."""
    cited: dict[str, int] = {}
    used: list[tuple[int, Any]] = []
    lines = [f"Checked against the conditions of 《{result.title}》:" if english else f"对照《{result.title}》的申报条件逐条核对："]
    for c in result.conditions:
        key = search_form(c.condition.text)[:24]
        chunk = next((ch for ch in chunks if key in search_form(ch.text)), None)
        ref = ""
        if chunk is not None:
            if chunk.chunk_id not in cited:
                cited[chunk.chunk_id] = len(cited) + 1
                used.append((cited[chunk.chunk_id], chunk))
            ref = f"[{cited[chunk.chunk_id]}]"
        lines.append(f"{_MARKS[c.status]} {c.condition.n}. {c.condition.text}（{c.condition.article}）{ref}\n   {c.reason}")
    n_met, n_bad, n_unk = result.count("met"), result.count("not_met"), result.count("unknown")
    if english:
        verdict = {True: "All conditions are met.", False: f"{n_bad} condition(s) not met: not eligible as stated.",
                   None: f"{n_met} met, {n_unk} unknown: confirm the unknown ones before applying."}[result.eligible]
    else:
        bad = "、".join(f"第{c.condition.n}项" for c in result.conditions if c.status == "not_met")
        verdict = {True: "结论：全部条件均满足。", False: f"结论：{bad}不满足，按所述情况暂不符合申报条件。",
                   None: f"结论：{n_met}项满足，{n_unk}项无法判断，请确认后再申报。"}[result.eligible]
    lines.append(verdict)
    if result.missing_facts:
        lines.append(("To confirm: " if english else "需要确认：") + "；".join(result.missing_facts))
    return "\n".join(lines), used


def eligibility_answer(question: str, script: Script, kb: Any, retriever: Any, settings: Settings) -> Any:
    """The checklist answer (an :class:`assistant.api.Answer`), or ``None`` when the question is not
    an eligibility question with company facts, or no retrieved document sets conditions."""
    if not asks_eligibility(question):
        return None
    try:
        profile = parse_text(facts_part(question), settings.eligibility_approx_tolerance)
    except ProfileError:
        return None
    if stated_facts(profile) < settings.eligibility_chat_min_facts:
        return None
    try:
        kb.refresh()
        picked = _pick(question, kb, retriever, settings)
    except StoreError:
        return None  # the ordinary path says the knowledge base is missing
    if picked is None:
        return None
    record, found = picked
    result = check(found.conditions, profile, found.year, record.doc_id, record.title, settings.eligibility_cert_valid_years, found.window)
    chunks = list(kb.chunks(list(record.chunks)).values())
    english = script == "Latin"
    text, used = compose(result, chunks, english)
    if not english:
        text = to_script(text, script)
    from assistant.api import Answer, Citation

    citations = [Citation.of(n, ch, record) for n, ch in used]
    return Answer(question=question, answer=text, refused=False, citations=citations,
                  retrieved=[ch for _, ch in used], status="answered", note="eligibility")
