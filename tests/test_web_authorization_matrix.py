"""Who may open what on the web: every URL pattern × anonymous, two partners and each staff role.

The patterns are walked from the URL conf (includes and namespaces), so a page without a row
fails `test_every_web_pattern_is_in_the_matrix`, naming it, and a row whose pattern is gone
fails it too. Every pattern listed here has a GET and a POST row (a method a page does not take
answers 405 once the caller is past the page's own check). The API's operations are the API
matrix's (`tests/test_authorization_matrix.py`, built from the OpenAPI document); the API's
other URLs (OpenAPI document, docs, root) are rows here. The Django admin's per-app and
per-model pages are shape rules generated from `admin.site._registry` (changelist, add, change,
delete, history, redirect, password), asked for every registered model; every admin pattern
must be a row or match exactly one rule. `SUPERUSER_MAY` says what the admin may do to which
model there; `ADMIN_ACTIONS` posts the admin's delete and add forms.

Each row runs against one world: alpha's leads, customer, consent, projects and ledger entries
(`build_world` of the API matrix) plus a pending entry and a 2025 project of beta. The objects
in the URLs are alpha's: alice is their own partner, bob ANOTHER partner (404, never 200).
Each caller's request runs in a savepoint that is rolled back, so every caller sees the same
world; the state (row counts of every table and every hash-chain head) must not change for a
caller a POST row does not list in `changes`, and must change for each one it does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from huoban import clock
from huoban.accounts.backends import HUOBAN_APPS
from huoban.audit.models import ChainHead
from huoban.commissions.models import EntryStatus, LedgerEntry
from huoban.core.models import Holiday
from huoban.projects.services import record_payment
from tests.portal.helpers import form_data
from tests.projects.helpers import sign

from .test_authorization_matrix import ROWS as API_ROWS
from .test_authorization_matrix import build_world

ANON = "anonymous"
PARTNERS = ("alice", "bob")
STAFF = ("officer", "presales", "pm", "finance", "gm", "legal", "admin")
ALL = (ANON, *PARTNERS, *STAFF)

# Outcomes: an HTTP status, or a redirect to a sign-in page (the `next` kept).
LOGIN = "login"  # 302 to /login/
ADMIN_LOGIN = "admin-login"  # 302 to /admin/login/

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


# --- the URL conf -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    route: str  # the patterns' strings joined, e.g. "portal/leads/<int:lead_id>/"
    name: str  # namespaced, e.g. "portal:lead"


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Pattern]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        else:
            assert isinstance(p, URLPattern)
            yield Pattern(prefix + str(p.pattern), namespace + (p.name or ""))


def url_patterns() -> list[Pattern]:
    return list(walk(get_resolver().url_patterns))


# --- expected answers -------------------------------------------------------------------------

Expect = dict[str, int | str]


def everyone(outcome: int | str) -> Expect:
    return dict.fromkeys(ALL, outcome)


def signed_in(anonymous: int | str, others: int | str) -> Expect:
    return {ANON: anonymous, **dict.fromkeys(ALL[1:], others)}


def portal(alice: int | str = 200, bob: int | str | None = None) -> Expect:
    """A portal page: anonymous → login, staff → 404; bob defaults to alice's answer (a page
    of his own partner) — pass bob=404 for a page on one of alpha's objects."""
    return {
        ANON: LOGIN,
        "alice": alice,
        "bob": alice if bob is None else bob,
        **dict.fromkeys(STAFF, 404),
    }


def console(default: int | str = 200, **roles: int | str) -> Expect:
    """A console page: anonymous → login, partner users → 404 (R-VIS-4)."""
    return {
        ANON: LOGIN,
        **dict.fromkeys(PARTNERS, 404),
        **{s: roles.get(s, default) for s in STAFF},
    }


def finance_only(ok: int | str = 200) -> Expect:
    """Finance pages: other staff get a 403 page saying why (R-VIS-2)."""
    return console(403, finance=ok, admin=ok)


# The admin site: anonymous visitors and partner users (not staff) are sent to its login.
ADMIN_SITE: Expect = {ANON: ADMIN_LOGIN, **dict.fromkeys(PARTNERS, ADMIN_LOGIN)}


def wrong_method(route: str) -> Expect:
    """The answer to a method a page does not take: the side's own check comes first (login,
    the other side's 404, finance's 403), then 405 for everyone who gets through."""
    if route.startswith("portal/"):
        return portal(405)
    if route.startswith("console/finance/"):
        return finance_only(405)
    if route.startswith("console/"):
        return console(405)
    if route.startswith("admin/"):
        return {**ADMIN_SITE, **dict.fromkeys(STAFF, 405)}
    return everyone(405)


@dataclass(frozen=True)
class Row:
    method: str
    route: str
    path: str  # with {placeholders} filled from the world
    expect: Expect
    body: dict[str, Any] | None = None
    changes: tuple[str, ...] = ()  # callers whose POST must change the state
    check_state: bool = True  # False: sign-in/out (sessions, not business state)
    headers: dict[str, str] | None = None


ROWS: dict[tuple[str, str], Row] = {}


def row(method: str, route: str, path: str, expect: Expect, **kw: Any) -> None:
    assert (method, route) not in ROWS, (method, route)
    assert set(expect) == set(ALL), (route, set(ALL) ^ set(expect))
    ROWS[(method, route)] = Row(method, route, path, expect, **kw)


def get_only(route: str, path: str, expect: Expect, **kw: Any) -> None:
    """A page that only reads: GET as given, POST answers 405 to whoever gets through."""
    row("GET", route, path, expect, **kw)
    row("POST", route, path, wrong_method(route), **kw)


def post_only(route: str, path: str, expect: Expect, **kw: Any) -> None:
    """An action: POST as given, GET answers 405 to whoever gets through."""
    row("POST", route, path, expect, **kw)
    row("GET", route, path, wrong_method(route))


# Public pages and sign-in.
for _method in ("GET", "POST"):  # these answer any method
    row(_method, "healthz", "/healthz", everyone(200))
    row(_method, "api/v1/openapi.json", "/api/v1/openapi.json", everyone(200))
    row(_method, "api/v1/docs", "/api/v1/docs", everyone(200))
row("GET", "about/", "/about/", everyone(200))
row("POST", "about/", "/about/", everyone(200))  # a static page: any method shows it
row("GET", "", "/", signed_in(LOGIN, 302))  # → login, portal or console
row("POST", "", "/", signed_in(LOGIN, 302))
row("GET", "login/", "/login/", signed_in(200, 302))  # signed in: on to "/"
row(
    "POST",
    "login/",
    "/login/",
    signed_in(200, 302),  # a wrong password shows the form again
    body={"username": "alice", "password": "wrong-password-1"},
    check_state=False,
)
row("GET", "logout/", "/logout/", everyone(405))
row("POST", "logout/", "/logout/", everyone(LOGIN), check_state=False)
# Passwords (issue #12): one's own change (signed in; a wrong current password changes
# nothing), and an invitation or reset link, which anyone holding it may use.
row("GET", "password/", "/password/", signed_in(LOGIN, 200))
row(
    "POST",
    "password/",
    "/password/",
    signed_in(LOGIN, 422),
    body={"old_password": "wrong", "new_password": "x-new-2026", "new_password2": "x-new-2026"},
)
# One's own sessions (issue #12): any signed-in user; ending an unknown session answers 404.
row("GET", "sessions/", "/sessions/", signed_in(LOGIN, 200))
row("POST", "sessions/", "/sessions/", signed_in(LOGIN, 404), body={"session": "999999"})
# One's own notifications (issue #14): any signed-in user; another's is not found.
row("GET", "notifications/", "/notifications/", signed_in(LOGIN, 200))
row("POST", "notifications/", "/notifications/", signed_in(LOGIN, 405))
row("GET", "notifications/badge/", "/notifications/badge/", signed_in(LOGIN, 200))
row("POST", "notifications/badge/", "/notifications/badge/", signed_in(LOGIN, 405))
row("GET", "notifications/read-all/", "/notifications/read-all/", signed_in(LOGIN, 405))
row("POST", "notifications/read-all/", "/notifications/read-all/", signed_in(LOGIN, 302))
row("GET", "notifications/settings/", "/notifications/settings/", signed_in(LOGIN, 200))
row(
    "POST",
    "notifications/settings/",
    "/notifications/settings/",
    signed_in(LOGIN, 302),
    changes=ALL[1:],  # their own
)
_OPEN = "notifications/<int:notification_id>/open/"
row("GET", _OPEN, "/notifications/{alice_notification}/open/", signed_in(LOGIN, 405))
row(
    "POST",
    _OPEN,
    "/notifications/{alice_notification}/open/",
    {**signed_in(LOGIN, 404), "alice": 302},
)
row("GET", "password/<str:token>/", "/password/{link}/", everyone(200))
row(
    "POST",
    "password/<str:token>/",
    "/password/{link}/",
    everyone(LOGIN),  # on to the login page, to sign in with the new password
    body={"password": "carol-pass-2026", "password2": "carol-pass-2026"},
    changes=ALL,
)
# The public application page (seed 000's 咨询对接回执): anyone; the receipt page after it.
row("GET", "apply/", "/apply/", everyone(200))
row(
    "POST",
    "apply/",
    "/apply/",
    everyone(302),
    body={
        "name": "申请人科技有限公司",
        "contact": "赵云",
        "phone": "13800001234",
        "intended_tier": "deep",
    },
    changes=ALL,
)
get_only("apply/thanks/", "/apply/thanks/", everyone(200))
row("GET", "i18n/setlang/", "/i18n/setlang/", everyone(302))
row("POST", "i18n/setlang/", "/i18n/setlang/", everyone(302), body={"language": "en"})

