"""Writes for volunteers, teams, activities, sign-ups, service records and certificates.

Each write is atomic and keeps its own history rows (django-simple-history); security-relevant
acts (imports, exports, reveals) go to the audit log.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.membership_services import membership_create, user_create
from shegong.accounts.models import Role, User
from shegong.core import crypto
from shegong.core.audit import audit_record
from shegong.core.errors import ApplicationError
from shegong.core.imports import FieldChecks, ImportResult, RowError, read_rows
from shegong.core.models import AuditLog
from shegong.core.regioncode import code_range
from shegong.core.scoping import ensure_in_jurisdiction, jurisdiction_of
from shegong.core.validation import check_planned_date
from shegong.orgs.models import Kind, Organisation
from shegong.orgs.selectors import department_to_contact
from shegong.regions.models import Region
from shegong.regions.selectors import region_resolve
from shegong.volunteers import rules
from shegong.volunteers.models import (
    PARTY_STATUSES,
    Activity,
    Certificate,
    Notice,
    PoliticalStatus,
    ServiceRecord,
    Shift,
    SignUp,
    Skill,
    Team,
    TeamMember,
    Volunteer,
)

NUMBERS = (
    "Numbers run per county (volunteers) or per organisation and year (certificates): the "
    "highest number issued there gives the next one; nothing else is read."
)

HOME_STATION = (
    "The station or department serving a home region (public bodies), found by region "
    "code for a volunteer who registers there."
)

USERNAMES = (
    "Usernames are unique in the whole country (one account table): only whether one is "
    "taken is read."
)

OWN_ROWS = (
    "Rows of a team, shift, activity, volunteer or record the caller already read through "
    "its scope (or the signed-in volunteer's own), read or locked before they change."
)

DAILY_SWEEP = (
    "The evening reminder sweep over tomorrow's accepted sign-ups in the country (a "
    "scheduled task, run as the system); each volunteer is told only of their own."
)

# ---- volunteers --------------------------------------------------------------------------------


def _next_volunteer_number(region_code: str) -> str:
    prefix = f"V{region_code[:6]}"
    last = (
        Volunteer.objects.unscoped(reason=NUMBERS)
        .filter(number__gte=prefix, number__lt=prefix + "~")
        .aggregate(m=Max("number"))
        .get("m")
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return rules.volunteer_number(region_code, sequence)


def _clean_skills(skills) -> list[str]:
    valid = set(Skill.values)
    return [s for s in dict.fromkeys(skills or []) if s in valid]


def home_organisation(region_code: str) -> Organisation | None:
    """The social work station (or the nearest department above) that serves a home region."""
    prefixes = [region_code[:n] for n in (9, 6, 4, 2)]
    for prefix in prefixes:
        low, high = code_range(prefix)
        candidates = (
            Organisation.objects.unscoped(reason=HOME_STATION)
            .filter(
                region_id__gte=low,
                region_id__lte=high,
                kind__in=(Kind.SOCIAL_WORK_STATION, Kind.SOCIAL_WORK_DEPARTMENT),
                is_active=True,
            )
            .order_by("kind", "region_id", "id")
        )
        found = candidates.first()
        if found is not None:
            return found
    return None


def volunteer_id_holders(numbers: list[str]) -> dict[str, str]:
    """`{ID number: region code}` of volunteers registered with these ID numbers anywhere (under
    any key or scheme still in use): a volunteer registers once in the whole country. Only the
    region code leaves here."""
    candidates = {h: number for number in numbers for h in crypto.blind_indexes(number)}
    found = (
        Volunteer.objects.unscoped(
            reason="A volunteer registers once in the whole country: an ID number already "
            "registered is refused wherever it is; only the holder's region code is read."
        )
        .filter(id_number_hash__in=list(candidates))
        .values_list("id_number_hash", "region_id")
    )
    return {candidates[h]: region for h, region in found}


def id_taken_message(holder_region: str, *, acting_user: User | None) -> str:
    """Staff of the holder's jurisdiction learn that the ID number is registered; staff elsewhere
    only whom to contact."""
    if acting_user is None or jurisdiction_of(acting_user).contains(holder_region):
        return _("该身份证号已注册为志愿者。")
    return _("该身份证号已在其他辖区注册为志愿者，请联系%(dept)s。") % {
        "dept": department_to_contact(holder_region)
    }


def volunteer_person(data: dict[str, Any]) -> tuple[crypto.ResidentId, Region, dict[str, Any]]:
    """The checked ID number, home region and personal fields of a registration form."""
    resident = crypto.validate_resident_id(data.get("id_number", ""))
    region = data.get("region")
    if not region:
        raise ValidationError({"region": _("请选择居住区划。")})
    if isinstance(region, str):
        region = region_resolve(region)
    name = (data.get("name") or "").strip()
    phone = (data.get("phone") or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写姓名。")})
    if not phone.isdigit() or len(phone) != 11:
        raise ValidationError({"phone": _("请填写 11 位手机号码。")})
    status = data.get("political_status") or PoliticalStatus.MASSES
    if status not in PoliticalStatus.values:
        raise ValidationError({"political_status": _("政治面貌无效。")})
    fields = {
        "name": name,
        "sex": resident.sex,
        "birth_date": resident.birth_date,
        "phone": phone,
        "skills": _clean_skills(data.get("skills")),
        "languages": (data.get("languages") or "普通话").strip(),
        "availability": sorted(
            {int(d) for d in data.get("availability") or [] if 0 <= int(d) <= 6}
        ),
        "political_status": status,
        "consent_public": bool(data.get("consent_public")),
    }
    return resident, region, fields


@transaction.atomic
def volunteer_register(
    *,
    data: dict[str, Any],
    source: str,
    acting_user: User | None = None,
    organisation: Organisation | None = None,
    consent: bool,
    consent_at: datetime | None = None,
) -> Volunteer:
    """Register a volunteer (志愿者注册). Consent to the stated use of their data is required."""
    if not consent:
        raise ValidationError({"consent": _("请阅读并同意个人信息使用说明后再注册。")})
    resident, region, fields = volunteer_person(data)
    if acting_user is not None:
        ensure_in_jurisdiction(acting_user, region.code)
    digest = crypto.blind_index(resident.number)
    holders = volunteer_id_holders([resident.number])
    if holders:
        raise ValidationError(
            {"id_number": id_taken_message(holders[resident.number], acting_user=acting_user)}
        )
    volunteer = Volunteer(
        number=_next_volunteer_number(region.code),
        **fields,
        id_number_encrypted=crypto.encrypt(resident.number),
        id_number_hash=digest,
        id_number_masked=crypto.mask_id(resident.number),
        region=region,
        is_party_member=fields["political_status"] in PARTY_STATUSES,
        organisation=organisation,
        source=source,
        consent_at=consent_at or timezone.now(),
    )
    volunteer._history_user = acting_user
    volunteer.full_clean(exclude=["user", "organisation"])
    volunteer.save()
    return volunteer


def volunteer_account_create(
    volunteer: Volunteer, *, username: str, password_hash: str, acting_user: User | None = None
) -> User:
    """The volunteer's login (role 志愿者 at the station or department serving their home),
    through the audited account services."""
    org = volunteer.organisation or home_organisation(volunteer.region_id)
    if org is None:
        raise ValidationError({"region": _("该区划暂无可受理的社工站或社会工作部。")})
    user = user_create(
        acting_user=acting_user,
        username=username,
        password_hash=password_hash,
        full_name=volunteer.name,
        phone=volunteer.phone,
        via="volunteer_registration",
    )
    membership_create(
        acting_user=acting_user,
        user=user,
        organisation=org,
        role=Role.VOLUNTEER,
        via="volunteer_registration",
    )
    volunteer.user = user
    volunteer.save(update_fields=["user", "updated_at"])
    return user


@transaction.atomic
def volunteer_update(*, volunteer: Volunteer, acting_user: User, data: dict[str, Any]) -> Volunteer:
    fields = []
    for name in ("name", "phone", "languages"):
        if name in data:
            setattr(volunteer, name, (data[name] or "").strip())
            fields.append(name)
    if "skills" in data:
        volunteer.skills = _clean_skills(data["skills"])
        fields.append("skills")
    if "availability" in data:
        volunteer.availability = sorted({int(d) for d in data["availability"]})
        fields.append("availability")
    if "political_status" in data:
        volunteer.political_status = data["political_status"]
        volunteer.is_party_member = data["political_status"] in PARTY_STATUSES
        fields += ["political_status", "is_party_member"]
    if "region" in data:
        ensure_in_jurisdiction(acting_user, data["region"].code)
        volunteer.region = data["region"]
        fields.append("region")
    if "is_active" in data:
        volunteer.is_active = bool(data["is_active"])
        fields.append("is_active")
    volunteer.full_clean(exclude=["user", "organisation"])
    volunteer._history_user = acting_user
    volunteer.save(update_fields=[*fields, "updated_at"])
    return volunteer


# ---- teams -------------------------------------------------------------------------------------


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


# ---- activities --------------------------------------------------------------------------------


def new_checkin_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


@transaction.atomic
def activity_create(
    *,
    acting_user: User,
    organisation: Organisation,
    data: dict[str, Any],
    shifts: list[dict[str, Any]] | None = None,
    publish: bool = False,
) -> Activity:
    site = data.get("site")
    region = data.get("region") or (site.region if site else organisation.region)
    if isinstance(region, str):
        region = region_resolve(region, fetched_by=acting_user)
    ensure_in_jurisdiction(acting_user, region.code)
    ensure_in_jurisdiction(acting_user, organisation.region_id, field="organisation")
    activity = Activity(
        title=data.get("title", "").strip(),
        description=data.get("description", ""),
        service_type=data.get("service_type", ""),
        beneficiaries=data.get("beneficiaries", ""),
        organisation=organisation,
        site=site,
        address=data.get("address") or (site.address if site else ""),
        region=region,
        starts_at=data.get("starts_at"),
        ends_at=data.get("ends_at"),
        is_brand=bool(data.get("is_brand")),
        brand_name=data.get("brand_name", ""),
        auto_accept=data.get("auto_accept", True),
        person_in_charge=data.get("person_in_charge") or organisation.contact_person,
        contact_phone=data.get("contact_phone") or organisation.phone,
        status=Activity.Status.PUBLISHED if publish else Activity.Status.DRAFT,
        created_by=acting_user,
    )
    check_planned_date(activity.starts_at, field="starts_at")
    check_planned_date(activity.ends_at, field="ends_at")
    if activity.starts_at and activity.ends_at and activity.ends_at <= activity.starts_at:
        raise ValidationError({"ends_at": _("结束时间应晚于开始时间。")})
    if activity.is_brand and not activity.brand_name:
        raise ValidationError({"brand_name": _("品牌活动请填写品牌名称。")})
    activity.full_clean(exclude=["created_by"])
    activity._history_user = acting_user
    activity.save()
    for spec in shifts or []:
        shift_add(activity=activity, acting_user=acting_user, **spec)
    return activity


@transaction.atomic
def shift_add(
    *,
    activity: Activity,
    acting_user: User,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    required_skills: list[str] | None = None,
    title: str = "",
) -> Shift:
    check_planned_date(starts_at, field="starts_at")
    check_planned_date(ends_at, field="ends_at")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("班次结束时间应晚于开始时间。")})
    if capacity < 1:
        raise ValidationError({"capacity": _("名额至少为 1。")})
    shift = Shift(
        activity=activity,
        region_code=activity.region_id,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        required_skills=_clean_skills(required_skills),
        checkin_code=new_checkin_code(),
    )
    shift._history_user = acting_user
    shift.save()
    return shift


@transaction.atomic
def activity_publish(*, activity: Activity, acting_user: User) -> Activity:
    if activity.status != Activity.Status.DRAFT:
        raise ApplicationError(_("只有草稿状态的活动可以发布。"), field="status")
    if not activity.shifts.exists():
        raise ApplicationError(_("请至少添加一个班次后再发布。"), field="status")
    activity.status = Activity.Status.PUBLISHED
    activity._history_user = acting_user
    activity.save(update_fields=["status", "updated_at"])
    return activity


@transaction.atomic
def activity_cancel(*, activity: Activity, acting_user: User, reason: str) -> Activity:
    if activity.status not in (Activity.Status.DRAFT, Activity.Status.PUBLISHED):
        raise ApplicationError(_("该活动不能取消。"), field="status")
    activity.status = Activity.Status.CANCELLED
    activity._history_user = acting_user
    activity._change_reason = reason
    activity.save(update_fields=["status", "updated_at"])
    volunteer_ids = (
        SignUp.objects.unscoped(reason=OWN_ROWS)
        .filter(
            shift__activity=activity,
            status__in=(SignUp.Status.ACCEPTED, SignUp.Status.PENDING, SignUp.Status.WAITLISTED),
        )
        .values_list("volunteer_id", flat=True)
    )
    Notice.objects.bulk_create(
        Notice(
            volunteer_id=v,
            text=_("活动「%(t)s」已取消：%(r)s") % {"t": activity.title, "r": reason},
        )
        for v in set(volunteer_ids)
    )
    return activity


# ---- sign-ups and the waiting list -------------------------------------------------------------

HOLDS_SEAT = (SignUp.Status.ACCEPTED,)


def _lock_shift(shift: Shift) -> Shift:
    return (
        Shift.objects.unscoped(reason=OWN_ROWS)
        .select_for_update()
        .select_related("activity")
        .get(pk=shift.pk)
    )


def seats_taken(shift: Shift) -> int:
    return (
        SignUp.objects.unscoped(reason=OWN_ROWS).filter(shift=shift, status__in=HOLDS_SEAT).count()
    )


@transaction.atomic
def signup_create(*, shift: Shift, volunteer: Volunteer, acting_user: User | None = None) -> SignUp:
    """Accept up to capacity (or hold for approval), then put the next ones on the waiting list."""
    shift = _lock_shift(shift)
    activity = shift.activity
    if activity.status != Activity.Status.PUBLISHED:
        raise ApplicationError(_("该活动未在报名中。"), field="shift")
    if shift.ends_at <= timezone.now():
        raise ApplicationError(_("该班次已结束，不能报名。"), field="shift")
    if not volunteer.is_active:
        raise ApplicationError(_("该志愿者已不在册。"), field="volunteer")
    existing = (
        SignUp.objects.unscoped(reason=OWN_ROWS).filter(shift=shift, volunteer=volunteer).first()
    )
    if existing is not None and existing.status not in (
        SignUp.Status.WITHDRAWN,
        SignUp.Status.INVITED,
    ):
        raise ApplicationError(_("您已报名该班次。"), field="shift")
    if not activity.auto_accept:
        status = SignUp.Status.PENDING
    elif seats_taken(shift) < shift.capacity:
        status = SignUp.Status.ACCEPTED
    else:
        status = SignUp.Status.WAITLISTED
    signup = existing or SignUp(shift=shift, volunteer=volunteer, region_code=shift.region_code)
    signup.status = status
    signup.created_at = timezone.now()
    signup.decided_at = timezone.now() if status != SignUp.Status.PENDING else None
    signup._history_user = acting_user
    signup.save()
    if status == SignUp.Status.WAITLISTED:
        Notice.objects.create(
            volunteer=volunteer,
            text=_("「%(t)s」名额已满，您已进入候补名单，第 %(n)d 位。")
            % {"t": activity.title, "n": waitlist_position(signup)},
        )
    return signup


def waitlist_position(signup: SignUp) -> int:
    return (
        SignUp.objects.unscoped(reason=OWN_ROWS)
        .filter(shift_id=signup.shift_id, status=SignUp.Status.WAITLISTED)
        .filter(
            Q(created_at__lt=signup.created_at) | Q(created_at=signup.created_at, id__lte=signup.id)
        )
        .count()
    )


def _promote_waiting(shift: Shift, acting_user: User | None) -> SignUp | None:
    if seats_taken(shift) >= shift.capacity:
        return None
    nxt = (
        SignUp.objects.unscoped(reason=OWN_ROWS)
        .select_for_update()
        .filter(shift=shift, status=SignUp.Status.WAITLISTED)
        .order_by("created_at", "id")
        .first()
    )
    if nxt is None:
        return None
    nxt.status = SignUp.Status.ACCEPTED
    nxt.decided_at = timezone.now()
    nxt._history_user = acting_user
    nxt._change_reason = _("候补递补")
    nxt.save(update_fields=["status", "decided_at"])
    Notice.objects.create(
        volunteer_id=nxt.volunteer_id,
        text=_("候补递补成功：您已被录用参加「%(t)s」。") % {"t": shift.activity.title},
    )
    return nxt


@transaction.atomic
def signup_withdraw(*, signup: SignUp, acting_user: User | None = None) -> SignUp | None:
    """Withdraw; a freed seat goes to the first on the waiting list. Returns who moved up."""
    shift = _lock_shift(signup.shift)
    signup.refresh_from_db()
    if signup.status in (SignUp.Status.WITHDRAWN, SignUp.Status.REJECTED):
        raise ApplicationError(_("该报名已退出或未录用。"), field="status")
    if signup.checked_in_at is not None:
        raise ApplicationError(_("已签到的报名不能退出。"), field="status")
    signup.status = SignUp.Status.WITHDRAWN
    signup.decided_at = timezone.now()
    signup._history_user = acting_user
    signup.save(update_fields=["status", "decided_at"])
    return _promote_waiting(shift, acting_user)


@transaction.atomic
def signup_decide(*, signup: SignUp, acting_user: User, accept: bool) -> SignUp:
    """Approve (up to capacity, else waiting list) or reject a pending sign-up."""
    shift = _lock_shift(signup.shift)
    signup.refresh_from_db()
    if signup.status != SignUp.Status.PENDING:
        raise ApplicationError(_("只有待审核的报名可以审核。"), field="status")
    if not accept:
        signup.status = SignUp.Status.REJECTED
    elif seats_taken(shift) < shift.capacity:
        signup.status = SignUp.Status.ACCEPTED
    else:
        signup.status = SignUp.Status.WAITLISTED
    signup.decided_at = timezone.now()
    signup._history_user = acting_user
    signup.save(update_fields=["status", "decided_at"])
    return signup


def signup_accept(*, signup: SignUp, acting_user: User) -> SignUp:
    """Approve a pending sign-up: a seat if one is free, else the waiting list."""
    return signup_decide(signup=signup, acting_user=acting_user, accept=True)


def signup_reject(*, signup: SignUp, acting_user: User) -> SignUp:
    return signup_decide(signup=signup, acting_user=acting_user, accept=False)


@transaction.atomic
def signup_invite(*, shift: Shift, volunteer: Volunteer, acting_user: User) -> SignUp:
    """An organiser invites a suggested volunteer; the volunteer accepts by signing up."""
    signup, created = SignUp.objects.unscoped(reason=OWN_ROWS).get_or_create(
        shift=shift,
        volunteer=volunteer,
        defaults={"region_code": shift.region_code, "status": SignUp.Status.INVITED},
    )
    if not created:
        raise ApplicationError(_("该志愿者已报名或已被邀请。"), field="volunteer")
    Notice.objects.create(
        volunteer=volunteer,
        text=_("您被邀请参加「%(t)s」（%(d)s），请在门户报名。")
        % {
            "t": shift.activity.title,
            "d": timezone.localtime(shift.starts_at).strftime("%m-%d %H:%M"),
        },
    )
    return signup


def proposal_invite(*, pairs: list[tuple[Volunteer, Shift]], acting_user: User) -> int:
    """Invite the chosen pairs of an assignment proposal; a volunteer already signed up or
    invited is passed over. Returns how many were invited."""
    made = 0
    for volunteer, shift in pairs:
        try:
            with transaction.atomic():
                signup_invite(shift=shift, volunteer=volunteer, acting_user=acting_user)
        except ApplicationError:
            continue
        made += 1
    return made


# ---- check-in, check-out, service records ------------------------------------------------------


@transaction.atomic
def signup_check_in(
    *, signup: SignUp, acting_user: User | None, at: datetime | None = None
) -> SignUp:
    if signup.status != SignUp.Status.ACCEPTED:
        raise ApplicationError(_("只有已录用的志愿者可以签到。"), field="status")
    if signup.checked_in_at is not None:
        raise ApplicationError(_("已签到。"), field="status")
    signup.checked_in_at = at or timezone.now()
    signup._history_user = acting_user
    signup.save(update_fields=["checked_in_at"])
    return signup


@transaction.atomic
def signup_check_out(
    *, signup: SignUp, acting_user: User | None, at: datetime | None = None
) -> ServiceRecord:
    """Check out and write the pending service record with the hours actually served."""
    if signup.checked_in_at is None:
        raise ApplicationError(_("尚未签到，不能签退。"), field="status")
    if signup.checked_out_at is not None:
        raise ApplicationError(_("已签退。"), field="status")
    at = at or timezone.now()
    if at <= signup.checked_in_at:
        raise ApplicationError(_("签退时间应晚于签到时间。"), field="checked_out_at")
    signup.checked_out_at = at
    signup._history_user = acting_user
    signup.save(update_fields=["checked_out_at"])
    shift = signup.shift
    activity = shift.activity
    record = ServiceRecord(
        volunteer_id=signup.volunteer_id,
        activity=activity,
        signup=signup,
        organisation_id=activity.organisation_id,
        region_code=activity.region_id,
        activity_name=activity.title,
        service_date=timezone.localtime(signup.checked_in_at).date(),
        place=activity.address,
        beneficiaries=activity.beneficiaries,
        content=activity.get_service_type_display() + (f"：{shift.title}" if shift.title else ""),
        hours=rules.hours_between(signup.checked_in_at, at),
        source=ServiceRecord.Source.CHECKIN,
        person_in_charge=activity.person_in_charge,
        recorder=acting_user if acting_user is not None and acting_user.is_authenticated else None,
        recorder_name=(
            str(acting_user) if acting_user is not None and acting_user.is_authenticated else ""
        ),
    )
    record._history_user = acting_user
    record.save()
    return record


def code_window(shift: Shift) -> tuple[datetime, datetime]:
    """A shift's code works only while the shift runs."""
    return shift.starts_at, shift.ends_at


