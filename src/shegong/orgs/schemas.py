from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from shegong.accounts.models import Role
from shegong.core.api_schema import (
    Choice,
    Count,
    DecimalRange,
    Digits,
    Id,
    ModelText,
    PastDate,
    Search,
    Text,
)
from shegong.orgs.models import DutyItem, DutyList, Kind, Organisation, Sector, StaffingStandard
from shegong.regions.schemas import RegionText

Latitude = DecimalRange(-90, 90, places=6)
Longitude = DecimalRange(-180, 180, places=6)


def _text(field: str):
    return ModelText(Organisation, field)


class OrganisationFilters(Schema):
    kind: Choice(Kind, blank=True) = ""
    region: Digits = ""
    q: Search = ""
    sector: Choice(Sector, blank=True) = ""


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    sector: str
    region_id: str
    parent_id: int | None
    credit_code: str
    address: str
    phone: str
    contact_person: str
    opening_hours: str
    services: str
    latitude: Decimal | None
    longitude: Decimal | None
    is_active: bool
    updated_at: datetime


class OrganisationIn(Schema):
    name: ModelText(Organisation, "name", min_length=1)
    kind: Choice(Kind)
    region: RegionText
    sector: Choice(Sector, blank=True) = ""
    parent_id: Id | None = None
    credit_code: _text("credit_code") = ""
    address: _text("address") = ""
    phone: _text("phone") = ""
    contact_person: _text("contact_person") = ""
    opening_hours: _text("opening_hours") = ""
    services: _text("services") = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    description: _text("description") = ""


class OrganisationPatch(Schema):
    """Only the fields sent are changed. A field that cannot be empty in the database is not
    nullable here either (`null` is a 422, not a 500); send "" to clear a text."""

    name: ModelText(Organisation, "name", min_length=1) = None
    kind: Choice(Kind) = None
    region: RegionText = None
    sector: Choice(Sector, blank=True) = None
    parent_id: Id | None = None
    credit_code: _text("credit_code") = None
    address: _text("address") = None
    phone: _text("phone") = None
    contact_person: _text("contact_person") = None
    opening_hours: _text("opening_hours") = None
    services: _text("services") = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    description: _text("description") = None
    is_active: bool = None


class HistoryChangeOut(Schema):
    field: str
    old: str | None
    new: str | None


class HistoryEntryOut(Schema):
    at: datetime
    user: str | None
    kind: str
    changes: list[HistoryChangeOut]


# ---- staffing standards -----------------------------------------------------------------------


class StaffingStandardOut(Schema):
    id: int
    region_code: str = Field(description="省级或地级区划代码；空为全国默认")
    place: str
    workers_per_station: int
    funding_per_station: int | None = Field(description="每站年度经费（分）")
    document_title: str
    document_number: str
    issued_on: date | None
    url: str
    note: str
    source: str

    @staticmethod
    def resolve_place(obj) -> str:
        return getattr(obj, "place", "") or obj.region_code


class StaffingStandardIn(Schema):
    region: RegionText | None = Field(
        None, description="省级或地级区划（代码或名称）；不填为全国默认（仅全国管理员）"
    )
    workers_per_station: Count(1, 100)
    funding_per_station: Count(0, 10**12) | None = Field(None, description="每站年度经费（分）")
    document_title: ModelText(StaffingStandard, "document_title", min_length=1)
    document_number: ModelText(StaffingStandard, "document_number") = ""
    issued_on: PastDate | None = None
    url: ModelText(StaffingStandard, "url") = ""
    note: Text(2000) = ""


class StaffingStandardQuery(Schema):
    region: Digits = Field("", description="区划代码；不填为本辖区")


# ---- duty lists (职责清单) ---------------------------------------------------------------------


class DutyItemOut(Schema):
    order: int
    title: str
    basis: str
    description: str
    keywords: list[str] = Field(alias="keyword_list")


class DutyListOut(Schema):
    id: int
    organisation_id: int
    role: str = Field(description="岗位（角色）；空为整个单位")
    role_label: str
    version: int
    status: str = Field(description="draft 草稿 / published 现行 / superseded 已废止")
    note: str
    published_at: datetime | None
    superseded_at: datetime | None
    items: list[DutyItemOut]

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.items.all())


class DutyListSummaryOut(Schema):
    id: int
    role: str
    role_label: str
    version: int
    status: str
    note: str
    published_at: datetime | None
    superseded_at: datetime | None


class DutyItemIn(Schema):
    title: ModelText(DutyItem, "title", min_length=1)
    basis: ModelText(DutyItem, "basis") = ""
    description: Text(5000) = ""
    keywords: ModelText(DutyItem, "keywords") = ""


class DutyListPublishIn(Schema):
    role: Choice(Role, blank=True) = Field("", description="岗位（角色）；空为整个单位")
    note: ModelText(DutyList, "note") = ""
    items: list[DutyItemIn] = Field(..., min_length=1, max_length=200)


class DutyHolderItemOut(Schema):
    title: str
    basis: str


class DutyHolderOut(Schema):
    organisation_id: int
    organisation_name: str
    region_code: str
    score: int
    items: list[DutyHolderItemOut]

    @staticmethod
    def resolve_organisation_id(obj) -> int:
        return obj.organisation.pk

    @staticmethod
    def resolve_organisation_name(obj) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.organisation.region_id


class DutyHolderQuery(Schema):
    text: Text(2000, min_length=1) = Field(..., description="事项描述或关键词")
    within: Digits = Field("", description="区划代码或前缀，限于辖区内")
