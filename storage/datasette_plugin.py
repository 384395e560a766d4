"""Datasette plugin that makes the archive pleasant to read and safe to open.

Everything shown here was scraped from somebody else's web site, so every value is
escaped before it reaches the page: a ``<script>`` in a title or caption must show as
text, and an image URL is only turned into an ``<img>`` when it is plain http(s) -- a
``javascript:`` or ``data:`` URL stays visible as text so a reader can see what the
outlet served without the browser acting on it.
"""

from __future__ import annotations

import contextvars
import json
import re
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette.utils.asgi import Response
from markupsafe import Markup

from storage.search import make_snippet, match_expression, parse_query, query_problem
from storage.serve_guard import image_display_refusal, limit_connection
from storage.textnorm import fold, fold_with_offsets

# Query/table columns whose value is an image address worth previewing.
IMAGE_COLUMNS = frozenset({"image_url", "thumbnail"})
THUMBNAIL_MAX_HEIGHT_PX = 120

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")
DATABASE = "news"
#: The columns the articles table opens on (a reader's view; ?_col= or "Edit columns" shows more).
READING_COLUMNS = ("title", "outlet", "section", "published_at", "authors", "tags")
#: Thumbnails and originals kept in the archive are served at these paths.
THUMB_ROUTE = "/-/thumb/"
ORIGINAL_ROUTE = "/-/original/"
_HASH = re.compile(r"[0-9a-f]{64}")
#: Only raster formats a browser cannot run code in are served from the archive.
SERVABLE_MIME_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
_IMAGE_HEADERS = {
    "Cache-Control": "public, max-age=31536000, immutable",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'",
}
# The query string of the request being rendered, so cells can highlight the search in it.
_REQUEST_ARGS: contextvars.ContextVar[dict[str, str]] = contextvars.ContextVar(
    "nc_request_args", default=None
)


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
    url: str,
    caption: str | None = None,
    alt: str | None = None,
    max_height: int = THUMBNAIL_MAX_HEIGHT_PX,
    stored: str | None = None,
) -> Markup:
    """An escaped, lazily loaded thumbnail with its caption under it, linking to the original.

    ``stored`` is the content hash of the copy kept in the archive: the picture is then
    served by this Datasette (it works offline and after the outlet deleted it). An image
    the archive does not hold is loaded from its original address only when the reader's
    browser may be sent there (``image_display_refusal``: not http(s), loopback, private, or
    this server itself are shown as text with the reason).
    """
    refusal = "not an http(s) URL" if not is_http_url(url) else image_display_refusal(url)
    if stored is not None and _HASH.fullmatch(stored):
        # the picture comes from the archive; the link to the original is the reader's to follow
        return _figure(
            url.strip() if is_http_url(url) else None, THUMB_ROUTE + stored, caption, alt, max_height
        )
    if refusal:
        return Markup('<span class="nc-unsafe-url" title="{}, not loaded">{}</span>').format(refusal, url)
    return _figure(url.strip(), url.strip(), caption, alt, max_height)


def _figure(link: str | None, src: str, caption: str | None, alt: str | None, max_height: int) -> Markup:
    clean = src
    label = caption or alt or ""
    figcaption = (
        Markup('<figcaption style="font-size:0.85em">{}</figcaption>').format(caption) if caption else ""
    )
    img = Markup(
        '<img src="{src}" alt="{alt}" loading="lazy" referrerpolicy="no-referrer" '
        'style="max-height:{h}px;max-width:{w}px;display:block">'
    ).format(src=clean, alt=label, h=max_height, w=max_height * 2)
    if link:
        img = Markup('<a href="{link}" rel="noopener noreferrer nofollow" title="{link}">{img}</a>').format(
            link=link, img=img
        )
    return Markup('<figure class="nc-thumb" style="margin:0">{img}{figcaption}</figure>').format(
        img=img, figcaption=figcaption
    )


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
        picture = render_thumbnail(
            image["url"], image.get("caption"), image.get("alt"), max_height=360, stored=image.get("hash")
        )
        placed.setdefault(slot, []).append(Markup('<div style="margin:0 0 1em 0">{}</div>').format(picture))
    parts: list[Markup] = []
    for index in range(len(paragraphs) + 1):
        parts.extend(placed.get(index, []))
        if index < len(paragraphs):
            parts.append(_paragraph(paragraphs[index]))
    return Markup('<div class="nc-article-body">{}</div>').format(Markup("").join(parts))


