"""API schemas of directives."""

from datetime import date, datetime

from ninja import Field, Schema

from shegong.core.api_schema import Choice, Count, Id, Text
from shegong.directives.models import Directive, Inspection
from shegong.regions.schemas import RegionText
from shegong.workdays.models import DayRule


class DirectiveOut(Schema):
    id: int
    title: str
    body: str
    category: str
    priority: str
    issuer_id: int
    issuer_name: str
    issuer_region_code: str
    issued_on: date
    due_date: date | None
    due_provisional: bool
    ack_days: int
    cadence: str
    status: str
    closed_at: datetime | None
    rollup: dict | None

    @staticmethod
    def resolve_issuer_name(obj) -> str:
        return obj.issuer.name


class DirectiveIn(Schema):
    title: Text(200, min_length=1)
    body: Text(20000) = ""
    category: Choice(Directive.Category) = Directive.Category.TASK
    priority: Choice(Directive.Priority) = Directive.Priority.NORMAL
    level: Count(1, 4)
    regions: list[RegionText] = Field(default_factory=list, max_length=100)
    due_days: Count(1, 365)
    due_rule: Choice(DayRule) = DayRule.WORKING
    ack_days: Count(1, 30) = 3
    cadence: Choice(Directive.Cadence, blank=True) = ""
    through_level: Count(1, 4) | None = None


class TargetOut(Schema):
    id: int
    directive_id: int
    parent_id: int | None
    unit_id: int
    unit_name: str
    sender_id: int
    region_code: str
    level: int
    depth: int
    title: str
    instructions: str
    received_on: date
    ack_due: date | None
    ack_due_provisional: bool
    due_date: date | None
    due_provisional: bool
    status: str
    overdue: bool
    acknowledged_at: datetime | None
    submitted_at: datetime | None
    completed_at: datetime | None
    return_reason: str

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class ReportOut(Schema):
    id: int
    target_id: int
    region_code: str
    text: str
    figures: dict
    is_completion: bool
    reported_at: datetime


class DirectiveRollupRowOut(Schema):
    prefix: str
    code: str
    name: str
    is_self: bool
    total: int
    received: int
    acknowledged: int
    in_progress: int
    submitted: int
    completed: int
    overdue: int


class DirectiveRollupOut(Schema):
    prefix: str
    rows: list[DirectiveRollupRowOut]
    totals: dict[str, int]


class RemindOut(Schema):
    reminded: int


class InspectionOut(Schema):
    id: int
    kind: str
    department_id: int
    region_code: str
    organisation_id: int | None
    inspectors: str
    visited_on: date
    findings: str
    directive_id: int | None


class InspectionIn(Schema):
    kind: Choice(Inspection.Kind) = Inspection.Kind.INSPECTION
    region: RegionText
    organisation_id: Id | None = None
    inspectors: Text(300, min_length=1)
    visited_on: date
    findings: Text(20000, min_length=1)


class ItemIn(Schema):
    text: Text(2000, min_length=1)
    unit_id: Id
    due_date: date


class ItemsIn(Schema):
    items: list[ItemIn] = Field(min_length=1, max_length=200)
