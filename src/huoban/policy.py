"""Who may see what: the one place each visibility rule is written, citing its rule.

Services enforce these (raising :class:`huoban.access.Forbidden`), the API and the pages ask
them to decide what to show, and templates use them through the ``policy`` template filters
(``{% load policy %}{% if request.user|sees_money %}``). A new rule is a new named predicate
here, never a role comparison in a view or a template (issue #11).
"""

from __future__ import annotations

from typing import Any

from huoban.accounts.models import Role, User


def _active(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def sees_money(user: Any) -> bool:
    """R-VIS-2: among staff, commission figures (rates, ledger entries, payouts, statements,
    the audit log that carries them) are for finance and admin only."""
    return _active(user) and user.has_role(Role.FINANCE)


def sees_partner_money(user: Any, partner_id: int | None) -> bool:
    """R-VIS-2: a partner's commission figures — finance, admin, and that partner's own users."""
    if not _active(user):
        return False
    if user.role == Role.PARTNER:
        return partner_id is not None and user.partner_id == partner_id
    return sees_money(user)


def money_scope(user: Any) -> str | int | None:
    """R-VIS-2 as a scope for querysets of commission figures: ``"all"`` for finance and admin,
    the partner id for an active partner user (its own figures only), None for everyone else
    (officer, presales, pm, the signed-out)."""
    if not _active(user):
        return None
    if user.role == Role.PARTNER:
        return int(user.partner_id) if user.partner_id is not None else None
    return "all" if sees_money(user) else None


def may_judge_leads(user: Any) -> bool:
    """R-LEAD-2, R-LEAD-4: officers and presales (and admins) judge leads and sign second
    reviews; the lead queue is their work."""
    return _active(user) and user.has_role(Role.OFFICER, Role.PRESALES)


def may_manage_partners(user: Any) -> bool:
    """R-UI-1: partner officers (and admins) register partners and change their records."""
    return _active(user) and user.has_role(Role.OFFICER)


def may_approve_adjustment(user: Any, entry: Any) -> bool:
    """R-LED-2: a pending adjustment needs one finance and one admin approval, from two people;
    says whether ``user`` may give the half still missing."""
    if not _active(user) or entry.status != "pending" or entry.effective:
        return False
    if user.role == Role.FINANCE:
        return entry.finance_approved_by_id is None and entry.admin_approved_by_id != user.pk
    if user.role == Role.ADMIN:
        return entry.admin_approved_by_id is None and entry.finance_approved_by_id != user.pk
    return False


def may_manage_staff(user: Any) -> bool:
    """R-UI-1: only an admin creates staff users, changes their role, resets their password
    and disables them."""
    return _active(user) and user.role == Role.ADMIN


def may_manage_integrations(user: Any) -> bool:
    """R-HOOK-1: only an admin registers webhooks, reads their deliveries and re-sends one."""
    return _active(user) and user.role == Role.ADMIN


# R-CRIT-1: who grades a partner's criticality and assesses it (ARCHITECTURE §6).
GRADERS = (Role.OFFICER, Role.GM, Role.ADMIN)


def may_grade_partners(user: Any) -> bool:
    """R-CRIT-1/2: officers, the gm and admins grade a partner S/A/B/C and see the grades."""
    return _active(user) and user.role in GRADERS


def may_manage_reference_data(user: Any) -> bool:
    """R-CAL-2, R-POL-1: the admin keeps the holiday table and the policy versions."""
    return _active(user) and user.role == Role.ADMIN


def may_manage_partner_users(user: Any, partner_id: int) -> bool:
    """R-UI-1: officers and admins add a partner's users, issue their password links and
    disable them; so does the partner's own administrator (伙伴管理员), for its partner only."""
    if not _active(user):
        return False
    if user.is_partner_user:
        return bool(user.partner_admin and user.partner_id == partner_id)
    return may_manage_partners(user)


def may_sign_projects(user: Any) -> bool:
    """R-PROJ-1: partner officers, project managers and admins record a signed contract."""
    return _active(user) and user.has_role(Role.OFFICER, Role.PM)


def may_decide_company_violations(user: Any) -> bool:
    """R-VIOL-1: an admin confirms or rejects a company violation a partner reported."""
    return _active(user) and user.role == Role.ADMIN


def may_manage_consents(user: Any, partner_id: int) -> bool:
    """R-ATT-7: the owning partner's users, officers and admins grant and revoke contact
    consents (staff on the partner's behalf, with the written document)."""
    if not _active(user):
        return False
    if user.is_partner_user:
        return bool(user.partner_id == partner_id)
    return user.has_role(Role.OFFICER)


def may_draft_agreements(user: Any) -> bool:
    """R-AGR-1: partner officers (and admins) draft an agreement and its amendments."""
    return _active(user) and user.has_role(Role.OFFICER)


def may_review_agreements(user: Any) -> bool:
    """R-AGR-2: legal reviews an agreement before the gm approves it (admins may too)."""
    return _active(user) and user.has_role(Role.LEGAL)


def may_approve_agreements(user: Any) -> bool:
    """R-AGR-2: the general manager approves a reviewed agreement (admins may too)."""
    return _active(user) and user.has_role(Role.GM)


def may_approve_partners(user: Any) -> bool:
    """R-AGR-2: a new partner needs the general manager's approval (admins may too)."""
    return _active(user) and user.has_role(Role.GM)


def may_file_agreements(user: Any) -> bool:
    """R-AGR-1: an agreement's files (the signed copy, annexes, the board's minute) are kept by
    those who draft, review and approve it: officers, legal, the gm (and admins)."""
    return _active(user) and user.has_role(Role.OFFICER, Role.LEGAL, Role.GM)


def sees_agreement_terms(user: Any, partner_id: int | None) -> bool:
    """R-PRF-3 (extends R-VIS-2): an agreement's terms — its scheme, duties, IP, data and exit
    clauses — are for finance, the gm, legal, admins and the partner itself. Officers see the
    agreement's record (kind, term, status, approvals) that they draft and follow."""
    if not _active(user):
        return False
    if user.role == Role.PARTNER:
        return partner_id is not None and user.partner_id == partner_id
    return user.has_role(Role.FINANCE, Role.GM, Role.LEGAL)


def sees_revenue_share(user: Any, partner_id: int | None) -> bool:
    """R-PRF-3 (extends R-VIS-2): a co-delivery partner's share of a project is for finance,
    the gm, legal, admins and that partner itself — never the referring partner. Officers and
    project managers record the co-delivery partners and see who they are, not the ratio."""
    return sees_agreement_terms(user, partner_id)


def may_decide_share_schemes(user: Any) -> bool:
    """R-RS-1: the general manager (and admins) records the revenue-share schemes proposed to a
    co-delivery partner and approves one; finance and legal read them (`sees_revenue_share`)."""
    return _active(user) and user.has_role(Role.GM)


def may_report_units(user: Any) -> bool:
    """R-UNIT-2: partner officers and finance (and admins) enter a partner's monthly units."""
    return _active(user) and user.has_role(Role.OFFICER, Role.FINANCE)


def may_review_credit(user: Any) -> bool:
    """R-CRED-2/3: finance (and admins) records a customer's credit review and approves a
    project over a medium-risk customer's limit."""
    return _active(user) and user.has_role(Role.FINANCE)


def may_approve_credit_limits(user: Any) -> bool:
    """R-CRED-2: a credit limit above 1,000,000.00 needs the general manager's approval
    (授信审批; admins may too)."""
    return _active(user) and user.has_role(Role.GM)


def may_record_channel_costs(user: Any) -> bool:
    """R-ANL-1: partner officers and finance (and admins) record a channel's costs."""
    return _active(user) and user.has_role(Role.OFFICER, Role.FINANCE)


def may_read_analytics(user: Any) -> bool:
    """R-ANL: officers, finance, the gm and admins read the channel analytics (ARCHITECTURE §6)."""
    return _active(user) and user.has_role(Role.OFFICER, Role.FINANCE, Role.GM)


def may_set_programme_targets(user: Any) -> bool:
    """R-ANL-2: the general manager (and admins) edits the programme KPI board's targets."""
    return _active(user) and user.has_role(Role.GM)


#: R-IMP-1: who imports each kind of file — the role that does the same by hand.
IMPORT_ROLES: dict[str, tuple[str, ...]] = {
    "partners": (Role.OFFICER,),
    "customers": (Role.OFFICER,),
    "projects": (Role.OFFICER, Role.PM),
    "payments": (Role.FINANCE,),
    "kpis": (Role.OFFICER,),
}


def may_import(user: Any, kind: str | None = None) -> bool:
    """R-IMP-1: ``kind`` (or, without one, any kind) by the role that records the same rows by
    hand — payments by finance; partners, customers and scorecards' actuals by the partner
    officers; projects by the officers and project managers; admins may import everything."""
    kinds = [kind] if kind is not None else list(IMPORT_ROLES)
    return _active(user) and any(
        k in IMPORT_ROLES and user.has_role(*IMPORT_ROLES[k]) for k in kinds
    )
