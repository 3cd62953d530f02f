from django.contrib import admin

from shegong.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent_id")
    list_filter = ("level",)
    search_fields = ("=code", "name")
    show_full_result_count = False
    raw_id_fields = ("parent",)
