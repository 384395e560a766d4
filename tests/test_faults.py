"""Break the crawler on purpose (SIGKILL, a dying server, a stubborn reader, a full disk, hostile pages).

Everything is real: crawls run as child processes against replica outlets on 127.0.0.1 and write
real SQLite files. Each test bounds every wait, so a hang fails instead of freezing the suite.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import json
import os
import random
import re
import sqlite3
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from crawler.items import Article
from crawler.replica import ReplicaServer, ReplicaSite
from storage.archive import open_archive, upsert_article
from tests.crawl_helpers import query, requested_paths
from tests.fault_helpers import (
    NEWSCRAWL,
    Serve,
    archive_consistency,
    article_count,
    fill,
    finish,
    free_port,
    hashes_by_path,
    http_ok,
    http_text,
    integrity,
    remount_read_only,
    run_count,
    sigkill,
    small_filesystem,
    start_crawl,
    wait_until,
)

# fixed so a failure replays; set NEWSCRAWL_FAULT_SEED to explore other kill moments
KILL_SEED = int(os.environ.get("NEWSCRAWL_FAULT_SEED", "20260105"))

KEPT = Article(
    url="https://bankingnews.example/oikonomia/kept",
    outlet="bankingnews",
    title="Ένα άρθρο που πρέπει να μείνει",
    text="Το αρχείο δεν αλλάζει όταν δεν μπορεί να γραφτεί.",
)


def test_sigkill_three_times_then_resume_loses_nothing(tmp_path):
    """Three runs killed at random moments, then one full run: the archive is whole and complete.

    A reference crawl of a second, untouched replica runs alongside (its 500-once and 429-once
    counters are its own), and the final archive must equal it url for url, hash for hash.
    """
    rng = random.Random(KILL_SEED)
    db, reference_db = tmp_path / "killed.db", tmp_path / "reference.db"
    # 120 articles, so a third kill still finds work left after the first two
    size = 120
    with (
        ReplicaServer(port=0, size=size, seed=1, slow_seconds=6) as victim,
        ReplicaServer(port=0, size=size, seed=1, slow_seconds=6) as untouched,
    ):
        reference = start_crawl(untouched.url, reference_db)
        seen: dict[str, str] = {}
        kills = []
        thresholds = sorted(rng.sample(range(5, 61), 3))
        for threshold in thresholds:
            before, runs = article_count(db), run_count(db)
            proc = start_crawl(victim.url, db)
            assert wait_until(lambda: run_count(db) > runs or proc.poll() is not None, timeout=30)  # noqa: B023
            if rng.random() < 0.5:
                target = max(threshold, before + 1)
                wait_until(lambda: article_count(db) >= target or proc.poll() is not None, timeout=60)  # noqa: B023
                kills.append(f"at {article_count(db)} articles")
            else:
                # the clock starts at this run's first stored article, not while Scrapy starts up
                wait_until(lambda: article_count(db) > before or proc.poll() is not None, timeout=30)  # noqa: B023
                delay = rng.uniform(0.3, 3.0)
                # ...and stops early near the end, so this run is still killed, not finished
                wait_until(lambda: article_count(db) >= size - 20 or proc.poll() is not None, timeout=delay)  # noqa: B023
                kills.append(f"after {delay:.2f}s at {article_count(db)} articles")
            assert proc.poll() is None, f"the crawl ended before the kill ({kills[-1]})"
            sigkill(proc)
            if not db.exists():
                continue
            assert integrity(db) == "ok", kills
            snapshot = hashes_by_path(db, victim.url)
            assert len(snapshot) == article_count(db), "duplicate urls after a kill"
            lost = {p: h for p, h in seen.items() if snapshot.get(p) != h}
            assert not lost, (kills, lost)
            seen.update(snapshot)
        assert len(seen) > 0, f"no article was stored before any of the kills {kills}"

        code, out, err = finish(start_crawl(victim.url, db), timeout=120)
        assert code == 0, err[-3000:]
        ref_code, _, ref_err = finish(reference, timeout=120)
        assert ref_code == 0, ref_err[-3000:]

        assert integrity(db) == "ok"
        urls = [u for (u,) in query(db, "select url from articles")]
        assert len(urls) == len(set(urls)), "an article is stored twice"
        final = hashes_by_path(db, victim.url)
        lost = {p: h for p, h in seen.items() if final.get(p) != h}
        assert not lost, (kills, lost)
        expected = hashes_by_path(reference_db, untouched.url)
        assert set(final) == set(expected), (kills, set(expected) ^ set(final))
        assert final == expected, kills
        assert {t["path"] for t in victim.site.ground_truth()} <= set(final)
        # the killed runs do not look active forever: the next run closed them as aborted
        statuses = [s for (s,) in query(db, "select status from crawl_runs order by id")]
        assert statuses == ["aborted"] * 3 + ["ok"], statuses
        # robots.txt held on every resume, whatever the killed runs left in the frontier
        assert not [r["path"] for r in victim.requests if r["path"].startswith("/internal/")], kills

        # A kill between discovering a disallowed link and robots.txt's verdict leaves it pending;
        # the resume starts with it, before robots.txt is known. It must still not be fetched.
        con = sqlite3.connect(db)
        with con:
            con.execute("update frontier set state = 'pending' where url like '%/internal/%'")
        con.close()
        start = len(victim.requests)
        code, _, err = finish(start_crawl(victim.url, db), timeout=60)
        assert code == 0, err[-3000:]
        assert not [p for p in requested_paths(victim, start) if p.startswith("/internal/")]
        assert hashes_by_path(db, victim.url) == expected


def start_replica_process(port: int) -> subprocess.Popen:
    """``newscrawl replica serve`` as its own process, ready to answer when this returns."""
    proc = subprocess.Popen(
        [str(NEWSCRAWL), "replica", "serve", "--port", str(port), "--slow-seconds", "6"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if not wait_until(lambda: http_ok(f"http://127.0.0.1:{port}/robots.txt") or proc.poll() is not None, 20):
        proc.kill()
        raise AssertionError("the replica server did not start within 20 s")
    assert proc.poll() is None, proc.communicate()[1]
    return proc


def test_outlet_server_dies_mid_crawl_errors_are_recorded_and_the_next_run_fills_the_gaps(tmp_path):
    db = tmp_path / "news.db"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    truth = {t["path"] for t in ReplicaSite(size=72, seed=1).ground_truth()}
    server = start_replica_process(port)
    try:
        crawl = start_crawl(base, db)
        assert wait_until(lambda: article_count(db) >= 20 or crawl.poll() is not None, timeout=60)
        assert crawl.poll() is None, "the crawl finished before the server could be killed"
        sigkill(server)
        stored_at_kill = article_count(db)
        # back a few seconds later, on the same port; the crawl may or may not still be running
        time.sleep(3)
        server = start_replica_process(port)
        code, _, err = finish(crawl, timeout=90)
        assert "Traceback" not in err, err[-3000:]
        errors, status = query(db, "select errors, status from crawl_runs order by id desc limit 1")[0]
        recorded = query(db, "select count(*) from fetch_errors")[0][0]
        assert errors > 0 and recorded > 0, (errors, recorded, status)
        assert article_count(db) < len(truth), "nothing was missed: the fault did not bite"
        assert article_count(db) >= stored_at_kill

        code, _, err = finish(start_crawl(base, db), timeout=90)
        assert code == 0, err[-3000:]
        stored = [u.removeprefix(base) for (u,) in query(db, "select url from articles")]
        assert len(stored) == len(set(stored))
        assert set(stored) == truth, (sorted(truth - set(stored)), sorted(set(stored) - truth))
        assert integrity(db) == "ok"
    finally:
        server.kill()
        server.wait(timeout=10)


def test_a_reader_holding_a_long_transaction_does_not_block_or_lose_writes(replica, tmp_path):
    """Datasette keeps read transactions open; WAL lets the crawl write past them, losing nothing."""
    db = tmp_path / "news.db"
    open_archive(db).conn.close()  # an existing archive, as when `newscrawl serve` is already up
    reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None, timeout=1)
    try:
        reader.execute("BEGIN")
        snapshot = reader.execute("select count(*) from articles").fetchone()[0]
        reader.execute("select * from frontier").fetchall()

        code, out, err = finish(start_crawl(replica.url, db), timeout=120)

        assert reader.in_transaction
        assert reader.execute("select count(*) from articles").fetchone()[0] == snapshot
    finally:
        reader.close()
    assert code == 0, err[-3000:]
    assert "locked" not in (out + err).lower(), err[-3000:]
    truth = {t["path"] for t in replica.site.ground_truth()}
    stored = [u.removeprefix(replica.url) for (u,) in query(db, "select url from articles")]
    assert len(stored) == len(set(stored))
    assert set(stored) == truth, (sorted(truth - set(stored)), sorted(set(stored) - truth))
    new, status = query(db, "select new, status from crawl_runs")[0]
    assert (new, status) == (len(stored), "ok")
    assert integrity(db) == "ok"


def stderr_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.strip()]


def test_disk_full_mid_crawl_stops_with_one_line_and_keeps_the_archive_whole(replica, tmp_path):
    truth = {t["path"] for t in replica.site.ground_truth()}
    with small_filesystem(tmp_path / "disk", "8m") as disk:
        db = disk / "news.db"
        code, _, err = finish(start_crawl(replica.url, db, "--max-pages", "20"), timeout=90)
        assert code == 0, err[-3000:]
        before = hashes_by_path(db, replica.url)
        assert before, "the first crawl stored nothing"

        filler = fill(disk, leave_bytes=150_000)
        code, out, err = finish(start_crawl(replica.url, db), timeout=90)
        assert code == 1, (out[-2000:], err[-3000:])
        assert "Traceback" not in err, err[-3000:]
        assert stderr_lines(err)[-1].startswith(
            f"newscrawl: crawl stopped: archive {db}: the disk is full"
        ), err
        assert integrity(db) == "ok"
        assert archive_consistency(db) == dict.fromkeys(archive_consistency(db), 0)
        after = hashes_by_path(db, replica.url)
        assert {p: after.get(p) for p in before} == before, "an article stored before the disk filled is gone"
        assert len(after) < len(truth), "the disk never filled up"

        # room again: the next run completes the archive
        filler.unlink()
        code, _, err = finish(start_crawl(replica.url, db), timeout=90)
        assert code == 0, err[-3000:]
        final = hashes_by_path(db, replica.url)
        assert set(final) == truth, (sorted(truth - set(final)), sorted(set(final) - truth))
        assert archive_consistency(db) == dict.fromkeys(archive_consistency(db), 0)
        assert integrity(db) == "ok"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("how", ["read-only filesystem", "immutable file"])
def test_read_only_archive_is_refused_with_one_line_and_left_untouched(fresh_replica, tmp_path, how):
    replica = fresh_replica  # its own request log: nothing else is talking to it
    folder = tmp_path / "ro"
    with contextlib.ExitStack() as undo:
        if how == "read-only filesystem":
            undo.enter_context(small_filesystem(folder, "4m"))
        else:
            folder.mkdir()
        db = folder / "news.db"
        archive = open_archive(db)
        upsert_article(archive, KEPT)
        archive.conn.close()
        if how == "read-only filesystem":
            remount_read_only(folder)
        else:
            subprocess.run(["chattr", "+i", str(db)], check=True)
            undo.callback(subprocess.run, ["chattr", "-i", str(db)], check=True)
        fingerprint = sha256(db)

        requests_before = len(replica.requests)
        code, out, err = finish(start_crawl(replica.url, db), timeout=60)

        assert code == 1, (out, err)
        assert stderr_lines(err) == [
            f"newscrawl: archive {db} is read-only; newscrawl needs write access to it and its directory"
        ], err
        assert len(replica.requests) == requests_before, "pages were fetched that could not be stored"
        assert sha256(db) == fingerprint
        con = sqlite3.connect(f"file:{db}?immutable=1", uri=True)
        assert con.execute("select url from articles").fetchall() == [(KEPT.url,)]
        con.close()


def newscrawl(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([str(NEWSCRAWL), *args], capture_output=True, text=True, timeout=timeout)


def test_read_only_commands_work_on_an_archive_in_a_read_only_directory(tmp_path):
    """search, runs, stats, outlets and serve only read, so a read-only filesystem must not stop them."""
    folder = tmp_path / "ro"
    with small_filesystem(folder, "4m"):
        db = folder / "news.db"
        archive = open_archive(db)
        upsert_article(archive, KEPT)
        archive.conn.close()
        remount_read_only(folder)
        fingerprint = sha256(db)

        found = newscrawl("search", "αρχειο", "--db", str(db), "--format", "json")
        assert found.returncode == 0, found.stderr
        assert [hit["url"] for hit in json.loads(found.stdout)] == [KEPT.url]
        for command in ("runs", "stats", "outlets"):
            done = newscrawl(command, "--db", str(db))
            assert done.returncode == 0, (command, done.stderr)
            assert done.stderr == "", (command, done.stderr)
        server = Serve(db)
        try:
            search_url = "/news/articles.json?_shape=array&_search=" + urllib.parse.quote("αρχειο")
            rows = json.loads(http_text(server.base + search_url))
            assert [row["url"] for row in rows] == [KEPT.url]
        finally:
            server.stop()
        # a command that writes refuses it in one line
        done = newscrawl("reextract", "--db", str(db))
        assert done.returncode == 2, done.stderr
        assert stderr_lines(done.stderr) == [
            f"newscrawl: archive {db} is read-only; newscrawl needs write access to it and its directory"
        ]
        assert sha256(db) == fingerprint


# -- hostile content -------------------------------------------------------------------------

HOSTILE_PATH = "/oikonomia/articles/999001/epithesi-sti-selida"
BIG_CAPTION = "Λεζάντα <b>με</b> μορφοποίηση. " * 2300  # about 100 KB of UTF-8


def hostile_page() -> bytes:
    """A real replica article page with an attacker's additions planted in it."""
    site = ReplicaSite(size=72, seed=1)
    truth = site.ground_truth()[5]
    html = site.handle("GET", truth["path"], {}, client_is_loopback=True).body.decode("utf-8")
    title = truth["title"]
    html = html.replace(f">{title}</h1>", f">&lt;script&gt;alert(1)&lt;/script&gt; {title}</h1>", 1)
    html = html.replace(f"<title>{title}", f"<title>&lt;script&gt;alert(1)&lt;/script&gt; {title}", 1)
    planted = (
        "<p>Πριν το σενάριο <script>document.title='κλεμμένο'</script> και μετά: "
        '&lt;script&gt;alert(4)&lt;/script&gt; <a href="javascript:alert(6)">σύνδεσμος</a>.</p>'
        '<figure class="image-block"><img src="javascript:alert(2)" alt="κακή εικόνα">'
        "<figcaption>Εικόνα με javascript</figcaption></figure>"
        '<figure class="image-block"><img src=" JaVaScRiPt:alert(5)" alt="κρυμμένη"></figure>'
        '<figure class="image-block"><img src="/media/2026/01/999001-1.jpg" onerror="alert(3)" '
        f'alt="με onerror"><figcaption>{BIG_CAPTION}</figcaption></figure>'
    )
    html = html.replace('<div class="story__content">', '<div class="story__content">' + planted, 1)
    assert "alert(1)" in html and "alert(2)" in html and "onerror" in html
    return html.encode("utf-8")


