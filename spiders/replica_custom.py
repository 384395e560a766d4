"""A custom-built regional outlet (JSON-LD NewsArticle, gallery): discovered from its Google News sitemap only.

Served by ``newscrawl replica serve --outlet replica-custom``; ``NEWSCRAWL_REPLICA_CUSTOM_URL`` points it at any base URL.
No profile: the generic extraction path must get its pages right on its own.
"""

from crawler.outlet import Outlet
from crawler.replica.local import LOCAL_SETTINGS
from spiders.news import NewsSpider

OUTLET = Outlet(
    name="replica-custom",
    title="Local replica: Κρήτη Live (custom site)",
    base_url="http://127.0.0.1:8768",
    base_url_env="NEWSCRAWL_REPLICA_CUSTOM_URL",
    timezone="Europe/Athens",
    language="el",
    article_pattern=r"^/eidiseis/[a-z]+/\d+/[a-z0-9-]+$",
    start_paths=(),
    section_paths=(),
    feeds=(),
    sitemaps=("/sitemap-news.xml",),
    pagination_depth=2,
    profile=None,
    schedule={"minutes": 10},
    settings=LOCAL_SETTINGS,
)


class ReplicaCustomSpider(NewsSpider):
    name = "replica-custom"
    outlet = OUTLET
