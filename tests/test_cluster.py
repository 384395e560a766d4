"""Cluster crawls with real processes: redis-server (AOF on), the replica over HTTP, a coordinator
that owns a real SQLite archive, and worker processes; killed and restarted as a user's would be."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from crawler.cluster.local_redis import LocalRedis
from crawler.replica import ReplicaServer
from tests.crawl_helpers import article_paths, query

LEASE = "6"  # seconds: a killed worker's requests go to another soon


@pytest.fixture
def redis_server(tmp_path):
    with LocalRedis(tmp_path / "redis") as server:
        yield server


def cluster_env(replica) -> dict[str, str]:
    return {**os.environ, "NEWSCRAWL_REPLICA_URL": replica.url, "PYTHONUNBUFFERED": "1"}


def coordinator(replica, redis_server, db: Path, *extra: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "crawler", "cluster", "crawl", "replica", "--redis", redis_server.url]
    cmd += ["--db", str(db), "--no-progress", "--lease", LEASE, *extra]
    return subprocess.Popen(
        cmd, env=cluster_env(replica), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def worker(replica, redis_server, idle_exit: float = 30) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "crawler", "cluster", "worker", "replica", "--redis", redis_server.url]
    cmd += ["--idle-exit", str(idle_exit), "--lease", LEASE]
    return subprocess.Popen(
        cmd, env=cluster_env(replica), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


#: Deadlines only: generous, because other jobs may load this machine (a loaded run is slow, not wrong).
DEADLINE = 600


def finish(proc: subprocess.Popen, timeout: float = DEADLINE) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"process did not finish in {timeout} s: {err[-2000:]}")
    return proc.returncode, out, err


def stop_workers(workers: list[subprocess.Popen]) -> list[str]:
    """SIGTERM every worker still running (it exits 0); their outputs."""
    outputs = []
    for proc in workers:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        code, out, err = finish(proc)
        assert code == 0, err[-2000:]
        outputs.append(out)
    return outputs


def stored_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        return query(db, "select count(*) from articles")[0][0]
    except Exception:  # the coordinator is still creating the schema
        return 0


def wait_for_articles(db: Path, count: int, timeout: float = DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    while stored_count(db) < count:
        assert time.monotonic() < deadline, f"only {stored_count(db)} of {count} articles stored in time"
        time.sleep(0.2)


def assert_archive_is_ground_truth(replica, db: Path) -> None:
    truth = {t["path"] for t in replica.site.ground_truth()}
    stored = article_paths(replica, db)
    assert len(stored) == len(set(stored)), [p for p, n in Counter(stored).items() if n > 1]
    missing = truth - set(stored)
    assert not missing and set(stored) == truth, (
        sorted(missing)[:5],
        sorted(set(stored) - truth)[:5],
        query(db, "select url, reason from fetch_errors"),
        [(r["path"], r["status"], round(r["time"], 2)) for r in replica.requests if r["path"] in missing],
    )
    assert query(db, "pragma integrity_check") == [("ok",)]
    # one version and one raw page per article: nothing stored twice under the hood either
    assert query(db, "select article_id from article_versions group by article_id having count(*) > 1") == []
    assert query(db, "select url from pages group by url having count(*) > 1") == []
    # the fault pages are recorded with their reasons, as in a local crawl
    errors = {u.removeprefix(replica.url) for (u,) in query(db, "select url from fetch_errors")}
    for fault in replica.site.faults():
        assert (fault["url"] in errors) == (fault["expect"] == "error"), fault
    # every picture the stored articles show is kept as a thumbnail, once, as in a local crawl
    served = {i["url"] for t in replica.site.ground_truth() for i in t["images"]}
    pictures = {u.removeprefix(replica.url) for (u,) in query(db, "select distinct url from images")}
    kept = [u.removeprefix(replica.url) for (u,) in query(db, "select url from image_urls")]
    assert pictures and pictures <= served
    assert sorted(kept) == sorted(pictures), sorted(pictures - set(kept))[:5]
    assert query(db, "select count(*) from image_files where length(thumbnail) > 0") == [(len(pictures),)]


def fetched_counts(outputs: list[str]) -> tuple[list[int], list[int]]:
    """Pages and pictures each worker says it fetched (its last line)."""
    pages = [int(o.rsplit("worker ", 1)[1].split(": ")[1].split()[0]) for o in outputs]
    images = [int(o.rsplit("), ", 1)[1].split()[0]) for o in outputs]
    return pages, images


def test_three_workers_crawl_the_replica_into_its_ground_truth(redis_server, tmp_path):
    db = tmp_path / "news.db"
    with ReplicaServer(port=0, size=150, seed=1, slow_seconds=8) as replica:
        workers = [worker(replica, redis_server) for _ in range(3)]
        code, out, err = finish(coordinator(replica, redis_server, db))
        assert code == 0, err[-2000:]
        outputs = stop_workers(workers)
        assert_archive_is_ground_truth(replica, db)
        # the same summary as `newscrawl crawl`, and every worker did part of the work
        assert "Crawl summary" in out and "replica" in out
        runs = query(db, "select status, new from crawl_runs")
        assert runs == [("ok", len(replica.site.ground_truth()))]
        pages, images = fetched_counts(outputs)
        assert all(n > 0 for n in pages) and all(n > 0 for n in images), outputs
        # the workers fetched the pictures, the coordinator (the archive writer) none of them
        media = [r for r in replica.requests if r["path"].startswith("/media/")]
        assert sum(images) == len(media), (images, len(media))


def test_killed_worker_and_coordinator_lose_and_duplicate_nothing(redis_server, tmp_path):
    db = tmp_path / "news.db"
    with ReplicaServer(port=0, size=240, seed=1, slow_seconds=8) as replica:
        total = len(replica.site.ground_truth())
        workers = [worker(replica, redis_server) for _ in range(3)]
        first = coordinator(replica, redis_server, db)
        wait_for_articles(db, total // 3)
        workers[0].kill()  # SIGKILL with its leased requests in hand
        workers[0].wait()
        workers[1].send_signal(signal.SIGTERM)  # SIGTERM: hands its requests back and exits 0
        assert finish(workers[1])[0] == 0
        workers[1] = worker(replica, redis_server)
        wait_for_articles(db, total // 2)
        first.kill()  # the archive writer dies mid-run
        first.wait()
        assert stored_count(db) < total
        workers[0] = worker(replica, redis_server)
        code, out, err = finish(coordinator(replica, redis_server, db))
        assert code == 0, err[-2000:]
        stop_workers(workers)
        assert_archive_is_ground_truth(replica, db)
        assert query(db, "select status from crawl_runs order by id") == [("aborted",), ("ok",)]


def test_redis_restarted_mid_run_loses_nothing(redis_server, tmp_path):
    db = tmp_path / "news.db"
    with ReplicaServer(port=0, size=200, seed=1, slow_seconds=8) as replica:
        total = len(replica.site.ground_truth())
        workers = [worker(replica, redis_server) for _ in range(2)]
        proc = coordinator(replica, redis_server, db)
        wait_for_articles(db, total // 3)
        redis_server.restart(down_seconds=1.5)  # SIGKILL, then the same port and append-only file
        code, out, err = finish(proc)
        assert code == 0, err[-2000:]
        stop_workers(workers)
        assert_archive_is_ground_truth(replica, db)


def test_rate_limit_holds_for_the_cluster_not_per_worker(redis_server, tmp_path):
    db = tmp_path / "news.db"
    delay = 0.2
    with ReplicaServer(port=0, size=60, seed=1, slow_seconds=1) as replica:
        workers = [worker(replica, redis_server) for _ in range(2)]
        code, out, err = finish(
            coordinator(replica, redis_server, db, "--delay", str(delay), "--concurrency", "1")
        )
        assert code == 0, err[-2000:]
        outputs = stop_workers(workers)
        fetched, _ = fetched_counts(outputs)
        assert all(n > 0 for n in fetched), outputs  # both workers fetched pages...
        times = sorted(r["time"] for r in replica.requests)
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        # ...yet the outlet saw one request at a time, `delay` apart (the log stamps answers, so a
        # short gap follows a slow answer; two workers unchecked would send two at once)
        assert len(times) > 20
        assert sorted(gaps)[len(gaps) // 2] >= delay * 0.9
        assert (times[-1] - times[0]) >= (len(times) - 1) * delay * 0.9


def test_worker_exits_0_when_idle_and_bad_redis_is_one_clear_line(redis_server, tmp_path):
    with ReplicaServer(port=0, size=60, seed=1) as replica:
        started = time.monotonic()
        code, out, err = finish(worker(replica, redis_server, idle_exit=2))
        assert code == 0, err[-2000:]
        assert time.monotonic() - started >= 2
        assert "no work for 2 s" in out
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "crawler",
                "cluster",
                "crawl",
                "replica",
                "--redis",
                "redis://127.0.0.1:1/0",
            ]
            + ["--db", str(tmp_path / "news.db")],
            env=cluster_env(replica),
            capture_output=True,
            text=True,
            timeout=DEADLINE,
        )
        assert proc.returncode == 1
        assert proc.stderr.startswith("newscrawl: cannot reach Redis at redis://127.0.0.1:1/0")
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_scheduler_drives_cluster_runs(redis_server, tmp_path):
    db = tmp_path / "news.db"
    with ReplicaServer(port=0, size=60, seed=1, slow_seconds=8) as replica:
        workers = [worker(replica, redis_server, idle_exit=120)]
        cmd = [sys.executable, "-m", "crawler", "schedule", "replica", "--db", str(db), "--interval", "3"]
        cmd += ["--cluster", "--redis", redis_server.url]
        proc = subprocess.Popen(
            cmd, env=cluster_env(replica), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            deadline = time.monotonic() + DEADLINE
            while not query_runs(db, "ok"):
                assert time.monotonic() < deadline and proc.poll() is None, "no cluster run finished"
                time.sleep(0.5)
        finally:
            proc.send_signal(signal.SIGTERM)
            output, _ = proc.communicate(timeout=DEADLINE)
        assert proc.returncode == 0, output[-2000:]
        outputs = stop_workers(workers)
        # the worker fetched the pages; the scheduler's runs stored them
        assert fetched_counts(outputs)[0][0] > 0
        assert_archive_is_ground_truth(replica, db)


def query_runs(db: Path, status: str) -> int:
    if not db.exists():
        return 0
    try:
        return query(db, "select count(*) from crawl_runs where status = ?", (status,))[0][0]
    except Exception:  # schema being created
        return 0


def test_worker_refuses_a_queued_request_outside_the_outlet(redis_server):
    """Redis is shared: a request someone queued for another origin is answered with a refusal,
    never fetched."""
    from crawler.cluster.connection import OutletKeys, connect
    from crawler.cluster.jobs import JobStream, decode, ensure_group

    client = connect(redis_server.url)
    stream = JobStream(client, OutletKeys("replica"))
    stream.reset()
    with ReplicaServer(port=0, size=60, seed=1) as replica:
        foreign = "http://127.0.0.2:9/politiki/articles/1/x"
        own_port_elsewhere = replica.url.replace("127.0.0.1", "localhost") + "/politiki/articles/2/y"
        for url in (foreign, own_port_elsewhere):
            stream.publish({"url": url, "headers": {}, "source": "test", "since": ""})
        code, out, err = finish(worker(replica, redis_server, idle_exit=2))
        assert code == 0, err[-2000:]
        ensure_group(client, stream.keys.results, "coordinator")
        outcomes = {o["url"]: o for o in (decode(f) for _, f in stream.outcomes())}
        assert set(outcomes) == {foreign, own_port_elsewhere}
        for outcome in outcomes.values():
            assert outcome["kind"] == "error"
            assert "origin" in outcome["reason"], outcome  # the refusal, not a failed fetch
        assert replica.requests == []  # not even robots.txt


def test_coordinator_whose_redis_is_gone_stops_on_sigterm(redis_server, tmp_path):
    """Redis dies for good while requests wait for workers: SIGTERM still ends the coordinator,
    with the run closed in the archive and what it stored kept."""
    db = tmp_path / "news.db"
    with ReplicaServer(port=0, size=60, seed=1) as replica:
        proc = coordinator(replica, redis_server, db)  # no worker: its requests wait in Redis
        deadline = time.monotonic() + 120
        while not query_or_none(db, "select count(*) from crawl_runs where status = 'running'"):
            assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read()[-2000:]
            time.sleep(0.2)
        time.sleep(3)  # the run has queued its article requests by now
        redis_server.kill()
        time.sleep(2)
        proc.send_signal(signal.SIGTERM)
        _code, out, err = finish(proc, timeout=90)  # before: waited for Redis forever
        assert "Traceback" not in err, err[-3000:]
        assert "Redis unreachable while stopping" in err
        assert "aborted" in out
        [(status, finished)] = query(db, "select status, finished_at from crawl_runs")
        assert status == "aborted" and finished, status
        assert query(db, "pragma integrity_check") == [("ok",)]


def query_or_none(db: Path, sql: str):
    try:
        return query(db, sql)[0][0] if db.exists() else None
    except Exception:  # the schema is not there yet
        return None
