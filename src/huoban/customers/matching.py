"""Matching a submitted customer against the registry (R-ATT-2).

Order: same USCC → exact; same normalised name (legal name, alias or former name) → exact; then
fuzzy similarity over candidates drawn from indexes (never a scan of the table). The candidates
of a normalised query (:func:`candidate_ids`) are the union of

* every name that contains one of the query's **rare trigrams** — a trigram that at most
  ``COMMON_TRIGRAM_NAMES`` names contain; one statement asks each trigram's index for that many
  + 1 rows and a trigram that fills them is *common* and contributes nothing. SQLite: the FTS5
  table ``customers_customername_fts`` (trigram tokenizer, migration 0003); PostgreSQL:
  pg_trgm's GIN index through ``LIKE '%trigram%'``;
* every name that is **contained in the query** and long enough to reach the low threshold
  (an ``IN`` on the indexed ``normalized`` column): a short registered name inside a longer
  submitted one;
* the names with the query's first two characters (the indexed ``head2`` column: the only key
  for one- or two-character names, which have no trigram);
* only when a name sharing nothing but the query's common trigrams could still reach the low
  threshold (:func:`common_only_bound`: a short name such as 涛智能科技 against 某某某智能科技,
  or a query of generic words only), the shortest names containing each common trigram, kept
  per process (:func:`_short_names_with`).

Before, one ranked query over all the query's trigrams (FTS5 ``OR`` by bm25; pg_trgm ``%`` by
similarity) ranked every name containing a common trigram (网络科, 信息技…: tens of thousands at a
million customers) on each submission: tens of milliseconds on SQLite, hundreds on PostgreSQL.
The names that can match are those the sources above bring. The candidates are ranked by the
score below and the best ``CANDIDATE_LIMIT`` kept.

Scoring (0–100, rapidfuzz): ``max(ratio, partial_ratio × (0.5 + 0.5 × shorter/longer))``.
``ratio`` rewards names of similar length that differ by a typo; ``partial_ratio`` finds a short
name inside a full one (茅台 in 茅台酒), discounted by the length difference so that a two-character
name is not a certain match for every long name that contains it. Token-based scorers are useless
here: Chinese names have no spaces.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.db import connection
from django.db.models import Q
from rapidfuzz import fuzz

from huoban.uscc import normalize_uscc, uscc_error

from .models import Customer, CustomerName
from .normalize import head2, normalize_name

MatchKind = Literal["exact", "possible", "none"]
CANDIDATE_LIMIT = 50
# A trigram in more names than this is common: its names are not fetched (module docstring).
COMMON_TRIGRAM_NAMES = 200
HEAD_LIMIT = 200  # names fetched by their first two characters
MAX_TRIGRAMS = 64  # trigrams of one query asked of the index (a name of 66+ characters)
MAX_CONTAINED = 500  # substrings of one query looked up as whole names
COMMON_CACHE_SECONDS = 600.0  # how long a process keeps a common trigram's shortest names
HUNDRED = Decimal("100.00")


@dataclass(frozen=True)
class Match:
    """The registry's answer for one submitted name (R-ATT-2)."""

    kind: MatchKind
    customer: Customer | None
    score: Decimal | None
    reason: str


def _similarity(query: str, name: str) -> float:
    ratio = fuzz.ratio(query, name)
    shorter, longer = sorted((len(query), len(name)))
    return float(max(ratio, fuzz.partial_ratio(query, name) * (0.5 + 0.5 * shorter / longer)))


def score(query: str, name: str) -> Decimal:
    """Similarity of two normalised names, 0–100 with two decimals (see the module docstring)."""
    if not query or not name:
        return Decimal("0.00")
    # Scores are computed by rapidfuzz in floating point; they are similarities, not money, and
    # become Decimal (two places) before any comparison with the thresholds.
    return Decimal(str(round(_similarity(query, name), 2))).quantize(Decimal("0.01"))


def _threshold(key: str) -> Decimal:
    return Decimal(str(settings.HUOBAN[key]))


