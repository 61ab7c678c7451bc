"""Every setting the crawl reads is validated before the first request: a bad value is one line and exit 2."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from newscrawl import settings as defaults
from newscrawl.settings_check import RULES, SettingError, check_settings, rule_for

from .crawl_helpers import run_crawl


def _bad_value(rule) -> str:
    """A value the rule refuses: the wrong type, or (for text) nothing."""
    return {int: "abc", float: "abc", bool: "maybe", str: ""}[rule.kind]


def _project_settings(**overrides) -> Settings:
    settings = Settings()
    settings.setmodule(defaults)
    settings.setdict(overrides, priority="cmdline")
    return settings


def test_the_shipped_settings_are_valid():
    check_settings(_project_settings())


@pytest.mark.parametrize("name", sorted(n for n in dir(defaults) if n.startswith("NEWSCRAWL_")))
def test_every_project_setting_has_a_rule(name):
    rule = rule_for(name, getattr(defaults, name))
    assert rule is not None
    if getattr(defaults, name) is not None:  # its default passes its own rule
        check_settings(_project_settings(**{name: getattr(defaults, name)}))


@pytest.mark.parametrize("name", sorted(n for n, r in RULES.items() if not r.optional))
def test_a_bad_value_of_each_setting_is_refused_with_its_name(name):
    value = _bad_value(RULES[name])
    with pytest.raises(SettingError) as caught:
        check_settings(_project_settings(**{name: value}))
    assert str(caught.value).startswith(f"setting {name} must be ")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("name, value", [
    ("NEWSCRAWL_BATCH_SIZE", "0"), ("NEWSCRAWL_LISTING_CHUNK", "-1"), ("DOWNLOAD_TIMEOUT", "0"),
    ("NEWSCRAWL_NEARDUP_THRESHOLD", "1.5"), ("NEWSCRAWL_NEARDUP_THRESHOLD", "0"), ("CONCURRENT_REQUESTS", "0"),
    ("RETRY_TIMES", "-1"), ("NEWSCRAWL_EXTRACT_TIMEOUT", "nan"), ("NEWSCRAWL_RECHECK_SKIPPED_DAYS", "-3"),
    ("NEWSCRAWL_PAGINATION_DEPTH", "2.5"), ("NEWSCRAWL_NEARDUP_MIN_NAMES", "2"), ("NEWSCRAWL_NEARDUP_MIN_FIGURES", "-0.1"),
    ("NEWSCRAWL_SITEMAP_MAX_URLS", "0"), ("NEWSCRAWL_BATCH_SECONDS", "-1"),
])
def test_out_of_range_values_are_refused(name, value):
    with pytest.raises(SettingError, match=f"setting {name} must be"):
        check_settings(_project_settings(**{name: value}))


def test_a_mistyped_project_setting_is_refused():
    with pytest.raises(SettingError, match="unknown setting NEWSCRAWL_BATCHSIZE"):
        check_settings(_project_settings(NEWSCRAWL_BATCHSIZE="10"))


@pytest.mark.parametrize("name, value", [
    ("NEWSCRAWL_RECHECK_SKIPPED_DAYS", "abc"),  # exited 0 after tracebacks
    ("NEWSCRAWL_EXTRACT_WORKERS", "abc"),  # exited 1 with a traceback
    ("NEWSCRAWL_EXTRACT_TIMEOUT", "abc"),
    ("NEWSCRAWL_NEARDUP_THRESHOLD", "abc"),
    ("NEWSCRAWL_RETRY_AFTER_MAX", "abc"),
    ("NEWSCRAWL_NEARDUP_MIN_WORDS", "abc"),
    ("NEWSCRAWL_INCREMENTAL", "maybe"),  # exited 4 with a traceback
    ("DOWNLOAD_MAXSIZE", "big"),
])
def test_the_crawl_exits_2_with_one_line_and_no_banner(tmp_path, name, value):
    result = run_crawl(f"sqlite:///{tmp_path}/a.sqlite3", "-a", "site=http://127.0.0.1:9/", settings={name: value})
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"newscrawl: error: setting {name} must be {RULES[name].describe()}, got {value!r}"]
    assert not (tmp_path / "a.sqlite3").exists()  # nothing was touched
