"""Delete boilerplate from the parsed page before any extractor sees it.

Like trafilatura's own ``htmlprocessing``, cleaning is kept apart from extracting: the
profile's prune selectors go first, then every block opened by a boilerplate heading
("Σχόλια αναγνωστών", "Ρoή Ειδήσεων" with a Latin o, "Related"), then inline teaser
paragraphs ("Διαβάστε επίσης: ..."). Guards keep the article itself: a block is never
climbed into a container holding the h1 or the article body.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extraction.patterns import IMAGE_FORMATS
from crawler.extraction.profile import Profile
from crawler.extraction.selectors import select
from crawler.extraction.textnorm import fold_words, prefix_regex

HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_HEADING_LIKE = HEADING_TAGS | {"div", "span", "p", "strong", "b", "header", "em", "dt"}
_INLINE = {"span", "strong", "b", "em"}
# text nodes are the cheap way in: a regex prefilter on them, python folding only on hits
_TEXT_NODES = XPath(".//text()[normalize-space(.)]")
_LABEL_TAIL = re.compile(r"^[\W\d_]*$")
_SKIP_TAGS = {"html", "body", "head"}
_MAX_HEADING_CHARS = 60


def _text(el: HtmlElement) -> str:
    return el.text_content() if isinstance(el, HtmlElement) else ""


def head_text(el: HtmlElement, limit: int) -> str:
    """The first ``limit``+ characters of an element's text, without serialising all of it."""
    parts, size = [], 0
    for piece in el.itertext():
        parts.append(piece)
        size += len(piece)
        if size > limit:
            break
    return "".join(parts)


def _rank(el: HtmlElement) -> int:
    return int(el.tag[1]) if el.tag in HEADING_TAGS else 3


_TEASER_TAGS = {"p", "div", "li", "aside", "section", "blockquote", "body", "html"}


@lru_cache(maxsize=64)
def _prefix(phrases: tuple[str, ...]):
    return prefix_regex(phrases)


@lru_cache(maxsize=64)  # a profile's phrases are folded once, not on every page
def _heading_matcher(phrases: tuple[str, ...], loose: bool = True):
    """``matches(text)``: the text is one of ``phrases``, or one with a label tail ("Σχόλια (12)",
    "Related:"), or (``loose``) one followed by one more word ("Δημοφιλή άρθρα", "More from X")."""
    folded = sorted({fold_words(p) for p in phrases if p.strip()}, key=len, reverse=True)

    def matches(text: str) -> bool:
        key = fold_words(text)
        if not key or len(key) > _MAX_HEADING_CHARS:
            return False
        for phrase in folded:
            if key == phrase:
                return True
            if key.startswith(phrase):
                rest = key[len(phrase) :]
                if rest[:1].isalnum():
                    continue
                if _LABEL_TAIL.match(rest) or (loose and len(rest.split()) <= 1):
                    return True
        return False

    return matches


def _holds_prose(elements: list[HtmlElement]) -> bool:
    """A paragraph of running text among ``elements``."""
    return any(_running_text(p) for el in elements for p in el.iter("p"))


def _running_text(el: HtmlElement) -> bool:
    """150+ characters mostly outside links: a paragraph of the article, not a teaser or a menu."""
    return len(_text(el).strip()) > 150 and not _mostly_link(el)


def _is_protected(el: HtmlElement, protected: set[HtmlElement]) -> bool:
    """True when ``el`` is or contains the title or the article body."""
    if el in protected:
        return True
    return any(d in protected for d in el.iterdescendants())


def _first_text_child(parent: HtmlElement, child: HtmlElement) -> bool:
    """True when nothing with text precedes ``child`` inside ``parent``."""
    if (parent.text or "").strip():
        return False
    for sib in parent:
        if sib is child:
            return True
        if _text(sib).strip() or sib.tag == "img":
            return False
    return False


