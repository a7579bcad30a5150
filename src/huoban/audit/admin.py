"""Admin: the audit log, read-only. Its before/after snapshots carry commission figures, so it is
shown where money is (R-VIS-2): finance and admin."""

from django.contrib import admin

from huoban.backoffice import ReadOnlyAdmin

from .models import AuditEvent, ChainHead


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    money_model = True
    list_display = ("at", "actor_name", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "object_id", "action")
    date_hierarchy = "at"


@admin.register(ChainHead)
class ChainHeadAdmin(ReadOnlyAdmin):
    money_model = True
    list_display = ("key", "head_hash", "length")
