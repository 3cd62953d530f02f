import html
from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
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
from shegong.core.registry import person_panels
from shegong.core.scoping import jurisdiction_of
from shegong.people import forms, selectors, services
from shegong.people.hooks import finding_actions
from shegong.people.models import (
    AssistanceKind,
    ResidentStatus,
    RiskLevel,
    Sex,
)
from shegong.regions.models import Region

SORTS = {
    "name": ("name", "id"),
    "region": ("region_id", "name", "id"),
    "-created": ("-created_at", "-id"),
}


def _filters(request) -> dict:
    return {
        "q": request.GET.get("q", "").strip(),
        "category": request.GET.get("category", ""),
        "risk": request.GET.get("risk", ""),
        "region_prefix": request.GET.get("region", "").strip(),
        "sex": request.GET.get("sex", ""),
    }


@scoped("people.view")
def resident_list(request):
    filters = _filters(request)
    residents = selectors.resident_list(fetched_by=request.user, **filters)
    # The whole country's list, unfiltered: its total may be PostgreSQL's estimate (labelled).
    national_unfiltered = jurisdiction_of(request.user).is_national and not any(filters.values())
    listing = paginate(
        request, residents, sorts=SORTS, default="region", estimate=national_unfiltered
    )
    return render(
        request,
        "people/resident_list.html",
        {
            "listing": listing,
            "filters": filters,
            "categories": selectors.category_list(),
            "risks": RiskLevel.choices,
            "sexes": Sex.choices,
            "may": {p: has_perm(request.user, f"people.{p}") for p in ("export", "import", "edit")},
        },
    )


@scoped("people.export")
def resident_export(request):
    filters = _filters(request)
    residents = (
        selectors.resident_list(fetched_by=request.user, **filters)
        .prefetch_related("category_links__category")
        .order_by("region_id", "name")
    )
    full = has_perm(request.user, "people.reveal_id")
    sensitive = selectors.may_see_sensitive(fetched_by=request.user)

    def rows():
        from shegong.core.crypto import decrypt

        for r in residents.iterator(chunk_size=2000):
            yield [
                r.name,
                decrypt(r.id_number_encrypted) if full else r.id_number_masked,
                r.get_sex_display(),
                r.birth_date.isoformat(),
                r.phone,
                r.address,
                r.region_id,
                "、".join(link.category.name for link in r.category_links.all()),
                r.get_risk_level_display() if r.risk_level else "",
                r.health_notes if sensitive else "",
            ]

    headers = [services.IMPORT_COLUMNS[c][0] for c in services.EXPORT_COLUMNS]
    headers += [_("风险等级"), _("健康状况")]
    return excel_response(
        request,
        filename="residents.xlsx",
        title=pgettext("plural", "服务对象"),
        headers=headers,
        rows=rows(),
        audit_detail={"list": "residents", "full_id": full, **filters},
    )


