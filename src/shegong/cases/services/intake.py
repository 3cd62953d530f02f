"""Opening a case (接案): by hand, or in one click from a visit finding."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.cases.models import Case, CaseTransition
from shegong.cases.selectors import default_supervisor
from shegong.cases.workflow import (
    Source,
    Status,
)
from shegong.core.errors import ApplicationError
from shegong.core.scoping import jurisdiction_of
from shegong.orgs.models import Organisation
from shegong.orgs.selectors import department_to_contact


def _org_of(user: User) -> Organisation:
    membership = getattr(user, "active_membership", None)
    if membership is None:
        raise ApplicationError(_("您没有有效的任职，不能办理个案。"))
    return membership.organisation


@transaction.atomic
def case_open(
    *,
    acting_user: User,
    resident,
    title: str,
    source: str,
    problem: str = "",
    source_visit=None,
    supervisor: User | None = None,
    worker: User | None = None,
) -> Case:
    if source not in Source.values:
        raise ValidationError({"source": _("请选择个案来源。")})
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写个案名称。")})
    org = _org_of(acting_user)
    case = Case(
        resident=resident,
        organisation=org,
        region_code=org.region_id,
        status=Status.INTAKE,
        source=source,
        source_visit=source_visit,
        title=title.strip(),
        problem=problem,
        worker=worker or acting_user,
        supervisor=supervisor or default_supervisor(org),
    )
    case._history_user = acting_user
    case.save()
    CaseTransition.objects.create(
        case=case, from_status="", to_status=Status.INTAKE, by=acting_user, note=_("接案")
    )
    return case


@transaction.atomic
def case_from_visit(*, visit, acting_user: User) -> Case:
    """One click from a visit finding: a case with the finding as its problem, linked back."""
    existing = (
        Case.objects.unscoped(
            reason="One case per visit finding, wherever the case went since (a referral may "
            "move it to another county); outside the jurisdiction only whom to contact leaves."
        )
        .filter(source_visit=visit)
        .first()
    )
    if existing is not None:
        if jurisdiction_of(acting_user).contains(existing.region_code):
            return existing
        raise ApplicationError(
            _("该探访发现已建立个案，现由其他辖区办理，请联系%(dept)s。")
            % {"dept": department_to_contact(existing.region_code)}
        )
    from shegong.people.selectors import visit_findings

    findings = visit_findings(visit=visit, fetched_by=acting_user)
    problem = "\n".join(f"{label}：{text}" for label, text in findings)
    return case_open(
        acting_user=acting_user,
        resident=visit.resident,
        title=_("%(n)s 探访发现（%(d)s）") % {"n": visit.resident.name, "d": visit.visited_on},
        source=Source.VISIT,
        problem=problem,
        source_visit=visit,
    )
