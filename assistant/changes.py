"""What-changed questions in the chat: "2024年修订有哪些变化?" answered from `policyqa diff`'s comparison.

A question is routed here when it asks what changed (question words, not corpus words: 有哪些变化 /
改了什么 / what changed / differences between) AND names a regulation of the knowledge base, either
by its title or by the year of one of its versions together with a revision word (2024年修订). Both
are resolved against the manifest, never a typed list of laws:

* a title: the regulation's normalised title (:func:`ingest.versioning.norm_title`) in the question,
  or a shortened form of it (科技进步法 for 科学技术进步法: the title's characters in order, ending like
  the title, covering ``Settings.changes_title_cover`` of it); an English question is matched through
  the Chinese translations the query analysis gives its words (``Query.alternatives``), each matched
  word weighted by how few titles contain it;
* a year: the regulations with a version dated that year.

A local regulation counts only when the question names no place or its own (a question naming
another city's regulation is left to the ordinary path, which refuses it with the nearest texts).

The answer lists the changed, added and removed articles with both versions' labels, each with the
edited words (difflib), citing the articles' chunks of both versions; a question naming articles
(第二十五条修订后有什么变化?) gets those only, or is told they did not change. When the library holds one
version only it says so (refused: there is nothing to compare) instead of inventing changes.
Everything else returns ``None`` and the question takes the ordinary answering path.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from typing import Any

from assistant.api import Answer, Citation
from assistant.diff import DiffError, compare
from assistant.titles import names_title
from ingest.articles import article_key, articles_named
from ingest.normalize import Script, search_form, to_script
from ingest.settings import Settings
from ingest.store import DocRecord, Manifest, StoreError
from ingest.versioning import VERSIONED_KINDS, norm_title

#: how a question asks what changed (Simplified search form; Traditional is folded to it first)
_CHANGE_ZH = re.compile(
    r"(?:哪些|什么|何|啥|那些)(?:主要|重要|重大|具体)?(?:新?变化|变动|改动|修改|调整|不同|区别|差异|差别)"
    r"|(?:改|修改|修订|修正|调整|变)了(?:哪些|什么|啥|哪几)"
    r"|(?:变化|改动|修改之处|不同之处|区别|差异)(?:是什么|在哪|有哪些|有什么)"
    r"|(?:新旧|前后)(?:两个?)?(?:版本?)?(?:对比|比较|区别|差异|不同|变化)"
)
_CHANGE_EN = re.compile(
    r"\bwhat(?:'s|’s| has| have| was| were| is| are)?(?: been)? (?:chang|amend|revis)"
    r"|\bwhat (?:are|were|is) (?:the )?(?:main |key |major )?(?:changes|differences|amendments)"
    r"|\bhow (?:has|have|did|does|do|was|were) .{0,80}\b(?:chang|differ|amend|revis)"
    r"|\bdifferences? between\b|\bwhat(?:'s|’s| is) new in\b|\bwhat changes\b"
)
_REVISION = re.compile(r"修订|修改|修正|新版|旧版|版本|\d{4}\s*年?版|\b(?:revision|revised|amend\w*|version|edition)\b")
_LAW_EN = re.compile(r"\b(?:law|act|regulations?|ordinance|measures|rules|code)\b")
_YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")
# the kind an English question names, and how a Chinese title of that kind ends (Law → …法, Regulations → …条例)
_KIND_EN = ((re.compile(r"\b(?:law|act)\b"), "法"), (re.compile(r"\b(?:regulations?|ordinance)\b"), "条例"))


def asks_what_changed(text: str) -> bool:
    """The question asks what changed (between versions, or in a revision), in any script."""
    q = search_form(text)
    return bool(_CHANGE_ZH.search(q) or _CHANGE_EN.search(q))


def _groups(records: list[DocRecord]) -> dict[str, list[DocRecord]]:
    """Normalised title → its versions, oldest first (the grouping :func:`ingest.versioning.versions_of` uses)."""
    out: dict[str, list[DocRecord]] = {}
    for r in records:
        if r.kind in VERSIONED_KINDS:
            out.setdefault(r.norm_title or norm_title(r.title), []).append(r)
    for members in out.values():
        members.sort(key=lambda r: (r.version_date or r.date or "", r.doc_id))
    return out




def english_title_scores(question: str, titles: list[str]) -> dict[str, float]:
    """For an English question: each title's weight of the Chinese translations of the question's words
    it contains (a word in fewer titles weighs more: ``len(word) * log(1 + N / titles containing it)``)."""
    from assistant.lexicon import english_term
    from assistant.query import analyse

    # each word's first dictionary senses, as keyword search uses them: the rarer ones (促进 for
    # "progress") would name another regulation
    words: set[str] = set()
    for word, alts in analyse(question).alternatives.items():
        term = english_term(word)
        words |= {w for w in ((term.search if term else ()) or alts) if len(w) >= 2}
    n = len(titles)
    scores: dict[str, float] = {}
    for w in words:
        having = [t for t in titles if w in t]
        for t in having:
            scores[t] = scores.get(t, 0.0) + len(w) * math.log(1 + n / len(having))
    return scores


def _in_places(record: DocRecord, q: str) -> bool:
    """A local regulation is not the one asked about when the question names other places only
    (北京市促进科技成果转化条例 shortens to the Zhejiang title, but is not it)."""
    from assistant.query import places

    jur = record.jurisdiction or "national"
    if jur == "national":
        return True
    named = places(q, q)
    return not named or any(p in jur or p in (record.province or "") for p in named)


@dataclass
class Target:
    """What a what-changed question is about: the regulations named (normalised titles, each with its
    versions) and the version years it names."""

    groups: dict[str, list[DocRecord]]
    years: list[str]


def of_kind_named(question: str, titles: list[str]) -> list[str]:
    """Of titles an English question matches equally, those of the kind it names (the Law on Promoting
    … → 促进科技成果转化法, not the regulations of the same name); all of them when it names no kind or
    none is of it."""
    for pattern, ending in _KIND_EN:
        if pattern.search(question):
            kind = [t for t in titles if t.endswith(ending)]
            return kind or titles
    return titles


def resolve(question: str, records: list[DocRecord], settings: Settings) -> Target | None:
    """The regulations a what-changed question names, or ``None`` when it names none (see module doc)."""
    q = search_form(question)
    groups = _groups(records)
    years = sorted(set(_YEAR.findall(q)))
    named = {t: v for t, v in groups.items() if names_title(q, t, settings.changes_title_cover)}
    if not named and re.search(r"[a-z]", q) and not re.search(r"[\u4e00-\u9fff]", q) and (_LAW_EN.search(q) or _REVISION.search(q)):
        scores = english_title_scores(question, list(groups))
        if scores:
            best = max(scores.values())
            top = [t for t, s in scores.items() if s == best]
            if len(top) > 1:
                top = of_kind_named(q, top)
            if len(top) == 1:
                named = {top[0]: groups[top[0]]}
    named = {t: v for t, v in named.items() if _in_places(v[-1], q)}
    if named:
        # a longer title named contains a shorter one (北京市促进科技成果转化条例 ⊃ 促进科技成果转化条例)
        named = {t: v for t, v in named.items() if not any(t != o and t in o for o in named)}
        return Target(named, years)
    if years and _REVISION.search(q):
        dated = {t: v for t, v in groups.items() if any((r.version_date or r.date or "")[:4] in years for r in v)}
        if dated:
            return Target(dated, years)
    return None


# --- composing the answer ---------------------------------------------------------------------------


def word_opcodes(old: str, new: str) -> list[tuple[str, str, str]]:
    """Both texts as a sequence of (op, old words, new words), op ``equal`` / ``replace`` / ``insert`` /
    ``delete``. Compared word by word (jieba, which keeps every character, so the pieces join back into
    the texts): on characters, 国务院 → 国家 reads "务院 → 家"."""
    import jieba

    a, b = jieba.lcut(old), jieba.lcut(new)
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(op, "".join(a[i1:i2]), "".join(b[j1:j2])) for op, i1, i2, j1, j2 in m.get_opcodes()]


def word_edits(old: str, new: str) -> list[tuple[str, str, str]]:
    """The edits that turn one article's text into the other's (:func:`word_opcodes` without ``equal``)."""
    return [e for e in word_opcodes(old, new) if e[0] != "equal"]


def _clip(text: str, n: int) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= n else text[: n - 1] + "…"


def _edit_phrase(edits: list[tuple[str, str, str]], n: int, english: bool, most: int = 3) -> str:
    shown = [e for e in edits if (e[1] + e[2]).strip()][:most]
    parts = []
    for op, a, b in shown:
        if op == "replace":
            parts.append(f"“{_clip(a, n)}” → “{_clip(b, n)}”" if english else f"“{_clip(a, n)}”改为“{_clip(b, n)}”")
        elif op == "insert":
            parts.append(f"adds “{_clip(b, n)}”" if english else f"增加“{_clip(b, n)}”")
        else:
            parts.append(f"drops “{_clip(a, n)}”" if english else f"删去“{_clip(a, n)}”")
    more = len([e for e in edits if (e[1] + e[2]).strip()]) - len(shown)
    if more > 0:
        parts.append(f"{more} more edits" if english else f"等{more}处")
    return ("; " if english else ";").join(parts)


def _article_chunks(record: DocRecord, kb: Any) -> dict[str, Any]:
    """Article label → its first chunk in the knowledge base (a RetrievedChunk), for citing."""
    chunks = kb.chunks(list(record.chunks))
    out: dict[str, Any] = {}
    for cid in record.chunks:
        c = chunks.get(cid)
        if c is not None and c.meta.get("article"):
            out.setdefault(str(c.meta["article"]), c)
    return out


class _Citer:
    """Numbers citations in the order they are first used, one per chunk."""

    def __init__(self, docs: dict[str, DocRecord]) -> None:
        self.docs = docs
        self.citations: list[Citation] = []
        self.by_chunk: dict[str, int] = {}

    def mark(self, chunk: Any) -> str:
        if chunk is None:
            return ""
        if chunk.chunk_id not in self.by_chunk:
            self.by_chunk[chunk.chunk_id] = len(self.citations) + 1
            self.citations.append(Citation.of(self.by_chunk[chunk.chunk_id], chunk, self.docs.get(chunk.doc_id)))
        return f"[{self.by_chunk[chunk.chunk_id]}]"


def _body(text: str, label: str) -> str:
    return text[len(label):].strip() if text.startswith(label) else text


def only_articles(result: dict[str, Any], wanted: list[str]) -> dict[str, Any]:
    """The comparison narrowed to the articles a question names (by either version's number)."""
    keep = set(wanted)

    def named(*labels: str) -> bool:
        return any(article_key(x) in keep for x in labels)

    return {
        **result,
        "changed": [c for c in result["changed"] if named(c["from_article"], c["to_article"])],
        "added": [x for x in result["added"] if named(x["article"])],
        "removed": [x for x in result["removed"] if named(x["article"])],
    }


def compose(result: dict[str, Any], old: DocRecord, new: DocRecord, kb: Any, docs: dict[str, DocRecord],
            settings: Settings, english: bool, wanted: list[str] | None = None) -> tuple[str, list[Citation]]:
    """The chat answer for one comparison (``assistant.diff.compare``'s result), citing both versions;
    with ``wanted`` (article keys the question names) only those articles."""
    old_chunks, new_chunks = _article_chunks(old, kb), _article_chunks(new, kb)
    cite = _Citer(docs)
    title, a, b = result["title"], result["from"]["date"], result["to"]["date"]
    if wanted:
        narrowed = only_articles(result, wanted)
        if not (narrowed["changed"] or narrowed["added"] or narrowed["removed"]):
            labels = [lbl for lbl in new_chunks if article_key(lbl) in wanted]
            marks = "".join(cite.mark(new_chunks[lbl]) + cite.mark(old_chunks.get(lbl)) for lbl in labels)
            names = "、".join(labels) or "、".join(f"第{k}条" for k in wanted)
            if english:
                return f"《{title}》: {names} is the same in the versions of {a} and {b}.{marks}", cite.citations
            return f"《{title}》{names}在{a}版和{b}版中没有变化。{marks}", cite.citations
        result = narrowed
    changed, added, removed = result["changed"], result["added"], result["removed"]
    n_frag, most = settings.changes_fragment_chars, settings.changes_max_listed
    if wanted:
        head = f"《{title}》, version of {b} compared with {a}:" if english else f"《{title}》{b}版与{a}版相比:"
    elif english:
        head = (f"《{title}》, version of {b} compared with {a}: {len(changed)} articles changed, {len(added)} added, "
                f"{len(removed)} removed ({result['unchanged']} unchanged).")
    else:
        head = (f"《{title}》{b}版与{a}版相比:修改{len(changed)}条,新增{len(added)}条,删除{len(removed)}条"
                f"(其余{result['unchanged']}条未变)。")
    lines = [head]
    entries: list[str] = []
    for c in changed:
        edits = word_edits(_body(c["from_text"], c["from_article"]), _body(c["to_text"], c["to_article"]))
        marks = cite.mark(new_chunks.get(c["to_article"])) + cite.mark(old_chunks.get(c["from_article"]))
        if english:
            entries.append(f"- {c['to_article']} (in {a}: {c['from_article']}): {_edit_phrase(edits, n_frag, True)}{marks}")
        else:
            entries.append(f"- {c['to_article']}({a}版{c['from_article']}):{_edit_phrase(edits, n_frag, False)}{marks}")
    for x in added:
        marks = cite.mark(new_chunks.get(x["article"]))
        body = _clip(_body(x["text"], x["article"]), n_frag)
        entries.append(f"- added {x['article']}: “{body}”{marks}" if english else f"- 新增{x['article']}:“{body}”{marks}")
    for x in removed:
        marks = cite.mark(old_chunks.get(x["article"]))
        body = _clip(_body(x["text"], x["article"]), n_frag)
        entries.append(f"- removed {x['article']} (of {a}): “{body}”{marks}" if english else f"- 删除{a}版{x['article']}:“{body}”{marks}")
    lines += entries[:most]
    if len(entries) > most:
        rest = len(entries) - most
        lines.append(f"… and {rest} more (see `policyqa diff {title}`)." if english else f"……另有{rest}处,见 `policyqa diff {title}`。")
    if not entries:
        lines.append("The two texts differ in no article." if english else "两个版本的条文没有差别。")
    return "\n".join(lines), cite.citations


def _one_version(groups: dict[str, list[DocRecord]], kb: Any, docs: dict[str, DocRecord], english: bool) -> tuple[str, list[Citation]]:
    cite = _Citer(docs)
    names = []
    for versions in groups.values():
        v = versions[-1]
        first = kb.chunks(v.chunks[:1]).get(v.chunks[0]) if v.chunks else None
        names.append((v, cite.mark(first)))
    if english:
        listed = "; ".join(f"《{v.title}》 ({v.version_date or v.date or 'undated'}){m}" for v, m in names)
        text = f"The knowledge base holds only one version of {listed}: with no earlier text to compare, it cannot say what changed."
    else:
        listed = "、".join(f"《{v.title}》({v.version_date or v.date or '无日期'}版){m}" for v, m in names)
        text = f"知识库中只有{listed}一个版本,没有修订前的文本可以比较,无法说明修订了哪些内容。"
    return text, cite.citations


def _dates(versions: list[DocRecord], years: list[str]) -> tuple[str | None, str | None]:
    """``--from`` / ``--to`` for the years a question names: two years → the oldest and newest named;
    one year → that version against its predecessor (or successor, for the oldest); none → the latest two."""
    have = [y for y in years if any((v.version_date or v.date or "").startswith(y) for v in versions)]
    if len(have) >= 2:
        return have[0], have[-1]
    if len(have) == 1:
        oldest = (versions[0].version_date or versions[0].date or "")
        return (have[0], None) if oldest.startswith(have[0]) else (None, have[0])
    return None, None


def named_target(question: str, kb: Any, settings: Settings) -> Target | None:
    """The regulations the question names among those of the (refreshed) knowledge base; ``None`` when
    it names none or the knowledge base cannot be read (the ordinary path then says it is missing)."""
    try:
        kb.refresh()
    except StoreError:
        return None
    return resolve(question, list(kb.manifest.documents.values()), settings)


def what_changed(question: str, script: Script, kb: Any, settings: Settings) -> Answer | None:
    """The answer to a what-changed question, or ``None`` when ``question`` is not one (see module doc)."""
    if not asks_what_changed(question) or (target := named_target(question, kb, settings)) is None:
        return None
    manifest: Manifest = kb.manifest
    docs = manifest.documents
    english = script == "Latin"
    multi = {t: v for t, v in target.groups.items() if len(v) >= 2}
    refused = False
    if len(multi) == 1:
        versions = next(iter(multi.values()))
        from_date, to_date = _dates(versions, target.years)
        try:
            result = compare(versions[-1].title, manifest, settings, from_date, to_date, kb=kb)
        except DiffError as exc:
            return Answer(question=question, answer=str(exc), refused=True, note="what-changed")
        old, new = docs[result["from"]["doc_id"]], docs[result["to"]["doc_id"]]
        text, citations = compose(result, old, new, kb, docs, settings, english, articles_named(question))
    elif multi:  # several regulations with versions match: list them rather than guess
        listed = ", ".join(f"《{v[-1].title}》" for v in multi.values()) if english else "、".join(f"《{v[-1].title}》" for v in multi.values())
        text = (f"Several regulations in the knowledge base have more than one version: {listed}. Which one do you mean?"
                if english else f"知识库中有多个法规存在不同版本:{listed}。请说明是哪一个。")
        citations, refused = [], True
    else:
        text, citations = _one_version(target.groups, kb, docs, english)
        refused = True
    if not english:
        text = to_script(text, script)
    chunks = list(kb.chunks([c.chunk_id for c in citations]).values()) if citations else []
    return Answer(question=question, answer=text, refused=refused, citations=citations, retrieved=chunks, note="what-changed")
