"""The background crawler: APScheduler runs each outlet's crawl on its schedule, each in its own process.

Twisted's reactor cannot be restarted inside one process, so every run is a fresh
``python -m crawler crawl OUTLET`` child. The schedule's state is derived from ``crawl_runs``
in the archive: after a restart or a sleep, an outlet whose run is overdue runs once, at once
(missed runs coalesce), and never twice at the same time.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from crawler.outlet import Outlet

EXIT_ALREADY_RUNNING = 3  # `newscrawl crawl`: every outlet asked for is being crawled elsewhere

log = logging.getLogger("newscrawl.schedule")

DEFAULT_CONFIG = (
    Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "newscrawl" / "schedule.toml"
)


def config_path(explicit: str | None = None) -> Path:
    """``--config``, else ``$NEWSCRAWL_CONFIG``, else ``~/.config/newscrawl/schedule.toml``."""
    if explicit:
        return Path(explicit)
    if os.environ.get("NEWSCRAWL_CONFIG"):
        return Path(os.environ["NEWSCRAWL_CONFIG"])
    return DEFAULT_CONFIG


class ScheduleConfigError(ValueError):
    """A schedule file that is missing or holds a value of the wrong type; the message is one line."""


_INTERVAL_KEYS = ("weeks", "days", "hours", "minutes", "seconds")


def load_overrides(path: Path, required: bool = False) -> dict[str, dict[str, Any]]:
    """Per-outlet schedule overrides from TOML: ``[outlets.NAME] interval_minutes = 20`` or ``cron = "..."``.

    A file named with ``--config`` (``required``) must exist; the default one may be absent.
    Every value is checked, so a typo fails at start-up with the key that is wrong.
    """
    if not path.is_file():
        if required:
            raise ScheduleConfigError(f"schedule config {path} does not exist")
        return {}
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScheduleConfigError(f"cannot read schedule config {path}: {exc}") from None
    outlets = data.get("outlets", {})
    if not isinstance(outlets, dict):
        raise ScheduleConfigError(f"{path}: [outlets] must be a table of [outlets.NAME] tables")
    return {name: _override(path, name, table) for name, table in outlets.items()}


def _override(path: Path, name: str, table: Any) -> dict[str, Any]:
    where = f"{path}: [outlets.{name}]"
    if not isinstance(table, dict):
        raise ScheduleConfigError(f"{where} must be a table")
    if "cron" in table:
        cron = table["cron"]
        if not isinstance(cron, str):
            raise ScheduleConfigError(f'{where} cron must be a string such as "*/20 * * * *"')
        try:
            CronTrigger.from_crontab(cron, timezone=UTC)
        except ValueError as exc:
            raise ScheduleConfigError(f"{where} cron {cron!r} is not a crontab line: {exc}") from None
        return {"cron": cron}
    units = {}
    for key, value in table.items():
        unit = key.removeprefix("interval_")
        if unit not in _INTERVAL_KEYS or not key.startswith("interval_"):
            raise ScheduleConfigError(
                f"{where} has unknown key {key!r} (use cron or interval_{'/interval_'.join(_INTERVAL_KEYS)})"
            )
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ScheduleConfigError(f"{where} {key} must be a positive number, not {value!r}")
        units[unit] = value
    if not units:
        raise ScheduleConfigError(f"{where} needs cron or an interval_* key")
    return units


@dataclass
class Plan:
    outlet: str
    schedule: dict[str, Any]

    def trigger(self):
        if "cron" in self.schedule:
            return CronTrigger.from_crontab(self.schedule["cron"], timezone=UTC)
        return IntervalTrigger(**self.schedule, timezone=UTC)

    def interval(self) -> timedelta | None:
        if "cron" in self.schedule:
            return None
        return timedelta(**self.schedule)


def plan_for(outlets: list[Outlet], interval: float | None, overrides: dict[str, dict]) -> list[Plan]:
    plans = []
    for outlet in outlets:
        schedule = {"seconds": interval} if interval else overrides.get(outlet.name, outlet.schedule)
        plans.append(Plan(outlet.name, dict(schedule)))
    return plans


def last_run(db_path: str, outlet: str) -> dict | None:
    """The outlet's most recent ``crawl_runs`` row (None for a new or unreadable archive)."""
    import sqlite3

    from storage.archive import ArchiveError, open_archive
    from storage.reports import last_run as stored_last_run

    if not Path(db_path).is_file():
        return None
    try:
        db = open_archive(db_path, readonly=True)
        try:
            return stored_last_run(db, outlet)
        finally:
            db.close()
    except (ArchiveError, sqlite3.Error):
        return None


def last_run_started(db_path: str, outlet: str) -> datetime | None:
    """When this outlet's last run started, from the archive (None for a new archive)."""
    from storage.clock import parse_iso

    return parse_iso((last_run(db_path, outlet) or {}).get("started_at"))


