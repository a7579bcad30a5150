"""Staff users (SPEC §1, R-UI-1): an admin creates them with a first password the user must
change at its first sign-in, changes their role, resets a forgotten password (again to be
changed) and disables those who leave.

Above the policy module (who may: ``policy.may_manage_staff``) and below the pages; the
accounts app underneath keeps the account itself.
"""

from __future__ import annotations

from django.db import transaction

from huoban.accounts.models import STAFF_ROLES, Role, User
from huoban.accounts.services import new_user, password_problem, set_active
from huoban.audit.services import record
from huoban.errors import Conflict, Forbidden, NotFound, ValidationFailed
from huoban.policy import may_manage_staff


def _require(actor: User) -> None:
    if not may_manage_staff(actor):
        raise Forbidden("员工账号由管理员维护 / staff users are managed by admins")


def _staff(user_id: int) -> User:
    user = User.objects.filter(pk=user_id, role__in=STAFF_ROLES).first()
    if user is None:
        raise NotFound("没有这个员工账号 / no such staff user")
    return user


def _staff_role(role: str) -> None:
    if role not in STAFF_ROLES:
        raise ValidationFailed({"role": f"不是员工角色 / not a staff role: {role}"})


@transaction.atomic(durable=True)
def create_staff_user(
    *,
    username: str,
    role: str,
    password: str,
    display_name: str = "",
    email: str = "",
    actor: User,
) -> User:
    """Create a staff user with a first password the admin hands over; the user must choose
    its own at its first sign-in."""
    _require(actor)
    _staff_role(role)
    return new_user(
        username,
        role,
        password=password,
        display_name=display_name,
        email=email,
        must_change_password=True,
        actor=actor,
    )


@transaction.atomic(durable=True)
def change_staff_role(user_id: int, role: str, *, actor: User) -> User:
    """Give a staff user another role (its pages and rights change at its next request)."""
    _require(actor)
    _staff_role(role)
    user = _staff(user_id)
    if user.pk == actor.pk:
        raise Conflict("不能修改自己的角色 / you cannot change your own role")
    if user.role == role:
        return user
    before = {"role": user.role}
    user.role = role
    user.is_superuser = role == Role.ADMIN
    user.save(update_fields=["role", "is_superuser"])
    record(actor, "user.role_change", user, before=before, after={"role": role})
    return user


@transaction.atomic(durable=True)
def reset_staff_password(user_id: int, password: str, *, actor: User) -> User:
    """Set a staff user's password to one the admin hands over; the user must change it at its
    next sign-in, and its open sessions end (Django ties them to the password)."""
    _require(actor)
    user = _staff(user_id)
    if user.pk == actor.pk:
        raise Conflict(
            "请在“修改密码”页修改自己的密码 / change your own password on the password page"
        )
    if message := password_problem(password):
        raise ValidationFailed({"password": message})
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record(actor, "user.password_reset", user, after={"username": user.username})
    return user


@transaction.atomic(durable=True)
def set_staff_active(user_id: int, active: bool, *, actor: User) -> User:
    """Disable a staff user who left (no sign-in, no tokens), or enable it again."""
    _require(actor)
    return set_active(_staff(user_id), active, actor=actor)
