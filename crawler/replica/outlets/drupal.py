"""A regional outlet on Drupal 10 (Olivero-derived theme, pathauto, metatag, simple_sitemap).

Drupal renders every value as a field wrapper: ``field--name-body`` for the text,
``field--name-field-image`` for the lead image (an image-style derivative with ``?itok=``),
``field--name-field-subtitle`` for the lede. The page title sits in its own block above the
node; CKEditor inline images come as ``<figure role="group" class="caption caption-img">``;
metatag writes ``article:published_time`` with a colon-less offset (``+0300``); the visible
date is the site's medium format ``Δευ, 30/03/2026 - 10:15``; many editors type the byline
("Του Γιώργου Παπαδόπουλου") as the body's first paragraph. Core's ``/rss.xml`` carries the ten
newest nodes and simple_sitemap's ``/sitemap.xml`` all of them.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC

from crawler.replica import lexicon as lx
from crawler.replica.family import (
    SHORT_DAYS,
    FamilySite,
    Story,
    attr,
    byline,
    cookie_banner,
    rss,
    text,
    tracking,
    urlset,
)

SITE = "Ηπειρωτικός Λόγος"
SECTIONS = dict(lx.SECTIONS)
NODE_RE = re.compile(r"^/node/(\d+)$")


def medium(moment) -> str:
    return f"{SHORT_DAYS[moment.weekday()]}, {moment:%d/%m/%Y - %H:%M}"


def itok(path: str) -> str:
    return hashlib.sha1(path.encode()).hexdigest()[:8]


class DrupalSite(FamilySite):
    name = "replica-drupal"
    count = 18
    first_id = 2300
    max_pics = 3

    def __init__(self, seed: int = 1, slow_seconds: float = 0.0) -> None:
        super().__init__(seed, slow_seconds)
        for s in self.stories.all:
            for k, pic in enumerate(s.pics):
                name = f"{s.slug[:40]}-{k + 1}.jpg"
                if k == 0:
                    pic.caption = None  # an image field has alt text, no caption
                    file = f"/styles/wide/public/{s.published:%Y-%m}/{name}"
                    pic.path = f"/sites/default/files{file}?itok={itok(file)}"
                else:
                    pic.path = f"/sites/default/files/inline-images/{name}"
                pic.stem = f"{s.published:%Y-%m}/{name}"

    def path(self, story: Story) -> str:
        return f"/{story.section}/{story.slug}"

    @staticmethod
    def typed_byline(story: Story) -> bool:
        """Half the editors type "Του ..." as the body's first paragraph."""
        return story.id % 2 == 0

    def boilerplate(self, story: Story) -> list[str]:
        return [*super().boilerplate(story), "Προσθήκη νέου σχολίου", "Τελευταία νέα", "Ετικέτες"]

    def route(self, path, query, base):
        if path in ("/", "/node"):
            return self.html(self.listing(None))
        if path == "/rss.xml":
            items = [(base + self.path(s), s) for s in self.visible()[:10]]
            return self.xml(rss(SITE, base, items, self.now()), "application/rss+xml; charset=utf-8")
        if path == "/sitemap.xml":
            entries = [(base + "/", self.now(), "<changefreq>hourly</changefreq><priority>1.0</priority>")]
            for s in self.visible():
                image = f"<image:image><image:loc>{base}{attr(s.pics[0].path)}</image:loc></image:image>"
                entries.append(
                    (base + self.path(s), s.modified or s.published, "<priority>0.5</priority>" + image)
                )
            return self.xml(urlset(entries))
        if path == "/robots.txt":
            body = "User-agent: *\nDisallow: /admin/\nDisallow: /comment/reply/\nDisallow: /node/add/\n"
            return self.raw(200, body.encode(), "text/plain; charset=utf-8")
        if match := NODE_RE.match(path):
            story = self.story_at(match.group(1))
            return self.redirect(base + self.path(story)) if story else None
        if path.startswith("/category/") and path.split("/")[2] in SECTIONS:
            return self.html(self.listing(path.split("/")[2]))
        for s in self.visible():
            if self.path(s) == path:
                return self.html(self.article(s, base), modified=s.modified or s.published)
        return None

    # --- chrome --------------------------------------------------------------------------

    def head(self, title: str, extra: str, current: str) -> str:
        settings = (
            '{"path":{"baseUrl":"\\/","pathPrefix":"","currentPath":"'
            + current
            + '","currentPathIsAdmin":false,'
            '"isFront":false,"currentLanguage":"el"},"pluralDelimiter":"\\u0003","suppressDeprecationErrors":true,'
            '"ajaxTrustedUrl":{"\\/search\\/node":true},"user":{"uid":0,"permissionsHash":"5d1e"}}'
        )
        return (
            '<!DOCTYPE html>\n<html lang="el" dir="ltr" prefix="content: http://purl.org/rss/1.0/modules/content/  '
            "dc: http://purl.org/dc/terms/  foaf: http://xmlns.com/foaf/0.1/  og: http://ogp.me/ns#  "
            'schema: http://schema.org/  sioc: http://rdfs.org/sioc/ns# " class="no-js">\n<head>\n'
            '<meta charset="utf-8" />\n'
            + tracking("/pixel.gif?d=1")
            + extra
            + '<meta name="Generator" content="Drupal 10 (https://www.drupal.org)" />\n'
            '<meta name="MobileOptimized" content="width" />\n<meta name="HandheldFriendly" content="true" />\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1.0" />\n'
            '<link rel="icon" href="/themes/custom/epirus/favicon.ico" type="image/vnd.microsoft.icon" />\n'
            f"<title>{text(title)}</title>\n"
            '<link rel="stylesheet" media="all" href="/sites/default/files/css/css_Qm3x.css?delta=0&amp;language=el'
            '&amp;theme=epirus&amp;include=eJxlj0EOwjAMBD8U" />\n'
            f'<script type="application/json" data-drupal-selector="drupal-settings-json">{settings}</script>\n'
            '<script src="/sites/default/files/js/js_8nQh.js?scope=header&amp;delta=0&amp;language=el"></script>\n'
            "</head>\n"
        )

    def header(self) -> str:
        menu = "".join(
            '<li class="primary-nav__menu-item primary-nav__menu-item--link primary-nav__menu-item--level-1">'
            f'<a href="/category/{slug}" class="primary-nav__menu-link primary-nav__menu-link--link '
            f'primary-nav__menu-link--level-1" data-drupal-link-system-path="taxonomy/term/{i + 1}">'
            f'<span class="primary-nav__menu-link-inner primary-nav__menu-link-inner--level-1">{text(name)}</span>'
            "</a></li>"
            for i, (slug, name) in enumerate(lx.SECTIONS)
        )
        return (
            '<a href="#main-content" class="visually-hidden focusable skip-link">Μετάβαση στο κύριο περιεχόμενο</a>\n'
            '<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>\n'
            '<div id="page-wrapper" class="page-wrapper"><div id="page">\n'
            '<header id="header" class="site-header" data-drupal-selector="site-header" role="banner">'
            '<div class="site-header__fixable" data-drupal-selector="site-header-fixable">'
            '<div class="site-header__initial"><button class="sticky-header-toggle" aria-expanded="false">'
            '<span class="visually-hidden">Μενού</span></button></div>'
            '<div id="site-header__inner" class="site-header__inner"><div class="container site-header__inner__container">'
            '<div id="block-epirus-site-branding" class="site-branding block block-system '
            'block-system-branding-block"><div class="site-branding__inner"><a href="/" rel="home" '
            'class="site-branding__logo"><img src="/themes/custom/epirus/logo.svg" alt="Αρχική" fetchpriority="high" '
            f'/></a><div class="site-branding__text"><div class="site-branding__name"><a href="/" title="Αρχική" '
            f'rel="home">{text(SITE)}</a></div></div></div></div>'
            '<div class="header-nav-overlay" data-drupal-selector="header-nav-overlay"></div>'
            '<div class="mobile-buttons" data-drupal-selector="mobile-buttons"></div>'
            '<div id="header-nav" class="header-nav" data-drupal-selector="header-nav">'
            '<nav role="navigation" aria-labelledby="block-epirus-main-menu-menu" id="block-epirus-main-menu" '
            'class="primary-nav block block-menu navigation menu--main"><h2 class="visually-hidden block__title" '
            'id="block-epirus-main-menu-menu">Κύρια πλοήγηση</h2><ul class="menu primary-nav__menu '
            f'primary-nav__menu--level-1" data-drupal-selector="primary-nav-menu--level-1">{menu}</ul></nav>'
            "</div></div></div></div></header>\n"
        )

    def sidebar(self, story: Story | None) -> str:
        rows = "".join(
            '<div class="views-row"><div class="views-field views-field-field-image"><div class="field-content">'
            f'<a href="{attr(self.path(s))}" hreflang="el"><img loading="lazy" '
            f'src="/sites/default/files/styles/thumbnail/public/{attr(s.pics[0].stem)}?itok={itok(s.pics[0].stem)}" '
            'width="100" height="56" alt="" typeof="foaf:Image" class="image-style-thumbnail" /></a></div></div>'
            '<div class="views-field views-field-title"><span class="field-content">'
            f'<a href="{attr(self.path(s))}" hreflang="el">{text(s.title)}</a></span></div>'
            '<div class="views-field views-field-created"><span class="field-content">'
            f"{s.published:%d/%m/%Y - %H:%M}</span></div></div>"
            for s in self.visible()[:8]
            if s is not story
        )
        return (
            '<div class="region region--sidebar"><div class="views-element-container block block-views '
            'block-views-blockfrontpage-block-1" id="block-epirus-views-block-frontpage-block-1">'
            '<h2 class="block__title">Τελευταία νέα</h2><div><div class="view view-frontpage view-id-frontpage '
            f'view-display-id-block_1 js-view-dom-id-6c2e"><div class="view-content">{rows}</div></div></div></div>'
            '<div id="block-epirus-adsidebar" class="block block-block-content block-block-content4f1e">'
            '<div class="clearfix text-content field field--name-body field--type-text-with-summary '
            'field--label-hidden field__item"><div id="div-gpt-ad-sidebar" style="min-width:300px;min-height:250px">'
            "<script>googletag.cmd.push(function(){googletag.display('div-gpt-ad-sidebar');});</script></div></div>"
            "</div></div>\n"
        )

    def footer(self) -> str:
        return (
            '<footer class="site-footer"><div class="site-footer__inner container"><div class="region '
            'region--footer-top grid-full"><div class="region--footer_top__inner">'
            '<nav role="navigation" id="block-epirus-footer" class="block block-menu navigation menu--footer">'
            '<ul class="menu"><li class="menu__item"><a href="/contact" class="menu__link">Επικοινωνία</a></li>'
            '<li class="menu__item"><a href="/terms" class="menu__link">Όροι χρήσης</a></li></ul></nav>'
            f'</div></div><div class="region region--footer-bottom grid-full">&copy; 2026 {text(SITE)} - '
            "Εφημερίδα της Ηπείρου</div></div></footer>\n</div></div></div>\n"
            + cookie_banner(SITE)
            + '<script src="/sites/default/files/js/js_Xk2d.js?scope=footer&amp;delta=0&amp;language=el"></script>\n'
            "</body>\n</html>\n"
        )

    # --- pages ---------------------------------------------------------------------------

    def body(self, story: Story) -> str:
        out = [
            '<div class="clearfix text-content field field--name-body field--type-text-with-summary '
            'field--label-hidden field__item">'
        ]
        if self.typed_byline(story):
            out.append(f"<p><strong>{text(byline(story.authors[0]))}</strong></p>\n")
        for index, para in enumerate(story.paragraphs, start=1):
            out.append(f"<p>{text(para)}</p>\n")
            if index == 2:
                out.append(
                    '<div class="ad-inline" style="margin:20px auto;text-align:center"><div id="div-gpt-ad-inline">'
                    "<script>googletag.cmd.push(function(){googletag.display('div-gpt-ad-inline');});</script>"
                    "</div></div>\n"
                )
            for pic in story.pics[1:]:
                if pic.position != index:
                    continue
                uuid = hashlib.md5(pic.path.encode()).hexdigest()
                uuid = f"{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:32]}"
                alt = f' alt="{attr(pic.alt)}"' if pic.alt else ""
                img = (
                    f'<img data-entity-uuid="{uuid}" data-entity-type="file" src="{attr(pic.path)}" '
                    f'width="800" height="450"{alt} loading="lazy">'
                )
                if pic.caption:
                    out.append(
                        f'<figure role="group" class="caption caption-img">{img}<figcaption>'
                        f"{text(pic.caption)}</figcaption></figure>\n"
                    )
                else:
                    out.append(f"<p>{img}</p>\n")
        out.append("</div>\n")
        return "".join(out)

    def comments(self, story: Story) -> str:
        items = "".join(
            f'<article data-comment-user-id="0" id="comment-{story.id * 10 + i}" class="comment js-comment by-anonymous" '
            'role="article" data-drupal-selector="comment"><div class="comment__picture-wrapper">'
            '<div class="comment__picture"><img src="/core/themes/olivero/images/default-avatar.png" '
            'alt="" width="50" height="50"></div></div><div class="comment__text-wrapper">'
            f'<footer class="comment__meta"><p class="comment__author"><span lang="" typeof="schema:Person" '
            f'property="schema:name">{text(user)} (δεν επαληθεύτηκε)</span></p><p class="comment__time">'
            f"{medium(story.published.replace(hour=(story.published.hour + 1 + i) % 24))}</p></footer>"
            '<div class="comment__content"><div class="clearfix text-content field field--name-comment-body '
            f'field--type-text-long field--label-hidden field__item"><p>{text(body)}</p></div>'
            '<drupal-render-placeholder callback="comment.lazy_builders:renderLinks" arguments="0=12" '
            'token="x"></drupal-render-placeholder></div></div></article>'
            for i, (user, body) in enumerate(story.comments)
        )
        return (
            '<section data-drupal-selector="comments" class="comments"><h2 class="comments__title">Σχόλια</h2>'
            f'{items}<h2 class="add-comment__heading">Προσθήκη νέου σχολίου</h2>'
            '<form class="comment-comment-form comment-form" data-drupal-selector="comment-form" '
            'action="/comment/reply/node/1/comment" method="post" accept-charset="UTF-8"><div class="form-item">'
            '<label for="edit-comment-body">Σχόλιο</label><textarea id="edit-comment-body" name="comment_body">'
            '</textarea></div><input type="submit" value="Αποθήκευση" class="button"></form></section>\n'
        )

    def article(self, story: Story, base: str) -> str:
        url = base + self.path(story)
        published = story.published.strftime("%Y-%m-%dT%H:%M:%S%z")
        meta = (
            f'<meta name="description" content="{attr(story.lede)}" />\n'
            f'<link rel="canonical" href="{attr(url)}" />\n'
            f'<link rel="shortlink" href="{base}/node/{story.id}" />\n'
            f'<meta property="og:site_name" content="{attr(SITE)}" />\n'
            '<meta property="og:type" content="article" />\n'
            f'<meta property="og:url" content="{attr(url)}" />\n'
            f'<meta property="og:title" content="{attr(story.title)}" />\n'
            f'<meta property="og:description" content="{attr(story.lede)}" />\n'
            f'<meta property="og:image" content="{base}{attr(story.pics[0].path)}" />\n'
            f'<meta property="article:published_time" content="{published}" />\n'
        )
        if story.modified:
            meta += f'<meta property="article:modified_time" content="{story.modified.strftime("%Y-%m-%dT%H:%M:%S%z")}" />\n'
        lead = story.pics[0]
        alt = attr(lead.alt or "")
        tags = "".join(
            f'<li><a href="/taxonomy/term/{30 + i}" property="schema:about" hreflang="el">{text(t)}</a></li>'
            for i, t in enumerate(story.tags)
        )
        authors = "".join(
            f'<div class="field__item"><a href="/syntaktes/{i}" hreflang="el">{text(a[0])}</a></div>'
            for i, a in enumerate(story.authors)
        )
        out = [
            self.head(f"{story.title} | {SITE}", meta, f"node\\/{story.id}"),
            '<body class="path-node page-node-type-article">\n',
            self.header(),
            '<div id="main-wrapper" class="layout-main-wrapper layout-container"><div id="main" class="layout-main">'
            '<div class="main-content"><a id="main-content" tabindex="-1"></a>\n',
            '<div class="region region--breadcrumb grid-full layout--pass--content-medium"><div id="block-epirus-breadcrumbs" '
            'class="block block-system block-system-breadcrumb-block"><nav class="breadcrumb" role="navigation" '
            'aria-labelledby="system-breadcrumb"><h2 id="system-breadcrumb" class="visually-hidden">Ψίχουλα</h2>'
            '<ol class="breadcrumb__list"><li class="breadcrumb__item"><a href="/" class="breadcrumb__link">Αρχική</a>'
            f'</li><li class="breadcrumb__item"><a href="/category/{story.section}" class="breadcrumb__link">'
            f"{text(story.section_name)}</a></li></ol></nav></div></div>\n",
            '<div class="region region--content-above grid-full layout--pass--content-medium">'
            '<div data-drupal-messages-fallback class="hidden messages-list"></div>'
            '<div id="block-epirus-page-title" class="block block-core block-page-title-block">'
            '<h1 class="title page-title"><span class="field field--name-title field--type-string field--label-hidden">'
            f"{text(story.title)}</span></h1></div></div>\n",
            '<div class="region region--content grid-full layout--pass--content-medium" id="content">'
            '<div id="block-epirus-content" class="block block-system block-system-main-block">\n',
            f'<article data-history-node-id="{story.id}" about="{attr(self.path(story))}" typeof="schema:Article" '
            'class="node node--type-article node--promoted node--view-mode-full">\n',
            f'<span property="schema:name" content="{attr(story.title)}" class="rdf-meta hidden"></span>\n',
            f'<span property="schema:interactionCount" content="UserComments:{len(story.comments)}" '
            'class="rdf-meta hidden"></span>\n',
            '<header class="node__header"><div class="node__meta"><span class="node__submitted">'
            '<span class="field field--name-created field--type-created field--label-hidden">'
            f"{medium(story.published)}</span></span>"
            f'<span property="schema:dateCreated" content="{story.published.astimezone(UTC).isoformat(timespec="seconds")}" '
            'class="rdf-meta hidden"></span></div></header>\n',
            '<div class="node__content">\n',
            '<div class="field field--name-field-subtitle field--type-string-long field--label-hidden field__item">'
            f"{text(story.lede)}</div>\n",
            '<div class="field field--name-field-image field--type-image field--label-hidden field__item">'
            f'  <img loading="lazy" src="{attr(lead.path)}" width="1200" height="675" alt="{alt}" typeof="foaf:Image" '
            'class="image-style-wide" />\n</div>\n',
            '<div class="field field--name-field-author field--type-entity-reference field--label-inline clearfix">'
            f'<div class="field__label">Συντάκτης</div><div class="field__items">{authors}</div></div>\n',
            '<div class="social-share"><a class="share-fb" href="https://www.facebook.com/sharer/sharer.php?u='
            f'{attr(url)}">Κοινοποίηση</a> <a class="share-tw" href="https://twitter.com/share?url={attr(url)}">Tweet</a>'
            "</div>\n",
            self.body(story),
            '<div class="field field--name-field-category field--type-entity-reference field--label-inline clearfix">'
            '<div class="field__label">Κατηγορία</div><div class="field__item">'
            f'<a href="/category/{story.section}" hreflang="el">{text(story.section_name)}</a></div></div>\n',
            '<div class="field field--name-field-tags field--type-entity-reference field--label-above clearfix">'
            f'<h3 class="field__label">Ετικέτες</h3><ul class="links field__items">{tags}</ul></div>\n',
            self.comments(story),
            "</div>\n</article>\n</div></div>\n",
            self.sidebar(story),
            "</div></div></div>\n",
            self.footer(),
        ]
        return "".join(out)

    def listing(self, slug: str | None) -> str:
        stories = [s for s in self.visible() if slug is None or s.section == slug]
        rows = "".join(
            f'<article data-history-node-id="{s.id}" about="{attr(self.path(s))}" typeof="schema:Article" '
            'class="node node--type-article node--promoted node--view-mode-teaser">'
            f'<header><h2 class="node__title"><a href="{attr(self.path(s))}" rel="bookmark">'
            f'<span class="field field--name-title field--type-string field--label-hidden">{text(s.title)}</span>'
            '</a></h2></header><div class="node__content"><div class="field field--name-field-image field--type-image '
            f'field--label-hidden field__item"><a href="{attr(self.path(s))}" hreflang="el"><img loading="lazy" '
            f'src="/sites/default/files/styles/medium/public/{attr(s.pics[0].stem)}?itok={itok(s.pics[0].stem)}" '
            'width="220" height="124" alt="" typeof="foaf:Image" class="image-style-medium" /></a></div>'
            '<div class="clearfix text-content field field--name-body field--type-text-with-summary field--label-hidden '
            f'field__item"><p>{text(s.lede)}</p></div></div></article>\n'
            for s in stories[:10]
        )
        title = f"{SECTIONS[slug]} | {SITE}" if slug else SITE
        return "".join(
            [
                self.head(title, "", "node"),
                '<body class="path-frontpage page-node-type-">\n',
                self.header(),
                '<div id="main-wrapper" class="layout-main-wrapper layout-container"><div id="main" class="layout-main">'
                '<div class="main-content"><div class="region region--content grid-full" id="content">'
                f'<div class="views-element-container"><div class="view view-frontpage"><div class="view-content">{rows}'
                "</div></div></div></div>\n",
                self.sidebar(None),
                "</div></div></div>\n",
                self.footer(),
            ]
        )
