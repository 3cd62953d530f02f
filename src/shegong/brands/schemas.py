"""API schemas of the brand register."""

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from shegong.brands.models import Brand, Level
from shegong.core.api_schema import Choice, Count, DecimalRange, Id, Text, Year


class BrandOut(Schema):
    id: int
    name: str
    kind: str
    owner_id: int
    owner_name: str
    region_code: str
    description: str
    started_on: date
    recognition_level: str
    recognised_on: date | None = None
    target_group_codes: list[str]

    @staticmethod
    def resolve_owner_name(obj) -> str:
        return obj.owner.name

    @staticmethod
    def resolve_target_group_codes(obj) -> list[str]:
        return [c.code for c in obj.target_groups.all()]


class BrandIn(Schema):
    name: Text(100, min_length=1)
    kind: Choice(Brand.Kind)
    owner_id: Id
    description: Text(5000, min_length=1)
    started_on: date
    target_group_codes: list[Text(40)] = Field(default_factory=list, max_length=50)


class BrandFiguresOut(Schema):
    year: int
    reach: int
    hours: Decimal
    records: int
    rated: int
    satisfaction: Decimal | None = None


class BrandLinkIn(Schema):
    activity_id: Id


class BrandLinkOut(Schema):
    id: int
    activity_id: int
    activity_title: str

    @staticmethod
    def resolve_activity_title(obj) -> str:
        return obj.activity.title


class BrandTargetIn(Schema):
    year: Year
    reach: Count(0, 10_000_000)
    hours: DecimalRange(0, 10_000_000, places=1)
    satisfaction: DecimalRange(0, 1, places=3)


class BrandTargetOut(Schema):
    year: int
    reach: int
    hours: Decimal
    satisfaction: Decimal


class BrandEvaluateIn(Schema):
    year: Year
    comment: Text(2000) = ""


class BrandEvaluationOut(Schema):
    year: int
    reach: int
    reach_target: int
    hours: Decimal
    hours_target: Decimal
    rated: int
    satisfaction: Decimal | None = None
    satisfaction_target: Decimal
    all_met: bool
    comment: str


class BrandApplyIn(Schema):
    level: Choice(Level)
    statement: Text(5000, min_length=1)


class BrandRecognitionOut(Schema):
    id: int
    brand_id: int
    level: str
    status: str
    statement: str
    note: str
    applied_on: date
    decided_on: date | None = None
