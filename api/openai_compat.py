"""OpenAI-compatible chat: ``POST /v1/chat/completions`` and ``GET /v1/models``.

Any OpenAI client (the ``openai`` package, LangChain's ``ChatOpenAI``, chat front-ends) pointed at
``http://host:port/v1`` works unchanged. The last user message is the question, the earlier user
and assistant messages are the history (follow-ups such as "那上半年呢?"); system messages are
ignored (the answer comes from the documents, not from instructions). The reply's content carries
the ``[n]`` markers, and the response object, like the last streamed chunk, carries a top-level
``citations`` list: the same objects as ``policyqa ask --json``.

Streaming sends the answer only once it is final: in LLM mode the figure guard may replace the
model's text with the quoted passages after the last token, and a stream cannot take back what it
already sent. The text is then sent in a few pieces so clients see the usual stream shape.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any, Iterator, Literal

from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from ingest.settings import Settings


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, max_tokens, user, ...: accepted and ignored
    model: str | None = Field(None, description="A name from /v1/models; `<name>-llm` answers with the LLM when one is configured.")
    messages: list[ChatMessage] = Field(..., min_length=1)
    stream: bool = False


def models(settings: Settings) -> list[str]:
    names = [settings.api_model, f"{settings.api_model}-extractive"]
    if settings.llm_configured:
        names.append(f"{settings.api_model}-llm")
    return names


def text_of(content: Any) -> str:
    """Message content as text: a string, or the text parts of a list of parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict) and p.get("type", "text") == "text")


def split_messages(messages: list[ChatMessage]) -> tuple[str, list[dict[str, str]]]:
    """(question, history): the last user message, and the user/assistant messages before it."""
    last = max((i for i, m in enumerate(messages) if m.role == "user"), default=None)
    if last is None:
        from api.app import ApiError

        raise ApiError(400, "messages must contain a user message (the question)")
    history = [{"role": m.role, "content": text_of(m.content)} for m in messages[:last] if m.role in ("user", "assistant")]
    return text_of(messages[last].content), history


def _pieces(text: str) -> list[str]:
    """The answer in sentence-sized pieces for a stream (each piece ends after 。!?; or a newline)."""
    parts = re.findall(r".+?(?:[。!?！？;；\n]|\[\d+\](?=\s|$)|$)", text, flags=re.S)
    return [p for p in parts if p] or [text]


def add_openai_routes(app: FastAPI, settings: Settings, service: Any, read: Any, answering: Any) -> None:
    from api.app import ApiError, _call

    @app.get("/v1/models", tags=["OpenAI-compatible"], dependencies=[read], summary="The model names this server answers as.")
    def list_models() -> dict[str, Any]:
        return {
            "object": "list",
            "data": [{"id": name, "object": "model", "created": 0, "owned_by": "policyqa"} for name in models(settings)],
        }

    @app.post("/v1/chat/completions", tags=["OpenAI-compatible"], dependencies=[read],
              summary="Chat completion with citations (`citations` on the response and on the last streamed chunk).")
    def chat(body: ChatRequest) -> Any:
        model = body.model or settings.api_model
        if model not in models(settings):
            raise ApiError(404, f"model {model!r} does not exist; /v1/models lists {', '.join(models(settings))}")
        mode = "llm" if model.endswith("-llm") else "extractive" if model.endswith("-extractive") else None
        question, history = split_messages(body.messages)
        with answering:
            ans = _call(service.ask, question, history, mode)
        if ans.error and not ans.retrieved and not ans.citations and ans.refused:
            raise ApiError(400, ans.error)
        cid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        citations = [c.to_json() for c in ans.citations]
        extra = {"refused": ans.refused, "policyqa": {k: v for k, v in ans.to_json().items() if k not in ("citations", "answer")}}
        if not body.stream:
            return {
                "id": cid, "object": "chat.completion", "created": created, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": ans.answer}, "finish_reason": "stop", "logprobs": None}],
                "usage": _usage(question, ans.answer),
                "citations": citations, **extra,
            }

        def events() -> Iterator[str]:
            base = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model}
            yield _sse({**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]})
            for piece in _pieces(ans.answer):
                yield _sse({**base, "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]})
            yield _sse({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "citations": citations, **extra})
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


def _sse(obj: dict[str, Any]) -> str:
    return f"data: {json.dumps(obj, ensure_ascii=True)}\n\n"


def _usage(question: str, answer: str) -> dict[str, int]:
    """Characters, not tokens: the extractive answerer has no tokenizer (clients only display these)."""
    p, c = len(question), len(answer)
    return {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}
