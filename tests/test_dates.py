"""Greek date parsing: every printed form gives what the page states, in the outlet's zone when given."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.extraction.dates import month_number, parse_date, to_iso
from storage.clock import to_utc_iso

FETCHED = datetime(2026, 1, 5, 13, 0, tzinfo=UTC)  # 15:00 in Athens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Δευτέρα, 05 Ιανουαρίου 2026, 14:30", "2026-01-05T14:30:00+02:00"),
        ("ΔΕΥΤΕΡΑ 5 ΙΑΝΟΥΑΡΙΟΥ 2026 - 14:30", "2026-01-05T14:30:00+02:00"),
        ("5 Ιαν. 2026 14:30", "2026-01-05T14:30:00+02:00"),
        ("Ιανουάριος 5, 2026 14:30", "2026-01-05T14:30:00+02:00"),
        ("05/01/2026 14:30", "2026-01-05T14:30:00+02:00"),
        ("5.1.2026", "2026-01-05"),  # a date stays a date: no invented midnight
        ("2026-01-05T14:30:00+02:00", "2026-01-05T14:30:00+02:00"),
        ("2026-01-05T12:30:00Z", "2026-01-05T12:30:00+00:00"),
        ("2026-01-05 14:30", "2026-01-05T14:30:00+02:00"),
        ("Σάββατο, 1 Αυγούστου 2026, 09:15", "2026-08-01T09:15:00+03:00"),  # summer time: UTC+3
        ("Τρίτη 3 Μαΐου 2022 10:05 μ.μ.", "2022-05-03T22:05:00+03:00"),
        ("Πέμπτη, 12 ΔΕΚΕΜΒΡΙΟΥ 2025", "2025-12-12"),
        ("January 5, 2026 2:30 pm", "2026-01-05T14:30:00+02:00"),
    ],
)
def test_absolute_forms(text: str, expected: str) -> None:
    parsed = parse_date(text, "Europe/Athens", FETCHED)
    assert parsed is not None and to_iso(parsed) == expected


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
    assert parsed is not None and to_utc_iso(parsed) == expected  # the same instant


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
    assert to_iso(parse_date("03/04/2026", "UTC")) == "2026-04-03"
    assert to_iso(parse_date("03/04/2026", "UTC", day_first=False)) == "2026-03-04"


def test_profile_formats_are_tried_first() -> None:
    parsed = parse_date("20260105-1430", "Europe/Athens", formats=("%Y%m%d-%H%M",))
    assert to_utc_iso(parsed) == "2026-01-05T12:30:00+00:00"


@pytest.mark.parametrize("text", ["", "   ", "Οικονομία", "χωρίς ημερομηνία εδώ", "31/02/2026", None])
def test_no_date_gives_none(text: str | None) -> None:
    assert parse_date(text, "Europe/Athens", FETCHED) is None


def test_page_offset_is_kept_and_naive_times_stay_naive_without_a_zone() -> None:
    assert to_iso(parse_date("2025-03-04T18:05:00-05:00")) == "2025-03-04T18:05:00-05:00"
    assert to_iso(parse_date("Τρίτη, 4 Μαρτίου 2025 18:05")) == "2025-03-04T18:05:00"
    assert to_iso(parse_date("Τρίτη, 4 Μαρτίου 2025 18:05", "Europe/Athens")) == "2025-03-04T18:05:00+02:00"
    assert to_iso(parse_date("2025-03-04")) == "2025-03-04"
    assert to_iso(parse_date("4 March 2025", "Europe/Athens")) == "2025-03-04"


def test_ambiguous_day_month_order_never_lands_in_the_future() -> None:
    fetched = datetime(2025, 3, 20, 10, 0, tzinfo=UTC)
    # day-first reads 3 December 2025, months after the fetch: the page meant 12 March
    assert to_iso(parse_date("03/12/2025", None, fetched)) == "2025-03-12"
    # both orders in the past: day-first stands
    assert to_iso(parse_date("03/02/2025", None, fetched)) == "2025-02-03"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sat, 09 Oct 2010 07:15:45 EST", "2010-10-09T07:15:45-05:00"),  # the page's zone name
        ("May 12, 2024, 9:00 PM GMT+8", "2024-05-12T21:00:00+08:00"),
        ("4 Μαρτίου 2025 18:05 +0200", "2025-03-04T18:05:00+02:00"),
        ("2024. 5. 22. 08:37", "2024-05-22T08:37:00"),  # year first (Korean, Hungarian habit)
        ("2024年5月22日 08:37", "2024-05-22T08:37:00"),
        ("2024/05/22", "2024-05-22"),
        ("Τρίτη, 4 Μαρτίου 2025 - 18:05 στο κέντρο", "2025-03-04T18:05:00"),  # a word after a time is no zone
    ],
)
def test_printed_zones_are_kept_and_year_first_dates_read_in_order(text: str, expected: str) -> None:
    parsed = parse_date(text, None, FETCHED)
    assert parsed is not None and to_iso(parsed) == expected


def test_a_printed_zone_beats_the_outlet_zone_and_its_absence_takes_it() -> None:
    assert to_iso(parse_date("4 March 2025 18:05 CET", "Europe/Athens")) == "2025-03-04T18:05:00+01:00"
    assert to_iso(parse_date("4 March 2025 18:05", "Europe/Athens")) == "2025-03-04T18:05:00+02:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4. März 2025 um 18:05", "2025-03-04T18:05:00"),
        ("4 de marzo de 2025", "2025-03-04"),
        ("Publié le 4 mars 2025 à 18h05", "2025-03-04T18:05:00"),
        ("4 ottobre 2025", "2025-10-04"),
        ("4 outubro 2025", "2025-10-04"),
        ("4 października 2025", "2025-10-04"),
        ("1 července 2025", "2025-07-01"),  # Czech July, though June ("června") shares its first letters
        ("1 června 2025", "2025-06-01"),
        ("4 marraskuuta 2025", "2025-11-04"),  # Finnish November, not March
        ("4 марта 2025 г. 18:05", "2025-03-04T18:05:00"),
        ("4 березня 2025", "2025-03-04"),
        ("4 Ekim 2025", "2025-10-04"),
    ],
)
def test_month_words_of_the_languages_news_pages_use(text: str, expected: str) -> None:
    parsed = parse_date(text, None, FETCHED)
    assert parsed is not None and to_iso(parsed) == expected
