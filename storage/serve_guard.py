"""What keeps ``newscrawl serve`` out of reach of the web pages its user opens, and bounded.

Two attacks come through the user's own browser. DNS rebinding: a page on
``attacker.example`` makes its name resolve to 127.0.0.1 and reads the archive as if it were
its own site; the request still says ``Host: attacker.example``, so only the names the server
was bound to are answered. And a scraped image URL pointing at the archive browser itself
(``http://127.0.0.1:8001/news.json?sql=...zeroblob...``) makes the reader's browser run a
costly query; SQLite's own limits on every connection make such a query fail at once instead
of allocating gigabytes, and the image is shown as text (see ``image_display_refusal``).
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import socket
import sqlite3
from collections.abc import Iterable

from crawler.safety import image_url_refusal

#: Longest string or blob a query may build: a stored page is at most 4 MiB (its hex 8 MiB).
MAX_VALUE_BYTES = 16 * 1024 * 1024
#: Longest SQL text accepted.
MAX_SQL_BYTES = 100_000
#: All SQLite memory of the server process together; beyond it a query fails with "out of memory".
HEAP_LIMIT_BYTES = 256 * 1024 * 1024

_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
# The Host names the current request may use: set by HostGuard for the image rule.
_serving_hosts: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "newscrawl_serving_hosts", default=frozenset()
)


def is_loopback_bind(host: str) -> bool:
    """Whether binding ``host`` keeps the server reachable from this machine only."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError:
            return False
        return all(ipaddress.ip_address(i[4][0].split("%")[0]).is_loopback for i in infos)


def bind_warning(host: str, port: int) -> str | None:
    """The warning printed when the archive is served beyond this machine, or None."""
    if is_loopback_bind(host):
        return None
    return (
        f"warning: serving on {host}:{port} lets anyone who can reach this machine read the whole "
        "archive and run read-only SQL on it (there is no login); use --host 127.0.0.1 to keep it private"
    )


def allowed_hosts(host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The ``Host`` names (without port) the server answers to when bound to ``host``."""
    names = {host.lower().strip("[]").rstrip("."), *(h.lower().strip("[]").rstrip(".") for h in extra if h)}
    if is_loopback_bind(host) or host in ("0.0.0.0", "::", ""):
        names.update(_LOOPBACK_NAMES)
    if host in ("0.0.0.0", "::", ""):
        # every address: the names and addresses this machine is known by
        names.update({socket.gethostname().lower(), socket.getfqdn().lower()})
        with contextlib.suppress(OSError):
            names.update(i[4][0] for i in socket.getaddrinfo(socket.gethostname(), None))
    names.discard("")
    return frozenset(names)


def split_host_header(value: str) -> tuple[str, int | None]:
    """``example.org:8001`` -> ``("example.org", 8001)``; ``[::1]:8001`` -> ``("::1", 8001)``."""
    value = value.strip().lower()
    if value.startswith("["):
        name, _, rest = value[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif value.count(":") == 1:
        name, _, port = value.partition(":")
    else:
        name, port = value, ""
    return name.rstrip("."), int(port) if port.isdigit() else None


class HostGuard:
    """ASGI middleware: answer only requests whose ``Host`` is one of the server's own names.

    A foreign name gets 421 Misdirected Request with one plain line; requests without a Host
    header (HTTP/1.0 tools) are refused the same way.
    """

    def __init__(self, app, hosts: Iterable[str], port: int) -> None:
        self.app = app
        self.hosts = frozenset(hosts)
        self.port = port

    def allows(self, header: str | None) -> bool:
        if not header:
            return False
        name, port = split_host_header(header)
        return name in self.hosts and port in (None, self.port) and (port is not None or self.port == 80)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        header = headers.get(b"host", b"").decode("latin-1")
        if not self.allows(header):
            body = b"Misdirected request: this archive answers only to its own address, not to that Host.\n"
            if scope["type"] == "websocket":
                return await send({"type": "websocket.close", "code": 1008})
            await send(
                {
                    "type": "http.response.start",
                    "status": 421,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            return await send({"type": "http.response.body", "body": body})
        name, port = split_host_header(header)
        token = _serving_hosts.set(self.hosts | {name, f"{name}:{port or self.port}"})
        try:
            return await self.app(scope, receive, send)
        finally:
            _serving_hosts.reset(token)


def limit_connection(conn: sqlite3.Connection) -> None:
    """Bound what one query can allocate; Datasette calls this for every connection it opens."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_BYTES)
    conn.execute(f"PRAGMA hard_heap_limit = {HEAP_LIMIT_BYTES}")


def image_display_refusal(url: object) -> str | None:
    """Why the archive browser must not show ``url`` as an ``<img>`` (None: it may).

    The one rule for images scraped from pages: no loopback, private, link-local or
    non-http(s) addresses, and nothing on the host serving this page (the reader's browser
    would query the archive itself). Thumbnails the archive stores and serves are not scraped
    URLs and are not judged here.
    """
    return image_url_refusal(url, serving_hosts=_serving_hosts.get())
