"""Reads for cases. Departments see the cases inside their jurisdiction; every other
organisation (station, social work organisation, hospital) sees the cases it holds."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from shegong.accounts.models import User
from shegong.cases.models import Case, Referral, Review, Task, case_number
from shegong.cases.workflow import OPEN_STATUSES, ReferralStatus, ReviewDecision
from shegong.core.permissions import has_perm
from shegong.core.scoping import NOWHERE, code_range, jurisdiction_of
from shegong.orgs.models import Kind, Organisation
from shegong.people.models import Visit, child_cutoff

REFERRED_CASE = (
    "A case offered to the user's organisation by a pending referral: the receiver may "
    "read it before accepting (docs/decisions/people-cases-0001)."
)

ORG_MEMBERS = (
    "Members of the organisation holding the case, which the caller has already "
    "authorised; only who may be given its tasks."
)

REFERRAL_TARGETS = (
    "Referral targets are the organisations of the case's city, across counties by design "
    "(a referral is how a case moves); only organisation names and ids are listed."
)

DEPARTMENT_KINDS = {Kind.SOCIAL_WORK_DEPARTMENT, Kind.GOVERNMENT_DEPARTMENT}
# The kinds of organisation a case may be referred to.
REFERRAL_KINDS = (
    Kind.HOSPITAL,
    Kind.SOCIAL_WORK_STATION,
    Kind.SOCIAL_WORK_ORGANISATION,
    Kind.SOCIAL_ORGANISATION,
    Kind.GOVERNMENT_DEPARTMENT,
    Kind.SERVICE_SITE,
)
# A referral may cross county lines but stays inside the city (prefecture): the first 4 digits.
REFERRAL_AREA_LENGTH = 4


def _org(user: User):
    membership = getattr(user, "active_membership", None)
    return getattr(membership, "organisation", None)


def _case_scope(user: User, *, via: str = "") -> Q | None:
    """The rule of `cases_visible` as a condition on the case reached through `via` (e.g.
    "case__" from a task), so a related row is fetched and authorised in one joined query.
    None: the user sees no case at all."""
    jurisdiction = jurisdiction_of(user)
    org = _org(user)
    if jurisdiction is NOWHERE or org is None:
        return None
    scope = Q()
    if not jurisdiction.is_national:
        low, high = jurisdiction.range()
        scope &= Q(**{f"{via}region_code__gte": low, f"{via}region_code__lte": high})
    if org.kind not in DEPARTMENT_KINDS:
        scope &= Q(**{f"{via}organisation": org})
    elif not has_perm(user, "people.view_sensitive"):
        scope &= Q(**{f"{via}resident__birth_date__lte": child_cutoff()})
    return scope


def cases_visible(*, fetched_by: User) -> QuerySet[Case]:
    qs = Case.objects.visible_to(fetched_by)
    scope = _case_scope(fetched_by)
    if scope is None:
        return qs.none()
    return qs.filter(scope)


def case_list(
    *, fetched_by: User, status: str = "", scope: str = "open", q: str = ""
) -> QuerySet[Case]:
    qs = cases_visible(fetched_by=fetched_by)
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


def get_case_for(*, fetched_by: User, pk: int) -> Case:
    """A case the user may see: held/visible, or offered to the user's organisation by a pending
    referral. The same 404 for missing and not yours."""
    base = Case.objects.unscoped(reason=REFERRED_CASE).select_related(
        "resident", "organisation", "worker", "supervisor"
    )
    case = (
        cases_visible(fetched_by=fetched_by)
        .filter(pk=pk)
        .select_related("resident", "organisation", "worker", "supervisor")
        .first()
    )
    if case is not None:
        return case
    org = _org(fetched_by)
    if org is not None:
        case = base.filter(
            pk=pk, referrals__to_organisation=org, referrals__status=ReferralStatus.PENDING
        ).first()
        if case is not None:
            return case
    raise Http404("Not found")


def may_act_on(*, fetched_by: User, case: Case) -> bool:
    """Only the holding organisation works on a case (departments read)."""
    org = _org(fetched_by)
    return org is not None and org.pk == case.organisation_id and has_perm(fetched_by, "cases.edit")


def get_task_to_act_on(*, fetched_by: User, pk: int) -> Task:
    """A task of a case the user's organisation holds and works on (`may_act_on`), fetched and
    authorised in one query. The same 404 for missing and not yours."""
    org = _org(fetched_by)
    scope = _case_scope(fetched_by, via="case__")
    if org is None or scope is None or not has_perm(fetched_by, "cases.edit"):
        raise Http404("Not found")
    task = Task.objects.select_related("case").filter(scope, pk=pk, case__organisation=org).first()
    if task is None:
        raise Http404("Not found")
    return task


def get_pending_review_for(*, fetched_by: User, pk: int) -> Review:
    """A review still waiting for a decision, on a case the user sees; one query, the same 404
    for missing, decided and not yours."""
    scope = _case_scope(fetched_by, via="case__")
    if scope is None:
        raise Http404("Not found")
    review = (
        Review.objects.select_related("case")
        .filter(scope, pk=pk, decision=ReviewDecision.PENDING)
        .first()
    )
    if review is None:
        raise Http404("Not found")
    return review


def case_owners(*, case: Case) -> QuerySet[User]:
    """The people a task of the case may be given to: active members of the holding
    organisation."""
    return (
        User.objects.unscoped(reason=ORG_MEMBERS)
        .filter(memberships__organisation_id=case.organisation_id, memberships__is_active=True)
        .distinct()
    )


def get_review_for(*, fetched_by: User, pk: int) -> Review:
    """A review (pending or decided) of a case the user sees; the same 404 for missing and not
    yours."""
    scope = _case_scope(fetched_by, via="case__")
    if scope is None:
        raise Http404("Not found")
    review = Review.objects.select_related("case").filter(scope, pk=pk).first()
    if review is None:
        raise Http404("Not found")
    return review


def get_referral_for(*, fetched_by: User, pk: int) -> Referral:
    """A referral offered to the user's organisation (pending or answered); the same 404 for
    missing and not yours."""
    org = _org(fetched_by)
    referral = (
        Referral.objects.filter(to_organisation=org, pk=pk)
        .select_related("case__resident", "from_organisation", "to_organisation")
        .first()
        if org is not None
        else None
    )
    if referral is None:
        raise Http404("Not found")
    return referral


def referral_targets(*, case: Case) -> QuerySet[Organisation]:
    """Where the case may be referred: active hospitals, stations, social (work) organisations,
    government departments and service sites of the case's city, other than its holder."""
    low, high = code_range(case.region_code[:REFERRAL_AREA_LENGTH])
    return (
        Organisation.objects.unscoped(reason=REFERRAL_TARGETS)
        .filter(kind__in=REFERRAL_KINDS, is_active=True, region_id__gte=low, region_id__lte=high)
        .exclude(pk=case.organisation_id)
        .order_by("region_id", "name")
    )


