"""Volunteer teams (志愿服务队) and their members."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.scoping import ensure_in_jurisdiction
from shegong.orgs.models import Organisation
from shegong.volunteers.models import (
    Team,
    TeamMember,
    Volunteer,
)

OWN_ROWS = (
    "Rows of a team, shift, activity, volunteer or record the caller already read through "
    "its scope (or the signed-in volunteer's own), read or locked before they change."
)


@transaction.atomic
def team_create(
    *, acting_user: User, organisation: Organisation, name: str, kind: str, description: str = ""
) -> Team:
    ensure_in_jurisdiction(acting_user, organisation.region_id, field="organisation")
    team = Team(
        name=name,
        kind=kind,
        organisation=organisation,
        region_id=organisation.region_id,
        description=description,
    )
    team.full_clean()
    team._history_user = acting_user
    team.save()
    return team


@transaction.atomic
def team_add_member(
    *, team: Team, volunteer: Volunteer, acting_user: User, is_leader: bool = False, joined_on=None
) -> TeamMember:
    if (
        TeamMember.objects.unscoped(reason=OWN_ROWS)
        .filter(team=team, volunteer=volunteer, left_on__isnull=True)
        .exists()
    ):
        raise ValidationError({"volunteer": _("该志愿者已是本队队员。")})
    member = TeamMember(
        team=team,
        volunteer=volunteer,
        region_code=team.region_id,
        joined_on=joined_on or timezone.localdate(),
        is_leader=is_leader,
    )
    if is_leader:
        TeamMember.objects.unscoped(reason=OWN_ROWS).filter(team=team, is_leader=True).update(
            is_leader=False
        )
    member._history_user = acting_user
    member.save()
    return member


@transaction.atomic
def team_member_leave(
    *, member: TeamMember, acting_user: User, left_on: date | None = None
) -> TeamMember:
    if member.left_on is not None:
        raise ValidationError({"left_on": _("该队员已退出。")})
    member.left_on = left_on or timezone.localdate()
    if member.left_on < member.joined_on:
        raise ValidationError({"left_on": _("退出日期不能早于加入日期。")})
    member.is_leader = False
    member._history_user = acting_user
    member.save(update_fields=["left_on", "is_leader"])
    return member


@transaction.atomic
def team_set_leader(*, member: TeamMember, acting_user: User) -> TeamMember:
    if member.left_on is not None:
        raise ValidationError({"volunteer": _("已退出的队员不能担任队长。")})
    for other in TeamMember.objects.unscoped(reason=OWN_ROWS).filter(
        team_id=member.team_id, is_leader=True
    ):
        other.is_leader = False
        other._history_user = acting_user
        other.save(update_fields=["is_leader"])
    member.is_leader = True
    member._history_user = acting_user
    member.save(update_fields=["is_leader"])
    return member
