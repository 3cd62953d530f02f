"""Appraisal (考核): a department's scheme weighs measures taken from the platform's own
records, set-based for every worker of the department at once:

- visits done (people.Visit recorded by the worker's account) against the visits planned
  (Σ over the worker's active people.VisitPlan of the period's days ÷ the plan's interval);
- cases opened and closed (cases.Case with the worker as the responsible worker);
- matters handled (petitions.Matter with a step by the worker in the period), those replied
  on time, and the satisfaction of those rated;
- volunteer activities organised (volunteers.Activity created by the worker, not cancelled);
- training hours (entered with the supervisor's score until the workforce app keeps
  continuing-education hours), and the supervisor's score and comment.

A worker without an account has no platform records: those measures are zero.
The grade follows the score unless the department sets another, and "excellent" may be given
to at most the scheme's cap (default 20 %) of those appraised in the period."""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, IntegerField, Q, Sum, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from shegong.careers.models import Appraisal, AppraisalScheme, Grade
from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.permissions import has_perm
from shegong.core.regioncode import RegionCode
from shegong.core.scoping import jurisdiction_of
from shegong.workforce.models import WorkerProfile, WorkerStatus

MEASURES = ("visits", "cases", "matters", "satisfaction", "volunteering", "training", "supervisor")


@transaction.atomic
def scheme_create(*, acting_user: Any, name: str, **settings: Any) -> AppraisalScheme:
    """A department's appraisal scheme, for its own region."""
    if not has_perm(acting_user, "careers.grade"):
        raise ValidationError({"name": _("您的角色不能制定考核方案。")})
    organisation = acting_user.active_membership.organisation
    scheme = AppraisalScheme(
        organisation=organisation, region_code=organisation.region_id, name=name, **settings
    )
    if sum(getattr(scheme, f"weight_{m}") for m in MEASURES) <= 0:
        raise ValidationError({"weight_visits": _("各项权重之和必须大于零。")})
    scheme.full_clean()
    scheme._history_user = acting_user
    scheme.save()
    audit_record(action=AuditLog.Action.OTHER, actor=acting_user, obj=scheme)
    return scheme


# ---- the measures, set-based -------------------------------------------------------------------


def platform_measures(
    *, prefix: str, user_ids: list[int], start: date, end: date
) -> dict[int, dict[str, int]]:
    """`{user id: {measure: count}}` for the accounts `user_ids`, from the records inside the
    region subtree `prefix`: one GROUP BY per source, never a query per worker."""
    from shegong.cases.models import Case
    from shegong.people.models import Visit, VisitPlan
    from shegong.petitions.models import Matter
    from shegong.volunteers.models import Activity

    found: dict[int, dict[str, int]] = {u: {} for u in user_ids}
    if not user_ids:
        return found
    days = (end - start).days + 1

    def put(rows, key, **names):
        for row in rows:
            target = found.get(row[key])
            if target is not None:
                for name, column in names.items():
                    target[name] = int(row[column] or 0)

    put(
        Visit.objects.in_subtree(prefix)
        .filter(visited_by_id__in=user_ids, visited_on__gte=start, visited_on__lte=end)
        .values("visited_by_id")
        .annotate(n=Count("pk"))
        .order_by(),
        "visited_by_id",
        visits_done="n",
    )
    put(
        VisitPlan.objects.in_subtree(prefix)
        .filter(worker_id__in=user_ids, is_active=True)
        .values("worker_id")
        .annotate(
            n=Sum(
                Cast(Value(days), IntegerField()) / F("interval_days"),
                output_field=IntegerField(),
            )
        )
        .order_by(),
        "worker_id",
        visits_planned="n",
    )
    put(
        Case.objects.in_subtree(prefix)
        .filter(worker_id__in=user_ids)
        .values("worker_id")
        .annotate(
            opened=Count("pk", filter=Q(opened_on__gte=start, opened_on__lte=end)),
            closed=Count("pk", filter=Q(closed_on__gte=start, closed_on__lte=end)),
        )
        .order_by(),
        "worker_id",
        cases_opened="opened",
        cases_closed="closed",
    )
    put(
        Matter.objects.in_subtree(prefix)
        .filter(
            events__actor_id__in=user_ids, events__at__date__gte=start, events__at__date__lte=end
        )
        .values("events__actor_id")
        .annotate(
            handled=Count("pk", distinct=True),
            on_time=Count("pk", distinct=True, filter=Q(replied_on_time=True)),
            rated=Count("pk", distinct=True, filter=~Q(rating="")),
            satisfied=Count("pk", distinct=True, filter=Q(rating="satisfied")),
        )
        .order_by(),
        "events__actor_id",
        matters_handled="handled",
        matters_on_time="on_time",
        matters_rated="rated",
        matters_satisfied="satisfied",
    )
    put(
        Activity.objects.in_subtree(prefix)
        .filter(
            created_by_id__in=user_ids,
            starts_at__date__gte=start,
            starts_at__date__lte=end,
            status__in=(Activity.Status.PUBLISHED, Activity.Status.COMPLETED),
        )
        .values("created_by_id")
        .annotate(n=Count("pk"))
        .order_by(),
        "created_by_id",
        activities_organised="n",
    )
    return found


