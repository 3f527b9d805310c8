"""LLM mode in the chat: offered only when a model is configured, streamed, and labelled with the model.

The model is a small OpenAI-compatible HTTP server run by this test (it answers from the passages it
is sent, citing the one that holds the figure), so the real client code, streaming and figure guard
all run; the SmolLM2 llama.cpp server of tests/llm_server.py is used by the assistant's own tests.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest
from ui_helpers import free_port, start_server, stop_server

pytestmark = pytest.mark.slow

MODEL = "stub-qwen-7b"
REFUSAL = "文档中没有找到这个问题的答案。"


def _reply(body: dict) -> str:
    text = "\n".join(str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "user")
    for n, passage in re.findall(r'<passage n="(\d+)"[^>]*>\n(.*?)\n</passage>', text, flags=re.S):
        if "122.78" in passage:
            return f"1至8月,全市技术合同成交额为122.78亿元[{n}]。"
    return REFUSAL


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # quiet
        return

    def do_GET(self) -> None:
        self._json({"object": "list", "data": [{"id": MODEL, "object": "model"}]})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        answer = _reply(body)
        base = {"id": "chatcmpl-1", "created": int(time.time()), "model": MODEL}
        if not body.get("stream"):
            self._json({**base, "object": "chat.completion", "choices": [
                {"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop"}
            ], "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        pieces = [answer[i : i + 6] for i in range(0, len(answer), 6)]
        for i, piece in enumerate(pieces):
            delta = {"role": "assistant", "content": piece} if i == 0 else {"content": piece}
            chunk = {**base, "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
            self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()
            time.sleep(0.05)
        end = {**base, "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
        self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
        self.wfile.flush()

    def _json(self, obj: dict) -> None:
        data = json.dumps(obj, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def llm_ui(ui_kb: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    port = free_port()
    stub = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    thread = threading.Thread(target=stub.serve_forever, daemon=True)
    thread.start()
    root = tmp_path_factory.mktemp("ui-llm")
    server = start_server(
        root, ui_kb["index"], ui_kb["corpus"], root / "feedback.sqlite3",
        POLICYQA_LLM_BASE_URL=f"http://127.0.0.1:{port}/v1", POLICYQA_LLM_MODEL=MODEL, POLICYQA_LLM_TIMEOUT="20",
    )
    try:
        yield server
    finally:
        stop_server(server)
        stub.shutdown()
        stub.server_close()


def test_llm_answer_through_the_api(llm_ui) -> None:
    from gradio_client import Client

    c = Client(llm_ui.url, verbose=False)
    text, result = c.predict("1至8月技术合同成交额是多少?", None, "llm", api_name="/ask")
    assert result["mode"] == "llm" and result["model"] == MODEL, result
    assert "122.78亿元" in result["answer"] and result["citations"] and "122.78" in result["citations"][0]["text"]
    _, quick = c.predict("1至8月技术合同成交额是多少?", None, "extractive", api_name="/ask")
    assert quick["mode"] == "extractive" and quick["model"] is None


def test_llm_mode_in_the_browser(llm_ui, browser, artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(llm_ui.url)
        page.wait_for_selector("#pq-question textarea")
        page.get_by_label("大模型回答").check()
        page.fill("#pq-question textarea", "1至8月技术合同成交额是多少?")
        page.click("#pq-send")
        page.wait_for_selector("#pq-chat .pq-meta")
        message = page.locator("#pq-chat .pq-meta").last.locator("xpath=..").inner_text()
        assert "122.78亿元" in message and re.search(r"\[\d\]", message)
        assert f"模型：{MODEL}" in message  # full-width colon in Chinese text
        page.locator("#pq-chat details.pq-cite summary").first.click()
        assert "122.78" in page.locator("#pq-chat details.pq-cite mark").all_inner_texts()
        page.screenshot(path=str(artifacts / "chat-llm-mode.png"), full_page=True)
    finally:
        context.close()
