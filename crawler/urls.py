"""One canonical form per article URL, decided before any request is made.

The same story reaches a crawler under many URLs (tracking parameters, AMP twins, host case,
fragments); folding them here is what keeps one row per article in the archive.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote_plus, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|_gl|ref|ref_src|"
    r"cmpid|ito|xtor|share|amp|outputtype|output)$",
    re.IGNORECASE,
)
_AMP_PATH = re.compile(r"(^/amp(?=/)|/amp/?$|\.amp(?=$|\.html?$))", re.IGNORECASE)


class BadURL(ValueError):
    """A URL that cannot be fetched: say why in one line."""


def check_url(url: str) -> str:
    """Return the URL stripped, or raise BadURL with a message a user understands."""
    url = (url or "").strip()
    if not url:
        raise BadURL("empty URL")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise BadURL(f"malformed URL ({exc}): {url!r}") from None
    if not parts.scheme:
        raise BadURL(f"not a URL (no scheme such as https://): {url!r}")
    if parts.scheme.lower() not in ("http", "https"):
        raise BadURL(f"unsupported URL scheme {parts.scheme!r} (only http and https): {url!r}")
    if not parts.hostname or " " in parts.netloc:
        raise BadURL(f"malformed URL (no host name): {url!r}")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise BadURL(f"malformed URL ({exc}): {url!r}") from None
    return url


def canonical_url(url: str) -> str:
    """The archive's key for an article URL.

    Lower-cases scheme and host, drops default ports, fragments, tracking parameters and AMP
    markers (``/amp/...``, ``.../amp``, ``?amp=1``), and orders the remaining query.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    path = _AMP_PATH.sub("", parts.path) or "/"
    # filter on the raw pieces: decoding a legacy-encoded value (windows-1253 %E1) as UTF-8 would
    # change the URL that gets requested
    query = "&".join(
        piece
        for piece in parts.query.split("&")
        if piece and not TRACKING_PARAMS.match(unquote_plus(piece.split("=", 1)[0]))
    )
    return canonicalize_url(urlunsplit((scheme, netloc, path, query, "")), keep_fragments=False)


def is_amp_url(url: str) -> bool:
    parts = urlsplit(url)
    return bool(_AMP_PATH.search(parts.path)) or any(
        k.lower() == "amp" for k, _ in parse_qsl(parts.query, keep_blank_values=True)
    )
