"""What each kind of import reads and does (R-IMP-1…3; ARCHITECTURE §5 `huoban import`): its
columns — the API's field name and the Chinese label, either may head the column — how each
cell is read, and the service that records a row, the same one the forms call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from huoban.accounts.models import User
from huoban.policy import IMPORT_ROLES
from huoban.projects.models import PaymentKind
from huoban.projects.services import book_payment

from . import cells


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # the Chinese header of the template
    read: Callable[[object], Any]
    required: bool = True
    example: object = ""
    note: str = ""


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    roles: tuple[str, ...]
    columns: tuple[Column, ...]
    # records one row in the caller's transaction; True when it created something
    apply: Callable[[dict[str, Any], User], bool]
    # the column a NotFound or a Conflict from the service belongs to
    not_found_column: str
    conflict_column: str

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


_PAYMENT_KINDS = {"payment": PaymentKind.PAYMENT, "回款": PaymentKind.PAYMENT,
                  "收款": PaymentKind.PAYMENT, "refund": PaymentKind.REFUND,
                  "退款": PaymentKind.REFUND}  # fmt: skip


def _payment_kind(value: object) -> str:
    raw = cells.text(value).lower()
    if not raw:
        return PaymentKind.PAYMENT
    if raw not in _PAYMENT_KINDS:
        raise cells.CellError("类型为 回款 或 退款 / The kind is payment or refund.")
    return _PAYMENT_KINDS[raw]


def _optional_text(value: object) -> str | None:
    return cells.text(value) or None


def _reference(value: object) -> str:
    raw = cells.text(value)
    if not raw:
        raise cells.CellError("流水号不能为空 / The reference is missing.")
    if len(raw) > 100:
        raise cells.CellError("流水号最多 100 字 / A reference has at most 100 characters.")
    return raw


def _payment(row: dict[str, Any], actor: User) -> bool:
    _payment_row, created, _outcomes = book_payment(
        row["project_id"],
        actor=actor,
        amount=row["amount"],
        received_on=row["received_on"],
        reference=row["reference"],
        kind=row.get("kind") or PaymentKind.PAYMENT,
        refund_of=row.get("refund_of"),
    )
    return created


PAYMENTS = Kind(
    name="payments",
    label="回款",
    roles=IMPORT_ROLES["payments"],
    columns=(
        Column("project_id", "项目编号", cells.whole_number, example=1),
        Column("amount", "金额", cells.amount, example="120000.00"),
        Column("received_on", "到账日", cells.date, example="2026-11-05"),
        Column("reference", "流水号", _reference, example="BANK-20261105-001"),
        Column("kind", "类型", _payment_kind, required=False, example="回款",
               note="回款 / 退款，空为回款"),
        Column("refund_of", "原流水号", _optional_text, required=False,
               note="退款时填原回款的流水号"),
    ),
    apply=_payment,
    not_found_column="project_id",
    conflict_column="reference",
)  # fmt: skip

KINDS: dict[str, Kind] = {k.name: k for k in (PAYMENTS,)}
