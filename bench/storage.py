"""Archive write throughput and full-text search latency, against sqlite-utils in the same run.

Ours: ``store_article`` for every synthetic article (images, folded ``*_norm`` columns, the
version hash, FTS5 triggers on the folded columns), group-committed every 100 articles as the
crawl and ``reextract`` now store them. Fair baseline: sqlite-utils ``insert_all`` of the same
article and image rows, folded columns included (folding is timed on both sides), into a table
with ``enable_fts(create_triggers=True)`` on the same three folded columns with the same
tokenizer, in batches of 100. A second baseline, ``insert_all`` with no FTS at all, shows what
indexing costs. All files use WAL with ``synchronous=NORMAL`` (what the archive uses), so the
ratios price our extra work, not a journal setting. Generating the articles is not timed.

The corpus follows real Greek word frequencies (``wordfreq``'s Greek list, Zipf-weighted
sampling), so a query word is as rare or common as in real news instead of matching a fifth of
the archive. Queries are drawn from the same vocabulary at several frequency bands and typed
with and without accents, as words, phrases and prefixes, and measured via
``storage.archive.search`` on the large archive.

Run: ``python -m bench storage [--quick]``
"""

from __future__ import annotations

import itertools
import json
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import emit, machine_note, ratio, table
from storage.records import Article, ImageRef

FULL_SIZES = (10_000, 100_000)
QUICK_SIZES = (2_000, 10_000)
CHUNK = 500
BATCH = 100
VOCABULARY = 40_000
FIXED_QUERIES = ("τράπεζα", "ΤΡΑΠΕΖΕΣ", "κυβέρνηση", '"κεντρική τράπεζα"', "επιτοκ*", "Ουάσιγκτον")


# --- synthetic articles ---------------------------------------------------------------------


def _final_sigma(word: str) -> str:
    """wordfreq folds ς into σ; news text writes it at the end of a word."""
    return word[:-1] + "ς" if word.endswith("σ") and len(word) > 1 else word


