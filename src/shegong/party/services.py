"""Writes of the party register: set up, change and dissolve a party organisation, and the
organisations a joint one covers. Rules from 党章 Art. 30 and 中国共产党支部工作条例（试行）
(../shared/DOMAIN.md, "Party organisations in the field")."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import Role
from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.permissions import has_perm
from shegong.core.scoping import ensure_in_jurisdiction
from shegong.orgs.models import Organisation
from shegong.party.models import PartyCoverage, PartyOrganisation, PartyOrgKind

# 党章 Art. 30: three full members or more set up a party organisation.
MIN_MEMBERS = 3
# 支部工作条例 Art. 6: over 50 members a general branch may be set up; 100 or more, a committee.
GENERAL_BRANCH_OVER = 50
COMMITTEE_FROM = 100


def _check_rights(acting_user: Any, host: Organisation) -> None:
    if not has_perm(acting_user, "party.manage"):
        raise ValidationError({"host": _("您的角色不能登记党组织。")})
    ensure_in_jurisdiction(acting_user, host.region_id, field="host")
    membership = getattr(acting_user, "active_membership", None)
    if membership is not None and membership.role == Role.STATION_WORKER:
        if host.pk != membership.organisation_id:
            raise ValidationError({"host": _("社工站只能登记本站的党组织。")})


def _check_fields(*, kind: str, members_count: int, established_on: date, team, host) -> None:
    errors: dict[str, str] = {}
    if kind not in PartyOrgKind.values:
        errors["kind"] = _("没有这个类别。")
    if members_count < MIN_MEMBERS:
        errors["members_count"] = _(
            "正式党员3人以上才能成立党组织（党章第三十条）；不足3人的，可与邻近单位成立联合党支部。"
        )
    elif kind == PartyOrgKind.GENERAL_BRANCH and members_count <= GENERAL_BRANCH_OVER:
        errors["kind"] = _("党员人数超过50人的，才可设立党总支。")
    elif kind == PartyOrgKind.COMMITTEE and members_count < COMMITTEE_FROM:
        errors["kind"] = _("党员人数100人以上的，才可设立基层党委。")
    if established_on > timezone.localdate():
        errors["established_on"] = _("成立日期不能晚于今天。")
    if team is not None and team.organisation_id != host.pk:
        errors["team"] = _("该志愿服务队不属于依托单位。")
    if not host.is_active:
        errors["host"] = _("依托单位已注销。")
    if errors:
        raise ValidationError(errors)


def _check_coverage(acting_user: Any, party_org: PartyOrganisation, covered: list) -> None:
    if covered and not party_org.is_joint:
        raise ValidationError({"covered": _("只有联合党组织可以覆盖其他单位。")})
    for org in covered:
        ensure_in_jurisdiction(acting_user, org.region_id, field="covered")
        if org.pk == party_org.host_id:
            raise ValidationError({"covered": _("依托单位不必再列为覆盖单位。")})
        own = PartyOrganisation.objects.unscoped(reason=CHECK).filter(
            host=org, dissolved_on__isnull=True, team__isnull=True
        )
        if own.exists():
            raise ValidationError(
                {"covered": _("%(name)s 已有自己的党组织，不需联合覆盖。") % {"name": org.name}}
            )
        other = PartyCoverage.objects.unscoped(reason=CHECK).filter(
            organisation=org, party_organisation__dissolved_on__isnull=True
        )
        if party_org.pk is not None:
            other = other.exclude(party_organisation_id=party_org.pk)
        if other.exists():
            raise ValidationError(
                {"covered": _("%(name)s 已由另一个联合党组织覆盖。") % {"name": org.name}}
            )


CHECK = (
    "Whether an organisation already has a party organisation or is covered by another: a yes or "
    "no for an organisation the writer may see (its own jurisdiction was checked first)"
)


def _set_coverage(party_org: PartyOrganisation, covered: list, acting_user: Any) -> None:
    keep = {o.pk for o in covered}
    for row in party_org.coverage.all():
        if row.organisation_id not in keep:
            row._history_user = acting_user
            row.delete()
    have = set(party_org.coverage.values_list("organisation_id", flat=True))
    for org in covered:
        if org.pk not in have:
            row = PartyCoverage(
                party_organisation=party_org, organisation=org, region_code=org.region_id
            )
            row._history_user = acting_user
            row.save()


@transaction.atomic
def party_organisation_create(
    *,
    acting_user: Any,
    name: str,
    kind: str,
    host: Organisation,
    established_on: date,
    secretary: str,
    members_count: int,
    is_joint: bool = False,
    team=None,
    covered: Iterable[Organisation] = (),
) -> PartyOrganisation:
    """Register a party organisation set up in `host` (or in its volunteer team `team`)."""
    _check_rights(acting_user, host)
    _check_fields(
        kind=kind, members_count=members_count, established_on=established_on, team=team, host=host
    )
    if team is None and not is_joint:
        taken = PartyOrganisation.objects.unscoped(reason=CHECK).filter(
            host=host, team__isnull=True, dissolved_on__isnull=True
        )
        if taken.exists():
            raise ValidationError({"host": _("该单位已有党组织；请修改原有登记。")})
    party_org = PartyOrganisation(
        name=name.strip(),
        kind=kind,
        is_joint=is_joint,
        host=host,
        team=team,
        region_code=host.region_id,
        established_on=established_on,
        secretary=secretary.strip(),
        members_count=members_count,
    )
    party_org.full_clean()
    covered = list(covered)
    _check_coverage(acting_user, party_org, covered)
    party_org._history_user = acting_user
    party_org.save()
    _set_coverage(party_org, covered, acting_user)
    audit_record(action=AuditLog.Action.OTHER, actor=acting_user, obj=party_org)
    return party_org


@transaction.atomic
def party_organisation_update(
    *,
    acting_user: Any,
    party_org: PartyOrganisation,
    name: str,
    kind: str,
    established_on: date,
    secretary: str,
    members_count: int,
    covered: Iterable[Organisation] = (),
) -> PartyOrganisation:
    """Change a registered party organisation: its name, kind, secretary, members and, for a
    joint one, the organisations it covers. The host stays (a new host is a new registration)."""
    _check_rights(acting_user, party_org.host)
    if not party_org.is_active:
        raise ValidationError({"name": _("该党组织已撤销，不能修改。")})
    _check_fields(
        kind=kind,
        members_count=members_count,
        established_on=established_on,
        team=party_org.team,
        host=party_org.host,
    )
    covered = list(covered)
    _check_coverage(acting_user, party_org, covered)
    party_org.name = name.strip()
    party_org.kind = kind
    party_org.established_on = established_on
    party_org.secretary = secretary.strip()
    party_org.members_count = members_count
    party_org.full_clean()
    party_org._history_user = acting_user
    party_org.save()
    _set_coverage(party_org, covered, acting_user)
    audit_record(action=AuditLog.Action.OTHER, actor=acting_user, obj=party_org)
    return party_org


@transaction.atomic
def party_organisation_dissolve(
    *, acting_user: Any, party_org: PartyOrganisation, dissolved_on: date
) -> PartyOrganisation:
    """Record that a party organisation was dissolved (撤销); it stays in the register."""
    _check_rights(acting_user, party_org.host)
    if not party_org.is_active:
        raise ValidationError({"dissolved_on": _("该党组织已撤销。")})
    if dissolved_on < party_org.established_on or dissolved_on > timezone.localdate():
        raise ValidationError({"dissolved_on": _("撤销日期应在成立日期与今天之间。")})
    party_org.dissolved_on = dissolved_on
    party_org._history_user = acting_user
    party_org.save(update_fields=["dissolved_on", "updated_at"])
    audit_record(action=AuditLog.Action.OTHER, actor=acting_user, obj=party_org)
    return party_org