# The API's own pages that are not operations (the operations are the API matrix's).
for _method in ("GET", "POST"):  # no page at the API's root
    row(_method, "api/v1/", "/api/v1/", everyone(404))

# The partner portal: one partner's own data; staff have none (404).
P = "portal/"
get_only(P, "/portal/", portal())
get_only(f"{P}leads/", "/portal/leads/", portal())
row("GET", f"{P}leads/new/", "/portal/leads/new/", portal())
row(
    "POST",
    f"{P}leads/new/",
    "/portal/leads/new/",
    portal(302),
    body=form_data("网页新客户科技有限公司"),
    changes=PARTNERS,
)
get_only(f"{P}leads/new/items/", "/portal/leads/new/items/?category=ai", portal())
get_only(
    f"{P}leads/new/name-check/",
    "/portal/leads/new/name-check/?" + urlencode({"customer_name": "东义集团"}),
    portal(),
)
get_only(f"{P}leads/<int:lead_id>/", "/portal/leads/{pending}/", portal(200, 404))
post_only(
    f"{P}leads/<int:lead_id>/appeal/",
    "/portal/leads/{invalid}/appeal/",
    portal(302, 404),
    body={"reason": "客户已立项"},
    changes=("alice",),
)
get_only(f"{P}customers/", "/portal/customers/", portal())
get_only(f"{P}customers/<int:customer_id>/", "/portal/customers/{owned}/", portal(200, 404))
get_only(f"{P}projects/", "/portal/projects/", portal())
get_only(f"{P}projects/<int:project_id>/", "/portal/projects/{project}/", portal(200, 404))
get_only(
    f"{P}projects/<int:project_id>/milestones/",
    "/portal/projects/{project}/milestones/",
    portal(200, 404),
)
get_only(f"{P}consents/", "/portal/consents/", portal())
post_only(
    f"{P}consents/grant/",
    "/portal/consents/grant/",
    # bob may not choose alpha's customer: the form refuses it (422), nothing is written.
    portal(302, 422),
    body={"customer": "{owned}", "grantee_role": "pm", "expires_at": "2027-06-30T18:00"},
    changes=("alice",),
)
post_only(
    f"{P}consents/<int:consent_id>/revoke/",
    "/portal/consents/{consent}/revoke/",
    portal(302, 404),
    changes=("alice",),
)
get_only(f"{P}ledger/", "/portal/ledger/", portal())
post_only(f"{P}ledger/verify/", "/portal/ledger/verify/", portal(200))
get_only(f"{P}statements/", "/portal/statements/", portal())
for _suffix, _path in (("/$", "/"), (r"\.pdf$", ".pdf"), (r"\.xlsx$", ".xlsx")):
    get_only(
        f"{P}^statements/(?P<year>[0-9]{{4}})-(?P<month>[0-9]{{2}}){_suffix}",
        f"/portal/statements/2026-11{_path}",
        portal(),
    )
get_only(f"{P}recruits/", "/portal/recruits/", portal())
# Company violations (R-VIOL-1, issue #12): alpha reports on its own project (bob may not choose
# alpha's: 422); the world's report is not confirmed yet, so alice's claim answers 409.
# The partner's own users (R-UI-1, issue #12): every partner user reads them; only the partner's
# administrator (none in this world) may change them, so both partners get the service's 403.
get_only(f"{P}users/", "/portal/users/", portal())
post_only(f"{P}users/add/", "/portal/users/add/", portal(403), body={"username": "dave"})
post_only(f"{P}users/<int:user_id>/link/", "/portal/users/{carol}/link/", portal(403, 404))
post_only(
    f"{P}users/<int:user_id>/active/",
    "/portal/users/{carol}/active/",
    portal(403, 404),
    body={"active": "no"},
)
get_only(f"{P}violations/", "/portal/violations/", portal())
post_only(
    f"{P}violations/report/",
    "/portal/violations/report/",
    portal(302, 422),
    body={"project": "{project}", "kind": "bypass", "description": "售前绕开我方直接报价"},
    changes=("alice",),
)
post_only(
    f"{P}violations/<int:violation_id>/claim/",
    "/portal/violations/{violation}/claim/",
    portal(409, 404),
)
get_only(f"{P}tier/", "/portal/tier/", portal())
post_only(
    f"{P}tier/apply/",
    "/portal/tier/apply/",
    portal(302),
    body={"resources": "省属国企集团资源", "plan": "三年合作计划"},
    changes=PARTNERS,
)

