"""Titles and publication dates on pages shaped like the real ones nobody tuned for: the site's
name cut wherever it sits (also CJK titles without spaces around the separator), the day/month
order settled by what the page prints, dates of teasers and "updated" labels kept apart."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_article

_PROSE = (
    "The regional council approved the new harbour works on Tuesday, after a debate that lasted "
    "most of the afternoon and ended with a clear majority for the plan. "
)


def _page(body: str, head: str = "", lang: str = "en") -> bytes:
    return f'<html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'.encode()


def test_numeric_metadata_date_follows_the_order_the_printed_date_shows() -> None:
    body = _page(
        f"<article><h1>Harbour works approved</h1><div>Published March 9, 2026</div><p>{_PROSE * 3}</p></article>",
        head='<meta name="article:published_time" content="03-09-2026">',
    )
    article = extract_article(body, "https://news.example.org/a/1")
    assert article.published_at == "2026-03-09"  # not 3 September: the page prints March 9


def test_a_teaser_cards_date_is_never_the_articles() -> None:
    cards = "".join(
        f'<a href="/other/{n}"><img src="/t{n}.jpg"><div class="item-title">Another story number {n}</div>'
        f'<div class="item-date">2020-09-2{n}</div></a>'
        for n in range(3)
    )
    body = _page(
        f"<div><div class='headline'>Harbour works approved</div><span class='span_time'>2019-09-24 17:08</span>"
        f"<p>{_PROSE * 3}</p></div><div class='more'>{cards}</div>",
        head="<title>Harbour works approved</title>",
    )
    article = extract_article(body, "https://news.example.org/a/2")
    assert article.published_at is None or article.published_at.startswith("2019-09-24")


def test_a_date_labelled_updated_is_no_publication_when_the_page_states_one() -> None:
    body = _page(
        "<article><h1>Harbour works approved</h1>"
        "<div class='meta'><span class='item-date'>Updated on 11 March 2026</span></div>"
        f"<p>{_PROSE * 3}</p></article>",
        head='<meta name="publish_date" content="Mon, 02 Mar 2026 07:15:45 EST">',
    )
    article = extract_article(body, "https://news.example.org/a/3")
    assert article.published_at == "2026-03-02T07:15:45-05:00"
    # the same page without any publication statement: the update day is all it gives
    alone = body.replace(b'<meta name="publish_date" content="Mon, 02 Mar 2026 07:15:45 EST">', b"")
    fallback = extract_article(alone, "https://news.example.org/a/3")
    assert fallback.published_at == "2026-03-11"
    assert fallback.provenance["published_at"] == "visible-updated"


def test_one_line_with_the_update_first_and_the_publication_after_gives_the_publication() -> None:
    """Greek outlets print "Ενημερώθηκε: ... | Δημοσιεύθηκε: ..." in one element: the line opens
    with the update label, yet the publication is the date after its own label."""
    for line in (
        "Ενημερώθηκε: 05/03/2026 10:00 | Δημοσιεύθηκε: 04/03/2026 18:05",
        "Updated 5 March 2026 10:00, published 4 March 2026 18:05",
    ):
        body = _page(
            f"<article><h1>Harbour works approved</h1><div class='meta'><span>{line}</span></div>"
            f"<p>{_PROSE * 3}</p></article>"
        )
        article = extract_article(body, "https://news.example.org/a/4")
        assert article.published_at == "2026-03-04T18:05:00", line
        assert article.provenance["published_at"] == "visible"


@pytest.mark.parametrize(
    ("lang", "printed", "day"),
    [
        ("hu", "2024. március 14.", "2024-03-14"),
        ("hu", "2024. szeptember 14.", "2024-09-14"),
        ("lt", "2024 m. rugsėjo 14 d.", "2024-09-14"),
        ("hr", "14. ožujka 2024.", "2024-03-14"),
        ("hr", "14. srpnja 2024.", "2024-07-14"),
        ("cs", "14. srpna 2024", "2024-08-14"),  # Czech srpen is August, Croatian srpanj July
        ("ar", "14 أغسطس 2024", "2024-08-14"),
    ],
)
def test_printed_dates_in_more_languages_give_the_day(lang: str, printed: str, day: str) -> None:
    """Month words of more languages, and the year-first order with a month word (Hungarian,
    Lithuanian): the page's printed date is its only one here."""
    body = _page(
        f"<article><h1>Harbour works approved</h1><div class='meta'><span class='date'>{printed}</span></div>"
        f"<p>{_PROSE * 3}</p></article>",
        lang=lang,
    )
    assert extract_article(body, "https://news.example.org/a/9").published_at == day


