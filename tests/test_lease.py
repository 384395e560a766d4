"""One crawl per outlet at a time, whoever starts it, and no crawl outliving its scheduler.

Real processes throughout: ``newscrawl schedule`` and ``newscrawl crawl`` against the hostile
outlet server (tests/hostile_outlet.py) in its slow mode, whose articles take a second each (2,000 of them: minutes at the replica's concurrency) so
a crawl is still running when the test acts on it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_helpers import Hostile, start_hostile

ORPHAN_LIMIT_SECONDS = 10


@pytest.fixture
def slow_outlet(tmp_path: Path) -> Iterator[Hostile]:
    server = start_hostile(tmp_path, "--index-size", "0", "--slow-articles", "2000", "--article-delay", "1")
    yield server
    server.proc.kill()
    server.proc.wait()


def env_for(outlet: Hostile) -> dict[str, str]:
    return {**os.environ, "NEWSCRAWL_REPLICA_URL": outlet.url}


def start_scheduler(outlet: Hostile, db: Path, log: Path, interval: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "crawler", "schedule", "replica", "--db", str(db), "--interval", interval]
    with log.open("w") as out:
        return subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, env=env_for(outlet), start_new_session=True
        )


def runs(db: Path) -> list[dict]:
    if not db.exists():
        return []
    con = sqlite3.connect(db, timeout=30)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute("select * from crawl_runs order by id")]
    except sqlite3.OperationalError:  # the schema is not there yet
        return []
    finally:
        con.close()


def wait_for(condition, timeout: float, what: str, detail=lambda: ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}\n{detail()}")


def crawling(db: Path, outlet: Hostile) -> dict | None:
    """The running run once the crawl is among the slow articles, else None."""
    running = [r for r in runs(db) if r["status"] == "running"]
    slow = [p for p in outlet.log("outlet.log") if p.startswith("/oikonomia/articles/")]
    return running[-1] if running and slow else None


def hold_write_lock(db: Path) -> sqlite3.Connection:
    """A connection holding the archive's write lock; the running crawl commits often, so keep
    asking until SQLite's busy handler wins one of the gaps."""
    con = sqlite3.connect(db, timeout=2)
    deadline = time.monotonic() + 120
    while True:
        try:
            con.execute("BEGIN IMMEDIATE")
            return con
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise


def process_gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] == "Z"  # a zombie is gone, only not reaped
    except FileNotFoundError:
        return True


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_a_crawl_stops_within_seconds_when_its_scheduler_is_killed(
    slow_outlet: Hostile, tmp_path: Path
) -> None:
    db = tmp_path / "news.db"
    scheduler = start_scheduler(slow_outlet, db, tmp_path / "schedule.log", "3600")
    try:
        run = wait_for(
            lambda: crawling(db, slow_outlet), 90, "the scheduled crawl to reach the slow articles"
        )
        child = run["pid"]
        assert not process_gone(child)
        scheduler.send_signal(signal.SIGKILL)
        scheduler.wait()
        killed = time.monotonic()
        while not process_gone(child) and time.monotonic() - killed < ORPHAN_LIMIT_SECONDS:
            time.sleep(0.2)
        assert process_gone(child), (
            f"the crawl (pid {child}) outlived its scheduler by {ORPHAN_LIMIT_SECONDS} s"
        )
    finally:
        stop(scheduler)

    # the run shows as aborted with the counts it reached, in `newscrawl runs` and in the archive
    listed = subprocess.run(
        [sys.executable, "-m", "crawler", "runs", "--db", str(db)], capture_output=True, text=True, timeout=60
    )
    assert listed.returncode == 0, listed.stderr
    assert "aborted" in listed.stdout
    [last] = runs(db)[-1:]
    assert last["status"] == "aborted"
    assert last["finished_at"] is not None
    assert last["pages_fetched"] > 0 and last["new"] > 0


def test_a_second_scheduler_and_a_cli_crawl_refuse_while_one_crawls(
    slow_outlet: Hostile, tmp_path: Path
) -> None:
    db = tmp_path / "news.db"
    first = start_scheduler(slow_outlet, db, tmp_path / "first.log", "3600")
    second = None
    try:
        run = wait_for(lambda: crawling(db, slow_outlet), 90, "the first scheduler's crawl")

        # a `newscrawl crawl` of the same outlet beside it: one clear line, exit 3, nothing crawled,
        # even while a write holds the archive (the running crawl's batch commits do, now and then)
        busy = hold_write_lock(db)
        try:
            cli = subprocess.run(
                [sys.executable, "-m", "crawler", "crawl", "replica", "--db", str(db), "--no-progress"],
                capture_output=True,
                text=True,
                env=env_for(slow_outlet),
                timeout=60,
            )
        finally:
            busy.rollback()
            busy.close()
        assert cli.returncode == 3, cli.stdout + cli.stderr
        lines = cli.stderr.strip().splitlines()
        assert len(lines) == 1, lines
        assert f"replica is already being crawled into {db} by pid {run['pid']}" in lines[0]
        assert cli.stdout.strip() == ""

        # a second scheduler whose schedule says "now": it refuses to start one, and says why
        second_log = tmp_path / "second.log"
        second = start_scheduler(slow_outlet, db, second_log, "2")
        wait_for(
            lambda: "not starting a crawl of replica" in second_log.read_text(),
            60,
            "the second scheduler to refuse",
            lambda: f"its log:\n{second_log.read_text()}\nruns: {runs(db)}",
        )
        refusal = [line for line in second_log.read_text().splitlines() if "not starting a crawl" in line]
        assert f"already being crawled by pid {run['pid']} since" in refusal[0]
        assert "Traceback" not in second_log.read_text()
        assert [r["id"] for r in runs(db) if r["status"] == "running"] == [run["id"]]
    finally:
        if second is not None:
            stop(second)
        stop(first)

    # never two runs of the outlet at once: each started after the previous one finished
    history = runs(db)
    assert history and all(r["finished_at"] for r in history)
    for earlier, later in zip(history, history[1:], strict=False):
        assert later["started_at"] >= earlier["finished_at"], (earlier, later)
