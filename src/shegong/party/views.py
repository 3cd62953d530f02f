"""Pages of the party register: they parse input, call selectors and services, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shegong.core.access import scoped
from shegong.core.actions import attempt
from shegong.core.exports import excel_response
from shegong.core.listing import paginate
from shegong.core.permissions import has_perm
from shegong.party import forms, selectors, services
from shegong.party.models import PartyOrgKind


@scoped("party.view")
def organisation_list(request):
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    active = request.GET.get("active", "1")
    rows = selectors.party_organisation_list(fetched_by=request.user, kind=kind, q=q, active=active)
    listing = paginate(
        request,
        rows,
        sorts={
            "name": ("region_code", "name", "id"),
            "-established_on": ("-established_on", "-id"),
        },
        default="name",
    )
    return render(
        request,
        "party/organisation_list.html",
        {
            "listing": listing,
            "kind": kind,
            "kinds": PartyOrgKind.choices,
            "q": q,
            "active": active,
            "can_manage": has_perm(request.user, "party.manage"),
        },
    )


@scoped("party.manage")
def organisation_create(request):
    form = forms.PartyOrganisationCreateForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.party_organisation_create(
                acting_user=request.user, **form.cleaned_data
            ),
            form=form,
            success=_("已登记党组织。"),
        )
        if outcome:
            return redirect(outcome.value.get_absolute_url())
    return render(request, "party/form.html", {"form": form, "heading": _("登记党组织")})


@scoped("party.view")
def organisation_detail(request, pk: int):
    found = selectors.get_party_organisation_for(fetched_by=request.user, pk=pk)
    return render(
        request,
        "party/organisation_detail.html",
        {
            "party_org": found,
            "covered": selectors.coverage_of(fetched_by=request.user, party_org=found),
            "history": selectors.history_of(fetched_by=request.user, party_org=found),
            "can_manage": has_perm(request.user, "party.manage") and found.is_active,
            "dissolve_form": forms.DissolveForm(acting_user=request.user),
        },
    )


@scoped("party.manage")
def organisation_edit(request, pk: int):
    found = selectors.get_party_organisation_for(fetched_by=request.user, pk=pk)
    initial = {
        "name": found.name,
        "kind": found.kind,
        "established_on": found.established_on,
        "secretary": found.secretary,
        "members_count": found.members_count,
        "covered": selectors.coverage_of(fetched_by=request.user, party_org=found),
    }
    form = forms.PartyOrganisationForm(
        request.POST or None, initial=initial, acting_user=request.user
    )
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.party_organisation_update(
                acting_user=request.user, party_org=found, **form.cleaned_data
            ),
            form=form,
            success=_("已保存。"),
        )
        if outcome:
            return redirect(found.get_absolute_url())
    return render(
        request, "party/form.html", {"form": form, "heading": _("修改党组织：%s") % found.name}
    )


@scoped("party.manage")
def organisation_dissolve(request, pk: int):
    found = selectors.get_party_organisation_for(fetched_by=request.user, pk=pk)
    if request.method != "POST":
        raise Http404
    form = forms.DissolveForm(request.POST, acting_user=request.user)
    if form.is_valid():
        attempt(
            request,
            lambda: services.party_organisation_dissolve(
                acting_user=request.user, party_org=found, **form.cleaned_data
            ),  # a refusal is shown as a message on the page the user returns to
            success=_("已登记撤销。"),
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(found.get_absolute_url())


def _rollup(request):
    return selectors.coverage_rollup(
        fetched_by=request.user, region_code=request.GET.get("region", "")
    )


@scoped("party.view")
def coverage(request):
    return render(request, "party/coverage.html", {"rollup": _rollup(request)})


@scoped("party.view")
def coverage_export(request):
    rollup = _rollup(request)
    headers = [
        _("地区或单位"), _("应覆盖单位"), _("单独建立党组织"), _("联合党组织覆盖"), _("覆盖率"),
        _("社工站"), _("已覆盖社工站"), _("志愿服务队"), _("建有党组织的志愿服务队"),
        _("党组织"), _("党员人数"), _("党员社工"), _("党员志愿者"),
    ]  # fmt: skip
    rows = [
        [
            r.name,
            r.organisations,
            r.with_own,
            r.joint_covered,
            r.covered_share,
            r.stations,
            r.stations_covered,
            r.teams,
            r.teams_with,
            r.party_organisations,
            r.members,
            r.party_workers,
            r.party_volunteers,
        ]  # fmt: skip
        for r in [*rollup.rows, rollup.total]
    ]
    return excel_response(
        request,
        filename=f"party-coverage-{rollup.region_code}.xlsx",
        title=_("党组织覆盖"),
        headers=headers,
        rows=rows,
        audit_detail={"export": "party.coverage", "region": rollup.region_code},
    )
