"""A regional outlet on a custom, server-rendered React stack (Next.js-style hashed class names).

Nothing here follows a CMS convention an extractor could know: CSS-module class names
(``Article_body__Qk3xA``), a hero ``<picture>`` above the headline, the lede repeated as the
body's first paragraph, a Swiper gallery after the text whose loop mode duplicates the first
and last slides, a JSON-LD ``NewsArticle`` with the whole ``articleBody`` and every image, and
the page's data again in ``__NEXT_DATA__``. Discovery is a Google News sitemap only.
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
    text,
    today_line,
    tracking,
    urlset,
)

SITE = "Κρήτη Live"
ARTICLE_RE = re.compile(r"^/eidiseis/([a-z]+)/(\d+)/([a-z0-9-]+)$")


def numeric(moment) -> str:
    return f"{moment:%d.%m.%Y | %H:%M}"


class CustomSite(FamilySite):
    name = "replica-custom"
    count = 16
    first_id = 705000
    min_pics = 3
    max_pics = 5
    image_root = "/images"

    def __init__(self, seed: int = 1, slow_seconds: float = 0.0) -> None:
        super().__init__(seed, slow_seconds)
        for s in self.stories.all:
            for k, pic in enumerate(s.pics):
                pic.path = f"/images/articles/{s.id}/{k + 1:02d}-{s.slug[:30]}.jpg"
                pic.stem = pic.path[: -len(".jpg")]
                if k:
                    pic.position = len(s.paragraphs)  # the gallery comes after the text

    def path(self, story: Story) -> str:
        return f"/eidiseis/{story.section}/{story.id}/{story.slug}"

    def boilerplate(self, story: Story) -> list[str]:
        return [*super().boilerplate(story), "Σχετικά άρθρα", "Φωτογραφίες", "Δημοφιλή"]

    def route(self, path, query, base):
        if path == "/":
            return self.html(self.home(base))
        if path == "/sitemap-news.xml":
            entries = [
                (
                    base + self.path(s),
                    s.modified or s.published,
                    "<news:news><news:publication><news:name>Κρήτη Live</news:name><news:language>el</news:language>"
                    f"</news:publication><news:publication_date>{iso(s.published)}</news:publication_date>"
                    f"<news:title>{text(s.title)}</news:title></news:news>",
                )
                for s in self.visible()
            ]
            return self.xml(urlset(entries))
        if path == "/robots.txt":
            body = f"User-agent: *\nDisallow: /api/\n\nSitemap: {base}/sitemap-news.xml\n"
            return self.raw(200, body.encode(), "text/plain; charset=utf-8")
        if match := ARTICLE_RE.match(path):
            story = self.story_at(match.group(2))
            if story is None:
                return None
            if self.path(story) != path:
                return self.redirect(base + self.path(story), 308)
            return self.html(self.article(story, base), modified=story.modified or story.published)
        return None

    # --- pieces --------------------------------------------------------------------------

    def head(self, title: str, extra: str) -> str:
        return (
            '<!DOCTYPE html><html lang="el"><head><meta charSet="utf-8"/>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
            f"<title>{text(title)}</title>{extra}"
            '<link rel="preload" href="/_next/static/css/9b1c2a.css" as="style"/>'
            '<link rel="stylesheet" href="/_next/static/css/9b1c2a.css" data-n-g=""/>'
            '<script src="/_next/static/chunks/webpack-4f2a.js" defer=""></script>'
            '<script src="/_next/static/chunks/pages/_app-77c1.js" defer=""></script>'
            '<style data-emotion="css 1x2y3z">.css-1x2y3z{display:flex;gap:8px}</style>'
            + tracking("/px.gif?p=1")
            + "</head>\n"
        )

    def header(self) -> str:
        nav = "".join(
            f'<a class="Nav_link__Fq2Rt" href="/eidiseis/{slug}">{text(name)}</a>'
            for slug, name in lx.SECTIONS
        )
        return (
            '<div id="__next"><div class="Layout_wrapper__Xm2Qp">'
            '<div class="TopBar_bar__Z8kLm"><span class="TopBar_date__p0Lq9">'
            f'{today_line(self.now())}</span><span class="Weather_widget__a8d0e">Ηράκλειο 17°C</span></div>'
            '<header class="Header_header__3kd9s"><a class="Header_logo__Qw9Er" href="/" aria-label="Κρήτη Live">'
            '<img alt="Κρήτη Live" src="/logo.svg" width="180" height="40"/></a>'
            f'<nav class="Nav_nav__Lk3Pq">{nav}</nav><button class="Header_burger__Zz1Aa" '
            'aria-label="menu"><span></span><span></span></button></header>\n'
        )

    def jsonld(self, story: Story, base: str) -> str:
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": base + self.path(story)},
            "headline": story.title,
            "description": story.lede,
            "articleBody": " ".join([story.lede, *story.paragraphs]),
            "articleSection": story.section_name,
            "keywords": story.tags,
            "datePublished": iso(story.published),
            "dateModified": iso(story.modified or story.published),
            "author": [
                {"@type": "Person", "name": a[0], "url": f"{base}/author/{i}"}
                for i, a in enumerate(story.authors)
            ],
            "image": [
                {
                    "@type": "ImageObject",
                    "url": base + p.path,
                    "width": 1200,
                    "height": 675,
                    **({"caption": p.caption} if p.caption else {}),
                }
                for p in story.pics
            ],
            "publisher": {
                "@type": "NewsMediaOrganization",
                "name": SITE,
                "logo": {"@type": "ImageObject", "url": base + "/logo.png"},
            },
            "isAccessibleForFree": True,
            "inLanguage": "el-GR",
        }
        return (
            '<script type="application/ld+json">'
            + json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
            + "</script>"
        )

    def gallery(self, story: Story) -> str:
        pics = story.pics[1:]
        if not pics:
            return ""

        def slide(index: int, duplicate: bool) -> str:
            pic = pics[index]
            cls = "swiper-slide swiper-slide-duplicate" if duplicate else "swiper-slide"
            caption = (
                f'<figcaption class="Gallery_caption__Uu7Yt">{text(pic.caption)}</figcaption>'
                if pic.caption
                else ""
            )
            return (
                f'<div class="{cls}" data-swiper-slide-index="{index}"><figure class="Gallery_figure__Hh3Jk">'
                f'<img class="swiper-lazy" data-src="{attr(pic.path)}" src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" '
                f'alt="{attr(pic.alt or "")}" width="1200" height="675"/>{caption}</figure></div>'
            )

        slides = [slide(len(pics) - 1, True), *(slide(i, False) for i in range(len(pics))), slide(0, True)]
        return (
            '<div class="Gallery_gallery__Nn4Bv"><h3 class="Gallery_title__Yy6Tt">Φωτογραφίες</h3>'
            '<div class="swiper swiper-initialized swiper-horizontal"><div class="swiper-wrapper" '
            'style="transform:translate3d(-720px, 0px, 0px);transition-duration:0ms">'
            + "".join(slides)
            + '</div><div class="swiper-button-prev"></div><div class="swiper-button-next"></div>'
            f'<div class="swiper-pagination">1 / {len(pics)}</div></div></div>\n'
        )

    def article(self, story: Story, base: str) -> str:
        url = base + self.path(story)
        hero = story.pics[0]
        hero_caption = (
            f'<span class="Article_heroCaption__Vv2Bb">{text(hero.caption)}</span>' if hero.caption else ""
        )
        body = [f'<p class="Article_paragraph__Rr5Tt">{text(story.lede)}</p>']
        for index, para in enumerate(story.paragraphs, start=1):
            body.append(f'<p class="Article_paragraph__Rr5Tt">{text(para)}</p>')
            if index == 2:
                body.append(
                    '<div class="AdSlot_slot__Kk9Ll" data-slot="inarticle_1" style="min-height:280px">'
                    '<div id="div-gpt-ad-inarticle_1"></div><span class="AdSlot_label__Mm1Nn">ΔΙΑΦΗΜΙΣΗ</span></div>'
                )
        related = "".join(
            f'<a class="Card_card__Ee3Rr" href="{attr(self.path(s))}"><img src="{attr(s.pics[0].stem)}-thumb.jpg" '
            f'alt="{attr(s.title)}" width="320" height="180" loading="lazy"/><span class="Card_kicker__Ww2Qq">'
            f'{text(s.section_name)}</span><h4 class="Card_title__Tt8Yy">{text(s.title)}</h4>'
            f'<time class="Card_time__Ii0Oo">{numeric(s.published)}</time></a>'
            for s in self.older(story, 4)
        )
        popular = "".join(
            f'<li><a href="{attr(self.path(s))}">{text(s.title)}</a></li>'
            for s in self.visible()[:5]
            if s is not story
        )
        authors = " και ".join(
            f'<a class="Article_authorLink__Gg4Hh" href="/author/{i}">{text(byline(a) if i == 0 else a[1])}</a>'
            for i, a in enumerate(story.authors)
        )
        next_data = {
            "props": {
                "pageProps": {
                    "article": {
                        "id": story.id,
                        "title": story.title,
                        "lead": story.lede,
                        "body": "".join(f"<p>{text(p)}</p>" for p in story.paragraphs),
                        "publishedAt": iso(story.published),
                    }
                }
            },
            "page": "/eidiseis/[section]/[id]/[slug]",
            "buildId": "k2Lm9QpX",
        }
        meta = (
            f'<meta name="description" content="{attr(story.lede)}"/>'
            f'<meta property="og:type" content="article"/><meta property="og:title" content="{attr(story.title)}"/>'
            f'<meta property="og:description" content="{attr(story.lede)}"/>'
            f'<meta property="og:image" content="{base}{attr(hero.path)}"/><meta property="og:url" content="{attr(url)}"/>'
            f'<meta property="og:site_name" content="{attr(SITE)}"/><link rel="canonical" href="{attr(url)}"/>'
            + self.jsonld(story, base)
        )
        return "".join(
            [
                self.head(f"{story.title} | {SITE}", meta),
                "<body>",
                cookie_banner(SITE),
                self.header(),
                '<main class="Article_main__Hk2s9"><div class="Article_grid__1aB2c"><div class="Article_content__9XyZa">\n',
                '<div class="Article_hero__4fG7h"><picture>'
                f'<source type="image/webp" srcSet="{attr(hero.stem)}.webp 1x"/>'
                f'<img src="{attr(hero.path)}" alt="{attr(hero.alt or "")}" width="1200" height="675" fetchpriority="high"/>'
                f"</picture>{hero_caption}</div>\n",
                f'<a class="Article_kicker__Bb7Cc" href="/eidiseis/{story.section}">{text(story.section_name)}</a>\n',
                f'<h1 class="Article_title__Jj5Kk">{text(story.title)}</h1>\n',
                f'<p class="Article_lead__Ll2Mm">{text(story.lede)}</p>\n',
                f'<div class="Article_meta__Nn8Oo"><span class="Article_author__Pp3Qq">{authors}</span>'
                f'<span class="Article_date__Rr4Ss">{numeric(story.published)}</span>'
                '<span class="Article_readTime__Tt6Uu">3\' ανάγνωση</span></div>\n',
                '<div class="ShareBar_bar__Vv7Ww"><button aria-label="Facebook" class="ShareBar_fb__Aa1Bb">f</button>'
                '<button aria-label="X" class="ShareBar_x__Cc2Dd">x</button><button aria-label="Viber" '
                'class="ShareBar_viber__Ee3Ff">v</button><button class="ShareBar_copy__Gg4Hh">Αντιγραφή συνδέσμου</button></div>\n',
                f'<div class="Article_body__Qk3xA">{"".join(body)}</div>\n',
                self.gallery(story),
                '<div class="Tags_tags__Ii5Jj">'
                + "".join(
                    f'<a class="Tags_tag__Kk6Ll" href="/tag/{attr(t)}">#{text(t)}</a>' for t in story.tags
                )
                + "</div>\n",
                f'<section class="Related_related__Mm7Nn"><h3 class="Related_title__Oo8Pp">Σχετικά άρθρα</h3>'
                f'<div class="Related_grid__Qq9Rr">{related}</div></section>\n',
                "</div>\n",
                f'<aside class="Article_aside__Ss0Tt"><div class="MostRead_box__Uu1Vv"><h3>Δημοφιλή</h3><ol>{popular}</ol></div>'
                '<div class="AdSlot_slot__Kk9Ll" data-slot="sidebar_1" style="min-height:600px"><div id="div-gpt-ad-sidebar_1">'
                "</div></div></aside>\n",
                "</div></main>\n",
                f'<footer class="Footer_footer__Ww2Xx"><p>&copy; 2026 {text(SITE)}. Με την επιφύλαξη παντός δικαιώματος.</p>'
                '<a href="/oroi">Όροι χρήσης</a></footer></div></div>\n',
                '<script id="__NEXT_DATA__" type="application/json">'
                + json.dumps(next_data, ensure_ascii=False).replace("</", "<\\/")
                + "</script>\n</body></html>\n",
            ]
        )

    def home(self, base: str) -> str:
        cards = "".join(
            f'<a class="Card_card__Ee3Rr" href="{attr(self.path(s))}"><img src="{attr(s.pics[0].stem)}-thumb.jpg" alt="" '
            f'width="320" height="180"/><h3 class="Card_title__Tt8Yy">{text(s.title)}</h3></a>'
            for s in self.visible()[:12]
        )
        return (
            self.head(f"{SITE} - Ειδήσεις από την Κρήτη", "")
            + "<body>"
            + self.header()
            + f'<main class="Home_main__Aa0Bb">{cards}</main></div></div></body></html>\n'
        )
