"""Running real crawls in child processes (Twisted's reactor cannot restart inside pytest)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def crawl_cmd(db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "crawler", "crawl", "replica", "--db", str(db), "--no-progress", *extra]


def crawl_env(server) -> dict[str, str]:
    return {**os.environ, "NEWSCRAWL_REPLICA_URL": server.url}


def run_crawl(server, db: Path, *extra: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        crawl_cmd(db, *extra), env=crawl_env(server), capture_output=True, text=True, timeout=timeout
    )


def query(db: Path, sql: str, params=()) -> list[tuple]:
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def article_paths(server, db: Path) -> list[str]:
    return [
        url.removeprefix(server.url)
        for (url,) in query(db, "select url from articles where outlet = 'replica'")
    ]


def requested_paths(server, start: int = 0) -> list[str]:
    return [r["path"] for r in server.requests[start:]]
