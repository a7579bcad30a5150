"""The customer registry (客户登记簿, SPEC §3): legal entities, their names and contacts
(R-ATT-1, R-ATT-2, R-LEAD-1).

``get_or_create_customer`` and ``add_contact`` are building blocks other apps call inside their
own transaction: no audit event of their own (the caller's action records it), savepoints only.
``add_alias`` is a business action: one durable transaction, one audit event.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction

from huoban import clock
from huoban.access import require_role
from huoban.accounts.models import Role, User
from huoban.audit.services import record
from huoban.errors import Conflict, ValidationFailed
from huoban.uscc import normalize_uscc, uscc_error

from .matching import CANDIDATE_LIMIT, same_key_conflict
from .models import Contact, Customer, CustomerName, NameKind
from .normalize import (
    clean_display_name,
    head2,
    legal_form_only,
    normalize_name,
    normalize_name_keep_place,
)

MAX_NAME = 200


def customer_snapshot(customer: Customer) -> dict[str, Any]:
    return {
        "legal_name": customer.legal_name,
        "normalized_name": customer.normalized_name,
        "uscc": customer.uscc,
        "region": customer.region,
        "industry": customer.industry,
    }


NAME_SAYS_NOTHING = (
    "名称须含企业字号，不能只有组织形式、地名或不可见字符 / The name must name the company, "
    "not only a legal form, a place or invisible characters."
)


def _clean_name(name: str, field: str) -> tuple[str, str]:
    clean = clean_display_name(name)
    if not clean:
        raise ValidationFailed({field: "名称必填 / The name is required."})
    if legal_form_only(clean):
        raise ValidationFailed({field: NAME_SAYS_NOTHING})
    if len(clean) > MAX_NAME:
        raise ValidationFailed({field: f"名称过长（≤{MAX_NAME}） / The name is too long."})
    normalized = normalize_name(clean)
    if not normalized:
        raise ValidationFailed({field: "名称无有效字符 / The name has no usable characters."})
    return clean, normalized


def clean_uscc(uscc: str | None, field: str = "customer.uscc") -> str | None:
    """Normalise and validate an optional USCC (R-ATT-1); ValidationFailed on a bad code."""
    if uscc is None or not uscc.strip():
        return None
    code = normalize_uscc(uscc)
    error = uscc_error(code)
    if error is not None:
        raise ValidationFailed({field: error})
    return code


def _existing_customer(normalized: str, code: str | None, name: str = "") -> Customer | None:
    if code:
        by_code = Customer.objects.filter(uscc=code).first()
        if by_code is not None:
            return by_code
    rows = CustomerName.objects.filter(normalized=normalized).select_related("customer")
    for by_name in rows.order_by("id")[:CANDIDATE_LIMIT]:
        if code and by_name.customer.uscc not in (None, code):
            continue
        if name and same_key_conflict(name, by_name.name):
            # 北京东义科技 is not 上海东义科技, though both have the key 东义科技 (issue #13)
            continue
        return by_name.customer
    return None


def get_or_create_customer(
    name: str, *, uscc: str | None = None, region: str = "", industry: str = ""
) -> tuple[Customer, bool]:
    """The registry entry for a legal entity, created if new (R-ATT-1, R-ATT-2).

    Found by USCC, then by normalised name (any of its names). Race-safe: the unique indexes on
    normalized_name and uscc make the second of two concurrent inserts fail; it then re-reads.
    """
    legal_name, normalized = _clean_name(name, "customer.name")
    code = clean_uscc(uscc)
    existing = _existing_customer(normalized, code, legal_name)
    if existing is not None:
        return existing, False
    key = normalized
    if CustomerName.objects.filter(normalized=key).exists():
        # A concurrent submission may have committed the same customer between the two reads
        # (PostgreSQL, READ COMMITTED): that row is the answer, not a conflict.
        existing = _existing_customer(normalized, code, legal_name)
        if existing is not None:
            return existing, False
        # Same normalised name but a different USCC or place: another legal entity. Fall back to the
        # name with its place kept (江西铜业 vs 云南铜业); if that is taken too, an officer decides.
        key = normalize_name_keep_place(legal_name)
        if key == normalized or CustomerName.objects.filter(normalized=key).exists():
            raise ValidationFailed(
                {
                    "customer.name": "同名客户已以不同信用代码登记，请联系伙伴关系官 / A customer "
                    "with this name is registered under another USCC; ask an officer."
                }
            )
    try:
        with transaction.atomic():
            customer = Customer.objects.create(
                legal_name=legal_name,
                normalized_name=key,
                uscc=code,
                region=(region or "").strip()[:100],
                industry=(industry or "").strip()[:100],
                created_at=clock.now(),
            )
            CustomerName.objects.create(
                customer=customer,
                name=legal_name,
                normalized=key,
                head2=head2(key),
                kind=NameKind.LEGAL,
            )
    except IntegrityError:
        # A concurrent submission created it first (or took the code): use that row.
        existing = _existing_customer(key, code)
        if existing is None:
            raise
        return existing, False
    return customer, True


_PHONE_RE = re.compile(r"^[0-9+\-() ]{3,32}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def add_contact(
    customer: Customer,
    *,
    name: str,
    title: str = "",
    phone: str = "",
    email: str = "",
    wechat: str = "",
    is_decision_maker: bool = False,
) -> Contact:
    """Add a contact person to a customer (R-LEAD-1); its details are masked for staff (R-VIS-3)."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    phone, email, wechat = (phone or "").strip(), (email or "").strip(), (wechat or "").strip()
    if not name:
        errors["contact.name"] = "联系人姓名必填 / The contact's name is required."
    elif len(name) > 100:
        errors["contact.name"] = "姓名过长 / The name is too long."
    if phone and not _PHONE_RE.match(phone):
        errors["contact.phone"] = "电话格式无效 / Not a phone number."
    if email and (len(email) > 254 or not _EMAIL_RE.match(email)):
        errors["contact.email"] = "邮箱格式无效 / Not an e-mail address."
    if len(wechat) > 64:
        errors["contact.wechat"] = "微信号过长 / The WeChat id is too long."
    if errors:
        raise ValidationFailed(errors)
    return Contact.objects.create(
        customer=customer,
        name=name,
        title=(title or "").strip()[:100],
        phone=phone,
        email=email,
        wechat=wechat,
        is_decision_maker=is_decision_maker,
        created_at=clock.now(),
    )


