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

# the words a class attribute must contain for a role (``page.Labels`` filters the page's classes)
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
# a class attribute holding one of a role's words (case as written, like XPath's contains())
ROLE_CLASS_WORDS = {role: re.compile("|".join(map(re.escape, words))) for role, words in ROLE_WORDS.items()}

# containers that hold other pages' teasers, the site's chrome or the readers' voice: a date,
# an image or a byline inside one of them is not the article's own. Not "widget": page builders
# and editors (Elementor, HubSpot, CKEditor) call every block of a page a widget, the article
# included, and a CMS's sidebar widgets sit in a sidebar, aside or footer, matched here anyway.
FOREIGN_TAGS = frozenset({"header", "nav", "footer", "aside"})
FOREIGN_CLASS = re.compile(
    r"(?:^|[\s_-])(?:related|sidebar|side-bar|feed|newsfeed|news-flow|latest|popular|most-read|"
    r"mostread|recommend\w*|teasers?|comments?|comment-list|avatar|author-box|author-bio|promo|"
    r"trending|top-?bar|site-header|masthead|navbar|menu|footer|carousel|ticker|breaking|"
    r"prev-next|next-prev|post-nav\w*|nav-links|(?:next|prev|previous)-(?:post|article|entry))(?:$|[\s_-])",
    re.I,
)

# share and social widgets: the summary a share dialog previews is the page's metadata again,
# not a subtitle the reader sees
SHARE_CLASS = re.compile(r"(?:^|[\s_-])(?:share|sharing|sharebar|social|sharethis|addthis)(?:$|[\s_-])", re.I)

# --- visible markup --------------------------------------------------------------------------------

AUTHOR_MARKUP = XPath('//*[@rel="author" or @itemprop="author"]')
TAG_LINKS = XPath('//a[contains(concat(" ", @rel, " "), " tag ")]')
TITLE_HEADINGS = ("h1", "h2", "h3")
HOME_WORDS = frozenset({"αρχικη", "home", "αρχικη σελιδα", "homepage", "news", "ειδησεις"})

# --- titles ------------------------------------------------------------------------------------------

# " | Site", " - Site", " – Site", " :: Site", " » Site", " · Site", " ~ Site", " › Site" (and the same
# as a prefix); in
# Chinese, Japanese and Korean titles the separator often has no spaces ("标题_南方网", "标题-中国网",
# "标题｜サイト"): "_", "|", "｜" and dashes between two CJK characters (or closing/opening brackets) count
_CJK = r"\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff01-\uff60"
CJK_CHAR = re.compile(rf"[{_CJK}]")
TITLE_SEPARATOR = re.compile(
    rf"\s+(?:[|–—\-:•»«›‹·/~¦｜]|::)\s+|(?<=[{_CJK}])\s*(?:[_|｜–—\-]|\s_)\s*(?=[{_CJK}])"
)

# --- bylines and authors -----------------------------------------------------------------------

AUTHOR_PREFIX = re.compile(
    r"^(?:(?:by|von|par|por|di|door|από\s+τ[οη]ν|απο\s+τ[οη]ν|από|απο|του|της|των|γράφει\s+[οη]|γραφει\s+[οη]|"
    r"γράφουν\s+οι|γραφουν\s+οι|γράφει|γραφει)[:\s]+|(?:συντάκτ(?:ης|ρια|ες)|συντακτ(?:ης|ρια|ες)|επιμέλεια|"
    r"επιμελεια|ρεπορτάζ|ρεπορταζ|authors?\b|written by)"
    r"[:\s]*)",
    re.I,
)
AUTHOR_SPLIT = re.compile(r"\s*(?:,|&|\band\b|\bκαι\b)\s*", re.I)
# a byline paragraph: the byline word or label ("Επιμέλεια:", "Ρεπορτάζ:"), then one to five
# capitalised words (names, initials)
_NAME = r"[A-ZΑ-ΩΆΈΉΊΌΎΏ][\w'’.-]*"
BYLINE_LINE = re.compile(
    rf"^(?i:by|written\s+by|του|της|των|από\s+τ[οη]ν|απο\s+τ[οη]ν|γράφει\s+[οη]|γραφει\s+[οη]|γράφει|γραφει|"
    rf"γράφουν\s+οι|γραφουν\s+οι|συντάκτ(?:ης|ρια)|συντακτ(?:ης|ρια)|επιμέλεια|επιμελεια|ρεπορτάζ|ρεπορταζ)[:\s]+"
    rf"{_NAME}(?:\s+{_NAME}){{0,4}}(?:\s*(?:,|και|and|&)\s*{_NAME}(?:\s+{_NAME}){{0,4}})?\s*$",
)

