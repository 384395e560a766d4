"""Datasette plugin that makes the archive pleasant to read and safe to open.

Everything shown here was scraped from somebody else's web site, so every value is
escaped before it reaches the page: a ``<script>`` in a title or caption must show as
text, and an image URL is only turned into an ``<img>`` when it is plain http(s) -- a
``javascript:`` or ``data:`` URL stays visible as text so a reader can see what the
outlet served without the browser acting on it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from datasette import hookimpl
from datasette.utils import escape_fts, tilde_decode
from markupsafe import Markup

from storage.serve_guard import image_display_refusal, limit_connection
from storage.textnorm import fold

# Query/table columns whose value is an image address worth previewing.
IMAGE_COLUMNS = frozenset({"image_url", "thumbnail"})
THUMBNAIL_MAX_HEIGHT_PX = 120

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")


def is_http_url(value: object) -> bool:
    """True only for absolute http(s) URLs with a host.

    ``urlsplit`` drops the tabs and newlines browsers ignore too, so a disguised
    ``java\\tscript:`` is judged by the scheme the browser would really use.
    """
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _row_value(row: Any, key: str) -> Any:
    """A column of a sqlite3.Row (or dict), or None when the query did not select it."""
    try:
        return row[key]
    except (IndexError, KeyError, TypeError):
        return None


def render_thumbnail(
    url: str, caption: str | None = None, alt: str | None = None, max_height: int = THUMBNAIL_MAX_HEIGHT_PX
) -> Markup:
    """An escaped, lazily loaded thumbnail with its caption under it (http(s) only).

    An address the reader's browser must not be sent to (``image_display_refusal``: not
    http(s), loopback, private, or this server itself) is shown as text with the reason.
    """
    refusal = "not an http(s) URL" if not is_http_url(url) else image_display_refusal(url)
    if refusal:
        return Markup('<span class="nc-unsafe-url" title="{}, not loaded">{}</span>').format(refusal, url)
    clean = url.strip()
    label = caption or alt or ""
    figcaption = (
        Markup('<figcaption style="font-size:0.85em">{}</figcaption>').format(caption) if caption else ""
    )
    return Markup(
        '<figure class="nc-thumb" style="margin:0">'
        '<a href="{url}" rel="noopener noreferrer nofollow">'
        '<img src="{url}" alt="{alt}" loading="lazy" referrerpolicy="no-referrer" '
        'style="max-height:{h}px;max-width:{w}px;display:block"></a>'
        "{figcaption}</figure>"
    ).format(url=clean, alt=label, h=max_height, w=max_height * 2, figcaption=figcaption)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def _paragraph(text: str) -> Markup:
    return Markup('<p style="margin:0 0 0.6em 0">{}</p>').format(text)


def render_article_text(text: str) -> Markup:
    """Article body as escaped paragraphs, one per stored line."""
    body = Markup("").join(_paragraph(p) for p in _paragraphs(text))
    return Markup('<div class="nc-article-text">{}</div>').format(body)


def render_article_body(text: str, images: list[dict[str, Any]]) -> Markup:
    """The article as a reader saw it: paragraphs with each image back in its place.

    An image's ``position`` is the paragraph it follows (0 = before the first);
    images pointing past the end go last.
    """
    paragraphs = _paragraphs(text or "")
    placed: dict[int, list[Markup]] = {}
    for image in images:
        position = image.get("position")
        slot = position if isinstance(position, int) and 0 <= position <= len(paragraphs) else len(paragraphs)
        picture = render_thumbnail(image["url"], image.get("caption"), image.get("alt"), max_height=360)
        placed.setdefault(slot, []).append(Markup('<div style="margin:0 0 1em 0">{}</div>').format(picture))
    parts: list[Markup] = []
    for index in range(len(paragraphs) + 1):
        parts.extend(placed.get(index, []))
        if index < len(paragraphs):
            parts.append(_paragraph(paragraphs[index]))
    return Markup('<div class="nc-article-body">{}</div>').format(Markup("").join(parts))


def fts_query(query: str | None) -> str:
    """A user's words as a safe FTS5 query over the folded (accent-free) columns.

    Folding the query exactly as the archive folded the text means a query typed
    with, without or with wrong accents finds the same rows; every word is quoted
    so operators, quotes and hyphens never raise a syntax error. An empty query
    becomes the empty phrase, which matches nothing instead of failing.
    """
    return escape_fts(fold(query or "")) or '""'


@hookimpl
def prepare_connection(conn: Any) -> None:
    """SQL functions for canned queries (newscrawl_fold, newscrawl_fts_query), and limits on what
    a query may allocate (the time limit alone lets one query take gigabytes first)."""
    limit_connection(conn)
    conn.create_function("newscrawl_fold", 1, fold, deterministic=True)
    conn.create_function("newscrawl_fts_query", 1, fts_query, deterministic=True)


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Markup | None:
    """Thumbnails for image URLs and readable article text; None leaves Datasette's escaping."""
    if not isinstance(value, str) or not value:
        return None
    if (table == "images" and column == "url") or column in IMAGE_COLUMNS:
        return render_thumbnail(value, _row_value(row, "caption"), _row_value(row, "alt"))
    if table == "articles" and column == "text":
        return render_article_text(value)
    return None


@hookimpl
def extra_template_vars(
    view_name: str, table: str | None, database: str | None, request: Any, datasette: Any
):
    """On an article's row page, its body with images in place (see row-news-articles.html)."""
    if view_name != "row" or table != "articles" or request is None or "pks" not in request.url_vars:
        return {}

    async def article_body() -> dict[str, Markup]:
        db = datasette.get_database(database)
        article_id = tilde_decode(request.url_vars["pks"])
        texts = (await db.execute("select text from articles where id = ?", [article_id])).rows
        if not texts:
            return {}
        images = await db.execute(
            "select url, caption, alt, position from images where article_id = ? order by position, id",
            [article_id],
        )
        return {"nc_article_body": render_article_body(texts[0][0], [dict(row) for row in images.rows])}

    return article_body