def test_the_permalinks_day_beats_a_lone_date_printed_in_a_widget() -> None:
    body = _page(
        f"<article><h1>Founder recalls the early days</h1><p>{_PROSE * 3}</p></article>"
        "<div class='profile'><strong>Launch Date:</strong><span class='date'>1/2/2004</span></div>"
    )
    article = extract_article(body, "https://news.example.org/2011/08/13/founder-recalls/")
    assert article.published_at == "2011-08-13"


def test_a_yoast_webpage_date_counts_when_no_article_node_states_one() -> None:
    ld = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":['
        '{"@type":"WebPage","@id":"https://news.example.org/a/5","datePublished":"2024-03-17T19:47:39+00:00",'
        '"dateModified":"2024-05-03T10:57:58+00:00"}]}</script>'
        '<meta property="article:modified_time" content="2024-05-03T10:57:58+00:00">'
    )
    body = _page(f"<article><h1>Harbour works approved</h1><p>{_PROSE * 3}</p></article>", head=ld)
    assert extract_article(body, "https://news.example.org/a/5").published_at == "2024-03-17T19:47:39+00:00"


def test_cjk_title_loses_the_site_name_written_without_spaces() -> None:
    body = _page(
        f"<div class='top'>南方网</div><div class='art'><div class='tit'>美联储维持利率目标区间不变</div>"
        f"<p>{'美国联邦储备委员会十四日宣布将联邦基金利率目标区间维持不变，符合普遍预期。' * 8}</p></div>",
        head="<title>美联储维持利率目标区间不变_南方网</title>",
        lang="zh",
    )
    article = extract_article(body, "https://news.southcn.example/a/6")
    assert article.title == "美联储维持利率目标区间不变"


def test_a_cjk_h1_without_spaces_is_the_headline() -> None:
    body = _page(
        f"<h1>《杜甫·将赴荆南寄别李剑州》</h1><p>{'使君高义驱今古，寥落三年坐剑州。但见文翁能化俗，焉知李广未封侯？' * 6}</p>",
        head="<title>《杜甫·将赴荆南寄别李剑州》 - 杜甫诗 - 品诗文网</title>",
        lang="zh",
    )
    assert extract_article(body, "https://poems.example.cn/a/7").title == "《杜甫·将赴荆南寄别李剑州》"


def test_site_name_with_a_section_beyond_it_goes_and_a_headline_naming_the_site_stays() -> None:
    body = _page(f"<p>{_PROSE * 3}</p>", head="<title>Harbour works approved - Coastnews - Politics</title>")
    assert extract_article(body, "https://www.coastnews.example/a/8").title == "Harbour works approved"
    own = _page(
        f"<h1>Coastnews wins a regional press award</h1><p>{_PROSE * 3}</p>",
        head="<title>Coastnews wins a regional press award | Coastnews</title>",
    )
    assert (
        extract_article(own, "https://www.coastnews.example/a/9").title
        == "Coastnews wins a regional press award"
    )


def test_a_page_in_us_english_writes_the_month_first() -> None:
    body = _page(
        f"<article><h1>Harbour works approved</h1><span class='date'>10/9/10 7:15 AM EDT</span>"
        f"<p>{_PROSE * 3}</p></article>",
        lang="en-US",
    )
    assert extract_article(body, "https://news.example.org/a/10").published_at == "2010-10-09T07:15:00-04:00"
    british = body.replace(b'lang="en-US"', b'lang="en-GB"')
    assert (
        extract_article(british, "https://news.example.org/a/10").published_at == "2010-09-10T07:15:00-04:00"
    )


def test_a_day_only_found_in_the_text_counts_when_printed_and_a_copyright_year_never() -> None:
    caption = "The final at the stadium in Cape Town, South Africa, December 9, 2018. /Photo agency"
    body = _page(
        f"<div class='story'><div class='caption'>{caption}</div><p>{_PROSE * 3}</p></div>"
        "<div class='bottom'>Copyright © 2011 Example Media</div>"
    )
    assert extract_article(body, "https://news.example.org/a/11").published_at == "2018-12-09"
    no_date = body.replace(b", December 9, 2018", b"")
    assert extract_article(no_date, "https://news.example.org/a/11").published_at is None


