"""Report pages: forms, the fill grid, the review queue, the roll-ups, Excel export/import.
Thin: reads through selectors, writes through services via `attempt`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.access import scoped
from shegong.core.actions import attempt
from shegong.core.exports import excel_response
from shegong.orgs.selectors import unit_of
from shegong.reporting import forms, selectors, services
from shegong.reporting.excel import HEADERS, form_sheet
from shegong.reporting.periods import parse_period, period_label, previous_periods
from shegong.reporting.services.imports import submission_import
from shegong.reporting.workflow import SUBMISSION


def _period(request, form):
    periods = previous_periods(form.period_type, timezone.localdate())
    chosen = parse_period(form.period_type, request.GET.get("period", "")) or periods[0]
    return chosen, [(p, period_label(form.period_type, p)) for p in periods]


@scoped("reporting.view")
def index(request):
    unit = unit_of(fetched_by=request.user)
    awaiting = selectors.awaiting_review(fetched_by=request.user, unit=unit)
    return render(
        request,
        "reporting/index.html",
        {
            "forms": selectors.form_list(fetched_by=request.user),
            "awaiting": awaiting,
            "can_define": selectors.may_create_form(fetched_by=request.user),
        },
    )


@scoped("reporting.define")
def form_create(request):
    """新建报表: a form of the user's own unit, filled by a level below it."""
    unit = unit_of(fetched_by=request.user)
    levels = selectors.filling_levels(unit)
    if not levels:
        raise PermissionDenied("reporting.define: not a department")
    form = forms.ReportFormCreateForm(request.POST or None, levels=levels, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.form_create(
                acting_user=request.user, department=unit, **form.cleaned_data
            ),
            form=form,
            success=_("报表已建立，请添加数据项。"),
        )
        if outcome:
            return redirect(outcome.value.get_absolute_url())
    return render(
        request,
        "reporting/form_create.html",
        {"form": form, "unit": unit},
        status=422 if request.method == "POST" else 200,
    )


def _definable(request, pk: int):
    """The form, for its defining department only (403 for the other units that read it)."""
    form = selectors.get_form_for(fetched_by=request.user, pk=pk)
    if not selectors.may_define(fetched_by=request.user, form=form):
        raise PermissionDenied("reporting.define: not the defining department")
    return form


@scoped("reporting.define")
def form_settings(request, pk: int):
    """Change a form's name, due days and rule and description."""
    form = _definable(request, pk)
    settings_form = forms.ReportFormSettingsForm(
        request.POST or None,
        initial={
            "name": form.name,
            "due_days": form.due_days,
            "due_rule": form.due_rule,
            "description": form.description,
        },
        acting_user=request.user,
    )
    if request.method == "POST" and settings_form.is_valid():
        outcome = attempt(
            request,
            lambda: services.form_update(
                acting_user=request.user, form=form, data=settings_form.cleaned_data
            ),
            form=settings_form,
            success=_("报表设置已保存。"),
        )
        if outcome:
            return redirect(form.get_absolute_url())
    return render(
        request,
        "reporting/form_settings.html",
        {"form": form, "settings_form": settings_form},
        status=422 if request.method == "POST" else 200,
    )


@scoped("reporting.define")
def form_activate(request, pk: int):
    """停用 or 启用 a form (POST `active` = 1 or 0)."""
    form = _definable(request, pk)
    if request.method == "POST":
        active = request.POST.get("active") == "1"
        attempt(
            request,
            lambda: services.form_update(
                acting_user=request.user, form=form, data={"is_active": active}
            ),
            success=_("报表已启用。") if active else _("报表已停用。"),
        )
    return redirect(form.get_absolute_url())


@scoped("reporting.define")
def element_add(request, pk: int):
    form = _definable(request, pk)
    if request.method != "POST":
        return redirect(form.get_absolute_url())
    element_form = forms.ElementForm(
        request.POST, prefill_choices=selectors.prefill_choices(), acting_user=request.user
    )
    if element_form.is_valid():
        outcome = attempt(
            request,
            lambda: services.element_create(
                acting_user=request.user, form=form, **element_form.cleaned_data
            ),
            form=element_form,
            success=_("数据项已添加。"),
        )
        if outcome:
            return redirect(form.get_absolute_url())
    return _form_page(request, form, element_form=element_form, status=422)


