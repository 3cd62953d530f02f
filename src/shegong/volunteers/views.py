"""Internal pages (organisers and departments) and the volunteer's own page.

Reads go through `selectors`, writes through `services` (or a lifecycle's transition, declared in
`workflow`), and every refusal is explained the one way (`core.actions.attempt`)."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from shegong.core.access import scoped
from shegong.core.actions import attempt
from shegong.core.crypto import reveal
from shegong.core.exports import excel_response
from shegong.core.history import history_of
from shegong.core.listing import paginate
from shegong.core.permissions import has_perm
from shegong.core.scoping import jurisdiction_of
from shegong.core.workflow import Lifecycle
from shegong.volunteers import matching, selectors, services
from shegong.volunteers.certificates import certificate_pdf
from shegong.volunteers.forms import (
    ActivityForm,
    CodeForm,
    CorrectionForm,
    ImportForm,
    MemberForm,
    PeriodForm,
    TeamForm,
    VolunteerForm,
)
from shegong.volunteers.models import (
    Activity,
    Certificate,
    ServiceRecord,
    SignUp,
    Volunteer,
    VolunteerApplication,
)
from shegong.volunteers.workflow import ACTIVITY, APPLICATION, RECORD, SIGNUP


def _take(request, lifecycle: Lifecycle, action: str, obj, *, data=None, form=None):
    """Take a declared transition from one of the older action paths (aliases of
    `…/<pk>/actions/<action>/`): the same checks and messages, then back to the same page."""
    t = lifecycle.by_name.get(action)
    if t is None or not t.offered:
        raise Http404("no such action")
    return attempt(
        request,
        lambda: lifecycle.perform(action, obj=obj, acting_user=request.user, data=data, form=form),
        form=form,
        success=t.done or _("已完成：%(a)s") % {"a": t.label},
    )


# ---- volunteers --------------------------------------------------------------------------------


@scoped("volunteers.view")
def volunteer_list(request):
    filters = {
        "q": request.GET.get("q", "").strip(),
        "region_prefix": request.GET.get("region", "").strip(),
        "party": request.GET.get("party", ""),
    }
    qs = selectors.volunteer_list(fetched_by=request.user, **filters)
    listing = paginate(
        request,
        qs,
        sorts={
            "-created": ("-created_at", "-id"),
            "name": ("name", "id"),
            "-hours": ("-certified_hours", "id"),
        },
        default="-created",
    )
    return render(
        request, "volunteers/volunteer_list.html", {"listing": listing, "filters": filters}
    )


@scoped("volunteers.edit")
def volunteer_create(request):
    form = VolunteerForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.volunteer_register(
                data=dict(form.cleaned_data),
                source=Volunteer.Source.ORGANISATION,
                acting_user=request.user,
                organisation=request.user.active_membership.organisation,
                consent=True,
            ),
            form=form,
            success=lambda v: _("已登记志愿者 %(n)s") % {"n": v},
        )
        if outcome:
            return redirect("volunteers:detail", pk=outcome.value.pk)
    return render(request, "volunteers/volunteer_form.html", {"form": form})


@scoped("volunteers.view")
def volunteer_detail(request, pk: int):
    v = selectors.get_volunteer_for(fetched_by=request.user, pk=pk)
    return render(
        request,
        "volunteers/volunteer_detail.html",
        {
            "v": v,
            "records": selectors.volunteer_recent_records(v),
            "teams": selectors.volunteer_teams(v),
            "history": history_of(v),
        },
    )


@require_POST
@scoped("volunteers.reveal")
def volunteer_reveal(request, pk: int):
    v = selectors.get_volunteer_for(fetched_by=request.user, pk=pk)
    number = reveal(user=request.user, obj=v, request=request)
    return HttpResponse(f'<span data-testid="revealed">{number}</span>')


# ---- registrations from the public portal -----------------------------------------------------


@scoped("volunteers.edit")
def application_list(request):
    status = request.GET.get("status", VolunteerApplication.Status.PENDING)
    qs = selectors.application_list(fetched_by=request.user, status=status)
    listing = paginate(request, qs, sorts={"created": ("created_at", "id")}, default="created")
    return render(
        request,
        "volunteers/application_list.html",
        {"listing": listing, "status": status, "statuses": VolunteerApplication.Status.choices},
    )


@require_POST
@scoped("volunteers.edit")
def application_decide(request, pk: int, action: str):
    """The older path of the registration's actions (`applications/<pk>/actions/<action>/`)."""
    application = selectors.get_application_for(fetched_by=request.user, pk=pk)
    t = APPLICATION.by_name.get(action)
    if t is None:
        raise Http404("no such action")
    # The older path calls the transition's service itself, so that a registration already
    # decided is explained as before (“该申请已审核”) rather than by its state.
    inputs = {"reason": request.POST.get("reason", "")} if action == "reject" else {}
    attempt(
        request,
        lambda: t.service_function(application=application, acting_user=request.user, **inputs),
        success=t.done,
    )
    return redirect("volunteers:applications")


