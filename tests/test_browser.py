"""The archive in a real browser: thumbnails load, scraped scripts never run.

Headless Chromium (Debian's /usr/bin/chromium, driven by playwright) opens pages
of a real `newscrawl serve` process. Images are served by a tiny local HTTP server,
so nothing leaves 127.0.0.1. Screenshots go to the pytest tmp dir and are copied
to ./test-artifacts/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import http.server
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.items import Article, ImageRef
from storage.archive import open_archive, upsert_article

# NEWSCRAWL_CHROMIUM points elsewhere (tests/test_fresh_machine.py uses it to play a machine without one)
CHROMIUM = Path(os.environ.get("NEWSCRAWL_CHROMIUM", "/usr/bin/chromium"))
MEDIA_HOST = "media.bankingnews.example"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # scraped images on loopback addresses are never rendered (storage/urlrules.py); the test image
    # host gets a public-looking name that only this browser resolves to 127.0.0.1
    f"--host-resolver-rules=MAP {MEDIA_HOST} 127.0.0.1",
]
NEWSCRAWL = Path(sys.executable).with_name("newscrawl")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PNG_SIZE = (64, 48)
PWNED_SCRIPT = "<script>window.__pwned = 1</script>"
PWNED_IMG = '<img src=x onerror="window.__pwned = 2">'


def make_png(width: int, height: int) -> bytes:
    """A solid blue RGB PNG, built by hand so the test needs no image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\x20\x60\xc0" * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def image_host() -> Iterator[str]:
    """An outlet's media server stand-in: /media/*.png answers with a real PNG."""
    png = make_png(*PNG_SIZE)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path.startswith("/media/") and self.path.endswith(".png"):
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(png)))
                self.end_headers()
                self.wfile.write(png)
            else:
                self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{MEDIA_HOST}:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, image_host: str) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("browser") / "browser-archive.db"
    articles = {
        "maduro": Article(
            url="https://bankingnews.example/kosmos/maduro",
            outlet="bankingnews",
            title="Ο Μαδούρο συνελήφθη στο Καράκας",
            section="Κόσμος",
            published_at="2026-01-05T12:30:00+00:00",
            text="Ο Νικολάς Μαδούρο οδηγήθηκε στο δικαστήριο.\nΔεύτερη παράγραφος του άρθρου.",
            images=[
                ImageRef(url=f"{image_host}/media/maduro.png", caption="Ο Μαδούρο στο Καράκας", position=1),
                ImageRef(url="javascript:window.__pwned=3", caption="κακή διεύθυνση", position=2),
            ],
        ),
        "planted": Article(
            url="https://bankingnews.example/oikonomia/planted",
            outlet="bankingnews",
            title=f"{PWNED_SCRIPT} Οι τράπεζες ανεβαίνουν",
            section="Οικονομία",
            published_at="2026-01-06T08:00:00+00:00",
            text=f"Άνοδος για τις τράπεζες.\n{PWNED_SCRIPT}\n{PWNED_IMG}",
            images=[
                ImageRef(url=f"{image_host}/media/bank.png", caption=f"Λεζάντα {PWNED_SCRIPT}", position=0),
            ],
        ),
    }
    db = open_archive(path)
    for article in articles.values():
        upsert_article(db, article)
    ids = {
        name: db.execute("select id from articles where url = ?", [a.url]).fetchone()[0]
        for name, a in articles.items()
    }
    db.conn.close()
    return path, ids


@pytest.fixture(scope="module")
def base_url(archive: tuple[Path, dict[str, int]]) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [str(NEWSCRAWL), "serve", "--db", str(archive[0]), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(base + "/-/versions.json", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"newscrawl serve did not start: {proc.stderr.read()}")
            time.sleep(0.1)
    yield base
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=15) == 0


INSTALL_BROWSER = "apt-get update && apt-get install -y chromium fonts-noto-core"


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, with the command that fixes it; None when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found: install Debian's browser with `{INSTALL_BROWSER}` (CI does this in .ci/run)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return 'playwright is not installed: pip install -e ".[test]"'
    return None