def get_visit_for(*, fetched_by: User, pk: int) -> Visit:
    """A care visit in the user's jurisdiction (a case may be opened from its findings)."""
    visit = Visit.objects.visible_to(fetched_by).select_related("resident").filter(pk=pk).first()
    if visit is None:
        raise Http404("Not found")
    return visit


def referral_inbox(*, fetched_by: User) -> QuerySet[Referral]:
    org = _org(fetched_by)
    if org is None:
        return Referral.objects.none()
    return (
        Referral.objects.filter(to_organisation=org, status=ReferralStatus.PENDING)
        .select_related("case__resident", "from_organisation")
        .order_by("created_at")
    )


def overdue_tasks(*, fetched_by: User, today: date | None = None) -> QuerySet[Task]:
    today = today or date.today()
    return (
        Task.objects.filter(done_on__isnull=True, due_date__lt=today)
        .filter(Q(owner=fetched_by) | Q(case__supervisor=fetched_by))
        .filter(case__status__in=OPEN_STATUSES)
        .select_related("case", "owner")
        .order_by("due_date")
    )


def overdue_reviews(*, fetched_by: User, today: date | None = None) -> QuerySet[Review]:
    today = today or date.today()
    return (
        Review.objects.filter(decision=ReviewDecision.PENDING, due_date__lt=today)
        .filter(Q(reviewer=fetched_by) | Q(case__worker=fetched_by))
        .select_related("case")
        .order_by("due_date")
    )