# --- dates ---------------------------------------------------------------------------------------

URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|-)")
# a text that holds a printed date (digits and a month word or a numeric d/m/y)
DATE_TEXT = re.compile(
    r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}"
    r"|\d{1,2}(?:η|st|nd|rd|th|er|\.|º)?\s*(?:de\s+)?[^\W\d_]{3,12}\.?,?\s+(?:de\s+|del\s+)?\d{4}"
    r"|[^\W\d_]{3,12}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{4}\s*[/.]\s*\d{1,2}\s*[/.]\s*\d{1,2}"
    r"|\d{4}\s*[年년]\s*\d{1,2}\s*[月월]\s*\d{1,2}"
    r"|\d{4}\.?\s+(?:m\.\s+)?[^\W\d_]{3,12}\.?\s+\d{1,2}(?!\d)"
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
    "αφηστε μια απαντηση",
    "τα σχολια των αναγνωστων",
    "τα σχολια σας",
    "γραψτε το σχολιο σας",
    "δημοσιευστε το σχολιο σας",
    "δημοσιευση σχολιου",
    "σχολιαστε το αρθρο",
    "οι αποψεις σας",
    "ροη ειδησεων",
    "comments",
    "leave a comment",
    "leave a reply",
    "post a comment",
    "reader comments",
    "newsfeed",
    "news feed",
)
COMMENT_COUNT_TAIL = re.compile(r"^\s*(?:[(\[]\s*\d+\s*[)\]]|\d+)?[\s:]*$")
# a site's rights notice closing the text ("Content © Copyright 2000 - 2008 WorldNow. All Rights
# Reserved.", "© ΑΠΕ-ΜΠΕ", "Με την επιφύλαξη παντός δικαιώματος"): the footer, not the article.
# A © counts at the line's start or before a year ("Photo: © Reuters" is a credit), "copyright"
# only before a year ("sued for copyright infringement in 2019" is prose), and the rights
# phrases only whole ("όλα τα δικαιώματα των εργαζομένων" is prose)
RIGHTS_LINE = re.compile(
    r"^\W{0,3}(?:©|\(c\)\s*(?:19|20)\d\d|copyright\b)|©\s*(?:19|20)\d\d|"
    r"\bcopyright\s*(?:©|\(c\))?\s*(?:19|20)\d\d|all rights reserved|"
    r"όλα τα δικαιώματα (?:διατηρούνται|κατοχυρωμένα|είναι κατοχυρωμένα|προστατεύονται)|"
    r"με την επιφύλαξη παντός δικαιώματος|todos los derechos reservados|tous droits réservés|"
    r"alle rechte vorbehalten|tutti i diritti riservati",
    re.IGNORECASE,
)
# a site's call to its readers, left alone on a line before or after the article (a newsletter
# box, a "follow us" strip, a related-links heading, a signature line): nobody's sentence of the
# story. Matched on the folded line (lowercase, no accents: "ΑΚΟΛΟΥΘΗΣΤΕ ΜΑΣ"), and only on short
# lines at the text's edges (see body.drop_calls_to_action)
CALL_TO_ACTION_LINE = re.compile(
    r"^\W{0,3}(?:sign\s+up|subscribe|join\s+(?:our|the|us)|follow\s+us|get\s+(?:started|the\s+latest|the\s+best)|"
    r"book\s+a\s+demo|request\s+a\s+(?:quote|demo)|share\s+(?:your\s+story|this)|pin\s+(?:it\s+)?for\s+later|"
    r"back\s+to\s+(?:blogs?|news|articles?|posts?|home)|table\s+of\s+contents|related\s+(?:articles|posts|stories|links|reading)|"
    r"(?:written|posted|published)\s+by\b|you\s+(?:might|may)\s+also\s+like|read\s+next|up\s+next|"
    r"(?:next|previous)\s+(?:article|post|story)\b|download\s+(?:the|our)\b|"
    r"(?:επομενο|προηγουμενο)\s+αρθρο|κατεβαστε\b|"
    r"εγγραφειτε|κανετε\s+εγγραφη|ακολουθηστε\s+(?:μας|το|την)|γραφτειτε|βρειτε\s+μας|κανετε\s+like|"
    r"δειτε\s+ολες\s+τις\s+(?:τελευταιες\s+)?ειδησεις|κατεβαστε\s+(?:την\s+)?εφαρμογη|μαθετε\s+πρωτοι)\b"
    r"|\bnewsletter\b|\bprivacy\s+policy\b|\bterms\s+(?:of\s+(?:use|service)|(?:&|and)\s+conditions)\b|"
    r"\bsubscribe\s+to\b|\bsign\s+up\s+(?:for|to)\b|πολιτικη\s+απορρητου|οροι\s+χρησης",
    re.IGNORECASE,
)
CALL_TO_ACTION_WORDS = 14  # a longer line is a paragraph that may mention a newsletter

