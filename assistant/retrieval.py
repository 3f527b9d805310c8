"""Hybrid retrieval: dense (Chroma, e5) and keyword (bm25s) candidates, fused, then re-weighted.

Why both: keyword search is exact on names and figures (技术合同, 706家) but blind to paraphrase and to
English questions; e5 catches paraphrase and crosses languages. Reciprocal-rank fusion combines
their rankings without calibrating their scores against each other.

Why re-weighting: the classic trap in bureau documents is a near-identical figure from another
city, year or period. Chunks that match the places, years and periods a question names get a boost;
chunks that only match other ones of the same kind get a penalty.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Callable, Iterable

import numpy as np

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.query import Query, analyse, period_keys, years
from assistant.jurisdiction import asks_level, jurisdiction_factor, level_factor
from assistant.titles import names_title
from assistant.versions import version_factor
from ingest.embedder import Embedder, embedder_name, load_embedder
from ingest.articles import article_key, articles_named
from ingest.keyword import KeywordIndex, tokenize
from ingest.settings import Settings
from ingest.versioning import VERSIONED_KINDS, norm_title
from ingest.store import MANIFEST, ChromaStore, Manifest, StoreError, check_embedder, load_keyword_index, open_client, read_manifest

log = logging.getLogger(__name__)


@dataclass
class RetrievedChunk:
    chunk_id: str
    doc_id: str
    title: str
    date: str
    source: str
    section: str
    text: str  # original script, for display and citation
    search_text: str
    score: float = 0.0
    dense_rank: int | None = None
    keyword_rank: int | None = None
    signals: dict[str, float] = field(default_factory=dict)
    # every other metadata key the ingest stored with the chunk (page, article, chapter, ocr, ...):
    # the loaders and the structure parser add keys here without touching retrieval
    meta: dict[str, Any] = field(default_factory=dict)


class KnowledgeBase:
    """The read side of the stores; reloads itself when an ingest commits a new manifest."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._mtime = -1.0
        self.manifest = Manifest()
        self.keyword = KeywordIndex([], {}, None)
        self.dense: ChromaStore | None = None
        self.valid: set[str] = set()
        # bounded (LRU): a long-running worker must not end up holding every chunk of a 100k index
        self._cache: OrderedDict[str, RetrievedChunk] = OrderedDict()
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()  # questions
        self._sentences: OrderedDict[str, np.ndarray] = OrderedDict()  # quoted sentences (tie-break)
        self._lock = threading.Lock()  # guards the chunk and vector caches
        self._refresh_lock = threading.Lock()
        self._dates: dict[str, float] | None = None
        self.refresh()

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = load_embedder(self.settings.embed_model, self.settings.embed_batch_size)
        return self._embedder

    def query_vector(self, text: str) -> np.ndarray:
        """The question's embedding, remembered for the last few questions: retrieval and the answer's
        sentence tie-break (assistant.extractive.rerank_by_similarity) ask for the same one."""
        return self._remembered(self._vectors, [text], 64, lambda t: [self.embedder.embed_query(t[0])])[0]

    def passage_vectors(self, texts: list[str]) -> list[np.ndarray]:
        """Passage embeddings of sentences, remembered for the last few hundred: a question's tie-break
        and its second look (an answer checked against higher-level texts) embed the same sentences,
        and a chat's follow-ups quote the same passages again."""
        return self._remembered(self._sentences, texts, 512, lambda t: list(self.embedder.embed_passages(t)))

    def _remembered(self, cache: OrderedDict[str, np.ndarray], texts: list[str], limit: int, embed: Callable[[list[str]], list[np.ndarray]]) -> list[np.ndarray]:
        """LRU look-up of embeddings: ``embed`` runs once, in one batch, for the texts not held."""
        with self._lock:
            held = {t: cache[t] for t in texts if t in cache}
            for t in held:
                cache.move_to_end(t)
        if miss := [t for t in dict.fromkeys(texts) if t not in held]:
            held.update(zip(miss, embed(miss)))
            with self._lock:
                cache.update((t, held[t]) for t in miss)
                while len(cache) > limit:
                    cache.popitem(last=False)
        return [held[t] for t in texts]

    def whole_articles(self, chunks: list[RetrievedChunk], reach: int = 2) -> list[RetrievedChunk]:
        """Each passage that is one piece of an article split at ingest (``ingest.articles``: an article too
        long for one chunk is cut at paragraph or item boundaries, every piece repeating its lead) as
        the whole article: its pieces' lines in order, the repeated lead once. The pieces are the
        document's neighbouring chunks (up to ``reach`` either side, one Chroma read for all) with the
        same article number; a passage that is no piece comes back as it was."""
        wanted: dict[str, list[str]] = {}
        for c in chunks:
            doc = self.manifest.documents.get(c.doc_id)
            index, article = c.meta.get("chunk_index"), c.meta.get("article_no")
            if doc is None or not isinstance(index, int) or article is None:
                continue
            ids = doc.chunks[max(0, index - reach) : index + reach + 1]
            wanted[c.chunk_id] = [i for i in ids if i != c.chunk_id]
        if not any(wanted.values()):
            return chunks
        near = self.chunks(sorted({i for ids in wanted.values() for i in ids}))
        out: list[RetrievedChunk] = []
        for c in chunks:
            pieces = [near[i] for i in wanted.get(c.chunk_id, []) if i in near and near[i].meta.get("article_no") == c.meta.get("article_no")]
            if not pieces:
                out.append(c)
                continue
            ordered = sorted([c, *pieces], key=lambda p: int(p.meta.get("chunk_index", 0)))
            out.append(replace(c, text=_joined_lines(p.text for p in ordered), search_text=_joined_lines(p.search_text for p in ordered)))
        return out

    def refresh(self) -> None:
        """Pick up a newer manifest; cheap when nothing changed (one stat)."""
        path = self.settings.index_dir / MANIFEST
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            raise StoreError(
                f"No knowledge base at {self.settings.index_dir}; run `policyqa ingest` first "
                f"(or set POLICYQA_INDEX_DIR / --index-dir)."
            ) from None
        if mtime == self._mtime:
            return
        # one thread reloads; the others wait for it (several threads reopening the Chroma client at
        # once broke chromadb's client cache: "'RustBindingsAPI' object has no attribute 'bindings'")
        with self._refresh_lock:
            if mtime == self._mtime:
                return
            manifest = read_manifest(self.settings.index_dir)
            assert manifest is not None
            name = self._embedder.name if self._embedder else embedder_name(self.settings.embed_model)
            check_embedder(manifest, name)
            client = open_client(self.settings.index_dir, self.settings.chroma_url)
            self.dense = ChromaStore(client, manifest.collection, embedder=name) if manifest.collection else None
            self.keyword = load_keyword_index(self.settings.index_dir, manifest)
            self.manifest = manifest
            self.valid = manifest.chunk_ids
            with self._lock:
                self._cache = OrderedDict()
            self._dates = None
            self._mtime = mtime

    def recency(self, doc_id: str) -> float:
        """0 for the oldest dated document, 1 for the newest (0 when undated)."""
        if self._dates is None:
            dates = sorted({d.date for d in self.manifest.documents.values() if d.date})
            self._dates = {d: (i / (len(dates) - 1) if len(dates) > 1 else 1.0) for i, d in enumerate(dates)}
        doc = self.manifest.documents.get(doc_id)
        return self._dates.get(doc.date, 0.0) if doc and doc.date else 0.0

    def chunks(self, ids: list[str]) -> dict[str, RetrievedChunk]:
        """Text and metadata of chunks by id (from Chroma, through a bounded LRU cache shared by the
        worker's threads: the cache is only touched under the lock, the Chroma read happens outside it)."""
        with self._lock:
            cache = self._cache
            hits = {i: cache[i] for i in ids if i in cache}
            for i in hits:
                cache.move_to_end(i)
        missing = [i for i in ids if i not in hits]
        fetched: dict[str, RetrievedChunk] = {}
        dense = self.dense
        if missing and dense is not None:
            for cid, (text, meta) in dense.get(missing).items():
                fetched[cid] = RetrievedChunk(
                    chunk_id=cid,
                    doc_id=str(meta.get("doc_id", "")),
                    title=str(meta.get("title", "")),
                    date=str(meta.get("date", "")),
                    source=str(meta.get("source", "")),
                    section=str(meta.get("section", "")),
                    text=text,
                    search_text=str(meta.get("search_text", "")),
                    meta={k: v for k, v in meta.items() if k not in _CORE_META},
                )
        if fetched:
            with self._lock:
                cache.update(fetched)
                while len(cache) > self.settings.chunk_cache_size:
                    cache.popitem(last=False)
        found = {**hits, **fetched}
        return {i: found[i] for i in ids if i in found}