def trigrams(text: str) -> list[str]:
    """The distinct trigrams of `text`, in order of first appearance."""
    seen: dict[str, None] = {}
    for i in range(len(text) - 2):
        seen.setdefault(text[i : i + 3], None)
    return list(seen)


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def common_only_bound(normalized: str, common: set[str]) -> float:
    """The highest score a name can reach against `normalized` when all it shares with it are
    the characters covered by the `common` trigrams, and it is not contained in it (contained
    names are fetched whole).

    With c covered characters of n, a name of length L ≤ n shares m ≤ min(c, L − 1) of them:
    ratio ≤ 2m/(n+L), partial ≤ 2m/(L+m) × (0.5 + 0.5 L/n) (its best window of the query is
    the m shared characters); a longer name shares m ≤ min(c, n). Characters shared one by one,
    outside any trigram, are not counted: no trigram index sees them."""
    n = len(normalized)
    covered: set[int] = set()
    for i in range(n - 2):
        if normalized[i : i + 3] in common:
            covered.update((i, i + 1, i + 2))
    c = len(covered)
    best = 0.0
    for length in range(2, n + 2):
        m = min(c, length - 1) if length <= n else min(c, n)
        if m <= 0:
            continue
        shorter, longer = sorted((n, length))
        partial = 2 * m / (shorter + m) * (0.5 + 0.5 * shorter / longer)
        best = max(best, 2 * m / (n + length), partial)
    return 100.0 * best