def fts_query(query: str | None) -> str:
    """A user's search as a safe FTS5 query over the folded (accent-free) columns.

    The syntax of ``newscrawl search`` (words ANDed, "phrases", OR, -word); every word is
    a quoted FTS5 string, so no input is a syntax error. A query with nothing to look for
    becomes the empty phrase, which matches nothing instead of failing.
    """
    return match_expression(query or "") or '""'


def plain_snippet(text: str | None, lede: str | None, title: str | None, query: str | None) -> str:
    """A window of the original (accented) text around the query words, without markers."""
    return make_snippet([text, lede, title], parse_query(query or ""), marks=("", ""))


def highlight(text: str | None, query: str | None) -> Markup:
    """``text`` escaped, with the words of ``query`` (matched without accents or case) in <mark>."""
    text = text or ""
    phrases = parse_query(query or "")
    words = sorted({w for words, _ in phrases for w in words}, key=len, reverse=True)
    if not words or not text:
        return Markup("{}").format(text)
    prefixes = {w for words, prefix in phrases if prefix for w in words[-1:]}
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) + (r"\w*" if w in prefixes else r"(?!\w)") for w in words) + ")"
    )
    folded, offsets = fold_with_offsets(text)
    parts, cursor = [], 0
    for match in pattern.finditer(folded):
        if match.end() <= match.start():
            continue
        start, end = offsets[match.start()], offsets[match.end() - 1] + 1
        if start < cursor:
            continue
        parts.append(Markup("{}<mark>{}</mark>").format(text[cursor:start], text[start:end]))
        cursor = end
    parts.append(Markup("{}").format(text[cursor:]))
    return Markup("").join(parts)


