"""``newscrawl serve`` cannot be reached through DNS rebinding, exhausted by one query, or turned
against itself by a scraped image URL.

A real ``newscrawl serve`` process is queried over HTTP and opened in headless Chromium. The
browser resolves two public-looking names to 127.0.0.1 (``--host-resolver-rules``): the name the
archive is shared under (``--allow-host``) and an outlet's media host, so the image rule is
tested on the serving host's own name, not only on loopback addresses.
"""

from __future__ import annotations

import http.client
import http.server
import json
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile_helpers import free_port
from test_browser import CHROMIUM, CHROMIUM_ARGS, make_png

from crawler.items import Article, ImageRef
from storage.archive import open_archive, upsert_article

ARCHIVE_HOST = "archive.newsroom.example"
MEDIA_HOST = "media.outlet.example"
ZEROBLOB_SQL = "select length(hex(zeroblob(499000000)))"
MAX_RSS_MB = 300


@dataclass
class Served:
    proc: subprocess.Popen
    port: int
    db: Path
    ids: dict[str, int]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def get(port: int, path: str, host: str | None = None) -> tuple[int, str]:
    """GET with an explicit Host header (urllib would always send the address it connects to)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", f"127.0.0.1:{port}" if host is None else host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def start_serve(db: Path, port: int, *extra: str) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--db", str(db), "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=2):
                return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"newscrawl serve did not start: {proc.communicate()[1]}")
            time.sleep(0.1)


def stop_serve(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=20)
    return err


@pytest.fixture(scope="module")
def media_port() -> Iterator[int]:
    png = make_png(64, 48)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, media_port: int) -> Iterator[Served]:
    port = free_port()
    heavy = "/news.json?" + urllib.parse.urlencode({"sql": ZEROBLOB_SQL})
    db = tmp_path_factory.mktemp("serve-security") / "news.db"
    article = Article(
        url="https://outlet.example/kosmos/eikones",
        outlet="bankingnews",
        title="Άρθρο με επικίνδυνες εικόνες",
        published_at="2026-01-05T12:30:00+00:00",
        text="Πρώτη παράγραφος.\nΔεύτερη παράγραφος.\nΤρίτη παράγραφος.",
        images=[
            ImageRef(
                url=f"http://{MEDIA_HOST}:{media_port}/media/photo.png", caption="καλή εικόνα", position=0
            ),
            ImageRef(url=f"http://{ARCHIVE_HOST}:{port}{heavy}", caption="ο ίδιος ο server", position=1),
            ImageRef(url=f"http://127.0.0.1:{port}{heavy}", caption="loopback", position=2),
            ImageRef(url="http://192.168.1.1/router.png", caption="ιδιωτική διεύθυνση", position=3),
            ImageRef(url="http://2130706433/x.png", caption="127.0.0.1 σε δεκαδική μορφή", position=3),
        ],
    )
    archive = open_archive(db)
    upsert_article(archive, article)
    ids = {"images": archive.execute("select id from articles").fetchone()[0]}
    archive.conn.close()
    proc = start_serve(db, port, "--allow-host", ARCHIVE_HOST)
    yield Served(proc, port, db, ids)
    stop_serve(proc)


def test_a_foreign_host_header_is_refused(served: Served) -> None:
    for host in ("attacker.example", f"attacker.example:{served.port}", f"127.0.0.1:{served.port + 1}", ""):
        status, body = get(served.port, "/news/articles.json", host=host)
        assert status == 421, (host, status)
        assert body.startswith("Misdirected request"), body[:200]
    for host in (f"127.0.0.1:{served.port}", f"localhost:{served.port}", f"{ARCHIVE_HOST}:{served.port}"):
        status, _ = get(served.port, "/news/articles.json", host=host)
        assert status == 200, (host, status)


def test_a_huge_value_query_fails_at_once_in_bounded_memory(served: Served) -> None:
    status, body = get(served.port, "/news.json?" + urllib.parse.urlencode({"sql": ZEROBLOB_SQL}))
    answer = json.loads(body)
    assert answer["ok"] is False and "too big" in answer["error"], (status, answer)
    assert peak_rss_mb(served.proc.pid) < MAX_RSS_MB
    # the archive still answers
    assert get(served.port, "/news/articles.json?_shape=array")[0] == 200


def test_scraped_images_on_local_addresses_are_text_not_img(served: Served) -> None:
    status, page = get(served.port, f"/news/articles/{served.ids['images']}")
    assert status == 200
    assert f'<img src="http://{MEDIA_HOST}:' in page
    for address in (f"{ARCHIVE_HOST}:{served.port}", f"127.0.0.1:{served.port}", "192.168.1.1", "2130706433"):
        assert f'src="http://{address}' not in page, address
        assert f"http://{address}" in page, f"{address} is not shown as text"


def test_non_loopback_bind_warns_and_loopback_does_not(tmp_path: Path, served: Served) -> None:
    port = free_port()
    proc = start_serve(served.db, port, "--host", "0.0.0.0")
    err = stop_serve(proc)
    [warning] = [line for line in err.splitlines() if line.startswith("warning:")]
    assert "anyone who can reach this machine" in warning and "--host 127.0.0.1" in warning
    quiet = start_serve(served.db, free_port())
    assert "warning" not in stop_serve(quiet)


def test_browser_never_loads_an_image_from_the_archive_itself(served: Served, media_port: int) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found (apt-get install chromium; CI does this in .ci/run)")
    from playwright.sync_api import sync_playwright

    rules = f"--host-resolver-rules=MAP {ARCHIVE_HOST} 127.0.0.1, MAP {MEDIA_HOST} 127.0.0.1"
    args = [a for a in CHROMIUM_ARGS if not a.startswith("--host-resolver-rules")] + [rules]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
        try:
            page = browser.new_page()
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            page.goto(f"http://{ARCHIVE_HOST}:{served.port}/news/articles/{served.ids['images']}")
            body = page.locator(".nc-article-body")
            images = body.locator("img")
            assert images.count() == 1
            images.first.scroll_into_view_if_needed()
            page.wait_for_function("() => document.querySelector('.nc-article-body img').complete")
            assert images.first.get_attribute("src").startswith(f"http://{MEDIA_HOST}:{media_port}/")
            assert images.first.evaluate("img => img.naturalWidth") == 64
            shown = body.locator(".nc-unsafe-url").all_inner_texts()
            assert f"http://{ARCHIVE_HOST}:{served.port}/news.json?sql=" in " ".join(shown)
            assert len(shown) == 4
            assert not [url for url in requested if "zeroblob" in url], requested
        finally:
            browser.close()
