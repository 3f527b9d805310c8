"""The API's rules on their own: key parsing, scopes, who may call what, exposure, message splitting."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.requests import Request

from api.app import ApiError, Guard
from api.keys import allows, exposure_problem, parse_keys, scope_of
from api.openai_compat import ChatMessage, _pieces, split_messages, text_of
from ingest.settings import Settings

ADMIN, READ = "admin-key-123456", "read-key-abcdef"
KEYS = {ADMIN: "admin", READ: "read"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, {}),
        ("", {}),
        ("  ", {}),
        (f"{READ}:read", {READ: "read"}),
        (f"{READ}:read,{ADMIN}:admin", KEYS),
        (f"{READ}:READ\n# comment\n{ADMIN}:admin  # staff\n", KEYS),
        ("key:with:colons:admin", {"key:with:colons": "admin"}),
    ],
)
def test_parse_keys(value: str | None, expected: dict) -> None:
    assert parse_keys(value) == expected


@pytest.mark.parametrize("bad", ["justakey12345", "longenoughkey:write", ":admin", "short:read", "# only a comment"])
def test_parse_keys_refuses(bad: str) -> None:
    with pytest.raises(ValueError, match="POLICYQA_API_KEYS"):
        parse_keys(bad)


def test_parse_keys_from_a_file(tmp_path: Path) -> None:
    f = tmp_path / "keys"
    f.write_text(f"# the hotline\n{READ}:read\n{ADMIN}:admin\n", encoding="utf-8")
    assert parse_keys(str(f)) == KEYS


@pytest.mark.parametrize(
    ("header", "scope"),
    [
        (None, None),
        ("", None),
        (f"Bearer {READ}", "read"),
        (f"bearer {ADMIN}", "admin"),
        (f"Bearer  {ADMIN} ", "admin"),
        (f"Basic {ADMIN}", None),
        (f"Bearer {ADMIN}x", None),
        (f"Bearer {ADMIN[:-1]}", None),
        ("Bearer", None),
        ("Bearer \ud800", None),
    ],
)
def test_scope_of(header: str | None, scope: str | None) -> None:
    assert scope_of(KEYS, header) == scope


@pytest.mark.parametrize(
    ("scope", "needed", "ok"),
    [("admin", "admin", True), ("admin", "read", True), ("read", "read", True), ("read", "admin", False), (None, "read", False)],
)
def test_allows(scope, needed, ok) -> None:
    assert allows(scope, needed) is ok


def _request(authorization: str | None) -> Request:
    headers = [(b"authorization", authorization.encode())] if authorization else []
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers})


@pytest.mark.parametrize(
    ("keys", "ui_auth", "header", "needed", "status"),
    [
        (None, None, None, "admin", None),  # loopback developer setup: open
        (None, "alice:pw", None, "read", 401),  # the UI is locked: the API is not left open beside it
        (None, "alice:pw", f"Bearer {ADMIN}", "read", 401),
        (f"{READ}:read,{ADMIN}:admin", None, None, "read", 401),
        (f"{READ}:read,{ADMIN}:admin", None, "Bearer wrong-key-000", "read", 401),
        (f"{READ}:read,{ADMIN}:admin", None, f"Bearer {READ}", "read", None),
        (f"{READ}:read,{ADMIN}:admin", None, f"Bearer {READ}", "admin", 403),
        (f"{READ}:read,{ADMIN}:admin", "alice:pw", f"Bearer {ADMIN}", "admin", None),
    ],
)
def test_guard(keys, ui_auth, header, needed, status) -> None:
    guard = Guard(Settings(_env_file=None, api_keys=keys, auth=ui_auth))
    if status is None:
        guard.check(_request(header), needed)
        return
    with pytest.raises(ApiError) as err:
        guard.check(_request(header), needed)
    assert err.value.status == status and err.value.message


@pytest.mark.parametrize(
    ("host", "keys", "auth", "refused"),
    [
        ("127.0.0.1", {}, False, False),
        ("localhost", {}, False, False),
        ("::1", {}, False, False),
        ("0.0.0.0", {}, False, True),
        ("0.0.0.0", KEYS, False, True),
        ("0.0.0.0", {}, True, True),
        ("192.168.1.5", KEYS, True, False),
    ],
)
def test_exposure(host, keys, auth, refused) -> None:
    problem = exposure_problem(host, keys, auth)
    assert bool(problem) is refused
    if problem:
        assert host in problem and ("POLICYQA_API_KEYS" in problem or "POLICYQA_AUTH" in problem)


def _m(role: str, content) -> ChatMessage:
    return ChatMessage(role=role, content=content)


@pytest.mark.parametrize(
    ("messages", "question", "history"),
    [
        ([_m("user", "q1")], "q1", []),
        ([_m("system", "be nice"), _m("user", "q1")], "q1", []),
        ([_m("user", "q1"), _m("assistant", "a1"), _m("user", "q2")], "q2",
         [{"role": "user", "content": "q1"}, {"role": "assistant", "content": "a1"}]),
        ([_m("user", [{"type": "text", "text": "多少"}, {"type": "image_url", "image_url": {}}, {"type": "text", "text": "家?"}])], "多少家?", []),
        ([_m("user", "q1"), _m("assistant", None)], "q1", []),  # the question is the last *user* message
    ],
)
def test_split_messages(messages, question, history) -> None:
    assert split_messages(messages) == (question, history)


def test_split_messages_needs_a_user_message() -> None:
    with pytest.raises(ApiError) as err:
        split_messages([_m("system", "x"), _m("assistant", "y")])
    assert err.value.status == 400


@pytest.mark.parametrize(
    "text",
    ["", "one", "技术合同成交额:122.78亿元[1]\n\n1月至8月,全市共登记技术合同7936项。[1]", "a。b!c?d;e\nf", "The documents do not say. [1] x"],
)
def test_stream_pieces_rebuild_the_answer(text: str) -> None:
    pieces = _pieces(text)
    assert "".join(pieces) == text and all(pieces) or text == ""
    if "。" in text:
        assert len(pieces) > 1


def test_text_of() -> None:
    assert text_of(None) == "" and text_of("x") == "x" and text_of([{"type": "text", "text": "a"}, {"text": "b"}]) == "ab"
