"""API schemas of emergency sweeps."""

from datetime import datetime

from ninja import Field, Schema

from shegong.core.api_schema import Choice, Count, Text
from shegong.emergency.models import EmergencyEvent, NeedCategory, Outcome
from shegong.regions.schemas import RegionText


class EmergencyEventIn(Schema):
    kind: Choice(EmergencyEvent.Kind)
    title: Text(200, min_length=1)
    areas: list[RegionText] = Field(min_length=1, max_length=200)
    categories: list[Text(40, min_length=1)] = Field(
        min_length=1, max_length=30, description="resident category codes (people app)"
    )
    starts_at: datetime | None = None
    target_hours: Count(1, 168) = 24
    note: Text(2000) = ""
    volunteer_capacity: Count(0, 500) = 0


class EmergencyEventOut(Schema):
    id: int
    kind: str
    title: str
    declarer_id: int
    region_code: str
    starts_at: datetime
    due_at: datetime
    target_hours: int
    status: str
    task_count: int
    volunteer_activity_id: int | None
    areas: list[str]
    categories: list[str]

    @staticmethod
    def resolve_areas(obj) -> list[str]:
        return [a.region_code for a in obj.areas.all()]

    @staticmethod
    def resolve_categories(obj) -> list[str]:
        return [c.code for c in obj.categories.all()]


class SweepBoardRowOut(Schema):
    code: str
    name: str
    total: int
    pending: int
    safe: int
    needs_help: int
    not_reached: int


class SweepBoardOut(Schema):
    event_id: int
    level: str
    seconds_left: int
    totals: SweepBoardRowOut
    rows: list[SweepBoardRowOut]


class SweepTaskOut(Schema):
    id: int
    event_id: int
    resident_id: int
    resident_name: str
    region_code: str
    worker_id: int | None
    outcome: str
    need_category: str
    need_text: str
    reason: str
    attempts: int
    recorded_at: datetime | None
    assistance_id: int | None

    @staticmethod
    def resolve_resident_name(obj) -> str:
        return obj.resident.name


class SweepOutcomeIn(Schema):
    outcome: Choice(Outcome)
    need_category: Choice(NeedCategory, blank=True) = ""
    need_text: Text(500) = ""
    reason: Text(300) = ""
    attempts: Count(0, 100) | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    client_id: Text(64) | None = None
    recorded_at: datetime | None = None


class SweepOutcomeOut(Schema):
    id: int
    task_id: int
    outcome: str
    client_id: str | None
    assistance_id: int | None
    recorded_at: datetime
