"""A Drupal 10 regional outlet: discovered from /rss.xml and /sitemap.xml.

Served by ``newscrawl replica serve --outlet replica-drupal``; ``NEWSCRAWL_REPLICA_DRUPAL_URL`` points it at any base URL.
No profile: the generic extraction path must get its pages right on its own.
"""

from crawler.outlet import Outlet
from crawler.replica.local import LOCAL_SETTINGS
from spiders.news import NewsSpider

OUTLET = Outlet(
    name="replica-drupal",
    title="Local replica: Ηπειρωτικός Λόγος (Drupal 10)",
    base_url="http://127.0.0.1:8767",
    base_url_env="NEWSCRAWL_REPLICA_DRUPAL_URL",
    timezone="Europe/Athens",
    language="el",
    article_pattern=r"^/(?:diethni|oikonomia|trapezes|agores|politiki)/[a-z0-9-]+$",
    start_paths=(),
    section_paths=(),
    feeds=("/rss.xml",),
    sitemaps=("/sitemap.xml",),
    pagination_depth=2,
    profile=None,
    schedule={"minutes": 10},
    settings=LOCAL_SETTINGS,
)


class ReplicaDrupalSpider(NewsSpider):
    name = "replica-drupal"
    outlet = OUTLET
