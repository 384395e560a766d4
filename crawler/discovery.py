"""Reading the files outlets publish to be found: sitemaps (with their news and image blocks) and feeds.

Scrapy's sitemap parser keeps little more than ``<loc>``; an incremental news crawler needs
``lastmod`` (the cutoff of the next crawl), the Google News ``publication_date`` and ``title``,
and the sitemap's images.
"""

from __future__ import annotations

from lxml import etree
from scrapy.http import Response
from scrapy.utils.gz import gunzip, gzip_magic_number

from storage.clock import to_utc_iso

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(node: etree._Element, *path: str) -> str | None:
    """Text of the first descendant following local names in ``path`` (namespaces ignored)."""
    current = [node]
    for name in path:
        current = [c for n in current for c in n if _local(c.tag) == name]
        if not current:
            return None
    text = (current[0].text or "").strip()
    return text or None


def sitemap_body(response: Response, max_size: int = 0) -> bytes:
    """The XML of a sitemap response, gunzipped when the outlet serves it compressed.

    Outlets publish ``sitemap.xml.gz`` files (``application/x-gzip`` or
    ``application/octet-stream``); Scrapy's compression middleware only undoes
    ``Content-Encoding``, so a gzip body is recognised by its magic number, whatever the URL or
    content type say, and decompressed with Scrapy's own helper (bounded by ``max_size``). A
    broken or oversized archive gives an empty body: no URLs, not a crash.
    """
    if not gzip_magic_number(response):
        return response.body
    try:
        return gunzip(response.body, max_size=max_size)
    except (OSError, EOFError, ValueError):  # ValueError: larger than max_size
        return b""


def robots_sitemaps(body: bytes) -> list[str]:
    """The ``Sitemap:`` URLs a robots.txt lists, read with protego (the parser the crawl obeys)."""
    from protego import Protego

    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    return list(Protego.parse(text).sitemaps)


def parse_sitemap(body: bytes) -> tuple[str, list[dict]]:
    """Return ``("index", [{"loc", "lastmod"}])`` or ``("urlset", [entries])``.

    Each urlset entry: ``loc``, ``lastmod``, ``news_title``, ``news_publication_date``,
    ``images`` (list of ``{"loc", "caption", "title"}``). Broken XML yields what could be read.
    """
    if not body or not body.strip():
        return "urlset", []
    try:
        root = etree.fromstring(body.strip(), parser=_PARSER)
    except etree.XMLSyntaxError:
        return "urlset", []
    if root is None:
        return "urlset", []
    kind = "index" if _local(root.tag) == "sitemapindex" else "urlset"
    entries = []
    for node in root:
        if _local(node.tag) not in ("sitemap", "url"):
            continue
        loc = _child_text(node, "loc")
        if not loc:
            continue
        entry: dict = {"loc": loc, "lastmod": to_utc_iso(_child_text(node, "lastmod"))}
        if kind == "urlset":
            entry["news_title"] = _child_text(node, "news", "title")
            entry["news_publication_date"] = to_utc_iso(_child_text(node, "news", "publication_date"))
            entry["images"] = [
                {
                    "loc": _child_text(img, "loc"),
                    "caption": _child_text(img, "caption"),
                    "title": _child_text(img, "title"),
                }
                for img in node
                if _local(img.tag) == "image" and _child_text(img, "loc")
            ]
        entries.append(entry)
    return kind, entries


def parse_feed(body: bytes) -> list[dict]:
    """Items of an RSS 2.0 or Atom feed: ``link``, ``title``, ``published``."""
    if not body or not body.strip():
        return []
    try:
        root = etree.fromstring(body.strip(), parser=_PARSER)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    items = []
    for node in root.iter():
        name = _local(node.tag)
        if name == "item":
            link = _child_text(node, "link") or _child_text(node, "guid")
            published = _child_text(node, "pubdate") or _child_text(node, "date")
        elif name == "entry":
            links = [c for c in node if _local(c.tag) == "link"]
            alternate = [c for c in links if c.get("rel", "alternate") == "alternate"] or links
            link = alternate[0].get("href") if alternate else None
            published = _child_text(node, "published") or _child_text(node, "updated")
        else:
            continue
        if link:
            items.append(
                {
                    "link": link.strip(),
                    "title": _child_text(node, "title"),
                    "published": to_utc_iso(published),
                }
            )
    return items
