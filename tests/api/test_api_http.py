"""Every API route of a real `policyqa serve` over httpx: keys and scopes, errors, upload → ask → delete."""

from __future__ import annotations

from pathlib import Path

import pytest

from api_helpers import ADMIN, MAX_UPLOAD_MB, READ, client, is_error_json
from ui_helpers import QUESTIONS, start_server, stop_server

pytestmark = pytest.mark.slow  # a real server with the real model

DOC = "kunming-sti-2024-09-23.txt"
Q = "1至8月技术合同成交额是多少?"
#: (method, path, json body, scope needed); the upload route is checked separately (multipart)
ROUTES = [
    ("POST", "/api/v1/ask", {"question": Q}, "read"),
    ("POST", "/api/v1/search", {"query": "技术合同", "k": 3}, "read"),
    ("GET", "/api/v1/figures?query=技术合同", None, "read"),
    ("GET", "/api/v1/documents", None, "read"),
    ("GET", f"/api/v1/documents/{DOC}", None, "read"),
    ("GET", "/v1/models", None, "read"),
    ("POST", "/v1/chat/completions", {"model": "policyqa", "messages": [{"role": "user", "content": Q}]}, "read"),
    ("DELETE", "/api/v1/documents/no-such-doc.txt", None, "admin"),
    ("POST", "/api/v1/documents", None, "admin"),
]


def _call(http, method: str, path: str, body):
    if path == "/api/v1/documents" and method == "POST":
        return http.post(path, files=[("files", ("tiny.exe", b"MZ", "application/octet-stream"))])
    return http.request(method, path, json=body)


@pytest.mark.parametrize(("method", "path", "body", "needed"), ROUTES, ids=[f"{m} {p}" for m, p, _, _ in ROUTES])
def test_route_needs_a_key_of_its_scope(api_server, method, path, body, needed) -> None:
    for key in (None, "pq-wrong-key-0000"):
        with client(api_server.url, key) as http:
            resp = _call(http, method, path, body)
        assert resp.status_code == 401 and is_error_json(resp), (key, resp.status_code, resp.text[:200])
        assert resp.headers.get("www-authenticate") == "Bearer"
    with client(api_server.url, READ) as http:
        resp = _call(http, method, path, body)
    if needed == "admin":
        assert resp.status_code == 403 and is_error_json(resp) and "admin" in resp.json()["error"]
    else:
        assert resp.status_code == 200, resp.text[:300]
    with client(api_server.url, ADMIN) as http:
        resp = _call(http, method, path, body)
    # the admin calls here are harmless ones: an unknown document, a refused file type
    expected = {"DELETE": 404, "POST": 400}.get(method, 200) if needed == "admin" else 200
    assert resp.status_code == expected, resp.text[:300]


def test_open_routes_need_no_key(api_server) -> None:
    with client(api_server.url) as http:
        health = http.get("/healthz")
        assert health.status_code == 200 and health.json() == {"status": "ok", "knowledge_base": True, "documents": 1, "chunks": 8}
        docs = http.get("/docs")
        assert docs.status_code == 200 and "swagger" in docs.text.lower() and "cdn" not in docs.text.lower()
        assert http.get("/api/docs-static/swagger-ui-bundle.js").status_code == 200  # bundled: works offline
        schema = http.get("/api/openapi.json").json()
        assert {"/api/v1/ask", "/api/v1/search", "/api/v1/figures", "/api/v1/documents", "/v1/chat/completions", "/v1/models"} <= set(schema["paths"])
        # the UI is still served at / (no UI login configured: loopback)
        assert http.get("/").status_code == 200 and "gradio" in http.get("/").text.lower()


