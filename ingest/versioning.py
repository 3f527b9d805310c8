"""Versions of one regulation: which text is current, which ones it supersedes.

Two documents are versions of one regulation when their normalised titles are the same (no
"中华人民共和国" prefix, no spacing, no bracketed date or edition: "国家科学技术奖励条例(2020-10-07)"
and "国家科学技术奖励条例（2024年修订）" are one regulation) within one jurisdiction. The version with
the latest ``version_date`` (its latest event, else its file name's date or dateline: see
:func:`ingest.structure.document_meta`) is current, the others are superseded by it.

:func:`assign_versions` works on the manifest's records alone, so it runs at every commit: adding
a newer version changes the older record's status without touching its chunks or vectors.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from ingest.normalize import search_form
from ingest.store import DocRecord

#: document kinds that come in versions (reports and news are dated facts, never "superseded")
VERSIONED_KINDS = frozenset({"law", "administrative_regulation", "local_regulation", "normative_document"})

_BRACKETED = re.compile(r"[（(\[［【〔][^（()）\]］】〕]*\d{4}[^（()）\]］】〕]*[)）\]］】〕]")
_EDITION = re.compile(r"[（(][^()（）]*(?:修订|修正|版|草案)[^()（）]*[)）]")


def norm_title(title: str) -> str:
    """The title two versions share: NFKC + Simplified, no 中华人民共和国, no spacing, no bracketed date."""
    t = search_form(title).lstrip("#").strip()
    t = _BRACKETED.sub("", t)
    t = _EDITION.sub("", t)
    t = re.sub(r"[\s\u3000《》〈〉<>\"“”]+", "", t)
    return t.removeprefix("中华人民共和国")


def _order_key(record: DocRecord) -> tuple[str, str]:
    return (record.version_date or record.date or "", record.doc_id)


def assign_versions(records: Iterable[DocRecord]) -> dict[str, DocRecord]:
    """doc_id → record with ``status`` and ``superseded_by`` set (new objects; the input is not changed).

    A versioned text alone under its title is current; of several, the latest is current (ties go to
    the later doc_id, so the result never depends on the order records come in).
    """
    out: dict[str, DocRecord] = {}
    groups: dict[tuple[str, str], list[DocRecord]] = defaultdict(list)
    for r in records:
        if r.kind in VERSIONED_KINDS:
            key = r.norm_title or norm_title(r.title)
            groups[(key, r.jurisdiction or "")].append(r)
        else:
            out[r.doc_id] = replace(r, status=None, superseded_by=None)
    for members in groups.values():
        current = max(members, key=_order_key)
        for r in members:
            if r is current:
                out[r.doc_id] = replace(r, status="current", superseded_by=None)
            else:
                out[r.doc_id] = replace(r, status="superseded", superseded_by=current.doc_id)
    return out


def versions_of(records: Iterable[DocRecord], title: str) -> list[DocRecord]:
    """The versioned records whose normalised title is ``title``'s ("中华人民共和国" optional), oldest first."""
    want = norm_title(title)
    found = [r for r in records if r.kind in VERSIONED_KINDS and (r.norm_title or norm_title(r.title)) == want]
    return sorted(found, key=_order_key)
