"""Images of the article: best absolute URL, caption, alt and paragraph position.

The body region's images count, minus what is no picture of the article: icons, 1x1 trackers,
data: placeholders, and list thumbnails (feed, related, sidebar, avatars, teaser cards linking
to another page). The lead image counts too when it sits above the title or outside the text
container, if it is the article's own: the picture ``og:image`` or the JSON-LD image names, or a
featured-image figure beside the headline; so does a gallery the JSON-LD image list declares.
The file the page names for a picture (its lazy-loading attribute or src) is its reference; a
srcset's largest file only stands in when the page names none, and variants of one picture
(sizes, densities, formats) count once.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml.html import HtmlElement

from crawler.extraction.blocks import Event, gallery_marked, opens_picture, walk_blocks
from crawler.extraction.page import is_foreign
from crawler.extraction.patterns import (
    AUTHOR_CLASS,
    CAROUSEL_CLONE,
    IMAGE_FORMATS,
    IMAGE_RESIZER_DIR,
    IMAGE_SIZE_TOKEN,
    LEAD_IMAGE_CLASS,
)
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
    r"(?:^|[/_.\-])(?:pixel|spacer|blank|1x1|tracking|tracker|beacon|transparent|counter|logo|banners?|"
    r"sponsors?|ads?|adv|print|icons?)(?:[/_.\-?]|$)",
    re.I,
)
# words of a control's picture ("ajax-loader.gif", "share_tw.png", "email.gif") that a photo's file
# may hold too ("email-scam.jpg", "share-prices.jpg"): junk only when no picture-sized size says
# otherwise
_CONTROL_URL = re.compile(
    r"(?:^|[/_.\-])(?:loader|loading|spinner|e-?mail|share|sharing)(?:[/_.\-?]|$)", re.I
)
PICTURE_MIN_SIDE = 100
_NAME_WORDS = re.compile(r"[-_.]+")
_SLUG_CHARS = 24  # a file name this long, of 4+ words, is a headline's slug ("site-logo-white" is not)
_JUNK_CLASS = re.compile(r"avatar|logo|icon|emoji|gravatar|sprite|badge", re.I)
_CAPTION_CLASS = re.compile(r"caption|credit|legend", re.I)
ICON_MAX_SIDE = 64  # an image declared no larger than this on both sides is an icon,
BUTTON_MAX_SIDE = 24  # and one this thin a button: no picture of the article is so small
_DESCRIPTOR = re.compile(r"^(\d+(?:\.\d+)?)([wx])$")


def _usable(url: str | None) -> bool:
    if not url:
        return False
    url = url.strip()
    return bool(url) and not url.lower().startswith(("data:", "javascript:", "about:", "blob:", "#"))


def srcset_candidates(srcset: str) -> list[tuple[str, float]]:
    """The usable (URL, size) candidates of a srcset attribute; a density counts as a large width."""
    candidates = []
    for part in re.split(r",\s+(?=\S)", srcset.strip()):
        bits = part.strip().split()
        if not bits or not _usable(bits[0]):
            continue
        size = 1.0
        if len(bits) > 1 and (m := _DESCRIPTOR.match(bits[-1])):
            size = float(m.group(1)) * (1 if m.group(2) == "w" else 1000)
        candidates.append((bits[0].rstrip(","), size))
    return candidates


def best_from_srcset(srcset: str) -> str | None:
    """The candidate with the largest width (or density) in a srcset attribute."""
    best, best_size = None, -1.0
    for url, size in srcset_candidates(srcset):
        if size > best_size:
            best, best_size = url, size
    return best


def _srcset_best(node: HtmlElement) -> str | None:
    for attr in SRCSET_ATTRS:
        value = node.get(attr)
        if value and (best := best_from_srcset(value)):
            return best
    return None


def image_url(img: HtmlElement, base_url: str) -> str | None:
    """The absolute URL of the file an <img> shows, or None if none is real.

    The file the page names for the picture comes first: its lazy-loading attribute, then its
    src. That is the file a reader (and whoever wrote down what the page shows) sees; the srcset
    only offers other sizes of it, and counts as the picture's file when the <img> names none, or
    names only a placeholder while a lazy srcset (``data-srcset``) waits to replace it. The
    ``<source>`` elements of a ``<picture>`` count only when the <img> names nothing: they offer the
    same picture in other formats (.webp, .avif) or crops."""
    named = [value.strip() for attr in LAZY_ATTRS if _usable(value := img.get(attr))]
    real = [url for url in named if not _PLACEHOLDER.search(urlsplit(url).path)]
    best = _srcset_best(img)
    lazy_srcset = any(img.get(attr) for attr in SRCSET_ATTRS if attr != "srcset")
    candidates: list[str] = list(real)
    if best and (not real or (lazy_srcset and set(real) == {img.get("src", "").strip()})):
        candidates.insert(0, best)
    if len(candidates) > 1 and (original := _unresized(candidates[0], candidates[1:], base_url)):
        candidates.insert(0, original)
    candidates += [url for url in named if url not in real]
    # <picture><source srcset>: libxml2 may also nest the <img> inside an unclosed <source>
    node = img.getparent()
    while not candidates and node is not None and node.tag in ("source", "picture"):
        for source in (node, *node.iterfind("source")):
            if best := _srcset_best(source):
                candidates.append(best)
                break
        node = node.getparent()
    for url in candidates:
        absolute = urljoin(base_url, url.strip())
        if urlsplit(absolute).scheme in ("http", "https", "file"):
            if _PLACEHOLDER.search(urlsplit(absolute).path) and (linked := _linked_picture(img, base_url)):
                return linked
            return absolute
    return _linked_picture(img, base_url) if not candidates else None


_PLACEHOLDER = re.compile(r"(?:^|[/_.\-])(?:transparent|blank|spacer|placeholder|1x1|empty)[^/]*$", re.I)
_LINK_LEVELS = 2


_IMAGE_SUFFIXES = tuple("." + f for f in IMAGE_FORMATS)


def _names_image_file(href: str) -> bool:
    """A link to a picture's own file (its path ends in an image format), not to a page."""
    try:
        return urlsplit(href.strip()).path.lower().endswith(_IMAGE_SUFFIXES)
    except ValueError:  # a host urlsplit refuses ("http://[cdn].example.com/a.jpg")
        return False


