"""Article images kept in the archive: fetched by a real crawl under the page rules, served offline.

A small outlet served on 127.0.0.1 by this module holds two articles whose pictures cover
every case a crawl meets: a picture used twice and under two addresses, a large photo, one
that robots.txt forbids, one on another origin (a second server that counts its requests),
a 404, an HTML page posing as a picture and an inline placeholder. Crawls run in child
processes (Twisted cannot restart inside pytest), then the outlet is stopped and
`newscrawl serve` must show the pictures from the archive alone.
"""

from __future__ import annotations

import http.server
import io
import re
import sqlite3
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from crawler.images import THUMB_MAX_WIDTH, THUMB_TARGET_BYTES
from tests.crawl_helpers import crawl_cmd
from tests.test_serve import ServeProcess

ROBOTS = b"User-agent: *\nDisallow: /private/\n"
PARAGRAPH = (
    "Η Τράπεζα της Ελλάδος αναθεωρεί προς τα πάνω την πρόβλεψη για την ανάπτυξη της οικονομίας, "
    "καθώς οι επενδύσεις και οι εξαγωγές ενισχύονται σε μια περίοδο αυξημένης αβεβαιότητας."
)


def png(rgb: tuple[int, int, int], size: tuple[int, int] = (64, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, rgb).save(out, "PNG")
    return out.getvalue()


def noisy_jpeg(width: int = 1600, height: int = 900) -> bytes:
    """A large photo-like JPEG (random noise compresses badly, as a photo does)."""
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), __import__("os").urandom(width * height * 3)).save(
        out, "JPEG", quality=90
    )
    return out.getvalue()


class Recorder(http.server.ThreadingHTTPServer):
    """A local HTTP server that remembers (path, user agent) of every request."""

    def __init__(self, routes: dict[str, tuple[int, str, bytes]]) -> None:
        self.routes = routes
        self.requests: list[tuple[str, str]] = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                recorder.requests.append((self.path, self.headers.get("User-Agent", "")))
                status, kind, body = recorder.routes.get(self.path, (404, "text/plain", b"not found"))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


def article_page(title: str, images: list[tuple[str, str]]) -> bytes:
    figures = "\n".join(
        f'<p>{PARAGRAPH}</p>\n<figure class="image-block"><img src="{src}" alt="{caption}">'
        f"<figcaption>{caption}</figcaption></figure>"
        for src, caption in images
    )
    return (
        '<!DOCTYPE html><html lang="el"><head><meta charset="utf-8"><title>'
        f'{title}</title></head><body><article><h1 class="headline">{title}</h1>'
        '<div class="info-line"><time datetime="2026-01-05T14:48:00+02:00">05 Ιανουαρίου 2026</time></div>'
        f'<div class="field-body">{figures}<p>{PARAGRAPH}</p></div></article></body></html>'
    ).encode()


@pytest.fixture
def outlets() -> Iterator[tuple[Recorder, Recorder]]:
    """(the outlet, another origin with a picture the outlet's article links to)."""
    other = Recorder({"/c.png": (200, "image/png", png((0, 200, 0)))})
    red = png((200, 30, 30))
    outlet = Recorder({})
    outlet.routes.update(
        {
            "/robots.txt": (200, "text/plain", ROBOTS),
            "/": (
                200,
                "text/html; charset=utf-8",
                b'<html><body><a href="/oikonomia/articles/1/eikones">1</a>'
                b'<a href="/oikonomia/articles/2/deftero">2</a></body></html>',
            ),
            "/media/a.png": (200, "image/png", red),
            "/media/a-copy.png": (200, "image/png", red),
            "/media/big.jpg": (200, "image/jpeg", noisy_jpeg()),
            "/private/b.png": (200, "image/png", png((0, 0, 200))),
            "/media/fake.png": (200, "image/png", b"<html>not a picture</html>"),
            "/oikonomia/articles/1/eikones": (
                200,
                "text/html; charset=utf-8",
                article_page(
                    "Οι εικόνες του πρώτου άρθρου",
                    [
                        ("/media/a.png", "Κόκκινη εικόνα"),
                        ("/media/big.jpg", "Μεγάλη φωτογραφία"),
                        ("/private/b.png", "Απαγορευμένη από το robots.txt"),
                        (f"{other.url}/c.png", "Σε άλλο origin"),
                        ("/media/missing.png", "Δεν υπάρχει"),
                        ("/media/fake.png", "Δεν είναι εικόνα"),
                    ],
                ),
            ),
            "/oikonomia/articles/2/deftero": (
                200,
                "text/html; charset=utf-8",
                article_page(
                    "Το δεύτερο άρθρο με την ίδια εικόνα",
                    [
                        ("/media/a.png", "Ξανά η κόκκινη"),
                        ("/media/a-copy.png", "Ίδια εικόνα, άλλη διεύθυνση"),
                    ],
                ),
            ),
        }
    )
    yield outlet, other
    outlet.stop()
    other.stop()


