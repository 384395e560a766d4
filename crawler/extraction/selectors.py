"""Profile selectors are CSS or XPath strings; compile them once and apply either kind."""

from __future__ import annotations

from functools import lru_cache

from cssselect import GenericTranslator, SelectorError
from lxml.etree import XPath, XPathSyntaxError
from lxml.html import HtmlElement

from crawler.extraction.errors import ExtractionError


@lru_cache(maxsize=512)
def compile_selector(selector: str) -> XPath:
    """XPath for a selector (XPath if it starts with ``/``, ``./`` or ``(``, else CSS)."""
    text = selector.strip()
    try:
        if text.startswith(("/", "./", "(")):
            return XPath(text)
        return XPath(GenericTranslator().css_to_xpath(text, prefix="descendant-or-self::"))
    except (SelectorError, XPathSyntaxError) as err:
        raise ExtractionError(f"invalid selector {selector!r}: {err}") from None


def select(root: HtmlElement, selector: str | None) -> list[HtmlElement]:
    """Elements matching ``selector`` under ``root`` (empty when the selector is None)."""
    if not selector:
        return []
    return [el for el in compile_selector(selector)(root) if isinstance(el, HtmlElement)]


def select_first(root: HtmlElement, selector: str | None) -> HtmlElement | None:
    found = select(root, selector)
    return found[0] if found else None
