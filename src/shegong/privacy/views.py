"""Consent records on the resident's page, the per-resident processing log (page and Excel) and
the retention policy. Thin: selectors read, services write."""

from __future__ import annotations

from datetime import date

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.core.access import scoped
from shegong.core.actions import attempt
from shegong.core.exports import excel_response
from shegong.core.permissions import has_perm
from shegong.core.scoping import jurisdiction_of
from shegong.people.selectors import get_resident_for
from shegong.privacy import forms, retention, selectors, services


def consent_panel(request, resident) -> dict | None:
    """The consent section of a resident's page (core.registry.person_panels)."""
    if not has_perm(request.user, "people.view"):
        return None
    return {
        "title": _("个人信息处理同意"),
        "template": "privacy/partials/consents.html",
        "consents": list(selectors.consents_of(fetched_by=request.user, resident=resident)),
        "may_record": selectors.may_record_consent(fetched_by=request.user),
        "may_log": has_perm(request.user, "privacy.processing_log"),
        "resident_id": resident.pk,
    }


@scoped("privacy.record_consent")
def consent_create(request, pk: int):
    resident = get_resident_for(fetched_by=request.user, pk=pk)
    form = forms.ConsentForm(request.POST or None, initial={"given_on": date.today()})
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.consent_record(
                acting_user=request.user, resident=resident, request=request, **form.cleaned_data
            ),
            form=form,
            success=lambda consent: (
                _("已登记：%(p)s（%(b)s）")
                % {"p": consent.get_purpose_display(), "b": consent.get_basis_display()}
            ),
        )
        if outcome:
            return redirect("people:detail", pk=resident.pk)
    return render(
        request,
        "privacy/consent_form.html",
        {"form": form, "resident": resident, "rules": selectors.purpose_rules()},
    )


@scoped("privacy.record_consent")
def consent_withdraw(request, pk: int):
    consent = selectors.get_consent_for(fetched_by=request.user, pk=pk)
    form = forms.WithdrawForm(request.POST or None, initial={"withdrawn_on": date.today()})
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.consent_withdraw(
                acting_user=request.user, consent=consent, request=request, **form.cleaned_data
            ),
            form=form,
            success=_("已登记撤回：%(p)s") % {"p": consent.get_purpose_display()},
        )
        if outcome:
            return redirect("people:detail", pk=consent.resident_id)
    rule = next(r for r in selectors.purpose_rules() if r["purpose"] == consent.purpose)
    return render(
        request,
        "privacy/consent_withdraw.html",
        {"form": form, "consent": consent, "resident": consent.resident, "rule": rule},
    )


@scoped("privacy.processing_log")
def processing_log(request, pk: int):
    resident, entries = selectors.processing_log(fetched_by=request.user, resident_id=pk)
    return render(
        request, "privacy/processing_log.html", {"resident": resident, "entries": entries}
    )


@scoped("privacy.processing_log")
def processing_log_export(request, pk: int):
    resident, entries = selectors.processing_log(fetched_by=request.user, resident_id=pk)
    rows = ([_excel_time(e.at), e.category_label, e.what, e.actor, e.detail] for e in entries)
    return excel_response(
        request,
        filename=f"processing-log-{resident.pk}.xlsx",
        title=_("个人信息处理记录"),
        headers=[_("时间"), _("类别"), _("事项"), _("操作人"), _("详情")],
        rows=rows,
        audit_detail={"list": "processing_log", "resident": resident.pk},
    )


def _excel_time(value) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


@scoped("privacy.retention")
def retention_policy(request):
    jurisdiction = jurisdiction_of(request.user)
    due = retention.due(prefix=jurisdiction.prefix)
    return render(
        request,
        "privacy/retention.html",
        {
            "kinds": [{**row, "due": due.get(row["key"], 0)} for row in retention.policy()],
            "rules": selectors.purpose_rules(),
            "people_url": reverse("people:list"),
        },
    )
