"""Turn folders of bureau documents into the knowledge base, incrementally and crash-safely.

``ingest(paths, settings)`` is the one entry point (the CLI and the UI upload both call it). See
:mod:`ingest.store` for the commit protocol that keeps the previous knowledge base whole when an
ingest fails or is killed.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np
from filelock import FileLock, Timeout

from ingest.chunking import CHUNKER_VERSION, Chunk, chunk_document
from ingest.embedder import Embedder, embedder_name, load_embedder
from ingest.figures import extract_figures, figures_to_rows
from ingest.keyword import KeywordIndex, tokenize
from ingest.layout import annotate_chunks
from ingest.loaders import SUPPORTED_SUFFIXES, LoadError, LoadedDocument, load_document
from ingest.normalize import detect_script, parse_header
from ingest.settings import Settings
from ingest.structure import DocMeta, Regulation, document_meta, parse_structure
from ingest.versioning import assign_versions, norm_title
from ingest.tables import annotate_table_chunks, mask_tables, table_figures
from ingest.store import (
    ChromaStore,
    DocRecord,
    Manifest,
    StoreError,
    StoreWriteError,
    check_embedder,
    delete_collection,
    load_keyword_index,
    now_iso,
    open_client,
    read_manifest,
    remove_stale_keyword_dirs,
    remove_stale_manifest_copies,
    write_manifest,
)

log = logging.getLogger(__name__)

#: progress(stage, done, total): the CLI draws a tqdm bar with it, the UI a gr.Progress.
Progress = Callable[[str, int, int], None]


class IngestBusy(StoreError):
    """Another ingest holds the lock on this index."""


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    documents: int = 0
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    skipped: list[dict[str, str]] = field(default_factory=list)  # files of a type no loader reads
    ocr_pages: int = 0  # pages OCR'd by this run (cache hits included)
    ocr_seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """The contract other tools read (`policyqa ingest --json`)."""
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "documents": self.documents,
            "chunks": self.chunks,
            "embedded": self.embedded,
            "seconds": round(self.seconds, 3),
            "skipped": self.skipped,
            "ocr_pages": self.ocr_pages,
            "ocr_seconds": round(self.ocr_seconds, 3),
        }


@dataclass
class _Pending:
    record: DocRecord
    chunks: list[Chunk]
    status: str  # "added" | "updated"


def chunker_signature(settings: Settings) -> str:
    return f"v{CHUNKER_VERSION}:{settings.chunk_size}:{settings.chunk_overlap}"


def discover(paths: list[Path], skipped: list[Path] | None = None) -> Iterator[tuple[Path, Path, str]]:
    """(root, file, doc_id) for every supported file; doc_id is the path relative to its root.

    Files of other types found in the folders are appended to ``skipped`` (hidden files are not).
    """
    for given in paths:
        given = given.resolve()
        if given.is_file():
            yield given.parent, given, given.name
            continue
        for file in sorted(given.rglob("*")):
            rel = file.relative_to(given)
            if not file.is_file() or any(p.startswith(".") for p in rel.parts):
                continue
            if file.suffix.lower() in SUPPORTED_SUFFIXES:
                yield given, file, rel.as_posix()
            elif skipped is not None:
                skipped.append(file)


def file_hash(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks (what the manifest records as a document's hash)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _prepare(
    root: Path, file: Path, doc_id: str, digest: str, settings: Settings, pages: Callable[[int, int], None] | None = None,
    loaded_out: list[LoadedDocument] | None = None,
) -> tuple[DocRecord, list[Chunk]]:
    """Load, read metadata, chunk. Raises LoadError for a file that cannot be used."""
    loaded = load_document(file, max_bytes=int(settings.max_file_mb * 1024 * 1024), settings=settings, progress=pages)
    if loaded_out is not None:
        loaded_out.append(loaded)
    text = loaded.text.strip()
    if not text:
        raise LoadError(file, "no text found")
    header = parse_header(text, title_hint=loaded.title)
    title = header.title or file.stem
    regulation, meta = _structure(text, title, file, header.date, bool(header.source), settings)
    chunks = chunk_document(doc_id, text, title, settings.chunk_size, settings.chunk_overlap, regulation=regulation)
    if not chunks:
        raise LoadError(file, "no text found")
    annotate_chunks(chunks, loaded.pages, settings.ocr_low_confidence)  # page, OCR flags (ingest.layout)
    annotate_table_chunks(chunks, loaded.tables)
    record = DocRecord(
        doc_id=doc_id,
        path=str(file),
        root=str(root),
        hash=digest,
        title=title,
        date=header.date or meta.version_date or "",
        source=header.source or "",
        script=detect_script(text),
        chunks=[c.chunk_id for c in chunks],
        ingested_at=now_iso(),
        figures=_figures(text, doc_id, header.date, loaded, title),
        kind=meta.kind,
        issuer=meta.issuer,
        doc_number=meta.doc_number,
        jurisdiction=meta.jurisdiction,
        province=meta.province,
        events=[e.to_json() for e in meta.events],
        effective_date=meta.effective_date,
        version_date=meta.version_date,
        norm_title=norm_title(title),
    )
    return record, chunks


def _structure(
    text: str, title: str, file: Path, header_date: str | None, has_source: bool, settings: Settings
) -> tuple[Regulation | None, DocMeta]:
    """A regulation's skeleton and the document's metadata; a text the parser trips over is ingested as
    plain prose (sentence chunks, no events) with a warning, never an aborted ingest."""
    try:
        regulation = parse_structure(text, min_articles=settings.regulation_min_articles)
        return regulation, document_meta(text, title, regulation, file.name, header_date, has_source)
    except Exception as exc:  # a parser bug must cost one document its structure, not the whole ingest
        log.warning("could not read the structure of %s (%s); ingested as plain text", file, exc)
        return None, DocMeta("report", None, None, None, None, (), None, header_date)


def _figures(text: str, doc_id: str, date: str | None, loaded: LoadedDocument | None = None, title: str = "") -> list[dict[str, Any]]:
    """Figures of the document for the staff's figure table (see ingest.figures); the cells of
    tables come from their headers (ingest.tables), not from parsing the rendered text."""
    tables = loaded.tables if loaded is not None else ()
    figs = extract_figures(mask_tables(text, tables), doc_id, date)
    for span in tables:
        figs.extend(table_figures(span.table, doc_id, date))
    return figures_to_rows(figs)


def _chunk_metadata(record: DocRecord, chunk: Chunk) -> dict[str, Any]:
    return {
        "doc_id": record.doc_id,
        "title": record.title,
        "date": record.date,
        "source": record.source,
        "section": chunk.section,
        "chunk_index": chunk.index,
        "search_text": chunk.search_text,
        **{k: v for k, v in chunk.meta.items() if v is not None},
    }


def _noop(stage: str, done: int, total: int) -> None:
    return None


def ingest(
    paths: list[Path],
    settings: Settings,
    rebuild: bool = False,
    progress: Progress = _noop,
    embedder: Embedder | None = None,
    prune: bool = True,
) -> IngestReport:
    """Bring the knowledge base in line with ``paths``.

    New and changed files are embedded, files deleted from an ingested folder are removed from both
    stores (``prune``), unchanged files cost one hash each. A file that cannot be read is reported in
    ``failed`` and keeps whatever was indexed for it before.
    """
    started = time.perf_counter()
    index_dir = settings.index_dir
    lock = _acquire_lock(settings)
    try:
        report = _ingest_locked(paths, settings, rebuild, progress, embedder, prune)
    except (OSError, StoreWriteError) as exc:
        # disk full, read-only or vanished folder: one clear sentence, and the commit protocol's promise
        raise StoreWriteError(
            f"The ingest could not update the knowledge base in {index_dir}: {_os_reason(exc)}. Nothing was "
            f"committed: the previous knowledge base is unchanged. Free disk space or make the folder writable, "
            f"then run the ingest again."
        ) from None
    finally:
        lock.release()
    report.seconds = time.perf_counter() - started
    return report


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror} ({exc.filename})" if exc.filename else exc.strerror
    return str(exc)


def _acquire_lock(settings: Settings) -> FileLock:
    """The ingest lock of the index folder, or IngestBusy / StoreWriteError with a message."""
    index_dir = settings.index_dir
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(index_dir / ".ingest.lock"))
        lock.acquire(timeout=settings.lock_timeout)
    except Timeout:
        raise IngestBusy(
            f"Another ingest is running on {index_dir} (waited {settings.lock_timeout:g} s). "
            f"Try again when it has finished."
        ) from None
    except OSError as exc:
        raise StoreWriteError(
            f"Cannot write to the index folder {index_dir}: {_os_reason(exc)}. "
            f"Check that the folder is writable (permissions, read-only disk) and that the disk is not full."
        ) from None
    return lock


def _ingest_locked(
    paths: list[Path], settings: Settings, rebuild: bool, progress: Progress, embedder: Embedder | None, prune: bool
) -> IngestReport:
    index_dir = settings.index_dir
    name = embedder.name if embedder else embedder_name(settings.embed_model)
    try:
        old = read_manifest(index_dir) or Manifest()
    except StoreError:
        if not rebuild:
            raise
        old = Manifest()  # an unreadable manifest is what --rebuild is for
    if not rebuild:
        check_embedder(old, name)
    signature = chunker_signature(settings)
    if not rebuild and old.chunker and old.chunker != signature:
        raise StoreError(
            f"This index was chunked with {old.chunker} but the settings now say {signature} "
            f"(POLICYQA_CHUNK_SIZE / POLICYQA_CHUNK_OVERLAP); run `policyqa ingest --rebuild`."
        )
    fresh = rebuild or not old.collection
    report = IngestReport()

    # 1. decide what each file needs
    unsupported: list[Path] = []
    files = list(discover(paths, unsupported))
    report.skipped = [{"path": str(f), "reason": f"unsupported file type {f.suffix.lower() or '(no suffix)'}"} for f in unsupported]

    def ocr_progress(done: int, total: int) -> None:  # pages of the file being OCR'd
        progress("ocr", done, total)
    roots = {str(r.resolve()) for r in paths if r.is_dir()}
    seen: dict[str, Path] = {}
    docs: dict[str, DocRecord] = {}
    pending: list[_Pending] = []
    for n, (root, file, doc_id) in enumerate(files):
        progress("reading", n, len(files))
        if doc_id in seen:
            # the same relative path under two given folders: one id cannot hold two documents
            if seen[doc_id] != file:
                clash = f"same document id {doc_id!r} as {seen[doc_id]}; ingest their common parent folder instead"
                report.failed.append({"path": str(file), "error": clash})
            continue
        seen[doc_id] = file
        before = old.documents.get(doc_id)
        try:
            digest = file_hash(file)
            if before and before.hash == digest and not fresh:
                # a moved folder: same content, new place (pruning looks at path and root)
                docs[doc_id] = replace(before, path=str(file), root=str(root))
                report.unchanged += 1
                continue
            loaded_docs: list[LoadedDocument] = []
            try:
                record, chunks = _prepare(root, file, doc_id, digest, settings, ocr_progress, loaded_docs)
            finally:
                for ld in loaded_docs:
                    report.ocr_pages += ld.ocr_pages
                    report.ocr_seconds += ld.ocr_seconds
        except LoadError as exc:
            report.failed.append({"path": str(file), "error": exc.reason})
            if before and not fresh:
                docs[doc_id] = before  # a broken new version never removes the indexed one
            continue
        except OSError as exc:
            report.failed.append({"path": str(file), "error": f"cannot read file: {exc.strerror or exc}"})
            if before and not fresh:
                docs[doc_id] = before
            continue
        pending.append(_Pending(record, chunks, "updated" if before else "added"))
        docs[doc_id] = record
    progress("reading", len(files), len(files))

    for doc_id, before in old.documents.items():
        if doc_id in seen:
            continue
        gone = before.root in roots and not Path(before.path).exists()
        if rebuild or (prune and gone):
            report.removed += 1  # a rebuild keeps only what this run was given
        else:
            docs[doc_id] = before  # documents of folders this run was not asked about stay

    # 2. embed and add what Chroma does not have yet (under ids the old manifest does not trust)
    client = open_client(index_dir, settings.chroma_url, fresh=True)
    collection = f"chunks_{int(time.time() * 1000)}" if fresh else old.collection
    vectors_needed = [(p.record, c) for p in pending for c in p.chunks]
    if vectors_needed or fresh:
        model = embedder or load_embedder(settings.embed_model, settings.embed_batch_size)
        # only a new generation is created: a lost collection must not come back empty under the old name
        store = ChromaStore(client, collection, embedder=name, dim=model.dim, create=fresh)
        have = store.existing([c.chunk_id for _, c in vectors_needed])
        todo = [(r, c) for r, c in vectors_needed if c.chunk_id not in have]
        # Chroma writes in large batches: one write per embedding batch of 32 made Chroma, not the
        # model, the cost of a synthetic-vector ingest (250 vs 1,300 chunks/s at 10k chunks)
        batch, write_every = settings.embed_batch_size, max(settings.store_batch_size, settings.embed_batch_size)
        pending_write: list[tuple[DocRecord, Chunk, np.ndarray]] = []

        def flush() -> None:
            if pending_write:
                store.add(
                    [c.chunk_id for _, c, _ in pending_write],
                    np.stack([v for _, _, v in pending_write]),
                    [c.text for _, c, _ in pending_write],
                    [_chunk_metadata(r, c) for r, c, _ in pending_write],
                )
                report.embedded += len(pending_write)
                pending_write.clear()

        for start in range(0, len(todo), batch):
            progress("embedding", start, len(todo))
            part = todo[start : start + batch]
            vecs = model.embed_passages([c.search_text for _, c in part])
            pending_write.extend((r, c, v) for (r, c), v in zip(part, vecs))
            if len(pending_write) >= write_every:
                flush()
        flush()
        progress("embedding", len(todo), len(todo))
        dim = model.dim
    else:
        store = ChromaStore(client, collection, embedder=name)
        dim = old.dim

    # 3. keyword index over every chunk of the new manifest, in a fresh folder (kept as it is when
    # no chunk changed: rebuilding bm25 was 38 of the 45 s of an unchanged re-ingest at 100k chunks)
    ordered_ids = [cid for d in docs.values() for cid in d.chunks]
    unchanged = ordered_ids == [cid for d in old.documents.values() for cid in d.chunks]
    if not fresh and old.keyword_dir and (index_dir / old.keyword_dir).exists() and unchanged:
        keyword_dir = old.keyword_dir
    else:
        keyword_dir = _build_keyword_index(index_dir, old, fresh, pending, ordered_ids, store, progress)

    # 4. commit (versions from the records alone: a newer upload supersedes an older text, no re-embedding)
    versioned = assign_versions(docs.values())
    docs = {doc_id: versioned[doc_id] for doc_id in docs}
    report.added = sum(p.status == "added" for p in pending)
    report.updated = sum(p.status == "updated" for p in pending)
    manifest = Manifest(
        embedder=name,
        dim=dim,
        collection=collection,
        keyword_dir=keyword_dir,
        chunker=signature,
        last_ingest=now_iso(),
        documents=docs,
    )
    write_manifest(index_dir, manifest)

    # 5. clean up what the new manifest no longer references (and orphans of killed runs); the commit is
    # done, so a failure here only leaves garbage that the next ingest removes
    keep = manifest.chunk_ids
    try:
        store.delete(store.all_ids() - keep)
    except Exception as exc:
        log.warning("could not delete stale chunks from %s: %s", collection, exc)
    if fresh and old.collection and old.collection != collection:
        try:
            delete_collection(client, old.collection)
        except Exception as exc:  # the old generation is garbage either way; a leftover costs only disk
            log.warning("could not delete old collection %s: %s", old.collection, exc)
    remove_stale_keyword_dirs(index_dir, keyword_dir)
    remove_stale_manifest_copies(index_dir)
    report.documents = len(manifest.documents)
    report.chunks = manifest.n_chunks
    return report


def _build_keyword_index(
    index_dir: Path, old: Manifest, fresh: bool, pending: list[_Pending], ordered_ids: list[str], store: ChromaStore, progress: Progress
) -> str:
    """Write a new keyword index folder; tokens of unchanged chunks come from the old index's cache."""
    progress("keyword index", 0, 1)
    old_kw = None
    if old.keyword_dir and not fresh:
        try:
            old_kw = load_keyword_index(index_dir, old)
        except StoreError:
            old_kw = None
    tokens: dict[str, list[str]] = {}
    new_texts = {c.chunk_id: c.search_text for p in pending for c in p.chunks}
    missing = [cid for cid in ordered_ids if cid not in new_texts and not (old_kw and cid in old_kw.tokens)]
    fetched = {cid: meta.get("search_text", "") for cid, (_, meta) in store.get(missing).items()} if missing else {}
    for cid in ordered_ids:
        if cid in new_texts:
            tokens[cid] = tokenize(new_texts[cid])
        elif old_kw and cid in old_kw.tokens:
            tokens[cid] = old_kw.tokens[cid]
        else:
            tokens[cid] = tokenize(fetched.get(cid, ""))
    keyword_dir = f"keyword/{int(time.time() * 1000)}"
    KeywordIndex.build(ordered_ids, tokens).save(index_dir / keyword_dir)
    progress("keyword index", 1, 1)
    return keyword_dir


