"""Registration of certificates, courses and enrolments, external hours, and the daily sweep."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.scoping import ensure_in_jurisdiction
from shegong.orgs.models import Organisation
from shegong.workforce import hours, rules
from shegong.workforce.models import (
    Certificate,
    Enrolment,
    ExternalHours,
    HoursCredit,
    Registration,
    TrainingCourse,
    TrainingKind,
    WorkerProfile,
    WorkerStatus,
)
from shegong.workforce.services.common import audit, decimal_hours

# ---- registration -------------------------------------------------------------------------------


def _refuse_short(level: str, courses: Decimal, mentoring: Decimal, due: date, message: str):
    found = hours.progress(level, courses=courses, mentoring=mentoring, due=due)
    if found.needed > 0:
        raise ValidationError(
            {
                "registered_on": message
                % {"required": found.required, "credited": found.credited, "needed": found.needed}
            },
            code="ce_hours",
        )
    return found


@transaction.atomic
def registration_record(
    *, certificate: Certificate, acting_user, registered_on: date
) -> Registration:
    """Register a certificate (首次登记, or again after a lapse). Within 1 year of the
    certificate no evidence is asked; later, or after a lapse, the last 3 years must hold the
    level's continuing-education hours."""
    worker = certificate.worker
    if registered_on > timezone.localdate():
        raise ValidationError({"registered_on": _("登记日期不能晚于今天。")})
    if registered_on < certificate.issued_on:
        raise ValidationError({"registered_on": _("登记日期不能早于取得证书的日期。")})
    active = worker.registrations.filter(
        certificate=certificate, status=Registration.Status.ACTIVE, valid_until__gte=registered_on
    ).first()
    if active is not None:
        raise ValidationError(
            {
                "registered_on": _("该证书的登记有效至 %(d)s，期满前请办理再登记。")
                % {"d": active.valid_until}
            }
        )
    earlier = worker.registrations.filter(certificate=certificate).exists()
    late = registered_on > rules.first_registration_deadline(certificate.issued_on)
    if late or earlier:
        start = rules.add_years(registered_on, -rules.REGISTRATION_VALID_YEARS)
        courses, mentoring = hours.period_sums(worker.pk, start, registered_on)
        _refuse_short(
            certificate.level,
            courses,
            mentoring,
            registered_on,
            _(
                "取得证书超过 1 年未登记或登记已失效，须有近 3 年内不少于 %(required)s 学时的"
                "继续教育（已有 %(credited)s，尚缺 %(needed)s）。"
            ),
        )
    registration = Registration.objects.create(
        worker=worker,
        certificate=certificate,
        region_code=worker.region_code,
        level=certificate.level,
        kind=Registration.Kind.FIRST,
        registered_on=registered_on,
        valid_from=registered_on,
        valid_until=rules.valid_until(registered_on),
        registered_by=acting_user,
    )
    audit(worker, acting_user=acting_user, event="registration_record", level=certificate.level)
    return registration


@transaction.atomic
def registration_renew(
    *, registration: Registration, acting_user, registered_on: date | None = None
) -> Registration:
    """Renew (再登记) before the period ends, on the period's continuing-education hours; the
    new period starts the day after the old one ends."""
    registered_on = registered_on or timezone.localdate()
    if registration.status != Registration.Status.ACTIVE:
        raise ValidationError(
            {"registered_on": _("只有有效的登记可以再登记；已失效的请重新登记。")}
        )
    if registered_on > registration.valid_until:
        raise ValidationError(
            {
                "registered_on": _("登记已于 %(d)s 期满，请重新登记。")
                % {"d": registration.valid_until}
            }
        )
    found = hours.progress_of(registration)
    _refuse_short(
        registration.level,
        found.courses,
        found.mentoring,
        registration.valid_until,
        _(
            "本登记有效期内继续教育应不少于 %(required)s 学时（已有 %(credited)s，尚缺 %(needed)s）。"
        ),
    )
    registration.status = Registration.Status.RENEWED
    registration.save(update_fields=["status"])
    start = registration.valid_until + timedelta(days=1)
    renewed = Registration.objects.create(
        worker_id=registration.worker_id,
        certificate_id=registration.certificate_id,
        region_code=registration.region_code,
        level=registration.level,
        kind=Registration.Kind.RENEWAL,
        registered_on=registered_on,
        valid_from=start,
        valid_until=rules.valid_until(start),
        hours_at_renewal=found.credited,
        registered_by=acting_user,
    )
    audit(registration, acting_user=acting_user, event="registration_renew")
    return renewed


