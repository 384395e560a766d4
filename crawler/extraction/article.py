"""``extract_article``: the one entry point (spider, ``newscrawl fetch``, re-extraction).

The cascade per field is: outlet selectors, then JSON-LD, then meta tags, then what is
visible on the page (h1, breadcrumb, <time>), then URL/htmldate/HTTP headers. Each chosen
value records its source in ``provenance``; when date sources disagree the profile's
preferred one wins and the disagreement is recorded too.

The lede is kept in ``lede`` and removed from ``text`` when a body paragraph repeats it
exactly: a reader shows them together, so keeping both would print it twice.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura import load_html

from crawler.extraction import body as body_mod
from crawler.extraction.blocks import walk_blocks
from crawler.extraction.dates import parse_date, to_utc_iso
from crawler.extraction.decoding import decode_html
from crawler.extraction.errors import ExtractionError
from crawler.extraction.images import body_images
from crawler.extraction.metadata import json_ld, meta_tags
from crawler.extraction.profile import GENERIC_PROFILE, Profile
from crawler.extraction.prune import head_text, prune_tree, teaser_matcher
from crawler.extraction.selectors import select, select_first
from crawler.extraction.textnorm import clean_space, fold, greek_ratio, match_key, quick_key
from crawler.items import Article

_LEDE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:sub-?title|lead|lede|summary|excerpt|standfirst|intro|deck|dek|perex|teaser-text)(?:$|[\s_-])",
    re.I,
)
_SECTION_CLASS = re.compile(
    r"(?:^|[\s_-])(?:category|cat|kicker|rubric|section-name|section-label|label-section)(?:$|[\s_-])", re.I
)
_DATE_CLASS = re.compile(r"date|published|pubdate|timestamp", re.I)
_AUTHOR_CLASS = re.compile(r"author|byline|writer|columnist", re.I)
_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|-)")
_TITLE_SPLIT = re.compile(r"\s+[|–—\-:•»]\s+")
MIN_WORDS = 10  # below this a "body" is a banner or an error page, not an article
_HOME_WORDS = {"αρχικη", "home", "αρχικη σελιδα", "homepage", "news", "ειδησεις"}


def _text(el: HtmlElement | None) -> str | None:
    if el is None:
        return None
    value = clean_space(el.text_content())
    return value or None


def _header(headers: dict | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if str(key).lower() == name:
            if isinstance(value, (list, tuple)):
                value = value[0] if value else None
            return value.decode("latin-1") if isinstance(value, bytes) else value
    return None


def _normalise_lang(value: str | None) -> str | None:
    if not value:
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def _strip_site_suffix(title: str, site: str | None, host: str | None = None) -> str:
    """Drop a trailing " | Site" only when it names the site (a " - Τα επόμενα βήματα" stays)."""
    parts = _TITLE_SPLIT.split(title)
    if len(parts) < 2:
        return title
    names = {fold(n) for n in (site, host) if n}
    last = fold(parts[-1]).replace(" ", "")
    if any(last and (last in n.replace(" ", "") or n.replace(" ", "").startswith(last)) for n in names):
        return clean_space(title[: title.rfind(parts[-1])].rstrip(" |–—-:•»"))
    return title


_AUTHOR_PREFIX = re.compile(r"^(?:by|από|απο|του|της|των|γράφει|γραφει|συντάκτης|συντακτης)[:\s]+", re.I)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|&|\band\b|\bκαι\b)\s*", re.I)


def clean_authors(names: list[str]) -> list[str]:
    """ "Του Γ. Παπαδόπουλου και της Μ. Κ." -> two names, without the byline words."""
    out: list[str] = []
    for name in names:
        for part in _AUTHOR_SPLIT.split(clean_space(name)):
            part = _AUTHOR_PREFIX.sub("", part).strip(" .:-")
            if part and len(part) < 80 and part not in out:
                out.append(part)
    return out


class _Picker:
    """Keeps the first non-empty candidate per field and where it came from."""

    def __init__(self) -> None:
        self.provenance: dict[str, str] = {}

    def pick(self, field: str, *candidates: tuple[str, object]):
        for source, value in candidates:
            if callable(value):
                value = value()  # visible-page heuristics are computed only when needed
            if value:
                self.provenance[field] = source
                return value
        return None


def _visible_title(tree: HtmlElement) -> HtmlElement | None:
    for h1 in tree.iter("h1"):
        text = _text(h1)
        if text and len(text.split()) >= 2 and not h1.find(".//img") is not None:
            return h1
    return None


def _lede_after_title(title_el: HtmlElement | None) -> str | None:
    """A subtitle right after the h1 (h2/h3 or a lede-like class): the cheap, reliable case."""
    if title_el is not None:
        sib = title_el.getnext()
        hops = 0
        while sib is not None and hops < 3:
            if isinstance(sib.tag, str) and (
                sib.tag in {"h2", "h3"} or _LEDE_CLASS.search(sib.get("class") or "")
            ):
                text = _text(sib)
                if text and len(text) > 20:
                    return text
            sib, hops = sib.getnext(), hops + 1
    return None


def _visible_lede(labels: _Labels) -> str | None:
    """Any element with a lede-like class (subtitle, standfirst...), when nothing better exists."""
    for el in labels.matching("lede", _LEDE_CLASS):
        if el.tag in {"div", "p", "h2", "span"}:
            text = _text(el)
            if text and 20 < len(text) < 600:
                return text
    return None


_ROLE_WORDS = {
    "date": ("date", "Date"),
    "author": ("author", "Author", "byline", "writer", "columnist"),
    "breadcrumb": ("breadcrumb", "Breadcrumb"),
    "section": ("cat", "kicker", "rubric", "section-", "label"),
    "lede": ("lead", "lede", "subtitle", "summary", "excerpt", "standfirst", "intro", "deck", "perex"),
}
# C-level scans of class attributes, one per role, run only when a heuristic needs that role
_ROLE_XPATH = {
    role: XPath("//@class[" + " or ".join(f"contains(., '{w}')" for w in words) + "]")
    for role, words in _ROLE_WORDS.items()
}


class _Labels:
    """Elements whose class names a role (date, author, breadcrumb...), found lazily per page."""

    def __init__(self, tree: HtmlElement) -> None:
        self.tree = tree
        self._found: dict[str, list[tuple[HtmlElement, str]]] = {}

    def matching(self, role: str, pattern: re.Pattern[str]) -> list[HtmlElement]:
        if role not in self._found:
            self._found[role] = [(value.getparent(), str(value)) for value in _ROLE_XPATH[role](self.tree)]
        return [el for el, cls in self._found[role] if pattern.search(cls)]


_AUTHOR_MARKUP = XPath('//*[@rel="author" or @itemprop="author"]')
_TAG_LINKS = XPath('//a[contains(concat(" ", @rel, " "), " tag ")]')
_BREADCRUMB_CLASS = re.compile(r"breadcrumb", re.I)


def _lede_shown_apart(lede: str | None, labels: _Labels, tree: HtmlElement) -> bool:
    """True when the lede text sits in its own subtitle element (h2-h4 or a lede-like class)."""
    if not lede:
        return False
    key = match_key(lede)
    if any(match_key(el.text_content()) == key for el in tree.iter("h2", "h3", "h4")):
        return True
    return any(
        match_key(el.text_content()) == key for el in labels.matching("lede", _LEDE_CLASS) if el.tag != "p"
    )


def _visible_section(labels: _Labels, title: str | None) -> str | None:
    title_key = fold(title) if title else None
    for el in labels.matching("breadcrumb", _BREADCRUMB_CLASS):
        names = [_text(a) for a in el.iter("a", "span", "li") if _text(a) and not len(a)]
        names = [n for n in names if fold(n) not in _HOME_WORDS and fold(n) != title_key and len(n) < 40]
        if names:
            return names[-1]
    for el in labels.matching("section", _SECTION_CLASS):
        if _SECTION_CLASS.search(el.get("class") or "") and el.tag in {"a", "span", "div", "p", "li"}:
            text = clean_space(head_text(el, 50))
            if text and len(text) < 40 and len(el) <= 1:
                return text
    return None


def _visible_dates(tree: HtmlElement, labels: _Labels, scan_classes: bool = True) -> list[str]:
    out = []
    for el in tree.iter("time"):
        out.append(el.get("datetime") or _text(el) or "")
    for el in labels.matching("date", _DATE_CLASS) if scan_classes else ():
        if len(el) <= 3 and el.tag not in {"body", "html", "article", "main", "section"}:
            text = clean_space(head_text(el, 100))
            if text and len(text) < 80:
                out.append(text)
        if len(out) > 6:
            break
    return [v for v in out if v]


def _visible_authors(tree: HtmlElement, labels: _Labels) -> list[str]:
    for el in _AUTHOR_MARKUP(tree):
        if el.get("itemprop") == "author":
            name = el.find('.//*[@itemprop="name"]')
            el = name if name is not None else el
        if text := _text(el):
            return clean_authors([text])
    for el in labels.matching("author", _AUTHOR_CLASS):
        if len(el) <= 2:
            text = clean_space(head_text(el, 70))
            if text and len(text) < 60:
                return clean_authors([text])
    return []


def _date_candidates(
    tree: HtmlElement, labels: _Labels, profile: Profile, ld: dict, meta: dict, fetched_at: datetime | None
) -> dict[str, datetime]:
    parse = lambda value: parse_date(  # noqa: E731
        value, profile.timezone, fetched_at, profile.date_formats, profile.day_first
    )
    found: dict[str, datetime] = {}
    if ld.get("published") and (d := parse(ld["published"])):
        found["json-ld"] = d
    if meta.get("published") and (d := parse(meta["published"])):
        found["meta"] = d
    if profile.date_selector:
        for el in select(tree, profile.date_selector):
            value = el.get("datetime") or el.get("content") or _text(el)
            if value and (d := parse(value)):
                found["visible"] = d
                break
    if "visible" not in found:
        for value in _visible_dates(tree, labels):
            if d := parse(value):
                found.setdefault("visible", d)
                break
    return found


def _choose_date(found: dict[str, datetime], preferred: str, provenance: dict[str, str]) -> datetime | None:
    if not found:
        return None
    order = [preferred] + [s for s in ("json-ld", "meta", "visible") if s != preferred]
    source = next(s for s in order if s in found)
    chosen = found[source]
    provenance["published_at"] = source
    others = {s: d for s, d in found.items() if s != source and d != chosen}
    if others:
        provenance["published_at.disagreement"] = ", ".join(
            f"{s}={to_utc_iso(d)}" for s, d in [(source, chosen), *others.items()]
        )
    return chosen


def _url_date(url: str, tz: str) -> datetime | None:
    m = _URL_DATE.search(urlsplit(url).path)
    if not m:
        return None
    return parse_date(f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}", tz)


def _htmldate(tree: HtmlElement, url: str, tz: str) -> datetime | None:
    try:
        from htmldate import find_date

        value = find_date(tree, url=url, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # noqa: BLE001 - htmldate is a last resort, never a failure
        return None
    return parse_date(value, tz) if value else None


def extract_article(
    html: bytes | str,
    url: str,
    profile: Profile | None = None,
    headers: dict | None = None,
    fetched_at: datetime | None = None,
) -> Article:
    """Extract a clean article (text, metadata, images, provenance) from one page.

    Raises ``ExtractionError`` (one-line message) when the input is empty, binary, not HTML
    or holds no article text.
    """
    profile = profile or GENERIC_PROFILE
    text, _encoding = decode_html(html, headers)
    try:
        tree = load_html(text)
    except (ValueError, TypeError) as err:
        raise ExtractionError(f"cannot parse HTML: {err}") from None
    if tree is None or tree.find(".//body") is None and len(tree) < 1:
        raise ExtractionError("not an HTML document")

    base = tree.find(".//base[@href]")
    base_url = urljoin(url, base.get("href").strip()) if base is not None else url
    picker = _Picker()
    prov = picker.provenance
    ld = json_ld(tree)
    meta = meta_tags(tree)
    labels = _Labels(tree)

    # outlet selectors read the unpruned page (the section label may sit in the header)
    outlet_title_el = select_first(tree, profile.title_selector)
    outlet_body = select_first(tree, profile.body_selector)
    visible_title_el = _visible_title(tree)
    title_el = outlet_title_el if outlet_title_el is not None else visible_title_el
    head_title = _text(tree.find(".//head/title")) or _text(tree.find(".//title"))
    host = (urlsplit(url).hostname or "").removeprefix("www.").split(".")[0] or None

    title = picker.pick(
        "title",
        ("outlet", _text(outlet_title_el)),
        ("json-ld", ld.get("title")),
        ("meta", _strip_site_suffix(meta["title"], meta.get("site"), host) if meta.get("title") else None),
        ("visible", _text(visible_title_el)),
        ("visible", _strip_site_suffix(head_title, meta.get("site"), host) if head_title else None),
    )
    lede = picker.pick(
        "lede",
        ("outlet", _text(select_first(tree, profile.lede_selector))),
        ("json-ld", ld.get("lede")),
        ("visible", lambda: _lede_after_title(title_el)),
        ("meta", meta.get("lede")),
        ("visible", lambda: _visible_lede(labels)),
    )
    section = picker.pick(
        "section",
        ("outlet", _text(select_first(tree, profile.section_selector))),
        ("json-ld", ld.get("section")),
        ("meta", meta.get("section")),
        (
            "json-ld",
            (ld.get("breadcrumb") or [None, None])[-2] if len(ld.get("breadcrumb") or []) >= 2 else None,
        ),
        ("visible", lambda: _visible_section(labels, title)),
    )
    outlet_authors = clean_authors([t for el in select(tree, profile.author_selector) if (t := _text(el))])
    authors = (
        picker.pick(
            "authors",
            ("outlet", list(dict.fromkeys(outlet_authors))),
            ("json-ld", ld.get("authors")),
            ("meta", [a for a in meta.get("authors", []) if not a.startswith("http")]),
            ("visible", lambda: _visible_authors(tree, labels)),
        )
        or []
    )
    outlet_tags = [t for el in select(tree, profile.tags_selector) if (t := _text(el))]
    tags = (
        picker.pick(
            "tags",
            ("outlet", list(dict.fromkeys(outlet_tags))),
            ("json-ld", ld.get("tags")),
            ("meta", meta.get("tags")),
            (
                "visible",
                lambda: list(dict.fromkeys(t for a in _TAG_LINKS(tree) if (t := _text(a)))),
            ),
        )
        or []
    )

    dates = _date_candidates(tree, labels, profile, ld, meta, fetched_at)
    published = _choose_date(dates, profile.preferred_date_source, prov)
    if published is None and (published := _url_date(url, profile.timezone)):
        prov["published_at"] = "url"

    modified = None
    outlet_modified = _text(select_first(tree, profile.modified_selector))
    for source, value in (
        ("outlet", outlet_modified),
        ("json-ld", ld.get("modified")),
        ("meta", meta.get("modified")),
    ):
        if value and (
            modified := parse_date(
                value, profile.timezone, fetched_at, profile.date_formats, profile.day_first
            )
        ):
            prov["modified_at"] = source
            break
    if modified is None and (last_mod := _header(headers, "last-modified")):
        try:
            modified = parsedate_to_datetime(last_mod)
            prov["modified_at"] = "http-header"
        except (TypeError, ValueError):
            modified = None

    if modified is not None and published is not None and modified <= published:
        # "modified" at (or before) publication is no modification: keep it null like the outlet means it
        modified = None
        prov.pop("modified_at", None)

    canonical_raw = picker.pick(
        "canonical_url",
        ("meta", meta.get("canonical")),
        ("meta", meta.get("url")),
        ("json-ld", ld.get("url")),
    )
    canonical = urljoin(base_url, canonical_raw) if isinstance(canonical_raw, str) else None

    # prune, then the body
    protected = {el for el in (title_el, outlet_body) if el is not None}
    prune_tree(tree, profile, protected)
    is_teaser = teaser_matcher(profile.inline_teaser_patterns)
    if outlet_body is not None:
        region = outlet_body
        raw_paragraphs = body_mod.outlet_paragraphs(outlet_body)
        text_source = "outlet"
    else:
        region = None
        raw_paragraphs = body_mod.trafilatura_paragraphs(tree, url)
        text_source = "trafilatura"
    ld_paragraphs = body_mod.json_ld_paragraphs(ld.get("body"))
    if sum(map(len, raw_paragraphs)) < body_mod.MIN_TEXT_CHARS and sum(map(len, ld_paragraphs)) > sum(
        map(len, raw_paragraphs)
    ):
        raw_paragraphs, text_source = ld_paragraphs, "json-ld"

    captions = {match_key(c.text_content()) for c in tree.iter("figcaption")} - {""}
    shown_apart = prov.get("lede") == "outlet" or _lede_shown_apart(lede, labels, tree)
    paragraphs = body_mod.filter_paragraphs(
        raw_paragraphs, title, lede if shown_apart else None, captions, is_teaser
    )
    words = body_mod.word_count("\n".join(paragraphs))
    if words < MIN_WORDS:
        raise ExtractionError(f"no article text found ({words} words)" if words else "no article text found")
    prov["text"] = text_source

    known: dict = {}
    if region is None:
        region, known = _body_region(tree, paragraphs)
    images = []
    if region is not None and (region.find(".//img") is not None or region.find(".//amp-img") is not None):
        images = body_images(
            region, paragraphs, base_url, profile, exact=text_source == "outlet", known=known
        )
        if images:
            prov["images"] = "outlet" if text_source == "outlet" else "visible"

    article_text = "\n\n".join(paragraphs)

    language = picker.pick(
        "language",
        ("outlet", profile.language),
        ("visible", _normalise_lang(tree.get("lang") or tree.get("xml:lang"))),
        ("meta", _normalise_lang(meta.get("language"))),
        ("json-ld", _normalise_lang(ld.get("language"))),
    )
    if not language:
        ratio = greek_ratio(article_text[:2000])
        if ratio > 0.4:
            language = "el"
            prov["language"] = "detected"

    if published is None and (published := _htmldate(tree, url, profile.timezone)):
        prov["published_at"] = "htmldate"

    host = (urlsplit(canonical or url).hostname or "").removeprefix("www.")
    outlet = profile.name if profile.name != GENERIC_PROFILE.name else (host or meta.get("site"))
    prov["outlet"] = "outlet" if profile.name != GENERIC_PROFILE.name else "url"
    if section is None and text_source:
        prov.pop("section", None)

    return Article(
        url=url,
        canonical_url=canonical,
        outlet=outlet,
        title=title,
        lede=lede,
        section=section,
        tags=list(tags),
        authors=list(authors),
        published_at=to_utc_iso(published) if published else None,
        modified_at=to_utc_iso(modified) if modified else None,
        language=language,
        text=article_text,
        images=images,
        word_count=body_mod.word_count(article_text),
        content_hash=content_hash(article_text),
        provenance=prov,
    )


def content_hash(text: str) -> str:
    """sha256 of the text with whitespace collapsed (so re-wrapping a paragraph is no change)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


