"""Small tools the fault tests share: crawls in killable child processes, archive snapshots, free ports.

Every wait here has a deadline, so a fault that makes something hang fails the test instead of
freezing the suite.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.crawl_helpers import crawl_cmd

NEWSCRAWL = Path(sys.executable).with_name("newscrawl")


def start_crawl(base_url: str, db: Path, *extra: str) -> subprocess.Popen:
    """A crawl of the replica at ``base_url`` in a child process we can SIGKILL at any moment."""
    env = {**os.environ, "NEWSCRAWL_REPLICA_URL": base_url}
    return subprocess.Popen(
        crawl_cmd(db, *extra), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _count(db: Path, sql: str) -> int:
    """One count, as another process sees the archive (0 before the schema exists)."""
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def article_count(db: Path) -> int:
    """Articles committed so far."""
    return _count(db, "select count(*) from articles")


def run_count(db: Path) -> int:
    """Crawl runs recorded so far: a new one means a crawl process has opened the archive."""
    return _count(db, "select count(*) from crawl_runs")


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.05) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` seconds passed; say which."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def finish(proc: subprocess.Popen, timeout: float) -> tuple[int, str, str]:
    """Wait for ``proc`` at most ``timeout`` s; a process that overruns is killed and the test fails."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(
            f"process did not finish within {timeout}s (killed); stderr:\n{err[-3000:]}"
        ) from None
    return proc.returncode, out, err


def sigkill(proc: subprocess.Popen) -> None:
    """Kill without any chance to clean up, then reap the process."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=10)


def hashes_by_path(db: Path, base_url: str) -> dict[str, str]:
    """{url path: version hash} of every stored article, the port-independent view of an archive.

    The version hash covers the image list, whose URLs carry the replica's port, so the hash is
    recomputed with the base URL taken out of them (after checking the stored one is the real one).
    """
    from dataclasses import replace

    from storage.archive import get_article, open_archive
    from storage.records import content_hash

    archive = open_archive(db)
    try:
        result = {}
        for url, stored in archive.execute("select url, content_hash from articles").fetchall():
            article = get_article(archive, url)
            assert content_hash(article) == stored, f"stored hash of {url} is not its version hash"
            images = [replace(img, url=img.url.removeprefix(base_url)) for img in article.images]
            result[url.removeprefix(base_url)] = content_hash(replace(article, images=images))
    finally:
        archive.close()
    return result


def integrity(db: Path) -> str:
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def small_filesystem(mountpoint: Path, size: str) -> Iterator[Path]:
    """A real filesystem of ``size`` (tmpfs, so root can fill it), unmounted afterwards.

    Root ignores file modes, so a full disk or a read-only archive cannot be faked with chmod;
    a mount is the real thing. Needs root (CAP_SYS_ADMIN); the fault suite runs as root.
    """
    mountpoint.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(mountpoint)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise AssertionError(f"cannot mount a tmpfs (the fault tests need root): {done.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        if subprocess.run(["umount", str(mountpoint)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True)


def remount_read_only(mountpoint: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mountpoint)], check=True, capture_output=True)


def fill(folder: Path, leave_bytes: int) -> Path:
    """Write a filler file until only about ``leave_bytes`` are free on ``folder``'s filesystem."""
    free = shutil.disk_usage(folder).free
    filler = folder / "filler.bin"
    with open(filler, "wb") as out:
        chunk = b"\0" * (1 << 16)
        remaining = max(free - leave_bytes, 0)
        while remaining > 0:
            remaining -= out.write(chunk[: min(len(chunk), remaining)])
    return filler


def archive_consistency(db: Path) -> dict[str, int]:
    """Rows that break the archive's promises; all zero in a consistent archive."""
    con = sqlite3.connect(db, timeout=30)
    try:
        checks = {
            "images without article": "select count(*) from images where article_id not in (select id from articles)",
            "articles without page": "select count(*) from articles where id not in "
            "(select article_id from pages where article_id is not null)",
            "duplicate urls": "select count(*) - count(distinct url) from articles",
            "versions without article": "select count(*) from article_versions "
            "where article_id not in (select id from articles)",
        }
        return {name: con.execute(sql).fetchone()[0] for name, sql in checks.items()}
    finally:
        con.close()


class Serve:
    """``newscrawl serve`` on a free loopback port, answering HTTP when the constructor returns."""

    def __init__(self, db: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [str(NEWSCRAWL), "serve", "--db", str(db), "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if not wait_until(
            lambda: http_ok(self.base + "/-/versions.json") or self.proc.poll() is not None, 30
        ):
            self.proc.kill()
            raise AssertionError("newscrawl serve did not answer within 30 s")
        if self.proc.poll() is not None:
            raise AssertionError(f"newscrawl serve exited: {self.proc.communicate()[1][-2000:]}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()


def http_text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")