@transaction.atomic
def check_in_out_by_code(*, volunteer: Volunteer, code: str, now: datetime | None = None):
    """The volunteer enters the shift code on site: first time checks in, second checks out."""
    now = now or timezone.now()
    code = (code or "").strip()
    signups = (
        SignUp.objects.unscoped(reason=OWN_ROWS)
        .select_related("shift__activity")
        .filter(volunteer=volunteer, status=SignUp.Status.ACCEPTED, shift__checkin_code=code)
        .order_by("shift__starts_at")
    )
    for signup in signups:
        start, end = code_window(signup.shift)
        if not start <= now <= end:
            continue
        if signup.checked_in_at is None:
            return signup_check_in(signup=signup, acting_user=volunteer.user, at=now)
        if signup.checked_out_at is None:
            return signup_check_out(signup=signup, acting_user=volunteer.user, at=now)
        raise ApplicationError(_("您已完成本班次的签到和签退。"), field="code")
    raise ApplicationError(_("签到码无效，或不在班次时间内。"), field="code")


def recompute_certified_hours(volunteer_ids) -> None:
    """Cumulative certified hours = the sum of confirmed records (set-based)."""
    ids = list(set(volunteer_ids))
    totals = dict(
        ServiceRecord.objects.unscoped(reason=OWN_ROWS)
        .confirmed()
        .filter(volunteer_id__in=ids)
        .values_list("volunteer_id")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    for vid in ids:
        Volunteer.objects.unscoped(reason=OWN_ROWS).filter(pk=vid).update(
            certified_hours=totals.get(vid) or Decimal("0")
        )


@transaction.atomic
def record_confirm(*, record: ServiceRecord, acting_user: User) -> ServiceRecord:
    if record.status != ServiceRecord.Status.PENDING:
        raise ApplicationError(_("只有待确认的记录可以确认。"), field="status")
    ensure_in_jurisdiction(acting_user, record.region_code)
    record.status = ServiceRecord.Status.CONFIRMED
    record.confirmed_at = timezone.now()
    if not record.recorder_id:
        record.recorder = acting_user
        record.recorder_name = str(acting_user)
    record._history_user = acting_user
    record.save(update_fields=["status", "confirmed_at", "recorder", "recorder_name", "updated_at"])
    recompute_certified_hours([record.volunteer_id])
    return record


def _decimal_hours(value, field: str = "hours") -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("时长应为数字（小时）。")})
    if hours < 0 or hours > 24:
        raise ValidationError({field: _("单次服务时长应在 0 到 24 小时之间。")})
    return hours