_PARA_BLOCKS = XPath(".//p | .//h2 | .//h3 | .//blockquote")
_TEXT_BLOCKS = XPath(".//p | .//li | .//h2 | .//h3 | .//h4 | .//blockquote | .//pre | .//dd | .//td")


def _body_region(tree: HtmlElement, paragraphs: list[str]) -> tuple[HtmlElement | None, dict]:
    """The smallest element holding the DOM blocks whose text matches the extracted paragraphs,
    and the matching keys computed on the way (reused to place the images)."""
    body = tree.find(".//body")
    if body is None or (body.find(".//img") is None and body.find(".//amp-img") is None):
        return None, {}
    keys = {quick_key(p) for p in paragraphs}
    known = {el: quick_key(el.text_content()) for el in _PARA_BLOCKS(body)}
    matched = [el for el, key in known.items() if key in keys]
    if len(matched) < len(keys) / 2:
        known.update((el, quick_key(el.text_content())) for el in _TEXT_BLOCKS(body) if el not in known)
        matched = [el for el, key in known.items() if key in keys]
    if not matched:
        matched = [
            e.element
            for e in walk_blocks(body)
            if e.kind == "para" and e.element is not None and quick_key(e.text) in keys
        ]
    if not matched:
        return None, known
    common = [matched[0], *matched[0].iterancestors()]
    for el in matched[1:]:
        chain = {el, *el.iterancestors()}
        common = [a for a in common if a in chain]
    region = common[0] if common else body
    if region.tag in {"p", "li", "td"}:
        parent = region.getparent()
        region = parent if parent is not None else region
    return region, known
