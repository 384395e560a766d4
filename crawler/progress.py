"""Live crawl progress: a refreshing table on a terminal, plain log lines elsewhere.

A crawl can run for a long time; a user at a terminal wants to see it move, and a log file
(or the scheduler) wants one readable line every few seconds instead of screen redraws.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable

from rich.console import Console
from rich.live import Live
from rich.table import Table

COLUMNS = ("outlet", "fetched", "new", "updated", "unchanged", "skipped", "errors", "pages/s", "status")


def _row(s: dict) -> tuple[str, ...]:
    return (
        s["outlet"],
        str(s["pages_fetched"]),
        str(s["new"]),
        str(s["updated"]),
        str(s["unchanged"]),
        str(s.get("skipped", 0)),
        str(s["errors"]),
        f"{s['rate']:.1f}",
        s["status"],
    )


def summary_table(summaries: Iterable[dict], title: str = "Crawl summary") -> Table:
    table = Table(title=title, title_justify="left")
    for name in COLUMNS:
        table.add_column(name, justify="left" if name in ("outlet", "status") else "right")
    for s in summaries:
        table.add_row(*_row(s))
    return table


def plain_line(s: dict) -> str:
    return (
        f"{s['outlet']}: {s['pages_fetched']} fetched, {s['new']} new, {s['updated']} updated, "
        f"{s['unchanged']} unchanged, {s.get('skipped', 0)} skipped (--since), {s['errors']} errors, "
        f"{s['rate']:.1f} pages/s"
    )


class ProgressDisplay:
    """Polls ``snapshot()`` (a list of per-outlet summaries) and shows it."""

    def __init__(
        self, snapshot: Callable[[], list[dict]], live: bool | None = None, every: float = 5.0
    ) -> None:
        self.snapshot = snapshot
        self.console = Console(stderr=True)
        self.live_mode = sys.stderr.isatty() if live is None else live
        self.every = every
        self._live: Live | None = None
        self._last_line = 0.0

    def start(self) -> None:
        if self.live_mode:
            self._live = Live(
                summary_table([], "Crawling"), console=self.console, refresh_per_second=4, transient=True
            )
            self._live.start()

    def tick(self) -> None:
        rows = self.snapshot()
        if self._live is not None:
            self._live.update(summary_table(rows, "Crawling"))
        elif time.monotonic() - self._last_line >= self.every:
            self._last_line = time.monotonic()
            for row in rows:
                print(plain_line(row), file=sys.stderr, flush=True)

    def stop(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
