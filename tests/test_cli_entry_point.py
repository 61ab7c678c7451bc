"""`newscrawl` runs as the README prints it: the entry point exists in the venv, the docs say how to reach it."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ON_PATH = (".venv/bin/activate", ".venv/bin/newscrawl")


def test_version_of_the_installed_command() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    command = Path(sys.executable).with_name("newscrawl")  # what `make` installs
    assert command.exists()
    res = subprocess.run([str(command), "--version"], capture_output=True, text=True)
    assert (res.returncode, res.stdout) == (0, f"newscrawl, version {version}\n")


def test_docs_say_how_newscrawl_gets_on_path_before_using_it() -> None:
    for doc in ("README.md", "docs/querying.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        first_use = re.search(r"^(\$ )?newscrawl ", text, re.MULTILINE)
        assert first_use, doc
        told = [text.find(hint) for hint in ON_PATH if 0 <= text.find(hint) < first_use.start()]
        assert told, f"{doc}: `newscrawl` is used before saying it is .venv/bin/newscrawl or how to activate .venv"
