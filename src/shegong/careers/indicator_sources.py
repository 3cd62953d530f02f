"""Staffing figures for indicators (`core.registry.IndicatorSource`): active social work
stations, stations staffed to the standard that applies where they are, and in-post station
workers. Each is one GROUP BY on the first characters of the region code; "staffed to standard"
compares each station's in-post workers (a correlated count) with the standard of its city,
province or the nation, written as one CASE over the few standards."""

from __future__ import annotations

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from shegong.core.counting import sum_by_child
from shegong.core.registry import IndicatorSource

INDICATOR_FIGURES = (
    "Per child region figures for indicators, inside a subtree the caller checked against the "
    "reader; only counts leave."
)


def _stations():
    from shegong.orgs.models import Kind, Organisation

    return Organisation.objects.unscoped(reason=INDICATOR_FIGURES).filter(
        kind=Kind.SOCIAL_WORK_STATION, is_active=True
    )


def stations(low, high, child_len, start, end):
    return sum_by_child(_stations(), "region_id", low, high, child_len, Count("pk"))


def _required():
    """The posts a station must fill: the most specific standard above its region (a city's,
    else its province's, else the national default); 1 where none is published."""
    from shegong.core.regioncode import RegionCode, code_range
    from shegong.orgs.selectors import staffing_standards_all

    standards = staffing_standards_all()
    national = standards.get("")
    specific = sorted(
        ((RegionCode(code).prefix, s) for code, s in standards.items() if code),
        key=lambda item: -len(item[0]),
    )
    whens = [
        When(
            Q(region__gte=code_range(prefix)[0], region__lte=code_range(prefix)[1]),
            then=Value(s.workers_per_station),
        )
        for prefix, s in specific
    ]
    default = Value(national.workers_per_station if national else 1)
    return Case(*whens, default=default, output_field=IntegerField()) if whens else default


def stations_staffed(low, high, child_len, start, end):
    from shegong.workforce.models import WorkerProfile, WorkerStatus

    in_post = (
        WorkerProfile.objects.unscoped(reason=INDICATOR_FIGURES)
        .filter(employer_id=OuterRef("pk"), status=WorkerStatus.IN_POST)
        .order_by()
        .values("employer_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = _stations().annotate(
        in_post=Coalesce(Subquery(in_post, output_field=IntegerField()), 0),
        required=_required(),
    )

    rows = rows.filter(in_post__gte=F("required"))
    return sum_by_child(rows, "region_id", low, high, child_len, Count("pk"))


def station_workers(low, high, child_len, start, end):
    from shegong.careers.selectors import station_workers_by_child

    return station_workers_by_child(low, high, child_len)


SOURCES = [
    # Stations and their staffing have no history kept: every period counts what stands now.
    IndicatorSource("stations", _("社工站"), stations, stock=True, undated=True),
    IndicatorSource(
        "stations_staffed",
        _("按标准配齐社工的社工站"),
        stations_staffed,
        stock=True,
        undated=True,
    ),
    IndicatorSource(
        "station_workers", _("社工站在岗社工"), station_workers, stock=True, undated=True
    ),
]