@scoped("reporting.define")
def element_remove(request, pk: int, element_pk: int):
    form = _definable(request, pk)
    element = selectors.get_element_for(fetched_by=request.user, form=form, pk=element_pk)
    if request.method == "POST":
        attempt(
            request,
            lambda: services.element_delete(acting_user=request.user, element=element),
            success=_("数据项已删除。"),
        )
    return redirect(form.get_absolute_url())


@scoped("reporting.define")
def rule_add(request, pk: int):
    form = _definable(request, pk)
    if request.method != "POST":
        return redirect(form.get_absolute_url())
    rule_form = forms.RuleForm(
        request.POST,
        elements=selectors.form_elements(fetched_by=request.user, form=form),
        acting_user=request.user,
    )
    if rule_form.is_valid():
        data = rule_form.cleaned_data
        outcome = attempt(
            request,
            lambda: services.rule_create(
                acting_user=request.user,
                form=form,
                left=data["left"],
                operator=data["operator"],
                right=data["right_codes"],
                name=data["name"],
            ),
            form=rule_form,
            success=_("校验规则已添加。"),
        )
        if outcome:
            return redirect(form.get_absolute_url())
    return _form_page(request, form, rule_form=rule_form, status=422)


@scoped("reporting.define")
def rule_remove(request, pk: int, rule_pk: int):
    form = _definable(request, pk)
    rule = selectors.get_rule_for(fetched_by=request.user, form=form, pk=rule_pk)
    if request.method == "POST":
        attempt(
            request,
            lambda: services.rule_delete(acting_user=request.user, rule=rule),
            success=_("校验规则已删除。"),
        )
    return redirect(form.get_absolute_url())


@scoped("reporting.view")
def form_detail(request, pk: int):
    form = selectors.get_form_for(fetched_by=request.user, pk=pk)
    return _form_page(request, form)


def _form_page(request, form, *, element_form=None, rule_form=None, status=200):
    unit = unit_of(fetched_by=request.user)
    periods = previous_periods(form.period_type, timezone.localdate(), 6)
    mine = {
        s.period_start: s
        for s in selectors.submission_list(fetched_by=request.user, form=form, unit=unit)
    }
    elements = selectors.form_elements(fetched_by=request.user, form=form)
    context = {
        "form": form,
        "elements": elements,
        "rules": selectors.form_rules(fetched_by=request.user, form=form),
        "periods": [(p, period_label(form.period_type, p), mine.get(p)) for p in periods],
        "fills": selectors.unit_fills(form=form, unit=unit),
        "prefill_labels": selectors.prefill_labels(),
        "may_define": selectors.may_define(fetched_by=request.user, form=form),
    }
    if context["may_define"]:
        frozen = selectors.form_has_submissions(fetched_by=request.user, form=form)
        context["frozen"] = frozen
        if not frozen:
            context["element_form"] = element_form or forms.ElementForm(
                prefill_choices=selectors.prefill_choices(), acting_user=request.user
            )
            context["rule_form"] = rule_form or forms.RuleForm(
                elements=elements, acting_user=request.user
            )
    return render(request, "reporting/form_detail.html", context, status=status)


@scoped("reporting.fill")
def fill_open(request, pk: int):
    form = selectors.get_form_for(fetched_by=request.user, pk=pk)
    if request.method != "POST":
        return redirect(form.get_absolute_url())
    period = parse_period(form.period_type, request.POST.get("period", ""))
    if period is None:
        raise Http404("no such period")
    outcome = attempt(
        request,
        lambda: services.submission_open(acting_user=request.user, form=form, period_start=period),
    )
    if outcome:
        return redirect(outcome.value.get_absolute_url())
    return redirect(form.get_absolute_url())


