"""Multiply the demo data set ×N quickly, for benchmarks (not for tests, not for production).

The demo (``huoban.demo.load.load_demo``) is built through the services with a frozen clock:
about ten seconds for 17 leads. Doing that 100 times would take many minutes, so this module
copies the rows the demo wrote with ``bulk_create`` instead, ``scale - 1`` times:

* 极峰科技 (CP001) keeps its own identity: every copy of its customers, leads, projects,
  payments and ledger entries is attributed to CP001 itself, so CP001 ends with ×scale its demo
  volume — the "big partner" case.
* Every other demo partner is cloned once per copy (new code, new users), so the programme has
  ×scale partners, each with its demo volume — the "ordinary partner among many" case.

Invariants kept, because the pages rely on them: customer names are unique after
normalisation (a number is inserted before the legal-form suffix and the key recomputed with
``normalize_name``), one attribution per customer, and every ledger row belongs to a valid
per-partner hash chain (CP001's chain is extended, each clone gets its own; the chain heads are
updated), so the ledger verification pages can be measured too. ``bulk_create`` issues plain
INSERTs, so SQLite's triggers keep the FTS5 name index (``customers_customername_fts``) in step;
:func:`check_invariants` proves it with FTS5's integrity check and a real name match.

Skipped on purpose: the audit log (no page reads it back in bulk; copying it would need a
re-hashed global chain), tier applications, and CP001's annual bonus (one per partner and
year). Primary keys are assigned explicitly (``old + k × stride``) so every foreign key of a
copy is arithmetic; PostgreSQL sequences are reset afterwards.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction

from huoban.accounts.models import User
from huoban.audit.chain import GENESIS, link_hash
from huoban.audit.models import ChainHead
from huoban.commissions.models import EntryKind, LedgerEntry, Payout
from huoban.customers.models import (
    Attribution,
    Contact,
    ContactConsent,
    Customer,
    CustomerLink,
    CustomerName,
    InboundContact,
    NameKind,
)
from huoban.customers.normalize import head2, normalize_name, normalize_name_keep_place
from huoban.leads.models import Lead, SecondReviewSignature
from huoban.partners.models import Partner, TierChange
from huoban.projects.models import CustomerPayment, Milestone, MilestoneUpdate, Project

BIG_PARTNER_CODE = "CP001"  # 极峰科技: gets ×scale its own demo volume

# Copied in this order (foreign keys are deferred to commit on SQLite and PostgreSQL alike).
COPIED: list[type[models.Model]] = [
    Partner,
    User,
    TierChange,
    Customer,
    CustomerName,
    CustomerLink,
    Contact,
    Lead,
    Attribution,
    ContactConsent,
    InboundContact,
    SecondReviewSignature,
    Project,
    Milestone,
    MilestoneUpdate,
    CustomerPayment,
    Payout,
    LedgerEntry,
]
LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "股份公司", "公司")
_KEY_TOKEN = re.compile(r"(project|override|payment|refund):(\d+)")


def tagged(name: str, k: int) -> str:
    """The k-th copy's name: the number goes before the legal form (东义集团7有限公司), so the
    name still normalises the way a real one does."""
    for form in LEGAL_FORMS:
        if name.endswith(form) and len(name) > len(form):
            return f"{name[: -len(form)]}{k}{form}"
    return f"{name}{k}"


@dataclass
class ScaleReport:
    scale: int
    seconds: float = 0.0
    rows_before: dict[str, int] = field(default_factory=dict)  # the demo, per copied model
    rows: dict[str, int] = field(default_factory=dict)  # written, per model
    strides: dict[str, int] = field(default_factory=dict)  # copy k of row i has id i + k×stride


class _Multiplier:
    def __init__(self, scale: int) -> None:
        self.scale = scale
        self.big = Partner.objects.get(code=BIG_PARTNER_CODE)
        # The demo as it is now: every copy is made from these rows.
        self.rows: dict[type[models.Model], list[Any]] = {
            m: list(m._default_manager.order_by("pk")) for m in COPIED
        }
        self.stride = {m: max([r.pk for r in rows], default=0) for m, rows in self.rows.items()}
        self.users = {u.pk: u for u in self.rows[User]}
        self.customer_keys = {c.pk: c.normalized_name for c in self.rows[Customer]}
        self.keys_taken = set(Customer.objects.values_list("normalized_name", flat=True))
        self.mappers: dict[type[models.Model], Callable[[int, int], int]] = {
            m: self._shift(m) for m in COPIED
        }
        self.mappers[Partner] = self._partner
        self.mappers[User] = self._user

    # --- id arithmetic ---------------------------------------------------------------------

    def _shift(self, model: type[models.Model]) -> Callable[[int, int], int]:
        stride = self.stride[model]
        return lambda old, k: old + k * stride

    def _partner(self, old: int, k: int) -> int:
        return old if old == self.big.pk else old + k * self.stride[Partner]

    def _user(self, old: int, k: int) -> int:
        user = self.users.get(old)
        if user is None or user.partner_id is None or user.partner_id == self.big.pk:
            return old  # staff and CP001's own users are shared by every copy
        return old + k * self.stride[User]

    def copy(self, obj: Any, k: int) -> Any:
        """A copy of ``obj`` for copy number k, every foreign key mapped into the same copy."""
        model = type(obj)
        values: dict[str, Any] = {}
        for f in model._meta.concrete_fields:
            value = getattr(obj, f.attname)
            if f.primary_key:
                value = self.mappers[model](value, k)
            elif f.is_relation and value is not None:
                target = f.related_model
                if target in self.mappers:
                    value = self.mappers[target](value, k)  # type: ignore[index]
            values[f.attname] = value
        return model(**values)

    # --- per-model rules ------------------------------------------------------------------

    def _customer_key(self, legal_name: str) -> str:
        for key in (normalize_name(legal_name), normalize_name_keep_place(legal_name)):
            if key not in self.keys_taken:
                self.keys_taken.add(key)
                return key
        raise RuntimeError(f"no unique normalised name for {legal_name!r}")

    def build(self) -> dict[type[models.Model], list[Any]]:
        out: dict[type[models.Model], list[Any]] = defaultdict(list)
        big = self.big.pk
        for k in range(1, self.scale):
            for p in self.rows[Partner]:
                if p.pk == big:
                    continue
                c = self.copy(p, k)
                c.code = f"P{c.pk:05d}"
                c.name = f"{p.name}·{k}"
                c.uscc = None
                out[Partner].append(c)
            for u in self.rows[User]:
                if u.partner_id is None or u.partner_id == big:
                    continue
                c = self.copy(u, k)
                c.username = f"{u.username}.{k}"
                c.email = f"{u.username}.{k}@partner.example"
                c.last_login = None
                out[User].append(c)
            for t in self.rows[TierChange]:
                if t.partner_id != big:
                    out[TierChange].append(self.copy(t, k))
            keys: dict[int, str] = {}
            for cu in self.rows[Customer]:
                c = self.copy(cu, k)
                c.legal_name = tagged(cu.legal_name, k)
                c.normalized_name = keys[c.pk] = self._customer_key(c.legal_name)
                c.uscc = None
                out[Customer].append(c)
            for n in self.rows[CustomerName]:
                c = self.copy(n, k)
                c.name = tagged(n.name, k)
                if n.kind == NameKind.LEGAL and n.normalized == self.customer_keys[n.customer_id]:
                    c.normalized = keys[c.customer_id]
                else:
                    c.normalized = normalize_name(c.name)
                c.head2 = head2(c.normalized)
                out[CustomerName].append(c)
            for model in (CustomerLink, Contact, Attribution, SecondReviewSignature):
                out[model].extend(self.copy(r, k) for r in self.rows[model])
            for lead in self.rows[Lead]:
                c = self.copy(lead, k)
                c.customer_name = tagged(lead.customer_name, k)
                c.customer_uscc = ""
                out[Lead].append(c)
            for consent in self.rows[ContactConsent]:
                out[ContactConsent].append(self.copy(consent, k))
            for inbound in self.rows[InboundContact]:
                c = self.copy(inbound, k)
                c.name_given = tagged(inbound.name_given, k)
                c.uscc_given = ""
                out[InboundContact].append(c)
            for project in self.rows[Project]:
                c = self.copy(project, k)
                c.title = f"{project.title} #{k}"
                out[Project].append(c)
            for model in (Milestone, MilestoneUpdate, CustomerPayment):
                out[model].extend(self.copy(r, k) for r in self.rows[model])
            self._ledger(k, out)
        return out

    def _event_key(self, key: str, k: int) -> str:
        def sub(m: re.Match[str]) -> str:
            target = Project if m.group(1) in ("project", "override") else CustomerPayment
            return f"{m.group(1)}:{self.mappers[target](int(m.group(2)), k)}"

        return _KEY_TOKEN.sub(sub, key)

    def _ledger(self, k: int, out: dict[type[models.Model], list[Any]]) -> None:
        payouts = {p.pk: self.copy(p, k) for p in self.rows[Payout]}
        for p in payouts.values():
            p.bank_reference = f"{p.bank_reference}-{k}"
            p.total = Decimal("0.00")
        for entry in self.rows[LedgerEntry]:
            c = self.copy(entry, k)
            c.event_key = self._event_key(entry.event_key, k)
            if c.event_key == entry.event_key and c.partner_id == entry.partner_id:
                if entry.kind == EntryKind.ANNUAL_BONUS:
                    continue  # one per partner and year: CP001 already has it
                c.event_key = f"{entry.event_key}#copy{k}"
            if entry.payout_id is not None:
                payouts[entry.payout_id].total += c.amount
            out[LedgerEntry].append(c)
        out[Payout].extend(payouts.values())

    def chain(self, entries: list[LedgerEntry]) -> list[ChainHead]:
        """Hash the new entries onto their partners' chains, in id order; return new heads."""
        heads = {h.key: h for h in ChainHead.objects.filter(key__startswith="ledger:")}
        codes = dict(Partner.objects.values_list("pk", "code"))
        new_heads: dict[str, ChainHead] = {}
        for e in sorted(entries, key=lambda e: e.pk):
            key = f"ledger:{codes[e.partner_id]}"
            head = heads.get(key) or new_heads.get(key)
            if head is None:
                head = new_heads[key] = ChainHead(key=key, head_hash=GENESIS, length=0)
            e.prev_hash = head.head_hash
            e.hash = link_hash(e.prev_hash, e.chain_payload())
            head.head_hash = e.hash
            head.length += 1
        for head in heads.values():
            head.save(update_fields=["head_hash", "length"])
        return list(new_heads.values())


