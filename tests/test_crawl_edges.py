"""Crawl edge cases real sites produce, served by a tiny local site the test describes page by page."""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.crawl_helpers import query, run_crawl

PARAGRAPH = (
    "<p>Η κυβέρνηση ανακοίνωσε σήμερα νέο πακέτο μέτρων στήριξης για τα νοικοκυριά και τις μικρές "
    "επιχειρήσεις, με στόχο να περιοριστούν οι πιέσεις από το κόστος ενέργειας τους επόμενους μήνες.</p>"
)


def article_page(title: str, canonical: str | None = None) -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<html lang='el'><head><title>{title}</title>{link}</head><body><article><h1>{title}</h1>"
        f"{PARAGRAPH * 4}</article></body></html>"
    )


class TinySite:
    """Serves ``pages`` (path -> (status, headers, body), or a function returning one); records every
    path requested, and when (``times``)."""

    def __init__(self, pages: dict[str, tuple[int, dict, str]]) -> None:
        self.pages = pages
        self.requests: list[str] = []
        self.times: list[tuple[str, float]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                site.requests.append(self.path)
                site.times.append((self.path, time.monotonic()))
                page = site.pages.get(self.path, (404, {}, "not found"))
                status, headers, body = page() if callable(page) else page
                data = body if isinstance(body, bytes) else body.replace("{base}", site.url).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", headers.get("Content-Type", "text/html; charset=utf-8"))
                for key, value in headers.items():
                    self.send_header(key, value.replace("{base}", site.url))
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def tiny():
    sites: list[TinySite] = []

    def make(pages):
        site = TinySite(pages)
        sites.append(site)
        return site

    yield make
    for site in sites:
        site.close()


def sitemap_index(*locs: str) -> tuple[int, dict, str]:
    body = "".join(f"<sitemap><loc>{{base}}{loc}</loc></sitemap>" for loc in locs)
    return (
        200,
        {"Content-Type": "application/xml"},
        f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>',
    )


def urlset(*locs: str) -> tuple[int, dict, str]:
    body = "".join(f"<url><loc>{{base}}{loc}</loc></url>" for loc in locs)
    return (
        200,
        {"Content-Type": "application/xml"},
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>',
    )


def test_sitemap_indexes_that_list_each_other_are_read_once(tiny, tmp_path):
    site = tiny(
        {
            "/robots.txt": (200, {"Content-Type": "text/plain"}, "User-agent: *\nAllow: /\n"),
            "/sitemap.xml": sitemap_index("/sitemap.xml", "/sitemap-2.xml"),
            "/sitemap-2.xml": sitemap_index("/sitemap.xml", "/sitemap-articles.xml"),
            "/sitemap-articles.xml": urlset("/diethni/articles/1/first"),
            "/diethni/articles/1/first": (200, {}, article_page("Πρώτο άρθρο")),
        }
    )
    result = run_crawl(site, tmp_path / "a.db", timeout=60)
    assert result.returncode == 0, result.stderr[-1500:]
    assert site.requests.count("/sitemap.xml") == 1
    assert site.requests.count("/sitemap-2.xml") == 1
    assert query(tmp_path / "a.db", "select title from articles") == [("Πρώτο άρθρο",)]


def test_an_article_redirecting_to_the_home_page_is_an_error_not_a_new_version(tiny, tmp_path):
    home = (
        "<html><body>"
        + "".join(
            f"<h2><a href='/diethni/articles/{i}/x'>Τίτλος {i}</a></h2>{PARAGRAPH}" for i in range(3, 9)
        )
        + "</body></html>"
    )
    site = tiny(
        {
            "/robots.txt": (200, {"Content-Type": "text/plain"}, "User-agent: *\nAllow: /\n"),
            "/sitemap.xml": urlset("/diethni/articles/2/gone"),
            "/diethni/articles/2/gone": (301, {"Location": "{base}/"}, ""),
            "/": (200, {}, home),
        }
    )
    db = tmp_path / "b.db"
    run_crawl(site, db, timeout=60)
    assert query(db, "select count(*) from articles where url like '%/2/gone'")[0][0] == 0
    reasons = [r for (r,) in query(db, "select reason from fetch_errors where url like '%/2/gone'")]
    assert reasons and reasons[0].startswith("redirected to a page that is not an article")


def test_a_foreign_canonical_link_does_not_merge_articles(tiny, tmp_path):
    pages = {"/robots.txt": (200, {"Content-Type": "text/plain"}, "User-agent: *\nAllow: /\n")}
    paths = [f"/oikonomia/articles/{i}/agency-copy-{i}" for i in range(1, 4)]
    pages["/sitemap.xml"] = urlset(*paths)
    for i, path in enumerate(paths, 1):
        pages[path] = (
            200,
            {},
            article_page(f"Άρθρο πρακτορείου {i}", canonical="https://agency.example/home/"),
        )
    site = tiny(pages)
    db = tmp_path / "c.db"
    result = run_crawl(site, db, timeout=60)
    assert result.returncode == 0, result.stderr[-1500:]
    stored = sorted(u.removeprefix(site.url) for (u,) in query(db, "select url from articles"))
    assert stored == sorted(paths)
    assert query(db, "select count(*) from article_versions")[0][0] == 0


ROBOTS = (200, {"Content-Type": "text/plain"}, "User-agent: *\nAllow: /\n")


def gzipped(page: tuple[int, dict, str], url: str, content_type: str) -> tuple[int, dict, bytes]:
    status, _, body = page
    return status, {"Content-Type": content_type}, gzip.compress(body.replace("{base}", url).encode("utf-8"))


@pytest.mark.parametrize("content_type", ["application/x-gzip", "application/octet-stream"])
def test_a_gzipped_sitemap_is_crawled(tiny, tmp_path, content_type):
    pages = {
        "/robots.txt": ROBOTS,
        "/sitemap.xml": sitemap_index("/sitemap-articles.xml.gz"),
        "/diethni/articles/1/first": (200, {}, article_page("Άρθρο από συμπιεσμένο sitemap")),
    }
    site = tiny(pages)
    pages["/sitemap-articles.xml.gz"] = gzipped(urlset("/diethni/articles/1/first"), site.url, content_type)
    db = tmp_path / "gz.db"
    result = run_crawl(site, db, timeout=60)
    assert result.returncode == 0, result.stderr[-1500:]
    assert query(db, "select title from articles") == [("Άρθρο από συμπιεσμένο sitemap",)]


def test_sitemap_lines_in_robots_txt_are_read(tiny, tmp_path):
    site = tiny(
        {
            "/robots.txt": (
                200,
                {"Content-Type": "text/plain"},
                "User-agent: *\nAllow: /\n\nSitemap: {base}/only-in-robots.xml\n",
            ),
            "/only-in-robots.xml": urlset("/diethni/articles/7/from-robots"),
            "/diethni/articles/7/from-robots": (200, {}, article_page("Άρθρο που βρέθηκε από το robots.txt")),
        }
    )
    db = tmp_path / "robots.db"
    result = run_crawl(site, db, timeout=60)
    assert result.returncode == 0, result.stderr[-1500:]
    assert query(db, "select title from articles") == [("Άρθρο που βρέθηκε από το robots.txt",)]


def test_retry_after_slows_the_whole_outlet(tiny, tmp_path):
    """A 429 with Retry-After: 2 on the feed holds back every other request to the outlet for 2 s."""
    answered: list[str] = []

    def feed():
        if not answered:
            answered.append("429")
            return 429, {"Retry-After": "2"}, "Πάρα πολλά αιτήματα."
        return 200, {"Content-Type": "application/rss+xml"}, "<rss><channel></channel></rss>"

    def slow_sitemap():
        time.sleep(0.4)  # answered after the 429, so its articles are requested during the pause
        return urlset(*[f"/diethni/articles/{i}/a" for i in range(1, 5)])

    pages = {"/robots.txt": ROBOTS, "/rss": feed, "/sitemap.xml": slow_sitemap}
    for i in range(1, 5):
        pages[f"/diethni/articles/{i}/a"] = (200, {}, article_page(f"Άρθρο {i}"))
    site = tiny(pages)
    db = tmp_path / "slow.db"
    result = run_crawl(site, db, timeout=60)
    assert result.returncode == 0, result.stderr[-1500:]
    told = next(t for path, t in site.times if path == "/rss")
    articles = [t for path, t in site.times if "/articles/" in path]
    assert len(articles) == 4
    assert min(articles) - told >= 1.8, f"an article was requested {min(articles) - told:.2f}s after the 429"
    assert query(db, "select count(*) from articles")[0][0] == 4


def test_stored_canonical_link_and_encoding_are_what_the_page_said(tiny, tmp_path):
    legacy = article_page("Άρθρο σε παλιά κωδικοποίηση").replace(
        "<head>", '<head><meta charset="windows-1253">'
    )
    pages = {
        "/robots.txt": ROBOTS,
        "/sitemap.xml": urlset(
            "/diethni/articles/1/served",
            "/diethni/articles/2/none",
            "/diethni/articles/3/legacy",
        ),
        "/diethni/articles/1/served": (
            200,
            {},
            article_page(
                "Άρθρο με δηλωμένο κανονικό σύνδεσμο", canonical="{base}/diethni/articles/1/declared"
            ),
        ),
        "/diethni/articles/2/none": (200, {}, article_page("Άρθρο χωρίς κανονικό σύνδεσμο")),
        "/diethni/articles/3/legacy": (200, {"Content-Type": "text/html"}, legacy.encode("windows-1253")),
    }
    site = tiny(pages)
    db = tmp_path / "facts.db"
    result = run_crawl(site, db, timeout=60)
    assert result.returncode == 0, result.stderr[-1500:]
    rows = {u.removeprefix(site.url): c for u, c in query(db, "select url, canonical_url from articles")}
    assert rows == {
        "/diethni/articles/1/declared": f"{site.url}/diethni/articles/1/declared",
        "/diethni/articles/2/none": None,
        "/diethni/articles/3/legacy": None,
    }
    encodings = {u.removeprefix(site.url): e for u, e in query(db, "select url, encoding from pages")}
    assert set(encodings) == {
        "/diethni/articles/1/served",
        "/diethni/articles/2/none",
        "/diethni/articles/3/legacy",
    }
    assert encodings["/diethni/articles/2/none"] == "utf-8"
    assert encodings["/diethni/articles/3/legacy"].lower() in ("windows-1253", "cp1253")
