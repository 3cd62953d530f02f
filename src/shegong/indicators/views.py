"""Pages of the indicators app: the list, an indicator's values by child region with drill-down
and the previous period, a department's own indicator, and a refresh on demand."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
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
from shegong.indicators.periods import MONTH, TYPES, Period


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


PIVOT_COUNTS = (4, 6, 12, 24)


def _pivot_of(request):
    """The pivot the query string asks for: `indicator` (several codes), `region`, `by`
    ("regions" or "periods"), `period` and `count`. An unknown indicator, region or period is
    a 404, as on the indicator pages."""
    codes = list(dict.fromkeys(request.GET.getlist("indicator")))[: selectors.PIVOT_INDICATORS]
    indicators = [selectors.get_indicator_for(fetched_by=request.user, code=c) for c in codes]
    axis = "periods" if request.GET.get("by") == "periods" else "regions"
    text = request.GET.get("period", "")
    if text:
        try:
            period = Period.parse(text)
        except ValidationError:
            raise Http404("Not found") from None
    else:
        period = Period.current(TYPES[0], timezone.localdate())
    try:
        count = int(request.GET.get("count") or 12)
    except ValueError:
        raise Http404("Not found") from None
    if count not in PIVOT_COUNTS:
        raise Http404("Not found")
    return selectors.pivot(
        fetched_by=request.user,
        indicators=indicators,
        region_code=request.GET.get("region", ""),
        period=period,
        axis=axis,
        count=count,
    )


@scoped("indicators.view")
def indicator_pivot(request):
    found = _pivot_of(request)
    chosen = {i.code for i in found.indicators}
    today = timezone.localdate()
    return render(
        request,
        "indicators/pivot.html",
        {
            "pivot": found,
            "choices": selectors.indicator_list(fetched_by=request.user),
            "chosen": chosen,
            "periods": [Period.current(t, today) for t in TYPES],
            "counts": PIVOT_COUNTS,
            "query": request.GET.urlencode(),
            "count": int(request.GET.get("count") or 12),
        },
    )


@scoped("indicators.view")
def indicator_pivot_export(request):
    from shegong.core.exports import excel_response

    found = _pivot_of(request)
    headers, rows = selectors.pivot_sheet(found)
    return excel_response(
        request,
        filename=f"指标透视-{found.region_name}-{found.period}.xlsx",
        title=_("指标透视"),
        headers=headers,
        rows=rows,
        audit_detail={
            "indicators_pivot": [i.code for i in found.indicators],
            "region": found.region_code,
            "period": found.period.text,
            "by": found.by,
        },
    )


REPORTS_SHOWN = 240  # twenty years of one department's monthly reports


@scoped("indicators.view")
def report_list(request):
    return render(
        request,
        "indicators/reports.html",
        {"reports": selectors.report_list(fetched_by=request.user)[:REPORTS_SHOWN]},
    )


@scoped("indicators.view")
def report_download(request, pk: int, format: str):
    """A generated report's PDF or Excel file; every download is audited."""
    from django.http import FileResponse

    from shegong.core.audit import audit_record
    from shegong.core.models import AuditLog
    from shegong.core.scoping import jurisdiction_of

    if format not in ("pdf", "xlsx"):
        raise Http404("Not found")
    report = selectors.get_report_for(fetched_by=request.user, pk=pk)
    stored = report.pdf if format == "pdf" else report.xlsx
    filename = f"{report.title}.{format}"
    audit_record(
        action=AuditLog.Action.EXPORT,
        actor=request.user,
        region_code=jurisdiction_of(request.user).region_code,
        detail={"indicator_report": report.pk, "file": filename},
        request=request,
    )
    return FileResponse(stored.open("rb"), as_attachment=True, filename=filename)


# ---- dashboards ----------------------------------------------------------------------------------


def _month_from(request) -> Period:
    text = request.GET.get("period") or request.POST.get("period") or ""
    if not text:
        return Period.current(MONTH, timezone.localdate())
    try:
        period = Period.parse(text)
    except ValidationError:
        raise Http404("Not found") from None
    if period.type != MONTH:
        raise Http404("Not found")
    return period


def dashboard_url(region: str, indicator: str, period: Period) -> str:
    from urllib.parse import urlencode

    query = urlencode({"region": region, "indicator": indicator, "period": period.text})
    return f"{reverse('indicators:dashboard')}?{query}"


def _number(value) -> float | None:
    return None if value is None else round(float(value), 4)


