"""API keys: ``POLICYQA_API_KEYS`` holds ``key:scope`` entries, or the path of a file of them.

Scopes: ``read`` (ask, search, figures, chat, the document list) and ``admin`` (all of read, plus
uploads and deletes). Clients send ``Authorization: Bearer <key>``.

>>> parse_keys("k1:read, k2:admin")
{'k1': 'read', 'k2': 'admin'}
>>> parse_keys(None)
{}
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Literal

Scope = Literal["read", "admin"]
SCOPES: tuple[str, ...] = ("read", "admin")
#: hosts that only this machine can reach: serving there without keys or a login is a developer's setup
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def parse_keys(value: str | None) -> dict[str, Scope]:
    """``key:scope`` entries separated by commas or newlines (``#`` comments), or a file of them → key → scope.

    Raises ValueError naming the bad entry (without echoing the whole key) so that a typo stops the server.
    """
    if not value or not value.strip():
        return {}
    path = Path(value.strip()).expanduser()
    text = path.read_text(encoding="utf-8") if "\n" not in value and path.is_file() else value
    keys: dict[str, Scope] = {}
    for raw in text.replace(",", "\n").splitlines():
        entry = raw.split("#", 1)[0].strip()
        if not entry:
            continue
        key, sep, scope = entry.rpartition(":")
        key, scope = key.strip(), scope.strip().lower()
        if not sep or not key or scope not in SCOPES:
            shown = (entry[:4] + "…") if len(entry) > 4 else entry
            raise ValueError(f"POLICYQA_API_KEYS entry {shown!r} must be key:read or key:admin")
        if len(key) < 8:
            raise ValueError("POLICYQA_API_KEYS: every key must have at least 8 characters")
        keys[key] = scope  # type: ignore[assignment]
    if not keys:
        raise ValueError("POLICYQA_API_KEYS has no key:scope entries")
    return keys


def scope_of(keys: dict[str, Scope], authorization: str | None) -> Scope | None:
    """The scope of the bearer key in an ``Authorization`` header, or ``None`` (missing or unknown)."""
    if not authorization:
        return None
    kind, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if kind.lower() != "bearer" or not token:
        return None
    found: Scope | None = None
    for key, scope in keys.items():  # constant-time comparison against every key: no timing hint
        if hmac.compare_digest(key.encode("utf-8", "surrogatepass"), token.encode("utf-8", "surrogatepass")):
            found = scope
    return found


def allows(scope: Scope | None, needed: Scope) -> bool:
    return scope == "admin" or (scope == "read" and needed == "read")


def exposure_problem(host: str, api_keys: dict[str, Scope], ui_auth: bool) -> str | None:
    """Why serving on ``host`` is refused, or ``None``: off loopback both the API keys and the UI login are required."""
    if host in LOOPBACK:
        return None
    missing = [name for name, ok in (("POLICYQA_API_KEYS (for the API)", bool(api_keys)), ("POLICYQA_AUTH (for the UI)", ui_auth)) if not ok]
    if not missing:
        return None
    return (
        f"refusing to serve on {host} without {' and '.join(missing)}: anyone who can reach the port could read "
        f"and change the knowledge base. Set them, or bind 127.0.0.1 behind a proxy (docs/deploy.md)."
    )
