"""``published_at`` and ``modified_at``: the article's own dates, as precise as the page states them.

Candidates come from the article's metadata (JSON-LD, meta tags), from what is printed beside
the headline, then from the rest of the page outside its chrome (a "today" date in the site
header, sidebar or feed dates are never the article's), then from the URL and htmldate. The
profile's preferred source wins; a source that states the same day *with* a time, or the same
wall clock *with* a zone, refines it (time to the minute whenever the page shows one).
"""

from __future__ import annotations

from datetime import date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from crawler.extraction.dates import day_of, has_time, parse_date, same_moment, to_iso
from crawler.extraction.page import Page, header, is_foreign, text_of
from crawler.extraction.patterns import DATE_CLASS, DATE_TEXT, URL_DATE
from crawler.extraction.prune import head_text
from crawler.extraction.selectors import select, select_first
from crawler.extraction.textnorm import clean_space

Stamp = date | datetime
_CONTAINERS = {"body", "html", "article", "main", "section"}
_NEAR_LEVELS = 5  # ancestors of the headline searched for its date (the byline box is close)


def _parser(page: Page):
    p = page.profile
    return lambda value: parse_date(value, p.timezone, page.fetched_at, p.date_formats, p.day_first)


def _element_dates(el: HtmlElement, parse) -> list[Stamp]:
    """Dates an element states: its machine attribute and its printed text (both when they differ)."""
    found = []
    for value in (el.get("datetime"), el.get("content")):
        if value and (d := parse(value)):
            found.append(d)
    text = clean_space(head_text(el, 100))
    if text and len(text) < 90 and DATE_TEXT.search(text) and (d := parse(text)):
        found.append(d)
    return found


def _best(values: list[Stamp]) -> Stamp | None:
    """The most precise of one element's dates: a time beats a bare date of the same day."""
    if not values:
        return None
    timed = [v for v in values if has_time(v)]
    if timed and all(day_of(t) == day_of(values[0]) for t in timed[:1]):
        aware = [t for t in timed if t.tzinfo is not None]
        return aware[0] if aware else timed[0]
    return values[0]


def _date_elements(root: HtmlElement, page: Page) -> list[HtmlElement]:
    """<time> elements and small elements whose class names a date, under ``root``, in page order."""
    labelled = set(page.labels.matching("date", DATE_CLASS))
    out = []
    for el in root.iter():
        if el.tag == "time" or (el in labelled and len(el) <= 3 and el.tag not in _CONTAINERS):
            out.append(el)
    return out


def _near_title(page: Page, title_el: HtmlElement | None, parse) -> Stamp | None:
    """The date printed beside the headline: searched in the headline's ancestors, closest first."""
    if title_el is None:
        return None
    node, level = title_el.getparent(), 0
    while node is not None and level < _NEAR_LEVELS and node.tag not in ("body", "html"):
        for el in _date_elements(node, page):
            if not is_foreign(el, node) and (d := _best(_element_dates(el, parse))):
                return d
        node, level = node.getparent(), level + 1
    return None


def _elsewhere(page: Page, parse) -> Stamp | None:
    """A printed date anywhere outside the site's chrome and other pages' teasers."""
    for el in _date_elements(page.tree, page)[:40]:
        if not is_foreign(el) and (d := _best(_element_dates(el, parse))):
            return d
    return None


def _url_date(url: str) -> date | None:
    m = URL_DATE.search(urlsplit(url).path)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _htmldate(page: Page) -> date | None:
    try:
        from htmldate import find_date

        value = find_date(
            page.tree, url=page.url, extensive_search=False, original_date=True, outputformat="%Y-%m-%d"
        )
    except Exception:  # noqa: BLE001 - htmldate is a last resort, never a failure
        return None
    return date.fromisoformat(value) if value else None


def _candidates(page: Page, title_el: HtmlElement | None) -> dict[str, Stamp]:
    parse = _parser(page)
    found: dict[str, Stamp] = {}
    if page.ld.get("published") and (d := parse(page.ld["published"])):
        found["json-ld"] = d
    if page.meta.get("published") and (d := parse(page.meta["published"])):
        found["meta"] = d
    if page.profile.date_selector:
        for el in select(page.tree, page.profile.date_selector):
            if d := _best(_element_dates(el, parse) or [parse(text_of(el) or "")]):
                found["visible"] = d
                break
    if "visible" not in found and (d := _near_title(page, title_el, parse) or _elsewhere(page, parse)):
        found["visible"] = d
    return found


def _refine(chosen: Stamp, found: dict[str, Stamp]) -> tuple[Stamp, str | None]:
    """A same-day time for a bare date, or a zone for the same naive wall clock."""
    if not has_time(chosen):
        for source, value in found.items():
            if has_time(value) and day_of(value) == chosen:
                return value, source
    elif chosen.tzinfo is None:
        for source, value in found.items():
            if has_time(value) and value.tzinfo is not None and same_moment(value, chosen):
                return value, source
    return chosen, None


def published(page: Page, title_el: HtmlElement | None) -> Stamp | None:
    """The publication date: preferred source, refined for precision; disagreements recorded."""
    prov = page.provenance
    found = _candidates(page, title_el)
    if found:
        order = [page.profile.preferred_date_source, "json-ld", "meta", "visible"]
        source = next(s for s in order if s in found)
        chosen, refined_by = _refine(found[source], found)
        prov["published_at"] = source if not refined_by else f"{source}+{refined_by}"
        others = {s: d for s, d in found.items() if not same_moment(d, chosen)}
        if others:
            prov["published_at.disagreement"] = ", ".join(
                f"{s}={to_iso(d)}" for s, d in [(source, chosen), *others.items()]
            )
        return chosen
    if d := _url_date(page.url):
        prov["published_at"] = "url"
        return d
    if d := _htmldate(page):
        prov["published_at"] = "htmldate"
        return d
    return None


def modified(page: Page, published_at: Stamp | None) -> Stamp | None:
    """The last modification the page states; one not after publication is no modification."""
    parse = _parser(page)
    value: Stamp | None = None
    for source, raw in (
        ("outlet", text_of(select_first(page.tree, page.profile.modified_selector))),
        ("json-ld", page.ld.get("modified")),
        ("meta", page.meta.get("modified")),
    ):
        if raw and (value := parse(raw)):
            page.provenance["modified_at"] = source
            break
    if value is None and (last_mod := header(page.headers, "last-modified")):
        try:
            value = parsedate_to_datetime(last_mod)
            page.provenance["modified_at"] = "http-header"
        except (TypeError, ValueError):
            value = None
    if value is not None and published_at is not None and not _later(value, published_at):
        page.provenance.pop("modified_at", None)
        return None
    return value


def _later(a: Stamp, b: Stamp) -> bool:
    """True when ``a`` is surely after ``b`` (comparable instants, else a later calendar day)."""
    if isinstance(a, datetime) and isinstance(b, datetime) and (a.tzinfo is None) == (b.tzinfo is None):
        return a > b
    return day_of(a) > day_of(b)
