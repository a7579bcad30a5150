"""Admin: the ledger and payouts, read-only (R-UI-2). The ledger and
payouts are commission figures (R-VIS-2): finance and admin only."""

from django.contrib import admin

from huoban.backoffice import ReadOnlyAdmin

from .models import LedgerEntry, Payout


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    money_model = True
    list_display = ("id", "partner", "kind", "project", "amount", "earned_on", "status")
    list_filter = ("kind", "status")


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    money_model = True
    list_display = ("bank_reference", "partner", "paid_on", "total")