# The staff console: every staff role reads; the services refuse the actions a role may not
# take. The lead actions answer a refused role with a redirect and a message (decisions.md,
# "Every staff role reads the console"), the other pages with the service's 403.
C = "console/"
get_only(C, "/console/", console())
get_only(f"{C}reviews/", "/console/reviews/", console())
get_only(f"{C}leads/<int:lead_id>/", "/console/leads/{pending}/", console())
JUDGES = ("officer", "presales", "admin")
post_only(
    f"{C}leads/<int:lead_id>/verdict/",
    "/console/leads/{pending}/verdict/",
    console(302),
    body={"verdict": "invalid", "reason_code": "other", "explanation": "测试"},
    changes=JUDGES,
)
post_only(
    f"{C}leads/<int:lead_id>/match/",
    "/console/leads/{review}/match/",
    console(302),
    body={"decision": "new"},
    changes=JUDGES,
)
post_only(
    f"{C}leads/<int:lead_id>/second-review/",
    "/console/leads/{appealed}/second-review/",
    console(302),
    body={"verdict": "invalid", "explanation": "维持原结论"},
    changes=JUDGES,
)
get_only(f"{C}customers/", "/console/customers/?" + urlencode({"name": "东义集团"}), console())
post_only(
    f"{C}customers/inbound/",
    "/console/customers/inbound/",
    console(302),
    body={"name": "东义集团"},  # owned by alpha: routed back, no 首问 answer needed
    changes=STAFF,
)
get_only(f"{C}customers/<int:customer_id>/", "/console/customers/{owned}/", console())
post_only(
    f"{C}customers/<int:customer_id>/reveal/",
    "/console/customers/{owned}/reveal/",
    console(403, presales=200),  # only presales holds alpha's consent; the reveal is audited
    changes=("presales",),
)
OFFICERS = ("officer", "admin")
post_only(
    f"{C}customers/<int:customer_id>/link/",
    "/console/customers/{owned}/link/",
    console(403, officer=302, admin=302),
    body={"related": "东义集团孝义焦化有限公司", "kind": "subsidiary"},
    changes=OFFICERS,
)
# Written consents on the customer page (R-ATT-7, issue #10 finding 3): officers and admins.
# The grant needs the uploaded document, which this body lacks: the form's 422, nothing written.
post_only(
    f"{C}customers/<int:customer_id>/consents/",
    "/console/customers/{owned}/consents/",
    console(403, officer=422, admin=422),
    body={"grantee_role": "pm", "expires_at": "2026-12-20T18:00"},
)
post_only(  # alice's consent for presales is in force already: nothing to approve
    f"{C}customers/<int:customer_id>/consents/<int:consent_id>/approve/",
    "/console/customers/{owned}/consents/{consent}/approve/",
    console(403, officer=409, admin=409),
)
post_only(
    f"{C}customers/<int:customer_id>/consents/<int:consent_id>/revoke/",
    "/console/customers/{owned}/consents/{consent}/revoke/",
    console(403, officer=302, admin=302),
    changes=OFFICERS,
)
get_only(f"{C}partners/", "/console/partners/", console())
# Registering a partner (R-UI-1, issue #12): officers and admins; other staff get the 403 page.
row("GET", f"{C}partners/new/", "/console/partners/new/", console(403, officer=200, admin=200))
row(
    "POST",
    f"{C}partners/new/",
    "/console/partners/new/",
    console(403, officer=302, admin=302),
    body={"name": "伽马科技有限公司", "kind": "organization", "types": ["channel"]},
    changes=OFFICERS,
)
# The USCC checked as an officer types it (HTMX): officers and admins.
get_only(
    f"{C}partners/new/uscc-check/",
    "/console/partners/new/uscc-check/?uscc=91110000710926094P",
    console(403, officer=200, admin=200),
)
get_only(f"{C}partners/<str:code>/", "/console/partners/{alpha}/", console())
# Changing a partner's recruiter (R-LED-5, issue #12): officers and admins.
post_only(
    f"{C}partners/<str:code>/referrer/",
    "/console/partners/{alpha}/referrer/",
    console(403, officer=302, admin=302),
    body={"referrer_code": "{beta}"},
    changes=OFFICERS,
)
# Correcting a partner's record (R-UI-1, issue #12): officers and admins.
row(
    "GET",
    f"{C}partners/<str:code>/edit/",
    "/console/partners/{alpha}/edit/",
    console(403, officer=200, admin=200),
)
row(
    "POST",
    f"{C}partners/<str:code>/edit/",
    "/console/partners/{alpha}/edit/",
    console(403, officer=302, admin=302),
    body={"name": "阿尔法数字咨询有限公司", "region": "北京"},
    changes=OFFICERS,
)
# Capability and willingness (R-ASM-1, issue #15): officers, the gm and admins assess a partner.
GRADERS = ("officer", "gm", "admin")
post_only(
    f"{C}partners/<str:code>/assessments/<str:kind>/",
    "/console/partners/{alpha}/assessments/willingness/",
    console(403, officer=302, gm=302, admin=302),
    body={
        "willingness-executive_support": "5",
        "willingness-dedicated_team": "4",
        "willingness-long_term_commitment": "4",
    },
    changes=GRADERS,
)
# Basic facts and key contacts (R-PRF-1, issue #15): officers (and admins) keep them.
post_only(
    f"{C}partners/<str:code>/profile/",
    "/console/partners/{alpha}/profile/",
    console(403, officer=302, admin=302),
    body={"complementarity": "technology", "full_name": "阿尔法咨询有限公司"},
    changes=OFFICERS,
)
post_only(
    f"{C}partners/<str:code>/contacts/",
    "/console/partners/{alpha}/contacts/",
    console(403, officer=302, admin=302),
    body={"name": "王博士", "title": "CTO", "layer": "technical"},
    changes=OFFICERS,
)
# The co-delivery review (R-ASM-2, issue #15): officers, the gm and admins record it.
post_only(
    f"{C}partners/<str:code>/delivery-review/",
    "/console/partners/{alpha}/delivery-review/",
    console(403, officer=302, gm=302, admin=302),
    body={"ratings": "交付质量 待验证"},
    changes=GRADERS,
)
# Depth (R-PRF-2, issue #15): officers (and admins) confirm it.
post_only(
    f"{C}partners/<str:code>/depth/",
    "/console/partners/{alpha}/depth/",
    console(403, officer=302, admin=302),
    body={"depth": "ordinary", "reason": "核实合作情况"},
    changes=OFFICERS,
)
# Criticality (R-CRIT-1, issue #15): officers, the gm and admins grade a partner.
post_only(
    f"{C}partners/<str:code>/criticality/",
    "/console/partners/{alpha}/criticality/",
    console(403, officer=302, gm=302, admin=302),
    body={"strategic_value": "4", "substitutability": "hard", "reason": "独家技术"},
    changes=GRADERS,
)
post_only(
    f"{C}partners/<str:code>/exit/",
    "/console/partners/{alpha}/exit/",
    console(403, officer=302, admin=302),
    body={"kind": "mutual", "on": "2026-11-20", "note": "协商一致", "confirmed": "yes"},
    changes=OFFICERS,
)
# A partner's users (R-UI-1, issue #12): officers and admins add them with an invitation, issue
# a link, disable them; other staff get the service's 403.
post_only(
    f"{C}partners/<str:code>/users/",
    "/console/partners/{alpha}/users/",
    console(403, officer=302, admin=302),
    body={"username": "dave", "display_name": "戴维"},
    changes=OFFICERS,
)
post_only(
    f"{C}partners/<str:code>/users/<int:user_id>/link/",
    "/console/partners/{alpha}/users/{carol}/link/",
    console(403, officer=302, admin=302),
    changes=OFFICERS,
)
post_only(
    f"{C}partners/<str:code>/users/<int:user_id>/admin/",
    "/console/partners/{alpha}/users/{carol}/admin/",
    console(403, officer=302, admin=302),
    body={"admin": "yes"},
    changes=OFFICERS,
)
post_only(
    f"{C}partners/<str:code>/users/<int:user_id>/active/",
    "/console/partners/{alpha}/users/{carol}/active/",
    console(403, officer=302, admin=302),
    body={"active": "no"},
    changes=OFFICERS,
)
# Public applications (R-UI-1, issue #12): every staff role reads the queue; officers and admins
# record the contact, decline or convert (through the registration page).
get_only(f"{C}partners/inquiries/", "/console/partners/inquiries/", console())
post_only(
    f"{C}partners/inquiries/<int:inquiry_id>/handle/",
    "/console/partners/inquiries/{inquiry}/handle/",
    console(403, officer=302, admin=302),
    body={"action": "contacted", "note": "已电话沟通"},
    changes=OFFICERS,
)
# Strategic applications (R-TIER-2, issue #12): every staff role reads the queue; officers and
# admins decide, the service refuses the others.
get_only(f"{C}partners/applications/", "/console/partners/applications/", console())
post_only(
    f"{C}partners/applications/<int:application_id>/decide/",
    "/console/partners/applications/{application}/decide/",
    console(403, officer=302, admin=302),
    body={"approve": "no", "note": "资源暂无法核实"},
    changes=OFFICERS,
)
# White-label (R-TIER-5): officers and admins; alpha is light in this world, so the service
# answers 409 (only a strategic partner) and nothing changes.
post_only(
    f"{C}partners/<str:code>/white-label/",
    "/console/partners/{alpha}/white-label/",
    console(403, officer=409, admin=409),
)
# Withdrawing white-label (R-TIER-5): officers and admins; alpha has none, so nothing changes.
post_only(
    f"{C}partners/<str:code>/white-label/revoke/",
    "/console/partners/{alpha}/white-label/revoke/",
    console(403, officer=302, admin=302),
    body={"reason": "品牌使用不规范"},
)
# A company violation alpha reported (R-VIOL-1): the admin decides; the service refuses others.
post_only(
    f"{C}partners/<str:code>/company-violations/<int:violation_id>/decide/",
    "/console/partners/{alpha}/company-violations/{violation}/decide/",
    console(403, admin=302),
    body={"approve": "yes", "note": "核实属实"},
    changes=("admin",),
)
# A partner violation (R-VIOL-2, issue #12): officers and admins; others get the service's 403.
post_only(
    f"{C}partners/<str:code>/violations/",
    "/console/partners/{alpha}/violations/",
    console(403, officer=302, admin=302),
    body={"kind": "fake_lead", "occurred_on": "2026-11-10", "description": "虚构客户需求"},
    changes=OFFICERS,
)
get_only(f"{C}projects/", "/console/projects/", console())
get_only(f"{C}projects/board/", "/console/projects/board/", console())
get_only(f"{C}projects/<int:project_id>/", "/console/projects/{project}/", console())
DELIVERY = ("officer", "pm", "admin")
# Signing a project from the customer page (R-PROJ-1, issue #12): officer, pm and admin; the
# preview writes nothing, 签约 saves and goes to the project.
row(
    "GET",
    f"{C}customers/<int:customer_id>/sign/",
    "/console/customers/{owned}/sign/",
    console(403, officer=200, pm=200, admin=200),
)
row(
    "POST",
    f"{C}customers/<int:customer_id>/sign/",
    "/console/customers/{owned}/sign/",
    console(403, officer=302, pm=302, admin=302),
    body={
        "action": "sign",
        "title": "生产数据平台二期",
        "kind": "new",
        "contract_amount": "100000.00",
        "signed_on": "2026-11-02",
    },
    changes=DELIVERY,
)
post_only(
    f"{C}projects/<int:project_id>/milestones/<str:stage>/",
    "/console/projects/{project}/milestones/solution/",
    console(403, officer=302, pm=302, admin=302),
    body={"solution-status": "in_progress", "solution-planned_on": "2026-12-01"},
    changes=DELIVERY,
)
# The inline edit row (HTMX): only the roles that may edit get the form.
get_only(
    f"{C}projects/<int:project_id>/milestones/<str:stage>/edit/",
    "/console/projects/{project}/milestones/solution/edit/",
    console(403, officer=200, pm=200, admin=200),
    headers={"HX-Request": "true"},
)
post_only(
    f"{C}projects/<int:project_id>/payments/",
    "/console/projects/{project}/payments/",
    console(403, finance=302, admin=302),
    body={"kind": "payment", "amount": "1000.00", "received_on": "2026-11-15", "reference": "W-1"},
    changes=("finance", "admin"),
)
post_only(
    f"{C}projects/<int:project_id>/accept/",
    "/console/projects/{project}/accept/",
    console(403, officer=302, pm=302, admin=302),
    body={"accepted_on": "2026-11-15"},
    changes=DELIVERY,
)
post_only(
    f"{C}projects/<int:project_id>/cancel/",
    "/console/projects/{project}/cancel/",
    console(403, officer=302, pm=302, admin=302),
    body={"cancelled_on": "2026-11-15", "reason": "客户终止", "confirmed": "yes"},
    changes=DELIVERY,
)
# Scorecards (R-KPI, issue #16): every staff member reads them; officers record a month.
row("GET", f"{C}partners/<str:code>/scorecards/", "/console/partners/{alpha}/scorecards/",
    console(200))  # fmt: skip
