"""The API's input and output types for /api/v1/workforce/."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from shegong.core.api_schema import Choice, DecimalRange, Id, ModelText, Text
from shegong.workforce.models import (
    Education,
    EmploymentType,
    QualificationLevel,
    TrainingKind,
    WorkerProfile,
)


class ProfileOut(Schema):
    id: int
    name: str
    sex: str
    birth_date: date | None
    id_number_masked: str
    education: str
    major: str
    social_work_major: bool
    employer_id: int
    region_code: str
    post: str
    employment_type: str
    social_work_start_date: date | None
    highest_level: str
    approved_supervisor: bool
    status: str


class ProfileIn(Schema):
    name: ModelText(WorkerProfile, "name", min_length=1)
    id_number: Text(18, min_length=1)
    employer_id: Id
    education: Choice(Education)
    major: ModelText(WorkerProfile, "major") = ""
    social_work_major: bool = False
    post: ModelText(WorkerProfile, "post") = ""
    employment_type: Choice(EmploymentType, blank=True) = ""
    social_work_start_date: date | None = None
    phone: ModelText(WorkerProfile, "phone") = ""
    approved_supervisor: bool = False


class CertificateOut(Schema):
    id: int
    level: str
    number: str
    issued_on: date
    issuing_body: str


class CertificateIn(Schema):
    level: Choice(QualificationLevel)
    number: Text(50, min_length=1)
    issued_on: date
    issuing_body: Text(100) = ""


class RegistrationOut(Schema):
    id: int
    worker_id: int
    certificate_id: int
    level: str
    kind: str
    status: str
    valid_from: date
    valid_until: date
    ce_required: Decimal = Field(description="本期应修学时")
    ce_credited: Decimal = Field(description="已计入学时（督导带教计入上限内）")
    ce_needed: Decimal = Field(description="尚需学时")


class RegistrationIn(Schema):
    certificate_id: Id
    registered_on: date


class PipelineOut(Schema):
    year: int
    assistant: int
    social_worker: int
    senior: int


class EligibilityLevelOut(Schema):
    level: str
    eligible: bool
    rule: str
    source: str
    lacking: str


class EligibilityOut(Schema):
    year: int
    level: str
    lacking: str
    answers: list[EligibilityLevelOut]


class CourseOut(Schema):
    id: int
    title: str
    organiser_id: int
    kind: str
    starts_on: date
    ends_on: date
    hours: Decimal
    capacity: int
    place: str


class CourseIn(Schema):
    title: Text(200, min_length=1)
    organiser_id: Id
    kind: Choice(TrainingKind)
    starts_on: date
    ends_on: date
    hours: DecimalRange(Decimal("0.5"), 200, places=1)
    capacity: int = Field(ge=1, le=10000)
    place: Text(200) = ""


class EnrolmentOut(Schema):
    id: int
    course_id: int
    worker_id: int
    status: str
    hours_attended: Decimal | None


class EnrolmentIn(Schema):
    worker_id: Id


class AttendanceIn(Schema):
    attended: bool
    hours: DecimalRange(Decimal("0.5"), 200, places=1) | None = None


class ExternalOut(Schema):
    id: int
    worker_id: int
    title: str
    provider: str
    kind: str
    completed_on: date
    hours: Decimal
    evidence: str
    status: str
    decision_note: str


class ExternalIn(Schema):
    title: Text(200, min_length=1)
    provider: Text(200, min_length=1)
    kind: Choice(TrainingKind)
    completed_on: date
    hours: DecimalRange(Decimal("0.5"), 200, places=1)
    evidence: Text(300, min_length=1)


class PairOut(Schema):
    id: int
    mentor_id: int
    mentee_id: int
    status: str
    started_on: date
    goals: str
    closed_on: date | None
    evaluation: str


class PairIn(Schema):
    mentor_id: Id
    mentee_id: Id
    goals: Text(2000, min_length=1)


class PracticeSessionOut(Schema):
    id: int
    pair_id: int
    held_on: date
    kind: str
    hours: Decimal
    topic: str
    visit_id: int | None
    case_id: int | None


class SessionIn(Schema):
    held_on: date
    kind: Choice(TrainingKind)
    hours: DecimalRange(Decimal("0.5"), 24, places=1)
    topic: Text(200, min_length=1)
    notes: Text(4000) = ""
    visit_id: Id | None = None