# a site's fine print: an affiliate or advertiser disclosure ("Purchases made through our links may
# earn us a commission", "As an Amazon Associate I earn from qualifying purchases") or the consent
# line under a signup form ("By entering your email you agree to our Terms of Use"). The site speaks
# (we, our, I) or addresses the reader (you): a story about commissions or agreements does neither
# in these words. Matched on the folded line, on short lines anywhere (see body.drop_fine_print)
FINE_PRINT_LINE = re.compile(
    # an advertiser/affiliate disclosure label alone
    r"^(?:advertiser|affiliate|advertising)\s+(?:disclosure|policy)\W*$|"
    # the site earning from the reader's purchases or clicks: a commission and a link/purchase
    r"\b(?:we|i)\b[^.]{0,40}\b(?:earn|receive|get|make)\b[^.]{0,30}\b(?:commissions?|fees?|compensation|money)\b"
    r"[^.]{0,80}\b(?:links?|purchases?|buy|click|clicks|partners?)\b|"
    r"\b(?:links?|purchases?|buy|click)\b[^.]{0,80}\b(?:we|i)\b[^.]{0,30}\b(?:earn|receive|get|make)\b[^.]{0,30}"
    r"\b(?:commissions?|fees?|compensation|money)\b|"
    r"\b(?:links?|purchases?)\b[^.]{0,40}\b(?:may|might|will|can)\s+earn\s+(?:us|me)\s+(?:a\s+)?(?:small\s+)?"
    r"(?:commissions?|fees?|money)\b|"
    r"\b(?:this|our|my)\s+(?:\w+\s+){0,2}(?:contains?|uses?|includes?|may\s+(?:contain|include))\s+(?:some\s+)?"
    r"(?:affiliate|commissionable)\s+links?\b|\b(?:we|i)\s+(?:also\s+)?(?:may\s+)?use\s+(?:some\s+)?affiliate\s+links?\b|"
    r"\b(?:we|i)\s+(?:may\s+)?(?:be|are|am|get)\s+compensated\s+when\b|"
    r"\b(?:we|i)\s+earn\s+from\s+qualifying\s+purchases\b|"
    r"\b(?:is|are)\s+supported\s+by\s+(?:commissions|affiliate)|"
    r"\bproducts?\s+(?:are|is)\s+(?:chosen|selected|picked)\s+independently\b|"
    # the consent line of a signup form: what the reader types or clicks, and "you agree"
    r"\bby\s+(?:submitting|entering|clicking|signing\s+up|subscribing|registering)\b[^.]{0,60}"
    r"\b(?:e-?mail|form|button|phone|number|details|information|newsletter|subscribe|sign\s+up|register)\b"
    r"[^.]{0,100}\b(?:you|i)\s+(?:agree|consent|acknowledge|accept)\b|"
    r"\bagree\s+to\s+our\s+(?:terms|privacy)|"
    r"\b(?:με\s+την\s+εγγραφη|με\s+την\s+υποβολη|πατωντας|κανοντας\s+κλικ)[^.]{0,80}\b(?:συμφωνειτε|αποδεχεστε)\b",
    re.IGNORECASE,
)
FINE_PRINT_WORDS = 60  # a longer paragraph is prose that may quote such a line
COMMENT_COUNT_HEAD = re.compile(r"^\d+\s+")  # "2 σχόλια", "12 comments": the count before the label

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
# a photo gallery's markup: WordPress/Jetpack/Envira galleries, K2's Simple Image Gallery
# ("sigProGallery"), lightbox scripts (fancybox, PhotoSwipe, GLightbox, lightGallery, Magnific),
# slideshows; matched in class/id/rel values and in data-* attribute names ("data-lightbox-src")
GALLERY_MARK = re.compile(r"galler|lightbox|fancybox|photoswipe|slideshow|sigpro|magnific", re.I)
# a button that shows its picture larger ("data-zoomable", "zoom-in"); themes also put "img-zoom"
# hover effects on other stories' cards, so this counts on a button only
ZOOM_MARK = re.compile(r"zoom|enlarge", re.I)
LEAD_IMAGE_CLASS = re.compile(
    r"featured|post(?:-|__)thumbnail|wp-post-image|lead|hero|main-image|article-image|itemImage"
    r"|field--name-field-image|field-image|image-field|entry-image|top-image",
    re.I,
)

