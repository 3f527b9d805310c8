"""The knowledge base on disk: Chroma (dense vectors), the keyword index, and a manifest.

Life cycle, and why it is safe to kill at any point:

1. An ingest holds ``.ingest.lock`` (``filelock``): a second ingest waits, then exits with a message.
2. New chunks are *added* to Chroma under content-addressed ids; nothing is deleted yet. Readers
   only trust ids listed in the manifest, so half-written additions are invisible.
3. A new keyword index is written to a fresh ``keyword/<generation>`` folder.
4. ``manifest.json`` is replaced atomically (write, fsync, ``os.replace``): this is the commit.
5. Only then are chunks that the new manifest no longer lists deleted, with old keyword folders.

A kill before step 4 leaves the previous manifest, whose chunks and keyword folder are all still
there; the next ingest deletes the orphans. ``--rebuild`` writes into a new Chroma collection and
switches to it at step 4 the same way.

The manifest also records which embedder built the collection; opening it with another one is
refused (:class:`EmbedderMismatch`), because vectors of two models are not comparable.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import numpy as np
import orjson

from ingest.keyword import KeywordIndex

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1


class StoreError(RuntimeError):
    """The knowledge base cannot be opened or written; the message says what to do."""


class EmbedderMismatch(StoreError):
    """The index was built with another embedder."""


class StoreWriteError(StoreError):
    """Writing to the knowledge base failed (disk full, read-only folder, I/O error)."""


def _short(exc: BaseException, limit: int = 200) -> str:
    msg = " ".join(str(exc).split()) or type(exc).__name__
    return msg if len(msg) <= limit else msg[: limit - 1] + "…"


@dataclass
class DocRecord:
    doc_id: str
    path: str
    root: str
    hash: str
    title: str
    date: str
    source: str
    script: str
    chunks: list[str]
    ingested_at: str
    figures: list[dict[str, Any]] = field(default_factory=list)
    # --- regulations (ingest.structure): defaults keep manifests written before them loadable
    kind: str | None = None  # law | administrative_regulation | local_regulation | normative_document | notice | report | news
    issuer: str | None = None
    doc_number: str | None = None
    jurisdiction: str | None = None  # "national", or the province / city ("浙江省", "广州市")
    province: str | None = None  # the province of a local jurisdiction ("广东省" for 广州市)
    events: list[dict[str, str]] = field(default_factory=list)  # [{"type": "revised", "date": "2024-05-26"}]
    effective_date: str | None = None
    version_date: str | None = None
    norm_title: str | None = None
    # recomputed from the manifest alone at every commit (ingest.versioning): a newer version of the
    # same regulation turns this one superseded without re-embedding its chunks
    status: str | None = None  # "current" | "superseded" | None (not a versioned text)
    superseded_by: str | None = None  # doc_id of the current version


@dataclass
class Manifest:
    embedder: str = ""
    dim: int = 0
    collection: str = ""
    keyword_dir: str = ""
    chunker: str = ""
    last_ingest: str | None = None
    documents: dict[str, DocRecord] = field(default_factory=dict)
    version: int = MANIFEST_VERSION

    @property
    def chunk_ids(self) -> set[str]:
        return {c for d in self.documents.values() for c in d.chunks}

    @property
    def n_chunks(self) -> int:
        return sum(len(d.chunks) for d in self.documents.values())

    def to_json(self) -> bytes:
        """Compact UTF-8 JSON. orjson: json.dumps(asdict(...), indent=1) took 11 s of every ingest at 100k chunks, orjson 0.4 s."""
        return orjson.dumps(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Manifest":
        known = set(DocRecord.__dataclass_fields__)
        # keys a newer policyqa wrote are dropped, not fatal: the manifest stays readable both ways
        docs = {k: DocRecord(**{f: x for f, x in v.items() if f in known}) for k, v in data.get("documents", {}).items()}
        return cls(**{**data, "documents": docs})


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def read_manifest(index_dir: Path) -> Manifest | None:
    path = index_dir / MANIFEST
    if not path.exists():
        return None
    try:
        return Manifest.from_dict(orjson.loads(path.read_bytes()))
    except (ValueError, TypeError) as exc:  # orjson.JSONDecodeError is a ValueError
        raise StoreError(f"{path} is unreadable ({exc}); re-create the index with `policyqa ingest --rebuild`.") from None


def write_manifest(index_dir: Path, manifest: Manifest) -> None:
    """Atomic replace: readers see the old manifest or the new one, never half of one."""
    index_dir.mkdir(parents=True, exist_ok=True)
    tmp = index_dir / f".{MANIFEST}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(manifest.to_json())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, index_dir / MANIFEST)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a half-written copy (disk full) must not stay behind
        raise
    dir_fd = os.open(index_dir, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    _note_commit(index_dir)


def check_embedder(manifest: Manifest, embedder: str) -> None:
    if manifest.embedder and manifest.embedder != embedder:
        raise EmbedderMismatch(
            f"This index was built with the embedder {manifest.embedder!r}, but the configured one is "
            f"{embedder!r} (POLICYQA_EMBED_MODEL). Set POLICYQA_EMBED_MODEL back, or rebuild the index "
            f"with `policyqa ingest --rebuild`."
        )


def _manifest_stamp(index_dir: Path) -> int | None:
    try:
        return (index_dir / MANIFEST).stat().st_mtime_ns
    except OSError:
        return None


class _ReadWriteLock:
    """Many readers or one writer; a waiting writer goes first, so a stream of questions cannot starve a reload.

    Hand-rolled (a dozen lines over threading.Condition): the standard library has none, and a dependency
    for this is not worth it. Not reentrant: a reader must not ask for the lock again while holding it.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class ClientHandle:
    """This process's one Chroma client for a store, through chromadb's public API only.

    Why: an embedded ``PersistentClient`` keeps its vector index in memory and never sees what another
    process added since it was opened; and chromadb shares one client system per folder inside a
    process, so a second ``PersistentClient(path)`` gets the same stale index. When another process
    has committed a manifest (or a writer asks for ``fresh``), the handle waits for the operations in
    flight, ``close()``s its client (chromadb then stops the system and frees its native index) and
    opens a new one, which reads the folder from disk. Every operation runs under :meth:`using`, so no
    thread ever uses a client that is being closed; :class:`ChromaStore` re-fetches its collection
    from the new client (``generation`` tells it when). A Chroma server (``HttpClient``) is coherent
    across processes by itself and is never reopened.

    Code that opens its own ``chromadb.PersistentClient`` on the same folder in this process must
    ``close()`` it (or use it in a ``with`` block), or chromadb keeps the old system alive for both.
    """

    def __init__(self, key: str, factory: Any, embedded: bool) -> None:
        self.key = key
        self._factory = factory
        self.embedded = embedded
        self._lock = _ReadWriteLock()
        self._client: Any = None
        self.generation = 0
        self.stamp: int | None = None

    def reopen(self) -> None:
        """Close the client and open a new one (waits for the operations in flight)."""
        with self._lock.write():
            old, self._client = self._client, None
            if old is not None:
                try:
                    old.close()
                except Exception as exc:  # a client that cannot close cleanly is garbage either way
                    log.warning("closing the Chroma client of %s failed: %s", self.key, _short(exc))
            self._client = self._factory()
            self.generation += 1

    @property
    def closed(self) -> bool:
        return self._client is None

    def mark_stale(self) -> None:
        self.stamp = -1  # no manifest has this mtime: the next open_client reopens

    @contextmanager
    def using(self) -> Iterator[Any]:
        """The live client, for one operation (or a few): it is not reopened meanwhile."""
        with self._lock.read():
            if self._client is None:
                raise StoreError(f"The Chroma client of {self.key} is not open (a reopen failed); try again.")
            yield self._client


