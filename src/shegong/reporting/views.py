"""Report pages: forms, the fill grid, the review queue, the roll-ups, Excel export/import.
Thin: reads through selectors, writes through services via `attempt`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
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
        {"forms": selectors.form_list(fetched_by=request.user), "awaiting": awaiting},
    )


@scoped("reporting.view")
def form_detail(request, pk: int):
    form = selectors.get_form_for(fetched_by=request.user, pk=pk)
    unit = unit_of(fetched_by=request.user)
    periods = previous_periods(form.period_type, timezone.localdate(), 6)
    mine = {
        s.period_start: s
        for s in selectors.submission_list(fetched_by=request.user, form=form, unit=unit)
    }
    return render(
        request,
        "reporting/form_detail.html",
        {
            "form": form,
            "elements": selectors.form_elements(fetched_by=request.user, form=form),
            "rules": selectors.form_rules(fetched_by=request.user, form=form),
            "periods": [(p, period_label(form.period_type, p), mine.get(p)) for p in periods],
            "fills": selectors.unit_fills(form=form, unit=unit),
            "prefill_labels": selectors.prefill_labels(),
        },
    )


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
