"""`policyqa mcp`: the knowledge base as MCP tools over stdio (the official ``mcp`` SDK, v2 ``MCPServer``).

Tools: ``ask`` (a cited answer: the `ask --json` object), ``search`` (ranked passages, retrieval
only), ``figures`` (the figures table) and ``documents`` (what the knowledge base holds). An agent
host (Claude Desktop, an IDE, another agent) starts ``policyqa mcp --index-dir ...`` and talks to it
over stdin/stdout; the SDK points fd 1 at stderr while serving, so stray output never reaches the wire.

Errors of the knowledge base (none yet, a bad question) are tool errors with the message, which the
SDK sends as ``isError`` results: the agent reads why, the server keeps running.
"""

from __future__ import annotations

from typing import Any, Literal

from ingest.settings import Settings


def build_server(settings: Settings, service: Any = None) -> Any:
    """The MCPServer with the four tools over ``service`` (a kb.KnowledgeService, built from ``settings``)."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError as ToolFailed  # the SDK sends its message back as isError

    from ingest.embedder import EmbedderError
    from ingest.store import StoreError
    from kb import KnowledgeService

    kb = service or KnowledgeService(settings)
    server = MCPServer(
        "policyqa",
        instructions=(
            "Cited answers from a Science & Technology Bureau's documents (Chinese or English questions). "
            "Use `ask` for an answer with [n] citations (refused when the documents do not say), `search` for "
            "passages, `figures` for the figures table, `documents` for what the knowledge base holds."
        ),
        log_level="WARNING",
    )

    def guarded(fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except (StoreError, EmbedderError) as exc:
            raise ToolFailed(str(exc)) from None

    @server.tool()
    def ask(question: str, history: list[dict[str, str]] | None = None, mode: Literal["extractive", "llm"] | None = None) -> dict[str, Any]:
        """Answer a question from the documents with [n] citations, or say that they do not say.

        history: earlier turns as [{"role": "user"|"assistant", "content": "..."}], for follow-ups.
        Returns the answer, refused, citations (doc_id, title, date, source, text, page, article) and more."""
        if mode == "llm" and not settings.llm_configured:
            raise ToolFailed("mode llm is not available: no LLM is configured")
        ans = guarded(kb.ask, question, history or [], mode)
        if ans.error and ans.refused and not ans.retrieved:
            raise ToolFailed(ans.error)
        out = ans.to_json()
        out.pop("retrieved", None)  # the ranking is for debugging; agents get the citations
        return out

    @server.tool()
    def search(query: str, k: int = 5) -> dict[str, Any]:
        """Passages that match a query, best first (retrieval only: no answer is written)."""
        if not 1 <= k <= settings.api_max_k:
            raise ToolFailed(f"k must be between 1 and {settings.api_max_k}")
        return {"query": query, "passages": guarded(kb.search, query, k)}

    @server.tool()
    def figures(query: str | None = None, doc: str | None = None) -> dict[str, Any]:
        """Figures extracted from the documents (metric, value, unit, period, place, sentence, doc_id),
        filtered by words in them and/or a document id."""
        from api.app import _json_safe
        from ingest.figures import figures_to_rows

        return {"figures": _json_safe(figures_to_rows(guarded(kb.figures, query, doc)))}

    @server.tool()
    def documents() -> dict[str, Any]:
        """The knowledge base's status and its documents (doc_id, title, date, source, chunks)."""
        return {"status": guarded(kb.status).to_json(), "documents": [d.to_json() for d in guarded(kb.documents)]}

    return server


def run(settings: Settings) -> None:
    """Serve the tools over stdio until the client closes the connection."""
    build_server(settings).run("stdio")
