"""``newscrawl extract``: run the extraction cascade on local files or URLs and print the result.

Nothing is stored: this is the quick way to see what the crawler would archive for a page and,
with ``--explain``, where each field came from.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

import click

from crawler.extraction import ExtractionError, extract_article
from crawler.extraction.profile import Profile
from crawler.items import Article
from crawler.outlet import profile_by_name, profile_for_url
from crawler.render import render_text

TIMEOUT_SECONDS = 20
_CANONICAL = re.compile(
    rb"<link[^>]+rel=[\"']?canonical[\"']?[^>]*href=[\"']([^\"'>]+)|"
    rb"<link[^>]+href=[\"']([^\"'>]+)[\"'][^>]*rel=[\"']?canonical|"
    rb"<meta[^>]+property=[\"']og:url[\"'][^>]*content=[\"']([^\"'>]+)",
    re.I,
)


class InputError(Exception):
    """A source that cannot be read; the message is shown as is."""


def read_source(source: str) -> tuple[bytes, dict[str, str], str | None]:
    """(body, headers, url) of a local ``.html``/``.html.gz`` file or an http(s) URL."""
    if source.startswith(("http://", "https://")):
        from crawler.fetch import FetchError, fetch_page

        try:
            page = fetch_page(source, timeout=TIMEOUT_SECONDS)
        except FetchError as err:
            raise InputError(f"{source}: {err}") from None
        return page.body, page.headers, page.url
    path = Path(source)
    if not path.exists():
        raise InputError(f"{source}: no such file")
    if path.is_dir():
        raise InputError(f"{source}: is a directory, not an HTML file")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{source}: cannot read ({err.strerror})") from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as err:
            raise InputError(f"{source}: broken gzip file ({err})") from None
    return data, {}, None


def page_url(body: bytes, source: str, given: str | None, fetched: str | None) -> str:
    """--url, else the URL it was fetched from, else the page's canonical/og:url, else file://."""
    if given:
        return given
    if fetched:
        return fetched
    match = _CANONICAL.search(body[:200_000])
    if match:
        found = next(g for g in match.groups() if g).decode("utf-8", "replace").strip()
        if found.startswith(("http://", "https://")):
            return found
    return Path(source).resolve().as_uri()


def extract_source(source: str, url: str | None = None, profile_name: str | None = None) -> Article:
    """Read one source and extract it; raises ``InputError``/``ExtractionError``/``KeyError``."""
    body, headers, fetched = read_source(source)
    target = page_url(body, source, url, fetched)
    profile: Profile = profile_by_name(profile_name) if profile_name else profile_for_url(target)
    return extract_article(body, target, profile=profile, headers=headers)


@click.command("extract")
@click.argument("sources", nargs=-1, required=True, metavar="FILE_OR_URL...")
@click.option(
    "--url", "url", default=None, help="The page URL of a local file (default: its canonical/og:url)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl", "text", "markdown"]),
    default=None,
    help="Output format (default: json for one input, jsonl for several).",
)
@click.option("--explain", is_flag=True, help="Show where every field came from (text/markdown).")
@click.option(
    "--profile", "profile_name", default=None, help="Outlet profile by name (default: by the URL's domain)."
)
def extract(
    sources: tuple[str, ...], url: str | None, fmt: str | None, explain: bool, profile_name: str | None
) -> None:
    """Extract articles from local .html/.html.gz files or http(s) URLs; stores nothing.

    Example:

        newscrawl extract page.html --url https://www.bankingnews.gr/trapezes/articles/1/x

        newscrawl extract a.html b.html.gz --format jsonl

        newscrawl extract page.html --format text --explain
    """
    if profile_name:
        try:
            profile_by_name(profile_name)
        except KeyError as err:
            click.echo(f"newscrawl: {err.args[0]}", err=True)
            sys.exit(1)
    several = len(sources) > 1
    fmt = fmt or ("jsonl" if several else "json")
    failed = 0
    for source in sources:
        try:
            article = extract_source(source, url, profile_name)
        except (InputError, ExtractionError, KeyError) as err:
            failed += 1
            message = str(err.args[0]) if err.args else str(err)
            if not message.startswith(source):
                message = f"{source}: {message}"
            click.echo(f"newscrawl: {message}", err=True)
            if several and fmt in ("json", "jsonl"):
                click.echo(json.dumps({"source": source, "error": message}, ensure_ascii=False))
            continue
        if fmt == "json" and not several:
            click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
        elif fmt in ("json", "jsonl"):
            record = {"source": source, **article.to_dict()}
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            if several:
                click.echo(
                    ("<!-- " if fmt == "markdown" else "== ")
                    + source
                    + (" -->" if fmt == "markdown" else " ==")
                )
            click.echo(render_text(article, markdown=fmt == "markdown", explain=explain))
    if failed:
        sys.exit(1)
