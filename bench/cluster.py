"""Cluster throughput: ``newscrawl cluster crawl`` with 1, 2 and 3 workers vs one ``newscrawl crawl``.

Every crawl is of the same replica (2,000 articles; ``--quick`` 150) served by its own fresh
replica process (slow page answering at once), into a fresh archive. The single-process crawl
is ``bench crawl``'s own child with images on (the code path of ``newscrawl crawl replica``, whose
default fetches and thumbnails every picture, as a cluster crawl does). For the cluster,
the workers (``newscrawl cluster worker`` processes) are started first and left idle, as they
are on real worker machines; then a child runs the coordinator and times its run, so both sides
leave out interpreter start-up alike. pages/s = articles stored / seconds of the run.

The coordinator's store rate alone: the coordinator crawls once more into a fresh archive while
a replay process answers every request at once with the outcome recorded in the 1-worker
run's archive (article, raw page, headers), so no fetching or extraction limits it; what is left
is discovery, queueing and storing, the coordinator's own share of every run.

The machine has 2 cores, shared by the replica server, Redis, the coordinator and the workers.
The replica's pictures are made once before the first run (``premake_pictures``) and served
from a folder, as an outlet serves static photos, so drawing them does not take the crawlers' CPU.

Run: ``python -m bench cluster [--quick]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.common import (
    REPO,
    BenchError,
    ReplicaProcess,
    child_env,
    emit,
    machine_note,
    ratio,
    run_child,
    table,
)

FULL_SIZE = 2000
QUICK_SIZE = 150
WORKER_COUNTS = (1, 2, 3)


# --- the children ---------------------------------------------------------------------------


def _child_coordinator(db: str, redis_url: str) -> dict:
    """The code path of ``newscrawl cluster crawl replica`` (minus the summary print), timed."""
    from crawler.cluster.coordinator import coordinate
    from crawler.outlet import get_outlet

    start = time.perf_counter()
    summaries = coordinate(redis_url, [get_outlet("replica")], db, progress=False)
    elapsed = time.perf_counter() - start
    con = sqlite3.connect(db)
    try:
        stored = con.execute("SELECT count(*) FROM articles WHERE outlet = 'replica'").fetchone()[0]
    finally:
        con.close()
    summary = summaries[0]
    return {
        "elapsed_s": elapsed,
        "pages": stored,
        "fetched": summary["pages_fetched"],
        "errors": summary["errors"],
        "status": summary["status"],
    }


def _recorded_outcomes(source_db: str) -> dict[str, dict]:
    """Each stored article of an earlier run as the outcome a worker pushed for it."""
    from storage.archive import open_archive
    from storage.articles import get_article, get_page

    db = open_archive(source_db)
    outcomes: dict[str, dict] = {}
    for page_url, article_url in db.execute(
        "SELECT p.url, a.url FROM pages p JOIN articles a ON a.id = p.article_id"
    ).fetchall():
        page, article = get_page(db, page_url), get_article(db, article_url)
        outcome = {
            "kind": "article",
            "final_url": page_url,
            "status": page["status"] or 200,
            "headers": page["headers"],
            "fetched_at": page["fetched_at"],
            "article": article.to_dict(),
            "body": page["body"] or b"",
        }
        outcomes[page_url] = outcomes[article_url] = outcome
    for url, status, reason in db.execute("SELECT url, status, reason FROM fetch_errors").fetchall():
        outcomes.setdefault(url, {"kind": "error", "status": status, "reason": reason})
    return outcomes


def _child_replay(source_db: str, redis_url: str) -> None:
    """Answer every queued request at once from the recording, until terminated."""
    from crawler.cluster.connection import OutletKeys, connect
    from crawler.cluster.jobs import JobStream, decode

    outcomes = _recorded_outcomes(source_db)
    stream = JobStream(connect(redis_url), OutletKeys("replica"))
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    print("replaying", flush=True)
    while not stop:
        entries = stream.lease("replay", 500)
        if not entries:
            time.sleep(0.005)
        for entry_id, fields in entries:
            url = decode(fields)["url"]
            outcome = outcomes.get(url, {"kind": "error", "reason": "not in the recording"})
            stream.finish([entry_id], {"url": url, **outcome})


# --- the parent -----------------------------------------------------------------------------


def _start(args: list[str], env: dict[str, str], ready: str) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", *args],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline() if proc.stdout else ""
    if ready not in line:
        proc.kill()
        raise BenchError(f"{' '.join(args[:3])} did not start: {(line + proc.stderr.read())[-300:]}")
    return proc


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _children_cpu() -> float:
    """CPU seconds of the child processes this bench has waited for so far (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cluster_run(
    server: ReplicaProcess, redis_url: str, workers: int, db: Path, replay: Path | None = None
) -> dict:
    env = child_env(NEWSCRAWL_REPLICA_URL=server.url)
    if replay is not None:
        helpers = [
            _start(
                ["bench.cluster", "--child", "replay", "--db", str(replay), "--redis", redis_url],
                env,
                "replaying",
            )
        ]
    else:
        worker = ["crawler", "cluster", "worker", "replica", "--redis", redis_url]
        helpers = [_start(worker, env, "serving") for _ in range(workers)]
    before = _children_cpu()
    try:
        time.sleep(2.0)  # the workers' crawlers open and start polling, as long-running ones are
        result = run_child(
            ["bench.cluster", "--child", "coordinator", "--db", str(db), "--redis", redis_url], env=env
        )
    finally:
        _stop(helpers)
    result["cpu_s"] = _children_cpu() - before  # the coordinator's and the workers' (or the replay's)
    return result


def premake_pictures(size: int, folder: Path) -> None:
    """Make every picture of the replica once, untimed, for all of this bench's replica processes.

    A real outlet serves photos as static files from its own machines; the replica draws each
    one on request (4 ms), on the 2 cores the crawls being compared share. Made beforehand, every
    run (the single process and the cluster's alike) gets them as a static server would give them.
    """
    from crawler.replica import media
    from crawler.replica.site import ReplicaSite

    folder.mkdir(parents=True, exist_ok=True)
    os.environ[media.MEDIA_DIR_ENV] = str(folder)  # inherited by every replica process (child_env)
    paths = {image["url"] for doc in ReplicaSite(size=size).ground_truth() for image in doc["images"]}
    for path in sorted(paths):
        media.picture(urlsplit(path).path)


def run(quick: bool = False, size: int | None = None) -> dict:
    from crawler.cluster.local_redis import LocalRedis

    size = size or (QUICK_SIZE if quick else FULL_SIZE)
    results: dict[str, dict] = {}
    with (
        tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp,
        LocalRedis(Path(tmp) / "redis") as redis,
    ):
        work = Path(tmp)
        premake_pictures(size, work / "media")
        with ReplicaProcess(size=size) as server:
            env = child_env(NEWSCRAWL_REPLICA_URL=server.url)
            before = _children_cpu()
            results["single"] = run_child(
                ["bench.crawl", "--child", "ours_images", "--db", str(work / "single.db")], env=env
            )
            results["single"]["cpu_s"] = _children_cpu() - before
        for n in WORKER_COUNTS:
            with ReplicaProcess(size=size) as server:
                results[f"workers_{n}"] = _cluster_run(server, redis.url, n, work / f"cluster-{n}.db")
                if n == 1:  # replay the 1-worker run's outcomes against the same site
                    results["coordinator"] = _cluster_run(
                        server, redis.url, 0, work / "coordinator.db", replay=work / "cluster-1.db"
                    )
    rates = {k: r["pages"] / r["elapsed_s"] for k, r in results.items()}
    per_worker = rates["workers_1"]
    figures = {
        "ratio_2_workers_vs_1": ratio(rates["workers_2"], rates["workers_1"]),
        "ratio_3_workers_vs_1": ratio(rates["workers_3"], rates["workers_1"]),
        "ratio_1_worker_vs_single_process": ratio(rates["workers_1"], rates["single"]),
        "coordinator_articles_per_s": round(rates["coordinator"], 1),
        "pages_per_s": {k: round(v, 1) for k, v in rates.items()},
        "pages": {k: r["pages"] for k, r in results.items()},
        "seconds": {k: round(r["elapsed_s"], 2) for k, r in results.items()},
        # CPU per stored article of the crawler's processes (coordinator and workers, or the one
        # process; not the replica, not Redis): what a run costs the shared cores, whatever the load
        "cpu_ms_per_article": {k: round(1000 * r["cpu_s"] / r["pages"], 1) for k, r in results.items()},
        "workers_one_coordinator_feeds": round(rates["coordinator"] / per_worker, 1) if per_worker else None,
        "replica_size": size,
        "targets": {"ratio_2_workers_vs_1": 1.7, "ratio_1_worker_vs_single_process": 0.8},
    }
    labels = {
        "single": "newscrawl crawl (one process, images on)",
        "workers_1": "cluster: coordinator + 1 worker",
        "workers_2": "cluster: coordinator + 2 workers",
        "workers_3": "cluster: coordinator + 3 workers",
        "coordinator": "coordinator alone (outcomes replayed)",
    }
    rows = [
        (
            labels[k],
            results[k]["pages"],
            results[k]["elapsed_s"],
            rates[k],
            ratio(rates[k], rates["workers_1"]),
        )
        for k in labels
    ]
    text = table(
        f"cluster: replica size {size}, one Redis, workers and coordinator on this machine — {machine_note()}",
        ["crawl", "articles", "seconds", "pages/s", "ratio vs 1 worker"],
        rows,
    )
    text += (
        f"\n1 worker vs one process: {figures['ratio_1_worker_vs_single_process']} (target >= 0.8); "
        f"2 vs 1 worker: {figures['ratio_2_workers_vs_1']} (target >= 1.7 on 2 cores); "
        f"the coordinator stores {figures['coordinator_articles_per_s']} articles/s: enough for about "
        f"{figures['workers_one_coordinator_feeds']} workers at this machine's 1-worker rate"
    )
    emit("cluster", figures, text)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench cluster")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--size", type=int, default=None, help="replica size (articles); default 2000, quick 150"
    )
    parser.add_argument("--child", choices=("coordinator", "replay"), help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--redis", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "coordinator":
        print(json.dumps(_child_coordinator(args.db, args.redis)))
        return 0
    if args.child == "replay":
        _child_replay(args.db, args.redis)
        return 0
    run(args.quick, args.size)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
