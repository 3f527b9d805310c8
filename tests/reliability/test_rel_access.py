"""With POLICYQA_AUTH set, nothing but the login page and static assets answers without a login.

tests/ui/test_ui_auth.py checks /config, /gradio_api/info, one /call and the Python client. Here every
route the live server lists (FastAPI's /openapi.json, which the server itself publishes) is called
without a login, by GET and POST with plausible parameters; files are asked for by every file route
(the shipped report in the corpus, the manifest, the feedback database, a .env in the server's working
folder, /etc/passwd), and an upload, a feedback export and an uploaded file are checked not to be
served back to a client without the session cookie. With the login, files outside Gradio's allowed
paths are still refused (403/404).
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import re
import shutil
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from rel_helpers import file_data, http as http_request, raw_call, raw_upload, record, world_readable_tmp
from ui_helpers import Server, _NoRedirect, start_server, stop_server

pytestmark = pytest.mark.slow

USER, PASSWORD = "alice", "s3cret-Pq7"
#: routes that answer without a login, and why that is harmless (their bodies are checked for app data)
PUBLIC = {
    "/": "the login page", "/login": "the login form's target", "/login/": "the login form's target",
    "/logout": "logging out", "/favicon.ico": "static", "/theme.css": "static", "/gradio_api/theme.css": "static",
    "/robots.txt": "static", "/manifest.json": "PWA manifest", "/pwa_icon": "static", "/pwa_icon/{size}": "static",
    "/static/{path}": "static", "/assets/{path}": "static", "/svelte/{path}": "static",
    "/openapi.json": "Gradio's generic route list (no endpoint names)", "/gradio_api/user": "null without a login",
    "/gradio_api/user/": "null without a login", "/gradio_api/token": "null without a login",
    "/gradio_api/token/": "null without a login", "/gradio_api/app_id": "a random id", "/gradio_api/app_id/": "a random id",
    "/gradio_api/runs": "the login page again", "/gradio_api/runs/": "the login page again",
    "/gradio_api/startup-events": "false", "/gradio_api/heartbeat/{session_hash}": "keep-alive pings, no data",
    "/gradio_api/reset": "a no-op in Gradio 6", "/gradio_api/reset/": "a no-op in Gradio 6",
    "/gradio_api/cancel": "cancels only the event of a session whose random hash and event id the caller knows",
}
#: what a page without a login must not hold: the app's layout, its documents, answers or feedback
APP_DATA = re.compile(r"pq-question|pq-chat|科技政策问答助手|122\.78|kunming|昆明|春城|feedback\.sqlite3|sk-do-not-serve")
#: Gradio 6.31 inlines the API description (endpoint names, parameter labels, docstrings) into the login
#: page whatever the login state (gradio/routes.py, main()): reported, not asserted
API_INFO = re.compile(r"window\.gradio_api_info\s*=\s*\{\s*\"named_endpoints\"\s*:\s*\{\s*\"/")


@pytest.fixture(scope="module")
def locked(rel_kb) -> Iterator[tuple[Server, dict[str, Path]]]:
    """`policyqa serve` with POLICYQA_AUTH, over a copy of the knowledge base, with a .env secret in its folder."""
    root = world_readable_tmp("policyqa-rel-auth-")
    try:
        shutil.copytree(rel_kb["corpus"], root / "corpus")
        shutil.copytree(rel_kb["index"], root / "index")
        (root / ".env").write_text("POLICYQA_LLM_API_KEY=sk-do-not-serve\n", encoding="utf-8")
        paths = {"root": root, "corpus": root / "corpus", "index": root / "index", "feedback": root / "feedback.sqlite3",
                 "report": root / "corpus" / "kunming-sti-2024-09-23.txt", "env": root / ".env"}
        server = start_server(root, paths["index"], paths["corpus"], paths["feedback"], POLICYQA_AUTH=f"{USER}:{PASSWORD}", POLICYQA_ADMINS=USER)
        try:
            yield server, paths
        finally:
            stop_server(server)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def status_only(base: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> int:
    """The status line alone (streaming routes never end their body)."""
    u = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers={"User-Agent": "policyqa-tests", **(headers or {})})
        return conn.getresponse().status
    finally:
        conn.close()


def login(base: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    status, body, _ = http_request(base + "login", urllib.parse.urlencode({"username": USER, "password": PASSWORD}).encode(),
                                   {"Content-Type": "application/x-www-form-urlencoded"}, opener=opener)
    assert status == 200 and json.loads(body).get("success") is True, (status, body[:200])
    assert any(c.name.startswith("access-token") for c in jar)
    return opener


def _fill(route: str, paths: dict[str, Path]) -> str:
    values = {
        "path": "x.js", "api_name": "ask", "event_id": "0", "session_hash": "abc", "size": "192", "key": "k",
        "url_path": "http://127.0.0.1:1/x", "path_or_url": str(paths["report"]), "id": "1", "environment": "client",
        "type": "js", "file_name": "index.js", "run": "0", "component_id": "1", "segment_id": "0", "ext": "ts",
        "endpoint": "ask", "record_id": "1", "asset_id": "1",
    }
    return re.sub(r"\{(\w+)(:[^}]*)?\}", lambda m: urllib.parse.quote(values.get(m.group(1), "x"), safe="/:"), route)


def test_no_route_answers_without_a_login(locked) -> None:
    server, paths = locked
    base = server.url.rstrip("/")
    status, body, _ = http_request(base + "/openapi.json")
    routes = json.loads(body)["paths"]
    assert len(routes) > 40 and "/gradio_api/queue/join" in routes
    body_json = json.dumps({
        "data": ["1至8月技术合同成交额是多少?", None, "extractive"], "fn_index": 0, "session_hash": "abc", "event_id": "0",
        "trigger_id": 0, "prompt": "x", "code": "x = 1", "hash": "x", "component_id": 1, "fn_name": "x",
    }).encode()
    answered: dict[str, int] = {}
    public_seen: dict[str, int] = {}
    for route, methods in routes.items():
        path = _fill(route, paths)
        for method in (m.upper() for m in methods):
            if method not in ("GET", "POST") or route in ("/login", "/login/"):
                continue
            code = status_only(base, method, path, body_json if method == "POST" else None,
                               {"Content-Type": "application/json"} if method == "POST" else None)
            if route in PUBLIC:
                public_seen[f"{method} {route}"] = code
                if code == 200 and not route.startswith("/gradio_api/heartbeat"):
                    _, text, _ = http_request(base + path, body_json if method == "POST" else None,
                                              {"Content-Type": "application/json"} if method == "POST" else None)
                    assert not APP_DATA.search(text.decode("utf-8", "replace")), (route, text[:300])
                continue
            answered[f"{method} {route}"] = code
            assert code >= 300, f"{method} {path} answered {code} without a login"
    # the ones the issue names, explicitly
    for method, path in [("GET", "/"), ("GET", "/config"), ("GET", "/gradio_api/info"), ("POST", "/gradio_api/call/ask"),
                         ("GET", f"/gradio_api/file={paths['report']}"), ("GET", f"/file={paths['report']}"),
                         ("POST", "/gradio_api/upload"), ("POST", "/gradio_api/queue/join")]:
        code = status_only(base, method, path, body_json if method == "POST" else None, {"Content-Type": "application/json"})
        if path == "/":
            _, page, _ = http_request(base + "/")
            text = page.decode("utf-8", "replace")
            assert code == 200 and not APP_DATA.search(text), "the page shows more than a login form"
            api_info_on_login_page = bool(API_INFO.search(text))
        else:
            assert code in (401, 403, 404), (method, path, code)
    record("access", {
        "routes_listed": len(routes), "requests_without_login": len(answered) + len(public_seen),
        "refused": sum(1 for c in answered.values() if c >= 300), "public_routes": sorted(public_seen),
        "status_counts": {str(c): list(answered.values()).count(c) for c in sorted(set(answered.values()))},
        "login_page_embeds_api_description": api_info_on_login_page,
    })


def test_files_with_and_without_a_login(locked) -> None:
    server, paths = locked
    base = server.url
    opener = login(base)
    # with the login: files outside Gradio's allowed paths stay refused, whichever file route is used
    for target in ["/etc/passwd", paths["report"], paths["index"] / "manifest.json", paths["env"], paths["feedback"], ".env"]:
        for route in ("gradio_api/file=", "file="):
            status, body, _ = http_request(f"{base}{route}{target}", opener=opener)
            assert status in (403, 404), (route, target, status, body[:200])
            assert b"sk-do-not-serve" not in body and b"root:" not in body
    # an upload: refused without the login, served back only with it
    status, _ = raw_upload(base, "mine.txt", "上传测试。".encode())
    assert status == 401
    status, uploaded = raw_upload(base, "mine.txt", "上传测试。".encode(), opener=opener)
    assert status == 200 and isinstance(uploaded, list)
    assert http_request(f"{base}gradio_api/file={uploaded[0]}", opener=opener)[0] == 200
    assert http_request(f"{base}gradio_api/file={uploaded[0]}")[0] == 401
    # it can be ingested by the logged-in user, and the saved copy is not reachable by anyone
    event, data = raw_call(base, "upload", [[file_data(uploaded[0])], "en"], opener=opener)
    assert event == "complete" and "Saved mine.txt" in data[0], (event, data)
    saved = paths["corpus"] / "uploads" / "mine.txt"
    assert saved.exists()
    assert http_request(f"{base}gradio_api/file={saved}", opener=opener)[0] in (403, 404)
    # the feedback export: a file made for the logged-in user, not for anyone else
    event, data = raw_call(base, "export_feedback", [], opener=opener)
    assert event == "complete", (event, data)
    url = data[0]["url"]
    assert http_request(url, opener=opener)[0] == 200
    assert http_request(url)[0] == 401
    # and without the cookie, the API refuses the same calls
    assert raw_call(base, "ask", ["1至8月技术合同成交额是多少?", None, "extractive"])[0] == "http 401"
    assert raw_call(base, "export_feedback", [])[0] == "http 401"