def registrations_lapse(*, today: date | None = None) -> int:
    """Mark active registrations past their last day as lapsed (set-based; the daily sweep)."""
    today = today or timezone.localdate()
    return (
        Registration.objects.unscoped(reason="The daily sweep marks lapsed registrations.")
        .filter(status=Registration.Status.ACTIVE, valid_until__lt=today)
        .update(status=Registration.Status.LAPSED)
    )


# ---- courses and enrolments ---------------------------------------------------------------------


@transaction.atomic
def course_create(
    *,
    acting_user,
    organiser: Organisation,
    title: str,
    kind: str,
    starts_on: date,
    ends_on: date,
    hours: Decimal | str,
    capacity: int,
    place: str = "",
) -> TrainingCourse:
    ensure_in_jurisdiction(acting_user, organiser.region_id, field="organiser")
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写课程名称。")})
    if kind not in TrainingKind.values:
        raise ValidationError({"kind": _("请选择课程类型。")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    if not capacity or capacity < 1:
        raise ValidationError({"capacity": _("名额至少为 1。")})
    course = TrainingCourse.objects.create(
        organiser=organiser,
        region_code=organiser.region_id,
        title=title.strip(),
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        hours=decimal_hours(hours),
        capacity=capacity,
        place=place,
    )
    audit(course, acting_user=acting_user, event="course_create")
    return course


@transaction.atomic
def enrolment_create(*, course: TrainingCourse, worker: WorkerProfile, acting_user) -> Enrolment:
    ensure_in_jurisdiction(acting_user, worker.region_code, field="worker")
    if worker.status != WorkerStatus.IN_POST:
        raise ValidationError({"worker": _("该社会工作者已离职。")})
    # Lock the course so two enrolments cannot both take the last seat.
    course = (
        TrainingCourse.objects.unscoped(reason="Locks the course, read in scope by the caller.")
        .select_for_update()
        .get(pk=course.pk)
    )
    if course.enrolments.filter(worker=worker).exists():
        raise ValidationError({"worker": _("%(name)s 已报名该课程。") % {"name": worker.name}})
    taken = course.enrolments.exclude(status=Enrolment.Status.ABSENT).count()
    if taken >= course.capacity:
        raise ValidationError(
            {"worker": _("课程名额已满（%(n)d 人）。") % {"n": course.capacity}}, code="full"
        )
    enrolment = Enrolment.objects.create(
        course=course, worker=worker, region_code=worker.region_code
    )
    audit(course, acting_user=acting_user, event="enrolment_create", worker=worker.pk)
    return enrolment


@transaction.atomic
def enrolment_attend(
    *, enrolment: Enrolment, acting_user, attended: bool, hours: Decimal | str | None = None
) -> Enrolment:
    """Mark attendance: attended completes the enrolment and credits the hours attended (the
    course's hours unless fewer are given) to the worker's ledger; absent credits nothing."""
    course = enrolment.course
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise ValidationError({"attended": _("已登记过出勤。")})
    if course.starts_on > timezone.localdate():
        raise ValidationError({"attended": _("课程尚未开始，不能登记出勤。")})
    if not attended:
        enrolment.status = Enrolment.Status.ABSENT
        enrolment.save(update_fields=["status"])
        return enrolment
    credited = course.hours if hours in (None, "") else decimal_hours(hours)
    if credited > course.hours:
        raise ValidationError(
            {"hours": _("出勤学时不能超过课程学时 %(h)s。") % {"h": course.hours}}
        )
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.hours_attended = credited
    enrolment.save(update_fields=["status", "hours_attended"])
    HoursCredit.objects.create(
        worker_id=enrolment.worker_id,
        region_code=enrolment.region_code,
        credited_on=min(course.ends_on, timezone.localdate()),
        hours=credited,
        source=HoursCredit.Source.COURSE,
        kind=course.kind,
        enrolment=enrolment,
    )
    audit(course, acting_user=acting_user, event="enrolment_attend", hours=str(credited))
    return enrolment


# ---- external hours (lifecycle: workflow.EXTERNAL) ---------------------------------------------


@transaction.atomic
def external_submit(
    *,
    worker: WorkerProfile,
    acting_user,
    title: str,
    provider: str,
    kind: str,
    completed_on: date,
    hours: Decimal | str,
    evidence: str,
) -> ExternalHours:
    ensure_in_jurisdiction(acting_user, worker.region_code, field="worker")
    if kind not in TrainingKind.values:
        raise ValidationError({"kind": _("请选择类型。")})
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("完成日期不能晚于今天。")})
    if not (evidence or "").strip():
        raise ValidationError({"evidence": _("请说明证明材料（证书、结业证明编号等）。")})
    record = ExternalHours.objects.create(
        worker=worker,
        region_code=worker.region_code,
        title=title,
        provider=provider,
        kind=kind,
        completed_on=completed_on,
        hours=decimal_hours(hours),
        evidence=evidence.strip(),
    )
    audit(record, acting_user=acting_user, event="external_submit")
    return record


