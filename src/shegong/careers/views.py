"""Pages of the careers app: they parse input, call selectors and services, render."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.careers import forms, selectors, services, workflow
from shegong.careers.models import Grade, RecordKind
from shegong.careers.services import appraisals as appraisal_services
from shegong.careers.services import titles as title_services
from shegong.core.access import scoped
from shegong.core.actions import attempt
from shegong.core.exports import excel_response
from shegong.core.listing import paginate
from shegong.core.permissions import has_perm


def _year(request) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else timezone.localdate().year


# ---- title evaluation ------------------------------------------------------------------------


@scoped("careers.view")
def round_list(request):
    rounds = selectors.round_list(fetched_by=request.user)
    listing = paginate(request, rounds, sorts={"-year": ("-year", "-id")}, default="-year")
    return render(request, "careers/round_list.html", {"listing": listing})


@scoped("careers.title_manage")
def round_create(request):
    form = forms.RoundForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: title_services.round_open(acting_user=request.user, **form.cleaned_data),
            form=form,
            success=_("评审已发布。"),
        )
        if outcome:
            return redirect(outcome.value.get_absolute_url())
    return render(request, "careers/form.html", {"form": form, "heading": _("发布职称评审")})


@scoped("careers.view")
def round_detail(request, pk: int):
    found = selectors.get_round_for(fetched_by=request.user, pk=pk)
    applications = selectors.application_list(fetched_by=request.user, round_id=found.pk)
    own = selectors.own_profile(fetched_by=request.user)
    return render(
        request,
        "careers/round_detail.html",
        {
            "round": found,
            "applications": applications[:500],
            "states": workflow.STATES,
            "can_apply": has_perm(request.user, "careers.title_apply"),
            "own": own,
        },
    )


@scoped("careers.title_apply")
def application_create(request, pk: int):
    found = selectors.get_round_for(fetched_by=request.user, pk=pk)
    own = selectors.own_profile(fetched_by=request.user)
    workers = [own] if own else list(selectors.worker_list(fetched_by=request.user)[:500])
    form = forms.ApplicationForm(request.POST or None, acting_user=request.user, workers=workers)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        worker = selectors.get_worker_for(fetched_by=request.user, pk=data.pop("worker"))
        outcome = attempt(
            request,
            lambda: services.application_create(
                acting_user=request.user, round=found, worker=worker, **data
            ),
            form=form,
            success=_("已申报，等待单位确认。"),
        )
        if outcome:
            return redirect(outcome.value.get_absolute_url())
    return render(
        request,
        "careers/form.html",
        {"form": form, "heading": _("申报：%(t)s") % {"t": found.title}, "subject": found},
    )


@scoped("careers.view")
def application_detail(request, pk: int):
    application = selectors.get_application_for(fetched_by=request.user, pk=pk)
    return render(
        request,
        "careers/application_detail.html",
        {
            "application": application,
            "events": selectors.application_events(
                fetched_by=request.user, application=application
            ),
            "states": workflow.STATES,
        },
    )


# ---- appraisal -------------------------------------------------------------------------------


@scoped("careers.view")
def appraisal_list(request):
    schemes = list(selectors.scheme_list(fetched_by=request.user))
    scheme_id = request.GET.get("scheme", "")
    period = request.GET.get("period", "")
    rows = selectors.appraisal_list(
        fetched_by=request.user,
        scheme_id=int(scheme_id) if scheme_id.isdigit() else None,
        period=period,
    )
    listing = paginate(request, rows, sorts={"-score": ("-score", "id")}, default="-score")
    return render(
        request,
        "careers/appraisal_list.html",
        {"listing": listing, "schemes": schemes, "period": period, "run_form": forms.RunForm()},
    )


@scoped("careers.view")
def appraisal_detail(request, pk: int):
    appraisal = selectors.get_appraisal_for(fetched_by=request.user, pk=pk)
    review_form = forms.ReviewForm(
        request.POST if request.POST.get("do") == "review" else None,
        acting_user=request.user,
        initial={
            "supervisor_score": appraisal.supervisor_score,
            "training_hours": appraisal.training_hours,
            "comment": appraisal.supervisor_comment,
        },
    )
    grade_form = forms.GradeForm(
        request.POST if request.POST.get("do") == "grade" else None,
        acting_user=request.user,
        initial={"grade": appraisal.grade or appraisal.suggested_grade},
    )
    if request.method == "POST":
        if request.POST.get("do") == "review" and review_form.is_valid():
            data = review_form.cleaned_data
            if attempt(
                request,
                lambda: services.appraisal_review(
                    acting_user=request.user,
                    appraisal=appraisal,
                    supervisor_score=data["supervisor_score"],
                    training_hours=data["training_hours"],
                    comment=data["comment"],
                ),
                form=review_form,
                success=_("已保存督导评分。"),
            ):
                return redirect(appraisal.get_absolute_url())
        if request.POST.get("do") == "grade" and grade_form.is_valid():
            if attempt(
                request,
                lambda: services.appraisal_grade(
                    acting_user=request.user,
                    appraisal=appraisal,
                    grade=grade_form.cleaned_data["grade"],
                ),
                form=grade_form,
                success=_("已评定等次。"),
            ):
                return redirect(appraisal.get_absolute_url())
    parts = appraisal_services.components(appraisal, appraisal.scheme)
    return render(
        request,
        "careers/appraisal_detail.html",
        {
            "appraisal": appraisal,
            "parts": parts,
            "review_form": review_form,
            "grade_form": grade_form,
            "can_review": has_perm(request.user, "careers.appraise"),
            "can_grade": has_perm(request.user, "careers.grade"),
            "counts": selectors.grade_counts(
                fetched_by=request.user, scheme_id=appraisal.scheme_id, period=appraisal.period
            ),
            "grades": Grade.choices,
        },
        status=422 if request.method == "POST" else 200,
    )


@scoped("careers.appraise")
def scheme_run(request, pk: int):
    scheme = selectors.get_scheme_for(fetched_by=request.user, pk=pk)
    form = forms.RunForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        if attempt(
            request,
            lambda: services.appraisal_run(
                acting_user=request.user, scheme=scheme, **form.cleaned_data
            ),
            form=form,
            success=lambda n: _("已计算 %(n)s 人的考核。") % {"n": n},
        ):
            return redirect(
                f"{_url('careers:appraisals')}?scheme={scheme.pk}&period={form.cleaned_data['period']}"
            )
    return render(request, "careers/form.html", {"form": form, "heading": scheme.name})


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


# ---- rewards and discipline; the worker's career page ---------------------------------------


@scoped("careers.view")
def conduct_list(request):
    kind = request.GET.get("kind", "")
    rows = selectors.conduct_list(fetched_by=request.user, kind=kind)
    listing = paginate(
        request, rows, sorts={"-decided_on": ("-decided_on", "-id")}, default="-decided_on"
    )
    return render(
        request,
        "careers/conduct_list.html",
        {"listing": listing, "kind": kind, "kinds": RecordKind.choices},
    )


@scoped("careers.view")
def worker_detail(request, pk: int):
    worker = selectors.get_worker_for(fetched_by=request.user, pk=pk)
    form = forms.ConductForm(request.POST or None, acting_user=request.user)
    if request.method == "POST":
        if not has_perm(request.user, "careers.conduct"):
            raise Http404
        if form.is_valid() and attempt(
            request,
            lambda: services.conduct_record(
                acting_user=request.user, worker=worker, **form.cleaned_data
            ),
            form=form,
            success=_("已登记。"),
        ):
            return redirect("careers:worker", pk=worker.pk)
    return render(
        request,
        "careers/worker_detail.html",
        {
            "worker": worker,
            "certificates": selectors.worker_certificates(fetched_by=request.user, worker=worker),
            "applications": selectors.application_list(
                fetched_by=request.user, worker_id=worker.pk
            ),
            "appraisals": selectors.appraisal_list(fetched_by=request.user, worker_id=worker.pk),
            "records": selectors.conduct_list(fetched_by=request.user, worker_id=worker.pk),
            "form": form,
            "can_record": has_perm(request.user, "careers.conduct"),
            "states": workflow.STATES,
        },
    )


# ---- staffing, pay and retention -------------------------------------------------------------


@scoped("careers.staffing")
def staffing(request):
    rollup = selectors.staffing_rollup(
        fetched_by=request.user, region_code=request.GET.get("region", ""), year=_year(request)
    )
    return render(request, "careers/staffing.html", {"rollup": rollup})


@scoped("careers.staffing")
def staffing_export(request):
    rollup = selectors.staffing_rollup(
        fetched_by=request.user, region_code=request.GET.get("region", ""), year=_year(request)
    )
    headers = [
        _("地区或单位"), _("社工站"), _("标准岗位"), _("社工站在岗"), _("空缺"), _("在岗社工"),
        _("持证"), _("入职"), _("离职"), _("期初在岗"), _("留任"), _("平均月薪（元）"),
        _("低于指导价"),
    ]  # fmt: skip
    rows = [
        [
            r.name,
            r.stations,
            r.standard_posts,
            r.station_filled,
            r.vacant,
            r.in_post,
            r.certified,
            r.joiners,
            r.leavers,
            r.at_start,
            r.retained,
            round(r.pay_average) if r.pay_average is not None else "",
            r.below_guidance,
        ]  # fmt: skip
        for r in [*rollup.rows, rollup.total]
    ]
    return excel_response(
        request,
        filename=f"staffing-{rollup.region_code}-{rollup.year}.xlsx",
        title=_("岗位配备与留任"),
        headers=headers,
        rows=rows,
        audit_detail={"export": "careers.staffing", "region": rollup.region_code},
    )


@scoped("careers.staffing")
def pay_guidance(request):
    form = forms.PayGuidanceForm(request.POST or None, acting_user=request.user)
    if request.method == "POST":
        if not has_perm(request.user, "careers.pay"):
            raise Http404
        if form.is_valid() and attempt(
            request,
            lambda: services.pay_guidance_set(acting_user=request.user, **form.cleaned_data),
            form=form,
            success=_("已保存薪酬指导价。"),
        ):
            return redirect("careers:pay")
    return render(
        request,
        "careers/pay.html",
        {
            "form": form,
            "rows": selectors.pay_guidance_list(fetched_by=request.user),
            "can_set": has_perm(request.user, "careers.pay"),
        },
    )
