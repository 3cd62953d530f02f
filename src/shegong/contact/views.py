"""Pages of mass-contact meetings and raised items. They parse input, call services through
`attempt`, and read through selectors."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.contact import forms, selectors, services
from shegong.contact.models import Meeting, RaisedItem
from shegong.contact.workflow import ITEM, MEETING
from shegong.core.access import login_only, scoped
from shegong.core.actions import attempt
from shegong.core.exports import excel_response
from shegong.core.listing import paginate
from shegong.core.permissions import has_perm


@scoped("contact.view")
def meeting_list(request):
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    month = request.GET.get("month", "")
    meetings = selectors.meeting_list(
        fetched_by=request.user, kind=kind, status=status, month=month
    )
    listing = paginate(request, meetings, sorts={"-held": ("-held_on", "-id")}, default="-held")
    return render(
        request,
        "contact/meeting_list.html",
        {
            "listing": listing,
            "kinds": Meeting.Kind.choices,
            "statuses": Meeting.Status.choices,
            "kind": kind,
            "status": status,
            "month": month,
            "can_plan": has_perm(request.user, "contact.manage"),
            "attendance": selectors.attendance_by_organisation(
                fetched_by=request.user, month=month
            ),
        },
    )


@scoped("contact.view")
def meeting_calendar(request):
    found = selectors.meeting_calendar(
        fetched_by=request.user,
        month=request.GET.get("month", ""),
        prefix=request.GET.get("region", ""),
    )
    return render(request, "contact/calendar.html", {"calendar": found})


@scoped("contact.manage")
def meeting_plan(request):
    form = forms.MeetingForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.meeting_plan(acting_user=request.user, **form.cleaned_data),
            form=form,
            success=_("已计划会议。"),
        )
        if outcome:
            return redirect(outcome.value.get_absolute_url())
    return render(
        request,
        "contact/form.html",
        {"form": form, "title": _("计划联系群众会议")},
        status=422 if request.method == "POST" else 200,
    )


def _detail_context(request, meeting: Meeting) -> dict:
    invitations = list(selectors.invitations_of(fetched_by=request.user, meeting=meeting))
    manage = MEETING.actors_of(meeting, request.user) and has_perm(request.user, "contact.manage")
    return {
        "meeting": meeting,
        "actions": MEETING.available(meeting, request.user),
        "invitations": invitations,
        "attended": sum(1 for i in invitations if i.attended),
        "items": selectors.items_of(fetched_by=request.user, meeting=meeting),
        "published": selectors.published_answers(fetched_by=request.user, meeting=meeting),
        "attachments": selectors.attachments_of(fetched_by=request.user, meeting=meeting),
        "manage": bool(manage) and meeting.status != Meeting.Status.CANCELLED,
        "invite_form": forms.InviteForm(acting_user=request.user, auto_id="invite-%s"),
        "attendance_form": forms.AttendanceForm(
            acting_user=request.user, invitations=invitations, auto_id="attend-%s"
        ),
        "item_form": forms.ItemForm(
            acting_user=request.user, invitations=invitations, auto_id="item-%s"
        ),
    }


@scoped("contact.view")
def meeting_detail(request, pk: int):
    meeting = selectors.get_meeting_for(fetched_by=request.user, pk=pk)
    return render(request, "contact/meeting_detail.html", _detail_context(request, meeting))


def _rerender(request, meeting, **forms_bound):
    context = _detail_context(request, meeting)
    context.update(forms_bound)
    return render(request, "contact/meeting_detail.html", context, status=422)


@require_POST
@scoped("contact.manage")
def invitation_add(request, pk: int):
    meeting = selectors.get_meeting_for(fetched_by=request.user, pk=pk)
    form = forms.InviteForm(request.POST, acting_user=request.user, auto_id="invite-%s")
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: services.invitation_add(
                meeting=meeting, acting_user=request.user, **form.service_inputs()
            ),
            form=form,
            success=_("已加入邀请名单。"),
        )
        if outcome:
            return redirect(meeting.get_absolute_url())
    return _rerender(request, meeting, invite_form=form)


@require_POST
@scoped("contact.manage")
def attendance_record(request, pk: int):
    meeting = selectors.get_meeting_for(fetched_by=request.user, pk=pk)
    invitations = list(selectors.invitations_of(fetched_by=request.user, meeting=meeting))
    form = forms.AttendanceForm(
        request.POST, acting_user=request.user, invitations=invitations, auto_id="attend-%s"
    )
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: services.attendance_record(
                meeting=meeting, acting_user=request.user, present=form.cleaned_data["present"]
            ),
            form=form,
            success=lambda n: _("已登记出席 %(n)s 人。") % {"n": n},
        )
        if outcome:
            return redirect(meeting.get_absolute_url())
    return _rerender(request, meeting, attendance_form=form)


@require_POST
@scoped("contact.manage")
def item_record(request, pk: int):
    meeting = selectors.get_meeting_for(fetched_by=request.user, pk=pk)
    invitations = list(selectors.invitations_of(fetched_by=request.user, meeting=meeting))
    form = forms.ItemForm(
        request.POST, acting_user=request.user, invitations=invitations, auto_id="item-%s"
    )
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: services.item_record(
                meeting=meeting, acting_user=request.user, **form.service_inputs()
            ),
            form=form,
            success=_("已登记群众反映事项。"),
        )
        if outcome:
            return redirect(meeting.get_absolute_url())
    return _rerender(request, meeting, item_form=form)


@scoped("contact.view")
def attachment_download(request, pk: int):
    attachment = selectors.get_attachment_for(fetched_by=request.user, pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@scoped("contact.view")
def item_list(request):
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    items = selectors.item_list(fetched_by=request.user, status=status, overdue=overdue)
    listing = paginate(
        request, items, sorts={"-created": ("-created_at", "-id")}, default="-created"
    )
    return render(
        request,
        "contact/item_list.html",
        {
            "listing": listing,
            "statuses": RaisedItem.Status.choices,
            "status": status,
            "overdue": overdue,
            "rollup": selectors.on_time_rollup(
                fetched_by=request.user, prefix=request.GET.get("region") or None
            ),
            "today": timezone.localdate(),
        },
    )


@scoped("contact.view")
def item_export(request):
    status = request.GET.get("status", "")
    return excel_response(
        request,
        filename="群众反映事项.xlsx",
        title=_("群众反映事项"),
        headers=[
            _("编号"),
            _("会议"),
            _("会议日期"),
            _("区划代码"),
            _("反映人"),
            _("反映内容"),
            _("状态"),
            _("责任单位"),
            _("答复期限"),
            _("答复日期"),
            _("按期答复"),
            _("信访事项编号"),
        ],
        rows=selectors.items_export_rows(fetched_by=request.user, status=status),
        audit_detail={"export": "contact_items", "status": status},
    )


@scoped("contact.view")
def item_detail(request, pk: int):
    item = selectors.get_item_for(fetched_by=request.user, pk=pk)
    return render(
        request,
        "contact/item_detail.html",
        {"item": item, "actions": ITEM.available(item, request.user)},
    )


@login_only
def item_answer_view(request, pk: int):
    """What the raiser's notification opens: the answer to the item they raised (404 to anyone
    else, whether the item exists or not)."""
    item = selectors.get_answer_for(fetched_by=request.user, pk=pk)
    return render(request, "contact/answer.html", {"item": item})
