"""bankingnews.gr: the outlet's extraction profile (its crawl settings follow below).

Only what the generic cascade cannot guess: where the body, title, lede, byline and visible
date sit, and which in-column widgets (ads, share bar, newsletter box, tags, live badge,
columnist box) to drop. The news feed is headed "Ρoή Ειδήσεων" with a Latin ``o`` on the real
site; heading matching folds look-alikes, so the generic headings already cover it.
"""

from crawler.extraction.profile import GENERIC_BOILERPLATE_HEADINGS, Profile

PROFILE = Profile(
    name="bankingnews",
    language="el",
    timezone="Europe/Athens",
    title_selector="h1.headline",
    lede_selector="h2.sub-headline, div.subtitle",
    section_selector="div.crumbs a.cat-label",
    author_selector="span.byline, div.columnist-name",
    date_selector="div.info-line time",
    modified_selector="div.info-line span.updated",
    tags_selector="div.tag-list a[rel~=tag]",
    body_selector="div.field-body, div.txt-body, div.story__content, div.main-text, div.node-content",
    prune_selectors=(
        "div.adv",
        "div.share-tools",
        "div.nl-box",
        "div.tag-list",
        "div.live-badge",
        "div.columnist-box",
        "section.news-flow",
        "section.user-comments",
    ),
    boilerplate_headings=(*GENERIC_BOILERPLATE_HEADINGS, "Ρoή Ειδήσεων"),
    preferred_date_source="json-ld",
)


# -- crawl configuration -------------------------------------------------------------------------
# Paths follow the site's public layout (article URLs /<section>/articles/<id>/<slug>); the feed
# and sitemap paths could not be checked from this offline workplace and are the first thing to
# verify on a machine with internet (`newscrawl crawl bankingnews --max-pages 5 -v`).

from crawler.outlet import Outlet  # noqa: E402 - kept beside the crawl block it serves
from spiders.news import NewsSpider  # noqa: E402

OUTLET = Outlet(
    name="bankingnews",
    title="BankingNews",
    base_url="https://www.bankingnews.gr",
    origins=("https://bankingnews.gr", "http://www.bankingnews.gr", "http://bankingnews.gr"),
    timezone="Europe/Athens",
    language="el",
    article_pattern=r"^/[a-z0-9-]+/articles/\d+/[^/]+/?$",
    start_paths=("/",),
    section_paths=("/diethni", "/oikonomia", "/trapezes", "/agores", "/politiki"),
    feeds=("/rss",),
    sitemaps=("/sitemap.xml",),
    pagination_depth=2,
    profile=PROFILE,
    schedule={"minutes": 30},
)


class BankingnewsSpider(NewsSpider):
    name = "bankingnews"
    outlet = OUTLET
