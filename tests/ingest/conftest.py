"""Fixtures of the ingestion tests (helpers live in ingest_helpers.py)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _clean_policyqa_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's POLICYQA_* variables must not leak into these tests."""
    for key in list(os.environ):
        if key.startswith("POLICYQA_"):
            monkeypatch.delenv(key)
