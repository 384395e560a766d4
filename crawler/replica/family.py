"""What every small CMS-family replica outlet shares: its stories, its clock, its HTTP plumbing.

The bankingnews replica (:mod:`crawler.replica.site`) is large and full of faults; the family
outlets are small (a score of articles) and each renders the *same kind* of story through a
different CMS's templates, so an extractor is tested on markup, not on content. Stories come
from the same Greek generator (lexicon, :class:`~crawler.replica.model.Writer`), seeded per
outlet, so every outlet says different things in the same language.
"""

from __future__ import annotations

import json
import random
import threading
import time
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from email.utils import format_datetime
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from crawler.replica import lexicon as lx
from crawler.replica import media
from crawler.replica.model import Writer, _lower_first
from crawler.replica.site import Response, http_date
from crawler.replica.translit import slugify

ATHENS = ZoneInfo("Europe/Athens")
# Summer time starts on 2026-03-29 at 03:00: a family's stories straddle it, so their offsets
# are +02:00 before and +03:00 after, as a real outlet's archive does every spring.
FAMILY_START = datetime(2026, 3, 30, 12, 0, tzinfo=ATHENS)

# (nominative, genitive, male): bylines are written in the genitive ("Του Γιώργου Παπαδόπουλου"),
# metadata and author pages in the nominative.
AUTHORS: list[tuple[str, str, bool]] = [
    ("Γιώργος Παπαδόπουλος", "Γιώργου Παπαδόπουλου", True),
    ("Μαρία Κωνσταντίνου", "Μαρίας Κωνσταντίνου", False),
    ("Νίκος Αλεξίου", "Νίκου Αλεξίου", True),
    ("Ελένη Σταματοπούλου", "Ελένης Σταματοπούλου", False),
    ("Δημήτρης Ραφαηλίδης", "Δημήτρη Ραφαηλίδη", True),
    ("Κατερίνα Βλάχου", "Κατερίνας Βλάχου", False),
    ("Άννα Μιχαηλίδου", "Άννας Μιχαηλίδου", False),
    ("Παναγιώτης Ζαχαρίου", "Παναγιώτη Ζαχαρίου", True),
]
SHORT_DAYS = ["Δευ", "Τρί", "Τετ", "Πέμ", "Παρ", "Σάβ", "Κυρ"]
MONTHS_NOMINATIVE = [
    "Ιανουάριος",
    "Φεβρουάριος",
    "Μάρτιος",
    "Απρίλιος",
    "Μάιος",
    "Ιούνιος",
    "Ιούλιος",
    "Αύγουστος",
    "Σεπτέμβριος",
    "Οκτώβριος",
    "Νοέμβριος",
    "Δεκέμβριος",
]


def text(value: str) -> str:
    return escape(value, quote=False)