@scoped("reporting.view")
def submission_detail(request, pk: int):
    submission = selectors.get_submission_for(fetched_by=request.user, pk=pk)
    grid = selectors.fill_grid(fetched_by=request.user, submission=submission)
    unit = unit_of(fetched_by=request.user)
    may_edit = (
        submission.editable
        and unit is not None
        and unit.pk == submission.unit_id
        and SUBMISSION.refusal(SUBMISSION.by_name["submit"], submission, request.user) is None
    )
    elements = [row.element for row in grid]
    initial = {row.element.code: row.shown for row in grid}
    status = 200
    values_form = forms.ValuesForm(
        request.POST or None,
        elements=elements,
        locked=not may_edit,
        initial=initial,
        acting_user=request.user,
    )
    if request.method == "POST":
        if not may_edit:
            # The same refusal the service gives, for a post past a locked page.
            attempt(
                request,
                lambda: services.submission_values_save(
                    acting_user=request.user, submission=submission, values={}
                ),
                form=values_form,
            )
            status = 422
        elif values_form.is_valid():
            values = {code: values_form.cleaned_data.get(code, "") for code in initial}

            def save_and_maybe_submit():
                saved = services.submission_values_save(
                    acting_user=request.user, submission=submission, values=values
                )
                if request.POST.get("do") == "submit":
                    return SUBMISSION.perform("submit", obj=saved, acting_user=request.user)
                return saved

            outcome = attempt(
                request,
                save_and_maybe_submit,
                form=values_form,
                success=_("已上报，等待审核。")
                if request.POST.get("do") == "submit"
                else _("草稿已保存。"),
            )
            if outcome:
                return redirect(submission.get_absolute_url())
            status = 422
        else:
            status = 422
    rows = [(row, values_form[row.element.code]) for row in grid]
    return render(
        request,
        "reporting/submission_detail.html",
        {
            "submission": submission,
            "rows": rows,
            "values_form": values_form,
            "may_edit": may_edit,
            "period": period_label(submission.form.period_type, submission.period_start),
            "history": selectors.submission_history(fetched_by=request.user, submission=submission),
            "state_label": SUBMISSION.state_label(submission.status),
            "import_form": forms.ImportForm(acting_user=request.user),
        },
        status=status,
    )


def _rollup_page(request, pk: int, template: str, selector):
    form = selectors.get_form_for(fetched_by=request.user, pk=pk)
    period, periods = _period(request, form)
    rollup = selector(
        fetched_by=request.user,
        form=form,
        period_start=period,
        prefix=request.GET.get("prefix", ""),
    )
    return render(
        request,
        template,
        {
            "form": form,
            "rollup": rollup,
            "period": period,
            "period_text": period_label(form.period_type, period),
            "periods": periods,
        },
    )


@scoped("reporting.view")
def aggregate(request, pk: int):
    return _rollup_page(request, pk, "reporting/aggregate.html", selectors.aggregate)


@scoped("reporting.view")
def completeness(request, pk: int):
    return _rollup_page(request, pk, "reporting/completeness.html", selectors.completeness)


@scoped("reporting.export")
def export(request, pk: int):
    """The form as an Excel sheet: blank, or with the values of the user's unit for a period."""
    form = selectors.get_form_for(fetched_by=request.user, pk=pk)
    submission = None
    if request.GET.get("submission", "").isdigit():
        submission = selectors.get_submission_for(
            fetched_by=request.user, pk=int(request.GET["submission"])
        )
        if submission.form_id != form.pk:
            raise Http404("not this form")
    filename, rows = form_sheet(fetched_by=request.user, form=form, submission=submission)
    return excel_response(
        request,
        filename=filename,
        title=form.name,
        headers=HEADERS,
        rows=rows,
        audit_detail={"report_form": form.pk, "submission": submission.pk if submission else None},
    )


@scoped("reporting.fill")
def import_values(request, pk: int):
    submission = selectors.get_submission_for(fetched_by=request.user, pk=pk)
    import_form = forms.ImportForm(
        request.POST or None, request.FILES or None, acting_user=request.user
    )
    result = None
    if request.method == "POST" and import_form.is_valid():
        outcome = attempt(
            request,
            lambda: submission_import(
                acting_user=request.user,
                submission=submission,
                upload=import_form.cleaned_data["file"],
                all_or_nothing=import_form.cleaned_data["all_or_nothing"],
            ),
            form=import_form,
        )
        result = outcome.value
    return render(
        request,
        "reporting/import.html",
        {"submission": submission, "import_form": import_form, "result": result},
        status=200 if result is not None or request.method == "GET" else 422,
    )


__all__ = ["ValidationError"]