def _linked_picture(img: HtmlElement, base_url: str) -> str | None:
    """The picture a placeholder <img> stands for, from the link around it to the image file
    (Joomla's Simple Image Gallery shows a transparent GIF over a background and links the photo)."""
    for link in list(img.iterancestors())[:_LINK_LEVELS]:
        if link.tag != "a":
            continue
        href = (link.get("href") or "").strip()
        if href and _names_image_file(href):
            return urljoin(base_url, href)
    return None


def _unresized(largest: str, others: list[str], base_url: str) -> str | None:
    """The file itself when a srcset offers only resized copies of it: its variants are the same
    path with resizing parameters ("kassiopi.jpg?w=1920&q=75") and the src names it bare."""
    resized = urlsplit(urljoin(base_url, largest))
    if not resized.query:
        return None
    for url in others:
        plain = urlsplit(urljoin(base_url, url))
        if not plain.query and (plain.netloc, plain.path) == (resized.netloc, resized.path):
            return url
    return None


def _declared_size(img: HtmlElement) -> bool:
    """Its width and height are the picture's shown size: no larger source waits in a srcset or a
    lazy-load attribute, and no AMP layout reads them as an aspect ratio (16x9)."""
    if img.tag == "amp-img" and img.get("layout"):
        return False
    return not any(img.get(a) for a in SRCSET_ATTRS) and not any(img.get(a) for a in LAZY_ATTRS if a != "src")


