"""Greek (and English/ISO) date parsing for news pages.

Greek outlets print dates as "Δευτέρα, 05 Ιανουαρίου 2026, 14:30", "05/01/2026 14:30"
(day first), "5.1.2026", uppercase without accents ("5 ΙΑΝΟΥΑΡΙΟΥ 2026"), or relative
("πριν από 2 ώρες", "χθες 18:40"). Generic parsers get the genitive month forms and the
relative phrases wrong, so this module handles them itself.

The model is honest about what the page says (see ``crawler/items.py``): a date without a time
stays a ``date``; a time with an offset keeps that offset; a naive time takes the zone passed in
(an outlet's declared zone, on its own pages) and otherwise stays naive. Nothing is moved to UTC
here, because converting changes the page's own calendar day.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from crawler.extraction.patterns import MONTH_PREFIXES, ZONE_ABBREVIATIONS
from crawler.extraction.textnorm import fold_words

# folded month prefix -> month (the words themselves are data, in patterns.MONTH_PREFIXES)
_MONTH_OF_PREFIX = {fold_words(p): number for number, prefixes in MONTH_PREFIXES for p in prefixes}
_LONGEST_PREFIX = max(map(len, _MONTH_OF_PREFIX))

_TIME = re.compile(
    r"(?<!\d)(\d{1,2})(?:[:.]|h(?=\d{2}))(\d{2})(?::(\d{2}))?(?!\d)\s*(π\.?\s?μ\.?|μ\.?\s?μ\.?|am|pm|a\.m\.|p\.m\.)?"
)
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?"
)
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?![\d])")
# "4 March 2025", "4η Μαρτίου 2025", "4. März 2025", "4 de marzo de 2025", "4er mars 2025"
_DAY_MONTH_YEAR = re.compile(
    r"(?<!\d)(\d{1,2})(?:η|st|nd|rd|th|er|\.|º)?\s*(?:de\s+)?([^\W\d_]{3,12})\.?,?\s+(?:de\s+|del\s+)?(\d{4})(?!\d)"
)
_MONTH_DAY_YEAR = re.compile(r"([^\W\d_]{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)")
# year, month word, day: "2024. március 14." (Hungarian), "2024 m. kovo 14 d." (Lithuanian)
_YEAR_MONTH_DAY = re.compile(r"(?<![\d.])(\d{4})\.?\s+(?:m\.\s+)?([^\W\d_]{3,12})\.?\s+(\d{1,2})(?!\d)")
# dates with a month word, tried in this order: (pattern, group of the year, month word, day)
_WORD_DATES = ((_DAY_MONTH_YEAR, 3, 2, 1), (_MONTH_DAY_YEAR, 3, 1, 2), (_YEAR_MONTH_DAY, 1, 2, 3))
# after a time: a zone name ("est", "gmt"), "gmt+8"/"utc-05:00", or a bare offset "+0200"
_ZONE_AFTER_TIME = re.compile(
    r"\s*\(?\s*(?:(gmt|utc|z|[a-z]{3,5})(?![a-z]))?\s*(?:([+-])(\d{1,4})(?::(\d{2}))?(?!\d))?"
)
# year first: "2024. 5. 22.", "2024/05/22" (East Asian, Hungarian, Nordic habits), "2024年5月22日", "2024년 5월 22일"
_YEAR_FIRST = re.compile(
    r"(?<![\d.])(\d{4})\s*(?:([/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?![\d])"
    r"|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일)"
)
_RELATIVE = re.compile(
    r"(?:πριν\s*(?:απο)?\s*(\d+|ενα|μια|μισ[ηο])\s*([^\W\d_]+))"
    r"|(?:(\d+|an?|one)\s+(second|minute|hour|day|week|min|hr)s?\s+ago)"
)
_RELATIVE_UNITS = (
    ("δευτερολ", "seconds"),
    ("second", "seconds"),
    ("λεπτ", "minutes"),
    ("min", "minutes"),
    ("ωρ", "hours"),
    ("hour", "hours"),
    ("hr", "hours"),
    ("ημερ", "days"),
    ("μερ", "days"),
    ("day", "days"),
    ("εβδομ", "weeks"),
    ("week", "weeks"),
)
_DAY_WORDS = (
    ("προχθες", 2),
    ("προχτες", 2),
    ("χθες", 1),
    ("χτες", 1),
    ("yesterday", 1),
    ("σημερα", 0),
    ("today", 0),
)


def month_number(word: str) -> int | None:
    """Month of a month word in any case or form ("Ιανουαρίου", "ΙΑΝ.", "Jan", "März", "października")."""
    token = fold_words(word).rstrip(".")
    for size in range(min(len(token), _LONGEST_PREFIX), 2, -1):  # the longest known prefix wins
        if (number := _MONTH_OF_PREFIX.get(token[:size])) is not None:
            return number
    return None


def zone_named(tz: str | None) -> tzinfo | None:
    """The zone naive times are read in, or None to leave them naive (also for an unknown name)."""
    if not tz:
        return None
    try:
        return ZoneInfo(tz)
    except (KeyError, ValueError):
        return None


def _find_time(text: str, exclude: tuple[int, int] | None = None) -> time | None:
    found = _time_match(text, exclude)
    return found[0] if found else None


def _time_match(text: str, exclude: tuple[int, int] | None = None) -> tuple[time, int] | None:
    """The first valid printed time outside ``exclude`` and where its match ends."""
    for m in _TIME.finditer(text):
        if exclude and exclude[0] <= m.start() < exclude[1]:
            continue
        hour, minute = int(m.group(1)), int(m.group(2))
        second = int(m.group(3) or 0)
        suffix = (m.group(4) or "").replace(".", "").replace(" ", "")
        if suffix in ("μμ", "pm") and hour < 12:
            hour += 12
        elif suffix in ("πμ", "am") and hour == 12:
            hour = 0
        if hour < 24 and minute < 60 and second < 60:
            return time(hour, minute, second), m.end()
    return None


def _printed_zone(text: str) -> tzinfo | None:
    """The zone printed right after a time ("7:15 AM EDT", "9:00 PM GMT+8", "18:05 +0200"):
    the page's own offset, kept as it states it."""
    m = _ZONE_AFTER_TIME.match(text)
    if not m:
        return None
    name, sign, hours, minutes = m.group(1), m.group(2), m.group(3), m.group(4)
    if sign:
        if len(hours) == 4 and not minutes:
            hours, minutes = hours[:2], hours[2:]
        offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if offset > timedelta(hours=14):
            return None
        return timezone(offset if sign == "+" else -offset)
    if name in ("gmt", "utc", "z"):
        return UTC
    if name in ZONE_ABBREVIATIONS:
        return timezone(timedelta(minutes=ZONE_ABBREVIATIONS[name]))
    return None


