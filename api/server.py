"""`policyqa serve`: the HTTP API and the Gradio UI on one port (FastAPI, Gradio mounted at ``/``).

Routes of the API (``/api/v1/...``, ``/v1/...``, ``/healthz``, ``/docs``) are matched first; every
other path is the Gradio app, unchanged (its ``/gradio_api/...`` routes, its ``/openapi.json``,
its login when ``POLICYQA_AUTH`` is set). Both share one :class:`kb.KnowledgeService`, so the
embedder and the Assistant are loaded once.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from ingest.settings import Settings


class ServeRefused(RuntimeError):
    """The server would expose the knowledge base without keys or a login; the message says what to set."""


def check_exposure(settings: Settings) -> None:
    """Refuse a non-loopback bind without API keys and a UI login (ServeRefused), or bad key/auth settings (ValueError)."""
    from api.keys import exposure_problem, parse_keys
    from ui.app import parse_auth

    keys = parse_keys(settings.api_keys)
    auth = parse_auth(settings.auth)
    problem = exposure_problem(settings.host, keys, bool(auth))
    if problem:
        raise ServeRefused(problem)


def build_app(settings: Settings, bot: Any = None) -> Any:
    """The FastAPI app with the Gradio UI mounted at ``/``."""
    import gradio as gr

    from api.app import create_app
    from kb import KnowledgeService
    from ui.app import CONCURRENCY, CSS, PAGE_JS, QUEUE_MAX, build, parse_auth, theme

    service = KnowledgeService(settings, assistant=bot)
    app = create_app(settings, service)
    demo = build(settings, bot, service)
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_MAX)
    mounted = gr.mount_gradio_app(
        app,
        demo,
        path="/",
        server_name=settings.host,
        server_port=settings.port,
        auth=parse_auth(settings.auth),
        auth_message="policyqa",
        max_file_size=int(settings.max_upload_mb * 2 * 1024 * 1024) + (1 << 20),
        theme=theme(),
        css=CSS,
        head=PAGE_JS,  # the chat's copy buttons, [n] links, history across reloads (ui/app.py)
        ssr_mode=False,
        footer_links=["api"],
        show_error=False,
    )
    # Gradio checks the file paths of a request (only what this browser uploaded may be read) only once
    # a Blocks "has launched", which mount_gradio_app never marks (its own reload path does): without
    # this a payload naming /etc/passwd is read into the upload cache. Found by tests/reliability.
    demo.has_launched = True
    return mounted


def serve(settings: Settings | None = None) -> None:
    """Check the exposure rules, warm up, then serve API and UI on ``settings.host:settings.port``."""
    import uvicorn

    from ui.app import warm_up

    settings = settings or Settings()
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    # several questions run at once on few cores: idle OpenMP threads of the embedder must sleep, not spin
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    check_exposure(settings)
    bot, timings = warm_up(settings)
    if timings:
        print(
            "policyqa: knowledge base opened in {open:.2f} s; first answer (extractive, incl. model load) in {first:.2f} s; "
            "next answer in {warm:.3f} s".format(
                open=timings.get("open", 0.0), first=timings.get("first_answer", 0.0), warm=timings.get("warm_answer", 0.0)
            ),
            flush=True,
        )
    app = build_app(settings, bot)
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    from ui.app import admin_names, parse_auth

    if parse_auth(settings.auth) is not None and not admin_names(settings):
        print("policyqa: note: login is on and POLICYQA_ADMINS is empty: nobody can upload, remove documents or read feedback",
              file=sys.stderr, flush=True)
    print(f"policyqa: serving on http://{host}:{settings.port}/ (the chat; API at /api/v1 and the OpenAI-compatible /v1, "
          f"docs at /docs; Ctrl+C stops it)", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", timeout_graceful_shutdown=5)
