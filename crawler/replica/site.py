"""ReplicaSite: the whole outlet as one request -> response function with a virtual clock.

Keeping the site independent of sockets lets benchmarks call it in-process while the
server stays a thin wrapper; everything time-dependent reads the virtual clock, so a
test can move time forward and watch new articles and a revision appear.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from crawler.replica import discovery, media
from crawler.replica.model import SECTION_NAMES, SECTION_SLUGS, START, Catalogue, Doc, Entry
from crawler.replica.render import Renderer

PER_PAGE = 10
ARTICLE_RE = re.compile(r"^/([a-z]+)/articles/(\d+)(?:/([^/]*))?/?$")
AMP_RE = re.compile(r"^/amp/([a-z]+)/articles/(\d+)/([^/]*)$")
INTERNAL_RE = re.compile(r"^/internal/articles/(\d+)(?:/[^/]*)?$")
CONTENT_TYPES = {"utf-8": "text/html; charset=utf-8", "windows-1253": "text/html; charset=windows-1253"}
# Faults that are not articles: (kind, id, section, expect).
PURE_FAULTS = [
    ("404", 700101, "politiki", "error"),
    ("redirect-chain", 700102, "trapezes", "article"),
    ("redirect-loop", 700103, "agores", "error"),
    ("truncated", 700104, "oikonomia", "error"),
    ("empty", 700105, "diethni", "error"),
    ("binary", 700106, "agores", "error"),
    ("slow", 700107, "trapezes", "error"),
]
INTERNAL_IDS = (600201, 600202, 600203)
CSS = (
    "body{font-family:Arial,sans-serif;margin:0;color:#222}.container{max-width:1180px;margin:0 auto}"
    ".row{display:flex;gap:24px}.col-main{flex:1}.col-side{width:300px}.site-top{background:#0b2f5b;color:#fff}"
    ".breaking-ticker{background:#c00;color:#fff;padding:4px}.headline{font-size:32px}"
    ".list-item{display:flex;gap:12px;margin:12px 0}figure{margin:16px 0}img{max-width:100%}"
)


@dataclass
class Response:
    """An HTTP answer as plain data; the server writes it out unchanged."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


