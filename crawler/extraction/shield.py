"""Keep trafilatura's class-name discards off the container that holds the article.

Trafilatura picks a frame (its ``BODY_XPATH``: ``article``, ``main``, ``*content*``...) and then
deletes every element inside it whose class or id holds a chrome token ("bar", "widget",
"embed", "sidebar", "slide"...). Those are substrings: Webflow's ``w-embed`` wraps an article's
tables, a utility class ``bard`` holds "bar", a page builder's ``widget`` wraps the whole text.
When one such element holds most of the frame's prose, the deletion takes the article and leaves
its fringes. Trafilatura guards against deleting nearly everything (more than 6/7 of the text),
not against deleting most of it. This hands trafilatura that element without the class and id
it would be deleted for; everything else, chrome included, is judged as before.

Finding the frame and the discards costs about as much as a third of a trafilatura run, so the
body cascade asks for it only when its text is already small against the page's prose
(``floor.suspicious``), on a copy of the tree, and keeps the result only when it is the larger.
"""

from __future__ import annotations

import re

from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.xpaths import BODY_XPATH, OVERALL_DISCARD_XPATH

from crawler.extraction.body import prose_chars
from crawler.extraction.patterns import FOREIGN_CLASS

HOLDS_ARTICLE = 0.5  # an element with this share of the frame's prose is the article's container
MIN_PROSE_CHARS = 400  # a frame with less prose is no article to protect
MAX_LINK_SHARE = 0.3  # an element mostly of link text is a list of other pages, whatever it holds
GUARD_SHARE = 1 / 7  # trafilatura prunes nothing when less than this share of the text would stay


def shield_article_container(tree: HtmlElement) -> int:
    """Rename ``class``/``id`` to ``data-shielded-*`` on the element (and its matched ancestors
    inside the frame) that trafilatura would delete while it holds most of the frame's prose;
    returns how many elements were shielded."""
    frame = _frame(tree)
    if frame is None or (total := prose_chars(frame)) < MIN_PROSE_CHARS:
        return 0
    matched = dict.fromkeys(el for xpath in OVERALL_DISCARD_XPATH for el in xpath(frame))
    matched.pop(frame, None)
    outer = [el for el in matched if not any(a in matched for a in el.iterancestors())]
    frame_len = len(frame.text_content())
    if frame_len - sum(len(el.text_content()) for el in outer) <= GUARD_SHARE * frame_len:
        return 0  # trafilatura's own guard keeps every one of them
    positive = {el for expr in BODY_XPATH for el in expr(tree)}  # frames: renaming one moves the frame
    shielded: set[HtmlElement] = set()
    for el in matched:
        if el in positive or prose_chars(el) < HOLDS_ARTICLE * total or _link_share(el) > MAX_LINK_SHARE:
            continue
        if _other_stories(el):
            continue  # trafilatura deletes it for what it is: a list of other pages' teasers
        for node in (el, *el.iterancestors()):
            if node is frame:
                break
            if node in matched and node not in positive:
                shielded.add(node)
    for node in shielded:
        for attr in ("class", "id"):
            if attr in node.attrib:
                node.set(f"data-shielded-{attr}", node.attrib.pop(attr))
    return len(shielded)


def _frame(tree: HtmlElement) -> HtmlElement | None:
    """The element trafilatura's first matching body expression selects, as it chooses it."""
    for expr in BODY_XPATH:
        frame = next((s for s in expr(tree) if s is not None), None)
        if frame is not None:
            return frame
    return None


# class words of a block of other stories, ours (patterns.FOREIGN_CLASS) and trafilatura's own
# related tokens ("more-stories", "more-on", "next-"): such a block is deleted rightly
_OTHER_STORIES = re.compile(r"elated|stories|more-on|more-from|next-|recirc|teaser", re.I)
_LINKED_HEADINGS = XPath(".//*[self::h2 or self::h3 or self::h4][.//a]")
TEASER_HEADINGS = 3  # this many linked headlines in a block may make it a list of other stories
EXCERPT_CHARS = 300  # a teaser's excerpt is shorter than this; an article has longer paragraphs


def _other_stories(el: HtmlElement) -> bool:
    """A block of other stories: its class says so, or it is linked headlines over excerpts (no
    paragraph of an article's length; an article's own linked subheadings sit over long ones)."""
    marks = " ".join(filter(None, (el.get("class"), el.get("id"))))
    if marks and (FOREIGN_CLASS.search(marks) or _OTHER_STORIES.search(marks)):
        return True
    if len(_LINKED_HEADINGS(el)) < TEASER_HEADINGS:
        return False
    return not any(len(p.text_content()) >= EXCERPT_CHARS for p in el.iter("p"))


def _link_share(el: HtmlElement) -> float:
    chars = len(el.text_content()) or 1
    return sum(len(a.text_content()) for a in el.iter("a")) / chars
