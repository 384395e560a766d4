"""A regional outlet with AMP twins and live blogs (a home-grown PHP CMS, BEM class names).

Every regular article has an AMP twin (``/amp/...``, linked by ``rel="amphtml"``; the twin
links back by ``rel="canonical"``) whose body repeats the lede as its first paragraph and
uses ``<amp-img>``. The home page links some stories by their AMP URL, as mobile-first CMSs
do. Live blogs are ``LiveBlogPosting`` pages of timestamped entries, newest first, with the
lede repeated too. Discovery: an Atom feed and the home and section pages.
"""

from __future__ import annotations

import json
import re

from crawler.replica import lexicon as lx
from crawler.replica.family import (
    FamilySite,
    Story,
    attr,
    byline,
    cookie_banner,
    iso,
    long_date,
    text,
    today_line,
    tracking,
)

SITE = "Μακεδονικά Νέα"
SECTIONS = dict(lx.SECTIONS)
ARTICLE_RE = re.compile(r"^(/amp)?/(eidiseis|live)/(\d+)/([a-z0-9-]+)$")


class AmpSite(FamilySite):
    name = "replica-amp"
    count = 16
    first_id = 93000
    live = 2
    max_pics = 3

    def __init__(self, seed: int = 1, slow_seconds: float = 0.0) -> None:
        super().__init__(seed, slow_seconds)
        for s in self.stories.all:
            for k, pic in enumerate(s.pics):
                pic.path = f"/uploads/{s.published:%Y/%m/%d}/{s.id}_{k + 1}.jpg"
                pic.stem = pic.path[:-4]
            if s.kind == "live":
                s.pics = s.pics[:1]
                s.modified = s.live_times[0]

    def path(self, story: Story) -> str:
        return f"/{'live' if story.kind == 'live' else 'eidiseis'}/{story.id}/{story.slug}"

    def amp_path(self, story: Story) -> str | None:
        return None if story.kind == "live" else "/amp" + self.path(story)

    def truth_paragraphs(self, story: Story) -> list[str]:
        if story.kind == "live":
            return [f"{t:%H:%M} {p}" for t, p in zip(story.live_times, story.paragraphs, strict=True)]
        return list(story.paragraphs)

    def boilerplate(self, story: Story) -> list[str]:
        return [*super().boilerplate(story), "Διαβάστε ακόμη", "Τελευταία νέα"]

    def route(self, path, query, base):
        if path == "/":
            return self.html(self.listing(None))
        if path == "/feed.xml":
            return self.xml(self.atom(base), "application/atom+xml; charset=utf-8")
        if path.startswith("/kategoria/") and path.split("/")[2] in SECTIONS:
            return self.html(self.listing(path.split("/")[2]))
        if match := ARTICLE_RE.match(path):
            story = self.story_at(match.group(3))
            if story is None or self.path(story) != path.removeprefix("/amp"):
                return None
            if match.group(1):
                if story.kind == "live":
                    return None
                return self.html(self.amp(story, base), modified=story.modified or story.published)
            return self.html(self.article(story, base), modified=story.modified or story.published)
        return None

    # --- feed ----------------------------------------------------------------------------

    def atom(self, base: str) -> str:
        entries = "".join(
            f'<entry><title>{text(s.title)}</title><link rel="alternate" type="text/html" href="{base}{self.path(s)}"/>'
            f"<id>{base}{self.path(s)}</id><published>{iso(s.published)}</published>"
            f"<updated>{iso(s.modified or s.published)}</updated>"
            + "".join(f"<author><name>{text(a[0])}</name></author>" for a in s.authors)
            + f'<category term="{attr(s.section_name)}"/><summary>{text(s.lede)}</summary></entry>\n'
            for s in self.visible()[:15]
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="el">\n'
            f'<title>{text(SITE)}</title><link href="{base}/"/><link rel="self" href="{base}/feed.xml"/>'
            f"<updated>{iso(self.now())}</updated><id>{base}/</id>\n{entries}</feed>\n"
        )

    # --- canonical pages -----------------------------------------------------------------

    def head(self, title: str, extra: str) -> str:
        return (
            '<!DOCTYPE html>\n<html lang="el-GR">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{text(title)}</title>\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"{extra}"
            '<link rel="alternate" type="application/atom+xml" href="/feed.xml">\n'
            '<link rel="stylesheet" href="/assets/css/main.min.css?v=20260301">\n'
            + tracking("/t.gif?s=mn")
            + "</head>\n"
        )

    def header(self) -> str:
        nav = "".join(
            f'<li class="nav__item"><a class="nav__link" href="/kategoria/{slug}">{text(name)}</a></li>'
            for slug, name in lx.SECTIONS
        )
        return (
            cookie_banner(SITE)
            + '<div class="site">\n<header class="site-header"><div class="site-header__top">'
            f'<span class="site-header__today">{today_line(self.now())}</span>'
            '<span class="site-header__weather">Θεσσαλονίκη 15°C</span></div>'
            f'<a class="site-header__logo" href="/"><img src="/assets/img/logo.png" alt="{attr(SITE)}"></a>'
            f'<nav class="nav"><ul class="nav__list">{nav}</ul></nav></header>\n'
        )

    def aside(self, story: Story | None) -> str:
        items = "".join(
            f'<li class="latest__item"><span class="latest__time">{s.published:%H:%M}</span> '
            f'<a class="latest__link" href="{attr(self.path(s))}">{text(s.title)}</a></li>'
            for s in self.visible()[:8]
            if s is not story
        )
        return (
            '<aside class="layout__aside"><div class="latest"><h3 class="latest__title">Τελευταία νέα</h3>'
            f'<ul class="latest__list">{items}</ul></div><div class="banner banner--300x600" '
            'id="banner-aside"><ins data-revive-zoneid="12" data-revive-id="abc"></ins>'
            '<script async src="/ads/asyncjs.php"></script></div></aside>\n'
        )

    def footer(self) -> str:
        return (
            f'<footer class="site-footer"><p>&copy; 2026 {text(SITE)} | Θεσσαλονίκη</p>'
            '<a href="/oroi">Όροι χρήσης</a> <a href="/epikoinonia">Επικοινωνία</a></footer>\n</div>\n'
            '<script src="/assets/js/main.min.js?v=20260301"></script>\n</body>\n</html>\n'
        )

    def jsonld(self, story: Story, base: str) -> str:
        live = story.kind == "live"
        data = {
            "@context": "https://schema.org",
            "@type": "LiveBlogPosting" if live else "NewsArticle",
            "headline": story.title,
            "description": story.lede,
            "datePublished": iso(story.published),
            "dateModified": iso(story.modified or story.published),
            "author": [{"@type": "Person", "name": a[0]} for a in story.authors],
            "image": {"@type": "ImageObject", "url": base + story.pics[0].path, "width": 1280, "height": 720},
            "articleSection": story.section_name,
            "mainEntityOfPage": base + self.path(story),
            "publisher": {
                "@type": "Organization",
                "name": SITE,
                "logo": {"@type": "ImageObject", "url": base + "/assets/img/logo.png"},
            },
        }
        if live:
            data["coverageStartTime"] = iso(story.published)
            data["liveBlogUpdate"] = [
                {
                    "@type": "BlogPosting",
                    "headline": p[:60],
                    "datePublished": iso(t),
                    "articleBody": p,
                }
                for t, p in zip(story.live_times, story.paragraphs, strict=True)
            ]
        return (
            '<script type="application/ld+json">'
            + json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
            + "</script>\n"
        )

    def figure(self, pic, tag: str = "img") -> str:
        caption = (
            f'<figcaption class="article__caption">{text(pic.caption)}</figcaption>' if pic.caption else ""
        )
        alt = attr(pic.alt or "")
        if tag == "amp-img":
            img = f'<amp-img src="{attr(pic.path)}" width="1280" height="720" layout="responsive" alt="{alt}"></amp-img>'
        else:
            img = (
                f'<img src="{attr(pic.path)}" srcset="{attr(pic.stem)}_400.jpg 400w, {attr(pic.stem)}_800.jpg 800w, '
                f'{attr(pic.path)} 1280w" sizes="(max-width: 800px) 100vw, 800px" alt="{alt}" width="800" height="450">'
            )
        return f'<figure class="article__figure">{img}{caption}</figure>\n'

    def live_entries(self, story: Story) -> str:
        return "".join(
            f'<div class="liveblog__entry" id="entry-{len(story.live_times) - i}">'
            f'<div class="liveblog__time"><time datetime="{iso(t)}">{t:%H:%M}</time></div>'
            f'<div class="liveblog__content"><p>{text(p)}</p></div>'
            '<div class="liveblog__share"><a href="#">Κοινοποίηση</a></div></div>\n'
            for i, (t, p) in enumerate(zip(story.live_times, story.paragraphs, strict=True))
        )

    def body(self, story: Story, tag: str, lede_again: bool) -> str:
        out = [f"<p>{text(story.lede)}</p>\n"] if lede_again else []
        if story.kind == "live":
            out.append(self.live_entries(story))
            return "".join(out)
        for index, para in enumerate(story.paragraphs, start=1):
            out.append(f"<p>{text(para)}</p>\n")
            if index == 3 and tag == "img":
                other = self.older(story, 1)
                if other:
                    out.append(
                        f'<div class="read-also"><span class="read-also__label">Διαβάστε ακόμη</span> '
                        f'<a href="{attr(self.path(other[0]))}">{text(other[0].title)}</a></div>\n'
                    )
            out += [self.figure(p, tag) for p in story.pics[1:] if p.position == index]
        return "".join(out)

    def byline(self, story: Story) -> str:
        return " και ".join(
            f'<a class="article__author" rel="author" href="/syntaktis/{i}">{text(byline(a) if i == 0 else a[1])}</a>'
            for i, a in enumerate(story.authors)
        )

    def article(self, story: Story, base: str) -> str:
        url = base + self.path(story)
        amp = self.amp_path(story)
        meta = (
            f'<link rel="canonical" href="{attr(url)}">\n'
            + (f'<link rel="amphtml" href="{attr(base + amp)}">\n' if amp else "")
            + f'<meta name="description" content="{attr(story.lede)}">\n'
            f'<meta property="og:title" content="{attr(story.title)}">\n'
            f'<meta property="og:image" content="{base}{attr(story.pics[0].path)}">\n'
            f'<meta property="article:published_time" content="{iso(story.published)}">\n'
            + self.jsonld(story, base)
        )
        live = story.kind == "live"
        badge = '<span class="live-badge">LIVE</span> ' if live else ""
        updated = (
            f'<span class="article__updated">Ενημερώθηκε: <time datetime="{iso(story.modified)}">{story.modified:%H:%M}</time></span>'
            if story.modified
            else ""
        )
        return "".join(
            [
                self.head(f"{story.title} - {SITE}", meta),
                f'<body class="{"page-live" if live else "page-article"}">\n',
                self.header(),
                '<div class="layout"><main class="layout__main">\n',
                f'<article class="article{" article--live" if live else ""}">\n',
                '<nav class="breadcrumb"><a href="/">Αρχική</a> / '
                f'<a href="/kategoria/{story.section}">{text(story.section_name)}</a></nav>\n',
                self.figure(story.pics[0]),
                f'<h1 class="article__title">{text(story.title)}</h1>{badge}\n',
                f'<p class="article__lead">{text(story.lede)}</p>\n',
                f'<div class="article__meta">{self.byline(story)} <time class="article__date" '
                f'datetime="{iso(story.published)}">{long_date(story.published, ", ")}</time> {updated}</div>\n',
                '<div class="share"><a class="share__fb" href="https://www.facebook.com/sharer/sharer.php?u='
                f'{attr(url)}">Facebook</a><a class="share__x" href="https://x.com/intent/post?url={attr(url)}">X</a>'
                '<a class="share__mail" href="mailto:?subject=x">Email</a></div>\n',
                f'<div class="{"liveblog" if live else "article__body"}">\n{self.body(story, "img", live)}</div>\n',
                '<div class="banner banner--inread"><ins data-revive-zoneid="14"></ins></div>\n',
                "</article>\n</main>\n",
                self.aside(story),
                "</div>\n",
                self.footer(),
            ]
        )

    def amp(self, story: Story, base: str) -> str:
        url = base + self.path(story)
        return "".join(
            [
                '<!doctype html>\n<html ⚡ lang="el">\n<head>\n<meta charset="utf-8">\n'
                '<script async src="https://cdn.ampproject.org/v0.js"></script>\n'
                '<script async custom-element="amp-analytics" src="https://cdn.ampproject.org/v0/amp-analytics-0.1.js"></script>\n'
                f"<title>{text(story.title)} - {text(SITE)}</title>\n"
                f'<link rel="canonical" href="{attr(url)}">\n'
                '<meta name="viewport" content="width=device-width">\n',
                self.jsonld(story, base),
                "<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both}</style>"
                "<noscript><style amp-boilerplate>body{-webkit-animation:none}</style></noscript>\n"
                "<style amp-custom>.amp-header{background:#003}.amp-article__lead{font-weight:700}</style>\n"
                "</head>\n<body>\n",
                f'<header class="amp-header"><a href="{base}/">{text(SITE)}</a></header>\n',
                '<amp-analytics type="gtag" data-credentials="include"><script type="application/json">'
                '{"vars":{"gtag_id":"G-REPLICA1"}}</script></amp-analytics>\n',
                '<article class="amp-article">\n',
                f'<div class="amp-article__section">{text(story.section_name)}</div>\n',
                f'<h1 class="amp-article__title">{text(story.title)}</h1>\n',
                f'<div class="amp-article__meta">{text(" και ".join(byline(a) if i == 0 else a[1] for i, a in enumerate(story.authors)))} | '
                f'<time datetime="{iso(story.published)}">{story.published:%d/%m/%Y %H:%M}</time></div>\n',
                self.figure(story.pics[0], "amp-img"),
                f'<p class="amp-article__lead">{text(story.lede)}</p>\n',
                '<div class="amp-article__body">\n',
                self.body(story, "amp-img", True),
                "</div>\n",
                '<amp-ad width="300" height="250" type="doubleclick" data-slot="/1234/amp_inarticle"></amp-ad>\n',
                "</article>\n",
                f'<footer class="amp-footer">&copy; 2026 {text(SITE)} | <a href="{attr(url)}">Πλήρης έκδοση</a></footer>\n',
                "</body>\n</html>\n",
            ]
        )

    def listing(self, slug: str | None) -> str:
        stories = [s for s in self.visible() if slug is None or s.section == slug]
        items = []
        for i, s in enumerate(stories[:14]):
            href = self.path(s)
            if slug is None and self.amp_path(s) and i % 3 == 1:
                href = self.amp_path(s)
            items.append(
                f'<article class="card"><a class="card__image" href="{attr(href)}"><img src="{attr(s.pics[0].stem)}_400.jpg" '
                f'alt="" loading="lazy"></a><div class="card__body"><span class="card__section">{text(s.section_name)}</span>'
                f'<h2 class="card__title"><a href="{attr(href)}">{text(s.title)}</a></h2>'
                f'<time class="card__time" datetime="{iso(s.published)}">{s.published:%d/%m %H:%M}</time></div></article>\n'
            )
        title = f"{SECTIONS[slug]} - {SITE}" if slug else SITE
        return "".join(
            [
                self.head(title, ""),
                '<body class="page-list">\n',
                self.header(),
                '<div class="layout"><main class="layout__main"><section class="cards">\n',
                *items,
                "</section></main>\n",
                self.aside(None),
                "</div>\n",
                self.footer(),
            ]
        )
