"""Reads for cases. Departments see the cases inside their jurisdiction; every other
organisation (station, social work organisation, hospital) sees the cases it holds."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from shegong.accounts.models import User
from shegong.cases.models import Case, Referral, Review, Task
from shegong.cases.workflow import OPEN_STATUSES, ReferralStatus, ReviewDecision
from shegong.core.permissions import has_perm
from shegong.orgs.models import Kind
from shegong.people.models import child_cutoff

DEPARTMENT_KINDS = {Kind.SOCIAL_WORK_DEPARTMENT, Kind.GOVERNMENT_DEPARTMENT}


def _org(user: User):
    membership = getattr(user, "active_membership", None)
    return getattr(membership, "organisation", None)


def cases_visible(user: User) -> QuerySet[Case]:
    qs = Case.objects.visible_to(user)
    org = _org(user)
    if org is None:
        return qs.none()
    if org.kind not in DEPARTMENT_KINDS:
        qs = qs.filter(organisation=org)
    if not has_perm(user, "people.view_sensitive") and org.kind in DEPARTMENT_KINDS:
        qs = qs.filter(resident__birth_date__lte=child_cutoff())
    return qs


def case_list(
    *, fetched_by: User, status: str = "", scope: str = "open", q: str = ""
) -> QuerySet[Case]:
    qs = cases_visible(fetched_by)
    if scope == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif scope == "mine":
        qs = qs.filter(Q(worker=fetched_by) | Q(supervisor=fetched_by), status__in=OPEN_STATUSES)
    elif scope == "closed":
        qs = qs.filter(status="closed")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(resident__name__startswith=q))
    return qs.select_related("resident", "organisation", "worker", "supervisor")


def get_case_for(user: User, pk: int) -> Case:
    """A case the user may see: held/visible, or offered to the user's organisation by a pending
    referral. The same 404 for missing and not yours."""
    base = Case.objects.select_related("resident", "organisation", "worker", "supervisor")
    case = (
        cases_visible(user)
        .filter(pk=pk)
        .select_related("resident", "organisation", "worker", "supervisor")
        .first()
    )
    if case is not None:
        return case
    org = _org(user)
    if org is not None:
        case = base.filter(
            pk=pk, referrals__to_organisation=org, referrals__status=ReferralStatus.PENDING
        ).first()
        if case is not None:
            return case
    raise Http404("Not found")


def may_act_on(user: User, case: Case) -> bool:
    """Only the holding organisation works on a case (departments read)."""
    org = _org(user)
    return org is not None and org.pk == case.organisation_id and has_perm(user, "cases.edit")


def referral_inbox(*, fetched_by: User) -> QuerySet[Referral]:
    org = _org(fetched_by)
    if org is None:
        return Referral.objects.none()
    return (
        Referral.objects.filter(to_organisation=org, status=ReferralStatus.PENDING)
        .select_related("case__resident", "from_organisation")
        .order_by("created_at")
    )


def overdue_tasks(*, user: User, today: date | None = None) -> QuerySet[Task]:
    today = today or date.today()
    return (
        Task.objects.filter(done_on__isnull=True, due_date__lt=today)
        .filter(Q(owner=user) | Q(case__supervisor=user))
        .filter(case__status__in=OPEN_STATUSES)
        .select_related("case", "owner")
        .order_by("due_date")
    )


def overdue_reviews(*, user: User, today: date | None = None) -> QuerySet[Review]:
    today = today or date.today()
    return (
        Review.objects.filter(decision=ReviewDecision.PENDING, due_date__lt=today)
        .filter(Q(reviewer=user) | Q(case__worker=user))
        .select_related("case")
        .order_by("due_date")
    )


def pending_reviews(*, user: User) -> QuerySet[Review]:
    return (
        Review.objects.filter(decision=ReviewDecision.PENDING, reviewer=user)
        .select_related("case__resident")
        .order_by("due_date")
    )


def cases_of_resident(*, fetched_by: User, resident) -> QuerySet[Case]:
    return cases_visible(fetched_by).filter(resident=resident).order_by("-opened_on", "-id")


def home_figures(user: User) -> list:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from shegong.core.registry import Figure

    if not has_perm(user, "cases.view"):
        return []
    url = reverse("cases:list")
    figures = [Figure(_("在办个案"), cases_visible(user).open().count(), url, order=30)]
    n = referral_inbox(fetched_by=user).count()
    if n:
        figures.append(Figure(_("待接收转介"), n, reverse("cases:referrals"), order=31))
    return figures


def person_panel(request, resident) -> dict | None:
    if not has_perm(request.user, "cases.view"):
        return None
    return {
        "title": "个案",
        "template": "cases/partials/person_cases.html",
        "cases": list(cases_of_resident(fetched_by=request.user, resident=resident)[:20]),
        "may_create": has_perm(request.user, "cases.edit"),
        "resident_id": resident.pk,
    }
