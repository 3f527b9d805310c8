"""The self-check over the knowledge base: one document checked, or every document ranked.

A document's text is read back from its chunks (Chroma, through the public
:class:`assistant.retrieval.KnowledgeBase`), in manifest order, with the overlap between neighbouring
chunks removed, so the conditions are those of the text as indexed (an uploaded file may be gone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ingest.settings import Settings
from ingest.store import DocRecord

from assistant.eligibility.check import Checklist, check
from assistant.eligibility.conditions import Condition, application_window, extract_conditions, notice_year
from assistant.eligibility.profile import Profile, parse_profile


class EligibilityError(ValueError):
    """A document that is not in the knowledge base or sets no conditions; the message says which."""


def join_chunks(texts: list[str], min_overlap: int = 8) -> str:
    """One text from overlapping chunks: each chunk's longest prefix that ends the text so far is dropped."""
    out = ""
    for t in texts:
        k = min(len(out), len(t))
        while k >= min_overlap and not out.endswith(t[:k]):
            k -= 1
        out = out + t[k:] if k >= min_overlap else (out + "\n\n" + t if out else t)
    return out


def document_text(record: DocRecord, kb: Any) -> str:
    """The text of a document as its chunks hold it (``kb``: a KnowledgeBase)."""
    chunks = kb.chunks(list(record.chunks))
    return join_chunks([chunks[c].text for c in record.chunks if c in chunks])


@dataclass
class DocumentConditions:
    record: DocRecord
    conditions: list[Condition]
    year: int | None
    window: tuple[date, date] | None = None


def document_conditions(record: DocRecord, kb: Any) -> DocumentConditions:
    text = document_text(record, kb)
    return DocumentConditions(record, extract_conditions(text, record.title), notice_year(text, record.title, record.date),
                              application_window(text))


def _kb(settings: Settings, kb: Any) -> Any:
    if kb is not None:
        return kb
    from assistant.retrieval import KnowledgeBase

    return KnowledgeBase(settings)


def find_record(doc_id: str, kb: Any) -> DocRecord:
    docs = kb.manifest.documents
    if doc_id in docs:
        return docs[doc_id]
    known = ", ".join(sorted(docs)[:5]) + (" …" if len(docs) > 5 else "")
    raise EligibilityError(f"no document {doc_id!r} in the knowledge base (documents: {known or 'none'}; see `policyqa documents`)")


def check_document(doc_id: str, profile: str | dict[str, Any] | Profile, settings: Settings, kb: Any = None) -> Checklist:
    """The checklist of one document's conditions for a profile (text, JSON or parsed)."""
    kb = _kb(settings, kb)
    record = find_record(doc_id, kb)
    found = document_conditions(record, kb)
    if not found.conditions:
        raise EligibilityError(f"found no conditions of eligibility (申报条件, 申请条件, …) in {doc_id!r}")
    p = profile if isinstance(profile, Profile) else parse_profile(profile, settings.eligibility_approx_tolerance)
    return check(found.conditions, p, found.year, record.doc_id, record.title, settings.eligibility_cert_valid_years, found.window)


def match(profile: str | dict[str, Any] | Profile, settings: Settings, kb: Any = None) -> list[Checklist]:
    """The library's documents that set conditions, ranked by conditions met (then fewest not met,
    then fewest unknown, then doc_id: deterministic)."""
    kb = _kb(settings, kb)
    p = profile if isinstance(profile, Profile) else parse_profile(profile, settings.eligibility_approx_tolerance)
    out: list[Checklist] = []
    for record in kb.manifest.documents.values():
        if record.status == "superseded":
            continue
        found = document_conditions(record, kb)
        if len(found.conditions) < settings.eligibility_min_conditions:
            continue
        out.append(check(found.conditions, p, found.year, record.doc_id, record.title, settings.eligibility_cert_valid_years, found.window))
    out.sort(key=lambda c: (-c.count("met"), c.count("not_met"), c.count("unknown"), c.doc_id))
    return out[: settings.eligibility_match_limit]


def documents_with_conditions(settings: Settings, kb: Any = None) -> list[tuple[str, str]]:
    """(doc_id, title) of every current document that sets at least ``eligibility_min_conditions`` conditions."""
    kb = _kb(settings, kb)
    return [
        (r.doc_id, r.title) for r in kb.manifest.documents.values()
        if r.status != "superseded" and len(document_conditions(r, kb).conditions) >= settings.eligibility_min_conditions
    ]


def best_match(profile_text: str, settings: Settings, kb: Any = None) -> Checklist | None:
    """The checklist of the document a profile is best checked against, without a search model: the
    one whose title holds the longest run of the programme the text names (…能申报X吗), else the one
    whose conditions it meets most (:func:`match`'s first)."""
    from ingest.normalize import search_form

    from assistant.eligibility.chat import facts_part, overlap, programme_words

    kb = _kb(settings, kb)
    is_json = profile_text.strip().startswith("{")
    ranked = match(profile_text if is_json else parse_profile(facts_part(profile_text), settings.eligibility_approx_tolerance), settings, kb)
    if not ranked:
        return None
    target = "" if is_json else programme_words(profile_text)
    if target:
        scored = [(overlap(target, search_form(r.title)), -i) for i, r in enumerate(ranked)]
        best = max(range(len(ranked)), key=lambda i: scored[i])
        if scored[best][0] > 0:
            return ranked[best]
    return ranked[0]