def _is_junk(img: HtmlElement, url: str) -> bool:
    dims = []
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().removesuffix("px")
        if value.isdigit():
            dims.append(int(value))
    if dims and min(dims) <= 2:
        return True
    if (
        len(dims) == 2
        and (max(dims) <= ICON_MAX_SIDE or min(dims) <= BUTTON_MAX_SIDE)
        and _declared_size(img)
    ):
        return True  # declared as an icon (16x16 "mail") or a button strip (60x20 "Share")
    parts = urlsplit(url)
    folder, _, name = parts.path.rpartition("/")
    stem = name.rsplit(".", 1)[0]
    if len(stem) >= _SLUG_CHARS and len([w for w in _NAME_WORDS.split(stem.lower()) if w.isalpha()]) >= 4:
        name = ""  # a file named after the headline: "logo" there is a word of it (λόγω), not a logo
    if _JUNK_URL.search(f"{folder}/{name}?{parts.query}"):
        return True
    if _CONTROL_URL.search(name) and not (len(dims) == 2 and min(dims) >= PICTURE_MIN_SIDE):
        return True
    marks = " ".join(filter(None, (img.get("class"), img.get("id"))))
    return bool(_JUNK_CLASS.search(marks))


def image_key(url: str) -> str:
    """One key for every variant of a picture: its file name without size tokens, query or
    format (``photo-1024x576.jpg``, ``photo.webp`` and ``photo.jpg`` are one picture). An image
    proxy's address (Next.js ``/_next/image?url=...&w=3840``) is keyed by the file it serves."""
    parts = urlsplit(url)
    if not _names_image_file(url) and (proxied := _proxied_file(parts.query)):
        return image_key(proxied)
    path = IMAGE_RESIZER_DIR.sub("/", parts.path.lower())
    path = IMAGE_SIZE_TOKEN.sub("", path)
    name = path.rsplit("/", 1)[-1] or path
    stem, dot, ext = name.rpartition(".")
    return stem if dot and stem and ext in IMAGE_FORMATS else name


def _variant_keys(img: HtmlElement, base_url: str) -> list[str]:
    """The keys of every file an <img> offers: its src, lazy-loading attributes and srcset sizes."""
    urls = [img.get(attr) for attr in LAZY_ATTRS]
    for attr in SRCSET_ATTRS:
        urls += [url for url, _ in srcset_candidates(img.get(attr) or "")]
    return [image_key(urljoin(base_url, url.strip())) for url in urls if _usable(url)]


_PROXY_PARAMS = ("url", "src", "image", "img")


def _proxied_file(query: str) -> str | None:
    """The image file an image proxy's query names (``url=https%3A%2F%2Fcdn.../photo.jpg``)."""
    for name, value in parse_qsl(query):
        if name.lower() in _PROXY_PARAMS and _names_image_file(value):
            return value
    return None


_CARD_WORDS = 80  # a teaser card holds a headline and maybe an excerpt; more text is an article
_HEADLINES = ("h2", "h3", "h4", "h5", "h6")


def _headline_beside(link: HtmlElement, href: str, stop: HtmlElement | None) -> bool:
    """True when the small card around ``link`` (a few levels up) also holds a headline (3+ words)
    in another link to the same page or in a heading: the picture and the title of one teaser."""
    node, depth = link.getparent(), 0
    while node is not None and node is not stop and depth < 3:
        if len(node.text_content().split()) > _CARD_WORDS:
            return False
        for other in node.iter("a", *_HEADLINES):
            if other is link or len(other.text_content().split()) < 3:
                continue
            if other.tag != "a" or other.get("href") == href:
                return True
        node, depth = node.getparent(), depth + 1
    return False


def _teaser_card(img: HtmlElement, stop: HtmlElement | None) -> bool:
    """An image linking to another page that carries a headline, in the link (3+ words) or in a
    second link to the same page beside it: another page's teaser, wherever the list sits."""
    node, depth = img.getparent(), 0
    while node is not None and node is not stop and depth < 3:
        if node.tag == "a":
            href = node.get("href") or ""
            if _names_image_file(href):
                return False  # a link to the full-size picture
            if len(node.text_content().split()) >= 3:
                return True
            return bool(href.strip()) and not href.startswith("#") and _headline_beside(node, href, stop)
        node, depth = node.getparent(), depth + 1
    return False