row(
    "POST",
    f"{C}partners/<str:code>/scorecards/",
    "/console/partners/{alpha}/scorecards/",
    console(403, officer=302, admin=302),
    body={"period": "2026-09", "lines": "签约量，越高，500，580"},
    changes=OFFICERS,
)
post_only(
    f"{C}partners/<str:code>/scorecards/template/",
    "/console/partners/{alpha}/scorecards/template/",
    console(403, officer=302, admin=302),
    body={"template": "签约量，越高，500"},
    changes=OFFICERS,
)
get_only(f"{C}scorecards/", "/console/scorecards/", console(200))
get_only(f"{C}cases/", "/console/cases/", console(200))
get_only(f"{C}partners/<str:code>/cases/", "/console/partners/{alpha}/cases/", console(200))
row("GET", f"{C}partners/<str:code>/risks/", "/console/partners/{alpha}/risks/", console(200))
post_only(
    f"{C}partners/<str:code>/meetings/<int:meeting_id>/actions/<int:index>/done/",
    "/console/partners/{alpha}/meetings/{meeting}/actions/0/done/",
    console(403, officer=302, admin=302),
    changes=OFFICERS,
)
row("GET", f"{C}partners/<str:code>/meetings/", "/console/partners/{alpha}/meetings/",
    console(200))  # fmt: skip
row(
    "POST",
    f"{C}partners/<str:code>/meetings/",
    "/console/partners/{alpha}/meetings/",
    console(403, officer=302, admin=302),
    body={"kind": "business", "held_on": "2026-11-10", "minutes": "月度业务复盘"},
    changes=OFFICERS,
)
row(
    "POST",
    f"{C}partners/<str:code>/risks/",
    "/console/partners/{alpha}/risks/",
    console(403, officer=302, admin=302),
    body={"title": "技术依赖", "category": "technology", "level": "medium"},
    changes=OFFICERS,
)
post_only(
    f"{C}partners/<str:code>/risks/<int:risk_id>/review/",
    "/console/partners/{alpha}/risks/{risk}/review/",
    console(403, officer=302, admin=302),
    body={"note": "已复核", "level": "low", "status": "mitigating"},
    changes=OFFICERS,
)
get_only(f"{C}customers/registry/", "/console/customers/registry/", console())
# Bank-statement reconciliation (R-IMP-4, issue #21): finance's, like the other finance pages.
row("GET", f"{C}finance/bank/", "/console/finance/bank/", finance_only())
row("POST", f"{C}finance/bank/", "/console/finance/bank/", finance_only(422), body={})
get_only(f"{C}finance/bank/<int:statement_id>/", "/console/finance/bank/{bank_statement}/",
         finance_only())  # fmt: skip
post_only(f"{C}finance/bank/<int:statement_id>/confirm/",
          "/console/finance/bank/{bank_statement}/confirm/", finance_only(302),
          body={"line_ids": "{bank_line}"}, changes=("finance", "admin"))  # fmt: skip
post_only(f"{C}finance/bank/<int:statement_id>/lines/<int:line_id>/assign/",
          "/console/finance/bank/{bank_statement}/lines/{bank_line}/assign/", finance_only(302),
          body={"project": "{project}"}, changes=("finance", "admin"))  # fmt: skip
# Imports (R-IMP-1, issue #21): the role that records the rows by hand — payments: finance;
# partners, customers, kpis: the officers; projects: the officers and project managers.
# A run of another kind is another role's: 404 (the payments run here).
# The POST sends no file: the form's error (422), nothing written.
IMPORTERS = console(403, officer=200, pm=200, finance=200, admin=200)
row("GET", f"{C}imports/", "/console/imports/", IMPORTERS)
row("POST", f"{C}imports/", "/console/imports/",
    console(403, officer=422, pm=422, finance=422, admin=422),
    body={"kind": "payments"})  # fmt: skip
get_only(f"{C}imports/<int:run_id>/", "/console/imports/{import_run}/",
         console(403, officer=404, pm=404, finance=200, admin=200))  # fmt: skip
post_only(f"{C}imports/<int:run_id>/apply/", "/console/imports/{import_run}/apply/",
          console(403, officer=404, pm=404, finance=302, admin=302),
          changes=("finance", "admin"))  # fmt: skip
get_only(f"{C}imports/template/<str:kind>.<str:ext>", "/console/imports/template/payments.xlsx",
         console(403, finance=200, admin=200))  # fmt: skip
# Channel analytics (R-ANL, issue #16): officers, finance, the gm read it and its export;
# officers and finance record a partner's channel costs; staff read them.
ANALYSTS = console(403, officer=200, finance=200, gm=200, admin=200)
get_only(f"{C}analytics/", "/console/analytics/", ANALYSTS)
get_only(f"{C}analytics/export.xlsx", "/console/analytics/export.xlsx", ANALYSTS)
get_only(f"{C}analytics/channels/<str:code>/", "/console/analytics/channels/{alpha}/", ANALYSTS)
post_only(
    f"{C}analytics/refresh/",
    "/console/analytics/refresh/",
    console(403, officer=302, finance=302, gm=302, admin=302),
    body={"start": "2026-01-01", "end": "2026-06-30"},
    changes=("officer", "finance", "gm", "admin"),
)
row("GET", f"{C}analytics/board/", "/console/analytics/board/", ANALYSTS)
row("POST", f"{C}analytics/board/", "/console/analytics/board/",
    console(403, gm=302, admin=302),
    body={"new_customers": "120", "channel_roi": "1.2", "retention": "0.85",
          "agent_achievement": "0.9", "rating_accuracy": "0.95"},
    changes=("gm", "admin"))  # fmt: skip
row("GET", f"{C}partners/<str:code>/costs/", "/console/partners/{alpha}/costs/", console())
row("POST", f"{C}partners/<str:code>/costs/", "/console/partners/{alpha}/costs/",
    console(403, officer=302, finance=302, admin=302),
    body={"amount": "20000.00", "spent_on": "2026-11-02", "category": "event"},
    changes=("officer", "finance", "admin"))  # fmt: skip
# Customer credit (R-CRED, issue #16): staff read; finance records reviews, approves an excess
# and sets billing plans; the gm decides a limit above 1,000,000.00.
CREDIT_FINANCE = ("finance", "admin")
row("GET", f"{C}customers/<int:customer_id>/credit/", "/console/customers/{owned}/credit/",
    console())  # fmt: skip
row("POST", f"{C}customers/<int:customer_id>/credit/", "/console/customers/{owned}/credit/",
    console(403, finance=302, admin=302), body={"rating": "B", "risk": "low"},
    changes=CREDIT_FINANCE)  # fmt: skip
post_only(f"{C}customers/<int:customer_id>/credit/excess/",
          "/console/customers/{owned}/credit/excess/", console(403, finance=302, admin=302),
          body={"amount": "100000.00", "note": "老客户"}, changes=CREDIT_FINANCE)  # fmt: skip
post_only(f"{C}customers/<int:customer_id>/credit/<int:review_id>/decide/",
          "/console/customers/{owned}/credit/{credit_review}/decide/",
          console(403, gm=302, admin=302), body={"approve": "yes", "note": "同意"},
          changes=("gm", "admin"))  # fmt: skip
row("GET", f"{C}projects/<int:project_id>/billing-plan/",
    "/console/projects/{project}/billing-plan/", console())  # fmt: skip
row("POST", f"{C}projects/<int:project_id>/billing-plan/",
    "/console/projects/{project}/billing-plan/", console(403, finance=302, admin=302),
    body={"lines": "300000.00，2026-12-01"}, changes=CREDIT_FINANCE)  # fmt: skip
