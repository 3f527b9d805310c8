"""What changed between two versions of a regulation, article by article.

Articles are aligned by content, not by number: an amendment that inserts an article renumbers
every later one, so "第十条 vs 第十条" would report a whole text as changed. Every old article is
compared with every new one (``difflib.SequenceMatcher`` ratio on the whitespace-free bodies), then
the one-to-one pairing with the largest total similarity is taken (``scipy``'s
``linear_sum_assignment``, the Hungarian method). Why not greedy best-first: a rewritten article
and its near-identical neighbours (boilerplate like "违反本条例规定…") can make the greedy choice steal
a neighbour's partner, and every later pair shifts; the assignment is optimal for the whole text
and costs milliseconds at a few hundred articles.

Pairs at least ``diff_match_ratio`` alike are one article (unchanged, renumbered and/or changed);
an article left over that is mostly contained in one of the other version (``diff_split_cover``)
was split from it or merged into it and is reported as one ``changed`` pair per resulting article;
what is still left over was added or removed.

Article texts come from the stored file when it is still there with the hash the manifest
recorded (parsed by the same :func:`ingest.structure.parse_structure` as at ingest: the text
exactly as written, each article once), else from the knowledge base's chunks of that document
(Chroma, through :class:`assistant.retrieval.KnowledgeBase`), whose pieces of a long article are
joined again without the lead sentence they repeat. The file is preferred because the chunks are
a derived form; the chunks are the fallback because an uploaded file may have been moved away.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.normalize import nfkc
from ingest.pipeline import file_hash
from ingest.settings import Settings
from ingest.store import DocRecord, Manifest, StoreError, read_manifest
from ingest.structure import parse_structure
from ingest.versioning import VERSIONED_KINDS, norm_title, versions_of


class DiffError(ValueError):
    """The comparison cannot be made (unknown title, one version only, no such date); the message says why."""


@dataclass(frozen=True)
class ArticleText:
    no: int
    label: str
    text: str  # as written, label included

    @property
    def key(self) -> str:
        """What is compared: the body without label, spacing or width differences."""
        body = self.text[len(self.label) :] if self.text.startswith(self.label) else self.text
        return re.sub(r"\s+", "", nfkc(body))


# --- article texts -------------------------------------------------------------------------------




def articles_from_file(record: DocRecord, settings: Settings) -> list[ArticleText] | None:
    """The articles of the stored file, or ``None`` when it is gone, changed since ingest, or unreadable."""
    from ingest.loaders import LoadError, load_document

    path = Path(record.path)
    try:
        if not path.is_file() or file_hash(path) != record.hash:
            return None
        text = load_document(path, max_bytes=int(settings.max_file_mb * 1024 * 1024)).text.strip()
    except (OSError, LoadError):
        return None
    reg = parse_structure(text, min_articles=settings.regulation_min_articles)
    if reg is None:
        return None
    return [ArticleText(a.no, a.label, a.text) for a in reg.articles]


def join_pieces(pieces: list[str]) -> str:
    """One article from its chunks in order: a later piece's first line is the lead it repeats, dropped
    when the text so far already has it (as is, or cut short with "…")."""
    text = pieces[0]
    for piece in pieces[1:]:
        first, _, rest = piece.partition("\n")
        seen = re.sub(r"\s+", "", text)
        head = re.sub(r"\s+", "", first).removesuffix("…")
        text = f"{text}\n{rest}" if rest and head and head in seen else f"{text}\n{piece}"
    return text


def articles_from_chunks(record: DocRecord, kb: Any) -> list[ArticleText]:
    """The articles of a document from its chunks in the knowledge base (``kb``: a KnowledgeBase)."""
    chunks = kb.chunks(list(record.chunks))
    by_no: dict[int, tuple[str, list[str]]] = {}
    for cid in record.chunks:  # manifest order is chunk order
        c = chunks.get(cid)
        if c is None:
            continue
        no = c.meta.get("article_no")
        if not isinstance(no, int) or no <= 0:
            continue
        label = str(c.meta.get("article") or "")
        by_no.setdefault(no, (label, []))[1].append(c.text)
    return [ArticleText(no, label, join_pieces(pieces)) for no, (label, pieces) in sorted(by_no.items())]


def load_articles(record: DocRecord, settings: Settings, kb: Any = None) -> list[ArticleText]:
    found = articles_from_file(record, settings)
    if found is not None:
        return found
    if kb is None:
        from assistant.retrieval import KnowledgeBase

        kb = KnowledgeBase(settings)
    found = articles_from_chunks(record, kb)
    if not found:
        raise DiffError(f"{record.doc_id} has no articles in the knowledge base (is it a regulation?)")
    return found


# --- alignment -----------------------------------------------------------------------------------


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """difflib's ratio, skipping the full computation when the cheap upper bounds are below ``floor``."""
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < floor or m.quick_ratio() < floor:
        return 0.0
    return m.ratio()


def containment(part: str, whole: str, min_run: int = 4) -> float:
    """Share of ``part``'s characters found, in order, in ``whole``, in runs of at least ``min_run``.

    Single characters and two-character words (国家, 科学技术) match anywhere in a long article; a run
    of four or more is copied text.
    """
    if not part:
        return 0.0
    m = difflib.SequenceMatcher(None, part, whole, autojunk=False)
    return sum(b.size for b in m.get_matching_blocks() if b.size >= min_run) / len(part)


@dataclass
class Alignment:
    pairs: list[tuple[ArticleText, ArticleText]]  # one article in both versions
    split_merged: list[tuple[ArticleText, ArticleText]]
    added: list[ArticleText]
    removed: list[ArticleText]


