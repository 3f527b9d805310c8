"""The knowledge-base service: one object the CLI, the UI and the HTTP/MCP API all call.

Why a package of its own (``kb``) and not a module of ``ingest`` or ``assistant``: it sits above
both. It writes through ``ingest.pipeline`` (ingest, remove) and reads through
``assistant.api.Assistant`` (search, ask), so putting it inside either would make that package
import the other. The shells (``assistant.cli``, ``ui``, ``api``) hold no storage logic: they
translate their input to these calls and the results (or the errors below) to their output.

Life cycle:

>>> from kb import KnowledgeService
>>> kb = KnowledgeService(Settings(index_dir="/tmp/idx"))     # doctest: +SKIP
>>> kb.status()                      # instant: reads only the manifest    # doctest: +SKIP
>>> kb.add_bytes("报告.txt", data)   # saved under corpus/uploads/, then ingested    # doctest: +SKIP
>>> kb.search("技术合同", k=5)        # retrieval only                     # doctest: +SKIP
>>> kb.ask("1至8月技术合同成交额是多少?")  # the Assistant's Answer         # doctest: +SKIP

Thread-safety: reads may run in any number of threads; writes (ingest, upload, remove) are
serialised by the ingest lock of the index folder (``ingest.pipeline``), across processes too.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from ingest.settings import Settings
from ingest.store import DocRecord, Manifest, StoreError, read_manifest

Progress = Callable[[str, int, int], None]


class NoKnowledgeBase(StoreError):
    """There is no knowledge base yet at the index folder (nothing ingested)."""


class UnknownDocument(KeyError):
    """No document with that id is in the knowledge base."""

    def __str__(self) -> str:  # KeyError's str() quotes its argument
        return f"{self.args[0]} is not in the knowledge base"


@dataclass
class Status:
    documents: int
    chunks: int
    embedder: str
    last_ingest: str | None
    index_dir: str
    chroma_url: str | None

    def to_json(self) -> dict[str, Any]:
        """The `policyqa status --json` contract."""
        return dict(self.__dict__)


@dataclass
class DocumentInfo:
    doc_id: str
    title: str
    date: str
    source: str
    chunks: int
    ingested_at: str
    uploaded: bool  # saved by an upload (under corpus/uploads/): removing it deletes the file too

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class UploadResult:
    """What an upload did: files saved, files refused (name, reason key, details), and the ingest."""

    saved: list[Path] = field(default_factory=list)
    refused: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    report: Any = None  # ingest.pipeline.IngestReport, when something was saved
    error: str | None = None  # the ingest failed (disk, store); the saved files stay for the next one

    def to_json(self) -> dict[str, Any]:
        return {
            "saved": [p.name for p in self.saved],
            "refused": [{"name": n, "reason": key.removeprefix("upload_"), **kw} for n, key, kw in self.refused],
            "ingest": self.report.to_json() if self.report is not None else None,
            "error": self.error,
        }


@dataclass
class RemoveResult:
    doc_id: str
    file_deleted: bool  # an uploaded file: deleted with its document
    source_kept: str | None  # a file of an ingested folder: still there (the next ingest of it adds it back)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def passage_json(rank: int, chunk: Any, doc: DocRecord | None = None) -> dict[str, Any]:
    """One ranked passage of a search (the same fields as a citation, plus rank and score)."""
    from assistant.api import Citation

    out = Citation.of(rank, chunk, doc).to_json()
    out["rank"] = out.pop("n")
    out["score"] = round(float(chunk.score), 6)
    out["section"] = chunk.section
    return out


class KnowledgeService:
    """Open, inspect, change and query one knowledge base (``settings.index_dir``)."""

    def __init__(self, settings: Settings | None = None, assistant: Any = None, embedder: Any = None) -> None:
        self.settings = settings or Settings()
        self._assistant = assistant
        self._embedder = embedder
        self._lock = threading.Lock()
        self.error: str | None = None  # why there is no Assistant (no index yet, unreadable one)

    # -- reading the manifest (instant: no Chroma, no model) ------------------------------------

    def manifest(self) -> Manifest:
        """The committed manifest; :class:`NoKnowledgeBase` when nothing was ingested, StoreError when unreadable."""
        manifest = read_manifest(self.settings.index_dir)
        if manifest is None:
            raise NoKnowledgeBase(f"no knowledge base at {self.settings.index_dir}; run `policyqa ingest` first")
        return manifest

    def status(self) -> Status:
        m = self.manifest()
        s = self.settings
        return Status(len(m.documents), m.n_chunks, m.embedder, m.last_ingest, str(s.index_dir), s.chroma_url)

    def documents(self) -> list[DocumentInfo]:
        """Every document, by id."""
        return [self._info(d) for d in sorted(self.manifest().documents.values(), key=lambda d: d.doc_id)]

    def document(self, doc_id: str) -> DocumentInfo:
        record = self.manifest().documents.get(doc_id)
        if record is None:
            raise UnknownDocument(doc_id)
        return self._info(record)

    def records(self) -> list[DocRecord]:
        """The manifest's records (title, date, chunks, figures...) of every document."""
        return list(self.manifest().documents.values())

    def _info(self, d: DocRecord) -> DocumentInfo:
        from ui.uploads import is_upload

        return DocumentInfo(
            d.doc_id, d.title, d.date or "", d.source or "", len(d.chunks), d.ingested_at, is_upload(d.path, self.settings.corpus_dir)
        )

    def figures(self, query: str | None = None, doc_id: str | None = None) -> list[Any]:
        """Figures extracted at ingest (ingest.figures), filtered like `policyqa figures --query --doc`."""
        from assistant.briefing import manifest_figures
        from ingest.figures import filter_figures

        return filter_figures(manifest_figures(self.manifest()), query=query or None, doc_id=doc_id or None)

    # -- the Assistant (built once, shared; it reloads itself after every committed ingest) -----

    def assistant(self) -> Any:
        """The shared Assistant, or ``None`` while there is no usable knowledge base (``self.error`` says why)."""
        if self._assistant is not None:
            return self._assistant
        with self._lock:
            if self._assistant is None:
                from assistant.api import Assistant
                from ingest.embedder import EmbedderError

                try:
                    self._assistant = Assistant(self.settings, embedder=self._embedder)
                    self.error = None
                except (StoreError, EmbedderError) as exc:
                    self.error = str(exc)
        return self._assistant

    def require_assistant(self) -> Any:
        bot = self.assistant()
        if bot is None:
            raise NoKnowledgeBase(self.error or f"no knowledge base at {self.settings.index_dir}")
        return bot

    def embedder(self) -> Any:
        """The loaded embedder (so an upload does not load the model a second time), or ``None``."""
        if self._embedder is not None:
            return self._embedder
        bot = self._assistant
        try:
            return bot.kb.embedder if bot is not None else None
        except Exception:  # an embedder that cannot load: let the ingest report it
            return None

    def search(self, query: str, k: int | None = None) -> list[dict[str, Any]]:
        """Ranked passages for ``query`` (hybrid retrieval only: no answer, no refusal)."""
        from assistant.api import clean_question
        from assistant.query import analyse

        bot = self.require_assistant()
        text = clean_question(query)
        if not text:
            return []
        chunks = bot.retriever.retrieve(analyse(text), k or self.settings.top_k)
        docs = bot.kb.manifest.documents
        return [passage_json(i, c, docs.get(c.doc_id)) for i, c in enumerate(chunks, 1)]

    def ask(self, question: str, history: Sequence[Any] | None = None, mode: str | None = None) -> Any:
        """The Assistant's :class:`assistant.api.Answer` (LLM errors become an extractive answer with ``error``)."""
        return self.require_assistant().ask(question, history, mode)

    def stream(self, question: str, history: Sequence[Any] | None = None, mode: str | None = None) -> Any:
        """Text deltas, then the final Answer (see ``Assistant.stream``)."""
        return self.require_assistant().stream(question, history, mode)

    # -- writing ---------------------------------------------------------------------------------

    def ingest(self, paths: Iterable[Path] | None = None, rebuild: bool = False, progress: Progress | None = None) -> Any:
        """Bring the knowledge base in line with ``paths`` (default: the corpus folder); an IngestReport.

        Raises StoreError (busy, disk, embedder mismatch) or EmbedderError with a message.
        """
        from ingest.pipeline import ingest as run

        targets = [Path(p) for p in (paths or [self.settings.corpus_dir])]
        kwargs: dict[str, Any] = {"rebuild": rebuild, "embedder": self.embedder()}
        if progress is not None:
            kwargs["progress"] = progress
        report = run(targets, self.settings, **kwargs)
        self.assistant()  # a first knowledge base: build the Assistant now
        return report

    def add_files(self, files: Sequence[str | Path], progress: Progress | None = None) -> UploadResult:
        """Save files (safe names, type and size checks: ui.uploads) under corpus/uploads/, then ingest the corpus."""
        from ingest.embedder import EmbedderError
        from ui.uploads import save_uploads

        saved = save_uploads(list(files), self.settings.corpus_dir, self.settings.max_upload_mb)
        result = UploadResult(saved=saved.saved, refused=saved.refused)
        if saved.saved:
            try:
                result.report = self.ingest([Path(self.settings.corpus_dir)], progress=progress)
            except (StoreError, EmbedderError, OSError) as exc:
                result.error = str(exc)
        return result

    def add_bytes(self, name: str, data: bytes, progress: Progress | None = None) -> UploadResult:
        """An upload received as bytes (the HTTP API): the same checks and ingest as :meth:`add_files`."""
        return self.add_many([(name, data)], progress)

    def add_many(self, items: Sequence[tuple[str, bytes]], progress: Progress | None = None) -> UploadResult:
        """Several uploads received as (name, bytes), ingested once."""
        from ui.uploads import ALLOWED_SUFFIXES, safe_filename

        refused: list[tuple[str, str, dict[str, Any]]] = []
        with tempfile.TemporaryDirectory(prefix="policyqa-upload-") as tmp:
            paths: list[Path] = []
            for i, (name, data) in enumerate(items):
                safe = safe_filename(name)
                if safe is None:  # refused before anything touches the disk under the client's name
                    refused.append((str(name), "upload_bad_type", {"types": " ".join(ALLOWED_SUFFIXES)}))
                    continue
                folder = Path(tmp) / str(i)  # one folder per item: two uploads may share a safe name
                folder.mkdir()
                (folder / safe).write_bytes(data)
                paths.append(folder / safe)
            result = self.add_files(paths, progress)
        result.refused = refused + result.refused
        return result

    def remove(self, doc_id: str) -> RemoveResult:
        """Remove a document from both stores; an uploaded file is deleted too. UnknownDocument if absent."""
        from ingest.pipeline import remove_document
        from ui.uploads import is_upload

        manifest = read_manifest(self.settings.index_dir)
        record = manifest.documents.get(doc_id) if manifest else None
        if record is None or not remove_document(doc_id, self.settings):
            raise UnknownDocument(doc_id)
        path = Path(record.path)
        if is_upload(path, self.settings.corpus_dir):
            path.unlink(missing_ok=True)
            return RemoveResult(doc_id, True, None)
        return RemoveResult(doc_id, False, str(path) if path.exists() else None)
