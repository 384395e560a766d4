"""Metadata candidates from structured markup: JSON-LD and ``<meta>`` tags.

Each source yields its own dict of candidates; the cascade in ``article.py`` chooses among
them and records which one won, so the two are kept apart here.
"""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extraction.textnorm import clean_space

# compiled XPath runs in C; ElementPath's iterfind walks the tree in Python
_LD_SCRIPTS = XPath('//script[@type="application/ld+json"]')
_METAS = XPath("//meta[@content]")
_LINKS = XPath('//link[@rel="canonical" or @rel="Canonical"]')
_ITEMPROP_DATE = XPath('//*[@itemprop="datePublished"]')

ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "report",
    "techarticle",
    "scholarlyarticle",
}
# page-level types whose datePublished is the page's when no article-typed node states one
PAGE_TYPES = {"webpage", "itempage", "collectionpage", "medicalwebpage", "faqpage", "qapage"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def _load_json(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("<!--"):
        raw = raw.removeprefix("<!--").removesuffix("-->")
    for candidate in (raw, _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", raw))):
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    return None


def _walk(node: Any):
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in node:
                yield from _walk(node[key])


def _types(node: dict) -> set[str]:
    value = node.get("@type") or []
    if isinstance(value, str):
        value = [value]
    return {str(v).lower() for v in value}


def _ld_text(value: str) -> str:
    """A JSON-LD string as text. JSON needs no HTML entities, yet WordPress SEO plugins and others
    write them ("Traveler&#8217;s", "Full &#038; Part", "&amp;"): they are decoded, once."""
    return clean_space(unescape(value)) if "&" in value else clean_space(value)


def _names(value: Any) -> list[str]:
    """Names out of a schema.org Person/Organization, a list of them, or plain strings."""
    out: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            item = item.get("name")
            if isinstance(item, list):
                item = item[0] if item else None
        if isinstance(item, str) and _ld_text(item):
            out.append(_ld_text(item))
    return out


def _first_str(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url") or value.get("name")
    return _ld_text(value) if isinstance(value, str) and value.strip() else None


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return []
    return [_ld_text(v) for v in value if isinstance(v, str) and _ld_text(v)]


def _image_urls(value: Any) -> list[str]:
    out = []
    for item in value if isinstance(value, list) else [value]:
        url = item.get("url") or item.get("contentUrl") if isinstance(item, dict) else item
        if isinstance(url, str) and url.strip():
            out.append(url.strip())
    return out


def json_ld(tree: HtmlElement) -> dict[str, Any]:
    """The first article-typed JSON-LD object (also inside ``@graph``/lists), as candidates."""
    best: dict | None = None
    page_published: str | None = None  # a WebPage's date (Yoast puts it there when no Article node exists)
    breadcrumb: list[str] = []
    for script in _LD_SCRIPTS(tree):
        data = _load_json(script.text or "")
        for node in _walk(data):
            types = _types(node)
            if "breadcrumblist" in types and not breadcrumb:
                for item in node.get("itemListElement") or []:
                    if isinstance(item, dict):
                        name = item.get("name")
                        if not name and isinstance(item.get("item"), dict):
                            name = item["item"].get("name")
                        if isinstance(name, str) and name.strip():
                            breadcrumb.append(_ld_text(name))
            if types & ARTICLE_TYPES and best is None:
                best = node
            if types & PAGE_TYPES and page_published is None:
                page_published = _first_str(node.get("datePublished"))
    if best is None:
        out: dict[str, Any] = {"breadcrumb": breadcrumb} if breadcrumb else {}
        if page_published:
            out["page_published"] = page_published
        return out
    section = best.get("articleSection")
    sections = _keywords(section) if isinstance(section, (str, list)) else []
    return {
        "title": _first_str(best.get("headline") or best.get("name")),
        "lede": _first_str(best.get("description") or best.get("alternativeHeadline")),
        "published": _first_str(best.get("datePublished") or best.get("dateCreated")),
        "modified": _first_str(best.get("dateModified")),
        "authors": _names(best.get("author") or best.get("creator") or []),
        "section": sections[0] if sections else None,
        "tags": _keywords(best.get("keywords") or []),
        "images": _image_urls(best.get("image") or []),
        "language": _first_str(best.get("inLanguage")),
        "body": unescape(best["articleBody"]) if isinstance(best.get("articleBody"), str) else None,
        "url": _first_str(best.get("url") or best.get("mainEntityOfPage")),
        "publisher": (_names(best.get("publisher") or []) or [None])[0],
        "breadcrumb": breadcrumb,
        "page_published": page_published,
    }


_META_KEYS = {
    "title": ("og:title", "twitter:title", "parsely-title", "sailthru.title", "dc.title", "title"),
    "lede": ("og:description", "twitter:description", "description", "dc.description"),
    "published": (
        "article:published_time",
        "og:article:published_time",
        "parsely-pub-date",
        "sailthru.date",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "publication_date",
        "publication-date",
        "article:published",
        "og:published_time",
        "article.created",
        "date_published",
        "published-date",
        "article:published_date",
        "citation_publication_date",
        "citation_date",
        "dc.date.created",
        "dcterms.issued",
        "dcterms.date",
        "originalpublicationdate",
        "datecreated",
        "date",
        "dc.date",
        "dc.date.issued",
        "dcterms.created",
        "datepublished",
        "article.published",
    ),
    "modified": ("article:modified_time", "og:updated_time", "dcterms.modified", "datemodified", "lastmod"),
    "section": ("article:section", "parsely-section", "section", "category"),
    "author": ("article:author", "author", "parsely-author", "sailthru.author", "dc.creator", "byl"),
    "tags": ("article:tag", "parsely-tags", "sailthru.tags", "news_keywords", "keywords"),
    "url": ("og:url", "parsely-link"),
    "language": ("og:locale", "content-language", "dc.language", "language"),
    "site": ("og:site_name", "application-name"),
    "image": ("og:image", "og:image:url", "twitter:image"),
}
_KEY_TO_FIELD = {key: field for field, keys in _META_KEYS.items() for key in keys}


def meta_tags(tree: HtmlElement) -> dict[str, Any]:
    """Candidates from og:/article:/twitter:/parsely/sailthru/Dublin Core meta tags."""
    found: dict[str, list[tuple[int, str]]] = {}
    for meta in _METAS(tree):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv") or ""
        key = key.strip().lower()
        content = meta.get("content")
        field = _KEY_TO_FIELD.get(key)
        if not field or not content or not content.strip():
            continue
        rank = _META_KEYS[field].index(key)
        found.setdefault(field, []).append((rank, clean_space(content)))
    out: dict[str, Any] = {}
    for field, values in found.items():
        values.sort(key=lambda pair: pair[0])
        if field == "tags":
            best_rank = values[0][0]
            tags: list[str] = []
            for rank, value in values:
                if rank == best_rank:
                    tags.extend(t for t in (clean_space(v) for v in value.split(",")) if t and t not in tags)
            out["tags"] = tags
        elif field == "author":
            out["authors"] = [
                v for v in dict.fromkeys(value for rank, value in values if rank == values[0][0])
            ]
        else:
            out[field] = values[0][1]
    for link in _LINKS(tree):
        rel = link.get("rel", "").lower().split()
        if "canonical" in rel and link.get("href") and "canonical" not in out:
            out["canonical"] = link.get("href").strip()
    for node in _ITEMPROP_DATE(tree):
        # microdata: the machine value, else the printed one ("December 7, 2020")
        abbr = node.get("title") if node.tag == "abbr" else None  # microformats' abbr pattern
        value = node.get("content") or node.get("datetime") or abbr or clean_space(node.text_content())[:60]
        if value and "published" not in out:
            out["published"] = value.strip()
    return out
