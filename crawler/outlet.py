"""What an outlet file declares, and how the project finds every outlet file.

Adding an outlet is one file in ``spiders/`` that defines ``OUTLET = Outlet(...)``; nothing else
is edited. The registry imports every module of the ``spiders`` package and collects them.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit


@dataclass(frozen=True)
class Outlet:
    """A news outlet to crawl, declared as data.

    ``base_url_env`` names an environment variable that, when set, replaces ``base_url`` (the
    replica outlet uses it so tests can point the crawler at a server on any port).
    ``schedule`` holds APScheduler interval-trigger arguments (``{"minutes": 30}``) or
    ``{"cron": "*/20 * * * *"}``. ``revisit_hours`` is the ladder of revisit delays for an
    article as it ages: fetched again 1 h after publication, then 6 h, then 24 h, then never.
    """

    name: str
    base_url: str
    article_pattern: str
    title: str = ""
    base_url_env: str | None = None
    start_paths: tuple[str, ...] = ("/",)
    section_paths: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    pagination_depth: int = 2
    deny_patterns: tuple[str, ...] = ()
    profile: Any = None
    schedule: dict[str, Any] = field(default_factory=lambda: {"minutes": 30})
    revisit_hours: tuple[float, ...] = (1, 6, 24)
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def base(self) -> str:
        if self.base_url_env and os.environ.get(self.base_url_env):
            return os.environ[self.base_url_env].rstrip("/")
        return self.base_url.rstrip("/")

    @property
    def domain(self) -> str:
        return (urlsplit(self.base).hostname or "").lower()

    def absolute(self, path: str) -> str:
        return urljoin(self.base + "/", path)

    def owns(self, url: str) -> bool:
        """Whether ``url`` is on this outlet's site (its host or a subdomain of it)."""
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
        mine = self.domain.removeprefix("www.")
        return host == mine or host.endswith("." + mine)

    def is_article(self, url: str) -> bool:
        parts = urlsplit(url)
        if not self.owns(url):
            return False
        if any(re.search(p, parts.path) for p in self.deny_patterns):
            return False
        return re.search(self.article_pattern, parts.path) is not None

    def revisit_delay(self, age: timedelta, visits: int) -> timedelta | None:
        """How long after the last fetch an article is due again, or None when it never is.

        The ladder is indexed by how many times it was fetched; an article older than the last
        rung is settled and not fetched again (its sitemap ``lastmod`` can still bring it back).
        """
        rungs = self.revisit_hours
        if visits - 1 >= len(rungs) or age > timedelta(hours=rungs[-1] * 2):
            return None
        return timedelta(hours=rungs[max(0, visits - 1)])

    def describe_schedule(self) -> str:
        if "cron" in self.schedule:
            return f"cron {self.schedule['cron']}"
        return "every " + ", ".join(f"{v} {k}" for k, v in self.schedule.items())


def all_outlets() -> dict[str, Outlet]:
    """Every outlet declared in the ``spiders`` package, by name."""
    import spiders

    found: dict[str, Outlet] = {}
    for info in pkgutil.iter_modules(spiders.__path__):
        module = importlib.import_module(f"spiders.{info.name}")
        outlet = getattr(module, "OUTLET", None)
        if isinstance(outlet, Outlet):
            found[outlet.name] = outlet
    return dict(sorted(found.items()))


def get_outlet(name: str) -> Outlet:
    outlets = all_outlets()
    if name not in outlets:
        known = ", ".join(outlets) or "none"
        raise KeyError(f"unknown outlet {name!r} (configured outlets: {known})")
    return outlets[name]


def outlet_for_url(url: str) -> Outlet | None:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    for outlet in all_outlets().values():
        if outlet.domain.removeprefix("www.") == host:
            return outlet
    return None
