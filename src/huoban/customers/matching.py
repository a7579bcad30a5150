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
* for a short query (up to BIGRAM_QUERY_MAX characters), every name that contains one of its
  **rare bigrams** (:func:`query_bigrams`; migration 0011's index): 古汉 in 紫光古汉集团;
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

import functools
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.db import connection
from django.db.models import Q
from rapidfuzz import fuzz

from huoban.explain import Step
from huoban.uscc import normalize_uscc, uscc_error

from .decisions import judged
from .models import Customer, CustomerName
from .names import (
    PLACE_INITIALS,
    REGION_ABBREVIATIONS,
    NameParts,
    numbers,
    parse,
    places,
    starts_with_place,
)
from .normalize import INDUSTRY_WORDS, head2, normalize_name, normalize_name_keep_place

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
    # How the score was reached, step by step (:func:`assess`); empty for USCC and exact names.
    explanation: tuple[Step, ...] = field(default=())
    # Other customers within AMBIGUOUS_MARGIN of the best and above the low threshold, the
    # closest first: a best answer that is certain becomes possible, and an officer chooses.
    also: tuple[Customer, ...] = field(default=())


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


# --- what a name says: rarity of its characters, its structure (issue #13) --------------------

# A character's weight is −ln p, p the share of registered names that contain it, smoothed
# towards a prior share: PRIOR_GENERIC for the characters of industry words and places (科, 技,
# 集, 团, 中, 国…), PRIOR_OTHER for the rest, as if PRIOR_NAMES names had been seen. A small
# registry thus weighs by the prior; a large one by what it holds (银行 in every bank says
# little, 茅台 a lot).
PRIOR_NAMES = 200
PRIOR_GENERIC = 0.2
PRIOR_OTHER = 0.01
RARITY_SAMPLE_WINDOWS = 20  # id windows read from a large registry …
RARITY_WINDOW = 1000  # … of this many ids each
RARITY_SMALL = 500  # a registry of at most this many names is read whole, every time
RARITY_TRUSTED_SECONDS = 60.0  # the weights of a registry of RARITY_TRUSTED_NAMES or more
RARITY_TRUSTED_NAMES = 100_000  # names are used this long without asking whether it grew
_GENERIC_CHARS = frozenset("".join(INDUSTRY_WORDS)) | frozenset("中国省市县区")
REGION_FACTOR = 0.3  # a place says less than a brand …
INDUSTRY_FACTOR = 0.6  # … and so does an industry word
BRAND_SHARE = 0.5  # a match needs at least this (weighted) share of both brands …
BRAND_SHARE_FULL = 0.75  # … and this much between two legal names
BRAND_WHOLE = 0.6  # a short name that is a name's whole brand covers it at least this much
BRAND_SAME = 0.8  # … and this much when all it typed is found and its brand is that brand …
BRAND_SAME_POINTS = 3.0  # … with these points more: of two names, the one whose 字号 was typed
GUESSED_PLACE = 5.0  # points off a reading that took a first character for a place
CONTAINED_MIN = 3  # a short name of this many characters written whole in a name …
CONTAINED_FLOOR = 76.0  # … scores at least this, plus the rest in proportion to what it covers
NOT_THE_SAME = Decimal("60.00")  # the ceiling of a pair with a conflict or different brands


def char_weights(sample: Iterable[str]) -> Callable[[str], float]:
    """The weight of each character given a sample of registered names (see above)."""
    counts: Counter[str] = Counter()
    size = 0
    for name in sample:
        counts.update(set(name))
        size += 1

    def weight(ch: str) -> float:
        prior = PRIOR_GENERIC if ch in _GENERIC_CHARS else PRIOR_OTHER
        return -math.log((counts[ch] + PRIOR_NAMES * prior) / (size + PRIOR_NAMES))

    return weight


_rarity_cache: dict[str, tuple[float, int, Callable[[str], float]]] = {}
_rarity_checked: dict[str, float] = {}  # when each connection's cached weights were last checked


def registry_weights() -> Callable[[str], float]:
    """Character weights from the registry: all its names when it has at most RARITY_SMALL,
    else a sample of RARITY_SAMPLE_WINDOWS id windows spread over it, kept per process for
    COMMON_CACHE_SECONDS or until the registry grows by a tenth (checked after
    RARITY_TRUSTED_SECONDS: the check costs two queries a lookup)."""
    now = time.monotonic()
    hit = _rarity_cache.get(connection.alias)
    if (
        hit is not None
        and hit[1] >= RARITY_TRUSTED_NAMES
        and now - _rarity_checked.get(connection.alias, 0.0) < RARITY_TRUSTED_SECONDS
    ):
        # A large registry checked in the last minute: not even asked whether it grew.
        return hit[2]
    ids = CustomerName.objects.order_by("id").values_list("id", flat=True)
    if not ids[RARITY_SMALL : RARITY_SMALL + 1]:
        return char_weights(CustomerName.objects.values_list("normalized", flat=True))
    last = CustomerName.objects.order_by("-id").values_list("id", flat=True).first() or 0
    _rarity_checked[connection.alias] = now
    if hit is not None and now - hit[0] < COMMON_CACHE_SECONDS and last < hit[1] * 1.1:
        return hit[2]
    step = last // RARITY_SAMPLE_WINDOWS
    window = Q()
    for k in range(RARITY_SAMPLE_WINDOWS):
        window |= Q(id__gt=k * step, id__lte=k * step + RARITY_WINDOW)
    weights = char_weights(CustomerName.objects.filter(window).values_list("normalized", flat=True))
    _rarity_cache[connection.alias] = (now, last, weights)
    return weights


@dataclass(frozen=True)
class Assessment:
    """How alike two company names are (:func:`assess`)."""

    score: Decimal
    steps: tuple[Step, ...]
    # Numbers, places or brands say these are two companies (the score is then at most 60).
    conflict: bool = False


def _number_conflict(query: NameParts, name: NameParts) -> tuple[str, str] | None:
    mine, theirs = set(numbers(query.text)), set(numbers(name.text))
    if mine and theirs and not (mine <= theirs or theirs <= mine):
        return "、".join(sorted(mine)), "、".join(sorted(theirs))
    return None


def _segments(
    parts: NameParts, with_regions: bool, industry_factor: float, lead: int = 0
) -> list[tuple[int, int, float]]:
    """(start, end, factor) of each segment of `parts.text` (or of its core): each place, the
    brand in pieces of two characters, each industry word; the first `lead` characters of the
    brand weigh as an industry word (a parent's name before the 字号: 紫光 of 紫光古汉)."""
    out: list[tuple[int, int, float]] = []
    at = 0
    for region in parts.regions:
        if with_regions:
            out.append((at, at + len(region), REGION_FACTOR))
            at += len(region)
    if lead:
        out.append((at, at + lead, industry_factor))
    for i in range(lead, len(parts.brand), 2):
        out.append((at + i, at + min(i + 2, len(parts.brand)), 1.0))
    at += len(parts.brand)
    for word in parts.industry:
        out.append((at, at + len(word), industry_factor))
        at += len(word)
    return out


def _share(
    text: str,
    segments: list[tuple[int, int, float]],
    hit: set[int],
    weight: Callable[[str], float],
    *,
    initials: bool = False,
    whole: tuple[int, int] | None = None,
) -> float:
    """The weighted share of `segments` matched: by character; with `initials`, a segment whose
    first character is matched counts at least 3/4 (an abbreviation takes the first characters
    of words); the characters in `whole` count as matched."""
    total = got = 0.0
    for start, end, factor in segments:
        weights = [weight(text[i]) * factor for i in range(start, end)]
        seg_total = sum(weights)
        seg_got = sum(
            w
            for i, w in zip(range(start, end), weights, strict=True)
            if i in hit or (whole is not None and whole[0] <= i < whole[1])
        )
        if initials and start in hit:
            seg_got = max(seg_got, 0.75 * seg_total)
        total += seg_total
        got += seg_got
    return got / total if total else 0.0


def align(query: str, name: str, starts: set[int]) -> tuple[set[int], set[int]]:
    """The characters of `query` and `name` matched in order: a common subsequence that prefers
    the first characters of the name's segments (`starts`) — 国航 takes the 国 of 国际, not the
    one of 中国, in 中国国际航空 — and, among equals, the longest one."""
    rows, cols = len(query), len(name)
    # best[i][j]: (matches, initials) aligning query[:i] with name[:j]
    best = [[(0, 0)] * (cols + 1) for _ in range(rows + 1)]
    for i in range(1, rows + 1):
        for j in range(1, cols + 1):
            cell = max(best[i - 1][j], best[i][j - 1])
            if query[i - 1] == name[j - 1]:
                matches, initials = best[i - 1][j - 1]
                cell = max(cell, (matches + 1, initials + ((j - 1) in starts)))
            best[i][j] = cell
    matched_q: set[int] = set()
    matched_n: set[int] = set()
    i, j = rows, cols
    while i and j:
        if best[i][j] == best[i - 1][j]:
            i -= 1
        elif best[i][j] == best[i][j - 1]:
            j -= 1
        else:
            matched_q.add(i - 1)
            matched_n.add(j - 1)
            i, j = i - 1, j - 1
    return matched_q, matched_n


def assess(
    query: NameParts, name: NameParts, weight: Callable[[str], float], *, guessed: bool = False
) -> Assessment:
    """Score (0–100) how likely `query` names the same company as `name`, with the steps.

    1. Numbers (digits, letters, CJK numerals and ordinals) that differ → two companies.
    2. Places on both sides with none in common → two companies.
    3. The two names are aligned (longest common subsequence): the places only when both have
       one, otherwise the names without them. Each character weighs its rarity (registry),
       × REGION_FACTOR in a place and, unless both are legal names, × INDUSTRY_FACTOR in an
       industry word.
    4. typed = weighted share of the query's characters found in the name, in order;
       covered = weighted share of the name's segments (each place, each two characters of
       the brand, each industry word) reached: a segment counts by the share of its
       characters matched, at least 3/4 when its first character is (an abbreviation takes
       the first characters of words: 国航 = 中国国际航空). A short name that is the start of
       the name's brand (探路者 for 探路者户外用品) covers the whole brand: it is the 字号.
    5. Both brands must be matched for at least BRAND_SHARE of their weight — BRAND_SHARE_FULL
       when the query is a legal name, which is complete — or the names are two companies
       (方大集团 / 百大集团; 力合 is not 力澜合). For a short name the name's brand counts in
       pieces of two, each at least 3/4 when its first character is matched (马钢 = 马鞍山钢铁).
    6. score = (typed + covered) / 2 × 100, less GUESSED_PLACE when the query's place was read
       from a one-character abbreviation (`guessed`: 深振业 read as 深圳振业). A short name whose
       brand is the name's brand, all of it found, covers at least BRAND_SAME and scores
       BRAND_SAME_POINTS more (at most 100): the 字号 typed beats an abbreviation of another.
    7. A short name of CONTAINED_MIN characters or more written whole in the name (互动娱乐 in
       星辉互动娱乐) scores at least CONTAINED_FLOOR, plus the rest in proportion to what it
       covers.
    Scores of two companies are held at or below NOT_THE_SAME (60)."""
    steps: list[Step] = []
    conflict = _number_conflict(query, name)
    if conflict:
        steps.append(
            Step(
                f"数字或序号不同：{conflict[0]} / {conflict[1]}，是两家公司",
                f"numbers differ: {conflict[0]} / {conflict[1]}",
            )
        )
        return Assessment(Decimal("0.00"), tuple(steps), conflict=True)
    mine, theirs = places(query.regions), places(name.regions)
    if mine and theirs and not mine & theirs:
        where = f"{'、'.join(query.regions)} / {'、'.join(name.regions)}"
        steps.append(Step(f"地域不同：{where}，是两家公司", f"places differ: {where}"))
        return Assessment(Decimal("0.00"), tuple(steps), conflict=True)
    legal = query.full and name.full
    industry_factor = 1.0 if legal else INDUSTRY_FACTOR
    # What was typed must be found: the query's places count unless only the name has one (a
    # short name leaves the place out); the name's places count when both have one.
    both = bool(mine and theirs)
    # A place read from one character (深 of 深康佳) was hardly typed: it counts only when the
    # name has a place too.
    typed_place = bool(mine) and (both or not guessed)
    q_text = query.text if typed_place else query.core
    n_text = name.text if both else name.core
    starts = {start for start, _end, _f in _segments(name, both, 1.0)}
    matched_q, matched_n = align(q_text, n_text, starts)
    at_q = len(q_text) - len(query.core)
    at_n = len(n_text) - len(name.core)
    prefix = (
        not query.full
        and len(query.brand) >= 2
        and len(name.brand) > len(query.brand)
        and name.brand.startswith(query.brand)
        and all(i in matched_n for i in range(at_n, at_n + len(query.brand)))
    )
    if prefix:
        # 探路者 for 探路者户外用品: the typed start is the 字号, the rest of the name's brand
        # describes its business and weighs as an industry word.
        name = NameParts(
            name.regions,
            query.brand,
            (name.brand[len(query.brand) :], *name.industry),
            name.full,
        )
    end = at_n + len(name.brand)
    suffix = (
        not prefix
        and not query.full
        and len(query.brand) >= 2
        and len(name.brand) > len(query.brand)
        and name.brand.endswith(query.brand)
        and all(i in matched_n for i in range(end - len(query.brand), end))
    )
    # 古汉 for 紫光古汉集团, 美利 for 中冶美利: the typed end is the 字号, the start a parent's.
    lead = len(name.brand) - len(query.brand) if suffix else 0
    brand_n = (at_n + lead, end)
    typed = _share(q_text, _segments(query, typed_place, industry_factor), matched_q, weight)
    covered = _share(
        n_text,
        _segments(name, both, industry_factor, lead),
        matched_n,
        weight,
        initials=not legal,
    )
    brand_typed = _share(q_text, [(at_q, at_q + len(query.brand), 1.0)], matched_q, weight)
    # The name's brand in pieces of two: an abbreviation takes the first character of each
    # (湘电 = 湘潭电机, 广汽 = 广州汽车).
    brand_pieces = [(i, min(i + 2, brand_n[1]), 1.0) for i in range(brand_n[0], brand_n[1], 2)]
    brand_covered = _share(n_text, brand_pieces, matched_n, weight, initials=not legal)
    if not query.full and min(brand_typed, brand_covered) >= 1.0 and covered < BRAND_WHOLE:
        # 天奇股份 for 天奇自动化工程: the name's whole 字号 typed, and nothing else.
        steps.append(
            Step(
                f"输入的正是其完整字号：按覆盖 {BRAND_WHOLE:.0%} 计",
                f"the whole brand typed: the name counts as {BRAND_WHOLE:.0%} covered",
            )
        )
        covered = BRAND_WHOLE
    same_brand = (
        not query.full
        and not prefix
        and not guessed
        and len(query.brand) >= 2
        and query.brand == name.brand
        and typed >= 0.999
    )
    if same_brand:
        # 万科 for 万科企业 rather than 万安科技; 东方通 for 东方通科技 rather than 东方通信.
        covered = max(covered, BRAND_SAME)
        steps.append(
            Step(
                f"字号 {name.brand} 即所输入的字号：覆盖至少按 {BRAND_SAME:.0%} 计，"
                f"最后另加 {BRAND_SAME_POINTS:g} 分",
                f"its brand {name.brand} is the brand typed: at least {BRAND_SAME:.0%} covered, "
                f"{BRAND_SAME_POINTS:g} points more at the end",
            )
        )
    raw = (typed + covered) / 2 * 100 - (GUESSED_PLACE if guessed else 0.0)
    value = Decimal(str(round(max(raw, 0.0), 2))).quantize(Decimal("0.01"))
    start = Step("", "")
    if prefix:
        start = Step("（为其字号开头）", " (the start of its brand)")
    elif suffix:
        start = Step("（为其字号结尾）", " (the end of its brand)")
    steps.append(
        Step(
            f"字号 {query.brand} / {name.brand}：相符 {brand_typed:.0%} / {brand_covered:.0%}"
            + start.zh,
            f"brand {query.brand} / {name.brand}: {brand_typed:.0%} / {brand_covered:.0%} matched"
            + start.en,
        )
    )
    steps.append(
        Step(
            f"输入的 {typed:.0%} 见于该名称，该名称 {covered:.0%} 被覆盖 → {value}",
            f"typed {typed:.0%} found, name {covered:.0%} covered → {value}",
        )
    )
    differ = min(brand_typed, brand_covered) < (BRAND_SHARE_FULL if query.full else BRAND_SHARE)
    if differ:
        steps.append(Step(f"字号不同：至多 {NOT_THE_SAME}", "brands differ"))
        value = min(value, NOT_THE_SAME)
    contained = not query.full and not guessed and len(query.core) >= CONTAINED_MIN
    if contained and query.core in name.text:
        # A short name found whole in the name (互动娱乐 in 星辉互动娱乐): at least possible.
        floor = Decimal(str(round(CONTAINED_FLOOR + (100 - CONTAINED_FLOOR) * covered, 2)))
        if floor > value:
            value = floor.quantize(Decimal("0.01"))
            steps.append(
                Step(
                    f"简称完整出现在该名称中 → {value}",
                    f"the short name is written whole in the name → {value}",
                )
            )
            differ = False
    if same_brand and not differ:
        value = min(value + Decimal(str(BRAND_SAME_POINTS)), HUNDRED)
        steps.append(Step(f"字号相同 → {value}", f"the same brand → {value}"))
    return Assessment(value, tuple(steps), conflict=differ)


@functools.lru_cache(maxsize=4096)
def readings(query: str) -> tuple[NameParts, ...]:
    """The ways to read a submitted name: as written, and — when it starts with a one-character
    place abbreviation (深振业, 粤高速, 杭锅) and has no place — with that place written out: as
    one name (深圳振业, 广东高速), and where that makes the place part of the brand (广东水电) or
    leaves one character (杭州锅), as the place and the rest read alone (广东 + 水电, 杭州 + 锅:
    the key of 杭州锅炉集团 lost its place)."""
    parts = parse(query)
    out = [parts]
    core = parts.core
    if (
        not parts.full
        and not parts.regions
        and len(core) >= 2
        and core[0] in REGION_ABBREVIATIONS
        and not starts_with_place(core)
    ):
        place = REGION_ABBREVIATIONS[core[0]]
        whole = parse(place + core[1:])
        if len(core) >= 3:
            out.append(whole)
        if not whole.regions or len(core) == 2:
            out.append(_placed(place, core[1:]))
    return tuple(out)


def _placed(place: str, rest: str) -> NameParts:
    """`rest` read alone, with `place` as its place (a reading: 杭州 + 锅 for 杭锅)."""
    parts = parse(rest)
    return NameParts((place,), parts.brand, parts.industry, False)


def best_assessment(query: str, name: str, weight: Callable[[str], float]) -> Assessment:
    """The best assessment of `name` over the readings of `query`, and — when `name` has a
    place and `query` none but starts with the place's first character (大冷 for 大连冷冻机,
    江特 for 江西特种电机) — of that place and the rest of `query` (a guess, as in
    :func:`readings`)."""
    target = parse(name)
    options = readings(query)
    found = [assess(r, target, weight, guessed=k > 0) for k, r in enumerate(options)]
    first = options[0]
    if (
        target.regions
        and not first.full
        and not first.regions
        and len(first.core) >= 2
        and first.core[0] == target.regions[0][0]
        and not any(target.regions[0] in r.regions for r in options[1:])
    ):
        placed = _placed(target.regions[0], first.core[1:])
        found.append(assess(placed, target, weight, guessed=True))
    return max(found, key=lambda a: a.score)


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


def _like(text: str) -> str:
    """`text` with LIKE's wildcards and escape character escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_pattern(text: str) -> str:
    return f"%{_like(text)}%"


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
    names, common = _rare_rows(
        grams,
        fts_table="customers_customername_fts",
        pg_condition="normalized LIKE %s",
        pg_value=_like_pattern,
        most=COMMON_TRIGRAM_NAMES,
    )
    return names, {grams[k] for k in common}


def _rare_rows(
    keys: list[str],
    *,
    fts_table: str,
    pg_condition: str,
    pg_value: Callable[[str], str],
    most: int,
) -> tuple[dict[int, str], set[int]]:
    """Ask an n-gram index for the names holding each of `keys` (at most `most` + 1 each, in
    one statement): SQLite, the FTS5 table `fts_table`; PostgreSQL, `pg_condition` with
    `pg_value(key)`. Returns the names of the keys with at most `most` names, and the indexes
    in `keys` of those with more (common ones)."""
    limit = most + 1
    params: list[int | str] = []
    # `fts_table` and `pg_condition` are this module's constants; every value is a parameter.
    if connection.vendor == "sqlite":
        part = (
            "SELECT %s, c.id, c.normalized FROM customers_customername c "  # noqa: S608
            f"WHERE c.id IN (SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s LIMIT %s)"
        )
        for k, key in enumerate(keys):
            params += [k, _fts_phrase(key), limit]
    else:
        part = (
            "(SELECT %s, id, normalized FROM customers_customername "  # noqa: S608
            f"WHERE {pg_condition} LIMIT %s)"
        )
        for k, key in enumerate(keys):
            params += [k, pg_value(key), limit]
    sql = " UNION ALL ".join([part] * len(keys))
    per_key: dict[int, list[tuple[int, str]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for k, pk, name in cursor.fetchall():
            per_key.setdefault(k, []).append((pk, name))
    names: dict[int, str] = {}
    common: set[int] = set()
    for k, rows in per_key.items():
        if len(rows) > most:
            common.add(k)
        else:
            names.update(rows)
    return names, common


COMMON_BIGRAM_NAMES = 200  # a bigram in more names than this is common: not fetched
BIGRAM_QUERY_MAX = 8  # only names of up to this many characters ask the bigram index …
MAX_BIGRAMS = 6  # … for at most this many of their bigrams


def query_bigrams(normalized: str) -> list[str]:
    """The bigrams of a short name worth asking the bigram index for: distinct, of letters and
    digits only, not two characters of industry words or places (科技, 股份, 中国)."""
    if len(normalized) > BIGRAM_QUERY_MAX:
        return []
    seen: dict[str, None] = {}
    for i in range(len(normalized) - 1):
        pair = normalized[i : i + 2]
        if pair.isalnum() and not (pair[0] in _GENERIC_CHARS and pair[1] in _GENERIC_CHARS):
            seen.setdefault(pair, None)
    return list(seen)[:MAX_BIGRAMS]


def _rare_bigram_names(normalized: str) -> dict[int, str]:
    """The names containing a rare bigram of a short `normalized` (migration 0011): 古汉 in
    紫光古汉集团, which no trigram of 古汉 can find."""
    pairs = query_bigrams(normalized)
    if not pairs or connection.vendor not in ("sqlite", "postgresql"):
        return {}
    return _rare_rows(
        pairs,
        fts_table="customers_customername_bigram",
        pg_condition="huoban_bigrams(normalized) @> ARRAY[%s]::text[]",
        pg_value=str,
        most=COMMON_BIGRAM_NAMES,
    )[0]


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
            # The trigram table of migration 0013: an index-only scan of its primary key.
            cursor.execute(
                "SELECT name_id FROM customers_nametrigram WHERE trigram = %s "
                "ORDER BY len, name_id LIMIT %s",
                [trigram, CANDIDATE_LIMIT],
            )
        return [row[0] for row in cursor.fetchall()]


# trigram → (when filled, the last name id then, the shortest names containing it)
_shortest_cache: dict[str, tuple[float, int, list[int]]] = {}


def clear_common_trigram_cache() -> None:
    """Forget what this process keeps of the registry: common trigrams' names, weights."""
    _shortest_cache.clear()
    _rarity_cache.clear()
    _rarity_checked.clear()


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


PLACED_LIMIT = 10  # names found across a submitted place's end that are assessed
AMBIGUOUS_SHOWN = 4  # other customers named beside the best in a possible answer
AMBIGUOUS_MARGIN = 8.0  # a certain answer with another customer this close is only possible
SUBSEQUENCE_MAX = 8  # names of up to this many characters are also read as abbreviations
SUBSEQUENCE_LIMIT = 100  # names fetched for each abbreviation pattern


def _subsequence_patterns(query: str) -> list[tuple[str, str]]:
    """The abbreviation patterns of a short submitted name, as (literal start, characters that
    follow in order): its core and its brand anchored on their first character (中国石化 →
    中, 国石化: matches 中国石油化工), also behind a literal 中国 (南玻 → 中国南, 玻), for every
    reading. A legal name is complete: it has none."""
    first = parse(query)
    if first.full:
        return []
    out: dict[tuple[str, str], None] = {}
    if not first.regions and 2 <= len(first.core) <= SUBSEQUENCE_MAX:
        if first.core[0] in PLACE_INITIALS and not starts_with_place(first.core):
            # 大冷 for 大连冷冻机 (key 冷冻机): the names whose key starts with what follows a
            # place's first character (best_assessment reads the place back).
            out.setdefault((first.core[1], first.core[2:]), None)
    for k, reading in enumerate(readings(query)):
        # A reading with its place read from one character may leave one (杭锅 → 杭州 + 锅):
        # the names whose key starts with it.
        shortest = 1 if k and reading.regions else 2
        for text in (reading.core, reading.brand):
            if shortest <= len(text) <= SUBSEQUENCE_MAX:
                out.setdefault((text[0], text[1:]), None)
                if not text.startswith("中国"):
                    out.setdefault(("中国" + text[0], text[1:]), None)
    return list(out)


def _glob(chars: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in chars)


def _in_order(start: str, rest: str, escape: Callable[[str], str], anything: str) -> str:
    """The pattern of a name that starts with `start` and holds the characters of `rest` in
    order: 中国南, 玻 → 中国南*玻* (GLOB) or 中国南%玻% (LIKE)."""
    return escape(start) + anything + "".join(escape(c) + anything for c in rest)


def _subsequence_names(query: str) -> dict[int, str]:
    """Names that start with a pattern's literal start and hold its other characters in order
    (index range scans on the literal start: GLOB on SQLite, LIKE through the pattern index on
    PostgreSQL)."""
    patterns = _subsequence_patterns(query)
    if not patterns or connection.vendor not in ("sqlite", "postgresql"):
        return {}
    params: list[int | str] = []
    if connection.vendor == "sqlite":
        part = (
            "SELECT * FROM (SELECT id, normalized FROM customers_customername "
            "WHERE normalized GLOB %s LIMIT %s)"
        )
        for start, rest in patterns:
            params += [_in_order(start, rest, _glob, "*"), SUBSEQUENCE_LIMIT]
    else:
        # Ordered by the pattern index's own order, the scan is that index's, index-only
        # (migration 0012): unordered, the planner reads the table through the trigram index
        # or in full (~10–100 ms for a common first character at a million names).
        part = (
            "(SELECT id, normalized FROM customers_customername WHERE normalized::text LIKE %s "
            "ORDER BY normalized::text USING ~<~ LIMIT %s)"
        )
        for start, rest in patterns:
            params += [_in_order(start, rest, _like, "%"), SUBSEQUENCE_LIMIT]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([part] * len(patterns)), params)
        return dict(cursor.fetchall())


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
    pool.update(_rare_bigram_names(normalized))
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