def _joined_lines(texts: Iterable[str]) -> str:
    """The lines of several texts in order, each line once (the lead every piece of an article repeats)."""
    return "\n".join(dict.fromkeys(line for t in texts for line in t.splitlines() if line.strip()))


_CORE_META = frozenset({"doc_id", "title", "date", "source", "section", "search_text"})


def rrf(rankings: list[tuple[list[str], float]], k: int) -> dict[str, float]:
    """Weighted reciprocal-rank fusion: sum of weight / (k + rank)."""
    fused: dict[str, float] = {}
    for ids, weight in rankings:
        for rank, cid in enumerate(ids, 1):
            fused[cid] = fused.get(cid, 0.0) + weight / (k + rank)
    return fused


@lru_cache(maxsize=8192)
def _chunk_features(search_text: str, date: str) -> tuple[str, frozenset[str], frozenset[str]]:
    """A chunk's evidence text, years and period keys: the same for every question, so computed once
    (they were 10 of the ~50 ms of a retrieval at 100k chunks)."""
    from assistant.extractive import evidence_text  # here: extractive imports this module

    # an instruction planted in a passage ("…回答:昆明…") must not make it look like it is about 昆明
    text = f"{evidence_text(search_text)} {date}"
    return text, frozenset(years(text) | ({date[:4]} if date else set())), frozenset(period_keys(text))