@transaction.atomic
def record_correct(
    *, record: ServiceRecord, acting_user: User, hours, reason: str
) -> ServiceRecord:
    """Correct the hours; the original stays in the history with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("更正时长请填写原因。")})
    if record.status == ServiceRecord.Status.VOID:
        raise ApplicationError(_("已作废的记录不能更正。"), field="status")
    ensure_in_jurisdiction(acting_user, record.region_code)
    new_hours = _decimal_hours(hours)
    if new_hours == record.hours:
        raise ValidationError({"hours": _("新时长与原时长相同。")})
    record.hours = new_hours
    record._history_user = acting_user
    record._change_reason = reason
    record.save(update_fields=["hours", "updated_at"])
    recompute_certified_hours([record.volunteer_id])
    return record


@transaction.atomic
def record_set_rating(*, record: ServiceRecord, acting_user: User, rating: int) -> ServiceRecord:
    if not 1 <= int(rating) <= 5:
        raise ValidationError({"quality_rating": _("评价为 1 到 5 星。")})
    record.quality_rating = int(rating)
    record._history_user = acting_user
    record.save(update_fields=["quality_rating", "updated_at"])
    return record


# ---- certificates ------------------------------------------------------------------------------


@transaction.atomic
def certificate_issue(
    *,
    volunteer: Volunteer,
    organisation: Organisation,
    period_start: date | None = None,
    period_end: date | None = None,
    acting_user: User | None = None,
) -> Certificate:
    """Issue a certificate for the confirmed records this organisation recorded in the period.
    The same request again returns the same certificate (same number)."""
    records = (
        ServiceRecord.objects.unscoped(reason=OWN_ROWS)
        .confirmed()
        .filter(volunteer=volunteer, organisation=organisation)
    )
    if period_start:
        records = records.filter(service_date__gte=period_start)
    if period_end:
        records = records.filter(service_date__lte=period_end)
    rows = list(records.order_by("service_date", "id"))
    if not rows:
        raise ApplicationError(_("所选期间没有该组织确认的服务记录。"), field="organisation")
    start = period_start or rows[0].service_date
    end = period_end or rows[-1].service_date
    total = sum((r.hours for r in rows), Decimal("0"))
    existing = (
        Certificate.objects.unscoped(reason=OWN_ROWS)
        .filter(
            volunteer=volunteer,
            organisation=organisation,
            period_start=start,
            period_end=end,
            hours=total,
        )
        .first()
    )
    if existing is not None:
        return existing
    names = list(dict.fromkeys(r.activity_name for r in rows))
    content = "；".join(names[:8]) + (
        _("等 %(n)d 项活动") % {"n": len(names)} if len(names) > 8 else ""
    )
    year = timezone.localdate().year
    prefix = f"ZYZM-{organisation.region_id[:6]}-{year}-"
    last = (
        Certificate.objects.unscoped(reason=NUMBERS)
        .filter(number__startswith=prefix)
        .aggregate(m=Max("number"))["m"]
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    last_record = rows[-1]
    cert = Certificate(
        number=rules.certificate_number(organisation.region_id, year, sequence),
        volunteer=volunteer,
        organisation=organisation,
        region_code=organisation.region_id,
        period_start=start,
        period_end=end,
        hours=total,
        record_count=len(rows),
        content=content,
        person_in_charge=last_record.person_in_charge or organisation.contact_person or "—",
        handler=last_record.recorder_name or "—",
        contact=organisation.phone or "—",
        issued_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
    )
    try:
        with transaction.atomic():
            cert.save()
    except IntegrityError:
        raise ApplicationError(_("证明编号冲突，请重试。"))
    return cert


# ---- reminders ---------------------------------------------------------------------------------


def reminders_send(*, day: date | None = None) -> int:
    """Remind accepted volunteers of tomorrow's shifts (once each). Returns how many."""
    day = day or timezone.localdate() + timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    end = start + timedelta(days=1)
    due = list(
        SignUp.objects.unscoped(reason=DAILY_SWEEP)
        .select_related("shift__activity")
        .filter(
            status=SignUp.Status.ACCEPTED,
            reminded_at__isnull=True,
            shift__starts_at__gte=start,
            shift__starts_at__lt=end,
        )
        .order_by("id")[:5000]
    )
    if not due:
        return 0
    with transaction.atomic():
        Notice.objects.bulk_create(
            Notice(
                volunteer_id=s.volunteer_id,
                text=_("提醒：您明天 %(t)s 参加「%(a)s」，地点：%(p)s。")
                % {
                    "t": timezone.localtime(s.shift.starts_at).strftime("%H:%M"),
                    "a": s.shift.activity.title,
                    "p": s.shift.activity.address,
                },
            )
            for s in due
        )
        SignUp.objects.unscoped(reason=DAILY_SWEEP).filter(pk__in=[s.pk for s in due]).update(
            reminded_at=timezone.now()
        )
    return len(due)


