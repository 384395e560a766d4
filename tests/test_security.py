"""A hostile outlet cannot lead a crawl, or ``newscrawl fetch``, beyond itself.

Everything is real: the hostile outlet (tests/hostile_outlet.py) is its own process with an
"other port" HTTP server and an "FTP" listener that log every request they get; the crawl is
``python -m crawler crawl replica`` pointed at the outlet with ``NEWSCRAWL_REPLICA_URL``; its peak
memory comes from the kernel (``wait4``) for exactly that process, started by the small
bench/peak_rss.py so that the big pytest process's own high-water mark is not counted.
"""

from __future__ import annotations

import http.server
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_helpers import HERE, Hostile, start_hostile

from bench.common import spawn_with_peak

MAX_RSS_MB = 300  # the bound for the crawl process itself


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[Hostile]:
    server = start_hostile(tmp_path)
    yield server
    server.proc.kill()
    server.proc.wait()


def crawl_measured(hostile: Hostile, db: Path, *extra: str) -> tuple[subprocess.CompletedProcess, float]:
    """``newscrawl crawl replica`` against the hostile outlet; its result and its own peak RSS in MB."""
    cmd = [sys.executable, "-m", "crawler", "crawl", "replica", "--db", str(db), "--no-progress", *extra]
    env = {**os.environ, "NEWSCRAWL_REPLICA_URL": hostile.url}
    out, err = db.with_suffix(".out"), db.with_suffix(".err")
    with out.open("w") as stdout, err.open("w") as stderr:
        code, _, peak_mb = spawn_with_peak(cmd, env, stdout, stderr, timeout=300)
    if code is None:
        pytest.fail("the crawl of the hostile outlet did not end within 300 s")
    return subprocess.CompletedProcess(cmd, code, out.read_text(), err.read_text()), peak_mb