def _share(numerator: int, denominator: int, *, empty: float = 1.0) -> float:
    return min(numerator / denominator, 1.0) if denominator else empty


def components(a: Appraisal, scheme: AppraisalScheme) -> dict[str, float]:
    """Each measure on a 0–100 scale. No plan, no matter or no rating: full marks (nothing
    was asked of the worker there)."""
    return {
        "visits": 100 * _share(a.visits_done, a.visits_planned),
        "cases": 100 * _share(a.cases_opened + a.cases_closed, scheme.cases_target),
        "matters": 100 * _share(a.matters_on_time, a.matters_handled),
        "satisfaction": 100 * _share(a.matters_satisfied, a.matters_rated),
        "volunteering": 100 * _share(a.activities_organised, scheme.activities_target),
        "training": 100 * _share(a.training_hours, scheme.training_hours_target),
        "supervisor": float(a.supervisor_score or 0),
    }


def score_of(a: Appraisal, scheme: AppraisalScheme) -> Decimal:
    weights = {m: getattr(scheme, f"weight_{m}") for m in MEASURES}
    total = sum(weights.values())
    parts = components(a, scheme)
    value = sum(weights[m] * parts[m] for m in MEASURES) / total if total else 0
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def grade_for(score: Decimal, scheme: AppraisalScheme) -> str:
    if score >= scheme.excellent_min:
        return Grade.EXCELLENT
    if score >= scheme.competent_min:
        return Grade.COMPETENT
    if score >= scheme.basic_min:
        return Grade.BASIC
    return Grade.INCOMPETENT


def excellent_cap(scheme: AppraisalScheme, appraised: int) -> int:
    """How many may be "excellent" among `appraised` (rounded down)."""
    return math.floor(appraised * scheme.excellent_cap_percent / 100)


def _check_scheme(scheme: AppraisalScheme, user: Any, perm: str) -> None:
    if user is not None and not has_perm(user, perm):
        raise ValidationError({"scheme": _("您的角色不能进行考核。")})
    if user is not None and not jurisdiction_of(user).contains(scheme.region_code):
        raise ValidationError({"scheme": _("该考核方案不在您的辖区范围内。")})


@transaction.atomic
def appraisal_run(
    *, acting_user: Any, scheme: AppraisalScheme, period: str, start: date, end: date
) -> int:
    """Compute (or recompute) the appraisal of every in-post worker of the scheme's region for
    the period, from the platform's records. Scores and grades given are kept; returns how
    many appraisals there are."""
    _check_scheme(scheme, acting_user, "careers.appraise")
    if end < start:
        raise ValidationError({"end": _("考核期结束日期不能早于开始日期。")})
    prefix = RegionCode(scheme.region_code).prefix
    workers = list(
        WorkerProfile.objects.in_subtree(prefix)
        .filter(Q(status=WorkerStatus.IN_POST) | Q(left_on__gte=end))
        .values_list("pk", "user_id", "region_code")
    )
    measures = platform_measures(
        prefix=prefix, user_ids=[u for _, u, _ in workers if u], start=start, end=end
    )
    existing = {
        a.worker_id: a
        for a in Appraisal.objects.in_subtree(prefix).filter(scheme=scheme, period=period)
    }
    fields = [
        "visits_planned", "visits_done", "cases_opened", "cases_closed", "matters_handled",
        "matters_on_time", "matters_rated", "matters_satisfied", "activities_organised",
    ]  # fmt: skip
    new, changed = [], []
    for worker_id, user_id, region_code in workers:
        a = existing.get(worker_id) or Appraisal(
            scheme=scheme,
            worker_id=worker_id,
            region_code=region_code,
            period=period,
            period_start=start,
            period_end=end,
        )
        values = measures.get(user_id, {}) if user_id else {}
        for name in fields:
            setattr(a, name, values.get(name, 0))
        a.score = score_of(a, scheme)
        a.suggested_grade = grade_for(a.score, scheme)
        (changed if a.pk else new).append(a)
    # Each computed row is in its history, like every change to a record.
    bulk_create_with_history(new, Appraisal, batch_size=500, default_user=acting_user)
    now = timezone.now()
    for a in changed:
        a.updated_at = now
    bulk_update_with_history(
        changed,
        Appraisal,
        [*fields, "score", "suggested_grade", "updated_at"],
        batch_size=500,
        default_user=acting_user,
        default_change_reason="appraisal run",
    )
    audit_record(
        action=AuditLog.Action.OTHER,
        actor=acting_user,
        obj=scheme,
        detail={"appraisal_run": period, "workers": len(workers)},
    )
    return len(workers)


