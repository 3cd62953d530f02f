"""Pages of emergency sweeps: the events, declaring one, the live board (htmx refresh), the
export, a task's page and the worker's own task list with big outcome buttons. They parse
input, call services through `attempt`, and read through selectors."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.access import scoped
from shegong.core.actions import attempt
from shegong.core.exports import excel_response
from shegong.core.listing import paginate
from shegong.core.permissions import has_perm
from shegong.emergency import forms, selectors, services
from shegong.emergency.models import EmergencyEvent, NeedCategory, Outcome
from shegong.emergency.workflow import EVENT

ORDER = {"open": ("rank", "region_code", "id")}


@scoped("emergency.view")
def event_list(request):
    status = request.GET.get("status", "")
    events = selectors.event_list(fetched_by=request.user, status=status)
    listing = paginate(request, events, sorts={"-start": ("-starts_at", "-id")}, default="-start")
    return render(
        request,
        "emergency/event_list.html",
        {
            "listing": listing,
            "statuses": EmergencyEvent.Status.choices,
            "status": status,
            "may_declare": has_perm(request.user, "emergency.declare"),
        },
    )


@scoped("emergency.declare")
def event_declare(request):
    form = forms.DeclareForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.event_declare(acting_user=request.user, **form.service_inputs()),
            form=form,
            success=lambda e: _("已发布应急排查，排查对象 %(n)s 人。") % {"n": e.task_count},
        )
        if outcome:
            return redirect(outcome.value.get_absolute_url())
    return render(
        request,
        "emergency/declare.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


@scoped("emergency.view")
def board(request, pk: int):
    """排查看板: counts by township (or by village of one township), the residents not yet
    reached first, the time left. An htmx request gets the board's body only (auto-refresh)."""
    event = selectors.get_event_for(fetched_by=request.user, pk=pk)
    township = request.GET.get("township", "")
    outcome = request.GET.get("outcome", "open")
    level, rows = selectors.board_rows(fetched_by=request.user, event=event, township=township)
    tasks = selectors.task_list(
        fetched_by=request.user, event=event, outcome=outcome, prefix=township
    )
    listing = paginate(request, tasks, sorts=ORDER, default="open")
    left = selectors.time_left(event)
    context = {
        "event": event,
        "level": level,
        "rows": rows,
        "township": township,
        "outcome": outcome,
        "outcomes": Outcome.choices,
        "totals": selectors.board_totals(fetched_by=request.user, event=event),
        "listing": listing,
        "left_hours": int(left.total_seconds() // 3600),
        "left_minutes": int(left.total_seconds() % 3600 // 60),
        "overdue": left.total_seconds() < 0,
        "areas": event.areas.select_related("region"),
        "categories": event.categories.all(),
        "actions": EVENT.available(event, request.user),
        "may_record": has_perm(request.user, "emergency.record"),
        "now": timezone.now(),
    }
    if request.headers.get("HX-Request"):
        return render(request, "emergency/partials/board_body.html", context)
    return render(request, "emergency/board.html", context)


@scoped("emergency.view")
def board_export(request, pk: int):
    event = selectors.get_event_for(fetched_by=request.user, pk=pk)
    outcome = request.GET.get("outcome", "")
    return excel_response(
        request,
        filename="应急排查.xlsx",
        title=event.title,
        headers=[
            _("区划代码"),
            _("村（社区）"),
            _("服务对象"),
            _("排查结果"),
            _("需求类别"),
            _("需求说明"),
            _("未联系上原因"),
            _("尝试次数"),
            _("责任人"),
            _("记录时间"),
        ],
        rows=selectors.export_rows(fetched_by=request.user, event=event, outcome=outcome),
        audit_detail={"export": "emergency_board", "event": event.pk, "outcome": outcome},
    )


@scoped("emergency.view")
def task_detail(request, pk: int):
    task = selectors.get_task_for(fetched_by=request.user, pk=pk)
    return render(
        request,
        "emergency/task_detail.html",
        {
            "task": task,
            "form": forms.OutcomeForm(acting_user=request.user),
            "history": task.outcomes.select_related("recorded_by").order_by("-recorded_at"),
            "needs": NeedCategory.choices[1:],
            "may_record": has_perm(request.user, "emergency.record"),
        },
    )


@require_POST
@scoped("emergency.record")
def task_record(request, pk: int):
    task = selectors.get_task_for(fetched_by=request.user, pk=pk)
    form = forms.OutcomeForm(request.POST, acting_user=request.user)
    back = request.POST.get("next", "")
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: services.outcome_record(
                task=task, acting_user=request.user, **form.cleaned_data
            ),
            form=form,
            success=_("已记录：%(name)s") % {"name": task.resident.name},
        )
        if outcome:
            if back == "mine":
                return redirect(f"/emergency/mine/?event={task.event_id}")
            return redirect(task.get_absolute_url())
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.error(request, f"{label}：{' '.join(errors)}" if label else " ".join(errors))
    if back == "mine":
        return redirect(f"/emergency/mine/?event={task.event_id}")
    return redirect(task.get_absolute_url())


@scoped("emergency.view")
def my_tasks(request):
    """我的排查任务: the worker's residents to reach, big buttons, one hand on a phone."""
    event = None
    if request.GET.get("event", "").isdigit():
        event = selectors.get_event_for(fetched_by=request.user, pk=request.GET["event"])
    tasks = selectors.my_tasks(fetched_by=request.user, event=event)
    listing = paginate(request, tasks, sorts=ORDER, default="open", per_page=30)
    return render(
        request,
        "emergency/my_tasks.html",
        {
            "listing": listing,
            "event": event,
            "needs": NeedCategory.choices[1:],
            "open_count": selectors.my_open_count(fetched_by=request.user),
            "may_record": has_perm(request.user, "emergency.record"),
        },
    )


def sweep_panel(request, resident) -> dict | None:
    """The sweep history section of a resident's page (core.registry.person_panels): each
    outcome recorded in an emergency sweep."""
    if not has_perm(request.user, "emergency.view"):
        return None
    outcomes = list(selectors.outcomes_of_resident(fetched_by=request.user, resident=resident)[:20])
    if not outcomes:
        return None
    return {
        "title": _("应急排查记录"),
        "template": "emergency/partials/resident_panel.html",
        "outcomes": outcomes,
    }
