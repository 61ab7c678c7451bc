"""Near-duplicate detection: MinHash signatures of word shingles, and a persistent LSH band index.

A story republished by several outlets (a Bernama wire story, a ministry press release) arrives as texts that
differ by an intro, an outro, "Also read" links and a few edits. We compare articles by the Jaccard similarity
of their sets of word ``shingle_size``-grams (default 5) over normalised text (NFKC, casefolded, punctuation
dropped, boilerplate lines removed). datasketch's MinHash estimates that similarity from ``permutations`` hash
minima; LSH splits the minima into ``bands`` of ``rows`` and hashes each band to one 64-bit key, stored in the
indexed table ``neardup_bands`` (band_key, article_id). Two articles sharing any band key are candidates;
candidates are checked first against their stored MinHash (cheap), then by exact shingle Jaccard of the texts,
and last by the same-story decision of :mod:`newscrawl.store.storymatch` (do the texts name the same people, places
and figures?), so neither a band collision nor shared stock phrasing links two articles by itself.

The index lives in the database (SQLite or PostgreSQL), so it survives restarts and never has to be held in
memory. Its layout (permutations, rows per band, shingle size, seed, MinHash scheme) is recorded in
``neardup_config`` when the archive is created; later opens use the recorded layout.

Signatures are pure CPU work and need no database: :meth:`NearDupConfig.signature` can run in a process pool
and its result be passed to ``Archive.store`` in ``article['minhash']``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import ARRAY, BigInteger, Connection, Integer, any_, bindparam, func, select

from newscrawl import text as text_measures
from newscrawl.store import storymatch
from newscrawl.store.schema import neardup_bands, neardup_config, neardup_signatures
from newscrawl.store.storymatch import Verdict

if TYPE_CHECKING:
    import numpy as np  # imported where hashes are made or compared: readers (every query command) never do

log = logging.getLogger(__name__)

# Defaults, measured on labelled copies and hard negatives (docs/near-duplicates.md, bench/dedup.py).
DEFAULT_THRESHOLD = storymatch.DEFAULT_MIN_JACCARD  # exact Jaccard of word 5-shingles a copy keeps at least
DEFAULT_MIN_WORDS = 60  # texts with fewer words (after boilerplate removal) are never linked
DEFAULT_PERMUTATIONS = 128
DEFAULT_SHINGLE_SIZE = 5
SEED = 1  # part of the index layout: changing it makes every stored band key meaningless
SCHEME = "affine32"  # datasketch 2.x permutation scheme; 32-bit minima, stored as 4 bytes each
PREFILTER_MARGIN = 0.15  # candidates whose estimated Jaccard is this far below the threshold skip the exact check
CANDIDATE_RECALL = 0.99  # rows per band are chosen so a pair at the threshold shares a band with this probability

# Lines that are navigation / promotion, not story text, in the English and Malay outlets we crawl. Only short
# lines are tested, so a paragraph that merely starts with "Read more" in a sentence is kept.
BOILERPLATE_LINE = re.compile(
    r"^\W*(also read|read also|read more|related( articles?| stories| news)?\b|more news|baca juga|lihat juga|"
    r"berita berkaitan|advertisement|advertorial|iklan|sponsored|click here|tap here|klik di sini|follow us|"
    r"ikuti kami|like us on|subscribe|langgan|sign up|download (the|our)|muat turun|join (us|our)|sertai|"
    r"share this|kongsi|stay updated|stay up to date|get the latest|dapatkan berita|for more news|untuk berita|"
    r"copyright|hak cipta|all rights reserved|©|"
    # Chinese labels, whole (followed by a colon, a space or the line's end): "相关新闻：", "分享", "广告"
    r"(?:分享|分享到|相关新闻|相关文章|相关报道|延伸阅读|推荐阅读|点击阅读|阅读更多|阅读全文|更多新闻|热门新闻|"
    r"最新新闻|广告|赞助|版权所有|关注我们|订阅)(?:[:：\s]|$))",
    re.IGNORECASE,
)
BOILERPLATE_MAX_WORDS = 30  # longer lines are story text even if they match the pattern above


def is_boilerplate_line(line: str) -> bool:
    """A short navigation / promotion line ("Also read: ...", "ADVERTISEMENT"), not story text."""
    if not BOILERPLATE_LINE.match(line):
        return False
    count = text_measures.word_count(line) if text_measures.has_cjk(line) else len(line.split())
    return count <= BOILERPLATE_MAX_WORDS


def words(text: str) -> list[str]:
    """The normalised words of a text: boilerplate lines dropped, NFKC, casefolded, punctuation removed."""
    kept = "\n".join(line for line in (text or "").splitlines() if not is_boilerplate_line(line))
    return text_measures.tokens(unicodedata.normalize("NFKC", kept).casefold())


def shingles(text: str, size: int = DEFAULT_SHINGLE_SIZE) -> set[bytes]:
    """The set of word ``size``-grams of the normalised text (UTF-8 encoded, ready for hashing)."""
    return _shingles_of(words(text), size)


def _shingles_of(tokens: Sequence[str], size: int) -> set[bytes]:
    if len(tokens) < size:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i:i + size]).encode() for i in range(len(tokens) - size + 1)}


def jaccard(a: set[bytes], b: set[bytes]) -> float:
    """Exact Jaccard similarity of two shingle sets (0.0 when both are empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def choose_rows(permutations: int, threshold: float, target: float = CANDIDATE_RECALL) -> int:
    """Rows per band: the largest r for which a pair at ``threshold`` becomes a candidate with P >= ``target``.

    More rows mean fewer stored band keys and fewer false candidates; fewer rows mean better recall.
    """
    best = 1
    for rows in range(1, permutations + 1):
        bands = permutations // rows
        if 1 - (1 - threshold**rows) ** bands >= target:
            best = rows
    return best


@dataclass(frozen=True)
class Signature:
    """A text's MinHash minima (uint32) and how many words the text had after normalisation."""

    hashvalues: np.ndarray
    num_words: int
    layout: tuple[int, int, int, str] = (DEFAULT_PERMUTATIONS, DEFAULT_SHINGLE_SIZE, SEED, SCHEME)
    # LSH band keys for ``band_rows`` rows per band, computed with the signature (in the worker process)
    band_keys: tuple[int, ...] | None = None
    band_rows: int = 0

    def to_bytes(self) -> bytes:
        import numpy as np

        return np.asarray(self.hashvalues, dtype="<u4").tobytes()

    def estimate(self, other_hashvalues: np.ndarray) -> float:
        """Estimated Jaccard similarity with another signature's minima."""
        import numpy as np

        return float(np.count_nonzero(self.hashvalues == other_hashvalues)) / len(self.hashvalues)


def hashvalues_from_bytes(blob: bytes) -> np.ndarray:
    import numpy as np

    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


@lru_cache(maxsize=8)
def _template(permutations: int, seed: int) -> Any:
    """A MinHash whose permutations are reused: generating them costs more than hashing an article."""
    # imported on first use: the package pulls in scipy (~0.5 s), which CLI reads don't need
    from datasketch import MinHash

    return MinHash(num_perm=permutations, seed=seed, scheme=SCHEME)


@dataclass(frozen=True)
class NearDupConfig:
    """Near-duplicate settings plus the index layout they imply. Picklable: send it to a worker process."""

    threshold: float = DEFAULT_THRESHOLD
    min_words: int = DEFAULT_MIN_WORDS
    permutations: int = DEFAULT_PERMUTATIONS
    shingle_size: int = DEFAULT_SHINGLE_SIZE
    rows: int = 0  # 0: derived from permutations and threshold (see choose_rows)
    seed: int = SEED
    # the same-story decision on top of the Jaccard (newscrawl.store.storymatch); 0 and 0 is the wording-only rule of
    # earlier versions (bench/dedup.py measures it as the baseline)
    min_names: float = storymatch.DEFAULT_MIN_NAMES
    min_figures: float = storymatch.DEFAULT_MIN_FIGURES

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise ValueError("near-duplicate threshold must be in (0, 1]")
        if not (0 <= self.min_names <= 1 and 0 <= self.min_figures <= 1):
            raise ValueError("near-duplicate min names / min figures must be in [0, 1]")
        if self.permutations < 16 or self.shingle_size < 1 or self.min_words < 1:
            raise ValueError("near-duplicate permutations must be >= 16, shingle size and min words >= 1")
        if not self.rows:  # frozen dataclass: set the derived field once
            object.__setattr__(self, "rows", choose_rows(self.permutations, self.threshold))

    @property
    def rule(self) -> storymatch.Rule:
        return storymatch.Rule(self.threshold, self.min_names, self.min_figures)

    def verdict(self, text: str, other: str) -> Verdict:
        """The same-story decision for two texts, with what matched (for ``newscrawl show`` and re-checks)."""
        mine, theirs = words(text), words(other)
        similarity = jaccard(_shingles_of(mine, self.shingle_size), _shingles_of(theirs, self.shingle_size))
        verdict = self.rule.decide(similarity, storymatch.facts(text), storymatch.facts(other))
        # as in the check: short texts are never linked
        if min(text_measures.words_in(mine), text_measures.words_in(theirs)) < self.min_words:
            return replace(verdict, same=False, reason=f"shorter than {self.min_words} words: never linked")
        return verdict

    @property
    def bands(self) -> int:
        return self.permutations // self.rows

    @property
    def layout(self) -> tuple[int, int, int, str]:
        return (self.permutations, self.shingle_size, self.seed, SCHEME)

    def signature(self, text: str) -> Signature:
        """The MinHash of a text; empty minima when it is too short (after boilerplate removal) to compare."""
        import numpy as np

        tokens = words(text)
        count = text_measures.words_in(tokens)  # a CJK character is 1/1.8 of a word (newscrawl.text)
        if count < self.min_words:
            return Signature(np.zeros(0, dtype=np.uint32), count, self.layout)
        template = _template(self.permutations, self.seed)
        mh = type(template)(num_perm=self.permutations, seed=self.seed, permutations=template.permutations,
                            scheme=SCHEME)
        mh.update_batch(_shingles_of(tokens, self.shingle_size))
        values = np.asarray(mh.hashvalues, dtype=np.uint32)
        return Signature(values, count, self.layout, tuple(self._keys(values)), self.rows)

    def usable(self, sig: Any) -> bool:
        """Whether a signature computed elsewhere (a worker process) fits this index and these settings."""
        if not isinstance(sig, Signature) or sig.layout != self.layout:
            return False
        return len(sig.hashvalues) == self.permutations or sig.num_words < self.min_words

    def indexable(self, sig: Signature | None) -> bool:
        """Long enough to be compared: short texts are never linked just for being short."""
        return (sig is not None and sig.num_words >= self.min_words
                and len(sig.hashvalues) == self.permutations)

    def band_keys(self, sig: Signature) -> list[int]:
        """One signed 64-bit key per band (BIGINT on every database); the band number is hashed in."""
        if sig.band_keys is not None and sig.band_rows == self.rows:
            return list(sig.band_keys)
        return self._keys(sig.hashvalues)

    def _keys(self, hashvalues: np.ndarray) -> list[int]:
        import numpy as np

        values = np.asarray(hashvalues, dtype="<u4")
        keys = set()
        for band in range(self.bands):
            chunk = values[band * self.rows:(band + 1) * self.rows].tobytes()
            digest = hashlib.blake2b(chunk, digest_size=8, salt=band.to_bytes(16, "little")).digest()
            keys.add(int.from_bytes(digest, "little", signed=True))
        return sorted(keys)

    def settings_dict(self) -> dict[str, str]:
        return {"permutations": str(self.permutations), "rows": str(self.rows),
                "shingle_size": str(self.shingle_size), "seed": str(self.seed), "scheme": SCHEME}


def signature(text: str, config: NearDupConfig | None = None) -> Signature:
    """Module-level shortcut: ``config.signature(text)`` with the default settings."""
    return (config or NearDupConfig()).signature(text)


# --------------------------------------------------------------------------- the persistent index (SQL)


def load_layout(conn: Connection, requested: NearDupConfig) -> NearDupConfig:
    """The config to use for this archive: the recorded layout if there is one (recording ``requested`` if not).

    Threshold and min_words always come from ``requested`` (they only affect verification); a requested layout
    that differs from the recorded one is ignored with a warning, since stored band keys depend on it.
    """
    stored = dict(conn.execute(select(neardup_config.c.name, neardup_config.c.value)).all())
    if not stored:
        conn.execute(neardup_config.insert(), [{"name": k, "value": v} for k, v in requested.settings_dict().items()])
        return requested
    if stored.get("scheme") != SCHEME:
        raise ValueError(f"near-duplicate index uses MinHash scheme {stored.get('scheme')!r}, "
                         f"this version computes {SCHEME!r}")
    used = NearDupConfig(threshold=requested.threshold, min_words=requested.min_words,
                         permutations=int(stored["permutations"]), shingle_size=int(stored["shingle_size"]),
                         rows=int(stored["rows"]), seed=int(stored["seed"]), min_names=requested.min_names,
                         min_figures=requested.min_figures)
    if (requested.permutations, requested.shingle_size, requested.seed) != (
            used.permutations, used.shingle_size, used.seed):
        log.warning("near-duplicate index was built with %s; ignoring the requested %s",
                    used.settings_dict(), requested.settings_dict())
    if choose_rows(used.permutations, used.threshold) < used.rows:
        log.warning("near-duplicate threshold %s is below what the index was built for (%d rows per band): "
                    "some pairs near the threshold will not be found", used.threshold, used.rows)
    return used


def candidates(conn: Connection, config: NearDupConfig, sig: Signature, exclude: int | None) -> list[int]:
    """Articles sharing at least one band key with the signature (excluding ``exclude``)."""
    stmt = _CANDIDATES_PG if conn.dialect.name == "postgresql" else _CANDIDATES
    return [aid for (aid,) in conn.execute(stmt, {"keys": config.band_keys(sig)}) if aid != exclude]


def stored_hashvalues(conn: Connection, ids: Iterable[int]) -> dict[int, np.ndarray]:
    ids = list(ids)
    if not ids:
        return {}
    stmt = _MINIMA_PG if conn.dialect.name == "postgresql" else _MINIMA
    return {aid: hashvalues_from_bytes(blob) for aid, blob in conn.execute(stmt, {"ids": ids})}


def add(conn: Connection, config: NearDupConfig, article_id: int, sig: Signature | None) -> None:
    """Record an article's signature (a NULL one for texts too short to compare) and its band keys."""
    comparable = config.indexable(sig)
    conn.execute(_INSERT_SIGNATURE, {"article_id": article_id, "minhash": sig.to_bytes() if comparable else None,
                                     "words": sig.num_words if sig is not None else 0})
    if not comparable:
        return
    keys = config.band_keys(sig)
    if conn.dialect.name == "postgresql":  # one statement: psycopg's executemany costs ~60 us of Python per row
        conn.execute(_INSERT_BANDS_PG, {"keys": keys, "article_id": article_id})
    else:
        conn.execute(_INSERT_BAND, [{"band_key": k, "article_id": article_id} for k in keys])


# built once: executed with parameters for every stored article, their cache keys and compiled forms are reused.
# PostgreSQL takes the lists as one array parameter (= ANY, unnest): one prepared statement whatever their length,
# where an expanding IN is re-rendered and re-parsed for each length (2-3 ms of a store's Python time).
_INSERT_SIGNATURE = neardup_signatures.insert()
_INSERT_BAND = neardup_bands.insert()
_INSERT_BANDS_PG = neardup_bands.insert().from_select(
    ["band_key", "article_id"],
    select(func.unnest(bindparam("keys", type_=ARRAY(BigInteger))), bindparam("article_id", type_=Integer)))
_CANDIDATES = (select(neardup_bands.c.article_id)
               .where(neardup_bands.c.band_key.in_(bindparam("keys", expanding=True))).distinct())
_CANDIDATES_PG = (select(neardup_bands.c.article_id)
                  .where(neardup_bands.c.band_key == any_(bindparam("keys", type_=ARRAY(BigInteger)))).distinct())
_MINIMA = (select(neardup_signatures.c.article_id, neardup_signatures.c.minhash)
           .where(neardup_signatures.c.article_id.in_(bindparam("ids", expanding=True)),
                  neardup_signatures.c.minhash.is_not(None)))
_MINIMA_PG = (select(neardup_signatures.c.article_id, neardup_signatures.c.minhash)
              .where(neardup_signatures.c.article_id == any_(bindparam("ids", type_=ARRAY(Integer))),
                     neardup_signatures.c.minhash.is_not(None)))


def remove(conn: Connection, config: NearDupConfig, article_id: int) -> None:
    """Forget an article's signature and band keys (keys recomputed from the stored minima: no extra index)."""
    blob = conn.execute(select(neardup_signatures.c.minhash)
                        .where(neardup_signatures.c.article_id == article_id)).scalar()
    if blob:
        sig = Signature(hashvalues_from_bytes(blob), 0, config.layout)
        # band_key IN (...) AND article_id = ?: a primary-key probe per key (a row-value IN scans on SQLite)
        conn.execute(neardup_bands.delete().where(neardup_bands.c.band_key.in_(config.band_keys(sig)),
                                                  neardup_bands.c.article_id == article_id))
    conn.execute(neardup_signatures.delete().where(neardup_signatures.c.article_id == article_id))


def matches(conn: Connection, config: NearDupConfig, sig: Signature, text: str, exclude: int | None,
            load_texts: Any) -> list[tuple[int, Verdict]]:
    """Archived articles that tell the same story as ``text``: band candidates, verified; with the verdicts.

    ``load_texts(ids) -> {id: text}`` reads the candidates' current texts for the exact check. Only candidates
    whose wording passes the Jaccard threshold pay for the names-and-figures comparison.
    """
    if not config.indexable(sig):
        return []
    found = candidates(conn, config, sig, exclude)
    if not found:
        return []
    minima = stored_hashvalues(conn, found)
    likely = [aid for aid, hv in minima.items() if sig.estimate(hv) >= config.threshold - PREFILTER_MARGIN]
    if not likely:
        return []
    mine = shingles(text, config.shingle_size)
    rule, my_facts, verdicts = config.rule, None, []
    for aid, other in sorted(load_texts(likely).items()):
        similarity = jaccard(mine, shingles(other, config.shingle_size))
        if similarity < config.threshold:
            continue
        my_facts = my_facts or storymatch.facts(text)
        verdict = rule.decide(similarity, my_facts, storymatch.facts(other))
        if verdict.same:
            verdicts.append((aid, verdict))
    return verdicts
