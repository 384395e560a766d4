"""The small metadata fields, one cascade each: lede, section, authors, tags, canonical URL, language.

Each cascade is the same order (outlet selectors, JSON-LD, meta tags, visible markup) unless a
field's nature says otherwise; ``Page.pick`` records the source that won.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from babel import localedata
from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extraction.page import Page, is_foreign, text_of
from crawler.extraction.patterns import (
    AUTHOR_CLASS,
    AUTHOR_MARKUP,
    AUTHOR_PREFIX,
    AUTHOR_SPLIT,
    BREADCRUMB_CLASS,
    BYLINE_LINE,
    DATE_TEXT,
    HOME_WORDS,
    LEDE_CLASS,
    NOT_A_LANGUAGE,
    SECTION_CLASS,
    TAG_LINKS,
)
from crawler.extraction.prune import head_text
from crawler.extraction.selectors import select, select_first
from crawler.extraction.textnorm import clean_space, fold_words, greek_ratio

_BYLINE_TAIL = re.compile(r"\s+[|•·/]\s+")


def clean_authors(names: list[str]) -> list[str]:
    """ "Του Γ. Παπαδόπουλου και της Μ. Κ." -> two names, without the byline words."""
    out: list[str] = []
    for name in names:
        # a byline box prints the date or a role after the name ("Γιώργος Π. | 04/03/2025 18:05")
        name = _BYLINE_TAIL.split(clean_space(name), maxsplit=1)[0]
        if found := DATE_TEXT.search(name):
            name = name[: found.start()]
        for part in AUTHOR_SPLIT.split(name):
            part = AUTHOR_PREFIX.sub("", part).strip(" .:-")
            if part and len(part) < 80 and part not in out:
                out.append(part)
    return out


# --- lede ----------------------------------------------------------------------------------------


def lede_after_title(title_el: HtmlElement | None) -> str | None:
    """A subtitle right after the headline (h2/h3 or a lede-like class): the cheap, reliable case."""
    if title_el is not None:
        sib = title_el.getnext()
        hops = 0
        while sib is not None and hops < 3:
            if isinstance(sib.tag, str) and (
                sib.tag in {"h2", "h3"} or LEDE_CLASS.search(sib.get("class") or "")
            ):
                text = text_of(sib)
                if text and len(text) > 20:
                    return text
            sib, hops = sib.getnext(), hops + 1
    return None


def _visible_lede(page: Page) -> str | None:
    for el in page.labels.matching("lede", LEDE_CLASS):
        if el.tag in {"div", "p", "h2", "span", "td"} and not is_foreign(el):
            text = text_of(el)
            if text and 20 < len(text) < 600:
                return text
    return None


def lede(page: Page, title_el: HtmlElement | None) -> str | None:
    return page.pick(
        "lede",
        ("outlet", text_of(select_first(page.tree, page.profile.lede_selector))),
        ("json-ld", page.ld.get("lede")),
        ("visible", lambda: lede_after_title(title_el)),
        ("meta", page.meta.get("lede")),
        ("visible", lambda: _visible_lede(page)),
    )


# --- section -----------------------------------------------------------------------------------


_HOME_KEYS = frozenset(fold_words(word) for word in HOME_WORDS)  # folded as the names are ("ς" -> "σ")


def _visible_section(page: Page, title: str | None) -> str | None:
    title_key = fold_words(title) if title else None
    for el in page.labels.matching("breadcrumb", BREADCRUMB_CLASS):
        names = [text_of(a) for a in el.iter("a", "span", "li") if text_of(a) and not len(a)]
        names = [
            n for n in names if fold_words(n) not in _HOME_KEYS and fold_words(n) != title_key and len(n) < 40
        ]
        if names:
            return names[-1]
    for el in page.labels.matching("section", SECTION_CLASS):
        if SECTION_CLASS.search(el.get("class") or "") and el.tag in {"a", "span", "div", "p", "li", "td"}:
            text = clean_space(head_text(el, 50))
            if text and len(text) < 40 and len(el) <= 1:
                return text
    return None


def section(page: Page, title: str | None) -> str | None:
    crumbs = page.ld.get("breadcrumb") or []
    return page.pick(
        "section",
        ("outlet", text_of(select_first(page.tree, page.profile.section_selector))),
        ("json-ld", page.ld.get("section")),
        ("meta", page.meta.get("section")),
        ("json-ld", crumbs[-2] if len(crumbs) >= 2 else None),
        ("visible", lambda: _visible_section(page, title)),
    )


# --- authors and tags ----------------------------------------------------------------------------


def _is_label(text: str) -> bool:
    """A field label or byline word on its own ("Συντάκτης", "By", "Του"), not a name."""
    return not AUTHOR_PREFIX.sub("", text + " ").strip(" .:-")


def _names_by_element(el: HtmlElement) -> list[str]:
    """One name per element when an author field holds several (``<a>A</a><a>B</a>``, one field
    item each) and its text would glue them: the names are the field's innermost elements, and what
    lies between them is only labels, byline words and separators ("Του", "και της", ","). Empty
    when that is not so."""
    leaves = [t for d in el.iterdescendants() if isinstance(d.tag, str) and not len(d) and (t := text_of(d))]
    names = [t for t in leaves if not _is_label(t)]
    if len(names) < 2 or any(len(n) > 60 or len(n.split()) < 2 or any(c.isdigit() for c in n) for n in names):
        return []  # a lone word is half a name ("<span>Jane</span> <span>Doe</span>"), digits a date
    rest = clean_space(el.text_content())
    for leaf in leaves:
        rest = rest.replace(leaf, " ", 1)
    between = AUTHOR_SPLIT.split(clean_space(rest))
    if any(part and not _is_label(part) for part in between):
        return []
    return clean_authors(names)


def _visible_authors(page: Page) -> list[str]:
    for el in AUTHOR_MARKUP(page.tree):
        if is_foreign(el):
            continue
        if el.get("itemprop") == "author":
            name = el.find('.//*[@itemprop="name"]')
            el = name if name is not None else el
        if names := _names_by_element(el):
            return names
        if text := text_of(el):
            return clean_authors([text])
    for el in page.labels.matching("author", AUTHOR_CLASS):
        if is_foreign(el):
            continue
        if names := _names_by_element(el):
            return names
        if len(el) <= 2:
            text = clean_space(head_text(el, 70))
            if text and len(text) < 60:
                return clean_authors([text])
    return []


_BYLINE_TEXTS = XPath(
    ".//text()[string-length(normalize-space(.)) > 6 and string-length(normalize-space(.)) < 80]"
)


def byline_near(page: Page, title_el: HtmlElement | None, levels: int = 4) -> list[str]:
    """A printed byline ("Γράφει ο Νίκος Αλεξίου", "By Jane Doe") close to the headline, when no
    markup names the author: searched in the headline's ancestors, closest first."""
    node = title_el
    for _ in range(levels):
        node = node.getparent() if node is not None else None
        if node is None or node.tag in ("body", "html"):
            break
        for text in _BYLINE_TEXTS(node):
            line = clean_space(text)
            if BYLINE_LINE.match(line):
                return clean_authors([line])
    return []