def constraint_factor(
    query: Query, chunk: RetrievedChunk, home_place: str = "", recency: float = 0.0, doc: Any = None, superseded_weight: float = 1.0,
    jurisdiction_weights: dict[str, float] | None = None, jurisdiction_places: frozenset[str] | None = None,
) -> tuple[float, dict[str, float]]:
    """Boost chunks that match the question's places, years and periods; penalise ones that contradict them.

    A question that names no place is about the bureau's own city (``home_place``), and one that
    names no year prefers newer documents (``recency`` in [0, 1], 1 = the newest).
    """
    text, chunk_years, chunk_periods = _chunk_features(chunk.search_text, chunk.date)
    signals: dict[str, float] = {}
    factor = 1.0
    if not query.places and home_place:
        hit = home_place in text
        factor *= 1.15 if hit else 0.9
        signals["home"] = float(hit)
    if not query.years:
        factor *= 1.0 + 0.1 * recency
        signals["recency"] = recency
    for place in query.places:
        hit = place in text
        factor *= 1.25 if hit else 0.6
        signals[f"place:{place}"] = float(hit)
    if query.years:
        hit = bool(query.years & chunk_years)
        factor *= 1.25 if hit else 0.6
        signals["year"] = float(hit)
    if query.periods:
        hit = bool(query.periods & chunk_periods)
        factor *= 1.3 if hit else 1.0
        signals["period"] = float(hit)
    factor *= version_factor(doc, query.original, superseded_weight)  # a superseded text counts less (assistant.versions)
    # the place's own regulation, its province's, national law (assistant.jurisdiction); the places are the
    # question's, or the home city's for a question about it
    places = query.places or jurisdiction_places
    if jurisdiction_weights and places:
        weight, tier = jurisdiction_factor(doc, places, jurisdiction_weights)
        factor *= weight
        if tier:
            signals["jurisdiction"] = weight
    return factor, signals


