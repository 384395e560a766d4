"""The full-text index: folded title, lede and text, kept as tokens only.

``articles_fts`` is a contentless FTS5 table (``content=''``): it stores the index and the
column sizes bm25 needs, not a second copy of the text. Search joins its rowids to
``articles.id`` and cuts snippets from the original text (storage.search), so nothing else is
needed. Storage writes it beside the article row, in the same transaction; removing an entry
takes the folded values that were indexed, which ``fold`` of the stored article gives back.
A change to ``fold`` therefore needs a migration that rebuilds the index (as m011 does).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from storage.records import Article
from storage.textnorm import fold

# the index's columns, in bm25 weight order (storage.search); named after what they hold
SEARCH_COLUMNS = ("title_norm", "lede_norm", "text_norm")
FTS_TOKENIZE = "unicode61 remove_diacritics 2"
# FTS5 merges index segments as they pile up: at 4 per level (its default) a crawl spends a
# tenth of its storing time merging; at 8 it writes 7-9% faster and searches as fast
# (python -m bench storage; 30,000 articles: p95 18 ms against 21 ms)
AUTOMERGE = 8

_COLUMNS = ", ".join(SEARCH_COLUMNS)
_INSERT = f"INSERT INTO articles_fts (rowid, {_COLUMNS}) VALUES (?, ?, ?, ?)"
_DELETE = f"INSERT INTO articles_fts (articles_fts, rowid, {_COLUMNS}) VALUES ('delete', ?, ?, ?, ?)"


def create_index(db: Database) -> None:
    """An empty contentless articles_fts."""
    db.execute(
        f"CREATE VIRTUAL TABLE articles_fts USING fts5 ({_COLUMNS}, tokenize='{FTS_TOKENIZE}', content='')"
    )


def tune_merging(db: Database) -> None:
    """Store the index's merge setting (FTS5 keeps it in the index's own config table)."""
    db.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', ?)", [AUTOMERGE])


def folded(title: str | None, lede: str | None, text: str | None) -> tuple[str, str, str]:
    """What the index holds for one article."""
    return fold(title), fold(lede), fold(text)


def _open_batch(db: Database):
    batch = getattr(db, "_newscrawl_batch", None)
    return batch if batch is not None and db.conn.in_transaction else None


def index_article(db: Database, article_id: int, values: tuple[str, str, str]) -> None:
    """Index a new article; inside a group commit, with the batch's other new articles at commit."""
    batch = _open_batch(db)
    if batch is not None:
        batch.defer(_INSERT, (article_id, *values))
    else:
        db.execute(_INSERT, [article_id, *values])


def reindex_article(db: Database, article_id: int, old: Article, values: tuple[str, str, str]) -> None:
    """Replace the entry of an article whose title, lede or text changed."""
    before = folded(old.title, old.lede, old.text)
    if before == values:
        return
    batch = _open_batch(db)
    if batch is not None:
        batch.flush()  # the entry to remove may still be waiting in the batch
    db.execute(_DELETE, [article_id, *before])
    db.execute(_INSERT, [article_id, *values])


def index_all(db: Database, rows: Iterable[tuple[int, str | None, str | None, str | None]]) -> None:
    """Fill the index from (id, title, lede, text) rows (migrations)."""
    db.conn.executemany(_INSERT, ((id_, *folded(title, lede, text)) for id_, title, lede, text in rows))