_handles: dict[str, ClientHandle] = {}
_handles_lock = threading.Lock()


def open_client(index_dir: Path, chroma_url: str | None, fresh: bool = False) -> ClientHandle:
    """The process's :class:`ClientHandle` for the embedded store under ``index_dir/chroma``, or for a Chroma server.

    The embedded store is reopened when another process has committed a manifest since this process
    last looked, and always when ``fresh`` (writers, which hold the ingest lock, ask for that so that
    additions of an interrupted run in another process are in their vector index).
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        from urllib.parse import urlparse

        url = urlparse(chroma_url if "//" in chroma_url else f"http://{chroma_url}")

        def http_client() -> Any:
            try:
                return chromadb.HttpClient(
                    host=url.hostname or "127.0.0.1", port=url.port or 8000, ssl=url.scheme == "https", settings=chroma_settings
                )
            except Exception as exc:
                raise StoreError(f"Cannot reach the Chroma server at {chroma_url} (POLICYQA_CHROMA_URL): {exc}") from None

        return _handle(f"http:{chroma_url}", http_client, embedded=False, stale=False)
    path = str(index_dir / "chroma")

    def persistent_client() -> Any:
        try:
            return chromadb.PersistentClient(path=path, settings=chroma_settings)
        except Exception as exc:  # chromadb writes to its folder even to read: a read-only one fails here
            raise StoreError(
                f"Cannot open the Chroma store in {path}: {_short(exc)}. Chroma needs write access to the index "
                f"folder even to answer questions: check its permissions, the disk, and that it is not read-only."
            ) from None

    stamp = _manifest_stamp(index_dir)
    handle = _handle(path, persistent_client, embedded=True, stale=fresh, stamp=stamp)
    return handle


def _handle(key: str, factory: Any, embedded: bool, stale: bool, stamp: int | None = None) -> ClientHandle:
    with _handles_lock:
        handle = _handles.get(key)
        if handle is None:
            handle = _handles[key] = ClientHandle(key, factory, embedded)
            stale = True
    if embedded and handle.stamp != stamp:
        stale = True
    if stale or handle.closed:
        handle.reopen()
    handle.stamp = stamp
    return handle


def reopen(index_dir: Path) -> None:
    """Make this process's next ``open_client`` read the embedded store under ``index_dir`` from disk again (tests, tools)."""
    handle = _handles.get(str(index_dir / "chroma"))
    if handle is not None:
        handle.mark_stale()


