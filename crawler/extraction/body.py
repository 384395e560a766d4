"""The article text: outlet body element, else trafilatura on the pruned tree, else JSON-LD.

trafilatura runs once per page, on the tree we already parsed and pruned, in its fast mode
(its recall escalation still rescues short extractions, and the full cascade runs only when
that finds too little); the paragraph filters afterwards remove what it lets through
(title/lede repeats, teasers, captions, share/newsletter lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.xml import xmltotxt

from crawler.extraction.blocks import walk_blocks
from crawler.extraction.patterns import (
    AUTHOR_CLASS,
    BYLINE_LINE,
    CALL_TO_ACTION_LINE,
    CALL_TO_ACTION_WORDS,
    COMMENT_COUNT_HEAD,
    COMMENT_COUNT_TAIL,
    END_OF_ARTICLE_LINES,
    FINE_PRINT_LINE,
    FINE_PRINT_WORDS,
    PROSE_TEXT,
    RIGHTS_LINE,
)
from crawler.extraction.textnorm import clean_space, fold_words, match_key, quick_key

MIN_TEXT_CHARS = 200
_BULLET = re.compile(r"^[-*•]\s+")
_WORD = re.compile(r"\w+")
_WORDY_TOKEN = re.compile(r"\S*\w\S*")  # a whitespace-separated token holding a letter or digit
# a line that is only a printed date ("Δευτέρα, 05 Ιανουαρίου 2026, 14:30", "05/01/2026 14:30")
_DATE_LINE = re.compile(
    r"^[\w ,.|:-]{0,30}?(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}\s+[^\W\d_]{3,12}\.?,?\s+\d{4}|\d{4}-\d{2}-\d{2})"
    r"(?:[\s,|-]+(?:\d{1,2}[:.]\d{2}(?::\d{2})?)?\s*(?:πμ|μμ|am|pm)?)?\s*$"
)


# lines that are page furniture wherever they appear: image addresses, machine timestamps and
# the labels of share/print/tag widgets (bare links and copyright lines can be the author's)
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+\.(?:jpe?g|png|gif|webp|svg|avif)(?:\?\S*)?$", re.I)
_STAMP_LINE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)
_LABEL_LINES = {
    match_key(label)
    for label in (
        "Tags",
        "Tags:",
        "Share",
        "Share this",
        "Share this article",
        "Print",
        "Print Article",
        "Order Reprints",
        "Advertisement",
        "Διαφήμιση",
        # the ad slot's label in other languages, left alone on its line
        "Anzeige",
        "Werbung",
        "Publicité",
        "Publicidad",
        "Pubblicità",
        "Publicidade",
        "Advertentie",
        "Reklama",
        "Reklame",
        "Mainos",
        "Реклама",
        "Reklam",
        "Iklan",
        "Ετικέτες",
        "Κοινοποίηση",
        "Μοιραστείτε το",
        # the heading of a related-links or recommendations box, left alone on its line once
        # the box's teasers are gone (or printed before them): never the author's sentence
        "Related",
        "Related Articles",
        "Related Posts",
        "Related Stories",
        "Related News",
        "Related Content",
        "Related Reading",
        "You May Also Like",
        "You Might Also Like",
        "Recommended for You",
        "More Stories",
        "Read More",
        "Back to Blog",
        "Back to Top",
        "Skip to Content",
        "Skip to Main Content",
        # an ad slot's or an audio/share widget's label, alone on its line
        "Continue reading below",
        "Story continues below",
        "Story continues below advertisement",
        "Article continues below",
        "Article continues below advertisement",
        "Continue reading after the ad",
        "Scroll to continue with content",
        "Advertisement - Scroll to continue",
        "Listen to this article",
        "Listen to article",
        "Share on Facebook",
        "Share on Twitter",
        "Share on X",
        "Share on LinkedIn",
        "Share on WhatsApp",
        "Share via Email",
        "Copy link",
        "Link copied",
        "Save article",
        "Gift this article",
        "Συνεχίστε να διαβάζετε",
        "Η συνέχεια κάτω από τη διαφήμιση",
        "Σχετικό άρθρο",
        # a follow/subscribe strip's label, alone on its line
        "Follow us",
        "Follow us on",
        "Sign up",
        "Subscribe",
        "Subscribe now",
        "Book a demo",
        "Εκτύπωση",
        "Αποστολή σε φίλο",
        "Send to a friend",
        "Email this",
        "Ακολουθήστε μας",
        "Ακολουθήστε μας στα social media",
        "Εγγραφή",
        "Δείτε επίσης",
        "Διαβάστε επίσης",
        "Διαβάστε ακόμη",
        "Σχετικά άρθρα",
        "Σχετικά θέματα",
        "Σχετικές ειδήσεις",
    )
}


# a reading-time badge ("11 min read", "Χρόνος ανάγνωσης: 3 λεπτά"), a pager ("Page 1 of 8",
# "Σελίδα 2 από 5") or a view counter ("1843 αναγνώσεις"), alone on its line; compared folded
_BADGE_LINE = re.compile(
    r"^(?:reading\s+time|χρονος\s+αναγνωσης)\W*\d+\s*(?:min(?:ute)?s?|λεπτα?)$|"
    r"^\d+\s*(?:min(?:ute)?s?|λεπτα?)\s+(?:read|reading|αναγνωσης?|διαβασμα)$|^(?:page|σελιδα)\s+\d+\s+(?:of|απο)\s+\d+$|"
    r"^[\d.,]+\s*k?\s+(?:views|reads|αναγνωσεις|προβολες)$",
    re.IGNORECASE,  # which also makes the fold's σ match a final ς
)


def is_furniture(para: str) -> bool:
    """True for a line no article author wrote (image URL, timestamp, widget label, badge)."""
    text = para.strip(" -–•|")
    if len(text) > 250:
        return False
    if "\n" in text:  # a table row of widget labels ("| Εκτύπωση\n| Αποστολή σε φίλο")
        lines = [line for line in text.split("\n") if line.strip(" -–•|")]
        return len(lines) > 1 and all(is_furniture(line) for line in lines)
    return bool(
        _URL_LINE.match(text)
        or _STAMP_LINE.match(text)
        or match_key(text) in _LABEL_LINES
        or (len(text) < 40 and _BADGE_LINE.match(fold_words(text).strip(" .·:")))
        or (len(text) < 90 and (_CREDIT_LINE.match(text) is not None or _CREDIT_BY.match(text) is not None))
        or (len(text) < 120 and "google news" in (folded := fold_words(text)) and _FOLLOW_LINE.search(folded))
    )


# the site's own "follow us on Google News" line that news plugins insert between paragraphs
# ("Ακολουθήστε το iefimerida.gr στο Google News", "Το ertnews.gr στο Google News"); compared folded
_FOLLOW_LINE = re.compile(
    r"^(?:follow|ακολουθ\w*)\b[^!?]{0,60}google\s+news\W*$|^(?:the|το|η)\s+\S+\.[a-z]{2,}\s+(?:στο|on)\s+google\s+news\W*$"
)


# a picture's credit left alone on its line by a caption the extractor split off ("Photo: Reuters",
# "(Photo by Jane Doe/Getty Images)", "Φωτογραφία: Eurokinissi"): the picture's, not the text's
_CREDIT_LINE = re.compile(
    r"^(?:photo|image|picture|foto|φωτογραφια|φωτογραφία|φωτο|φωτό)s?(?:\s+credit)?\s*(?::|©)"
    r"|^(?:image|photo|picture)\s+(?:credit|source)s?\s*:"
    r"|^\((?:photo|image|picture|foto)s?\s+(?:by|courtesy)\b",
    re.IGNORECASE,
)
# "Photo by Jane Doe" stands alone as a credit only in a few words ("Photos by the victims'
# families were shared widely" is a sentence)
_CREDIT_BY = re.compile(r"^(?:photo|image|picture|foto)s?\s+(?:by|courtesy\s+of)\s+\S+(?:\s+\S+){0,4}$", re.I)


# markup no extractor reads once the metadata is taken: scripts (JSON-LD stays: trafilatura's
# baseline reads its articleBody), styles, inline icons and templates
_DEAD_TAGS = ("script", "style", "svg", "template")


def drop_dead_markup(tree: HtmlElement) -> int:
    """Remove scripts, styles, inline SVG and templates (their tails stay); returns how many.

    Trafilatura and our own passes discard them anyway, but only after walking, copying and
    matching XPaths over them: on real pages they are a large share of the tree."""
    dead = [
        el
        for el in tree.iter(*_DEAD_TAGS)
        if not (el.tag == "script" and (el.get("type") or "").strip().lower() == "application/ld+json")
    ]
    count = 0
    for el in dead:
        if el.getparent() is not None:
            el.drop_tree()
            count += 1
    return count


_CHROME_TAGS = ("aside", "footer", "nav")
_OWN_PROSE = XPath(f"descendant-or-self::*/{PROSE_TEXT}")
_LAYOUT_PROSE_CHARS = 1000  # under this a chrome element is no article, whatever the page holds


def prose_chars(el: HtmlElement) -> int:
    """Characters of sentence-sized text in ``el``: the cheap estimate of the prose it holds."""
    return sum(len(t.strip()) for t in _OWN_PROSE(el))


def drop_chrome(tree: HtmlElement, protected: set[HtmlElement]) -> int:
    """Remove the page's asides, footers and navigation unless they hold ``protected`` (the title,
    the outlet's body) or most of the page's prose; returns how many.

    Trafilatura deletes them before it extracts and every cascade of ours treats them as foreign,
    yet both walked them first: no open page's text, title, date or images changed without them.
    A chrome element holding most of the page's prose is the layout wrapping the article: an
    unclosed ``<nav>`` in the header that the parser lets run to the end of the page, a theme
    that puts the whole entry in an ``<aside>``. Dropping it left such pages with no text at all.
    """
    chrome = [
        el
        for el in tree.iter(*_CHROME_TAGS)
        if el not in protected and not any(d in protected for d in el.iterdescendants())
    ]
    page_text: list[int] = []  # the page's text length, taken once and only when needed
    dropped: set[HtmlElement] = set()
    for el in chrome:  # document order: an element inside a dropped one goes with it
        if el.getparent() is None or any(a in dropped for a in el.iterancestors()):
            continue
        # text lengths first (C speed, and most chrome is short), the prose count last
        own = len(el.text_content())
        if own >= _LAYOUT_PROSE_CHARS:
            page_text = page_text or [len(tree.text_content())]
            if own > page_text[0] / 2 and prose_chars(el) >= _LAYOUT_PROSE_CHARS:
                continue
        el.drop_tree()
        dropped.add(el)
    return len(dropped)


def trafilatura_paragraphs(tree: HtmlElement, url: str | None, fast: bool = True) -> list[str]:
    """Paragraph strings from one ``bare_extraction`` run on ``tree`` (which is not modified).

    On our pruned tree trafilatura's own fast path (no readability/justext comparison) scores
    higher on the aeb set than its full cascade on the raw page, at a fraction of the time;
    the full cascade is the fallback when the fast run finds too little.
    """
    paragraphs = run_trafilatura(tree, url, fast)
    size = sum(map(len, paragraphs))
    unlinked = unlinked_chars(tree) if fast and size >= MIN_TEXT_CHARS else 0.0
    if fast and (size < MIN_TEXT_CHARS or size < FAST_SHARE * unlinked):
        # too little, or a sliver of the page's running text: the fast path settled on one block
        # of a page whose article is spread over several (lists, tables, editor blocks)
        fuller = run_trafilatura(tree, url, fast=False)
        if sum(map(len, fuller)) > size:
            return fuller
    elif fast and _one_block_dump(paragraphs):
        # the fast path found no article block and fell back to the page's whole text as one
        # line (menus, article and footer run together): the full cascade finds the blocks,
        # unless it settles on a sliver of that text (then the dump at least holds the article)
        fuller = run_trafilatura(tree, url, fast=False)
        kept = sum(map(len, fuller))
        if len(fuller) > len(paragraphs) and kept >= max(MIN_TEXT_CHARS, DUMP_KEEP_SHARE * size):
            return fuller
    elif fast and menu_like(paragraphs):
        # the fast path fell back to a whole-page dump (menus): the full cascade chooses better
        fuller = run_trafilatura(tree, url, fast=False)
        if fuller and not menu_like(fuller):
            return fuller
    elif fast and _room_for_holes(unlinked, size) and (span := article_span(tree, paragraphs)) is not None:
        # sentences the fast run left out between sentences it kept (lists, tables, folded
        # <details>, blocks it judged apart): the full cascade, held to that stretch of the page
        fuller = [p for p in run_trafilatura(tree, url, fast=False) if span.holds(p)]
        if span.filled_by(fuller):
            return fuller if _extends(fuller, paragraphs) else span.merge(paragraphs, fuller)
    if fast and paragraphs and continued_in_twin(tree, paragraphs):
        # the article goes on in a second container of the same kind after an ad or a "read also"
        # box: the fast run read only the first, the full cascade weighs both
        fuller = run_trafilatura(tree, url, fast=False)
        if _extends(fuller, paragraphs):
            return fuller
    return paragraphs


def _another_article(twin: HtmlElement, between: list[HtmlElement]) -> bool:
    """The twin is the next story, not the rest of this one: a "next article" label stands
    between them, or the twin carries a story's own header (an h1, a headline linking away, a
    printed time or a byline)."""
    if any(
        _NEXT_STORY.search(fold_words(el.text_content())) for el in between if len(el.text_content()) < 80
    ):
        return True
    if next(twin.iter("h1", "time"), None) is not None:
        return True
    for heading in twin.iter("h2", "h3"):
        if heading.find(".//a[@href]") is not None:
            return True
    return any(AUTHOR_CLASS.search(el.get("class") or "") for el in twin.iter())


_NEXT_STORY = re.compile(
    r"(?:next|previous)\s+(?:article|post|story)|read\s+next|up\s+next|"
    r"(?:επομενο|προηγουμενο)\s+αρθρο|διαβαστε\s+ακομα",
    re.I,
)
TWIN_SIBLINGS = 4  # an ad slot and a "read also" box may stand between the two halves
TWIN_MIN_CHARS = 200  # the second container holds a paragraph or more of text


def continued_in_twin(tree: HtmlElement, paragraphs: list[str]) -> bool:
    """The block holding the fast run's text has a sibling of the same tag and class with text
    of its own not in that run: a body split in two (``div.article-body`` twice)."""
    first = quick_key(paragraphs[0])
    if len(first) < 20:
        return False
    start = next((el for el in tree.iter("p") if quick_key(el.text_content()) == first), None)
    if start is None:
        return False
    kept = match_key("\n".join(paragraphs))
    for box in start.iterancestors():
        if box.tag in ("body", "html"):
            return False
        marks = box.get("class")
        if not marks:
            continue
        between: list[HtmlElement] = []
        for sibling in list(box.itersiblings())[:TWIN_SIBLINGS]:
            if sibling.tag != box.tag or sibling.get("class") != marks:
                between.append(sibling)
                continue
            text = match_key(sibling.text_content())
            if len(text) >= TWIN_MIN_CHARS and text[:60] not in kept:
                return not _another_article(sibling, between)
        return False  # only the nearest classed block around the text is the container
    return False


def _room_for_holes(unlinked: float, size: int) -> bool:
    """The page's text outside links exceeds the fast run's text by as much as ``article_span``
    wants left out; on most pages it does not, and the costlier look is skipped."""
    return unlinked - size >= max(LEFT_OUT_MIN, LEFT_OUT_SHARE * size)


# running text the fast run left out inside the stretch it kept: over this share of what it kept
# (and LEFT_OUT_MIN characters), the full cascade is worth its cost; it is kept only when it holds
# nearly all of the fast run's text (KEEP_SHARE)
LEFT_OUT_SHARE = 0.3
LEFT_OUT_MIN = 400
KEEP_SHARE = 0.85
FILL_SHARE = 0.5
HOLE_SENTENCE = 80  # a left-out node shorter than this may be a label or a link list's line
# sentence-sized text nodes outside links and link lists (scripts and styles are gone by then)
_SENTENCE_NODES = XPath(
    f"//body//text()[string-length(.) >= {HOLE_SENTENCE}][not(ancestor::a or ancestor::li[.//a])]"
)
_BODY_TEXTS = XPath("//body//text()[not(parent::script or parent::style or parent::noscript)]")


@dataclass
class Span:
    """The stretch of the page from the first to the last sentence the fast run kept (one matching
    key), the paragraphs that run kept and the sentences it left out inside that stretch."""

    key: str
    kept: set[str]
    holes: list[str]

    def holds(self, para: str) -> bool:
        """A paragraph the fast run kept, or one whose text lies inside the stretch."""
        key = match_key(para)
        return bool(key) and (key in self.kept or key in self.key)

    def merge(self, kept: list[str], added: list[str]) -> list[str]:
        """Both runs' paragraphs once each, in page order (their place in the stretch; lines
        outside it, the title and lede, first): each run left out blocks the other holds."""
        seen: set[str] = set()
        placed = []
        for order, para in enumerate([*kept, *added]):
            key = match_key(para)
            if not key or key in seen:
                continue
            seen.add(key)
            placed.append((self.key.find(key), order, para))
        return [para for _, _, para in sorted(placed)]

    def filled_by(self, paragraphs: list[str]) -> bool:
        """True when ``paragraphs`` hold most of the left-out sentences: a cascade adding other
        text (a widget's short lines) while the holes stay empty found no missing article."""
        text = match_key("\n".join(paragraphs))
        found = sum(len(h) for h in self.holes if h in text)
        return found >= FILL_SHARE * sum(map(len, self.holes))


def article_span(tree: HtmlElement, paragraphs: list[str]) -> Span | None:
    """The stretch of the page the fast run's article covers, when sentences inside it are
    missing from ``paragraphs`` (holes in the article, not the page around it); else None.

    It runs on nearly every page: a node is looked up as plain text first (trafilatura's lines
    are its text with the spaces collapsed) and only a long node not found so is keyed."""
    plain = "\n".join(paragraphs)
    kept_keys: str | None = None
    first = last = None
    holes: list[str] = []
    pending: list[str] = []
    for node in _SENTENCE_NODES(tree):
        if " ".join(node.split()) in plain:
            first = first if first is not None else node
            last = node
            holes.extend(pending)
            pending.clear()
        elif first is not None and len(node.strip()) >= HOLE_SENTENCE:
            kept_keys = kept_keys if kept_keys is not None else match_key(plain)
            if (key := match_key(node)) and key not in kept_keys:
                pending.append(key)
    missing = sum(map(len, holes))
    if first is None or missing < LEFT_OUT_MIN or missing < LEFT_OUT_SHARE * len(plain):
        return None
    return Span(_text_between(tree, first, last), {match_key(p) for p in paragraphs}, holes)


def _text_between(tree: HtmlElement, first, last) -> str:
    """Matching key of the body's text from text node ``first`` to text node ``last``."""
    ends = {(first.getparent(), first.is_tail), (last.getparent(), last.is_tail)}
    texts = _BODY_TEXTS(tree)
    marks = [i for i, t in enumerate(texts) if (t.getparent(), t.is_tail) in ends]
    if not marks:
        return ""
    return match_key("".join(texts[marks[0] : marks[-1] + 1]))


def _extends(fuller: list[str], paragraphs: list[str]) -> bool:
    """``fuller`` is larger and keeps nearly all the text of ``paragraphs`` (by characters: a
    heading or a title line it leaves out weighs little)."""
    if sum(map(len, fuller)) <= sum(map(len, paragraphs)):
        return False
    keys = {match_key(p) for p in fuller}
    mine = [k for p in paragraphs if (k := match_key(p))]
    return bool(mine) and sum(len(k) for k in mine if k in keys) >= KEEP_SHARE * sum(map(len, mine))


_BODY_CHARS = XPath("string-length(normalize-space(//body))")
_LINK_TEXTS = XPath("//body//a//text()")
# the fast path's text under this share of the page's text outside links: on the open pages
# only where trafilatura's full cascade finds several times more (the next lowest share is 0.15)
FAST_SHARE = 0.12


def unlinked_chars(tree: HtmlElement) -> float:
    """The page's visible text outside links, in characters (whitespace runs counted once)."""
    links = sum(len(" ".join(t.split())) for t in _LINK_TEXTS(tree))
    return _BODY_CHARS(tree) - links


DUMP_CHARS = 1500  # one line this long is a page flattened, not a paragraph a writer wrote
DUMP_KEEP_SHARE = 0.3  # the full cascade's blocks replace a dump when they keep this share of it


def _one_block_dump(paragraphs: list[str]) -> bool:
    """At most two lines, one of them DUMP_CHARS or longer: trafilatura's last-resort body text."""
    return 0 < len(paragraphs) <= 2 and max(map(len, paragraphs)) >= DUMP_CHARS


# a line this short is a menu entry or a list's item ("October 19: Washington DC"), not prose
MENU_LINE_WORDS = 5


def menu_like(paragraphs: list[str]) -> bool:
    """Mostly lines of a few words: a navigation dump or a widget's list of links (a tour's
    dates, an archive) rather than an article."""
    short = sum(1 for p in paragraphs if len(p.split()) <= MENU_LINE_WORDS)
    return len(paragraphs) >= 20 and short > 0.6 * len(paragraphs)


def run_trafilatura(tree: HtmlElement, url: str | None, fast: bool) -> list[str]:
    doc = bare_extraction(
        tree,
        url=url,
        fast=fast,
        include_comments=False,
        include_images=False,
        include_tables=True,
        with_metadata=False,
    )
    if doc is None or doc.body is None:
        return []
    text = xmltotxt(doc.body, False) or ""
    return [line for raw in text.split("\n") if (line := clean_space(raw))]


def outlet_paragraphs(body: HtmlElement) -> list[str]:
    return [event.text for event in walk_blocks(body) if event.kind == "para"]


def json_ld_paragraphs(body: str | None) -> list[str]:
    if not body:
        return []
    return [clean_space(line) for line in re.split(r"\n+|<br\s*/?>", body) if clean_space(line)]


def filter_paragraphs(
    paragraphs: list[str],
    title: str | None,
    lede: str | None,
    captions: set[str],
    is_teaser,
) -> list[str]:
    """Remove repeats of the title/lede, caption lines, teasers and consecutive duplicates.

    ``lede`` is passed only when the page shows it apart from the body (subtitle element);
    a description that merely repeats the first body paragraph stays in the text.
    """
    title_key = match_key(title) if title else None
    lede_key = match_key(lede) if lede else None
    out: list[str] = []
    previous = None
    for i, para in enumerate(paragraphs):
        key = match_key(para)
        if not key:
            continue
        if not out and para.isupper() and len(para) <= 20 and len(para.split()) <= 2:
            continue  # a badge before the text ("LIVE", "ΑΠΟΚΛΕΙΣΤΙΚΟ")
        if title_key and key == title_key and (i < 3 or len(key) > 20):
            continue
        if is_furniture(para):
            continue
        if lede_key and key == lede_key and len(out) < 3:
            continue
        if key in captions:
            continue
        if len(para) < 400 and is_teaser(para):
            continue
        if len(para) < 70 and _DATE_LINE.search(para.lower()) and len(_WORD.findall(para)) <= 9:
            continue
        if key == previous:
            continue  # the same paragraph twice in a row is a markup echo, not the author's text
        previous = key
        out.append(para)
    return out


_END_LINES = frozenset(fold_words(line) for line in END_OF_ARTICLE_LINES)  # as lines are compared


def ends_article(para: str) -> bool:
    """A line that is only a comments/feed label ("Σχόλια (3)", "Leave a reply")."""
    if len(para) > 40:
        return False
    key = COMMENT_COUNT_HEAD.sub("", fold_words(para).strip(" :.-–|"))
    return any(key.startswith(label) and COMMENT_COUNT_TAIL.match(key[len(label) :]) for label in _END_LINES)


def link_keys(tree: HtmlElement) -> set[str]:
    """Matching keys of every link's text: a paragraph that is one whole link is a teaser, a feed
    entry or a menu item (a legacy layout's feed cell has no class saying so), never prose."""
    return {key for a in tree.iter("a") if (key := match_key(a.text_content()))}


LINK_RUN = 3  # this many link lines in a row are a list of other pages, not the article's prose
LINK_LINE_CHARS = 160
LINK_SHARE = 0.7


def _link_line(para: str, links: set[str]) -> bool:
    """A short line that is mostly the text of links ("Headline [Section]", "Home | News")."""
    if len(para) > LINK_LINE_CHARS:
        return False
    key = match_key(para)
    if not key:
        return False
    if key in links:
        return True
    pieces = {match_key(piece) for piece in _LINK_SEPARATORS.split(para)}
    covered = sum(len(piece) for piece in pieces if piece in links)
    return covered >= LINK_SHARE * len(key)


# what sits between links on one line: "Headline [Section]", "Home | News", "A · B", "A - B"
_LINK_SEPARATORS = re.compile(r"\s*(?:[|\[\]()·•»«/,:]|\s[-–—]\s)\s*")


def may_open_or_close_with_links(paragraphs: list[str]) -> bool:
    """True when the first or the last LINK_RUN lines are all short enough to be links' texts
    (the page's links are only gathered then)."""
    if len(paragraphs) < LINK_RUN:
        return False
    ends = (paragraphs[:LINK_RUN], paragraphs[-LINK_RUN:])
    return any(all(len(p) <= LINK_LINE_CHARS for p in end) for end in ends)


def drop_link_runs(paragraphs: list[str], links: set[str]) -> list[str]:
    """Drop a run of LINK_RUN or more lines that are links' texts at the start or the end of the
    text: the related list, the "most viewed" box or a layout column's feed that the extractor
    read with the article. Inside the text such a run is the article's own list and stays."""
    start = 0
    while start < len(paragraphs) and _link_line(paragraphs[start], links):
        start += 1
    if start == len(paragraphs) or start < LINK_RUN:
        start = 0  # all of it links: a list page, not a text with a list around it
    end = len(paragraphs)
    while end > start and _link_line(paragraphs[end - 1], links):
        end -= 1
    if len(paragraphs) - end < LINK_RUN or end == 0:
        end = len(paragraphs)
    return paragraphs[start:end]


COMMENTS_AFTER_CHARS = 80  # a label ends the article only after this much text


def cut_at_comments(paragraphs: list[str]) -> list[str]:
    """The text up to a comments or feed label line: in a body of bare text separated by
    <br><br>, the readers' comments and the feed share the article's container.

    A label before a sentence's worth of text is a menu item ("new | past | comments" over a
    table of links kept whole): cutting there left such pages with no text at all.
    """
    seen = 0
    for i, para in enumerate(paragraphs):
        if seen >= COMMENTS_AFTER_CHARS and ends_article(para):
            return paragraphs[:i]
        seen += len(para)
    return paragraphs


RIGHTS_TAIL = 4  # a rights notice among the last few lines ends the article,
RIGHTS_FOOTER_TAIL = 8  # or in the last half of them (at least the last 8) when only short lines
# follow it (links, "Page 1 of 1", the related list of a page dumped whole)
RIGHTS_LINE_CHARS = 300
FOOTER_LINE_CHARS = 200


def cut_rights_notice(paragraphs: list[str]) -> list[str]:
    """The text up to a site's rights notice among its last lines: what follows it (the terms,
    the privacy links) is the footer too. A long paragraph naming copyright is the article's."""
    count = len(paragraphs)
    for i in range(max(1, min(count - RIGHTS_FOOTER_TAIL, count // 2)), count):
        para = paragraphs[i]
        if len(para) >= RIGHTS_LINE_CHARS or not RIGHTS_LINE.search(para):
            continue
        if i >= count - RIGHTS_TAIL or all(len(p) < FOOTER_LINE_CHARS for p in paragraphs[i + 1 :]):
            return paragraphs[:i]
    return paragraphs


CALL_HEAD = 1  # the first line, and
CALL_TAIL = 3  # the last three, are where a site's calls to its readers sit around the text
CALL_MIN_LINES = 3  # a text of one or two lines is left as it is


def drop_calls_to_action(paragraphs: list[str]) -> list[str]:
    """The text without short calls to the reader at its edges ("Sign up for our newsletter",
    "Follow us", "Related articles:", "Posted by David at ..."): boxes beside the article that an
    extractor read along with it. A longer paragraph that names a newsletter is the article's."""
    count = len(paragraphs)
    if count < CALL_MIN_LINES:
        return paragraphs
    return [
        para
        for i, para in enumerate(paragraphs)
        if not (
            (i < CALL_HEAD or i >= count - CALL_TAIL)
            and len(words := _WORD.findall(para)) <= CALL_TO_ACTION_WORDS
            and not (len(words) > CALL_SENTENCE_WORDS and _SENTENCE_END.search(para))
            and CALL_TO_ACTION_LINE.search(fold_words(para))
        )
    ]


def drop_fine_print(paragraphs: list[str]) -> list[str]:
    """The text without a site's fine print: affiliate and advertiser disclosures, the consent line
    of a signup form. Themes print them above, inside or under any article, so they go wherever
    they stand; a long paragraph or a quoted one is someone's prose about such things."""
    return [para for para in paragraphs if not is_fine_print(para)]


def is_fine_print(para: str) -> bool:
    lowered = para.lower()
    if not any(word in lowered for word in _FINE_PRINT_WORDS):  # cheap: most lines hold none
        return False
    return (
        len(_WORD.findall(para)) <= FINE_PRINT_WORDS
        and not _QUOTED.search(para)
        and bool(FINE_PRINT_LINE.search(fold_words(para)))
    )


_QUOTED = re.compile(r"[«»\"“”„‘‹›]")  # a quote: someone's words, whatever they say
# a word every FINE_PRINT_LINE alternative holds, looked for in the lowered line before folding it
_FINE_PRINT_WORDS = (
    "disclos",
    "affiliate",
    "commission",
    "compensat",
    "fee",
    "purchases",
    "independently",
    "agree",
    "consent",
    "acknowledg",
    "accept",
    "paid",
    "policy",
    "συμφων",
    "αποδεχ",
    "αποδέχ",
)


# a line of more than a few words ending as a sentence ends (or a quote closes) is someone's
# sentence ("Follow us on the road as the story develops.", "«Ακολουθήστε την παλαιά εθνική
# οδό», συνέστησε η Τροχαία."); a call to the reader is a label or ends in "!"
CALL_SENTENCE_WORDS = 6
_SENTENCE_END = re.compile(r"[.;:»\"”’']\s*$")


def split_bylines(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Byline lines ("Του Γιώργου Παπαδόπουλου", "By Jane Doe") among the first two paragraphs or
    the last one: out of the text, and returned so they can become the authors."""
    bylines: list[str] = []
    kept: list[str] = []
    last = len(paragraphs) - 1
    for i, para in enumerate(paragraphs):
        if (i < 2 or i == last) and len(para) < 80 and BYLINE_LINE.match(para):
            bylines.append(para)
            continue
        kept.append(para)
    return kept, bylines


_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def text_size(text: str) -> int:
    """Words for size comparisons: whitespace words, plus one per two characters of the scripts
    written without spaces (Chinese, Japanese), whose sentence is one "word" to ``split``."""
    return word_count(text) + len(_UNSPACED.findall(text)) // 2


def word_count(text: str) -> int:
    """Words as a reader counts them: whitespace-separated tokens with a letter or digit ("2,4%" is one)."""
    return len(_WORDY_TOKEN.findall(text))