def _starts_section(el: HtmlElement, rank: int, protected: set[HtmlElement]) -> bool:
    if _is_protected(el, protected):
        return True
    if el.tag in HEADING_TAGS and _rank(el) <= rank:
        return True
    opening = _opening_heading(el)
    if opening is not None and _rank(opening) <= rank and not _mostly_link(opening):
        # a wrapper led by its own heading ("<div><h2>FAQ</h2>...</div>") is a new section; a
        # teaser list's headings are links to other pages and stay in the block
        return True
    return (el.tag == "p" or _paragraph_like(el)) and _running_text(el)


_BLOCK_TAGS = frozenset(
    {"p", "div", "ul", "ol", "li", "table", "section", "article", "aside", "figure", "blockquote", "form",
     "header", "footer", "nav", *HEADING_TAGS}
)  # fmt: skip


def _paragraph_like(el: HtmlElement) -> bool:
    """A div (or section, blockquote) holding text and inline markup only: a paragraph in all but
    name, as editors that write ``<div>`` per paragraph make them."""
    return el.tag in {"div", "section", "blockquote"} and not any(
        isinstance(child.tag, str) and child.tag in _BLOCK_TAGS for child in el.iterdescendants()
    )


def _continues_sentence(el: HtmlElement) -> bool:
    """True when the text after an inline element goes on in lower case: one sentence, no label."""
    tail = (el.tail or "").lstrip(" \u00a0")
    return bool(tail) and tail[0].isalpha() and tail[0].islower()


def _opening_heading(el: HtmlElement) -> HtmlElement | None:
    """The h1-h6 holding ``el``'s first text, if that text is a heading's."""
    first = next(iter(_TEXT_NODES(el)), None)
    if first is None:
        return None
    node = first.getparent()
    while node is not None:
        if node.tag in HEADING_TAGS:
            return node
        if node is el:
            return None
        node = node.getparent()
    return None


def _mostly_link(el: HtmlElement) -> bool:
    linked = sum(len(_text(a)) for a in el.iterfind(".//a[@href]"))
    return linked * 2 >= len(_text(el).strip())


def remove_heading_blocks(
    root: HtmlElement,
    profile: Profile,
    protected: set[HtmlElement],
    texts: list | None = None,
    removed: list | None = None,
) -> int:
    """Remove every boilerplate heading together with the block it opens; returns how many."""
    matches = _heading_matcher(profile.boilerplate_headings)
    exact = _heading_matcher(profile.boilerplate_headings, loose=False)
    prefix = _prefix(profile.boilerplate_headings)
    candidates: list[HtmlElement] = []
    for text in _TEXT_NODES(root) if texts is None else texts:
        if len(text) > _MAX_HEADING_CHARS * 2 or not prefix.match(text):
            continue
        el = text.getparent()
        if text.is_tail:
            el = el.getparent()
        # the heading is the largest heading-like ancestor whose whole text is still the phrase
        heading = None
        while (
            el is not None and el.tag not in _SKIP_TAGS and len(el.text_content()) <= _MAX_HEADING_CHARS * 2
        ):
            if el.tag in _HEADING_LIKE and matches(el.text_content()):
                heading = el
            el = el.getparent()
        if heading is None or heading in protected or heading in candidates:
            continue
        if heading.tag in _INLINE and _continues_sentence(heading):
            continue  # "<p><span>More from Cornell</span> on climate change:</p>" is prose
        if heading.tag not in HEADING_TAGS and any(child.tag in _HEADING_LIKE - _INLINE for child in heading):
            continue
        candidates.append(heading)

    count = 0
    for heading in candidates:
        if heading.getparent() is None or not _attached(heading, root):
            continue
        rank = _rank(heading)
        block = heading
        while True:
            parent = block.getparent()
            if parent is None or parent.tag in _SKIP_TAGS or _is_protected(parent, protected):
                break
            if not _first_text_child(parent, block):
                break
            rest = len(_text(parent)) - len(_text(block))
            if rest > 40:
                break
            block = parent
        if block.tag in _INLINE:
            # "<div><strong>Newsletter</strong> Εγγραφείτε...</div>": a small box led by the label
            box = block.getparent()
            if (
                box is not None
                and box.tag in {"div", "section", "aside"}
                and _first_text_child(box, block)
                and len(_text(box)) < 300
                and not _is_protected(box, protected)
            ):
                _drop(box, removed)
                count += 1
            continue
        # the block's own following siblings belong to the section until a new section starts
        parent = block.getparent()
        if parent is None:
            continue
        section: list[HtmlElement] = []
        for sib in block.itersiblings():
            if _starts_section(sib, rank, protected) or _after_the_links(sib, section):
                break
            section.append(sib)
        if not exact(heading.text_content()) and _holds_prose(section):
            continue  # "Recommended courses:" over the article's own reviews is a heading of it
        for sib in section:
            parent.remove(sib)
            if removed is not None:
                removed.append(sib)
        _drop(block, removed)
        count += 1
    return count


