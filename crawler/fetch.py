"""Fetching one URL outside a crawl, for ``newscrawl fetch``: polite, bounded, and with errors in words.

A one-off fetch has no reactor to share, so it uses the standard library; it still reads the
site's robots.txt (Protego, as Scrapy does) and identifies itself with the crawler's user agent.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

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


def _open(url: str, timeout: float):
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - scheme checked by check_url


def robots_allows(url: str, timeout: float) -> bool:
    parts = urlsplit(url)
    robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
    try:
        with _open(robots_url, timeout) as response:
            text = response.read(512 * 1024).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code < 500 or exc.code == 501  # no robots.txt: everything allowed
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise FetchError(_describe(exc, url, timeout)) from None
    return Protego.parse(text).can_fetch(url, USER_AGENT)


def fetch_page(url: str, timeout: float = 20.0, ignore_robots: bool = False) -> FetchedPage:
    """GET ``url`` as an HTML page or raise FetchError saying why not."""
    try:
        url = check_url(url)
    except ValueError as exc:
        raise FetchError(str(exc)) from None
    if not ignore_robots and not robots_allows(url, timeout):
        raise FetchError(
            f"robots.txt of {urlsplit(url).netloc} does not allow fetching {url} (use --ignore-robots)"
        )
    try:
        with _open(url, timeout) as response:
            body = response.read(DOWNLOAD_MAXSIZE + 1)
            headers = {k: v for k, v in response.headers.items()}
            status, final_url = response.status, response.geturl()
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