def _resident_form_view(request):
    form = forms.ResidentForm(request.POST or None, acting_user=request.user)
    duplicates, confirm_needed = [], False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create():
            nonlocal duplicates, confirm_needed
            try:
                return services.resident_create(
                    acting_user=request.user,
                    name=data["name"],
                    id_number=data["id_number"],
                    region=data["region"],
                    phone=data["phone"],
                    address=data["address"],
                    sex=data["sex"],
                    birth_date=data["birth_date"],
                    categories=list(data["categories"]),
                    health_notes=data["health_notes"],
                    disability_level=data["disability_level"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    confirm_duplicates=data["confirm_duplicates"],
                )
            except services.PossibleDuplicates as exc:
                # This refusal carries the candidates to show; `attempt` explains it on the form.
                duplicates, confirm_needed = exc.candidates, True
                raise

        outcome = attempt(
            request,
            create,
            form=form,
            success=lambda resident: (
                _("已登记：%(n)s（%(s)s，%(b)s 出生）")
                % {"n": resident.name, "s": resident.get_sex_display(), "b": resident.birth_date}
            ),
        )
        if outcome:
            return redirect("people:detail", pk=outcome.value.pk)
        for name in form.errors:
            if name in form.fields:
                form.fields[name].widget.attrs["class"] += " is-invalid"
    return render(
        request,
        "people/resident_form.html",
        {"form": form, "duplicates": duplicates, "confirm_needed": confirm_needed},
    )


@scoped("people.edit")
def resident_create(request):
    return _resident_form_view(request)


@scoped("people.edit")
def resident_edit(request, pk: int):
    resident = selectors.get_resident_for(fetched_by=request.user, pk=pk)
    initial = {
        "name": resident.name,
        "phone": resident.phone,
        "region": resident.region_id,
        "address": resident.address,
        "categories": list(resident.categories.all()),
        "latitude": resident.latitude,
        "longitude": resident.longitude,
        "health_notes": resident.health_notes,
        "disability_level": resident.disability_level,
        "status": resident.status,
    }
    form = forms.ResidentEditForm(request.POST or None, initial=initial, acting_user=request.user)
    if not selectors.may_see_sensitive(fetched_by=request.user):
        del form.fields["health_notes"]
        del form.fields["disability_level"]
    if resident.merged_into_id:  # a merged record keeps its status
        del form.fields["status"]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        cats = list(data.pop("categories"))

        def save():
            services.resident_update(resident=resident, acting_user=request.user, data=data)
            services.resident_set_categories(
                resident=resident, categories=cats, acting_user=request.user
            )

        if attempt(request, save, form=form, success=_("已保存修改。")):
            return redirect("people:detail", pk=resident.pk)
    return render(request, "people/resident_edit.html", {"form": form, "resident": resident})


@scoped("people.view")
def resident_detail(request, pk: int):
    resident = selectors.get_resident_for(fetched_by=request.user, pk=pk)
    if resident.merged_into_id:
        messages.info(request, _("该记录已合并到另一条记录。"))
    plan = selectors.visit_plan_of(resident=resident)
    panels = []
    for provider in person_panels:
        panel = provider(request, resident)
        if panel:
            panels.append(panel)
    visits = list(selectors.visits_for(resident)[:30])
    return render(
        request,
        "people/resident_detail.html",
        {
            "resident": resident,
            "links": resident.category_links.select_related("category"),
            "members": resident.members.all(),
            "assessment": resident.assessments.first(),
            "plan": plan,
            "visits": visits,
            "assistance": resident.assistance.all()[:50],
            "panels": panels,
            "sensitive": selectors.may_see_sensitive(fetched_by=request.user),
            "may_reveal": has_perm(request.user, "people.reveal_id"),
            "may_edit": has_perm(request.user, "people.edit"),
            "may_assess": has_perm(request.user, "people.assess"),
            "may_visit": has_perm(request.user, "people.visit"),
            "may_assist": has_perm(request.user, "people.assist"),
            "may_merge": has_perm(request.user, "people.merge"),
            "history": history_of(
                resident, limit=20, hidden=selectors.hidden_history_fields(fetched_by=request.user)
            ),
            "event_form": forms.EventForm(initial={"occurred_on": date.today()}),
            "member_form": forms.MemberForm(),
        },
    )


@require_POST
@scoped("people.reveal_id")
def resident_reveal(request, pk: int):
    resident = selectors.get_resident_for(fetched_by=request.user, pk=pk)
    number = reveal(user=request.user, obj=resident, field="id_number", request=request)
    return render(request, "people/partials/revealed.html", {"number": number})


@scoped("people.view")
def resident_lookup(request):
    number = request.GET.get("id_number", "").strip()
    resident = selectors.resident_by_id_number(fetched_by=request.user, number=number)
    if resident is None:
        messages.warning(request, _("辖区内没有找到该身份证号码对应的服务对象。"))
        return redirect("people:list")
    return redirect("people:detail", pk=resident.pk)


@scoped("people.assess")
def resident_assess(request, pk: int):
    resident = selectors.get_resident_for(fetched_by=request.user, pk=pk)
    form = forms.AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.assessment_create(
                resident=resident, acting_user=request.user, answers=form.cleaned_data
            ),
            form=form,
            success=lambda assessment: (
                _("评估完成：%(l)s（%(s)d 分），下次探访截止 %(d)s")
                % {
                    "l": assessment.get_risk_level_display(),
                    "s": assessment.score,
                    "d": resident.visit_plan.next_due_date,
                }
            ),
        )
        if outcome:
            return redirect("people:detail", pk=resident.pk)
    return render(request, "people/assess.html", {"form": form, "resident": resident})


