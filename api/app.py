"""The HTTP API of policyqa (FastAPI): REST under ``/api/v1``, OpenAI-compatible chat under ``/v1``.

``create_app(settings, service)`` builds it; ``api.server.serve`` mounts the Gradio UI on the same
app (``gr.mount_gradio_app``) and runs it with uvicorn, so UI and API share one port and one
:class:`kb.KnowledgeService` (one Assistant, one embedder in memory).

Errors are always JSON ``{"error": "..."}`` with the status saying what went wrong: 400 bad input,
401 no or unknown key, 403 a read key on an admin route, 404 unknown document or model, 413 an
upload over ``POLICYQA_MAX_UPLOAD_MB``, 503 no knowledge base yet. Never a stack trace: unexpected
exceptions are logged on the server and answered with a 500 that says only that.

Access (``api.keys``): with ``POLICYQA_API_KEYS`` set, every route but ``/healthz`` and the docs
needs ``Authorization: Bearer <key>``. Without keys the API is open, which ``serve`` allows on
loopback only; when the UI has a login (``POLICYQA_AUTH``) but there are no keys, the API stays
closed (401), so that locking the UI does not leave the same data open next to it.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any, Literal

from fastapi import Depends, FastAPI, File, Query, Request, UploadFile
from fastapi_offline import FastAPIOffline
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.keys import Scope, allows, parse_keys, scope_of
from ingest.settings import Settings

log = logging.getLogger(__name__)

API = "/api/v1"
OPENAPI_URL = "/api/openapi.json"  # /openapi.json belongs to the mounted Gradio app


class ApiError(Exception):
    """An error answered as ``{"error": message}`` with ``status``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


class Json(JSONResponse):
    """UTF-8 JSON (Chinese stays readable), escaping only when the text holds lone surrogates: a question
    may carry one (JSON allows "\\ud800"), and UTF-8 cannot encode it."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return Json({"error": message}, status_code=status, headers=headers)


class UploadSizeLimit:
    """413 for an upload whose Content-Length is over the limit, before its body is read (FastAPI would
    spool all of it to disk first). Pure ASGI, and only for that one path: every other request, the
    mounted Gradio app's streams included, passes untouched."""

    def __init__(self, app: Any, path: str, limit: int, message: str) -> None:
        self.app, self.path, self.limit, self.message = app, path, limit, message

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope.get("method") == "POST" and scope.get("path") == self.path:
            length = dict(scope.get("headers") or []).get(b"content-length", b"0")
            try:
                too_big = int(length) > self.limit
            except ValueError:
                too_big = True
            if too_big:
                await error_response(413, f"request too large: {self.message}")(scope, receive, send)
                return
        await self.app(scope, receive, send)


# --- request bodies ------------------------------------------------------------------------------


class HistoryTurn(BaseModel):
    role: Literal["user", "assistant", "system"]
    content: str


class AskRequest(BaseModel):
    question: str = Field(..., description="The question, in Simplified or Traditional Chinese or English.")
    history: list[HistoryTurn] | list[tuple[str, str]] | None = Field(
        None, description="Earlier turns, for follow-up questions: chat messages, or [question, answer] pairs."
    )
    mode: Literal["extractive", "llm"] | None = Field(None, description="extractive (offline) or llm (when one is configured).")


class SearchRequest(BaseModel):
    query: str = Field(..., description="What to look for (retrieval only: no answer is written).")
    k: int | None = Field(None, ge=1, description="How many passages (default POLICYQA_TOP_K, at most POLICYQA_API_MAX_K).")


# --- the app ---------------------------------------------------------------------------------------


