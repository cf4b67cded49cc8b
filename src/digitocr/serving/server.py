"""`digitocr serve`: the app on uvicorn, on a socket we bind ourselves (so a port in use is one clear line,
and --port 0 picks a free port and says which)."""

from __future__ import annotations

import socket

import uvicorn

from digitocr.errors import DigitocrError
from digitocr.serving.app import create_app


def listen(host: str, port: int) -> socket.socket:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        raise DigitocrError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    return sock


def url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{'[' + host + ']' if ':' in host else host}:{port}/"


def serve(host: str = "127.0.0.1", port: int = 8000, **app_options) -> None:
    """Serve until interrupted. `app_options` go to create_app (limits, model)."""
    app = create_app(**app_options)  # the model is loaded before we listen: a bad one fails at once
    sock = listen(host, port)
    print(f"digitocr: serving the web page and API on {url(sock)} (API docs at {url(sock)}docs; Ctrl-C stops)",
          flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="info", timeout_keep_alive=30)).run(sockets=[sock])