class ArticleFactory:
    """Seeded Greek news articles of 400-800 words with 0-4 images, with real Greek word frequencies.

    Words are sampled from wordfreq's top Greek words weighted by their frequency (a Zipf
    distribution, as in real text), in sentences of 8-24 words and paragraphs of 3-6 sentences.
    """

    def __init__(self, seed: int = 7) -> None:
        import wordfreq

        from crawler.replica.model import SECTION_NAMES, SECTION_SLUGS

        self.seed = seed
        words = [w for w in wordfreq.top_n_list("el", VOCABULARY) if w.isalpha()]
        self.words = [_final_sigma(w) for w in words]
        self.cumulative = list(itertools.accumulate(wordfreq.word_frequency(w, "el") for w in words))
        self.sections = [(slug, SECTION_NAMES[slug]) for slug in SECTION_SLUGS]
        self.start = datetime(2025, 1, 1, tzinfo=UTC)

    def _sentence(self, rng: random.Random, low: int = 8, high: int = 24) -> str:
        words = rng.choices(self.words, cum_weights=self.cumulative, k=rng.randint(low, high))
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def _paragraph(self, rng: random.Random) -> str:
        return " ".join(self._sentence(rng) for _ in range(rng.randint(3, 6)))

    def queries(self, count: int = 40) -> list[str]:
        """Queries as users type them, over words from frequent to rare, with and without accents."""
        from storage.textnorm import fold

        rng = random.Random(self.seed + 1)
        bands = [(50, 500), (500, 3_000), (3_000, 12_000), (12_000, len(self.words) - 1)]
        queries = list(FIXED_QUERIES)
        while len(queries) < count:
            low, high = bands[len(queries) % len(bands)]
            word = self.words[rng.randint(low, high)]
            form = len(queries) % 4
            if form == 0:
                queries.append(word)
            elif form == 1:
                queries.append(fold(word))
            elif form == 2:
                queries.append(f"{word} {self.words[rng.randint(50, 3_000)]}")
            else:
                queries.append(fold(word)[: max(3, len(word) - 2)] + "*")
        return queries

    def articles(self, count: int) -> Iterator[Article]:
        rng = random.Random(self.seed * 1_000_003 + count)
        for n in range(count):
            slug, section = self.sections[n % len(self.sections)]
            target = rng.randint(400, 800)
            chosen, words = [], 0
            while words < target:
                para = self._paragraph(rng)
                chosen.append(para)
                words += para.count(" ") + 1
            published = (self.start + timedelta(minutes=7 * n)).isoformat()
            images = [
                ImageRef(
                    url=f"https://news.example.gr/media/{n}/{k}.jpg",
                    caption=self._sentence(rng, 5, 12) if rng.random() < 0.7 else None,
                    alt=self._sentence(rng, 3, 8) if rng.random() < 0.5 else None,
                    position=rng.randint(0, len(chosen)),
                )
                for k in range(rng.randint(0, 4))
            ]
            yield Article(
                url=f"https://news.example.gr/{slug}/articles/{100000 + n}/a-{n}",
                outlet="synthetic",
                title=self._sentence(rng, 6, 12).rstrip("."),
                lede=self._sentence(rng, 15, 30),
                section=section,
                tags=[self.words[rng.randint(100, 5_000)] for _ in range(2)],
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


class OursWriter:
    """``store_article`` for every article, group-committed every BATCH articles (as the crawl)."""

    name = "store_article, group commit"

    def __init__(self, path: Path) -> None:
        from storage.archive import open_archive

        self.db = open_archive(path)

    def write(self, chunk: list[Article]) -> float:
        from storage.archive import Batch, store_article

        start = time.perf_counter()
        with Batch(self.db, every=BATCH, seconds=3600) as batch:
            for article in chunk:
                store_article(self.db, article)
                batch.step()
        return time.perf_counter() - start

    def close(self) -> None:
        self.db.conn.close()


def _bare_rows(article: Article, folded: bool) -> tuple[dict, list[dict]]:
    from storage.textnorm import fold

    row = article.to_dict()
    images = row.pop("images")
    row.pop("provenance")
    row["tags"] = json.dumps(row["tags"], ensure_ascii=False)
    row["authors"] = json.dumps(row["authors"], ensure_ascii=False)
    if folded:
        row.update(title_norm=fold(article.title), lede_norm=fold(article.lede), text_norm=fold(article.text))
    return row, [dict(img, article_url=article.url) for img in images]


class SqliteUtilsWriter:
    """sqlite-utils ``insert_all`` (batches of BATCH) of the same article and image rows.

    ``fts``: the articles table first gets ``enable_fts(create_triggers=True)`` on the folded
    columns with the archive's tokenizer, so every insert also indexes, as ours does (and the
    folding is done, and timed, here too).
    """

    def __init__(self, path: Path, fts: bool) -> None:
        from sqlite_utils import Database

        self.fts = fts
        self.name = "sqlite-utils insert_all + FTS triggers" if fts else "sqlite-utils insert_all, no FTS"
        self.db = Database(path)
        self.db.enable_wal()
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.created = False

    def _create(self, first: Article) -> None:
        from storage.searchindex import FTS_TOKENIZE, SEARCH_COLUMNS

        row, _ = _bare_rows(first, folded=self.fts)
        self.db["articles"].create({k: type(v) if v is not None else str for k, v in row.items()}, pk="url")
        if self.fts:
            self.db["articles"].enable_fts(list(SEARCH_COLUMNS), create_triggers=True, tokenize=FTS_TOKENIZE)
        self.created = True

    def write(self, chunk: list[Article]) -> float:
        if not self.created:
            self._create(chunk[0])
        start = time.perf_counter()
        articles, images = [], []
        for article in chunk:
            row, imgs = _bare_rows(article, folded=self.fts)
            articles.append(row)
            images.extend(imgs)
        self.db["articles"].insert_all(articles, pk="url", batch_size=BATCH)
        self.db["images"].insert_all(images, batch_size=BATCH)
        return time.perf_counter() - start

    def close(self) -> None:
        self.db.conn.close()


def store_all(folder: Path, factory: ArticleFactory, count: int) -> dict[str, float]:
    """Seconds each writer spent on the same ``count`` articles, chunk by chunk in turn.

    The machine is shared, so the writers take turns on every chunk (in a rotating order)
    instead of one after the other: a neighbour's burst of work then slows all of them alike.
    """
    writers = [
        SqliteUtilsWriter(folder / f"bare-{count}.db", fts=False),
        SqliteUtilsWriter(folder / f"fts-{count}.db", fts=True),
        OursWriter(folder / f"ours-{count}.db"),
    ]
    spent = dict.fromkeys((w.name for w in writers), 0.0)
    try:
        for number, chunk in enumerate(_chunks(factory.articles(count), CHUNK)):
            turn = number % len(writers)
            for writer in writers[turn:] + writers[:turn]:
                spent[writer.name] += writer.write(chunk)
    finally:
        for writer in writers:
            writer.close()
    return spent


# --- search ---------------------------------------------------------------------------------


def search_latency(path: Path, queries: list[str], rounds: int = 3) -> dict:
    """Median and p95 (ms) of ``storage.archive.search`` over ``queries`` (its default recency
    window, and ranking every match), and of the bare FTS match."""
    from storage.archive import open_archive, search
    from storage.search import match_expression

    db = open_archive(path)
    try:
        for query in queries:  # warm the page cache once
            search(db, query)
        ours, unwindowed, bare, hits = [], [], [], 0
        for _ in range(rounds):
            for query in queries:
                start = time.perf_counter()
                found = search(db, query)
                ours.append((time.perf_counter() - start) * 1000)
                hits += bool(found)
                start = time.perf_counter()
                search(db, query, rank_window=None)
                unwindowed.append((time.perf_counter() - start) * 1000)
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
        "all_ranked_median_ms": round(statistics.median(unwindowed), 2),
        "all_ranked_p95_ms": round(_p95(unwindowed), 2),
        "bare_median_ms": round(statistics.median(bare), 2),
        "bare_p95_ms": round(_p95(bare), 2),
        "queries": len(queries),
        "queries_with_hits": hits // rounds,
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# --- report ---------------------------------------------------------------------------------


def match_share(path: Path, queries: list[str]) -> float:
    """Median share of the archive a query matches (real news: well under 1%)."""
    from storage.archive import open_archive
    from storage.search import match_expression

    db = open_archive(path)
    try:
        total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        shares = [
            db.execute(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [match_expression(q)]
            ).fetchone()[0]
            / total
            for q in queries
        ]
    finally:
        db.conn.close()
    return statistics.median(shares)


def run(quick: bool = False, sizes: tuple[int, int] | None = None) -> dict:
    small, large = sizes or (QUICK_SIZES if quick else FULL_SIZES)
    factory = ArticleFactory()
    queries = factory.queries()
    rows, per_size = [], {}
    with tempfile.TemporaryDirectory(prefix="bench-storage-") as tmp:
        for size in (small, large):
            spent = store_all(Path(tmp), factory, size)
            bare_s = spent["sqlite-utils insert_all, no FTS"]
            fts_s = spent["sqlite-utils insert_all + FTS triggers"]
            ours_s = spent[OursWriter.name]
            bare_rate, fts_rate, ours_rate = size / bare_s, size / fts_s, size / ours_s
            per_size[size] = {
                "ours_articles_per_s": round(ours_rate, 1),
                "sqlite_utils_fts_articles_per_s": round(fts_rate, 1),
                "bare_articles_per_s": round(bare_rate, 1),
                "ratio_vs_sqlite_utils_fts": ratio(ours_rate, fts_rate),
                "ratio_vs_bare_insert": ratio(ours_rate, bare_rate),
            }
            rows.append(
                (
                    f"{size:,} sqlite-utils insert_all, no FTS",
                    size,
                    bare_s,
                    bare_rate,
                    ratio(bare_rate, fts_rate),
                )
            )
            rows.append((f"{size:,} sqlite-utils insert_all + FTS triggers", size, fts_s, fts_rate, 1.0))
            rows.append(
                (f"{size:,} store_article, group commit", size, ours_s, ours_rate, ratio(ours_rate, fts_rate))
            )
            for name in ("bare", "fts"):
                (Path(tmp) / f"{name}-{size}.db").unlink()
        latency = search_latency(Path(tmp) / f"ours-{large}.db", queries)
        share = match_share(Path(tmp) / f"ours-{large}.db", queries)
    figures = {
        "ratio_vs_bare_insert": per_size[large]["ratio_vs_bare_insert"],
        "fts_p95_ms": latency["p95_ms"],
        "fts_median_ms": latency["median_ms"],
        "articles_per_s": per_size[large]["ours_articles_per_s"],
        "bare_articles_per_s": per_size[large]["bare_articles_per_s"],
        "sqlite_utils_fts_articles_per_s": per_size[large]["sqlite_utils_fts_articles_per_s"],
        "sizes": {str(k): v for k, v in per_size.items()},
        "fts_all_ranked_median_ms": latency["all_ranked_median_ms"],
        "fts_all_ranked_p95_ms": latency["all_ranked_p95_ms"],
        "fts_bare_match_median_ms": latency["bare_median_ms"],
        "fts_bare_match_p95_ms": latency["bare_p95_ms"],
        "fts_queries": latency["queries"],
        "fts_queries_with_hits": latency["queries_with_hits"],
        "fts_median_match_share": round(share, 5),
        "targets": {"ratio_vs_sqlite_utils_fts": 1.0, "fts_p95_ms": 50},
        "ratio_vs_sqlite_utils_fts": per_size[large]["ratio_vs_sqlite_utils_fts"],
    }
    text = table(
        f"storage: synthetic Greek articles (400-800 words, wordfreq frequencies, 0-4 images) — "
        f"{machine_note(server=False)}",
        ["writer", "articles", "seconds", "articles/s", "ratio vs sqlite-utils+FTS"],
        rows,
    )
    text += "\n\n" + table(
        f"search at {large:,} articles: {latency['queries']} Greek queries x 3 rounds "
        f"({latency['queries_with_hits']} with hits; median query matches {share:.2%} of the archive)",
        ["query path", "median ms", "p95 ms"],
        [
            ("storage.archive.search (rank + snippet)", latency["median_ms"], latency["p95_ms"]),
            (
                "  the same, ranking every match",
                latency["all_ranked_median_ms"],
                latency["all_ranked_p95_ms"],
            ),
            (
                "bare FTS5 MATCH ... ORDER BY rank LIMIT 20 (every match)",
                latency["bare_median_ms"],
                latency["bare_p95_ms"],
            ),
        ],
    )
    text += "\ntargets: ratio vs sqlite-utils+FTS >= 1.0 at the large size, search p95 < 50 ms"
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