def authors(page: Page) -> list[str]:
    outlet = clean_authors(
        [t for el in select(page.tree, page.profile.author_selector) if (t := text_of(el))]
    )
    return (
        page.pick(
            "authors",
            ("outlet", list(dict.fromkeys(outlet))),
            ("json-ld", page.ld.get("authors")),
            ("meta", [a for a in page.meta.get("authors", []) if not a.startswith("http")]),
            ("visible", lambda: _visible_authors(page)),
        )
        or []
    )


def tags(page: Page) -> list[str]:
    outlet = [t for el in select(page.tree, page.profile.tags_selector) if (t := text_of(el))]
    found = page.pick(
        "tags",
        ("outlet", list(dict.fromkeys(outlet))),
        ("json-ld", page.ld.get("tags")),
        ("meta", page.meta.get("tags")),
        ("visible", lambda: list(dict.fromkeys(t for a in TAG_LINKS(page.tree) if (t := text_of(a))))),
    )
    return list(found or [])


def canonical_url(page: Page) -> str | None:
    raw = page.pick(
        "canonical_url",
        ("meta", page.meta.get("canonical")),
        ("meta", page.meta.get("url")),
        ("json-ld", page.ld.get("url")),
    )
    return urljoin(page.base_url, raw) if isinstance(raw, str) else None


# --- language --------------------------------------------------------------------------------------


def language_code(value: str | None) -> str | None:
    """``el`` from "el-GR"/"el_GR"; None for what is no language (a charset such as "utf-8")."""
    if not value:
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    if not code.isalpha() or not 2 <= len(code) <= 3 or code in NOT_A_LANGUAGE:
        return None
    return code if localedata.exists(code) else None


def language(page: Page, text: str) -> str | None:
    """Declared by the outlet, the ``lang`` attribute or metadata; else read from the text."""
    tree = page.tree
    found = page.pick(
        "language",
        ("outlet", page.profile.language),
        ("visible", language_code(tree.get("lang") or tree.get("xml:lang"))),
        ("meta", language_code(page.meta.get("language"))),
        ("json-ld", language_code(page.ld.get("language"))),
    )
    if not found and greek_ratio(text[:2000]) > 0.4:
        found = "el"
        page.provenance["language"] = "detected"
    return found
