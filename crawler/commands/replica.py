"""`newscrawl replica`: run the local replica outlets or dump their ground truth."""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path

import click

from crawler.outlet import get_outlet
from crawler.replica import ReplicaServer, ReplicaSite, families

OUTLET_HELP = "which replica outlet: " + ", ".join(sorted(families))


def _outlet_option(function):
    return click.option(
        "--outlet",
        "outlet",
        default="replica",
        show_default=True,
        type=click.Choice(sorted(families)),
        help=OUTLET_HELP,
    )(function)


def _default_port(name: str) -> int:
    """The port in the outlet's declared base URL (8765 for ``replica``, 8766... for the families)."""
    from urllib.parse import urlsplit

    return urlsplit(get_outlet(name).base_url).port or 8765


def _site(name: str, size: int, seed: int, slow_seconds: float):
    if name == "replica":
        return ReplicaSite(size=size, seed=seed, slow_seconds=slow_seconds)
    return families[name](seed=seed)


@click.group()
def replica() -> None:
    """Local replicas of Greek news outlets (one per CMS family) that tests, benchmarks and the demo crawl."""


@replica.command()
@click.option(
    "--port",
    default=None,
    type=click.IntRange(0, 65535),
    help="0 = any free port  [default: the outlet's declared port, 8765 for replica]",
)
@click.option(
    "--size",
    default=72,
    show_default=True,
    type=click.IntRange(min=60),
    help="initially visible articles (replica only)",
)
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--slow-seconds",
    default=10.0,
    show_default=True,
    type=float,
    help="delay of the slow fault page (replica only)",
)
@_outlet_option
@click.option("--all", "serve_all", is_flag=True, help="serve every replica outlet, each on its own port")
def serve(
    port: int | None, size: int, seed: int, host: str, slow_seconds: float, outlet: str, serve_all: bool
) -> None:
    """Serve a replica outlet (or all of them) until Ctrl-C or SIGTERM.

    Example:

        newscrawl replica serve --port 8765 --size 72

        newscrawl replica serve --all
    """
    names = sorted(families) if serve_all else [outlet]
    if serve_all and port not in (None, 0):
        raise click.ClickException(
            "--all serves each outlet on its own declared port: use --port 0 or no --port"
        )
    servers: list[tuple[str, ReplicaServer]] = []
    try:
        for name in names:
            wanted = _default_port(name) if port is None else port
            try:
                site = _site(name, size, seed, slow_seconds)
                servers.append((name, ReplicaServer(port=wanted, host=host, site=site)))
            except OSError as exc:
                raise click.ClickException(
                    f"cannot listen on {host}:{wanted}: {exc.strerror or exc}"
                ) from None
    except click.ClickException:
        for _, server in servers:
            server.stop()
        raise
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    for _, server in servers:
        server.start()
    if serve_all:
        for name, server in servers:
            click.echo(f"{name} {server.url}")
        click.echo("Ctrl-C to stop")
    else:
        name, server = servers[0]
        count = len(server.site.ground_truth())
        label = "Replica outlet" if name == "replica" else f"Replica outlet {name}"
        click.echo(f"{label} on {server.url} ({count} articles) — Ctrl-C to stop")
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        for _, server in servers:
            server.stop()


@replica.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--size", default=72, show_default=True, type=click.IntRange(min=60), help="replica only")
@click.option("--seed", default=1, show_default=True, type=int)
@click.option(
    "--minutes", default=0, show_default=True, type=click.IntRange(min=0), help="advance the clock first"
)
@_outlet_option
def truth(out_dir: Path, size: int, seed: int, minutes: int, outlet: str) -> None:
    """Write the ground truth, one DIR/<article id>.json per article visible at the clock.

    Example:

        newscrawl replica truth --out /tmp/truth --size 72

        newscrawl replica truth --outlet replica-drupal --out /tmp/drupal
    """
    site = _site(outlet, size, seed, 10.0)
    site.advance(minutes)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        articles = site.ground_truth()
        for article in articles:
            path = out_dir / f"{article['id']}.json"
            path.write_text(json.dumps(article, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write to {out_dir}: {exc.strerror or exc}") from None
    click.echo(f"Wrote {len(articles)} articles to {out_dir}")