# --- language ----------------------------------------------------------------------------------------

# values that are not a language although they sit where one is declared (charset, junk)
NOT_A_LANGUAGE = frozenset({"utf", "iso", "win", "ascii", "unicode", "charset", "und", "mul", "zxx"})

# --- time zones printed after a time ------------------------------------------------------------

# unambiguous zone abbreviations (folded) -> minutes east of UTC, kept as the page prints them
# ("EST" printed in October stays -05:00: the page's own statement). IST, AST, CST-as-China and
# other names shared by several zones are left out: such a time stays naive (or takes the outlet's zone).
ZONE_ABBREVIATIONS: dict[str, int] = {
    "est": -300,
    "edt": -240,
    "cdt": -300,
    "cst": -360,
    "mst": -420,
    "mdt": -360,
    "pst": -480,
    "pdt": -420,
    "akst": -540,
    "akdt": -480,
    "hst": -600,
    "bst": 60,
    "wet": 0,
    "west": 60,
    "cet": 60,
    "cest": 120,
    "eet": 120,
    "eest": 180,
    "msk": 180,
    "jst": 540,
    "kst": 540,
    "hkt": 480,
    "sgt": 480,
    "aest": 600,
    "aedt": 660,
    "acst": 570,
    "awst": 480,
    "nzst": 720,
    "nzdt": 780,
}

# a printed date the page labels as its last change, not its publication (folded or not: matched
# case-insensitively at the start of the date's text or of the label just before it)
MODIFIED_LABEL = re.compile(
    r"^\W*(?:last\s+)?(?:updated|modified|edited|revised|ενημερ\w*|τελευταια\s+ενημερ\w*|τελευταία\s+ενημέρ\w*"
    r"|aktualisiert|actualizad[oa]|mis\s+à\s+jour|aggiornat[oa]|bijgewerkt|atualizad[oa]|更新)",
    re.I,
)

# the publication's label printed after the last change's in one line ("Ενημερώθηκε: 05/03 10:00 |
# Δημοσιεύθηκε: 04/03 18:05"): the date after it is the publication's (folded or not)
PUBLISHED_LABEL = re.compile(
    r"\b(?:published|posted|δημοσ[ιί]ε[υύ]|δημοσ[ιί]ευση|veröffentlicht|publié|publicado|pubblicato|gepubliceerd)",
    re.I,
)

# --- month words ----------------------------------------------------------------------------------

