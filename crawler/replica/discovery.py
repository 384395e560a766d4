"""robots.txt, sitemaps and RSS: the feeds a polite crawler discovers articles from."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import format_datetime
from html import escape

from crawler.replica import lexicon as lx
from crawler.replica.model import Catalogue, Entry

NEWS_WINDOW = timedelta(hours=48)


def robots(base: str) -> str:
    return f"User-agent: *\nDisallow: /internal/\nDisallow: /__replica__/\n\nSitemap: {base}/sitemap.xml\n"


def sitemap_index(base: str, now: datetime) -> str:
    stamp = now.isoformat(timespec="seconds")
    items = "".join(
        f"<sitemap><loc>{base}{name}</loc><lastmod>{stamp}</lastmod></sitemap>\n"
        for name in ("/sitemap-news.xml", "/sitemap-articles.xml")
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{items}</sitemapindex>\n'
    )


def news_sitemap(cat: Catalogue, base: str, now: datetime) -> str:
    items = []
    for e in cat.visible(now):
        if now - e.published > NEWS_WINDOW:
            break
        doc = cat.doc(e, now)
        image = (
            f"<image:image><image:loc>{escape(base + doc.images[0].path)}</image:loc></image:image>"
            if doc.images
            else ""
        )
        items.append(
            f"<url><loc>{escape(base + doc.path)}</loc>"
            "<news:news><news:publication><news:name>BankingNews</news:name>"
            "<news:language>el</news:language></news:publication>"
            f"<news:publication_date>{e.published.isoformat(timespec='seconds')}</news:publication_date>"
            f"<news:title>{escape(doc.title)}</news:title></news:news>{image}</url>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
        'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n' + "".join(items) + "</urlset>\n"
    )


def lastmod(cat: Catalogue, e: Entry, now: datetime) -> datetime:
    return cat.modified(e, now) or e.published


def articles_sitemap(cat: Catalogue, base: str, now: datetime, extra: list[tuple[str, datetime]]) -> str:
    items = [
        f"<url><loc>{escape(base + cat.path(e))}</loc><lastmod>{lastmod(cat, e, now).isoformat(timespec='seconds')}"
        "</lastmod></url>\n"
        for e in cat.visible(now)
    ]
    items += [
        f"<url><loc>{escape(base + path)}</loc><lastmod>{stamp.isoformat(timespec='seconds')}</lastmod></url>\n"
        for path, stamp in extra
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "".join(items) + "</urlset>\n"
    )


def rss(cat: Catalogue, base: str, now: datetime) -> str:
    items = []
    for e in cat.visible(now)[:30]:
        doc = cat.doc(e, now)
        link = escape(base + doc.path)
        items.append(
            f"<item><title>{escape(doc.title)}</title><link>{link}</link>"
            f"<description>{escape(doc.lede)}</description><category>{escape(e.section_name)}</category>"
            f"<pubDate>{format_datetime(e.published)}</pubDate>"
            f'<guid isPermaLink="true">{link}</guid></item>\n'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
        f"<title>{lx.SITE_NAME}</title><link>{base}/</link>"
        "<description>Οικονομικές και πολιτικές ειδήσεις</description><language>el</language>"
        f"<lastBuildDate>{format_datetime(now)}</lastBuildDate>\n" + "".join(items) + "</channel>\n</rss>\n"
    )