def _after_the_links(sib: HtmlElement, section: list[HtmlElement]) -> bool:
    """True when ``sib`` holds text and no link while the section so far is a run of links: the
    list the heading opened is over and the article goes on (a related box in mid-article)."""
    if not section or not _text(sib).strip() or sib.find(".//a[@href]") is not None:
        return False
    return all(el.find(".//a[@href]") is not None or not _text(el).strip() for el in section)


def _attached(el: HtmlElement, root: HtmlElement) -> bool:
    while el is not None:
        if el is root:
            return True
        el = el.getparent()
    return False


def _drop(el: HtmlElement, removed: list | None = None) -> None:
    """Remove an element but keep its tail text (which belongs to the parent); ``removed``
    collects what was cut, so later stages can recognise that text as boilerplate."""
    parent = el.getparent()
    if parent is None:
        return
    if removed is not None:
        removed.append(el)
    had_words = bool(el.text_content().strip())
    el.drop_tree()
    if had_words and (card := _emptied_link(parent)) is not None:
        _drop(card, removed)


def _emptied_link(node: HtmlElement) -> HtmlElement | None:
    """The link card around a cut block (a "Read also" box made one ``<a>`` with its thumbnail)
    when the cut took all its words: its picture is the teaser's, not the article's."""
    for _ in range(2):
        if node is None or not isinstance(node.tag, str):
            return None
        if node.tag == "a":
            href = (node.get("href") or "").strip().lower()
            if (
                not href
                or href.startswith(("#", "javascript:", "mailto:"))
                or href.split("?")[0].split("#")[0].rsplit(".", 1)[-1] in IMAGE_FORMATS
            ):
                return None
            return node if not node.text_content().strip() and node.find(".//img") is not None else None
        node = node.getparent()
    return None


@lru_cache(maxsize=64)
def teaser_matcher(patterns: tuple[str, ...]):
    """``matches(text)``: the text opens with one of ``patterns`` as a whole word; a pattern written
    with a colon ("Related:", "Lire aussi :") only as a label, followed by its colon,
    since its words alone open sentences of the author's ("Related to this, the council...")."""
    wanted = [p.strip() for p in patterns if p.strip()]
    words = tuple(fold_words(p) for p in wanted if not p.endswith(":"))
    labels = [fold_words(p.rstrip(":")) for p in wanted if p.endswith(":")]
    label = re.compile("|".join(re.escape(p) + r"\s*:" for p in labels)) if labels else None
    prefix = _prefix(tuple(p.rstrip(":") for p in patterns))

    def matches(text: str) -> bool:
        if not prefix.match(text):
            return False
        key = _LEADING_MARKS.sub("", fold_words(text[:80]))
        if not key:
            return False
        if label is not None and label.match(key):
            return True
        return any(key.startswith(p) and not key[len(p) : len(p) + 1].isalnum() for p in words)

    return matches


_LEADING_MARKS = re.compile(r"^[\W_]+")


