"""The title: candidates compared with each other, so a site name is cut wherever it sits.

Pages state their headline up to four times: the visible heading, ``og:title``, the JSON-LD
``headline`` and ``<title>``. The metadata ones often carry the site name as a prefix or
suffix ("Site | Headline", "Headline - Site"); the visible heading rarely does. A separator
segment is cut when it names the site (``og:site_name``, the publisher, the host) or when
another candidate is exactly the rest. The chosen text's source goes into provenance, and the
heading element that shows it is returned too (dates and the lead image sit beside it).
"""

from __future__ import annotations

import re
from copy import deepcopy
from html import unescape

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extraction.page import Page, is_foreign, text_of
from crawler.extraction.patterns import CJK_CHAR, LEFTOVER_ENTITY, TITLE_HEADINGS, TITLE_SEPARATOR
from crawler.extraction.selectors import select_first
from crawler.extraction.textnorm import clean_space, fold_words, match_key

_MAX_HEADLINE = 200  # characters: a longer h1 is a standfirst set large, not the headline


def _headline_sized(text: str) -> bool:
    """Two words or more; Chinese and Japanese write no spaces, so there four characters count."""
    return len(text.split()) >= 2 or len(CJK_CHAR.findall(text)) >= 4


def _squash(text: str) -> str:
    """Letters and digits only, folded: candidates compare equal whatever their quotes, dashes
    and spacing ("Let’s" in the h1, "Let's" in og:title)."""
    return match_key(fold_words(text))


def _site_names(page: Page) -> set[str]:
    names = {page.meta.get("site"), page.ld.get("publisher")}
    host = page.host
    labels = [label for label in host.split(".")[:-1] if len(label) > 2] if host else []
    names.update(labels)
    if labels:
        names.add(".".join(host.split(".")))
    return {_squash(n) for n in names if n and _squash(n)}


def _names_site(segment: str, sites: set[str]) -> bool:
    key = _squash(segment)
    if not key or len(key) > 60:
        return False
    # containment counts while the segment is not much longer than the name ("BBC中文网" names
    # "bbc"; "Apple unveils a new phone" does not name "apple")
    return any(
        key == s or (len(key) >= 4 and (key in s or (s in key and len(key) <= 2 * len(s) + 4))) for s in sites
    )


def strip_site(title: str, sites: set[str], others: list[str]) -> str:
    """``title`` without leading/trailing separator segments that name the site or that the other
    candidates lack (when one of them is exactly what remains)."""
    parts = TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    seps = TITLE_SEPARATOR.findall(title)
    other_keys = {_squash(o) for o in others if o}
    # the rest equals another candidate: the cut-off segment is an affix (site, section)
    for start in range(len(parts)):
        for end in range(len(parts), start, -1):
            if (start, end) == (0, len(parts)):
                continue
            core = _join(parts[start:end], seps[start : end - 1])
            if _squash(core) in other_keys:
                return core
    # the site's name with a section beyond it ("Headline - Site - Section", "Section | Site | Headline"):
    # everything from the name outwards is the site's
    # everything from the name outwards is the site's; the headline is the longest other segment
    named = [i for i, part in enumerate(parts) if _names_site(part, sites)]
    rest = [i for i in range(len(parts)) if i not in named]
    if not named or not rest:
        return _join(parts, seps)
    headline = max(rest, key=lambda i: len(parts[i]))
    lo, hi = 0, len(parts)
    for i in named:
        if i < headline:
            lo = max(lo, i + 1)
        else:
            hi = min(hi, i)
    return _join(parts[lo:hi], seps[lo : hi - 1])


def _join(parts: list[str], seps: list[str]) -> str:
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=False):
        out += sep + part
    return clean_space(out)


