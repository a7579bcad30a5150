"""Who may call what: every API endpoint × anonymous, two partners and each staff role.

The list of endpoints is read from the OpenAPI document, so a new endpoint without a row here
fails `test_every_endpoint_is_in_the_matrix`. Expected answers: the allowed callers get 2xx;
a caller who can see the object but whose role may not act gets 403; a caller who may not see
the object gets 404 (R-VIS-4); anonymous gets 401.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from huoban import clock
from huoban.agreements.services import approve_agreement, draft_agreement, review_agreement
from huoban.api import api
from huoban.commissions.ledger import approve_entry
from huoban.commissions.models import LedgerEntry
from huoban.credit.services import record_review
from huoban.customers.consent import grant_consent
from huoban.customers.registry import get_or_create_customer
from huoban.leads.services import appeal
from huoban.notifications.models import Notification
from huoban.notifications.robots import register_robot
from huoban.notifications.webhooks import register_webhook
from huoban.performance.risks import raise_risk
from huoban.performance.services import record_scorecard
from huoban.projects.services import create_project, record_payment
from huoban.selection.services import add_candidate, create_selection, move_stage, record_trial
from huoban.sharing.services import propose_scheme
from huoban.standing.tier_services import apply_for_strategic
from huoban.standing.violations import decide_company_violation, report_company_violation

from .leads.helpers import INVALID, judge, submit
from .notifications.helpers import fanned

ALL = ("anonymous", "alice", "bob", "officer", "presales", "pm", "finance", "gm", "legal", "admin")
STAFF = ("officer", "presales", "pm", "finance", "gm", "legal", "admin")
ALPHA_SIDE = ("alice", *STAFF)  # who can see alpha's objects


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # with {placeholders} filled from the world
    allowed: tuple[str, ...]
    visible: tuple[str, ...] = ALL[1:]  # who may see the target (others: 404)
    body: dict[str, Any] | None = None
    open_endpoint: bool = False  # no authentication at all
    extra: dict[str, Any] = field(default_factory=dict)


ROWS: dict[tuple[str, str], Row] = {}


def row(method: str, template: str, path: str, allowed: tuple[str, ...], **kw: Any) -> None:
    ROWS[(method, template)] = Row(method, path, allowed, **kw)


V1 = "/api/v1"
row(
    "POST",
    f"{V1}/auth/token",
    "auth/token",
    ALL,
    open_endpoint=True,
    body={"username": "alice", "password": "correct-horse-9"},
)
row("DELETE", f"{V1}/auth/token", "auth/token", ALL[1:])
# The public application (seed 000's 咨询对接回执): anyone, no sign-in (throttled per address).
row(
    "POST",
    f"{V1}/applications",
    "applications",
    ALL,
    open_endpoint=True,
    body={
        "name": "申请人科技有限公司",
        "contact": "赵云",
        "phone": "13800001234",
        "intended_tier": "light",
    },
)
row(
    "POST",
    f"{V1}/partners",
    "partners",
    ("officer", "admin"),
    body={"name": "新伙伴有限公司", "kind": "organization"},
)
row("GET", f"{V1}/partners", "partners", STAFF)
row("GET", f"{V1}/partners/{{code}}", "partners/{alpha}", ALPHA_SIDE, visible=ALPHA_SIDE)
row(
    "POST",
    f"{V1}/partners/{{code}}/users",
    "partners/{alpha}/users",
    ("officer", "admin"),
    visible=ALPHA_SIDE,
    body={"username": "newbie", "password": "long-enough-1"},
)
row(
    "POST",
    f"{V1}/partners/{{code}}/referrer",
    "partners/{alpha}/referrer",
    ("officer", "admin"),
    visible=ALPHA_SIDE,
    body={"referrer_code": "{beta}"},
)
# R-AGR-2: the gm approves a new partner (beta; alpha's agreement approval approved alpha).
row(
    "POST",
    f"{V1}/partners/{{code}}/approve",
    "partners/{beta}/approve",
    ("gm", "admin"),
    visible=("bob", *STAFF),
)
row(
    "POST",
    f"{V1}/leads",
    "leads",
    ("alice", "bob"),
    body={
        "customer": {"name": "全新客户科技有限公司"},
        "contact": {"name": "王五"},
        "category": "brand",
        "need": "官网改版",
    },
)
row("GET", f"{V1}/leads", "leads", ALL[1:])
row("GET", f"{V1}/leads/sla-report", "leads/sla-report?start=2026-01-01&end=2026-12-31", STAFF)
row("GET", f"{V1}/leads/{{lead_id}}", "leads/{pending}", ALPHA_SIDE, visible=ALPHA_SIDE)
row(
    "POST",
    f"{V1}/leads/{{lead_id}}/verdict",
    "leads/{pending}/verdict",
    ("officer", "presales", "admin"),
    visible=ALPHA_SIDE,
    body={"verdict": "invalid", "reason_code": "other", "explanation": "测试"},
)
row(
    "POST",
    f"{V1}/leads/{{lead_id}}/match",
    "leads/{review}/match",
    ("officer", "presales", "admin"),
    visible=ALPHA_SIDE,
    body={"customer_id": None},
)
row(
    "POST",
    f"{V1}/leads/{{lead_id}}/appeal",
    "leads/{invalid}/appeal",
    ("alice",),
    visible=ALPHA_SIDE,
    body={"reason": "客户已立项"},
)
row(
    "POST",
    f"{V1}/leads/{{lead_id}}/second-review",
    "leads/{appealed}/second-review",
    ("officer", "presales", "admin"),
    visible=ALPHA_SIDE,
    body={"verdict": "invalid", "explanation": "维持原结论"},
)
row("GET", f"{V1}/customers/lookup", "customers/lookup?name=东义集团", STAFF)
row("POST", f"{V1}/customers/inbound", "customers/inbound", STAFF, body={"name": "东义集团"})
row(
    "GET",
    f"{V1}/customers/inbound/report",
    "customers/inbound/report?start=2026-01-01&end=2026-12-31",
    STAFF,
)
row(
    "POST",
    f"{V1}/customers/consents/{{consent_id}}/revoke",
    "customers/consents/{consent}/revoke",
    ("alice", "officer", "admin"),
    visible=ALPHA_SIDE,
)
row("GET", f"{V1}/customers/{{customer_id}}", "customers/{owned}", ALPHA_SIDE, visible=ALPHA_SIDE)
row(
    "GET",
    f"{V1}/customers/{{customer_id}}/contacts",
    "customers/{owned}/contacts",
    ALPHA_SIDE,
    visible=ALPHA_SIDE,
)
row(
    "POST",
    f"{V1}/customers/{{customer_id}}/links",
    "customers/{owned}/links",
    ("officer", "admin"),
    visible=ALPHA_SIDE,
    body={"related_id": "{spare}", "kind": "subsidiary"},
)
row(
    "POST",
    f"{V1}/customers/{{customer_id}}/aliases",
    "customers/{owned}/aliases",
    ("officer", "admin"),
    visible=ALPHA_SIDE,
    body={"name": "东义煤电", "kind": "alias"},
)
row(
    "POST",
    f"{V1}/customers/{{customer_id}}/transfer",
    "customers/{owned}/transfer",
    ("admin",),
    visible=ALPHA_SIDE,
    body={"to_partner_code": "{beta}", "reason": "伙伴书面同意转移"},
)
row(
    "POST",
    f"{V1}/customers/{{customer_id}}/consents",
    "customers/{owned}/consents",
    ("alice", "officer", "admin"),
    visible=ALPHA_SIDE,
    body={"grantee_role": "pm", "expires_at": "2027-06-30T18:00:00+08:00"},
    # Staff may grant, but only with the written document, which a JSON body cannot carry
    # (issue #10 finding 3): they get past the role check and answer 422 on `document`.
    extra={"unprocessable": ("officer", "admin")},
)


# Projects and the ledger (SPEC §5, §7).
ALPHA_COMMISSION = ("alice", "finance", "admin")
row(
    "POST",
    f"{V1}/projects",
    "projects",
    ("officer", "pm", "admin"),
    body={
        "customer_id": "{owned}",
        "title": "三期",
        "kind": "iteration",
        "high_margin": False,
        "contract_amount": "80000.00",
        "signed_on": "2026-11-03",
    },
)
row("GET", f"{V1}/projects/{{project_id}}", "projects/{project}", ALPHA_SIDE, visible=ALPHA_SIDE)
row(
    "POST",
    f"{V1}/projects/{{project_id}}/payments",
    "projects/{project}/payments",
    ("finance", "admin"),
    visible=ALPHA_SIDE,
    body={"amount": "1000.00", "received_on": "2026-11-15", "reference": "MX-1"},
)
row(
    "POST",
    f"{V1}/projects/{{project_id}}/acceptance",
    "projects/{project}/acceptance",
    ("officer", "pm", "admin"),
    visible=ALPHA_SIDE,
    body={"accepted_on": "2026-11-15"},
)
row(
    "POST",
    f"{V1}/projects/{{project_id}}/cancellation",
    "projects/{project}/cancellation",
    ("officer", "pm", "admin"),
    visible=ALPHA_SIDE,
    body={"cancelled_on": "2026-11-15", "reason": "客户终止"},
)
row(
    "POST",
    f"{V1}/projects/{{project_id}}/amendment",
    "projects/{project}/amendment",
    ("officer", "pm", "admin"),
    visible=ALPHA_SIDE,
    body={"contract_amount": "250000.00", "reason": "合同笔误更正"},
)
row(
    "POST",
    f"{V1}/projects/{{project_id}}/milestones/{{stage}}",
    "projects/{project}/milestones/solution",
    ("officer", "pm", "admin"),
    visible=ALPHA_SIDE,
    body={"status": "in_progress"},
)
row(
    "GET",
    f"{V1}/partners/{{code}}/ledger",
    "partners/{alpha}/ledger",
    ALPHA_COMMISSION,
    visible=ALPHA_SIDE,
)
row("GET", f"{V1}/ledger/verify", "ledger/verify", ("finance", "admin"))
row(
    "POST",
    f"{V1}/ledger/entries/{{entry_id}}/approve",
    "ledger/entries/{entry}/approve",
    ("finance", "admin"),
)
row(
    "POST",
    f"{V1}/partners/{{code}}/adjustments",
    "partners/{alpha}/adjustments",
    ("finance", "admin"),
    visible=ALPHA_SIDE,
    body={"reason": "更正", "amount": "-10.00"},
)
row(
    "POST",
    f"{V1}/partners/{{code}}/payouts",
    "partners/{alpha}/payouts",
    ("finance", "admin"),
    visible=ALPHA_SIDE,
    body={"bank_reference": "BANK-MX", "paid_on": "2026-11-20", "entry_ids": ["{entry}"]},
)

# Annual settlement and statements (R-LED-6, R-LED-9).
row(
    "POST",
    f"{V1}/settlements/annual",
    "settlements/annual",
    ("finance", "admin"),
    body={"year": 2025},
)
for _template, _path in (
    ("statements", "statements?month=2026-11"),
    ("statements/{year}-{month}", "statements/2026-11"),
    ("statements/{year}-{month}.pdf", "statements/2026-11.pdf"),
    ("statements/{year}-{month}.xlsx", "statements/2026-11.xlsx"),
):
    row(
        "GET",
        f"{V1}/partners/{{code}}/{_template}",
        f"partners/{{alpha}}/{_path}",
        ALPHA_COMMISSION,
        visible=ALPHA_SIDE,
    )

# Tiers (SPEC §8).
row("GET", f"{V1}/partners/{{code}}/tier", "partners/{alpha}/tier", ALPHA_SIDE, visible=ALPHA_SIDE)
row(
    "POST",
    f"{V1}/partners/{{code}}/tier-applications",
    "partners/{alpha}/tier-applications",
    ("alice",),
    visible=ALPHA_SIDE,
    body={"resources": "省属国企集团资源", "plan": "三年合作计划"},
)
row(
    "POST",
    f"{V1}/partners/{{code}}/tier-applications/{{application_id}}/decision",
    "partners/{alpha}/tier-applications/{application}/decision",
    ("officer", "admin"),
    visible=ALPHA_SIDE,
    body={"approve": True, "note": "资源属实"},
)

# Violations and exit (SPEC §9).
row(
    "POST",
    f"{V1}/partners/{{code}}/violations",
    "partners/{alpha}/violations",
    ("officer", "admin"),
    visible=ALPHA_SIDE,
    body={"kind": "fake_lead", "occurred_on": "2026-11-01", "description": "虚构需求"},
)
row(
    "POST",
    f"{V1}/partners/{{code}}/company-violations",
    "partners/{alpha}/company-violations",
    ("alice",),
    visible=ALPHA_SIDE,
    body={"project_id": "{project}", "kind": "bypass", "description": "销售绕开伙伴"},
)
row(
    "POST",
    f"{V1}/company-violations/{{violation_id}}/decision",
    "company-violations/{violation}/decision",
    ("admin",),
    visible=ALPHA_SIDE,
    body={"confirm": True, "note": "核实属实"},
)
row(
    "POST",
    f"{V1}/company-violations/{{violation_id}}/claim",
    "company-violations/{confirmed_violation}/claim",
    ("alice",),
    visible=ALPHA_SIDE,
)
row(
    "POST",
    f"{V1}/partners/{{code}}/exit",
    "partners/{alpha}/exit",
    ("officer", "admin"),
    visible=ALPHA_SIDE,
    body={"kind": "mutual", "on": "2026-11-20", "note": "协商一致"},
)

# Criticality (R-CRIT-1, issue #15): officers, the gm and admins grade a partner.
row(
    "POST",
    f"{V1}/partners/{{code}}/criticality",
    "partners/{alpha}/criticality",
    ("officer", "gm", "admin"),
    body={"strategic_value": 4, "substitutability": "hard", "reason": "独家技术"},
)
# Basic facts and key contacts (R-PRF-1, issue #15): officers keep them; staff and the partner
# itself read them.
row("GET", f"{V1}/partners/{{code}}/profile", "partners/{alpha}/profile", ALPHA_SIDE,
    visible=ALPHA_SIDE)  # fmt: skip
row(
    "PUT",
    f"{V1}/partners/{{code}}/profile",
    "partners/{alpha}/profile",
    ("officer", "admin"),
    visible=ALPHA_SIDE,
    body={"complementarity": "technology", "team_size": 40},
)
row(
    "POST",
    f"{V1}/partners/{{code}}/contacts",
    "partners/{alpha}/contacts",
    ("officer", "admin"),
    visible=ALPHA_SIDE,
    body={"name": "王博士", "layer": "technical", "title": "CTO"},
)
# The co-delivery review (R-ASM-2, issue #15): graders record; staff read; partners never.
row(
    "POST",
    f"{V1}/partners/{{code}}/delivery-reviews",
    "partners/{alpha}/delivery-reviews",
    ("officer", "gm", "admin"),
    visible=ALPHA_SIDE,
    body={"ratings": {"交付质量": "待验证"}},
)
row(
    "GET",
    f"{V1}/partners/{{code}}/delivery-reviews",
    "partners/{alpha}/delivery-reviews",
    STAFF,
    visible=ALPHA_SIDE,
)
# Depth (R-PRF-2, issue #15): officers confirm; staff read; partners never.
row(
    "POST",
    f"{V1}/partners/{{code}}/depth",
    "partners/{alpha}/depth",
    ("officer", "admin"),
    visible=ALPHA_SIDE,
    body={"depth": "ordinary", "reason": "核实合作情况"},
)
row("GET", f"{V1}/partners/{{code}}/depth", "partners/{alpha}/depth", STAFF, visible=ALPHA_SIDE)
# Capability and willingness (R-ASM-1, issue #15): graders record; staff read; partners never.
row(
    "POST",
    f"{V1}/partners/{{code}}/assessments",
    "partners/{alpha}/assessments",
    ("officer", "gm", "admin"),
    body={
        "kind": "willingness",
        "scores": {"executive_support": 5, "dedicated_team": 4, "long_term_commitment": 4},
    },
)
row(
    "GET",
    f"{V1}/partners/{{code}}/assessments",
    "partners/{alpha}/assessments",
    STAFF,
)
# Agreements (R-AGR-1/2/4, issue #15): officers draft and amend, legal reviews, the gm
# approves; the partner reads its own; the exit terms are for who reads the terms (R-PRF-3).
row(
    "POST",
    f"{V1}/agreements",
    "agreements",
    ("officer", "admin"),
    body={
        "partner_code": "{alpha}",
        "kind": "supply",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
    },
)
row("GET", f"{V1}/agreements", "agreements", ALL[1:])
_AGREEMENT = f"{V1}/agreements/{{agreement_id}}"
row("GET", _AGREEMENT, "agreements/{agreement}", ALPHA_SIDE, visible=ALPHA_SIDE)
row(
    "POST",
    f"{_AGREEMENT}/review",
    "agreements/{agreement}/review",
    ("legal", "admin"),
    visible=ALPHA_SIDE,
    body={"note": "条款无异议"},
)
row(
    "POST",
    f"{_AGREEMENT}/approve",
    "agreements/{reviewed_agreement}/approve",
    ("gm", "admin"),
    visible=ALPHA_SIDE,
    body={},
)
row(
    "POST",
    f"{_AGREEMENT}/amend",
    "agreements/{approved_agreement}/amend",
    ("officer", "admin"),
    visible=ALPHA_SIDE,
    body={"ends_on": "2028-12-31"},
)
row(
    "GET",
    f"{_AGREEMENT}/exit",
    "agreements/{approved_agreement}/exit?notice_on=2026-07-01",
    ("alice", "finance", "gm", "legal", "admin"),
    visible=ALPHA_SIDE,
)
# Selections (R-SEL, issue #15): officers run them (admins may); all staff read the comparison;
# partner users see none of it.
OFFICERS_ONLY = ("officer", "admin")
row(
    "POST",
    f"{V1}/selections",
    "selections",
    OFFICERS_ONLY,
    body={
        "title": "渠道伙伴甄选",
        "partner_type": "channel",
        "criteria": [{"metric": "NPS", "op": "gte", "threshold": 70}],
    },
)
row("GET", f"{V1}/selections/{{selection_id}}", "selections/{selection}", STAFF, visible=STAFF)
row(
    "POST",
    f"{V1}/selections/{{selection_id}}/candidates",
    "selections/{selection}/candidates",
    OFFICERS_ONLY,
    visible=STAFF,
    body={"name": "丁科技", "channel": "展会"},
)
row(
    "POST",
    f"{V1}/candidates/{{candidate_id}}/stage",
    "candidates/{sourced}/stage",
    OFFICERS_ONLY,
    visible=STAFF,
    body={"stage": "screened"},
)
row(
    "POST",
    f"{V1}/candidates/{{candidate_id}}/trial",
    "candidates/{in_trial}/trial",
    OFFICERS_ONLY,
    visible=STAFF,
    body={"results": {"交付准时率": 92}},
)
row(
    "POST",
    f"{V1}/candidates/{{candidate_id}}/decision",
    "candidates/{decided}/decision",
    OFFICERS_ONLY,
    visible=STAFF,
    body={"decision": "stop", "reason": "预算调整"},
)
row(
    "POST",
    f"{V1}/candidates/{{candidate_id}}/reject",
    "candidates/{sourced}/reject",
    OFFICERS_ONLY,
    visible=STAFF,
    body={"reason": "资质不符"},
)
row(
    "POST",
    f"{V1}/candidates/{{candidate_id}}/sign",
    "candidates/{decided}/sign",
    OFFICERS_ONLY,
    visible=STAFF,
    body={},
)
# Unit reports (R-UNIT-2, issue #15): officers and finance enter them; who reads the terms
# reads them (R-PRF-3).
row(
    "POST",
    f"{V1}/partners/{{code}}/unit-reports",
    "partners/{alpha}/unit-reports",
    ("officer", "finance", "admin"),
    visible=ALPHA_SIDE,
    body={"period": "2026-10", "units": 120, "complaint_rate": "0.02", "nps": "70"},
)
row(
    "GET",
    f"{V1}/partners/{{code}}/unit-reports",
    "partners/{alpha}/unit-reports",
    ("alice", "finance", "gm", "legal", "admin"),
    visible=ALPHA_SIDE,
)
# Co-delivery partners (R-RS-1, issue #15): officers, pms and admins add them; staff read them
# (the ratio per R-PRF-3); the referring partner never (R-VIS-2).
row(
    "POST",
    f"{V1}/projects/{{project_id}}/shares",
    "projects/{project}/shares",
    ("officer", "pm", "admin"),
    visible=ALPHA_SIDE,
    body={"partner_code": "{beta}", "share": "0.40", "role": "技术开发"},
)
row(
    "GET",
    f"{V1}/projects/{{project_id}}/shares",
    "projects/{project}/shares",
    STAFF,
    visible=ALPHA_SIDE,
)
# Revenue-share schemes side by side (R-RS-1): the gm proposes and approves; staff read them.
row(
    "POST",
    f"{V1}/projects/{{project_id}}/share-schemes",
    "projects/{project}/share-schemes",
    ("gm", "admin"),
    visible=ALPHA_SIDE,
    body={"partner_code": "{beta}", "label": "方案B", "share": "0.30"},
)
row(
    "GET",
    f"{V1}/projects/{{project_id}}/share-schemes",
    "projects/{project}/share-schemes",
    STAFF,
    visible=ALPHA_SIDE,
)
row(
    "POST",
    f"{V1}/share-schemes/{{scheme_id}}/approve",
    "share-schemes/{scheme}/approve",
    ("gm", "admin"),
)
# Scorecards (R-KPI, issue #16): officers record and revise; staff and the partner read.
SCORE_BODY = {"kpis": [{"name": "签约量", "direction": "higher", "target": 500, "actual": 580}]}
row(
    "POST",
    f"{V1}/partners/{{code}}/scorecards",
    "partners/{alpha}/scorecards",
    ("officer", "admin"),
    visible=ALPHA_SIDE,
    body={"period": "2026-09", **SCORE_BODY},
)
row("GET", f"{V1}/partners/{{code}}/scorecards", "partners/{alpha}/scorecards", ALPHA_SIDE,
    visible=ALPHA_SIDE)  # fmt: skip
row(
    "POST",
    f"{V1}/scorecards/{{scorecard_id}}/revise",
    "scorecards/{scorecard}/revise",
    ("officer", "admin"),
    visible=ALPHA_SIDE,
    body={**SCORE_BODY, "note": "更正实际值"},
)
# The scorecard template (R-KPI-1, D-KPI-2): officers set it; staff and the partner read it.
row("PUT", f"{V1}/partners/{{code}}/scorecard-template", "partners/{alpha}/scorecard-template",
    ("officer", "admin"), visible=ALPHA_SIDE,
    body={"kpis": [{"name": "签约量", "direction": "higher", "target": 500}]})  # fmt: skip
row("GET", f"{V1}/partners/{{code}}/scorecard-template", "partners/{alpha}/scorecard-template",
    ALPHA_SIDE, visible=ALPHA_SIDE)  # fmt: skip
# Monthly health (R-HLTH, issue #16): officers record it; staff read it.
HEALTH_BODY = {"period": "2026-10", "trust": "good", "communication": "excellent",
               "benefit": "pending", "risk": "medium", "long_term": "excellent"}  # fmt: skip
row("POST", f"{V1}/partners/{{code}}/health", "partners/{alpha}/health", ("officer", "admin"),
    visible=ALPHA_SIDE, body=HEALTH_BODY)  # fmt: skip
row("GET", f"{V1}/partners/{{code}}/health", "partners/{alpha}/health", STAFF,
    visible=ALPHA_SIDE)  # fmt: skip
# The risk register (R-RISK, issue #16): officers raise and review; staff read.
row(
    "POST",
    f"{V1}/partners/{{code}}/risks",
    "partners/{alpha}/risks",
    ("officer", "admin"),
    visible=ALPHA_SIDE,
    body={"title": "技术依赖", "category": "technology", "level": "medium"},
)
row("GET", f"{V1}/partners/{{code}}/risks", "partners/{alpha}/risks", STAFF, visible=ALPHA_SIDE)
row("POST", f"{V1}/risks/{{risk_id}}/review", "risks/{risk}/review", ("officer", "admin"),
    visible=STAFF, body={"note": "已复核", "level": "low"})  # fmt: skip
row("POST", f"{V1}/partners/{{code}}/ownership-changes", "partners/{alpha}/ownership-changes",
    ("officer", "admin"), visible=ALPHA_SIDE,
    body={"changed_on": "2026-11-01", "new_owner": "晋商投资集团"})  # fmt: skip
row("GET", f"{V1}/cases", "cases", STAFF)
row("POST", f"{V1}/partners/{{code}}/data-breaches", "partners/{alpha}/data-breaches",
    ("officer", "admin"), visible=ALPHA_SIDE,
    body={"detected_on": "2026-11-01", "description": "客户清单外泄"})  # fmt: skip
# Customer credit (R-CRED, issue #16): finance reviews and approves an excess, the gm approves a
# large limit; staff read; the owning partner sees the customer but not its credit.
row("POST", f"{V1}/customers/{{customer_id}}/credit-reviews", "customers/{owned}/credit-reviews",
    ("finance", "admin"), visible=ALPHA_SIDE, body={"rating": "B", "risk": "medium",
    "credit_limit": "200000.00"})  # fmt: skip
row("GET", f"{V1}/customers/{{customer_id}}/credit-reviews", "customers/{owned}/credit-reviews",
    STAFF, visible=ALPHA_SIDE)  # fmt: skip
row("GET", f"{V1}/customers/{{customer_id}}/credit", "customers/{owned}/credit", STAFF,
    visible=ALPHA_SIDE)  # fmt: skip
row("POST", f"{V1}/customers/{{customer_id}}/credit-excesses",
    "customers/{owned}/credit-excesses", ("finance", "admin"), visible=ALPHA_SIDE,
    body={"amount": "100000.00", "note": "老客户"})  # fmt: skip
row("PUT", f"{V1}/projects/{{project_id}}/billing-plan", "projects/{project}/billing-plan",
    ("finance", "admin"), visible=ALPHA_SIDE,
    body={"instalments": [{"amount": "300000.00", "due_on": "2026-12-01"}]})  # fmt: skip
row("GET", f"{V1}/projects/{{project_id}}/billing-plan", "projects/{project}/billing-plan", STAFF,
    visible=ALPHA_SIDE)  # fmt: skip
row("POST", f"{V1}/credit-reviews/{{review_id}}/decide", "credit-reviews/{credit_review}/decide",
    ("gm", "admin"), visible=STAFF, body={"approve": True})  # fmt: skip
# Channel analytics (R-ANL, issue #16): officers, finance, the gm read; officers and finance
# record a partner's channel costs.
row("GET", f"{V1}/analytics/channels", "analytics/channels", ("officer", "finance", "gm", "admin"))
row("GET", f"{V1}/analytics/channels/{{code}}/months", "analytics/channels/{alpha}/months",
    ("officer", "finance", "gm", "admin"))  # fmt: skip
row("POST", f"{V1}/partners/{{code}}/costs", "partners/{alpha}/costs",
    ("officer", "finance", "admin"), visible=ALPHA_SIDE,
    body={"amount": "20000.00", "spent_on": "2026-11-02", "category": "event"})  # fmt: skip
row("GET", f"{V1}/partners/{{code}}/costs", "partners/{alpha}/costs", STAFF, visible=ALPHA_SIDE)
row("GET", f"{V1}/analytics/board", "analytics/board", ("officer", "finance", "gm", "admin"))
row("PUT", f"{V1}/analytics/targets", "analytics/targets", ("gm", "admin"),
    body={"new_customers": 120})  # fmt: skip
# Meetings (R-MEET, issue #16): officers record them; staff read them with the cadence due.
row("POST", f"{V1}/partners/{{code}}/meetings", "partners/{alpha}/meetings",
    ("officer", "admin"), visible=ALPHA_SIDE,
    body={"kind": "business", "held_on": "2026-11-10", "minutes": "月度业务复盘"})  # fmt: skip
row("GET", f"{V1}/partners/{{code}}/meetings", "partners/{alpha}/meetings", STAFF,
    visible=ALPHA_SIDE)  # fmt: skip
# Crisis cases (R-CRIS, issue #16): staff read them; officers close them.
row("GET", f"{V1}/partners/{{code}}/cases", "partners/{alpha}/cases", STAFF, visible=ALPHA_SIDE)
row(
    "POST",
    f"{V1}/cases/{{case_id}}/close",
    "cases/{case}/close",
    ("officer", "admin"),
    visible=STAFF,
    body={"outcome": "整改完成"},
)
# Notifications (SPEC §13): everyone signed in reads their own; another's is not found.
row("GET", f"{V1}/notifications", "notifications", ALL[1:])
row("POST", f"{V1}/notifications/read-all", "notifications/read-all", ALL[1:])
row("GET", f"{V1}/notifications/preferences", "notifications/preferences", ALL[1:])
row(
    "PUT",
    f"{V1}/notifications/preferences",
    "notifications/preferences",
    ALL[1:],
    body={"items": []},
)
row(
    "POST",
    f"{V1}/notifications/{{notification_id}}/read",
    "notifications/{alice_notification}/read",
    ("alice",),
    visible=("alice",),
)
# Webhooks (R-HOOK-1): admins only; the deliveries of a webhook the world registered.
row(
    "POST",
    f"{V1}/webhooks",
    "webhooks",
    ("admin",),
    body={"url": "https://hooks.example.com/huoban", "events": ["lead.submitted"]},
)
row("GET", f"{V1}/webhooks/{{webhook_id}}/deliveries", "webhooks/{webhook}/deliveries", ("admin",))
row(
    "POST",
    f"{V1}/webhooks/{{webhook_id}}/rotate-secret",
    "webhooks/{webhook}/rotate-secret",
    ("admin",),
)


def _openapi_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}


def test_every_endpoint_is_in_the_matrix():
    assert _openapi_operations() == set(ROWS)


# A per-unit scheme (R-UNIT-1) on the world's agreements: the approved one takes unit reports.
UNIT_SCHEME = {
    "kind": "per_unit",
    "direction": "payable",
    "year": 2026,
    "base_target": 100,
    "below_target_rate": "10",
    "brackets": [{"up_to": 100, "rate": "12"}, {"up_to": None, "rate": "15"}],
}


def build_world(actors) -> dict[str, Any]:
    """alpha owns 东义集团 (consent granted to presales); alpha also has a pending lead, an
    invalid one, an appealed one and one awaiting a customer-match decision."""
    with clock.frozen(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)):
        # A webhook for new leads: each lead below queues a delivery to it (R-HOOK-1).
        webhook, _secret = register_webhook(
            "https://hooks.example.com/world", ["lead.submitted"], actor=actors.admin
        )
        robot = register_robot(
            name="线索提醒", team="华东销售", kind="wecom", secret="", events=["lead.submitted"],
            url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=world", actor=actors.admin,
        )  # fmt: skip
        owned_lead = submit(actors.alice, "东义集团")
        judge(actors.officer, owned_lead)
        pending = submit(actors.alice, "晋中华泰煤化工有限公司")
        invalid = judge(actors.officer, submit(actors.alice, "太原智慧政务服务中心"), INVALID)
        appealed = judge(actors.officer, submit(actors.alice, "云岭茶业股份有限公司"), INVALID)
        appeal(appealed.pk, "客户已立项", actor=actors.alice)
        review = submit(actors.alice, "晋中华太煤化工")  # a misspelling: a possible match
        spare, _ = get_or_create_customer("东义集团孝义焦化有限公司")
        consent = grant_consent(
            owned_lead.customer,
            partner=actors.alpha,
            grantee_user=actors.presales,
            expires_at=dt.datetime(2027, 6, 30, tzinfo=dt.UTC),
            actor=actors.alice,
        )
        # Projects: one unpaid, one paid whose confirmation entry finance has approved.
        project = _sign(actors, owned_lead.customer_id, "生产数据平台")
        scorecard = record_scorecard(
            actors.alpha.code,
            period="2026-10",
            # 350 of 500 = 70 → unqualified: a remediation case (R-CRIS-5), no pause
            kpis=[{"name": "签约量", "direction": "higher", "target": 500, "actual": 350}],
            actor=actors.officer,
        )
        credit_review = record_review(
            owned_lead.customer_id, rating="A", risk="low", credit_limit="2000000.00",
            actor=actors.finance,
        )  # fmt: skip
        risk = raise_risk(
            actors.alpha.code, title="分成比例未定", category="revenue_share", level="high",
            actor=actors.officer,
        )  # fmt: skip
        scheme = propose_scheme(
            project.pk, partner_code=actors.beta.code, label="方案A", share="0.40", actor=actors.gm
        )
        paid = _sign(actors, owned_lead.customer_id, "二期")
        record_payment(
            paid.pk,
            actor=actors.finance,
            amount=Decimal("100000.00"),
            received_on=dt.date(2026, 11, 10),
            reference="MX-0",
        )
        entry = LedgerEntry.objects.get(project=paid)
        approve_entry(entry.pk, actor=actors.finance)
        # A reported company violation, and a confirmed one that may be claimed (R-VIOL-1).
        violation = report_company_violation(
            actor=actors.alice, project_id=project.pk, kind="bypass", description="销售绕开伙伴"
        )
        confirmed = report_company_violation(
            actor=actors.alice,
            project_id=paid.pk,
            kind="withheld_commission",
            description="扣发佣金",
        )
        decide_company_violation(confirmed.pk, actor=actors.admin, confirm=True, note="核实属实")
        application = apply_for_strategic(actor=actors.alice, resources="集团资源", plan="三年计划")
        # Agreements (R-AGR-2): a draft, one legal has reviewed, one the gm has approved.
        drafts = [
            draft_agreement(
                actors.alpha.code,
                kind="co_delivery",
                starts_on=dt.date(2026, 1, 1),
                ends_on=dt.date(2027, 12, 31),
                scheme=UNIT_SCHEME,
                actor=actors.officer,
            )
            for _ in range(3)
        ]
        for agreement in drafts[1:]:
            review_agreement(agreement.pk, note="", actor=actors.legal)
        approve_agreement(drafts[2].pk, actor=actors.gm)
        # A selection (R-SEL): one candidate just sourced, one in its trial, one decided `sign`.
        selection = create_selection(
            title="技术伙伴甄选",
            partner_type="technology",
            criteria=[{"metric": "交付准时率", "op": "gte", "threshold": 90, "unit": "%"}],
            actor=actors.officer,
        )
        sourced, in_trial, decided = (
            add_candidate(selection.pk, name=n, actor=actors.officer)
            for n in ("甲科技", "乙科技", "丙科技")
        )
        for candidate in (in_trial, decided):
            for stage in ("screened", "nda", "due_diligence", "trial"):
                move_stage(candidate.pk, stage=stage, actor=actors.officer)
        record_trial(decided.pk, results={"交付准时率": 95}, actor=actors.officer)
    assert review.status == "needs_review", review.status
    fanned()  # the worker's first step: the events raised become notifications, deliveries
    return {
        "alpha": actors.alpha.code,
        "beta": actors.beta.code,
        "owned": owned_lead.customer_id,
        "pending": pending.pk,
        "invalid": invalid.pk,
        "appealed": appealed.pk,
        "review": review.pk,
        "spare": spare.pk,
        "consent": consent.pk,
        "project": project.pk,
        "scheme": scheme.pk,
        "scorecard": scorecard.pk,
        "risk": risk.pk,
        "credit_review": credit_review.pk,
        "case": scorecard.cases.get().pk,
        "entry": entry.pk,
        "violation": violation.pk,
        "confirmed_violation": confirmed.pk,
        "application": application.pk,
        "alice_notification": Notification.objects.filter(recipient=actors.alice).first().pk,
        "webhook": webhook.pk,
        "delivery": webhook.deliveries.order_by("pk").first().pk,
        "robot": robot.pk,
        "agreement": drafts[0].pk,
        "reviewed_agreement": drafts[1].pk,
        "approved_agreement": drafts[2].pk,
        "selection": selection.pk,
        "sourced": sourced.pk,
        "in_trial": in_trial.pk,
        "decided": decided.pk,
    }


def _sign(actors, customer_id: int, title: str) -> Any:
    return create_project(
        actor=actors.officer,
        customer_id=customer_id,
        title=title,
        kind="new",
        high_margin=False,
        contract_amount=Decimal("300000.00"),
        signed_on=dt.date(2026, 11, 2),
    )


def _fill(value: Any, world: dict[str, Any]) -> Any:
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}") and value[1:-1] in world:
            return world[value[1:-1]]
        return value.format(**world) if "{" in value else value
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    return value


def expected(r: Row, who: str) -> set[int]:
    if r.open_endpoint:
        return {200, 201}
    if who == "anonymous":
        return {401}
    if who not in r.visible:
        return {404}
    if who in r.extra.get("unprocessable", ()):
        return {422}
    if who in r.allowed:
        return {200, 201}
    return {403}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ALL)
@pytest.mark.parametrize("key", sorted(ROWS), ids=lambda k: f"{k[0]} {k[1]}")
def test_the_matrix(actors, api_client, key, who):
    r = ROWS[key]
    world = build_world(actors)
    user = None if who == "anonymous" else getattr(actors, who)
    client = api_client.as_(user)
    path = _fill(r.path, world)
    status, body = client.request(
        r.method, path, _fill(r.body, world) if r.method in ("POST", "PUT", "PATCH") else None
    )
    assert status in expected(r, who), (who, r.method, path, status, body)