# --- names ----------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def add_alias(customer: Customer, name: str, kind: str, *, actor: User) -> CustomerName:
    """Record a short or former name of a customer, used by matching (R-ATT-1, R-ATT-2)."""
    return book_alias(customer, name, kind, actor=actor)


def book_alias(customer: Customer, name: str, kind: str, *, actor: User) -> CustomerName:
    """:func:`add_alias` in the caller's transaction: for an import, whose rows are recorded
    all or none in one (R-IMP-1). Everyone else calls add_alias."""
    require_role(actor, Role.OFFICER)
    if kind not in (NameKind.ALIAS, NameKind.FORMER):
        raise ValidationFailed({"kind": "类型应为 alias 或 former / kind must be alias or former."})
    clean, normalized = _clean_name(name, "name")
    taken = CustomerName.objects.filter(normalized=normalized).first()
    if taken is not None:
        if taken.customer_id == customer.pk:
            raise ValidationFailed({"name": "该名称已登记 / The customer already has this name."})
        raise Conflict("该名称已属于另一客户 / This name belongs to another customer.")
    try:
        with transaction.atomic():
            row = CustomerName.objects.create(
                customer=customer,
                name=clean,
                normalized=normalized,
                head2=head2(normalized),
                kind=kind,
            )
    except IntegrityError:
        raise Conflict("该名称已登记 / The name was just registered.") from None
    record(actor, "customer.add_alias", customer, after={"name": clean, "kind": kind})
    return row
