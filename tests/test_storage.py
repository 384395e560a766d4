"""The SQLite archive: schema, upgrades, article versions, pages, frontier, runs and errors."""

from __future__ import annotations

import gzip
import os
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.items import Article, ImageRef
from storage.archive import (
    ArchiveError,
    Batch,
    abort_stale_runs,
    clear_error,
    finish_run,
    frontier_add,
    frontier_counts,
    frontier_mark,
    frontier_pending,
    get_article,
    get_page,
    known_article,
    open_archive,
    record_error,
    search,
    start_run,
    transaction,
    upsert_article,
)
from storage.records import content_hash
from storage.schema import MIGRATIONS
from storage.searchindex import AUTOMERGE

REPO = Path(__file__).resolve().parents[1]


def make_article(**overrides) -> Article:
    values = {
        "url": "https://news.example.gr/oikonomia/12345-trapezes",
        "outlet": "example",
        "title": "Οι τράπεζες αυξάνουν τα επιτόκια",
        "lede": "Νέα άνοδος για τα στεγαστικά.",
        "section": "Οικονομία",
        "tags": ["τράπεζες", "επιτόκια"],
        "authors": ["Μαρία Παπαδοπούλου"],
        "published_at": "2026-01-05T12:30:00+00:00",
        "language": "el",
        "text": "Οι συστημικές τράπεζες ανακοίνωσαν αύξηση.\n\nΗ ΕΚΤ παρακολουθεί.",
        "images": [ImageRef("https://news.example.gr/img/1.jpg", "Κτίριο τράπεζας", "τράπεζα", 1)],
        "content_hash": "hash-1",
        "provenance": {"title": "json-ld", "text": "trafilatura"},
    }
    values.update(overrides)
    return Article(**values)


@pytest.fixture
def db(tmp_path):
    database = open_archive(tmp_path / "news.db")
    yield database
    database.close()


def scalar(db: Database, sql: str, params=()):
    return db.execute(sql, params).fetchone()[0]


# --- opening, pragmas, migrations ---------------------------------------------------------------


def test_new_archive_has_tables_indexes_and_pragmas(db):
    tables = set(db.table_names())
    for name in ("outlets", "articles", "images", "article_versions", "pages", "crawl_runs"):
        assert name in tables
    assert {"fetch_errors", "frontier", "articles_fts"} <= tables
    assert db.journal_mode == "wal"
    assert scalar(db, "PRAGMA foreign_keys") == 1
    assert scalar(db, "PRAGMA busy_timeout") == 30000
    assert scalar(db, "PRAGMA synchronous") == 1  # NORMAL
    indexed = {(t.name, tuple(i.columns)) for t in db.tables for i in t.indexes}
    for expected in [
        ("articles", ("outlet",)),
        ("articles", ("published_utc",)),
        ("articles", ("day",)),
        ("images", ("article_id",)),
        ("fetch_errors", ("outlet",)),
        ("crawl_runs", ("outlet", "started_at")),
        ("frontier", ("state", "outlet")),
    ]:
        assert expected in indexed, expected
    # ordering uses published_utc; the page's own text is not indexed (pure write cost)
    assert ("articles", ("published_at",)) not in indexed


