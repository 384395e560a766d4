"""``newscrawl fetch``: one URL on demand, extracted with its outlet's profile, optionally archived."""

from __future__ import annotations

import click

from crawler.commands.common import archive_errors, db_option, fail, open_db


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

    from crawler.extraction import ExtractionError, extract_article
    from crawler.fetch import FetchError, fetch_page
    from crawler.outlet import outlet_for_url
    from crawler.render import render_text
    from storage.clock import iso, utcnow

    try:
        page = fetch_page(url, timeout=timeout, ignore_robots=ignore_robots)
    except FetchError as exc:
        fail(str(exc))
    outlet = outlet_for_url(page.url)
    fetched_at = utcnow()
    try:
        article = extract_article(
            page.body,
            page.url,
            profile=outlet.extraction_profile if outlet else None,
            headers=page.headers,
            fetched_at=fetched_at,
        )
    except ExtractionError as exc:
        fail(f"{page.url}: {exc}")
    from crawler.acceptance import admit, page_encoding

    refused = admit(article, outlet=outlet, requested_url=url, final_url=page.url)
    if refused is not None:
        fail(f"{page.url}: {refused.reason}")
    if save:
        from storage.archive import upsert_article

        with archive_errors(db_path):
            db = open_db(db_path, write=True, create=True)
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
                    "encoding": page_encoding(article, page.body, page.headers),
                },
                fetched_at=iso(fetched_at),
            )
        click.echo(f"saved to {db_path}: {outcome}", err=True)
    if fmt == "json":
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(article, markdown=fmt == "markdown"))
