from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from shegong.core.api_schema import (
    Choice,
    Count,
    DecimalRange,
    Id,
    ModelText,
    PlannedDateTime,
    Text,
)
from shegong.regions.schemas import RegionText
from shegong.volunteers.models import (
    Activity,
    PoliticalStatus,
    ServiceType,
    Shift,
    Skill,
    Volunteer,
)

Skills = list[Choice(Skill)]

# The one region type of the API (resolved by regions.selectors.region_resolve), refusing
# control characters as every text input of the API does.
Region = Annotated[(RegionText, *Text(100, min_length=1).__metadata__)]


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
    name: ModelText(Volunteer, "name", min_length=1)
    id_number: Text(18, min_length=1)
    phone: ModelText(Volunteer, "phone", min_length=1)
    region: Region = Field(description="居住地的区划（代码或名称）")
    political_status: Choice(PoliticalStatus) = "masses"
    skills: Skills = Field([], max_length=30)
    availability: list[Count(0, 6)] = Field([], max_length=7, description="0 = 周一 … 6 = 周日")
    languages: ModelText(Volunteer, "languages") = "普通话"
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
    title: ModelText(Shift, "title") = ""
    starts_at: PlannedDateTime
    ends_at: PlannedDateTime
    capacity: Count(1, 10_000)
    required_skills: Skills = Field([], max_length=30)


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
    title: ModelText(Activity, "title", min_length=1)
    description: ModelText(Activity, "description") = ""
    service_type: Choice(ServiceType)
    beneficiaries: ModelText(Activity, "beneficiaries") = ""
    address: ModelText(Activity, "address") = ""
    region: Region | None = Field(
        None, description="活动所在的区划（代码或名称；默认为本单位所在区划）"
    )
    starts_at: PlannedDateTime
    ends_at: PlannedDateTime
    is_brand: bool = False
    brand_name: ModelText(Activity, "brand_name") = ""
    auto_accept: bool = True
    publish: bool = False
    shifts: list[ShiftIn] = Field([], max_length=50)


class SignUpIn(Schema):
    volunteer_id: Id


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
    hours: DecimalRange(0, 24)
    reason: Text(300, min_length=1)


class ApplicationOut(Schema):
    """A registration from the public portal, as its reviewer sees it."""

    id: int
    name: str
    region_id: str
    status: str
    decision_note: str
    volunteer_id: int | None
    created_at: datetime
    decided_at: datetime | None


class BeneficiaryIn(Schema):
    """A registered resident the record served (found with `…/resident-choices`)."""

    resident_id: Id


class BeneficiaryOut(Schema):
    resident_id: int
    resident_name: str = Field(alias="resident.name")
    region_code: str = Field(alias="resident.region_id")
    linked_at: datetime


class ResidentChoiceOut(Schema):
    id: int
    name: str
    region_code: str = Field(alias="region_id")
    region_name: str = Field(alias="region.name")


class VolunteerHelpOut(Schema):
    """One service record that served the resident, as the resident's page shows it."""

    record_id: int
    service_date: date = Field(alias="record.service_date")
    activity_name: str = Field(alias="record.activity_name")
    volunteer_name: str = Field(alias="record.volunteer.name")
    content: str = Field(alias="record.content")
    hours: Decimal = Field(alias="record.hours")
    status: str = Field(alias="record.status")
    organisation: str = Field(alias="record.organisation.name")
