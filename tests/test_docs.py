"""The documentation cannot drift from the code: every project setting, `newscrawl` command and option,
dependency and exit status is documented (README.md, or the reference pages in docs/ it links), and every link
between them resolves."""

from __future__ import annotations

import re
from pathlib import Path

from click import Group

from newscrawl import settings
from newscrawl.cli import main as cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))}
ALL = {"README.md": README, **DOCS}
EVERYTHING = "\n".join(ALL.values())


def test_every_project_setting_has_a_row_in_a_settings_table():
    names = [n for n in dir(settings) if n.startswith("NEWSCRAWL_") or n == "ARCHIVE_URL"]
    assert len(names) >= 10
    missing = [n for n in names if f"| `{n}` |" not in EVERYTHING]
    assert missing == []
    assert "| `ARCHIVE_URL` |" in DOCS["docs/settings.md"]  # the reference table lives there


def test_every_command_and_option_is_documented():
    assert isinstance(cli, Group)
    missing = []
    for name, command in cli.commands.items():
        if f"`{name}" not in EVERYTHING and f"newscrawl {name}" not in EVERYTHING:
            missing.append(name)
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in EVERYTHING:
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


def _anchors(text: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    out = set()
    for heading in re.findall(r"^#+ (.+)$", text, re.MULTILINE):
        out.add(re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-"))
    return out


def test_every_reference_page_is_linked_from_the_readme():
    assert set(DOCS) >= {"docs/querying.md", "docs/settings.md", "docs/schema.md", "docs/benchmarks.md"}
    unlinked = [name for name in DOCS if f"]({name}" not in README]
    assert unlinked == []


def test_links_between_the_documents_resolve():
    broken = []
    for name, text in ALL.items():
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):  # http(s), mailto: not ours to check
                continue
            path, _, anchor = target.partition("#")
            file = (ROOT / name).parent / path if path else ROOT / name
            if not file.exists():
                broken.append(f"{name}: {target}")
            elif anchor and file.suffix == ".md" and anchor not in _anchors(file.read_text(encoding="utf-8")):
                broken.append(f"{name}: {target} (no such heading)")
    assert broken == []
