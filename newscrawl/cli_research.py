"""``newscrawl attention|sources|propagation|words``: the research views (docs/research.md).

Thin: options are parsed here and the work is done by :mod:`newscrawl.query.attention`, ``sources``,
``propagation`` and ``words``, which return the same rows to Python callers (and pandas DataFrames).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from newscrawl.cli import (
    UserError,
    _validate_dates,
    archive_option,
    check_output,
    echo,
    open_archive,
    printable,
    writing,
)

FORMATS = click.Choice(["table", "csv", "json"])


def research_filters(fn: Callable) -> Callable:
    """The filters of search (minus --include-duplicates, which each view words for itself)."""
    for opt in reversed([
        click.option("--outlet", "outlets", multiple=True, metavar="KEY",
                     help="Outlet key or name; repeat for several (default: all)."),
        click.option("--since", metavar="DATE", help="Published on or after this day (+08:00): YYYY[-MM[-DD]]."),
        click.option("--until", metavar="DATE", help="Published on or before this day (+08:00): YYYY[-MM[-DD]]."),
        click.option("--section", help="Section name (case-insensitive, exact)."),
        click.option("--language", help="ISO 639-1 code, e.g. en, ms."),
    ]):
        fn = opt(fn)
    return fn


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> None:
    """Rows as an aligned table, CSV or a JSON list (one object per row, ``columns`` as keys)."""
    if fmt == "json":
        click.echo(json.dumps([{c: r[c] for c in columns} for r in rows], ensure_ascii=False, indent=1))
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow(["" if r[c] is None else r[c] for c in columns])
        return
    cells = [[_cell(r[c]) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    numeric = [bool(rows) and all(isinstance(r[c], (int, float)) or r[c] is None for r in rows) for c in columns]
    echo("  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(columns, widths, numeric)).rstrip())
    for row in cells:
        echo("  ".join(v.rjust(w) if n else v.ljust(w) for v, w, n in zip(row, widths, numeric)).rstrip())


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}"
    return printable(str(value))


def _check_plot(path: str | None, force: bool) -> None:
    check_output(path, force)
    if not path:
        return
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UserError("--plot needs matplotlib: pip install -e '.[plot]'") from None
    from newscrawl.query.stats import check_plot_file

    try:
        check_plot_file(path)
    except ValueError as exc:
        raise UserError(str(exc)) from None


@click.command()
@click.argument("queries", nargs=-1, required=True, metavar="QUERY...")
@archive_option
@research_filters
@click.option("--by", "period", type=click.Choice(["day", "week", "month"]), default="week", show_default=True,
              help="Period: day, ISO week (2026-W19) or month (+08:00).")
@click.option("--normalise", "--normalize", "normalise", is_flag=True,
              help="Add share: matching stories / all the outlet's stories in the period.")
@click.option("--include-duplicates", is_flag=True, help="Count every copy (rows), not each story once per outlet.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--plot", "plot_file", metavar="FILE.png", help="Draw the attention timeline with matplotlib.")
@click.option("--force", is_flag=True, help="Overwrite an existing plot file.")
def attention(queries: tuple[str, ...], archive_url: str, outlets: tuple[str, ...], since: str | None,
              until: str | None, section: str | None, language: str | None, period: str, normalise: bool,
              include_duplicates: bool, fmt: str, plot_file: str | None, force: bool) -> None:
    """Stories matching each QUERY per period and outlet (several queries compare topics)."""
    from newscrawl.query import attention as att

    _validate_dates(since, until)
    _check_plot(plot_file, force)
    with open_archive(archive_url) as engine:
        rows = att.attention(engine, list(queries), by=period, outlets=outlets, since=since, until=until,
                             section=section, language=language, normalise=normalise,
                             include_duplicates=include_duplicates)
    columns = [c for c in att.COLUMNS if (c != "query" or len(queries) > 1 or fmt != "table")
               and (c != "share" or normalise or fmt != "table")]
    if not rows and fmt == "table":
        echo("no dated stories match")
    else:
        emit([r.as_dict() for r in rows], columns, fmt)
    if plot_file:
        from newscrawl.query import plot

        with writing(plot_file):
            plot.attention(rows, plot_file, by=period, normalise=normalise)
        click.echo(f"plot written to {plot_file}", err=True)


@click.command()
@click.argument("query")
@archive_option
@research_filters
@click.option("--include-duplicates", is_flag=True, help="Count every copy (rows), not each story once per outlet.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def sources(query: str, archive_url: str, outlets: tuple[str, ...], since: str | None, until: str | None,
            section: str | None, language: str | None, include_duplicates: bool, fmt: str) -> None:
    """Stories matching QUERY per outlet, their share of the outlet's stories, first and last day."""
    from newscrawl.query import sources as src

    _validate_dates(since, until)
    with open_archive(archive_url) as engine:
        rows = src.sources(engine, query, outlets=outlets, since=since, until=until, section=section,
                           language=language, include_duplicates=include_duplicates)
    if not rows and fmt == "table":
        echo("no stories match")
    else:
        emit(rows, src.COLUMNS, fmt)


