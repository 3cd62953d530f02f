from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from shegong.people.models import Category, VisitCadence


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Administrators add categories here (residents themselves are edited in the app)."""

    list_display = ("name", "code", "cared_for", "has_level", "order")
    list_editable = ("cared_for", "order")


@admin.register(VisitCadence)
class VisitCadenceAdmin(SimpleHistoryAdmin):
    list_display = ("province_code", "risk_level", "interval_days", "event_hours")
    list_filter = ("risk_level",)
