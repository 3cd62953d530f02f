from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from shegong.orgs.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "sector", "region_id", "credit_code", "is_active")
    list_filter = ("kind", "sector", "is_active")
    search_fields = ("name", "=credit_code", "=region__code")
    raw_id_fields = ("region", "parent")
    show_full_result_count = False
