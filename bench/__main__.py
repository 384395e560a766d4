"""``python -m bench NAME [--quick]``: run one benchmark; its last stdout line is its JSON result.

Options after NAME go to the benchmark itself (``python -m bench storage --help`` lists its
size options, which the smoke test uses to run each benchmark at a tiny size).
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = {
    "crawl": "pages/s of a full crawl of an enlarged replica vs bare Scrapy (+ trafilatura)",
    "extraction": "ms/page of extract_article vs plain trafilatura.extract",
    "storage": "articles/s through the archive API vs bare sqlite-utils insert_all; FTS latency",
    "memory": "peak RSS of a small and a large crawl of the replica",
    "export": "peak RSS of newscrawl export (jsonl, csv) of a small and a 10x larger archive",
    "cluster": "pages/s of cluster crawls with 1, 2, 3 workers vs one process; coordinator store rate",
}
USAGE = "usage: python -m bench NAME [--quick]\n\nNAME is one of:\n" + "\n".join(
    f"  {name:<11} {what}" for name, what in BENCHMARKS.items()
)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(USAGE, file=sys.stdout if args else sys.stderr)
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in BENCHMARKS:
        print(f"unknown benchmark {name!r}\n\n{USAGE}", file=sys.stderr)
        return 2
    from bench.common import BenchError

    module = importlib.import_module(f"bench.{name}")
    try:
        return module.main(rest)
    except BenchError as exc:
        print(f"bench {name}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
