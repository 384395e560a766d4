"""The data the field cascades match against: class-name words, regexes and label lists.

Kept apart from the code that uses them (as trafilatura keeps its XPaths in ``xpaths.py``), so
a new CMS habit is one entry here, never a rule inside a function. Every entry is general: it
names what many CMS families print, never one page's markup.
"""

from __future__ import annotations

import re

from lxml.etree import XPath

# --- class names that mark an element's role ---------------------------------------------------

# Greek sites often name classes in transliterated Greek (greeklish, both spellings): περίληψη
# "perilipsi"/"perilhpsh" (summary), εισαγωγή "eisagogi" (intro), υπότιτλος "ypotitlos" (subtitle),
# κατηγορία "katigoria"/"kathgoria" (category), ενότητα "enotita" (section)
LEDE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:sub-?title|lead|lede|summary|excerpt|standfirst|intro|deck|dek|perex|teaser-text"
    r"|perili[pf]s[ih]|perilh[pf]s[ih]|eisag[ow]g[ih]|[yu]pot[ih]tl[oa]s)(?:$|[\s_-])",
    re.I,
)
SECTION_CLASS = re.compile(
    r"(?:^|[\s_-])(?:category|cat|kicker|rubric|section-name|section-label|label-section"
    r"|kat[ih]gor[ih]a|kathgor[ih]a|kategor[ih]a|enot[ih]ta|enoth?ta)(?:$|[\s_-])",
    re.I,
)
DATE_CLASS = re.compile(r"date|published|pubdate|timestamp|created", re.I)
# a date element that states the last change, not the publication
MODIFIED_MARK = re.compile(r"updated|modified|edited|dateModified|ενημερ", re.I)
# ... unless it also says it is the entry's publication: hAtom themes mark the published date
# "entry-date updated" (the entry's date, kept current), beside a separate "updated" element
PUBLISHED_MARK = re.compile(r"published|datePublished|pubdate|entry-date|post-date", re.I)
AUTHOR_CLASS = re.compile(r"author|byline|writer|columnist", re.I)
BREADCRUMB_CLASS = re.compile(r"breadcrumb", re.I)

# the words a class attribute must contain for a role; one C-level XPath scan per role, lazily
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "date": ("date", "Date", "published", "created", "Created", "timestamp"),
    "author": ("author", "Author", "byline", "writer", "columnist"),
    "breadcrumb": ("breadcrumb", "Breadcrumb"),
    "section": ("cat", "kicker", "rubric", "section-", "label", "katig", "kathg", "kateg", "enot"),
    "lede": (
        "lead",
        "lede",
        "subtitle",
        "summary",
        "excerpt",
        "standfirst",
        "intro",
        "deck",
        "perex",
        "perili",
        "perilh",
        "eisag",
        "potit",
    ),
}
ROLE_XPATH = {
    role: XPath("//@class[" + " or ".join(f"contains(., '{w}')" for w in words) + "]")
    for role, words in ROLE_WORDS.items()
}

# containers that hold other pages' teasers, the site's chrome or the readers' voice: a date,
# an image or a byline inside one of them is not the article's own
FOREIGN_TAGS = frozenset({"header", "nav", "footer", "aside"})
FOREIGN_CLASS = re.compile(
    r"(?:^|[\s_-])(?:related|sidebar|side-bar|widget|feed|newsfeed|news-flow|latest|popular|most-read|"
    r"mostread|recommend\w*|teasers?|comments?|comment-list|avatar|author-box|author-bio|promo|"
    r"trending|top-?bar|site-header|masthead|navbar|menu|footer|carousel|ticker|breaking)(?:$|[\s_-])",
    re.I,
)

# --- visible markup --------------------------------------------------------------------------------

AUTHOR_MARKUP = XPath('//*[@rel="author" or @itemprop="author"]')
TAG_LINKS = XPath('//a[contains(concat(" ", @rel, " "), " tag ")]')
TITLE_HEADINGS = ("h1", "h2", "h3")
HOME_WORDS = frozenset({"αρχικη", "home", "αρχικη σελιδα", "homepage", "news", "ειδησεις"})

# --- titles ------------------------------------------------------------------------------------------