def _carousel_clone(img: HtmlElement) -> bool:
    """A copy a carousel adds so its slides loop (``swiper-slide-duplicate``, ``slick-cloned``)."""
    node, depth = img.getparent(), 0
    while node is not None and depth < 4:
        if CAROUSEL_CLONE.search(node.get("class") or ""):
            return True
        node, depth = node.getparent(), depth + 1
    return False


_BYLINE_BOX_CHARS = 300  # a byline box holds a name, a role, a date: more text is the article


def _byline_portrait(img: HtmlElement, stop: HtmlElement | None) -> bool:
    """A picture in a small byline box (``<div class="author"><img> Του ...``): the writer's
    portrait, whatever the image's own class says."""
    node, depth = img.getparent(), 0
    while node is not None and node is not stop and depth < 3:
        marks = " ".join(filter(None, (node.get("class"), node.get("id"))))
        if marks and AUTHOR_CLASS.search(marks):
            return len(node.text_content().strip()) < _BYLINE_BOX_CHARS
        node, depth = node.getparent(), depth + 1
    return False


def _shared(img: HtmlElement, region: HtmlElement | None) -> HtmlElement | None:
    """The nearest ancestor ``img`` shares with the text region: it and everything above hold the
    article's text, so their classes ("theiaStickySidebar" around the main column) say nothing of
    the picture; only the wrappers below it can make it a sidebar or feed thumbnail."""
    if region is None:
        return None
    above = set(region.iterancestors())
    return next((a for a in img.iterancestors() if a in above), None)


def is_thumbnail(img: HtmlElement, stop: HtmlElement | None) -> bool:
    """A list thumbnail (feed, related, sidebar, avatar, teaser card), not the article's picture."""
    return is_foreign(img, stop) or _teaser_card(img, stop) or _byline_portrait(img, stop)


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


def _positions(
    events: list[Event], keys: list[str]
) -> tuple[list[tuple[HtmlElement, int]], int, list[HtmlElement]]:
    """(image, paragraphs before it) for each image event, how many paragraphs matched (not
    how far the lookahead went), and the elements of the matched paragraphs."""
    index = 0
    placed, texts = [], []
    for event in events:
        if event.kind == "para":
            key = event.key if event.key is not None else quick_key(event.text)
            for ahead in range(index, min(index + 4, len(keys))):
                if key and key == keys[ahead]:
                    index = ahead + 1
                    if event.element is not None:
                        texts.append(event.element)
                    break
        elif event.element is not None:
            placed.append((event.element, index))
    return placed, len(texts), texts


def _text_holders(texts: list[HtmlElement], region: HtmlElement) -> set[HtmlElement]:
    """The elements under ``region`` that hold at least half of the article's matched text: the
    text's own container, never a footer or related box that one leaked line came from."""
    chars: dict[HtmlElement, int] = {}
    total = 0
    for el in texts:
        size = len(el.text_content())
        total += size
        for node in (el, *el.iterancestors()):
            chars[node] = chars.get(node, 0) + size
            if node is region:
                break
    return {region, *(node for node, size in chars.items() if size * 2 >= total > 0)}


def _holder_of(img: HtmlElement, holders: set[HtmlElement], region: HtmlElement) -> HtmlElement:
    """The nearest ancestor of ``img`` holding article text: chrome marks count only below it."""
    return next((a for a in img.iterancestors() if a in holders), region)


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
    divs, <br> lines) the block walker decides, as it always does for outlet bodies. An element
    holding the article's own paragraphs is no chrome whatever its class says (a live blog's
    "liveblog-feed"): only the wrappers between an image and the text around it can make it a
    feed or sidebar thumbnail.
    """
    keys = [quick_key(p) for p in paragraphs]
    placed, matched, texts = ([], -1, []) if exact else _positions(quick_events(region, known), keys)
    if matched < len(keys):
        placed, _, texts = _positions(walk_blocks(region), keys)
    if profile.image_selector:
        allowed = set(select(region, profile.image_selector))
        placed = [(img, index) for img, index in placed if img in allowed]
    holders = _text_holders(texts, region)
    seen: set[str] = set()
    images: list[ImageRef] = []
    for img, index in placed:
        url = image_url(img, base_url)
        if (
            not url
            or _is_junk(img, url)
            or _carousel_clone(img)
            or (not exact and _listed(img, region, holders))
        ):
            continue
        if (key := image_key(url)) in seen:
            continue
        seen.add(key)
        images.append(_ref(img, url, profile, index))
    return images


def _listed(img: HtmlElement, region: HtmlElement, holders: set[HtmlElement]) -> bool:
    """A list thumbnail inside the text region (see ``is_thumbnail``), or a button's icon."""
    stop = _holder_of(img, holders, region)
    return (
        is_foreign(img, stop)
        or _teaser_card(img, region)
        or _byline_portrait(img, region)
        or _button_icon(img, region)
    )