post_only(
    f"{C}partners/<str:code>/health/",
    "/console/partners/{alpha}/health/",
    console(403, officer=302, admin=302),
    body={
        "period": "2026-10",
        "trust": "good",
        "communication": "good",
        "benefit": "good",
        "risk": "good",
        "long_term": "good",
    },
    changes=OFFICERS,
)
post_only(
    f"{C}partners/<str:code>/cases/ownership/",
    "/console/partners/{alpha}/cases/ownership/",
    console(403, officer=302, admin=302),
    body={"changed_on": "2026-11-01", "new_owner": "晋商投资集团"},
    changes=OFFICERS,
)
post_only(
    f"{C}partners/<str:code>/cases/data-breach/",
    "/console/partners/{alpha}/cases/data-breach/",
    console(403, officer=302, admin=302),
    body={"detected_on": "2026-11-01", "description": "客户清单外泄"},
    changes=OFFICERS,
)
post_only(
    f"{C}partners/<str:code>/cases/<int:case_id>/close/",
    "/console/partners/{alpha}/cases/{case}/close/",
    console(403, officer=302, admin=302),
    body={"outcome": "整改完成"},
    changes=OFFICERS,
)
# A new partner's approval (R-AGR-2): the gm (and admins); beta is still waiting.
post_only(
    f"{C}partners/<str:code>/approve/",
    "/console/partners/{beta}/approve/",
    console(403, gm=302, admin=302),
    changes=("gm", "admin"),
)
# Co-delivery partners (R-RS-1, issue #15): the roles that sign projects add them.
post_only(
    f"{C}projects/<int:project_id>/shares/",
    "/console/projects/{project}/shares/",
    console(403, officer=302, pm=302, admin=302),
    body={"partner_code": "{beta}", "share": "0.40", "settle_days": "5", "role": "技术开发"},
    changes=DELIVERY,
)
# Revenue-share schemes side by side (R-RS-1): the gm (and admins) propose and approve.
post_only(
    f"{C}projects/<int:project_id>/schemes/",
    "/console/projects/{project}/schemes/",
    console(403, gm=302, admin=302),
    body={"label": "方案B", "partner_code": "{beta}", "share": "0.30", "settle_days": "5"},
    changes=("gm", "admin"),
)
post_only(
    f"{C}projects/<int:project_id>/schemes/<int:scheme_id>/approve/",
    "/console/projects/{project}/schemes/{scheme}/approve/",
    console(403, gm=302, admin=302),
    changes=("gm", "admin"),
)
# Correcting the contract amount (R-PROJ-2, issue #12): pm, officer and admin, only before the
# first payment; this world's project has been paid, so the service answers 409 to them.
post_only(
    f"{C}projects/<int:project_id>/amend/",
    "/console/projects/{project}/amend/",
    console(403, officer=409, pm=409, admin=409),
    body={"contract_amount": "350000.00", "reason": "合同补充协议"},
)
MONEY = ("finance", "admin")
get_only(f"{C}finance/", "/console/finance/", finance_only())
post_only(
    f"{C}finance/approve/",
    "/console/finance/approve/",
    finance_only(302),
    body={"entry_ids": "{pending_entry}"},
    changes=MONEY,
)
# Reversing adjustments (R-LED-2, issue #12): finance and admin propose (the preview writes
# nothing; 确认提交 books the entry) and each gives one approval.
row("GET", f"{C}finance/adjustments/", "/console/finance/adjustments/", finance_only())
row(
    "POST",
    f"{C}finance/adjustments/",
    "/console/finance/adjustments/",
    finance_only(302),
    body={"partner": "{alpha}", "reverses": "{entry}", "reason": "重复计提冲销", "confirm": "True"},
    changes=MONEY,
)
post_only(
    f"{C}finance/adjustments/<int:entry_id>/approve/",
    "/console/finance/adjustments/{adjustment}/approve/",
    finance_only(302),
    changes=MONEY,
)
get_only(f"{C}finance/payouts/", "/console/finance/payouts/", finance_only())
post_only(
    f"{C}finance/payouts/<str:code>/",
    "/console/finance/payouts/{alpha}/",
    finance_only(302),
    body={
        "bank_reference": "BANK-W",
        "paid_on": "2026-11-20",
        "entry_ids": "{entry}",
        "confirmed": "yes",
    },
    changes=MONEY,
)
row("GET", f"{C}finance/settlement/", "/console/finance/settlement/", finance_only())
row(
    "POST",
    f"{C}finance/settlement/",
    "/console/finance/settlement/",
    finance_only(),
    body={"year": "2025"},  # beta signed 600,000.00 in 2025: one annual bonus
    changes=MONEY,
)
row("GET", f"{C}finance/verify/", "/console/finance/verify/", finance_only())
row("POST", f"{C}finance/verify/", "/console/finance/verify/", finance_only())
get_only(f"{C}dashboard/", "/console/dashboard/", console())
get_only(f"{C}home/", "/console/home/", console())  # 工作台: each role's queues
# The audit log (R-UI-1, R-VIS-2, issue #12): finance and admin; POST verifies, writes nothing.
row("GET", f"{C}audit/", "/console/audit/", finance_only())
row("POST", f"{C}audit/", "/console/audit/", finance_only())
# Commission policy versions (R-POL-1, R-POL-2, issue #12): every staff role reads them; the
# admin writes a new version and corrects the unused v2 of this world.
POLICY_FORM = {
    "ladder": "100000 15\n300000 22\n500000 28\n以上 30",
    "annual_ladder": "500000 2\n1000000 3",
    "renewal_bonus": "2",
    "high_margin_bonus": "5",
    "uplift_light": "0",
    "uplift_deep": "1",
    "uplift_strategic": "2",
    "cap": "30",
    "confirmation_rate": "8",
    "payout_business_days": "3",
    "override_rate": "1",
    "tail_years": "3",
    "liquidated_damages_rate": "30",
}
get_only(f"{C}policies/", "/console/policies/", console())
row("GET", f"{C}policies/new/", "/console/policies/new/", console(403, admin=200))
row(
    "POST",
    f"{C}policies/new/",
    "/console/policies/new/",
    console(403, admin=302),
    body={**POLICY_FORM, "effective_from": "2027-06-01"},
    changes=("admin",),
)
get_only(f"{C}policies/<int:version>/", "/console/policies/1/", console())
post_only(
    f"{C}policies/<int:version>/edit/",
    "/console/policies/2/edit/",
    console(403, admin=302),
    body={**POLICY_FORM, "effective_from": "2027-02-01"},
    changes=("admin",),
)
# The holiday table (R-CAL-2, issue #12): every staff role reads it, the admin edits it.
row("GET", f"{C}holidays/", "/console/holidays/", console())
row(
    "POST",
    f"{C}holidays/",
    "/console/holidays/",
    console(403, admin=302),
    body={"date": "2027-10-01", "is_workday": "no", "name": "国庆节"},
    changes=("admin",),
)
post_only(
    f"{C}holidays/import/",
    "/console/holidays/import/",
    console(403, admin=302),
    body={"year": "2027", "text": "2027-10-01 国庆节 休\n2027-10-09 国庆调休 班"},
    changes=("admin",),
)
post_only(
    f"{C}holidays/<str:day>/delete/",
    "/console/holidays/2026-10-01/delete/",
    console(403, admin=302),
    changes=("admin",),
)
# Webhooks (R-HOOK-1, issue #14): the admin only; other staff get the 403 page that says why.
row("GET", f"{C}webhooks/", "/console/webhooks/", console(403, admin=200))
row(
    "POST",
    f"{C}webhooks/",
    "/console/webhooks/",
    console(403, admin=200),  # 200: the page shows the new secret once
    body={"url": "https://hooks.example.com/new", "events": ["lead.verdict"]},
    changes=("admin",),
)
get_only(f"{C}webhooks/<int:webhook_id>/", "/console/webhooks/{webhook}/", console(403, admin=200))
post_only(
    f"{C}webhooks/<int:webhook_id>/rotate/",
    "/console/webhooks/{webhook}/rotate/",
    console(403, admin=200),  # 200: the page shows the new secret once
    changes=("admin",),
)
post_only(
    f"{C}webhooks/<int:webhook_id>/switch/",
    "/console/webhooks/{webhook}/switch/",
    console(403, admin=302),
    body={"active": "0"},
    changes=("admin",),
)
post_only(
    f"{C}webhooks/deliveries/<int:delivery_id>/resend/",
    "/console/webhooks/deliveries/{delivery}/resend/",
    console(403, admin=302),
    changes=("admin",),
)
# The channels page and its test message (R-NOTE-2, issue #14): the admin only.
get_only(f"{C}channels/", "/console/channels/", console(403, admin=200))
post_only(
    f"{C}channels/test/", "/console/channels/test/", console(403, admin=302), changes=("admin",)
)
# Group robots (R-NOTE-2, issue #14): the admin only, like the webhooks.
# The partner overview (R-PRF-3, issue #15): every staff member reads it.
get_only(f"{C}overview/", "/console/overview/", console(200))
get_only(f"{C}overview/pdf/", "/console/overview/pdf/", console(200))
get_only(
    f"{C}overview/reports/<str:name>",
    "/console/overview/reports/overview-2026-10.pdf",  # written by the world's tick
    console(200),
)
# Selections (R-SEL, issue #15): every staff member reads them; officers (and admins) run them.
row("GET", f"{C}selections/", "/console/selections/", console(200))
row(
    "POST",
    f"{C}selections/",
    "/console/selections/",
    console(403, officer=302, admin=302),
    body={
        "title": "渠道伙伴甄选",
        "partner_type": "channel",
        "criteria": "NPS >= 70",
    },
    changes=OFFICERS,
)
get_only(f"{C}selections/<int:selection_id>/", "/console/selections/{selection}/", console(200))
post_only(
    f"{C}selections/<int:selection_id>/candidates/",
    "/console/selections/{selection}/candidates/",
    console(403, officer=302, admin=302),
    body={"name": "丁科技", "channel": "展会"},
    changes=OFFICERS,
)
post_only(
    f"{C}candidates/<int:candidate_id>/stage/",
    "/console/candidates/{sourced}/stage/",
    console(403, officer=302, admin=302),
    body={"stage": "screened"},
    changes=OFFICERS,
)
post_only(
    f"{C}candidates/<int:candidate_id>/trial/",
    "/console/candidates/{in_trial}/trial/",
    console(403, officer=302, admin=302),
    body={"m0": "92"},
    changes=OFFICERS,
)
post_only(
    f"{C}candidates/<int:candidate_id>/decision/",
    "/console/candidates/{decided}/decision/",
    console(403, officer=302, admin=302),
    body={"decision": "stop", "reason": "预算调整"},
    changes=OFFICERS,
)
post_only(
    f"{C}candidates/<int:candidate_id>/reject/",
    "/console/candidates/{sourced}/reject/",
    console(403, officer=302, admin=302),
    body={"reason": "资质不符"},
    changes=OFFICERS,
)
post_only(
    f"{C}candidates/<int:candidate_id>/sign/",
    "/console/candidates/{decided}/sign/",
    console(403, officer=302, admin=302),
    body={},
    changes=OFFICERS,
)
# A candidate's files (R-SEL-2): officers keep them (no file sent: the form answers 422 to
# them); every staff member downloads them.
post_only(
    f"{C}candidates/<int:candidate_id>/files/",
    "/console/candidates/{sourced}/files/",
    console(403, officer=422, admin=422),
    body={"kind": "nda"},
)
get_only(
    f"{C}candidates/<int:candidate_id>/files/<int:file_id>/",
    "/console/candidates/{sourced}/files/{candidate_file}/",
    console(200),
)
# Agreements (R-AGR-1/2, issue #15): every staff member reads the list and the record; officers
# draft and amend, legal reviews, the gm approves (admins may do each).
get_only(f"{C}agreements/", "/console/agreements/", console(200))
row("GET", f"{C}agreements/new/", "/console/agreements/new/", console(403, officer=200, admin=200))
row(
    "POST",
    f"{C}agreements/new/",
    "/console/agreements/new/",
    console(403, officer=302, admin=302),
    body={
        "partner_code": "{alpha}",
        "kind": "supply",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "ip_project": "pending",
        "ip_platform": "pending",
        "ip_customisation": "pending",
        "notice_months": "6",
        "penalty_rate": "0.20",
    },
    changes=OFFICERS,
)
get_only(f"{C}agreements/<int:agreement_id>/", "/console/agreements/{agreement}/", console(200))
# An agreement's files (R-AGR-1): officers, legal and the gm keep them (no file sent: 422);
# their content is the agreement's text, for finance, the gm, legal and admins (R-PRF-3).
post_only(
    f"{C}agreements/<int:agreement_id>/files/",
    "/console/agreements/{agreement}/files/",
    console(403, officer=422, legal=422, gm=422, admin=422),
    body={"title": "签署件"},
)
get_only(
    f"{C}agreements/<int:agreement_id>/files/<int:file_id>/",
    "/console/agreements/{agreement}/files/{agreement_file}/",
    console(403, finance=200, gm=200, legal=200, admin=200),
)
post_only(
    f"{C}agreements/<int:agreement_id>/review/",
    "/console/agreements/{agreement}/review/",
    console(403, legal=302, admin=302),
    body={"note": "条款无异议"},
    changes=("legal", "admin"),
)
post_only(
    f"{C}agreements/<int:agreement_id>/approve/",
    "/console/agreements/{reviewed_agreement}/approve/",
    console(403, gm=302, admin=302),
    body={},
    changes=("gm", "admin"),
)
post_only(
    f"{C}agreements/<int:agreement_id>/unit-reports/",
    "/console/agreements/{approved_agreement}/unit-reports/",
    console(403, officer=302, finance=302, admin=302),
    body={"period": "2026-10", "units": "120", "complaint_rate": "0.02", "nps": "70"},
    changes=("officer", "finance", "admin"),
)
_AMEND = f"{C}agreements/<int:agreement_id>/amend/"
row(
    "GET",
    _AMEND,
    "/console/agreements/{approved_agreement}/amend/",
    console(403, officer=200, admin=200),
)
row(
    "POST",
    _AMEND,
    "/console/agreements/{approved_agreement}/amend/",
    console(403, officer=302, admin=302),
    body={"ends_on": "2028-12-31"},
    changes=OFFICERS,
)
row("GET", f"{C}robots/", "/console/robots/", console(403, admin=200))
row(
    "POST",
    f"{C}robots/",
    "/console/robots/",
    console(403, admin=302),
    body={
        "team": "华南销售",
        "name": "提醒",
        "kind": "feishu",
        "url": "https://open.feishu.cn/open-apis/bot/v2/hook/new",
        "secret": "",
        "events": ["lead.verdict"],
    },
    changes=("admin",),
)
post_only(
    f"{C}robots/<int:robot_id>/switch/",
    "/console/robots/{robot}/switch/",
    console(403, admin=302),
    body={"active": "0"},
    changes=("admin",),
)
# Staff users (R-UI-1, issue #12): the admin only; other staff get the 403 page that says why.
row("GET", f"{C}staff/", "/console/staff/", console(403, admin=200))
row(
    "POST",
    f"{C}staff/",
    "/console/staff/",
    console(403, admin=302),
    body={"username": "wang.fang", "role": "finance", "password": "first-pass-1"},
    changes=("admin",),
)
get_only(f"{C}staff/<int:user_id>/", "/console/staff/{pm}/", console(403, admin=200))
# Sign-in lockouts (issue #12): the admin lists and lifts them (an unknown name lifts nothing
# but is audited).
row("GET", f"{C}staff/lockouts/", "/console/staff/lockouts/", console(403, admin=200))
row(
    "POST",
    f"{C}staff/lockouts/",
    "/console/staff/lockouts/",
    console(403, admin=302),
    body={"username": "nobody"},
    changes=("admin",),
)
post_only(
    f"{C}staff/<int:user_id>/role/",
    "/console/staff/{pm}/role/",
    console(403, admin=302),
    body={"role": "presales"},
    changes=("admin",),
)
post_only(
    f"{C}staff/<int:user_id>/password/",
    "/console/staff/{pm}/password/",
    console(403, admin=302),
    body={"password": "temp-pass-1"},
    changes=("admin",),
)
post_only(
    f"{C}staff/<int:user_id>/active/",
    "/console/staff/{pm}/active/",
    console(403, admin=302),
    body={"active": "no"},
    changes=("admin",),
)

