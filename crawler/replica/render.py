"""HTML of the replica's pages, deliberately as cluttered as a real Greek news portal.

The article column is surrounded by the boilerplate an extractor must strip (ticker,
cookie banner, share bar, ads, news feed, comments, related links, sidebar, footer,
tracking pixels), with class names varied per article so no single selector wins.
"""

from __future__ import annotations

import json
from datetime import datetime
from html import escape

from crawler.replica import lexicon as lx
from crawler.replica.media import LAZY_PLACEHOLDER
from crawler.replica.model import SECTION_NAMES, Catalogue, Doc, Entry, Image

# "Ρoή Ειδήσεων" with a LATIN small o (U+006F), exactly as the real outlet spells it.
FEED_HEADING = "\u03a1o\u03ae \u0395\u03b9\u03b4\u03ae\u03c3\u03b5\u03c9\u03bd"


def text(value: str) -> str:
    return escape(value, quote=False)


def attr(value: str) -> str:
    return escape(value, quote=True)


def greek_date(moment: datetime) -> str:
    """The visible date line, e.g. "Δευτέρα, 05 Ιανουαρίου 2026, 14:30"."""
    day = lx.DAYS[moment.weekday()]
    month = lx.MONTHS_GENITIVE[moment.month - 1]
    return f"{day}, {moment:%d} {month} {moment:%Y}, {moment:%H:%M}"


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