def _button_icon(img: HtmlElement, stop: HtmlElement) -> bool:
    """A picture on a button ("Search", "Subscribe") that opens no gallery."""
    for node in img.iterancestors():
        if node is stop:
            return False
        if node.tag == "button":
            return not opens_picture(node)
    return False


def _ref(img: HtmlElement, url: str, profile: Profile, position: int) -> ImageRef:
    alt = clean_space(img.get("alt") or "") or None
    return ImageRef(url=url, caption=_caption(img, profile), alt=alt, position=position)


def _title_box(title_el: HtmlElement | None, levels: int = 4) -> HtmlElement | None:
    """The headline's ancestor ``levels`` up (stopping below <body>): what counts as beside it."""
    node, box = title_el, None
    for _ in range(levels):
        node = node.getparent() if node is not None else None
        if node is None or node.tag in ("body", "html"):
            break
        box = node
    return box


def _mentions(img: HtmlElement, stems: set[str]) -> bool:
    """Cheap prefilter: one of the declared files' names appears in the image's attributes."""
    return any(stem in value for value in img.attrib.values() for stem in stems)


def _follows(tree: HtmlElement, region: HtmlElement | None, imgs: list[HtmlElement]) -> set[HtmlElement]:
    """The images of ``imgs`` that come after the text region in the document (one pass)."""
    if region is None or not imgs:
        return set()
    wanted, after, seen_region = set(imgs), set(), False
    for el in tree.iter():
        if el is region:
            seen_region = True
        elif seen_region and el in wanted and not any(a is region for a in el.iterancestors()):
            after.add(el)
    return after


_GALLERY_SCOPE = ("article", "main")
_GALLERY_LEVELS = 3  # how far above the text region a gallery beside it may hang


def _in_gallery(img: HtmlElement, scope: HtmlElement) -> bool:
    """A gallery's mark on the picture or any wrapper below ``scope``."""
    depth = next((i for i, a in enumerate(img.iterancestors()) if a is scope), 0)
    return gallery_marked(img, depth)


def _titled_card(img: HtmlElement, stop: HtmlElement) -> bool:
    """A card beside the picture holds another page's headline (a heading or a link of 3+ words):
    a teaser whose link sits on its title only, not a gallery's photo with its caption."""
    node, depth = img.getparent(), 0
    while node is not None and node is not stop and depth < 2:
        if len(node.text_content().split()) > _CARD_WORDS:
            return False
        for other in node.iter("a", *_HEADLINES):
            if len(other.text_content().split()) >= 3 and (other.tag != "a" or _links_elsewhere(other)):
                return True
        node, depth = node.getparent(), depth + 1
    return False


def _links_elsewhere(link: HtmlElement) -> bool:
    href = (link.get("href") or "").strip().lower()
    if not href or href.startswith(("#", "javascript:")):
        return False
    return not _names_image_file(href)


def _links_away(img: HtmlElement) -> bool:
    """Inside a link to another page: not the picture's own file, an anchor or a script."""
    return any(_links_elsewhere(link) for link in img.iterancestors("a"))


