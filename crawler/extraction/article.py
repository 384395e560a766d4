"""``extract_article``: the one entry point (spider, ``newscrawl fetch``, re-extraction).

The article is a short list of field cascades, one function per field (``titles``,
``pagedates``, ``fields``, the body below, ``images``). Each cascade is outlet selectors, then
JSON-LD, then meta tags, then what is visible on the page, then URL/htmldate/HTTP headers, and
records the source it chose in ``provenance``.

The body is the outlet's body element, else trafilatura on the pruned page, else JSON-LD
``articleBody``; plain trafilatura on the unpruned page is its floor (``floor.py``). The lede is
kept in ``lede`` and removed from ``text`` when the page prints it apart as well: a reader shows
them together, so keeping both would print it twice. Bylines leave the text for ``authors``.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extraction import body as body_mod
from crawler.extraction import fields, floor, pagedates
from crawler.extraction.blocks import walk_blocks
from crawler.extraction.dates import to_iso
from crawler.extraction.errors import ExtractionError
from crawler.extraction.images import body_images, gallery_after, image_key, outside_images
from crawler.extraction.page import Page, load_page
from crawler.extraction.patterns import LEDE_CLASS, SHARE_CLASS
from crawler.extraction.profile import GENERIC_PROFILE, Profile
from crawler.extraction.prune import (
    DIV_SWITCH_CHARS,
    attach_entry_times,
    p_text_chars,
    paragraph_divs,
    prune_tree,
    split_br_paragraphs,
    teaser_matcher,
    unwrap_layout_tables,
    wrap_loose_text,
)
from crawler.extraction.selectors import select_first
from crawler.extraction.shield import shield_article_container
from crawler.extraction.textnorm import match_key, quick_key
from crawler.extraction.titles import choose_title
from crawler.items import Article, ImageRef, content_hash

MIN_WORDS = 10  # below this a "body" is a banner or an error page, not an article


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
    page = load_page(html, url, profile, headers, fetched_at)
    title, title_el = choose_title(page)
    lede = fields.lede(page, title_el)
    section = fields.section(page, title)
    authors = fields.authors(page)
    tags = fields.tags(page)
    published = pagedates.published(page, title_el)
    modified = pagedates.modified(page, published)
    canonical = fields.canonical_url(page)
    text = body(page, title, lede, title_el)  # prunes the tree: every field reading markup comes first
    if not authors and (found := fields.clean_authors(text.bylines) or fields.byline_near(page, title_el)):
        authors = found
        page.provenance["authors"] = "byline"
    images = article_images(page, text, title_el)
    article_text = "\n\n".join(text.paragraphs)
    language = fields.language(page, article_text)
    if section is None:
        page.provenance.pop("section", None)
    article = Article(
        url=url,
        canonical_url=canonical,
        outlet=_outlet_name(page, canonical),
        title=title,
        lede=lede,
        section=section,
        tags=tags,
        authors=list(authors),
        published_at=to_iso(published) if published else None,
        modified_at=to_iso(modified) if modified else None,
        language=language,
        text=article_text,
        images=images,
        word_count=body_mod.word_count(article_text),
        provenance=page.provenance,
        encoding=page.encoding,
    )
    article.content_hash = content_hash(article)  # the archive's version hash, over every field a reader sees
    return article


def _outlet_name(page: Page, canonical: str | None) -> str | None:
    from urllib.parse import urlsplit

    generic = page.profile.name == GENERIC_PROFILE.name
    page.provenance["outlet"] = "url" if generic else "outlet"
    if not generic:
        return page.profile.name
    host = (urlsplit(canonical or page.url).hostname or "").removeprefix("www.")
    return host or page.meta.get("site")


# --- the body ---------------------------------------------------------------------------------------


@dataclass
class Body:
    paragraphs: list[str]
    source: str
    region: HtmlElement | None = None  # the outlet's body element (else found from the text)
    bylines: list[str] = field(default_factory=list)


def body(page: Page, title: str | None, lede: str | None, title_el: HtmlElement | None) -> Body:
    """The article's paragraphs: outlet body, else trafilatura on the pruned page, else JSON-LD;
    then filtered (repeats, captions, teasers, comments, bylines) and held to trafilatura's floor."""
    tree, profile = page.tree, page.profile
    outlet_body = select_first(tree, profile.body_selector)
    protected = {el for el in (title_el, outlet_body) if el is not None}
    # every field reading scripts or the chrome (JSON-LD, dates, authors) ran before: both go
    # first, so no pass below (ours or trafilatura's) walks or copies them
    body_mod.drop_dead_markup(tree)
    body_mod.drop_chrome(tree, protected)
    page_chars = floor.paragraph_chars(tree)
    removed: list[HtmlElement] = []
    unwrap_layout_tables(tree)
    reads_divs = p_text_chars(tree) < DIV_SWITCH_CHARS
    split_br_paragraphs(tree, body_mod.ends_article, removed)
    wrap_loose_text(tree)
    if reads_divs and p_text_chars(tree) >= DIV_SWITCH_CHARS:
        paragraph_divs(tree)
    attach_entry_times(tree, page.html)
    prune_tree(tree, profile, protected, removed)
    page.labels.tree_changed()
    if outlet_body is not None:
        raw, source = body_mod.outlet_paragraphs(outlet_body), "outlet"
    else:
        raw, source = body_mod.trafilatura_paragraphs(tree, page.url), "trafilatura"
    from_ld = body_mod.json_ld_paragraphs(page.ld.get("body"))
    if sum(map(len, raw)) < body_mod.MIN_TEXT_CHARS and sum(map(len, from_ld)) > sum(map(len, raw)):
        raw, source = from_ld, "json-ld"
    captions = {match_key(c.text_content()) for c in tree.iter("figcaption")} - {""}
    lede_apart = _repeats(raw, lede) and (
        page.provenance.get("lede") == "outlet"
        or _lede_under_title(title_el, lede)
        or _lede_shown_apart(page, lede)
    )
    clean = _clean(raw, title, lede if lede_apart else None, captions, profile)
    if source == "trafilatura":
        clean = _without_link_runs(clean, tree)
    suspicious = floor.suspicious(clean, page_chars, removed, tree)
    if suspicious and source == "trafilatura":
        # trafilatura may have deleted the article's own container for a word in its class
        shielded = _shielded_paragraphs(page, tree)
        fuller = _without_link_runs(
            _clean(shielded, title, lede if lede_apart else None, captions, profile), tree
        )
        if floor.extends(clean, fuller) or floor.below_floor(clean, fuller):
            clean, source = fuller, "trafilatura-shielded"
    if suspicious or floor.dump_like(clean, page_chars):  # the floor weighs the shielded text too
        lifted = _clean(floor.floor_paragraphs(page.html, page.url, removed), title, None, captions, profile)
        if (
            floor.below_floor(clean, lifted)
            or floor.extends(clean, lifted)
            or floor.replaces_dump(clean, lifted)
        ):
            clean, source = lifted, "trafilatura-unpruned"
    # after the floor's comparison, which weighs the texts as trafilatura gives them
    paragraphs, bylines = body_mod.split_bylines(body_mod.cut_rights_notice(clean))
    paragraphs = body_mod.drop_fine_print(body_mod.drop_calls_to_action(paragraphs))
    words = body_mod.text_size("\n".join(paragraphs))
    if words < MIN_WORDS:
        raise ExtractionError(f"no article text found ({words} words)" if words else "no article text found")
    page.provenance["text"] = source
    return Body(paragraphs, source, outlet_body if source == "outlet" else None, bylines)


