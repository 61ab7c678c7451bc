"""Outlets: the per-outlet facts of ``outlets.json`` and ad-hoc roots given with ``-a site=URL``.

An outlet's *scope* decides which links the spider may follow: for a built-in outlet its listed domains (any
scheme, any port), for an ad-hoc root its exact origin (scheme, host and port), so ``http://127.0.0.1:8801/``
never wanders to ``http://127.0.0.1:8802/``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from urllib.parse import urlsplit, urlunsplit

OUTLETS_FILE = "outlets.json"


class OutletError(ValueError):
    """A bad outlet definition or ``site`` argument; the message is shown to the user as is."""


@dataclass(frozen=True)
class Outlet:
    key: str
    name: str
    homepage: str
    domains: tuple[str, ...] = ()
    language: str | None = None
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    hints: dict = field(default_factory=dict, hash=False, compare=False)
    origin_only: bool = False  # ad-hoc roots: scope is the exact origin
    # origins the root itself moved to (http -> https, example.com -> www.example.com), see moved_to()
    moved_origins: set = field(default_factory=set, hash=False, compare=False)

    @property
    def origin(self) -> str:
        parts = urlsplit(self.homepage)
        return urlunsplit((parts.scheme, parts.netloc, "", "", ""))

    def in_scope(self, url: str) -> bool:
        """Whether ``url`` belongs to this outlet (and may be followed)."""
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            port = parts.port
        except ValueError:
            return False
        if parts.scheme not in ("http", "https"):
            return False
        if self.origin_only:
            home = urlsplit(self.homepage)
            here = (parts.scheme, host, _port(parts.scheme, port))
            return here == (home.scheme, (home.hostname or "").lower(), _port(home.scheme, home.port)) or (
                here in self.moved_origins)
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def moved_to(self, url: str) -> bool:
        """Accept the origin of ``url`` as the root's own when the root redirected there and it is the same site:
        the same host but for a leading ``www.``, on the default port of its scheme. Returns whether the scope
        grew. (A redirect to another port or host is not the same site: it stays out of scope.)"""
        if not self.origin_only or self.in_scope(url):
            return False
        try:
            parts, home = urlsplit(url), urlsplit(self.homepage)
            host, home_host = (parts.hostname or "").lower(), (home.hostname or "").lower()
            port, home_port = parts.port, home.port
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or host.removeprefix("www.") != home_host.removeprefix("www."):
            return False
        if port not in (None, _port(parts.scheme, None)) or home_port not in (None, _port(home.scheme, None)):
            return False
        self.moved_origins.add((parts.scheme, host, _port(parts.scheme, port)))
        return True

    def extraction_hints(self) -> dict:
        hints = dict(self.hints)
        if self.language and "language" not in hints:
            hints["language"] = self.language
        return hints


def _port(scheme: str, port: int | None) -> int:
    return port if port is not None else (443 if scheme == "https" else 80)


def load_outlets(path: str | None = None) -> list[Outlet]:
    """Read the outlets file (the packaged one by default)."""
    if path:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    else:
        data = json.loads(resources.files("newscrawl").joinpath(OUTLETS_FILE).read_text("utf-8"))
    outlets = []
    for raw in data["outlets"]:
        try:
            outlets.append(
                Outlet(
                    key=raw["key"],
                    name=raw["name"],
                    homepage=raw["homepage"],
                    domains=tuple(d.lower() for d in raw.get("domains") or [urlsplit(raw["homepage"]).hostname]),
                    language=raw.get("language"),
                    sitemaps=tuple(raw.get("sitemaps", ())),
                    feeds=tuple(raw.get("feeds", ())),
                    hints=dict(raw.get("hints", {})),
                )
            )
        except KeyError as exc:
            raise OutletError(f"outlet {raw.get('key', '?')!r} in {path or OUTLETS_FILE} lacks {exc}") from None
    return outlets


def parse_site_arg(value: str) -> list[Outlet]:
    """Turn ``-a site=URL[,URL...]`` into ad-hoc outlets, each scoped to its own origin."""
    roots = [v.strip() for v in (value or "").split(",") if v.strip()]
    if not roots:
        raise OutletError("site: give at least one URL, e.g. -a site=https://example.com/")
    outlets = []
    for root in roots:
        try:
            parts = urlsplit(root)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError as exc:
            raise OutletError(f"site: {root!r} is not a valid URL ({exc})") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise OutletError(f"site: {root!r} is not an http(s) URL with a host, e.g. http://127.0.0.1:8801/")
        homepage = urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", "", ""))
        outlets.append(
            Outlet(
                key=parts.netloc.lower(),
                name=parts.netloc.lower(),
                homepage=homepage,
                domains=(parts.hostname.lower(),),
                origin_only=True,
            )
        )
    return outlets
