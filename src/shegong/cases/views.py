from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.cases import forms, selectors, services
from shegong.cases.models import Referral
from shegong.cases.workflow import CASE, ReviewKind, Status
from shegong.core.access import scoped
from shegong.core.actions import attempt
from shegong.core.history import history_of
from shegong.core.listing import paginate
from shegong.core.permissions import has_perm
from shegong.people import selectors as people_selectors

SORTS = {
    "-opened": ("-opened_on", "-id"),
    "opened": ("opened_on", "id"),
    "status": ("status", "-id"),
}


@scoped("cases.view")
def case_list(request):
    scope = request.GET.get("scope", "open")
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()
    cases = selectors.case_list(fetched_by=request.user, status=status, scope=scope, q=q)
    listing = paginate(request, cases, sorts=SORTS, default="-opened")
    return render(
        request,
        "cases/case_list.html",
        {
            "listing": listing,
            "scope": scope,
            "status": status,
            "q": q,
            "statuses": Status.choices,
            "inbox": selectors.referral_inbox(fetched_by=request.user).count(),
        },
    )


@scoped("cases.edit")
def case_create(request):
    resident = people_selectors.get_resident_for(
        fetched_by=request.user, pk=request.GET.get("resident") or 0
    )
    form = forms.CaseForm(request.POST or None, initial={"source": "self"})
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.case_open(
                acting_user=request.user, resident=resident, **form.cleaned_data
            ),
            form=form,
            success=lambda case: _("已接案：%(n)s") % {"n": case.number},
        )
        if outcome:
            return redirect("cases:detail", pk=outcome.value.pk)
    return render(request, "cases/case_form.html", {"form": form, "resident": resident})


@require_POST
@scoped("cases.edit")
def case_from_visit(request, visit_pk: int):
    visit = selectors.get_visit_for(fetched_by=request.user, pk=visit_pk)
    people_selectors.get_resident_for(fetched_by=request.user, pk=visit.resident_id)
    outcome = attempt(
        request,
        lambda: services.case_from_visit(visit=visit, acting_user=request.user),
        success=lambda case: _("已由探访发现建立个案 %(n)s。") % {"n": case.number},
    )
    if not outcome:
        return redirect("people:visit_detail", pk=visit.pk)
    return redirect("cases:detail", pk=outcome.value.pk)


@scoped("cases.view")
def case_detail(request, pk: int):
    case = selectors.get_case_for(fetched_by=request.user, pk=pk)
    may_act = selectors.may_act_on(fetched_by=request.user, case=case)
    pending_referral = (
        case.referrals.filter(status="pending")
        .select_related("to_organisation", "from_organisation")
        .first()
    )
    org = getattr(request.user.active_membership, "organisation", None)
    targets = [
        {"status": t.target, "label": t.label, "name": t.name}
        for t in CASE.available(case, request.user)
    ]
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "may_act": may_act,
            "may_review": has_perm(request.user, "cases.review"),
            "targets": targets,
            "all_statuses": Status.choices,
            "transitions": case.transitions.select_related("by"),
            "goals": case.goals.all(),
            "tasks": case.tasks.select_related("owner"),
            "records": case.records.select_related("recorded_by"),
            "reviews": case.reviews.select_related("reviewer"),
            "referrals": case.referrals.select_related("from_organisation", "to_organisation"),
            "pending_referral": pending_referral,
            "is_receiver": pending_referral is not None
            and org is not None
            and pending_referral.to_organisation_id == org.pk,
            "notes_form": forms.NotesForm(
                initial={
                    "assessment_note": case.assessment_note,
                    "plan_summary": case.plan_summary,
                    "evaluation_note": case.evaluation_note,
                }
            ),
            "goal_form": forms.GoalForm(),
            "task_form": forms.TaskForm(owners=selectors.case_owners(case=case)),
            "record_form": forms.RecordForm(initial={"served_on": date.today()}),
            "referral_form": forms.ReferralForm(
                organisations=selectors.referral_targets(case=case)[:500]
            ),
            "respond_form": forms.RespondForm(),
            "history": history_of(case, limit=20),
            "today": date.today(),
            "ReviewKind": ReviewKind,
        },
    )


def _case_to_act_on(request, pk: int):
    case = selectors.get_case_for(fetched_by=request.user, pk=pk)
    if not selectors.may_act_on(fetched_by=request.user, case=case):
        raise Http404("Not found")
    return case


@require_POST
@scoped("cases.edit")
def case_transition(request, pk: int):
    """A move named by its target state (the detail page's forms): the declared transition."""
    case = _case_to_act_on(request, pk)
    form = forms.TransitionForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.case_move(
                case=case,
                to_status=form.cleaned_data["to_status"],
                acting_user=request.user,
                note=form.cleaned_data["note"],
            ),
            success=lambda c: _("个案状态已更新为：%(s)s") % {"s": c.get_status_display()},
        )
    return redirect("cases:detail", pk=pk)


