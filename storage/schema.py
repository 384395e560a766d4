"""The archive schema as an ordered list of migrations.

Archives outlive code versions: a crawl started months ago must open with
today's code. Every schema change is therefore a new migration appended to
the end of ``MIGRATIONS`` (never edit an applied one); ``open_archive`` runs
the pending ones, recorded by sqlite-utils in ``_sqlite_migrations``.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.searchindex import FTS_TOKENIZE
from storage.textnorm import fold

MIGRATIONS = Migrations("newscrawl")

# Columns of articles_fts as m003 created it: originals and folded copies (m005 keeps only the
# folded ones, M005_COLUMNS; m011 moves them into a contentless index, storage.searchindex).
FTS_COLUMNS = ("title", "lede", "text", "title_norm", "lede_norm", "text_norm")
# (the tokenizer, like the index since m011, is defined in storage.searchindex)


@MIGRATIONS()
def m001_core_tables(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE outlets (
            name TEXT PRIMARY KEY,
            base_url TEXT,
            added_at TEXT
        );
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            url TEXT UNIQUE NOT NULL,
            canonical_url TEXT,
            outlet TEXT,
            title TEXT,
            lede TEXT,
            section TEXT,
            tags TEXT,
            authors TEXT,
            published_at TEXT,
            modified_at TEXT,
            language TEXT,
            text TEXT,
            word_count INTEGER,
            content_hash TEXT,
            provenance TEXT,
            first_seen_at TEXT,
            last_fetched_at TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            day TEXT
        );
        CREATE INDEX idx_articles_outlet ON articles(outlet);
        CREATE INDEX idx_articles_published_at ON articles(published_at);
        CREATE INDEX idx_articles_day ON articles(day);
        CREATE TABLE images (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            caption TEXT,
            alt TEXT,
            position INTEGER
        );
        CREATE INDEX idx_images_article_id ON images(article_id);
        CREATE TABLE article_versions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            version INTEGER,
            title TEXT,
            lede TEXT,
            text TEXT,
            content_hash TEXT,
            modified_at TEXT,
            replaced_at TEXT
        );
        CREATE INDEX idx_article_versions_article_id ON article_versions(article_id);
        CREATE TABLE pages (
            id INTEGER PRIMARY KEY,
            url TEXT UNIQUE NOT NULL,
            outlet TEXT,
            article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
            status INTEGER,
            headers TEXT,
            fetched_at TEXT,
            etag TEXT,
            last_modified TEXT,
            encoding TEXT,
            html_gz BLOB
        );
        CREATE INDEX idx_pages_article_id ON pages(article_id);
        CREATE TABLE crawl_runs (
            id INTEGER PRIMARY KEY,
            outlet TEXT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            pages_fetched INTEGER NOT NULL DEFAULT 0,
            new INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'ok', 'partial', 'failed', 'aborted')),
            pid INTEGER
        );
        CREATE INDEX idx_crawl_runs_outlet_started ON crawl_runs(outlet, started_at);
        CREATE TABLE fetch_errors (
            id INTEGER PRIMARY KEY,
            url TEXT UNIQUE NOT NULL,
            outlet TEXT,
            status INTEGER,
            reason TEXT,
            attempts INTEGER NOT NULL DEFAULT 1,
            first_try TEXT,
            last_try TEXT,
            run_id INTEGER REFERENCES crawl_runs(id) ON DELETE SET NULL
        );
        CREATE INDEX idx_fetch_errors_outlet ON fetch_errors(outlet);
        """
    )