def _clock_and_zone(
    folded: str, span: tuple[int, int], tz: tzinfo | None
) -> tuple[time | None, tzinfo | None]:
    """The time printed beside a date (outside its span) and its zone: the printed one, else ``tz``."""
    found = _time_match(folded, span)
    if not found:
        return None, tz
    clock, end = found
    return clock, _printed_zone(folded[end:]) or tz


def _build(year: int, month: int, day: int, clock: time | None, tz: tzinfo | None) -> date | datetime | None:
    """A ``date`` when the page printed no time (no invented midnight), else a datetime in ``tz``."""
    if year < 100:
        year += 2000
    try:
        if clock is None:
            return date(year, month, day)
        return datetime(year, month, day, clock.hour, clock.minute, clock.second, tzinfo=tz)
    except ValueError:
        return None


def _parse_iso(text: str, tz: tzinfo | None) -> date | datetime | None:
    m = _ISO.search(text)
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    clock = None
    if m.group(4):
        clock = time(int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)) if int(m.group(4)) < 24 else None
    offset = m.group(7)
    zone: tzinfo | None = tz
    if offset:
        if offset == "Z":
            zone = UTC
        else:
            sign = 1 if offset[0] == "+" else -1
            digits = offset[1:].replace(":", "")
            zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))
    return _build(year, month, day, clock, zone)


