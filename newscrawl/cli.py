"""The ``newscrawl`` console command: search, export, stats, audit, show and index the archive.

Every command takes ``--archive URL`` (default: ``NEWSCRAWL_ARCHIVE_URL`` or the spider's ``ARCHIVE_URL``).
Bad input (query syntax, unknown outlet, bad date, unreadable archive, existing output file) is reported on one
line and exits with status 2. See docs/querying.md.
"""

from __future__ import annotations

import csv
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from newscrawl.query.article import article_details, find_article
from newscrawl.query.search import (
    MARK_END,
    MARK_START,
    PG_RANK_WINDOW,
    RANK_WINDOW,
    RESULT_COLUMNS,
    SORTS,
    Filters,
    format_marks,
    iter_rows,
    parse_day,
    resolve_outlets,
)
from newscrawl.query.syntax import QueryError, lowercase_operator_hint
from newscrawl.settings import ARCHIVE_URL
from newscrawl.store import fts
from newscrawl.store.archive import Archive, ArchiveError
from newscrawl.store.engine import ArchiveConfig

# Control characters a crawled title may carry (ESC sequences clear the screen, CR overwrites the line, bidi
# overrides reorder it): never printed. Newline and tab stay; MARK_START/MARK_END are only kept where asked.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_BUT_MARKS = re.compile("[\x00-\x01\x04-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(value: Any, *, keep_marks: bool = False) -> str:
    """``value`` as text safe to print on a terminal: control characters removed."""
    text = "" if value is None else str(value)
    return (_CONTROL_BUT_MARKS if keep_marks else _CONTROL).sub("", text)


class _PrintableStream:
    """A text stream that drops control characters from everything written to it. Text only, and no ``buffer``:
    click would otherwise find the binary stream beneath and write past the filter."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError("write() argument must be str")
        return self._stream.write(printable(text))

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":
            raise AttributeError(name)
        return getattr(self._stream, name)


def printable_stdout(fn: Callable) -> Callable:
    """A command whose standard output is cleaned of control characters, however it prints."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        saved = sys.stdout
        sys.stdout = _PrintableStream(saved)
        try:
            return fn(*args, **kwargs)
        finally:
            sys.stdout = saved
    return wrapper


def echo(message: Any = "", **kwargs: Any) -> None:
    """click.echo of archive data: control characters removed."""
    click.echo(printable(message), **kwargs)


class UserError(click.ClickException):
    """A one-line problem with the user's input or archive: exit status 2."""

    exit_code = 2

    def format_message(self) -> str:
        return printable(self.message)


class Failure(click.ClickException):
    """The archive failed while answering (database error): exit status 1."""

    exit_code = 1

    def format_message(self) -> str:
        return printable(self.message)


@contextmanager
def open_archive(url: str) -> Iterator[Engine]:
    """The archive's engine for reading; a missing or unreadable archive is a UserError."""
    try:
        archive = ArchiveConfig.from_settings(url=url).open(create=False)
    except ArchiveError as exc:
        raise UserError(str(exc)) from exc
    try:
        yield archive.engine
    except (QueryError, FileExistsError) as exc:
        raise UserError(str(exc)) from exc
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None) or exc
        raise Failure(f"archive {archive.url}: {str(orig).splitlines()[0]}") from exc
    finally:
        archive.close()


# --------------------------------------------------------------------------- shared options


def archive_option(fn: Callable) -> Callable:
    return click.option("--archive", "archive_url", default=ARCHIVE_URL, show_default=True,
                        envvar="NEWSCRAWL_ARCHIVE_URL", metavar="URL",
                        help="SQLAlchemy URL of the archive (env NEWSCRAWL_ARCHIVE_URL).")(fn)


def filter_options(fn: Callable) -> Callable:
    for opt in reversed([
        click.option("--outlet", "outlets", multiple=True, metavar="KEY",
                     help="Outlet key or name; repeat for several (default: all)."),
        click.option("--since", metavar="DATE", help="Published on or after this day (+08:00): YYYY[-MM[-DD]]."),
        click.option("--until", metavar="DATE", help="Published on or before this day (+08:00): YYYY[-MM[-DD]]."),
        click.option("--section", help="Section name (case-insensitive, exact)."),
        click.option("--language", help="ISO 639-1 code, e.g. en, ms."),
        click.option("--include-duplicates", is_flag=True,
                     help="Every copy of each story, not one row per story."),
    ]):
        fn = opt(fn)
    return fn


