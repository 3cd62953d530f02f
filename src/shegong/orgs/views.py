from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shegong.core.access import scoped
from shegong.core.actions import attempt
from shegong.core.exports import excel_response
from shegong.core.history import history_of
from shegong.core.listing import paginate
from shegong.core.permissions import has_perm
from shegong.core.scoping import jurisdiction_of
from shegong.orgs import selectors, services
from shegong.orgs.forms import ImportForm, OrganisationForm, StaffingStandardForm
from shegong.orgs.models import Kind, Sector

SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "region": ("region_id", "name", "id"),
    "-region": ("-region_id", "name", "id"),
    "-updated": ("-updated_at", "-id"),
}


def _filters(request) -> dict:
    return {
        "kind": request.GET.get("kind", ""),
        "region_prefix": request.GET.get("region", "").strip(),
        "q": request.GET.get("q", "").strip(),
        "sector": request.GET.get("sector", ""),
    }


@scoped("orgs.view")
def organisation_list(request):
    filters = _filters(request)
    orgs = selectors.organisation_list(fetched_by=request.user, **filters)
    listing = paginate(request, orgs, sorts=SORTS, default="region")
    return render(
        request,
        "orgs/organisation_list.html",
        {
            "listing": listing,
            "filters": filters,
            "kinds": Kind.choices,
            "sectors": Sector.choices,
        },
    )


@scoped("orgs.export")
def organisation_export(request):
    filters = _filters(request)
    orgs = selectors.organisation_list(fetched_by=request.user, **filters).order_by(
        "region_id", "name"
    )
    rows = (
        [
            o.name,
            o.get_kind_display(),
            o.region_id,
            o.credit_code,
            o.get_sector_display() if o.sector else "",
            o.address,
            o.phone,
            o.contact_person,
            o.opening_hours,
            "；".join(o.service_list),
            o.latitude,
            o.longitude,
        ]
        for o in orgs.iterator(chunk_size=2000)
    )
    headers = [services.IMPORT_COLUMNS[c][0] for c in services.EXPORT_COLUMNS]
    return excel_response(
        request,
        filename="organisations.xlsx",
        title=pgettext("plural", "组织"),
        headers=headers,
        rows=rows,
        audit_detail={"list": "organisations", **filters},
    )


@scoped("orgs.view")
def organisation_detail(request, pk: int):
    org = selectors.get_organisation_for(fetched_by=request.user, pk=pk)
    staffing = None
    if org.kind == Kind.SOCIAL_WORK_STATION:
        staffing = selectors.station_staffing(fetched_by=request.user, station=org)
    return render(
        request,
        "orgs/organisation_detail.html",
        {"org": org, "history": history_of(org), "staffing": staffing},
    )


def _form_view(request, org=None):
    parents = selectors.supervisor_choices(fetched_by=request.user)
    if request.method == "POST":
        form = OrganisationForm(request.POST, parents=parents, acting_user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if org is None:
                outcome = attempt(
                    request,
                    lambda: services.organisation_create(acting_user=request.user, data=data),
                    form=form,
                    success=lambda created: _("已创建组织：%(n)s") % {"n": created.name},
                )
            else:
                outcome = attempt(
                    request,
                    lambda: services.organisation_update(
                        organisation=org, acting_user=request.user, data=data
                    ),
                    form=form,
                    success=_("已保存修改。"),
                )
            if outcome:
                return redirect("orgs:detail", pk=outcome.value.pk)
            form.mark_invalid()
    else:
        form = OrganisationForm(
            initial=OrganisationForm.initial_from(org) if org else {},
            parents=parents,
            acting_user=request.user,
        )
    return render(request, "orgs/organisation_form.html", {"form": form, "org": org})


@scoped("orgs.edit")
def organisation_create(request):
    return _form_view(request)


@scoped("orgs.edit")
def organisation_edit(request, pk: int):
    org = selectors.get_organisation_for(fetched_by=request.user, pk=pk)
    return _form_view(request, org)


@scoped("orgs.import")
def organisation_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = attempt(
            request,
            lambda: services.organisations_import(
                acting_user=request.user,
                upload=upload.file,
                filename=upload.name,
                all_or_nothing=form.cleaned_data["all_or_nothing"],
            ),
            form=form,
        ).value
    return render(
        request,
        "orgs/organisation_import.html",
        {"form": form, "result": result, "columns": services.IMPORT_COLUMNS},
    )


# ---- staffing standards of township social work stations ---------------------------------------


def _standard_data(data: dict) -> dict:
    fen = data.get("funding_per_station")
    region = data.get("region")
    return {
        "region_code": region.code if region is not None else "",
        "workers_per_station": data["workers_per_station"],
        "funding_per_station": round(fen * 100) if fen is not None else None,
        "document_title": data["document_title"],
        "document_number": data.get("document_number", ""),
        "issued_on": data.get("issued_on"),
        "url": data.get("url", ""),
        "note": data.get("note", ""),
    }


@scoped("orgs.view")
def staffing_standard_list(request):
    """The standards that apply in the user's jurisdiction and those set inside it; an
    administrator whose jurisdiction covers a province or city sets its standard here."""
    form = None
    if has_perm(request.user, "orgs.standards_edit"):
        form = StaffingStandardForm(request.POST or None, acting_user=request.user)
        if request.method == "POST" and form.is_valid():
            data = _standard_data(form.cleaned_data)
            outcome = attempt(
                request,
                lambda: services.staffing_standard_set(acting_user=request.user, **data),
                form=form,
                fields={"region_code": "region"},
                success=_("已保存配备标准。"),
            )
            if outcome:
                return redirect("orgs:standard", pk=outcome.value.pk)
    elif request.method == "POST":
        raise PermissionDenied
    standards = selectors.staffing_standard_list(fetched_by=request.user)
    names = selectors.standard_place_names(standards)
    for standard in standards:
        standard.place = names.get(standard.region_code, standard.region_code)
    return render(
        request,
        "orgs/staffing_standard_list.html",
        {
            "standards": standards,
            "applies": selectors.staffing_standard_resolve(
                jurisdiction_of(request.user).region_code or ""
            ),
            "form": form,
        },
    )


@scoped("orgs.view")
def staffing_standard_detail(request, pk: int):
    standard = selectors.get_staffing_standard_for(fetched_by=request.user, pk=pk)
    return render(
        request,
        "orgs/staffing_standard_detail.html",
        {
            "standard": standard,
            "place": selectors.standard_place_names([standard]).get(standard.region_code),
            "history": history_of(standard),
        },
    )