def rows(db: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_crawl_of_a_hostile_outlet_stays_inside_it(hostile: Hostile, tmp_path: Path) -> None:
    db = tmp_path / "hostile.db"
    result, peak_mb = crawl_measured(hostile, db)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stdout + result.stderr

    # only the outlet's one real article is archived; nothing read from a file, FTP or another port
    assert rows(db, "select url from articles") == [(f"{hostile.url}/diethni/articles/3/nea-metra-stirixis",)]
    assert all(url.startswith(hostile.url + "/") for (url,) in rows(db, "select url from pages"))
    texts = " ".join(t for (t,) in rows(db, "select text from articles"))
    assert "SECRET-LOCAL-FILE" not in texts and "OTHER-PORT-LEAK" not in texts
    assert hostile.log("other.log") == [], "the other port was requested"
    assert hostile.log("ftp.log") == [], "the FTP port was contacted"

    # the image on the other port is kept as a reference, never fetched
    assert rows(db, "select url from images") == [
        (f"http://127.0.0.1:{hostile.other_port}/images/photo-2026.jpg",)
    ]

    # every refusal is in fetch_errors with its reason, once
    errors = dict(rows(db, "select url, reason from fetch_errors"))
    refused = {
        f"file://localhost{hostile.secret}": "scheme 'file' is not http(s)",
        "file:///dev/zero": "scheme 'file' is not http(s)",
        f"ftp://localhost:{hostile.ftp_port}/sitemap.xml": "scheme 'ftp' is not http(s)",
        f"ftp://localhost:{hostile.ftp_port}/diethni/articles/5/over-ftp": "scheme 'ftp' is not http(s)",
        f"http://localhost:{hostile.other_port}/sitemap.xml": f"localhost:{hostile.other_port} is not one of",
        f"http://localhost:{hostile.other_port}/diethni/articles/6/other-port": "is not one of replica's origins",
        f"https://localhost:{hostile.port}/sitemap-tls.xml": f"https://localhost:{hostile.port} is not one of",
        "data:text/html,data-url-page": "scheme 'data' is not http(s)",
        f"{hostile.url}/admin/settings": "not a sitemap URL",
        f"{hostile.url}/diethni/articles/4/redirects-away": (
            f"refused redirect to http://127.0.0.1:{hostile.other_port}/admin/articles/7/internal-admin"
        ),
    }
    for url, reason in refused.items():
        assert reason in errors.get(url, ""), (url, errors.get(url))
    assert rows(db, "select max(attempts) from fetch_errors") == [(1,)]
    # the endless page was cut at the size limit, not stored
    assert f"{hostile.url}/diethni/articles/8/zeros-for-ever" in errors

    # discovery is bounded: the 100,000-sitemap index cost at most the default budget of 1000
    # requests, and the nested index chain stopped at the depth limit; the summary says both
    requested = hostile.log("outlet.log")
    sitemaps = [p for p in requested if p.startswith("/s/")]
    assert 0 < len(sitemaps) <= 1000
    assert "/deep/3.xml" not in requested
    summary = " ".join(result.stdout.split())
    assert "discovery budget of 1000 requests reached" in summary

    assert peak_mb < MAX_RSS_MB, f"the crawl peaked at {peak_mb:.0f} MB: {result.stdout[-1500:]}"


def test_sitemap_index_nesting_stops_at_the_depth_limit(tmp_path: Path) -> None:
    # a small index, so the discovery budget is not what stops the chain (with the 100,000-entry
    # index the budget is spent before the nested chain's second level is even found)
    hostile = start_hostile(tmp_path, "--index-size", "10")
    try:
        result, _ = crawl_measured(hostile, tmp_path / "deep.db")
    finally:
        hostile.proc.kill()
        hostile.proc.wait()
    assert result.returncode == 0, result.stderr[-2000:]
    requested = hostile.log("outlet.log")
    assert "/deep/1.xml" in requested and "/deep/2.xml" in requested
    assert "/deep/3.xml" not in requested
    assert "sitemap index nesting deeper than 2 levels ignored" in " ".join(result.stdout.split())


def test_max_discovery_bounds_sitemaps_feeds_and_listings(tmp_path: Path) -> None:
    hostile = start_hostile(tmp_path, "--index-size", "2000")
    try:
        result, _ = crawl_measured(hostile, tmp_path / "budget.db", "--max-discovery", "25")
    finally:
        hostile.proc.kill()
        hostile.proc.wait()
    assert result.returncode == 0, result.stderr[-2000:]
    articles = ("/diethni/articles/", "/oikonomia/articles/")
    discovery = [p for p in hostile.log("outlet.log") if not p.startswith(articles)]
    discovery.remove("/robots.txt")  # the robots.txt check itself; reading its Sitemap: lines is discovery
    assert len(discovery) == 25, discovery
    assert "discovery budget of 25 requests reached" in " ".join(result.stdout.split())


# -- newscrawl fetch ---------------------------------------------------------------------------


@pytest.fixture
def tricky_server() -> Iterator[dict]:
    """Local HTTP server with a redirect to an FTP listener, and a page trickling 1 byte/s."""
    seen: dict = {"ftp": 0}
    ftp = socket.socket()
    ftp.bind(("127.0.0.1", 0))
    ftp.listen(5)
    ftp_port = ftp.getsockname()[1]

    def ftp_accept() -> None:
        while True:
            try:
                conn, _ = ftp.accept()
            except OSError:
                return
            seen["ftp"] += 1
            conn.sendall(b"220 hello\r\n")
            conn.close()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path == "/robots.txt":
                self.send_error(404)
            elif self.path == "/to-ftp":
                self.send_response(302)
                self.send_header("Location", f"ftp://127.0.0.1:{ftp_port}/secret.html")
                self.end_headers()
            elif self.path == "/trickle":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                try:
                    for _ in range(100_000):
                        self.wfile.write(b"x")
                        self.wfile.flush()
                        time.sleep(1)
                except OSError:
                    return
            else:
                self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Thread(target=ftp_accept, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_address[1]}", "seen": seen}
    server.shutdown()
    ftp.close()


def fetch(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crawler", "fetch", *args], capture_output=True, text=True, timeout=timeout
    )


def test_fetch_refuses_a_redirect_to_ftp_and_says_so(tricky_server: dict) -> None:
    result = fetch(tricky_server["url"] + "/to-ftp")
    assert result.returncode == 1
    assert "redirect to unsupported scheme ftp" in result.stderr
    assert "loop" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert tricky_server["seen"]["ftp"] == 0, "the FTP listener was contacted"


def test_fetch_timeout_bounds_the_whole_download(tricky_server: dict) -> None:
    # the server answers every read within a second, so only a whole-download bound stops it;
    # the subprocess timeout fails the test if `--timeout 3` does not end the fetch
    result = fetch(tricky_server["url"] + "/trickle", "--timeout", "3", timeout=30)
    assert result.returncode == 1
    assert "did not answer within 3s" in result.stderr
    assert "Traceback" not in result.stderr


def test_fetch_of_a_url_with_credentials_says_so(tricky_server: dict) -> None:
    url = tricky_server["url"].replace("http://", "http://user:secret@") + "/page"
    result = fetch(url)
    assert result.returncode == 1
    assert "user name or password" in result.stderr
    assert "DNS" not in result.stderr and "secret" not in result.stderr


# -- the one image rule (storage/urlrules.py), as the crawler, thumbnails and serve use it ------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:8001/news.json?sql=x", "loopback"),
        ("http://localhost/x.jpg", "local host name"),
        ("http://2130706433/x.jpg", "loopback"),  # 127.0.0.1 as a browser reads a decimal host
        ("http://0x7f.1/x.jpg", "loopback"),
        ("http://[::ffff:127.0.0.1]/x.jpg", "loopback"),
        ("http://[::1]:8001/x.jpg", "loopback"),
        ("http://10.1.2.3/x.jpg", "private"),
        ("http://192.168.1.1/router.png", "private"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://0.0.0.0/x.jpg", "private or reserved"),
        ("ftp://media.example.org/x.jpg", "scheme 'ftp'"),
        ("file:///etc/passwd", "scheme 'file'"),
        ("javascript:alert(1)", "scheme 'javascript'"),
        ("http://user:pw@media.example.org/x.jpg", "credentials"),
    ],
)
def test_image_urls_on_local_or_odd_addresses_are_refused(url: str, reason: str) -> None:
    from storage.urlrules import image_url_refusal, is_safe_image_url

    assert reason in (image_url_refusal(url) or "")
    assert not is_safe_image_url(url)


