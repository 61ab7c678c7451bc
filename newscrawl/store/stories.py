"""Story groups in the archive: who is a copy of whom, why, and the corrections researchers make.

``articles.duplicate_of`` names the root (earliest article) of a story group; ``story_links`` says why each copy
is in its group (the verdict of :mod:`newscrawl.store.storymatch`, or a researcher's correction); ``story_corrections``
holds the researchers' "one story" (link) and "not one story" (unlink) decisions, which every later check obeys.

Run on the archive's connection inside its write batch (like :mod:`newscrawl.store.neardup`); ``newscrawl.store.archive``
calls :func:`link` for every new or changed article and exposes the rest as ``Archive.story_*`` methods.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, and_, delete, inspect, or_, select

from newscrawl.store import neardup
from newscrawl.store.neardup import NearDupConfig, Signature
from newscrawl.store.schema import articles, story_corrections, story_links
from newscrawl.store.storymatch import Verdict

CHECK, RECHECK, RESEARCHER = "check", "recheck", "researcher"  # story_links.decided_by


class StoryError(ValueError):
    """A correction that cannot be made (unknown article, an article linked to itself...): one line."""


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 time with its offset, or None (missing, unparsable or naive)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None  # naive times can't be compared across offsets


class Member(NamedTuple):
    """What the group logic needs of an article (a row of its select, or known by the caller)."""

    id: int
    published_at: str | None
    fetched_at: str | None
    duplicate_of: int | None


_COLS = (articles.c.id, articles.c.published_at, articles.c.fetched_at, articles.c.duplicate_of)


def story_order(row: Any) -> tuple[datetime, datetime, int]:
    """Sort key for "earliest of its group": published_at, then fetched_at, then id.

    An article without a usable published_at counts as published when it was fetched (an upper bound).
    """
    fetched = parse_time(row.fetched_at) or datetime.max.replace(tzinfo=timezone.utc)
    return (parse_time(row.published_at) or fetched, fetched, row.id)


def _members(conn: Connection, ids: Iterable[int]) -> dict[int, Member]:
    ids = list(set(ids))
    if not ids:
        return {}
    return {r.id: Member(*r) for r in conn.execute(select(*_COLS).where(articles.c.id.in_(ids)))}


def _texts(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    ids = list(set(ids))
    return dict(conn.execute(select(articles.c.id, articles.c.text).where(articles.c.id.in_(ids))).all()) if ids else {}


def group_of(conn: Connection, article_id: int) -> list[int]:
    """Every article of the group ``article_id`` is in (itself included): the root first, then the copies by id."""
    root = conn.execute(select(articles.c.duplicate_of).where(articles.c.id == article_id)).scalar() or article_id
    return [root, *conn.execute(select(articles.c.id).where(articles.c.duplicate_of == root)
                                .order_by(articles.c.id)).scalars()]


# --------------------------------------------------------------------------- corrections


def _pair(a: int, b: int) -> Any:
    return or_(and_(story_corrections.c.article_id == a, story_corrections.c.other_id == b),
               and_(story_corrections.c.article_id == b, story_corrections.c.other_id == a))


def corrections(conn: Connection, ids: Iterable[int]) -> tuple[set[frozenset[int]], set[frozenset[int]]]:
    """(linked pairs, unlinked pairs) recorded by researchers that involve any of ``ids``."""
    ids = list(set(ids))
    linked: set[frozenset[int]] = set()
    unlinked: set[frozenset[int]] = set()
    if not ids:
        return linked, unlinked
    rows = conn.execute(select(story_corrections.c.action, story_corrections.c.article_id, story_corrections.c.other_id)
                        .where(or_(story_corrections.c.article_id.in_(ids), story_corrections.c.other_id.in_(ids))))
    for action, a, b in rows:
        (linked if action == "link" else unlinked).add(frozenset((a, b)))
    return linked, unlinked


def record_correction(conn: Connection, action: str, a: int, b: int, note: str | None = None) -> None:
    """Record "a and b are one story" (link) or "are not" (unlink); replaces any earlier decision on the pair."""
    if a == b:
        raise StoryError(f"article {a} cannot be linked to or unlinked from itself")
    conn.execute(delete(story_corrections).where(_pair(a, b)))
    conn.execute(story_corrections.insert().values(action=action, article_id=a, other_id=b, note=note,
                                                   created_at=_now()))


# --------------------------------------------------------------------------- evidence


def _record(conn: Connection, article_id: int, root: int, matched: int | None, verdict: Verdict | None,
            decided_by: str, extra: dict | None = None) -> None:
    evidence = {**(verdict.as_dict() if verdict else {}), **(extra or {})}
    conn.execute(delete(story_links).where(story_links.c.article_id == article_id))
    conn.execute(story_links.insert().values(
        article_id=article_id, root_id=root, matched_id=matched, decided_by=decided_by,
        score=None if verdict is None else round(verdict.score, 4),
        jaccard=None if verdict is None else round(verdict.jaccard, 4),
        evidence=json.dumps(evidence, ensure_ascii=False), decided_at=_now()))


def _set_root(conn: Connection, ids: Iterable[int], root: int | None) -> None:
    ids = list(ids)
    if ids:
        conn.execute(articles.update().where(articles.c.id.in_(ids)).values(duplicate_of=root))
    if ids and root is None:
        conn.execute(delete(story_links).where(story_links.c.article_id.in_(ids)))
    elif ids:
        conn.execute(story_links.update().where(story_links.c.article_id.in_(ids)).values(root_id=root))


# --------------------------------------------------------------------------- the check of one article


def link(conn: Connection, nd: NearDupConfig, article_id: int, sig: Signature, text: str,
         me: Member | None = None) -> int | None:
    """Index an article and put it in the story group it belongs to; returns its root (None: it is one).

    Invariant: ``duplicate_of`` always names a group's root (never an intermediate copy). When the article is
    earlier than the group's root, it becomes the root and the group is re-checked around it. An article that
    matches several groups joins the one it matches best (ties: the earliest root) and the others are recorded
    in its evidence; a later check keeps that group as long as the article still matches it. Researchers'
    corrections win: an unlinked pair never ends up in one group, a linked one always does. ``me`` is given
    for a brand-new article (no corrections can name it yet).
    """
    found = dict(neardup.matches(conn, nd, sig, text, article_id, lambda ids: _texts(conn, ids)))
    neardup.add(conn, nd, article_id, sig)
    new = me is not None
    if me is None:
        me = Member(*conn.execute(select(*_COLS).where(articles.c.id == article_id)).one())
    linked, unlinked = (set(), set()) if new else corrections(conn, [article_id])
    forced = {next(iter(p - {article_id})) for p in linked}
    rows = _members(conn, set(found) | forced)
    groups: dict[int, tuple[int, Verdict | None]] = {}  # root -> (matched article, verdict); None: forced
    for aid, row in rows.items():
        root = row.duplicate_of if row.duplicate_of is not None else aid
        if root == article_id:  # my own copies matched me
            continue
        if aid in forced:
            groups[root] = (aid, None)
        elif root not in groups or (groups[root][1] is not None and found[aid].score > groups[root][1].score):
            groups[root] = (aid, found[aid])
    if unlinked and groups:  # a group holding an article a researcher said is another story is out
        vetoed = {next(iter(p - {article_id})) for p in unlinked}
        members = conn.execute(select(articles.c.id, articles.c.duplicate_of).where(or_(
            articles.c.id.in_(list(groups)), articles.c.duplicate_of.in_(list(groups))))).all()
        for aid, dup in members:
            if aid in vetoed:
                groups.pop(dup if dup is not None else aid, None)
    if not groups:
        if me.duplicate_of is not None:  # its text no longer resembles its old group
            _set_root(conn, [article_id], None)
        return None
    roots = _members(conn, groups)
    chosen = _choose(groups, roots, me.duplicate_of)
    matched, verdict = groups[chosen]
    others = sorted(r for r in groups if r != chosen)
    root = roots[chosen]
    if story_order(me) < story_order(root):  # found late but published first: it becomes the root
        old = group_of(conn, root.id)
        _set_root(conn, [article_id], None)
        _set_root(conn, [m for m in old if m != article_id], article_id)
        regroup(conn, nd, [article_id, *old])  # the replaced root's copies are checked against the new one
        return conn.execute(select(articles.c.duplicate_of).where(articles.c.id == article_id)).scalar()
    own = [] if new else list(conn.execute(select(articles.c.id).where(articles.c.duplicate_of == article_id))
                               .scalars())
    _set_root(conn, [article_id, *own], root.id)
    _record(conn, article_id, root.id, matched, verdict, CHECK if verdict else RESEARCHER,
            {"also_matched_roots": others} if others else None)
    return root.id


def _choose(groups: dict[int, tuple[int, Verdict | None]], roots: dict[int, Member], current: int | None) -> int:
    """The group to join: a researcher's link first, then the group it is already in, then the best match."""
    forced = [r for r, (_, v) in groups.items() if v is None]
    if forced:
        return min(forced, key=lambda r: story_order(roots[r]))
    if current in groups:  # decided once: a re-check keeps the group while the article still matches it
        return current
    return min(groups, key=lambda r: (-groups[r][1].score, story_order(roots[r])))