# ---- teams -------------------------------------------------------------------------------------


@scoped("volunteers.view")
def team_list(request):
    qs = selectors.team_list(fetched_by=request.user, q=request.GET.get("q", "").strip())
    listing = paginate(request, qs, sorts={"name": ("name", "id")}, default="name")
    return render(request, "volunteers/team_list.html", {"listing": listing, "form": TeamForm()})


@require_POST
@scoped("volunteers.edit")
def team_create(request):
    form = TeamForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写队伍名称和类型。"))
        return redirect("volunteers:teams")
    outcome = attempt(
        request,
        lambda: services.team_create(
            acting_user=request.user,
            organisation=request.user.active_membership.organisation,
            **form.cleaned_data,
        ),
    )
    if outcome:
        return redirect("volunteers:team", pk=outcome.value.pk)
    return redirect("volunteers:teams")


@scoped("volunteers.view")
def team_detail(request, pk: int):
    team = selectors.get_team_for(fetched_by=request.user, pk=pk)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        if not has_perm(request.user, "volunteers.edit"):
            raise Http404
        if form.is_valid():
            volunteer = selectors.volunteer_by_number(
                fetched_by=request.user, number=form.cleaned_data["volunteer"]
            )
            if volunteer is None:
                form.add_error("volunteer", _("辖区内没有该编号的志愿者。"))
            else:
                outcome = attempt(
                    request,
                    lambda: services.team_add_member(
                        team=team,
                        volunteer=volunteer,
                        acting_user=request.user,
                        is_leader=form.cleaned_data["is_leader"],
                    ),
                    form=form,
                )
                if outcome:
                    return redirect("volunteers:team", pk=team.pk)
    return render(
        request,
        "volunteers/team_detail.html",
        {"team": team, "members": selectors.team_members(team), "form": form},
    )


@require_POST
@scoped("volunteers.edit")
def team_member_action(request, pk: int, action: str):
    member = selectors.get_team_member_for(fetched_by=request.user, pk=pk)
    if action == "leave":
        service = services.team_member_leave
    elif action == "leader":
        service = services.team_set_leader
    else:
        raise Http404
    attempt(request, lambda: service(member=member, acting_user=request.user))
    return redirect("volunteers:team", pk=member.team_id)


# ---- activities --------------------------------------------------------------------------------


@scoped("volunteers.view")
def activity_list(request):
    filters = {
        "status": request.GET.get("status", ""),
        "q": request.GET.get("q", "").strip(),
        "when": request.GET.get("when", ""),
    }
    qs = selectors.activity_list(fetched_by=request.user, **filters)
    listing = paginate(
        request,
        qs,
        sorts={"-start": ("-starts_at", "-id"), "start": ("starts_at", "id")},
        default="-start",
    )
    return render(
        request,
        "volunteers/activity_list.html",
        {"listing": listing, "filters": filters, "statuses": Activity.Status.choices},
    )


@scoped("volunteers.organise")
def activity_create(request):
    sites = selectors.activity_sites(fetched_by=request.user)
    form = ActivityForm(request.POST or None, sites=sites)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        outcome = attempt(
            request,
            lambda: services.activity_create(
                acting_user=request.user,
                organisation=request.user.active_membership.organisation,
                data=data,
                shifts=[
                    {
                        "starts_at": data["starts_at"],
                        "ends_at": data["ends_at"],
                        "capacity": data["capacity"],
                        "required_skills": data["required_skills"],
                    }
                ],
                publish=data["publish"],
            ),
            form=form,
            success=_("活动已创建。"),
        )
        if outcome:
            return redirect("volunteers:activity", pk=outcome.value.pk)
    return render(request, "volunteers/activity_form.html", {"form": form})