# ---- imports -----------------------------------------------------------------------------------

VOLUNTEER_COLUMNS = {
    "name": ("姓名", "name"),
    "id_number": ("身份证号", "id_number"),
    "phone": ("手机号", "联系电话", "phone"),
    "region": ("居住区划代码", "区划代码", "region"),
    "political_status": ("政治面貌", "political_status"),
    "skills": ("技能", "skills"),
    "consent": ("已书面同意", "consent"),
}
RECORD_COLUMNS = {
    "volunteer": ("志愿者编号或身份证号", "志愿者编号", "volunteer"),
    "activity_name": ("活动名称", "activity_name"),
    "service_date": ("服务日期", "service_date"),
    "hours": ("服务时长", "hours"),
    "place": ("服务地点", "place"),
    "content": ("服务内容", "content"),
    "beneficiaries": ("服务对象", "beneficiaries"),
}
YES = {"是", "y", "yes", "1", "true", "同意"}


def _skill_codes(text: str) -> tuple[list[str], list[str]]:
    by_label = {str(label): code for code, label in Skill.choices}
    codes, unknown = [], []
    for part in text.replace("，", ",").replace("、", ",").split(","):
        part = part.strip()
        if not part:
            continue
        code = by_label.get(part) or (part if part in Skill.values else None)
        (codes if code else unknown).append(code or part)
    return codes, unknown