def _parse_relative(folded: str, now: datetime, naive: bool) -> date | datetime | None:
    m = _RELATIVE.search(folded)
    if m:
        amount_word = m.group(1) or m.group(3)
        unit_word = m.group(2) or m.group(4)
        if amount_word.isdigit():
            amount: float = int(amount_word)
        elif amount_word.startswith("μισ"):
            amount = 0.5
        else:
            amount = 1
        for prefix, unit in _RELATIVE_UNITS:
            if unit_word.startswith(prefix):
                return now - timedelta(**{unit: amount})
    for word, days_back in _DAY_WORDS:
        if re.search(rf"(?<!\w){fold_words(word)}(?!\w)", folded):
            clock = _find_time(folded)
            day = (now - timedelta(days=days_back)).date()
            if clock is None:
                return day
            return datetime.combine(day, clock, tzinfo=None if naive else now.tzinfo)
    return None


_TIME_DIRECTIVES = ("%H", "%I", "%M", "%X", "%c", "%T", "%R")


def parse_date(
    text: str | None,
    tz: str | None = None,
    fetched_at: datetime | None = None,
    formats: tuple[str, ...] = (),
    day_first: bool = True,
) -> date | datetime | None:
    """Parse one date expression as the page states it, or ``None`` when there is none.

    Returns a ``date`` when no time is printed, a datetime with the printed offset when one is
    given, a datetime in ``tz`` for a naive time when ``tz`` is given, else a naive datetime.
    ``formats`` (strptime patterns from the profile) are tried first on the whole text.
    Relative expressions need ``fetched_at`` (when the page was fetched); without it they
    resolve against the current time. An ambiguous numeric date (both parts <= 12) follows
    ``day_first`` unless that order puts it in the future and the other order does not.
    """
    if not text:
        return None
    text = text.strip()
    zone = zone_named(tz)
    now = fetched_at or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=zone or UTC)
    for fmt in formats:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if not any(d in fmt for d in _TIME_DIRECTIVES):
            return parsed.date()
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    parsed = _parse_iso(text, zone)
    if parsed:
        return parsed
    folded = fold_words(text)
    for pattern, year_at, month_at, day_at in _WORD_DATES:
        m = pattern.search(folded)
        if m and (month := month_number(m.group(month_at))):
            clock, at = _clock_and_zone(folded, m.span(), zone)
            if built := _build(int(m.group(year_at)), month, int(m.group(day_at)), clock, at):
                return built
    m = _YEAR_FIRST.search(folded)
    if m:
        month, day = (int(g) for g in next(p for p in (m.group(3, 4), m.group(5, 6), m.group(7, 8)) if p[0]))
        clock, at = _clock_and_zone(folded, m.span(), zone)
        built = _build(int(m.group(1)), month, day, clock, at)
        if built:
            return built
    m = _NUMERIC.search(folded)
    if m:
        first, second, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        day, month = (first, second) if day_first else (second, first)
        if month > 12 and day <= 12:
            day, month = month, day
        clock, at = _clock_and_zone(folded, m.span(), zone)
        built = _build(year, month, day, clock, at)
        if built and day != month and day <= 12 and _in_future(built, now):
            swapped = _build(year, day, month, clock, at)
            if swapped and not _in_future(swapped, now):
                return swapped
        if built:
            return built
    return _parse_relative(folded, now.astimezone(zone or UTC), naive=zone is None)


def _in_future(value: date | datetime, now: datetime) -> bool:
    """More than a day after ``now``: no page is published tomorrow, so the order was wrong."""
    return day_of(value) > (now + timedelta(days=1)).date()


def has_time(value: date | datetime | None) -> bool:
    return isinstance(value, datetime)


def day_of(value: date | datetime) -> date:
    """The calendar day the page states (the local day, never the UTC one)."""
    return value.date() if isinstance(value, datetime) else value


def same_moment(a: date | datetime, b: date | datetime) -> bool:
    """Equal as the page means them: same instant when both are aware, else same wall clock/day."""
    if isinstance(a, datetime) and isinstance(b, datetime):
        if (a.tzinfo is None) == (b.tzinfo is None):
            return a == b
        return a.replace(tzinfo=None) == b.replace(tzinfo=None)
    return day_of(a) == day_of(b)


def to_iso(value: date | datetime) -> str:
    """The string stored in ``published_at``/``modified_at``: ``2025-03-04`` for a date,
    ``2025-03-04T18:05:00+02:00`` for a time with its zone, ``2025-03-04T18:05:00`` when naive."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()
