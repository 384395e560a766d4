"""The one acceptance rule the crawl, ``fetch --save`` and ``reextract`` share."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.acceptance import admit
from crawler.outlet import get_outlet
from storage.records import Article

BASE = "http://127.0.0.1:8765"
ARTICLE = f"{BASE}/oikonomia/articles/870261/tourismos"


def article(**values) -> Article:
    return Article(**{"url": ARTICLE, "text": "λέξη " * 40, "word_count": 40, **values})


def test_too_few_words_is_refused():
    refused = admit(
        article(word_count=3), outlet=get_outlet("replica"), requested_url=ARTICLE, final_url=ARTICLE
    )
    assert refused is not None and refused.reason == "no article text found on the page"


def test_older_than_since_is_a_skip_not_an_error():
    old = article(published_at="2026-01-05T10:00:00+02:00")
    since = datetime(2026, 1, 6, tzinfo=UTC)
    refused = admit(old, outlet=get_outlet("replica"), requested_url=ARTICLE, final_url=ARTICLE, since=since)
    assert refused is not None and refused.too_old
    # a date without a time counts as that day
    assert (
        admit(
            article(published_at="2026-01-06"),
            outlet=None,
            requested_url=ARTICLE,
            final_url=ARTICLE,
            since=since,
        )
        is None
    )


def test_redirect_to_a_page_that_is_not_an_article_is_refused():
    refused = admit(article(), outlet=get_outlet("replica"), requested_url=ARTICLE, final_url=f"{BASE}/")
    assert refused is not None and refused.reason.startswith("redirected to a page that is not an article")


def test_the_key_is_the_declared_canonical_only_when_it_is_an_article_of_the_outlet():
    replica = get_outlet("replica")
    served = f"{ARTICLE}?utm_source=rss"
    trusted = article(canonical_url=f"{BASE}/oikonomia/articles/870261/tourismos-full")
    assert admit(trusted, outlet=replica, requested_url=served, final_url=served) is None
    assert (trusted.url, trusted.outlet) == (f"{BASE}/oikonomia/articles/870261/tourismos-full", "replica")
    foreign = article(canonical_url="https://agency.example/home/")
    assert admit(foreign, outlet=replica, requested_url=served, final_url=served) is None
    assert foreign.url == ARTICLE
    # the page's own declaration is kept as it was, whatever the key
    assert foreign.canonical_url == "https://agency.example/home/"
    unknown = article(canonical_url="http://127.0.0.1/elsewhere")
    assert (
        admit(unknown, outlet=None, requested_url="http://127.0.0.1:9/a", final_url="http://127.0.0.1:9/a")
        is None
    )
    assert unknown.url == "http://127.0.0.1:9/a"