class _HostileHandler(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        if self.path.split("?")[0] != HOSTILE_PATH:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args) -> None:
        """Quiet: the test reads results, not access logs."""


JS_URL = re.compile(r"""(?:src|href|srcset|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def test_hostile_page_is_stored_safely_and_shown_escaped(tmp_path):
    _HostileHandler.body = hostile_page()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _HostileHandler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}{HOSTILE_PATH}"
    db = tmp_path / "news.db"
    try:
        done = subprocess.run(
            [str(NEWSCRAWL), "fetch", url, "--save", "--db", str(db), "--ignore-robots"],
            capture_output=True,
            text=True,
            timeout=60,
            # the hostile server stands in for the replica outlet, so its profile reads the page
            env={**os.environ, "NEWSCRAWL_REPLICA_URL": url.removesuffix(HOSTILE_PATH)},
        )
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr

    [(article_id, title, text)] = query(db, "select id, title, text from articles")
    assert "<script>alert(1)</script>" in title  # the page's words, kept as words
    assert "κλεμμένο" not in text and "document.title" not in text  # a script's code is not article text
    images = query(db, "select url, caption, alt from images where article_id = ?", [article_id])
    assert any(u.endswith("/media/2026/01/999001-1.jpg") for u, _, _ in images), images
    assert not [u for u, _, _ in images if u.strip().lower().startswith(("javascript:", "data:"))], images
    for _, caption, alt in images:
        for value in (caption or "", alt or ""):
            assert "<b>" not in value and "<script" not in value, value[:200]
            assert len(value.encode("utf-8")) <= len(BIG_CAPTION.encode("utf-8")), len(value)

    server = Serve(db)
    try:
        page = http_text(f"{server.base}/news/articles/{article_id}")
    finally:
        server.stop()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page and "<script>document.title" not in page
    assert not JS_URL.findall(page), JS_URL.findall(page)
    assert 'onerror="alert' not in page and "onerror=alert" not in page
    assert "/media/2026/01/999001-1.jpg" in page, "the harmless image (and its caption) is not shown"
