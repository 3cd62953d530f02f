"""Indicators API: the definitions a caller may use, a department's own indicator, and the
values of an indicator for a region of the caller's jurisdiction and its children. Scoped like
the pages: a region outside the caller's jurisdiction is a 404."""

from django.http import Http404
from ninja import Query, Schema, Status
from ninja.pagination import paginate

from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Count, Digits, Pagination, Text
from shegong.core.regioncode import RegionCode
from shegong.indicators import schemas, selectors, services
from shegong.indicators.periods import Period

prefix = "/"
router = Router(tags=["indicators 指标"])


@router.get(
    "/indicators", response=list[schemas.IndicatorDefinitionOut], summary="Indicator definitions"
)
@scoped("indicators.view")
def indicator_list(request):
    return list(selectors.indicator_list(fetched_by=request.user))


@router.get(
    "/indicators/subscriptions",
    response=list[schemas.SubscriptionOut],
    summary="Report subscriptions of the departments in the caller's subtree",
)
@scoped("indicators.view")
@paginate(Pagination, page_size=50)
def subscription_list(request):
    return selectors.subscription_list(fetched_by=request.user)


@router.post(
    "/indicators/subscriptions",
    response={201: schemas.SubscriptionOut},
    summary="Subscribe the caller's department to weekly or monthly reports of chosen indicators",
)
@scoped("indicators.subscribe")
def subscription_create(request, payload: schemas.SubscriptionIn):
    subscription = services.subscription_create(acting_user=request.user, **payload.dict())
    return Status(201, selectors.get_subscription_for(fetched_by=request.user, pk=subscription.pk))


@router.post(
    "/indicators/subscriptions/{int:subscription_id}/cancel",
    response=schemas.SubscriptionOut,
    summary="Cancel a subscription of the caller's own department",
)
@scoped("indicators.subscribe")
def subscription_cancel(request, subscription_id: int):
    subscription = selectors.get_subscription_for(fetched_by=request.user, pk=subscription_id)
    services.subscription_cancel(acting_user=request.user, subscription=subscription)
    return selectors.get_subscription_for(fetched_by=request.user, pk=subscription_id)


@router.post(
    "/indicators",
    response={201: schemas.IndicatorDefinitionOut},
    summary="Define a department's indicator",
)
@scoped("indicators.define")
def indicator_create(request, payload: schemas.IndicatorDefinitionIn):
    return Status(201, services.indicator_create(acting_user=request.user, **payload.dict()))


class ValuesQuery(Schema):
    region: Digits = ""
    period: Text(10) = ""


def _row(row) -> dict:
    return {
        "region_code": row.code,
        "region_name": row.name,
        "numerator": row.figure.numerator,
        "denominator": row.figure.denominator,
        "value": row.value,
        "previous": row.previous,
        "light": row.light,
    }


@router.get(
    "/indicators/{code}/values",
    response=schemas.IndicatorValuesOut,
    summary="An indicator's values for a region and its children",
)
@scoped("indicators.view")
def indicator_values(request, code: Text(60), query: Query[ValuesQuery]):
    indicator = selectors.get_indicator_for(fetched_by=request.user, code=code)
    if query.period:
        period = Period.parse(query.period)
    else:
        from django.utils import timezone

        period = Period.current(indicator.periods[0], timezone.localdate())
    region = RegionCode.parse(query.region) if query.region else ""
    try:
        table = selectors.indicator_table(
            fetched_by=request.user, indicator=indicator, region_code=region, period=period
        )
    except ValueError:
        raise Http404("Not found") from None
    return {
        "indicator": indicator.code,
        "period": period.text,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "region_code": table.region_code,
        "region_name": table.region_name,
        "total": _row(table.total),
        "children": [_row(r) for r in table.rows],
        "cached": table.computed_at is not None,
    }


class SeriesQuery(Schema):
    region: Digits = ""
    period: Text(10) = ""
    count: Count(1, 24) = 12


@router.get(
    "/indicators/{code}/series",
    response=schemas.IndicatorSeriesOut,
    summary="An indicator's values for a region over the periods ending with one",
)
@scoped("indicators.view")
def indicator_series(request, code: Text(60), query: Query[SeriesQuery]):
    """The time series the dashboards draw: `count` periods of the type of `period` (default:
    the last complete period of the indicator's first type) ending with it, each with its
    numerator and denominator and whether it came from the cache. Above the county level a
    period the cache lacks is `pending` (not counted during the request; its background count
    is booked once)."""
    from django.utils import timezone

    indicator = selectors.get_indicator_for(fetched_by=request.user, code=code)
    period = (
        Period.parse(query.period)
        if query.period
        else Period.current(indicator.periods[0], timezone.localdate())
    )
    region = RegionCode.parse(query.region) if query.region else ""
    found, points = selectors.indicator_series(
        fetched_by=request.user,
        indicator=indicator,
        region_code=region,
        period=period,
        count=query.count,
    )
    pending = [p.period for p in points if p.pending]
    if pending:  # above the county level: counted in the background, never here
        services.values_refresh_request(periods=pending)
    return {
        "indicator": indicator.code,
        "region_code": found.code,
        "region_name": found.name,
        "points": [
            {
                "period": p.period.text,
                "period_start": p.period.start.isoformat(),
                "numerator": p.figure.numerator,
                "denominator": p.figure.denominator,
                "value": p.value,
                "cached": p.computed_at is not None,
                "pending": p.pending,
            }
            for p in points
        ],
    }
