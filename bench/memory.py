"""Peak memory of ``newscrawl crawl replica``: does it stay flat as the outlet grows?

The same command (the real CLI, same code path) crawls a small and a large replica, each into a
fresh archive and against a fresh replica server process; the crawler's peak RSS comes from the
kernel (``ru_maxrss`` of exactly that child via ``os.wait4``), so the server's memory never
counts. A crawler that keeps every page, item or URL it saw grows with the site; the target is
a large/small ratio under 1.3.

Run: ``python -m bench memory [--quick]``
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

from bench.common import ReplicaProcess, child_env, emit, machine_note, ratio, run_measured, table

FULL_SIZES = (2_000, 10_000)
QUICK_SIZES = (300, 1_500)


def crawl_peak(size: int, workdir: Path) -> dict:
    """Crawl a fresh replica of ``size`` articles with the CLI; its peak RSS, time and pages."""
    db = workdir / f"memory-{size}.db"
    with ReplicaProcess(size=size) as server:
        cmd = [sys.executable, "-m", "crawler", "crawl", "replica", "--db", str(db), "--no-progress"]
        wall, peak_mb = run_measured(cmd, child_env(NEWSCRAWL_REPLICA_URL=server.url), timeout=3600)
    con = sqlite3.connect(db)
    try:
        pages = con.execute("SELECT count(*) FROM articles WHERE outlet = 'replica'").fetchone()[0]
    finally:
        con.close()
    return {"size": size, "pages": pages, "seconds": wall, "peak_mb": peak_mb}


def run(quick: bool = False, sizes: tuple[int, int] | None = None) -> dict:
    small, large = sizes or (QUICK_SIZES if quick else FULL_SIZES)
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        a = crawl_peak(small, Path(tmp))
        b = crawl_peak(large, Path(tmp))
    figures = {
        "peak_ratio_large_vs_small": ratio(b["peak_mb"], a["peak_mb"]),
        "peak_mb_small": round(a["peak_mb"], 1),
        "peak_mb_large": round(b["peak_mb"], 1),
        "pages_small": a["pages"],
        "pages_large": b["pages"],
        "seconds_small": round(a["seconds"], 1),
        "seconds_large": round(b["seconds"], 1),
        "target_ratio": 1.3,
    }
    rows = [
        (
            f"newscrawl crawl replica, {r['size']:,}-article replica",
            r["pages"],
            r["seconds"],
            r["peak_mb"],
            ratio(r["peak_mb"], a["peak_mb"]),
        )
        for r in (a, b)
    ]
    text = table(
        f"memory: peak RSS of the crawler process (VmHWM via wait4) — {machine_note()}",
        ["crawl", "articles stored", "seconds", "peak MB", "ratio vs small"],
        rows,
    )
    text += "\ntarget: large/small peak ratio < 1.3"
    emit("memory", figures, text)
    return figures


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench memory")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sizes", type=int, nargs=2, default=None, help="small and large replica sizes")
    args = parser.parse_args(argv)
    run(args.quick, tuple(args.sizes) if args.sizes else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
