"""A deterministic synthetic data set for the scale benchmarks (``huoban bench-data``).

At ``--scale 1``: 10,000 partners, 1,000,000 customers with Chinese company names (legal name,
about a third with a short name 简称, some with a former name 曾用名), 300,000 projects and
1,000,000 customer payments (refunds included), plus what makes them consistent: one partner
user per partner, one valid lead and one attribution per owned customer, six milestones per
project. The ledger is left empty: ``bench/settlement.py`` builds it from these events.

Everything follows from the seed: the same ``--scale`` and ``--seed`` give the same rows. Rows
are written in bulk — ``executemany`` on SQLite (one transaction per table, the FTS5 name
index kept in step by its triggers), ``COPY`` on PostgreSQL — with primary keys assigned here so
foreign keys are arithmetic and nothing is read back. Generation streams: no table is held in
memory, only per-partner counters and the partner tier list.

Not for production databases: :func:`generate` refuses a database that already has partners.
The random numbers only shape synthetic data, so ``random`` (not ``secrets``) is right here.
"""

# ruff: noqa: S311

from __future__ import annotations

import datetime as dt
import importlib
import json
import math
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction

from huoban import explain
from huoban.accounts.models import User
from huoban.bulk import db_datetime, insert_rows
from huoban.customers.models import Attribution, Contact, Customer, CustomerName
from huoban.customers.normalize import head2, normalize_name
from huoban.leads.models import Lead
from huoban.money import cny
from huoban.partners.models import Partner
from huoban.projects.models import CustomerPayment, Milestone, Project, Stage
from huoban.terms import rules
from huoban.terms.models import PolicyVersion
from huoban.uscc import check_character

__all__ = ["BENCH_PASSWORD", "Sizes", "generate", "partner_username", "sizes_for"]

BENCH_PASSWORD = "huoban-bench-2026"  # every generated user's password (benchmark data only)
BASE = {"partners": 10_000, "customers": 1_000_000, "projects": 300_000, "payments": 1_000_000}
OWNED_SHARE = 0.4  # customers with an owner (a valid lead and an attribution)
START = dt.date(2023, 1, 1)
END = dt.date(2026, 10, 31)  # last signing / payment day of the generated history
EPOCH = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)

REGIONS = (
    "北京", "上海", "天津", "重庆", "广州", "深圳", "杭州", "南京", "苏州", "成都", "武汉",
    "西安", "长沙", "郑州", "济南", "青岛", "合肥", "福州", "厦门", "宁波", "无锡", "东莞",
    "佛山", "昆明", "贵阳", "南宁", "沈阳", "大连", "哈尔滨", "长春", "石家庄", "太原", "南昌",
    "兰州", "呼和浩特", "海口", "银川", "西宁", "珠海", "温州",
)  # fmt: skip
# Characters of 字号 (trade names); none is a place name, so normalisation keeps them.
CORE_CHARS = (
    "华中鑫金恒盛达信通宏源泰安新科智云联博创星辰宇汇嘉瑞祥丰德正明光阳东方建美富兴隆昌和"
    "福永长久康宁润泽诚远航腾飞龙凤鹏锦鼎峰越卓思维睿捷迅讯数码易优佳百万千亿合力能电物"
    "商贸工实品精艺景晟昊晨曦灵动赢耀启元沃森朗驰骏铭轩逸澜涛清蓝绿红紫青白天地人文武"
    "众诺瀚海川河山林木森石磊晶璟琪琳璐瑶丹彤若雅致臻微芯算链点线面道行知"
)
INDUSTRIES = (
    "科技", "信息技术", "网络科技", "软件", "数据科技", "智能科技", "电子商务", "物流", "贸易",
    "实业", "建设工程", "医疗器械", "生物科技", "新能源", "环保科技", "文化传媒", "教育科技",
    "餐饮管理", "供应链管理", "企业管理咨询", "电气", "机械制造", "材料科技", "食品",
    "农业发展", "汽车服务", "房地产开发", "物业管理", "金融信息服务", "人力资源", "广告",
    "设计", "装饰工程", "通信技术", "云计算", "半导体", "光电科技", "仪器仪表", "化工", "纺织",
    "服饰", "家居", "酒店管理", "旅游发展", "体育发展", "健康管理", "药业", "检测技术",
    "安防科技", "航空科技",
)  # fmt: skip
SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司", "集团有限公司")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志斌浩宇晨欣怡"
CATEGORIES = (
    ("digitalization", "erp_oa_upgrade"),
    ("xinchuang", "xinchuang_adaptation"),
    ("ai", "smart_customer_service"),
    ("brand", "vi_design"),
    ("industry", "vertical_system"),
)
HIGH_MARGIN = ("ai_custom", "xinchuang", "gov_turnkey")
STAGES = [s.value for s in Stage]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class Sizes:
    partners: int
    customers: int
    projects: int
    payments: int


