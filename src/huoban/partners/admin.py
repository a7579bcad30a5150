"""Admin: partners, tiers and violations, read-only (R-UI-2): the console and the API write."""

from django.contrib import admin

from huoban.backoffice import ReadOnlyAdmin, ReadOnlyInline

from .models import CompanyViolation, Partner, PartnerViolation, TierApplication, TierChange


class TierChangeInline(ReadOnlyInline):
    model = TierChange
    fields = ("at", "kind", "from_tier", "to_tier", "reason", "actor")


@admin.register(Partner)
class PartnerAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "region",
        "tier",
        "retention_state",
        "status",
        "referrer",
    )
    list_filter = ("kind", "tier", "status", "retention_state")
    search_fields = ("code", "name", "uscc", "contact_name")
    inlines = [TierChangeInline]


@admin.register(TierChange)
class TierChangeAdmin(ReadOnlyAdmin):
    list_display = ("partner", "at", "kind", "from_tier", "to_tier", "reason")
    list_filter = ("kind", "to_tier")
    search_fields = ("partner__code", "partner__name")


@admin.register(TierApplication)
class TierApplicationAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "partner",
        "kind",
        "from_tier",
        "requested_tier",
        "status",
        "applied_at",
        "due_on",
        "due_estimated",
        "decided_at",
    )
    list_filter = ("kind", "status", "requested_tier")
    search_fields = ("partner__code", "partner__name")


@admin.register(PartnerViolation)
class PartnerViolationAdmin(ReadOnlyAdmin):
    list_display = ("partner", "kind", "occurred_on", "recorded_by", "recorded_at")
    list_filter = ("kind",)
    search_fields = ("partner__code", "partner__name")


@admin.register(CompanyViolation)
class CompanyViolationAdmin(ReadOnlyAdmin):
    """Reports and decisions go through the API (R-VIOL-1): the back office reads them."""

    list_display = ("id", "partner", "project", "kind", "status", "reported_at", "decided_at")
    list_filter = ("kind", "status")
    search_fields = ("partner__code", "partner__name")