@scoped("volunteers.view")
def activity_detail(request, pk: int):
    activity = selectors.get_activity_for(fetched_by=request.user, pk=pk)
    return render(
        request,
        "volunteers/activity_detail.html",
        {
            "activity": activity,
            "shifts": selectors.shifts_with_signups(activity),
            "history": history_of(activity),
            "now": timezone.now(),
        },
    )


@require_POST
@scoped("volunteers.organise")
def activity_action(request, pk: int, action: str):
    """The older path of the activity's actions (`activities/<pk>/actions/<action>/`)."""
    activity = selectors.get_activity_for(fetched_by=request.user, pk=pk)
    _take(request, ACTIVITY, action, activity, data=request.POST)
    return redirect("volunteers:activity", pk=activity.pk)


@scoped("volunteers.organise")
def activity_assign(request, pk: int):
    """An optimal proposal of volunteers to all open shifts; the organiser accepts it."""
    activity = selectors.get_activity_for(fetched_by=request.user, pk=pk)
    shifts = selectors.activity_shifts(activity)
    slots = [selectors.slot_of(s) for s in shifts]
    candidates = selectors.candidates_for(activity, fetched_by=request.user)
    proposal, total = matching.assign(candidates, slots)
    vols = selectors.volunteers_by_id(fetched_by=request.user, ids=proposal)
    by_id = {s.pk: s for s in shifts}
    if request.method == "POST":
        chosen = set(request.POST.getlist("pair"))
        pairs = [
            (vols[vid], by_id[sid])
            for vid, sid in proposal.items()
            if f"{vid}:{sid}" in chosen and vid in vols
        ]
        made = services.proposal_invite(pairs=pairs, acting_user=request.user)
        messages.success(request, _("已按方案邀请 %(n)d 名志愿者。") % {"n": made})
        return redirect("volunteers:activity", pk=activity.pk)
    cands = {c.id: c for c in candidates}
    slot_by = {s.id: s for s in slots}
    rows = [
        {
            "volunteer": vols[vid],
            "shift": by_id[sid],
            "score": matching.pair_score(cands[vid], slot_by[sid]),
        }
        for vid, sid in sorted(proposal.items(), key=lambda kv: (by_id[kv[1]].starts_at, kv[0]))
    ]
    return render(
        request,
        "volunteers/activity_assign.html",
        {"activity": activity, "rows": rows, "total": total, "slots": slots},
    )


@scoped("volunteers.organise")
def shift_suggest(request, pk: int):
    shift = selectors.get_shift_for(fetched_by=request.user, pk=pk)
    if request.method == "POST":
        volunteer = selectors.invitable_volunteer(
            fetched_by=request.user, pk=request.POST.get("volunteer")
        )
        if volunteer is None:
            raise Http404
        attempt(
            request,
            lambda: services.signup_invite(
                shift=shift, volunteer=volunteer, acting_user=request.user
            ),
            success=_("已邀请 %(n)s。") % {"n": volunteer},
        )
        return redirect("volunteers:suggest", pk=shift.pk)
    suggestions = matching.suggest(
        selectors.candidates_for(shift.activity, fetched_by=request.user),
        selectors.slot_of(shift),
        limit=20,
    )
    vols = selectors.volunteers_by_id(
        fetched_by=request.user, ids=[s.candidate.id for s in suggestions]
    )
    for s in suggestions:
        s.volunteer = vols[s.candidate.id]
    return render(
        request, "volunteers/shift_suggest.html", {"shift": shift, "suggestions": suggestions}
    )


@require_POST
@scoped("volunteers.organise")
def signup_action(request, pk: int, action: str):
    """The older path of a sign-up's actions (`signups/<pk>/actions/<action>/`)."""
    signup = selectors.get_signup_for(fetched_by=request.user, pk=pk)
    _take(request, SIGNUP, action, signup)
    return redirect("volunteers:activity", pk=signup.shift.activity_id)


# ---- service records ---------------------------------------------------------------------------


@scoped("volunteers.view")
def record_list(request):
    filters = {"status": request.GET.get("status", ""), "q": request.GET.get("q", "").strip()}
    qs = selectors.record_list(fetched_by=request.user, **filters)
    listing = paginate(request, qs, sorts={"-date": ("-service_date", "-id")}, default="-date")
    return render(
        request,
        "volunteers/record_list.html",
        {"listing": listing, "filters": filters, "statuses": ServiceRecord.Status.choices},
    )