def volunteers_import(*, acting_user: User, upload, filename: str) -> ImportResult:
    """All or nothing: every row is validated; any error means no volunteer is created."""
    result = ImportResult(all_or_nothing=True, columns=VOLUNTEER_COLUMNS)
    field_checks = FieldChecks(Volunteer, ("name",))
    status_by_label = {str(label): code for code, label in PoliticalStatus.choices}
    regions: dict[str, Region | str] = {}  # typed text → the region, or why it is refused
    seen_hashes: dict[str, int] = {}
    valid: list[tuple[int, dict]] = []
    for line, row in read_rows(
        upload, filename=filename, columns=VOLUNTEER_COLUMNS, required=("name", "id_number")
    ):
        result.total_rows += 1
        errors: list[RowError] = []
        try:
            resident = crypto.validate_resident_id(row.get("id_number", ""))
        except ValidationError as exc:
            errors.append(RowError(line, "id_number", exc.message_dict["id_number"][0]))
            resident = None
        if not row.get("name"):
            errors.append(RowError(line, "name", _("姓名不能为空。")))
        else:
            errors += [RowError(line, f, r) for f, r in field_checks.errors(row).items()]
        phone = row.get("phone", "")
        if not (phone.isdigit() and len(phone) == 11):
            errors.append(RowError(line, "phone", _("手机号应为 11 位数字。")))
        text = row.get("region", "")
        if text not in regions:
            try:
                regions[text] = region_resolve(text, fetched_by=acting_user)
            except ValidationError as exc:
                regions[text] = exc.message_dict["region"][0]
        region = regions[text]
        if isinstance(region, str):
            errors.append(RowError(line, "region", region))
        status_text = row.get("political_status", "") or str(PoliticalStatus.MASSES.label)
        status = status_by_label.get(status_text) or (
            status_text if status_text in PoliticalStatus.values else None
        )
        if status is None:
            errors.append(
                RowError(line, "political_status", _("政治面貌无效：%(v)s") % {"v": status_text})
            )
        skills, unknown = _skill_codes(row.get("skills", ""))
        if unknown:
            errors.append(
                RowError(line, "skills", _("未知技能：%(v)s") % {"v": "、".join(unknown)})
            )
        if row.get("consent", "").lower() not in YES:
            errors.append(RowError(line, "consent", _("须有本人书面同意方可登记。")))
        if resident is not None:
            digest = crypto.blind_index(resident.number)
            if digest in seen_hashes:
                errors.append(
                    RowError(
                        line,
                        "id_number",
                        _("与第 %(l)d 行身份证号重复。") % {"l": seen_hashes[digest]},
                    )
                )
            seen_hashes.setdefault(digest, line)
        if errors:
            result.extend(errors)
            continue
        valid.append(
            (
                line,
                {
                    "resident": resident,
                    "name": row["name"],
                    "phone": phone,
                    "region": region.code,
                    "status": status,
                    "skills": skills,
                },
            )
        )
    existing = volunteer_id_holders([item["resident"].number for _line, item in valid])
    for line, item in valid:
        holder = existing.get(item["resident"].number)
        if holder is not None:
            result.add_error(line, "id_number", id_taken_message(holder, acting_user=acting_user))
    if result.has_errors:
        return result
    with transaction.atomic():
        numbers: dict[str, int] = {}
        objs = []
        now = timezone.now()
        for _line, item in valid:
            county = item["region"][:6]
            if county not in numbers:
                first = _next_volunteer_number(item["region"])
                numbers[county] = int(first[7:])
            else:
                numbers[county] += 1
            resident = item["resident"]
            objs.append(
                Volunteer(
                    number=rules.volunteer_number(item["region"], numbers[county]),
                    name=item["name"],
                    sex=resident.sex,
                    birth_date=resident.birth_date,
                    id_number_encrypted=crypto.encrypt(resident.number),
                    id_number_hash=crypto.blind_index(resident.number),
                    id_number_masked=crypto.mask_id(resident.number),
                    phone=item["phone"],
                    skills=item["skills"],
                    region_id=item["region"],
                    political_status=item["status"],
                    is_party_member=item["status"] in PARTY_STATUSES,
                    source=Volunteer.Source.IMPORT,
                    consent_at=now,
                )
            )
        Volunteer.objects.bulk_create(objs, batch_size=1000)
        result.created = len(objs)
        audit_record(
            action=AuditLog.Action.IMPORT,
            actor=acting_user,
            region_code=acting_user.active_membership.organisation.region_id,
            detail={"import": "volunteers", "file": filename, "created": len(objs)},
        )
    return result


