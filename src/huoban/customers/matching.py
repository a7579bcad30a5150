"""Matching a submitted customer against the registry (R-ATT-2).

Order: same USCC → exact; same normalised name (legal name, alias or former name) → exact; then
fuzzy similarity over candidates drawn from an n-gram index (never a scan of the table):

* SQLite: the FTS5 table ``customers_customername_fts`` (trigram tokenizer, migration 0003),
  queried with the OR of the query's trigrams and ordered by bm25;
* PostgreSQL: pg_trgm's GIN index, ``normalized % q`` (similarity) or ``q <% normalized`` (word
  similarity: a short name inside a long one), ordered by the larger of the two;
* queries shorter than three characters (no trigram exists): the indexed ``head2`` column.

Scoring (0–100, rapidfuzz): ``max(ratio, partial_ratio × (0.5 + 0.5 × shorter/longer))``.
``ratio`` rewards names of similar length that differ by a typo; ``partial_ratio`` finds a short
name inside a full one (茅台 in 茅台酒), discounted by the length difference so that a two-character
name is not a certain match for every long name that contains it. Token-based scorers are useless
here: Chinese names have no spaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.db import connection, transaction
from rapidfuzz import fuzz

from .models import Customer, CustomerName
from .normalize import head2, normalize_name
from .uscc import normalize_uscc, uscc_error

MatchKind = Literal["exact", "possible", "none"]
CANDIDATE_LIMIT = 50
PG_SIMILARITY_THRESHOLD = "0.2"
PG_WORD_SIMILARITY_THRESHOLD = "0.3"
HUNDRED = Decimal("100.00")


@dataclass(frozen=True)
class Match:
    """The registry's answer for one submitted name (R-ATT-2)."""

    kind: MatchKind
    customer: Customer | None
    score: Decimal | None
    reason: str


def score(query: str, name: str) -> Decimal:
    """Similarity of two normalised names, 0–100 with two decimals (see the module docstring)."""
    if not query or not name:
        return Decimal("0.00")
    ratio = fuzz.ratio(query, name)
    shorter, longer = sorted((len(query), len(name)))
    partial = fuzz.partial_ratio(query, name) * (0.5 + 0.5 * shorter / longer)
    # Scores are computed by rapidfuzz in floating point; they are similarities, not money, and
    # become Decimal (two places) before any comparison with the thresholds.
    return Decimal(str(round(max(ratio, partial), 2))).quantize(Decimal("0.01"))


def _threshold(key: str) -> Decimal:
    return Decimal(str(settings.HUOBAN[key]))


def trigrams(text: str) -> list[str]:
    """The distinct trigrams of `text`, in order of first appearance."""
    seen: dict[str, None] = {}
    for i in range(len(text) - 2):
        seen.setdefault(text[i : i + 3], None)
    return list(seen)


def _fts_query(text: str) -> str:
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in trigrams(text))


def candidate_ids(normalized: str) -> list[int]:
    """Ids of CustomerName rows worth scoring for `normalized`, from the index only."""
    ids: list[int] = []
    if len(normalized) >= 3:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT rowid FROM customers_customername_fts "
                    "WHERE customers_customername_fts MATCH %s ORDER BY rank LIMIT %s",
                    [_fts_query(normalized), CANDIDATE_LIMIT],
                )
                ids = [row[0] for row in cursor.fetchall()]
        elif connection.vendor == "postgresql":
            # SET LOCAL-style thresholds (is_local = true) need a transaction: a savepoint when
            # the caller already has one.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('pg_trgm.similarity_threshold', %s, true), "
                    "set_config('pg_trgm.word_similarity_threshold', %s, true)",
                    [PG_SIMILARITY_THRESHOLD, PG_WORD_SIMILARITY_THRESHOLD],
                )
                cursor.execute(
                    "SELECT id FROM customers_customername "
                    "WHERE normalized %% %s OR %s <%% normalized "
                    "ORDER BY greatest(similarity(normalized, %s), word_similarity(%s, normalized))"
                    " DESC, id LIMIT %s",
                    [normalized, normalized, normalized, normalized, CANDIDATE_LIMIT],
                )
                ids = [row[0] for row in cursor.fetchall()]
    # Prefix lookup on the indexed head2 column: the only key for one- or two-character names,
    # and a cheap extra source for longer ones.
    prefix = head2(normalized)
    by_head = (
        CustomerName.objects.filter(head2__startswith=prefix)
        if len(prefix) < 2
        else (CustomerName.objects.filter(head2=prefix))
    )
    ids.extend(by_head.order_by("id").values_list("id", flat=True)[:CANDIDATE_LIMIT])
    return list(dict.fromkeys(ids))


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

    best: tuple[Decimal, CustomerName] | None = None
    rows = CustomerName.objects.filter(pk__in=candidate_ids(normalized)).select_related("customer")
    for row in rows.order_by("id"):
        s = score(normalized, row.normalized)
        if best is None or s > best[0]:
            best = (s, row)
    if best is None:
        return Match("none", None, None, "no candidate")
    best_score, row = best
    if best_score >= _threshold("MATCH_HIGH") and not _uscc_conflicts(row.customer, code):
        return Match("exact", row.customer, best_score, f"fuzzy ({row.kind}: {row.name})")
    if best_score >= _threshold("MATCH_LOW"):
        return Match("possible", row.customer, best_score, f"fuzzy ({row.kind}: {row.name})")
    return Match("none", None, best_score, "below the low threshold")