def _heading(page: Page) -> HtmlElement | None:
    """The page's one clear headline: the h1 with two words or more outside the site's chrome
    (the logo is often an h1) that is not the site's name; None when several different ones
    compete (a listing)."""
    found: list[HtmlElement] = []
    every: list[HtmlElement] = []
    sites = _site_names(page)  # an h1 that is exactly the site's name is its logo, in any place
    for h1 in page.tree.iter("h1"):
        text = headline_text(h1)
        if text and _headline_sized(text) and h1.find(".//img") is None and _squash(text) not in sites:
            if not is_foreign(h1):
                found.append(h1)
            every.append(h1)
    texts = {_squash(headline_text(h) or "") for h in found}
    titles = _metadata_titles(page)
    if len(texts) == 1:
        if len(every) == len(found) or _stated_heading(titles, found[:1]) is not None:
            return found[0]
        # one h1 outside the chrome that no metadata title states ("Related Articles" in the
        # body) beside a header h1 that one of them states whole (the entry header's headline);
        # a header h1 that is only part of a title is the site's or the section's name
        whole = [h for h in every if h not in found and _squash(headline_text(h) or "") in titles]
        return whole[0] if whole else found[0]
    # several h1s, or only ones inside a <header> (the site's logo and, in many themes, the
    # article's own "entry-header"): the one the page's metadata titles state is the headline
    stated = _stated_heading(titles, every)
    if stated is not None:
        return stated
    # chrome-only h1s that no metadata title states ("Contact Us" in a footer, a menu button's
    # "Open Menu Close Menu") are no headline while the page states one elsewhere
    return every[0] if every and not found and not titles else None


# what themes print inside the headline element besides the headline, at its start or its end:
# the entry's date and byline ("<h1><time>Dec 18 2025</time> Title</h1>", a "Posted on ... by ..."
# block nested in it). Class words count whole ("m-date", "posted-on"; not "candidate", "update")
_INSIDE_HEADLINE = XPath(".//time | .//h2 | .//h3 | .//h4 | .//h5 | .//h6 | .//*[@class]")
_DATE_OR_BYLINE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:date|dateline|posted-on|posted|byline|entry-meta|post-meta|published)(?:$|[\s_-])", re.I
)


def headline_text(el: HtmlElement | None) -> str | None:
    """The heading's text without the date, byline or nested heading a theme prints at its start
    or its end (a date inside the headline, "Live: 12 June — ...", stays)."""
    if el is None:
        return None
    if not any(_beside_headline(node) for node in _INSIDE_HEADLINE(el)):
        return text_of(el)
    copy = deepcopy(el)
    for node in [n for n in _INSIDE_HEADLINE(copy) if _beside_headline(n)]:
        shown, rest = node.text_content(), copy.text_content()
        at = rest.find(shown)
        # only at the heading's edge: nothing but spaces and marks before it, or after it
        at_edge = at >= 0 and (not _WORDISH.search(rest[:at]) or not _WORDISH.search(rest[at + len(shown) :]))
        if at_edge and node.getparent() is not None:
            node.drop_tree()
    return text_of(copy) or text_of(el)


_WORDISH = re.compile(r"\w")


def _beside_headline(node: HtmlElement) -> bool:
    if node.tag in ("time", "h2", "h3", "h4", "h5", "h6"):
        return True
    return bool(_DATE_OR_BYLINE_CLASS.search(node.get("class") or ""))


def _metadata_titles(page: Page) -> list[str]:
    """The titles the page's metadata states (JSON-LD, og:title, <title>), squashed."""
    head = text_of(page.tree.find(".//head/title")) or text_of(page.tree.find(".//title"))
    return [_squash(t) for t in (page.ld.get("title"), page.meta.get("title"), head) if t and _squash(t)]


def _stated_heading(titles: list[str], h1s: list[HtmlElement]) -> HtmlElement | None:
    """The longest of ``h1s`` that a metadata title (squashed, ``titles``) contains."""
    best, size = None, 0
    for h1 in h1s:
        key = _squash(headline_text(h1) or "")
        if len(key) > size and any(key in t for t in titles):
            best, size = h1, len(key)
    return best


def title_element(page: Page, title: str | None) -> HtmlElement | None:
    """The heading that shows ``title`` (h1-h3: Joomla/K2 and many themes use h2), else the h1."""
    if title:
        key = _squash(title)
        for el in page.tree.iter(*TITLE_HEADINGS):
            text = el.text_content()
            if len(text) < 4 * len(title) + 20 and _squash(text) == key:
                return el
    return _heading(page)


def _decoded(text: str | None) -> str | None:
    """``text`` with the entities a twice-encoding CMS left in it decoded (JSON-LD's are already)."""
    return unescape(text) if text and LEFTOVER_ENTITY.search(text) else text