class Guard:
    """Who may call what: bearer keys and their scopes (see the module docstring)."""

    def __init__(self, settings: Settings) -> None:
        self.keys = parse_keys(settings.api_keys)
        self.ui_locked = bool(settings.auth)

    def check(self, request: Request, needed: Scope) -> None:
        if not self.keys:
            if self.ui_locked:
                raise ApiError(401, "the API needs keys: the server has a UI login but no POLICYQA_API_KEYS",
                               {"WWW-Authenticate": "Bearer"})
            return
        scope = scope_of(self.keys, request.headers.get("authorization"))
        if scope is None:
            raise ApiError(401, "missing or unknown API key: send Authorization: Bearer <key>", {"WWW-Authenticate": "Bearer"})
        if not allows(scope, needed):
            raise ApiError(403, f"this key's scope is {scope}; this route needs {needed}")


def create_app(settings: Settings | None = None, service: Any = None) -> FastAPI:
    """The API over ``service`` (a kb.KnowledgeService, built from ``settings`` when not given)."""
    from kb import KnowledgeService

    settings = settings or Settings()
    service = service or KnowledgeService(settings)
    guard = Guard(settings)
    answering = threading.BoundedSemaphore(settings.api_concurrency)  # a question is CPU-bound: few at once on few cores

    # fastapi-offline: the same FastAPI app, with /docs served from bundled Swagger UI files instead of a CDN
    # (the bureau's machines may have no internet)
    app = FastAPIOffline(
        static_url="/api/docs-static",
        title="policyqa API",
        version="1",
        description=(
            "Cited answers over the knowledge base. Send `Authorization: Bearer <key>` when the server has "
            "POLICYQA_API_KEYS. Errors are `{\"error\": \"...\"}`."
        ),
        openapi_url=OPENAPI_URL,
        docs_url="/docs",
        redoc_url=None,
        default_response_class=Json,
    )
    app.state.service = service
    app.state.guard = guard
    app.state.answering = answering

    upload_limit = int(settings.max_upload_mb * 1024 * 1024)
    body_limit = upload_limit * settings.api_max_upload_files + (1 << 20)  # + multipart headers

    app.add_middleware(UploadSizeLimit, path=f"{API}/documents", limit=body_limit, message=(
        f"at most {settings.api_max_upload_files} files of {settings.max_upload_mb:g} MB each "
        f"(POLICYQA_MAX_UPLOAD_MB, POLICYQA_API_MAX_UPLOAD_FILES)"
    ))

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(400, _validation_message(exc))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("API request %s %s failed", request.method, request.url.path)
        return error_response(500, "internal error; the details are in the server log")

    def need(scope: Scope):
        def dependency(request: Request) -> None:
            guard.check(request, scope)

        return Depends(dependency)

    read, admin = need("read"), need("admin")

    @app.get("/healthz", tags=["health"], summary="Liveness and whether a knowledge base is loaded (no key needed).")
    def healthz() -> dict[str, Any]:
        from ingest.store import StoreError

        try:
            status = service.status()
            return {"status": "ok", "knowledge_base": True, "documents": status.documents, "chunks": status.chunks}
        except StoreError:
            return {"status": "ok", "knowledge_base": False, "documents": 0, "chunks": 0}

    @app.post(f"{API}/ask", tags=["answers"], dependencies=[read], summary="Answer a question with citations (the `policyqa ask --json` object).")
    def ask(body: AskRequest) -> dict[str, Any]:
        mode = _mode(body.mode, settings)
        history = [h.model_dump() if isinstance(h, BaseModel) else list(h) for h in (body.history or [])]
        with answering:
            ans = _call(service.ask, body.question, history, mode)
        if ans.error and not ans.retrieved and not ans.citations and ans.refused:
            raise ApiError(400, ans.error)  # the question itself was unusable (empty, too long)
        return ans.to_json()

    @app.post(f"{API}/search", tags=["answers"], dependencies=[read], summary="Ranked passages for a query (retrieval only).")
    def search(body: SearchRequest) -> dict[str, Any]:
        if body.k is not None and body.k > settings.api_max_k:
            raise ApiError(400, f"k must be at most {settings.api_max_k}")
        if not body.query.strip():
            raise ApiError(400, "query is empty")
        with answering:
            passages = _call(service.search, body.query, body.k)
        return {"query": body.query, "passages": passages}

    @app.get(f"{API}/figures", tags=["knowledge base"], dependencies=[read], summary="Figures extracted at ingest.")
    def figures(
        query: str | None = Query(None, description="Words the metric, sentence, period or place must contain."),
        doc: str | None = Query(None, description="Only figures of this document id."),
    ) -> dict[str, Any]:
        from ingest.figures import figures_to_rows

        rows = figures_to_rows(_call(service.figures, query, doc))
        return {"figures": _json_safe(rows)}

    @app.get(f"{API}/documents", tags=["knowledge base"], dependencies=[read], summary="The documents and the knowledge base's status.")
    def documents() -> dict[str, Any]:
        status = _call(service.status)
        return {"status": status.to_json(), "documents": [d.to_json() for d in _call(service.documents)]}

    @app.get(f"{API}/documents/{{doc_id:path}}", tags=["knowledge base"], dependencies=[read], summary="One document.")
    def document(doc_id: str) -> dict[str, Any]:
        return _call(service.document, doc_id).to_json()

    @app.post(f"{API}/documents", tags=["knowledge base"], dependencies=[admin], status_code=201,
              summary="Upload files (multipart field `files`): saved under corpus/uploads/ and ingested.")
    def upload(request: Request, files: list[UploadFile] = File(..., description="Files (.txt .md .html .htm .pdf .docx)")) -> JSONResponse:
        limit = upload_limit
        if len(files) > settings.api_max_upload_files:
            raise ApiError(413, f"at most {settings.api_max_upload_files} files per upload (POLICYQA_API_MAX_UPLOAD_FILES)")
        items: list[tuple[str, bytes]] = []
        for f in files:
            data = f.file.read(limit + 1)
            if len(data) > limit:
                raise ApiError(413, f"{f.filename}: larger than the limit of {settings.max_upload_mb:g} MB (POLICYQA_MAX_UPLOAD_MB)")
            items.append((f.filename or "", data))
        result = _call(service.add_many, items)
        body = result.to_json()
        if result.error:
            return Json({**body, "error": result.error}, status_code=503)
        if not result.saved:
            reasons = "; ".join(f"{r['name']}: {r['reason']}" for r in body["refused"]) or "no file"
            return Json({**body, "error": f"nothing was saved ({reasons})"}, status_code=400)
        return Json(body, status_code=201)

    @app.delete(f"{API}/documents/{{doc_id:path}}", tags=["knowledge base"], dependencies=[admin], summary="Remove a document.")
    def delete(doc_id: str) -> dict[str, Any]:
        return _call(service.remove, doc_id).to_json()

    from api.openai_compat import add_openai_routes

    add_openai_routes(app, settings, service, read, answering)
    return app


def _mode(mode: str | None, settings: Settings) -> str | None:
    if mode == "llm" and not settings.llm_configured:
        raise ApiError(400, "mode llm is not available: no LLM is configured (POLICYQA_LLM_MODEL, POLICYQA_LLM_BASE_URL)")
    return mode


def _call(fn: Any, *args: Any) -> Any:
    """Run a service call, turning its errors into API errors."""
    from ingest.embedder import EmbedderError
    from ingest.pipeline import IngestBusy
    from ingest.store import StoreError
    from kb import NoKnowledgeBase, UnknownDocument

    try:
        return fn(*args)
    except UnknownDocument as exc:
        raise ApiError(404, str(exc)) from None
    except NoKnowledgeBase as exc:
        raise ApiError(503, f"no knowledge base yet: {exc}") from None
    except IngestBusy as exc:
        raise ApiError(503, str(exc), {"Retry-After": "30"}) from None
    except (StoreError, EmbedderError) as exc:
        raise ApiError(503, str(exc)) from None


def _json_safe(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """NaN (a figure without a number) is not JSON: null."""
    return [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()} for r in rows]


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors()[:5]:
        where = ".".join(str(x) for x in e.get("loc", ()) if x != "body") or "body"
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts)