@require_POST
@scoped("cases.edit")
def case_notes(request, pk: int):
    case = _case_to_act_on(request, pk)
    form = forms.NotesForm(request.POST)
    if form.is_valid():
        services.case_update_notes(case=case, acting_user=request.user, data=form.cleaned_data)
        messages.success(request, _("已保存。"))
    return redirect("cases:detail", pk=pk)


@require_POST
@scoped("cases.edit")
def goal_add(request, pk: int):
    case = _case_to_act_on(request, pk)
    form = forms.GoalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写服务目标。"))
    else:
        attempt(
            request,
            lambda: services.goal_add(
                case=case, acting_user=request.user, text=form.cleaned_data["text"]
            ),
            success=_("已添加服务目标。"),
        )
    return redirect("cases:detail", pk=pk)


@require_POST
@scoped("cases.edit")
def task_add(request, pk: int):
    case = _case_to_act_on(request, pk)
    form = forms.TaskForm(request.POST, owners=selectors.case_owners(case=case))
    if not form.is_valid():
        messages.error(request, _("请填写任务、负责人和截止日期。"))
    else:
        attempt(
            request,
            lambda: services.task_add(case=case, acting_user=request.user, **form.cleaned_data),
            success=_("已添加任务。"),
        )
    return redirect("cases:detail", pk=pk)


@require_POST
@scoped("cases.edit")
def task_done(request, pk: int):
    task = selectors.get_task_to_act_on(fetched_by=request.user, pk=pk)
    services.task_done(task=task, acting_user=request.user)
    return redirect("cases:detail", pk=task.case_id)


@require_POST
@scoped("cases.edit")
def record_add(request, pk: int):
    case = _case_to_act_on(request, pk)
    form = forms.RecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写服务日期、类型和内容。"))
    else:
        attempt(
            request,
            lambda: services.record_add(case=case, acting_user=request.user, **form.cleaned_data),
            success=_("已登记服务记录。"),
        )
    return redirect("cases:detail", pk=pk)


@require_POST
@scoped("cases.edit")
def review_request(request, pk: int):
    case = _case_to_act_on(request, pk)
    kind = request.POST.get("kind", "")
    if kind not in ReviewKind.values:
        messages.error(request, _("未知的审核事项。"))
    else:
        attempt(
            request,
            lambda: services.review_request(
                case=case,
                kind=kind,
                acting_user=request.user,
                closure_reason=request.POST.get("closure_reason", ""),
            ),
            success=_("已提交督导审核。"),
        )
    return redirect("cases:detail", pk=pk)


@require_POST
@scoped("cases.review")
def review_decide(request, pk: int):
    review = selectors.get_pending_review_for(fetched_by=request.user, pk=pk)
    attempt(
        request,
        lambda: services.review_decide(
            review=review,
            acting_user=request.user,
            approve=request.POST.get("decision") == "approve",
            comment=request.POST.get("comment", ""),
        ),
        success=_("审核意见已保存。"),
    )
    return redirect("cases:detail", pk=review.case_id)


@require_POST
@scoped("cases.edit")
def referral_create(request, pk: int):
    case = _case_to_act_on(request, pk)
    form = forms.ReferralForm(request.POST, organisations=selectors.referral_targets(case=case))
    if "to_organisation" in form.errors and request.POST.get("to_organisation"):
        messages.error(request, _("只能转介给本市（州）范围内的其他机构，请从列表中选择。"))
    elif not form.is_valid():
        messages.error(request, _("请选择接收机构并填写转介原因。"))
    else:
        attempt(
            request,
            lambda: services.referral_create(
                case=case, acting_user=request.user, **form.cleaned_data
            ),
            success=lambda referral: (
                _("已转介给 %(o)s，等待对方接收。") % {"o": referral.to_organisation.name}
            ),
        )
    return redirect("cases:detail", pk=pk)


@scoped("cases.respond_referral")
def referral_inbox(request):
    return render(
        request,
        "cases/referrals.html",
        {"referrals": selectors.referral_inbox(fetched_by=request.user)},
    )


@require_POST
@scoped("cases.respond_referral")
def referral_respond(request, pk: int):
    referral = selectors.referral_inbox(fetched_by=request.user).filter(pk=pk).first()
    if referral is None:
        raise Http404("Not found")
    accept = request.POST.get("decision") == "accept"
    outcome = attempt(
        request,
        lambda: services.referral_respond(
            referral=referral,
            acting_user=request.user,
            accept=accept,
            reason=request.POST.get("reason", ""),
        ),
        success=_("已接收转介，个案已转入本机构。") if accept else _("已拒绝转介。"),
    )
    if accept or not outcome:
        return redirect("cases:detail", pk=referral.case_id)
    return redirect("cases:referrals")


@scoped("cases.view")
def overdue(request):
    return render(
        request,
        "cases/overdue.html",
        {
            "tasks": selectors.overdue_tasks(fetched_by=request.user),
            "reviews": selectors.overdue_reviews(fetched_by=request.user),
            "pending": selectors.pending_reviews(fetched_by=request.user),
            "today": date.today(),
        },
    )


__all__ = ["Referral"]
