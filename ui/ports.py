"""Is the port free? Asked before the warm-up, without importing Gradio (seconds on a small machine)."""

from __future__ import annotations

import socket


class PortBusy(OSError):
    """The port to serve on is taken (or the address cannot be bound): said in one line."""


def check_port(host: str, port: int) -> None:
    """Bind ``host:port`` once and let it go, so a taken port is said before the seconds of warm-up,
    naming the setting that changes it (Gradio's own error names its environment variable)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise PortBusy(f"cannot serve on {host}: {exc.strerror}; choose another with --host or POLICYQA_HOST") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: TIME_WAIT is no obstacle
        try:
            s.bind(address)
        except OSError as exc:
            raise PortBusy(
                f"port {port} on {host} is not available ({exc.strerror}); choose another with --port or POLICYQA_PORT"
            ) from None
