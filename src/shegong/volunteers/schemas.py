from datetime import date, datetime
from decimal import Decimal

from ninja import Schema


class VolunteerOut(Schema):
    id: int
    number: str
    name: str
    sex: str
    birth_date: date
    id_number_masked: str
    phone: str
    skills: list[str]
    languages: str
    availability: list[int]
    region_id: str
    political_status: str
    is_party_member: bool
    consent_public: bool
    is_active: bool
    certified_hours: Decimal
    star_level: int


class VolunteerIn(Schema):
    name: str
    id_number: str
    phone: str
    region: str
    political_status: str = "masses"
    skills: list[str] = []
    availability: list[int] = []
    languages: str = "普通话"
    consent_public: bool = False
    consent: bool


class TeamOut(Schema):
    id: int
    name: str
    kind: str
    organisation_id: int
    region_id: str
    is_active: bool


class MemberOut(Schema):
    id: int
    volunteer_id: int
    joined_on: date
    left_on: date | None
    is_leader: bool


class TeamDetailOut(TeamOut):
    members: list[MemberOut]


class ShiftOut(Schema):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    required_skills: list[str]


class ShiftIn(Schema):
    title: str = ""
    starts_at: datetime
    ends_at: datetime
    capacity: int
    required_skills: list[str] = []


class ActivityOut(Schema):
    id: int
    title: str
    service_type: str
    status: str
    organisation_id: int
    region_id: str
    starts_at: datetime
    ends_at: datetime
    is_brand: bool
    brand_name: str


class ActivityDetailOut(ActivityOut):
    description: str
    beneficiaries: str
    address: str
    shifts: list[ShiftOut]


class ActivityIn(Schema):
    title: str
    description: str = ""
    service_type: str
    beneficiaries: str = ""
    address: str = ""
    region: str | None = None
    starts_at: datetime
    ends_at: datetime
    is_brand: bool = False
    brand_name: str = ""
    auto_accept: bool = True
    publish: bool = False
    shifts: list[ShiftIn] = []


class SignUpIn(Schema):
    volunteer_id: int


class SignUpOut(Schema):
    id: int
    shift_id: int
    volunteer_id: int
    status: str
    created_at: datetime
    checked_in_at: datetime | None
    checked_out_at: datetime | None


class RecordOut(Schema):
    id: int
    volunteer_id: int
    activity_id: int | None
    activity_name: str
    organisation_id: int
    service_date: date
    place: str
    beneficiaries: str
    content: str
    hours: Decimal
    quality_rating: int | None
    status: str
    source: str
    recorder_name: str


class CorrectionIn(Schema):
    hours: Decimal
    reason: str
