"""Writes that change who may do what: accounts (active, staff and superuser flags, the Django
admin's groups and permissions) and memberships (organisation + role).

Every path that changes them — the Django admin, `createsuperuser` and `User.objects.create_user`,
the demo loaders, volunteer self-registration — goes through these services, and each change is
audited in the same transaction with its old and new values (GB/T 22239-2019 level 3: changes of
rights are security events):

- MEMBERSHIP_CHANGE — a membership created, moved, retitled, deactivated or reactivated, deleted;
- PERMISSION_CHANGE — a membership's role; an account's staff/superuser flags, groups and
  permissions;
- USER_CHANGE — an account created, activated or deactivated, renamed, deleted.

`tests/accounts/test_rights_write_paths.py` fails when code elsewhere writes these directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from shegong.accounts.models import Membership, Role, User
from shegong.core.audit import audit_record
from shegong.core.errors import ApplicationError
from shegong.core.models import AuditLog
from shegong.core.scoping import ensure_in_jurisdiction

UNSCOPED_READS = "The one write path for accounts and memberships: it reads only the user or membership it is about to change (for its history, and to refuse a duplicate); who may manage whom is checked by the callers through accounts.selectors."

ACCOUNT_FIELDS = ("username", "is_active")
ADMIN_FLAG_FIELDS = ("is_staff", "is_superuser")
MEMBERSHIP_FIELDS = ("organisation_id", "title", "is_active")


def _actor(acting_user: Any) -> User | None:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def _user_region(user: User) -> str:
    """The region of the account's first active membership (what its auditors look after)."""
    region = (
        Membership.objects.filter(user=user, is_active=True)
        .order_by("id")
        .values_list("organisation__region_id", flat=True)
        .first()
    )
    return region or ""


def _changes(old: dict, new: dict, fields: Iterable[str]) -> tuple[dict, dict]:
    changed = [f for f in fields if old.get(f) != new.get(f)]
    return {f: old.get(f) for f in changed}, {f: new.get(f) for f in changed}


def _values(obj: Any, fields: Iterable[str]) -> dict:
    return {f: getattr(obj, f) for f in fields}


# ---- accounts ----------------------------------------------------------------------------------


@transaction.atomic
def user_save(*, acting_user: Any, user: User, via: str = "", request: Any = None) -> User:
    """Save a new or edited account (the admin's form, `create_user`) and audit what changed in
    its access. Personal fields (name, phone) are left to the history, not the audit log."""
    fields = ACCOUNT_FIELDS + ADMIN_FLAG_FIELDS
    created = user._state.adding
    old = (
        {f: False for f in fields} | {"username": ""}
        if created
        else User.objects.filter(pk=user.pk).values(*fields).first() or {}
    )
    actor = _actor(acting_user)
    if actor is not None:
        user._history_user = actor
    user.save()
    new = _values(user, fields)
    region = _user_region(user)
    common = {"user": user.username, "via": via or "service"}
    old_account, new_account = _changes(old, new, ACCOUNT_FIELDS)
    if created:
        audit_record(
            action=AuditLog.Action.USER_CHANGE,
            actor=actor,
            obj=user,
            region_code=region,
            detail={**common, "op": "create", "old": {}, "new": new},
            request=request,
        )
    elif new_account:
        op = "change"
        if list(new_account) == ["is_active"]:
            op = "activate" if new_account["is_active"] else "deactivate"
        audit_record(
            action=AuditLog.Action.USER_CHANGE,
            actor=actor,
            obj=user,
            region_code=region,
            detail={**common, "op": op, "old": old_account, "new": new_account},
            request=request,
        )
    old_flags, new_flags = _changes(old, new, ADMIN_FLAG_FIELDS)
    if new_flags:
        audit_record(
            action=AuditLog.Action.PERMISSION_CHANGE,
            actor=actor,
            obj=user,
            region_code=region,
            detail={**common, "op": "admin_flags", "old": old_flags, "new": new_flags},
            request=request,
        )
    return user


