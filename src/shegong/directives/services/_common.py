"""What every directive service shares: the acting unit, the timeline row, notifications."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.core.permissions import has_perm
from shegong.directives.models import Directive, DirectiveTarget, Event
from shegong.orgs.models import Organisation
from shegong.orgs.selectors import unit_of

CHUNK = 5000


def acting_unit(*, acting_user: Any, perm: str) -> Organisation:
    """The unit the user acts for, once their role grants `perm`."""
    if not has_perm(acting_user, perm):
        raise PermissionDenied(perm)
    unit = unit_of(fetched_by=acting_user)
    if unit is None:
        raise ValidationError({"__all__": _("您没有所属单位，不能办理督办事项。")})
    return unit


def require_relation(*, target: DirectiveTarget, acting_user: Any, relation: str) -> Organisation:
    """The user's unit, when it stands in `relation` ("unit" or "sender") to the copy."""
    unit = unit_of(fetched_by=acting_user)
    wanted = target.unit_id if relation == "unit" else target.sender_id
    if unit is None or unit.pk != wanted:
        raise PermissionDenied(f"directives.{relation}")
    return unit


def event(
    directive: Directive,
    kind: str,
    *,
    acting_user: Any = None,
    target: DirectiveTarget | None = None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    unit_name: str = "",
    region_code: str = "",
) -> Event:
    return Event.objects.create(
        directive=directive,
        target=target,
        region_code=region_code
        or (target.region_code if target is not None else directive.issuer_region_code),
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        actor=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        unit_name=unit_name or (target.unit.name if target is not None else ""),
        note=note,
    )


NOTIFY = "A directive's recipients are told by the system, whoever sends it."


def members_of(unit_regions: dict[int, str]) -> list[tuple[int, str]]:
    """`(user id, region code of the unit's copy)` of the active members of these units."""
    from shegong.accounts.models import Membership

    if not unit_regions:
        return []
    ids = list(unit_regions)
    rows: list[tuple[int, int]] = []
    for start in range(0, len(ids), CHUNK):  # bounded: one query per CHUNK units
        rows += (
            Membership.objects.unscoped(reason=NOTIFY)
            .filter(organisation_id__in=ids[start : start + CHUNK], is_active=True)
            .filter(user__is_active=True)
            .values_list("user_id", "organisation_id")
        )
    return [(user_id, unit_regions[org_id]) for user_id, org_id in rows]


def notify_units(
    unit_regions: dict[int, str],
    *,
    directive: Directive,
    kind: str,
    key: str,
    params: dict | None = None,
) -> None:
    """On commit: notify every member of these units (`{unit id: region code of its copy}`),
    each notification in the region of the unit's copy (so the inbox's scoping shows it)."""
    pairs = dict(unit_regions)

    def send() -> None:
        from shegong.inbox.services import notify_each

        notify_each(
            recipients=members_of(pairs),
            kind=kind,
            params={"title": directive.title[:100], **(params or {})},
            url=reverse("directives:detail", args=[directive.pk]),
            key=key,
        )

    transaction.on_commit(send)
