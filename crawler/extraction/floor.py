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
from crawler.extraction.body import run_trafilatura, word_count
from crawler.extraction.patterns import FOREIGN_CLASS, FOREIGN_TAGS
from crawler.extraction.textnorm import quick_key

_PARAGRAPH_TEXT = XPath("//p//text()")
MIN_FLOOR_WORDS = 50  # below this trafilatura's own result is no article either
SHARE = 0.5  # ours must keep at least this share of the floor's (non-boilerplate) words


def paragraph_chars(tree: HtmlElement) -> int:
    """Characters of text inside <p> elements: the cheap estimate of what the page holds."""
    return sum(len(t.strip()) for t in _PARAGRAPH_TEXT(tree))


def suspicious(ours: list[str], page_chars: int) -> bool:
    """True when our text is small against the page's paragraph text (worth a floor check)."""
    chars = sum(map(len, ours))
    return page_chars >= 300 and chars < SHARE * page_chars


def boilerplate_keys(removed: list[HtmlElement]) -> set[str]:
    """Matching keys of every paragraph inside the blocks pruning removed."""
    keys: set[str] = set()
    for el in removed:
        for event in walk_blocks(el):
            if event.kind == "para" and (key := quick_key(event.text)):
                keys.add(key)
    return keys


def foreign_blocks(tree: HtmlElement) -> list[HtmlElement]:
    """The outermost chrome and teaser containers of a page (see ``patterns.FOREIGN_*``)."""
    found: list[HtmlElement] = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body"):
            continue
        marks = " ".join(filter(None, (el.get("class"), el.get("id"))))
        nested_article = el.tag == "article" and any(a.tag == "article" for a in el.iterancestors())
        foreign = el.tag in FOREIGN_TAGS or nested_article or (marks and FOREIGN_CLASS.search(marks))
        if foreign and not any(a in found for a in el.iterancestors()):
            found.append(el)
    return found


def floor_paragraphs(html: str, url: str | None, removed: list[HtmlElement]) -> list[str]:
    """Plain trafilatura's paragraphs on the unpruned page, without recognised boilerplate."""
    tree = load_html(html)
    if tree is None:
        return []
    known = boilerplate_keys([*removed, *foreign_blocks(tree)])
    paragraphs = run_trafilatura(tree, url, fast=False)
    seen: set[str] = set()
    out = []
    for para in paragraphs:
        key = quick_key(para)
        if not key or key in known or key in seen:
            continue
        seen.add(key)
        out.append(para)
    return out


def below_floor(ours: list[str], floor: list[str]) -> bool:
    """True when ``ours`` keeps under half of the floor's words (the floor being an article)."""
    floor_words = word_count("\n".join(floor))
    return floor_words >= MIN_FLOOR_WORDS and word_count("\n".join(ours)) < SHARE * floor_words