def test_old_archive_upgrades_itself_on_open(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    MIGRATIONS.apply(old, stop_before="m002_frontier")
    old.execute(
        "INSERT INTO articles (url, outlet, title, text, content_hash, version, published_at, day) "
        "VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
        [
            "https://old.example.gr/1",
            "old",
            "Ο Μαδούρο στο Καράκας",
            "Παλιό κείμενο.",
            "h",
            "2026-01-05T01:30:00+02:00",
            "2026-01-05",
        ],
    )
    assert "frontier" not in old.table_names()
    old.close()

    db = open_archive(path)
    applied = [m.name for m in MIGRATIONS.applied(db)]
    assert applied == [m.name for m in MIGRATIONS._migrations]
    assert "m010_image_files" in applied
    assert "frontier" in db.table_names()
    # the upgrade fills the sortable UTC time and the UTC day, and re-hashes every field
    (row,) = db.execute("SELECT published_utc, day, content_hash FROM articles").fetchall()
    assert row[:2] == ("2026-01-04T23:30:00+00:00", "2026-01-04")
    assert row[2] == content_hash(get_article(db, "https://old.example.gr/1"))
    # the article stored before search existed is found without accents
    assert [hit["url"] for hit in search(db, "μαδουρο καρακας")] == ["https://old.example.gr/1"]
    # and its index merges as seldom as a new archive's (the write speed of storage)
    assert db.execute("SELECT v FROM articles_fts_config WHERE k = 'automerge'").fetchone() == (AUTOMERGE,)
    db.close()
    # opening again is a no-op
    assert [m.name for m in MIGRATIONS.applied(open_archive(path))] == applied


def test_archive_from_newer_version_is_refused(tmp_path):
    path = tmp_path / "news.db"
    open_archive(path).execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('newscrawl', 'm999_future', 'x')"
    )
    with pytest.raises(ArchiveError, match="newer newscrawl"):
        open_archive(path)


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda p: p.write_bytes(b"this is not sqlite at all" * 100), "not a newscrawl archive"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: None, "does not exist"),
    ],
    ids=["garbage-file", "directory", "missing-directory"],
)
def test_unusable_path_gives_one_line_error(tmp_path, setup, message):
    path = tmp_path / "archive.db"
    if message == "does not exist":
        path = tmp_path / "nowhere" / "archive.db"
    setup(path)
    with pytest.raises(ArchiveError, match=message) as info:
        open_archive(path)
    assert "\n" not in str(info.value)


