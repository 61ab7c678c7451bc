"""Where an outlet lists its sitemaps."""

from __future__ import annotations

from urllib.parse import urljoin

from protego import Protego

# Conventional locations, tried when robots.txt names no sitemap: WordPress core (5.5+), Yoast SEO / Rank Math,
# and the generic one. A 404 on a guess costs one request and is not an error.
CONVENTIONAL_SITEMAPS = ("/wp-sitemap.xml", "/sitemap_index.xml", "/sitemap.xml")


def sitemaps_from_robots(robots_txt: str, base_url: str) -> list[str]:
    """Absolute URLs of the ``Sitemap:`` lines in ``robots_txt``."""
    try:
        return [urljoin(base_url, url) for url in Protego.parse(robots_txt).sitemaps]
    except Exception:  # a garbled robots.txt must not stop discovery  # noqa: BLE001
        return []


def conventional_sitemaps(origin: str) -> list[str]:
    return [urljoin(origin, path) for path in CONVENTIONAL_SITEMAPS]