def remove_teasers(
    root: HtmlElement,
    profile: Profile,
    protected: set[HtmlElement],
    texts: list | None = None,
    removed: list | None = None,
) -> int:
    """Drop inline "Διαβάστε επίσης: <a>..</a>" paragraphs; returns how many."""
    matches = teaser_matcher(profile.inline_teaser_patterns)
    doomed = []
    prefix = _prefix(tuple(p.rstrip(":") for p in profile.inline_teaser_patterns))
    for text in _TEXT_NODES(root) if texts is None else texts:
        if not prefix.match(text):
            continue
        el = text.getparent()
        if text.is_tail:
            el = el.getparent()
        while el is not None and el.tag not in _TEASER_TAGS:
            el = el.getparent()
        if el is None or el in protected or el in doomed or el.tag in _SKIP_TAGS:
            continue
        if any(child.tag in {"p", "div", "section"} for child in el.iterdescendants()):
            continue
        if el.find(".//a") is not None and len(el.text_content()) < 400 and matches(head_text(el, 60)):
            doomed.append(el)
    for el in doomed:
        _drop(el, removed)
    return len(doomed)


# consent/cookie banners sit outside any article and must never be mistaken for one
# (matched on the attribute nodes: testing five attributes of every element costs twice as much)
_CONSENT = XPath(
    "//@class[contains(., 'cookie') or contains(., 'consent') or contains(., 'gdpr')]/.."
    " | //@id[contains(., 'cookie') or contains(., 'consent')]/.."
)


SIGNUP_BOX_CHARS = 400  # a signup box says a line or two besides its form; more is the article


def _asks_email(form: HtmlElement) -> bool:
    """A form asking for an e-mail address and nothing to write: a newsletter or membership
    signup (a comment or contact form has a text box, and trafilatura weighs its own way)."""
    if next(form.iter("textarea"), None) is not None:
        return False
    for field in form.iter("input"):
        marks = " ".join(
            filter(None, (field.get(a) for a in ("type", "name", "id", "placeholder", "autocomplete")))
        )
        if _EMAIL_FIELD.search(marks):
            return True
    return False


_EMAIL_FIELD = re.compile(r"e-?mail", re.I)


SIGNUP_LINE_CHARS = 120  # a box's promise is a line; a paragraph this long is the article's,
# unless it speaks of the signup itself (the consent line, "check your e-mail")
_SIGNUP_WORDS = re.compile(r"e-?mail|subscri|newsletter|spam|privacy|consent|εγγραφ|απορρητ|συναινε", re.I)
_SIGNUP_MEDIA = ("picture", "figure", "video", "iframe")  # a bare <img> may be the box's envelope


def _holds_article_matter(block: HtmlElement, form: HtmlElement) -> bool:
    """``block`` holds, besides ``form``, a figure or a paragraph-sized line about something
    else than the signup: a short article's text or its picture."""
    inside = set(form.iter())
    for el in block.iter(*_SIGNUP_MEDIA, "p", "li"):
        if el in inside:
            continue
        if el.tag in _SIGNUP_MEDIA:
            return True
        text = el.text_content().strip()
        if len(text) >= SIGNUP_LINE_CHARS and not _SIGNUP_WORDS.search(text):
            return True
    return False


def remove_signup_boxes(root: HtmlElement, protected: set[HtmlElement], removed: list | None = None) -> int:
    """Remove newsletter signup boxes, form and all: the box's heading and its promise ("Stay
    informed", "No spam, unsubscribe any time") stand beside the form as text an extractor would
    read into the article. The box is the highest block around the form with little other text."""
    count = 0
    for form in list(root.iter("form")):
        if form.getparent() is None or not _asks_email(form):
            continue
        if len(form.text_content()) > SIGNUP_BOX_CHARS:
            continue  # a page-wide form (ASP.NET wraps the whole page in one), not a signup box
        box = form
        for up in form.iterancestors():
            if up.tag in ("body", "html", "main", "article") or up in protected:
                break
            if len(up.text_content()) - len(form.text_content()) > SIGNUP_BOX_CHARS:
                break
            if _holds_article_matter(up, form):
                break  # a short article's text or its picture beside the form: not the box
            box = up
        if not _is_protected(box, protected):
            _drop(box, removed)
            count += 1
    return count


