from django.contrib import admin

from .models import CompanyViolation, Partner, PartnerViolation, TierApplication, TierChange


class TierChangeInline(admin.TabularInline):
    model = TierChange
    extra = 0
    can_delete = False
    readonly_fields = ("at", "kind", "from_tier", "to_tier", "reason", "actor")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
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
    readonly_fields = (
        "code",
        "created_at",
        "tier",
        "tier_since",
        "retention_state",
        "grace_until",
        "retention_cycle",
        "inactivity_notice_on",
        # Through the services only: exit (R-EXIT-1) and white-label (R-TIER-5) are audited.
        "status",
        "exit_kind",
        "exited_on",
        "exit_notice_on",
        "exit_note",
        "white_label",
        # The referrer earns the override (R-LED-5): set through the audited service.
        "referrer",
    )
    autocomplete_fields = ("account_manager",)
    inlines = [TierChangeInline]

    # A partner is registered through the service (code, tier history, audit event) and never
    # deleted: its leads, projects and ledger point at it; an exit is recorded instead.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TierChange)
class TierChangeAdmin(admin.ModelAdmin):
    list_display = ("partner", "at", "kind", "from_tier", "to_tier", "reason")
    list_filter = ("kind", "to_tier")
    search_fields = ("partner__code", "partner__name")

    # The tier history (R-TIER-6) is written by the tier services only: no rows typed in or
    # taken out here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the tier services (R-TIER-2, R-VIOL-2): read here, decided via the API."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
