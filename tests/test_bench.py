"""Smoke test of ``python -m bench``: each benchmark at a tiny size ends with its JSON line.

The benchmarks run as a user runs them (a child ``python -m bench NAME ...``), against real
replica server processes, real crawls and real SQLite files; only the sizes are tiny.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def bench(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bench", *args], cwd=REPO, capture_output=True, text=True, timeout=timeout
    )


def last_json(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.rstrip("\n").splitlines()
    assert len(lines) > 1, "a table must come before the JSON line"
    return json.loads(lines[-1])


def positive(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


@pytest.mark.parametrize(
    ("name", "args", "keys"),
    [
        (
            "storage",
            ["--sizes", "40", "120"],
            ["ratio_vs_sqlite_utils_fts", "ratio_vs_bare_insert", "fts_p95_ms", "fts_median_ms"],
        ),
        ("extraction", ["--replica", "6", "--aeb-every", "30"], ["ratio_time_vs_trafilatura"]),
        (
            "crawl",
            ["--size", "60", "--rounds", "1"],
            ["pages_per_s", "ratio_vs_fetch_extract", "ratio_vs_fetch_only", "pages"],
        ),
        ("memory", ["--sizes", "60", "70"], ["peak_ratio_large_vs_small", "peak_mb_small", "peak_mb_large"]),
        (
            "export",
            ["--sizes", "50", "200"],
            ["peak_ratio_large_vs_small_jsonl", "peak_ratio_large_vs_small_csv"],
        ),
        ("cluster", ["--size", "60"], ["ratio_2_workers_vs_1", "coordinator_articles_per_s"]),
    ],
)
def test_benchmark_prints_table_then_json_with_its_figures(
    name: str, args: list[str], keys: list[str]
) -> None:
    result = last_json(bench(name, *args, timeout=300 if name == "cluster" else 120))
    assert list(result) == [name]
    figures = result[name]
    for key in keys:
        assert positive(figures.get(key)), f"{name}.{key} = {figures.get(key)!r}"
    if name == "crawl":
        # every article page of the 60-article replica ends up in the archive
        assert figures["pages"] >= 60
    if name == "cluster":
        # every crawl, single-process or clustered, stores every article of the replica
        assert all(n >= 60 for n in figures["pages"].values()), figures["pages"]
    if name == "memory":
        assert figures["pages_small"] >= 60 and figures["pages_large"] >= 70
        assert 30 < figures["peak_mb_small"] < 2000


def test_unknown_benchmark_prints_usage_and_exits_2() -> None:
    proc = bench("nosuch")
    assert proc.returncode == 2
    assert "unknown benchmark 'nosuch'" in proc.stderr
    assert "usage: python -m bench NAME [--quick]" in proc.stderr
    for name in ("crawl", "extraction", "storage", "memory"):
        assert name in proc.stderr
    assert proc.stdout == ""


def test_no_benchmark_named_prints_usage_and_exits_2() -> None:
    proc = bench()
    assert proc.returncode == 2
    assert "usage: python -m bench NAME" in proc.stderr
