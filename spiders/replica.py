"""The local replica of a bankingnews.gr-style outlet (``newscrawl replica serve``).

Same markup as the real site, so it uses the bankingnews profile; the base URL comes from
``NEWSCRAWL_REPLICA_URL`` so tests and the demo can serve it on any port. Being local, it needs
no politeness delay, and a short timeout makes its deliberately slow page fail fast.
"""

from crawler.outlet import Outlet
from spiders.bankingnews import PROFILE
from spiders.news import NewsSpider

OUTLET = Outlet(
    name="replica",
    title="Local bankingnews.gr replica",
    base_url="http://127.0.0.1:8765",
    base_url_env="NEWSCRAWL_REPLICA_URL",
    timezone="Europe/Athens",
    language="el",
    article_pattern=r"^/[a-z-]+/articles/\d+/[^/]+/?$",
    start_paths=("/",),
    section_paths=("/diethni", "/oikonomia", "/trapezes", "/agores", "/politiki"),
    feeds=("/rss",),
    sitemaps=("/sitemap.xml",),
    pagination_depth=3,
    profile=PROFILE,
    schedule={"minutes": 10},
    settings={
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        "DOWNLOAD_TIMEOUT": 2,
        "RETRY_TIMES": 1,
        "RETRY_BACKOFF_BASE": 0.2,
        "RETRY_BACKOFF_MAX": 5,
    },
)


class ReplicaSpider(NewsSpider):
    name = "replica"
    outlet = OUTLET
