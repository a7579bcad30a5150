"""Admin: policy versions are edited here (an admin's job, R-POL-1); the ledger is read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import LedgerEntry, PartnerAgreement, Payout, PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ("version", "effective_from", "created_at")

    # Only who may change versions at all (the admin, R-POL-1; other staff roles only view), and
    # a version a project uses never changes (R-POL-2); the model refuses it too.
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or not obj.used)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or not obj.used)


@admin.register(PartnerAgreement)
class PartnerAgreementAdmin(admin.ModelAdmin):
    list_display = ("partner", "policy_version", "signed_on")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("id", "partner", "kind", "project", "amount", "earned_on", "status")
    list_filter = ("kind", "status")


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ("bank_reference", "partner", "paid_on", "total")
