from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from shegong.core.api_schema import Choice, DecimalRange, Digits, Id, ModelText, Search
from shegong.orgs.models import Kind, Organisation, Sector
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