@MIGRATIONS()
def m002_frontier(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE frontier (
            url TEXT PRIMARY KEY,
            outlet TEXT NOT NULL,
            source TEXT,
            discovered_at TEXT,
            lastmod TEXT,
            news_title TEXT,
            news_publication_date TEXT,
            sitemap_images TEXT,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'done', 'error', 'gone')),
            next_visit_at TEXT,
            visits INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX idx_frontier_state_outlet ON frontier(state, outlet);
        """
    )


@MIGRATIONS()
def m003_greek_search(db: Database) -> None:
    for column in ("title_norm", "lede_norm", "text_norm"):
        db.execute(f"ALTER TABLE articles ADD COLUMN {column} TEXT")
    rows = db.execute("SELECT id, title, lede, text FROM articles").fetchall()
    db.conn.executemany(
        "UPDATE articles SET title_norm = ?, lede_norm = ?, text_norm = ? WHERE id = ?",
        [(fold(title), fold(lede), fold(text), id_) for id_, title, lede, text in rows],
    )
    _create_search_index(db, FTS_COLUMNS)


def _create_search_index(db: Database, columns: tuple[str, ...]) -> None:
    """articles_fts over ``columns`` of articles, filled now and kept in step by triggers."""
    cols = ", ".join(columns)
    new_cols = ", ".join(f"new.{c}" for c in columns)
    old_cols = ", ".join(f"old.{c}" for c in columns)
    # content="articles" (double-quoted) is what Datasette's detect_fts looks for.
    db.executescript(
        f"""
        CREATE VIRTUAL TABLE articles_fts USING fts5 (
            {cols},
            tokenize='{FTS_TOKENIZE}',
            content="articles",
            content_rowid="id"
        );
        INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts (rowid, {cols}) VALUES (new.id, {new_cols});
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, {cols})
                VALUES ('delete', old.id, {old_cols});
        END;
        CREATE TRIGGER articles_au AFTER UPDATE OF {cols} ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, {cols})
                VALUES ('delete', old.id, {old_cols});
            INSERT INTO articles_fts (rowid, {cols}) VALUES (new.id, {new_cols});
        END;
        """
    )


@MIGRATIONS()
def m004_versions_of_every_field(db: Database) -> None:
    """Version every reader-visible field, and keep a sortable UTC publication time.

    ``published_at`` keeps what the page said (its offset, or a date alone), so it no longer
    sorts across outlets; ``published_utc`` does. Stored hashes are recomputed with the version
    hash over every field, so upgrading does not make every article look edited.
    """
    import json

    from storage.clock import to_utc_iso
    from storage.records import Article, ImageRef, content_hash

    db.executescript(
        """
        ALTER TABLE articles ADD COLUMN published_utc TEXT;
        CREATE INDEX idx_articles_published_utc ON articles(published_utc);
        ALTER TABLE article_versions ADD COLUMN section TEXT;
        ALTER TABLE article_versions ADD COLUMN tags TEXT;
        ALTER TABLE article_versions ADD COLUMN authors TEXT;
        ALTER TABLE article_versions ADD COLUMN published_at TEXT;
        ALTER TABLE article_versions ADD COLUMN images TEXT;
        ALTER TABLE article_versions ADD COLUMN changed TEXT;
        """
    )
    images: dict[int, list[ImageRef]] = {}
    for article_id, url, caption, alt, position in db.execute(
        "SELECT article_id, url, caption, alt, position FROM images ORDER BY article_id, position, id"
    ):
        images.setdefault(article_id, []).append(ImageRef(url, caption, alt, position))
    rows = db.execute(
        "SELECT id, url, title, lede, text, section, tags, authors, published_at, modified_at FROM articles"
    ).fetchall()
    updates = []
    for id_, url, title, lede, text, section, tags, authors, published_at, modified_at in rows:
        article = Article(
            url=url,
            title=title,
            lede=lede,
            text=text or "",
            section=section,
            tags=json.loads(tags) if tags else [],
            authors=json.loads(authors) if authors else [],
            published_at=published_at,
            modified_at=modified_at,
            images=images.get(id_, []),
        )
        published_utc = to_utc_iso(published_at)
        updates.append(
            (published_utc, published_utc[:10] if published_utc else None, content_hash(article), id_)
        )
    db.conn.executemany(
        "UPDATE articles SET published_utc = ?, day = ?, content_hash = ? WHERE id = ?", updates
    )


# Since m005 the index holds only the folded copies: the originals doubled the index work and
# were only there for Datasette's raw ?_search=, which the plugin now folds (asgi_wrapper).
M005_COLUMNS = ("title_norm", "lede_norm", "text_norm")


@MIGRATIONS()
def m005_index_folded_columns_only(db: Database) -> None:
    db.executescript(
        """
        DROP TRIGGER articles_ai;
        DROP TRIGGER articles_ad;
        DROP TRIGGER articles_au;
        DROP TABLE articles_fts;
        """
    )
    _create_search_index(db, M005_COLUMNS)


@MIGRATIONS()
def m006_drop_published_at_index(db: Database) -> None:
    """Everything sorts by ``published_utc`` now; the index on the page's own text was write cost only."""
    db.execute("DROP INDEX IF EXISTS idx_articles_published_at")


@MIGRATIONS()
def m010_image_files(db: Database) -> None:
    """Image bytes kept in the archive, so pictures outlive the outlet's server.

    ``image_files`` is keyed by the SHA-256 of the original bytes, so one picture used by
    many articles (or served under several URLs) is stored once; ``image_urls`` maps every
    fetched address to it and tells the next crawl not to fetch that address again.
    ``images`` (one row per picture in an article) stays as it is and joins on ``url``.
    """
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS image_files (
            hash TEXT PRIMARY KEY,
            url TEXT NOT NULL,
            mime_type TEXT,
            width INTEGER,
            height INTEGER,
            bytes INTEGER,
            thumb_width INTEGER,
            thumb_height INTEGER,
            thumbnail BLOB NOT NULL,
            original BLOB,
            fetched_at TEXT
        );
        CREATE TABLE IF NOT EXISTS image_urls (
            url TEXT PRIMARY KEY,
            hash TEXT NOT NULL REFERENCES image_files(hash),
            fetched_at TEXT
        );
        CREATE INDEX IF NOT EXISTS idx_images_url ON images(url);
        """
    )


@MIGRATIONS()
def m011_search_index_keeps_tokens_only(db: Database) -> None:
    """A contentless index (storage.searchindex), and no folded copies in ``articles``.

    The folded title, lede and text were stored twice, once as columns for the external-content
    index and once in the index itself; now only the index has them, which cuts the archive by
    about a third and the write work with it. The index is rebuilt with today's ``fold``.
    """
    from storage import searchindex

    db.executescript(
        """
        DROP TRIGGER IF EXISTS articles_ai;
        DROP TRIGGER IF EXISTS articles_ad;
        DROP TRIGGER IF EXISTS articles_au;
        DROP TABLE IF EXISTS articles_fts;
        """
    )
    searchindex.create_index(db)
    searchindex.index_all(db, db.execute("SELECT id, title, lede, text FROM articles"))
    for column in M005_COLUMNS:
        db.execute(f"ALTER TABLE articles DROP COLUMN {column}")


@MIGRATIONS()
def m012_fewer_index_merges(db: Database) -> None:
    """Merge the search index's segments less often while storing (storage.searchindex.AUTOMERGE)."""
    from storage import searchindex

    searchindex.tune_merging(db)