def plain(value: str) -> str:
    """Lower case, no accents, final sigma folded, spaces collapsed: how a leak is looked for."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", value) if unicodedata.category(c) != "Mn")
    return " ".join(stripped.casefold().replace("ς", "σ").split())


def attr(value: str) -> str:
    return escape(value, quote=True)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def long_date(moment: datetime, sep: str = " - ") -> str:
    """ "Τρίτη, 4 Μαρτίου 2025 - 18:05", as Greek portals print it (no leading zero on the day)."""
    day = lx.DAYS[moment.weekday()]
    return f"{day}, {moment.day} {lx.MONTHS_GENITIVE[moment.month - 1]} {moment:%Y}{sep}{moment:%H:%M}"


def today_line(moment: datetime) -> str:
    """The header's "today" date: no time, so it must never pass for an article's date."""
    return f"{lx.DAYS[moment.weekday()]}, {moment.day} {lx.MONTHS_GENITIVE[moment.month - 1]} {moment:%Y}"


def byline(author: tuple[str, str, bool]) -> str:
    nominative, genitive, male = author
    return ("Του " if male else "Της ") + genitive


@dataclass
class Pic:
    """One image of a story: ``path`` is what a crawler must store (the file its <img> names)."""

    path: str
    caption: str | None
    alt: str | None
    position: int  # how many body paragraphs precede it (0 = lead image)
    stem: str = ""
    ext: str = "jpg"


@dataclass
class Story:
    """One article as the newsroom wrote it, before any CMS renders it."""

    id: int
    section: str
    published: datetime
    title: str
    slug: str
    lede: str
    authors: list[tuple[str, str, bool]]
    tags: list[str]
    paragraphs: list[str]
    pics: list[Pic]
    comments: list[tuple[str, str]]  # (user, text)
    modified: datetime | None = None
    kind: str = "article"  # or "live"
    live_times: list[datetime] = field(default_factory=list)

    @property
    def section_name(self) -> str:
        return dict(lx.SECTIONS)[self.section]

    @property
    def author_names(self) -> list[str]:
        return [a[0] for a in self.authors]


class Stories:
    """A small, fixed set of stories for one outlet, newest first, built from ``(seed, name)``."""

    def __init__(
        self,
        name: str,
        seed: int,
        count: int,
        first_id: int,
        scheduled: int = 2,
        live: int = 0,
        max_pics: int = 3,
        image_root: str = "/media",
        min_pics: int = 1,
    ) -> None:
        rng = random.Random(f"family:{name}:{seed}")
        slugs = [slug for slug, _ in lx.SECTIONS]
        times: list[datetime] = []
        t = FAMILY_START - timedelta(minutes=rng.randint(5, 40))
        for _ in range(count):
            times.append(t)
            t -= timedelta(minutes=rng.randint(60, 300))
        future = [FAMILY_START + timedelta(minutes=20 * (k + 1)) for k in range(scheduled)]
        self.all: list[Story] = []
        next_id = first_id
        for index, published in enumerate([*reversed(future), *times]):
            next_id += rng.randint(1, 9)
            live_story = index - scheduled in range(1, 1 + live)
            section = "politiki" if live_story else slugs[(index + seed) % len(slugs)]
            self.all.append(
                self._story(
                    name, seed, next_id, section, published, live_story, (min_pics, max_pics), image_root
                )
            )
        self.all.sort(key=lambda s: s.published, reverse=True)
        self.by_id = {s.id: s for s in self.all}

    @staticmethod
    def _story(
        name: str,
        seed: int,
        story_id: int,
        section: str,
        published: datetime,
        live: bool,
        pic_range: tuple[int, int],
        image_root: str,
    ) -> Story:
        rng = random.Random(f"story:{name}:{seed}:{story_id}")
        w = Writer(rng, section)
        title = w.title()
        lede = rng.choice(lx.LEDE_TEMPLATES).format(s=_lower_first(w.subject()), p=w.predicate())
        authors = rng.sample(AUTHORS, 1 if rng.random() < 0.85 else 2)
        live_times: list[datetime] = []
        if live:
            title = "Live: " + title
            count = rng.randint(5, 7)
            live_times = [published + timedelta(minutes=6 * j + rng.randint(0, 3)) for j in range(count)]
            live_times.sort(reverse=True)
            paragraphs = [
                f"{w.sentence()} {w.sentence()}" if rng.random() < 0.5 else w.sentence() for _ in live_times
            ]
        else:
            paragraphs = [w.paragraph().text for _ in range(rng.randint(4, 9))]
        count = rng.randint(*pic_range)
        positions = [0] + sorted(rng.randint(1, len(paragraphs)) for _ in range(count - 1))
        pics = []
        for k, position in enumerate(positions):
            stem = f"{image_root}/{published:%Y/%m}/{slugify(title, 4)}-{story_id}-{k + 1}"
            caption = lx.CAPTIONS[(story_id + 3 * k) % len(lx.CAPTIONS)] if rng.random() < 0.7 else None
            pics.append(
                Pic(
                    f"{stem}.jpg",
                    caption,
                    rng.choice(lx.ALTS) if rng.random() < 0.6 else None,
                    position,
                    stem,
                )
            )
        modified = None
        if rng.random() < 0.3 and not live:
            modified = published + timedelta(minutes=rng.randint(15, 90))
            if modified > FAMILY_START:
                modified = None
        comments = [
            (
                rng.choice(lx.COMMENT_USERS),
                ". ".join(rng.choice(lx.COMMENT_BITS) for _ in range(rng.choice([1, 2, 3]))) + ".",
            )
            for _ in range(rng.randint(2, 5))
        ]
        tags = rng.sample(lx.TAGS[section], rng.randint(2, 3))
        return Story(
            id=story_id,
            section=section,
            published=published,
            title=title,
            slug=slugify(title),
            lede=lede,
            authors=authors,
            tags=tags,
            paragraphs=paragraphs,
            pics=pics,
            comments=comments,
            modified=modified,
            kind="live" if live else "article",
            live_times=live_times,
        )


class FamilySite:
    """A small replica outlet of one CMS family: a request -> :class:`Response` function with a clock.

    Subclasses set ``name``, ``charset`` and the id range, and implement :meth:`path`,
    :meth:`route` (their pages) and :meth:`boilerplate` (text the page shows that is not the
    article). Stories scheduled after the start appear when the clock is advanced.
    """

    name = ""
    charset = "utf-8"
    count = 18
    first_id = 10000
    live = 0
    min_pics = 1
    max_pics = 3
    image_root = "/media"

    def __init__(self, seed: int = 1, slow_seconds: float = 0.0) -> None:
        self.seed = seed
        self.stories = Stories(
            self.name,
            seed,
            self.count,
            self.first_id,
            live=self.live,
            max_pics=self.max_pics,
            min_pics=self.min_pics,
            image_root=self.image_root,
        )
        self.requests: list[dict[str, Any]] = []
        self._offset = 0
        self._lock = threading.Lock()

    # --- clock and truth -----------------------------------------------------------------

    def now(self) -> datetime:
        return FAMILY_START + timedelta(minutes=self._offset)

    def advance(self, minutes: int) -> None:
        if minutes < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += int(minutes)

    def close(self) -> None:
        """Nothing sleeps here; the method exists so ReplicaServer can stop any site alike."""

    def visible(self) -> list[Story]:
        now = self.now()
        return [s for s in self.stories.all if s.published <= now]

    def older(self, story: Story, count: int) -> list[Story]:
        """Stories published before ``story`` (newest first): what feeds and related lists show."""
        return [s for s in self.visible() if s.published < story.published][:count] or [
            s for s in self.visible() if s is not story
        ][:count]

    def path(self, story: Story) -> str:
        raise NotImplementedError

    def truth_paragraphs(self, story: Story) -> list[str]:
        return list(story.paragraphs)

    def boilerplate(self, story: Story) -> list[str]:
        """Strings the article page shows outside the article: none may reach the stored text."""
        out = [c for _, c in story.comments]
        out += [s.title for s in self.stories.all if s is not story]
        out += [s.lede for s in self.stories.all if s is not story]
        out += [byline(a) for a in story.authors]
        return out

    def ground_truth(self) -> list[dict[str, Any]]:
        """Every article a correct crawl stores at the current clock, newest first."""
        return [self.truth(s) for s in self.visible()]

    def truth(self, story: Story) -> dict[str, Any]:
        paragraphs = self.truth_paragraphs(story)
        body = plain(" ".join([story.lede, *paragraphs]))
        return {
            "id": story.id,
            "outlet": self.name,
            "path": self.path(story),
            "section_slug": story.section,
            "section": story.section_name,
            "kind": story.kind,
            "title": story.title,
            "lede": story.lede,
            "authors": story.author_names,
            "published_at": iso(story.published),
            "modified_at": iso(story.modified) if story.modified else None,
            "tags": list(story.tags),
            "paragraphs": paragraphs,
            "images": [
                {"url": p.path, "caption": p.caption, "alt": p.alt, "position": p.position}
                for p in story.pics
            ],
            "charset": self.charset,
            "amp_path": self.amp_path(story),
            # what the page shows outside the article; a phrase the article itself also says is left out
            "boilerplate": [b for b in dict.fromkeys(self.boilerplate(story)) if plain(b) not in body],
        }

    def amp_path(self, story: Story) -> str | None:
        return None

    # --- HTTP ----------------------------------------------------------------------------

    def handle(
        self,
        method: str,
        path_with_query: str,
        headers: dict[str, str] | None = None,
        client_is_loopback: bool = True,
    ) -> Response:
        hdrs = {k.lower(): v for k, v in (headers or {}).items()}
        method = method.upper()
        split = urlsplit(path_with_query)
        path = split.path or "/"
        query = parse_qs(split.query)
        base = "http://" + hdrs.get("host", "127.0.0.1")
        if path.startswith("/__replica__/"):
            if not client_is_loopback:
                return self.json({"error": "control endpoints answer loopback clients only"}, 403)
            return self._control(method, path, query)
        if method not in ("GET", "HEAD"):
            response = self.raw(405, b"method not allowed", "text/plain; charset=utf-8")
        else:
            try:
                response = self._media(path) or self.route(path, query, base) or self.not_found()
            except Exception as exc:  # a replica bug must show up as a 500 with a reason
                response = self.raw(500, f"replica error: {exc!r}".encode(), "text/plain; charset=utf-8")
        if method == "HEAD":
            response = replace(response, body=b"")
        with self._lock:
            self.requests.append(
                {"method": method, "path": path_with_query, "status": response.status, "time": time.time()}
            )
        return response

    def _control(self, method: str, path: str, query: dict[str, list[str]]) -> Response:
        name = path[len("/__replica__/") :].strip("/")
        if name == "advance":
            if method != "POST":
                return self.json({"error": "use POST /__replica__/advance?minutes=N"}, 405)
            raw = (query.get("minutes") or [""])[0]
            try:
                self.advance(int(raw))
            except ValueError:
                return self.json({"error": f"minutes must be a non-negative integer, got {raw!r}"}, 400)
            return self.json({"now": iso(self.now())})
        views = {
            "clock": lambda: {"now": iso(self.now()), "offset_minutes": self._offset},
            "requests": lambda: list(self.requests),
            "truth": self.ground_truth,
        }
        if name not in views:
            return self.json({"error": f"unknown control endpoint {name!r}", "known": sorted(views)}, 404)
        return self.json(views[name]())

    @staticmethod
    def _media(path: str) -> Response | None:
        lower = path.lower()
        if lower.endswith((".jpg", ".jpeg", ".png", ".webp")):
            # a real picture per path, as the K2 replica serves, so archived thumbnails differ
            kind = "image/png" if lower.endswith(".png") else "image/jpeg"
            return FamilySite.raw(200, media.picture(path), kind)
        if lower.endswith(".gif"):
            return FamilySite.raw(200, media.GIF_PIXEL, "image/gif")
        if lower.endswith((".js", ".css")):
            kind = "application/javascript" if lower.endswith(".js") else "text/css"
            return FamilySite.raw(200, b"/* replica */\n", kind)
        return None

    def route(self, path: str, query: dict[str, list[str]], base: str) -> Response | None:
        raise NotImplementedError

    def story_at(self, story_id: str | int) -> Story | None:
        try:
            story = self.stories.by_id.get(int(story_id))
        except ValueError:
            return None
        return story if story and story.published <= self.now() else None

    # --- responses -----------------------------------------------------------------------

    @staticmethod
    def raw(
        status: int, body: bytes, content_type: str, extra: list[tuple[str, str]] | None = None
    ) -> Response:
        headers = [
            ("Date", http_date(FAMILY_START)),
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
        ]
        return Response(status, headers + (extra or []), body)

    def html(self, page: str, status: int = 200, modified: datetime | None = None) -> Response:
        extra = [("Last-Modified", http_date(modified))] if modified else []
        body = page.encode(self.charset, "xmlcharrefreplace")
        return self.raw(status, body, f"text/html; charset={self.charset}", extra)

    def xml(self, body: str, content_type: str = "application/xml; charset=utf-8") -> Response:
        return self.raw(200, body.encode("utf-8"), content_type)

    def json(self, data: Any, status: int = 200) -> Response:
        body = json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
        return self.raw(status, body, "application/json; charset=utf-8")

    def redirect(self, location: str, status: int = 301) -> Response:
        return self.raw(status, b"", "text/html; charset=utf-8", [("Location", location)])

    def not_found(self) -> Response:
        page = (
            f'<!DOCTYPE html><html lang="el"><head><meta charset="{self.charset}"><title>404</title></head>'
            "<body><h1>Η σελίδα δεν βρέθηκε</h1></body></html>"
        )
        return self.html(page, 404)


# --- discovery files shared by the families --------------------------------------------


def rss(title: str, base: str, items: list[tuple[str, Story]], now: datetime, extra_ns: str = "") -> str:
    """An RSS 2.0 feed of ``(url, story)``, as WordPress and Drupal emit it (dc:creator, category)."""
    out = []
    for url, s in items:
        out.append(
            f"<item><title>{text(s.title)}</title><link>{text(url)}</link>"
            f"<dc:creator><![CDATA[{', '.join(s.author_names)}]]></dc:creator>"
            f"<pubDate>{format_datetime(s.published)}</pubDate>"
            f"<category><![CDATA[{s.section_name}]]></category>"
            f'<guid isPermaLink="false">{text(base)}/?p={s.id}</guid>'
            f"<description><![CDATA[{s.lede}]]></description></item>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"'
        f"{extra_ns}>\n<channel>\n<title>{text(title)}</title>\n<link>{text(base)}/</link>\n"
        f"<description>{text(title)}</description>\n<lastBuildDate>{format_datetime(now)}</lastBuildDate>\n"
        "<language>el</language>\n" + "".join(out) + "</channel>\n</rss>\n"
    )


def urlset(entries: list[tuple[str, datetime, str]]) -> str:
    """A sitemap ``urlset`` of ``(url, lastmod, extra xml)``."""
    items = "".join(
        f"<url><loc>{text(url)}</loc><lastmod>{iso(stamp)}</lastmod>{extra}</url>\n"
        for url, stamp, extra in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + items + "</urlset>\n"
    )


def sitemap_index(entries: list[tuple[str, datetime]]) -> str:
    items = "".join(
        f"<sitemap><loc>{text(url)}</loc><lastmod>{iso(stamp)}</lastmod></sitemap>\n"
        for url, stamp in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + items + "</sitemapindex>\n"
    )


def cookie_banner(site: str) -> str:
    return (
        '<div id="cookie-law-info-bar" data-nosnippet="true" style="position:fixed;bottom:0;width:100%;'
        'background:#111;color:#fff;z-index:9999;padding:10px"><span>Ο ιστότοπος ' + text(site) + " "
        "χρησιμοποιεί cookies για να βελτιώσει την εμπειρία σας. "
        '<a role="button" class="cli_action_button cli-accept-button" href="#">ΑΠΟΔΟΧΗ</a> '
        '<a href="/politiki-aporritou/">Πολιτική απορρήτου</a></span></div>\n'
    )


def tracking(pixel: str) -> str:
    return (
        '<script async src="https://www.googletagmanager.com/gtag/js?id=G-REPLICA1"></script>\n'
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
        "gtag('js',new Date());gtag('config','G-REPLICA1');</script>\n"
        f'<noscript><img height="1" width="1" style="display:none" alt="" src="{attr(pixel)}"></noscript>\n'
    )
