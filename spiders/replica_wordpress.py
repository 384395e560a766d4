"""A WordPress regional outlet (tagDiv-style theme, Yoast): discovered from its feed and sitemap index only.

Served by ``newscrawl replica serve --outlet replica-wordpress``; ``NEWSCRAWL_REPLICA_WORDPRESS_URL`` points it at any base URL.
No profile: the generic extraction path must get its pages right on its own.
"""

from crawler.outlet import Outlet
from crawler.replica.local import LOCAL_SETTINGS
from spiders.news import NewsSpider

OUTLET = Outlet(
    name="replica-wordpress",
    title="Local replica: Θεσσαλία Press (WordPress news theme)",
    base_url="http://127.0.0.1:8766",
    base_url_env="NEWSCRAWL_REPLICA_WORDPRESS_URL",
    timezone="Europe/Athens",
    language="el",
    article_pattern=r"^/20\d{2}/\d{2}/\d{2}/[a-z0-9-]+/?$",
    start_paths=(),
    section_paths=(),
    feeds=("/feed/",),
    sitemaps=("/sitemap_index.xml",),
    pagination_depth=2,
    profile=None,
    schedule={"minutes": 10},
    settings=LOCAL_SETTINGS,
)


class ReplicaWordPressSpider(NewsSpider):
    name = "replica-wordpress"
    outlet = OUTLET