@cache
def _outlet_zone(outlet: str | None) -> ZoneInfo | None:
    """The time zone an outlet declares (None: unknown outlet, or none declared)."""
    if not outlet:
        return None
    try:
        from crawler.outlet import get_outlet

        zone = get_outlet(outlet).timezone
    except Exception:  # an outlet file that is gone or broken: times stay in UTC
        return None
    try:
        return ZoneInfo(zone) if zone else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_time(value: str, outlet: str | None) -> Markup:
    """A stored UTC time shown in the outlet's time zone (UTC when it has none); a date stays a date."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return Markup("{}").format(value)
    if len(value) <= 10 or moment.tzinfo is None:
        return Markup("{}").format(value)
    zone = _outlet_zone(outlet)
    shown = moment.astimezone(zone) if zone else moment
    return Markup('<time datetime="{iso}" title="{iso} (UTC)">{text}</time>').format(
        iso=value, text=shown.strftime("%Y-%m-%d %H:%M ") + (shown.tzname() or "UTC")
    )


def render_list(value: str) -> Markup | None:
    """A stored JSON list (tags, authors) as a readable, escaped list; None if it is not one."""
    try:
        items = json.loads(value)
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    if not items:
        return Markup("")
    return Markup('<ul class="nc-list" style="margin:0;padding-left:1.1em">{}</ul>').format(
        Markup("").join(Markup("<li>{}</li>").format(str(item)) for item in items)
    )


@hookimpl(trylast=True)
def prepare_connection(conn: Any) -> None:
    """SQL functions: newscrawl_fold, newscrawl_fts_query, newscrawl_snippet, and Datasette's
    escape_fts replaced by our query syntax; and limits on what a query may allocate (the time
    limit alone lets one query take gigabytes first).

    Datasette runs a table's ``?_search=`` as ``MATCH escape_fts(:search)``; registered last,
    ours takes its place, so the search box reads "phrases", OR and -word like the CLI and no
    input (a lone ``"``) is an FTS5 syntax error.
    """
    limit_connection(conn)
    conn.create_function("newscrawl_fold", 1, fold, deterministic=True)
    conn.create_function("newscrawl_fts_query", 1, fts_query, deterministic=True)
    conn.create_function("newscrawl_snippet", 4, plain_snippet, deterministic=True)
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)


async def _stored_hashes(datasette: Any, database: str, urls: list[str]) -> dict[str, str]:
    """Content hashes of the images the archive holds, by their original URL."""
    if not urls:
        return {}
    db = datasette.get_database(database)
    try:
        marks = ", ".join("?" for _ in urls)
        rows = await db.execute(f"select url, hash from image_urls where url in ({marks})", urls)
    except Exception:  # an archive from before images were kept
        return {}
    return {row[0]: row[1] for row in rows.rows}


async def _first_picture(datasette: Any, database: str, article_id: Any) -> Markup | None:
    db = datasette.get_database(database)
    try:
        rows = await db.execute(
            "select images.url, images.caption, images.alt, image_urls.hash from images "
            "join image_urls on image_urls.url = images.url where images.article_id = ? "
            "order by images.position, images.id limit 1",
            [article_id],
        )
    except Exception:
        return None
    if not rows.rows:
        return None
    url, _, alt, stored = rows.rows[0]
    return render_thumbnail(url, None, alt, max_height=64, stored=stored)


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    """Thumbnails, readable times, lists and highlighted snippets; None leaves Datasette's escaping."""
    if table == "image_files" and column == "thumbnail" and _row_value(row, "hash"):
        return render_thumbnail(_row_value(row, "url") or "", stored=_row_value(row, "hash"))
    if not isinstance(value, str) or not value:
        return None
    if (table == "images" and column == "url") or column in IMAGE_COLUMNS:

        async def archived_thumbnail() -> Markup:
            stored = (await _stored_hashes(datasette, database, [value])).get(value)
            return render_thumbnail(value, _row_value(row, "caption"), _row_value(row, "alt"), stored=stored)

        return archived_thumbnail
    if column == "snippet" and table is None:
        return Markup('<span class="nc-snippet">{}</span>').format(
            highlight(value, (_REQUEST_ARGS.get() or {}).get("q"))
        )
    if table == "articles":
        if column == "text":
            return render_article_text(value)
        if column in ("tags", "authors"):
            return render_list(value)
        if column in ("published_at", "modified_at"):
            return local_time(value, _row_value(row, "outlet"))
        if column == "title" and _row_value(row, "id") is not None:
            return _title_cell(row, value, database, datasette)
    return None


def _title_cell(row: Any, title: str, database: str, datasette: Any):
    """The headline with the article's first picture and, during a search, a highlighted snippet."""
    query = (_REQUEST_ARGS.get() or {}).get("_search")

    async def cell() -> Markup:
        picture = await _first_picture(datasette, database, _row_value(row, "id"))
        snippet = Markup("")
        if query and match_expression(query):
            db = datasette.get_database(database)
            found = await db.execute("select text, lede from articles where id = ?", [_row_value(row, "id")])
            if found.rows:
                text, lede = found.rows[0]
                snippet = Markup(
                    '<div class="nc-snippet" style="font-size:0.9em;color:#333">{}</div>'
                ).format(highlight(plain_snippet(text, lede, title, query), query))
        return Markup(
            '<div class="nc-title-cell" style="display:flex;gap:0.6em;align-items:flex-start">'
            '{picture}<div><span class="nc-title">{title}</span>{snippet}</div></div>'
        ).format(picture=picture or "", title=title, snippet=snippet)

    return cell


@hookimpl
def register_routes() -> list:
    """The archive's own copies of images: /-/thumb/HASH (JPEG) and /-/original/HASH."""
    return [
        (r"^/-/thumb/(?P<hash>[0-9a-f]{64})$", thumbnail_view),
        (r"^/-/original/(?P<hash>[0-9a-f]{64})$", original_view),
    ]


async def _image_response(datasette: Any, sql: str, key: str) -> Response:
    db = datasette.get_database(DATABASE)
    try:
        rows = (await db.execute(sql, [key])).rows
    except Exception:
        rows = []
    if not rows or rows[0][0] is None:
        return Response.text("no such image in the archive", status=404)
    body, mime = rows[0][0], rows[0][1] if len(rows[0]) > 1 else "image/jpeg"
    if mime not in SERVABLE_MIME_TYPES:
        return Response.text("this image type is not served", status=404)
    return Response(bytes(body), status=200, headers=dict(_IMAGE_HEADERS), content_type=mime)


async def thumbnail_view(datasette: Any, request: Any) -> Response:
    return await _image_response(
        datasette,
        "select thumbnail, 'image/jpeg' from image_files where hash = ?",
        request.url_vars["hash"],
    )


async def original_view(datasette: Any, request: Any) -> Response:
    return await _image_response(
        datasette, "select original, mime_type from image_files where hash = ?", request.url_vars["hash"]
    )


@hookimpl
def asgi_wrapper(datasette: Any):
    """Remember each request's query string for render_cell, and open the articles table on
    the reader's columns (unless the URL picks columns itself)."""
    reading = f"/{DATABASE}/articles"

    def wrap(app):
        async def wrapped(scope, receive, send):
            if scope.get("type") != "http":
                return await app(scope, receive, send)
            raw = scope.get("query_string", b"").decode("latin-1")
            args = dict(parse_qsl(raw, keep_blank_values=True))
            token = _REQUEST_ARGS.set(args)
            try:
                if scope.get("path") == reading and not any(k in args for k in ("_col", "_nocol", "_sql")):
                    extra = urlencode([("_col", c) for c in READING_COLUMNS])
                    scope = dict(
                        scope, query_string=((raw + "&") if raw else "").encode("latin-1") + extra.encode()
                    )
                return await app(scope, receive, send)
            finally:
                _REQUEST_ARGS.reset(token)

        return wrapped

    return wrap


@hookimpl
def extra_template_vars(
    view_name: str, table: str | None, database: str | None, request: Any, datasette: Any
):
    """The article body with images in place (row page) and a search notice (table page)."""
    if view_name == "table" and table == "articles" and request is not None:
        search = request.args.get("_search")
        if search is not None:
            problem = query_problem(search)
            return {"nc_search_notice": f"Nothing searched: {problem}." if problem else None}
        return {}
    if view_name != "row" or table != "articles" or request is None or "pks" not in request.url_vars:
        return {}

    async def article_body() -> dict[str, Any]:
        db = datasette.get_database(database)
        article_id = tilde_decode(request.url_vars["pks"])
        found = (
            await db.execute(
                "select text, authors, tags, published_at, outlet from articles where id = ?", [article_id]
            )
        ).rows
        if not found:
            return {}
        images = await db.execute(
            "select url, caption, alt, position from images where article_id = ? order by position, id",
            [article_id],
        )
        pictures = [dict(row) for row in images.rows]
        stored = await _stored_hashes(datasette, database, [p["url"] for p in pictures])
        for picture in pictures:
            picture["hash"] = stored.get(picture["url"])
        text, authors, tags, published_at, outlet = found[0]
        return {
            "nc_published": local_time(published_at, outlet) if published_at else None,
            "nc_article_body": render_article_body(text, pictures),
            "nc_authors": _json_list(authors),
            "nc_tags": _json_list(tags),
        }

    return article_body


def _json_list(value: str | None) -> list[str]:
    try:
        items = json.loads(value or "[]")
    except ValueError:
        return []
    return [str(item) for item in items] if isinstance(items, list) else []
