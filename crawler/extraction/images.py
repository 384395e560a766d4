"""Images of the article body: best absolute URL, caption, alt and paragraph position.

Only images inside the body region count; the feed, comments and related blocks are gone
after pruning, and what is left (icons, 1x1 trackers, data: placeholders) is filtered here.
Lazy-loading attributes and srcset are resolved to the largest real file.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from crawler.extraction.blocks import Event, walk_blocks
from crawler.extraction.profile import Profile
from crawler.extraction.selectors import select, select_first
from crawler.extraction.textnorm import clean_space, quick_key
from crawler.items import ImageRef

LAZY_ATTRS = (
    "data-src",
    "data-lazy-src",
    "data-original",
    "data-lazy",
    "data-url",
    "data-full-src",
    "data-hi-res-src",
    "data-orig-file",
    "src",
)
SRCSET_ATTRS = ("data-srcset", "data-lazy-srcset", "srcset")
_JUNK_URL = re.compile(
    r"(?:^|[/_.\-])(?:pixel|spacer|blank|1x1|tracking|tracker|beacon|transparent)(?:[/_.\-?]|$)", re.I
)
_JUNK_CLASS = re.compile(r"avatar|logo|icon|emoji|gravatar|sprite|badge", re.I)
_CAPTION_CLASS = re.compile(r"caption|credit|legend", re.I)
_DESCRIPTOR = re.compile(r"^(\d+(?:\.\d+)?)([wx])$")


def _usable(url: str | None) -> bool:
    if not url:
        return False
    url = url.strip()
    return bool(url) and not url.lower().startswith(("data:", "javascript:", "about:", "blob:", "#"))


def best_from_srcset(srcset: str) -> str | None:
    """The candidate with the largest width (or density) in a srcset attribute."""
    best, best_size = None, -1.0
    for part in re.split(r",\s+(?=\S)", srcset.strip()):
        bits = part.strip().split()
        if not bits or not _usable(bits[0]):
            continue
        size = 1.0
        if len(bits) > 1 and (m := _DESCRIPTOR.match(bits[-1])):
            size = float(m.group(1)) * (1 if m.group(2) == "w" else 1000)
        if size > best_size:
            best, best_size = bits[0].rstrip(","), size
    return best


def image_url(img: HtmlElement, base_url: str) -> str | None:
    """The best absolute URL of an <img> (srcset/lazy attributes first), or None if none is real."""
    candidates: list[str] = []
    sources = [img]
    # <picture><source srcset>: libxml2 may also nest the <img> inside an unclosed <source>
    node = img.getparent()
    while node is not None and node.tag in ("source", "picture"):
        sources.append(node)
        sources.extend(node.iterfind("source"))
        node = node.getparent()
    for node in sources:
        for attr in SRCSET_ATTRS:
            value = node.get(attr)
            if value and (best := best_from_srcset(value)):
                candidates.append(best)
                break
        if candidates:
            break
    for attr in LAZY_ATTRS:
        value = img.get(attr)
        if _usable(value):
            candidates.append(value.strip())
    for url in candidates:
        absolute = urljoin(base_url, url.strip())
        if urlsplit(absolute).scheme in ("http", "https", "file"):
            return absolute
    return None


def _is_junk(img: HtmlElement, url: str) -> bool:
    dims = []
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().removesuffix("px")
        if value.isdigit():
            dims.append(int(value))
    if dims and min(dims) <= 2:
        return True
    if _JUNK_URL.search(urlsplit(url).path + "?" + urlsplit(url).query):
        return True
    marks = " ".join(filter(None, (img.get("class"), img.get("id"))))
    return bool(_JUNK_CLASS.search(marks))


def _caption(img: HtmlElement, profile: Profile) -> str | None:
    node, depth = img.getparent(), 0
    while node is not None and depth < 4:
        if profile.caption_selector and (found := select_first(node, profile.caption_selector)) is not None:
            text = clean_space(found.text_content())
            if text:
                return text
        if node.tag == "figure":
            cap = node.find(".//figcaption")
            text = clean_space(cap.text_content()) if cap is not None else ""
            return text or None
        for child in node:
            if (
                child is not img
                and isinstance(child.tag, str)
                and _CAPTION_CLASS.search(child.get("class") or "")
            ):
                text = clean_space(child.text_content())
                if text and child.find(".//img") is None:
                    return text
        node, depth = node.getparent(), depth + 1
    return None


IMG_TAGS = ("img", "amp-img")
TEXT_TAGS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "td")


def quick_events(region: HtmlElement, known: dict | None = None) -> list[Event]:
    """Paragraph/image events from one C-level iteration (the common <p>/<img> case).

    ``known`` maps elements to matching keys computed earlier (when the region was found).
    """
    known = known or {}
    events = []
    for el in region.iter(*TEXT_TAGS, *IMG_TAGS):
        if el.tag in IMG_TAGS:
            events.append(Event("img", element=el))
        elif (key := known.get(el)) is not None:
            events.append(Event("para", element=el, key=key))
        else:
            events.append(Event("para", el.text_content(), el))
    return events


def _positions(events: list[Event], keys: list[str]) -> tuple[list[tuple[HtmlElement, int]], int]:
    """(image, paragraphs before it) for each image event, and how many paragraphs matched."""
    index = 0
    placed = []
    for event in events:
        if event.kind == "para":
            key = event.key if event.key is not None else quick_key(event.text)
            for ahead in range(index, min(index + 4, len(keys))):
                if key and key == keys[ahead]:
                    index = ahead + 1
                    break
        elif event.element is not None:
            placed.append((event.element, index))
    return placed, index


def body_images(
    region: HtmlElement,
    paragraphs: list[str],
    base_url: str,
    profile: Profile,
    exact: bool = False,
    known: dict | None = None,
) -> list[ImageRef]:
    """ImageRefs for the images under ``region``, positioned by how many ``paragraphs`` precede them.

    The quick iteration is tried first; when it cannot align every paragraph (text in bare
    divs, <br> lines) the block walker decides, as it always does for outlet bodies.
    """
    keys = [quick_key(p) for p in paragraphs]
    placed, matched = ([], -1) if exact else _positions(quick_events(region, known), keys)
    if matched < len(keys):
        placed, _ = _positions(walk_blocks(region), keys)
    if profile.image_selector:
        allowed = set(select(region, profile.image_selector))
        placed = [(img, index) for img, index in placed if img in allowed]
    seen: set[str] = set()
    images: list[ImageRef] = []
    for img, index in placed:
        url = image_url(img, base_url)
        if not url or url in seen or _is_junk(img, url):
            continue
        seen.add(url)
        alt = clean_space(img.get("alt") or "") or None
        images.append(ImageRef(url=url, caption=_caption(img, profile), alt=alt, position=index))
    return images