def test_image_rule_trusts_the_outlets_own_origins_and_public_hosts() -> None:
    from crawler.outlet import origin_of
    from storage.urlrules import image_url_refusal, is_safe_image_url

    replica = origin_of("http://127.0.0.1:8765/")
    assert is_safe_image_url("http://127.0.0.1:8765/media/1.jpg", own_origins=[replica])
    assert not is_safe_image_url("http://127.0.0.1:8766/media/1.jpg", own_origins=[replica])
    assert is_safe_image_url("https://www.bankingnews.gr/media/1.jpg")
    assert is_safe_image_url("http://8.8.8.8/x.jpg")
    served = ["archive.example:8001"]
    assert "own host" in image_url_refusal("http://archive.example:8001/news.json", serving_hosts=served)
    # a fetcher about to connect also judges what the name resolves to
    assert (
        image_url_refusal("http://no-such-host.invalid/x.jpg", resolve=True)
        == "a host name that does not resolve"
    )


def test_bench_children_run_without_remote_control_or_telnet(tmp_path: Path) -> None:
    """The bare-Scrapy baseline child of `python -m bench crawl` opens no listening socket."""
    hostile = start_hostile(tmp_path, "--index-size", "0", "--slow-articles", "3", "--article-delay", "1.5")
    urls = tmp_path / "urls.json"
    urls.write_text(json.dumps([f"{hostile.url}/oikonomia/articles/{100 + n}/slow-{n}" for n in range(3)]))
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.crawl", "--child", "fetch", "--urls", str(urls)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=HERE.parent,
    )
    listening: set[str] = set()
    try:
        while child.poll() is None:
            listening |= listening_ports(child.pid)
            time.sleep(0.1)
        out, err = child.communicate()
    finally:
        hostile.proc.kill()
        hostile.proc.wait()
    assert child.returncode == 0, err[-2000:]
    assert json.loads(out.strip().splitlines()[-1])["pages"] == 3
    assert listening == set(), f"the bench child listened on {listening}"


def listening_ports(pid: int) -> set[str]:
    """Local addresses of the TCP sockets ``pid`` is listening on (from /proc)."""
    try:
        inodes = {
            os.readlink(f"/proc/{pid}/fd/{fd}").removeprefix("socket:[").rstrip("]")
            for fd in os.listdir(f"/proc/{pid}/fd")
        }
        found = set()
        for table in ("tcp", "tcp6"):
            for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                    found.add(fields[1])
        return found
    except OSError:  # the child ended meanwhile
        return set()
