"""Internal pages (organisers and departments) and the volunteer's own page."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from shegong.core.access import scoped
from shegong.core.crypto import reveal
from shegong.core.errors import ApplicationError, apply_to_form
from shegong.core.exports import excel_response
from shegong.core.history import history_of
from shegong.core.listing import paginate
from shegong.core.scoping import jurisdiction_of
from shegong.orgs.models import Organisation
from shegong.regions.models import Region
from shegong.volunteers import applications, matching, selectors, services
from shegong.volunteers.certificates import certificate_pdf
from shegong.volunteers.forms import (
    ActivityForm,
    CodeForm,
    CorrectionForm,
    ImportForm,
    MemberForm,
    PeriodForm,
    ShiftForm,
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


def _fail(request, exc) -> None:
    from shegong.core.errors import error_items

    for item in error_items(exc):
        messages.error(request, item["reason"])


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


def _region_or_error(code: str, form) -> Region | None:
    region = selectors.region_by_code(code)
    if region is None:
        form.add_error("region", _("区划代码无效。"))
    return region


@scoped("volunteers.edit")
def volunteer_create(request):
    form = VolunteerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        region = _region_or_error(data["region"], form)
        if region is not None:
            data["region"] = region
            try:
                v = services.volunteer_register(
                    data=data,
                    source=Volunteer.Source.ORGANISATION,
                    registered_by=request.user,
                    organisation=request.user.active_membership.organisation,
                    consent=True,
                )
                messages.success(request, _("已登记志愿者 %(n)s") % {"n": v})
                return redirect("volunteers:detail", pk=v.pk)
            except ValidationError as exc:
                apply_to_form(form, exc)
    return render(request, "volunteers/volunteer_form.html", {"form": form})


@scoped("volunteers.view")
def volunteer_detail(request, pk: int):
    v = selectors.get_volunteer_for(request.user, pk)
    records = v.records.select_related("organisation").order_by("-service_date", "-id")[:30]
    teams = v.team_members.select_related("team").order_by("-joined_on")
    return render(
        request,
        "volunteers/volunteer_detail.html",
        {"v": v, "records": records, "teams": teams, "history": history_of(v)},
    )


@require_POST
@scoped("volunteers.reveal")
def volunteer_reveal(request, pk: int):
    v = selectors.get_volunteer_for(request.user, pk)
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
    application = selectors.get_application_for(request.user, pk)
    try:
        if action == "approve":
            application = applications.application_approve(
                application=application, acting_user=request.user, request=request
            )
            messages.success(
                request,
                _(
                    "已通过：%(name)s 已登记为志愿者（编号 %(number)s），登录账号为 %(username)s，请通知申请人。"
                )
                % {
                    "name": application.name,
                    "number": application.volunteer.number,
                    "username": application.volunteer.user.username,
                },
            )
        elif action == "reject":
            applications.application_reject(
                application=application,
                acting_user=request.user,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("已标记为不通过，请通知申请人。"))
        else:
            raise Http404
    except (ValidationError, ApplicationError) as exc:
        _fail(request, exc)
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
    if form.is_valid():
        try:
            team = services.team_create(
                created_by=request.user,
                organisation=request.user.active_membership.organisation,
                **form.cleaned_data,
            )
            return redirect("volunteers:team", pk=team.pk)
        except ValidationError as exc:
            _fail(request, exc)
    else:
        messages.error(request, _("请填写队伍名称和类型。"))
    return redirect("volunteers:teams")


@scoped("volunteers.view")
def team_detail(request, pk: int):
    team = selectors.get_team_for(request.user, pk)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        from shegong.core.permissions import has_perm

        if not has_perm(request.user, "volunteers.edit"):
            raise Http404
        if form.is_valid():
            number = form.cleaned_data["volunteer"].strip().upper()
            volunteer = Volunteer.objects.visible_to(request.user).filter(number=number).first()
            if volunteer is None:
                form.add_error("volunteer", _("辖区内没有该编号的志愿者。"))
            else:
                try:
                    services.team_add_member(
                        team=team,
                        volunteer=volunteer,
                        added_by=request.user,
                        is_leader=form.cleaned_data["is_leader"],
                    )
                    return redirect("volunteers:team", pk=team.pk)
                except ValidationError as exc:
                    apply_to_form(form, exc)
    return render(
        request,
        "volunteers/team_detail.html",
        {"team": team, "members": selectors.team_members(team), "form": form},
    )


@require_POST
@scoped("volunteers.edit")
def team_member_action(request, pk: int, action: str):
    from shegong.volunteers.models import TeamMember

    member = TeamMember.objects.visible_to(request.user).filter(pk=pk).first()
    if member is None:
        raise Http404
    try:
        if action == "leave":
            services.team_member_leave(member=member, by=request.user)
        elif action == "leader":
            services.team_set_leader(member=member, by=request.user)
        else:
            raise Http404
    except ValidationError as exc:
        _fail(request, exc)
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
    sites = Organisation.objects.visible_to(request.user).sites().order_by("region_id", "name")
    form = ActivityForm(request.POST or None, sites=sites)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            activity = services.activity_create(
                created_by=request.user,
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
            )
            messages.success(request, _("活动已创建。"))
            return redirect("volunteers:activity", pk=activity.pk)
        except ValidationError as exc:
            apply_to_form(form, exc)
    return render(request, "volunteers/activity_form.html", {"form": form})


@scoped("volunteers.view")
def activity_detail(request, pk: int):
    activity = selectors.get_activity_for(request.user, pk)
    return render(
        request,
        "volunteers/activity_detail.html",
        {
            "activity": activity,
            "shifts": selectors.shifts_with_signups(activity),
            "shift_form": ShiftForm(),
            "history": history_of(activity),
            "now": timezone.now(),
        },
    )


@require_POST
@scoped("volunteers.organise")
def activity_action(request, pk: int, action: str):
    activity = selectors.get_activity_for(request.user, pk)
    try:
        if action == "publish":
            services.activity_publish(activity=activity, by=request.user)
            messages.success(request, _("活动已发布。"))
        elif action == "cancel":
            services.activity_cancel(
                activity=activity, by=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("活动已取消。"))
        elif action == "shift":
            form = ShiftForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("请完整填写班次。"))
            services.shift_add(activity=activity, by=request.user, **form.cleaned_data)
            messages.success(request, _("已添加班次。"))
        else:
            raise Http404
    except (ValidationError, ApplicationError) as exc:
        _fail(request, exc)
    return redirect("volunteers:activity", pk=activity.pk)


@scoped("volunteers.organise")
def activity_assign(request, pk: int):
    """An optimal proposal of volunteers to all open shifts; the organiser accepts it."""
    activity = selectors.get_activity_for(request.user, pk)
    shifts = list(activity.shifts.all())
    slots = [selectors.slot_of(s) for s in shifts]
    candidates = selectors.candidates_for(activity, fetched_by=request.user)
    proposal, total = matching.assign(candidates, slots)
    if request.method == "POST":
        chosen = set(request.POST.getlist("pair"))
        made = 0
        by_id = {s.pk: s for s in shifts}
        vols = selectors.volunteers_by_id(fetched_by=request.user, ids=proposal)
        for vid, sid in proposal.items():
            if f"{vid}:{sid}" in chosen and vid in vols:
                try:
                    services.signup_invite(shift=by_id[sid], volunteer=vols[vid], by=request.user)
                    made += 1
                except ApplicationError:
                    continue
        messages.success(request, _("已按方案邀请 %(n)d 名志愿者。") % {"n": made})
        return redirect("volunteers:activity", pk=activity.pk)
    vols = selectors.volunteers_by_id(fetched_by=request.user, ids=proposal)
    by_id = {s.pk: s for s in shifts}
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
    shift = selectors.get_shift_for(request.user, pk)
    if request.method == "POST":
        volunteer = selectors.invitable_volunteer(
            fetched_by=request.user, pk=request.POST.get("volunteer")
        )
        if volunteer is None:
            raise Http404
        try:
            services.signup_invite(shift=shift, volunteer=volunteer, by=request.user)
            messages.success(request, _("已邀请 %(n)s。") % {"n": volunteer})
        except ApplicationError as exc:
            _fail(request, exc)
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
    signup = selectors.get_signup_for(request.user, pk)
    try:
        if action == "checkin":
            services.signup_check_in(signup=signup, by=request.user)
        elif action == "checkout":
            services.signup_check_out(signup=signup, by=request.user)
        elif action == "withdraw":
            services.signup_withdraw(signup=signup, by=request.user)
        elif action in ("accept", "reject"):
            services.signup_decide(signup=signup, by=request.user, accept=action == "accept")
        else:
            raise Http404
    except (ValidationError, ApplicationError) as exc:
        _fail(request, exc)
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
    record = selectors.get_record_for(request.user, pk)
    form = CorrectionForm(
        request.POST if "reason" in request.POST else None, initial={"hours": record.hours}
    )
    if request.method == "POST":
        from shegong.core.permissions import has_perm

        if not has_perm(request.user, "volunteers.organise"):
            raise Http404
        if "quality_rating" in request.POST:
            try:
                services.record_set_rating(
                    record=record, by=request.user, rating=int(request.POST["quality_rating"])
                )
                messages.success(request, _("已保存服务评价。"))
            except (ValueError, ValidationError) as exc:
                _fail(
                    request,
                    exc
                    if isinstance(exc, ValidationError)
                    else ValidationError(_("评价为 1 到 5 星。")),
                )
            return redirect("volunteers:record", pk=record.pk)
        if form.is_valid():
            try:
                services.record_correct(
                    record=record,
                    by=request.user,
                    hours=form.cleaned_data["hours"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("已更正服务时长，原值保留在变更历史中。"))
                return redirect("volunteers:record", pk=record.pk)
            except (ValidationError, ApplicationError) as exc:
                apply_to_form(form, exc)
    return render(
        request,
        "volunteers/record_detail.html",
        {"record": record, "form": form, "history": history_of(record)},
    )


@require_POST
@scoped("volunteers.organise")
def record_confirm(request, pk: int):
    record = selectors.get_record_for(request.user, pk)
    try:
        services.record_confirm(record=record, by=request.user)
        messages.success(request, _("已确认服务时长 %(h)s 小时。") % {"h": record.hours})
    except (ValidationError, ApplicationError) as exc:
        _fail(request, exc)
    from django.utils.http import url_has_allowed_host_and_scheme

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
        try:
            result = fn(imported_by=request.user, upload=upload.file, filename=upload.name)
        except (ValidationError, ApplicationError) as exc:
            apply_to_form(form, exc)
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
    volunteer = selectors.volunteer_of(request.user)
    if volunteer is None:
        raise Http404
    return volunteer


@scoped("volunteers.self")
def my_page(request):
    volunteer = _me(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.check_in_out_by_code(
                volunteer=volunteer, code=form.cleaned_data["code"]
            )
            if isinstance(result, SignUp):
                messages.success(request, _("签到成功。"))
            else:
                messages.success(request, _("签退成功，服务时长待组织方确认。"))
            return redirect("volunteers:me")
        except ApplicationError as exc:
            apply_to_form(form, exc)
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
    try:
        services.signup_withdraw(signup=signup, by=request.user)
        messages.success(request, _("已退出报名。"))
    except ApplicationError as exc:
        _fail(request, exc)
    return redirect("volunteers:me")


@require_POST
@scoped("volunteers.self")
def my_certificate(request, org_id: int):
    volunteer = _me(request)
    organisation = selectors.certifying_organisation(volunteer=volunteer, org_id=org_id)
    if organisation is None:
        raise Http404
    try:
        cert = services.certificate_issue(
            volunteer=volunteer, organisation=organisation, by=request.user
        )
    except ApplicationError as exc:
        _fail(request, exc)
        return redirect("volunteers:me")
    return redirect("volunteers:certificate_pdf", pk=cert.pk)


def _pdf_response(request, cert: Certificate) -> HttpResponse:
    from urllib.parse import quote

    from django.urls import reverse

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
    from shegong.core.scoping import get_visible_or_404

    cert = get_visible_or_404(
        Certificate.objects.select_related("volunteer", "organisation"), request.user, pk=pk
    )
    return _pdf_response(request, cert)
