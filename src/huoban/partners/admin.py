from django.contrib import admin

from .models import Partner, TierChange


class TierChangeInline(admin.TabularInline):
    model = TierChange
    extra = 0
    can_delete = False
    readonly_fields = ("at", "from_tier", "to_tier", "reason", "actor")

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
    readonly_fields = ("code", "created_at", "tier", "tier_since")
    autocomplete_fields = ("referrer", "account_manager")
    inlines = [TierChangeInline]


@admin.register(TierChange)
class TierChangeAdmin(admin.ModelAdmin):
    list_display = ("partner", "at", "from_tier", "to_tier", "reason")
    list_filter = ("to_tier",)
    search_fields = ("partner__code", "partner__name")

    def has_change_permission(self, request, obj=None):
        return False
