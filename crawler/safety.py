"""Whether an address scraped from a page may be fetched or shown: the one rule for image URLs.

An outlet's pages are attacker input. An ``<img src>`` pointing at ``http://127.0.0.1:8001/...``
or ``http://192.168.1.1/...`` makes whoever fetches it (the crawler, a thumbnail fetcher, or the
reader's own browser opening the archive) send a request into the user's machine or network.
Such URLs are kept in the archive as references, but are never fetched or rendered.

Browsers read a host such as ``2130706433``, ``0x7f.1`` or ``127.1`` as an IPv4 address, so the
host is parsed the way a browser would before it is judged. Names are judged by what they say
(``localhost``, ``*.localhost``, ``*.local``); with ``resolve=True`` (for a fetcher about to connect)
every address the name resolves to is judged too.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from crawler.outlet import WEB_SCHEMES, Origin, origin_of

_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")


def _ipv4_part(text: str) -> int | None:
    """One dotted part as a browser reads it: decimal, 0x hex or leading-zero octal."""
    try:
        if text.lower().startswith("0x"):
            return int(text[2:] or "0", 16)
        if len(text) > 1 and text.startswith("0"):
            return int(text, 8)
        return int(text, 10)
    except ValueError:
        return None


def browser_ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address a browser would connect to for ``host`` when it is a literal; else None."""
    host = host.strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    parts = host.split(".")
    if not parts or _ipv4_part(parts[-1]) is None:
        return None
    numbers = [_ipv4_part(p) for p in parts]
    if any(n is None for n in numbers) or len(numbers) > 4:
        return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):  # type: ignore[operator]
        return None
    value = 0
    for n in head:
        value = value * 256 + n  # type: ignore[operator]
    value = value * 256 ** (5 - len(numbers)) + last  # type: ignore[operator]
    return ipaddress.IPv4Address(value)


def address_refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address must not be contacted for scraped content, or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private or ip.is_reserved or ip.is_unspecified or ip.is_multicast or not ip.is_global:
        return "a private or reserved address"
    return None


def image_url_refusal(
    url: object,
    own_origins: Iterable[Origin] = (),
    serving_hosts: Iterable[str] = (),
    resolve: bool = False,
) -> str | None:
    """Why an image URL scraped from a page must not be fetched or rendered; None when it may.

    ``own_origins`` are origins trusted whatever their address: the outlet's own declared
    origins (a local replica on 127.0.0.1 serves its own images). ``serving_hosts`` are the
    ``host`` or ``host:port`` names the archive browser itself answers on: an image there would
    make the reader's browser query the archive. ``resolve`` also judges every address a host
    name resolves to (for a fetcher about to connect; the DNS answer may still change later,
    so a fetcher should connect only to the addresses judged here).
    """
    if not isinstance(url, str) or not url.strip():
        return "not a URL"
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return "a malformed URL"
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES:
        return f"scheme {scheme or 'none'!r} is not http(s)"
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        return "a URL without a host"
    if parts.username is not None or parts.password is not None:
        return "a URL with credentials"
    if origin_of(url) in set(own_origins):
        return None
    served = {h.lower().rstrip(".") for h in serving_hosts if h}
    netloc = host if port is None else f"{host}:{port}"
    if host in served or netloc in served:
        return "the archive browser's own host"
    ip = browser_ip(host)
    if ip is not None:
        return address_refusal(ip)
    if host in _LOCAL_NAMES or host.endswith(_LOCAL_SUFFIXES) or "." not in host:
        return "a local host name"
    if resolve:
        try:
            infos = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            return "a host name that does not resolve"
        for info in infos:
            reason = address_refusal(ipaddress.ip_address(info[4][0].split("%")[0]))
            if reason:
                return f"a name resolving to {reason}"
    return None


def is_safe_image_url(
    url: object,
    own_origins: Iterable[Origin] = (),
    serving_hosts: Iterable[str] = (),
    resolve: bool = False,
) -> bool:
    """True when an image URL may be fetched or rendered (see :func:`image_url_refusal`)."""
    return image_url_refusal(url, own_origins, serving_hosts, resolve) is None
