"""Smoke test of ``python -m bench``: each benchmark at a tiny size ends with its JSON line.

The benchmarks run as a user runs them (a child ``python -m bench NAME ...``), against real
replica server processes, real crawls and real SQLite files; only the sizes are tiny.
"""

from __future__ import annotations

import hashlib
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
        (
            "extraction",
            ["--replica", "6", "--aeb-every", "30", "--real-every", "40"],
            ["ratio_time_vs_trafilatura"],
        ),
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
    if name == "extraction":
        # the open real pages are timed too: 176 pages, every 40th
        assert figures["realpages"]["pages"] == 5
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


# --- extraction quality over every open set -------------------------------------------------


def test_open_real_page_set_loads_with_truth_halves_and_named_sources() -> None:
    from bench.data import realpages

    pages = realpages.load()
    names = realpages.sources()
    assert len(pages) >= 150 and len(names) >= 3
    sources_md = (REPO / "bench" / "data" / "SOURCES.md").read_text(encoding="utf-8")
    for name in names:
        truth = realpages.truth(name)
        # SOURCES.md names the repository, the commit and the licence of every source
        for value in (truth["source"], truth["commit"], truth["licence"]):
            assert value and value in sources_md, (name, value)
        own = [p for p in pages if p.source == name]
        # both halves are present in every source, and a page's half follows from its id alone
        assert {p.split for p in own} == {"tune", "check"}
        for page in own:
            digest = hashlib.sha1(f"{name}/{page.page_id}".encode()).digest()
            assert page.split == ("tune" if digest[0] % 2 == 0 else "check")
    for page in pages:
        assert b"<" in page.html[:5000] and len(page.html) > 3000, page.page_id
        assert page.text or page.must_have or page.title or page.date, f"{page.source}/{page.page_id}"


def test_quality_bench_quick_prints_every_open_set_with_both_extractors() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.extraction_quality", "--quick", "--limit", "2"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = last_json(proc)
    from bench.data import realpages

    expected = ["realpages tune", "realpages check", "realpages all", "replica"]
    for source in realpages.sources():
        expected += [f"{source} tune", f"{source} check", f"{source} all"]
    if (REPO / ".." / "shared" / "eval" / "aeb" / "ground-truth.json").is_file():
        expected.append("aeb")
    table = proc.stdout.split("every open set", 1)[1]
    for name in expected:
        figures = result["sets"][name]
        assert figures["pages"] >= 1 and isinstance(figures["collapse"], int), name
        for who in ("ours", "trafilatura"):
            assert 0.0 <= figures[who]["must_have"] <= 1.0, (name, who)
            assert positive(figures[who]["ms_per_page"]), (name, who)
        assert any(line.startswith(name + " ") for line in table.splitlines()), name
    # figures the truth allows: body F1 on full-text sets, titles where given, images on replicas
    assert 0.0 < result["sets"]["wcxb all"]["trafilatura"]["f1"] <= 1.0
    assert result["sets"]["wcxb all"]["ours"]["title_of"] >= 1
    assert "image_recall" in result["sets"]["replica"]["ours"]
    # the collapse total counts each page once: aeb, each source, each replica outlet
    once = [n for n in expected if n.endswith(" all") and n != "realpages all"]
    once += [n for n in result["sets"] if n.startswith("replica") or n == "aeb"]
    assert result["collapse_total"] == sum(result["sets"][n]["collapse"] for n in once)
    assert result["sets"]["realpages all"]["collapse"] == sum(
        result["sets"][f"{s} all"]["collapse"] for s in realpages.sources()
    )


def test_collapse_counts_true_text_so_a_whole_page_dump_is_no_floor() -> None:
    from bench.extraction_quality import (
        EvalPage,
        Extracted,
        collapsed,
        collapsed_raw,
        score_page,
    )

    truth = " ".join(f"word{n}" for n in range(120))
    menus = " ".join(f"menu{n}" for n in range(400))
    page = EvalPage("t", "1", b"", "https://t.example/1", text=truth)
    dump = score_page(page, Extracted(f"{menus} {truth}", None, None, [], 0.0), [])
    right = score_page(page, Extracted(truth, None, None, [], 0.0), [])
    teaser = score_page(page, Extracted(" ".join(truth.split()[:30]), None, None, [], 0.0), [])
    # ours right, trafilatura the article plus the page's menus: fewer words, but no true text lost
    assert collapsed_raw(right, dump) and not collapsed(right, dump)
    # ours a teaser of the article: a collapse on true text as on raw words
    assert collapsed(teaser, dump) and collapsed(teaser, right)
