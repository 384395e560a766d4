"""The newscrawl commands as a user runs them: real processes, real replica, real archive files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import main
from tests.crawl_helpers import query, run_crawl


def newscrawl(
    *args: str, env: dict | None = None, cwd=None, timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def crawled_db(replica, tmp_path_factory):
    db = tmp_path_factory.mktemp("crawled") / "news.db"
    result = run_crawl(replica, db)
    assert result.returncode == 0, result.stderr[-2000:]
    return db


def fault(replica, kind: str) -> str:
    return replica.url + next(f["url"] for f in replica.site.faults() if f["kind"] == kind)


# -- fetch: every bad input is one clear line and a non-zero exit ------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "not a URL"),
        ("ftp://example.org/x", "unsupported URL scheme"),
        ("http://127.0.0.1:9/closed-port", "connection refused"),
        ("http://no-such-host.invalid/a", "DNS lookup failed"),
        ("http://[::1/broken", "malformed URL"),
    ],
)
def test_fetch_bad_url_is_one_clear_line(url, message):
    result = newscrawl("fetch", url, timeout=60)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


def test_fetch_http_faults_of_the_replica(replica):
    cases = [
        (fault(replica, "404"), "HTTP 404"),
        (fault(replica, "slow"), "did not answer within 1s"),
        (fault(replica, "empty"), "empty page"),
        (fault(replica, "binary"), "not an HTML page"),
        (replica.url + "/media/nothing-here.jpg", "not an HTML page (image/"),
        (fault(replica, "truncated"), "no article text"),
        (fault(replica, "redirect-loop"), "redirect loop"),
        (replica.url + "/internal/articles/600201/x", "robots.txt"),
    ]
    for url, message in cases:
        result = newscrawl("fetch", url, "--timeout", "1", timeout=60)
        assert result.returncode == 1, (url, result.stdout[-500:])
        assert message in result.stderr, (url, result.stderr)
        assert "Traceback" not in result.stderr


def test_fetch_5xx_is_reported(fresh_replica):
    result = newscrawl("fetch", fault(fresh_replica, "500-once"))
    assert result.returncode == 1
    assert "HTTP 500" in result.stderr


def test_fetch_prints_article_and_saves_it(replica, tmp_path):
    truth = next(t for t in replica.site.ground_truth() if t["images"] and t["charset"] == "utf-8")
    url = replica.url + truth["path"] + "?utm_source=newsletter"
    result = newscrawl("fetch", url, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == truth["title"]
    assert [i["url"] for i in data["images"]] == [replica.url + i["url"] for i in truth["images"]]

    text = newscrawl("fetch", url).stdout
    assert truth["title"] in text and truth["paragraphs"][0] in text

    db = tmp_path / "one.db"
    saved = newscrawl("fetch", url, "--save", "--db", str(db))
    assert saved.returncode == 0, saved.stderr
    rows = query(db, "select url, title from articles")
    assert rows == [(replica.url + truth["path"], truth["title"])]
    assert query(db, "select count(*) from images")[0][0] == len(truth["images"])


# -- crawl, outlets, runs, stats, reextract ------------------------------------------------------


def test_crawl_unknown_outlet_and_bad_since(tmp_path):
    result = newscrawl("crawl", "no-such-outlet", "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2
    assert "unknown outlet 'no-such-outlet'" in result.stderr
    result = newscrawl("crawl", "replica", "--since", "yesterdayish", "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2
    assert "is not a date" in result.stderr


def test_crawl_max_pages_limits_article_fetches(replica, tmp_path):
    db = tmp_path / "small.db"
    result = run_crawl(replica, db, "--max-pages", "5")
    assert result.returncode == 0, result.stderr[-1000:]
    assert 1 <= query(db, "select count(*) from articles")[0][0] <= 5
    assert "Crawl summary" in result.stdout


def test_crawl_fails_when_the_outlet_is_unreachable(tmp_path):
    env = {**os.environ, "NEWSCRAWL_REPLICA_URL": "http://127.0.0.1:9"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler",
            "crawl",
            "replica",
            "--db",
            str(tmp_path / "x.db"),
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1
    assert "crawl failed entirely for: replica" in result.stderr
    assert query(tmp_path / "x.db", "select status from crawl_runs") == [("failed",)]


def test_outlets_runs_stats(crawled_db):
    runner = CliRunner()
    outlets = runner.invoke(main, ["outlets", "--db", str(crawled_db)], terminal_width=200)
    assert outlets.exit_code == 0
    assert "replica" in outlets.output and "bankingnews" in outlets.output
    runs = runner.invoke(main, ["runs", "--db", str(crawled_db)], terminal_width=200)
    assert runs.exit_code == 0 and "ok" in runs.output
    stats = runner.invoke(main, ["stats", "--db", str(crawled_db)], terminal_width=200)
    assert stats.exit_code == 0
    total = query(crawled_db, "select count(*) from articles")[0][0]
    assert "Archive by outlet" in stats.output and str(total) in stats.output


def test_report_commands_on_a_missing_archive(tmp_path):
    runner = CliRunner()
    for command in ("runs", "stats", "reextract"):
        result = runner.invoke(main, [command, "--db", str(tmp_path / "missing.db")])
        assert result.exit_code == 2
        assert "no archive at" in result.output


def test_reextract_keeps_unchanged_articles(crawled_db, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(crawled_db, db)
    before = query(db, "select count(*), sum(version) from articles")[0]
    result = CliRunner().invoke(main, ["reextract", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"{before[0]} articles: 0 updated, {before[0]} unchanged, 0 failed" in result.output
    assert query(db, "select count(*), sum(version) from articles")[0] == before


def test_demo_stores_every_replica_article_once(tmp_path):
    from crawler.replica import ReplicaSite

    truth = ReplicaSite(size=72, seed=1).ground_truth()
    port = free_port()
    db = tmp_path / "news.db"
    for run in (1, 2):  # a second demo on the same archive stores nothing twice
        result = newscrawl("demo", "--no-progress", "--port", str(port), cwd=tmp_path, timeout=180)
        assert result.returncode == 0, result.stderr[-2000:]
        assert query(db, "select count(*), count(distinct url) from articles")[0] == (
            len(truth),
            len(truth),
        ), run
        assert query(db, "select count(*) from images")[0][0] == sum(len(t["images"]) for t in truth)
        assert "newscrawl serve --db news.db" in result.stdout
    assert "this run: 0 new, 0 updated" in result.stdout


def test_demo_port_in_use_is_one_clear_line(replica, tmp_path):
    result = newscrawl("demo", "--port", str(replica.port), cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert f"cannot serve the replica on 127.0.0.1:{replica.port}" in result.stderr
    assert "Traceback" not in result.stderr


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_crawl_since_skips_older_articles(replica, tmp_path):
    db = tmp_path / "since.db"
    truth = replica.site.ground_truth()
    cutoff = sorted(t["published_at"] for t in truth)[len(truth) // 2]
    result = run_crawl(replica, db, "--since", cutoff)
    assert result.returncode == 0, result.stderr[-1000:]
    stored = {u.removeprefix(replica.url) for (u,) in query(db, "select url from articles")}
    newer = {t["path"] for t in truth if t["published_at"] >= cutoff}
    assert stored == newer


# -- bad archives, read-only commands, schedule config, demo on another port, reextract ----------


def bad_archives(tmp_path) -> dict[str, str]:
    """Files a user might pass as --db by mistake: not SQLite at all, and a SQLite file cut short."""
    text = tmp_path / "notes.db"
    text.write_text("these are my notes, not an archive\n" * 200, encoding="utf-8")
    corrupt = tmp_path / "corrupt.db"
    from storage.archive import open_archive, upsert_article
    from storage.records import Article

    db = open_archive(corrupt)
    for i in range(40):
        upsert_article(db, Article(url=f"https://x.gr/{i}", title="Τίτλος", text="Κείμενο άρθρου. " * 300))
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = bytearray(corrupt.read_bytes())
    data[4096:] = b"\xa5" * (len(data) - 4096)  # every page after the header scrambled
    corrupt.write_bytes(bytes(data))
    return {"not sqlite": str(text), "corrupt": str(corrupt)}


@pytest.mark.parametrize(
    "command",
    [
        ("runs",),
        ("stats",),
        ("outlets",),
        ("reextract",),
        ("search", "τράπεζα"),
        ("fetch", "FETCH_URL", "--save"),
        ("serve", "--port", "PORT"),
    ],
)
def test_every_command_on_a_bad_archive_is_one_line(command, replica, tmp_path):
    for kind, path in bad_archives(tmp_path).items():
        before = Path(path).read_bytes()
        args = [
            replica.url + replica.site.ground_truth()[0]["path"]
            if a == "FETCH_URL"
            else str(free_port())
            if a == "PORT"
            else a
            for a in command
        ]
        result = newscrawl(*args, "--db", path, timeout=60)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert result.returncode in (1, 2), (kind, result.stdout, result.stderr)
        assert len(lines) == 1, (kind, result.stderr)
        assert "Traceback" not in result.stderr
        assert "archive" in lines[0], (kind, lines[0])
        assert Path(path).read_bytes() == before, f"{command[0]} changed the {kind} file"


def test_schedule_config_missing_or_mistyped_is_one_line(tmp_path):
    missing = newscrawl("schedule", "replica", "--config", str(tmp_path / "missing.toml"), timeout=30)
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"newscrawl: schedule config {tmp_path / 'missing.toml'} does not exist"
    for body, complaint in [
        ('[outlets.replica]\ninterval_minutes = "often"\n', "interval_minutes must be a positive number"),
        ("[outlets.replica]\ncron = 5\n", "cron must be a string"),
        ('[outlets.replica]\ncron = "every day"\n', "is not a crontab line"),
        ("[outlets.replica]\ninterval_fortnights = 1\n", "unknown key 'interval_fortnights'"),
        ("outlets = 3\n", "must be a table"),
        ("[outlets.replica\n", "cannot read schedule config"),
    ]:
        config = tmp_path / "schedule.toml"
        config.write_text(body, encoding="utf-8")
        result = newscrawl("schedule", "replica", "--config", str(config), timeout=30)
        assert result.returncode == 2, (body, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and complaint in lines[0], (body, result.stderr)


def test_demo_on_another_port_refuses_instead_of_duplicating(tmp_path):
    first = newscrawl("demo", "--no-progress", "--size", "60", "--port", str(free_port()), cwd=tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    before = query(tmp_path / "news.db", "select count(*) from articles")[0][0]
    assert before > 0
    for port in (str(free_port()), "0"):
        again = newscrawl("demo", "--no-progress", "--size", "60", "--port", port, cwd=tmp_path)
        assert again.returncode == 2, again.stdout
        (line,) = again.stderr.strip().splitlines()
        assert "holds the replica served at http://127.0.0.1:" in line and "--port" in line
    assert query(tmp_path / "news.db", "select count(*) from articles")[0][0] == before


def test_reextract_with_a_better_profile_changes_the_stored_section(crawled_db, tmp_path):
    """Archive articles as a worse extractor saw them (no section), then reextract with today's profile."""
    db = tmp_path / "copy.db"
    shutil.copy(crawled_db, db)
    from storage.archive import get_article, open_archive
    from storage.records import content_hash

    archive = open_archive(db)
    with archive.conn:
        archive.execute("update articles set section = null where outlet = 'replica'")
    urls = [u for (u,) in archive.execute("select url from articles where outlet = 'replica'")]
    # the stored hash is the one the worse extraction would have had
    hashes = [(content_hash(get_article(archive, u)), u) for u in urls]
    with archive.conn:
        archive.conn.executemany("update articles set content_hash = ? where url = ?", hashes)
    archive.close()
    result = CliRunner().invoke(main, ["reextract", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"{len(urls)} updated" in result.output
    assert f"changed fields: section {len(urls)}" in result.output
    assert query(db, "select count(*) from articles where outlet = 'replica' and section is null")[0][0] == 0
    changed = {c for (c,) in query(db, "select changed from article_versions")}
    assert changed == {'["section"]'}


def test_a_broken_outlet_file_is_one_line_naming_it(tmp_path):
    import spiders

    broken = Path(spiders.__path__[0]) / "zz_broken_cli_test.py"
    broken.write_text("raise RuntimeError('half-written')\n", encoding="utf-8")
    try:
        for args in (("outlets",), ("crawl", "replica", "--db", str(tmp_path / "n.db"))):
            result = newscrawl(*args, timeout=60)
            assert result.returncode == 2, (args, result.stderr)
            (line,) = result.stderr.strip().splitlines()
            assert line.startswith("newscrawl: outlet file ") and "zz_broken_cli_test.py" in line
    finally:
        broken.unlink()
