"""Admin: projects and payments, read-only (R-UI-2); the locked commission terms are money
(R-VIS-2), shown to finance and admin only."""

from django.contrib import admin

from huoban.backoffice import ReadOnlyAdmin

from .models import CustomerPayment, Project


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("id", "title", "partner", "contract_amount", "signed_on", "status")
    list_filter = ("status", "kind")
    money_fields = ("rate", "commission_total", "rate_explanation", "tier_at_signing")


@admin.register(CustomerPayment)
class CustomerPaymentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "project", "kind", "amount", "received_on")
