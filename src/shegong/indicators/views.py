"""Pages of the indicators app: the list, an indicator's values by child region with drill-down
and the previous period, a department's own indicator, and a refresh on demand."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.access import scoped
from shegong.core.actions import attempt
from shegong.core.permissions import has_perm
from shegong.indicators import forms, selectors, services
from shegong.indicators.periods import TYPES, Period


def period_from(request, indicator) -> Period:
    text = request.GET.get("period") or request.POST.get("period") or ""
    if not text:
        return Period.current(
            indicator.periods[0] if indicator.periods else TYPES[0], timezone.localdate()
        )
    try:
        return Period.parse(text)
    except ValidationError:
        raise Http404("Not found") from None


@scoped("indicators.view")
def indicator_list(request):
    return render(
        request,
        "indicators/list.html",
        {
            "indicators": selectors.indicator_list(fetched_by=request.user),
            "can_define": has_perm(request.user, "indicators.define"),
        },
    )


@scoped("indicators.view")
def indicator_detail(request, code: str):
    indicator = selectors.get_indicator_for(fetched_by=request.user, code=code)
    period = period_from(request, indicator)
    table = selectors.indicator_table(
        fetched_by=request.user,
        indicator=indicator,
        region_code=request.GET.get("region", ""),
        period=period,
    )
    today = timezone.localdate()
    choices = [Period.current(t, today) for t in indicator.periods]
    return render(
        request,
        "indicators/detail.html",
        {
            "table": table,
            "indicator": indicator,
            "kind": "percent" if indicator.factor == 100 else "decimal",
            "periods": choices,
            "can_refresh": has_perm(request.user, "indicators.refresh"),
        },
    )


@scoped("indicators.define")
def indicator_create(request):
    form = forms.IndicatorForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.indicator_create(acting_user=request.user, **form.cleaned_data),
            form=form,
            success=_("指标已保存。"),
        )
        if outcome:
            return redirect(reverse("indicators:detail", args=[outcome.value.code]))
    return render(
        request,
        "indicators/form.html",
        {"form": form, "heading": _("自定义指标"), "sources": selectors.source_all()},
    )


@scoped("indicators.refresh")
@require_POST
def indicator_refresh(request, code: str):
    indicator = selectors.get_indicator_for(fetched_by=request.user, code=code)
    period = period_from(request, indicator)
    attempt(
        request,
        lambda: services.values_refresh(
            acting_user=request.user, period=period, indicators=[indicator]
        ),  # rewrites the values inside the user's jurisdiction only
        success=_("已重新计算。"),
    )
    return redirect(f"{reverse('indicators:detail', args=[code])}?period={period.text}")
