"""The package's wings: the store never imports the query layer (nor Scrapy), the query layer never the crawl."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "newscrawl"


def imports(path: Path) -> set[str]:
    """Absolute module names a file imports (relative imports resolved against its package)."""
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("wing, forbidden", [
    ("store", ("newscrawl.query", "newscrawl.spiders", "newscrawl.pipelines", "newscrawl.extensions",
               "newscrawl.cli", "scrapy")),
    ("query", ("newscrawl.spiders", "newscrawl.pipelines", "newscrawl.extensions", "newscrawl.extract", "scrapy")),
])
def test_a_wing_does_not_reach_into_the_layers_above_it(wing: str, forbidden: tuple[str, ...]) -> None:
    offending = {f"{path.relative_to(PACKAGE.parent)} imports {name}"
                 for path in (PACKAGE / wing).rglob("*.py") for name in imports(path) if name.startswith(forbidden)}
    assert not offending, sorted(offending)


def test_sqlalchemy_stays_in_the_store_and_query_wings() -> None:
    """Only the wings (and the record they derive the table from) talk to the database library."""
    outside = {str(path.relative_to(PACKAGE.parent)) for path in PACKAGE.rglob("*.py")
               if path.parent.name not in ("store", "query", "migrations", "versions")
               and any(name.startswith("sqlalchemy") for name in imports(path))}
    assert outside <= {"newscrawl/record.py", "newscrawl/cli.py", "newscrawl/cli_db.py"}, sorted(outside)


def test_the_cli_starts_without_loading_scrapy_alembic_or_numpy() -> None:
    # Every `newscrawl` command paid ~0.4 s to import Scrapy when only the WARC commands read its settings, and
    # ~0.3 s more for Alembic (readers only compare a revision) and numpy (only near-duplicate hashing uses it).
    import subprocess
    import sys

    code = ("import sys, newscrawl.cli; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'scrapy', 'alembic', 'numpy'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