def _rare_trigram_names(normalized: str) -> tuple[dict[int, str], set[str]]:
    """The names containing a rare trigram of `normalized`, and its common trigrams."""
    grams = trigrams(normalized)[:MAX_TRIGRAMS]
    if connection.vendor == "postgresql":
        # pg_trgm extracts trigrams of word characters only: a pattern with anything else would
        # scan the whole index, so such trigrams are left to the other sources.
        grams = [t for t in grams if t.isalnum()]
    if not grams or connection.vendor not in ("sqlite", "postgresql"):
        return {}, set()
    limit = COMMON_TRIGRAM_NAMES + 1
    params: list[int | str] = []
    if connection.vendor == "sqlite":
        part = (
            "SELECT %s, c.id, c.normalized FROM customers_customername c WHERE c.id IN ("
            "SELECT rowid FROM customers_customername_fts "
            "WHERE customers_customername_fts MATCH %s LIMIT %s)"
        )
        for k, t in enumerate(grams):
            params += [k, _fts_phrase(t), limit]
        sql = " UNION ALL ".join([part] * len(grams))
    else:
        part = (
            "(SELECT %s, id, normalized FROM customers_customername "
            "WHERE normalized LIKE %s LIMIT %s)"
        )
        for k, t in enumerate(grams):
            params += [k, _like_pattern(t), limit]
        sql = " UNION ALL ".join([part] * len(grams))
    per_gram: dict[int, list[tuple[int, str]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for k, pk, name in cursor.fetchall():
            per_gram.setdefault(k, []).append((pk, name))
    names: dict[int, str] = {}
    common: set[str] = set()
    for k, rows in per_gram.items():
        if len(rows) > COMMON_TRIGRAM_NAMES:
            common.add(grams[k])
        else:
            names.update(rows)
    return names, common


def _contained_names(normalized: str) -> dict[int, str]:
    """Names that are substrings of `normalized` and long enough to reach the low threshold:
    partial_ratio is then 100 × (0.5 + 0.5 L/n), at least MATCH_LOW when L ≥ n (2·low/100 − 1)."""
    n = len(normalized)
    low = float(settings.HUOBAN["MATCH_LOW"])
    shortest = max(1, math.ceil(n * (2 * low / 100 - 1)))
    parts: dict[str, None] = {}
    for length in range(n, shortest - 1, -1):
        for i in range(n - length + 1):
            parts.setdefault(normalized[i : i + length], None)
        if len(parts) >= MAX_CONTAINED:
            break
    rows = CustomerName.objects.filter(normalized__in=list(parts)).values_list("id", "normalized")
    return dict(rows)


def _shortest_names_containing(trigram: str) -> list[int]:
    """Ids of the CANDIDATE_LIMIT shortest names containing `trigram` (then by id)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT c.id FROM customers_customername c WHERE c.id IN ("
                "SELECT rowid FROM customers_customername_fts "
                "WHERE customers_customername_fts MATCH %s) "
                "ORDER BY length(c.normalized), c.id LIMIT %s",
                [_fts_phrase(trigram), CANDIDATE_LIMIT],
            )
        else:
            cursor.execute(
                "SELECT id FROM customers_customername WHERE normalized LIKE %s "
                "ORDER BY length(normalized), id LIMIT %s",
                [_like_pattern(trigram), CANDIDATE_LIMIT],
            )
        return [row[0] for row in cursor.fetchall()]


# trigram → (when filled, the last name id then, the shortest names containing it)
_shortest_cache: dict[str, tuple[float, int, list[int]]] = {}


def clear_common_trigram_cache() -> None:
    _shortest_cache.clear()


def _short_names_with(common: set[str]) -> dict[int, str]:
    """The shortest names containing each common trigram: the names that can still match when
    a query shares nothing else with them (:func:`common_only_bound`).

    Ranking tens of thousands of names costs tens of milliseconds, and the answer depends on the
    trigram only, so it is kept per process for COMMON_CACHE_SECONDS. It stays exact for names
    added since (every name with a higher id that contains the trigram is added) and for names
    changed or removed (the kept ids are read again); only an existing name renamed to contain
    the trigram waits for the next refresh."""
    now = time.monotonic()
    kept: set[int] = set()
    since = None
    for t in sorted(common):
        hit = _shortest_cache.get(t)
        if hit is None or now - hit[0] > COMMON_CACHE_SECONDS:
            last = CustomerName.objects.order_by("-id").values_list("id", flat=True).first() or 0
            hit = (now, last, _shortest_names_containing(t))
            _shortest_cache[t] = hit
        kept.update(hit[2])
        since = hit[1] if since is None else min(since, hit[1])
    names = dict(CustomerName.objects.filter(pk__in=kept).values_list("id", "normalized"))
    added = Q()
    for t in common:
        added |= Q(normalized__contains=t)
    newer = list(
        CustomerName.objects.filter(added, pk__gt=since or 0)
        .order_by("id")
        .values_list("id", "normalized")[:HEAD_LIMIT]
    )
    if len(newer) == HEAD_LIMIT:  # many names since: rank them all again next time
        for t in common:
            _shortest_cache.pop(t, None)
    names.update(newer)
    return names


def candidates(normalized: str) -> list[tuple[int, str]]:
    """(id, normalised name) of the CustomerName rows worth scoring for `normalized`, from the
    indexes only, best first (module docstring)."""
    pool: dict[int, str] = {}
    if len(normalized) >= 3:
        rare, common = _rare_trigram_names(normalized)
        pool.update(rare)
        if common and common_only_bound(normalized, common) >= float(settings.HUOBAN["MATCH_LOW"]):
            pool.update(_short_names_with(common))
    pool.update(_contained_names(normalized))
    prefix = head2(normalized)
    by_head = (
        CustomerName.objects.filter(head2__startswith=prefix)
        if len(prefix) < 2
        else CustomerName.objects.filter(head2=prefix)
    )
    pool.update(by_head.order_by("id").values_list("id", "normalized")[:HEAD_LIMIT])
    ranked = sorted(pool.items(), key=lambda row: (-_similarity(normalized, row[1]), row[0]))
    return ranked[:CANDIDATE_LIMIT]


def candidate_ids(normalized: str) -> list[int]:
    """Ids of the CustomerName rows worth scoring for `normalized`, best first."""
    return [pk for pk, _name in candidates(normalized)]


def _uscc_conflicts(customer: Customer, uscc: str | None) -> bool:
    """Two different valid codes mean two different legal entities, whatever their names."""
    return bool(uscc and customer.uscc and customer.uscc != uscc)


def match_customer(name: str, uscc: str | None = None) -> Match:
    """Match a submitted customer against the registry (R-ATT-2)."""
    code = normalize_uscc(uscc) if uscc else None
    if code and uscc_error(code) is None:
        by_code = Customer.objects.filter(uscc=code).first()
        if by_code is not None:
            return Match("exact", by_code, HUNDRED, "uscc")
    else:
        code = None
    normalized = normalize_name(name)
    if not normalized:
        return Match("none", None, None, "empty name")

    same_name = (
        CustomerName.objects.filter(normalized=normalized)
        .select_related("customer")
        .order_by("id")
        .first()
    )
    if same_name is not None:
        if _uscc_conflicts(same_name.customer, code):
            return Match("possible", same_name.customer, HUNDRED, "same name, different USCC")
        return Match("exact", same_name.customer, HUNDRED, f"normalised name ({same_name.kind})")

    # The best score wins; among equal scores the oldest name (lowest id), as before.
    best: tuple[Decimal, int] | None = None
    for pk, name in candidates(normalized):
        s = score(normalized, name)
        if best is None or s > best[0] or (s == best[0] and pk < best[1]):
            best = (s, pk)
    if best is None:
        return Match("none", None, None, "no candidate")
    best_score, best_pk = best
    row = CustomerName.objects.select_related("customer").get(pk=best_pk)
    if best_score >= _threshold("MATCH_HIGH") and not _uscc_conflicts(row.customer, code):
        return Match("exact", row.customer, best_score, f"fuzzy ({row.kind}: {row.name})")
    if best_score >= _threshold("MATCH_LOW"):
        return Match("possible", row.customer, best_score, f"fuzzy ({row.kind}: {row.name})")
    return Match("none", None, best_score, "below the low threshold")
