"""Property-based fuzzing of the API from its own OpenAPI schema (schemathesis) against a real server.

Every operation gets generated requests (valid and invalid bodies, odd strings, large numbers);
no response may be a 5xx, none may carry a traceback, and every error is ``{"error": "..."}``.
The read key is used: admin routes then answer 403 (fuzzed uploads would embed arbitrary files).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from api_helpers import READ, TRACEBACK

pytestmark = pytest.mark.slow

EXAMPLES = 20  # per operation: bounded, so the run stays a few minutes on two shared cores


def no_traceback_and_json_errors(ctx, response, case) -> None:
    """A body never shows a traceback; a 4xx body is {"error": "<text>"}."""
    text = response.text or ""
    assert not TRACEBACK.search(text), f"traceback in the body of {case.method} {case.formatted_path}: {text[:300]}"
    if response.status_code >= 400:
        body = response.json()
        assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"], text[:300]


def test_no_server_error_no_traceback(api_server) -> None:
    # schemathesis's own pytest plugin (schema.parametrize) does not run under pytest 9 ('_nodeid'),
    # so each operation's strategy is driven with hypothesis directly
    schema = schemathesis.openapi.from_url(api_server.url.rstrip("/") + "/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    calls: dict[str, int] = {}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
        def run(case) -> None:
            response = case.call_and_validate(
                base_url=api_server.url.rstrip("/"), headers={"Authorization": f"Bearer {READ}"},
                checks=[not_a_server_error, no_traceback_and_json_errors], timeout=120,
            )
            calls[f"{response.status_code}"] = calls.get(f"{response.status_code}", 0) + 1

        run()
    print(f"\nschemathesis: {sum(calls.values())} requests over {len(operations)} operations, statuses {dict(sorted(calls.items()))}")
    assert not any(code.startswith("5") for code in calls)
