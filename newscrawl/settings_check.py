"""Every setting the crawl reads, checked before the first request: one table of setting -> type and range.

A bad value (``-s NEWSCRAWL_BATCH_SIZE=abc``, ``-s DOWNLOAD_TIMEOUT=0``) is one line naming the setting and exit 2,
instead of a traceback in the middle of a run. ``NEWSCRAWL_*`` settings without a row here are checked against the
type of their default in ``newscrawl/settings.py`` (a new integer setting is validated as an integer >= 0 without
touching this file); give it a row when it needs a tighter range.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy.settings import BaseSettings


@dataclass(frozen=True)
class Rule:
    kind: type  # int | float | bool | str
    minimum: float | None = None  # inclusive
    maximum: float | None = None  # inclusive
    above: float | None = None  # exclusive lower bound (a timeout of 0 is not a timeout)
    optional: bool = False  # None / empty string allowed

    def describe(self) -> str:
        name = {int: "an integer", float: "a number", bool: "a boolean (True/False, 1/0)", str: "text"}[self.kind]
        bounds = []
        if self.above is not None:
            bounds.append(f"> {self.above:g}")
        if self.minimum is not None:
            bounds.append(f">= {self.minimum:g}")
        if self.maximum is not None:
            bounds.append(f"<= {self.maximum:g}")
        return f"{name} {' and '.join(bounds)}".strip()


RULES: dict[str, Rule] = {
    # -- ours --
    "ARCHIVE_URL": Rule(str),
    "NEWSCRAWL_BATCH_SIZE": Rule(int, minimum=1),
    "NEWSCRAWL_INCREMENTAL": Rule(bool),
    "NEWSCRAWL_CONDITIONAL_GET": Rule(bool),
    "NEWSCRAWL_STOP_AT_KNOWN_PAGE": Rule(bool),
    "NEWSCRAWL_RECHECK_SKIPPED_DAYS": Rule(float, minimum=0),
    "NEWSCRAWL_RECHECK_PER_RUN": Rule(int, minimum=0),
    "NEWSCRAWL_WP_JSON": Rule(bool),
    "NEWSCRAWL_NEARDUP": Rule(bool),
    "NEWSCRAWL_NEARDUP_THRESHOLD": Rule(float, above=0, maximum=1),
    "NEWSCRAWL_NEARDUP_MIN_WORDS": Rule(int, minimum=0),
    "NEWSCRAWL_NEARDUP_MIN_NAMES": Rule(float, minimum=0, maximum=1),
    "NEWSCRAWL_NEARDUP_MIN_FIGURES": Rule(float, minimum=0, maximum=1),
    "NEWSCRAWL_NEARDUP_PERMUTATIONS": Rule(int, minimum=16, maximum=1024),
    "NEWSCRAWL_NEARDUP_SHINGLE_SIZE": Rule(int, minimum=1, maximum=20),
    "NEWSCRAWL_LISTING_DEPTH": Rule(int, minimum=0),
    "NEWSCRAWL_PAGINATION_DEPTH": Rule(int, minimum=0),
    "NEWSCRAWL_LISTING_CHUNK": Rule(int, minimum=1),
    "NEWSCRAWL_OUTLETS_FILE": Rule(str, optional=True),
    "NEWSCRAWL_MIN_TEXT_LENGTH": Rule(int, minimum=0),
    "NEWSCRAWL_EXTRACT_WORKERS": Rule(int, minimum=0, maximum=256),
    "NEWSCRAWL_EXTRACT_TIMEOUT": Rule(float, above=0),
    "NEWSCRAWL_STALL_MONITOR": Rule(bool),
    "NEWSCRAWL_RETRY_AFTER_MAX": Rule(float, minimum=0),
    "NEWSCRAWL_PROGRESS_INTERVAL": Rule(float, minimum=0),
    "NEWSCRAWL_BATCH_SECONDS": Rule(float, minimum=0),
    "NEWSCRAWL_LISTING_LINKS": Rule(int, minimum=1),
    "NEWSCRAWL_FRONTIER_SIZE": Rule(int, minimum=0),
    "NEWSCRAWL_DISTRIBUTED": Rule(bool),
    "NEWSCRAWL_REDIS_URL": Rule(str),
    "NEWSCRAWL_REDIS_PREFIX": Rule(str),
    "NEWSCRAWL_DISTRIBUTED_IDLE": Rule(float, minimum=0),
    "NEWSCRAWL_DB_POOL_SIZE": Rule(int, minimum=1),
    "NEWSCRAWL_SITEMAP_MAX_SIZE": Rule(int, minimum=1),
    "NEWSCRAWL_SITEMAP_MAX_URLS": Rule(int, minimum=1),
    "NEWSCRAWL_SITEMAP_DEPTH": Rule(int, minimum=0),
    "NEWSCRAWL_SITEMAPS_PER_OUTLET": Rule(int, minimum=1),
    "NEWSCRAWL_WARC_CAPTURE": Rule(str),  # and one of CHOICES
    "NEWSCRAWL_WARC_MAX_SIZE": Rule(int, minimum=1),
    "NEWSCRAWL_WARC_QUEUE": Rule(int, minimum=1),
    "WARC_DIR": Rule(str),
    # -- Scrapy's, that the crawl relies on --
    "CONCURRENT_REQUESTS": Rule(int, minimum=1),
    "CONCURRENT_REQUESTS_PER_DOMAIN": Rule(int, minimum=1),
    "CONCURRENT_ITEMS": Rule(int, minimum=1),
    "DOWNLOAD_DELAY": Rule(float, minimum=0),
    "DOWNLOAD_TIMEOUT": Rule(float, above=0),
    "DOWNLOAD_MAXSIZE": Rule(int, minimum=0),
    "DOWNLOAD_WARNSIZE": Rule(int, minimum=0),
    "RETRY_ENABLED": Rule(bool),
    "RETRY_TIMES": Rule(int, minimum=0),
    "REDIRECT_MAX_TIMES": Rule(int, minimum=0),
    "ROBOTSTXT_OBEY": Rule(bool),
    "AUTOTHROTTLE_ENABLED": Rule(bool),
    "AUTOTHROTTLE_START_DELAY": Rule(float, minimum=0),
    "AUTOTHROTTLE_MAX_DELAY": Rule(float, minimum=0),
    "AUTOTHROTTLE_TARGET_CONCURRENCY": Rule(float, above=0),
    "COOKIES_ENABLED": Rule(bool),
    "CLOSESPIDER_TIMEOUT": Rule(float, minimum=0),
    "CLOSESPIDER_ITEMCOUNT": Rule(int, minimum=0),
    "CLOSESPIDER_PAGECOUNT": Rule(int, minimum=0),
    "CLOSESPIDER_ERRORCOUNT": Rule(int, minimum=0),
}


# Text settings that take one of a few words.
CHOICES: dict[str, tuple[str, ...]] = {"NEWSCRAWL_WARC_CAPTURE": ("articles", "all", "off")}


class SettingError(ValueError):
    """A setting with a value the crawl cannot use; the message names it."""


def rule_for(name: str, default: Any) -> Rule | None:
    """The table's rule, else one inferred from a ``NEWSCRAWL_*`` default's type (None: not checked)."""
    if name in RULES:
        return RULES[name]
    if not name.startswith("NEWSCRAWL_"):
        return None
    if isinstance(default, bool):
        return Rule(bool)
    if isinstance(default, int):
        return Rule(int, minimum=0)
    if isinstance(default, float):
        return Rule(float, minimum=0)
    return Rule(str, optional=True)


def check_value(name: str, value: Any, rule: Rule) -> Any:
    """``value`` converted to the rule's type; SettingError with a one-line message when it does not fit."""
    if value is None or value == "":
        if rule.optional:
            return None
        raise SettingError(f"setting {name} must be {rule.describe()}, got nothing")
    settings = BaseSettings({name: value})
    try:
        if rule.kind is bool:
            return settings.getbool(name)
        if rule.kind is int:
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            converted: float = settings.getint(name)
        elif rule.kind is float:
            converted = settings.getfloat(name)
            if converted != converted or converted in (float("inf"), float("-inf")):  # nan, inf
                raise ValueError
        else:
            return str(value)
    except (TypeError, ValueError):
        raise SettingError(f"setting {name} must be {rule.describe()}, got {value!r}") from None
    if ((rule.minimum is not None and converted < rule.minimum)
            or (rule.maximum is not None and converted > rule.maximum)
            or (rule.above is not None and converted <= rule.above)):
        raise SettingError(f"setting {name} must be {rule.describe()}, got {value!r}")
    return converted


def check_settings(settings: BaseSettings) -> None:
    """Raise SettingError for the first setting the crawl cannot use, or an unknown ``NEWSCRAWL_*`` name (a typo
    would otherwise be ignored silently)."""
    from newscrawl import settings as defaults

    known = {n for n in dir(defaults) if n.startswith("NEWSCRAWL_")} | set(RULES)
    unknown = sorted(n for n, _ in settings.items() if n.startswith("NEWSCRAWL_") and n not in known)
    if unknown:
        raise SettingError(f"unknown setting {unknown[0]} (see the settings table in the README)")
    for name in [*RULES, *sorted(known - set(RULES))]:
        rule = rule_for(name, getattr(defaults, name, None))
        if rule is not None and name in settings:
            check_value(name, settings.get(name), rule)
    for name, allowed in CHOICES.items():
        if name in settings and str(settings.get(name)).lower() not in allowed:
            raise SettingError(f"setting {name} must be one of {', '.join(allowed)}, got {settings.get(name)!r}")
