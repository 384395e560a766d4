"""Walk an element in reading order and emit paragraphs and images as a flat event list.

Used for the outlet path (the profile names the body element) and, on the generic path, to
find where each image sits between the paragraphs trafilatura extracted. Figure captions
are not paragraphs: they belong to their image.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.extraction.textnorm import clean_space

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "svg",
        "button",
        "select",
        "textarea",
        "input",
        "object",
        "embed",
    ]
)
CAPTION_TAGS = frozenset({"figcaption"})


@dataclass
class Event:
    kind: str  # "para" or "img"
    text: str = ""
    element: HtmlElement | None = None
    key: str | None = None  # the text's matching key when already computed


def _has_block(el: HtmlElement) -> bool:
    return any(isinstance(d.tag, str) and d.tag in BLOCK_TAGS for d in el.iterdescendants())


class _Walker:
    def __init__(self) -> None:
        self.events: list[Event] = []
        self.buffer: list[str] = []
        self.owner: HtmlElement | None = None

    def flush(self) -> None:
        text = clean_space("".join(self.buffer))
        if text:
            self.events.append(Event("para", text, self.owner))
        self.buffer = []

    def inline(self, el: HtmlElement) -> None:
        """Accumulate inline content, emitting images met on the way (after the text so far)."""
        if el.tag in ("img", "amp-img"):
            self.events.append(Event("img", element=el))
            return
        if el.tag == "br":
            self.buffer.append("\n")
            return
        self.buffer.append(el.text or "")
        for child in el:
            if isinstance(child.tag, str) and child.tag not in SKIP_TAGS:
                self.inline(child)
            self.buffer.append(child.tail or "")

    def walk(self, el: HtmlElement) -> None:
        if not isinstance(el.tag, str) or el.tag in SKIP_TAGS or el.tag in CAPTION_TAGS:
            return
        if el.tag in ("img", "amp-img"):
            self.events.append(Event("img", element=el))
            return
        if not _has_block(el):
            self.flush()
            self.owner = el
            self.inline(el)
            self.flush()
            return
        self.flush()
        self.owner = el
        self.buffer.append(el.text or "")
        for child in el:
            if isinstance(child.tag, str) and (
                child.tag in BLOCK_TAGS or child.tag in CAPTION_TAGS or _has_block(child)
            ):
                self.flush()
                self.walk(child)
                self.owner = el
            elif isinstance(child.tag, str) and child.tag not in SKIP_TAGS:
                self.inline(child)
            self.buffer.append(child.tail or "")
        self.flush()


def walk_blocks(root: HtmlElement) -> list[Event]:
    """Paragraph and image events under ``root`` in document order."""
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    return walker.events