def align(old: list[ArticleText], new: list[ArticleText], match_ratio: float, split_cover: float) -> Alignment:
    """Pair articles of two versions by content (see the module docstring)."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    pairs: list[tuple[ArticleText, ArticleText]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    if old and new:
        sim = np.zeros((len(old), len(new)))
        for i, a in enumerate(old):
            for j, b in enumerate(new):
                sim[i, j] = 1.0 if a.key == b.key else similarity(a.key, b.key, match_ratio)
        rows, cols = linear_sum_assignment(sim, maximize=True)
        for i, j in zip(rows, cols):
            if sim[i, j] >= match_ratio and sim[i, j] > 0:
                pairs.append((old[i], new[j]))
                used_old.add(i)
                used_new.add(j)
    split_merged: list[tuple[ArticleText, ArticleText]] = []
    left_new = [j for j in range(len(new)) if j not in used_new]
    left_old = [i for i in range(len(old)) if i not in used_old]
    added, removed = [], []
    for j in left_new:  # split off an old article: most of it is in that article
        best = max(range(len(old)), key=lambda i: containment(new[j].key, old[i].key), default=None)
        if best is not None and containment(new[j].key, old[best].key) >= split_cover:
            split_merged.append((old[best], new[j]))
        else:
            added.append(new[j])
    for i in left_old:  # merged into a new article
        best = max(range(len(new)), key=lambda j: containment(old[i].key, new[j].key), default=None)
        if best is not None and containment(old[i].key, new[best].key) >= split_cover:
            split_merged.append((old[i], new[best]))
        else:
            removed.append(old[i])
    return Alignment(pairs, split_merged, added, removed)


# --- the comparison of two versions ---------------------------------------------------------------


def _pick(versions: list[DocRecord], from_date: str | None, to_date: str | None) -> tuple[DocRecord, DocRecord]:
    """The two versions to compare: the two latest, unless ``from_date`` / ``to_date`` name one (a prefix
    of its version date: "2020", "2020-10", "2020-10-07")."""

    def dated(when: str) -> DocRecord:
        hits = [v for v in versions if (v.version_date or v.date or "").startswith(when.strip())]
        if not hits:
            have = ", ".join(v.version_date or v.date or "?" for v in versions)
            raise DiffError(f"no version dated {when}; the versions are dated {have}")
        return hits[-1]

    if from_date and to_date:
        a, b = dated(from_date), dated(to_date)
    elif from_date:
        a = dated(from_date)
        later = [v for v in versions if (v.version_date or "") > (a.version_date or "")]
        if not later:
            raise DiffError(f"no version later than {a.version_date} ({a.doc_id})")
        a, b = a, later[-1]
    elif to_date:
        b = dated(to_date)
        earlier = [v for v in versions if (v.version_date or "") < (b.version_date or "")]
        if not earlier:
            raise DiffError(f"no version earlier than {b.version_date} ({b.doc_id})")
        a = earlier[-1]
    else:
        a, b = versions[-2], versions[-1]
    if a.doc_id == b.doc_id:
        raise DiffError(f"--from and --to name the same version ({a.doc_id})")
    return a, b


def compare(title: str, manifest: Manifest, settings: Settings, from_date: str | None = None,
            to_date: str | None = None, kb: Any = None) -> dict[str, Any]:
    """The comparison as the JSON contract of ``policyqa diff --json``."""
    versions = versions_of(manifest.documents.values(), title)
    if not versions:
        known = sorted({d.norm_title or norm_title(d.title) for d in manifest.documents.values() if d.kind in VERSIONED_KINDS})
        raise DiffError(f"no regulation titled {title!r} in the knowledge base; known titles: {', '.join(known) or 'none'}")
    if len(versions) < 2:
        v = versions[0]
        raise DiffError(f"the knowledge base holds one version of {v.title} only ({v.doc_id}, {v.version_date or v.date})")
    a, b = _pick(versions, from_date, to_date)
    old, new = load_articles(a, settings, kb), load_articles(b, settings, kb)
    al = align(old, new, settings.diff_match_ratio, settings.diff_split_cover)
    changed = [(x, y) for x, y in al.pairs if x.key != y.key] + al.split_merged
    changed.sort(key=lambda p: (p[1].no, p[0].no))
    return {
        "title": b.title,
        "from": {"doc_id": a.doc_id, "date": a.version_date or a.date},
        "to": {"doc_id": b.doc_id, "date": b.version_date or b.date},
        "added": [{"article": x.label, "text": x.text} for x in sorted(al.added, key=lambda x: x.no)],
        "removed": [{"article": x.label, "text": x.text} for x in sorted(al.removed, key=lambda x: x.no)],
        "changed": [
            {"from_article": x.label, "to_article": y.label, "from_text": x.text, "to_text": y.text} for x, y in changed
        ],
        "renumbered": [
            {"from_article": x.label, "to_article": y.label} for x, y in sorted(al.pairs, key=lambda p: p[1].no) if x.no != y.no
        ],
        "unchanged": sum(1 for x, y in al.pairs if x.key == y.key and x.no == y.no),
    }


def diff_versions(title: str, settings: Settings, from_date: str | None = None, to_date: str | None = None) -> dict[str, Any]:
    """Compare two versions of the regulation ``title`` in the knowledge base of ``settings``."""
    manifest = read_manifest(settings.index_dir)
    if manifest is None:
        raise StoreError(f"No knowledge base at {settings.index_dir}; run `policyqa ingest` first.")
    return compare(title, manifest, settings, from_date, to_date)