def same_key_conflict(query: str, name: str) -> bool:
    """True when two names with the same key are two companies all the same: their numbers,
    places or brands differ (issue #13)."""
    return best_assessment(query, name, registry_weights()).conflict


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

    same, different = judged(normalized)
    if same is not None:
        customer = Customer.objects.get(pk=same)
        if not _uscc_conflicts(customer, code):
            return Match("exact", customer, HUNDRED, "officer decision (same customer)")
    weight = registry_weights()
    high, low = _threshold("MATCH_HIGH"), _threshold("MATCH_LOW")
    same_names = (
        CustomerName.objects.filter(normalized=normalized)
        .select_related("customer")
        .order_by("id")[:CANDIDATE_LIMIT]
    )
    for same_name in same_names:
        if same_name.customer_id in different:
            continue
        # The same key is the same company unless the names' numbers, places or brands say
        # otherwise (…第一建筑 and …第二建筑 share the key 建筑 once both numbers are gone).
        if best_assessment(name, same_name.name, weight).conflict:
            continue
        if _uscc_conflicts(same_name.customer, code):
            return Match("possible", same_name.customer, HUNDRED, "same name, different USCC")
        return Match("exact", same_name.customer, HUNDRED, f"normalised name ({same_name.kind})")

    pool = dict(candidates(normalized))
    with_place = normalize_name_keep_place(name)
    if with_place != normalized and with_place.endswith(normalized):
        # 长春高新 is keyed 高新; 长春高新技术产业集团 keeps its place (高新技术 alone is no brand):
        # the names with a rare trigram across the place's end.
        across = with_place[: len(with_place) - len(normalized) + 2]
        placed = sorted(
            _rare_trigram_names(across)[0].items(),
            key=lambda row: (-_similarity(with_place, row[1]), row[0]),
        )
        pool.update(placed[:PLACED_LIMIT])
    # Abbreviation candidates are ranked like the others, and only the best CANDIDATE_LIMIT are
    # assessed: a pattern on a common first character brings hundreds.
    # (by the best of the readings: 杭州锅 for 杭锅)
    texts = {normalized, normalized[1:], *(reading.text for reading in readings(name)[1:])}
    abbreviations = sorted(
        _subsequence_names(name).items(),
        key=lambda row: (-max(_similarity(text, row[1]) for text in texts), row[0]),
    )
    pool.update(abbreviations[:CANDIDATE_LIMIT])
    if not pool:
        return Match("none", None, None, "no candidate")
    # The best score of each customer; among equal scores its oldest name (lowest id).
    per_customer: dict[int, tuple[Decimal, int, Assessment]] = {}
    rows = CustomerName.objects.filter(pk__in=list(pool)).exclude(customer_id__in=different)
    for pk, customer_id, stored in rows.values_list("id", "customer_id", "name"):
        found = best_assessment(name, stored, weight)
        kept = per_customer.get(customer_id)
        if kept is None or (-found.score, pk) < (-kept[0], kept[1]):
            per_customer[customer_id] = (found.score, pk, found)
    if not per_customer:
        return Match("none", None, None, "no candidate")
    # The best customer wins; among equal scores the one with the oldest name.
    ranked = sorted(per_customer.values(), key=lambda kept: (-kept[0], kept[1]))
    best_score, best_pk, assessment = ranked[0]
    row = CustomerName.objects.select_related("customer").get(pk=best_pk)
    reason = f"fuzzy ({row.kind}: {row.name})"
    close = best_score - Decimal(str(AMBIGUOUS_MARGIN))
    beside = [
        kept
        for kept in ranked[1 : AMBIGUOUS_SHOWN + 1]
        if kept[0] >= high or kept[0] >= max(low, close)
    ]
    if beside:
        # Two customers both certain (天山股份: 天山水泥 and 天山钢铁), or one certain and
        # another close behind (万科: 万科企业 93, 万安科技 87.5): an officer decides; binding
        # the lead to the wrong one would give it to the wrong owner. Below the high threshold
        # the answer is possible anyway: the customers close behind are named too, so that the
        # officer can choose the right one (D-ATT-13-6).
        certain = best_score >= high
        others = CustomerName.objects.select_related("customer").in_bulk([k[1] for k in beside])
        steps = list(assessment.steps)
        for other_score, other_pk, _ in beside:
            other = others[other_pk]
            steps.append(
                Step(
                    f"另一客户 {other.name} 也达 {other_score}：须人工判断",
                    f"another customer, {other.name}, also scores {other_score}: "
                    "an officer decides",
                )
                if certain
                else Step(
                    f"另一客户 {other.name} 得 {other_score}：一并列出",
                    f"another customer, {other.name}, scores {other_score}: named too",
                )
            )
        also = tuple(others[k[1]].customer for k in beside)
        return Match(
            "possible",
            row.customer,
            best_score,
            f"ambiguous ({reason})" if certain else reason,
            tuple(steps),
            also,
        )
    if best_score >= high and not _uscc_conflicts(row.customer, code):
        return Match("exact", row.customer, best_score, reason, assessment.steps)
    if best_score >= low:
        return Match("possible", row.customer, best_score, reason, assessment.steps)
    return Match("none", None, best_score, "below the low threshold", assessment.steps)