def test_answers(api_server) -> None:
    with client(api_server.url, READ) as http:
        for question, marker in list(QUESTIONS.items())[:4]:
            ans = http.post("/api/v1/ask", json={"question": question}).json()
            assert ans["question"] == question and not ans["refused"] and marker in ans["answer"]
            assert ans["citations"] and all(c["doc_id"] == DOC and f"[{c['n']}]" in ans["answer"] for c in ans["citations"])
        refusal = http.post("/api/v1/ask", json={"question": "深圳2022年的专利授权量是多少?"}).json()
        assert refusal["refused"] is True and "文档中没有找到" in refusal["answer"] and refusal["citations"] == []
        follow = http.post("/api/v1/ask", json={"question": "那上半年呢?", "history": [[Q, "…122.78亿元。[1]"]]}).json()
        assert "技术合同" in (follow["standalone_question"] or "")
        as_messages = http.post("/api/v1/ask", json={"question": "那上半年呢?", "history": [
            {"role": "user", "content": Q}, {"role": "assistant", "content": "…122.78亿元。[1]"}]}).json()
        assert as_messages["standalone_question"] == follow["standalone_question"]
        passages = http.post("/api/v1/search", json={"query": "国际科技合作基地", "k": 2}).json()["passages"]
        assert [p["rank"] for p in passages] == [1, 2] and "32個國際科技合作基地" in passages[0]["text"]  # the document is in Traditional script
        figs = http.get("/api/v1/figures", params={"query": "技术合同成交额", "doc": DOC}).json()["figures"]
        assert any(f["value"] == "122.78" and f["unit"] in ("亿元", "億元") for f in figs)
        assert http.get("/api/v1/figures", params={"doc": "other.txt"}).json() == {"figures": []}
        listing = http.get("/api/v1/documents").json()
        assert listing["status"]["documents"] == 1 and [d["doc_id"] for d in listing["documents"]] == [DOC]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("POST", "/api/v1/ask", {"content": b"{not json"}, 400),
        ("POST", "/api/v1/ask", {"json": {}}, 400),
        ("POST", "/api/v1/ask", {"json": {"question": 12}}, 400),
        ("POST", "/api/v1/ask", {"json": {"question": ""}}, 400),
        ("POST", "/api/v1/ask", {"json": {"question": "   \u200b "}}, 400),
        ("POST", "/api/v1/ask", {"json": {"question": "x" * 5000}}, 400),
        ("POST", "/api/v1/ask", {"json": {"question": Q, "mode": "llm"}}, 400),  # no LLM configured
        ("POST", "/api/v1/ask", {"json": {"question": Q, "mode": "magic"}}, 400),
        ("POST", "/api/v1/search", {"json": {"query": "x", "k": 10_000}}, 400),
        ("POST", "/api/v1/search", {"json": {"query": "x", "k": 0}}, 400),
        ("POST", "/api/v1/search", {"json": {"query": " "}}, 400),
        ("GET", "/api/v1/documents/no/such/doc.txt", {}, 404),
        ("POST", "/v1/chat/completions", {"json": {"model": "gpt-4", "messages": [{"role": "user", "content": Q}]}}, 404),
        ("POST", "/v1/chat/completions", {"json": {"messages": []}}, 400),
        ("POST", "/v1/chat/completions", {"json": {"messages": [{"role": "system", "content": "hi"}]}}, 400),
        ("POST", "/v1/chat/completions", {"json": {"messages": [{"role": "wizard", "content": "hi"}]}}, 400),
    ],
)
def test_errors_are_json_with_their_status(api_server, method, path, kwargs, status) -> None:
    with client(api_server.url, ADMIN) as http:
        resp = http.request(method, path, **kwargs)
    assert resp.status_code == status and is_error_json(resp), (resp.status_code, resp.text[:300])


def test_a_lone_surrogate_in_a_question_is_answered_as_json(api_server) -> None:
    with client(api_server.url, READ) as http:
        resp = http.post("/api/v1/ask", content=b'{"question": "\\ud800\xe6\x8a\x80\xe6\x9c\xaf\xe5\x90\x88\xe5\x90\x8c?"}',
                         headers={"Content-Type": "application/json"})
    assert resp.status_code in (200, 400) and resp.json()  # valid JSON either way