def remove_consent_banners(
    root: HtmlElement, protected: set[HtmlElement], removed: list | None = None
) -> int:
    doomed = [
        _banner_around(el, protected)
        for el in _CONSENT(root)
        if el.tag not in _SKIP_TAGS and len(head_text(el, 800)) < 800 and not _is_protected(el, protected)
    ]
    for el in doomed:
        if el.getparent() is not None:
            _drop(el, removed)
    return len(doomed)


_BANNER_LEVELS = 4
_BANNER_CHARS = 600  # a consent message and its buttons; more text is a page's
_BANNER_STOP = frozenset({"html", "body", "main", "article"})
_COOKIE_WORDS = re.compile(r"cookie|consent|gdpr", re.I)


def _banner_around(el: HtmlElement, protected: set[HtmlElement]) -> HtmlElement:
    """The whole banner around a marked consent control: the marks are often only on its buttons
    ("eu-cookie-compliance-more-button") while the message sits beside them in plain <div>s. The
    banner is the highest small wrapper whose other text speaks of cookies itself."""
    own = el.text_content()
    banner = el
    for node in list(el.iterancestors())[:_BANNER_LEVELS]:
        if node.tag in _BANNER_STOP:
            break
        text = head_text(node, _BANNER_CHARS)
        if len(text) > _BANNER_CHARS or _prose_beside_cookies(node):
            break
        if node.find(".//h1") is not None or _is_protected(node, protected):
            break
        if _COOKIE_WORDS.search(text.replace(own, "", 1)):
            banner = node
    return banner


_BANNER_PROSE = 120  # characters of paragraphs that never speak of cookies: a text, not a banner


def _prose_beside_cookies(node: HtmlElement) -> bool:
    """Paragraphs inside ``node`` that say nothing of cookies (a short post holding two cookie
    placeholders of embeds): the climb must not take them for a banner's message."""
    size = 0
    for para in node.iter("p"):
        text = para.text_content()
        if not _COOKIE_WORDS.search(text):
            size += len(text.strip())
    return size > _BANNER_PROSE


_INLINE_TAGS = frozenset(
    {
        "a",
        "b",
        "i",
        "em",
        "strong",
        "font",
        "span",
        "u",
        "small",
        "big",
        "sup",
        "sub",
        "img",
        "br",
        "abbr",
        "q",
    }
)


_LAYOUT_CELL_CHARS = 300  # a table cell holding this much text is a page column, not data
# in a data grid (a glossary, a comparison chart) a cell may hold a few sentences; a grid cell
# this long is a page column all the same
_GRID_CELL_CHARS = 1000
_TABLE_PARTS = {
    "table": "div",
    "tbody": "div",
    "thead": "div",
    "tfoot": "div",
    "tr": "div",
    "td": "div",
    "th": "div",
}


def _data_grid(table: HtmlElement) -> bool:
    """Four or more rows of the same two or more columns: a data table (a comparison chart, a
    schedule), even when an editor wrapped its cells' text in <p> or <div>; a layout table has a
    row or two of columns. Columns count a cell's ``colspan``: a title or section row spanning the
    table ("Vegetables", "Prices in 2024") is the table's own row, not another layout."""
    rows = [tr for tr in table.iter("tr") if _owner_table(tr) is table]
    widths = {sum(_span(c) for c in tr if c.tag in ("td", "th")) for tr in rows}
    return len(rows) >= 4 and len(widths) == 1 and min(widths) >= 2


def _span(cell: HtmlElement) -> int:
    """The columns a cell covers (its ``colspan``, 1 when absent or not a number)."""
    value = (cell.get("colspan") or "").strip()
    return int(value) if value.isdigit() and 0 < int(value) < 100 else 1


def _owner_table(el: HtmlElement) -> HtmlElement | None:
    node = el.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node


