"""The one rule for what an extracted page may enter the archive as, and under which key.

The crawl (``crawler.pipelines``), ``newscrawl fetch --save`` and ``newscrawl reextract`` all
decide here, so a page one of them refuses is refused by the others for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from crawler.outlet import Outlet
from crawler.settings import NEWSCRAWL_MIN_WORDS
from crawler.urls import canonical_url
from storage.clock import parse_iso
from storage.records import Article


@dataclass(frozen=True)
class Refusal:
    """Why a page is not archived. ``too_old`` (``--since``) is a skip, not an error."""

    reason: str
    too_old: bool = False


def admit(
    article: Article,
    *,
    outlet: Outlet | None,
    requested_url: str,
    final_url: str,
    since: datetime | None = None,
    min_words: int = NEWSCRAWL_MIN_WORDS,
    rekey: bool = True,
) -> Refusal | None:
    """Why ``article`` (asked for as ``requested_url``, served from ``final_url``) must not be stored.

    Too few words means a cookie banner or an error page; a redirect from an article to a page
    that is not one (a removed article sent to the home page) is not a new version of it. When
    accepted, the article gets its outlet and (with ``rekey``) its archive key in place;
    ``canonical_url`` stays what the page declared.
    """
    if article.word_count < min_words:
        return Refusal("no article text found on the page")
    published = parse_iso(article.published_at)
    if since is not None and published is not None and published < since:
        return Refusal("published before --since", too_old=True)
    final = canonical_url(final_url)
    if outlet is not None and final != canonical_url(requested_url) and not outlet.is_article(final):
        return Refusal(f"redirected to a page that is not an article: {final_url}")
    if rekey:
        article.url = archive_key(article, outlet=outlet, requested_url=requested_url, final_url=final_url)
    if outlet is not None:
        article.outlet = outlet.name
    return None


def archive_key(article: Article, *, outlet: Outlet | None, requested_url: str, final_url: str) -> str:
    """The URL an article is archived under.

    The page's declared canonical link wins only when it is an article of the same outlet (or,
    for a page of no known outlet, on the same origin); then the URL it was served from, if that
    is an article; else the URL that was asked for.
    """
    declared = article.canonical_url
    if outlet is None:  # no outlet to vouch for it: the declared link counts only on the page's own origin
        same_origin = declared and urlsplit(declared)[:2] == urlsplit(final_url)[:2]
        return canonical_url(declared if same_origin else final_url)
    if declared and outlet.is_article(declared):
        return canonical_url(declared)
    return canonical_url(final_url) if outlet.is_article(final_url) else canonical_url(requested_url)


def page_encoding(article: Article, body: bytes, headers: dict | None) -> str | None:
    """The charset the page was decoded with: the extractor's, else the same decoding step again."""
    if getattr(article, "encoding", None):
        return article.encoding
    from crawler.extraction import ExtractionError
    from crawler.extraction.decoding import decode_html

    try:
        return decode_html(body, headers)[1]
    except ExtractionError:
        return None