@transaction.atomic
def external_approve(*, record: ExternalHours, acting_user, note: str = "") -> ExternalHours:
    record.status = ExternalHours.Status.APPROVED
    record.decision_note = note or ""
    record.save(update_fields=["status", "decision_note", "updated_at"])
    HoursCredit.objects.create(
        worker_id=record.worker_id,
        region_code=record.region_code,
        credited_on=record.completed_on,
        hours=record.hours,
        source=HoursCredit.Source.EXTERNAL,
        kind=record.kind,
        external=record,
    )
    audit(record, acting_user=acting_user, event="external_approve")
    return record


@transaction.atomic
def external_reject(*, record: ExternalHours, acting_user, note: str = "") -> ExternalHours:
    if not (note or "").strip():
        raise ValidationError({"note": _("请说明不予认定的理由。")})
    record.status = ExternalHours.Status.REJECTED
    record.decision_note = note
    record.save(update_fields=["status", "decision_note", "updated_at"])
    audit(record, acting_user=acting_user, event="external_reject")
    return record


# ---- the daily sweep -----------------------------------------------------------------------------


def lapse_warning_days() -> int:
    return int(getattr(settings, "SHEGONG_WORKFORCE_LAPSE_WARNING_DAYS", 180))


def hours_text(value) -> str:
    """22 for 22.0, 21.5 as it is (the databases give the sum with or without its decimal)."""
    d = Decimal(str(value)).quantize(Decimal("0.1"))
    return str(int(d)) if d == d.to_integral_value() else str(d)


def registrations_notify_at_risk(*, today: date | None = None) -> int:
    """Notify each worker with an account, and the staff of their county's social work
    department, of a registration ending within the warning window short of its hours. One
    query for the registrations at risk, one for the departments' staff; notifications are
    inserted in one statement (once per recipient and registration)."""
    from shegong.accounts.models import Membership, Role
    from shegong.inbox.models import Notification
    from shegong.inbox.services import notify
    from shegong.orgs.models import Kind

    today = today or timezone.localdate()
    at_risk = list(
        hours.with_progress(
            Registration.objects.unscoped(
                reason="The daily sweep reads every jurisdiction."
            ).filter(
                status=Registration.Status.ACTIVE,
                valid_until__gte=today,
                valid_until__lte=today + timedelta(days=lapse_warning_days()),
            )
        )
        .filter(ce_needed__gt=0)
        .values("pk", "region_code", "valid_until", "ce_needed", "worker__name", "worker__user_id")
    )
    if not at_risk:
        return 0
    counties = {r["region_code"][:6] + "000000" for r in at_risk}
    staff: dict[str, list[int]] = {}
    for m in (
        Membership.objects.unscoped(reason="Who the sweep notifies in each county.")
        .filter(
            is_active=True,
            organisation__kind=Kind.SOCIAL_WORK_DEPARTMENT,
            organisation__region_id__in=counties,
            role__in=[Role.DEPT_LEADER, Role.DEPT_STAFF],
        )
        .values("user_id", "organisation__region_id")
    ):
        staff.setdefault(m["organisation__region_id"], []).append(m["user_id"])
    created = 0
    for r in at_risk:
        recipients = [r["worker__user_id"], *staff.get(r["region_code"][:6] + "000000", [])]
        created += notify(
            recipient_ids=recipients,
            region_code=r["region_code"],
            kind=Notification.Kind.REGISTRATION_LAPSING,
            params={
                "name": r["worker__name"],
                "due": r["valid_until"].isoformat(),
                "needed": hours_text(r["ce_needed"]),
            },
            url="/workforce/registrations/at-risk/",
            key=f"workforce.lapsing:{r['pk']}:{r['valid_until'].isoformat()}",
        )
    return created


def registrations_sweep(*, today: date | None = None) -> dict[str, int]:
    lapsed = registrations_lapse(today=today)
    notified = registrations_notify_at_risk(today=today)
    return {"lapsed": lapsed, "notified": notified}
