"""POLICYQA_AUTH turns on Gradio's login: without credentials neither the page's data nor the API answer."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from ui_helpers import http_status, start_server, stop_server
from ui.app import parse_auth


def test_parse_auth_pair_and_file(tmp_path: Path) -> None:
    assert parse_auth(None) is None and parse_auth("") is None
    assert parse_auth("alice:s3cr:et") == [("alice", "s3cr:et")]
    f = tmp_path / "users"
    f.write_text("# staff\nalice:one\n\nbob:two\n", encoding="utf-8")
    assert parse_auth(str(f)) == [("alice", "one"), ("bob", "two")]
    for bad in ("alice", ":pw", "alice:"):
        with pytest.raises(ValueError):
            parse_auth(bad)
    empty = tmp_path / "empty"
    empty.write_text("# nobody\n", encoding="utf-8")
    with pytest.raises(ValueError):
        parse_auth(str(empty))


@pytest.mark.slow
def test_login_required(tmp_path: Path) -> None:
    from gradio_client import Client

    # no knowledge base: the server must still start (and be locked)
    server = start_server(tmp_path, tmp_path / "index", tmp_path / "corpus", tmp_path / "fb.sqlite3", POLICYQA_AUTH="alice:s3cret")
    try:
        base = server.url
        assert http_status(base + "config") == 401
        assert http_status(base + "gradio_api/info") == 401
        req = urllib.request.Request(base + "gradio_api/call/ask", data=b'{"data": ["x"]}', headers={"Content-Type": "application/json"})
        try:
            code = urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req, timeout=5).status
        except urllib.error.HTTPError as exc:
            code = exc.code
        assert code == 401
        # the page itself is only the login form: the app's config is not in it
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(base, timeout=5) as resp:
            page = resp.read().decode("utf-8", "replace")
        assert "pq-question" not in page and "科技政策问答助手" not in page
        with pytest.raises(Exception):
            Client(base, verbose=False)
        # wrong password is refused, the right one works
        login = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        form = urllib.parse.urlencode({"username": "alice", "password": "wrong"}).encode()
        try:
            code = login.open(base + "login", data=form, timeout=5).status
        except urllib.error.HTTPError as exc:
            code = exc.code
        assert code in (400, 401)
        c = Client(base, auth=("alice", "s3cret"), verbose=False)
        text, result = c.predict("1至8月技术合同成交额是多少?", None, "extractive", api_name="/ask")
        assert result["refused"] is True and "知识库" in text  # logged in; the knowledge base is simply empty
    finally:
        stop_server(server)