class HybridRetriever:
    """Dense + keyword → RRF → constraint re-weighting → optional cross-encoder re-ranking."""

    def __init__(self, kb: KnowledgeBase, settings: Settings) -> None:
        self.kb = kb
        self.settings = settings
        self._reranker: Any = None
        if settings.rerank_model:
            from assistant.rerank import CrossEncoderReranker

            self._reranker = CrossEncoderReranker(settings.rerank_model)

    def title_of(self, doc_id: str) -> str:
        """A document's normalised title (no 中华人民共和国, no version): what questions name it by."""
        doc = self.kb.manifest.documents.get(doc_id)
        return (doc.norm_title or norm_title(doc.title)) if doc else ""

    def named_documents(self, query: Query) -> set[str]:
        """The laws and regulations whose title the question names, whole or shortened (科技进步法). Only
        those: a rule is asked about by its name, while a report's or an article's title (德国, 承久之乱)
        is a subject the question mentions."""
        if query.english:
            return set()
        cover = self.settings.changes_title_cover
        docs = self.kb.manifest.documents
        return {d for d, r in docs.items() if r.kind in VERSIONED_KINDS and names_title(query.search, self.title_of(d), cover)}

    def _article_chunks(self, doc_ids: set[str], wanted: set[str]) -> list[str]:
        """Chunk ids of the named articles in the named documents."""
        ids = [c for d in doc_ids if (doc := self.kb.manifest.documents.get(d)) for c in doc.chunks]
        found = self.kb.chunks(ids) if ids else {}
        return [cid for cid, c in found.items() if article_key(c.meta.get("article")) in wanted]

    def home_terms(self, query: Query) -> list[str]:
        """The home city, for a question that names no place and does not ask what the law or the state
        says (see ``retrieve``, :func:`assistant.jurisdiction.asks_level`)."""
        s = self.settings
        return [s.home_place] if s.home_place and not query.places and not asks_level(query) else []

    def query_text(self, query: Query, home: list[str] | None = None) -> str:
        """What the dense side embeds for a question: it and ``home`` (default: what ``retrieve``
        adds, see ``implied_home``), so the answer's tie-break reuses retrieval's vector."""
        return " ".join([query.dense_search or query.search, *(self.implied_home(query) if home is None else home)])

    def implied_home(self, query: Query, named: set[str] | None = None) -> list[str]:
        """The home city added to a question naming no place, unless it names a text (科技进步法: about
        that text, wherever the bureau is); ``named``: ``named_documents(query)`` when known."""
        return [] if (self.named_documents(query) if named is None else named) else self.home_terms(query)

    def retrieve(self, query: Query, k: int | None = None, within: frozenset[str] | None = None) -> list[RetrievedChunk]:
        """The ``k`` best passages for ``query``; with ``within``, only passages of those documents (the
        higher-level texts a local regulation's answer is compared with), home city not implied."""
        s = self.settings
        k = k or s.top_k
        self.kb.refresh()
        valid = self.kb.valid
        if within is not None:
            docs = self.kb.manifest.documents
            valid = valid & {c for d in within if (rec := docs.get(d)) for c in rec.chunks}
        # a question that names no place is about the home city (see constraint_factor): say so to both
        # retrievers too, or in an index full of other cities' near-identical reports the home city's chunk
        # never makes the candidate lists. Where nearly every chunk names the home city (its own bureau's
        # corpus) the added term has a low idf and changes little.
        named = self.named_documents(query) if within is None else set()
        home = [] if within is not None else self.implied_home(query, named)
        named_terms = [t for d in sorted(named) for t in tokenize(self.title_of(d))]
        dense_ids: list[str] = []
        if self.kb.dense is not None and valid and s.dense_weight > 0:
            vec = self.kb.query_vector(self.query_text(query, home))
            # ask for extra: ids of an interrupted ingest may be in Chroma but are not trusted
            dense_ids = [cid for cid, _ in self.kb.dense.query(vec, s.retrieve_k + 10, sorted(within) if within is not None else None) if cid in valid][: s.retrieve_k]
        # bm25s ranks the whole index: restricted to a few documents, read further down its list
        kw_k = s.retrieve_k if within is None else s.retrieve_k * s.within_keyword_factor
        kw_ids = [cid for cid, _ in self.kb.keyword.search([*query.tokens, *self._expansions(query), *home, *named_terms], kw_k) if cid in valid][: s.retrieve_k]
        fused = rrf([(dense_ids, s.dense_weight), (kw_ids, s.keyword_weight)], s.rrf_k)
        wanted = set(articles_named(query.search))
        if wanted and named and fused:
            # 科技进步法第十八条: that article of that text, which keyword search ranks no higher than
            # 第九十八条 or 第二十八条 (the same characters)
            top = max(fused.values())
            for cid in self._article_chunks(named, wanted):
                fused.setdefault(cid, top)
        chunks = self.kb.chunks(list(fused))
        out: list[RetrievedChunk] = []
        for cid, score in fused.items():
            chunk = chunks.get(cid)
            if chunk is None:
                continue
            doc = self.kb.manifest.documents.get(chunk.doc_id)
            factor, signals = constraint_factor(
                query, chunk, s.home_place if home else "", self.kb.recency(chunk.doc_id), doc, s.superseded_weight, s.jurisdiction_weights,
                frozenset(home) if s.home_jurisdiction else None,
            )
            if (level := level_factor(doc, query, s.rules_asked_weight, s.national_asked_weight)) != 1.0:
                factor *= level
                signals["level"] = level
            if chunk.doc_id in named:
                factor *= s.named_document_weight
                signals["named"] = 1.0
            if wanted and article_key(chunk.meta.get("article")) in wanted:
                factor *= s.named_article_weight
                signals["article"] = 1.0
            out.append(
                replace(
                    chunk,
                    score=score * factor,
                    signals=signals,
                    dense_rank=dense_ids.index(cid) + 1 if cid in dense_ids else None,
                    keyword_rank=kw_ids.index(cid) + 1 if cid in kw_ids else None,
                )
            )
        out.sort(key=lambda c: c.score, reverse=True)
        if self._reranker is not None:
            out = self._reranker.rerank(query.search, out[: max(k * 3, 10)])
        return out[:k]


    def _expansions(self, query: Query) -> list[str]:
        """Corpus words for question terms the corpus never uses: Cilin synonyms (报名 → 申请) and the
        words an abbreviation stands for (科小 → 科技型中小企业), so keyword search can find them."""
        from assistant.lexicon import abbreviation_expansions, synonyms

        vocab = self.kb.keyword.vocabulary
        if not vocab or query.english:
            return []
        extra: list[str] = []
        for term in query.content_terms:
            if term in vocab:
                continue
            extra += sorted(w for w in synonyms(term) if w in vocab)  # sorted: the same query every run
            extra += abbreviation_expansions(term, vocab, limit=3)  # it filters by the first character itself
        return extra


class PolicyRetriever(BaseRetriever):
    """The hybrid retriever as a LangChain ``BaseRetriever`` (for chains and agents)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    retriever: Any

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(
                page_content=c.text,
                id=c.chunk_id,
                metadata={"doc_id": c.doc_id, "title": c.title, "date": c.date, "source": c.source, "score": c.score},
            )
            for c in self.retriever.retrieve(analyse(query))
        ]
