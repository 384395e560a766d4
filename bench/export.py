"""Peak memory of ``newscrawl export``: flat while the archive grows tenfold?

Two archives (small and large, each article with two images) are filled through the archive
schema with direct inserts (the export reads what any crawl stores; the storage benchmark
measures the crawl's own write path). The real CLI then exports each as JSONL and as CSV to
a file; its peak RSS comes from the kernel (``ru_maxrss`` of that child via ``os.wait4``).
An export that collected rows before writing would grow with the archive; the target is a
large/small ratio under 1.3.

Run: ``python -m bench export [--quick]``
"""

from __future__ import annotations

import csv
import json
import sys
import tempfile
from pathlib import Path

from bench.common import child_env, emit, machine_note, ratio, run_measured, table

FULL_SIZES = (10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
SENTENCE = "Η Τράπεζα της Ελλάδος αναθεωρεί προς τα πάνω την πρόβλεψη για την ανάπτυξη της οικονομίας"
WORDS = SENTENCE.split(" ")


def build_archive(path: Path, size: int) -> None:
    """``size`` articles of about 300 words, two images each, in a real archive file."""
    from storage.archive import open_archive

    db = open_archive(path)
    conn = db.conn
    text = "\n".join(" ".join(WORDS[(p + i) % len(WORDS)] for i in range(60)) for p in range(5))
    with conn:
        conn.executemany(
            "INSERT INTO articles (id, url, outlet, title, tags, authors, published_at, text, "
            "word_count, first_seen_at, version) VALUES (?, ?, 'bench', ?, ?, ?, ?, ?, 300, ?, 1)",
            (
                (
                    n,
                    f"https://bench.example/a/{n}",
                    f"Άρθρο {n}",
                    json.dumps(["Τράπεζες", f"θέμα {n % 50}"], ensure_ascii=False),
                    json.dumps(["Συντάκτης"], ensure_ascii=False),
                    f"2026-01-{1 + n % 28:02d}T12:00:00+00:00",
                    text,
                    "2026-01-30T00:00:00+00:00",
                )
                for n in range(1, size + 1)
            ),
        )
        conn.executemany(
            "INSERT INTO images (article_id, url, caption, position) VALUES (?, ?, ?, ?)",
            (
                (n, f"https://bench.example/media/{n}-{k}.jpg", f"Λεζάντα {k}", k)
                for n in range(1, size + 1)
                for k in (0, 2)
            ),
        )
    conn.close()


def export_peak(db: Path, fmt: str, workdir: Path) -> dict:
    out = workdir / f"{db.stem}.{fmt}"
    cmd = [sys.executable, "-m", "crawler", "export", "--db", str(db), "--format", fmt, "--output", str(out)]
    wall, peak_mb = run_measured(cmd, child_env(), timeout=3600)
    with out.open(encoding="utf-8", newline="") as written:
        records = sum(1 for _ in csv.reader(written)) - 1 if fmt == "csv" else sum(1 for _ in written)
    return {"seconds": wall, "peak_mb": peak_mb, "records": records, "mb_written": out.stat().st_size / 2**20}


def run(quick: bool = False, sizes: tuple[int, int] | None = None) -> dict:
    small, large = sizes or (QUICK_SIZES if quick else FULL_SIZES)
    results: dict[tuple[int, str], dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        work = Path(tmp)
        for size in (small, large):
            db = work / f"export-{size}.db"
            build_archive(db, size)
            for fmt in ("jsonl", "csv"):
                results[size, fmt] = export_peak(db, fmt, work)
    figures = {
        "peak_ratio_large_vs_small_jsonl": ratio(
            results[large, "jsonl"]["peak_mb"], results[small, "jsonl"]["peak_mb"]
        ),
        "peak_ratio_large_vs_small_csv": ratio(
            results[large, "csv"]["peak_mb"], results[small, "csv"]["peak_mb"]
        ),
        "peak_mb_small_jsonl": round(results[small, "jsonl"]["peak_mb"], 1),
        "peak_mb_large_jsonl": round(results[large, "jsonl"]["peak_mb"], 1),
        "articles_small": small,
        "articles_large": large,
        "articles_per_s_large_jsonl": round(large / results[large, "jsonl"]["seconds"]),
        "target_ratio": 1.3,
    }
    rows = [
        (
            f"newscrawl export --format {fmt}, {size:,} articles",
            r["records"],
            round(r["mb_written"], 1),
            r["seconds"],
            r["peak_mb"],
            ratio(r["peak_mb"], results[small, fmt]["peak_mb"]),
        )
        for (size, fmt), r in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]
    text = table(
        f"export: peak RSS of the export process (ru_maxrss via wait4) — {machine_note(server=False)}",
        ["export", "articles written", "MB written", "seconds", "peak MB", "ratio vs small"],
        rows,
    )
    text += "\ntarget: large/small peak ratio < 1.3 (constant memory)"
    emit("export", figures, text)
    return figures


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench export")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sizes", type=int, nargs=2, default=None, help="small and large archive sizes")
    args = parser.parse_args(argv)
    run(args.quick, tuple(args.sizes) if args.sizes else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
