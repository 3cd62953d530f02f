"""API schemas of the indicators app."""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from shegong.core.api_schema import Choice, Count, DecimalRange, Text
from shegong.indicators.models import Direction, PeriodType, ReportSubscription


class IndicatorDefinitionOut(Schema):
    code: str
    name_zh: str
    name_en: str
    definition: str
    basis: str
    numerator: str
    denominator: str
    factor: int
    period_types: list[str]
    direction: str
    target: Decimal | None
    red: Decimal | None
    amber: Decimal | None
    owner_prefix: str
    is_shipped: bool

    @staticmethod
    def resolve_period_types(obj) -> list[str]:
        return obj.periods


class IndicatorDefinitionIn(Schema):
    code: Text(60, min_length=1)
    name_zh: Text(100, min_length=1)
    name_en: Text(150) = ""
    definition: Text(2000, min_length=1)
    basis: Text(2000) = ""
    numerator: Text(500, min_length=1)
    denominator: Text(500) = ""
    factor: Count(1, 10000) = 100
    period_types: list[Choice(PeriodType)] = Field(
        default_factory=lambda: list(PeriodType.values), min_length=1, max_length=4
    )
    direction: Choice(Direction) = Direction.HIGHER
    target: DecimalRange(-1_000_000_000, 1_000_000_000) | None = None
    red: DecimalRange(-1_000_000_000, 1_000_000_000) | None = None
    amber: DecimalRange(-1_000_000_000, 1_000_000_000) | None = None


class IndicatorValueOut(Schema):
    region_code: str
    region_name: str
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None
    previous: Decimal | None
    light: str


class IndicatorValuesOut(Schema):
    indicator: str
    period: str
    period_start: str
    period_end: str
    region_code: str
    region_name: str
    total: IndicatorValueOut
    children: list[IndicatorValueOut]
    cached: bool


class SubscriptionIn(Schema):
    name: Text(100, min_length=1)
    frequency: Choice(ReportSubscription.Frequency)
    indicator_codes: list[Text(60, min_length=1)] = Field(min_length=1, max_length=30)


class SubscriptionOut(Schema):
    id: int
    name: str
    frequency: str
    organisation_id: int
    organisation_name: str
    region_code: str
    indicator_codes: list[str]
    is_active: bool
    created_at: datetime
    cancelled_at: datetime | None

    @staticmethod
    def resolve_organisation_name(obj) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_indicator_codes(obj) -> list[str]:
        return [i.code for i in obj.indicators.all()]


class IndicatorPointOut(Schema):
    period: str
    period_start: str
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None
    cached: bool
    # Above the county level a period the cache lacks is not counted during the request: its
    # background count is booked and the point (numerator 0, value null) waits for it.
    pending: bool = False


class IndicatorSeriesOut(Schema):
    indicator: str
    region_code: str
    region_name: str
    points: list[IndicatorPointOut]
