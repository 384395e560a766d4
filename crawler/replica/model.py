"""The replica's article catalogue: which articles exist, when, and what they say.

Cheap metadata (id, section, publication time, special roles) is laid out for every
article up front so that listings, sitemaps and the clock work for 10,000 articles;
titles and bodies are derived lazily from ``(seed, id)`` so each article is the same
no matter in which order pages are requested.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from crawler.replica import lexicon as lx
from crawler.replica.translit import slugify

ATHENS = ZoneInfo("Europe/Athens")
START = datetime(2026, 1, 5, 15, 0, tzinfo=ATHENS)
REVISION_MINUTES = 45
SCHEDULED_COUNT = 12
SCHEDULED_EVERY_MINUTES = 15
SECTION_NAMES = dict(lx.SECTIONS)
SECTION_SLUGS = [slug for slug, _ in lx.SECTIONS]

# Roles by position among the initially visible articles, newest first (size >= 60).
LIVE_INDEX = 1
REVISED_INDEX = 2
OPINION_INDEX = 5
FAULT_500_INDEX = 7
REDIRECT_TARGET_INDEX = 9
FAULT_429_INDEX = 11
WINDOWS_1253_INDEXES = (13, 21, 34)
ISO_8859_7_INDEXES = (17, 28)

IMAGE_STYLES = ("figure", "alt", "lazy", "srcset", "figure-lazy", "alt-abs", "figure-srcset")


@dataclass(frozen=True)
class Entry:
    """Metadata of one article, cheap enough to hold for every article of a large site."""

    id: int
    section: str
    published: datetime
    kind: str = "article"
    scheduled: bool = False
    charset: str = "utf-8"
    fault: str | None = None
    amp: bool = False
    revised: bool = False
    markup: str = "full"  # full = JSON-LD + og meta; og = og meta only; none = neither

    @property
    def section_name(self) -> str:
        return SECTION_NAMES[self.section]


@dataclass
class Image:
    path: str
    style: str
    absolute: bool
    caption: str | None
    alt: str | None
    position: int
    srcset: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Paragraph:
    text: str
    strong_lead: str | None = None  # the first sentence, rendered in <strong>


@dataclass
class Comment:
    user: str
    avatar: str
    minutes_after: int
    text: str


@dataclass
class Doc:
    """Everything a rendered article page says, plus what a crawler must keep of it."""

    entry: Entry
    title: str
    slug: str
    lede: str
    lede_tag: str
    authors: list[str]
    tags: list[str]
    paragraphs: list[Paragraph]
    images: list[Image]
    modified: datetime | None
    teaser: tuple[int, int] | None  # (paragraph index it follows, article id)
    comments: list[Comment]
    related_count: int
    feed_count: int
    body_class: str
    wrapper_class: str
    bio: str | None = None

    @property
    def path(self) -> str:
        return article_path(self.entry, self.slug)


def article_path(entry: Entry, slug: str) -> str:
    return f"/{entry.section}/articles/{entry.id}/{slug}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class Writer:
    """Seeded prose generator for one article."""

    def __init__(self, rng: random.Random, section: str) -> None:
        self.rng = rng
        self.section = section

    def subject(self) -> str:
        pool = self.section if self.rng.random() < 0.8 else self.rng.choice(SECTION_SLUGS)
        return self.rng.choice(lx.SUBJECTS[pool])

    def predicate(self) -> str:
        pool = self.section if self.rng.random() < 0.85 else self.rng.choice(SECTION_SLUGS)
        return self.rng.choice(lx.PREDICATES[pool])

    def sentence(self) -> str:
        r = self.rng
        form = r.random()
        if form < 0.35:
            return f"{r.choice(lx.OPENERS)} {_lower_first(self.subject())} {self.predicate()}, {r.choice(lx.CLOSERS)}."
        if form < 0.6:
            return f"{self.subject()} {self.predicate()}."
        if form < 0.8:
            return r.choice(lx.FACTS).format(n=r.randint(2, 9), m=r.randint(1, 9))
        if form < 0.9:
            return r.choice(lx.QUOTES)
        return f"{self.subject()} {self.predicate()} και {self.predicate()}."

    def paragraph(self) -> Paragraph:
        sentences = [self.sentence() for _ in range(self.rng.randint(1, 4))]
        # Avoid the same sentence twice in a row, which reads like a glitch.
        sentences = [s for i, s in enumerate(sentences) if i == 0 or s != sentences[i - 1]]
        text = " ".join(sentences)
        lead = sentences[0] if len(sentences) > 1 and self.rng.random() < 0.15 else None
        return Paragraph(text, lead)

    def title(self) -> str:
        r = self.rng
        core = f"{self.subject()} {self.predicate()}"
        tail = r.choice(lx.TITLE_TAILS)
        if r.random() < 0.2:
            core = f"{r.choice(lx.SUBJECTS[self.section]).split(' ', 1)[-1]}: {_lower_first(core)}"
        return f"{core} {tail}".strip()


class Catalogue:
    """All articles of one replica: a fixed timeline built from ``size`` and ``seed``."""

    def __init__(self, size: int, seed: int) -> None:
        if size < 60:
            raise ValueError(f"size must be at least 60 (got {size})")
        self.size = size
        self.seed = seed
        self.start = START
        rng = random.Random(f"timeline:{seed}")
        # Newest first, going back in time from the start of the clock.
        times: list[datetime] = []
        t = START - timedelta(minutes=rng.randint(3, 12))
        for _ in range(size):
            times.append(t)
            t -= timedelta(minutes=rng.randint(7, 35))
        ids: list[int] = []
        next_id = 870000
        for _ in range(size + SCHEDULED_COUNT):
            next_id += rng.randint(1, 6)
            ids.append(next_id)
        regular: list[Entry] = []
        for index, published in enumerate(times):
            article_id = ids[size - 1 - index]
            regular.append(self._regular_entry(index, article_id, published, rng))
        scheduled = [
            Entry(
                id=ids[size + k],
                section=SECTION_SLUGS[(k * 2 + seed) % len(SECTION_SLUGS)],
                published=START + timedelta(minutes=SCHEDULED_EVERY_MINUTES * (k + 1)),
                scheduled=True,
                markup="full" if k % 4 else "og",
            )
            for k in range(SCHEDULED_COUNT)
        ]
        # Oldest first: the natural order for bisecting on the clock.
        self.entries: list[Entry] = list(reversed(regular)) + scheduled
        self.by_id: dict[int, Entry] = {e.id: e for e in self.entries}
        self.publish_times = [e.published for e in self.entries]
        self.regular_newest_first = regular
        self._titles: dict[int, str] = {}
        self._docs: dict[tuple[int, bool], Doc] = {}

    @staticmethod
    def _regular_entry(index: int, article_id: int, published: datetime, rng: random.Random) -> Entry:
        section = rng.choice(SECTION_SLUGS)
        kind = "article"
        if index == LIVE_INDEX:
            kind, section = "live", "politiki"
        elif index == OPINION_INDEX:
            kind, section = "opinion", "oikonomia"
        charset = "utf-8"
        if index in WINDOWS_1253_INDEXES:
            charset = "windows-1253"
        elif index in ISO_8859_7_INDEXES:
            charset = "iso-8859-7"
        fault = {FAULT_500_INDEX: "500-once", FAULT_429_INDEX: "429-once"}.get(index)
        markup = {4: "none", 6: "og"}.get(index % 7, "full")
        return Entry(
            id=article_id,
            section=section,
            published=published,
            kind=kind,
            charset=charset,
            fault=fault,
            amp=index % 6 == 3 and charset == "utf-8",
            revised=index == REVISED_INDEX,
            markup=markup,
        )

    # --- cheap lookups -------------------------------------------------------------------

    @cached_property
    def revision_time(self) -> datetime:
        return START + timedelta(minutes=REVISION_MINUTES)

    @property
    def revised_entry(self) -> Entry:
        return self.regular_newest_first[REVISED_INDEX]

    @property
    def redirect_target(self) -> Entry:
        return self.regular_newest_first[REDIRECT_TARGET_INDEX]

    def visible(self, now: datetime) -> list[Entry]:
        """Published articles at ``now``, newest first."""
        from bisect import bisect_right

        return self.entries[: bisect_right(self.publish_times, now)][::-1]

    def is_visible(self, entry: Entry, now: datetime) -> bool:
        return entry.published <= now

    def older_than(self, entry: Entry, count: int) -> list[Entry]:
        """The ``count`` articles published just before ``entry``, newest first."""
        from bisect import bisect_left

        end = bisect_left(self.publish_times, entry.published)
        return self.entries[max(0, end - count) : end][::-1]

    def base_title(self, entry: Entry) -> str:
        title = self._titles.get(entry.id)
        if title is None:
            rng = random.Random(f"title:{self.seed}:{entry.id}")
            if entry.kind == "live":
                title = "Live: Η συζήτηση στη Βουλή για τον προϋπολογισμό του 2026"
            else:
                title = Writer(rng, entry.section).title()
            self._titles[entry.id] = title
        return title

    def title(self, entry: Entry, now: datetime) -> str:
        title = self.base_title(entry)
        if entry.revised and now >= self.revision_time:
            title += " - Νεότερα στοιχεία"
        return title

    def slug(self, entry: Entry) -> str:
        return slugify(self.base_title(entry))

    def path(self, entry: Entry) -> str:
        return article_path(entry, self.slug(entry))

    def amp_path(self, entry: Entry) -> str | None:
        return "/amp" + self.path(entry) if entry.amp else None

    def tags(self, entry: Entry) -> list[str]:
        rng = random.Random(f"tags:{self.seed}:{entry.id}")
        return rng.sample(lx.TAGS[entry.section], rng.randint(2, 4))

    def modified(self, entry: Entry, now: datetime) -> datetime | None:
        """When the article was last edited, computed without building its body (sitemaps need it for all)."""
        if entry.revised:
            return self.revision_time if now >= self.revision_time else None
        if entry.scheduled or entry.kind == "live":
            return None
        rng = random.Random(f"modified:{self.seed}:{entry.id}")
        if rng.random() >= 0.3:
            return None
        candidate = entry.published + timedelta(minutes=rng.randint(20, 240))
        return candidate if candidate < START else None

    # --- full documents ------------------------------------------------------------------

    def doc(self, entry: Entry, now: datetime) -> Doc:
        revised = entry.revised and now >= self.revision_time
        key = (entry.id, revised)
        doc = self._docs.get(key)
        if doc is None:
            doc = self._build(entry, revised)
            if len(self._docs) > 4096:
                self._docs.clear()
            self._docs[key] = doc
        return doc

    def _build(self, entry: Entry, revised: bool) -> Doc:
        rng = random.Random(f"body:{self.seed}:{entry.id}")
        w = Writer(rng, entry.section)
        title = self.base_title(entry) + (" - Νεότερα στοιχεία" if revised else "")
        lede = rng.choice(lx.LEDE_TEMPLATES).format(s=_lower_first(w.subject()), p=w.predicate())
        authors: list[str] = []
        bio = None
        roll = rng.random()
        if entry.kind == "opinion":
            name, bio = lx.COLUMNISTS[entry.id % len(lx.COLUMNISTS)]
            authors = [name]
        elif roll < 0.55:
            authors = [rng.choice(lx.AUTHORS)]
        elif roll < 0.65:
            authors = rng.sample(lx.AUTHORS, 2)
        if entry.kind == "live":
            paragraphs = self._live_entries(entry, rng)
        else:
            paragraphs = [w.paragraph() for _ in range(rng.randint(4, 12))]
        if revised:
            paragraphs.append(
                Paragraph(
                    "Ενημέρωση: νεότερα στοιχεία επιβεβαιώνουν ότι "
                    f"{_lower_first(w.subject())} {w.predicate()}, {rng.choice(lx.CLOSERS)}."
                )
            )
        modified = self.revision_time if revised else self.modified(entry, START)
        images = self._images(entry, rng, len(paragraphs))
        teaser = None
        older = self.older_than(entry, 30)
        if older and entry.kind == "article" and rng.random() < 0.45:
            teaser = (rng.randint(1, len(paragraphs) - 1), rng.choice(older).id)
        return Doc(
            entry=entry,
            title=title,
            slug=self.slug(entry),
            lede=lede,
            lede_tag=rng.choice(["h2", "div"]),
            authors=authors,
            tags=self.tags(entry),
            paragraphs=paragraphs,
            images=images,
            modified=modified,
            teaser=teaser,
            comments=self._comments(rng),
            related_count=rng.randint(4, 6),
            feed_count=rng.randint(15, 25),
            body_class=rng.choice(["main-text", "story__content", "field-body", "txt-body", "node-content"]),
            wrapper_class=rng.choice(["post", "story", "node-article", "art-main"]),
            bio=bio,
        )

    def _live_entries(self, entry: Entry, rng: random.Random) -> list[Paragraph]:
        count = rng.randint(5, 8)
        span = max(count, int((START - entry.published).total_seconds() // 60))
        step = max(1, span // count)
        stamps = [entry.published + timedelta(minutes=step * j) for j in range(count)]
        texts = rng.sample(lx.LIVE_ENTRIES, count)
        return [
            Paragraph(f"{stamp:%H:%M} {text}")
            for stamp, text in reversed(list(zip(stamps, texts, strict=True)))
        ]

    def _images(self, entry: Entry, rng: random.Random, paragraphs: int) -> list[Image]:
        count = rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 6])
        month = f"/media/{entry.published:%Y/%m}"
        images = []
        positions = sorted(rng.randint(0, paragraphs) for _ in range(count))
        for k, position in enumerate(positions):
            style = IMAGE_STYLES[(entry.id + k) % len(IMAGE_STYLES)]
            stem = f"{month}/{entry.id}-{k + 1}"
            ext = "jpg" if (entry.id + k) % 5 else "png"
            path = f"{stem}.{ext}"
            srcset: list[tuple[str, int]] = []
            if "srcset" in style:
                srcset = [(f"{stem}-{w}.{ext}", w) for w in (480, 960, 1600)]
                path = srcset[1][0]  # the file src names; the others are its other sizes
            caption = (
                lx.CAPTIONS[(entry.id + 3 * k) % len(lx.CAPTIONS)] if style.startswith("figure") else None
            )
            alt = rng.choice(lx.ALTS) if style.startswith("alt") or rng.random() < 0.5 else None
            images.append(
                Image(
                    path=path,
                    style=style,
                    absolute=style == "alt-abs" or rng.random() < 0.3,
                    caption=caption,
                    alt=alt,
                    position=position,
                    srcset=srcset,
                )
            )
        return images

    def _comments(self, rng: random.Random) -> list[Comment]:
        comments = []
        for _ in range(rng.randint(3, 8)):
            parts = [rng.choice(lx.COMMENT_BITS) for _ in range(rng.choice([1, 1, 2, 3, 6]))]
            comments.append(
                Comment(
                    user=rng.choice(lx.COMMENT_USERS),
                    avatar=f"/media/avatars/u{rng.randint(100, 999)}.png",
                    minutes_after=rng.randint(5, 300),
                    text=". ".join(parts) + rng.choice([".", "!", "...", ";"]),
                )
            )
        return comments
