"""The autouse fixture that keeps a developer's POLICYQA_* variables out of a test folder's tests.

Defined once here and imported by the conftest.py of each folder that wants it (api, ingest, reliability):
pytest registers a fixture a conftest imports as that conftest's own, so it stays scoped to those folders
(moving it to tests/conftest.py would apply it to the whole suite, which is a change of behaviour).
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _clean_policyqa_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's POLICYQA_* variables must not leak into these tests."""
    for key in list(os.environ):
        if key.startswith("POLICYQA_"):
            monkeypatch.delenv(key)