@scoped("volunteers.view")
def record_detail(request, pk: int):
    """The record, with its rating and correction forms (the `rate` and `correct` actions of
    the record's lifecycle, posted here as well as to `records/<pk>/actions/<action>/`)."""
    record = selectors.get_record_for(fetched_by=request.user, pk=pk)
    correcting = "reason" in request.POST
    form = CorrectionForm(
        request.POST if correcting else None,
        acting_user=request.user,
        subject=record,
        initial={"hours": record.hours},
    )
    if request.method == "POST":
        if not has_perm(request.user, "volunteers.organise"):
            raise Http404
        if "quality_rating" in request.POST:
            _take(request, RECORD, "rate", record, data=request.POST)
            return redirect("volunteers:record", pk=record.pk)
        if form.is_valid() and _take(request, RECORD, "correct", record, form=form):
            return redirect("volunteers:record", pk=record.pk)
    may_link = has_perm(request.user, "volunteers.organise") and has_perm(
        request.user, "people.view"
    )
    resident_q = request.GET.get("resident_q", "").strip()[:50]
    return render(
        request,
        "volunteers/record_detail.html",
        {
            "record": record,
            "form": form,
            "history": history_of(record),
            "beneficiary_links": selectors.record_beneficiaries(
                fetched_by=request.user, record=record
            ),
            "may_link": may_link and record.status != ServiceRecord.Status.VOID,
            "resident_q": resident_q,
            "resident_choices": list(
                selectors.linkable_residents(fetched_by=request.user, record=record, q=resident_q)[
                    : selectors.CHOICES_SHOWN
                ]
            )
            if may_link and resident_q
            else [],
        },
    )


def _resident_pk(request) -> int:
    value = request.POST.get("resident", "")
    return int(value) if value.isdigit() else 0


@require_POST
@scoped("volunteers.organise")
def record_beneficiary_add(request, pk: int):
    """Link a registered resident to the record (its 服务对象)."""
    record = selectors.get_record_for(fetched_by=request.user, pk=pk)
    attempt(
        request,
        lambda: services.record_link_resident(
            record=record, resident_id=_resident_pk(request), acting_user=request.user
        ),
        success=lambda link: _("已关联服务对象：%(name)s") % {"name": link.resident.name},
    )
    return redirect("volunteers:record", pk=record.pk)


@require_POST
@scoped("volunteers.organise")
def record_beneficiary_remove(request, pk: int, resident_id: int):
    record = selectors.get_record_for(fetched_by=request.user, pk=pk)
    attempt(
        request,
        lambda: services.record_unlink_resident(
            record=record, resident_id=resident_id, acting_user=request.user
        ),
        success=_("已取消关联。"),
    )
    return redirect("volunteers:record", pk=record.pk)


def person_panel(request, resident) -> dict | None:
    """The volunteer help a resident received, on the resident's page (core.registry)."""
    if not has_perm(request.user, "people.view"):
        return None
    return {
        "title": _("志愿服务"),
        "template": "volunteers/partials/person_help.html",
        "links": list(selectors.volunteer_help_of(fetched_by=request.user, resident=resident)[:30]),
        "may_open": has_perm(request.user, "volunteers.view"),
    }


@require_POST
@scoped("volunteers.organise")
def record_confirm(request, pk: int):
    """The older path of the `confirm` action, which may send the user back to `next`."""
    record = selectors.get_record_for(fetched_by=request.user, pk=pk)
    _take(request, RECORD, "confirm", record)
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect("volunteers:record", pk=record.pk)


# ---- imports and exports -----------------------------------------------------------------------


@scoped("volunteers.import")
def import_view(request, kind: str):
    if kind not in ("volunteers", "records"):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        fn = services.volunteers_import if kind == "volunteers" else services.records_import
        outcome = attempt(
            request,
            lambda: fn(acting_user=request.user, upload=upload.file, filename=upload.name),
            form=form,
        )
        result = outcome.value
    columns = services.VOLUNTEER_COLUMNS if kind == "volunteers" else services.RECORD_COLUMNS
    return render(
        request,
        "volunteers/import.html",
        {"form": form, "result": result, "kind": kind, "columns": columns},
    )


def _period(request) -> tuple[date, date]:
    form = PeriodForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["first"], form.cleaned_data["last"]
    today = timezone.localdate()
    return date(today.year, 1, 1), today


