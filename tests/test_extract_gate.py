"""The extraction gate: our extractor on two real-page sets (copied into eval/data with their licences) keeps its
pinned F1 floors and never loses an article that plain trafilatura finds (eval/gate.py; figures in eval/README.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))
import gate  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", ["aeb", "snippets"])
def test_real_page_set_keeps_its_floor_and_loses_no_article(name):
    result = gate.evaluate(name, "newscrawl.extract:body_text", jobs=2)
    assert result["pages"] == {"aeb": 181, "snippets": 945}[name]
    assert gate.failures(result) == []
    # ahead of plain trafilatura on the same pages, in the same run
    assert result["ours"]["f1"] > result["trafilatura"]["f1"]


def test_gate_fails_an_extractor_that_loses_articles():
    result = gate.evaluate("aeb", "tests.test_extract_gate:first_line_only", jobs=1)
    problems = gate.failures(result)
    assert problems and "below the floor" in problems[0] and len(result["lost"]) > 100


def first_line_only(html: str, url: str | None) -> str:
    """A broken extractor (the article's first line at most), to prove the gate can fail."""
    from newscrawl.extract import body_text

    return body_text(html, url).split("\n", 1)[0]
