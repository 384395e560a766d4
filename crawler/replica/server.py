"""ReplicaServer: a threaded stdlib HTTP server that forwards every request to a ReplicaSite."""

from __future__ import annotations

import ipaddress
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from crawler.replica.site import ReplicaSite


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        try:
            loopback = ipaddress.ip_address(self.client_address[0]).is_loopback
        except ValueError:
            loopback = False
        headers = {key: value for key, value in self.headers.items()}
        response = self.server.site.handle(self.command, self.path, headers, client_is_loopback=loopback)
        self.send_response_only(response.status)
        for key, value in response.headers:
            self.send_header(key, value)
        self.end_headers()
        if response.body:
            self.wfile.write(response.body)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Silence per-request logging; the site keeps its own request log."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: ReplicaSite) -> None:
        self.site = site
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A crawler that gives up on the slow page hangs up mid-answer: normal, not worth a traceback."""
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class ReplicaServer:
    """Serve a ReplicaSite on 127.0.0.1 in a background thread; use as a context manager."""

    def __init__(
        self,
        port: int = 0,
        size: int = 72,
        seed: int = 1,
        slow_seconds: float = 10.0,
        host: str = "127.0.0.1",
        site: ReplicaSite | None = None,
    ) -> None:
        self.site = site or ReplicaSite(size=size, seed=seed, slow_seconds=slow_seconds)
        self._httpd = _Server((host, port), self.site)
        self.host, self.port = self._httpd.server_address[:2]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def requests(self) -> list[dict[str, Any]]:
        return self.site.requests

    def start(self) -> ReplicaServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="replica-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.site.close()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def serve_forever(self) -> None:
        """Block in the calling thread (the CLI); stop() from another thread ends it."""
        try:
            self._httpd.serve_forever()
        finally:
            self.site.close()
            self._httpd.server_close()

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