@scoped("volunteers.export")
def export_hours(request, by: str):
    first, last = _period(request)
    if by == "volunteer":
        rows = (
            [
                r["volunteer__number"],
                r["volunteer__name"],
                r["volunteer__region_id"],
                r["n"],
                float(r["hours"]),
            ]
            for r in selectors.hours_by_volunteer(fetched_by=request.user, first=first, last=last)
        )
        headers = [
            _("志愿者编号"),
            _("姓名"),
            _("居住区划"),
            _("服务记录数"),
            _("认证时长（小时）"),
        ]
    elif by == "team":
        rows = (
            [r["team__name"], r["team__organisation__name"], r["volunteers"], float(r["hours"])]
            for r in selectors.hours_by_team(fetched_by=request.user, first=first, last=last)
        )
        headers = [
            pgettext("plural", "志愿服务队"),
            _("所属组织"),
            _("服务队员数"),
            _("认证时长（小时）"),
        ]
    else:
        raise Http404
    return excel_response(
        request,
        filename=f"volunteer-hours-by-{by}-{first}-{last}.xlsx",
        title=_("志愿服务时长"),
        headers=headers,
        rows=rows,
        audit_detail={"export": f"hours_by_{by}", "first": str(first), "last": str(last)},
    )


# ---- statistics --------------------------------------------------------------------------------


def parse_month(value: str) -> tuple[int, int]:
    try:
        year, month = (int(p) for p in value.split("-")[:2])
        date(year, month, 1)
        return year, month
    except (ValueError, AttributeError):
        today = timezone.localdate()
        return today.year, today.month


@scoped("volunteers.stats")
def stats(request):
    year, month = parse_month(request.GET.get("month", ""))
    prefix = jurisdiction_of(request.user).prefix
    data = selectors.rollup_with_names(prefix=prefix, year=year, month=month)
    return render(
        request,
        "volunteers/stats.html",
        {"data": data, "month": f"{year:04d}-{month:02d}", "period_form": PeriodForm()},
    )


# ---- the volunteer's own page ------------------------------------------------------------------


def _me(request) -> Volunteer:
    volunteer = selectors.volunteer_of(fetched_by=request.user)
    if volunteer is None:
        raise Http404
    return volunteer


@scoped("volunteers.self")
def my_page(request):
    volunteer = _me(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.check_in_out_by_code(
                volunteer=volunteer, code=form.cleaned_data["code"]
            ),
            form=form,
            success=lambda result: (
                _("签到成功。")
                if isinstance(result, SignUp)
                else _("签退成功，服务时长待组织方确认。")
            ),
        )
        if outcome:
            return redirect("volunteers:me")
    return render(
        request, "volunteers/my_page.html", {**selectors.my_page(volunteer), "code_form": form}
    )


@require_POST
@scoped("volunteers.self")
def my_withdraw(request, pk: int):
    volunteer = _me(request)
    signup = selectors.my_signup(volunteer=volunteer, pk=pk)
    if signup is None:
        raise Http404
    attempt(
        request,
        lambda: services.signup_withdraw(signup=signup, acting_user=request.user),
        success=_("已退出报名。"),
    )
    return redirect("volunteers:me")


@require_POST
@scoped("volunteers.self")
def my_certificate(request, org_id: int):
    volunteer = _me(request)
    organisation = selectors.certifying_organisation(volunteer=volunteer, org_id=org_id)
    if organisation is None:
        raise Http404
    outcome = attempt(
        request,
        lambda: services.certificate_issue(
            volunteer=volunteer, organisation=organisation, acting_user=request.user
        ),
    )
    if not outcome:
        return redirect("volunteers:me")
    return redirect("volunteers:certificate_pdf", pk=outcome.value.pk)


def _pdf_response(request, cert: Certificate) -> HttpResponse:
    verify = request.build_absolute_uri(reverse("portal:verify"))
    response = HttpResponse(
        certificate_pdf(cert, verify_url=verify), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote('志愿服务证明-' + cert.number + '.pdf')}"
    )
    return response


@scoped("volunteers.self")
def my_certificate_pdf(request, pk: int):
    cert = selectors.my_certificate(volunteer=_me(request), pk=pk)
    if cert is None:
        raise Http404
    return _pdf_response(request, cert)


@scoped("volunteers.view")
def certificate_pdf_staff(request, pk: int):
    cert = selectors.get_certificate_for(fetched_by=request.user, pk=pk)
    return _pdf_response(request, cert)
