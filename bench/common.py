"""Pieces every benchmark shares: the replica in its own process, child processes, the report.

The replica server runs in a separate process so that its CPU time never counts as the
crawler's; the machine has 2 cores, so server and crawler still compete for them, which every
report states. Each benchmark prints a table of ratios against a baseline measured in the
same run and, as its very last stdout line, one JSON object (CI and the lead parse that line).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO / ".." / "shared"


def machine_note(server: bool = True) -> str:
    """Cores and current load: on a shared 2-core machine a neighbour's work shows in every figure."""
    one, five, _ = os.getloadavg()
    note = f"machine: {os.cpu_count()} cores, load avg {one:.1f} (1 min) / {five:.1f} (5 min) at the end"
    return note + ("; the replica server runs in its own process on the same cores" if server else "")


class BenchError(Exception):
    """A benchmark could not run; the message is one line for the user."""


def child_env(**extra: str) -> dict[str, str]:
    """Environment for child processes: the repo importable, output unbuffered."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **extra}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


class ReplicaProcess:
    """``newscrawl replica serve`` in a child process on a free port, stopped on exit."""

    def __init__(self, size: int, seed: int = 1, slow_seconds: float = 0.0) -> None:
        self.size, self.seed, self.slow_seconds = size, seed, slow_seconds
        self.proc: subprocess.Popen | None = None
        self.url = ""

    def __enter__(self) -> ReplicaProcess:
        cmd = [sys.executable, "-m", "crawler", "replica", "serve", "--port", "0", "--size", str(self.size)]
        cmd += ["--seed", str(self.seed), "--slow-seconds", str(self.slow_seconds)]
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env(), cwd=REPO
        )
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if "http://" not in line:
            self.proc.kill()
            err = self.proc.stderr.read() if self.proc.stderr else ""
            raise BenchError(f"replica server did not start: {(line + err).strip()[:300]}")
        self.url = line.split("http://", 1)[1].split()[0].rstrip("/")
        self.url = "http://" + self.url
        return self

    def truth(self) -> list[dict]:
        """The ground truth of the server's site: every article page it serves."""
        with urllib.request.urlopen(self.url + "/__replica__/truth", timeout=120) as response:
            return json.loads(response.read())

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def run_child(args: Sequence[str], env: dict[str, str] | None = None, timeout: float = 1800) -> dict:
    """Run ``python -m <args>``; return the JSON object of its last stdout line, plus ``wall_s``."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", *args],
            capture_output=True,
            text=True,
            env=env or child_env(),
            cwd=REPO,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise BenchError(f"child {' '.join(args[:3])} took longer than {timeout:.0f} s") from None
    wall = time.perf_counter() - start
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise BenchError(f"child {' '.join(args[:3])} failed (exit {proc.returncode}): {' | '.join(tail)}")
    try:
        result = json.loads(lines[-1])
    except json.JSONDecodeError:
        raise BenchError(f"child {' '.join(args[:3])} printed no JSON result: {lines[-1][:200]}") from None
    result.setdefault("wall_s", round(wall, 3))
    return result


PEAK_RSS_WRAPPER = Path(__file__).resolve().parent / "peak_rss.py"


def spawn_with_peak(
    cmd: Sequence[str], env: dict[str, str], stdout: IO, stderr: IO, timeout: float, cwd: Path = REPO
) -> tuple[int | None, float, float]:
    """Run ``cmd`` through bench/peak_rss.py; return (exit code or None on timeout, wall s, peak MB).

    The wrapper, not this process, starts ``cmd``: a child forked from a big process inherits that
    process's memory high-water mark in ``ru_maxrss`` (see peak_rss.py). On timeout the whole
    process group is killed, so no command outlives its wrapper.
    """
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "peak"
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, str(PEAK_RSS_WRAPPER), str(report), *cmd],
            stdout=stdout,
            stderr=stderr,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return None, time.perf_counter() - start, 0.0
        wall = time.perf_counter() - start
        peak_kib, code = report.read_text().split()
    return int(code), wall, int(peak_kib) / 1024


def run_measured(cmd: Sequence[str], env: dict[str, str], timeout: float = 1800) -> tuple[float, float]:
    """Run ``cmd``; return (wall seconds, peak RSS in MB of exactly that command).

    Output goes to temporary files so a chatty child can never block on a full pipe.
    """
    with tempfile.TemporaryFile("w+") as err:
        code, wall, peak_mb = spawn_with_peak(cmd, env, subprocess.DEVNULL, err, timeout)
        if code is None:
            raise BenchError(f"{' '.join(cmd[:6])} took longer than {timeout:.0f} s")
        if code != 0:
            err.seek(0)
            tail = " | ".join(err.read().strip().splitlines()[-5:])
            raise BenchError(f"{' '.join(cmd[:6])} failed (exit {code}): {tail}")
    return wall, peak_mb


def peak_rss_mb() -> float:
    """Peak RSS of this process so far (VmHWM), for children that report their own."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ratio(ours: float, baseline: float) -> float | None:
    return round(ours / baseline, 3) if baseline else None


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table; the first column left-aligned, the rest right-aligned."""
    cells = [[str(c) for c in header], *[[_cell(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def line(row: list[str]) -> str:
        parts = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(parts).rstrip()

    rule = "-" * len(line(cells[0]))
    return "\n".join([title, rule, line(cells[0]), rule, *(line(r) for r in cells[1:]), rule])


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "-" if value is None else str(value)


def emit(name: str, figures: dict, text: str) -> None:
    """Print the table, then the JSON object as the last line (nothing may follow it)."""
    print(text)
    print(json.dumps({name: figures}, ensure_ascii=False), flush=True)


@contextmanager
def quiet_logs() -> Iterator[None]:
    """trafilatura and htmldate log every odd page; a benchmark table must stay readable."""
    import logging

    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)