def test_upload_ask_delete(api_server) -> None:
    text = "测试市科技成果转化简报\n- 时间:2024-11-02\n- 来源:测试市科学技术局\n测试市2024年技术经纪人培训班共培训学员486人。\n"
    question = "测试市技术经纪人培训班共培训学员多少人?"
    with client(api_server.url, ADMIN, timeout=300) as http:
        before = http.post("/api/v1/ask", json={"question": question}).json()
        assert "486" not in before["answer"]
        up = http.post("/api/v1/documents", files=[
            ("files", ("../转化简报.txt", text.encode(), "text/plain")), ("files", ("run.sh", b"echo", "text/plain"))])
        assert up.status_code == 201, up.text
        body = up.json()
        assert body["saved"] == ["转化简报.txt"] and body["refused"][0]["name"] == "run.sh" and body["ingest"]["added"] == 1
        doc_id = "uploads/转化简报.txt"
        assert http.get(f"/api/v1/documents/{doc_id}").json()["uploaded"] is True
        ans = http.post("/api/v1/ask", json={"question": question}).json()
        assert not ans["refused"] and "486" in ans["answer"] and ans["citations"][0]["doc_id"] == doc_id
        gone = http.delete(f"/api/v1/documents/{doc_id}")
        assert gone.status_code == 200 and gone.json() == {"doc_id": doc_id, "file_deleted": True, "source_kept": None}
        assert http.delete(f"/api/v1/documents/{doc_id}").status_code == 404
        after = http.post("/api/v1/ask", json={"question": question}).json()
        assert "486" not in after["answer"] and all(c["doc_id"] != doc_id for c in after["citations"])
        # over the upload limit: 413, and nothing saved
        big = http.post("/api/v1/documents", files=[("files", ("big.txt", b"x" * int(MAX_UPLOAD_MB * 1024 * 1024 + 10), "text/plain"))])
        assert big.status_code == 413 and is_error_json(big)
        # a body over 20 files' worth is refused from its Content-Length, before it is read
        huge = http.post("/api/v1/documents", files=[("files", ("huge.txt", b"x" * int((20 * MAX_UPLOAD_MB + 2) * 1024 * 1024), "text/plain"))])
        assert huge.status_code == 413 and "request too large" in huge.json()["error"]
        assert [d["doc_id"] for d in http.get("/api/v1/documents").json()["documents"]] == [DOC]


def test_without_a_knowledge_base_503(tmp_path: Path) -> None:
    server = start_server(tmp_path, tmp_path / "index", tmp_path / "corpus", tmp_path / "fb.sqlite3")
    try:
        with client(server.url) as http:
            assert http.get("/healthz").json()["knowledge_base"] is False
            for method, path, body in [("POST", "/api/v1/ask", {"question": Q}), ("POST", "/api/v1/search", {"query": "x"}),
                                       ("GET", "/api/v1/documents", None), ("GET", "/api/v1/figures", None),
                                       ("POST", "/v1/chat/completions", {"messages": [{"role": "user", "content": Q}]})]:
                resp = http.request(method, path, json=body)
                assert resp.status_code == 503 and is_error_json(resp) and "knowledge base" in resp.json()["error"], (path, resp.text)
    finally:
        stop_server(server)


def test_ui_login_without_keys_keeps_the_api_closed(tmp_path: Path) -> None:
    server = start_server(tmp_path, tmp_path / "index", tmp_path / "corpus", tmp_path / "fb.sqlite3", POLICYQA_AUTH="alice:s3cret-pw")
    try:
        with client(server.url) as http:
            assert http.get("/healthz").status_code == 200
            resp = http.post("/api/v1/ask", json={"question": Q})
            assert resp.status_code == 401 and "POLICYQA_API_KEYS" in resp.json()["error"]
            assert http.get("/config").status_code == 401  # and the UI keeps its login
    finally:
        stop_server(server)