def _delay(minutes: float | None) -> str:
    if minutes is None:
        return "undated"
    if minutes == 0:
        return "+0"
    m = int(round(minutes))
    days, rest = divmod(m, 1440)
    hours, mins = divmod(rest, 60)
    return "+" + " ".join(f"{v} {u}" for v, u in ((days, "d"), (hours, "h"), (mins, "min")) if v)


@click.command()
@click.argument("query", required=False)
@archive_option
@research_filters
@click.option("--story", "story_id", type=int, metavar="ID", help="The story group of this article instead of a query.")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="Story timelines to show, newest first (0 = all); the pair counts use every group.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True,
              help="json: {stories, pairs}; csv: one row per copy.")
def propagation(query: str | None, archive_url: str, outlets: tuple[str, ...], since: str | None,
                until: str | None, section: str | None, language: str | None, story_id: int | None, limit: int,
                fmt: str) -> None:
    """Syndicated stories: which outlet published first, who followed and how late; who leads per outlet pair."""
    from newscrawl.query import propagation as prop

    if (query is None) == (story_id is None):
        raise UserError("give a QUERY or --story ID (not both)")
    _validate_dates(since, until)
    with open_archive(archive_url) as engine:
        stories = prop.propagation(engine, query, story=story_id, outlets=outlets, since=since, until=until,
                                   section=section, language=language)
    shown = stories[:limit] if limit else stories
    pairs = prop.pairs(stories)
    if fmt == "json":
        click.echo(json.dumps({"stories": [s.as_dict() for s in shown], "pairs": [p.as_dict() for p in pairs]},
                              ensure_ascii=False, indent=1))
        return
    if fmt == "csv":
        rows = [{"story_id": s.story_id, "title": s.title, "order": i, **vars(c)}
                for s in shown for i, c in enumerate(s.copies)]
        emit(rows, ["story_id", "title", "order", "article_id", "outlet", "published_at", "delay_minutes", "url"],
             "csv")
        return
    if not stories:
        echo("no story run by two or more outlets matches" if story_id is None
             else f"article {story_id}'s story was run by one outlet only")
        return
    for s in shown:
        echo(f"story {s.story_id}: {s.title} ({len(s.copies)} outlets)")
        width = max(len(c.outlet) for c in s.copies)
        for i, c in enumerate(s.copies):
            when = "first" if i == 0 and c.delay_minutes is not None else _delay(c.delay_minutes)
            echo(f"  {when:<14} {c.published_at or '-':<25}  {c.outlet:<{width}}  [{c.article_id}]")
    if len(shown) < len(stories):
        echo(f"... {len(stories) - len(shown)} more (--limit 0 shows all)")
    echo("")
    echo(f"Who published first, per pair of outlets ({len(stories)} stories run by two or more):")
    emit([p.as_dict() for p in pairs], prop.PAIR_COLUMNS, "table")


@click.command()
@click.argument("query")
@archive_option
@research_filters
@click.option("--include-duplicates", is_flag=True, help="Count every copy's text, not one article per story.")
@click.option("--limit", type=click.IntRange(min=1), default=30, show_default=True, help="Words to list.")
@click.option("--sample", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Matching stories whose texts are counted (a fixed-seed sample when more match).")
@click.option("--background", type=click.IntRange(min=1), default=3000, show_default=True,
              help="Archive articles (same filters, any text) counted as the reference.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def words(query: str, archive_url: str, outlets: tuple[str, ...], since: str | None, until: str | None,
          section: str | None, language: str | None, include_duplicates: bool, limit: int, sample: int,
          background: int, fmt: str) -> None:
    """Words most over-represented in stories matching QUERY against the archive (log-odds, Monroe et al. 2008)."""
    from newscrawl.query import words as wd

    _validate_dates(since, until)
    with open_archive(archive_url) as engine:
        found = wd.words(engine, query, outlets=outlets, since=since, until=until, section=section,
                         language=language, include_duplicates=include_duplicates, limit=limit, sample=sample,
                         background=background)
    if not found and fmt == "table":
        echo("no over-represented words (no matching stories, or too few words in them)")
    else:
        emit([w.as_dict() for w in found], wd.COLUMNS, fmt)