# " | Site", " - Site", " – Site", " :: Site", " » Site", " · Site" (and the same as a prefix)
TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—\-:•»·/]|::)\s+")

# --- bylines and authors -----------------------------------------------------------------------

AUTHOR_PREFIX = re.compile(
    r"^(?:(?:by|von|par|por|di|door|από\s+τ[οη]ν|απο\s+τ[οη]ν|από|απο|του|της|των|γράφει\s+[οη]|γραφει\s+[οη]|"
    r"γράφει|γραφει)[:\s]+|(?:συντάκτ(?:ης|ρια|ες)|συντακτ(?:ης|ρια|ες)|επιμέλεια|επιμελεια|authors?\b|written by)"
    r"[:\s]*)",
    re.I,
)
AUTHOR_SPLIT = re.compile(r"\s*(?:,|&|\band\b|\bκαι\b)\s*", re.I)
# a byline paragraph: the byline word, then one to five capitalised words (names, initials)
_NAME = r"[A-ZΑ-ΩΆΈΉΊΌΎΏ][\w'’.-]*"
BYLINE_LINE = re.compile(
    rf"^(?i:by|του|της|των|από\s+τ[οη]ν|απο\s+τ[οη]ν|γράφει\s+[οη]|γραφει\s+[οη]|γράφει|γραφει)[:\s]+"
    rf"{_NAME}(?:\s+{_NAME}){{0,4}}(?:\s*(?:,|και|and|&)\s*{_NAME}(?:\s+{_NAME}){{0,4}})?\s*$",
)

# --- dates ---------------------------------------------------------------------------------------

URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|-)")
# a text that holds a printed date (digits and a month word or a numeric d/m/y)
DATE_TEXT = re.compile(
    r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}|\d{1,2}(?:η|st|nd|rd|th)?\s+[^\W\d_]{3,12}\.?,?\s+\d{4}"
    r"|[^\W\d_]{3,12}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2}"
)

# --- text lines that end the article -----------------------------------------------------------

# a line that is only one of these (folded) opens the readers' comments or the site's feed: in a
# body of bare text separated by <br><br> nothing after it is the author's
END_OF_ARTICLE_LINES: tuple[str, ...] = (
    "σχολια",
    "σχολια αναγνωστων",
    "σχολιαστε",
    "γραψτε σχολιο",
    "αφηστε ενα σχολιο",
    "αφηστε το σχολιο σας",
    "ροη ειδησεων",
    "comments",
    "leave a comment",
    "leave a reply",
    "post a comment",
    "reader comments",
    "newsfeed",
    "news feed",
)
COMMENT_COUNT_TAIL = re.compile(r"^[\s(\[]*\d*[\s)\]:]*$")

# --- images -------------------------------------------------------------------------------------

# srcset/resizer variants of one picture: "-300x200", "_640x", "@2x", "/w_640/", "-scaled"
IMAGE_SIZE_TOKEN = re.compile(
    r"(?:[-_](?:\d{2,4}x\d{0,4}|\d{0,4}x\d{2,4})|@\dx|-scaled|[-_]w\d{2,4})(?=\.\w+$)"
)
IMAGE_RESIZER_DIR = re.compile(r"/(?:w|h|c|q|s|fit|resize|crop|thumb|thumbs|thumbnails?)[_-]?\d*[,/]", re.I)
# file formats of one picture: the same name in two of them is one image (a <picture>'s .webp twin)
IMAGE_FORMATS = frozenset({"jpg", "jpeg", "png", "webp", "avif", "gif", "jfif"})
# the copies a carousel adds at both ends so its slides loop (swiper, slick, owl)
CAROUSEL_CLONE = re.compile(r"(?:^|[\s_-])(?:duplicate|cloned?)(?:$|[\s_-])", re.I)
LEAD_IMAGE_CLASS = re.compile(
    r"featured|post-thumbnail|wp-post-image|lead|hero|main-image|article-image|itemImage|field--name-field-image"
    r"|field-image|image-field|entry-image|top-image",
    re.I,
)

# --- language ----------------------------------------------------------------------------------------

# values that are not a language although they sit where one is declared (charset, junk)
NOT_A_LANGUAGE = frozenset({"utf", "iso", "win", "ascii", "unicode", "charset", "und", "mul", "zxx"})
