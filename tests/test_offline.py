"""Offline, or with a wrong base URL: an unreachable outlet is named at once, the others go on.

Real crawls in child processes: one outlet whose host name cannot resolve (``.invalid`` never
does) or whose port refuses, next to the live replica. Time limits here are generous bounds
(an unreachable outlet used to take about 45 s), not measurements.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from tests.crawl_helpers import crawl_cmd, query

TWO_OUTLETS = """
import dataclasses, json, sys
from crawler.outlet import get_outlet
from crawler.runner import run_crawl
replica = get_outlet("replica")
ghost = dataclasses.replace(replica, name="ghost", base_url=sys.argv[2], base_url_env=None)
summaries = run_crawl([ghost, replica], sys.argv[1], settings={"NEWSCRAWL_IMAGES": False})
print(json.dumps(summaries))
"""


def run_seconds(db: Path, outlet: str) -> float:
    started, finished = query(
        db, "select started_at, finished_at from crawl_runs where outlet = ?", [outlet]
    )[0]
    return (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()


@pytest.mark.parametrize(
    ("base_url", "cause"),
    [("http://no-such-host.invalid", "does not resolve"), ("http://127.0.0.1:9", "refuses connections")],
)
def test_unreachable_outlet_stops_fast_and_the_others_go_on(replica, tmp_path: Path, base_url, cause) -> None:
    db = tmp_path / "news.db"
    env = {**os.environ, "NEWSCRAWL_REPLICA_URL": replica.url}
    done = subprocess.run(
        [sys.executable, "-c", TWO_OUTLETS, str(db), base_url],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summaries = {s["outlet"]: s for s in json.loads(done.stdout.splitlines()[-1])}
    assert cause in summaries["ghost"]["unreachable"]
    assert summaries["ghost"]["status"] == "failed"
    assert run_seconds(db, "ghost") < 15  # generous: a few seconds expected
    assert summaries["replica"]["new"] >= 60 and summaries["replica"]["unreachable"] is None


def test_cli_names_the_cause_in_one_line_without_class_names(tmp_path: Path) -> None:
    env = {**os.environ, "NEWSCRAWL_REPLICA_URL": "http://no-such-host.invalid"}
    started = time.monotonic()
    done = subprocess.run(
        crawl_cmd(tmp_path / "news.db"), env=env, capture_output=True, text=True, timeout=120
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 1
    output = done.stdout + done.stderr
    assert "replica: unreachable: the host name no-such-host.invalid does not resolve" in output
    assert "crawl failed entirely for: replica (unreachable: check the network or the base URL)" in output
    assert not re.search(r"\b[A-Z]\w+(Error|Exception)\b", output), output
    assert "Traceback" not in output
    reasons = {r for (r,) in query(tmp_path / "news.db", "select reason from fetch_errors")}
    assert reasons and all("Error" not in r for r in reasons), reasons
    assert elapsed < 60  # generous bound; it was about 45 s per outlet before
