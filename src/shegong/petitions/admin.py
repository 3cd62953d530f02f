"""Configuration lives in the admin (system administrators): the category taxonomy, the
routing table and the statutory periods with their day rule."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from shegong.petitions.models import (
    Category,
    DeadlineSetting,
    Matter,
    MatterEvent,
    RoutingRule,
    SweepRun,
)


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "parent", "order", "is_active")
    list_filter = ("parent", "is_active")
    search_fields = ("code", "name")


@admin.register(RoutingRule)
class RoutingRuleAdmin(SimpleHistoryAdmin):
    list_display = ("category", "level", "org_kind", "sector", "statutory_procedure")
    list_filter = ("level", "org_kind")


@admin.register(DeadlineSetting)
class DeadlineSettingAdmin(SimpleHistoryAdmin):
    list_display = ("label", "key", "days", "day_rule")
    list_editable = ("days", "day_rule")


class EventInline(admin.TabularInline):
    model = MatterEvent
    extra = 0
    readonly_fields = ("at", "action", "label", "actor", "org_name", "note", "is_public")
    can_delete = False


@admin.register(Matter)
class MatterAdmin(SimpleHistoryAdmin):
    list_display = ("number", "title", "status", "county_code", "due_date", "is_overdue")
    list_filter = ("status", "channel", "kind", "is_overdue")
    search_fields = ("number", "title")
    raw_id_fields = (
        "region",
        "handling_org",
        "registering_org",
        "repeat_of",
        "registered_by",
        "lead_leader",
        "category",
    )
    inlines = [EventInline]


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    list_display = ("day", "started_at", "overdue", "reminded")
    readonly_fields = ("day", "started_at", "overdue", "reminded")
