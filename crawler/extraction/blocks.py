"""Walk an element in reading order and emit paragraphs and images as a flat event list.

Used for the outlet path (the profile names the body element) and, on the generic path, to
find where each image sits between the paragraphs trafilatura extracted. Figure captions
are not paragraphs: they belong to their image.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.extraction.patterns import GALLERY_MARK, ZOOM_MARK
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


_GALLERY_LEVELS = 3  # a gallery's mark sits on the element or a few wrappers above it


def gallery_marked(el: HtmlElement, levels: int = _GALLERY_LEVELS) -> bool:
    """A lightbox or gallery mark on ``el`` or its nearest wrappers: in a class, id or rel value
    or a ``data-*`` attribute's name (``data-lightbox-src``, ``data-fancybox``)."""
    for node in (el, *list(el.iterancestors())[:levels]):
        for name, value in node.attrib.items():
            if name in ("class", "id", "rel") and GALLERY_MARK.search(value):
                return True
            if name.startswith("data-") and GALLERY_MARK.search(name):
                return True
    return False


def opens_picture(button: HtmlElement) -> bool:
    """A button that shows its picture larger: a gallery's or lightbox's mark, or a dialog it
    opens ("View image", aria-haspopup); other buttons' pictures are icons and badges."""
    popup = (button.get("aria-haspopup") or "").strip().lower()
    zoom = " ".join(filter(None, (button.get("class"), *(k for k in button.attrib if k.startswith("data-")))))
    return popup in ("dialog", "true") or bool(ZOOM_MARK.search(zoom)) or gallery_marked(button)


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
            elif child.tag == "button":
                self.pictures(child)
            self.buffer.append(child.tail or "")

    def pictures(self, el: HtmlElement) -> None:
        """A gallery's pictures in buttons that open them (never the button's words): other
        buttons show icons and badges ("Search", "Subscribe"), no picture of the article."""
        if opens_picture(el):
            self.events.extend(Event("img", element=img) for img in el.iter("img", "amp-img"))

    def walk(self, el: HtmlElement) -> None:
        if el.tag == "button":
            self.flush()
            self.pictures(el)
            return
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
            elif child.tag == "button":
                self.pictures(child)
            self.buffer.append(child.tail or "")
        self.flush()


def walk_blocks(root: HtmlElement) -> list[Event]:
    """Paragraph and image events under ``root`` in document order."""
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    return walker.events