def sizes_for(scale: float) -> Sizes:
    """Row counts for ``scale`` (1 = the issue's data set); at least a handful of each."""
    return Sizes(
        **{k: max(10 if k == "partners" else 30, round(v * scale)) for k, v in BASE.items()}
    )


def partner_code(i: int) -> str:
    return f"P{i:05d}"


def partner_username(code: str) -> str:
    return f"bench_{code.lower()}"


# --- writing ---------------------------------------------------------------------------------


@dataclass
class Writer:
    """Counts what :func:`huoban.bulk.insert_rows` writes, one transaction per call."""

    stats: dict[str, int] = field(default_factory=dict)

    def write(self, model: type[models.Model], given: Sequence[str], rows: Iterable[tuple]) -> int:
        with transaction.atomic():
            n = insert_rows(model, given, rows)
        table = model._meta.db_table
        self.stats[table] = self.stats.get(table, 0) + n
        return n


_ts = db_datetime


def _day(offset: int) -> dt.date:
    return START + dt.timedelta(days=offset)


# --- names -----------------------------------------------------------------------------------


class Names:
    """Unique customer names from a bijection: index → (two-character 字号, industry, third char).

    An affine permutation of the index space spreads consecutive customers over the whole space;
    the normalised form (字号 + industry, region and legal-form suffix removed) is unique by
    construction, and :func:`generate` checks it with ``normalize_name`` as rows are written.
    """

    def __init__(self, count: int, rng: random.Random) -> None:
        chars = CORE_CHARS
        self.pairs = [a + b for a in chars for b in chars if a != b]
        self.space = len(self.pairs) * len(INDUSTRIES) * (1 + len(chars))
        if count > self.space:
            raise ValueError(f"at most {self.space} customer names")
        self.a = self._coprime(self.space, rng)
        self.b = rng.randrange(self.space)
        self.chars = chars

    @staticmethod
    def _coprime(n: int, rng: random.Random) -> int:
        while True:
            a = rng.randrange(n // 3, n)
            if math.gcd(a, n) == 1:
                return a

    def parts(self, i: int) -> tuple[str, str]:
        """(字号, industry) of customer ``i``; a third 字号 character for most of the space."""
        j = (self.a * i + self.b) % self.space
        j, k = divmod(j, len(INDUSTRIES))
        j, extra = divmod(j, 1 + len(self.chars))
        core = self.pairs[j] + (self.chars[extra - 1] if extra else "")
        return core, INDUSTRIES[k]


def _uscc(i: int, salt: int) -> str:
    """A valid, unique unified social credit code for number ``i`` (GB 32100-2015)."""
    body = []
    n = i * 7919 + salt
    for _ in range(9):
        n, r = divmod(n, 31)
        body.append(USCC_ALPHABET[r])
    region = f"{110000 + (i % 400) * 100:06d}"
    first17 = "91" + region + "".join(body)
    return first17 + check_character(first17)


# --- the generator ---------------------------------------------------------------------------


@dataclass
class Report:
    sizes: Sizes
    rows: dict[str, int]
    seconds: float
    phases: list[tuple[str, float]]

    def lines(self) -> list[str]:
        out = [
            f"bench-data: {self.sizes.partners} partners, {self.sizes.customers} customers, "
            f"{self.sizes.projects} projects, {self.sizes.payments} payments "
            f"in {self.seconds:.1f} s ({connection.vendor})"
        ]
        out += [f"  {name:<28} {secs:7.1f} s" for name, secs in self.phases]
        out += [f"  rows {table:<33} {n:>10}" for table, n in sorted(self.rows.items())]
        return out


def generate(
    scale: float = 1.0, seed: int = 2026, progress: Callable[[str], None] | None = None
) -> Report:
    """Write the data set for ``scale`` into an empty database (refuses one with partners)."""
    if Partner.objects.exists():
        raise RuntimeError(
            "bench-data needs an empty database (this one has partners): point HUOBAN_DATA_DIR "
            "or DATABASE_URL at a new one"
        )
    sizes = sizes_for(scale)
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    phases: list[tuple[str, float]] = []
    writer = Writer()
    policy_row = PolicyVersion.objects.order_by("version").first()
    if policy_row is None:
        raise RuntimeError("no policy version: run the migrations first")
    policy = policy_row.to_policy()

    def phase(name: str, fn: Callable[[], None]) -> None:
        t = time.perf_counter()
        fn()
        phases.append((name, time.perf_counter() - t))
        say(f"{name}: {phases[-1][1]:.1f} s")

    # A bulk load of a new database: no fsync per transaction (it is regenerated if lost),
    # and a large page cache. Not possible (nor needed) inside a caller's transaction.
    tune = connection.vendor == "sqlite" and not connection.in_atomic_block
    if tune:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")  # 256 MB page cache for the load

    plan = _Plan(sizes, seed)
    phase("partners and users", lambda: _partners(writer, plan))
    phase("customers and names", lambda: _customers(writer, plan))
    phase("leads and attributions", lambda: _leads(writer, plan))
    phase("projects and milestones", lambda: _projects(writer, plan, policy_row.pk, policy))
    phase("payments", lambda: _payments(writer, plan))
    phase("sequences and statistics", _finish)
    if tune:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=NORMAL")
    return Report(sizes, dict(writer.stats), time.perf_counter() - started, phases)


class _Plan:
    """The seeded choices every table is built from, shared so foreign keys agree."""

    def __init__(self, sizes: Sizes, seed: int) -> None:
        self.sizes = sizes
        self.seed = seed
        rng = random.Random(seed)
        self.names = Names(sizes.customers, rng)
        n = sizes.partners
        # Partner size follows a long tail: weight 1 / rank^0.9, so a few big partners own
        # thousands of customers and most own a handful.
        self.weights = [1.0 / (r + 1) ** 0.9 for r in range(n)]
        self.tiers = [
            "strategic" if i % 50 == 0 else "deep" if i % 7 == 0 else "light" for i in range(n)
        ]
        self.referrer = [
            (rng.randrange(1, i + 1) if i > 1 and rng.random() < 0.1 else None)
            for i in range(1, n + 1)
        ]
        self.owned = round(sizes.customers * OWNED_SHARE)
        # Owners of the owned customers, drawn once by weight (ids 1..n).
        owner_rng = random.Random(seed + 1)
        self.owner = owner_rng.choices(range(1, n + 1), weights=self.weights, k=self.owned)
        self.uscc_salt = rng.randrange(10**9)
        # Project i belongs to owned customer project_customer[i]: first every owned customer
        # that gets a project at all, then repeats (renewals etc.) drawn at random.
        self.project_rng_seed = seed + 2
        self.users: list[int] = []  # partner id → user id (index = partner id)
        self.staff_user = 0


def _partners(writer: Writer, plan: _Plan) -> None:
    rng = random.Random(plan.seed + 10)
    n = plan.sizes.partners
    now = _ts(EPOCH)
    password = make_password(BENCH_PASSWORD)

    def partner_rows() -> Iterator[tuple]:
        for i in range(1, n + 1):
            organization = i % 3 != 0
            if organization:
                region = REGIONS[i % len(REGIONS)]
                core = CORE_CHARS[i % len(CORE_CHARS)] + CORE_CHARS[(i * 7) % len(CORE_CHARS)]
                name = f"{region}{core}{INDUSTRIES[i % len(INDUSTRIES)]}合伙{i}号有限公司"
                uscc = _uscc(10_000_000 + i, plan.uscc_salt)
            else:
                region = REGIONS[(i * 3) % len(REGIONS)]
                name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
                uscc = None
            tier = plan.tiers[i - 1]
            exited = i % 100 == 99
            yield (
                i,
                partner_code(i),
                name,
                "organization" if organization else "individual",
                json.dumps(["channel"]),
                region,
                uscc,
                plan.referrer[i - 1],
                tier,
                _day(rng.randrange(0, 600)).isoformat(),
                "exited" if exited else "active",
                "partner_initiated" if exited else "",
                dt.date(2026, 6, 30).isoformat() if exited else None,
                now,
            )

    writer.write(
        Partner,
        [
            "id", "code", "name", "kind", "types", "region", "uscc", "referrer_id", "tier",
            "tier_since", "status", "exit_kind", "exited_on", "created_at",
        ],
        partner_rows(),
    )  # fmt: skip

    staff = [("bench_admin", "admin"), ("bench_officer", "officer"), ("bench_presales", "presales")]
    staff += [("bench_pm", "pm"), ("bench_finance", "finance")]

    def user_rows() -> Iterator[tuple]:
        for k, (username, role) in enumerate(staff, start=1):
            yield (k, username, password, role, None, True, role == "admin", role == "admin", now)
        for i in range(1, n + 1):
            yield (
                len(staff) + i,
                partner_username(partner_code(i)),
                password,
                "partner",
                i,
                True,
                False,
                False,
                now,
            )

    base = User.objects.order_by("-id").values_list("id", flat=True).first() or 0
    if base:
        raise RuntimeError("bench-data needs a database without users")
    writer.write(
        User,
        [
            "id", "username", "password", "role", "partner_id", "is_active", "is_staff",
            "is_superuser", "date_joined",
        ],
        user_rows(),
    )  # fmt: skip
    plan.users = [0] + [len(staff) + i for i in range(1, n + 1)]
    plan.staff_user = 2  # bench_officer: judged every generated lead


def _customers(writer: Writer, plan: _Plan) -> None:
    rng = random.Random(plan.seed + 20)
    n = plan.sizes.customers
    names_rows: list[tuple] = []
    seen_norm: set[str] = set()
    next_name_id = [1]

    def customer_rows() -> Iterator[tuple]:
        for i in range(1, n + 1):
            core, industry = plan.names.parts(i)
            region = REGIONS[rng.randrange(len(REGIONS))]
            suffix = SUFFIXES[rng.randrange(len(SUFFIXES))]
            if rng.random() < 0.15:
                legal = f"{core}{industry}({region}){suffix}"
            else:
                legal = f"{region}{core}{industry}{suffix}"
            normalized = normalize_name(legal)
            if normalized in seen_norm:  # cannot happen by construction; checked all the same
                raise RuntimeError(f"duplicate normalised name {normalized}")
            seen_norm.add(normalized)
            uscc = _uscc(i, plan.uscc_salt) if rng.random() < 0.4 else None
            created = _ts(EPOCH + dt.timedelta(minutes=i % 1_000_000))
            names = [(legal, normalized, "legal")]
            if rng.random() < 0.33:
                alias = core + industry[:2]
                names.append((alias, normalize_name(alias), "alias"))
            if rng.random() < 0.05:
                former = f"{region}{core}{INDUSTRIES[(i + 7) % len(INDUSTRIES)]}有限公司"
                names.append((former, normalize_name(former), "former"))
            for name, norm, kind in names:
                if kind != "legal" and norm == normalized:
                    continue
                names_rows.append((next_name_id[0], i, name, norm, head2(norm), kind))
                next_name_id[0] += 1
            yield (i, legal, normalized, uscc, region, industry, created)

    # PostgreSQL: the trigram and bigram indexes are built once after the load (migrations 0003
    # and 0011's statements), far faster than maintaining a GIN index row by row.
    # (Not inside a caller's transaction: PostgreSQL will not build an index on a table with
    # pending constraint checks.)
    rebuild_index = connection.vendor == "postgresql" and not connection.in_atomic_block
    if rebuild_index:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS customers_customername_normalized_trgm")
            cursor.execute("DROP INDEX IF EXISTS customers_customername_bigrams")
            cursor.execute(
                "ALTER TABLE customers_customername DISABLE TRIGGER customers_nametrigram_sync"
            )
    # Customers first (in chunks), their names after each chunk: both stream.
    chunk = 100_000
    cols = ["id", "legal_name", "normalized_name", "uscc", "region", "industry", "created_at"]
    name_cols = ["id", "customer_id", "name", "normalized", "head2", "kind"]
    rows = customer_rows()
    while True:
        batch = [row for _, row in zip(range(chunk), rows, strict=False)]
        if not batch:
            break
        writer.write(Customer, cols, batch)
        writer.write(CustomerName, name_cols, names_rows)
        names_rows.clear()
    if rebuild_index:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for migration in ("0003_customername_trigram_index", "0011_customername_bigram_index"):
                index = importlib.import_module(f"huoban.customers.migrations.{migration}")
                for sql in index.POSTGRES_FORWARD:
                    cursor.execute(sql)
            table = importlib.import_module(
                "huoban.customers.migrations.0013_customername_trigram_table"
            )
            for sql in table.POSTGRES_FILL:
                cursor.execute(sql)
            cursor.execute(
                "ALTER TABLE customers_customername ENABLE TRIGGER customers_nametrigram_sync"
            )


def _leads(writer: Writer, plan: _Plan) -> None:
    """One valid lead, one contact and one attribution per owned customer (ids 1..owned)."""
    rng = random.Random(plan.seed + 30)
    owned = plan.owned
    officer = plan.staff_user
    moments: list[int] = []  # minutes after EPOCH of each lead, reused by the attribution

    def contact_rows() -> Iterator[tuple]:
        for i in range(1, owned + 1):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            phone = f"1{3 + i % 7}{i % 10}{i:08d}"[:11]
            yield (i, i, name, "总经理" if i % 3 == 0 else "信息部负责人", phone, i % 3 == 0,
                   _ts(EPOCH))  # fmt: skip

    writer.write(
        Contact,
        ["id", "customer_id", "name", "title", "phone", "is_decision_maker", "created_at"],
        contact_rows(),
    )

    def lead_rows() -> Iterator[tuple]:
        for i in range(1, owned + 1):
            partner = plan.owner[i - 1]
            minute = rng.randrange(0, 600 * 24 * 60)
            moments.append(minute)
            at = EPOCH + dt.timedelta(minutes=minute)
            category, item = CATEGORIES[i % len(CATEGORIES)]
            low = 50_000 + (i % 40) * 10_000
            yield (
                i, partner, plan.users[partner], _ts(at), i, "", "", "", category, item,
                "基准数据生成的需求 / generated need", "valid", _ts(at + dt.timedelta(hours=24)),
                "valid", _ts(at + dt.timedelta(hours=3)), _ts(at + dt.timedelta(hours=3)),
                officer, "可行 / feasible", str(low), str(low * 3), i, "", "", False,
            )  # fmt: skip

    writer.write(
        Lead,
        [
            "id", "partner_id", "submitted_by_id", "submitted_at", "customer_id", "customer_uscc",
            "customer_region", "customer_industry", "category", "item", "need", "status",
            "sla_due_at", "verdict", "verdict_at", "first_verdict_at", "verdict_by_id",
            "explanation", "quote_min", "quote_max", "contact_id", "contact_title",
            "contact_phone", "contact_is_decision_maker",
        ],
        lead_rows(),
    )  # fmt: skip
    # The customer's name on the lead, as the partner typed it: the legal name.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE leads_lead SET customer_name = c.legal_name, contact_name = k.name "
            "FROM customers_customer c, customers_contact k "
            "WHERE c.id = leads_lead.customer_id AND k.id = leads_lead.contact_id"
        )

    def attribution_rows() -> Iterator[tuple]:
        for i in range(1, owned + 1):
            at = EPOCH + dt.timedelta(minutes=moments[i - 1], hours=3)
            yield (i, i, plan.owner[i - 1], _ts(at), "lead", i)

    writer.write(
        Attribution,
        ["id", "customer_id", "partner_id", "since", "source", "lead_id"],
        attribution_rows(),
    )