class ReplicaSite:
    """A deterministic bankingnews.gr-style outlet.

    ``size`` regular articles are visible when the clock starts (2026-01-05 15:00
    Europe/Athens); 12 more appear every 15 virtual minutes and one article is revised
    at +45 minutes. Fault counters ("500 on the first request") belong to this instance.
    """

    def __init__(self, size: int = 72, seed: int = 1, slow_seconds: float = 10.0) -> None:
        self.catalogue = Catalogue(size, seed)
        self.size = size
        self.seed = seed
        self.slow_seconds = slow_seconds
        self.renderer = Renderer(self.catalogue)
        self.requests: list[dict[str, Any]] = []
        self._offset = 0
        self._lock = threading.Lock()
        self._seen: dict[str, int] = {}
        self._closing = threading.Event()
        self._pure = {
            fid: (
                kind,
                Entry(id=fid, section=section, published=START - timedelta(hours=3, minutes=fid % 100)),
                expect,
            )
            for kind, fid, section, expect in PURE_FAULTS
        }
        self._internal = {
            iid: Entry(id=iid, section="oikonomia", published=START - timedelta(hours=1, minutes=iid % 100))
            for iid in INTERNAL_IDS
        }

    # --- clock ---------------------------------------------------------------------------

    def now(self) -> datetime:
        return START + timedelta(minutes=self._offset)

    def advance(self, minutes: int) -> None:
        if minutes < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += int(minutes)

    def close(self) -> None:
        """Wake up any slow response still sleeping, so a server can shut down promptly."""
        self._closing.set()

    # --- public data ---------------------------------------------------------------------

    def article_ids(self) -> list[int]:
        """Ids of the articles visible at the current clock, newest first."""
        return [e.id for e in self.catalogue.visible(self.now())]

    def entry(self, article_id: int) -> Entry:
        return self.catalogue.by_id[article_id]

    def path(self, article_id: int) -> str:
        return self.catalogue.path(self.catalogue.by_id[article_id])

    def ground_truth(self) -> list[dict[str, Any]]:
        """Every article page a correct crawl must have stored at the current clock, newest first."""
        now = self.now()
        return [self._truth(self.catalogue.doc(e, now)) for e in self.catalogue.visible(now)]

    def _truth(self, doc: Doc) -> dict[str, Any]:
        e = doc.entry
        return {
            "id": e.id,
            "path": doc.path,
            "section_slug": e.section,
            "section": e.section_name,
            "kind": e.kind,
            "title": doc.title,
            "lede": doc.lede,
            "authors": list(doc.authors),
            "published_at": e.published.isoformat(timespec="seconds"),
            "modified_at": doc.modified.isoformat(timespec="seconds") if doc.modified else None,
            "tags": list(doc.tags),
            "paragraphs": [p.text for p in doc.paragraphs],
            "images": [
                {"url": i.path, "caption": i.caption, "alt": i.alt, "position": i.position}
                for i in doc.images
            ],
            "charset": e.charset,
            "has_jsonld": e.markup == "full",
            "amp_path": self.catalogue.amp_path(e),
            "fault": e.fault,
        }

    def faults(self) -> list[dict[str, Any]]:
        """The fault URLs a crawler meets, with what a correct crawler ends up with."""
        cat = self.catalogue
        out: list[dict[str, Any]] = []
        for kind, entry, expect in self._pure.values():
            item: dict[str, Any] = {"kind": kind, "url": cat.path(entry), "expect": expect}
            if kind == "redirect-chain":
                item["target"] = cat.path(cat.redirect_target)
            out.append(item)
        out += [
            {"kind": e.fault, "url": cat.path(e), "expect": "article", "id": e.id}
            for e in cat.regular_newest_first
            if e.fault
        ]
        return out

    def render_article(self, article_id: int, charset: str = "utf-8", base_url: str = "") -> bytes:
        """The article page as served (links made absolute with ``base_url``), encoded in ``charset``."""
        entry = self.catalogue.by_id[article_id]
        return self._article_bytes(entry, charset, base_url)

    def _article_bytes(self, entry: Entry, charset: str, base: str) -> bytes:
        doc = self.catalogue.doc(entry, self.now())
        page = self.renderer.article(doc, base, charset)
        return page.encode(charset, "xmlcharrefreplace")

    # --- HTTP ----------------------------------------------------------------------------

    def handle(
        self,
        method: str,
        path_with_query: str,
        headers: dict[str, str] | None = None,
        client_is_loopback: bool = True,
    ) -> Response:
        """Answer one request. Control endpoints under /__replica__/ are not logged."""
        hdrs = {k.lower(): v for k, v in (headers or {}).items()}
        method = method.upper()
        split = urlsplit(path_with_query)
        path = split.path or "/"
        query = parse_qs(split.query)
        base = "http://" + hdrs.get("host", "127.0.0.1")
        if path.startswith("/__replica__/"):
            if not client_is_loopback:
                return self._json({"error": "control endpoints answer loopback clients only"}, 403)
            return self._control(method, path, query)
        try:
            response = self._route(method, path, query, hdrs, base)
        except Exception as exc:  # a replica bug must show up as a 500 with a reason, not a dead thread
            response = self._page(500, self.renderer.error(500, f"replica error: {exc!r}"))
        if method == "HEAD":
            response = replace(response, body=b"")
        with self._lock:
            self.requests.append(
                {
                    "method": method,
                    "path": path_with_query,
                    "status": response.status,
                    "time": time.time(),
                    "clock": self.now().isoformat(timespec="seconds"),
                    "headers": dict(headers or {}),
                }
            )
        return response

    def _control(self, method: str, path: str, query: dict[str, list[str]]) -> Response:
        name = path[len("/__replica__/") :].strip("/")
        if name == "advance":
            if method != "POST":
                return self._json({"error": "use POST /__replica__/advance?minutes=N"}, 405)
            raw = (query.get("minutes") or [""])[0]
            try:
                self.advance(int(raw))
            except ValueError:
                return self._json({"error": f"minutes must be a non-negative integer, got {raw!r}"}, 400)
            return self._json(self._clock())
        views = {
            "clock": self._clock,
            "requests": lambda: list(self.requests),
            "truth": self.ground_truth,
            "faults": self.faults,
        }
        if name not in views:
            return self._json({"error": f"unknown control endpoint {name!r}", "known": sorted(views)}, 404)
        return self._json(views[name]())

    def _clock(self) -> dict[str, Any]:
        return {"now": self.now().isoformat(timespec="seconds"), "offset_minutes": self._offset}

    def _first_time(self, key: str) -> bool:
        with self._lock:
            count = self._seen.get(key, 0)
            self._seen[key] = count + 1
        return count == 0

    def _route(
        self, method: str, path: str, query: dict[str, list[str]], hdrs: dict[str, str], base: str
    ) -> Response:
        if method not in ("GET", "HEAD"):
            return self._page(
                405, self.renderer.error(405, "Η μέθοδος δεν υποστηρίζεται."), [("Allow", "GET, HEAD")]
            )
        now = self.now()
        cat = self.catalogue
        if path == "/":
            internal = [(self._internal_path(e), cat.base_title(e)) for e in self._internal.values()]
            return self._page(200, self.renderer.home(cat.visible(now), internal, now))
        if path == "/robots.txt":
            return self._raw(200, discovery.robots(base).encode(), "text/plain; charset=utf-8")
        if path == "/sitemap.xml":
            return self._xml(discovery.sitemap_index(base, now))
        if path == "/sitemap-news.xml":
            return self._xml(discovery.news_sitemap(cat, base, now))
        if path == "/sitemap-articles.xml":
            extra = [(cat.path(e), e.published) for _, e, _ in self._pure.values()]
            return self._xml(discovery.articles_sitemap(cat, base, now, extra))
        if path in ("/rss", "/rss.xml", "/feed"):
            return self._raw(
                200, discovery.rss(cat, base, now).encode(), "application/rss+xml; charset=utf-8"
            )
        if path.startswith("/media/"):
            # a real picture per path, so archived thumbnails can be told apart
            kind = "image/png" if path.endswith(".png") else "image/jpeg"
            return self._raw(200, media.picture(path), kind, cache=True)
        if path in ("/static/logo.png", "/favicon.ico"):
            return self._raw(200, media.png(), "image/png", cache=True)
        if path == "/pixel.gif":
            return self._raw(200, media.GIF_PIXEL, "image/gif")
        if path == "/static/site.css":
            return self._raw(200, CSS.encode(), "text/css; charset=utf-8", cache=True)
        if path in ("/static/app.js", "/static/ads.js"):
            return self._raw(200, b"/* replica */\n", "application/javascript", cache=True)
        if path in ("/oroi-xrisis", "/epikoinonia"):
            return self._page(200, self.renderer.error(200, "Σελίδα πληροφοριών του BankingNews."))
        if match := INTERNAL_RE.match(path):
            entry = self._internal.get(int(match.group(1)))
            if entry:
                return self._raw(200, self._article_bytes(entry, "utf-8", base), CONTENT_TYPES["utf-8"])
            return self._not_found()
        if match := ARTICLE_RE.match(path):
            return self._article(match, hdrs, base, now)
        if match := AMP_RE.match(path):
            entry = cat.by_id.get(int(match.group(2)))
            if entry and entry.amp and entry.published <= now:
                return self._page(200, self.renderer.amp(cat.doc(entry, now), base))
            return self._not_found()
        if path.startswith("/go/") or path.startswith("/loop/"):
            return self._redirect_hop(path, query, base)
        if path.startswith("/tag/"):
            tag = unquote(path[len("/tag/") :])
            visible = cat.visible(now)
            tagged = [e for e in visible[:400] if tag in cat.tags(e)][:20]
            if not tagged:
                return self._not_found()
            return self._page(200, self.renderer.tag(tag, tagged, visible[:5]))
        slug = path.strip("/")
        if slug in SECTION_NAMES:
            return self._section(slug, query, now)
        return self._not_found()

    def _section(self, slug: str, query: dict[str, list[str]], now: datetime) -> Response:
        raw = (query.get("page") or ["1"])[0]
        if not raw.isdigit() or int(raw) < 1:
            return self._not_found(f"Μη έγκυρη σελίδα: {raw}")
        page = int(raw)
        visible = self.catalogue.visible(now)
        entries = [e for e in visible if e.section == slug]
        pages = max(1, -(-len(entries) // PER_PAGE))
        if page > pages:
            return self._not_found()
        extra: list[tuple[str, str]] = []
        if slug == "agores" and page == 1:
            cat = self.catalogue
            extra = [(cat.path(e), cat.base_title(e)) for _, e, _ in self._pure.values()]
        chunk = entries[(page - 1) * PER_PAGE : page * PER_PAGE]
        return self._page(200, self.renderer.section(slug, chunk, page, pages, visible[:5], extra))

    def _article(self, match: re.Match[str], hdrs: dict[str, str], base: str, now: datetime) -> Response:
        cat = self.catalogue
        article_id = int(match.group(2))
        if article_id in self._pure:
            return self._fault(article_id, base)
        entry = cat.by_id.get(article_id)
        if entry is None or entry.published > now:
            return self._not_found()
        canonical = cat.path(entry)
        if match.group(0) != canonical:
            return self._redirect(301, base + canonical)
        if entry.fault == "500-once" and self._first_time(f"500:{entry.id}"):
            return self._page(500, self.renderer.error(500, "Προσωρινό σφάλμα διακομιστή."))
        if entry.fault == "429-once" and self._first_time(f"429:{entry.id}"):
            return self._page(429, self.renderer.error(429, "Πάρα πολλά αιτήματα."), [("Retry-After", "1")])
        body = self._article_bytes(entry, entry.charset, base)
        modified = cat.modified(entry, now) or entry.published
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        validators = [("ETag", etag), ("Last-Modified", http_date(modified))]
        if self._not_modified(hdrs, etag, modified):
            return Response(304, [*self._base_headers(), *validators], b"")
        content_type = CONTENT_TYPES.get(entry.charset, "text/html")
        return self._raw(
            200, body, content_type, extra=[*validators, ("Cache-Control", "public, max-age=300")]
        )

    @staticmethod
    def _not_modified(hdrs: dict[str, str], etag: str, modified: datetime) -> bool:
        if "if-none-match" in hdrs:
            tags = [t.strip().removeprefix("W/") for t in hdrs["if-none-match"].split(",")]
            return etag in tags or "*" in tags
        if "if-modified-since" in hdrs:
            try:
                since = parsedate_to_datetime(hdrs["if-modified-since"])
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return modified.replace(microsecond=0) <= since
        return False

    def _fault(self, fid: int, base: str) -> Response:
        kind, entry, _ = self._pure[fid]
        if kind == "404":
            return self._not_found()
        if kind == "redirect-chain":
            return self._redirect(301, f"{base}/go/{fid}?hop=2")
        if kind == "redirect-loop":
            return self._redirect(302, f"{base}/loop/{fid}")
        page = self._article_bytes(entry, "utf-8", base)
        if kind == "truncated":
            cut = page.index(b'<div class="breaking-ticker"') + 20
            return self._raw(200, page[:cut], CONTENT_TYPES["utf-8"])
        if kind == "empty":
            return self._raw(200, b"", CONTENT_TYPES["utf-8"])
        if kind == "binary":
            return self._raw(200, media.png(320, 200, (200, 40, 40)), CONTENT_TYPES["utf-8"])
        self._closing.wait(self.slow_seconds)  # kind == "slow"
        return self._raw(200, page, CONTENT_TYPES["utf-8"])

    def _redirect_hop(self, path: str, query: dict[str, list[str]], base: str) -> Response:
        parts = path.strip("/").split("/")
        if len(parts) != 2 or not parts[1].isdigit() or int(parts[1]) not in self._pure:
            return self._not_found()
        kind, entry, _ = self._pure[int(parts[1])]
        if parts[0] == "loop" and kind == "redirect-loop":
            return self._redirect(302, base + self.catalogue.path(entry))
        if parts[0] == "go" and kind == "redirect-chain":
            hop = (query.get("hop") or ["2"])[0]
            if hop == "2":
                return self._redirect(302, f"{base}/go/{entry.id}?hop=3")
            return self._redirect(301, base + self.catalogue.path(self.catalogue.redirect_target))
        return self._not_found()

    def _internal_path(self, entry: Entry) -> str:
        return f"/internal/articles/{entry.id}/{self.catalogue.slug(entry)}"

    # --- response helpers ----------------------------------------------------------------

    def _base_headers(self) -> list[tuple[str, str]]:
        return [("Date", http_date(self.now())), ("Server", "replica-nginx")]

    def _raw(
        self,
        status: int,
        body: bytes,
        content_type: str,
        extra: list[tuple[str, str]] | None = None,
        cache: bool = False,
    ) -> Response:
        headers = [*self._base_headers(), ("Content-Type", content_type), ("Content-Length", str(len(body)))]
        if cache:
            headers.append(("Cache-Control", "public, max-age=86400"))
        return Response(status, headers + (extra or []), body)

    def _page(self, status: int, html: str, extra: list[tuple[str, str]] | None = None) -> Response:
        return self._raw(status, html.encode("utf-8"), CONTENT_TYPES["utf-8"], extra)

    def _xml(self, xml: str) -> Response:
        return self._raw(200, xml.encode("utf-8"), "application/xml; charset=utf-8")

    def _json(self, data: Any, status: int = 200) -> Response:
        body = json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
        return self._raw(status, body, "application/json; charset=utf-8")

    def _redirect(self, status: int, location: str) -> Response:
        return self._raw(status, b"", "text/html; charset=utf-8", [("Location", location)])

    def _not_found(self, message: str = "Η σελίδα που ζητήσατε δεν βρέθηκε.") -> Response:
        return self._page(404, self.renderer.error(404, message))


__all__ = ["ReplicaSite", "Response", "SECTION_SLUGS"]
