"""`policyqa serve` off loopback without API keys and a UI login refuses to start, with a message."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from api_helpers import KEYS_ENV
from ui_helpers import clean_env, free_port, policyqa_exe

pytestmark = pytest.mark.slow  # policyqa subprocesses (each imports Gradio before refusing)


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, ["POLICYQA_API_KEYS", "POLICYQA_AUTH"]),
        ({"POLICYQA_API_KEYS": KEYS_ENV}, ["POLICYQA_AUTH"]),
        ({"POLICYQA_AUTH": "alice:s3cret-pw"}, ["POLICYQA_API_KEYS"]),
    ],
)
def test_refuses_to_serve_off_loopback(tmp_path: Path, env: dict[str, str], missing: list[str]) -> None:
    done = subprocess.run(
        [*policyqa_exe(), "serve", "--index-dir", str(tmp_path / "index"), "--host", "0.0.0.0", "--port", str(free_port())],
        cwd=tmp_path, env=clean_env(**env), capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: refusing to serve on 0.0.0.0"), done.stderr[-2000:]
    assert all(name in lines[0] for name in missing) and "Traceback" not in done.stderr


@pytest.mark.parametrize("bad", ["no-scope-key-123", "k:read"])
def test_malformed_keys_stop_the_server(tmp_path: Path, bad: str) -> None:
    done = subprocess.run(
        [*policyqa_exe(), "serve", "--index-dir", str(tmp_path / "index"), "--port", str(free_port())],
        cwd=tmp_path, env=clean_env(POLICYQA_API_KEYS=bad), capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2 and "error: POLICYQA_API_KEYS" in done.stderr and "Traceback" not in done.stderr, done.stderr[-2000:]
