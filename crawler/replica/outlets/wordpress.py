"""A regional outlet on WordPress with a tagDiv "Newspaper"-style theme and Yoast SEO.

What the family is known for, and what this replica reproduces: the featured image above the
headline (outside ``td-post-content``), WordPress image sizes in ``srcset`` (``-300x169.jpg``),
editors' "ΔΙΑΒΑΣΤΕ ΕΠΙΣΗΣ" links and a Jetpack related-posts block inside the content, Yoast's
JSON-LD graph with UTC dates, a header "today" date, ads and share bars in the column, threaded
comments under the post, ``/feed/`` (the ten newest posts) and Yoast's ``/sitemap_index.xml``.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from crawler.replica import lexicon as lx
from crawler.replica.family import (
    FamilySite,
    Story,
    attr,
    cookie_banner,
    iso,
    rss,
    sitemap_index,
    text,
    today_line,
    urlset,
)
from crawler.replica.translit import slugify

SITE = "Θεσσαλία Press"
POST_RE = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/([a-z0-9-]+)/?$")
SIZES = ((300, 169), (768, 432), (1024, 576))


def date_only(moment: datetime) -> str:
    return f"{moment.day} {lx.MONTHS_GENITIVE[moment.month - 1]} {moment:%Y}"


class WordPressSite(FamilySite):
    name = "replica-wordpress"
    count = 20
    first_id = 41200
    max_pics = 3
    image_root = "/wp-content/uploads"

    def __init__(self, seed: int = 1, slow_seconds: float = 0.0) -> None:
        super().__init__(seed, slow_seconds)
        for s in self.stories.all:
            s.authors = s.authors[:1]  # a WordPress post has one author (no co-authors plugin here)
            for k, pic in enumerate(s.pics):
                pic.stem = f"/wp-content/uploads/{s.published:%Y/%m}/{slugify(s.title, 5)}-{k + 1}"
                pic.path = f"{pic.stem}-1024x576.jpg"  # the size src names; the srcset adds the upload

    def path(self, story: Story) -> str:
        return f"/{story.published:%Y/%m/%d}/{story.slug}/"

    def boilerplate(self, story: Story) -> list[str]:
        return [*super().boilerplate(story), "ΑΦΗΣΤΕ ΜΙΑ ΑΠΑΝΤΗΣΗ", "ΔΙΑΒΑΣΤΕ ΕΠΙΣΗΣ", "Σχετικά"]

    # --- routes --------------------------------------------------------------------------

    def route(self, path, query, base):
        if path == "/":
            return self.html(self.listing(None, base))
        if path in ("/feed/", "/feed"):
            items = [(base + self.path(s), s) for s in self.visible()[:10]]
            return self.xml(rss(SITE, base, items, self.now()), "application/rss+xml; charset=UTF-8")
        if path == "/sitemap_index.xml":
            newest = self.visible()[0].published
            return self.xml(
                sitemap_index(
                    [(base + "/post-sitemap.xml", newest), (base + "/category-sitemap.xml", newest)]
                )
            )
        if path == "/post-sitemap.xml":
            entries = []
            for s in self.visible():
                images = "".join(
                    f"<image:image><image:loc>{base}{p.path}</image:loc></image:image>" for p in s.pics
                )
                entries.append((base + self.path(s), s.modified or s.published, images))
            return self.xml(urlset(entries))
        if path == "/category-sitemap.xml":
            now = self.now()
            return self.xml(urlset([(f"{base}/category/{slug}/", now, "") for slug, _ in lx.SECTIONS]))
        if path == "/robots.txt":
            body = f"User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\nSitemap: {base}/sitemap_index.xml\n"
            return self.raw(200, body.encode(), "text/plain; charset=utf-8")
        if path.startswith("/category/"):
            slug = path.strip("/").split("/")[1]
            if slug in dict(lx.SECTIONS):
                return self.html(self.listing(slug, base))
        if POST_RE.match(path):
            for s in self.visible():
                if self.path(s).strip("/") == path.strip("/"):
                    if not path.endswith("/"):
                        return self.redirect(base + self.path(s))
                    return self.html(self.article(s, base), modified=s.modified or s.published)
        return None

    # --- chrome --------------------------------------------------------------------------

    def head(self, title: str, extra: str = "") -> str:
        return (
            '<!doctype html >\n<!--[if IE 8]>    <html class="ie8" lang="en"> <![endif]-->\n'
            '<!--[if IE 9]>    <html class="ie9" lang="en"> <![endif]-->\n'
            '<!--[if gt IE 8]><!--> <html lang="el"> <!--<![endif]-->\n<head>\n'
            f"<title>{text(title)}</title>\n"
            '<meta charset="UTF-8" />\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
            '<link rel="pingback" href="/xmlrpc.php" />\n'
            '<meta name="robots" content="index, follow, max-image-preview:large, max-snippet:-1" />\n'
            f"{extra}"
            f'<link rel="alternate" type="application/rss+xml" title="{attr(SITE)} &raquo; Feed" href="/feed/" />\n'
            "<link rel='stylesheet' id='td-theme-css' href='/wp-content/themes/Newspaper/style.css?ver=12.6.3' "
            "type='text/css' media='all' />\n"
            "<style id='td-theme-inline-css' type='text/css'>.td-header-wrap .td-header-top-menu-full{"
            "background-color:#1c1c1c}.td-post-content p{font-size:17px;line-height:29px}</style>\n"
            '<script type="text/javascript" src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" '
            'id="jquery-core-js"></script>\n'
            '<script async src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js?client=ca-pub-1" '
            'crossorigin="anonymous"></script>\n'
            "</head>\n"
        )

    def header(self) -> str:
        menu = "".join(
            '<li class="menu-item menu-item-type-taxonomy menu-item-object-category">'
            f'<a href="/category/{slug}/"><div class="tdb-menu-item-text">{text(name)}</div></a></li>'
            for slug, name in lx.SECTIONS
        )
        return (
            '<div class="td-scroll-up" data-style="style1"><i class="td-icon-menu-up"></i></div>\n'
            '<div class="td-menu-background" style="visibility:hidden"></div>\n'
            '<div id="td-outer-wrap" class="td-theme-wrap">\n'
            '<div class="td-header-wrap td-header-style-1 ">\n'
            '<div class="td-header-top-menu-full td-container-wrap "><div class="td-container td-header-row '
            'td-header-top-menu"><div class="top-bar-style-1"><div class="td-header-sp-top-menu">'
            f'<div class="td_data_time"><div style="visibility:inherit;">{today_line(self.now())}</div></div>'
            '<div class="menu-top-container"><ul id="menu-top-menu" class="top-header-menu">'
            '<li class="menu-item"><a href="/epikoinonia/">Επικοινωνία</a></li>'
            '<li class="menu-item"><a href="/oroi-xrisis/">Όροι χρήσης</a></li></ul></div></div></div></div></div>\n'
            '<div class="td-banner-wrap-full td-logo-wrap-full td-container-wrap "><div class="td-container '
            'td-header-row td-header-header"><div class="td-header-sp-logo"><a class="td-main-logo" href="/">'
            f'<img class="td-retina-data" src="/wp-content/uploads/2024/01/logo.png" alt="{attr(SITE)}" '
            f'title="{attr(SITE)}" width="272" height="90"/><span class="td-visual-hidden">{text(SITE)}</span></a>'
            '</div><div class="td-header-sp-recs"><div class="td-header-rec-wrap"><div class="td-a-rec '
            'td-a-rec-id-header  td-a-rec-no-translate tdi_1 td_block_template_1"><ins class="adsbygoogle" '
            'style="display:inline-block;width:728px;height:90px" data-ad-client="ca-pub-1" data-ad-slot="11">'
            "</ins><script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div></div></div></div></div>\n"
            '<div class="td-header-menu-wrap-full td-container-wrap "><div class="td-header-menu-wrap '
            'td-header-gradient "><div class="td-container td-header-row td-header-main-menu">'
            '<div id="td-header-menu" role="navigation"><div class="menu-main-menu-container">'
            f'<ul id="menu-main-menu-1" class="sf-menu"><li class="menu-item"><a href="/">Αρχική</a></li>{menu}'
            "</ul></div></div></div></div></div>\n</div>\n"
        )

    def sidebar(self, story: Story | None) -> str:
        recent = self.visible()[:6]
        items = "".join(
            f'<li><a href="{attr(self.path(s))}">{text(s.title)}</a>'
            f'<span class="post-date">{date_only(s.published)}</span></li>'
            for s in recent
            if s is not story
        )
        popular = "".join(
            '<div class="td-block-span12"><div class="td_module_6 td_module_wrap td-animation-stack">'
            '<div class="td-module-thumb"><a href="'
            + attr(self.path(s))
            + '" rel="bookmark" class="td-image-wrap"'
            f' title="{attr(s.title)}"><img class="entry-thumb" src="{attr(s.pics[0].stem)}-100x70.jpg" '
            f'alt="" title="{attr(s.title)}" width="100" height="70"/></a></div><div class="item-details">'
            f'<h3 class="entry-title td-module-title"><a href="{attr(self.path(s))}" rel="bookmark">'
            f"{text(s.title)}</a></h3>"
            f'<div class="td-module-meta-info"><span class="td-post-date"><time class="entry-date updated '
            f'td-module-date" datetime="{iso(s.published)}">{date_only(s.published)}</time></span></div>'
            "</div></div></div>"
            for s in self.visible()[6:10]
        )
        return (
            '<div class="td-pb-span4 td-main-sidebar" role="complementary"><div class="td-ss-main-sidebar">\n'
            '<aside class="td_block_template_1 widget widget_recent_entries"><h4 class="block-title">'
            f"<span>Πρόσφατα άρθρα</span></h4><ul>{items}</ul></aside>\n"
            '<div class="td-a-rec td-a-rec-id-sidebar  tdi_5 td_block_template_1"><ins class="adsbygoogle" '
            'style="display:inline-block;width:300px;height:250px" data-ad-client="ca-pub-1" data-ad-slot="12">'
            "</ins><script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div>\n"
            '<div class="td_block_wrap td_block_15 tdi_6 td-pb-border-top td_block_template_1 td-column-1">'
            '<div class="td-block-title-wrap"><h4 class="block-title td-block-title"><span class="td-pulldown-size">'
            f'Δημοφιλή</span></h4></div><div id="tdi_6" class="td_block_inner">{popular}</div></div>\n'
            "</div></div>\n"
        )

    def footer(self, post_id: int | None) -> str:
        stats = f"&post={post_id}" if post_id else ""
        return (
            '<div class="td-footer-wrapper td-footer-container td-container-wrap "><div class="td-container">'
            '<div class="td-pb-row"><div class="td-pb-span12"><div class="td-footer-info"><div class="footer-text-wrap">'
            f"Το {text(SITE)} είναι ενημερωτικός ιστότοπος της Θεσσαλίας. Επικοινωνία: info@thessaliapress.gr"
            "</div></div></div></div></div></div>\n"
            '<div class="td-sub-footer-container td-container-wrap "><div class="td-container"><div class="td-pb-row">'
            f'<div class="td-pb-span td-sub-footer-copy">&copy; Copyright 2026 - {text(SITE)}</div></div></div></div>\n'
            "</div><!--close td-outer-wrap-->\n"
            + cookie_banner(SITE)
            + '<script type="text/javascript" src="/wp-content/themes/Newspaper/js/tagdiv_theme.min.js?ver=12.6.3" '
            'id="td-site-min-js"></script>\n'
            f'<img src="/wp-content/plugins/stats/g.gif?v=ext&amp;blog=1{stats}&amp;tz=3" alt=":)" width="6" '
            'height="5" id="wpstats" />\n</body>\n</html>\n'
        )

    # --- pages ---------------------------------------------------------------------------

    def img(self, story: Story, k: int, cls: str, width: int = 1024, height: int = 576) -> str:
        pic = story.pics[k]
        srcset = ", ".join(f"{pic.stem}-{w}x{h}.jpg {w}w" for w, h in SIZES) + f", {pic.stem}.jpg 1600w"
        return (
            f'<img decoding="async" width="{width}" height="{height}" src="{attr(pic.stem)}-{width}x{height}.jpg" '
            f'class="{cls}" alt="{attr(pic.alt or "")}" srcset="{attr(srcset)}" '
            f'sizes="(max-width: {width}px) 100vw, {width}px" />'
        )

    def jsonld(self, story: Story, base: str, url: str) -> str:
        published = story.published.astimezone(UTC).isoformat(timespec="seconds")
        modified = (story.modified or story.published).astimezone(UTC).isoformat(timespec="seconds")
        author = story.authors[0]
        graph = {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "Article",
                    "@id": url + "#article",
                    "isPartOf": {"@id": url},
                    "author": {"name": author[0], "@id": f"{base}/#/schema/person/{slugify(author[0])}"},
                    "headline": story.title,
                    "datePublished": published,
                    "dateModified": modified,
                    "mainEntityOfPage": {"@id": url},
                    "wordCount": sum(len(p.split()) for p in story.paragraphs),
                    "commentCount": len(story.comments),
                    "publisher": {"@id": base + "/#organization"},
                    "image": {"@id": url + "#primaryimage"},
                    "thumbnailUrl": f"{base}{story.pics[0].stem}.jpg",
                    "keywords": story.tags,
                    "articleSection": [story.section_name],
                    "inLanguage": "el",
                },
                {
                    "@type": "WebPage",
                    "@id": url,
                    "url": url,
                    "name": f"{story.title} - {SITE}",
                    "datePublished": published,
                    "dateModified": modified,
                    "description": story.lede,
                    "breadcrumb": {"@id": url + "#breadcrumb"},
                    "inLanguage": "el",
                },
                {
                    "@type": "ImageObject",
                    "inLanguage": "el",
                    "@id": url + "#primaryimage",
                    "url": f"{base}{story.pics[0].stem}.jpg",
                    "contentUrl": f"{base}{story.pics[0].stem}.jpg",
                    "width": 1600,
                    "height": 900,
                },
                {
                    "@type": "BreadcrumbList",
                    "@id": url + "#breadcrumb",
                    "itemListElement": [
                        {"@type": "ListItem", "position": 1, "name": "Αρχική", "item": base + "/"},
                        {"@type": "ListItem", "position": 2, "name": story.title},
                    ],
                },
                {"@type": "WebSite", "@id": base + "/#website", "url": base + "/", "name": SITE},
                {"@type": "Person", "@id": f"{base}/#/schema/person/{slugify(author[0])}", "name": author[0]},
            ],
        }
        return (
            '<script type="application/ld+json" class="yoast-schema-graph">'
            + json.dumps(graph, ensure_ascii=False).replace("</", "<\\/")
            + "</script>\n"
        )

    def yoast(self, story: Story, base: str) -> str:
        url = base + self.path(story)
        utc = story.published.astimezone(UTC).isoformat(timespec="seconds")
        out = (
            "<!-- This site is optimized with the Yoast SEO plugin v22.1 - https://yoast.com/wordpress/plugins/seo/ -->\n"
            f'<meta name="description" content="{attr(story.lede)}" />\n'
            f'<link rel="canonical" href="{attr(url)}" />\n'
            '<meta property="og:locale" content="el_GR" />\n<meta property="og:type" content="article" />\n'
            f'<meta property="og:title" content="{attr(story.title)} - {attr(SITE)}" />\n'
            f'<meta property="og:description" content="{attr(story.lede)}" />\n'
            f'<meta property="og:url" content="{attr(url)}" />\n'
            f'<meta property="og:site_name" content="{attr(SITE)}" />\n'
            f'<meta property="article:published_time" content="{utc}" />\n'
        )
        if story.modified:
            out += (
                '<meta property="article:modified_time" content="'
                + story.modified.astimezone(UTC).isoformat(timespec="seconds")
                + '" />\n'
            )
        out += (
            f'<meta property="og:image" content="{base}{story.pics[0].stem}.jpg" />\n'
            '<meta property="og:image:width" content="1600" />\n<meta property="og:image:height" content="900" />\n'
            '<meta property="og:image:type" content="image/jpeg" />\n'
            f'<meta name="author" content="{attr(story.authors[0][0])}" />\n'
            '<meta name="twitter:card" content="summary_large_image" />\n'
            '<meta name="twitter:label1" content="Συντάχθηκε από" />\n'
            f'<meta name="twitter:data1" content="{attr(story.authors[0][0])}" />\n'
            '<meta name="twitter:label2" content="Εκτιμώμενος χρόνος ανάγνωσης" />\n'
            '<meta name="twitter:data2" content="3 λεπτά" />\n'
            + self.jsonld(story, base, url)
            + "<!-- / Yoast SEO plugin. -->\n"
            f'<link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/{story.id}" />\n'
            f"<link rel='shortlink' href='{base}/?p={story.id}' />\n"
        )
        return out

    def content(self, story: Story) -> str:
        out = [
            '<div class="td-post-content tagdiv-type">\n',
            '<div class="td-a-rec td-a-rec-id-content_top  tdi_3 td_block_template_1"><ins class="adsbygoogle" '
            'style="display:block" data-ad-format="auto" data-ad-client="ca-pub-1" data-ad-slot="21"></ins>'
            "<script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div>",
        ]
        older = self.older(story, 4)
        for index, para in enumerate(story.paragraphs, start=1):
            out.append(f"<p>{text(para)}</p>\n")
            if index == 2 and older:
                other = older[0]
                out.append(
                    f'<p><strong>ΔΙΑΒΑΣΤΕ ΕΠΙΣΗΣ: <a href="{attr(self.path(other))}">{text(other.title)}</a>'
                    "</strong></p>\n"
                )
            if index == 3:
                out.append(
                    '<div class="td-a-rec td-a-rec-id-content_inline  tdi_4 td_block_template_1">'
                    '<span class="td-adspot-title">- Διαφήμιση -</span><ins class="adsbygoogle" '
                    'style="display:block;text-align:center" data-ad-layout="in-article" data-ad-client="ca-pub-1" '
                    'data-ad-slot="22"></ins><script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div>\n'
                )
            for k, pic in enumerate(story.pics):
                if pic.position == index:
                    caption = (
                        f'<figcaption class="wp-element-caption">{text(pic.caption)}</figcaption>'
                        if pic.caption
                        else ""
                    )
                    out.append(
                        '<figure class="wp-block-image size-large">'
                        + self.img(story, k, f"wp-image-{story.id * 10 + k}")
                        + caption
                        + "</figure>\n"
                    )
        related = "".join(
            '<div class="jp-relatedposts-post jp-relatedposts-post'
            + str(i)
            + ' jp-relatedposts-post-thumbs" '
            f'data-post-id="{s.id}" data-post-format="false"><a class="jp-relatedposts-post-a" '
            f'href="{attr(self.path(s))}" title="{attr(s.title)}" rel="nofollow" data-origin="{story.id}" '
            f'data-position="{i}"><img loading="lazy" class="jp-relatedposts-post-img" '
            f'src="{attr(s.pics[0].stem)}-350x200.jpg" width="350" height="200" alt="{attr(s.title)}" /></a>'
            f'<h4 class="jp-relatedposts-post-title"><a class="jp-relatedposts-post-a" href="{attr(self.path(s))}" '
            f'rel="nofollow">{text(s.title)}</a></h4><p class="jp-relatedposts-post-excerpt">{text(s.lede)}</p>'
            f'<p class="jp-relatedposts-post-date">{date_only(s.published)}</p>'
            f'<p class="jp-relatedposts-post-context">Στο "{text(s.section_name)}"</p></div>'
            for i, s in enumerate(older[1:4])
        )
        out.append(
            '<div id="jp-relatedposts" class="jp-relatedposts" style="display: block;">'
            '<h3 class="jp-relatedposts-headline"><em>Σχετικά</em></h3>'
            f'<div class="jp-relatedposts-items jp-relatedposts-items-visual">{related}</div></div>\n'
        )
        out.append("</div>\n")
        return "".join(out)

    def boilerplate_ledes(self, story: Story) -> list[str]:
        return [s.lede for s in self.older(story, 4)[1:4]]

    def comments(self, story: Story) -> str:
        items = "".join(
            f'<li class="comment even thread-even depth-1" id="li-comment-{story.id * 10 + i}"><article>'
            "<footer><img alt='' src='https://secure.gravatar.com/avatar/0?s=50&#038;d=mm&#038;r=g' "
            f"class='avatar avatar-50 photo' height='50' width='50' loading='lazy'/><cite>{text(user)}</cite>"
            f'<a class="comment-link" href="#comment-{story.id * 10 + i}"><time pubdate="{int(story.published.timestamp()) + 3600 * (i + 1)}">'
            f"{date_only(story.published)} στις {(story.published.hour + i + 1) % 24:02d}:{story.published.minute:02d}</time></a></footer>"
            f'<div class="comment-content"><p>{text(body)}</p></div>'
            f'<div class="comment-meta" id="comment-{story.id * 10 + i}"><a rel="nofollow" class="comment-reply-link" '
            f'href="#comment-{story.id * 10 + i}">Απάντηση</a></div></article></li>'
            for i, (user, body) in enumerate(story.comments)
        )
        return (
            '<div class="comments" id="comments"><div class="td-comments-title-wrap td_block_template_1">'
            f'<h4 class="block-title"><span>{len(story.comments)} ΣΧΟΛΙΑ</span></h4></div>'
            f'<ol class="comment-list">{items}</ol>'
            '<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">'
            'ΑΦΗΣΤΕ ΜΙΑ ΑΠΑΝΤΗΣΗ</h3><form action="/wp-comments-post.php" method="post" id="commentform" '
            'class="comment-form"><div class="comment-form-input-wrap td-form-comment"><textarea '
            'placeholder="Σχόλιο:" id="comment" name="comment" cols="45" rows="8"></textarea></div>'
            '<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" '
            'value="Δημοσίευση σχολίου" /></p></form></div></div>\n'
        )

    def article(self, story: Story, base: str) -> str:
        url = base + self.path(story)
        author_slug = slugify(story.authors[0][0])
        featured = story.pics[0]
        caption = (
            f'<figcaption class="wp-caption-text">{text(featured.caption)}</figcaption>'
            if featured.caption
            else ""
        )
        share = "".join(
            f'<a class="td-social-sharing-button td-social-sharing-button-js td-social-network td-social-{net}" '
            f'href="{href}"><div class="td-social-but-icon"><i class="td-icon-{net}"></i></div>'
            f'<div class="td-social-but-text">{label}</div></a>'
            for net, href, label in (
                ("facebook", f"https://www.facebook.com/sharer.php?u={url}", "Facebook"),
                (
                    "twitter",
                    f"https://twitter.com/intent/tweet?text={attr(story.title)}&amp;url={url}",
                    "Twitter",
                ),
                ("viber", f"viber://forward?text={url}", "Viber"),
            )
        )
        tags = "".join(f'<li><a href="/tag/{attr(slugify(t))}/">{text(t)}</a></li>' for t in story.tags)
        older = self.older(story, 2)
        prev_link = (
            '<div class="td-block-row td-post-next-prev"><div class="td-block-span6 td-post-prev-post">'
            f'<div class="td-post-next-prev-content"><span>Προηγούμενο άρθρο</span><a href="{attr(self.path(older[0]))}">'
            f"{text(older[0].title)}</a></div></div></div>"
            if older
            else ""
        )
        related = "".join(
            '<div class="td-related-span4"><div class="td_module_related_posts td-animation-stack td_mod_related_posts">'
            f'<div class="td-module-image"><div class="td-module-thumb"><a href="{attr(self.path(s))}" rel="bookmark" '
            f'class="td-image-wrap" title="{attr(s.title)}"><img class="entry-thumb" src="{attr(s.pics[0].stem)}-218x150.jpg" '
            f'alt="" width="218" height="150"/></a></div></div><div class="item-details"><h3 class="entry-title '
            f'td-module-title"><a href="{attr(self.path(s))}" rel="bookmark">{text(s.title)}</a></h3></div></div></div>'
            for s in self.older(story, 7)[4:7]
        )
        comments_link = f'<div class="td-post-comments"><a href="#respond"><i class="td-icon-comments"></i>{len(story.comments)}</a></div>'
        out = [
            self.head(f"{story.title} - {SITE}", self.yoast(story, base)),
            f'<body class="post-template-default single single-post postid-{story.id} single-format-standard '
            f'td-standard-pack global-block-template-1 single_template_8 td-full-layout" itemscope="itemscope" '
            'itemtype="https://schema.org/WebPage">\n',
            self.header(),
            '<div class="td-main-content-wrap td-container-wrap">\n<div class="td-container td-post-template-8">\n',
            f'<article id="post-{story.id}" class="post-{story.id} post type-post status-publish format-standard '
            f'has-post-thumbnail category-{story.section}" itemscope itemtype="https://schema.org/Article">\n',
            '<div class="td-pb-row"><div class="td-pb-span12">\n',
            '<div class="td-crumb-container"><div class="entry-crumbs"><span><a title="" class="entry-crumb" href="/">'
            'Αρχική</a></span> <i class="td-icon-right td-bread-sep"></i> <span><a title="Προβολή όλων των άρθρων '
            f'στο {attr(story.section_name)}" class="entry-crumb" href="/category/{story.section}/">'
            f'{text(story.section_name)}</a></span> <i class="td-icon-right td-bread-sep td-bred-no-url-last"></i> '
            f'<span class="td-bred-no-url-last">{text(story.title)}</span></div></div>\n',
            f'<div class="td-post-featured-image"><a href="{attr(featured.stem)}.jpg" data-caption="'
            f'{attr(featured.caption or "")}">'
            + self.img(story, 0, "entry-thumb td-modal-image", 1068, 601).replace(
                f"{featured.stem}-1068x601.jpg", f"{featured.stem}-1024x576.jpg"
            )
            + f"</a>{caption}</div>\n",
            '<header class="td-post-title">\n',
            f'<ul class="td-category"><li class="entry-category"><a href="/category/{story.section}/">'
            f"{text(story.section_name)}</a></li></ul>\n",
            f'<h1 class="entry-title">{text(story.title)}</h1>\n',
            f'<p class="td-post-sub-title">{text(story.lede)}</p>\n',
            '<div class="td-module-meta-info">\n',
            f'<div class="td-post-author-name"><div class="td-author-by">Από</div> <a href="/author/{author_slug}/">'
            f'{text(story.authors[0][0])}</a><div class="td-author-line"> - </div> </div>\n',
            f'<span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{iso(story.published)}" >'
            f"{date_only(story.published)}</time></span>\n",
            comments_link,
            f'<div class="td-post-views"><i class="td-icon-views"></i><span class="td-nr-views-{story.id}">'
            f"{story.id % 900 + 100}</span></div>\n</div>\n</header>\n</div></div>\n",
            '<div class="td-pb-row"><div class="td-pb-span8 td-main-content" role="main">'
            '<div class="td-ss-main-content">\n',
            '<div class="td-post-sharing-top"><div id="td_social_sharing_article_top" class="td-post-sharing '
            'td-ps-bg td-ps-notext td-post-sharing-style1 "><div class="td-post-sharing-visible">'
            f"{share}</div></div></div>\n",
            self.content(story),
            "<footer>\n",
            '<div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix"><li><span>ΕΤΙΚΕΤΕΣ</span>'
            f"</li>{tags}</ul></div>\n",
            '<div class="td-post-sharing-bottom"><div class="td-post-sharing-classic"><iframe frameBorder="0" '
            'src="https://www.facebook.com/plugins/like.php?href=x&amp;layout=button_count" style="border:none; '
            'overflow:hidden; height:20px; width:115px;"></iframe></div></div>\n',
            prev_link,
            '<div class="td-author-name vcard author" style="display: none"><span class="fn">'
            f'<a href="/author/{author_slug}/">{text(story.authors[0][0])}</a></span></div>\n',
            "</footer>\n",
            '<div class="td_block_wrap td_block_related_posts tdi_9 td_with_ajax_pagination td-pb-border-top '
            'td_block_template_1"><h4 class="td-related-title td-block-title"><a id="tdi_10" class="td-related-left '
            'td-cur-simple-item" data-td_filter_value="" data-td_block_id="tdi_9" href="#">ΣΧΕΤΙΚΑ ΑΡΘΡΑ</a>'
            '<a id="tdi_11" class="td-related-right" href="#">ΠΕΡΙΣΣΟΤΕΡΑ ΑΠΟ ΤΟΝ ΣΥΓΓΡΑΦΕΑ</a></h4>'
            f'<div id="tdi_9" class="td_block_inner"><div class="td-related-row">{related}</div></div></div>\n',
            self.comments(story),
            "</div></div>\n",
            self.sidebar(story),
            "</div>\n</article>\n</div>\n</div>\n",
            self.footer(story.id),
        ]
        return "".join(out)

    def listing(self, slug: str | None, base: str) -> str:
        stories = [s for s in self.visible() if slug is None or s.section == slug]
        modules = "".join(
            '<div class="td-block-span6"><div class="td_module_4 td_module_wrap td-animation-stack">'
            f'<div class="td-module-image"><div class="td-module-thumb"><a href="{attr(self.path(s))}" rel="bookmark" '
            f'class="td-image-wrap" title="{attr(s.title)}"><img class="entry-thumb" src="{attr(s.pics[0].stem)}-324x235.jpg" '
            f'alt="" width="324" height="235"/></a></div><a href="/category/{s.section}/" class="td-post-category">'
            f'{text(s.section_name)}</a></div><h3 class="entry-title td-module-title"><a href="{attr(self.path(s))}" '
            f'rel="bookmark" title="{attr(s.title)}">{text(s.title)}</a></h3><div class="td-module-meta-info">'
            f'<span class="td-post-author-name"><a href="/author/{slugify(s.authors[0][0])}/">{text(s.authors[0][0])}'
            '</a> <span>-</span> </span><span class="td-post-date"><time class="entry-date updated td-module-date" '
            f'datetime="{iso(s.published)}">{date_only(s.published)}</time></span></div>'
            f'<div class="td-excerpt">{text(s.lede)}</div></div></div>\n'
            for s in stories[:10]
        )
        title = (
            f"{dict(lx.SECTIONS)[slug]} Archives - {SITE}" if slug else f"{SITE} - Ειδήσεις από τη Θεσσαλία"
        )
        return "".join(
            [
                self.head(
                    title,
                    f'<link rel="canonical" href="{base}/{"category/" + slug + "/" if slug else ""}" />\n',
                ),
                '<body class="home blog td-standard-pack global-block-template-1 td-full-layout">\n',
                self.header(),
                '<div class="td-main-content-wrap td-container-wrap"><div class="td-container"><div class="td-pb-row">'
                '<div class="td-pb-span8 td-main-content"><div class="td-ss-main-content">\n',
                f'<div class="td_block_wrap td_block_big_grid">{modules}</div>\n',
                "</div></div>\n",
                self.sidebar(None),
                "</div></div></div>\n",
                self.footer(None),
            ]
        )
