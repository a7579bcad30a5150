"""Admin: projects are read-only here; every change goes through the audited services."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import CustomerPayment, Project


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("id", "title", "partner", "contract_amount", "signed_on", "status")
    list_filter = ("status", "kind")


@admin.register(CustomerPayment)
class CustomerPaymentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "project", "kind", "amount", "received_on")
