from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from shegong.accounts import membership_services as rights
from shegong.accounts.models import (
    LockoutCounter,
    Membership,
    PersonalAccessToken,
    User,
)
from shegong.core.access import public
from shegong.core.errors import ApplicationError

# Changes of accounts and memberships made here go through the audited services
# (`accounts.membership_services`): flags, roles, memberships, deletions.
# Authenticators are enrolled and reset in the product, where it is audited (OTP_ENROL,
# OTP_RESET); the 2FA policy is edited on its page (audited); nothing of it in the admin.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ("organisation",)
    extra = 0


class RightsAuditedAdmin:
    """Saves and deletes memberships through the services, also when edited inline."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            rights.membership_delete(
                acting_user=request.user, membership=membership, via="admin", request=request
            )
        for membership in memberships:
            rights.membership_save(
                acting_user=request.user, membership=membership, via="admin", request=request
            )
        formset.save_m2m()


@admin.register(User)
class UserAdmin(RightsAuditedAdmin, BaseUserAdmin, SimpleHistoryAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Shegong", {"fields": ("full_name", "phone")}))
    list_display = ("username", "full_name", "is_active", "is_superuser", "last_login")
    search_fields = ("username", "full_name", "phone")
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        rights.user_save(acting_user=request.user, user=obj, via="admin", request=request)

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        if "groups" in data or "user_permissions" in data:
            rights.user_admin_grants_set(
                acting_user=request.user,
                user=form.instance,
                groups=data.get("groups"),
                permissions=data.get("user_permissions"),
                via="admin",
                request=request,
            )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        try:
            rights.user_delete(acting_user=request.user, user=obj, via="admin", request=request)
        except ApplicationError as exc:
            messages.error(request, exc.message)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            self.delete_model(request, user)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "organisation", "role", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("user", "organisation")

    def save_model(self, request, obj, form, change):
        rights.membership_save(
            acting_user=request.user, membership=obj, via="admin", request=request
        )

    def delete_model(self, request, obj):
        rights.membership_delete(
            acting_user=request.user, membership=obj, via="admin", request=request
        )

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "organisation"):
            self.delete_model(request, membership)


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "hint",
        "membership",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "last_used_ip",
        "revoked_at",
    )
    readonly_fields = ("digest", "hint", "created_at", "last_used_at", "last_used_ip")
    raw_id_fields = ("membership",)


@admin.register(LockoutCounter)
class LockoutCounterAdmin(admin.ModelAdmin):
    """Read-only here: unlocking is audited on the locks page and by `shegong unlock`."""

    list_display = ("kind", "key", "failures", "locked_until", "last_failure_at")
    list_filter = ("kind",)
    search_fields = ("key",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _admin_login(request, extra_context=None):
    """The admin signs in through the platform's sign-in (lockout, second factor), not its own
    password-only form."""
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied

    if request.user.is_authenticated:
        raise PermissionDenied  # signed in, but not a system administrator
    return redirect_to_login(request.GET.get("next") or "/admin/", "accounts:login")


admin.site.login = public(_admin_login)
