"""`newscrawl schedule` as a real long-running process with APScheduler against the replica."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

from tests.crawl_helpers import query


def start_scheduler(server, db, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "NEWSCRAWL_REPLICA_URL": server.url}
    cmd = [sys.executable, "-m", "crawler", "schedule", "replica", "--db", str(db), *extra]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finished_runs(db) -> int:
    if not db.exists():
        return 0
    try:
        return query(db, "select count(*) from crawl_runs where finished_at is not null")[0][0]
    except sqlite3.OperationalError:  # the first crawl has created the file but not yet its tables
        return 0


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_schedule_crawls_repeatedly_picks_up_new_articles_and_stops_on_sigterm(fresh_replica, tmp_path):
    db = tmp_path / "sched.db"
    proc = start_scheduler(fresh_replica, db, "--interval", "3", "--log-file", str(tmp_path / "sched.log"))
    try:
        assert wait_for(lambda: finished_runs(db) >= 1, 90), "no crawl finished"
        first = len(fresh_replica.site.ground_truth())
        fresh_replica.site.advance(180)
        expected = {fresh_replica.url + t["path"] for t in fresh_replica.site.ground_truth()}
        assert len(expected) > first
        stored = lambda: {u for (u,) in query(db, "select url from articles")}  # noqa: E731
        assert wait_for(lambda: finished_runs(db) >= 2 and stored() == expected, 120), (
            "new articles not picked up"
        )
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, output[-2000:]
    assert "received SIGTERM" in output
    assert query(db, "pragma integrity_check") == [("ok",)]
    runs = query(db, "select started_at, finished_at, status from crawl_runs order by id")
    assert all(f is not None for _, f, _ in runs), runs
    for (_, end), (start, _) in zip(
        [(s, f) for s, f, _ in runs], [(s, f) for s, f, _ in runs[1:]], strict=False
    ):
        assert start >= end, f"two crawls of one outlet overlapped: {runs}"
    assert (tmp_path / "sched.log").read_text().count("starting crawl of replica") >= 2


def test_schedule_state_survives_a_restart(replica, tmp_path):
    """A run that happened recently is not repeated at start-up; the schedule comes from crawl_runs."""
    db = tmp_path / "state.db"
    from tests.crawl_helpers import run_crawl

    assert run_crawl(replica, db, "--max-pages", "3").returncode == 0
    proc = start_scheduler(replica, db, "--interval", "3600")
    time.sleep(4)
    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, output
    assert query(db, "select count(*) from crawl_runs")[0][0] == 1
    assert "next run" in output


def test_schedule_unknown_outlet(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "schedule", "nope", "--db", str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "unknown outlet 'nope'" in result.stderr