def _note_commit(index_dir: Path) -> None:
    """This process's own commit: its client saw every write, so the new manifest is no reason to reopen."""
    handle = _handles.get(str(index_dir / "chroma"))
    if handle is not None:
        handle.stamp = _manifest_stamp(index_dir)


class ChromaStore:
    """The dense side: one Chroma collection per index generation, vectors given by us.

    Every call runs under the client handle's :meth:`ClientHandle.using`, and fetches the collection
    again after the handle reopened its client.
    """

    def __init__(self, handle: ClientHandle, name: str, embedder: str = "", dim: int = 0, create: bool = False) -> None:
        self.handle = handle
        self.name = name
        self._generation = -1
        self._collection: Any = None
        with handle.using() as client:
            if create:
                try:
                    client.get_or_create_collection(
                        name, metadata={"hnsw:space": "cosine", "embedder": embedder, "dim": dim}, embedding_function=None
                    )
                except Exception as exc:
                    raise StoreWriteError(f"Chroma could not create the collection {name!r}: {_short(exc)}") from None
            collection = self._resolve(client)
        built_with = (collection.metadata or {}).get("embedder")
        if embedder and built_with and built_with != embedder:
            raise EmbedderMismatch(
                f"Chroma collection {name!r} was built with {built_with!r}, not {embedder!r} (POLICYQA_EMBED_MODEL); "
                f"rebuild with `policyqa ingest --rebuild`."
            )

    def _resolve(self, client: Any) -> Any:
        """The collection object of the handle's current client (call under ``handle.using()``)."""
        if self._generation != self.handle.generation or self._collection is None:
            try:
                self._collection = client.get_collection(self.name, embedding_function=None)
            except Exception as exc:
                raise StoreError(f"Chroma collection {self.name!r} is missing ({exc}); run `policyqa ingest --rebuild`.") from None
            self._generation = self.handle.generation
        return self._collection

    @contextmanager
    def _col(self) -> Iterator[Any]:
        with self.handle.using() as client:
            yield self._resolve(client)

    def existing(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        with self._col() as col:
            for start in range(0, len(ids), 1000):
                found.update(col.get(ids=list(ids[start : start + 1000]), include=[])["ids"])
        return found

    def all_ids(self) -> set[str]:
        out: set[str] = set()
        offset, page = 0, 5000
        with self._col() as col:
            while True:
                got = col.get(include=[], limit=page, offset=offset)["ids"]
                out.update(got)
                if len(got) < page:
                    return out
                offset += page

    def count(self) -> int:
        with self._col() as col:
            return int(col.count())

    def add(self, ids: list[str], vectors: np.ndarray, texts: list[str], metadatas: list[dict[str, Any]]) -> None:
        try:
            with self._col() as col:
                col.upsert(ids=ids, embeddings=vectors, documents=texts, metadatas=metadatas)
        except StoreError:
            raise
        except Exception as exc:  # chromadb reports a full or read-only disk as InternalError
            raise StoreWriteError(f"Chroma could not write to the collection {self.name!r}: {_short(exc)}") from None

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        try:
            with self._col() as col:
                for start in range(0, len(ids), 1000):
                    col.delete(ids=ids[start : start + 1000])
        except StoreError:
            raise
        except Exception as exc:
            raise StoreWriteError(f"Chroma could not delete from the collection {self.name!r}: {_short(exc)}") from None

    def query(self, vector: np.ndarray, k: int, doc_ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) best first; only chunks of ``doc_ids`` when given (Chroma's
        metadata filter, so the k nearest are the k nearest of those documents)."""
        with self._col() as col:
            count = col.count()
            if count == 0:
                return []
            where = {"doc_id": {"$in": list(doc_ids)}} if doc_ids is not None else None
            res = col.query(query_embeddings=[vector], n_results=min(k, count), include=["distances"], where=where)
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]

    def get(self, ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """chunk id → (display text, metadata)."""
        if not ids:
            return {}
        with self._col() as col:
            res = col.get(ids=list(ids), include=["documents", "metadatas"])
        return {i: (doc or "", meta or {}) for i, doc, meta in zip(res["ids"], res["documents"], res["metadatas"])}


def delete_collection(handle: ClientHandle, name: str) -> None:
    with handle.using() as client:
        client.delete_collection(name)


def remove_stale_keyword_dirs(index_dir: Path, keep: str) -> None:
    base = index_dir / "keyword"
    if not base.exists():
        return
    for child in base.iterdir():
        if child.is_dir() and str(child.relative_to(index_dir)) != keep:
            shutil.rmtree(child, ignore_errors=True)


def load_keyword_index(index_dir: Path, manifest: Manifest) -> KeywordIndex:
    if not manifest.keyword_dir:
        return KeywordIndex([], {}, None)
    folder = index_dir / manifest.keyword_dir
    if not folder.exists():
        raise StoreError(f"Keyword index {folder} is missing; run `policyqa ingest --rebuild`.")
    return KeywordIndex.load(folder)


def remove_stale_manifest_copies(index_dir: Path) -> None:
    """Delete ``.manifest.json.<pid>.tmp`` files that writers killed before their ``os.replace`` left.

    Called by the lock holder after its commit, so no other writer can be half-way through one.
    """
    for tmp in index_dir.glob(f".{MANIFEST}.*.tmp"):
        try:
            tmp.unlink()
        except OSError:
            pass
