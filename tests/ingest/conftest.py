"""Fixtures of the ingestion tests (helpers live in ingest_helpers.py)."""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from policyqa_env import _clean_policyqa_env  # noqa: E402,F401 (autouse: this folder's tests run without POLICYQA_*)
