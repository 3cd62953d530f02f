"""Reads of the workforce register, always from `visible_to(fetched_by)`."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from shegong.core.scoping import get_visible_or_404
from shegong.workforce import hours, rules
from shegong.workforce.models import (
    Certificate,
    Enrolment,
    ExternalHours,
    MentoringSession,
    MentorPair,
    Registration,
    TrainingCourse,
    WorkerProfile,
    WorkerStatus,
)

# ---- profiles -----------------------------------------------------------------------------------


def worker_list(
    *,
    fetched_by,
    q: str = "",
    status: str = WorkerStatus.IN_POST,
    level: str = "",
    region: str = "",
    employer_id: int | None = None,
) -> QuerySet[WorkerProfile]:
    """The register of the jurisdiction (or a subtree of it), by name. The index
    (region_code, status, name) serves the county's range and its order."""
    qs = WorkerProfile.objects.visible_to(fetched_by)
    if region:
        qs = qs.in_subtree(region)
    if status:
        qs = qs.filter(status=status)
    if level == "none":
        qs = qs.filter(highest_level="")
    elif level:
        qs = qs.filter(highest_level=level)
    if employer_id:
        qs = qs.filter(employer_id=employer_id)
    if q:
        qs = qs.filter(Q(name__startswith=q) | Q(post__contains=q))
    return qs.select_related("employer").order_by("name", "id")


def get_worker_for(*, fetched_by, pk) -> WorkerProfile:
    return get_visible_or_404(
        WorkerProfile.objects.select_related("employer", "user"), fetched_by, pk=pk
    )


def worker_certificates(*, fetched_by, worker: WorkerProfile) -> QuerySet[Certificate]:
    return Certificate.objects.visible_to(fetched_by).filter(worker=worker)


def worker_posts(*, fetched_by, worker: WorkerProfile):
    return worker.posts.visible_to(fetched_by).select_related("organisation")


def worker_registrations(*, fetched_by, worker: WorkerProfile) -> QuerySet[Registration]:
    return hours.with_progress(
        Registration.objects.visible_to(fetched_by)
        .filter(worker=worker)
        .select_related("certificate")
    )


def current_registration(*, fetched_by, worker: WorkerProfile) -> Registration | None:
    return (
        worker_registrations(fetched_by=fetched_by, worker=worker)
        .filter(status=Registration.Status.ACTIVE)
        .order_by("-valid_until")
        .first()
    )


def worker_eligibility(*, fetched_by, worker: WorkerProfile, year: int | None = None):
    year = year or timezone.localdate().year
    return rules.exam_eligibility(
        worker,
        year=year,
        certificates=worker_certificates(fetched_by=fetched_by, worker=worker),
    )


def worker_enrolments(*, fetched_by, worker: WorkerProfile) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.visible_to(fetched_by)
        .filter(worker=worker)
        .select_related("course")
        .order_by("-course__starts_on")
    )


def worker_external(*, fetched_by, worker: WorkerProfile) -> QuerySet[ExternalHours]:
    return ExternalHours.objects.visible_to(fetched_by).filter(worker=worker)


def organisation_choices(*, fetched_by):
    from shegong.orgs.models import Organisation

    return Organisation.objects.visible_to(fetched_by).filter(is_active=True).order_by("name")


# ---- the exam pipeline --------------------------------------------------------------------------


def exam_pipeline(*, fetched_by, year: int | None = None, region: str = "") -> dict[str, int]:
    """How many workers in post in the subtree could sit each level's exam in `year` (and do
    not hold it yet): one query, the rules table turned into conditions (rules.level_q)."""
    year = year or timezone.localdate().year
    qs = WorkerProfile.objects.visible_to(fetched_by).filter(status=WorkerStatus.IN_POST)
    if region:
        qs = qs.in_subtree(region)
    return qs.aggregate(
        **{level: Count("pk", filter=rules.level_q(level, year)) for level in rules.LEVEL_ORDER}
    )


# ---- registrations at risk ----------------------------------------------------------------------


def registrations_at_risk(
    *, fetched_by, today: date | None = None, days: int | None = None
) -> QuerySet[Registration]:
    """Active registrations ending within `days` whose period still lacks hours, soonest
    first, with `ce_needed` (one statement; index (status, region_code, valid_until))."""
    from shegong.workforce.services.training import lapse_warning_days

    today = today or timezone.localdate()
    days = lapse_warning_days() if days is None else days
    return (
        hours.with_progress(
            Registration.objects.visible_to(fetched_by).filter(
                status=Registration.Status.ACTIVE,
                valid_until__gte=today,
                valid_until__lte=today + timedelta(days=days),
            )
        )
        .filter(ce_needed__gt=0)
        .select_related("worker")
        .order_by("valid_until", "id")
    )


def registrations_lapsed(*, fetched_by) -> QuerySet[Registration]:
    """Lapsed registrations not followed by a newer one of the same certificate."""
    newer = Registration.objects.visible_to(fetched_by).filter(
        certificate_id=OuterRef("certificate_id"), valid_from__gt=OuterRef("valid_from")
    )
    return (
        Registration.objects.visible_to(fetched_by)
        .filter(status=Registration.Status.LAPSED)
        .exclude(Exists(newer))
        .select_related("worker")
        .order_by("-valid_until", "id")
    )


