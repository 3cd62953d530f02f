"""A dissatisfied rating (不满意评价) opens a review by the county's supervisors, with a due date
on the working-day calendar (the `rating_review` dated obligation); closing it records the
outcome."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.core.errors import ApplicationError
from shegong.core.permissions import has_perm
from shegong.core.scoping import jurisdiction_of
from shegong.inbox import services as inbox
from shegong.petitions.models import Matter, RatingReview
from shegong.petitions.selectors import county_supervisors
from shegong.petitions.services._common import _event, _today
from shegong.workdays import obligations


@transaction.atomic
def rating_review_open(*, matter: Matter, via: str) -> RatingReview:
    """Open (once per matter while one is open) a supervisor review of a dissatisfied rating
    and tell the county's supervisors (their jurisdiction covers the matter)."""
    review = RatingReview.objects.unscoped(
        reason="The one open review of this matter, which the caller already holds."
    ).filter(matter=matter, closed_on__isnull=True)
    existing = review.first()
    if existing is not None:
        return existing
    review = RatingReview(matter=matter, region_code=matter.region_id, rating_via=via)
    obligations.obligation_set(review, "rating_review", _today())
    review.save()
    _event(
        matter,
        "rating_review",
        note=_("信访人评价不满意，转督导复核，期限 %s。") % review.due_date.isoformat(),
        is_public=False,
    )
    inbox.notify(
        recipient_ids=county_supervisors([matter.county_code]).get(matter.county_code, []),
        region_code=matter.region_id,
        kind="rating_review",
        params={"number": matter.number, "due": review.due_date.isoformat()},
        url=reverse("petitions:detail", args=[matter.pk]),
        key=f"rating_review:{review.pk}:opened",
    )
    return review


@transaction.atomic
def rating_review_close(
    *, review: RatingReview, acting_user, outcome: str, note: str
) -> RatingReview:
    if not jurisdiction_of(acting_user).contains(review.region_code) or not has_perm(
        acting_user, "petitions.supervise"
    ):
        raise PermissionDenied("petitions.supervise")
    if review.closed_on is not None:
        raise ApplicationError(_("该复核已完成。"), field="outcome")
    if outcome not in RatingReview.Outcome.values:
        raise ValidationError({"outcome": _("请选择复核结果。")})
    if not note.strip():
        raise ValidationError({"note": _("请填写复核意见。")})
    review.outcome, review.note = outcome, note.strip()
    review.closed_on, review.closed_by = _today(), acting_user
    review._history_user = acting_user
    review.save(update_fields=["outcome", "note", "closed_on", "closed_by"])
    _event(
        review.matter,
        "rating_review",
        actor=acting_user,
        note=_("复核结果：%(o)s。%(n)s")
        % {"o": RatingReview.Outcome(outcome).label, "n": review.note},
        is_public=False,
    )
    return review
