"""Reporting API: report forms, submissions, their values, approvals (the lifecycle's one
action route), aggregates and completeness — scoped like the pages."""

from django.core.exceptions import PermissionDenied
from ninja import Query, Schema
from ninja.pagination import paginate

from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Choice, Digits, Id, Pagination, Text
from shegong.core.errors import ApplicationError
from shegong.core.workflow.api import action_route
from shegong.orgs.selectors import unit_of
from shegong.reporting import selectors, services
from shegong.reporting.models import SubmissionStatus
from shegong.reporting.periods import parse_period
from shegong.reporting.schemas import (
    ElementOut,
    FormDetailOut,
    FormOut,
    OpenIn,
    ReportElementIn,
    ReportFormIn,
    ReportFormPatch,
    ReportRollupOut,
    ReportRuleIn,
    RuleOut,
    SubmissionOut,
    ValueOut,
    ValuesIn,
)
from shegong.reporting.workflow import SUBMISSION

router = Router(tags=["reporting 统计报表"])


class SubmissionFilters(Schema):
    form_id: Id | None = None
    period: Text(10) = ""
    status: Choice(SubmissionStatus, blank=True) = ""


@router.get(
    "/forms", response=list[FormOut], summary="Report forms the user fills, reviews or reads"
)
@scoped("reporting.view")
def form_list(request):
    return list(selectors.form_list(fetched_by=request.user))


@router.get("/forms/{int:form_id}", response=FormDetailOut)
@scoped("reporting.view")
def form_detail(request, form_id: int):
    return selectors.get_form_for(fetched_by=request.user, pk=form_id)


@router.post(
    "/forms",
    response={201: FormDetailOut},
    summary="Define a report form of the caller's own department",
)
@scoped("reporting.define")
def form_create(request, payload: ReportFormIn):
    unit = unit_of(fetched_by=request.user)
    if unit is None:
        raise PermissionDenied("reporting.define: no unit")
    form = services.form_create(acting_user=request.user, department=unit, **payload.dict())
    return 201, form


def _definable(request, form_id: int):
    """The form, for its defining department (403 for the other units that read it)."""
    form = selectors.get_form_for(fetched_by=request.user, pk=form_id)
    if not selectors.may_define(fetched_by=request.user, form=form):
        raise PermissionDenied("reporting.define: not the defining department")
    return form


