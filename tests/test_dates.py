"""Greek date parsing: every printed form a Greek outlet uses gives the right UTC instant."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.extraction.dates import month_number, parse_date, to_utc_iso

FETCHED = datetime(2026, 1, 5, 13, 0, tzinfo=UTC)  # 15:00 in Athens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Δευτέρα, 05 Ιανουαρίου 2026, 14:30", "2026-01-05T12:30:00+00:00"),
        ("ΔΕΥΤΕΡΑ 5 ΙΑΝΟΥΑΡΙΟΥ 2026 - 14:30", "2026-01-05T12:30:00+00:00"),
        ("5 Ιαν. 2026 14:30", "2026-01-05T12:30:00+00:00"),
        ("Ιανουάριος 5, 2026 14:30", "2026-01-05T12:30:00+00:00"),
        ("05/01/2026 14:30", "2026-01-05T12:30:00+00:00"),
        ("5.1.2026", "2026-01-04T22:00:00+00:00"),
        ("2026-01-05T14:30:00+02:00", "2026-01-05T12:30:00+00:00"),
        ("2026-01-05T12:30:00Z", "2026-01-05T12:30:00+00:00"),
        ("2026-01-05 14:30", "2026-01-05T12:30:00+00:00"),
        ("Σάββατο, 1 Αυγούστου 2026, 09:15", "2026-08-01T06:15:00+00:00"),  # summer time: UTC+3
        ("Τρίτη 3 Μαΐου 2022 10:05 μ.μ.", "2022-05-03T19:05:00+00:00"),
        ("Πέμπτη, 12 ΔΕΚΕΜΒΡΙΟΥ 2025", "2025-12-11T22:00:00+00:00"),
        ("January 5, 2026 2:30 pm", "2026-01-05T12:30:00+00:00"),
    ],
)
def test_absolute_forms(text: str, expected: str) -> None:
    parsed = parse_date(text, "Europe/Athens", FETCHED)
    assert parsed is not None and to_utc_iso(parsed) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("πριν από 2 ώρες", "2026-01-05T11:00:00+00:00"),
        ("πριν 15 λεπτά", "2026-01-05T12:45:00+00:00"),
        ("Πριν 1 ημέρα", "2026-01-04T13:00:00+00:00"),
        ("χθες 18:40", "2026-01-04T16:40:00+00:00"),
        ("Χθες, 18:40", "2026-01-04T16:40:00+00:00"),
        ("σήμερα 09:10", "2026-01-05T07:10:00+00:00"),
        ("3 hours ago", "2026-01-05T10:00:00+00:00"),
    ],
)
def test_relative_forms_resolve_against_fetch_time(text: str, expected: str) -> None:
    parsed = parse_date(text, "Europe/Athens", FETCHED)
    assert parsed is not None and to_utc_iso(parsed) == expected


@pytest.mark.parametrize(
    ("word", "month"),
    [
        ("Ιανουαρίου", 1),
        ("Ιανουάριος", 1),
        ("Ιαν.", 1),
        ("ΙΑΝΟΥΑΡΙΟΥ", 1),
        ("Φλεβάρη", 2),
        ("Μαΐου", 5),
        ("Μάη", 5),
        ("Ιούνιος", 6),
        ("Ιουλ", 7),
        ("ΑΥΓΟΥΣΤΟΥ", 8),
        ("Σεπτ.", 9),
        ("Νοεμβρίου", 11),
        ("Dec", 12),
    ],
)
def test_month_names_in_all_forms(word: str, month: int) -> None:
    assert month_number(word) == month


def test_day_first_for_greek_outlets_and_month_first_when_asked() -> None:
    assert to_utc_iso(parse_date("03/04/2026", "UTC")) == "2026-04-03T00:00:00+00:00"
    assert to_utc_iso(parse_date("03/04/2026", "UTC", day_first=False)) == "2026-03-04T00:00:00+00:00"


def test_profile_formats_are_tried_first() -> None:
    parsed = parse_date("20260105-1430", "Europe/Athens", formats=("%Y%m%d-%H%M",))
    assert to_utc_iso(parsed) == "2026-01-05T12:30:00+00:00"


@pytest.mark.parametrize("text", ["", "   ", "Οικονομία", "χωρίς ημερομηνία εδώ", "31/02/2026", None])
def test_no_date_gives_none(text: str | None) -> None:
    assert parse_date(text, "Europe/Athens", FETCHED) is None
