"""Read-only summaries the commands print: last runs, run history, totals per outlet and per day."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlite_utils import Database

from storage.db import row_dicts


def last_runs(db: Database) -> dict[str, tuple[str, str]]:
    """``{outlet: (started_at, status)}`` of each outlet's most recent run."""
    rows = db.execute(
        "SELECT outlet, started_at, status FROM crawl_runs WHERE id IN "
        "(SELECT max(id) FROM crawl_runs GROUP BY outlet)"
    )
    return {outlet: (started, status) for outlet, started, status in rows}


def last_run(db: Database, outlet: str) -> dict | None:
    """The outlet's most recent ``crawl_runs`` row."""
    rows = row_dicts(
        db.execute("SELECT * FROM crawl_runs WHERE outlet = ? ORDER BY id DESC LIMIT 1", [outlet])
    )
    return rows[0] if rows else None


def recent_runs(db: Database, limit: int = 20, outlet: str | None = None) -> list[tuple]:
    """Runs newest first: id, outlet, started, finished, fetched, new, updated, unchanged, errors, status."""
    where, params = ("WHERE outlet = ?", [outlet]) if outlet else ("", [])
    return db.execute(
        "SELECT id, outlet, started_at, finished_at, pages_fetched, new, updated, unchanged, errors, status "
        f"FROM crawl_runs {where} ORDER BY id DESC LIMIT ?",
        [*params, limit],
    ).fetchall()


def outlet_totals(db: Database) -> list[tuple]:
    """Per outlet: articles, revised articles, images, oldest and newest publication (UTC), errors."""
    return db.execute(
        "SELECT a.outlet, count(*), sum(a.version > 1), (SELECT count(*) FROM images i JOIN articles b "
        "ON b.id = i.article_id WHERE b.outlet = a.outlet), min(a.published_utc), max(a.published_utc), "
        "(SELECT count(*) FROM fetch_errors e WHERE e.outlet = a.outlet) "
        "FROM articles a GROUP BY a.outlet ORDER BY a.outlet"
    ).fetchall()


def articles_per_day(db: Database, limit: int) -> list[tuple]:
    """``(UTC day, outlet, articles)``, newest day first."""
    return db.execute(
        "SELECT day, outlet, count(*) FROM articles WHERE day IS NOT NULL "
        "GROUP BY day, outlet ORDER BY day DESC, outlet LIMIT ?",
        [limit],
    ).fetchall()


def outlet_counts(db: Database, outlet: str) -> tuple[int, int]:
    """``(articles, images)`` the archive holds for ``outlet``."""
    articles = db.execute("SELECT count(*) FROM articles WHERE outlet = ?", [outlet]).fetchone()[0]
    images = db.execute(
        "SELECT count(*) FROM images JOIN articles ON articles.id = images.article_id WHERE outlet = ?",
        [outlet],
    ).fetchone()[0]
    return articles, images


def outlet_origin(db: Database, outlet: str) -> str | None:
    """``scheme://host[:port]`` of the outlet's most recently archived article, when there is one."""
    row = db.execute(
        "SELECT url FROM articles WHERE outlet = ? ORDER BY id DESC LIMIT 1", [outlet]
    ).fetchone()
    if not row:
        return None
    parts = urlsplit(row[0])
    return f"{parts.scheme}://{parts.netloc}"
