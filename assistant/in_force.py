"""Is-it-still-in-force questions: "2020年版奖励条例还有效吗?" answered from the versions the library holds.

A question is routed here when it asks whether a text is (still) the one in force, repealed or
superseded (question words, not corpus words: 还有效吗 / 是否现行 / 已经废止了吗 / still in force /
superseded) AND names a regulation of which the knowledge base holds two or more versions (resolved
like a what-changed question: :func:`assistant.changes.resolve`, by title or by a version year with a
revision word). The answer comes from the manifest's version status (``ingest.versioning``: the
version with the latest event is current), citing the current version's header line of that event
("2024年5月26日 …第四次修订"), and says which version the question named when it is a superseded one.

With one version only, the answer says what the library can: the version it holds, with the header
line of that version's latest event, and that it holds no newer one, which does not prove that none
exists (the ordinary path quoted a sentence with 有效 in it: 采取有效措施). Several regulations named,
or none, return ``None``.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.api import Answer
from assistant.changes import _Citer, named_target
from assistant.versions import names_version_year
from ingest.normalize import Script, search_form, to_script
from ingest.settings import Settings
from ingest.store import DocRecord

#: how a question asks whether a text is in force (Simplified search form; Traditional folded first)
_IN_FORCE_ZH = re.compile(
    # 适用 with an object (是否适用于外资企业, 适用于哪些单位) asks whom a text applies to, not whether it is in force
    r"(?:还|仍|仍然|依然|目前|现在|是否|是不是|还是)(?:有效|现行|在施行|在实施|适用(?!于|范围|对象)|生效)"
    r"|现行有效|是否(?:已经?|已被)?(?:废止|失效|作废|修订|取代|替代)|(?:废止|失效|作废|被取代|过时)了(?:吗|没有|么)"
    r"|(?:是不是|是否|还是)(?:最新|现行)"
)
_IN_FORCE_EN = re.compile(
    r"\b(?:still|currently|now)\b.{0,40}\b(?:in force|valid|current|applicable(?! to)|in effect|effective|apply(?! to))\b"
    r"|\bthe (?:one|version|text) in force\b|\bcurrent version\b|\blatest version\b"
    r"|\b(?:been |was |is )?(?:repealed|superseded|replaced|outdated)\b"
)


def asks_in_force(text: str) -> bool:
    """The question asks whether a text is (still) in force, in any script."""
    q = search_form(text)
    return bool(_IN_FORCE_ZH.search(q) or _IN_FORCE_EN.search(q))


def chinese_date(iso: str) -> str:
    """2024-05-26 → 2024年5月26日 (how regulation headers write their event dates)."""
    y, m, d = (iso.split("-") + ["", ""])[:3]
    if not (y.isdigit() and m.isdigit() and d.isdigit()):
        return iso
    return f"{int(y)}年{int(m)}月{int(d)}日"


def event_line(text: str, iso: str) -> str | None:
    """The header line of ``text`` that dates an event on ``iso`` ("2024年5月26日 …第四次修订"), or None."""
    want = chinese_date(iso)
    for line in text.splitlines():
        line = line.strip().strip("（）()　 ")
        if search_form(line).startswith(search_form(want)) or (want in line and len(line) <= 120):
            return line
    return None


def _version(record: DocRecord) -> str:
    return record.version_date or record.date or "?"


def in_force_answer(question: str, script: Script, kb: Any, settings: Settings) -> Answer | None:
    """The answer to an is-it-in-force question, or ``None`` when ``question`` is not one (module doc)."""
    if not asks_in_force(question) or (target := named_target(question, kb, settings)) is None:
        return None
    docs = kb.manifest.documents
    if len(target.groups) != 1:
        return None  # several regulations: the ordinary path
    (versions,) = target.groups.values()
    current = next((r for r in reversed(versions) if r.status == "current"), versions[-1])
    successor = {r.doc_id: _version(versions[i + 1]) for i, r in enumerate(versions[:-1])}
    named_old = [r for r in versions if r is not current and names_version_year(r, question, successor.get(r.doc_id))]
    english = script == "Latin"
    cite = _Citer(docs)
    first = kb.chunks(current.chunks[:1]).get(current.chunks[0]) if current.chunks else None
    line = event_line(first.text, _version(current)) if first is not None else None
    mark = cite.mark(first)
    title, date = current.title, _version(current)
    quoted = (f": “{line}”{mark}." if line else f".{mark}") if english else (f":“{line}”{mark}。" if line else f"。{mark}")
    if english and len(versions) == 1:
        text = f"The knowledge base holds one version of 《{title}》, of {date}{quoted} It holds no newer one; whether a newer text exists outside it, the documents cannot say."
    elif english:
        text = f"The version of 《{title}》 in force is the one of {date}{quoted}"
        for old in named_old:
            text += f" The version of {_version(old)} you ask about is superseded by it."
    elif len(versions) == 1:
        text = f"知识库中的《{title}》只有{date}版{quoted}库中没有更新的版本;库外是否已有新的修订,文档无法说明。"
    else:
        text = f"现行的《{title}》是{date}版{quoted}"
        for old in named_old:
            text += f"所问的{_version(old)}版已被该版本取代,不再现行。"
    if not english:
        text = to_script(text, script)
    chunks = list(kb.chunks([c.chunk_id for c in cite.citations]).values())
    return Answer(question=question, answer=text, refused=False, citations=cite.citations, retrieved=chunks, note="in-force", status="answered")
