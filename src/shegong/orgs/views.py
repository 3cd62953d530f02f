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
from shegong.orgs.duties import duty_role_choices, may_edit_duties
from shegong.orgs.forms import (
    DutyItemFormSet,
    DutyListForm,
    DutySearchForm,
    ImportForm,
    OrganisationForm,
    StaffingStandardForm,
)
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
        {
            "org": org,
            "history": history_of(org),
            "staffing": staffing,
            "duty_lists": selectors.duty_lists_current(fetched_by=request.user, organisation=org),
            "duties_editable": may_edit_duties(request.user, org),
        },
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


# ---- duty lists (职责清单) ---------------------------------------------------------------------


@scoped("orgs.view")
def duty_list_versions(request, pk: int):
    """Every version of the unit's lists (the one in force and those it superseded)."""
    org = selectors.get_organisation_for(fetched_by=request.user, pk=pk)
    return render(
        request,
        "orgs/duty_list_versions.html",
        {
            "org": org,
            "versions": selectors.duty_list_versions(fetched_by=request.user, organisation=org),
            "duties_editable": may_edit_duties(request.user, org),
        },
    )


@scoped("orgs.view")
def duty_list_detail(request, pk: int, list_pk: int):
    org = selectors.get_organisation_for(fetched_by=request.user, pk=pk)
    duty_list = selectors.get_duty_list_for(fetched_by=request.user, organisation=org, pk=list_pk)
    return render(
        request,
        "orgs/duty_list_detail.html",
        {
            "org": org,
            "duty_list": duty_list,
            "items": selectors.duty_items_of(duty_list),
            "history": history_of(duty_list),
        },
    )


def _item_rows(formset) -> list[dict]:
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


@scoped("orgs.duties_edit")
def duty_list_edit(request, pk: int):
    """The unit's own edit page: save its draft, or publish it as the next version."""
    org = selectors.get_organisation_for(fetched_by=request.user, pk=pk)
    if not may_edit_duties(request.user, org):
        raise PermissionDenied
    role = request.POST.get("role", request.GET.get("role", ""))
    if role and role not in dict(duty_role_choices()):
        role = ""
    start = selectors.duty_list_for_editing(fetched_by=request.user, organisation=org, role=role)
    if request.method == "POST":
        form = DutyListForm(request.POST, acting_user=request.user)
        formset = DutyItemFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid():
            rows = _item_rows(formset)
            note = form.cleaned_data["note"]
            if "publish" in request.POST:
                outcome = attempt(
                    request,
                    lambda: services.duty_list_publish(
                        acting_user=request.user, organisation=org, role=role, items=rows, note=note
                    ),
                    form=form,
                    success=lambda d: _("已发布职责清单第 %(v)s 版。") % {"v": d.version},
                )
                if outcome:
                    return redirect("orgs:detail", pk=org.pk)
            else:
                outcome = attempt(
                    request,
                    lambda: services.duty_list_draft(
                        acting_user=request.user, organisation=org, role=role, items=rows, note=note
                    ),
                    form=form,
                    success=_("已保存草稿。"),
                )
                if outcome:
                    return redirect(f"{request.path}?role={role}")
    else:
        items = selectors.duty_items_of(start) if start is not None else []
        formset = DutyItemFormSet(
            prefix="items",
            initial=[
                {
                    "title": i.title,
                    "basis": i.basis,
                    "description": i.description,
                    "keywords": i.keywords,
                }
                for i in items
            ],
        )
        form = DutyListForm(
            initial={"note": start.note if start and start.status == "draft" else ""},
            acting_user=request.user,
        )
    return render(
        request,
        "orgs/duty_list_form.html",
        {
            "org": org,
            "form": form,
            "formset": formset,
            "role": role,
            "roles": duty_role_choices(),
            "start": start,
        },
    )


@scoped("orgs.view")
def duty_search(request):
    """Whose duty is it (这是谁的职责): a text → the units of the jurisdiction whose published
    duty items match, with those items."""
    form = DutySearchForm(request.GET or None)
    holders = None
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            holders = selectors.duty_holders(fetched_by=request.user, text=query, limit=20)
    return render(
        request,
        "orgs/duty_search.html",
        {"form": form, "holders": holders, "query": query},
    )
