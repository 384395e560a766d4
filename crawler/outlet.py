"""What an outlet file declares, and how the project finds every outlet file.

Adding an outlet is one file in ``spiders/`` that defines an ``Outlet(...)`` at module level;
nothing else is edited. The registry imports every module of the ``spiders`` package and keys
each declaration by its ``name`` (not its file name). A broken outlet file is an error that
names the file, never a silently missing outlet.

One declaration carries everything about an outlet: discovery (feeds, sitemaps, listings),
the origins a crawl may touch, the extraction profile (``None`` means the generic path), the
time zone of naive times on its pages, and its schedule.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import pkgutil
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

from crawler.extraction.profile import GENERIC_PROFILE, Profile
from storage.urlrules import WEB_SCHEMES, Origin, origin_of


class OutletFileError(RuntimeError):
    """An outlet file in ``spiders/`` could not be loaded, or two declare the same name."""


@dataclass(frozen=True)
class Outlet:
    """A news outlet to crawl, declared as data.

    ``base_url_env`` names an environment variable that, when set, replaces ``base_url`` (the
    replica outlets use it so tests can point the crawler at a server on any port).
    ``origins`` lists further http(s) origins the outlet serves from, spelled out one by one
    (``"https://bankingnews.gr"``, ``"http://www.bankingnews.gr"``): the base URL's origin is
    always allowed, nothing else is, not even another port or scheme on the same host.
    ``timezone`` is the zone of naive times printed on the outlet's pages (``None``: leave them
    naive). ``profile`` holds only what the generic extraction cannot guess; ``None`` uses the
    generic path. ``schedule`` holds APScheduler interval-trigger arguments (``{"minutes": 30}``)
    or ``{"cron": "*/20 * * * *"}``. ``revisit_hours`` is the ladder of revisit delays for an
    article as it ages: fetched again 1 h after publication, then 6 h, then 24 h, then never.
    """

    name: str
    base_url: str
    article_pattern: str
    title: str = ""
    base_url_env: str | None = None
    origins: tuple[str, ...] = ()
    timezone: str | None = None
    language: str | None = None
    start_paths: tuple[str, ...] = ("/",)
    section_paths: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    pagination_depth: int = 2
    deny_patterns: tuple[str, ...] = ()
    profile: Profile | None = None
    schedule: dict[str, Any] = field(default_factory=lambda: {"minutes": 30})
    revisit_hours: tuple[float, ...] = (1, 6, 24)
    settings: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for url in (self.base_url, *self.origins):
            if origin_of(url) is None:
                raise ValueError(f"outlet {self.name!r}: {url!r} is not an http(s) origin")

    @property
    def base(self) -> str:
        if self.base_url_env and os.environ.get(self.base_url_env):
            return os.environ[self.base_url_env].rstrip("/")
        return self.base_url.rstrip("/")

    @property
    def domain(self) -> str:
        return (urlsplit(self.base).hostname or "").lower()

    @property
    def allowed_origins(self) -> frozenset[Origin]:
        """The base URL's origin plus the declared ones (the base may come from the environment)."""
        found = {origin_of(self.base)}
        found.update(origin_of(url) for url in self.origins)
        found.discard(None)
        return frozenset(found)  # type: ignore[arg-type]

    @property
    def extraction_profile(self) -> Profile:
        """The profile extraction uses: the outlet's own, or the generic one with its zone and language."""
        if self.profile is not None:
            return self.profile
        own = {"timezone": self.timezone, "language": self.language}
        return dataclasses.replace(GENERIC_PROFILE, name=self.name, **{k: v for k, v in own.items() if v})

    def absolute(self, path: str) -> str:
        return urljoin(self.base + "/", path)

    def refusal(self, url: str) -> str | None:
        """Why a crawl of this outlet must not request ``url``, or None when it may."""
        scheme = urlsplit(url).scheme.lower() if isinstance(url, str) else ""
        if scheme not in WEB_SCHEMES:
            return f"refused: scheme {scheme or 'none'!r} is not http(s)"
        origin = origin_of(url)
        if origin is None:
            return "refused: malformed URL"
        if origin not in self.allowed_origins:
            scheme, host, port = origin
            return f"refused: {scheme}://{host}:{port} is not one of {self.name}'s origins"
        return None

    def owns(self, url: str) -> bool:
        """Whether ``url`` is on one of this outlet's declared http(s) origins."""
        return self.refusal(url) is None

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


_CACHE: dict[str, Outlet] | None = None


def all_outlets() -> dict[str, Outlet]:
    """Every outlet declared in the ``spiders`` package, by its ``name``.

    Raises ``OutletFileError`` naming the file when an outlet file fails to import, and when two
    files declare the same name.
    """
    global _CACHE
    if _CACHE is not None:
        return dict(_CACHE)
    import spiders

    found: dict[str, Outlet] = {}
    where: dict[str, str] = {}
    for info in pkgutil.iter_modules(spiders.__path__):
        path = os.path.join(spiders.__path__[0], f"{info.name}.py")
        try:
            module = importlib.import_module(f"spiders.{info.name}")
        except Exception as exc:  # noqa: BLE001 - reported with the file that caused it
            raise OutletFileError(f"outlet file {path} is broken: {type(exc).__name__}: {exc}") from exc
        for value in vars(module).values():
            if not isinstance(value, Outlet) or found.get(value.name) is value:
                continue
            if value.name in found:
                raise OutletFileError(
                    f"outlet name {value.name!r} is declared twice: {where[value.name]} and {path}"
                )
            found[value.name] = value
            where[value.name] = path
    _CACHE = dict(sorted(found.items()))
    return dict(_CACHE)


def get_outlet(name: str) -> Outlet:
    outlets = all_outlets()
    if name not in outlets:
        known = ", ".join(outlets) or "none"
        raise KeyError(f"unknown outlet {name!r} (configured outlets: {known})")
    return outlets[name]


def outlet_for_url(url: str) -> Outlet | None:
    """The outlet whose declared origins serve ``url``, if any."""
    for outlet in all_outlets().values():
        if outlet.owns(url):
            return outlet
    return None


def profile_for_url(url: str | None) -> Profile:
    """The extraction profile for a page: its outlet's, else the generic one."""
    outlet = outlet_for_url(url) if url else None
    return outlet.extraction_profile if outlet else GENERIC_PROFILE


def profile_by_name(name: str) -> Profile:
    """``--profile NAME``: an outlet's profile by the outlet's name, or ``generic``."""
    if name == GENERIC_PROFILE.name:
        return GENERIC_PROFILE
    outlets = all_outlets()
    if name in outlets:
        return outlets[name].extraction_profile
    known = ", ".join(["generic", *outlets])
    raise KeyError(f"unknown profile {name!r} (known: {known})")
