from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from huoban.backoffice import ReadOnlyAdmin

from .models import ApiToken, User

# Roles, not groups, decide what a user may do (huoban.access): groups have no page here.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(ReadOnlyAdmin, BaseUserAdmin):
    list_display = ("username", "display_name", "role", "partner", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name", "email", "partner__name", "partner__code")
    # Never the password hash; users are created with `huoban createuser` (the console's user
    # pages come with issue #12).
    fieldsets = (
        (None, {"fields": ("username", "display_name", "email", "role", "partner")}),
        (_("状态"), {"fields": ("is_active", "last_login", "date_joined")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "prefix", "name")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