def _without_link_runs(paragraphs: list[str], tree: HtmlElement) -> list[str]:
    """Trafilatura's text without the runs of other stories' links it may open or close with."""
    if body_mod.may_open_or_close_with_links(paragraphs):
        return body_mod.drop_link_runs(paragraphs, body_mod.link_keys(tree))
    return paragraphs


def _shielded_paragraphs(page: Page, tree: HtmlElement) -> list[str]:
    """Trafilatura's paragraphs on a copy of the pruned tree whose article container no longer
    carries the class or id trafilatura would delete it for (``shield``); [] when none does."""
    copy = deepcopy(tree)
    if not shield_article_container(copy):
        return []
    return body_mod.trafilatura_paragraphs(copy, page.url)


def _clean(raw: list[str], title, lede, captions, profile: Profile) -> list[str]:
    is_teaser = teaser_matcher(profile.inline_teaser_patterns)
    return body_mod.cut_at_comments(body_mod.filter_paragraphs(raw, title, lede, captions, is_teaser))


def _repeats(raw: list[str], lede: str | None) -> bool:
    """True when one of the first paragraphs is the lede (only then is it worth asking where)."""
    key = match_key(lede) if lede else ""
    return bool(key) and any(match_key(p) == key for p in raw[:4])


_TEXTS = XPath("//text()")