# The admin's own pages (the per-model pages are shape rules below).
STAFF_ADMIN = {**ADMIN_SITE, **dict.fromkeys(STAFF, 200)}
row("GET", "admin/", "/admin/", STAFF_ADMIN)
row("POST", "admin/", "/admin/", STAFF_ADMIN)  # the index answers any method
row(
    "GET",
    "admin/login/",
    "/admin/login/",
    # A signed-in partner user is not staff: the login page says so (200); staff go on.
    {ANON: 200, **dict.fromkeys(PARTNERS, 200), **dict.fromkeys(STAFF, 302)},
)
row(
    "POST",
    "admin/login/",
    "/admin/login/",
    everyone(200),  # a wrong password shows the form again
    body={"username": "adam", "password": "wrong-password-1"},
    check_state=False,
)
# Not staff: sent to the admin index (which sends them to its login); staff log out by POST.
row(
    "GET",
    "admin/logout/",
    "/admin/logout/",
    {**dict.fromkeys(ALL[:3], 302), **dict.fromkeys(STAFF, 405)},
)
row(
    "POST",
    "admin/logout/",
    "/admin/logout/",
    {**dict.fromkeys(ALL[:3], 302), **dict.fromkeys(STAFF, LOGIN)},
    check_state=False,
)
row("GET", "admin/password_change/", "/admin/password_change/", STAFF_ADMIN)
row("POST", "admin/password_change/", "/admin/password_change/", STAFF_ADMIN)  # form errors
get_only("admin/password_change/done/", "/admin/password_change/done/", STAFF_ADMIN)
# Without its query the autocomplete refuses (403) before it answers anything.
row(
    "GET",
    "admin/autocomplete/",
    "/admin/autocomplete/",
    {**ADMIN_SITE, **dict.fromkeys(STAFF, 403)},
)
row("POST", "admin/autocomplete/", "/admin/autocomplete/", wrong_method("admin/"))
get_only("admin/jsi18n/", "/admin/jsi18n/", STAFF_ADMIN)
for _method in ("GET", "POST"):
    row(
        _method,
        "admin/r/<path:content_type_id>/<path:object_id>/",
        "/admin/r/{lead_type}/{pending}/",  # a lead has no page on the site
        {**ADMIN_SITE, **dict.fromkeys(STAFF, 404)},
    )
    row(
        _method,
        "admin/(?P<url>.*)$",
        "/admin/nowhere/",
        {**ADMIN_SITE, **dict.fromkeys(STAFF, 404)},
    )


def web_routes() -> set[str]:
    """Every pattern the web matrix must list: all but the API's operations and the admin's
    per-app and per-model pages (those are shape rules)."""
    out = set()
    for p in url_patterns():
        if p.name.startswith("api-v1:") and _openapi_path(p.route) in API_OPERATION_PATHS:
            continue
        if p.name.startswith("admin:") and admin_shape(p) is not None:
            continue
        out.add(p.route)
    return out


def _openapi_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


API_OPERATION_PATHS = {path for _method, path in API_ROWS}


def test_every_web_pattern_is_in_the_matrix():
    routes = web_routes()
    listed = {route for _method, route in ROWS}
    missing = sorted(
        f"{method} {route}"
        for route in routes
        for method in ("GET", "POST")
        if (method, route) not in ROWS
    )
    assert not missing, f"URL patterns without a row in the web matrix: {missing}"
    stale = sorted(listed - routes)
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"


def test_every_api_pattern_is_an_operation_of_the_api_matrix_or_a_row():
    api_routes = {p.route for p in url_patterns() if p.name.startswith("api-v1:")}
    assert api_routes, "the API's patterns were not found"
    for route in api_routes:
        assert _openapi_path(route) in API_OPERATION_PATHS or ("GET", route) in ROWS, route