def test_sqlite_file_of_another_program_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, body TEXT)")
    other.commit()
    other.close()
    with pytest.raises(ArchiveError, match="another program"):
        open_archive(path)
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert [r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == [
        "articles"
    ]


def test_two_processes_creating_the_same_archive_at_once(tmp_path):
    path = tmp_path / "race.db"
    code = textwrap.dedent(
        f"""
        from storage.archive import open_archive, start_run
        db = open_archive({str(path)!r})
        start_run(db, "race")
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stderr=subprocess.PIPE) for _ in range(3)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    db = open_archive(path)
    assert scalar(db, "SELECT count(*) FROM crawl_runs") == 3
    assert scalar(db, "SELECT count(*) FROM _sqlite_migrations") == len(MIGRATIONS._migrations)


# --- articles -----------------------------------------------------------------------------------


def test_upsert_new_unchanged_updated_keeps_versions_and_images(db):
    first = make_article()
    assert upsert_article(db, first, fetched_at="2026-01-05T13:00:00+00:00") == "new"
    assert upsert_article(db, first, fetched_at="2026-01-06T09:00:00+00:00") == "unchanged"
    row = db.execute("SELECT version, first_seen_at, last_fetched_at, day, tags FROM articles").fetchone()
    assert row == (
        1,
        "2026-01-05T13:00:00+00:00",
        "2026-01-06T09:00:00+00:00",
        "2026-01-05",
        '["τράπεζες", "επιτόκια"]',
    )
    assert scalar(db, "SELECT count(*) FROM article_versions") == 0

    edited = make_article(
        title="Οι τράπεζες αυξάνουν ξανά τα επιτόκια",
        content_hash="hash-2",
        images=[
            ImageRef("https://news.example.gr/img/2.jpg", None, None, 0),
            ImageRef("https://news.example.gr/img/3.jpg"),
        ],
    )
    assert upsert_article(db, edited, fetched_at="2026-01-07T09:00:00+00:00") == "updated"
    assert scalar(db, "SELECT count(*) FROM articles") == 1
    assert scalar(db, "SELECT version FROM articles") == 2
    old = db.execute(
        "SELECT version, title, content_hash, changed, replaced_at FROM article_versions"
    ).fetchall()
    assert old == [
        (
            1,
            "Οι τράπεζες αυξάνουν τα επιτόκια",
            content_hash(first),
            '["title", "images"]',
            "2026-01-07T09:00:00+00:00",
        )
    ]

    stored = get_article(db, first.url)
    assert stored.title == edited.title
    assert [img.url for img in stored.images] == [
        "https://news.example.gr/img/2.jpg",
        "https://news.example.gr/img/3.jpg",
    ]
    assert stored.authors == ["Μαρία Παπαδοπούλου"]
    assert stored.provenance == {"title": "json-ld", "text": "trafilatura"}
    assert scalar(db, "SELECT count(*) FROM images") == 2
    assert scalar(db, "SELECT name FROM outlets") == "example"


def test_one_row_per_archive_key_whatever_page_it_came_from(db):
    key = "https://news.example.gr/a/1"
    a_page, b_page = "https://news.example.gr/a/1?utm_source=rss", "https://m.news.example.gr/a/1"
    a = make_article(url=key, canonical_url=None)
    b = make_article(url=key, canonical_url="https://news.example.gr/a/1")
    upsert_article(db, a, page={"url": a_page, "status": 200, "body": b"<html>a</html>", "etag": '"v1"'})
    assert scalar(db, "SELECT canonical_url FROM articles") is None  # the page declared none
    assert (
        upsert_article(db, b, page={"url": b_page, "status": 200, "body": b"<html>b</html>"}) == "unchanged"
    )
    assert scalar(db, "SELECT count(*) FROM articles") == 1
    assert scalar(db, "SELECT url FROM articles") == key
    assert known_article(db, a_page)["etag"] == '"v1"'
    assert known_article(db, b_page)["url"] == key
    # the declared canonical link is what the page said, refreshed even when nothing a reader sees changed
    assert get_article(db, b_page).canonical_url == "https://news.example.gr/a/1"
    assert known_article(db, "https://news.example.gr/unknown") is None
    assert get_article(db, "https://news.example.gr/unknown") is None


def test_page_body_is_stored_compressed_and_round_trips(db):
    body = ("<html><body>" + "<p>Η Βουλή ψήφισε το νομοσχέδιο.</p>" * 400 + "</body></html>").encode("utf-8")
    page = {
        "url": "https://news.example.gr/a/2",
        "status": 200,
        "headers": {"Content-Type": "text/html; charset=utf-8"},
        "body": body,
        "encoding": "utf-8",
        "etag": 'W/"abc"',
        "last_modified": "Mon, 05 Jan 2026 12:00:00 GMT",
    }
    upsert_article(db, make_article(url=page["url"]), page=page, fetched_at="2026-01-05T13:00:00+00:00")
    blob = scalar(db, "SELECT html_gz FROM pages")
    assert len(blob) < len(body) / 10
    assert gzip.decompress(blob) == body
    stored = get_page(db, page["url"])
    assert stored["body"] == body
    assert stored["headers"] == {"Content-Type": "text/html; charset=utf-8"}
    assert stored["article_id"] == scalar(db, "SELECT id FROM articles")
    info = known_article(db, page["url"])
    assert (info["etag"], info["last_modified"]) == ('W/"abc"', "Mon, 05 Jan 2026 12:00:00 GMT")
    assert info["last_fetched_at"] == "2026-01-05T13:00:00+00:00"
    assert info["published_at"] == "2026-01-05T12:30:00+00:00"


def test_failed_upsert_leaves_nothing_behind(db):
    with pytest.raises(TypeError):
        upsert_article(db, make_article(), page={"url": "https://x.gr/p", "bogus": 1})
    assert scalar(db, "SELECT count(*) FROM articles") == 0
    assert scalar(db, "SELECT count(*) FROM images") == 0


def test_deleting_an_article_removes_its_images_and_search_entry(db):
    upsert_article(db, make_article())
    assert search(db, "επιτοκια")
    db.execute("DELETE FROM articles")
    assert scalar(db, "SELECT count(*) FROM images") == 0
    assert search(db, "επιτοκια") == []


# --- concurrency and batching -------------------------------------------------------------------


def test_wal_lets_a_second_connection_read_during_a_write(tmp_path):
    path = tmp_path / "news.db"
    writer = open_archive(path)
    upsert_article(writer, make_article(url="https://x.gr/1"))
    reader = open_archive(path)
    with transaction(writer):
        upsert_article(writer, make_article(url="https://x.gr/2"))
        # the reader is neither blocked nor sees uncommitted rows
        assert scalar(reader, "SELECT count(*) FROM articles") == 1
    assert scalar(reader, "SELECT count(*) FROM articles") == 2


def test_batch_commits_every_n_and_rolls_back_only_the_open_batch(tmp_path):
    path = tmp_path / "news.db"
    writer, reader = open_archive(path), open_archive(path)
    with pytest.raises(RuntimeError), Batch(writer, every=2) as batch:
        for i in range(3):
            upsert_article(writer, make_article(url=f"https://x.gr/{i}"))
            batch.step()
            if i == 1:
                assert scalar(reader, "SELECT count(*) FROM articles") == 2
        raise RuntimeError("crawler crashed")
    assert scalar(reader, "SELECT count(*) FROM articles") == 2
    with Batch(writer, every=100) as batch:
        upsert_article(writer, make_article(url="https://x.gr/9"))
        batch.step()
    assert scalar(reader, "SELECT count(*) FROM articles") == 3


# --- frontier -----------------------------------------------------------------------------------


def test_frontier_add_pending_mark_and_requeue(db):
    rows = [
        {
            "url": "https://x.gr/old",
            "outlet": "x",
            "source": "sitemap",
            "lastmod": "2026-01-01T00:00:00+00:00",
        },
        {
            "url": "https://x.gr/new",
            "outlet": "x",
            "source": "sitemap",
            "lastmod": "2026-01-03T00:00:00+00:00",
            "news_title": "Τίτλος",
            "sitemap_images": ["https://x.gr/i.jpg"],
        },
        {"url": "https://y.gr/other", "outlet": "y", "source": "rss"},
    ]
    assert frontier_add(db, rows) == 3
    assert frontier_add(db, rows) == 0
    pending = frontier_pending(db, "x")
    assert [r["url"] for r in pending] == ["https://x.gr/new", "https://x.gr/old"]
    assert pending[0]["sitemap_images"] == ["https://x.gr/i.jpg"]
    assert pending[0]["news_title"] == "Τίτλος"
    assert len(frontier_pending(db, "x", limit=1)) == 1

    assert frontier_mark(db, "https://x.gr/old", "done")
    assert frontier_mark(db, "https://x.gr/new", "done", next_visit_at="2999-01-01T00:00:00+00:00")
    assert frontier_pending(db, "x") == []
    assert frontier_counts(db, "x") == {"pending": 0, "done": 2, "error": 0, "gone": 0}
    assert not frontier_mark(db, "https://x.gr/never-seen", "done")
    with pytest.raises(ValueError, match="unknown frontier state"):
        frontier_mark(db, "https://x.gr/old", "finished")

    # an older or equal lastmod changes nothing; a newer one re-queues
    frontier_add(db, [{"url": "https://x.gr/old", "outlet": "x", "lastmod": "2025-12-01T00:00:00+00:00"}])
    assert frontier_pending(db, "x") == []
    frontier_add(db, [{"url": "https://x.gr/old", "outlet": "x", "lastmod": "2026-02-01T00:00:00+00:00"}])
    (requeued,) = frontier_pending(db, "x")
    assert (requeued["url"], requeued["lastmod"], requeued["visits"]) == (
        "https://x.gr/old",
        "2026-02-01T00:00:00+00:00",
        1,
    )

    # a past next_visit_at makes a done URL due again; gone never comes back
    frontier_mark(db, "https://x.gr/old", "done", next_visit_at="2000-01-01T00:00:00+00:00")
    assert [r["url"] for r in frontier_pending(db, "x")] == ["https://x.gr/old"]
    frontier_mark(db, "https://x.gr/old", "gone", next_visit_at="2000-01-01T00:00:00+00:00")
    assert frontier_pending(db, "x") == []
    with pytest.raises(ValueError, match="'url' and 'outlet'"):
        frontier_add(db, [{"url": "https://x.gr/no-outlet"}])


# --- runs and errors ----------------------------------------------------------------------------


def test_errors_count_attempts_and_clear(db):
    run_id = start_run(db, "x")
    assert record_error(db, "https://x.gr/broken", "x", 503, "Service Unavailable", run_id) == 1
    first_try = scalar(db, "SELECT first_try FROM fetch_errors")
    assert record_error(db, "https://x.gr/broken", "x", None, "timeout") == 2
    row = db.execute("SELECT attempts, status, reason, first_try, run_id FROM fetch_errors").fetchone()
    assert row == (2, None, "timeout", first_try, run_id)
    assert clear_error(db, "https://x.gr/broken") is True
    assert clear_error(db, "https://x.gr/broken") is False


def test_runs_start_finish_and_abort_stale(db):
    run_id = start_run(db, "x")
    row = db.execute("SELECT status, finished_at, pid FROM crawl_runs WHERE id = ?", [run_id]).fetchone()
    assert row == ("running", None, os.getpid())
    finish_run(db, run_id, {"pages_fetched": 10, "new": 4, "updated": 1, "unchanged": 5, "errors": 0}, "ok")
    row = db.execute(
        "SELECT status, pages_fetched, new, updated, unchanged, errors, finished_at IS NOT NULL FROM crawl_runs"
    ).fetchone()
    assert row == ("ok", 10, 4, 1, 5, 0, 1)
    with pytest.raises(ValueError, match="unknown run status"):
        finish_run(db, run_id, {}, "done")
    with pytest.raises(ValueError, match="unknown run count"):
        finish_run(db, run_id, {"pages": 1}, "ok")

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale_id = start_run(db, "x")
    live_id = start_run(db, "x")
    db.execute("UPDATE crawl_runs SET pid = ? WHERE id = ?", [int(dead.stdout), stale_id])
    assert abort_stale_runs(db) == 1
    statuses = dict(db.execute("SELECT id, status FROM crawl_runs").fetchall())
    assert statuses[stale_id] == "aborted" and statuses[live_id] == "running"


def test_sqlite_checks_states_the_api_would_reject(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO frontier (url, outlet, state) VALUES ('u', 'x', 'weird')")


# --- versions of every reader-visible field, dates for sorting, page encoding --------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Μόνο ο τίτλος άλλαξε"),
        ("section", "Πολιτική"),
        ("tags", ["τράπεζες"]),
        ("authors", ["Γιώργος Νικολάου"]),
        ("published_at", "2026-01-05T14:30:00+02:00"),
        ("modified_at", "2026-01-06T10:00:00+02:00"),
        ("lede", "Άλλη περίληψη."),
        ("images", []),
    ],
)
def test_a_change_to_any_field_a_reader_sees_is_a_new_version(db, field, value):
    first = make_article()
    upsert_article(db, first, fetched_at="2026-01-05T13:00:00+00:00")
    edited = make_article(**{field: value})
    assert upsert_article(db, edited, fetched_at="2026-01-06T13:00:00+00:00") == "updated"
    (version, changed) = db.execute("SELECT version, changed FROM article_versions").fetchone()
    assert (version, changed) == (1, f'["{field}"]')
    assert getattr(get_article(db, first.url), field) == value


def test_published_utc_sorts_offsets_and_bare_dates_in_utc(db):
    for url, published in [
        ("https://x.gr/athens-evening", "2026-01-05T01:30:00+02:00"),  # 23:30 UTC on the 4th
        ("https://x.gr/date-only", "2026-01-05"),
        ("https://x.gr/utc-noon", "2026-01-04T12:00:00+00:00"),
    ]:
        upsert_article(db, make_article(url=url, published_at=published))
    rows = db.execute(
        "SELECT url, published_at, published_utc, day FROM articles ORDER BY published_utc"
    ).fetchall()
    assert rows == [
        ("https://x.gr/utc-noon", "2026-01-04T12:00:00+00:00", "2026-01-04T12:00:00+00:00", "2026-01-04"),
        (
            "https://x.gr/athens-evening",
            "2026-01-05T01:30:00+02:00",
            "2026-01-04T23:30:00+00:00",
            "2026-01-04",
        ),
        ("https://x.gr/date-only", "2026-01-05", "2026-01-05", "2026-01-05"),
    ]


def test_page_encoding_is_the_charset_used(db):
    article = make_article(encoding="windows-1253")
    upsert_article(db, article, page={"url": article.url, "status": 200, "body": b"<html></html>"})
    assert scalar(db, "SELECT encoding FROM pages") == "windows-1253"


def test_failed_fetches_do_not_climb_the_revisit_ladder(db):
    frontier_add(db, [{"url": "https://x.gr/a", "outlet": "x"}])
    frontier_mark(db, "https://x.gr/a", "error")
    frontier_mark(db, "https://x.gr/a", "error")
    assert scalar(db, "SELECT visits FROM frontier") == 0
    frontier_mark(db, "https://x.gr/a", "done")
    assert scalar(db, "SELECT visits FROM frontier") == 1


def test_an_archive_from_before_the_contentless_index_upgrades_and_stays_searchable(tmp_path):
    path = tmp_path / "m010.db"
    old = Database(path)
    MIGRATIONS.apply(old, stop_before="m011_search_index_keeps_tokens_only")
    old.execute(
        "INSERT INTO articles (url, outlet, title, text, title_norm, text_norm, content_hash, version) "
        "VALUES (?, 'old', ?, ?, ?, ?, 'h', 1)",
        ["https://old.example.gr/2", "Η Ρoή των τραπεζών", "Κείμενο.", "η ρoη των τραπεζων", "κειμενο."],
    )
    old.close()

    db = open_archive(path)
    assert "text_norm" not in db["articles"].columns_dict  # one copy of the text, in the row
    # the rebuilt index folds with today's fold, so the Latin o of "Ρoή" is found by Greek typing
    assert [hit["url"] for hit in search(db, "ροη τραπεζων")] == ["https://old.example.gr/2"]
    db.close()


def test_an_edited_title_is_found_by_its_new_words_only(tmp_path):
    db = open_archive(tmp_path / "edit.db")
    url = "https://news.example.gr/a/1"
    upsert_article(db, Article(url=url, outlet="news", title="Σεισμός στην Κρήτη", text="Κείμενο άρθρου."))
    assert [h["url"] for h in search(db, "σεισμος")] == [url]
    assert (
        upsert_article(
            db, Article(url=url, outlet="news", title="Πλημμύρες στη Θεσσαλία", text="Κείμενο άρθρου.")
        )
        == "updated"
    )
    assert search(db, "σεισμος") == []
    assert [h["url"] for h in search(db, "πλημμυρες")] == [url]
    assert [h["url"] for h in search(db, "κειμενο")] == [url]  # the unchanged text is indexed once
    db.close()


def test_a_rolled_back_batch_leaves_nothing_in_the_search_index(tmp_path):
    # the index rows of a batch are written at its commit; a batch dropped by a failed write must
    # not hand its words to the next article stored under the same row id
    db = open_archive(tmp_path / "batch.db")
    quake = Article(
        url="https://news.example.gr/a/1", outlet="news", title="Σεισμός στην Κρήτη", text="Κείμενο."
    )
    flood = Article(
        url="https://news.example.gr/a/2", outlet="news", title="Πλημμύρες στη Θεσσαλία", text="Κείμενο."
    )
    with Batch(db, every=100) as batch:
        upsert_article(db, quake)
        with pytest.raises(RuntimeError), transaction(db):  # the crawl logs it and goes on
            raise RuntimeError("a write the archive refuses")
        batch.begin()
        upsert_article(db, flood)
        # an edit inside the same batch replaces the entry that is still waiting for the commit
        upsert_article(db, replace(flood, title="Πλημμύρες και κατολισθήσεις"))
    assert get_article(db, quake.url) is None
    assert search(db, "σεισμος") == []
    assert search(db, "θεσσαλια") == []
    assert [h["url"] for h in search(db, "κατολισθησεις")] == [flood.url]
    db.close()