def unwrap_layout_tables(root: HtmlElement) -> int:
    """Turn tables used for page layout (a cell holding another table, block elements or a
    column of text) into plain ``div`` blocks, so extractors see columns, not one data table whose
    cells (the menu, the article, the news feed beside it) are read as one row. Returns how many."""
    layout = []
    for table in root.iter("table"):
        grid = _data_grid(table)
        for cell in table.iter("td", "th"):
            if cell.find(".//table") is not None or (
                not grid and (cell.find(".//p") is not None or cell.find(".//div") is not None)
            ):
                layout.append(table)
                break
            if len(cell.text_content()) > (_GRID_CELL_CHARS if grid else _LAYOUT_CELL_CHARS):
                layout.append(table)
                break
    for table in layout:
        for el in [table, *table.iter("tbody", "thead", "tfoot", "tr", "td", "th")]:
            if el.tag in _TABLE_PARTS:
                el.tag = _TABLE_PARTS[el.tag]
    return len(layout)


_MIN_BR_BODY = 300  # characters: shorter <br> runs are addresses, menus or captions, not a body


def split_br_paragraphs(root: HtmlElement, ends_article, removed: list | None = None) -> int:
    """Turn a container of bare text separated by ``<br><br>`` into ``<p>`` paragraphs.

    Legacy and hand-made CMS bodies have no <p>: extractors then read the cell as one line and
    cannot tell the article from what follows it in the same container. After the split every
    paragraph stands alone, and a paragraph that is a comments/feed label (``ends_article``)
    ends the article there: it and everything after it in the container are dropped (and put in
    ``removed``, so the trafilatura floor knows them for boilerplate). Returns how many containers
    were split.
    """
    count = 0
    for el in list(root.iter("td", "div")):
        brs = el.findall("br")
        if len(brs) < 2 or any(isinstance(c.tag, str) and c.tag not in _INLINE_TAGS for c in el):
            continue
        if len(el.text_content()) < _MIN_BR_BODY:
            continue
        runs: list[list] = [[]]
        lead = el.text or ""
        previous_br = False
        for child in list(el):
            if isinstance(child.tag, str) and child.tag == "br":
                tail = child.tail or ""
                if previous_br and runs[-1]:
                    runs.append([])
                previous_br = not tail.strip()
                runs[-1].append(("br", child, tail))
            else:
                previous_br = False
                runs[-1].append(("el", child, child.tail))
        if len(runs) < 2:
            continue
        el.text = None
        for child in list(el):
            child.tail = None
            el.remove(child)
        target = el
        for index, run in enumerate(runs):
            para = _run_paragraph(el, run, lead if index == 0 else None)
            text = para.text_content().strip()
            if target is el and text and ends_article(text):
                # what follows is the readers' or the site's: cut, and known as boilerplate
                target = el.makeelement("div", {})
                if removed is not None:
                    removed.append(target)
            if text or para.find(".//img") is not None:
                target.append(para)
        count += 1
    return count


_HOLDS_BLOCKS = XPath("boolean(.//p | .//div | .//table | .//ul | .//ol | .//blockquote)")
_LOOSE_MIN_CHARS = 60  # a loose run this long is a sentence of the text, not a label or a date
_LOOSE_HOSTS = ("div", "td", "th", "span", "font", "section", "article", "main", "center", "body")


def wrap_loose_text(root: HtmlElement) -> int:
    """Wrap sentence-sized text lying loose between the paragraphs of a container (its leading
    text, a table's or a div's tail) into a ``<p>`` of its own. Returns how many.

    Old CMS bodies set the first paragraph after an image table ("<table>..photo..</table>The
    government of..<p>Lawmakers..") and rich-text editors leave text between blocks: trafilatura's
    fast path reads blocks and drops such text, so the article loses its opening.
    """
    count = 0
    for host in list(root.iter(*_LOOSE_HOSTS)):
        if host.find("p") is None:
            continue  # no paragraphs beside the text: not a body whose opening lost its tag
        runs: list[tuple[HtmlElement | None, list[HtmlElement]]] = [(None, [])]
        wrapped = False
        for child in host:
            if isinstance(child.tag, str) and (child.tag not in _INLINE_TAGS or _HOLDS_BLOCKS(child)):
                runs.append((child, []))  # a block, or a <span>/<font> wrapping whole paragraphs
            else:
                runs[-1][1].append(child)
        for anchor, inline in runs:
            lead = (host.text if anchor is None else anchor.tail) or ""
            if not _loose_prose(lead, inline):
                continue
            para = host.makeelement("p", {})
            para.text = lead
            for node in inline:
                para.append(node)  # moves it, its tail with it
            if anchor is None:
                host.text = None
                host.insert(0, para)
            else:
                anchor.tail = None
                anchor.addnext(para)
            wrapped = True
            count += 1
        if wrapped:
            # the body's other paragraphs, written as <div>s, are paragraphs too: trafilatura,
            # now finding <p>s here, may read those alone and drop the <div>s beside them
            for child in host:
                if isinstance(child.tag, str) and child.tag == "div" and _prose_leaf(child):
                    child.tag = "p"
    return count