def choose_title(page: Page) -> tuple[str | None, HtmlElement | None]:
    """The article's headline and the element showing it; provenance says which candidate won."""
    outlet_el = select_first(page.tree, page.profile.title_selector)
    if outlet_el is not None and (outlet := text_of(outlet_el)):
        page.provenance["title"] = "outlet"
        return outlet, outlet_el
    heading_el = _heading(page)
    heading = headline_text(heading_el)
    head = text_of(page.tree.find(".//head/title")) or text_of(page.tree.find(".//title"))
    raw = {
        "json-ld": page.ld.get("title"),
        "meta": _decoded(page.meta.get("title")),
        "visible": _decoded(heading),
        "head": _decoded(head),
    }
    sites = _site_names(page)
    stripped: dict[str, str] = {}
    for source, value in raw.items():
        if value:
            others = [v for s, v in raw.items() if s != source and v]
            stripped[source] = strip_site(value, sites, others)
    if heading is None and (shown := _shown_segment(page, [v for v in (raw["meta"], head) if v], sites)):
        page.provenance["title"] = "visible"
        return shown
    if heading_el is not None and (shown := _stated_elsewhere(page, stripped, heading_el)):
        page.provenance["title"] = "visible"
        return shown
    title, source = _agreed(stripped, sites)
    if title is None:
        return None, heading_el
    page.provenance["title"] = "visible" if source == "head" else source
    return title, title_element(page, title) if source != "visible" else heading_el


_SUBHEADINGS = ("h2", "h3")


def _stated_elsewhere(
    page: Page, stripped: dict[str, str], heading_el: HtmlElement
) -> tuple[str, HtmlElement] | None:
    """The heading that prints the metadata's title when the h1 is a label no metadata title
    states ("Our Blog", "The Blog Single", a blog's name): blog themes set the post's title in an
    h2 under a section h1."""
    titles = {_squash(v): v for k, v in stripped.items() if k != "visible" and v}
    key = _squash(headline_text(heading_el) or "")
    if not titles or not key or any(key in t or t in key for t in titles):
        return None
    for el in page.tree.iter(*_SUBHEADINGS):
        text = text_of(el)
        if text and _headline_like(text) and _squash(text) in titles and not is_foreign(el):
            return text, el
    return None


def _headline_like(text: str) -> bool:
    """Three words or more (six characters in Chinese or Japanese): a headline, not a section's
    name that a generic <title> ("Ειδήσεις") repeats in a sidebar heading."""
    return len(text.split()) >= 3 or len(CJK_CHAR.findall(text)) >= 6


_SHORT_BODY_TEXTS = XPath("//body//text()[string-length(normalize-space(.)) > 10]")


def _shown_segment(page: Page, titles: list[str], sites: set[str]) -> tuple[str, HtmlElement] | None:
    """Without an h1, the separator segment of ``og:title``/``<title>`` the page prints on its own
    (a table layout's bold headline): the rest of that title is the site's name. A segment that
    names the site is its logo, printed on every page, never the headline."""
    runs: dict[str, str] = {}
    for title in titles:
        parts, seps = TITLE_SEPARATOR.split(title), TITLE_SEPARATOR.findall(title)
        for start in range(len(parts)):
            for end in range(start + 1, len(parts) + 1):
                if (start, end) != (0, len(parts)):
                    run = _join(parts[start:end], seps[start : end - 1])
                    if _headline_sized(run) and not _names_site(run, sites):
                        runs[_squash(run)] = run
    if not runs:
        return None
    longest = max(map(len, runs))
    best: tuple[str, HtmlElement] | None = None
    for text in _SHORT_BODY_TEXTS(page.tree):
        if len(text) > 2 * longest + 20:
            continue
        key = _squash(text)
        if key in runs and (best is None or len(runs[key]) > len(best[0])):
            el = text.getparent()
            if text.is_tail:
                el = el.getparent()
            if el is not None and el.tag not in ("title", "script", "style", "a") and not is_foreign(el):
                best = (runs[key], el)
    return best


def _agreed(found: dict[str, str], sites: set[str]) -> tuple[str | None, str | None]:
    """The visible headline when the page has one clear h1 (readers see it; metadata titles are
    often rewritten for search and social), credited to a metadata source that states the same;
    else the first metadata candidate (JSON-LD, og:title, <title>)."""
    heading = found.get("visible")
    if heading and not _names_site(heading, sites) and len(heading) <= _MAX_HEADLINE:
        key = _squash(heading)
        for source in ("json-ld", "meta"):
            value = found.get(source)
            if value and _squash(value) == key:
                # the metadata's casing and spacing; the page's own quotes, dashes and marks
                same = fold_words(value).replace(" ", "") == fold_words(heading).replace(" ", "")
                return (value if same else heading), source
        return heading, "visible"
    for source in ("json-ld", "meta", "visible", "head"):
        if found.get(source):
            return found[source], source
    return None, None