def multiply(scale: int) -> ScaleReport:
    """Turn the freshly loaded demo into ×scale of it; return what was written and how fast."""
    report = ScaleReport(scale)
    if scale <= 1:
        return report
    started = time.perf_counter()
    with transaction.atomic():
        m = _Multiplier(scale)
        report.rows_before = {model._meta.label: len(r) for model, r in m.rows.items()}
        report.strides = {model._meta.label: stride for model, stride in m.stride.items()}
        rows = m.build()
        # The partner codes the chain keys use must exist before hashing.
        for model in COPIED:
            if model is LedgerEntry:
                ChainHead.objects.bulk_create(m.chain(rows[model]), batch_size=500)
            model._default_manager.bulk_create(rows[model], batch_size=500)
            report.rows[model._meta.label] = len(rows[model])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), COPIED):
                    cursor.execute(sql)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum would have done on a live server
    report.seconds = time.perf_counter() - started
    return report


def check_invariants() -> list[str]:
    """What must hold after multiplying; returns the problems found (empty when all is well)."""
    from huoban.commissions.ledger import verify_ledger
    from huoban.customers.matching import match_customer

    problems: list[str] = []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            try:
                # rank=1: also compare the index with its external content table.
                cursor.execute(
                    "INSERT INTO customers_customername_fts(customers_customername_fts, rank) "
                    "VALUES ('integrity-check', 1)"
                )
            except Exception as e:  # the FTS5 index disagrees with customers_customername
                problems.append(f"FTS5 name index out of step: {e}")
    last = Customer.objects.order_by("-pk").first()
    if last is not None:
        found = match_customer(last.legal_name, None)
        if found.kind != "exact" or found.customer is None or found.customer.pk != last.pk:
            problems.append(f"name index does not find {last.legal_name!r}: {found.kind}")
    without = Customer.objects.filter(leads__status="valid", attribution__isnull=True).count()
    if without:
        problems.append(f"{without} customers with a valid lead have no attribution")
    bad = [v.partner_code for v in verify_ledger() if not v.result.ok]
    if bad:
        problems.append(f"ledger chains broken: {bad[:5]}")
    return problems