def pending_reviews(*, fetched_by: User) -> QuerySet[Review]:
    return (
        Review.objects.filter(decision=ReviewDecision.PENDING, reviewer=fetched_by)
        .select_related("case__resident")
        .order_by("due_date")
    )


def cases_of_resident(*, fetched_by: User, resident) -> QuerySet[Case]:
    return (
        cases_visible(fetched_by=fetched_by).filter(resident=resident).order_by("-opened_on", "-id")
    )


def home_figures(*, fetched_by: User) -> list:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from shegong.core.registry import Figure

    if not has_perm(fetched_by, "cases.view"):
        return []
    url = reverse("cases:list")
    figures = [
        Figure(_("在办个案"), cases_visible(fetched_by=fetched_by).open().count(), url, order=30)
    ]
    n = referral_inbox(fetched_by=fetched_by).count()
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


# ---- reminders for the inbox -------------------------------------------------------------------


def reminders_due(today: date):
    """Overdue tasks of open cases (to the owner and the case's supervisor) and overdue pending
    reviews (to the reviewer and the case's social worker), once per item and due date."""
    from django.urls import reverse

    from shegong.core.registry import Reminder
    from shegong.inbox.models import msgid_of

    marker = 987654321
    head, tail = reverse("cases:detail", args=[marker]).rsplit(str(marker), 1)
    tasks = Task.objects.filter(
        done_on__isnull=True, due_date__lt=today, case__status__in=OPEN_STATUSES
    ).values_list(
        "id",
        "case_id",
        "case__opened_on",
        "case__region_code",
        "due_date",
        "title",
        "owner_id",
        "case__supervisor_id",
    )
    reviews = Review.objects.filter(
        decision=ReviewDecision.PENDING, due_date__lt=today
    ).values_list(
        "id",
        "case_id",
        "case__opened_on",
        "case__region_code",
        "due_date",
        "kind",
        "reviewer_id",
        "case__worker_id",
    )
    kind_labels = {k: msgid_of(v) for k, v in Review._meta.get_field("kind").choices}
    sources = (
        (tasks, "case_task_overdue", "case-task"),
        (reviews, "case_review_overdue", "case-review"),
    )
    for source, kind, key in sources:
        for pk, case_id, opened, region, due, what, first, second in source.iterator():
            params = {"number": case_number(opened, case_id), "due": due.isoformat()}
            if kind == "case_task_overdue":
                params["title"] = what
            else:
                params["kind_label"] = kind_labels.get(what, what)
            for user_id in dict.fromkeys(u for u in (first, second) if u):
                yield Reminder(
                    user_id,
                    region,
                    kind,
                    params,
                    f"{head}{case_id}{tail}",
                    f"{key}:{pk}:{due.isoformat()}",
                )


ORG_MEMBERS = (
    "The supervisor among the members of the case's organisation, which the caller has "
    "already authorised."
)


def default_supervisor(org: Organisation) -> User | None:
    return (
        User.objects.unscoped(reason=ORG_MEMBERS)
        .filter(
            memberships__organisation=org,
            memberships__role="supervisor",
            memberships__is_active=True,
        )
        .order_by("id")
        .first()
    )