class CrawlScheduler:
    """Owns the APScheduler instance and the crawl child processes."""

    def __init__(
        self,
        plans: list[Plan],
        db_path: str,
        log_file: str | None = None,
        grace: float = 30.0,
        cluster_redis: str | None = None,
    ) -> None:
        self.plans = plans
        self.cluster_redis = cluster_redis  # runs coordinated through this Redis (`cluster crawl`)
        self.db_path = db_path
        self.grace = grace
        self.log_file = log_file
        self.children: dict[str, subprocess.Popen] = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.scheduler = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            executors={"default": {"type": "threadpool", "max_workers": max(2, len(plans))}},
        )

    def first_run(self, plan: Plan) -> datetime:
        """Now for a new or overdue outlet; otherwise when its interval since the last run ends."""
        now = datetime.now(UTC)
        last = last_run_started(self.db_path, plan.outlet)
        if last is None:
            return now
        interval = plan.interval()
        due = last + interval if interval is not None else plan.trigger().get_next_fire_time(None, last)
        return now if due is None or due <= now else due

    def run_crawl(self, outlet: str) -> int | None:
        """One crawl in a child process; logs one line from its ``crawl_runs`` row.

        The child gets a session of its own, so a Ctrl-C or a signal sent to the scheduler's
        process group reaches it once, forwarded by ``stop``: a second signal would make
        Scrapy abandon the run instead of closing it cleanly.
        """
        if self.stopping.is_set():
            return None
        from crawler.lease import PARENT_ENV, holder

        busy = holder(self.db_path, outlet)
        if busy is not None:
            log.info("not starting a crawl of %s: already being crawled by %s; next try on schedule",
                     outlet, busy.describe())  # fmt: skip
            return None
        cmd = [sys.executable, "-m", "crawler", "crawl", outlet, "--db", self.db_path, "--no-progress"]
        if self.cluster_redis:
            cmd[3:4] = ["cluster", "crawl"]
            cmd += ["--redis", self.cluster_redis]
        log.info("starting crawl of %s", outlet)
        before = (last_run(self.db_path, outlet) or {}).get("id")
        with self.lock:
            child = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
                env={**os.environ, PARENT_ENV: str(os.getpid())},  # the child stops if we die
            )
            self.children[outlet] = child
        output, _ = child.communicate()
        with self.lock:
            self.children.pop(outlet, None)
        run = last_run(self.db_path, outlet)
        if run and run["status"] == "running":
            # stopped before Scrapy could close the run (e.g. a signal during start-up)
            from storage.archive import abort_stale_runs, open_archive

            abort_stale_runs(open_archive(self.db_path))
            run = last_run(self.db_path, outlet)
        if run and run["id"] == before:
            run = None
            if child.returncode != EXIT_ALREADY_RUNNING:
                log.info("crawl of %s stopped before it began", outlet)
        if run:
            log.info(
                "crawl of %s: %s — %s fetched, %s new, %s updated, %s unchanged, %s errors (run %s)",
                outlet, run["status"], run["pages_fetched"], run["new"], run["updated"],
                run["unchanged"], run["errors"], run["id"],
            )  # fmt: skip
        if child.returncode == EXIT_ALREADY_RUNNING:
            log.info("did not crawl %s: another process was crawling it already", outlet)
        elif child.returncode != 0:
            log.warning("crawl of %s exited with code %s; its last output:", outlet, child.returncode)
            for line in (output or "").splitlines()[-15:]:
                if line.strip():
                    log.warning("[%s] %s", outlet, line.rstrip())
        return child.returncode

    def start(self) -> None:
        for plan in self.plans:
            when = self.first_run(plan)
            self.scheduler.add_job(
                self.run_crawl,
                plan.trigger(),
                args=[plan.outlet],
                id=plan.outlet,
                name=f"crawl {plan.outlet}",
                next_run_time=when,
                replace_existing=True,
            )
            log.info(
                "scheduled %s (%s); next run %s",
                plan.outlet,
                plan.schedule,
                when.isoformat(timespec="seconds"),
            )
        self.scheduler.start()

    def stop(self) -> None:
        """Stop scheduling, ask running crawls to finish (SIGTERM), kill them after the grace period."""
        self.stopping.set()
        self.scheduler.pause()
        with self.lock:
            running = list(self.children.items())
        for outlet, child in running:
            log.info("asking the running crawl of %s to stop", outlet)
            child.send_signal(signal.SIGTERM)
        for outlet, child in running:
            try:
                child.wait(timeout=self.grace)
            except subprocess.TimeoutExpired:
                log.warning("crawl of %s did not stop within %ss; killing it", outlet, self.grace)
                child.kill()
        self.scheduler.shutdown(wait=True)


def setup_logging(log_file: str | None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file:
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
    )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def serve_forever(scheduler: CrawlScheduler) -> int:
    """Run until SIGTERM/SIGINT, then shut down cleanly; returns the exit code (0)."""
    done = threading.Event()

    def on_signal(signum, frame) -> None:
        log.info("received %s; shutting down", signal.Signals(signum).name)
        done.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    scheduler.start()
    while not done.wait(1.0):
        pass
    scheduler.stop()
    log.info("scheduler stopped")
    return 0
