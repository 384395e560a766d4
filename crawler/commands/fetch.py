"""``newscrawl fetch``: one URL on demand, extracted with its outlet's profile, optionally archived."""

from __future__ import annotations

from datetime import UTC

import click

from crawler.commands.common import db_option, fail


@click.command("fetch")
@click.argument("url")
@click.option("--save", is_flag=True, help="Store the article in the archive like a crawled one.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True
)
@db_option
@click.option("--ignore-robots", is_flag=True, help="Fetch even when the site's robots.txt disallows it.")
@click.option("--timeout", default=20.0, show_default=True, help="Seconds to wait for the server.")
def fetch(url: str, save: bool, fmt: str, db_path: str, ignore_robots: bool, timeout: float) -> None:
    """Fetch URL, extract the article and print it with its metadata and images.

    The outlet's profile is chosen by the URL's domain (the generic profile otherwise).
    Errors (bad URL, DNS, timeout, 404/5xx, not HTML, no article text) are one line, exit 1.

    Example:

        newscrawl fetch https://www.bankingnews.gr/diethni/articles/890485/slug --save
    """
    import json
    from datetime import datetime

    from crawler.extraction import ExtractionError, extract_article
    from crawler.fetch import FetchError, fetch_page
    from crawler.outlet import outlet_for_url
    from crawler.render import render_text
    from crawler.urls import canonical_url

    try:
        page = fetch_page(url, timeout=timeout, ignore_robots=ignore_robots)
    except FetchError as exc:
        fail(str(exc))
    outlet = outlet_for_url(page.url)
    fetched_at = datetime.now(UTC)
    try:
        article = extract_article(
            page.body,
            page.url,
            profile=outlet.profile if outlet else None,
            headers=page.headers,
            fetched_at=fetched_at,
        )
    except ExtractionError as exc:
        fail(f"{page.url}: {exc}")
    from crawler.settings import NEWSCRAWL_MIN_WORDS

    if article.word_count < NEWSCRAWL_MIN_WORDS:
        fail(f"no article text found at {page.url}")
    article.outlet = outlet.name if outlet else article.outlet
    if save:
        from storage.archive import ArchiveError, open_archive, upsert_article

        key = (
            article.canonical_url
            if outlet and article.canonical_url and outlet.is_article(article.canonical_url)
            else page.url
        )
        article.url = canonical_url(key)
        article.canonical_url = article.url
        try:
            db = open_archive(db_path)
            outcome = upsert_article(
                db,
                article,
                page={
                    "url": page.url,
                    "status": page.status,
                    "headers": page.headers,
                    "body": page.body,
                    "etag": page.headers.get("ETag"),
                    "last_modified": page.headers.get("Last-Modified"),
                },
                fetched_at=fetched_at.isoformat(),
            )
        except ArchiveError as exc:
            fail(str(exc))
        click.echo(f"saved to {db_path}: {outcome}", err=True)
    if fmt == "json":
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(article, markdown=fmt == "markdown"))
