"""The Django admin as Huoban uses it: a read-only window for staff (R-UI-2, issue #10).

Every write goes through the audited services and their console pages; the admin only shows.
What it shows follows the same rules as the console:

- no add, change or delete for anyone, the admin user included (an admin write would bypass
  the services and the audit log: a role changed, a revoked token un-revoked, a policy pinned);
- contact details masked (R-VIS-3): models list their contact fields in ``masked_fields`` and
  the admin shows the masked value instead; the raw column is never a field, a column, a search
  field or a filter;
- filters only on the declared ``list_filter`` and ``date_hierarchy`` fields: Django otherwise
  accepts any lookup on a model's own columns in the query string, and the result counts of
  ``?phone__startswith=138`` recover a masked phone digit by digit;
- commission figures (R-VIS-2) only for finance and admin: a ``money_model`` is hidden from
  other staff altogether, ``money_fields`` are dropped from its pages for them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from huoban.policy import sees_money


def _declared_filters(model_admin: Any) -> set[str]:
    names: set[str] = set()
    for item in model_admin.list_filter or ():
        name = item[0] if isinstance(item, (tuple, list)) else item
        if isinstance(name, str):
            names.add(name)
        else:  # a SimpleListFilter: its own parameter
            names.add(getattr(name, "parameter_name", ""))
    if model_admin.date_hierarchy:
        names.add(model_admin.date_hierarchy)
    return {n for n in names if n}


class _Rules:
    """What the read-only admin and its inlines share."""

    money_model = False
    money_fields: Sequence[str] = ()

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self.money_model and not sees_money(request.user):
            return False
        return bool(super().has_view_permission(request, obj))  # type: ignore[misc]

    def _shown(self, request: HttpRequest) -> list[Any]:
        """The declared ``fields``, or every column of the model; no money for other staff."""
        declared = getattr(self, "fields", None)
        if declared:
            names = list(declared)
        else:
            opts = self.model._meta  # type: ignore[attr-defined]
            names = [f.name for f in (*opts.concrete_fields, *opts.many_to_many)]
            names = [n for n in names if n not in (getattr(self, "exclude", None) or ())]
        if sees_money(request.user):
            return names
        return [n for n in names if n not in self.money_fields]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self._shown(request)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self._shown(request)


class ReadOnlyAdmin(_Rules, admin.ModelAdmin):
    """A model shown, never edited, in the back office."""

    def lookup_allowed(self, lookup: str, value: str, request: Any = None) -> bool:
        field = lookup.split("__", 1)[0]
        allowed = _declared_filters(self)
        return any(lookup == a or lookup.startswith(f"{a}__") for a in allowed) or (
            field in allowed and super().lookup_allowed(lookup, value, request)
        )

    def get_list_display(self, request: HttpRequest) -> Any:
        names = super().get_list_display(request)
        if sees_money(request.user):
            return names
        return [n for n in names if n not in self.money_fields]


class ReadOnlyInline(_Rules, admin.TabularInline):
    extra = 0
    can_delete = False


def masked(label: Any, field: str, mask: Callable[[str], str]) -> Callable[[Any, Any], str]:
    """An admin column showing ``mask(obj.<field>)`` (R-VIS-3)."""

    @admin.display(description=label)
    def show(model_admin: Any, obj: Any) -> str:
        return mask(getattr(obj, field) or "")

    show.__name__ = f"masked_{field}"
    return show