def paragraph_divs(root: HtmlElement) -> int:
    """Rename to ``<p>`` every ``<div>`` an editor wrote as a paragraph (``_prose_leaf``: no class
    or id, no block inside, a sentence of running text). Returns how many.

    trafilatura reads ``<div>`` text only while the whole page has little ``<p>`` text
    (``DIV_SWITCH_CHARS``). Pages of bare text and ``<br>``s, and editors writing each paragraph
    as a ``<div>``, are below it; the paragraphs ``split_br_paragraphs`` and ``wrap_loose_text``
    make lift them over it, and trafilatura would then drop the ``<div>`` paragraphs it read on
    the page as served. Called only in that case, so trafilatura reads them as before.
    """
    count = 0
    for div in list(root.iter("div")):
        if _prose_leaf(div):
            div.tag = "p"
            count += 1
    return count


def p_text_chars(root: HtmlElement) -> int:
    """Characters of ``<p>`` text on the page: an estimate of what trafilatura counts for its
    ``<div>`` switch (it counts after its own cleaning, so on pages near the line it may differ)."""
    return len("".join(_P_TEXT(root)))


_P_TEXT = XPath("//p//text()")
DIV_SWITCH_CHARS = 750  # trafilatura's MIN_EXTRACTED_SIZE (250) times its recall factor (3)


def _prose_leaf(div: HtmlElement) -> bool:
    """A ``<div>`` an editor wrote as a paragraph: no class or id (a classed one is a component: a
    lede, a caption, a byline, a widget), no block inside, a sentence of text."""
    if div.get("class") or div.get("id"):
        return False
    if next(div.iterancestors("p"), None) is not None:
        return False  # a <p> inside a <p>: trafilatura drops the text after it
    if any(isinstance(c.tag, str) and (c.tag not in _INLINE_TAGS or _HOLDS_BLOCKS(c)) for c in div):
        return False
    return _loose_prose(div.text or "", list(div))


def _loose_prose(lead: str, inline: list) -> bool:
    """A loose run holds a sentence: one piece of text outside links of LOOSE_MIN_CHARS, and more
    text outside links than in them (links with a date and a section between them are a list of
    teasers, not a paragraph)."""
    pieces = [lead.strip()]
    linked = 0
    for node in inline:
        if isinstance(node.tag, str) and (node.tag == "a" or node.find(".//a") is not None):
            linked += len(node.text_content().strip())
        elif isinstance(node.tag, str):
            pieces.append(" ".join(node.text_content().split()))
        pieces.append((node.tail or "").strip())
    return max(map(len, pieces)) >= _LOOSE_MIN_CHARS and sum(map(len, pieces)) > linked


def _run_paragraph(el: HtmlElement, run: list, lead: str | None) -> HtmlElement:
    """One ``<p>`` from a run of inline nodes and single ``<br>``s (kept as line breaks)."""
    para = el.makeelement("p", {})
    para.text = lead
    last = None
    for kind, node, tail in run:
        if kind == "br":
            if last is not None and (tail or "").strip():
                para.append(node)
                node.tail = tail
                last = node
            elif (tail or "").strip():
                if last is None:
                    para.text = (para.text or "") + tail
                else:
                    last.tail = (last.tail or "") + tail
        else:
            para.append(node)
            node.tail = tail
            last = node
    return para


