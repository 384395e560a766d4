"""The README stays true: every command is toured, and CI runs exactly the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from crawler.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme_tour():
    missing = [name for name in COMMANDS if f"newscrawl {name}" not in README]
    assert missing == []


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for name in COMMANDS:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Example" in result.output or name == "replica", name


def test_ci_runs_the_readme_test_command_verbatim():
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", README, flags=re.S)
    commands = [line.strip() for block in blocks[:2] for line in block.splitlines() if line.strip()]
    assert len(commands) == 2, "the first screen has exactly two set-up commands"
    install, tests = commands
    assert "newscrawl demo" in install
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in [line.strip() for line in ci.splitlines()]


def test_every_outlet_is_documented():
    from crawler.outlet import all_outlets

    for name in all_outlets():
        assert f"`{name}`" in README, name


def test_readme_schema_matches_a_new_archive(tmp_path):
    from storage.archive import open_archive

    db = open_archive(tmp_path / "news.db")
    real = {
        table.name: [column.name for column in table.columns]
        for table in db.tables
        if not table.name.startswith(("_", "articles_fts"))
    }
    db.close()
    section = README.split("<!-- schema:start -->", 1)[1].split("<!-- schema:end -->", 1)[0]
    documented = {}
    for line in section.strip().splitlines():
        name, columns = line.removeprefix("- `").split("`: ", 1)
        documented[name] = columns.split(", ")
    assert documented == real
