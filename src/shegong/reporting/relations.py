"""The relations a user stands in to a submission (the lifecycle's `actors` hook, which
core.workflow calls as `(obj, user)`) and to a report form (its defining department)."""

from __future__ import annotations

from typing import Any

from shegong.orgs.selectors import unit_of
from shegong.reporting import workflow
from shegong.reporting.models import ReportForm, Submission


def form_definer(form: ReportForm, user: Any) -> bool:
    """Whether `user` acts for the form's defining department: the one unit that changes the
    form (the units below fill it, those above read it)."""
    unit = unit_of(fetched_by=user)
    return unit is not None and unit.pk == form.department_id


def submission_actors(submission: Submission, user: Any) -> set[str]:
    """The relations `user` stands in to `submission` (the lifecycle's `actor`s)."""
    from shegong.reporting.services.flow import is_final_reviewer

    found: set[str] = set()
    unit = unit_of(fetched_by=user)
    if unit is not None and unit.pk == submission.unit_id:
        found.add("unit")
    if unit is not None and unit.pk == submission.reviewer_id:
        found.add("current_reviewer")
        found.add("final_reviewer" if is_final_reviewer(submission, unit) else "reviewer")
    if (
        submission.status in workflow.LOCKED
        and getattr(user, "pk", None)
        and submission.last_approved_by_id == user.pk
    ):
        found.add("last_approver")
    return found