@pytest.fixture(scope="module")
def browser():
    reason = missing_browser()
    if reason is not None:
        # a new user's first run stays green with the reason printed (-ra); CI must have the browser
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh page that records dialogs and screenshots itself at the end."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="el-GR")
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    shot = tmp_path / f"{request.node.name}.png"
    page.screenshot(path=str(shot), full_page=True)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / shot.name)
    context.close()


def assert_nothing_ran(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined", "a scraped script ran in the page"
    assert page.dialogs == []


def wait_for_thumbnails(page, selector: str, expected: int) -> list[int]:
    """Scroll each (lazy) thumbnail into view and return the naturalWidth of each."""
    images = page.locator(selector)
    assert images.count() == expected
    for i in range(expected):
        images.nth(i).scroll_into_view_if_needed()
    page.wait_for_function(
        "sel => [...document.querySelectorAll(sel)].every(img => img.complete)", arg=selector, timeout=10000
    )
    return page.eval_on_selector_all(selector, "imgs => imgs.map(img => img.naturalWidth)")


def test_article_page_shows_planted_script_as_text(page, base_url: str, archive) -> None:
    page.goto(f"{base_url}/news/articles/{archive[1]['planted']}")
    assert_nothing_ran(page)
    heading = page.locator("article.nc-article h1")
    assert heading.inner_text() == f"{PWNED_SCRIPT} Οι τράπεζες ανεβαίνουν"
    assert heading.is_visible()
    assert page.locator("td.col-title").inner_text().startswith(PWNED_SCRIPT)
    body = page.locator(".nc-article-body")
    assert body.locator("p").all_inner_texts() == ["Άνοδος για τις τράπεζες.", PWNED_SCRIPT, PWNED_IMG]
    # The only image is the article's own photo, put back before the first paragraph.
    assert wait_for_thumbnails(page, ".nc-article-body img", expected=1) == [PNG_SIZE[0]]
    assert body.locator("figcaption").inner_text() == f"Λεζάντα {PWNED_SCRIPT}"


def test_search_page_finds_article_without_accents(page, base_url: str, archive) -> None:
    page.goto(f"{base_url}/news/articles?_search=μαδουρο")
    assert_nothing_ran(page)
    assert page.locator("h3").first.inner_text().startswith("1 row")
    assert page.locator("td.col-title .nc-title").all_inner_texts() == ["Ο Μαδούρο συνελήφθη στο Καράκας"]
    # under the headline, a snippet of the accented text with the word found marked
    assert page.locator("td.col-title .nc-snippet mark").all_inner_texts() == ["Μαδούρο"]
    # Bookkeeping columns are hidden from the list, the readable columns are not.
    assert not page.locator('th[data-column="content_hash"]').is_visible()
    assert page.locator('th[data-column="title"]').is_visible()
    # Facets are offered on outlet, section and day.
    for facet in ("outlet", "section", "day"):
        assert page.locator(f'.facet-info[data-column="{facet}"]').count() == 1


def test_article_with_images_query_renders_thumbnails(page, base_url: str, archive) -> None:
    page.goto(f"{base_url}/news/article_with_images?article={archive[1]['maduro']}")
    assert_nothing_ran(page)
    widths = wait_for_thumbnails(page, "td.col-image_url img", expected=1)
    assert widths == [PNG_SIZE[0]]
    assert page.locator("td.col-image_url figcaption").first.inner_text() == "Ο Μαδούρο στο Καράκας"
    # The javascript: image is shown as text and is not clickable or loaded.
    unsafe = page.locator("td.col-image_url .nc-unsafe-url")
    assert unsafe.inner_text() == "javascript:window.__pwned=3"
    assert page.locator('[src^="javascript:"], [href^="javascript:"]').count() == 0
    unsafe.click()
    assert_nothing_ran(page)


def test_images_table_shows_thumbnails_and_escaped_captions(page, base_url: str) -> None:
    page.goto(f"{base_url}/news/images")
    assert_nothing_ran(page)
    widths = wait_for_thumbnails(page, "td.col-url img", expected=2)
    assert widths == [PNG_SIZE[0], PNG_SIZE[0]]
    captions = page.locator("td.col-url figcaption")
    assert f"Λεζάντα {PWNED_SCRIPT}" in captions.all_inner_texts()
    assert page.locator("td.col-caption", has_text=f"Λεζάντα {PWNED_SCRIPT}").is_visible()
    # The article column shows the article's title (label_column), as text.
    assert page.get_by_text(f"{PWNED_SCRIPT} Οι τράπεζες ανεβαίνουν").first.is_visible()


# -- the archive after the outlet is gone -----------------------------------------------------


@pytest.fixture(scope="module")
def stopped_replica_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real crawl of the replica into an archive, the replica stopped, then `newscrawl serve`.

    Yields (base URL of the served archive, id of the article with the most images).
    """
    from crawler.replica import ReplicaServer
    from tests.crawl_helpers import crawl_cmd

    db = tmp_path_factory.mktemp("offline") / "news.db"
    with ReplicaServer(port=0, size=60, seed=3) as replica:
        env = {**os.environ, "NEWSCRAWL_REPLICA_URL": replica.url}
        done = subprocess.run(crawl_cmd(db), env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
    # the replica is stopped: every picture below comes from the archive
    import sqlite3

    with sqlite3.connect(db) as conn:
        (article_id,) = conn.execute(
            "select article_id from images join image_urls using (url) group by article_id "
            "order by count(*) desc, article_id limit 1"
        ).fetchone()
    port = free_port()
    proc = subprocess.Popen(
        [str(NEWSCRAWL), "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(base + "/-/versions.json", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"newscrawl serve did not start: {proc.stderr.read()}")
            time.sleep(0.1)
    yield base, article_id
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=15) == 0


def test_article_page_shows_its_pictures_with_the_replica_stopped(page, stopped_replica_archive) -> None:
    base, article_id = stopped_replica_archive
    page.goto(f"{base}/news/articles/{article_id}")
    assert_nothing_ran(page)
    pictures = page.locator(".nc-article-body img")
    count = pictures.count()
    assert count >= 2
    widths = wait_for_thumbnails(page, ".nc-article-body img", expected=count)
    assert all(width > 1 for width in widths), widths  # decoded pictures, not broken-image icons
    sources = page.eval_on_selector_all(
        ".nc-article-body img", "imgs => imgs.map(i => i.getAttribute('src'))"
    )
    assert all(src.startswith("/-/thumb/") for src in sources), sources
    assert page.locator(".nc-article-body figcaption").count() >= 1
    assert page.locator(".nc-tags").is_visible()
    page.locator("article.nc-article").screenshot(path=str(ARTIFACTS / "offline-article-pictures.png"))


def test_search_page_shows_accented_marked_snippets_with_the_replica_stopped(
    page, stopped_replica_archive
) -> None:
    base, _ = stopped_replica_archive
    page.goto(f"{base}/news/articles?_search=τραπεζες")
    assert_nothing_ran(page)
    marks = page.locator("td.col-title mark").all_inner_texts()
    assert marks and all(mark.lower() in ("τράπεζες", "τραπεζες") for mark in marks), marks
    assert "τράπεζες" in [mark.lower() for mark in marks]  # the accented original, not the index text
    assert page.locator('th[data-column="title"]').is_visible()
    # the first rows are on the first screen, not below the column descriptions
    assert page.locator("table.rows-and-columns tbody tr").first.bounding_box()["y"] < 1000
    page.screenshot(path=str(ARTIFACTS / "offline-search-snippets.png"))


def test_a_stray_quote_in_the_search_box_is_answered_on_the_same_page(page, stopped_replica_archive) -> None:
    base, _ = stopped_replica_archive
    page.goto(f"{base}/news/articles?_search=%22")
    assert page.locator(".nc-notice").inner_text().startswith("Nothing searched")
    assert page.locator('input[name="_search"]').is_visible()
