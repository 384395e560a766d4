"""Trafilatura as a floor: our text may not keep much less than plain trafilatura keeps.

Our cascade (outlet body, trafilatura on the pruned page, JSON-LD) can collapse onto a caption,
a teaser or nothing when a page is unlike the ones it was written for. Plain trafilatura on the
unpruned page is then the better candidate. Running it on every page would double the cost, so
it runs only when a cheap signal says our text is small against the text the page holds in
paragraphs. Its result wins when ours keeps under half of it, after removing from it what we
recognise as boilerplate: text of the blocks pruning cut (comments, feed, related headings),
text inside the site's chrome or other pages' teasers (header/nav/aside/footer, related/feed/
sidebar containers, an <article> nested in another one) and the repeats of a whole-page dump.
"""

from __future__ import annotations

from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura import load_html

from crawler.extraction.blocks import walk_blocks
from crawler.extraction.body import (
    drop_chrome,
    drop_dead_markup,
    ends_article,
    link_keys,
    menu_like,
    prose_chars,
    run_trafilatura,
    text_size,
)
from crawler.extraction.patterns import FOREIGN_CLASS, FOREIGN_TAGS, PROSE_TEXT
from crawler.extraction.prune import split_br_paragraphs
from crawler.extraction.textnorm import match_key

_SENTENCES = XPath(f"//body//{PROSE_TEXT}")
MIN_FLOOR_WORDS = 50  # below this trafilatura's own result is no article either
SHARE = 0.5  # ours must keep at least this share of the floor's (non-boilerplate) words
# ours holding this share of the page's non-boilerplate prose cannot be under half of what
# trafilatura keeps unless trafilatura keeps nearly all of it: no floor run (it costs a full run)
TRIGGER_SHARE = 0.4


def paragraph_chars(tree: HtmlElement) -> int:
    """Characters of sentence-sized text: the cheap estimate of the prose the page holds."""
    return sum(len(t.strip()) for t in _SENTENCES(tree))


def suspicious(ours: list[str], page_chars: int, removed: list[HtmlElement], tree: HtmlElement) -> bool:
    """True when our text is small against the paragraph text the page holds outside the blocks
    pruning recognised as boilerplate (only then is the floor worth its cost)."""
    chars = sum(map(len, ours))
    if page_chars < 300 or chars >= SHARE * page_chars:
        return False
    cut = sum(prose_chars(el) for el in removed)
    if chars >= SHARE * (page_chars - cut):
        return False
    # the costlier look: paragraph text in the chrome and other pages' teasers is no article either
    foreign = sum(prose_chars(el) for el in foreign_blocks(tree))
    return chars < TRIGGER_SHARE * (page_chars - cut - foreign)


def boilerplate_keys(removed: list[HtmlElement]) -> set[str]:
    """Matching keys of every paragraph inside the blocks pruning removed."""
    keys: set[str] = set()
    for el in removed:
        for event in walk_blocks(el):
            if event.kind == "para" and (key := match_key(event.text)):
                keys.add(key)
    return keys


_CANDIDATES = XPath("//header | //nav | //footer | //aside | //article//article | //*[@class or @id]")


def _nested_article(el: HtmlElement) -> bool:
    return el.tag == "article" and any(a.tag == "article" for a in el.iterancestors())


def foreign_blocks(tree: HtmlElement) -> list[HtmlElement]:
    """The outermost chrome and teaser containers of a page (see ``patterns.FOREIGN_*``)."""
    found: set[HtmlElement] = set()
    for el in _CANDIDATES(tree):
        if el.tag in ("html", "body") or not isinstance(el.tag, str):
            continue
        marks = " ".join(filter(None, (el.get("class"), el.get("id"))))
        if el.tag in FOREIGN_TAGS or (marks and FOREIGN_CLASS.search(marks)) or _nested_article(el):
            found.add(el)
    outermost = [el for el in found if not any(a in found for a in el.iterancestors())]
    if not outermost:
        return outermost
    # chrome and teasers are the smaller part of a page's prose: a "header" or "widget" holding
    # most of it is the layout wrapping the article (Webflow's rich-text <header>, page builders)
    half = paragraph_chars(tree) / 2
    layout = [el for el in outermost if prose_chars(el) > half]
    if not layout:
        return outermost
    found -= set(layout)
    return [el for el in found if not any(a in found for a in el.iterancestors())]


def floor_paragraphs(html: str, url: str | None, removed: list[HtmlElement]) -> list[str]:
    """Plain trafilatura's paragraphs on the unpruned page, without recognised boilerplate."""
    tree = load_html(html)
    if tree is None:
        return []
    drop_dead_markup(tree)
    drop_chrome(tree, set())  # boilerplate to the floor in any case (``foreign_blocks``)
    # a <br><br> body ends at its comments label ("Σχόλια αναγνωστών (5)"): the readers' comments
    # after it in the same container are recognised boilerplate, for the floor as for ours
    split_br_paragraphs(tree, ends_article)
    known = boilerplate_keys([*removed, *foreign_blocks(tree)]) | link_keys(tree)
    paragraphs = run_trafilatura(tree, url, fast=False)
    seen: set[str] = set()
    out = []
    for para in paragraphs:
        key = match_key(para)
        if not key or key in known or key in seen:
            continue
        seen.add(key)
        out.append(para)
    return out


def below_floor(ours: list[str], floor: list[str]) -> bool:
    """True when ``ours`` keeps under half of the floor's words (the floor being an article)."""
    floor_words = text_size("\n".join(floor))
    return floor_words >= MIN_FLOOR_WORDS and text_size("\n".join(ours)) < SHARE * floor_words


# the floor adds this much to a text it holds nearly all of: the fast run missed whole blocks
EXTEND_RATIO = 1.5
EXTEND_OVERLAP = 0.9


def extends(ours: list[str], floor: list[str]) -> bool:
    """True when the floor holds nearly every paragraph of ours and half as much again besides:
    the same article, with blocks (tables, lists, sections) our run left out and nothing of its
    extra recognised as boilerplate (``floor_paragraphs`` took that out already)."""
    ours_words, floor_words = text_size("\n".join(ours)), text_size("\n".join(floor))
    if floor_words < MIN_FLOOR_WORDS or floor_words < EXTEND_RATIO * ours_words:
        return False
    keys = {match_key(p) for p in floor}
    mine = [k for p in ours if (k := match_key(p))]
    return bool(mine) and sum(k in keys for k in mine) >= EXTEND_OVERLAP * len(mine)


# ours this many times the floor's words, in lines of a few words, is the page dumped whole
DUMP_RATIO = 2.0


def dump_like(ours: list[str], page_chars: int) -> bool:
    """Lines of a few words adding up to more than twice the page's sentence-sized prose: the
    page dumped whole, worth a floor run. A list-shaped article with little prose can pass too
    (its short lines are no prose to ``paragraph_chars``): that costs a floor run, and
    ``replaces_dump`` keeps it, since the floor reads the same list."""
    return sum(map(len, ours)) > DUMP_RATIO * page_chars and menu_like(ours)


def replaces_dump(ours: list[str], floor: list[str]) -> bool:
    """True when ours is a navigation dump (mostly lines of a few words and twice the floor's
    size: both trafilatura runs on the pruned page fell back to the whole page) and the floor
    found an article instead."""
    floor_words = text_size("\n".join(floor))
    return (
        floor_words >= MIN_FLOOR_WORDS
        and text_size("\n".join(ours)) >= DUMP_RATIO * floor_words
        and menu_like(ours)
        and not menu_like(floor)
    )
