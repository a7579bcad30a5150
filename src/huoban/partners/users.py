"""A partner's users (SPEC §1, R-UI-1): an officer adds them with an invitation, issues a
password-reset link when one is forgotten, and disables those who leave.

An invitation is a one-time link to choose a password (huoban.accounts.PasswordLink): the
officer sees it once and passes it on (once notifications exist they send it); the officer
never knows the user's password.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from huoban.accounts.models import LinkPurpose, PasswordLink, Role, User
from huoban.accounts.services import new_password_link, new_user, set_active
from huoban.audit.services import record
from huoban.errors import Conflict, Forbidden, NotFound
from huoban.policy import may_manage_partner_users, may_manage_partners

from .models import Partner, PartnerStatus


@dataclass(frozen=True)
class Issued:
    """A user, the link just issued for it and the link's raw secret (shown once)."""

    user: User
    link: PasswordLink
    secret: str


def _require(actor: User, partner: Partner) -> None:
    if not may_manage_partner_users(actor, partner.pk):
        raise Forbidden(
            "伙伴用户由伙伴关系官、管理员或本伙伴的管理员维护 / partner users are managed by "
            "officers, admins and the partner's own administrator"
        )
    if actor.is_partner_user and partner.status == PartnerStatus.EXITED:
        raise Conflict("伙伴已退出合作，只能查看 / the partner has exited: read-only")


def _user_of(partner: Partner, user_id: int) -> User:
    user = User.objects.filter(pk=user_id, partner=partner, role=Role.PARTNER).first()
    if user is None:
        raise NotFound("该伙伴没有此用户 / no such user at this partner")
    return user


@transaction.atomic(durable=True)
def invite_partner_user(
    partner: Partner,
    *,
    username: str,
    display_name: str = "",
    email: str = "",
    actor: User,
) -> Issued:
    """Add a user to ``partner`` who chooses its own password through a one-time invitation
    link (valid 7 days)."""
    _require(actor, partner)
    if partner.status == PartnerStatus.EXITED:
        raise Conflict("已退出的伙伴不能新增用户 / an exited partner gets no new users")
    user = new_user(
        username,
        Role.PARTNER,
        password=None,
        partner=partner,
        display_name=display_name,
        email=email,
        actor=actor,
    )
    return Issued(user, *new_password_link(user, LinkPurpose.INVITE, actor=actor))


@transaction.atomic(durable=True)
def issue_partner_user_link(partner: Partner, user_id: int, *, actor: User) -> Issued:
    """A new link for a partner user: an invitation again if it never chose a password, else a
    password reset (valid 24 hours). Older links of the user stop working."""
    user = _user_of(partner, user_id)  # another partner's user is unknown here (R-VIS-4)
    _require(actor, partner)
    purpose = LinkPurpose.RESET if user.has_usable_password() else LinkPurpose.INVITE
    return Issued(user, *new_password_link(user, purpose, actor=actor))


@transaction.atomic(durable=True)
def set_partner_user_active(partner: Partner, user_id: int, active: bool, *, actor: User) -> User:
    """Disable a partner user who left (it can no longer sign in; its tokens and links stop
    working), or enable it again."""
    user = _user_of(partner, user_id)  # another partner's user is unknown here (R-VIS-4)
    _require(actor, partner)
    return set_active(user, active, actor=actor)


@transaction.atomic(durable=True)
def set_partner_admin(partner: Partner, user_id: int, admin: bool, *, actor: User) -> User:
    """Make a partner user its partner's own administrator (伙伴管理员), who then manages the
    organisation's users in the portal, or take that away (officers and admins)."""
    if not may_manage_partners(actor):
        raise Forbidden(
            "伙伴管理员由伙伴关系官指定 / partner officers appoint partner administrators"
        )
    user = _user_of(partner, user_id)
    if user.partner_admin != admin:
        before = {"partner_admin": user.partner_admin}
        user.partner_admin = admin
        user.save(update_fields=["partner_admin"])
        record(actor, "user.partner_admin", user, before=before, after={"partner_admin": admin})
    return user
