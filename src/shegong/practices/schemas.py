"""API schemas of model practices."""

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from shegong.core.api_schema import Choice, DecimalRange, Text
from shegong.practices.models import Adoption, Topic


class PracticeFigureIn(Schema):
    label: Text(100, min_length=1)
    value: DecimalRange(-999_999_999_999, 999_999_999_999, places=2)
    unit: Text(20) = ""


class PracticeIn(Schema):
    title: Text(200, min_length=1)
    topic: Choice(Topic)
    problem: Text(10000, min_length=1)
    actions: Text(20000, min_length=1)
    results: Text(10000, min_length=1)
    figures: list[PracticeFigureIn] = Field(default_factory=list, max_length=10)


class PracticeFigureOut(Schema):
    label: str
    value: Decimal
    unit: str


class PracticeOut(Schema):
    id: int
    title: str
    topic: str
    department_id: int
    department_name: str
    region_code: str
    status: str
    problem: str
    actions: str
    results: str
    published_on: date | None = None

    @staticmethod
    def resolve_department_name(obj) -> str:
        return obj.department.name


class PracticeReviewOut(Schema):
    unit_name: str
    action: str
    note: str
    at: str

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_at(obj) -> str:
        return obj.at.isoformat()


class PracticeAdoptionOut(Schema):
    id: int
    department_id: int
    department_name: str
    region_code: str
    kind: str
    adopted_on: date
    results: str
    private_notes: str | None = None  # only for the adopting department's chain


class PracticeDetailOut(PracticeOut):
    figures: list[PracticeFigureOut]
    reviews: list[PracticeReviewOut]  # only for the submitting department's chain
    adoptions: list[PracticeAdoptionOut]


class PracticeAdoptionIn(Schema):
    kind: Choice(Adoption.Kind)
    adopted_on: date
    results: Text(10000, min_length=1)
    private_notes: Text(10000) = ""
