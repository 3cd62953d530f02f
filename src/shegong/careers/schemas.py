"""API schemas of the careers app."""

from datetime import date, datetime

from ninja import Field, Schema

from shegong.careers.models import Grade, RecordKind
from shegong.core.api_schema import Choice, Count, Id, Text, Year
from shegong.workforce.models import Education, QualificationLevel


class RoundOut(Schema):
    id: int
    title: str
    level: str
    year: int
    region_code: str
    closes_on: date
    min_education: str
    min_years: int
    exam_required: bool
    exam_valid_years: int
    achievements_required: bool
    pass_score: int
    status: str


class RoundIn(Schema):
    title: Text(200, min_length=1)
    level: Choice(QualificationLevel)
    year: Year
    closes_on: date
    min_education: Choice(Education)
    min_years: Count(0, 40)
    exam_required: bool = True
    exam_valid_years: Count(1, 10) = 3
    achievements_required: bool = True
    pass_score: Count(0, 100) = 60


class TitleApplicationOut(Schema):
    id: int
    round_id: int
    worker_id: int
    worker_name: str
    region_code: str
    status: str
    years_in_social_work: int
    exam_passed_on: date | None = None
    score: int | None = None
    panel_comment: str
    notice_from: date | None = None
    notice_until: date | None = None
    notice_until_provisional: bool
    effective_on: date | None = None

    @staticmethod
    def resolve_worker_name(obj) -> str:
        return obj.worker.name

    @staticmethod
    def resolve_notice_until_provisional(obj) -> bool:
        return obj.notice_provisional


class ApplicationIn(Schema):
    worker_id: Id
    years_in_social_work: Count(0, 60)
    exam_passed_on: date | None = None
    achievements: Text(5000) = ""
    statement: Text(5000) = ""


class AppraisalOut(Schema):
    id: int
    scheme_id: int
    worker_id: int
    worker_name: str
    region_code: str
    period: str
    period_start: date
    period_end: date
    visits_planned: int
    visits_done: int
    cases_opened: int
    cases_closed: int
    matters_handled: int
    matters_on_time: int
    matters_rated: int
    matters_satisfied: int
    activities_organised: int
    training_hours: int
    supervisor_score: int | None = None
    score: float
    suggested_grade: str
    grade: str

    @staticmethod
    def resolve_worker_name(obj) -> str:
        return obj.worker.name


class RunIn(Schema):
    period: Text(20, min_length=1)
    start: date
    end: date


class ReviewIn(Schema):
    supervisor_score: Count(0, 100)
    training_hours: Count(0, 2000) | None = None
    comment: Text(2000) = ""


class GradeIn(Schema):
    grade: Choice(Grade)


class ConductOut(Schema):
    id: int
    worker_id: int
    region_code: str
    kind: str
    title: str
    basis: str
    decided_on: date
    ends_on: date | None = None
    issued_by: str


class ConductIn(Schema):
    worker_id: Id
    kind: Choice(RecordKind)
    title: Text(200, min_length=1)
    basis: Text(300, min_length=1)
    decided_on: date
    ends_on: date | None = None
    issuer: Text(200, min_length=1)


class StaffingRowOut(Schema):
    key: str
    name: str
    drill: str
    stations: int
    standard_posts: int
    station_filled: int
    vacant: int
    in_post: int
    certified: int
    certified_share: float | None = None
    joiners: int
    leavers: int
    at_start: int
    retained: int
    retention_rate: float | None = None
    paid: int
    pay_average: float | None = None
    below_guidance: int


class StaffingOut(Schema):
    region_code: str
    region_name: str
    level: int
    year: int
    by_organisation: bool
    guidance_monthly_yuan: int | None = None
    rows: list[StaffingRowOut]
    total: StaffingRowOut
    leave_reasons: dict[str, int]
    as_of: datetime | None = Field(
        None,
        description="When the figures were counted, if read from the nightly summary rows (the "
        "country, a province or a city); null when counted live (a county, a township).",
    )

    @staticmethod
    def resolve_guidance_monthly_yuan(obj) -> int | None:
        return obj.guidance.monthly_yuan if obj.guidance else None

    @staticmethod
    def resolve_leave_reasons(obj) -> dict[str, int]:
        return dict(obj.leave_reasons)
