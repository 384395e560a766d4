"""Crawl throughput: a full ``newscrawl crawl replica`` against bare Scrapy spiders, same run.

Baselines: (a) a minimal Scrapy spider that only fetches the replica's article pages (URL list
from the ground truth) and (b) the same spider plus plain ``trafilatura.extract`` on each page,
no storage. Ours runs twice: with ``--no-images`` (the same work as the baselines, which the
0.85 target is about) and as the default crawl, which also fetches and thumbnails every article
picture. All use the replica outlet's concurrency settings with throttling off, each
against a fresh replica server process (fault counters unused) whose slow page answers at once,
so the figure measures work rather than a deliberate 10 s stall. Every crawl runs in a child
process because Twisted's reactor cannot restart; each child times its own crawl, so interpreter
start-up and imports are left out of all alike.

Run: ``python -m bench crawl [--quick]``
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ReplicaProcess, child_env, emit, machine_note, peak_rss_mb, ratio, run_child, table
from crawler import settings as crawler_settings

# The crawler's own security defaults for the bare baselines too: no telnet console and no
# remote-control server (Scrapy 2.19 starts one unless told not to).
CONTROL_SERVICES_OFF = {
    "TELNETCONSOLE_ENABLED": crawler_settings.TELNETCONSOLE_ENABLED,
    "REMOTE_CONTROL_ENABLED": crawler_settings.REMOTE_CONTROL_ENABLED,
}

FULL_SIZE = 2000
QUICK_SIZE = 300
FULL_ROUNDS = 1
QUICK_ROUNDS = 1


# --- the children ---------------------------------------------------------------------------


def _bare_spider_class():
    import scrapy

    from spiders.replica import OUTLET

    class BareSpider(scrapy.Spider):
        """Fetch a fixed list of pages and nothing else; optionally run plain trafilatura on each."""

        name = "bench_bare"
        custom_settings = {
            **OUTLET.settings,
            "ROBOTSTXT_OBEY": False,
            **CONTROL_SERVICES_OFF,
            "LOG_LEVEL": "ERROR",
            "ITEM_PIPELINES": {},
        }

        def __init__(self, urls: list[str], extract: bool = False, **kwargs) -> None:
            super().__init__(**kwargs)
            self.urls = urls
            self.extract = extract
            self.pages = 0
            self.extracted = 0

        async def start(self):
            for url in self.urls:
                yield scrapy.Request(url, callback=self.parse, dont_filter=True)

        def parse(self, response):
            self.pages += 1
            if self.extract:
                import trafilatura

                text = trafilatura.extract(response.body, url=response.url, include_comments=False)
                self.extracted += bool(text)

    return BareSpider


def _child_bare(urls_file: str, extract: bool) -> dict:
    from scrapy.crawler import CrawlerProcess

    urls = json.loads(Path(urls_file).read_text(encoding="utf-8"))
    spider_cls = _bare_spider_class()
    process = CrawlerProcess({"LOG_LEVEL": "ERROR", **CONTROL_SERVICES_OFF})
    crawler = process.create_crawler(spider_cls)
    process.crawl(crawler, urls=urls, extract=extract)
    start = time.perf_counter()
    process.start()
    elapsed = time.perf_counter() - start
    spider = crawler.spider
    return {
        "elapsed_s": elapsed,
        "pages": spider.pages,
        "extracted": spider.extracted,
        "peak_mb": peak_rss_mb(),
    }


def _child_ours(db: str, images: bool = False) -> dict:
    """The code path of ``newscrawl crawl replica`` (crawl_and_report minus the summary print).

    ``images=False`` is ``--no-images``: the same pages as the baselines fetch. With images the
    crawl also fetches and thumbnails every article picture (about 2.3 per replica article).
    """
    from crawler.outlet import get_outlet
    from crawler.runner import run_crawl

    outlet = get_outlet("replica")
    start = time.perf_counter()
    summaries = run_crawl([outlet], db, progress=False, settings={"NEWSCRAWL_IMAGES": images})
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
        "peak_mb": peak_rss_mb(),
    }


# --- the parent -----------------------------------------------------------------------------


def _measure(kind: str, size: int, workdir: Path) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    with ReplicaProcess(size=size) as server:
        env = child_env(NEWSCRAWL_REPLICA_URL=server.url)
        if kind in ("ours", "ours_images"):
            db = workdir / f"{kind}-{size}.db"
            return run_child(["bench.crawl", "--child", kind, "--db", str(db)], env=env)
        urls = [server.url + item["path"] for item in server.truth()]
        urls_file = workdir / f"urls-{size}.json"
        urls_file.write_text(json.dumps(urls), encoding="utf-8")
        return run_child(["bench.crawl", "--child", kind, "--urls", str(urls_file)], env=env)


def run(quick: bool = False, size: int | None = None, rounds: int | None = None) -> dict:
    """Measure the three crawls; return the figures and print the table and JSON.

    With several rounds the order alternates (a b ours, ours b a, ...) and each crawl keeps its
    fastest round: on a shared machine noise only ever slows a run down.
    """
    size = size or (QUICK_SIZE if quick else FULL_SIZE)
    rounds = rounds or (QUICK_ROUNDS if quick else FULL_ROUNDS)
    kinds = ["fetch", "extract", "ours", "ours_images"]
    runs: dict[str, list[dict]] = {kind: [] for kind in kinds}
    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        for n in range(rounds):
            for kind in kinds if n % 2 == 0 else reversed(kinds):
                runs[kind].append(_measure(kind, size, Path(tmp) / f"round{n}"))
    results = {kind: min(rs, key=lambda r: r["elapsed_s"] / max(r["pages"], 1)) for kind, rs in runs.items()}
    rates = {kind: r["pages"] / r["elapsed_s"] for kind, r in results.items()}
    figures = {
        "pages_per_s": round(rates["ours"], 2),
        "ratio_vs_fetch_extract": ratio(rates["ours"], rates["extract"]),
        "ratio_vs_fetch_only": ratio(rates["ours"], rates["fetch"]),
        "pages": results["ours"]["pages"],
        "replica_size": size,
        "rounds": rounds,
        "all_rounds_pages_per_s": {
            k: [round(r["pages"] / r["elapsed_s"], 1) for r in rs] for k, rs in runs.items()
        },
        "fetch_extract_pages_per_s": round(rates["extract"], 2),
        "fetch_only_pages_per_s": round(rates["fetch"], 2),
        "seconds": {kind: round(r["elapsed_s"], 2) for kind, r in results.items()},
        "peak_mb": {kind: round(r["peak_mb"], 1) for kind, r in results.items()},
        "pages_per_s_with_images": round(rates["ours_images"], 2),
        "ratio_vs_fetch_extract_with_images": ratio(rates["ours_images"], rates["extract"]),
        "ours_fetched_incl_discovery": results["ours"]["fetched"],
        "ours_errors": results["ours"]["errors"],
        "target_ratio_vs_fetch_extract": 0.85,
    }
    labels = {
        "fetch": "(a) bare Scrapy, fetch only",
        "extract": "(b) bare Scrapy + trafilatura.extract",
        "ours": "newscrawl crawl replica --no-images",
        "ours_images": "newscrawl crawl replica (default: + image thumbnails)",
    }
    rows = [
        (labels[k], results[k]["pages"], results[k]["elapsed_s"], rates[k], ratio(rates[k], rates["extract"]))
        for k in ("fetch", "extract", "ours", "ours_images")
    ]
    text = table(
        f"crawl: replica size {size}, concurrency 16, throttling off, best of {rounds} round(s) — {machine_note()}",
        ["crawl", "pages", "seconds", "pages/s", "ratio vs (b)"],
        rows,
    )
    text += (
        f"\nours also fetched {results['ours']['fetched']} pages in all (discovery included), "
        f"{results['ours']['errors']} planted faults recorded as errors; target ratio vs (b) >= 0.85 "
        "for the same work (--no-images); the default crawl also fetches and thumbnails every picture"
    )
    emit("crawl", figures, text)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench crawl")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--size", type=int, default=None, help="replica size (articles); default 2000, quick 300"
    )
    parser.add_argument("--rounds", type=int, default=None, help="rounds per crawl (best of N); default 1")
    parser.add_argument(
        "--child", choices=("fetch", "extract", "ours", "ours_images"), help=argparse.SUPPRESS
    )
    parser.add_argument("--urls", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child in ("ours", "ours_images"):
        print(json.dumps(_child_ours(args.db, images=args.child == "ours_images")))
        return 0
    if args.child:
        print(json.dumps(_child_bare(args.urls, extract=args.child == "extract")))
        return 0
    run(args.quick, args.size, args.rounds)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
