"""The README's test command on a machine without Chromium: skipped with the fix, unless CI.

Runs the browser test module in a child pytest with ``NEWSCRAWL_CHROMIUM`` pointing at a path
that does not exist, which is what a fresh machine looks like to it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def browser_tests(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["NEWSCRAWL_CHROMIUM"] = str(tmp_path / "no-chromium-here")
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_browser.py",
            "-k",
            "planted",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_missing_chromium_skips_with_the_install_command(tmp_path: Path) -> None:
    done = browser_tests(tmp_path, ci=None)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "1 skipped" in done.stdout
    assert "SKIPPED" in done.stdout and "apt-get update && apt-get install -y chromium" in done.stdout


@pytest.mark.parametrize("ci", ["true"])
def test_missing_chromium_fails_under_ci(tmp_path: Path, ci: str) -> None:
    done = browser_tests(tmp_path, ci=ci)
    assert done.returncode == 1, done.stdout[-2000:]
    assert "CI=true and" in done.stdout and "apt-get install -y chromium" in done.stdout
