"""The one clock and the one date normaliser every module uses.

Times the archive writes itself (fetches, runs, frontier visits) are UTC ISO 8601 text
(``2026-01-05T12:30:00+00:00``), so they sort and compare as text in SQLite. Dates taken from
pages keep what the page said (its own offset, or only a date); ``to_utc_iso`` gives the
sortable UTC form of such a value without inventing precision: a date without a time stays a
date, which sorts before every time of that day.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

_DATE_ONLY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def utcnow() -> datetime:
    """Now, as an aware UTC datetime."""
    return datetime.now(UTC)


def iso(moment: datetime | None = None) -> str:
    """``moment`` (default now) as UTC ISO 8601 text to the second, as every table stores it."""
    moment = moment or utcnow()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(value: str | datetime | None) -> datetime | None:
    """An aware datetime from ISO 8601 text (a date only means its midnight UTC); None if unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def to_utc_iso(value: str | datetime | date | None) -> str | None:
    """The sortable UTC form of a date from a page, sitemap or feed; None when unreadable.

    ISO 8601 and RFC 822 (feeds) are read; a time without an offset is taken as UTC; a date
    without a time stays ``YYYY-MM-DD``.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    text = value.strip()
    if not text:
        return None
    day = _DATE_ONLY.match(text)
    if day:
        try:
            return date(int(day[1]), int(day[2]), int(day[3])).isoformat()
        except ValueError:
            return None
    parsed = parse_iso(text)
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return iso(parsed)
