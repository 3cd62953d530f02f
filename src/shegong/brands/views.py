"""Pages of the brand register. They parse input, call services through `attempt`, and read
through selectors."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.brands import forms, selectors, services
from shegong.brands.models import Brand, Level
from shegong.core.access import scoped
from shegong.core.actions import attempt
from shegong.core.exports import excel_response
from shegong.core.listing import paginate
from shegong.core.permissions import has_perm


def _year(request) -> int:
    this = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this))
    except (TypeError, ValueError):
        return this
    return year if 2000 <= year <= this + 1 else this


def _filters(request) -> dict:
    return {
        "q": request.GET.get("q", "").strip()[:100],
        "kind": request.GET.get("kind", ""),
        "level": request.GET.get("level", ""),
    }


@scoped("brands.view")
def brand_list(request):
    filters = _filters(request)
    brands = selectors.brand_list(fetched_by=request.user, **filters)
    listing = paginate(
        request,
        brands,
        sorts={"name": ("region_code", "name", "id"), "-started": ("-started_on", "-id")},
        default="name",
    )
    return render(
        request,
        "brands/brand_list.html",
        {
            "listing": listing,
            **filters,
            "kinds": Brand.Kind.choices,
            "levels": Level.choices,
            "year": _year(request),
            "can_manage": has_perm(request.user, "brands.manage"),
        },
    )


@scoped("brands.view")
def brand_export(request):
    filters = _filters(request)
    year = _year(request)
    headers = [
        _("品牌名称"), _("品牌类别"), _("主办单位"), _("区划代码"), _("创建日期"), _("认定等级"),
        _("关联活动"), _("服务人数"), _("服务时长（小时）"), _("满意率"),
    ]  # fmt: skip
    return excel_response(
        request,
        filename=f"brands-{year}.xlsx",
        title=_("品牌项目"),
        headers=headers,
        rows=selectors.export_rows(fetched_by=request.user, year=year, **filters),
        audit_detail={"export": "brands", "year": year},
    )


@scoped("brands.manage")
def brand_create(request):
    form = forms.BrandCreateForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.brand_register(acting_user=request.user, **form.cleaned_data),
            form=form,
            success=_("已登记品牌项目。"),
        )
        if outcome:
            return redirect(outcome.value.get_absolute_url())
    return render(
        request,
        "brands/form.html",
        {"form": form, "heading": _("登记品牌项目")},
        status=422 if request.method == "POST" else 200,
    )


@scoped("brands.manage")
def brand_edit(request, pk: int):
    brand = selectors.get_brand_for(fetched_by=request.user, pk=pk)
    initial = {
        "name": brand.name,
        "kind": brand.kind,
        "description": brand.description,
        "started_on": brand.started_on,
        "target_groups": list(brand.target_groups.all()),
    }
    form = forms.BrandForm(request.POST or None, initial=initial, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.brand_update(
                acting_user=request.user, brand=brand, **form.cleaned_data
            ),
            form=form,
            success=_("已保存。"),
        )
        if outcome:
            return redirect(brand.get_absolute_url())
    return render(
        request,
        "brands/form.html",
        {"form": form, "heading": _("修改品牌项目：%s") % brand.name},
        status=422 if request.method == "POST" else 200,
    )


def _detail_context(request, brand: Brand) -> dict:
    year = _year(request)
    user = request.user
    manage = has_perm(user, "brands.manage")
    return {
        "brand": brand,
        "year": year,
        "figures": selectors.brand_figures(brand=brand, year=year),
        "links": selectors.activities_of(fetched_by=user, brand=brand),
        "targets": selectors.targets_of(fetched_by=user, brand=brand),
        "evaluations": selectors.evaluations_of(fetched_by=user, brand=brand),
        "recognitions": selectors.recognitions_of(fetched_by=user, brand=brand),
        "history": selectors.history_for(fetched_by=user, brand=brand),
        "manage": manage,
        "can_evaluate": has_perm(user, "brands.evaluate"),
        "link_form": forms.LinkActivityForm(acting_user=user, auto_id="link-%s")
        if manage
        else None,
        "target_form": forms.TargetForm(acting_user=user, auto_id="target-%s"),
        "evaluate_form": forms.EvaluateForm(acting_user=user, auto_id="evaluate-%s"),
        "apply_form": forms.ApplyForm(acting_user=user, auto_id="apply-%s"),
    }


@scoped("brands.view")
def brand_detail(request, pk: int):
    brand = selectors.get_brand_for(fetched_by=request.user, pk=pk)
    return render(request, "brands/brand_detail.html", _detail_context(request, brand))


def _post(request, pk: int, form_class, name: str, call, success: str):
    """A form posted from the brand's page: the service through `attempt`, or the page again
    with the form's errors."""
    brand = selectors.get_brand_for(fetched_by=request.user, pk=pk)
    form = form_class(request.POST, acting_user=request.user, auto_id=f"{name}-%s")
    if form.is_valid():
        outcome = attempt(
            request, lambda: call(brand, form.cleaned_data), form=form, success=success
        )
        if outcome:
            return redirect(brand.get_absolute_url())
    context = _detail_context(request, brand)
    context[f"{name}_form"] = form
    return render(request, "brands/brand_detail.html", context, status=422)


@require_POST
@scoped("brands.manage")
def link_activity(request, pk: int):
    def call(brand, data):
        return services.brand_link_activity(
            acting_user=request.user, brand=brand, activity=data["activity"]
        )

    return _post(request, pk, forms.LinkActivityForm, "link", call, _("已关联活动。"))


@require_POST
@scoped("brands.manage")
def target_set(request, pk: int):
    def call(brand, data):
        return services.target_set(acting_user=request.user, brand=brand, **data)

    return _post(request, pk, forms.TargetForm, "target", call, _("已保存年度目标。"))


@require_POST
@scoped("brands.evaluate")
def evaluate(request, pk: int):
    def call(brand, data):
        return services.brand_evaluate(acting_user=request.user, brand=brand, **data)

    return _post(request, pk, forms.EvaluateForm, "evaluate", call, _("已完成年度评估。"))


@require_POST
@scoped("brands.manage")
def recognition_apply(request, pk: int):
    def call(brand, data):
        return services.recognition_apply(acting_user=request.user, brand=brand, **data)

    return _post(request, pk, forms.ApplyForm, "apply", call, _("已提交认定申报。"))
