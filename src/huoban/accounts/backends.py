"""Role-based permissions for the Django admin back office (SPEC §1).

Every staff role may *view* every Huoban model in the admin; changes to domain rows go through
the service functions (one transaction, one audit event), so the admin grants no add/change/
delete on them to anyone but an admin (superuser), who also maintains reference data such as
the holiday table (R-CAL-2).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import STAFF_ROLES

HUOBAN_APPS = frozenset(
    {
        "accounts",
        "audit",
        "core",
        "partners",
        "customers",
        "leads",
        "terms",
        "projects",
        "commissions",
    }
)


class RoleBackend(ModelBackend):
    """Grants `view_*` on Huoban's apps to every active staff user."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if self._is_staff_role(user_obj):
            app_label, _, codename = perm.partition(".")
            if app_label in HUOBAN_APPS and codename.startswith("view_"):
                return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if self._is_staff_role(user_obj) and app_label in HUOBAN_APPS:
            return True
        return super().has_module_perms(user_obj, app_label)

    @staticmethod
    def _is_staff_role(user_obj: Any) -> bool:
        return bool(
            getattr(user_obj, "is_active", False) and getattr(user_obj, "role", None) in STAFF_ROLES
        )
