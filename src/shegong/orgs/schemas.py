from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema


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
    name: str
    kind: str
    region: str = Field(description="区划代码（6/9/12 位）或辖区内唯一的区划名称")
    sector: str = ""
    parent_id: int | None = None
    credit_code: str = ""
    address: str = ""
    phone: str = ""
    contact_person: str = ""
    opening_hours: str = ""
    services: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    description: str = ""


class OrganisationPatch(Schema):
    name: str | None = None
    kind: str | None = None
    region: str | None = None
    sector: str | None = None
    parent_id: int | None = None
    credit_code: str | None = None
    address: str | None = None
    phone: str | None = None
    contact_person: str | None = None
    opening_hours: str | None = None
    services: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    description: str | None = None
    is_active: bool | None = None


class HistoryChangeOut(Schema):
    field: str
    old: str | None
    new: str | None


class HistoryEntryOut(Schema):
    at: datetime
    user: str | None
    kind: str
    changes: list[HistoryChangeOut]