STANDFIRST_CHARS = 320  # a standfirst is a sentence or two; a longer block is the text's opening


def _lede_under_title(title_el: HtmlElement | None, lede: str) -> bool:
    """True when the headline's own block prints the lede right under it (a subtitle, a
    "lead" paragraph before the byline): a standfirst, whatever the body repeats."""
    shown = fields.lede_after_title(title_el)
    return bool(shown) and len(shown) <= STANDFIRST_CHARS and match_key(shown) == match_key(lede)


def _lede_shown_apart(page: Page, lede: str) -> bool:
    """True when the page prints the lede on its own besides the body paragraph repeating it: in a
    subtitle element (h2-h4, a lede-like class) or as two separate elements with its text."""
    key = match_key(lede)
    if any(match_key(el.text_content()) == key for el in page.tree.iter("h2", "h3", "h4")):
        return True
    labelled = page.labels.matching("lede", LEDE_CLASS)
    if any(match_key(el.text_content()) == key for el in labelled if el.tag != "p"):
        return True
    opening = match_key(lede[:40])[:20]
    word = max(lede[:60].split(), key=len, default="")  # a plain substring test before the key
    holders: list[HtmlElement] = []
    for text in _TEXTS(page.tree):
        if opening and word in text and match_key(text[:60]).startswith(opening):
            el = text.getparent()
            while el is not None and len(match_key(el.text_content())) < len(key):
                el = el.getparent()
            if el is None or el in holders or _in_share_widget(el):
                continue
            if match_key(el.text_content()) == key:
                holders.append(el)
    outermost = [el for el in holders if not any(a in holders for a in el.iterancestors())]
    return len(outermost) >= 2


def _in_share_widget(el: HtmlElement) -> bool:
    """A share or social widget around ``el``: its copy of the lede is a share preview, not shown."""
    return any(SHARE_CLASS.search(a.get("class") or "") for a in (el, *el.iterancestors()))


# --- images ---------------------------------------------------------------------------------------


def article_images(page: Page, text: Body, title_el: HtmlElement | None) -> list[ImageRef]:
    """Body images in place, and the article's own pictures outside the text (its lead image
    first, a gallery its metadata lists or the page marks as one after the text)."""
    region, known = text.region, {}
    if region is None:
        region, known = _body_region(page.tree, text.paragraphs)
    images: list[ImageRef] = []
    if region is not None and (region.find(".//img") is not None or region.find(".//amp-img") is not None):
        images = body_images(
            region, text.paragraphs, page.base_url, page.profile, exact=text.source == "outlet", known=known
        )
    declared = [page.meta.get("image") or "", *page.ld.get("images", [])]
    inside = {image_key(i.url) for i in images}
    count = len(text.paragraphs)
    outside = outside_images(page.tree, declared, title_el, region, page.base_url, page.profile, count)
    outside = [i for i in outside if image_key(i.url) not in inside]
    lead, after = [i for i in outside if i.position == 0], [i for i in outside if i.position]
    shown = []
    if region is not None:
        listed = {image_key(i.url) for i in [*images, *outside]}
        shown = gallery_after(region, page.base_url, page.profile, count, listed)
    opening = [i for i in shown if not i.position]
    images = [*lead, *opening, *images, *after, *[i for i in shown if i.position]]
    if lead:
        page.provenance["images.lead"] = "visible"
    if after or shown:
        page.provenance["images.gallery"] = "json-ld" if after else "visible"
    if images:
        page.provenance["images"] = "outlet" if text.source == "outlet" else "visible"
    return images


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
    if len(matched) < len(keys) / 2:  # text in bare <div>s, maybe beside a <p> or two
        found = set(matched)
        matched += [
            e.element
            for e in walk_blocks(body)
            if e.kind == "para"
            and e.element is not None
            and e.element not in found
            and quick_key(e.text) in keys
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
