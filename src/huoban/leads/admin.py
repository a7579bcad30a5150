from django.contrib import admin

from .models import Lead, SecondReviewSignature


class SignatureInline(admin.TabularInline):
    model = SecondReviewSignature
    extra = 0
    readonly_fields = ("reviewer", "seat", "verdict", "explanation", "at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # signatures are given through the second-review action


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "customer_name",
        "partner",
        "category",
        "status",
        "submitted_at",
        "sla_due_at",
        "sla_breached",
    )
    list_filter = ("status", "category", "sla_breached", "reason_code")
    search_fields = ("customer_name", "partner__code", "partner__name", "contact_name")
    date_hierarchy = "submitted_at"
    raw_id_fields = ("customer", "candidate_customer", "contact")
    readonly_fields = (
        "status",
        "verdict",
        "verdict_at",
        "first_verdict_at",
        "verdict_by",
        "submitted_at",
        "submitted_by",
        "final_at",
    )
    inlines = [SignatureInline]

    # A lead is the evidence of who registered a customer when (R-ATT-3): it is read here and
    # changed only by the audited services (verdict, match, appeal, second review).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