_CLOCK_TEXTS = XPath("//text()[contains(., ':') and string-length(normalize-space(.)) <= 5]")
_CLOCK = re.compile(r"^\s*\d{1,2}:\d{2}\s*$")
_CLOCK_IN_SOURCE = re.compile(r">\s*\d{1,2}:\d\d\s*<")  # a regex on the source is cheaper than the XPath


def _clock_holder(text) -> HtmlElement | None:
    """The outermost element printing only this time of day ("<div><time>07:29</time></div>")."""
    if text.is_tail or not _CLOCK.match(text):
        return None
    holder = text.getparent()
    while (parent := holder.getparent()) is not None and _CLOCK.match(parent.text_content()):
        holder = parent
    return None if (holder.tail or "").strip() else holder


def attach_entry_times(root: HtmlElement, source: str | None = None) -> int:
    """Join each entry's printed time to the entry, in lists of timed entries (a live blog).

    A live blog prints every entry's time in its own small block before the entry's text.
    Extractors drop so short a block as noise and the entries lose their times; moved to the
    start of the entry's first paragraph, the time stays with its text. Only where at least two
    sibling entries have this shape, so a lone time printed above an article is left alone.
    ``source`` (the page's HTML, optional) lets a page printing no lone time skip the search.
    Returns how many times were moved.
    """
    if source is not None and (first := _CLOCK_IN_SOURCE.search(source)) is None:
        return 0
    if source is not None and _CLOCK_IN_SOURCE.search(source, first.end() - 1) is None:
        return 0
    found: dict[HtmlElement, list[tuple[HtmlElement, HtmlElement]]] = {}
    for text in _CLOCK_TEXTS(root):
        holder = _clock_holder(text)
        entry = holder.getparent() if holder is not None else None
        after = holder.getnext() if holder is not None else None
        if entry is None or after is None or not isinstance(after.tag, str):
            continue
        first = after if after.tag == "p" else after.find(".//p")
        if first is not None and entry.getparent() is not None:
            found.setdefault(entry.getparent(), []).append((holder, first))
    moved = 0
    for entries in found.values():
        if len(entries) < 2:
            continue
        for holder, first in entries:
            first.text = f"{holder.text_content().strip()} {first.text or ''}"
            holder.drop_tree()
            moved += 1
    return moved


def prune_tree(
    root: HtmlElement,
    profile: Profile,
    protected: set[HtmlElement] | None = None,
    removed: list | None = None,
) -> dict[str, int]:
    """Prune ``root`` in place; returns counters (useful in ``--explain`` and tests).

    ``removed`` (optional) collects every element cut: the trafilatura floor reads their text
    as recognised boilerplate."""
    protected = protected or set()
    counts = {"selectors": 0}
    for selector in profile.prune_selectors:
        for el in select(root, selector):
            if el.getparent() is not None and not _is_protected(el, protected):
                _drop(el, removed)
                counts["selectors"] += 1
    counts["consent"] = remove_consent_banners(root, protected, removed)
    counts["signup"] = remove_signup_boxes(root, protected, removed)
    # one C-level pass over text nodes, one combined regex: only plausible openings go on
    either = _prefix(
        (*profile.boilerplate_headings, *(p.rstrip(":") for p in profile.inline_teaser_patterns))
    )
    texts = [t for t in _TEXT_NODES(root) if either.match(t)]
    counts["headings"] = remove_heading_blocks(root, profile, protected, texts, removed)
    counts["teasers"] = remove_teasers(root, profile, protected, texts, removed)
    counts["empty"] = unwrap_empty_blocks(root)
    return counts


_MEDIA = ("img", "picture", "video", "audio", "iframe", "svg", "amp-img", "object", "embed", "canvas")


def unwrap_empty_blocks(root: HtmlElement) -> int:
    """Remove the wordless, pictureless blocks pruning left (an ad slot without its script)
    that text follows: trafilatura drops the text after such a block inside a body of bare
    text and <br>s, while removing the block keeps that text where it stood."""
    doomed = [
        el
        for el in root.iter("div", "section")
        if (el.tail or "").strip()
        and not any(piece.strip() for piece in el.itertext())
        and next(el.iter(*_MEDIA), None) is None
    ]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the tail text
    return len(doomed)