def gallery_after(
    region: HtmlElement, base_url: str, profile: Profile, count: int, skip: set[str]
) -> list[ImageRef]:
    """A photo gallery beside the text in the article: right after it (K2's item gallery, a
    lightbox grid under the body), its pictures follow the text's ``count`` paragraphs; between
    the headline and the text (an AMP carousel, a slider over the story), they open it. Only
    marked galleries count, and no picture linking to another page: what follows an article is
    as often a list of other articles."""
    scope, node = None, region
    for _ in range(_GALLERY_LEVELS):
        node = node.getparent()
        if node is None or node.tag in ("body", "html"):
            break
        scope = node
        if node.tag in _GALLERY_SCOPE:
            break
    if scope is None:
        return []
    holders = []
    for holder in (region, *region.iterancestors()):
        if holder is scope:
            break
        holders.append(holder)
    before = [s for h in reversed(holders) for s in reversed(list(h.itersiblings(preceding=True)))]
    after = [s for h in holders for s in h.itersiblings()]
    refs: list[ImageRef] = []
    seen = set(skip)
    for position, siblings in ((0, before), (count, after)):
        for sibling in siblings:
            for img in sibling.iter(*IMG_TAGS):
                if not _in_gallery(img, scope) or _links_away(img) or _titled_card(img, scope):
                    continue
                url = image_url(img, base_url)
                if not url or (key := image_key(url)) in seen:
                    continue
                if _is_junk(img, url) or _carousel_clone(img) or is_thumbnail(img, _shared(img, region)):
                    continue
                seen.add(key)
                refs.append(_ref(img, url, profile, position))
    return refs


def outside_images(
    tree: HtmlElement,
    declared: list[str],
    title_el: HtmlElement | None,
    region: HtmlElement | None,
    base_url: str,
    profile: Profile,
    count: int,
) -> list[ImageRef]:
    """The article's own pictures outside the text region, in the order the page declares them.

    The lead picture: an <img> showing the image ``og:image``/JSON-LD declare, or one in a
    featured-image element beside the headline (position 0, even above the title). Further
    pictures the article's metadata lists (a JSON-LD ``image`` list: the gallery) belong to it as
    well: before the text they stand at position 0, after it after its ``count`` paragraphs.
    A video's poster counts when the metadata declares it (a TV station's story under its player).
    List thumbnails, junk and carousel clones never count."""
    order: dict[str, int] = {}
    for url in declared:
        if url:
            order.setdefault(image_key(urljoin(base_url, url)), len(order))
    stems = {key for key in order if len(key) > 4}
    box = _title_box(title_el) if title_el is not None else None
    near = set(box.iter(*IMG_TAGS)) if box is not None else set()
    found: dict[str, tuple[HtmlElement, str, bool]] = {}
    for img in tree.iter(*IMG_TAGS, "video"):
        mentioned = bool(stems) and _mentions(img, stems)
        if img.tag == "video" and not (mentioned and img.get("poster")):
            continue  # a video's poster counts only as the picture the metadata declares
        featured = False
        if not mentioned and img in near:
            marks = " ".join(filter(None, [a.get("class") for a in (img, *list(img.iterancestors())[:3])]))
            featured = bool(LEAD_IMAGE_CLASS.search(marks))
        if not (mentioned or featured):
            continue
        if region is not None and any(a is region for a in img.iterancestors()):
            continue
        url = (
            image_url(img, base_url)
            if img.tag != "video"
            else urljoin(base_url, img.get("poster", "").strip())
        )
        key = image_key(url) if url else ""
        if url and key not in order:  # og:image may name another size of the file src names
            key = next((k for k in _variant_keys(img, base_url) if k in order), key)
        if not url or not (featured or key in order) or key in found:
            continue
        if (
            not _is_junk(img, url)
            and not _carousel_clone(img)
            and not is_thumbnail(img, _shared(img, region))
        ):
            found[key] = (img, url, featured)
    if not found:
        return []
    # the lead: the picture og:image/JSON-LD name first, else the featured one beside the headline
    lead = min(found, key=lambda k: (found[k][2], order.get(k, len(order))))
    after = _follows(tree, region, [img for k, (img, _, _) in found.items() if k != lead])
    refs = []
    for key, (img, url, _) in found.items():
        position = count if img in after else 0
        refs.append((key != lead, position, order.get(key, len(order)), _ref(img, url, profile, position)))
    return [ref for *_, ref in sorted(refs, key=lambda r: r[:3])]