# --- the admin: shape rules generated from the registry --------------------------------------

MODEL_SHAPES = {
    "changelist": "",
    "add": "add/",
    "history": "<path:object_id>/history/",
    "delete": "<path:object_id>/delete/",
    "change": "<path:object_id>/change/",
    "redirect": "<path:object_id>/",  # old-style object URL → the change page
}


def admin_label(model: Any) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


ADMIN_MODELS = {admin_label(m): m for m in admin.site._registry}


def admin_shape(p: Pattern) -> tuple[str, str] | None:
    """(shape, model label) for an admin pattern a rule covers; None for the site's rows."""
    if p.name == "admin:app_list":
        return ("app_list", "")
    from django.contrib.auth.admin import UserAdmin

    for label, model in ADMIN_MODELS.items():
        base = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        for shape, suffix in MODEL_SHAPES.items():
            if p.route == base + suffix:
                return (shape, label)
        if (
            isinstance(admin.site._registry[model], UserAdmin)
            and p.route == base + "<id>/password/"
        ):
            return ("password", label)
    return None


# What the admin (superuser) may do to each model's rows in the back office: nothing (R-UI-2,
# issue #10 finding 8). Every write goes through the audited services and their console pages.
SUPERUSER_MAY: dict[str, set[str]] = {}
# Commission figures (R-VIS-2): hidden from officer, presales and pm in the back office too.
MONEY_MODELS = {
    "commissions.ledgerentry",
    "commissions.payout",
    "audit.auditevent",
    "audit.chainhead",
}
NOT_MONEY_ROLES = ("officer", "presales", "pm", "gm", "legal")  # R-VIS-2, D-ROLE-1


def admin_expect(shape: str, label: str) -> Expect:
    app = label.partition(".")[0]
    huoban = app in HUOBAN_APPS
    may = SUPERUSER_MAY.get(label, set())
    viewer = {  # a staff role other than admin: view only, on Huoban's apps only
        "app_list": 200 if huoban else 404,
        "changelist": 200 if huoban else 403,
        "history": 200 if huoban else 403,
        "change": 200 if huoban else 403,  # the read-only view of the row
        "add": 403,
        "delete": 403,
        "password": 403,
        "redirect": 302,
    }[shape]
    superuser = {
        "add": 200 if "add" in may else 403,
        "delete": 200 if "delete" in may else 403,
        "password": 200 if "change" in may else 403,
        "redirect": 302,
    }.get(shape, 200)
    no_money = viewer
    if label in MONEY_MODELS and shape in ("changelist", "history", "change"):
        no_money = 403
    app_models = [other for other in ADMIN_MODELS if other.startswith(f"{app}.")]
    if shape == "app_list" and app_models and all(m in MONEY_MODELS for m in app_models):
        no_money = 404  # every model of the app is money (audit, commissions): no app page
    return {
        **ADMIN_SITE,
        **dict.fromkeys(NOT_MONEY_ROLES, no_money),
        "finance": viewer,
        "admin": superuser,
    }


def test_every_admin_pattern_has_a_shape_rule_or_a_row():
    patterns = [p for p in url_patterns() if p.name.startswith("admin:")]
    uncovered = sorted(
        p.route for p in patterns if admin_shape(p) is None and ("GET", p.route) not in ROWS
    )
    assert not uncovered, f"admin URL patterns without a shape rule or a row: {uncovered}"
    shapes = [admin_shape(p) for p in patterns]
    for label in ADMIN_MODELS:
        for shape in MODEL_SHAPES:
            assert shapes.count((shape, label)) == 1, (shape, label)
    assert shapes.count(("app_list", "")) == 1
    assert set(SUPERUSER_MAY) <= set(ADMIN_MODELS), set(SUPERUSER_MAY) - set(ADMIN_MODELS)


# --- the world and the requests ---------------------------------------------------------------


def web_world(actors: Any) -> dict[str, Any]:
    """The API matrix's world, plus what the web rows and the admin pages need."""
    from django.contrib.contenttypes.models import ContentType

    from huoban.accounts.services import issue_token
    from huoban.commissions.ledger import propose_adjustment
    from huoban.customers.attribution import link_related, transfer_attribution
    from huoban.customers.inbound import record_inbound_contact
    from huoban.customers.models import Customer
    from huoban.customers.registry import get_or_create_customer
    from huoban.partners.inquiries import submit_inquiry
    from huoban.partners.models import TierChange
    from huoban.partners.users import invite_partner_user
    from huoban.standing.violations import record_partner_violation
    from huoban.terms.models import PartnerAgreement, PolicyVersion

    world = build_world(actors)
    from huoban.profiles.report import write_monthly

    write_monthly(dt.date(2026, 11, 1))  # the tick of 1 November: October's overview PDF
    from huoban.performance.meetings import record_meeting

    with clock.frozen(dt.datetime(2026, 11, 20, 11, tzinfo=dt.UTC)):
        world["meeting"] = record_meeting(
            actors.alpha.code, kind="business", held_on=dt.date(2026, 11, 10),
            actions=[{"text": "提交部署方案", "owner": "王博士", "due_on": "2026-11-30"}],
            actor=actors.officer,
        ).pk  # fmt: skip
    from django.core.files.uploadedfile import SimpleUploadedFile

    from huoban.agreements.services import attach_agreement_file
    from huoban.selection.services import attach_candidate_file

    world["agreement_file"] = attach_agreement_file(
        world["agreement"],
        upload=SimpleUploadedFile("签署件.pdf", b"%PDF-1.4\n"),
        actor=actors.officer,
    ).pk
    from huoban.imports.bank import upload_statement
    from huoban.imports.models import BankLine
    from huoban.imports.services import run_import

    statement_csv = (
        "交易日期,对方户名,摘要,贷方发生额,交易流水号\n2026-11-14,某代付公司,货款,1000.00,MX-B\n"
    )
    world["bank_statement"] = upload_statement(
        SimpleUploadedFile("流水.csv", statement_csv.encode()), actor=actors.finance
    ).pk
    line = BankLine.objects.get(statement_id=world["bank_statement"])
    BankLine.objects.filter(pk=line.pk).update(project_id=world["project"], status="suggested")
    world["bank_line"] = line.pk

    world["import_run"] = run_import(
        "payments",
        file_name="回款.csv",
        data=f"项目编号,金额,到账日,流水号\n{world['project']},1000.00,2026-11-13,MX-I\n".encode(),
        actor=actors.finance,
        dry_run=True,
        keep=True,
    ).run_id
    world["candidate_file"] = attach_candidate_file(
        world["sourced"],
        kind="nda",
        upload=SimpleUploadedFile("保密协议.pdf", b"%PDF-1.4\n"),
        actor=actors.officer,
    ).pk
    with clock.frozen(dt.datetime(2026, 11, 20, 11, tzinfo=dt.UTC)):
        # A pending entry for finance to approve: the unpaid project's first payment.
        record_payment(
            world["project"],
            actor=actors.finance,
            amount=Decimal("50000.00"),
            received_on=dt.date(2026, 11, 12),
            reference="MX-P",
        )
        # beta signed 600,000.00 in 2025: the 2025 settlement owes it an annual bonus.
        sign(
            actors.officer,
            actors.beta,
            "600000.00",
            name="贝塔往年客户有限公司",
            signed_on=dt.date(2025, 6, 2),
        )
        record_inbound_contact(
            name="东义集团",
            uscc=None,
            referral_answer="",
            referring_partner_name="",
            note="",
            actor=actors.officer,
        )
        issue_token(actors.alice, "web")
        # An invited user of alpha who has not chosen a password yet, and its link.
        invited = invite_partner_user(actors.alpha, username="carol", actor=actors.officer)
        world["carol"], world["link"] = invited.user.pk, invited.secret
        world["pm"] = actors.pm.pk
        world["inquiry"] = submit_inquiry(
            name="申请人科技有限公司", contact="赵云", phone="13800001234", intended_tier="deep"
        ).pk
        # Rows for the admin's per-model pages: a link, a transfer, a partner violation.
        parent, _ = get_or_create_customer("贝塔往年集团")
        beta_customer = Customer.objects.get(legal_name="贝塔往年客户有限公司")
        link_related(beta_customer, parent, "parent", actor=actors.officer)
        transfer_attribution(beta_customer, actors.alpha, "伙伴书面同意转移", actor=actors.admin)
        record_partner_violation(
            actors.beta,
            actor=actors.officer,
            kind="fake_lead",
            occurred_on=dt.date(2026, 11, 1),
            description="虚构需求",
        )
    PartnerAgreement.objects.create(
        partner=actors.beta,
        policy_version=PolicyVersion.objects.get(version=1),
        signed_on=dt.date(2025, 1, 2),
    )
    world["holiday"] = Holiday.objects.create(
        date=dt.date(2026, 10, 1), name="国庆节", is_workday=False
    ).pk
    Group.objects.create(name="审计组")
    # A policy version no project uses yet: only an admin may change or delete it (R-POL-1).
    v1 = PolicyVersion.objects.get(version=1)
    world["v1"] = v1.pk
    world["v2"] = PolicyVersion.objects.create(
        version=2,
        effective_from=dt.date(2027, 1, 1),
        parameters=v1.parameters,
        created_at=NOW,
    ).pk
    world["tier_change"] = TierChange.objects.filter(partner=actors.alpha).first().pk
    pending = LedgerEntry.objects.get(project_id=world["project"], status=EntryStatus.PENDING)
    world["pending_entry"] = pending.pk
    # A reversal of alpha's first entry, proposed and not yet approved (R-LED-2).
    world["adjustment"] = propose_adjustment(
        actors.alpha, actor=actors.finance, reason="冲销", reverses_id=world["entry"]
    ).pk
    world["lead_type"] = ContentType.objects.get(app_label="leads", model="lead").pk
    return world


