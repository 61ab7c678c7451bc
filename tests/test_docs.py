"""The README cannot drift from the code: every project setting and every `newscrawl` command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from click import Group

from newscrawl import settings
from newscrawl.cli import main as cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
QUERYING = (ROOT / "docs" / "querying.md").read_text(encoding="utf-8")


def test_every_project_setting_is_in_the_readme():
    names = [n for n in dir(settings) if n.startswith("NEWSCRAWL_") or n == "ARCHIVE_URL"]
    assert len(names) >= 10
    missing = [n for n in names if f"`{n}`" not in README]
    assert missing == []


def test_every_command_and_option_is_documented():
    assert isinstance(cli, Group)
    missing = []
    for name, command in cli.commands.items():
        if f"`{name}" not in QUERYING and f"newscrawl {name}" not in README:
            missing.append(name)
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in QUERYING and opt not in README:
                    missing.append(f"{name} {opt}")
    assert missing == []


def test_readme_names_the_two_commands_and_exit_statuses():
    for text in ("make crawl", "make test", "make demo", "`75`", "`3`"):
        assert text in README


def test_every_dependency_is_explained():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = pyproject.split("dependencies = [", 1)[1].split("]", 1)[0]
    deps = [re.split(r"[<>=\[ ]", line.strip().strip('",'))[0] for line in block.splitlines()
            if line.strip().startswith('"')]
    missing = [d for d in deps if d.lower() not in README.lower()]
    assert missing == []
