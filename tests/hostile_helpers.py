"""Starting the hostile outlet (tests/hostile_outlet.py) as its own process, and reading its logs."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Hostile:
    proc: subprocess.Popen
    port: int
    other_port: int
    ftp_port: int
    secret: Path
    logs: Path

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def log(self, name: str) -> list[str]:
        path = self.logs / name
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def start_hostile(tmp: Path, *extra: str) -> Hostile:
    logs = tmp / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    secret = tmp / "secret-local-file.html"
    secret.write_text(
        "<html><body><article><h1>SECRET-LOCAL-FILE</h1><p>"
        + "SECRET-LOCAL-FILE words. " * 60
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    port, other, ftp = free_port(), free_port(), free_port()
    cmd = [sys.executable, str(HERE / "hostile_outlet.py"), "--port", str(port), "--other-port", str(other)]
    cmd += ["--ftp-port", str(ftp), "--secret", str(secret), "--log-dir", str(logs), *extra]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hostile = Hostile(proc, port, other, ftp, secret, logs)
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("the hostile outlet did not start")
            time.sleep(0.1)
    (logs / "outlet.log").unlink(missing_ok=True)  # the readiness probe is not the crawl's
    return hostile