class Renderer:
    """Renders pages of one catalogue; ``base`` is the scheme+host for absolute URLs."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.cat = catalogue

    # --- shared chrome -------------------------------------------------------------------

    def _head(self, title: str, charset: str, extra: str = "") -> str:
        if charset == "iso-8859-7":
            meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        else:
            meta = f'<meta charset="{charset}">'
        return (
            '<!DOCTYPE html>\n<html lang="el">\n<head>\n'
            f"{meta}\n<title>{text(title)}</title>\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<link rel="stylesheet" href="/static/site.css">\n'
            '<link rel="alternate" type="application/rss+xml" title="BankingNews RSS" href="/rss">\n'
            f"{extra}"
            "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
            "gtag('js',new Date());</script>\n"
            "</head>\n"
        )

    def _header(self, ticker: list[Entry]) -> str:
        items = "".join(
            f'<li><a href="{attr(self.cat.path(e))}">{text(self.cat.base_title(e))}</a></li>' for e in ticker
        )
        menu = "".join(
            f'<li class="menu-item"><a href="/{slug}">{text(name)}</a></li>' for slug, name in lx.SECTIONS
        )
        return (
            '<div id="cc-consent" class="cookie-notice" style="position:fixed;bottom:0;left:0;right:0;'
            'background:#222;color:#eee;padding:12px;z-index:999">Χρησιμοποιούμε cookies για τη βελτίωση '
            'της εμπειρίας σας. <button type="button" class="cc-accept">Αποδοχή</button> '
            '<a href="/oroi-xrisis">Περισσότερα</a></div>\n'
            '<div class="page-wrapper"><div class="layout-outer">\n'
            '<header class="site-top"><div class="container"><div class="row">'
            '<div class="logo-area"><a href="/" class="brand"><img src="/static/logo.png" alt="BankingNews" '
            'width="220" height="48"></a></div>\n'
            f'<div class="breaking-ticker"><span class="label">Τελευταία Νέα</span><ul class="ticker-list">{items}'
            "</ul></div>\n"
            f'<nav class="main-nav" role="navigation"><ul class="menu">'
            f'<li class="menu-item"><a href="/">Αρχική</a></li>{menu}</ul></nav>\n'
            "</div></div></header>\n"
        )

    def _footer(self, pixel: str) -> str:
        return (
            '<footer class="site-footer"><div class="container"><div class="footer-cols">'
            '<div class="col"><a href="/">www.bankingnews.gr</a></div>'
            '<div class="col"><a href="/oroi-xrisis">Όροι χρήσης</a> | <a href="/epikoinonia">Επικοινωνία</a>'
            "</div></div>"
            '<p class="copy">Copyright © 2026 BankingNews. Απαγορεύεται η αναπαραγωγή χωρίς άδεια.</p>'
            "</div></footer>\n"
            f'<img width="1" height="1" style="display:none" alt="" src="/pixel.gif?{pixel}">\n'
            "</div></div>\n"
            '<script src="/static/app.js" defer></script>\n'
            "<script>(function(){var s=document.createElement('script');s.async=true;"
            "s.src='/static/ads.js';document.head.appendChild(s);})();</script>\n"
            "</body>\n</html>\n"
        )

    def _sidebar(self, entries: list[Entry]) -> str:
        items = "".join(
            f'<li><a href="{attr(self.cat.path(e))}">{text(self.cat.base_title(e))}</a></li>' for e in entries
        )
        return (
            '<aside class="col-side sidebar-right"><div class="widget most-read">'
            f"<h4>Δημοφιλή</h4><ol>{items}</ol></div>"
            '<div class="adv adv-side" style="min-height:250px"><iframe src="about:blank" width="300" '
            'height="250" title="ad" frameborder="0"></iframe></div>'
            '<div class="widget poll"><h4>Δημοσκόπηση</h4><p class="q">Πιστεύετε ότι θα μειωθούν τα '
            "επιτόκια φέτος;</p></div></aside>\n"
        )

    # --- article -------------------------------------------------------------------------

    def _jsonld(self, doc: Doc, base: str, charset: str) -> str:
        e = doc.entry
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": base + doc.path},
            "headline": doc.title,
            "description": doc.lede,
            "datePublished": iso(e.published),
            "dateModified": iso(doc.modified or e.published),
            "articleSection": e.section_name,
            "keywords": ", ".join(doc.tags),
            "publisher": {"@type": "Organization", "name": lx.SITE_NAME},
        }
        if doc.authors:
            data["author"] = [{"@type": "Person", "name": a} for a in doc.authors]
        if doc.images:
            data["image"] = [base + doc.images[0].path]
        # Legacy-charset pages escape to ASCII: a character reference would not be decoded inside <script>.
        body = json.dumps(data, ensure_ascii=charset != "utf-8", indent=1).replace("</", "<\\/")
        return f'<script type="application/ld+json">{body}</script>\n'

    def _meta(self, doc: Doc, base: str) -> str:
        e = doc.entry
        parts = [
            f'<meta name="description" content="{attr(doc.lede)}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:site_name" content="{lx.SITE_NAME}">',
            f'<meta property="og:title" content="{attr(doc.title)}">',
            f'<meta property="og:description" content="{attr(doc.lede)}">',
            f'<meta property="og:url" content="{attr(base + doc.path)}">',
            f'<meta property="article:published_time" content="{iso(e.published)}">',
            f'<meta property="article:section" content="{attr(e.section_name)}">',
        ]
        if doc.modified:
            parts.append(f'<meta property="article:modified_time" content="{iso(doc.modified)}">')
        if doc.images:
            parts.append(f'<meta property="og:image" content="{attr(base + doc.images[0].path)}">')
        parts += [f'<meta property="article:tag" content="{attr(t)}">' for t in doc.tags]
        return "\n".join(parts) + "\n"

    def _image(self, img: Image, base: str) -> str:
        prefix = base if img.absolute else ""
        alt = f' alt="{attr(img.alt)}"' if img.alt else (' alt=""' if img.position % 2 else "")
        if img.srcset:
            srcset = ", ".join(f"{prefix}{p} {w}w" for p, w in img.srcset)
            tag = (
                f'<img src="{attr(prefix + img.path)}" srcset="{attr(srcset)}" '
                f'sizes="(max-width: 768px) 100vw, 720px"{alt}>'
            )
        elif "lazy" in img.style:
            tag = f'<img class="lazyload" src="{LAZY_PLACEHOLDER}" data-src="{attr(prefix + img.path)}"{alt}>'
        else:
            tag = f'<img src="{attr(prefix + img.path)}"{alt} width="800" height="450" loading="lazy">'
        if img.caption:
            return f'<figure class="image-block">{tag}<figcaption>{text(img.caption)}</figcaption></figure>\n'
        wrapper = "p" if img.style == "lazy" else "div"
        return f'<{wrapper} class="pic-holder">{tag}</{wrapper}>\n'

    def _paragraph(self, doc: Doc, index: int) -> str:
        para = doc.paragraphs[index]
        if doc.entry.kind == "live":
            stamp, rest = para.text.split(" ", 1)
            return (
                f'<div class="live-entry" id="le-{index}"><p><strong class="lb-time">{stamp}</strong> '
                f"{text(rest)}</p></div>\n"
            )
        if para.strong_lead:
            rest = para.text[len(para.strong_lead) + 1 :]
            return f"<p><strong>{text(para.strong_lead)}</strong> {text(rest)}</p>\n"
        return f"<p>{text(para.text)}</p>\n"

    def _body(self, doc: Doc, base: str) -> str:
        out = [f'<div class="{doc.body_class}">\n']
        out += [self._image(i, base) for i in doc.images if i.position == 0]
        for index in range(len(doc.paragraphs)):
            out.append(self._paragraph(doc, index))
            count = index + 1
            if doc.teaser and doc.teaser[0] == count:
                other = self.cat.by_id[doc.teaser[1]]
                out.append(
                    f'<p><strong>Διαβάστε επίσης:</strong> <a href="{attr(self.cat.path(other))}">'
                    f"{text(self.cat.base_title(other))}</a></p>\n"
                )
            if count == 2:
                out.append(
                    '<div class="adv adv-inarticle" data-slot="inarticle_1"><iframe src="about:blank" '
                    'width="300" height="250" title="ad"></iframe><script>googletag.cmd.push(function()'
                    "{googletag.display('inarticle_1');});</script></div>\n"
                )
            out += [self._image(i, base) for i in doc.images if i.position == count]
        out.append("</div>\n")
        return "".join(out)

    def _feed(self, doc: Doc) -> str:
        items = "".join(
            f'<li><span class="feed-time">{e.published:%H:%M}</span> '
            f'<a href="{attr(self.cat.path(e))}">{text(self.cat.base_title(e))}</a></li>'
            for e in self.cat.older_than(doc.entry, doc.feed_count)
        )
        return f'<section class="news-flow"><h3 class="block-title">{FEED_HEADING}</h3><ul>{items}</ul></section>\n'

    def _comments(self, doc: Doc) -> str:
        items = []
        for c in doc.comments:
            items.append(
                '<div class="cmt"><div class="cmt-head"><img class="avatar" width="40" height="40" '
                f'src="{c.avatar}" alt=""><span class="cmt-user">{text(c.user)}</span> '
                f'<span class="cmt-when">πριν από {c.minutes_after} λεπτά</span></div>'
                f'<div class="cmt-text">{text(c.text)}</div></div>'
            )
        return (
            '<section class="user-comments" id="comments"><h3>Σχόλια αναγνωστών</h3>'
            + "".join(items)
            + '<form class="cmt-form"><textarea name="c"></textarea><button>Αποστολή</button></form></section>\n'
        )

    def _related(self, doc: Doc) -> str:
        same = [e for e in self.cat.older_than(doc.entry, 40) if e.section == doc.entry.section]
        others = self.cat.older_than(doc.entry, doc.related_count)
        picks = (same + [e for e in others if e not in same])[: doc.related_count]
        items = "".join(
            f'<div class="rel-item"><a href="{attr(self.cat.path(e))}"><img src="/media/thumbs/{e.id}.jpg" '
            f'width="120" height="80" alt=""><span>{text(self.cat.base_title(e))}</span></a></div>'
            for e in picks
        )
        return (
            f'<section class="see-also"><h3>Δείτε επίσης</h3><div class="rel-grid">{items}</div></section>\n'
        )

    def article(self, doc: Doc, base: str, charset: str) -> str:
        e = doc.entry
        extra = f'<link rel="canonical" href="{attr(base + doc.path)}">\n'
        amp = self.cat.amp_path(e)
        if amp:
            extra += f'<link rel="amphtml" href="{attr(base + amp)}">\n'
        if e.markup in ("full", "og"):
            extra += self._meta(doc, base)
        if e.markup == "full":
            extra += self._jsonld(doc, base, charset)
        ticker = self.cat.older_than(e, 5)
        out = [self._head(f"{doc.title} | {lx.SITE_NAME}", charset, extra)]
        out.append(f'<body class="page-article section-{e.section}">\n')
        out.append(self._header(ticker))
        out.append('<main class="main-area"><div class="container"><div class="row">\n')
        out.append(f'<div class="col-main"><div class="{doc.wrapper_class}">\n')
        out.append(
            f'<div class="crumbs"><a href="/">Αρχική</a> › <a href="/{e.section}" class="cat-label">'
            f"{text(e.section_name)}</a></div>\n"
        )
        out.append(f'<h1 class="headline">{text(doc.title)}</h1>\n')
        if doc.lede_tag == "h2":
            out.append(f'<h2 class="sub-headline">{text(doc.lede)}</h2>\n')
        else:
            out.append(f'<div class="subtitle">{text(doc.lede)}</div>\n')
        byline = ""
        if doc.authors and e.kind != "opinion":
            byline = '<span class="byline">Του ' + " και ".join(text(a) for a in doc.authors) + "</span> "
        updated = (
            f' <span class="updated">Τελευταία ενημέρωση: {greek_date(doc.modified)}</span>'
            if doc.modified
            else ""
        )
        out.append(
            f'<div class="info-line">{byline}<time datetime="{iso(e.published)}">{greek_date(e.published)}'
            f"</time>{updated}</div>\n"
        )
        if e.kind == "opinion" and doc.bio:
            out.append(
                '<div class="columnist-box"><img src="/media/columnists/c1.png" width="80" height="80" '
                f'alt="{attr(doc.authors[0])}"><div class="columnist-name">{text(doc.authors[0])}</div>'
                f'<div class="columnist-bio">{text(doc.bio)}</div></div>\n'
            )
        if e.kind == "live":
            out.append('<div class="live-badge">LIVE</div>\n')
        out.append(
            '<div class="share-tools"><a class="fb" href="https://www.facebook.com/sharer.php?u=x">Facebook</a> '
            '<a class="tw" href="https://twitter.com/intent/tweet?url=x">Twitter</a> '
            '<a class="vb" href="viber://forward?text=x">Viber</a></div>\n'
        )
        out.append(self._body(doc, base))
        out.append(
            '<div class="nl-box" style="border:1px solid #ccc;padding:10px"><strong>Newsletter</strong> '
            "Εγγραφείτε για να λαμβάνετε τις σημαντικότερες ειδήσεις. "
            '<input type="email" placeholder="email"><button>Εγγραφή</button></div>\n'
        )
        tags = "".join(f'<a href="/tag/{attr(t)}" rel="tag">{text(t)}</a> ' for t in doc.tags)
        out.append(f'<div class="tag-list"><span>Tags:</span> {tags}</div>\n')
        out.append("</div>\n")
        out.append(self._feed(doc))
        out.append(self._comments(doc))
        out.append(self._related(doc))
        out.append("</div>\n")
        out.append(self._sidebar(self.cat.older_than(e, 12)[6:11]))
        out.append("</div></div></main>\n")
        out.append(self._footer(f"a={e.id}&s={e.section}"))
        return "".join(out)

    def amp(self, doc: Doc, base: str) -> str:
        e = doc.entry
        body = []
        for index, para in enumerate(doc.paragraphs):
            for img in doc.images:
                if img.position == index:
                    body.append(
                        f'<amp-img src="{attr(img.path)}" width="800" height="450" layout="responsive"></amp-img>\n'
                    )
            body.append(f"<p>{text(para.text)}</p>\n")
        body += [
            f'<amp-img src="{attr(i.path)}" width="800" height="450" layout="responsive"></amp-img>\n'
            for i in doc.images
            if i.position == len(doc.paragraphs)
        ]
        return (
            '<!doctype html>\n<html amp lang="el">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{text(doc.title)}</title>\n"
            f'<link rel="canonical" href="{attr(base + doc.path)}">\n'
            '<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">\n'
            '<script async src="https://cdn.ampproject.org/v0.js"></script>\n'
            "<style amp-boilerplate>body{visibility:hidden}</style>\n</head>\n<body>\n"
            f'<header class="amp-top"><a href="/">{lx.SITE_NAME}</a></header>\n<article>\n'
            f'<div class="cat">{text(e.section_name)}</div>\n<h1>{text(doc.title)}</h1>\n'
            f"<h2>{text(doc.lede)}</h2>\n<time>{greek_date(e.published)}</time>\n"
            + "".join(body)
            + "</article>\n<footer>www.bankingnews.gr</footer>\n</body>\n</html>\n"
        )

    # --- listings ------------------------------------------------------------------------

    def _teaser_item(self, e: Entry, href: str, with_lede: bool = True) -> str:
        thumb = f'<img src="/media/thumbs/{e.id}.jpg" width="240" height="160" alt="">'
        return (
            f'<div class="list-item"><a href="{attr(href)}" class="thumb">{thumb}</a>'
            f'<div class="li-body"><span class="li-cat">{text(e.section_name)}</span> '
            f'<span class="li-time">{e.published:%d/%m %H:%M}</span>'
            f'<h3><a href="{attr(href)}">{text(self.cat.base_title(e))}</a></h3></div></div>\n'
        )

    def home(self, visible: list[Entry], internal: list[tuple[str, str]], now: datetime) -> str:
        latest = visible[:25]
        items = []
        amp_seen = 0
        for i, e in enumerate(latest):
            href = self.cat.path(e)
            amp = self.cat.amp_path(e)
            if amp:
                amp_seen += 1
            if amp and amp_seen % 2 == 1:
                href = amp
            elif i % 5 == 1:
                href += "?utm_source=home&utm_medium=web&utm_campaign=x"
            items.append(self._teaser_item(e, href))
        links = "".join(f'<li><a href="{attr(p)}">{text(t)}</a></li>' for p, t in internal)
        out = [self._head(f"{lx.SITE_NAME} - Οικονομικές ειδήσεις", "utf-8")]
        out.append('<body class="front">\n')
        out.append(self._header(visible[:5]))
        out.append('<main class="main-area"><div class="container"><div class="row"><div class="col-main">\n')
        out.append(f'<h2 class="sr-only">Ειδήσεις {greek_date(now)}</h2>\n<div class="front-list">\n')
        out += items
        out.append("</div>\n")
        out.append(f'<div class="staff-box"><h4>Για τη σύνταξη</h4><ul>{links}</ul></div>\n')
        out.append("</div>\n")
        out.append(self._sidebar(visible[5:10]))
        out.append("</div></div></main>\n")
        out.append(self._footer("p=home"))
        return "".join(out)

    def section(
        self,
        slug: str,
        entries: list[Entry],
        page: int,
        pages: int,
        ticker: list[Entry],
        extra_links: list[tuple[str, str]],
    ) -> str:
        name = SECTION_NAMES[slug]
        title = f"{name}" + (f" - Σελίδα {page}" if page > 1 else "") + f" | {lx.SITE_NAME}"
        head_links = ""
        if page > 1:
            prev = f"/{slug}" if page == 2 else f"/{slug}?page={page - 1}"
            head_links += f'<link rel="prev" href="{prev}">\n'
        if page < pages:
            head_links += f'<link rel="next" href="/{slug}?page={page + 1}">\n'
        out = [self._head(title, "utf-8", head_links)]
        out.append(f'<body class="page-section section-{slug}">\n')
        out.append(self._header(ticker))
        out.append('<main class="main-area"><div class="container"><div class="row"><div class="col-main">\n')
        out.append(f'<h1 class="section-title">{text(name)}</h1>\n<div class="section-list">\n')
        out += [self._teaser_item(e, self.cat.path(e)) for e in entries]
        out.append("</div>\n")
        if extra_links:
            links = "".join(f'<li><a href="{attr(p)}">{text(t)}</a></li>' for p, t in extra_links)
            out.append(f'<div class="editor-picks"><h4>Επιλογές σύνταξης</h4><ul>{links}</ul></div>\n')
        out.append(self._pager(slug, page, pages))
        out.append("</div>\n")
        out.append(self._sidebar(ticker))
        out.append("</div></div></main>\n")
        out.append(self._footer(f"p=section&s={slug}"))
        return "".join(out)

    @staticmethod
    def _pager(slug: str, page: int, pages: int) -> str:
        def href(n: int) -> str:
            return f"/{slug}" if n == 1 else f"/{slug}?page={n}"

        parts = []
        if page > 1:
            parts.append(f'<a rel="prev" href="{href(page - 1)}">‹ Προηγούμενη</a>')
        window = sorted({1, pages, *range(max(1, page - 3), min(pages, page + 3) + 1)})
        for n in window:
            parts.append(f'<span class="current">{n}</span>' if n == page else f'<a href="{href(n)}">{n}</a>')
        if page < pages:
            parts.append(f'<a rel="next" class="next" href="{href(page + 1)}">Επόμενη ›</a>')
        return '<nav class="pager">' + " ".join(parts) + "</nav>\n"

    def tag(self, tag: str, entries: list[Entry], ticker: list[Entry]) -> str:
        out = [
            self._head(f"{tag} | {lx.SITE_NAME}", "utf-8"),
            '<body class="page-tag">\n',
            self._header(ticker),
        ]
        out.append(f'<main class="main-area"><div class="container"><h1>{text(tag)}</h1>\n')
        out += [self._teaser_item(e, self.cat.path(e)) for e in entries]
        out.append("</div></main>\n")
        out.append(self._footer("p=tag"))
        return "".join(out)

    def error(self, status: int, message: str) -> str:
        return (
            self._head(f"{status} | {lx.SITE_NAME}", "utf-8")
            + f'<body class="page-error">\n<div class="container"><h1>{status}</h1><p>{text(message)}</p>'
            '<p><a href="/">Επιστροφή στην αρχική</a></p></div>\n</body>\n</html>\n'
        )
