"""The hostile-site limits are validated before the first request like every other setting."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from newscrawl import settings as project_settings
from newscrawl.commands.crawl import check_arguments

SPARGS = {"site": "http://127.0.0.1:9/"}


def _settings(**overrides: str) -> Settings:
    values = Settings()
    values.setmodule(project_settings)
    values.setdict(overrides)
    return values


@pytest.mark.parametrize("name", ["NEWSCRAWL_LISTING_LINKS", "NEWSCRAWL_SITEMAP_MAX_SIZE",
                                  "NEWSCRAWL_SITEMAP_MAX_URLS", "NEWSCRAWL_SITEMAPS_PER_OUTLET"])
def test_positive_limits(name):
    with pytest.raises(ValueError, match=f"setting {name} must be an integer >= 1, got '0'"):
        check_arguments(SPARGS, _settings(**{name: "0"}))
    with pytest.raises(ValueError, match=f"setting {name} must be an integer >= 1, got 'lots'"):
        check_arguments(SPARGS, _settings(**{name: "lots"}))


@pytest.mark.parametrize("name", ["NEWSCRAWL_SITEMAP_DEPTH", "NEWSCRAWL_FRONTIER_SIZE"])
def test_zero_or_more_limits(name):
    check_arguments(SPARGS, _settings(**{name: "0"}))
    with pytest.raises(ValueError, match=f"setting {name} must be an integer >= 0, got '-1'"):
        check_arguments(SPARGS, _settings(**{name: "-1"}))