# ---- courses ------------------------------------------------------------------------------------


def course_list(*, fetched_by) -> QuerySet[TrainingCourse]:
    return (
        TrainingCourse.objects.visible_to(fetched_by)
        .select_related("organiser")
        .annotate(
            enrolled=Count("enrolments", filter=~Q(enrolments__status=Enrolment.Status.ABSENT))
        )
    )


def get_course_for(*, fetched_by, pk) -> TrainingCourse:
    return get_visible_or_404(TrainingCourse.objects.select_related("organiser"), fetched_by, pk=pk)


def course_enrolments(*, fetched_by, course: TrainingCourse) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.visible_to(fetched_by)
        .filter(course=course)
        .select_related("worker")
        .order_by("worker__name", "id")
    )


def get_enrolment_for(*, fetched_by, pk) -> Enrolment:
    return get_visible_or_404(
        Enrolment.objects.select_related("course", "worker"), fetched_by, pk=pk
    )


def get_external_for(*, fetched_by, pk) -> ExternalHours:
    return get_visible_or_404(ExternalHours.objects.select_related("worker"), fetched_by, pk=pk)


def external_pending(*, fetched_by) -> QuerySet[ExternalHours]:
    return (
        ExternalHours.objects.visible_to(fetched_by)
        .filter(status=ExternalHours.Status.SUBMITTED)
        .select_related("worker")
    )


# ---- mentoring ----------------------------------------------------------------------------------


def pair_list(*, fetched_by, status: str = MentorPair.Status.ACTIVE) -> QuerySet[MentorPair]:
    qs = MentorPair.objects.visible_to(fetched_by).select_related("mentor", "mentee")
    if status:
        qs = qs.filter(status=status)
    return qs


def worker_pairs(*, fetched_by, worker: WorkerProfile) -> QuerySet[MentorPair]:
    return (
        MentorPair.objects.visible_to(fetched_by)
        .filter(Q(mentor=worker) | Q(mentee=worker))
        .select_related("mentor", "mentee")
    )


def get_pair_for(*, fetched_by, pk) -> MentorPair:
    return get_visible_or_404(
        MentorPair.objects.select_related("mentor", "mentee"), fetched_by, pk=pk
    )


def pair_sessions(*, fetched_by, pair: MentorPair) -> QuerySet[MentoringSession]:
    return (
        MentoringSession.objects.visible_to(fetched_by)
        .filter(pair=pair)
        .select_related("visit", "visit__resident", "case")
    )


def unpaired_new_workers(*, fetched_by, today: date | None = None, within_days: int = 365):
    """Workers in post who began social work within the last year (or hold no certificate
    yet) and have no active mentor."""
    today = today or timezone.localdate()
    active = MentorPair.objects.visible_to(fetched_by).filter(
        mentee_id=OuterRef("pk"), status=MentorPair.Status.ACTIVE
    )
    return (
        WorkerProfile.objects.visible_to(fetched_by)
        .filter(status=WorkerStatus.IN_POST)
        .filter(
            Q(social_work_start_date__gte=today - timedelta(days=within_days)) | Q(highest_level="")
        )
        .exclude(Exists(active))
        .select_related("employer")
        .order_by("name", "id")
    )


def mentor_choices(*, fetched_by) -> QuerySet[WorkerProfile]:
    return (
        WorkerProfile.objects.visible_to(fetched_by)
        .filter(status=WorkerStatus.IN_POST)
        .filter(Q(approved_supervisor=True) | ~Q(highest_level=""))
        .annotate(
            mentee_count=Count(
                "mentees_pairs", filter=Q(mentees_pairs__status=MentorPair.Status.ACTIVE)
            )
        )
        .order_by("name", "id")
    )


def visit_choices(*, fetched_by, limit: int = 50):
    from shegong.people.models import Visit

    return (
        Visit.objects.visible_to(fetched_by)
        .select_related("resident")
        .order_by("-visited_on", "-id")[:limit]
    )


def get_visit_for(*, fetched_by, pk):
    from shegong.people.models import Visit

    return get_visible_or_404(Visit.objects.select_related("resident"), fetched_by, pk=pk)


def get_registration_for(*, fetched_by, pk, progress: bool = False) -> Registration:
    qs = Registration.objects.visible_to(fetched_by)
    return get_visible_or_404(hours.with_progress(qs) if progress else qs, fetched_by, pk=pk)


def get_worker_certificate(*, fetched_by, worker: WorkerProfile, pk) -> Certificate:
    return get_visible_or_404(Certificate.objects.filter(worker=worker), fetched_by, pk=pk)


def get_organisation_for(*, fetched_by, pk):
    from shegong.orgs.models import Organisation

    return get_visible_or_404(Organisation.objects.filter(is_active=True), fetched_by, pk=pk)


def this_year() -> int:
    return timezone.localdate().year
