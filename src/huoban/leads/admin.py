"""Admin: leads, read-only (R-UI-2). A lead is the evidence of who registered a customer when
(R-ATT-3): it changes only through the audited services. Its contact phone is masked (R-VIS-3)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from huoban.backoffice import ReadOnlyAdmin, ReadOnlyInline, masked
from huoban.customers.consent import mask_phone

from .models import Lead, SecondReviewSignature


class SignatureInline(ReadOnlyInline):
    model = SecondReviewSignature
    fields = ("reviewer", "seat", "verdict", "explanation", "at")


@admin.register(Lead)
class LeadAdmin(ReadOnlyAdmin):
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
    masked_contact_phone = masked(_("电话"), "contact_phone", mask_phone)
    inlines = [SignatureInline]

    def get_fields(self, request, obj=None):
        """Every column but the raw phone, which is shown masked in its place."""
        names = list(super().get_fields(request, obj))
        return [("masked_contact_phone" if n == "contact_phone" else n) for n in names]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)
