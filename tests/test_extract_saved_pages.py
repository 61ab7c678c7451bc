"""Saved real-shaped pages (tests/pages/NAME.html) give exactly the record in NAME.json, free of boilerplate."""

import json
import pathlib

import pytest

from newscrawl.extract import extract_article

PAGES = pathlib.Path(__file__).parent / "pages"
CASES = sorted(p.stem for p in PAGES.glob("*.json"))


def load(name):
    spec = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
    result = extract_article((PAGES / f"{name}.html").read_bytes(), spec["url"], encoding=spec["encoding"],
                             hints=spec["hints"])
    return spec, result


@pytest.mark.parametrize("name", CASES)
def test_exact_record(name):
    spec, result = load(name)
    assert set(result) == set(spec["expected"])
    for key, value in spec["expected"].items():
        assert result[key] == value, key


@pytest.mark.parametrize("name", CASES)
def test_no_boilerplate_in_text(name):
    spec, result = load(name)
    leaked = [s for s in spec["forbidden"] if s in result["text"]]
    assert leaked == []


def test_cases_cover_required_page_kinds():
    assert {"borneopost_article", "dayakdaily_article", "utusanborneo_malay_article", "cp1252_article",
            "borneopost_listing", "borneopost_about", "cloudflare_challenge", "borneopost_404"} <= set(CASES)
