"""``newscrawl search``: full-text search of the archive from the terminal."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import click

from crawler.commands.common import db_option
from storage.archive import ArchiveError, describe_error, open_archive
from storage.archive import search as search_archive
from storage.search import DEFAULT_RANK_WINDOW


class _SearchCommand(click.Command):
    """Keeps the meaning of ``--``: click drops it, the query parser needs it.

    Everything after ``--`` reaches the parser behind its own ``--``, so ``-5%`` there is a
    word to look for, not an excluded word.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            cut = args.index("--")
            if cut + 1 < len(args):
                args = [*args[: cut + 1], "-- " + " ".join(args[cut + 1 :])]
        return super().parse_args(ctx, args)


@click.command("search", cls=_SearchCommand, context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True, metavar="QUERY...")
@db_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="Maximum hits.")
@click.option("--outlet", default=None, help="Only articles of this outlet.")
@click.option(
    "--rank-window",
    default=DEFAULT_RANK_WINDOW,
    show_default=True,
    type=click.IntRange(min=0),
    help="Rank only the N most recently stored matches (0: rank every match, slower on big archives).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Readable list or a JSON array of hits.",
)
def search(
    words: tuple[str, ...],
    db_path: Path,
    limit: int,
    outlet: str | None,
    rank_window: int,
    output_format: str,
) -> None:
    """Search archived articles; accents and case do not matter.

    The syntax of a web search engine:

    \b
      τράπεζες επιτόκια      both words, anywhere in the article
      '"κεντρική τράπεζα"'   the words together, in this order
      ευρώ OR δολάριο        either word
      τράπεζες -Ιταλία       leave out articles with the excluded word
      τραπ*                  words beginning with τραπ
      -- -5%                 after --, a leading - is part of the word

    Quote the whole query for your shell when it holds quotes.

    \b
    Example:
        newscrawl search '"κεντρική τράπεζα"' --db news.db --limit 5
        newscrawl search μαδουρο --format json
    """
    from storage.search import query_problem

    query = " ".join(words)
    problem = query_problem(query)
    if problem is not None:
        click.echo(f"Error: {problem}", err=True)
        sys.exit(2)
    db_path = Path(db_path)
    if not db_path.is_file():
        click.echo(f"Error: archive {db_path} does not exist (run a crawl first or pass --db)", err=True)
        sys.exit(2)
    try:
        db = open_archive(db_path, readonly=True)
    except ArchiveError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    try:
        hits = search_archive(db, query, limit=limit, outlet=outlet, rank_window=rank_window or None)
    except sqlite3.DatabaseError as exc:
        click.echo(f"Error: {describe_error(db_path, exc)}", err=True)
        sys.exit(2)
    finally:
        db.close()
    if output_format == "json":
        click.echo(json.dumps(hits, ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo(f"No articles match {query!r}.")
        return
    for number, hit in enumerate(hits, 1):
        when = (hit["published_at"] or "undated")[:16].replace("T", " ")
        click.echo(f"{number}. {hit['title'] or '(untitled)'}")
        click.echo(f"   {when} · {hit['outlet'] or '?'} · {hit['url']}")
        if hit["snippet"]:
            click.echo(f"   {hit['snippet']}")
        click.echo()
