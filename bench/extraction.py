"""Extraction speed: ``extract_article`` against plain ``trafilatura.extract``, same pages, same run.

Three page sets: the replica outlet's article pages (rendered in-process, no HTTP, with the
response headers the crawler would see), the open real pages of bench/data/realpages (every
source, both halves) and the real-world pages of ../shared/eval/aeb. Both
extractors see every page in turn, after one warm-up page each, so cache and CPU-frequency
effects hit them alike. Quality (F1 and field scores) is bench/extraction_quality.py's job;
this wrapper reuses its runners and only measures time.

Run: ``python -m bench extraction [--quick]``
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import BenchError, emit, machine_note, quiet_logs, ratio, table
from bench.data import realpages
from bench.extraction_quality import AEB_DIR, FAKE_HOST, plain_trafilatura

FULL = {"replica": 200, "aeb_every": 1, "real_every": 1}
QUICK = {"replica": 72, "aeb_every": 4, "real_every": 3}

Page = tuple[bytes, str, dict[str, str] | None]


def replica_pages(count: int) -> list[Page]:
    """``count`` article pages of a replica as (body, url, headers) the crawler would get."""
    from crawler.replica import ReplicaSite

    site = ReplicaSite(size=max(count, 60), seed=1)
    pages = []
    for gold in site.ground_truth()[:count]:
        response = site.handle("GET", gold["path"], {})
        pages.append((response.body, FAKE_HOST + gold["path"], dict(response.headers)))
    return pages


def aeb_pages(every: int, aeb_dir: Path = AEB_DIR) -> list[Page]:
    try:
        truth = json.loads((aeb_dir / "ground-truth.json").read_text(encoding="utf-8"))
    except OSError as exc:
        raise BenchError(f"cannot read the aeb evaluation set at {aeb_dir}: {exc.strerror or exc}") from None
    ids = sorted(truth)[::every]
    return [
        (gzip.decompress((aeb_dir / "html" / f"{i}.html.gz").read_bytes()), truth[i]["url"], None)
        for i in ids
    ]


def real_pages(every: int) -> list[Page]:
    """Every ``every``-th page of the open real-page set (no headers: the bytes as stored)."""
    pages = realpages.load()[::every]
    return [(p.html, p.url or f"https://{p.source}.invalid/{p.page_id}", None) for p in pages]


def ours(body: bytes, url: str, headers: dict[str, str] | None) -> str:
    """What the crawl's ExtractPipeline runs (generic profile, the page's headers)."""
    from crawler.extraction import ExtractionError, extract_article

    try:
        return extract_article(body, url, headers=headers).text
    except ExtractionError:
        return ""


def theirs(body: bytes, url: str, headers: dict[str, str] | None) -> str:
    return plain_trafilatura(body, url)


def time_pages(pages: list[Page], fns: dict[str, Callable]) -> dict[str, float]:
    """Total seconds per extractor over ``pages``, interleaved page by page."""
    for fn in fns.values():
        fn(*pages[0])
    spent = dict.fromkeys(fns, 0.0)
    for page in pages:
        for name, fn in fns.items():
            start = time.perf_counter()
            fn(*page)
            spent[name] += time.perf_counter() - start
    return spent


def run(
    quick: bool = False,
    replica: int | None = None,
    aeb_every: int | None = None,
    real_every: int | None = None,
) -> dict:
    plan = dict(QUICK if quick else FULL)
    plan["replica"] = replica or plan["replica"]
    plan["aeb_every"] = aeb_every or plan["aeb_every"]
    plan["real_every"] = real_every or plan["real_every"]
    sets = {"replica": replica_pages(plan["replica"]), "realpages": real_pages(plan["real_every"])}
    if (AEB_DIR / "ground-truth.json").is_file():
        sets["aeb"] = aeb_pages(plan["aeb_every"])
    else:
        print(
            f"note: no aeb evaluation set at {AEB_DIR} (set NEWSCRAWL_EVAL_AEB); replica pages only",
            file=sys.stderr,
        )
    fns = {"ours": ours, "trafilatura": theirs}
    per_set, rows = {}, []
    total = {"ours": 0.0, "trafilatura": 0.0}
    pages = 0
    with quiet_logs():
        for name, set_pages in sets.items():
            spent = time_pages(set_pages, fns)
            n = len(set_pages)
            pages += n
            ms = {k: v / n * 1000 for k, v in spent.items()}
            for k in total:
                total[k] += spent[k]
            per_set[name] = {
                "pages": n,
                "ms_per_page_ours": round(ms["ours"], 2),
                "ms_per_page_trafilatura": round(ms["trafilatura"], 2),
                "ratio_time_vs_trafilatura": ratio(ms["ours"], ms["trafilatura"]),
            }
            rows.append(
                (f"{name} pages", n, ms["trafilatura"], ms["ours"], ratio(ms["ours"], ms["trafilatura"]))
            )
    ms_all = {k: v / pages * 1000 for k, v in total.items()}
    rows.append(
        (
            "all pages",
            pages,
            ms_all["trafilatura"],
            ms_all["ours"],
            ratio(ms_all["ours"], ms_all["trafilatura"]),
        )
    )
    figures = {
        "ratio_time_vs_trafilatura": ratio(ms_all["ours"], ms_all["trafilatura"]),
        "ms_per_page_ours": round(ms_all["ours"], 2),
        "ms_per_page_trafilatura": round(ms_all["trafilatura"], 2),
        "pages": pages,
        **per_set,
    }
    text = table(
        f"extraction: extract_article vs trafilatura.extract(include_comments=False), one core — {machine_note(server=False)}",
        ["page set", "pages", "trafilatura ms/page", "ours ms/page", "time ratio ours/trafilatura"],
        rows,
    )
    emit("extraction", figures, text)
    return figures


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench extraction")
    parser.add_argument(
        "--quick", action="store_true", help="72 replica pages, every 3rd real page and every 4th aeb page"
    )
    parser.add_argument("--replica", type=int, default=None, help="number of replica pages")
    parser.add_argument("--aeb-every", type=int, default=None, help="take every Nth aeb page")
    parser.add_argument(
        "--real-every", type=int, default=None, help="take every Nth bench/data/realpages page"
    )
    args = parser.parse_args(argv)
    run(args.quick, args.replica, args.aeb_every, args.real_every)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