def test_the_articles_h1_in_an_entry_header_beats_the_logo_h1_in_the_masthead() -> None:
    body = _page(
        '<header id="masthead"><h1 class="site-title"><a href="/">Coast Daily News</a></h1></header>'
        '<article><header class="entry-header"><h1 class="entry-title">Harbour works approved after long debate'
        f"</h1></header><p>{_PROSE * 3}</p></article>",
        head="<title>Harbour works approved after long debate, council says</title>",
    )
    assert (
        extract_article(body, "https://coast.example/a/12").title
        == "Harbour works approved after long debate"
    )


def test_tilde_and_guillemet_separators_cut_the_site_name_too() -> None:
    for title in ("Harbour works approved ~ Coastnews", "Coastnews « Harbour works approved"):
        body = _page(f"<p>{_PROSE * 3}</p>", head=f"<title>{title}</title>")
        assert extract_article(body, "https://www.coastnews.example/a/13").title == "Harbour works approved"


def test_less_common_publication_meta_names_count() -> None:
    for name, value, expected in (
        ("citation_publication_date", "2025/03/04", "2025-03-04"),
        ("dcterms.issued", "2025-03-04T18:05:00+01:00", "2025-03-04T18:05:00+01:00"),
        ("publish_date", "Tue, 04 Mar 2025 18:05:00 GMT", "2025-03-04T18:05:00+00:00"),
    ):
        body = _page(
            f"<article><h1>Harbour works approved</h1><p>{_PROSE * 3}</p></article>",
            head=f'<meta name="{name}" content="{value}">',
        )
        assert extract_article(body, "https://news.example.org/a/14").published_at == expected, name


def test_an_h1_in_the_footer_or_menu_is_no_headline_when_the_metadata_states_one() -> None:
    footer = "".join(
        f"<div class='col_footer'><h1>{label}</h1><a href='/{n}'>link</a></div>"
        for n, label in enumerate(("Contact Us", "Follow Us"))
    )
    body = _page(
        f"<header><nav><h1>Open Menu Close Menu</h1></nav></header>"
        f"<div class='post'><p>{_PROSE * 3}</p></div><footer>{footer}</footer>",
        head='<meta property="og:title" content="Harbour works approved – Coastnews">'
        "<title>Harbour works approved – Coastnews</title>",
    )
    article = extract_article(body, "https://coastnews.example.org/a/8")
    assert article.title == "Harbour works approved"


def test_entities_a_cms_encoded_twice_are_decoded_in_titles_and_json_ld() -> None:
    """WordPress SEO plugins write HTML entities into JSON-LD strings, and some themes encode the
    title field twice: the reader sees "Traveler’s" and "&", so must the archive."""
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Budget Traveler&#8217;s Guide: Full &#038; Part Time &amp; More", '
        '"description": "Tips &amp; tricks for travellers", "author": {"name": "Jane O&#8217;Neil"}}'
        "</script>"
    )
    body = _page(f"<article><p>{_PROSE * 3}</p></article>", head=ld)
    article = extract_article(body, "https://news.example.org/a/40")
    assert article.title == "Budget Traveler’s Guide: Full & Part Time & More"
    assert article.lede == "Tips & tricks for travellers"
    assert article.authors == ["Jane O’Neil"]
    twice = _page(
        f"<article><h1>Data Tools for 2026 | Python, SQL &amp;#x26; AI</h1><p>{_PROSE * 3}</p></article>",
        head="<title>Data Tools for 2026 | Python, SQL &amp;#x26; AI</title>",
    )
    assert (
        extract_article(twice, "https://news.example.org/a/41").title
        == "Data Tools for 2026 | Python, SQL & AI"
    )


def test_an_h1_that_is_the_sites_name_is_its_logo_not_the_headline() -> None:
    """The logo's h1 names the site (the host here): the headline is the one <title> states, and
    with no other candidate the title stays empty rather than the site's name."""
    page = (
        "<div class='top'><h1>Harbour Gazette</h1></div><article><h2 class='entry-title'>"
        f"Harbour works approved at last</h2><p>{_PROSE * 3}</p></article>"
    )
    url = "https://harbourgazette.example.org/a/42"
    titled = extract_article(_page(page, head="<title>Harbour works approved at last</title>"), url)
    assert titled.title == "Harbour works approved at last"
    assert extract_article(_page(page), url).title != "Harbour Gazette"
