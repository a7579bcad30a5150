from django.contrib import admin

from huoban.backoffice import ReadOnlyAdmin

from .models import Holiday


@admin.register(Holiday)
class HolidayAdmin(ReadOnlyAdmin):
    list_display = ("date", "name", "is_workday")
    list_filter = ("is_workday",)
    date_hierarchy = "date"
    search_fields = ("name",)
