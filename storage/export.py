"""Articles out of the archive as flat records: the shape ``newscrawl export`` writes.

One record per article with the keys ``newscrawl extract --format json`` prints plus ``id``
and ``first_seen_at``; tags and authors are lists, images a list of
``{url, caption, alt, position}`` in reading order. Rows come from one SQLite cursor (the
images folded in by a correlated ``json_group_array``), so an export of any size holds one
article in memory at a time.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from sqlite_utils import Database

from storage.records import Article

#: The keys of an exported article, in order: ``id``, the Article fields, ``first_seen_at``.
ARTICLE_KEYS = tuple(Article.__dataclass_fields__)
EXPORT_KEYS = ("id", *ARTICLE_KEYS, "first_seen_at")
_JSON_COLUMNS = ("tags", "authors", "provenance")

_SELECT = """
SELECT
    a.id, a.url, a.canonical_url, a.outlet, a.title, a.lede, a.section, a.tags, a.authors,
    a.published_at, a.modified_at, a.language, a.text, a.word_count, a.content_hash, a.provenance,
    a.first_seen_at,
    -- the charset the stored page was read with (the article record's ``encoding``)
    (SELECT p.encoding FROM pages AS p WHERE p.article_id = a.id ORDER BY p.fetched_at DESC, p.id DESC
     LIMIT 1) AS encoding,
    (
        SELECT json_group_array(json_object('url', url, 'caption', caption, 'alt', alt,
                                            'position', position))
        FROM (SELECT url, caption, alt, position FROM images
              WHERE images.article_id = a.id ORDER BY position, id)
    ) AS images
FROM articles AS a
WHERE (:outlet IS NULL OR a.outlet = :outlet)
  AND (:since IS NULL OR coalesce(a.published_utc, a.first_seen_at) >= :since)
ORDER BY a.id
"""


def flat_record(article: dict[str, Any], id_: int | None = None, first_seen_at: str | None = None) -> dict:
    """An article (``Article.to_dict()`` shape) as the exported object, keys in export order."""
    record = {key: article.get(key) for key in ARTICLE_KEYS}
    record["images"] = [
        {k: image.get(k) for k in ("url", "caption", "alt", "position")}
        for image in article.get("images") or []
    ]
    return {"id": id_, **record, "first_seen_at": first_seen_at}


def iter_articles(db: Database, outlet: str | None = None, since: str | None = None) -> Iterator[dict]:
    """Every stored article (of ``outlet``, published or first seen at ``since`` or later), by id."""
    cursor = db.conn.execute(_SELECT, {"outlet": outlet, "since": since})
    names = [d[0] for d in cursor.description]
    for row in cursor:
        values = dict(zip(names, row, strict=True))
        for column in _JSON_COLUMNS:
            values[column] = _json_or(values[column], {} if column == "provenance" else [])
        values["images"] = _json_or(values["images"], [])
        yield flat_record(values, values["id"], values["first_seen_at"])


def _json_or(text: str | None, default: Any) -> Any:
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def write_jsonl(records: Iterable[dict], out: io.TextIOBase) -> int:
    """One JSON object per line (UTF-8 text as is, not \\u escapes); returns the count."""
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


def csv_row(record: dict) -> dict[str, Any]:
    """A flat record as one CSV row: lists joined with `` | ``, images by their URLs, maps as JSON."""
    row: dict[str, Any] = {}
    for key, value in record.items():
        if key == "images":
            row["images"] = " | ".join(image["url"] for image in value)
            row["image_captions"] = " | ".join(image.get("caption") or "" for image in value)
        elif isinstance(value, list):
            row[key] = " | ".join(str(v) for v in value)
        elif isinstance(value, dict):
            row[key] = json.dumps(value, ensure_ascii=False)
        else:
            row[key] = value
    return row


CSV_COLUMNS = tuple(k for k in EXPORT_KEYS if k != "images") + ("images", "image_captions")


def write_csv(records: Iterable[dict], out: io.TextIOBase) -> int:
    """One row per article with a header; returns the count."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow(csv_row(record))
        count += 1
    return count
