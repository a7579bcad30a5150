"""The commission API's answers, declared (issue #11): the OpenAPI document and the API fuzz
know their shape. Amounts are strings with two decimals ("24000.00"), rates four ("0.2200")."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class EntryOut(Schema):
    id: int
    kind: str
    project_id: int | None
    payment_id: int | None
    basis: str
    rate: str
    amount: str
    earned_on: dt.date
    due_on: dt.date
    due_estimated: bool
    status: str
    effective: bool
    policy_version: int
    reason: str
    reverses: int | None
    payout_id: int | None
    explanation: str
    hash: str


class TotalsOut(Schema):
    earned: str
    paid: str
    outstanding: str


class LedgerOut(Schema):
    items: list[EntryOut]
    count: int
    totals: TotalsOut
    chain_head: str


class ChainOut(Schema):
    partner_code: str
    ok: bool
    checked: int
    head: str


class VerifyOut(Schema):
    ok: bool
    checked: int
    head: str
    chains: list[ChainOut]
    first_bad: int | None = None
    first_bad_partner: str | None = None
    reason: str | None = None


class PayoutOut(Schema):
    id: int
    partner_code: str
    bank_reference: str
    paid_on: dt.date
    total: str
    fee: str
    entry_ids: list[int]


class SettlementItemOut(Schema):
    partner_code: str
    performance: str
    rate: str
    amount: str
    created: bool
    entry_id: int | None


class SettlementOut(Schema):
    year: int
    items: list[SettlementItemOut]


class StatementEntryOut(Schema):
    id: int
    kind: str
    project_id: int | None
    basis: str
    rate: str
    amount: str
    owed_by_partner: bool = Field(description="a per-unit amount the partner owes us (R-UNIT-1)")
    earned_on: dt.date
    booked_on: dt.date
    due_on: dt.date
    status: str
    policy_version: int
    explanation: str
    hash: str


class StatementPayoutOut(Schema):
    id: int
    bank_reference: str
    paid_on: dt.date
    total: str
    fee: str
    entry_ids: list[int]


class StatementOut(Schema):
    partner_code: str
    partner_name: str
    month: str
    period_start: dt.date
    period_end: dt.date
    opening_outstanding: str
    earned: str
    paid: str
    closing_outstanding: str
    owed_by_partner: str = Field(description="the month's per-unit amounts owed by the partner")
    closing_owed_by_partner: str = Field(description="−closing when the partner owes us, else 0")
    entries: list[StatementEntryOut]
    payouts: list[StatementPayoutOut]
    chain_head: str
    chain_head_entry_id: int | None
    chain_length: int
    generated_at: dt.datetime