def _fill(value: Any, world: dict[str, Any]) -> Any:
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}") and value[1:-1] in world:
            return world[value[1:-1]]
        return value.format(**world) if "{" in value and "(?P" not in value else value
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value


# Not business state: sessions, and the request counters of the rate limits and the login
# throttle (a page view may count itself).
NOT_STATE = {"accounts.ratecount", "accounts.loginfailure", "accounts.loginlockout"}


def state() -> dict[str, Any]:
    """Row counts of every table but `NOT_STATE` and the sessions, and every hash-chain head
    (audit log and ledgers): any business action moves at least one of them."""
    counts = {
        admin_label(m): m._base_manager.count()
        for m in apps.get_models()
        if m._meta.app_label != "sessions" and admin_label(m) not in NOT_STATE
    }
    return {"counts": counts, "heads": dict(ChainHead.objects.values_list("key", "head_hash"))}


def outcome(response: Any) -> int | str:
    if response.status_code == 302:
        target = response["Location"].split("?")[0]
        if target == "/login/":
            return LOGIN
        if target == "/admin/login/":
            return ADMIN_LOGIN
    return response.status_code


class _Undo(Exception):
    pass


def clients(actors: Any) -> dict[str, Client]:
    out = {}
    for who in ALL:
        client = Client()
        if who != ANON:
            client.force_login(getattr(actors, who))
        out[who] = client
    return out


def _rolled_back() -> Any:
    """A savepoint around one request, undone afterwards. Flagged as the test case's own block
    (as Django's TestCase flags its transactions) so that the services' durable transactions
    (D-FRAME-15) run inside it as they would at the top of a real request."""
    block = transaction.atomic()
    block._from_testcase = True  # type: ignore[attr-defined]
    return block


def ask(client: Client, r: Row, path: str, body: Any, before: dict[str, Any]) -> tuple[Any, bool]:
    """One request in a savepoint that is rolled back: (outcome, whether the state changed)."""
    result: list[Any] = []
    try:
        with _rolled_back():
            kwargs: dict[str, Any] = {"headers": r.headers or {}}
            if r.method == "POST":
                kwargs["data"] = body or {}
            response = getattr(client, r.method.lower())(path, **kwargs)
            result.append((outcome(response), r.check_state and state() != before))
            raise _Undo
    except _Undo:
        pass
    return result[0]


def run_rows(actors: Any, rows: list[Row], world: dict[str, Any] | None = None) -> list[str]:
    """Ask each row as every caller; the list of disagreements with the table."""
    world = world or web_world(actors)
    by_caller = clients(actors)
    before = state()
    problems = []
    with clock.frozen(NOW):
        for r in rows:
            path = _fill(r.path, world)
            body = _fill(r.body, world)
            for who in ALL:
                got, changed = ask(by_caller[who], r, path, body, before)
                if got != r.expect[who]:
                    problems.append(f"{r.method} {path} as {who}: {got}, expected {r.expect[who]}")
                must_change = r.check_state and r.method == "POST" and who in r.changes
                if changed != must_change:
                    problems.append(
                        f"{r.method} {path} as {who}: state "
                        + ("changed" if changed else "unchanged")
                        + (", expected a change" if must_change else ", expected no change")
                    )
    assert state() == before  # every request was rolled back
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted({route for _m, route in ROWS}), ids=lambda r: f"/{r}")
def test_the_web_matrix(actors, route):
    problems = run_rows(actors, [r for (_m, rt), r in sorted(ROWS.items()) if rt == route])
    assert not problems, "\n".join(problems)


# --- the admin pages, model by model ----------------------------------------------------------


def admin_url(shape: str, label: str, pk: Any = None) -> str:
    app, _, model = label.partition(".")
    if shape == "password":
        return f"/admin/{app}/{model}/{pk}/password/"
    suffix = MODEL_SHAPES[shape].replace("<path:object_id>", str(pk))
    return f"/admin/{app}/{model}/{suffix}"


def admin_rows(world: dict[str, Any]) -> list[Row]:
    """A GET row for every shape of every registered model, on that model's newest row, and the
    app index of every app."""
    from django.contrib.auth.admin import UserAdmin

    rows = []
    for app in sorted({label.partition(".")[0] for label in ADMIN_MODELS}):
        rows.append(Row("GET", "app_list", f"/admin/{app}/", admin_expect("app_list", f"{app}.")))
    for label, model in sorted(ADMIN_MODELS.items()):
        # The newest row: for policy versions the one no project uses yet.
        last = model._base_manager.order_by("pk").values_list("pk", flat=True).last()
        assert last is not None, f"the world has no {label} row to open in the admin"
        shapes = list(MODEL_SHAPES)
        if isinstance(admin.site._registry[model], UserAdmin):
            shapes.append("password")
        for shape in shapes:
            rows.append(
                Row("GET", shape, admin_url(shape, label, last), admin_expect(shape, label))
            )
    return rows


@pytest.mark.django_db
def test_every_admin_page_of_every_model(actors):
    from huoban.commissions.ledger import create_payout

    world = web_world(actors)
    with clock.frozen(NOW):  # a payout row too (the web rows pay this entry themselves)
        create_payout(
            actors.alpha,
            actor=actors.finance,
            bank_reference="BANK-A",
            paid_on=dt.date(2026, 11, 20),
            entry_ids=[world["entry"]],
        )
    problems = run_rows(actors, admin_rows(world), world)
    assert not problems, "\n".join(problems)


# The admin's forms that change rows: who is not listed in `changes` changes nothing.
ADMIN_STAFF_ONLY = {**ADMIN_SITE, **dict.fromkeys(STAFF, 403)}
DELETE = {"post": "yes"}
ADMIN_ACTIONS = [
    Row(
        "POST",
        "holiday delete",
        "/admin/core/holiday/{holiday}/delete/",
        ADMIN_STAFF_ONLY,
        body=DELETE,
    ),
    Row(
        "POST",
        "holiday add",
        "/admin/core/holiday/add/",
        ADMIN_STAFF_ONLY,
        body={"date": "2026-10-08", "name": "调休", "is_workday": "on"},
    ),
    # Regression: every staff role could change and delete an unused policy version; then the
    # admin could, unaudited (issue #10 finding 8): now nobody.
    Row(
        "POST",
        "unused policy delete",
        "/admin/terms/policyversion/{v2}/delete/",
        ADMIN_STAFF_ONLY,
        body=DELETE,
    ),
    Row(
        "GET",
        "unused policy delete page",
        "/admin/terms/policyversion/{v2}/delete/",
        ADMIN_STAFF_ONLY,
    ),
    Row(
        "POST",
        "used policy delete",
        "/admin/terms/policyversion/{v1}/delete/",
        ADMIN_STAFF_ONLY,
        body=DELETE,
    ),
    # Evidence and history are never typed in or taken out in the back office.
    Row(
        "POST", "lead delete", "/admin/leads/lead/{pending}/delete/", ADMIN_STAFF_ONLY, body=DELETE
    ),
    Row(
        "POST",
        "tier history delete",
        "/admin/partners/tierchange/{tier_change}/delete/",
        ADMIN_STAFF_ONLY,
        body=DELETE,
    ),
    Row(
        "POST",
        "partner delete",
        "/admin/partners/partner/{alpha_id}/delete/",
        ADMIN_STAFF_ONLY,
        body=DELETE,
    ),
    # Issue #10 finding 8: a role changed, a revoked token un-revoked, unaudited.
    Row(
        "POST",
        "user role change",
        "/admin/accounts/user/{alpha_user}/change/",
        ADMIN_STAFF_ONLY,
        body={"username": "alice", "role": "admin", "is_active": "on"},
    ),
    Row(
        "POST",
        "token un-revoke",
        "/admin/accounts/apitoken/{token_id}/change/",
        ADMIN_STAFF_ONLY,
        body={"name": "web", "revoked_at_0": "", "revoked_at_1": ""},
    ),
    Row(
        "POST",
        "ledger entry delete",
        "/admin/commissions/ledgerentry/{entry}/delete/",
        ADMIN_STAFF_ONLY,
        body=DELETE,
    ),
]


@pytest.mark.django_db
def test_the_admin_forms_change_rows_only_for_the_admin(actors):
    world = web_world(actors)
    world["alpha_id"] = actors.alpha.pk
    world["alpha_user"] = actors.alice.pk
    from huoban.accounts.models import ApiToken

    world["token_id"] = ApiToken.objects.filter(user=actors.alice).first().pk
    problems = run_rows(actors, ADMIN_ACTIONS, world)
    assert not problems, "\n".join(problems)
