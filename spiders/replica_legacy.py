"""A legacy table-layout regional outlet in windows-1253: no sitemap, no feed, section listings only.

Served by ``newscrawl replica serve --outlet replica-legacy``; ``NEWSCRAWL_REPLICA_LEGACY_URL`` points it at any base URL.
No profile: the generic extraction path must get its pages right on its own.
"""

from crawler.outlet import Outlet
from crawler.replica.local import LOCAL_SETTINGS
from spiders.news import NewsSpider

OUTLET = Outlet(
    name="replica-legacy",
    title="Local replica: Η Φωνή της Μεσσηνίας (legacy tables, windows-1253)",
    base_url="http://127.0.0.1:8769",
    base_url_env="NEWSCRAWL_REPLICA_LEGACY_URL",
    timezone="Europe/Athens",
    language="el",
    article_pattern=r"^/eidisi\.php$",
    start_paths=("/",),
    section_paths=(
        "/kathgoria.php?cat=diethni",
        "/kathgoria.php?cat=oikonomia",
        "/kathgoria.php?cat=trapezes",
        "/kathgoria.php?cat=agores",
        "/kathgoria.php?cat=politiki",
    ),
    feeds=(),
    sitemaps=(),
    pagination_depth=3,
    profile=None,
    schedule={"minutes": 10},
    settings=LOCAL_SETTINGS,
)


class ReplicaLegacySpider(NewsSpider):
    name = "replica-legacy"
    outlet = OUTLET
