"""Archive write throughput and full-text search latency, against bare sqlite-utils in the same run.

Ours: ``upsert_article`` for every synthetic article (images, folded ``*_norm`` columns, FTS5
triggers), one transaction per article as the crawl's ArchivePipeline stores them (a killed
crawl then loses at most the article being written; ``Batch`` commits measured no faster).
Baseline: sqlite-utils ``insert_all`` of the same article and image rows into plain tables with
no FTS and no folding. Both files use WAL with ``synchronous=NORMAL`` (what the archive uses), so
the ratio prices our extra work, not a journal setting. Generating the articles is not timed.
Search latency is measured on the large archive over Greek queries typed the way users type
them (with and without accents, phrases, prefixes), via ``storage.archive.search``.

Run: ``python -m bench storage [--quick]``
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import emit, machine_note, ratio, table
from crawler.items import Article, ImageRef

FULL_SIZES = (10_000, 100_000)
QUICK_SIZES = (2_000, 10_000)
CHUNK = 1_000
QUERIES = (
    "τράπεζα",
    "τραπεζα",
    "ΤΡΑΠΕΖΕΣ",
    "κεντρική τράπεζα",
    '"κεντρική τράπεζα"',
    "πληθωρισμός",
    "πληθωρισμος ευρωζωνη",
    "ομόλογα",
    "ομολογ*",
    "επιτόκια",
    "επιτοκια ΕΚΤ",
    "Ουάσιγκτον",
    "ουασιγκτον",
    "Πεκίνο",
    "Ευρωπαϊκή Επιτροπή",
    "ευρωπαικη επιτροπη",
    "Μόσχα",
    "ΝΑΤΟ",
    "κυβέρνηση",
    "κυβερνηση εκλογες",
    "υπουργείο Οικονομικών",
    "φοροδιαφυγή",
    "χρηματιστήριο",
    "χρηματιστηριο Αθηνων",
    "μετοχές",
    "δάνεια",
    "μνημονίου",
    "βιομηχανική παραγωγή",
    "επενδύσεις",
    "ενέργεια",
    "ανεργία",
    "προϋπολογισμός",
    "προυπολογισμος",
    "σύνοδο κορυφής",
    "αγορές",
    "Bitcoin",
    "Stoxx",
    "μεταβλητότητα",
    "εξαγορά",
    "αποπληρώνει πρόωρα",
)


# --- synthetic articles ---------------------------------------------------------------------


class ArticleFactory:
    """Seeded Greek news articles of 400-800 words with 0-4 images, built from replica prose.

    Sentences come from the replica's own lexicon (``crawler.replica.model.Writer``); a pool of
    paragraphs is drawn once and recombined per article, which keeps generating 100k articles
    cheap while every article's text is still different.
    """

    def __init__(self, seed: int = 7, pool: int = 6_000) -> None:
        from crawler.replica.model import SECTION_NAMES, SECTION_SLUGS, Writer

        rng = random.Random(seed)
        self.seed = seed
        self.sections = [(slug, SECTION_NAMES[slug]) for slug in SECTION_SLUGS]
        writers = {slug: Writer(rng, slug) for slug in SECTION_SLUGS}
        self.paragraphs = {
            slug: [w.paragraph().text for _ in range(pool // 5)] for slug, w in writers.items()
        }
        self.titles = {slug: [w.title() for _ in range(pool // 10)] for slug, w in writers.items()}
        self.ledes = {slug: [w.sentence() for _ in range(pool // 10)] for slug, w in writers.items()}
        self.start = datetime(2025, 1, 1, tzinfo=UTC)

    def articles(self, count: int) -> Iterator[Article]:
        rng = random.Random(self.seed * 1_000_003 + count)
        for n in range(count):
            slug, section = self.sections[n % len(self.sections)]
            target = rng.randint(400, 800)
            chosen, words = [], 0
            while words < target:
                para = rng.choice(self.paragraphs[slug])
                chosen.append(para)
                words += para.count(" ") + 1
            published = (self.start + timedelta(minutes=7 * n)).isoformat()
            images = [
                ImageRef(
                    url=f"https://news.example.gr/media/{n}/{k}.jpg",
                    caption=rng.choice(self.ledes[slug]) if rng.random() < 0.7 else None,
                    alt=rng.choice(self.titles[slug]) if rng.random() < 0.5 else None,
                    position=rng.randint(0, len(chosen)),
                )
                for k in range(rng.randint(0, 4))
            ]
            yield Article(
                url=f"https://news.example.gr/{slug}/articles/{100000 + n}/a-{n}",
                outlet="synthetic",
                title=f"{rng.choice(self.titles[slug])} ({n})",
                lede=rng.choice(self.ledes[slug]),
                section=section,
                tags=rng.sample(["ΕΚΤ", "ομόλογα", "Χρηματιστήριο", "ενέργεια", "εκλογές", "ΗΠΑ"], 2),
                authors=[rng.choice(["Γιώργος Παπαδόπουλος", "Μαρία Κωνσταντίνου", "Newsroom"])],
                published_at=published,
                language="el",
                text="\n\n".join(chosen),
                images=images,
                word_count=words,
            )


def _chunks(items: Iterator[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- the two writers ------------------------------------------------------------------------


def store_ours(path: Path, factory: ArticleFactory, count: int, batch_every: int | None) -> float:
    """Seconds spent in upsert_article (+ batch commits); ``batch_every=None``: one commit each."""
    from storage.archive import Batch, open_archive, upsert_article

    db = open_archive(path)
    spent = 0.0
    try:
        for chunk in _chunks(factory.articles(count), CHUNK):
            start = time.perf_counter()
            if batch_every is None:
                for article in chunk:
                    upsert_article(db, article)
            else:
                with Batch(db, every=batch_every) as batch:
                    for article in chunk:
                        upsert_article(db, article)
                        batch.step()
            spent += time.perf_counter() - start
    finally:
        db.conn.close()
    return spent


def _bare_rows(article: Article) -> tuple[dict, list[dict]]:
    row = article.to_dict()
    images = row.pop("images")
    row.pop("provenance")
    row["tags"] = json.dumps(row["tags"], ensure_ascii=False)
    row["authors"] = json.dumps(row["authors"], ensure_ascii=False)
    return row, [dict(img, article_url=article.url) for img in images]


def store_bare(path: Path, factory: ArticleFactory, count: int) -> float:
    """Seconds spent in sqlite-utils insert_all of the same article and image rows."""
    from sqlite_utils import Database

    db = Database(path)
    db.enable_wal()
    db.execute("PRAGMA synchronous = NORMAL")
    spent = 0.0
    try:
        for chunk in _chunks(factory.articles(count), CHUNK):
            start = time.perf_counter()
            articles, images = [], []
            for article in chunk:
                row, imgs = _bare_rows(article)
                articles.append(row)
                images.extend(imgs)
            db["articles"].insert_all(articles, pk="url")
            db["images"].insert_all(images)
            spent += time.perf_counter() - start
    finally:
        db.conn.close()
    return spent


# --- search ---------------------------------------------------------------------------------


def search_latency(path: Path, rounds: int = 3) -> dict:
    """Median and p95 (ms) of ``storage.archive.search`` over QUERIES, and of the bare FTS match."""
    from storage.archive import open_archive, search
    from storage.search import match_expression

    db = open_archive(path)
    try:
        for query in QUERIES:  # warm the page cache once
            search(db, query)
        ours, bare, hits = [], [], 0
        for _ in range(rounds):
            for query in QUERIES:
                start = time.perf_counter()
                found = search(db, query)
                ours.append((time.perf_counter() - start) * 1000)
                hits += bool(found)
                start = time.perf_counter()
                db.execute(
                    "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT 20",
                    [match_expression(query)],
                ).fetchall()
                bare.append((time.perf_counter() - start) * 1000)
    finally:
        db.conn.close()
    return {
        "median_ms": round(statistics.median(ours), 2),
        "p95_ms": round(_p95(ours), 2),
        "bare_median_ms": round(statistics.median(bare), 2),
        "bare_p95_ms": round(_p95(bare), 2),
        "queries": len(QUERIES),
        "queries_with_hits": hits // rounds,
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# --- report ---------------------------------------------------------------------------------


def run(quick: bool = False, sizes: tuple[int, int] | None = None) -> dict:
    small, large = sizes or (QUICK_SIZES if quick else FULL_SIZES)
    factory = ArticleFactory()
    rows, per_size = [], {}
    with tempfile.TemporaryDirectory(prefix="bench-storage-") as tmp:
        for size in (small, large):
            bare_s = store_bare(Path(tmp) / f"bare-{size}.db", factory, size)
            # one transaction per article, as the crawl's ArchivePipeline stores them
            ours_s = store_ours(Path(tmp) / f"ours-{size}.db", factory, size, None)
            bare_rate, ours_rate = size / bare_s, size / ours_s
            per_size[size] = {
                "ours_articles_per_s": round(ours_rate, 1),
                "bare_articles_per_s": round(bare_rate, 1),
                "ratio_vs_bare_insert": ratio(ours_rate, bare_rate),
            }
            rows.append((f"{size:,} bare sqlite-utils insert_all (no FTS)", size, bare_s, bare_rate, 1.0))
            rows.append(
                (
                    f"{size:,} upsert_article, one commit each (as the crawl)",
                    size,
                    ours_s,
                    ours_rate,
                    ratio(ours_rate, bare_rate),
                )
            )
        latency = search_latency(Path(tmp) / f"ours-{large}.db")
    figures = {
        "ratio_vs_bare_insert": per_size[large]["ratio_vs_bare_insert"],
        "fts_p95_ms": latency["p95_ms"],
        "fts_median_ms": latency["median_ms"],
        "articles_per_s": per_size[large]["ours_articles_per_s"],
        "bare_articles_per_s": per_size[large]["bare_articles_per_s"],
        "sizes": {str(k): v for k, v in per_size.items()},
        "fts_bare_match_median_ms": latency["bare_median_ms"],
        "fts_bare_match_p95_ms": latency["bare_p95_ms"],
        "fts_queries": latency["queries"],
        "fts_queries_with_hits": latency["queries_with_hits"],
        "targets": {"ratio_vs_bare_insert": 0.5, "fts_p95_ms": 50},
    }
    text = table(
        f"storage: synthetic Greek articles (400-800 words, 0-4 images) — {machine_note(server=False)}",
        ["writer", "articles", "seconds", "articles/s", "ratio vs bare"],
        rows,
    )
    text += "\n\n" + table(
        f"search at {large:,} articles: {latency['queries']} Greek queries x 3 rounds "
        f"({latency['queries_with_hits']} with hits)",
        ["query path", "median ms", "p95 ms"],
        [
            ("storage.archive.search (rank + snippet)", latency["median_ms"], latency["p95_ms"]),
            ("bare FTS5 MATCH ... ORDER BY rank LIMIT 20", latency["bare_median_ms"], latency["bare_p95_ms"]),
        ],
    )
    text += "\ntargets: ratio vs bare >= 0.5 at the large size, search p95 < 50 ms"
    emit("storage", figures, text)
    return figures


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench storage")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sizes", type=int, nargs=2, default=None, help="small and large article counts")
    args = parser.parse_args(argv)
    run(args.quick, tuple(args.sizes) if args.sizes else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
