"""Django admin for the customers app: a read-mostly window onto the registry.

Every change that carries a business rule (attribution, transfer, links, names, consent, inbound
contacts) goes through ``services`` so it is validated and audited; the admin shows those rows
read-only. Contact details are masked here too (R-VIS-3): the admin is a staff view.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from huoban.backoffice import ReadOnlyAdmin, ReadOnlyInline

from .consent import mask_email, mask_phone, mask_wechat
from .models import (
    Attribution,
    AttributionTransfer,
    Contact,
    ContactConsent,
    Customer,
    CustomerLink,
    CustomerName,
    InboundContact,
)


class NameInline(ReadOnlyInline):
    model = CustomerName
    fields = ("name", "normalized", "kind")


class LinkInline(ReadOnlyInline):
    model = CustomerLink
    fk_name = "customer"
    fields = ("related", "kind", "created_at", "created_by")


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ("id", "legal_name", "uscc", "region", "industry", "owner", "created_at")
    search_fields = ("legal_name", "normalized_name", "uscc", "names__normalized")
    list_filter = ("region", "industry")
    fields = ("legal_name", "normalized_name", "uscc", "region", "industry", "created_at")
    inlines = (NameInline, LinkInline)
    list_select_related = ("attribution__partner",)

    @admin.display(description=_("归属伙伴"))
    def owner(self, obj: Customer) -> str:
        attribution = getattr(obj, "attribution", None)
        return str(attribution.partner) if attribution is not None else "—"


@admin.register(CustomerName)
class CustomerNameAdmin(ReadOnlyAdmin):
    list_display = ("name", "normalized", "kind", "customer")
    list_filter = ("kind",)
    search_fields = ("name", "normalized")
    list_select_related = ("customer",)


@admin.register(CustomerLink)
class CustomerLinkAdmin(ReadOnlyAdmin):
    list_display = ("customer", "kind", "related", "created_at", "created_by")
    list_filter = ("kind",)
    list_select_related = ("customer", "related", "created_by")


class TransferInline(ReadOnlyInline):
    model = AttributionTransfer
    fields = ("from_partner", "to_partner", "reason", "at", "by")


@admin.register(Attribution)
class AttributionAdmin(ReadOnlyAdmin):
    list_display = ("customer", "partner", "since", "source", "via")
    list_filter = ("source",)
    search_fields = ("customer__legal_name", "partner__code", "partner__name")
    list_select_related = ("customer", "partner", "via")
    inlines = (TransferInline,)


@admin.register(AttributionTransfer)
class AttributionTransferAdmin(ReadOnlyAdmin):
    list_display = ("attribution", "from_partner", "to_partner", "at", "by")
    list_select_related = ("attribution__customer", "from_partner", "to_partner", "by")


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    """Masked in the list and in the detail page: revealing goes through the audited API."""

    list_display = ("name", "title", "customer", "masked_phone", "is_decision_maker")
    search_fields = ("name", "customer__legal_name")
    list_select_related = ("customer",)
    fields = (
        "customer",
        "name",
        "title",
        "masked_phone",
        "masked_email",
        "masked_wechat",
        "is_decision_maker",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description=_("电话"))
    def masked_phone(self, obj: Contact) -> str:
        return mask_phone(obj.phone)

    @admin.display(description=_("邮箱"))
    def masked_email(self, obj: Contact) -> str:
        return mask_email(obj.email)

    @admin.display(description=_("微信"))
    def masked_wechat(self, obj: Contact) -> str:
        return mask_wechat(obj.wechat)


@admin.register(ContactConsent)
class ContactConsentAdmin(ReadOnlyAdmin):
    list_display = (
        "customer",
        "partner",
        "grantee_user",
        "grantee_role",
        "expires_at",
        "approved_at",
        "revoked_at",
    )
    fields = (
        "customer",
        "partner",
        "grantee_user",
        "grantee_role",
        "granted_at",
        "granted_by",
        "approved_at",
        "approved_by",
        "expires_at",
        "document_sha256",
        "note",
        "revoked_at",
        "revoked_by",
    )
    list_filter = ("grantee_role",)
    list_select_related = ("customer", "partner", "grantee_user")


@admin.register(InboundContact)
class InboundContactAdmin(ReadOnlyAdmin):
    list_display = ("at", "name_given", "customer", "routed_to", "referral_answer", "recorded_by")
    list_filter = ("referral_answer",)
    search_fields = ("name_given",)
    date_hierarchy = "at"
    list_select_related = ("customer", "routed_to", "recorded_by")
