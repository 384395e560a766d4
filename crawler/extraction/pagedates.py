"""``published_at`` and ``modified_at``: the article's own dates, as precise as the page states them.

Candidates come from the article's metadata (JSON-LD, meta tags), from what is printed beside
the headline, then from the rest of the page outside its chrome (a "today" date in the site
header, sidebar or feed dates are never the article's), then from the URL and htmldate. The
profile's preferred source wins; a source that states the same day *with* a time, or the same
wall clock *with* a zone, refines it (time to the minute whenever the page shows one).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extraction.dates import day_of, has_time, parse_date, same_moment, to_iso, zone_named
from crawler.extraction.page import Page, header, is_foreign, text_of
from crawler.extraction.patterns import (
    DATE_CLASS,
    DATE_TEXT,
    MODIFIED_LABEL,
    MODIFIED_MARK,
    PUBLISHED_LABEL,
    PUBLISHED_MARK,
    URL_DATE,
)
from crawler.extraction.prune import head_text
from crawler.extraction.selectors import select, select_first
from crawler.extraction.textnorm import clean_space

Stamp = date | datetime
_CONTAINERS = {"body", "html", "article", "main", "section"}
_NEAR_LEVELS = 5  # ancestors of the headline searched for its date (the byline box is close)


def _day_first(page: Page) -> bool:
    """The profile's numeric order, except on a page declaring US English (``lang="en-US"``,
    ``og:locale`` en_US), which writes the month first ("10/9/10" is 9 October)."""
    if "day_first" not in page.cache:
        declared = page.tree.get("lang") or page.meta.get("language") or ""
        us = declared.strip().lower().replace("_", "-").startswith("en-us")
        page.cache["day_first"] = page.profile.day_first and not us
    return bool(page.cache["day_first"])


def _parser(page: Page, day_first: bool | None = None):
    p = page.profile
    first = _day_first(page) if day_first is None else day_first
    return lambda value: parse_date(value, p.timezone, page.fetched_at, p.date_formats, first)


def _element_dates(el: HtmlElement, parse, keep_updated: bool = False) -> list[Stamp]:
    """Dates an element states: its machine attribute (or that of a ``<time>`` inside it, as in
    ``<span class="date"><time datetime=...>``) and its printed text (both when they differ)."""
    found = []
    inner = next(
        (
            d.get("datetime")
            for d in el.iterdescendants("time")
            if d.get("datetime") and (keep_updated or not _modification(d))
        ),
        None,
    )
    # microformats' abbr pattern (hAtom, Blogger): <abbr class="published" title="2025-01-21T09:15:00+02:00">
    abbr = el.get("title") if el.tag == "abbr" else None
    for value in (el.get("datetime"), el.get("content"), abbr, inner):
        if value and (d := parse(value)):
            found.append(d)
    text = clean_space(head_text(el, 100))
    labelled = not keep_updated and MODIFIED_LABEL.match(text)
    if labelled and (published := _published_part(text)):
        text, labelled = published, None
    if text and len(text) < 90 and DATE_TEXT.search(text) and not labelled and (d := parse(text)):
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


_DATED = XPath("//time | //*[@datetime]")


def _date_elements(page: Page, keep_updated: bool = False) -> list[HtmlElement]:
    """<time> elements and small elements whose class names a date, in page order; those that
    say they are the last change only when ``keep_updated``."""
    key = "dated+updated" if keep_updated else "dated"
    if key in page.cache:
        return page.cache[key]
    labelled = [
        el
        for el in page.labels.matching("date", DATE_CLASS)
        if len(el) <= 3 and el.tag not in _CONTAINERS and el.getparent() is not None
    ]
    found = [
        el for el in dict.fromkeys([*_DATED(page.tree), *labelled]) if keep_updated or not _modification(el)
    ]
    lines = [el.sourceline or 0 for el in found]
    if len(set(lines)) == len(lines):
        found.sort(key=lambda el: el.sourceline or 0)  # page order, cheaply
    else:  # several on one line (minified markup): the document's own order
        wanted = set(found)
        found = [el for el in page.tree.iter() if el in wanted]
    page.cache[key] = found
    return found


def _modification(el: HtmlElement) -> bool:
    """A date element that says it is the last change ("updated", itemprop=dateModified) and not
    also the publication ("entry-date updated"), or that the page labels so in words ("Updated on
    09/11/25", "<span>Ενημερώθηκε:</span> <time>")."""
    marks = " ".join(filter(None, (el.get("class"), el.get("itemprop"), el.get("id"))))
    if marks and MODIFIED_MARK.search(marks) and not PUBLISHED_MARK.search(marks):
        return True
    text = clean_space(head_text(el, 100))
    if MODIFIED_LABEL.match(text):
        return _published_part(text) is None
    return bool(MODIFIED_LABEL.match(_label_before(el)))


def _published_part(text: str) -> str | None:
    """The text from the publication's label on, when a line labelled as the last change also
    prints the publication after it ("Updated: 05/03 10:00 | Published: 04/03 18:05")."""
    found = PUBLISHED_LABEL.search(text)
    return text[found.start() :] if found and found.start() > 0 else None


def _label_before(el: HtmlElement) -> str:
    """The short text printed just before ``el`` (a previous sibling's, or its parent's lead text)."""
    prev = el.getprevious()
    if prev is not None:
        text = (prev.tail or "").strip() or head_text(prev, 40)
    else:
        parent = el.getparent()
        text = (parent.text or "") if parent is not None else ""
    text = clean_space(text)
    return text if len(text) <= 30 and not any(c.isdigit() for c in text) else ""  # a label, not a date


def _in_teaser_link(el: HtmlElement) -> bool:
    """A date inside a link that holds more than the date (a picture, a headline): another page's
    teaser card ("<a href=/other><img><div>Title</div><div class=date>..</div></a>"). A link that
    is only the date (a permalink or a day archive) is the article's own."""
    for depth, anc in enumerate(el.iterancestors()):
        if depth > 3 or anc.tag in ("body", "html"):
            return False
        if anc.tag == "a" and anc.get("href"):
            if anc.find(".//img") is not None:
                return True
            own = len(clean_space(el.text_content()))
            return len(clean_space(anc.text_content())) > own + 20
    return False


def _foreign(el: HtmlElement, stop: HtmlElement | None = None) -> bool:
    return is_foreign(el, stop) or _in_teaser_link(el)


_SHORT_TEXTS = XPath(
    ".//text()[string-length(normalize-space(.)) > 5 and string-length(normalize-space(.)) < 90]"
)
_TEXT_LEVELS = 4  # ancestors whose bare printed dates count ("Published on Oct 21, 2025" in a <p>)


def _printed_dates(node: HtmlElement) -> list[HtmlElement]:
    """Elements under ``node`` whose own short text holds a printed date, in page order."""
    out = []
    for text in _SHORT_TEXTS(node):
        if DATE_TEXT.search(text):
            el = text.getparent()
            if text.is_tail:
                el = el.getparent()
            if el is not None and el.tag not in ("script", "style") and el not in out:
                out.append(el)
    return out


def _near_title(page: Page, title_el: HtmlElement | None, parse, keep_updated: bool = False) -> Stamp | None:
    """The date printed beside the headline: the dated element whose nearest common ancestor with
    the headline is lowest (closest first, page order among equals); close by, any short text that
    prints a date counts too ("Published on Oct 21, 2025" in a bare <p>)."""
    if title_el is None:
        return None
    chain: list[HtmlElement] = []
    node = title_el.getparent()
    while node is not None and len(chain) < _NEAR_LEVELS and node.tag not in ("body", "html"):
        chain.append(node)
        node = node.getparent()
    if not chain:
        return None
    level_of = {el: i for i, el in enumerate(chain)}
    ranked: list[tuple[int, int, HtmlElement]] = []
    for order, el in enumerate(_date_elements(page, keep_updated)):
        for anc in el.iterancestors():
            if anc in level_of:
                ranked.append((level_of[anc], order, el))
                break
    ranked.sort(key=lambda item: (item[0], item[1]))
    for level, _, el in ranked:  # a dated element close by: no need to read the texts
        if level >= _TEXT_LEVELS:
            break
        if not _foreign(el, chain[level]) and (d := _best(_element_dates(el, parse, keep_updated))):
            return d
    text_root = chain[min(_TEXT_LEVELS, len(chain)) - 1]
    seen = {el for _, _, el in ranked}
    for order, el in enumerate(_printed_dates(text_root)):
        if el not in seen:
            level = next((level_of[a] for a in el.iterancestors() if a in level_of), _NEAR_LEVELS)
            ranked.append((level, 10_000 + order, el))
    for level, _, el in sorted(ranked, key=lambda item: (item[0], item[1])):
        if _foreign(el, chain[level]) or (not keep_updated and _modification(el)):
            continue
        if d := _best(_element_dates(el, parse, keep_updated)):
            return d
    return None


def _elsewhere(page: Page, parse, keep_updated: bool = False) -> Stamp | None:
    """A printed date anywhere outside the site's chrome and other pages' teasers."""
    for el in _date_elements(page, keep_updated)[:40]:
        if not _foreign(el) and (d := _best(_element_dates(el, parse, keep_updated))):
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
    """htmldate's day from the markup; else its search of the text, taken only when the page
    prints that day (its text search also guesses a day from a copyright year, "2011-01-01")."""
    found = _find_date(page, extensive=False)
    if (
        found is None
        and (days := _printed_days(page))
        and (guess := _find_date(page, extensive=True)) in days
    ):
        found = guess
    return found


def _find_date(page: Page, extensive: bool) -> date | None:
    try:
        from htmldate import find_date

        value = find_date(
            page.tree, url=page.url, extensive_search=extensive, original_date=True, outputformat="%Y-%m-%d"
        )
    except Exception:  # noqa: BLE001 - htmldate is a last resort, never a failure
        return None
    return date.fromisoformat(value) if value else None


_BODY_TEXT = XPath("string(//body)")
_MAX_PRINTED = 300  # date expressions read from the text when checking a guessed day


def _printed_days(page: Page) -> set[date]:
    """The calendar days the page's text prints (any form the parser reads)."""
    parse = _parser(page)
    days: set[date] = set()
    for n, m in enumerate(DATE_TEXT.finditer(_BODY_TEXT(page.tree) or "")):
        if n >= _MAX_PRINTED:
            break
        if d := parse(m.group()):
            days.add(day_of(d))
    return days


def _candidates(page: Page, title_el: HtmlElement | None) -> dict[str, Stamp]:
    parse = _parser(page)
    found: dict[str, Stamp] = {}
    raw = {
        "json-ld": page.ld.get("published") or page.ld.get("page_published"),
        "meta": page.meta.get("published"),
    }
    for source, value in raw.items():
        if value and (d := parse(value)):
            found[source] = d
    if page.profile.date_selector:
        for el in select(page.tree, page.profile.date_selector):
            if d := _best(_element_dates(el, parse) or [parse(text_of(el) or "")]):
                found["visible"] = d
                break
    if "visible" not in found and (d := _near_title(page, title_el, parse) or _elsewhere(page, parse)):
        found["visible"] = d
    _settle_order(page, found, raw)
    return found


def _settle_order(page: Page, found: dict[str, Stamp], raw: dict[str, str | None]) -> None:
    """A numeric metadata date read in the other day/month order ("03-09-2026" as 9 March) when
    that reading, and not the profile's, is the day the page prints or its URL states: the
    order is the site's habit, the printed month word or the URL settles it."""
    witnesses = {day_of(v) for s, v in found.items() if s not in raw}
    if url_day := _url_date(page.url):
        witnesses.add(url_day)
    other_order = _parser(page, not _day_first(page))
    for source, value in raw.items():
        if source not in found or day_of(found[source]) in witnesses:
            continue
        other = other_order(value)
        if other is not None and day_of(other) in witnesses:
            found[source] = other


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


def _local_day(
    chosen: Stamp, found: dict[str, Stamp], url_day: date | None, zone: tzinfo | None
) -> tuple[Stamp, str | None]:
    """A UTC instant does not show the page's own calendar day: when the printed date (or the
    URL's) is the neighbouring day, the page's statement wins; a printed naive time then gives the
    page's offset exactly (``18:05`` printed for ``23:05Z`` is ``18:05-05:00``). On an outlet's own
    pages its declared zone may already show that day: the instant, in that zone, keeps its time."""
    if not isinstance(chosen, datetime) or chosen.utcoffset() is None or chosen.utcoffset().total_seconds():
        return chosen, None
    printed = found.get("visible")
    for source, value in (("visible", printed), ("url", url_day)):
        if value is None or abs((day_of(value) - chosen.date()).days) != 1:
            continue
        if zone and not has_time(value) and (local := chosen.astimezone(zone)).date() == value:
            return local, source
        if isinstance(value, datetime) and value.tzinfo is None:
            shift = value - chosen.replace(tzinfo=None)
            minutes = round(shift.total_seconds() / 60)
            if minutes % 15 == 0 and abs(minutes) <= 14 * 60:
                return value.replace(tzinfo=timezone(timedelta(minutes=minutes))), source
        if source == "url" and printed is not None and day_of(printed) != day_of(value):
            continue
        return value, source
    return chosen, None


def published(page: Page, title_el: HtmlElement | None) -> Stamp | None:
    """The publication date: preferred source, refined for precision; disagreements recorded."""
    prov = page.provenance
    found = _candidates(page, title_el)
    if found:
        order = [page.profile.preferred_date_source, "json-ld", "meta", "visible"]
        source = next(s for s in order if s in found)
        url_day = _url_date(page.url)
        alone = (
            source == "visible" and not page.profile.date_selector and not {"json-ld", "meta"} & found.keys()
        )
        if alone and url_day and day_of(found[source]) != url_day:
            # a printed date alone against the permalink's own day: the printed one is a date in
            # the text or a widget (a launch date, an event); the URL states the publication
            found["url"], source = url_day, "url"
        chosen, refined_by = _refine(found[source], found)
        zone = zone_named(page.profile.timezone)
        chosen, local_by = _local_day(chosen, found, url_day, zone)
        refined_by = local_by or refined_by
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
    parse = _parser(page)
    if d := _near_title(page, title_el, parse, keep_updated=True) or _elsewhere(
        page, parse, keep_updated=True
    ):
        # the page states no publication, only when it last changed: published on or before
        # that day, the best the page gives (recorded apart)
        prov["published_at"] = "visible-updated"
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
