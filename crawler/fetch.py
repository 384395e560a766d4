"""Fetching one URL outside a crawl, for ``newscrawl fetch``: polite, bounded, and with errors in words.

A one-off fetch has no reactor to share, so it uses the standard library; it still reads the
site's robots.txt (Protego, as Scrapy does) and identifies itself with the crawler's user agent.
Redirects are followed to http(s) only (urllib would also follow one to ftp://), and
``timeout`` bounds the whole fetch, robots.txt included: a server trickling one byte a second
never lets a per-read timeout expire.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

from protego import Protego

from crawler.settings import DOWNLOAD_MAXSIZE, USER_AGENT
from crawler.urls import check_url

HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml", "text/plain")


class FetchError(Exception):
    """A fetch that did not give an HTML page; the message is one line for the user."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class FetchedPage:
    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def _describe(exc: BaseException, url: str, timeout: float) -> str:
    host = urlsplit(url).netloc
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, socket.gaierror):
        return f"DNS lookup failed for {urlsplit(url).hostname} ({reason.strerror or reason})"
    if isinstance(reason, ConnectionRefusedError):
        return f"connection refused by {host}"
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return f"timeout: {host} did not answer within {timeout:g}s"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error talking to {host}: {reason}"
    if isinstance(reason, OSError) and reason.strerror:
        return f"network error talking to {host}: {reason.strerror}"
    return f"could not fetch {url}: {reason}"


class _RedirectRefused(Exception):
    """A redirect newscrawl fetch will not follow; the message says why (not an OSError: urllib
    would wrap one as a network error)."""


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) URLs without credentials only, and name the real cause."""

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("location") or headers.get("uri")
        if location:
            target = urljoin(req.full_url, location.strip())
            parts = urlsplit(target)
            scheme = parts.scheme.lower()
            if scheme not in ("http", "https"):
                raise _RedirectRefused(
                    f"redirect to unsupported scheme {scheme or 'none'} ({req.full_url} -> {target})"
                )
            if parts.username is not None or parts.password is not None:
                raise _RedirectRefused(f"redirect to a URL with credentials refused ({req.full_url})")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


_OPENER = urllib.request.build_opener(_WebOnlyRedirects)


def _open(url: str, timeout: float):
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    return _OPENER.open(request, timeout=timeout)


def robots_allows(url: str, timeout: float) -> bool:
    parts = urlsplit(url)
    robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
    try:
        with _open(robots_url, timeout) as response:
            text = response.read(512 * 1024).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code < 500 or exc.code == 501  # no robots.txt: everything allowed
    except _RedirectRefused as exc:
        raise FetchError(f"robots.txt: {exc}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise FetchError(_describe(exc, url, timeout)) from None
    return Protego.parse(text).can_fetch(url, USER_AGENT)


def fetch_page(url: str, timeout: float = 20.0, ignore_robots: bool = False) -> FetchedPage:
    """GET ``url`` as an HTML page or raise FetchError saying why not, all within ``timeout`` seconds."""
    try:
        url = check_url(url)
    except ValueError as exc:
        raise FetchError(str(exc)) from None
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        bare = urlunsplit(
            (parts.scheme, parts.hostname + (f":{parts.port}" if parts.port else ""), *parts[2:])
        )
        raise FetchError(f"URL contains a user name or password, which newscrawl fetch does not send: {bare}")
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["page"] = _fetch(url, timeout, ignore_robots)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            outcome["error"] = exc

    started = time.monotonic()
    worker = threading.Thread(target=work, name="newscrawl-fetch", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise FetchError(
            f"timeout: {parts.netloc} did not answer within {timeout:g}s "
            f"(the whole download, stopped after {time.monotonic() - started:.0f}s)"
        )
    if "error" in outcome:
        raise outcome["error"]
    return outcome["page"]


def _fetch(url: str, timeout: float, ignore_robots: bool) -> FetchedPage:
    if not ignore_robots and not robots_allows(url, timeout):
        raise FetchError(
            f"robots.txt of {urlsplit(url).netloc} does not allow fetching {url} (use --ignore-robots)"
        )
    try:
        with _open(url, timeout) as response:
            body = response.read(DOWNLOAD_MAXSIZE + 1)
            headers = {k: v for k, v in response.headers.items()}
            status, final_url = response.status, response.geturl()
    except _RedirectRefused as exc:
        raise FetchError(str(exc)) from None
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            raise FetchError(f"redirect loop or too many redirects at {url}", exc.code) from None
        raise FetchError(f"HTTP {exc.code} {exc.reason} for {url}", exc.code) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        raise FetchError(_describe(exc, url, timeout)) from None
    if len(body) > DOWNLOAD_MAXSIZE:
        raise FetchError(f"page larger than {DOWNLOAD_MAXSIZE // (1024 * 1024)} MiB: {url}")
    content_type = headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type and not content_type.startswith(HTML_TYPES):
        raise FetchError(f"not an HTML page ({content_type}): {url}")
    if not body.strip():
        raise FetchError(f"empty page: {url}")
    if b"\x00" in body[:2048]:
        raise FetchError(f"not an HTML page (binary content): {url}")
    return FetchedPage(url=final_url, status=status, headers=headers, body=body)
