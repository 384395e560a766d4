"""The ``newscrawl`` command: a thin skin over ``crawler`` and ``storage`` functions.

Each subcommand lives in ``crawler/commands/`` and calls library code that tests call directly.
Commands are imported lazily so ``newscrawl --help`` stays fast and one broken room does not
take the whole CLI down.
"""

from __future__ import annotations

import importlib

import click

COMMANDS = {
    "demo": ("crawler.commands.demo", "demo"),
    "crawl": ("crawler.commands.crawl", "crawl"),
    "fetch": ("crawler.commands.fetch", "fetch"),
    "extract": ("crawler.commands.extract", "extract"),
    "search": ("crawler.commands.search", "search"),
    "export": ("crawler.commands.export", "export"),
    "serve": ("crawler.commands.serve", "serve"),
    "schedule": ("crawler.commands.schedule", "schedule"),
    "outlets": ("crawler.commands.report", "outlets"),
    "runs": ("crawler.commands.report", "runs"),
    "stats": ("crawler.commands.report", "stats"),
    "reextract": ("crawler.commands.reextract", "reextract"),
    "replica": ("crawler.commands.replica", "replica"),
    "cluster": ("crawler.commands.cluster", "cluster"),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def invoke(self, ctx: click.Context):
        """Run the command; a broken outlet file or an unusable archive is one line, exit 2."""
        from crawler.outlet import OutletFileError
        from storage.db import ArchiveError

        try:
            return super().invoke(ctx)
        except (OutletFileError, ArchiveError) as exc:
            click.echo(f"newscrawl: {' '.join(str(exc).split())}", err=True)
            ctx.exit(2)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module_name, attr = COMMANDS[name]
        return getattr(importlib.import_module(module_name), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newscrawl")
def main() -> None:
    """newscrawl: an archive crawler for regional news outlets.

    Example:

        newscrawl demo
    """
