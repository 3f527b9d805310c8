"""Keys and clients of the API tests (not a test file)."""

from __future__ import annotations

import re

import httpx

ADMIN = "pq-admin-3f9c2a7e"
READ = "pq-read-81b4d0c6"
KEYS_ENV = f"{READ}:read,{ADMIN}:admin"
MAX_UPLOAD_MB = 0.5
#: what must never be in a response body: a Python traceback or its frames
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+")


def client(url: str, key: str | None = None, timeout: float = 60.0) -> httpx.Client:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.Client(base_url=url.rstrip("/"), headers=headers, timeout=timeout, trust_env=False)


def is_error_json(resp: httpx.Response) -> bool:
    """``{"error": "<non-empty text>"}`` (perhaps with more fields), and no traceback."""
    try:
        body = resp.json()
    except ValueError:
        return False
    return isinstance(body, dict) and isinstance(body.get("error"), str) and bool(body["error"]) and not TRACEBACK.search(resp.text)
