"""`newscrawl replica`: run the local replica outlet or dump its ground truth."""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path

import click

from crawler.replica import ReplicaServer, ReplicaSite


@click.group()
def replica() -> None:
    """The local replica of a Greek news outlet that tests, benchmarks and the demo crawl."""


@replica.command()
@click.option(
    "--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="0 = any free port"
)
@click.option(
    "--size", default=72, show_default=True, type=click.IntRange(min=60), help="initially visible articles"
)
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--slow-seconds", default=10.0, show_default=True, type=float, help="delay of the slow fault page"
)
def serve(port: int, size: int, seed: int, host: str, slow_seconds: float) -> None:
    """Serve the replica outlet until Ctrl-C or SIGTERM.

    Example:

        newscrawl replica serve --port 8765 --size 72
    """
    try:
        server = ReplicaServer(port=port, size=size, seed=seed, slow_seconds=slow_seconds, host=host)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    server.start()
    click.echo(f"Replica outlet on {server.url} ({size} articles) — Ctrl-C to stop")
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


@replica.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--size", default=72, show_default=True, type=click.IntRange(min=60))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option(
    "--minutes", default=0, show_default=True, type=click.IntRange(min=0), help="advance the clock first"
)
def truth(out_dir: Path, size: int, seed: int, minutes: int) -> None:
    """Write the ground truth, one DIR/<article id>.json per article visible at the clock.

    Example:

        newscrawl replica truth --out /tmp/truth --size 72
    """
    site = ReplicaSite(size=size, seed=seed)
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