def records_import(*, acting_user: User, upload, filename: str) -> ImportResult:
    """Past service records from other systems, recorded by the importer's organisation and
    confirmed on import (the importing organisation certifies them). All or nothing."""
    result = ImportResult(all_or_nothing=True, columns=RECORD_COLUMNS)
    field_checks = FieldChecks(
        ServiceRecord, ("activity_name", "place", "content", "beneficiaries")
    )
    organisation = acting_user.active_membership.organisation
    jurisdiction = jurisdiction_of(acting_user)
    rows: list[tuple[int, dict]] = []
    for line, row in read_rows(
        upload,
        filename=filename,
        columns=RECORD_COLUMNS,
        required=("volunteer", "activity_name", "service_date", "hours"),
    ):
        result.total_rows += 1
        rows.append((line, row))
    keys = {r["volunteer"].upper() for _l, r in rows if r.get("volunteer")}
    hashes = {h: k for k in keys if len(k) == 18 for h in crypto.blind_indexes(k)}
    found: dict[str, Volunteer] = {}
    for v in (
        Volunteer.objects.visible_to(acting_user)
        .filter(Q(number__in=keys) | Q(id_number_hash__in=list(hashes)))
        .only("id", "number", "id_number_hash", "region_id")
    ):
        found[v.number] = v
        if v.id_number_hash in hashes:
            found[hashes[v.id_number_hash]] = v
    objs = []
    now = timezone.now()
    for line, row in rows:
        errors: list[RowError] = []
        volunteer = found.get(row.get("volunteer", "").upper())
        if volunteer is None or not jurisdiction.contains(volunteer.region_id):
            errors.append(RowError(line, "volunteer", _("找不到该志愿者（编号或身份证号）。")))
        if not row.get("activity_name"):
            errors.append(RowError(line, "activity_name", _("活动名称不能为空。")))
        skip = () if row.get("activity_name") else ("activity_name",)
        errors += [RowError(line, f, r) for f, r in field_checks.errors(row, skip=skip).items()]
        service_date = None
        try:
            service_date = date.fromisoformat(row.get("service_date", "")[:10])
            if service_date > timezone.localdate():
                errors.append(RowError(line, "service_date", _("服务日期不能晚于今天。")))
        except ValueError:
            errors.append(RowError(line, "service_date", _("日期格式应为 2024-05-01。")))
        try:
            hours = _decimal_hours(row.get("hours", ""))
        except ValidationError as exc:
            errors.append(RowError(line, "hours", exc.message_dict["hours"][0]))
            hours = None
        if errors:
            result.extend(errors)
            continue
        objs.append(
            ServiceRecord(
                volunteer=volunteer,
                organisation=organisation,
                region_code=organisation.region_id,
                activity_name=row["activity_name"],
                service_date=service_date,
                place=row.get("place", ""),
                content=row.get("content", ""),
                beneficiaries=row.get("beneficiaries", ""),
                hours=hours,
                status=ServiceRecord.Status.CONFIRMED,
                confirmed_at=now,
                source=ServiceRecord.Source.IMPORT,
                recorder=acting_user,
                recorder_name=str(acting_user),
                person_in_charge=organisation.contact_person,
            )
        )
    if result.has_errors:
        return result
    with transaction.atomic():
        ServiceRecord.objects.bulk_create(objs, batch_size=1000)
        recompute_certified_hours([o.volunteer_id for o in objs])
        result.created = len(objs)
        audit_record(
            action=AuditLog.Action.IMPORT,
            actor=acting_user,
            region_code=organisation.region_id,
            detail={"import": "service_records", "file": filename, "created": len(objs)},
        )
    return result