def build_filters(engine: Engine, query: str | None, outlets: tuple[str, ...], since: str | None,
                  until: str | None, section: str | None, language: str | None,
                  include_duplicates: bool) -> Filters:
    flt = Filters.build(query=query, outlets=outlets, since=since, until=until, section=section,
                        language=language, include_duplicates=include_duplicates)
    flt.outlets = resolve_outlets(engine, flt.outlets)
    return flt


def check_output(path: str | None, force: bool) -> None:
    """An output file that exists (without --force) or cannot be created is refused before any query runs."""
    if not path or path == "-":
        return
    if os.path.isdir(path):
        raise UserError(f"cannot write {path}: it is a directory")
    if os.path.exists(path) and not force:
        raise UserError(f"{path} exists (use --force to overwrite)")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise UserError(f"cannot write {path}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UserError(f"cannot write {path}: directory {parent} is not writable")


@contextmanager
def writing(path: str | None) -> Iterator[None]:
    """A file that cannot be written after all (disk full, permissions changed) is one line and exit 2."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        if not path or path == "-":
            raise
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _validate_dates(since: str | None, until: str | None) -> None:
    """Date errors before touching the archive, so they win over archive problems."""
    try:
        if since:
            parse_day(since, option="--since")
        if until:
            parse_day(until, end=True, option="--until")
    except QueryError as exc:
        raise UserError(str(exc)) from exc


# --------------------------------------------------------------------------- commands


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(package_name="newscrawl", prog_name="newscrawl")
def main() -> None:
    """Query the newscrawl archive of Sarawak news: search, export, stats, audit, show, index."""


@main.command()
@click.argument("query")
@archive_option
@filter_options
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=0), help="Rows to show; 0 = all.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True,
              help="relevance (bm25 / ts_rank), date (oldest first) or newest.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of standard output.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--exact", is_flag=True,
              help=f"Rank every match by relevance (default: a query matching more than {RANK_WINDOW:,} articles, "
                   f"{PG_RANK_WINDOW:,} on PostgreSQL, is ranked among that many of its most recently archived "
                   "matches; slower on common words).")
def search(query: str, archive_url: str, outlets: tuple[str, ...], since: str | None, until: str | None,
           section: str | None, language: str | None, include_duplicates: bool, limit: int, sort: str, fmt: str,
           output: str | None, force: bool, exact: bool) -> None:
    """Full-text search: words, "phrases", OR, NOT, prefix*, (groups).

    \b
    Examples:
      newscrawl search '"Baram dam"' --outlet dayakdaily --outlet borneopost --since 2024
      newscrawl search 'hydro* NOT Bakun' --format csv -o hydro.csv
    """
    try:
        Filters.build(query=query)
    except QueryError as exc:
        raise UserError(str(exc)) from exc
    _validate_dates(since, until)
    check_output(output, force)
    with open_archive(archive_url) as engine:
        flt = build_filters(engine, query, outlets, since, until, section, language, include_duplicates)
        rows = iter_rows(engine, flt, sort=sort, limit=limit or None, snippets=True, exact=exact)
        with writing(output), _output(output) as out:
            n = _write_search(rows, fmt, out)
    if fmt == "table":
        what = ("article" if include_duplicates else "story") if n == 1 else (
            "articles" if include_duplicates else "stories")
        click.echo(f"{n} {what}" + (f" (limit {limit})" if limit and n == limit else ""), err=True)
    if n == 0 and (hint := lowercase_operator_hint(query)):
        click.echo(hint, err=True)


@contextmanager
def _output(path: str | None) -> Iterator[Any]:
    if not path or path == "-":
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8", newline="") as fh:
        yield fh


def _write_search(rows: Iterator[dict[str, Any]], fmt: str, out: Any) -> int:
    columns = [*RESULT_COLUMNS, "score", "snippet"]
    n = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
    tty = out is sys.stdout and sys.stdout.isatty()
    start, end = ("\x1b[1;33m", "\x1b[0m") if tty else ("**", "**")
    for row in rows:
        n += 1
        if fmt == "table":
            day = printable((row["published_at"] or "")[:10]) or "----------"
            copy = f" (copy of {row['duplicate_of']})" if row["duplicate_of"] else ""
            title = format_marks(printable(row["title_marked"], keep_marks=True), start, end)
            out.write(f"{n:>3}. [{row['id']}] {day} {printable(row['outlet'])}: {title}{copy}\n")
            if row["snippet"]:
                out.write(f"     {format_marks(printable(row['snippet'], keep_marks=True), start, end)}\n")
            out.write(f"     {printable(row['url'])}\n")
            continue
        row = {k: (printable(v, keep_marks=True) if isinstance(v, str) else v)
               for k, v in ((k, row.get(k)) for k in columns)}
        row["snippet"] = format_marks(row["snippet"])
        if fmt == "csv":
            writer.writerow(row)
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return n


@main.command()
@archive_option
@click.option("-q", "--query", help="Only articles matching this full-text query (same syntax as search).")
@filter_options
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet"]), required=True)
@click.option("-o", "--output", required=True, metavar="FILE", help="Output file ('-' = stdout for csv/jsonl).")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--sort", type=click.Choice(SORTS), default="date", show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=0, help="At most this many rows (0 = all).")
@click.option("--no-text", is_flag=True, help="Leave out the article text column.")
def export(archive_url: str, query: str | None, outlets: tuple[str, ...], since: str | None, until: str | None,
           section: str | None, language: str | None, include_duplicates: bool, fmt: str, output: str, force: bool,
           sort: str, limit: int, no_text: bool) -> None:
    """Stream matching articles to CSV, JSON Lines or Parquet (constant memory).

    Rows carry the stable id, canonical url, fetched_at (UTC capture time) and all metadata.
    """
    from newscrawl.query import export as exporter

    if query is not None:
        try:
            Filters.build(query=query)
        except QueryError as exc:
            raise UserError(str(exc)) from exc
    _validate_dates(since, until)
    check_output(output, force)
    if fmt == "parquet":
        if output == "-":
            raise UserError("parquet cannot be written to standard output: give -o FILE.parquet")
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise UserError("parquet export needs pyarrow: pip install -e '.[export]'") from None
    with open_archive(archive_url) as engine:
        flt = build_filters(engine, query, outlets, since, until, section, language, include_duplicates)
        show = sys.stderr.isatty() and output != "-"
        with writing(output):
            if show:
                from newscrawl.query.search import count

                total = count(engine, flt)
                total = min(total, limit) if limit else total
                with click.progressbar(length=total, label=f"exporting {total} rows", file=sys.stderr) as bar:
                    n = exporter.export(engine, flt, output, fmt, sort=sort, with_text=not no_text,
                                        limit=limit or None, force=force, progress=bar.update)
            else:
                n = exporter.export(engine, flt, output, fmt, sort=sort, with_text=not no_text, limit=limit or None,
                                    force=force)
    if output != "-":
        echo(f"wrote {n} rows to {output}", err=True)


@main.command()
@archive_option
@click.option("--outlet", "outlets", multiple=True, metavar="KEY", help="Outlet key or name; repeatable.")
@click.option("--since", metavar="DATE", help="From this day (+08:00).")
@click.option("--until", metavar="DATE", help="Up to this day (+08:00).")
@click.option("--by", "period", type=click.Choice(["day", "week", "month"]), default="month", show_default=True)
@click.option("--daily-share", type=click.FloatRange(0, 1), default=0.7, show_default=True,
              help="An outlet 'publishes daily' when it has articles on this share of its days.")
@click.option("--min-gap", type=click.IntRange(min=1), default=1, show_default=True,
              help="Report gaps of at least this many days.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)
@click.option("--plot", "plot_file", metavar="FILE.png", help="Draw the per-outlet timeline with matplotlib.")
@click.option("--force", is_flag=True, help="Overwrite an existing plot file.")
@click.option("--language", metavar="CODE", help="Only articles in this language (en, ms, zh, iba, ...).")
@click.option("--per", type=click.Choice(["outlet", "language"]), default="outlet", show_default=True,
              help="Columns: one per outlet, or one per language.")
def stats(archive_url: str, outlets: tuple[str, ...], since: str | None, until: str | None, period: str,
          daily_share: float, min_gap: int, fmt: str, plot_file: str | None, force: bool,
          language: str | None = None, per: str = "outlet") -> None:
    """Articles per outlet per day/week/month, and coverage gaps."""
    from newscrawl.query import stats as st

    _validate_dates(since, until)
    check_output(plot_file, force)
    if plot_file:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise UserError("--plot needs matplotlib: pip install -e '.[plot]'") from None
        try:
            st.check_plot_file(plot_file)
        except ValueError as exc:
            raise UserError(str(exc)) from None
    with open_archive(archive_url) as engine:
        flt = build_filters(engine, None, outlets, since, until, None, language, True)
        daily = st.daily_counts(engine, flt, per=per)
        implausible = st.implausible_count(engine, flt)
    keys, table = st.by_period(daily, period)
    outlet_names = list(table)
    if implausible:
        first, last = st.plausible_range()
        click.echo(f"{implausible} article{'s' if implausible > 1 else ''} with a publication date outside "
                   f"{first} .. {last} not counted", err=True)
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([period, *map(printable, outlet_names), "total"])
        for k in keys:
            counts = [table[o][k] for o in outlet_names]
            writer.writerow([k, *counts, sum(counts)])
    else:
        width = max([len(o) for o in outlet_names] + [6])
        echo(f"{period:<10} " + " ".join(f"{o:>{width}}" for o in outlet_names) + f" {'total':>{width}}")
        for k in keys:
            counts = [table[o][k] for o in outlet_names]
            echo(f"{k:<10} " + " ".join(f"{c:>{width}}" for c in counts) + f" {sum(counts):>{width}}")
        if not keys:
            echo("no dated articles match")
        echo("")
        found = st.gaps(daily, daily_share=daily_share, min_days=min_gap)
        echo(f"Coverage gaps (outlets with articles on >= {daily_share:.0%} of their days):")
        for outlet in outlet_names:
            share = st.publishing_share(daily[outlet])
            if share < daily_share:
                echo(f"  {outlet}: articles on {share:.0%} of days, not a daily publisher: gaps not reported")
                continue
            own = [g for g in found if g.outlet == outlet]
            if not own:
                echo(f"  {outlet}: none")
            for g in own:
                span = g.start.isoformat() if g.days == 1 else f"{g.start} .. {g.end}"
                echo(f"  {outlet}: {span} ({g.days} day{'s' if g.days > 1 else ''} without articles)")
    if plot_file:
        with writing(plot_file):
            st.plot(keys, table, plot_file, period)
        echo(f"plot written to {plot_file}", err=True)


@main.command()
@archive_option
@click.option("--outlet", "outlets", multiple=True, metavar="KEY", help="Outlet key or name; repeatable.")
@click.option("--month", metavar="YYYY-MM", help="Only this month (same as --since M --until M).")
@click.option("--since", metavar="YYYY-MM", help="From this month.")
@click.option("--until", metavar="YYYY-MM", help="Up to this month.")
@click.option("--missing", "list_missing", type=click.IntRange(min=0), default=0,
              help="List up to N missing URLs per outlet and month.")
@click.option("--by-language", is_flag=True, help="Break each row's archived articles down by language.")
def audit(archive_url: str, outlets: tuple[str, ...], month: str | None, since: str | None, until: str | None,
          list_missing: int, by_language: bool = False) -> None:
    """How complete is the archive? Listed vs archived URLs per outlet and month, skips by reason."""
    from newscrawl.query.audit import AuditUnavailable
    from newscrawl.query.audit import audit as run_audit

    if month:
        since = until = month
    _validate_dates(since, until)
    since_m = parse_day(since).isoformat()[:7] if since else None
    until_m = parse_day(until, end=True).isoformat()[:7] if until else None
    with open_archive(archive_url) as engine:
        keys = resolve_outlets(engine, outlets)
        try:
            rows = run_audit(engine, outlets=keys, since_month=since_m, until_month=until_m,
                             list_missing=list_missing)
        except AuditUnavailable as exc:
            raise UserError(str(exc)) from exc
    echo(f"{'outlet':<16} {'month':<7} {'listed':>7} {'archived':>8} {'skipped':>7} {'missing':>7} "
               f"{'complete':>8} {'articles':>8}")
    for r in rows:
        pct = f"{r.completeness:.1%}" if r.completeness is not None else "-"
        echo(f"{r.outlet:<16} {r.month:<7} {r.listed:>7} {r.archived:>8} {r.skipped:>7} {r.missing:>7} "
                   f"{pct:>8} {r.articles:>8}")
        if by_language and r.languages:
            echo("    articles by language: " + ", ".join(f"{lang} {n}" for lang, n in r.languages.items()))
        for reason, n in sorted(r.skip_reasons.items(), key=lambda kv: (-kv[1], kv[0])):
            echo(f"    skipped {n} x {reason}")
        if r.listing_pages:
            echo(f"    not counted: {r.listing_pages} listing page{'s' if r.listing_pages > 1 else ''} "
                 "(homepage, sections) the sitemaps also list")
        for url in r.missing_urls:
            echo(f"    missing {url}")
    if not rows:
        echo("nothing listed or archived for this selection")


@main.command()
@click.argument("ref", metavar="ID|URL")
@archive_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--no-text", is_flag=True, help="Metadata only.")
@printable_stdout
def show(ref: str, archive_url: str, fmt: str, no_text: bool) -> None:
    """One article with its metadata, URL aliases, story copies and revisions."""
    with open_archive(archive_url) as engine:
        article_id = find_article(engine, ref.strip())
        if article_id is None:
            raise UserError(f"no article with id or URL {ref!r} in the archive")
        info = article_details(engine, article_id)
        info["why"] = _story_evidence(engine, article_id) if info["story"] else None
    art = info["article"]
    if no_text:
        art.pop("text", None)
    if fmt == "json":
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    text = art.pop("text", None)
    click.echo(art.pop("title"))
    for key, value in art.items():
        if isinstance(value, list):
            value = ", ".join(value) or "-"
        click.echo(f"  {key + ':':<14} {value if value is not None else '-'}")
    click.echo("URLs:")
    for u in info["urls"]:
        click.echo(f"  {u['kind']:<10} {u['url']}  (first seen {u['first_seen']})")
    if info["story"]:
        click.echo("Same story:")
        for s in info["story"]:
            role = "original" if s["duplicate_of"] is None else f"copy of {s['duplicate_of']}"
            click.echo(f"  [{s['id']}] {s['outlet']} {(s['published_at'] or '')[:10]} {role}  {s['url']}")
    if info["why"]:
        _echo_evidence(info["why"])
    if info["revisions"] is not None:
        click.echo(f"Revisions: {len(info['revisions']) or 'none recorded'}")
        for r in info["revisions"]:
            click.echo(f"  modified {r['modified_at'] or '-'} fetched {r['fetched_at']}: {r['title']} "
                       f"({r['text_length']} chars, {str(r['content_hash'])[:12]})")
    if text:
        click.echo("")
        click.echo(text)


def _story_evidence(engine: Engine, article_id: int) -> dict[str, Any]:
    from newscrawl.store.stories import explain

    with engine.connect() as conn:
        return explain(conn, _neardup_config(), article_id)


def _neardup_config() -> Any:
    """The same-story rule as the crawl's settings define it (for decisions not recorded in the archive)."""
    return ArchiveConfig.from_settings().neardup_config


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _echo_evidence(why: dict[str, Any], shown: int = 12) -> None:
    """Why one story: per copy, who decided, the score, and the names and figures that matched or did not."""
    click.echo("Why one story:")
    for link in why["links"]:
        ev = link["evidence"]
        who = link["decided_by"] + (f" {link['decided_at']}" if link["decided_at"] else "")
        matched = f" (matched [{link['matched_id']}])" if link["matched_id"] not in (None, link["root_id"]) else ""
        if link["decided_by"] == "researcher":
            click.echo(f"  [{link['article_id']}] copy of {link['root_id']}{matched}: linked by a researcher ({who})")
            continue
        click.echo(f"  [{link['article_id']}] copy of {link['root_id']}{matched}: score {_fmt(link['score'])} "
                   f"(wording {_fmt(ev.get('jaccard'))}, names {_fmt(ev.get('names'))}, "
                   f"figures {_fmt(ev.get('figures'))}); {ev.get('reason', '')}; decided by {who}")
        for label, key in (("shared names", "shared_names"), ("shared figures", "shared_figures"),
                           ("names in one only", "only_names"), ("figures in one only", "only_figures")):
            values = ev.get(key) or []
            if values:
                more = f" (+{len(values) - shown})" if len(values) > shown else ""
                click.echo(f"      {label}: {', '.join(values[:shown])}{more}")
        if ev.get("also_matched_roots"):
            click.echo(f"      also matched the stories of {', '.join(map(str, ev['also_matched_roots']))}: "
                       "joined the best match")
    for fix in why["corrections"]:
        click.echo(f"  correction {fix['created_at']}: {fix['action']} {fix['article_id']} {fix['other_id']}"
                   + (f" ({fix['note']})" if fix["note"] else ""))


@contextmanager
def story_archive(url: str) -> Iterator[Archive]:
    """The archive opened for a story correction (the story tables are added to older archives in place)."""
    try:
        archive = ArchiveConfig.from_settings(url=url).open(create=False)
    except ArchiveError as exc:
        raise UserError(str(exc)) from exc
    try:
        yield archive
    except ArchiveError as exc:
        raise UserError(str(exc)) from exc
    finally:
        archive.close()


@main.group()
def story() -> None:
    """See and correct story groups (copies of one story): link, unlink, recheck.

    Corrections are stored in the archive (story_corrections) and every later crawl and re-check obeys them.
    """


@story.command("link")
@click.argument("article_id", type=int)
@click.argument("other_id", type=int)
@archive_option
@click.option("--note", help="Why: kept with the correction.")
def story_link(article_id: int, other_id: int, archive_url: str, note: str | None) -> None:
    """Record that two articles are one story and put them in one group."""
    with story_archive(archive_url) as archive:
        group = archive.story_link(article_id, other_id, note)
    together = other_id in group and article_id in group
    click.echo(f"linked {article_id} and {other_id}: story {group[0]} now has {len(group)} articles "
               f"({', '.join(map(str, group))})" if together else
               f"recorded, but {article_id} and {other_id} are still apart: another correction unlinks one of them "
               f"from the other's group (see newscrawl show {article_id})")


@story.command("unlink")
@click.argument("article_id", type=int)
@archive_option
@click.option("--note", help="Why: kept with the correction.")
def story_unlink(article_id: int, archive_url: str, note: str | None) -> None:
    """Take an article out of its story group; later checks never put it back with those articles."""
    with story_archive(archive_url) as archive:
        others = archive.story_unlink(article_id, note)
    click.echo(f"unlinked {article_id} from {', '.join(map(str, others))}: it is a story of its own")


@story.command("recheck")
@archive_option
def story_recheck(archive_url: str) -> None:
    """Decide every story group again with the current rule and the recorded corrections."""
    with story_archive(archive_url) as archive:
        groups, alone = archive.story_recheck()
    click.echo(f"re-checked {groups} story groups: {alone} copies are now stories of their own")


@main.command()
@archive_option
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="Port to serve on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
def browse(archive_url: str, port: int, host: str) -> None:
    """Open a SQLite archive in Datasette: full-text search, facets and canned queries."""
    import subprocess
    import tempfile
    from pathlib import Path

    from newscrawl.query import browse as browser
    from newscrawl.store.engine import parse_url, sqlite_file

    try:
        import datasette  # noqa: F401
        import yaml  # noqa: F401
    except ImportError:
        raise UserError("browse needs datasette: pip install -e '.[browse]'") from None
    try:
        parsed = parse_url(archive_url)
    except ArchiveError as exc:
        raise UserError(str(exc)) from exc
    if parsed.get_backend_name() != "sqlite" or sqlite_file(parsed) is None:
        raise UserError("browse needs a SQLite archive file (Datasette reads SQLite): --archive sqlite:///PATH")
    with open_archive(archive_url):
        pass  # the same checks as every command: it exists and is an archive
    path = sqlite_file(parsed).resolve()
    with tempfile.TemporaryDirectory(prefix="newscrawl-browse-") as tmp:
        metadata = Path(tmp) / "metadata.json"
        browser.write_metadata(path, metadata)
        click.echo(f"serving {path} as /{browser.database_name(path)} on http://{host}:{port}/ (Ctrl-C stops)",
                   err=True)
        proc = subprocess.Popen(browser.datasette_command(path, metadata, host=host, port=port))
        status = browser.wait_forwarding_signals(proc)
    raise SystemExit(status)


@main.command()
@archive_option
@click.option("--rebuild", is_flag=True, help="Rebuild the full-text index from the articles table.")
def index(archive_url: str, rebuild: bool) -> None:
    """Create (or with --rebuild, rebuild) the full-text index: FTS5 on SQLite, GIN on PostgreSQL."""
    with open_archive(archive_url) as engine:
        if rebuild:
            n = fts.rebuild_fts(engine)
            click.echo(f"full-text index rebuilt over {n} articles")
        else:
            existed = fts.has_index(engine)
            fts.ensure_fts(engine)
            click.echo("full-text index present" if existed else "full-text index created")


from newscrawl.cli_db import db, remove  # noqa: E402 - registered last: they use this module's options

main.add_command(db)
main.add_command(remove)

from newscrawl.cli_warc import import_warc, reextract, warc  # noqa: E402 - WARC capture, replay, re-extraction

main.add_command(reextract)
main.add_command(import_warc)
main.add_command(warc)

__all__ = ["main", "UserError", "MARK_START", "MARK_END"]

from newscrawl.cli_research import attention, propagation, sources, words  # noqa: E402 - docs/research.md

for _command in (attention, sources, propagation, words):
    main.add_command(_command)
