"""A regional outlet with AMP twins and live blogs: discovered from its Atom feed and its home page.

Served by ``newscrawl replica serve --outlet replica-amp``; ``NEWSCRAWL_REPLICA_AMP_URL`` points it at any base URL.
No profile: the generic extraction path must get its pages right on its own.
"""

from crawler.outlet import Outlet
from crawler.replica.local import LOCAL_SETTINGS
from spiders.news import NewsSpider

OUTLET = Outlet(
    name="replica-amp",
    title="Local replica: Μακεδονικά Νέα (AMP twins, live blogs)",
    base_url="http://127.0.0.1:8770",
    base_url_env="NEWSCRAWL_REPLICA_AMP_URL",
    timezone="Europe/Athens",
    language="el",
    article_pattern=r"^(?:/amp)?/(?:eidiseis|live)/\d+/[a-z0-9-]+$",
    start_paths=("/",),
    section_paths=(
        "/kategoria/diethni",
        "/kategoria/oikonomia",
        "/kategoria/trapezes",
        "/kategoria/agores",
        "/kategoria/politiki",
    ),
    feeds=("/feed.xml",),
    sitemaps=(),
    pagination_depth=2,
    profile=None,
    schedule={"minutes": 10},
    settings=LOCAL_SETTINGS,
)


class ReplicaAmpSpider(NewsSpider):
    name = "replica-amp"
    outlet = OUTLET