@router.patch(
    "/forms/{int:form_id}",
    response=FormDetailOut,
    summary="Change a form's settings (name, description, due days and rule, is_active 停用/启用)",
)
@scoped("reporting.define")
def form_update(request, form_id: int, payload: ReportFormPatch):
    form = _definable(request, form_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return services.form_update(acting_user=request.user, form=form, data=data)


@router.post(
    "/forms/{int:form_id}/elements",
    response={201: ElementOut},
    summary="Add a data element (while the form has no submissions)",
)
@scoped("reporting.define")
def element_create(request, form_id: int, payload: ReportElementIn):
    form = _definable(request, form_id)
    return 201, services.element_create(acting_user=request.user, form=form, **payload.dict())


@router.delete(
    "/forms/{int:form_id}/elements/{int:element_id}",
    response={204: None},
    summary="Remove a data element (while the form has no submissions and no rule uses it)",
)
@scoped("reporting.define")
def element_delete(request, form_id: int, element_id: int):
    form = _definable(request, form_id)
    element = selectors.get_element_for(fetched_by=request.user, form=form, pk=element_id)
    services.element_delete(acting_user=request.user, element=element)
    return 204, None


@router.post(
    "/forms/{int:form_id}/rules",
    response={201: RuleOut},
    summary="Add a cross-field rule: left operator sum(right codes)",
)
@scoped("reporting.define")
def rule_create(request, form_id: int, payload: ReportRuleIn):
    form = _definable(request, form_id)
    rule = services.rule_create(
        acting_user=request.user,
        form=form,
        left=payload.left,
        operator=payload.operator,
        right=payload.right_codes,
        name=payload.name,
    )
    return 201, rule


@router.delete(
    "/forms/{int:form_id}/rules/{int:rule_id}",
    response={204: None},
    summary="Remove a cross-field rule (while the form has no submissions)",
)
@scoped("reporting.define")
def rule_delete(request, form_id: int, rule_id: int):
    form = _definable(request, form_id)
    rule = selectors.get_rule_for(fetched_by=request.user, form=form, pk=rule_id)
    services.rule_delete(acting_user=request.user, rule=rule)
    return 204, None


@router.get("/submissions", response=list[SubmissionOut])
@scoped("reporting.view")
@paginate(Pagination, page_size=50)
def submission_list(request, filters: Query[SubmissionFilters]):
    form = (
        selectors.get_form_for(fetched_by=request.user, pk=filters.form_id)
        if filters.form_id
        else None
    )
    period = parse_period(form.period_type, filters.period) if form and filters.period else None
    return selectors.submission_list(
        fetched_by=request.user, form=form, period_start=period, status=filters.status
    )


@router.post("/submissions", response={201: SubmissionOut}, summary="Open the unit's report")
@scoped("reporting.fill")
def submission_open(request, payload: OpenIn):
    form = selectors.get_form_for(fetched_by=request.user, pk=payload.form_id)
    period = parse_period(form.period_type, payload.period)
    if period is None:
        raise ApplicationError("报告期格式不正确（如 2026-11）。", field="period")
    return 201, services.submission_open(acting_user=request.user, form=form, period_start=period)


@router.get("/submissions/{int:submission_id}", response=SubmissionOut)
@scoped("reporting.view")
def submission_detail(request, submission_id: int):
    return selectors.get_submission_for(fetched_by=request.user, pk=submission_id)


def _values(request, submission) -> list[dict]:
    return [
        {
            "code": r.element.code,
            "label": r.element.label,
            "value": r.value,
            "text": r.text,
            "prefilled": r.prefilled,
        }
        for r in selectors.fill_grid(fetched_by=request.user, submission=submission)
    ]


@router.get("/submissions/{int:submission_id}/values", response=list[ValueOut])
@scoped("reporting.view")
def value_list(request, submission_id: int):
    submission = selectors.get_submission_for(fetched_by=request.user, pk=submission_id)
    return _values(request, submission)


@router.put(
    "/submissions/{int:submission_id}/values",
    response=list[ValueOut],
    summary="Save values as a draft (refused once submitted or approved: locked)",
)
@scoped("reporting.fill")
def value_save(request, submission_id: int, payload: ValuesIn):
    submission = selectors.get_submission_for(fetched_by=request.user, pk=submission_id)
    services.submission_values_save(
        acting_user=request.user,
        submission=submission,
        values={k: ("" if v is None else str(v)) for k, v in payload.values.items()},
    )
    return _values(request, submission)


action_route(router, SUBMISSION, path="/submissions", response=SubmissionOut)


def _rollup_out(rollup) -> dict:
    codes = {e.pk: e.code for e in rollup.elements}

    def row(r):
        return {
            "prefix": r.prefix,
            "name": r.name,
            "expected": r.expected,
            "received": r.received,
            "timely": r.timely,
            "approved": r.approved,
            "pending": r.pending,
            "completeness": r.completeness,
            "timeliness": r.timeliness,
            "sums": {codes[k]: v for k, v in r.sums.items() if k in codes},
        }

    return {
        "form_id": rollup.form.pk,
        "period_start": rollup.period_start,
        "prefix": rollup.prefix,
        "rows": [row(r) for r in rollup.rows],
        "total": row(rollup.total),
    }


class RollupQuery(Schema):
    period: Text(10)
    prefix: Digits = ""


def _rollup(request, form_id, query, selector):
    form = selectors.get_form_for(fetched_by=request.user, pk=form_id)
    period = parse_period(form.period_type, query.period)
    if period is None:
        raise ApplicationError("报告期格式不正确（如 2026-11）。", field="period")
    return _rollup_out(
        selector(fetched_by=request.user, form=form, period_start=period, prefix=query.prefix)
    )


@router.get("/forms/{int:form_id}/aggregate", response=ReportRollupOut)
@scoped("reporting.view")
def aggregate(request, form_id: int, query: Query[RollupQuery]):
    return _rollup(request, form_id, query, selectors.aggregate)


@router.get("/forms/{int:form_id}/completeness", response=ReportRollupOut)
@scoped("reporting.view")
def completeness(request, form_id: int, query: Query[RollupQuery]):
    return _rollup(request, form_id, query, selectors.completeness)