@dataclass
class _ProjectState:
    """What the payment pass needs of each project, kept as compact parallel arrays."""

    amount_cents: list[int] = field(default_factory=list)
    signed: list[int] = field(default_factory=list)  # day offsets
    accepted: list[int] = field(default_factory=list)  # day offset or -1
    cancelled: list[int] = field(default_factory=list)  # day offset or -1
    payments: list[int] = field(default_factory=list)


_STATE: dict[int, _ProjectState] = {}


def _payment_counts(total_payments: int, projects: int, rng: random.Random) -> list[int]:
    """How many payments each project gets: 0–6, summing to exactly ``total_payments``."""
    counts = rng.choices(range(7), weights=(4, 14, 18, 22, 20, 14, 8), k=projects)
    diff = total_payments - sum(counts)
    while diff != 0:
        i = rng.randrange(projects)
        if diff > 0 and counts[i] < 12:
            counts[i] += 1
            diff -= 1
        elif diff < 0 and counts[i] > 0:
            counts[i] -= 1
            diff += 1
    return counts


def _projects(writer: Writer, plan: _Plan, policy_id: int, policy: rules.Policy) -> None:
    rng = random.Random(plan.project_rng_seed)
    n = plan.sizes.projects
    owned = plan.owned
    last = (END - START).days
    counts = _payment_counts(plan.sizes.payments, n, random.Random(plan.seed + 3))
    state = _ProjectState(payments=counts)
    _STATE[id(plan)] = state
    now = _ts(EPOCH)
    first_projects = min(owned, int(n * 0.7))

    def rate_for(amount: Decimal, kind: str, high: bool, tier: str) -> tuple[Decimal, str]:
        """The rate and its explanation, as the signing service computes them (R-POL-1)."""
        result = rules.project_rate(policy, amount, kind, high, tier)
        return result.rate, explain.explanation_text(result.explanation)

    def project_rows() -> Iterator[tuple]:
        for i in range(1, n + 1):
            # The first ~70% of projects go to distinct owned customers, the rest repeat one.
            customer = i if i <= first_projects else rng.randrange(1, first_projects + 1)
            partner = plan.owner[customer - 1]
            kind = (
                "new"
                if customer == i
                else rng.choice(("renewal", "renewal", "increment", "iteration"))
            )
            high = rng.random() < 0.15
            amount = Decimal(int(math.exp(rng.uniform(math.log(20_000), math.log(5_000_000)))))
            amount = (amount // 100) * 100
            signed = rng.randrange(0, last - 20)
            tier = plan.tiers[partner - 1]
            rate, why = rate_for(amount, kind, high, tier)
            total = cny(rate * amount)
            roll = rng.random()
            accepted = cancelled = -1
            if roll < 0.03:
                cancelled = min(last, signed + rng.randrange(20, 200))
            elif roll < 0.55:
                accepted = min(last, signed + rng.randrange(30, 400))
            state.amount_cents.append(int(amount * 100))
            state.signed.append(signed)
            state.accepted.append(accepted)
            state.cancelled.append(cancelled)
            status = "accepted" if accepted >= 0 else "cancelled" if cancelled >= 0 else "signed"
            done = 6 if accepted >= 0 else 1 + i % 4  # as milestone_rows below
            stage = STAGES[done] if done < len(STAGES) else "maintenance"
            yield (
                i, customer, partner, customer if kind == "new" else None,
                f"{plan.names.parts(customer)[0]} 项目 {i}", kind, high,
                HIGH_MARGIN[i % 3] if high else "", str(amount), _day(signed).isoformat(), tier,
                str(rate), str(total), why, policy_id, status,
                _day(accepted).isoformat() if accepted >= 0 else None,
                _day(cancelled).isoformat() if cancelled >= 0 else None,
                "客户预算取消 / budget withdrawn" if cancelled >= 0 else "", now, stage,
            )  # fmt: skip

    writer.write(
        Project,
        [
            "id", "customer_id", "partner_id", "lead_id", "title", "kind", "high_margin",
            "high_margin_category", "contract_amount", "signed_on", "tier_at_signing", "rate",
            "commission_total", "rate_explanation", "policy_version_id", "status",
            "accepted_on", "cancelled_on", "cancel_reason", "created_at", "current_stage",
        ],
        project_rows(),
    )  # fmt: skip

    def milestone_rows() -> Iterator[tuple]:
        k = 0
        for i in range(1, n + 1):
            done = 6 if state.accepted[i - 1] >= 0 else 1 + i % 4
            for position, stage in enumerate(STAGES):
                k += 1
                status = "done" if position < done else "not_started"
                if position == done:
                    status = "in_progress"
                yield (k, i, stage, position, status, now)

    writer.write(
        Milestone, ["id", "project_id", "stage", "position", "status", "updated_at"],
        milestone_rows(),
    )  # fmt: skip


def _payments(writer: Writer, plan: _Plan) -> None:
    """Payments (and refunds) per project in recorded order, acceptance/cancellation between."""
    state = _STATE.pop(id(plan))
    rng = random.Random(plan.seed + 40)
    last = (END - START).days
    now = _ts(EPOCH)
    recorder = 5  # bench_finance
    seqs: list[tuple[int, int | None, int | None]] = []  # event_count, accepted_seq, cancel_seq

    def payment_rows() -> Iterator[tuple]:
        pk = 0
        for i in range(1, plan.sizes.projects + 1):
            count = state.payments[i - 1]
            amount = state.amount_cents[i - 1]
            signed = state.signed[i - 1]
            accepted = state.accepted[i - 1]
            cancelled = state.cancelled[i - 1]
            stop = cancelled if cancelled >= 0 else last
            # Instalments: equal shares of 90% of the contract, the last one the 10% retainer.
            days = sorted(rng.randrange(signed, max(signed + 1, stop)) for _ in range(count))
            seq = 0
            acc_seq = cancel_seq = None
            for k, day in enumerate(days):
                if accepted >= 0 and acc_seq is None and day >= accepted:
                    seq += 1
                    acc_seq = seq
                if count == 1:
                    share = amount
                elif k < count - 1:
                    share = amount * 9 // (10 * (count - 1))
                else:
                    share = amount // 10
                share = max(100, share)
                pk += 1
                seq += 1
                yield (pk, i, "payment", f"{share // 100}.{share % 100:02d}",
                       _day(day).isoformat(), f"BK{i}-{seq}", None, seq, recorder, now)  # fmt: skip
                # About one payment in 200 is partly refunded a few days later.
                if rng.random() < 0.005:
                    refund = max(100, share // 4)
                    refund_of = pk
                    pk += 1
                    seq += 1
                    yield (pk, i, "refund", f"{refund // 100}.{refund % 100:02d}",
                           _day(min(last, day + 5)).isoformat(), f"RF{i}-{seq}", refund_of, seq,
                           recorder, now)  # fmt: skip
            if accepted >= 0 and acc_seq is None:
                seq += 1
                acc_seq = seq
            if cancelled >= 0:
                seq += 1
                cancel_seq = seq
            seqs.append((seq, acc_seq, cancel_seq))

    writer.write(
        CustomerPayment,
        [
            "id", "project_id", "kind", "amount", "received_on", "reference", "refund_of_id",
            "seq", "recorded_by_id", "created_at",
        ],
        payment_rows(),
    )  # fmt: skip
    # The event counters and sequence numbers of acceptance and cancellation, in bulk.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMP TABLE bench_seq (id bigint, n int, acc int, can int) ON COMMIT DROP"
            )
            with cursor.cursor.copy("COPY bench_seq FROM STDIN") as copy:
                for i, (n, a, c) in enumerate(seqs, start=1):
                    copy.write_row((i, n, a, c))
            cursor.execute(
                "UPDATE projects_project p SET event_count = s.n, accepted_seq = s.acc, "
                "cancelled_seq = s.can FROM bench_seq s WHERE p.id = s.id"
            )
        else:
            cursor.executemany(
                "UPDATE projects_project SET event_count = %s, accepted_seq = %s, "
                "cancelled_seq = %s WHERE id = %s",
                [(n, a, c, i) for i, (n, a, c) in enumerate(seqs, start=1)],
            )


def _finish() -> None:
    """Reset PostgreSQL's sequences past the assigned ids; refresh planner statistics."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = [
                Partner, User, Customer, CustomerName, Contact, Lead, Attribution, Project,
                Milestone, CustomerPayment,
            ]  # fmt: skip
            for sql in connection.ops.sequence_reset_sql(no_style(), tables):
                cursor.execute(sql)
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