def user_create(
    *,
    acting_user: Any,
    username: str,
    password: str | None = None,
    password_hash: str = "",
    full_name: str = "",
    phone: str = "",
    email: str = "",
    is_active: bool = True,
    is_staff: bool = False,
    is_superuser: bool = False,
    via: str = "",
    request: Any = None,
) -> User:
    """A new account; without a password it cannot sign in until one is set. `password_hash`:
    a password checked and hashed earlier (a volunteer's application, approved later)."""
    user = User(
        username=username,
        full_name=full_name,
        phone=phone,
        email=email,
        is_active=is_active,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    if password_hash:
        user.password = password_hash
    elif password:
        try:  # the password rules hold for every new account
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    return user_save(acting_user=acting_user, user=user, via=via, request=request)


def user_set_active(
    *, acting_user: Any, user: User, is_active: bool, via: str = "", request: Any = None
) -> User:
    user.is_active = is_active
    return user_save(acting_user=acting_user, user=user, via=via, request=request)


def user_set_admin_flags(
    *,
    acting_user: Any,
    user: User,
    is_staff: bool | None = None,
    is_superuser: bool | None = None,
    via: str = "",
    request: Any = None,
) -> User:
    """Grant or withdraw the Django admin (staff) and every-permission (superuser) flags."""
    if is_staff is not None:
        user.is_staff = is_staff
    if is_superuser is not None:
        user.is_superuser = is_superuser
    return user_save(acting_user=acting_user, user=user, via=via, request=request)


def _grant_names(user: User) -> dict[str, list[str]]:
    return {
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "permissions": sorted(
            f"{app}.{codename}"
            for app, codename in user.user_permissions.values_list(
                "content_type__app_label", "codename"
            )
        ),
    }


@transaction.atomic
def user_admin_grants_set(
    *,
    acting_user: Any,
    user: User,
    groups: Iterable | None = None,
    permissions: Iterable | None = None,
    via: str = "",
    request: Any = None,
) -> User:
    """Set the Django admin groups and permissions of an account (None leaves one unchanged)."""
    before = _grant_names(user)
    if groups is not None:
        user.groups.set(groups)
    if permissions is not None:
        user.user_permissions.set(permissions)
    after = _grant_names(user)
    old, new = _changes(before, after, ("groups", "permissions"))
    if new:
        audit_record(
            action=AuditLog.Action.PERMISSION_CHANGE,
            actor=_actor(acting_user),
            obj=user,
            region_code=_user_region(user),
            detail={
                "user": user.username,
                "via": via or "service",
                "op": "admin_permissions",
                "old": old,
                "new": new,
            },
            request=request,
        )
    return user


@transaction.atomic
def user_delete(*, acting_user: Any, user: User, via: str = "", request: Any = None) -> None:
    """Delete an account that never acted (one that appears in the audit log is deactivated
    instead: the log keeps who acted)."""
    region = _user_region(user)
    for membership in Membership.objects.filter(user=user).select_related("organisation"):
        membership_delete(acting_user=acting_user, membership=membership, via=via, request=request)
    audit_record(
        action=AuditLog.Action.USER_CHANGE,
        actor=_actor(acting_user),
        obj=user,
        region_code=region,
        detail={
            "user": user.username,
            "via": via or "service",
            "op": "delete",
            "old": _values(user, ACCOUNT_FIELDS + ADMIN_FLAG_FIELDS),
            "new": {},
        },
        request=request,
    )
    try:
        with transaction.atomic():
            user.delete()
    except ProtectedError:
        raise ApplicationError(
            _("该账号已有审计记录，不能删除；请停用该账号。"), field="user"
        ) from None


# ---- memberships -------------------------------------------------------------------------------


def _membership_common(membership: Membership, via: str) -> dict:
    return {
        "membership": membership.pk,
        "user": membership.user.username,
        "organisation": membership.organisation.name,
        "via": via or "service",
    }


@transaction.atomic
def membership_save(
    *, acting_user: Any, membership: Membership, via: str = "", request: Any = None
) -> Membership:
    """Save a new or edited membership and audit the change: its role as a permission change,
    the rest (organisation, title, active) as a membership change."""
    if membership.role not in Role.values:
        raise ValidationError({"role": _("未知的角色。")})
    actor = _actor(acting_user)
    if actor is not None and not actor.is_superuser:
        ensure_in_jurisdiction(actor, membership.organisation.region_id, field="organisation")
    membership.full_clean()
    created = membership._state.adding
    fields = (*MEMBERSHIP_FIELDS, "role")
    old = (
        {} if created else Membership.objects.filter(pk=membership.pk).values(*fields).first() or {}
    )
    if actor is not None:
        membership._history_user = actor
    membership.save()
    new = _values(membership, fields)
    common = _membership_common(membership, via)
    region = membership.organisation.region_id
    if created:
        audit_record(
            action=AuditLog.Action.MEMBERSHIP_CHANGE,
            actor=actor,
            obj=membership,
            region_code=region,
            detail={**common, "op": "create", "old": {}, "new": new},
            request=request,
        )
        return membership
    old_rest, new_rest = _changes(old, new, MEMBERSHIP_FIELDS)
    if new_rest:
        op = "change"
        if list(new_rest) == ["is_active"]:
            op = "reactivate" if new_rest["is_active"] else "deactivate"
        audit_record(
            action=AuditLog.Action.MEMBERSHIP_CHANGE,
            actor=actor,
            obj=membership,
            region_code=region,
            detail={**common, "op": op, "old": old_rest, "new": new_rest},
            request=request,
        )
    old_role, new_role = _changes(old, new, ("role",))
    if new_role:
        audit_record(
            action=AuditLog.Action.PERMISSION_CHANGE,
            actor=actor,
            obj=membership,
            region_code=region,
            detail={**common, "op": "role", "old": old_role, "new": new_role},
            request=request,
        )
    return membership


def membership_create(
    *,
    acting_user: Any,
    user: User,
    organisation: Any,
    role: str,
    title: str = "",
    via: str = "",
    request: Any = None,
) -> Membership:
    membership = Membership(user=user, organisation=organisation, role=role, title=title)
    return membership_save(acting_user=acting_user, membership=membership, via=via, request=request)


def membership_ensure(
    *, acting_user: Any, user: User, organisation: Any, role: str, via: str = ""
) -> tuple[Membership, bool]:
    """The user's membership with this organisation and role, created (and audited) if missing."""
    existing = Membership.objects.filter(user=user, organisation=organisation, role=role).first()
    if existing is not None:
        return existing, False
    membership = membership_create(
        acting_user=acting_user, user=user, organisation=organisation, role=role, via=via
    )
    return membership, True


def membership_change_role(
    *, acting_user: Any, membership: Membership, role: str, via: str = "", request: Any = None
) -> Membership:
    membership.role = role
    return membership_save(acting_user=acting_user, membership=membership, via=via, request=request)


def membership_set_active(
    *,
    acting_user: Any,
    membership: Membership,
    is_active: bool,
    via: str = "",
    request: Any = None,
) -> Membership:
    """Deactivate (or reactivate) a membership: its role no longer applies, its tokens stop."""
    membership.is_active = is_active
    return membership_save(acting_user=acting_user, membership=membership, via=via, request=request)


@transaction.atomic
def membership_delete(
    *, acting_user: Any, membership: Membership, via: str = "", request: Any = None
) -> None:
    actor = _actor(acting_user)
    if actor is not None and not actor.is_superuser:
        ensure_in_jurisdiction(actor, membership.organisation.region_id, field="organisation")
    audit_record(
        action=AuditLog.Action.MEMBERSHIP_CHANGE,
        actor=actor,
        obj=membership,
        region_code=membership.organisation.region_id,
        detail={
            **_membership_common(membership, via),
            "op": "delete",
            "old": _values(membership, (*MEMBERSHIP_FIELDS, "role")),
            "new": {},
        },
        request=request,
    )
    membership.delete()


def password_check(password: str, *, username: str, full_name: str = "", phone: str = "") -> None:
    """The password rules for an account not created yet (an application reviewed later)."""
    try:
        validate_password(password, User(username=username, full_name=full_name, phone=phone))
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