# --------------------------------------------------------------------------- re-checking a group


def regroup(conn: Connection, nd: NearDupConfig, ids: Iterable[int]) -> list[list[int]]:
    """Decide again which of ``ids`` (one group, or groups being merged) are one story; returns the groups.

    Starting from the earliest article, a group takes every article that is the same story as one already in it
    (by today's rule) or that a researcher linked to one, unless a researcher unlinked it from one already in it.
    What is left starts groups of its own the same way. Each group's root is its earliest article; every copy's
    ``story_links`` row says which member it matched.
    """
    rows = _members(conn, ids)
    if not rows:
        return []
    texts = _texts(conn, rows)
    linked, unlinked = corrections(conn, rows)
    left = sorted(rows.values(), key=story_order)
    cache: dict[frozenset[int], Verdict] = {}
    groups: list[list[int]] = []
    while left:
        root, left = left[0], left[1:]
        group, queue, evidence = [root.id], [root.id], {}
        while queue:
            current = queue.pop(0)
            for cand in list(left):
                if any(frozenset((cand.id, g)) in unlinked for g in group):
                    continue
                pair = frozenset((current, cand.id))
                if pair in linked:
                    verdict = None
                else:
                    if pair not in cache:
                        cache[pair] = nd.verdict(texts[cand.id], texts[current])
                    verdict = cache[pair]
                    if not verdict.same:
                        continue
                group.append(cand.id)
                queue.append(cand.id)
                left.remove(cand)
                evidence[cand.id] = (current, verdict)
        groups.append(group)
        _set_root(conn, [root.id], None)
        for member in group[1:]:
            matched, verdict = evidence[member]
            conn.execute(articles.update().where(articles.c.id == member).values(duplicate_of=root.id))
            _record(conn, member, root.id, matched, verdict, RECHECK if verdict else RESEARCHER)
    return groups


