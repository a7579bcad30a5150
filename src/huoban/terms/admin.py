"""Admin: policy versions and partner agreements, read-only (R-UI-2)."""

from django.contrib import admin

from huoban.backoffice import ReadOnlyAdmin

from .models import PartnerAgreement, PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ("version", "effective_from", "created_at")


@admin.register(PartnerAgreement)
class PartnerAgreementAdmin(ReadOnlyAdmin):
    list_display = ("partner", "policy_version", "signed_on")
