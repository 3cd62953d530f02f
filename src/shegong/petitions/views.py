"""Staff pages: lists, registration, the matter page with its actions, mediation, analysis."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from shegong.core.access import scoped
from shegong.core.errors import ApplicationError, apply_to_form
from shegong.core.exports import excel_response
from shegong.core.history import history_of
from shegong.core.listing import paginate
from shegong.core.permissions import has_perm
from shegong.core.scoping import jurisdiction_of
from shegong.petitions import documents, forms, selectors, services
from shegong.petitions.models import Channel, Matter
from shegong.petitions.workflow import Status

SORTS = {
    "due": ("due_date", "id"),
    "-received": ("-received_on", "-id"),
    "received": ("received_on", "id"),
    "number": ("number",),
}


def _filters(request) -> dict:
    return {
        "view": request.GET.get("view", "all"),
        "q": request.GET.get("q", "").strip(),
        "status": request.GET.get("status", ""),
        "category": request.GET.get("category", ""),
        "channel": request.GET.get("channel", ""),
        "region": request.GET.get("region", "").strip(),
    }


@scoped("petitions.view")
def matter_list(request):
    filters = _filters(request)
    matters = selectors.matter_list(fetched_by=request.user, **filters)
    listing = paginate(request, matters, sorts=SORTS, default="-received")
    return render(
        request,
        "petitions/matter_list.html",
        {
            "listing": listing,
            "filters": filters,
            "views": selectors.LIST_VIEWS,
            "statuses": Status.choices,
            "channels": Channel.choices,
            "categories": selectors.top_categories(),
            "today": timezone.localdate(),
        },
    )


@scoped("petitions.export")
def matter_export(request):
    filters = _filters(request)
    matters = selectors.matter_list(fetched_by=request.user, **filters).order_by(
        "received_on", "id"
    )
    rows = (
        [
            m.number,
            m.get_kind_display(),
            m.get_channel_display(),
            str(m.category),
            m.region.name,
            m.title,
            m.get_status_display(),
            m.handling_org.name if m.handling_org else "",
            m.received_on,
            m.due_date,
            _("是") if m.is_overdue else "",
            m.get_rating_display() if m.rating else "",
        ]
        for m in matters.iterator(chunk_size=2000)
    )
    headers = [
        _("编号"),
        _("类型"),
        _("渠道"),
        _("分类"),
        _("事发地"),
        _("标题"),
        _("状态"),
        _("承办单位"),
        _("收到日期"),
        _("期限"),
        _("超期"),
        _("评价"),
    ]
    return excel_response(
        request,
        filename="matters.xlsx",
        title=pgettext("plural", "信访事项"),
        headers=headers,
        rows=rows,
        audit_detail={"list": "petitions", **filters},
    )


def _register_view(request, *, initial=None, finding_ref=""):
    form = forms.RegisterForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            matter = services.matter_register(
                registered_by=request.user,
                kind=data["kind"],
                channel=data["channel"],
                region_code=data["region"].strip(),
                category=data["category"],
                title=data["title"],
                request=data["request"],
                facts=data["facts"],
                address=data["address"],
                urgency=data["urgency"],
                anonymous=data["anonymous"],
                people_count=data["people_count"],
                received_on=data["received_on"],
                petitioners=form.petitioners(),
                finding_ref=data.get("finding_ref") or finding_ref,
            )
        except ValidationError as exc:
            apply_to_form(form, exc)
        else:
            if data.get("attachment"):
                services.attachment_add(
                    matter=matter.repeat_of if matter.is_repeat else matter,
                    upload=data["attachment"],
                    added_by=request.user,
                )
            for notice in matter.notices:
                messages.warning(request, notice)
            if matter.is_repeat:
                messages.warning(
                    request,
                    _("与在办事项 %(n)s 为同一信访人的相同诉求，已作为重复件并入，不重复计数。")
                    % {"n": matter.repeat_of.number},
                )
                return redirect("petitions:detail", pk=matter.repeat_of_id)
            messages.success(request, _("已登记，编号 %(n)s。") % {"n": matter.number})
            return redirect("petitions:detail", pk=matter.pk)
    return render(request, "petitions/matter_form.html", {"form": form, "finding_ref": finding_ref})


@scoped("petitions.register")
def matter_create(request):
    return _register_view(
        request,
        initial={"received_on": timezone.localdate(), "channel": "visit", "kind": "petition"},
    )


@scoped("petitions.register")
def matter_from_finding(request, ref: str):
    """A dispute found during a care visit: the registration form, prefilled from the finding
    when the care-visit module provides `finding_for(user, ref)`."""
    initial = {
        "received_on": timezone.localdate(),
        "channel": Channel.FIELD,
        "kind": "dispute",
        "finding_ref": ref,
    }
    try:
        from shegong.people import selectors as people_selectors

        finding = getattr(people_selectors, "finding_for", None)
        found = finding(fetched_by=request.user, ref=ref) if finding else None
    except ImportError:
        found = None
    if isinstance(found, dict):
        initial.update({k: v for k, v in found.items() if k in forms.RegisterForm.base_fields})
    return _register_view(request, initial=initial, finding_ref=ref)


@require_POST
@scoped("petitions.register")
def matter_from_visit(request, visit_id: int):
    """One click on a care visit with a finding: register it as a dispute (channel: field)."""
    visit = selectors.get_visit_for(fetched_by=request.user, pk=visit_id)
    resident = visit.resident
    summary = "；".join(f"{label}：{text}" for label, text in visit.findings) or _(
        "探访发现的矛盾纠纷"
    )
    try:
        matter = services.matter_create_from_finding(
            created_by=request.user,
            finding_ref=f"visit:{visit.pk}",
            region_code=visit.region_code,
            category=selectors.category_by_code("other.other"),
            summary=summary[:4000],
            parties=[{"name": resident.name, "phone": resident.phone, "resident_id": resident.pk}],
        )
    except (ValidationError, ApplicationError) as exc:
        from shegong.core.errors import error_items

        messages.error(request, "；".join(i["reason"] for i in error_items(exc)))
        return redirect(request.META.get("HTTP_REFERER") or "petitions:list")
    messages.success(request, _("已登记为矛盾纠纷，编号 %(n)s。") % {"n": matter.number})
    return redirect("petitions:detail", pk=matter.pk)


def _action_forms(request, matter: Matter) -> dict:
    """The forms for the actions this user may take now (only those are shown)."""
    user = request.user
    out: dict = {}
    if services.can("route", matter, user):
        proposal = services.routing_proposal(matter)
        out["route"] = forms.RouteForm(
            organisations=selectors.routing_targets(matter=matter),
            initial={"organisation": proposal.pk if proposal else None},
        )
        out["proposal"] = proposal
        rule = services.routing_rule_for(matter.category, matter.tier)
        out["statutory_hint"] = rule.statutory_procedure if rule else ""
        out["route_out"] = forms.RouteOutForm()
        out["merge"] = forms.MergeForm()
    for action in ("accept",):
        if services.can(action, matter, user):
            out[action] = True
    if services.can("object", matter, user):
        out["object"] = forms.ReasonForm()
    if services.can("extend", matter, user) and not hasattr(matter, "extension"):
        out["extend"] = forms.ExtendForm()
    if services.can("reply", matter, user):
        out["reply"] = forms.ReplyForm()
    if services.can("close", matter, user):
        out["close"] = True
    if (
        matter.status == Status.CLOSED
        and not matter.chain_ended
        and (
            services.can("request_review", matter, user)
            or services.can("request_rereview", matter, user)
        )
    ):
        out["request_review"] = forms.ReasonForm()
    if services.can("answer_review", matter, user) or services.can("answer_rereview", matter, user):
        out["answer_review"] = forms.ReplyForm()
    if services.can("hearing", matter, user):
        out["hearing"] = forms.HearingForm()
    if (
        services.can("supervise", matter, user)
        and matter.handling_org
        and (jurisdiction_of(user).level < matter.handling_org.region.level)
    ):
        out["supervise"] = forms.SuperviseForm(
            initial={"due_date": timezone.localdate() + timedelta(days=7)}
        )
    if services.can("follow_up", matter, user):
        out["follow_up"] = forms.FollowUpForm()
    if matter.kind == "dispute" and services.can("start_mediation", matter, user):
        out["start_mediation"] = forms.MediationStartForm(
            committees=selectors.mediation_committees(matter=matter)
        )
    if services.can("escalate_tier", matter, user) and matter.tier > 3:
        out["escalate_tier"] = forms.ReasonForm()
    if services.can("assign_leader", matter, user):
        out["assign_leader"] = forms.LeaderForm(leaders=selectors.leaders_for(matter=matter))
    if services.can("note", matter, user):
        out["note"] = forms.NoteForm()
    return out


@scoped("petitions.view")
def matter_detail(request, pk: int):
    matter = selectors.get_matter_for(request.user, pk)
    return render(
        request,
        "petitions/matter_detail.html",
        {
            "matter": matter,
            "petitioners": matter.petitioners.all(),
            "events": selectors.timeline(matter),
            "actions": _action_forms(request, matter),
            "assignments": matter.assignments.select_related("organisation", "assigned_by"),
            "supervisions": matter.supervisions.select_related("organisation", "by"),
            "followups": matter.followups.select_related("by"),
            "extension": getattr(matter, "extension", None),
            "mediation": getattr(matter, "mediation", None),
            "repeats": matter.repeats.order_by("received_on"),
            "attachments": matter.attachments.all(),
            "history": history_of(matter),
            "today": timezone.localdate(),
            "days_left": (matter.due_date - timezone.localdate()).days if matter.due_date else None,
        },
    )


ACTION_FORMS = {
    "route": forms.RouteForm,
    "route_out": forms.RouteOutForm,
    "object": forms.ReasonForm,
    "extend": forms.ExtendForm,
    "reply": forms.ReplyForm,
    "request_review": forms.ReasonForm,
    "answer_review": forms.ReplyForm,
    "supervise": forms.SuperviseForm,
    "hearing": forms.HearingForm,
    "follow_up": forms.FollowUpForm,
    "start_mediation": forms.MediationStartForm,
    "escalate_tier": forms.ReasonForm,
    "assign_leader": forms.LeaderForm,
    "note": forms.NoteForm,
    "merge": forms.MergeForm,
}


def _run(action: str, matter: Matter, user, data: dict):
    s = services
    if action == "route":
        return s.matter_route(
            matter=matter, organisation=data["organisation"], routed_by=user, note=data["note"]
        )
    if action == "route_out":
        return s.matter_route_out(
            matter=matter, procedure=data["procedure"], notice=data["notice"], routed_by=user
        )
    if action == "accept":
        return s.matter_accept(matter=matter, accepted_by=user)
    if action == "object":
        return s.matter_object(matter=matter, objected_by=user, reason=data["reason"])
    if action == "extend":
        return s.matter_extend(
            matter=matter, days=data["days"], reason=data["reason"], approved_by=user
        )
    if action == "reply":
        return s.matter_reply(
            matter=matter, replied_by=user, reply_kind=data["reply_kind"], text=data["text"]
        )
    if action == "close":
        return s.matter_close(matter=matter, closed_by=user)
    if action == "request_review":
        return s.matter_request_review(matter=matter, requested_by=user, reason=data["reason"])
    if action == "answer_review":
        return s.matter_answer_review(
            matter=matter, answered_by=user, reply_kind=data["reply_kind"], text=data["text"]
        )
    if action == "hearing":
        return s.matter_hearing(
            matter=matter, recorded_by=user, days=data["days"], note=data["note"]
        )
    if action == "supervise":
        return s.matter_supervise(
            matter=matter, supervised_by=user, due_date=data["due_date"], note=data["note"]
        )
    if action == "follow_up":
        return s.followup_record(
            matter=matter,
            recorded_by=user,
            method=data["method"],
            notes=data["notes"],
            rating=data["rating"],
        )
    if action == "start_mediation":
        return s.mediation_start(
            matter=matter, started_by=user, committee=data["committee"], mediators=data["mediators"]
        )
    if action == "escalate_tier":
        return s.matter_escalate_tier(matter=matter, escalated_by=user, reason=data["reason"])
    if action == "assign_leader":
        return s.matter_assign_leader(matter=matter, leader=data["leader"], assigned_by=user)
    if action == "note":
        return s.matter_note(matter=matter, noted_by=user, text=data["text"])
    if action == "merge":
        target = selectors.matter_by_number(fetched_by=user, number=data["target"])
        if target is None:
            raise ApplicationError(_("未找到该编号的事项。"), field="target")
        return s.matter_merge(source=matter, target=target, merged_by=user)
    raise PermissionDenied(action)


@require_POST
@scoped("petitions.view")
def matter_action(request, pk: int, action: str):
    matter = selectors.get_matter_for(request.user, pk)
    form_class = ACTION_FORMS.get(action)
    data: dict = {}
    if form_class is not None:
        kwargs = {}
        if action == "route":
            kwargs["organisations"] = selectors.routing_targets(matter=matter)
        elif action == "start_mediation":
            kwargs["committees"] = selectors.mediation_committees(matter=matter)
        elif action == "assign_leader":
            kwargs["leaders"] = selectors.leaders_for(matter=matter)
        form = form_class(request.POST, **kwargs)
        if not form.is_valid():
            errors = "；".join(str(e) for errs in form.errors.values() for e in errs)
            messages.error(request, _("未能执行：%s") % errors)
            return redirect("petitions:detail", pk=pk)
        data = form.cleaned_data
    elif action not in ("accept", "close"):
        raise PermissionDenied(action)
    try:
        _run(action, matter, request.user, data)
    except (ValidationError, ApplicationError) as exc:
        from shegong.core.errors import error_items

        messages.error(request, "；".join(i["reason"] for i in error_items(exc)))
    else:
        messages.success(request, _("已完成：%s") % services.TRANSITIONS[action].label)
    return redirect(reverse("petitions:detail", args=[pk]) + "#timeline")


# ---- mediation ---------------------------------------------------------------------------------


@scoped("petitions.view")
def mediation_detail(request, pk: int):
    mediation = selectors.mediation_for(request.user, pk)
    can_mediate = has_perm(request.user, "petitions.mediate") and mediation.outcome == "pending"
    return render(
        request,
        "petitions/mediation_detail.html",
        {
            "mediation": mediation,
            "matter": mediation.matter,
            "sessions": mediation.sessions.all(),
            "agreement": getattr(mediation, "agreement", None),
            "session_form": forms.SessionForm(initial={"held_on": timezone.localdate()})
            if can_mediate
            else None,
            "conclude_form": forms.ConcludeForm() if can_mediate else None,
        },
    )


@require_POST
@scoped("petitions.mediate")
def mediation_session(request, pk: int):
    mediation = selectors.mediation_for(request.user, pk)
    form = forms.SessionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        services.mediation_add_session(
            mediation=mediation, recorded_by=request.user, **form.cleaned_data
        )
        messages.success(request, _("已记录调解会。"))
    except (ValidationError, ApplicationError) as exc:
        from shegong.core.errors import error_items

        messages.error(request, "；".join(i["reason"] for i in error_items(exc)))
    return redirect("petitions:mediation", pk=pk)


@require_POST
@scoped("petitions.mediate")
def mediation_conclude(request, pk: int):
    mediation = selectors.mediation_for(request.user, pk)
    form = forms.ConcludeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        data = form.cleaned_data
        services.mediation_conclude(
            mediation=mediation,
            concluded_by=request.user,
            outcome=data["outcome"],
            note=data["note"],
            agreement=data if data["outcome"] == "agreement" else None,
        )
        messages.success(request, _("调解已结束。"))
    except (ValidationError, ApplicationError) as exc:
        from shegong.core.errors import error_items

        messages.error(request, "；".join(i["reason"] for i in error_items(exc)))
    return redirect("petitions:mediation", pk=pk)


@scoped("petitions.view")
def agreement_pdf(request, pk: int):
    mediation = selectors.mediation_for(request.user, pk)
    agreement = getattr(mediation, "agreement", None)
    if agreement is None:
        from django.http import Http404

        raise Http404
    response = HttpResponse(documents.agreement_pdf(agreement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agreement-{mediation.matter.number}.pdf"'
    return response


@scoped("petitions.view")
def attachment_download(request, pk: int, attachment_id: int):
    from django.http import FileResponse, Http404

    matter = selectors.get_matter_for(request.user, pk)
    attachment = matter.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@scoped("petitions.view")
def reply_pdf(request, pk: int):
    matter = selectors.get_matter_for(request.user, pk)
    if not matter.reply_text:
        raise Http404
    response = HttpResponse(documents.reply_pdf(matter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="reply-{matter.number}.pdf"'
    return response


@scoped("petitions.view")
def route_out_pdf(request, pk: int):
    matter = selectors.get_matter_for(request.user, pk)
    if not matter.routed_out_notice:
        raise Http404
    response = HttpResponse(documents.route_out_pdf(matter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{matter.number}.pdf"'
    return response


# ---- analysis ----------------------------------------------------------------------------------


@scoped("petitions.analyse")
def analysis(request):
    today = timezone.localdate()
    try:
        days = max(7, min(int(request.GET.get("days", 90)), 730))
    except ValueError:
        days = 90
    result = selectors.analysis(
        fetched_by=request.user, start=today - timedelta(days=days), end=today
    )
    chart = {
        "weeks": [w.isoformat() for w, _n in result.weekly],
        "counts": [n for _w, n in result.weekly],
        "categories": [c for c, _n in result.by_category],
        "category_counts": [n for _c, n in result.by_category],
    }
    return render(
        request,
        "petitions/analysis.html",
        {
            "result": result,
            "days": days,
            "chart": chart,
            "hot_spots": selectors.hot_spots(fetched_by=request.user, today=today),
        },
    )


# ---- routing table -----------------------------------------------------------------------------


@scoped("petitions.view")
def routing_table(request):
    can_edit = has_perm(request.user, "petitions.configure")
    form = forms.RoutingRuleForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("petitions.configure")
        if request.POST.get("delete"):
            rule = selectors.get_routing_rule(pk=request.POST["delete"])
            if rule is not None:
                services.routing_rule_delete(rule=rule, deleted_by=request.user)
                messages.success(request, _("已删除分流规则。"))
            return redirect("petitions:routing")
        if form.is_valid():
            try:
                services.routing_rule_save(saved_by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_to_form(form, exc)
            else:
                messages.success(request, _("已保存分流规则。"))
                return redirect("petitions:routing")
    return render(
        request,
        "petitions/routing_table.html",
        {"rules": selectors.routing_rules(), "form": form, "can_edit": can_edit},
    )