def recheck_all(conn: Connection, nd: NearDupConfig) -> tuple[int, int]:
    """Re-check every story group with today's rule (and the corrections); returns (groups checked, copies that
    are now stories of their own). The way to bring an archive grouped by an earlier rule up to date."""
    roots = list(conn.execute(select(articles.c.duplicate_of).where(articles.c.duplicate_of.is_not(None))
                              .distinct().order_by(articles.c.duplicate_of)).scalars())
    alone = 0
    for root in roots:
        members = conn.execute(select(articles.c.id).where(
            or_(articles.c.id == root, articles.c.duplicate_of == root))).scalars().all()
        alone += (len(members) - 1) - sum(len(g) - 1 for g in regroup(conn, nd, members))
    return len(roots), alone


# --------------------------------------------------------------------------- reading


def ensure(engine: Engine) -> None:
    """Create the story tables in an archive from before they existed (in place; nothing else is touched)."""
    story_links.create(engine, checkfirst=True)
    story_corrections.create(engine, checkfirst=True)


def require(conn: Connection, ids: list[int]) -> None:
    """StoryError naming the first id that is not an archived article."""
    known = set(conn.execute(select(articles.c.id).where(articles.c.id.in_(ids))).scalars())
    for article_id in ids:
        if article_id not in known:
            raise StoryError(f"no article with id {article_id} in the archive")


def explain(conn: Connection, nd: NearDupConfig, article_id: int) -> dict[str, Any]:
    """Why an article is in its story group: for each copy involved (the article itself, or every copy of a
    root) the recorded decision (who decided, score, wording, names and figures matched) and the corrections
    naming the article. A copy with no recorded decision (grouped by an older version) is decided now, and
    marked so. Works on archives without the story tables (read-only opens)."""
    me = conn.execute(select(articles.c.id, articles.c.duplicate_of).where(articles.c.id == article_id)).first()
    if me is None:
        raise StoryError(f"no article with id {article_id} in the archive")
    root = me.duplicate_of or me.id
    copies = [me.id] if me.duplicate_of else list(conn.execute(
        select(articles.c.id).where(articles.c.duplicate_of == root).order_by(articles.c.id)).scalars())
    tables = set(inspect(conn).get_table_names())
    recorded = {}
    if story_links.name in tables and copies:
        recorded = {r.article_id: r for r in conn.execute(
            select(story_links).where(story_links.c.article_id.in_(copies)))}
    texts = _texts(conn, [root, *copies]) if set(copies) - set(recorded) else {}
    links = []
    for copy in copies:
        row = recorded.get(copy)
        if row is not None:
            links.append({"article_id": copy, "root_id": root, "matched_id": row.matched_id,
                          "decided_by": row.decided_by, "decided_at": row.decided_at, "score": row.score,
                          "jaccard": row.jaccard, "evidence": json.loads(row.evidence or "{}")})
            continue
        verdict = nd.verdict(texts[copy], texts[root])
        links.append({"article_id": copy, "root_id": root, "matched_id": root, "decided_by": "not recorded",
                      "decided_at": None, "score": round(verdict.score, 4), "jaccard": round(verdict.jaccard, 4),
                      "evidence": verdict.as_dict()})
    fixes = []
    if story_corrections.name in tables:
        fixes = [dict(r._mapping) for r in conn.execute(
            select(story_corrections.c.action, story_corrections.c.article_id, story_corrections.c.other_id,
                   story_corrections.c.note, story_corrections.c.created_at)
            .where(or_(story_corrections.c.article_id == article_id, story_corrections.c.other_id == article_id))
            .order_by(story_corrections.c.id))]
    return {"article_id": article_id, "root_id": root, "links": links, "corrections": fixes}
