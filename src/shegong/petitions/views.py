"""Staff pages: lists, registration, the matter page with its actions, mediation, analysis."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from shegong.core.access import scoped
from shegong.core.actions import attempt
from shegong.core.exports import excel_response
from shegong.core.history import history_of
from shegong.core.listing import paginate
from shegong.core.permissions import has_perm
from shegong.people import selectors as people_selectors
from shegong.petitions import documents, forms, selectors, services
from shegong.petitions.models import Channel, Matter
from shegong.petitions.workflow import MATTER, MEDIATION, Status

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
    form = forms.RegisterForm(
        request.POST or None, request.FILES or None, initial=initial, acting_user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            request,
            lambda: services.matter_register(
                acting_user=request.user,
                kind=data["kind"],
                channel=data["channel"],
                region_code=data["region"].code,
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
                review_choice=data.get("review_choice") or "",
            ),
            form=form,
        )
        if not outcome and any(e["field"] == "review_choice" for e in outcome.errors):
            form.offer_review()
        if outcome and getattr(outcome.value, "recorded_as", "") == "review":
            matter = outcome.value
            messages.success(
                request,
                _("已作为对事项 %(n)s 的%(k)s申请登记，不作为新事项。")
                % {"n": matter.number, "k": matter.get_status_display()},
            )
            return redirect("petitions:detail", pk=matter.pk)
        if outcome:
            matter = outcome.value
            if data.get("attachment"):
                services.attachment_add(
                    matter=matter.repeat_of if matter.is_repeat else matter,
                    upload=data["attachment"],
                    acting_user=request.user,
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
    """A dispute found during a care visit: the registration form, prefilled from the finding."""
    initial = {
        "received_on": timezone.localdate(),
        "channel": Channel.FIELD,
        "kind": "dispute",
        "finding_ref": ref,
    }
    found = people_selectors.finding_for(fetched_by=request.user, ref=ref)
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
    outcome = attempt(
        request,
        lambda: services.matter_create_from_finding(
            acting_user=request.user,
            finding_ref=f"visit:{visit.pk}",
            region_code=visit.region_code,
            category=selectors.category_by_code("other.other"),
            summary=summary[:4000],
            parties=[{"name": resident.name, "phone": resident.phone, "resident_id": resident.pk}],
        ),
        success=lambda matter: _("已登记为矛盾纠纷，编号 %(n)s。") % {"n": matter.number},
    )
    if not outcome:
        return redirect(request.META.get("HTTP_REFERER") or "petitions:list")
    matter = outcome.value
    return redirect("petitions:detail", pk=matter.pk)


def _proposal(user, matter: Matter):
    """The unit the routing table proposes, shown to whoever may route the matter now."""
    if MATTER.refusal(MATTER.by_name["route"], matter, user) is not None:
        return None
    return selectors.routing_proposal(matter) or False


@scoped("petitions.view")
def matter_detail(request, pk: int):
    matter = selectors.get_matter_for(fetched_by=request.user, pk=pk)
    return render(
        request,
        "petitions/matter_detail.html",
        {
            "matter": matter,
            "petitioners": matter.petitioners.all(),
            "events": selectors.timeline(matter),
            "proposal": _proposal(request.user, matter),
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
            **_rating_reviews(request.user, matter),
        },
    )


def _rating_reviews(user, matter: Matter) -> dict:
    reviews = list(
        selectors.rating_review_list(fetched_by=user, open_only=False)
        .filter(matter=matter)
        .select_related("closed_by")
    )
    pending = next((r for r in reviews if r.is_open), None)
    may_close = pending is not None and has_perm(user, "petitions.supervise")
    return {
        "rating_reviews": reviews,
        "review_form": forms.RatingReviewCloseForm(review=pending) if may_close else None,
    }


@require_POST
@scoped("petitions.supervise")
def rating_review_close(request, pk: int):
    review = selectors.get_rating_review_for(fetched_by=request.user, pk=pk)
    form = forms.RatingReviewCloseForm(request.POST)
    attempt(
        request,
        lambda: services.rating_review_close(
            review=review, acting_user=request.user, **_cleaned(form)
        ),
        success=_("已完成复核。"),
    )
    return redirect("petitions:detail", pk=review.matter_id)


# ---- mediation ---------------------------------------------------------------------------------


def _cleaned(form) -> dict:
    """The form's data, or its errors as the refusal `attempt` shows."""
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