def crawl(outlet: Recorder, db: Path, *extra: str) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "NEWSCRAWL_REPLICA_URL": outlet.url}
    return subprocess.run(crawl_cmd(db, *extra), env=env, capture_output=True, text=True, timeout=120)


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_images_follow_page_rules_and_failures_never_cost_the_article(outlets, tmp_path: Path) -> None:
    outlet, other = outlets
    db = tmp_path / "news.db"
    result = crawl(outlet, db)
    assert result.returncode == 0, result.stdout[-1500:] + result.stderr[-1500:]
    titles = {t for (t,) in rows(db, "select title from articles")}
    assert titles == {"Οι εικόνες του πρώτου άρθρου", "Το δεύτερο άρθρο με την ίδια εικόνα"}

    requested = outlet.paths()
    # robots.txt binds pictures as it binds pages; another origin is never contacted
    assert "/private/b.png" not in requested
    assert other.requests == []
    # each address fetched once, however many articles use it, with the crawler's own user agent
    assert requested.count("/media/a.png") == 1
    agents = {agent for path, agent in outlet.requests if path.startswith("/media/")}
    assert len(agents) == 1 and agents.pop().startswith("newscrawl/")

    # the same picture under two addresses is stored once
    kept = rows(db, "select hash, mime_type, width, height, thumb_width, length(thumbnail) from image_files")
    by_size = {(w, h): (mime, tw, size) for _, mime, w, h, tw, size in kept}
    assert len(kept) == 2, kept
    assert by_size[(64, 40)][:2] == ("image/png", 64)
    mime, thumb_width, size = by_size[(1600, 900)]
    assert mime == "image/jpeg" and thumb_width == THUMB_MAX_WIDTH and size <= THUMB_TARGET_BYTES
    mapped = dict(rows(db, "select url, hash from image_urls"))
    assert mapped[outlet.url + "/media/a.png"] == mapped[outlet.url + "/media/a-copy.png"]

    # failures are in fetch_errors with a reason; their articles are stored all the same
    errors = dict(rows(db, "select url, reason from fetch_errors where reason like 'image:%'"))
    assert errors == {
        outlet.url + "/media/missing.png": "image: HTTP 404",
        outlet.url + "/media/fake.png": "image: not a readable image",
    }


def test_no_images_fetches_none_and_full_images_keeps_originals(outlets, tmp_path: Path) -> None:
    outlet, _ = outlets
    off = tmp_path / "off.db"
    assert crawl(outlet, off, "--no-images").returncode == 0
    assert not [p for p in outlet.paths() if p.startswith("/media/")]
    assert rows(off, "select count(*) from image_files") == [(0,)]
    assert rows(off, "select count(*) from images") != [(0,)]  # the references are still kept

    full = tmp_path / "full.db"
    assert crawl(outlet, full, "--full-images").returncode == 0
    originals = rows(full, "select mime_type, length(original), bytes from image_files order by bytes")
    assert [(m, n == b) for m, n, b in originals] == [("image/png", True), ("image/jpeg", True)]


def test_served_archive_shows_kept_pictures_with_the_outlet_stopped(outlets, tmp_path: Path) -> None:
    outlet, _ = outlets
    db = tmp_path / "news.db"
    assert crawl(outlet, db).returncode == 0
    outlet.stop()  # from here on only the archive has the pictures
    (article_id,) = rows(db, "select id from articles where title like 'Οι εικόνες%'")[0]
    server = ServeProcess(db)
    try:
        status, html = server.request(f"/news/articles/{article_id}")
        assert status == 200
        sources = re.findall(r'<img[^>]+src="([^"]+)"', html)
        archived = [s for s in sources if s.startswith("/-/thumb/")]
        assert len(set(archived)) == 2, sources
        for src in archived:
            with urllib.request.urlopen(server.base + src, timeout=10) as response:
                assert response.status == 200
                assert response.headers["Content-Type"] == "image/jpeg"
                assert Image.open(io.BytesIO(response.read())).width <= THUMB_MAX_WIDTH
        # captions in order, and the original address is a link, not a request
        assert html.index("Κόκκινη εικόνα") < html.index("Μεγάλη φωτογραφία")
        assert f'href="{outlet.url}/media/big.jpg"' in html
        status, images_page = server.request("/news/images")
        assert status == 200 and "/-/thumb/" in images_page
        status, _ = server.request("/-/thumb/" + "0" * 64)
        assert status == 404
    finally:
        server.stop()