def _chart_data(found) -> dict:
    """What the page's script draws (json_script): the same figures as the page's tables."""
    from shegong.indicators.boundaries import boundary_for, short

    indicator, period = found.indicator, found.period
    rows = found.ranked
    children = [
        {
            "code": r.code,
            "name": r.name,
            "short": short(r.name),
            "value": _number(r.value),
            "text": r.text,
            "light": r.light,
            "url": dashboard_url(r.code, indicator.code, period),
        }
        for r in rows
    ]
    boundary = boundary_for(
        found.region.code,
        found.region.name,
        found.level,
        [(r.code, r.name) for r in found.table.rows],
    )
    return {
        "region": found.region.code,
        "indicator": {
            "code": indicator.code,
            "name": indicator.name,
            "higher": indicator.direction == "higher",
            "target": _number(indicator.target),
        },
        "children": children,
        "boundary": boundary if children else None,
        "series": {
            "labels": [p.period.text for p in found.series],
            "values": [_number(p.value) for p in found.series],
        },
        "cards": [
            {
                "code": c.indicator.code,
                "labels": [p.period.text for p in c.points],
                "values": [_number(p.value) for p in c.points],
            }
            for c in found.cards
        ],
    }


@scoped("indicators.view")
def dashboard(request):
    """A level's dashboard: the reader's region (or one below it, `?region=`), the month
    (`?period=`) and the indicator of the map and the time series (`?indicator=`). Months
    shown pending ("尚未统计") get their background count booked (once)."""
    found = selectors.dashboard(
        fetched_by=request.user,
        region_code=request.GET.get("region", ""),
        indicator_code=request.GET.get("indicator", ""),
        period=_month_from(request),
    )
    if found.pending:  # above the county level: counted in the background, never here
        services.values_refresh_request(periods=found.pending)
    latest = Period.current(MONTH, timezone.localdate())
    months = [latest]
    while len(months) < 24:
        months.append(months[-1].previous())
    data = _chart_data(found)
    return render(
        request,
        "indicators/dashboard.html",
        {
            "dash": found,
            "chart": data,
            "months": months,
            "here": dashboard_url(found.region.code, found.indicator.code, found.period),
            "pivot_query": (
                f"indicator={found.indicator.code}&region={found.region.code}"
                f"&period={found.period.text}"
            ),
        },
    )


@scoped("indicators.view")
@require_POST
def dashboard_pin(request):
    """Pin (`action=pin`) or unpin (`action=unpin`) an indicator on the reader's own dashboard,
    then back to the dashboard the form was on."""
    indicator = selectors.get_indicator_for(
        fetched_by=request.user, code=request.POST.get("indicator", "")
    )
    if request.POST.get("action") == "unpin":
        attempt(
            request,
            lambda: services.dashboard_unpin(acting_user=request.user, indicator=indicator),
            success=_("已从看板移除。"),
        )
    else:
        attempt(
            request,
            lambda: services.dashboard_pin(acting_user=request.user, indicator=indicator),
            success=_("已固定到看板。"),
        )
    # Back to the page the form was on; only our own address, the region checked when it opens.
    region = request.POST.get("region", "")
    shown = request.POST.get("shown", "")
    return redirect(
        dashboard_url(
            region if region.isdigit() and len(region) == 12 else "",
            shown if shown.replace("_", "").replace("-", "").isalnum() else "",
            _month_from(request),
        )
    )


@scoped("indicators.view")
def subscription_list(request):
    """The subscriptions of the reader's subtree; a department member subscribes here."""
    can_subscribe = has_perm(request.user, "indicators.subscribe")
    form = forms.SubscriptionForm(
        request.POST or None,
        acting_user=request.user,
        indicators=selectors.indicator_list(fetched_by=request.user) if can_subscribe else (),
    )
    if request.method == "POST":
        if not can_subscribe:
            raise PermissionDenied
        if form.is_valid():
            outcome = attempt(
                request,
                lambda: services.subscription_create(acting_user=request.user, **form.cleaned_data),
                form=form,
                success=_("已订阅：报告生成后将通知本单位人员。"),
            )
            if outcome:
                return redirect(reverse("indicators:subscriptions"))
    return render(
        request,
        "indicators/subscriptions.html",
        {
            "subscriptions": selectors.subscription_list(fetched_by=request.user)[
                :SUBSCRIPTIONS_SHOWN
            ],
            "form": form if can_subscribe else None,
            "own_organisation": getattr(request.user.active_membership, "organisation_id", None),
        },
    )


SUBSCRIPTIONS_SHOWN = 200


@scoped("indicators.subscribe")
@require_POST
def subscription_cancel(request, pk: int):
    subscription = selectors.get_subscription_for(fetched_by=request.user, pk=pk)
    attempt(
        request,
        lambda: services.subscription_cancel(acting_user=request.user, subscription=subscription),
        success=_("订阅已取消。"),
    )
    return redirect(reverse("indicators:subscriptions"))