def remove_document(doc_id: str, settings: Settings) -> bool:
    """Remove one document from both stores (the UI's delete button). Returns False if unknown."""
    lock = _acquire_lock(settings)
    try:
        return _remove_locked(doc_id, settings)
    finally:
        lock.release()


def _remove_locked(doc_id: str, settings: Settings) -> bool:
    index_dir = settings.index_dir
    old = read_manifest(index_dir)
    if not old or doc_id not in old.documents:
        return False
    kept = assign_versions(v for k, v in old.documents.items() if k != doc_id)  # an older version may be current again
    docs = {k: kept[k] for k in old.documents if k != doc_id}
    try:
        kw = load_keyword_index(index_dir, old)
        ordered = [c for d in docs.values() for c in d.chunks]
        keyword_dir = f"keyword/{int(time.time() * 1000)}"
        KeywordIndex.build(ordered, {c: kw.tokens.get(c, []) for c in ordered}).save(index_dir / keyword_dir)
        manifest = Manifest(**{**old.__dict__, "documents": docs, "keyword_dir": keyword_dir, "last_ingest": now_iso()})
        write_manifest(index_dir, manifest)
    except OSError as exc:
        raise StoreWriteError(
            f"Could not remove {doc_id} from the knowledge base in {index_dir}: {_os_reason(exc)}. Nothing was changed."
        ) from None
    try:  # committed: what is left is garbage that the next ingest removes anyway
        store = ChromaStore(open_client(index_dir, settings.chroma_url, fresh=True), old.collection)
        store.delete(old.documents[doc_id].chunks)
        remove_stale_keyword_dirs(index_dir, keyword_dir)
    except Exception as exc:
        log.warning("could not clean up after removing %s: %s", doc_id, exc)
    return True
