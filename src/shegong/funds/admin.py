from django.contrib import admin

from shegong.funds.models import Account, AllocationPlan, Donation, JournalEntry, Pairing


class ReadOnly(admin.ModelAdmin):
    """Money is changed only through the services (postings, reversals, workflow)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(ReadOnly):
    list_display = ("name", "region_id", "kind", "source", "purpose", "balance")
    search_fields = ("name", "region__code")


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnly):
    list_display = ("number", "kind", "memo", "amount", "region_code", "target_region", "posted_at")
    list_filter = ("kind",)
    search_fields = ("number", "memo")


@admin.register(AllocationPlan)
class AllocationPlanAdmin(ReadOnly):
    list_display = ("title", "period", "region_code", "resource", "status")


@admin.register(Pairing)
class PairingAdmin(ReadOnly):
    list_display = ("title", "year", "agreed_amount")


@admin.register(Donation)
class DonationAdmin(ReadOnly):
    list_display = ("receipt_number", "donor", "amount", "restricted_purpose", "received_on")