@transaction.atomic
def appraisal_review(
    *,
    acting_user: Any,
    appraisal: Appraisal,
    supervisor_score: int,
    comment: str = "",
    training_hours: int | None = None,
) -> Appraisal:
    """The supervisor's score and comment (and the training hours), then the score again."""
    _check_scheme(appraisal.scheme, acting_user, "careers.appraise")
    if not 0 <= supervisor_score <= 100:
        raise ValidationError({"supervisor_score": _("督导评分应在 0 到 100 之间。")})
    appraisal.supervisor_score = supervisor_score
    appraisal.supervisor_comment = comment
    if training_hours is not None:
        appraisal.training_hours = training_hours
    appraisal.score = score_of(appraisal, appraisal.scheme)
    appraisal.suggested_grade = grade_for(appraisal.score, appraisal.scheme)
    appraisal._history_user = acting_user
    appraisal.save(
        update_fields=[
            "supervisor_score",
            "supervisor_comment",
            "training_hours",
            "score",
            "suggested_grade",
            "updated_at",
        ]  # fmt: skip
    )
    audit_record(action=AuditLog.Action.OTHER, actor=acting_user, obj=appraisal)
    return appraisal


@transaction.atomic
def appraisal_grade(*, acting_user: Any, appraisal: Appraisal, grade: str) -> Appraisal:
    """Give the grade (评定等次). "Excellent" beyond the scheme's cap is refused."""
    # Locks the scheme so that two graders cannot both take the last "excellent".
    scheme = (
        AppraisalScheme.objects.unscoped(reason="Lock of the scheme of an appraisal already read")
        .select_for_update()
        .get(pk=appraisal.scheme_id)
    )
    _check_scheme(scheme, acting_user, "careers.grade")
    if grade not in Grade.values:
        raise ValidationError({"grade": _("没有这个等次。")})
    if grade == Grade.EXCELLENT and appraisal.grade != Grade.EXCELLENT:
        peers = Appraisal.objects.in_subtree(RegionCode(scheme.region_code).prefix).filter(
            scheme=scheme, period=appraisal.period
        )
        counts = peers.aggregate(
            appraised=Count("pk"), excellent=Count("pk", filter=Q(grade=Grade.EXCELLENT))
        )
        cap = excellent_cap(scheme, counts["appraised"])
        if counts["excellent"] + 1 > cap:
            raise ValidationError(
                {
                    "grade": _(
                        "“优秀”等次已达上限：本期参加考核 %(n)s 人，优秀比例不超过 %(p)s%%，"
                        "最多 %(cap)s 人，已评 %(e)s 人。"
                    )
                    % {
                        "n": counts["appraised"],
                        "p": scheme.excellent_cap_percent,
                        "cap": cap,
                        "e": counts["excellent"],
                    }
                }
            )
    appraisal.grade = grade
    appraisal.graded_by = acting_user
    appraisal._history_user = acting_user
    appraisal.save(update_fields=["grade", "graded_by", "updated_at"])
    audit_record(
        action=AuditLog.Action.OTHER,
        actor=acting_user,
        obj=appraisal,
        detail={"grade": grade},
    )
    return appraisal