@scoped("petitions.view")
def mediation_detail(request, pk: int):
    mediation = selectors.mediation_for(fetched_by=request.user, pk=pk)
    # the consent, session and conclusion forms show while the mediation's transitions are
    # open to the user (petitions.workflow.MEDIATION: petitions.mediate, still pending; sessions
    # and an agreement once both parties consented)
    available = {t.name for t in MEDIATION.available(mediation, request.user)}
    return render(
        request,
        "petitions/mediation_detail.html",
        {
            "mediation": mediation,
            "matter": mediation.matter,
            "sessions": mediation.sessions.all(),
            "consents": mediation.consents.all(),
            "agreement": getattr(mediation, "agreement", None),
            "consent_form": forms.ConsentForm(
                initial={"given_on": timezone.localdate()}, auto_id="consent-%s"
            )
            if "consent" in available
            else None,
            "session_form": forms.MediationSessionForm(
                initial={"held_on": timezone.localdate()}, subject=mediation
            )
            if "session" in available
            else None,
            "conclude_form": forms.ConcludeForm() if "fail" in available else None,
            "confirmation_form": forms.ConfirmationForm()
            if has_perm(request.user, "petitions.mediate")
            else None,
        },
    )


@require_POST
@scoped("petitions.mediate")
def agreement_confirmation(request, pk: int):
    mediation = selectors.mediation_for(fetched_by=request.user, pk=pk)
    agreement = getattr(mediation, "agreement", None)
    if agreement is None:
        raise Http404
    form = forms.ConfirmationForm(request.POST)
    attempt(
        request,
        lambda: services.agreement_record_confirmation(
            agreement=agreement, acting_user=request.user, **_cleaned(form)
        ),
        success=_("已记录当事人的选择。"),
    )
    return redirect("petitions:mediation", pk=pk)


@require_POST
@scoped("petitions.mediate")
def mediation_session(request, pk: int):
    mediation = selectors.mediation_for(fetched_by=request.user, pk=pk)
    form = forms.SessionForm(request.POST)
    attempt(
        request,
        lambda: services.mediation_add_session(
            mediation=mediation, acting_user=request.user, **_cleaned(form)
        ),
        success=_("已记录调解会。"),
    )
    return redirect("petitions:mediation", pk=pk)


@require_POST
@scoped("petitions.mediate")
def mediation_conclude(request, pk: int):
    mediation = selectors.mediation_for(fetched_by=request.user, pk=pk)
    form = forms.ConcludeForm(request.POST)

    def conclude():
        data = _cleaned(form)
        return services.mediation_conclude(
            mediation=mediation,
            acting_user=request.user,
            outcome=data["outcome"],
            note=data["note"],
            agreement=data if data["outcome"] == "agreement" else None,
        )

    attempt(request, conclude, success=_("调解已结束。"))
    return redirect("petitions:mediation", pk=pk)


@scoped("petitions.view")
def agreement_pdf(request, pk: int):
    mediation = selectors.mediation_for(fetched_by=request.user, pk=pk)
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

    matter = selectors.get_matter_for(fetched_by=request.user, pk=pk)
    attachment = matter.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@scoped("petitions.view")
def reply_pdf(request, pk: int):
    matter = selectors.get_matter_for(fetched_by=request.user, pk=pk)
    if not matter.reply_text:
        raise Http404
    response = HttpResponse(documents.reply_pdf(matter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="reply-{matter.number}.pdf"'
    return response


@scoped("petitions.view")
def route_out_pdf(request, pk: int):
    matter = selectors.get_matter_for(fetched_by=request.user, pk=pk)
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
                services.routing_rule_delete(rule=rule, acting_user=request.user)
                messages.success(request, _("已删除分流规则。"))
            return redirect("petitions:routing")
        if form.is_valid():
            if attempt(
                request,
                lambda: services.routing_rule_save(acting_user=request.user, **form.cleaned_data),
                form=form,
                success=_("已保存分流规则。"),
            ):
                return redirect("petitions:routing")
    return render(
        request,
        "petitions/routing_table.html",
        {"rules": selectors.routing_rules(), "form": form, "can_edit": can_edit},
    )