@scoped("people.visit")
def visit_create(request, pk: int):
    resident = selectors.get_resident_for(fetched_by=request.user, pk=pk)
    form = forms.VisitForm(
        request.POST or None,
        request.FILES or None,
        initial={"visited_on": date.today(), "visitors": str(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.visit_record(
                resident=resident, acting_user=request.user, **form.cleaned_data
            ),
            form=form,
            success=lambda visit: _visit_recorded(resident),
        )
        if outcome:
            return redirect("people:visit_detail", pk=outcome.value.pk)
    return render(request, "people/visit_form.html", {"form": form, "resident": resident})


def _visit_recorded(resident) -> str:
    plan = selectors.visit_plan_of(resident=resident)
    msg = _("已记录探访。")
    if plan:
        msg += _("下次探访截止 %(d)s。") % {"d": plan.next_due_date}
    return msg


@scoped("people.view")
def visit_detail(request, pk: int):
    visit = selectors.get_visit_for(fetched_by=request.user, pk=pk)
    actions = []
    for action in finding_actions:
        actions.append(
            {
                "label": action.label,
                "url": action.url(visit),
                "allowed": has_perm(request.user, action.perm),
                "linked": action.linked(visit, request.user),
            }
        )
    return render(
        request,
        "people/visit_detail.html",
        {
            "visit": visit,
            "resident": visit.resident,
            "actions": actions,
            "findings": selectors.visit_findings(visit=visit, fetched_by=request.user),
        },
    )


@scoped("people.view")
def visit_photo(request, pk: int):
    """Visit photos are personal data: served only through the scoped visit, never /media/."""
    from django.http import FileResponse

    visit = selectors.get_visit_for(fetched_by=request.user, pk=pk)
    if not visit.photo:
        raise Http404("Not found")
    return FileResponse(visit.photo.open("rb"))


@require_POST
@scoped("people.visit")
def plan_event(request, pk: int):
    resident = selectors.get_resident_for(fetched_by=request.user, pk=pk)
    form = forms.EventForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.plan_record_event(
                resident=resident,
                event=form.cleaned_data["event"],
                occurred_on=form.cleaned_data["occurred_on"],
                acting_user=request.user,
            ),
            success=lambda plan: (
                _("已登记重大事件，须在 %(d)s 前探访。") % {"d": plan.next_due_date}
            ),
        )
    return redirect("people:detail", pk=resident.pk)


@require_POST
@scoped("people.edit")
def member_add(request, pk: int):
    resident = selectors.get_resident_for(fetched_by=request.user, pk=pk)
    form = forms.MemberForm(request.POST)
    if form.is_valid():
        services.member_add(resident=resident, acting_user=request.user, data=form.cleaned_data)
        messages.success(request, _("已添加家庭成员/联系人。"))
    else:
        messages.error(request, _("请填写姓名和关系。"))
    return redirect("people:detail", pk=resident.pk)


@scoped("people.assist")
def assistance_create(request, pk: int):
    resident = selectors.get_resident_for(fetched_by=request.user, pk=pk)
    form = forms.AssistanceForm(request.POST or None, initial={"given_on": date.today()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["amount"] = data["amount"] or 0
        data["quantity"] = data["quantity"] or 0
        if attempt(
            request,
            lambda: services.assistance_create(
                resident=resident, acting_user=request.user, data=data
            ),
            form=form,
            success=_("已记录帮扶。"),
        ):
            return redirect("people:detail", pk=resident.pk)
    return render(request, "people/assistance_form.html", {"form": form, "resident": resident})


@require_POST
@scoped("people.assist")
def adaptation_advance(request, pk: int):
    """The old "next step" route: the project's one declared step from its state."""
    item = selectors.get_adaptation_for(fetched_by=request.user, pk=pk)
    attempt(
        request,
        lambda: services.adaptation_advance(assistance=item, acting_user=request.user),
        success=lambda a: _("改造进度已更新为：%(s)s") % {"s": a.get_project_status_display()},
    )
    return redirect("people:detail", pk=item.resident_id)


@scoped("people.merge")
def resident_merge(request, pk: int):
    keep = selectors.get_resident_for(fetched_by=request.user, pk=pk)
    form = forms.MergeForm(request.POST or None)
    other = None
    if request.method == "POST" and form.is_valid():
        other = selectors.get_resident_for(fetched_by=request.user, pk=form.cleaned_data["other"])
        if request.POST.get("confirm") == "1" and attempt(
            request,
            lambda: services.resident_merge(
                keep=keep, remove=other, acting_user=request.user, request=request
            ),
            form=form,
            success=_("已合并记录。"),
        ):
            return redirect("people:detail", pk=keep.pk)
    candidates = selectors.find_duplicates(
        fetched_by=request.user,
        name=keep.name,
        birth_date=keep.birth_date,
        county_code=keep.county_code,
        phone=keep.phone,
        exclude_pk=keep.pk,
    ).found
    return render(
        request,
        "people/merge.html",
        {"form": form, "resident": keep, "other": other, "candidates": candidates},
    )


@scoped("people.import")
def resident_import(request):
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = attempt(
            request,
            lambda: services.residents_import(
                acting_user=request.user,
                upload=upload.file,
                filename=upload.name,
                all_or_nothing=form.cleaned_data["all_or_nothing"],
                request=request,
            ),
            form=form,
        ).value
    return render(
        request,
        "people/import.html",
        {"form": form, "result": result, "columns": services.IMPORT_COLUMNS},
    )


# "My visits" rows are written in one pass here rather than by the template engine, which
# resolved about a dozen variables per row and took longer than the query that found them.
_DUE_ROW = (
    '<tr data-testid="due-row"><td><a href="{}">{}</a>{}</td>'
    '<td><span class="badge {}">{}</span></td><td>{}{}</td><td>{}</td>'
    '<td><a class="btn btn-sm btn-primary" href="{}">{}</a></td></tr>'
)
_ROUTE_ITEM = '<li class="list-group-item">{} <span class="text-secondary small">{}</span></li>'


def _due_rows_html(plans, record_label: str) -> str:
    esc = html.escape  # every value is a plain str (names, addresses, translated labels)
    parts = []
    for p in plans:
        note = (
            f' <span class="badge bg-orange-lt">{esc(p.event_note)}</span>' if p.event_note else ""
        )
        state = (
            f' <span class="badge {p.state_class}">{esc(p.state_label)}</span>'
            if p.state_label
            else ""
        )
        parts.append(
            _DUE_ROW.format(
                p.detail_url,
                esc(p.resident.name),
                note,
                p.risk_class or "text-secondary",
                esc(p.risk_label),
                p.due_text,
                state,
                p.last_text,
                p.visit_url,
                record_label,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or ours


def _route_html(route) -> str:
    esc = html.escape
    items = (_ROUTE_ITEM.format(esc(p.resident.name), esc(p.resident.address)) for p in route)
    return mark_safe("".join(items))  # noqa: S308 - names and addresses are escaped


@scoped("people.visit")
def my_visits(request):
    data = selectors.my_visits(fetched_by=request.user)
    record_label = conditional_escape(_("记录探访"))
    for group in data["groups"]:
        group.rows_html = _due_rows_html(group.plans, record_label)
    data["route_html"] = _route_html(data["route"])
    return render(request, "people/my_visits.html", data)


def _rollup_region(request) -> Region:
    return selectors.rollup_region(fetched_by=request.user, code=request.GET.get("region", ""))


@scoped("people.rollup")
def overdue_rollup(request):
    region = _rollup_region(request)
    rows, total = selectors.visit_rollup(region=region)
    overdue = selectors.overdue_plans(fetched_by=request.user, region_prefix=region.prefix)
    listing = paginate(request, overdue, sorts={"due": ("next_due_date", "id")}, default="due")
    return render(
        request,
        "people/overdue.html",
        {
            "region": region,
            "ancestors": [
                a for a in region.ancestors() if jurisdiction_of(request.user).contains(a.code)
            ],
            "rows": rows,
            "total": total,
            "listing": listing,
            "today": date.today(),
        },
    )


@scoped("people.rollup")
def assistance_rollup(request):
    region = _rollup_region(request)
    year = request.GET.get("year", "")
    data = selectors.assistance_rollup(region=region, year=int(year) if year.isdigit() else None)
    return render(
        request,
        "people/assistance_rollup.html",
        {"region": region, "kinds": AssistanceKind.choices, **data},
    )


@scoped("people.configure")
def cadence(request):
    jurisdiction = jurisdiction_of(request.user)
    province = jurisdiction.prefix[:2]
    form = forms.CadenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not province:
            form.add_error(None, _("全国默认频次由系统管理员在管理后台设置。"))
        elif attempt(
            request,
            lambda: services.cadence_set(
                province_code=province, acting_user=request.user, **form.cleaned_data
            ),
            form=form,
            success=_("已保存本省探访频次。"),
        ):
            return redirect("people:cadence")
    rows = []
    for level, label in RiskLevel.choices:
        days, hours = services.cadence_for(province, level)
        rows.append({"level": label, "days": days, "hours": hours})
    return render(
        request,
        "people/cadence.html",
        {
            "form": form,
            "rows": rows,
            "province": province,
            "custom": selectors.province_has_custom_cadence(province=province)
            if province
            else False,
        },
    )


@scoped("people.view")
def statistics(request):
    return render(
        request,
        "people/statistics.html",
        {
            **selectors.resident_statistics(fetched_by=request.user),
            "sexes": dict(Sex.choices),
            "risks": dict(RiskLevel.choices),
            "statuses": ResidentStatus.choices,
        },
    )


# ---- the category taxonomy (服务对象类别) ----------------------------------------------------


@scoped("people.view")
def category_list(request):
    return render(
        request,
        "people/category_list.html",
        {
            "categories": selectors.category_list(),
            "may_edit": selectors.may_edit_categories(fetched_by=request.user),
        },
    )


@scoped("people.categories")
def category_create(request):
    selectors.ensure_may_edit_categories(fetched_by=request.user)
    form = forms.CategoryForm(request.POST or None, initial={"cared_for": True})
    if request.method == "POST" and form.is_valid():
        if attempt(
            request,
            lambda: services.category_create(acting_user=request.user, data=form.cleaned_data),
            form=form,
            success=lambda c: _("已新增类别：%(name)s") % {"name": c.name},
        ):
            return redirect("people:categories")
    return render(request, "people/category_form.html", {"form": form, "category": None})


@scoped("people.categories")
def category_edit(request, pk: int):
    category = selectors.get_category_for(pk=pk)
    selectors.ensure_may_edit_categories(fetched_by=request.user)
    form = forms.CategoryForm(
        request.POST or None,
        editing=True,
        initial={
            "name": category.name,
            "cared_for": category.cared_for,
            "has_level": category.has_level,
            "order": category.order,
        },
    )
    if request.method == "POST" and form.is_valid():
        if attempt(
            request,
            lambda: services.category_update(
                category=category, acting_user=request.user, data=form.cleaned_data
            ),
            form=form,
            success=lambda c: _("已保存类别：%(name)s") % {"name": c.name},
        ):
            return redirect("people:categories")
    return render(
        request,
        "people/category_form.html",
        {"form": form, "category": category, "history": history_of(category)},
    )