# month -> prefixes that identify its name in the languages news pages are written in (nominative,
# genitive, abbreviations); compared folded (lowercase, accents off), the longest matching prefix
# wins ("marras" is November in Finnish, "mar" March elsewhere; Czech "cerven" June, "cervenc" July)
MONTH_PREFIXES: tuple[tuple[int, tuple[str, ...]], ...] = (
    # Greek, English, German, French, Spanish, Italian, Portuguese, Dutch, Nordic, Romanian,
    # Indonesian, Turkish, Polish, Czech, Finnish, Russian, Ukrainian, Bulgarian, Hungarian, Croatian
    # (not its listopad: November in Czech and Polish), Lithuanian, Arabic
    (
        1,
        (
            "ιαν",
            "jan",
            "ene",
            "gen",
            "ian",
            "oca",
            "sty",
            "led",
            "tammi",
            "янв",
            "яну",
            "січ",
            "sijec",
            "saus",
            "ينا",
        ),
    ),
    (2, ("φεβ", "φλεβ", "feb", "fev", "sub", "lut", "unor", "helmi", "фев", "лют", "velj", "vasar", "فبر")),
    (3, ("μαρ", "mar", "maa", "brez", "maalis", "мар", "бер", "ozuj", "kovo", "مار")),
    (
        4,
        (
            "απρ",
            "apr",
            "avr",
            "abr",
            "nis",
            "kwi",
            "dub",
            "huhti",
            "апр",
            "квіт",
            "travn",
            "travan",
            "baland",
            "ابر",
        ),
    ),
    (
        5,
        (
            "μαι",
            "μαη",
            "may",
            "mai",
            "maj",
            "mag",
            "mei",
            "kvet",
            "touko",
            "мая",
            "маи",
            "трав",
            "svib",
            "geguz",
            "ماي",
        ),
    ),
    (
        6,
        (
            "ιουν",
            "jun",
            "juin",
            "giu",
            "iun",
            "haz",
            "czer",
            "cerven",
            "cervn",
            "kesa",
            "июн",
            "юни",
            "черв",
            "lipan",
            "lipnj",
            "birzel",
            "يون",
        ),
    ),
    (
        7,
        (
            "ιουλ",
            "jul",
            "juil",
            "lug",
            "iul",
            "tem",
            "lip",
            "cervenc",
            "heina",
            "июл",
            "юли",
            "лип",
            "srpan",
            "srpnj",
            "liep",
            "يول",
        ),
    ),
    (8, ("αυγ", "aug", "aou", "ago", "agu", "sier", "srp", "elo", "авг", "серп", "kolov", "rugpj", "اغس")),
    (
        9,
        (
            "σεπ",
            "sep",
            "set",
            "eyl",
            "wrz",
            "zari",
            "syys",
            "сен",
            "сеп",
            "вер",
            "szep",
            "rujan",
            "rujn",
            "rugsej",
            "سبت",
        ),
    ),
    (10, ("οκτ", "oct", "okt", "ott", "out", "eki", "paz", "rij", "loka", "окт", "жовт", "spal", "اكت")),
    (
        11,
        (
            "νοε",
            "νοεμ",
            "nov",
            "noi",
            "kas",
            "lis",
            "listopad",
            "marras",
            "ноя",
            "ное",
            "лист",
            "studen",
            "lapkr",
            "نوف",
        ),
    ),
    (12, ("δεκ", "dec", "dez", "dic", "des", "ara", "gru", "pros", "joulu", "дек", "груд", "ديس")),
)

# sentence-sized text nodes wherever they sit (<p>, bare <div>/<td> text between <br>s), except
# link text and list items holding a link: teaser cards and link lists, which trafilatura's link
# density test drops as well, so they say nothing of how much article a page holds. A list item
# of 3,000 characters or more is no card: a mega-menu item left open that swallowed the page
PROSE_TEXT = (
    "text()[string-length(.) >= 40][not(parent::script or parent::style or parent::noscript)]"
    "[not(ancestor::a or ancestor::li[.//a][string-length(.) < 3000])]"
)

# an HTML entity left in text after parsing: the page encoded it twice ("SQL &amp;#x26; AI" in
# the markup of a CMS title field, which a browser shows as "SQL &#x26; AI")
LEFTOVER_ENTITY = re.compile(r"&(?:#\d{2,7}|#[xX][0-9a-fA-F]{2,6}|[a-zA-Z]{2,8});")
