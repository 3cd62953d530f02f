"""What a phone sends for each kind of record (the `payload` of a sync record). Checked record by
record: a bad value rejects that record only, with the field and the reason."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from shegong.core.api_schema import Choice, Id, ModelText, PastDate, Text
from shegong.field.models import NotReachedReason
from shegong.people.models import AssistanceKind, Visit, VisitMode
from shegong.petitions.models import Urgency

# A phone compresses its photos before queueing them; one decoded photo may not pass this.
MAX_PHOTO_BYTES = 1024 * 1024
# base64 of MAX_PHOTO_BYTES (4/3), with room for a data: prefix
MAX_PHOTO_TEXT = MAX_PHOTO_BYTES * 4 // 3 + 100


class Position(Schema):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    accuracy: float | None = Field(None, ge=0, le=100000)


class Checklist(Schema):
    finding_health: ModelText(Visit, "finding_health") = ""
    finding_living: ModelText(Visit, "finding_living") = ""
    finding_safety: ModelText(Visit, "finding_safety") = ""
    finding_mood: ModelText(Visit, "finding_mood") = ""


class VisitPayload(Schema):
    resident_id: Id
    plan_id: Id | None = None
    route_version: datetime | None = Field(
        None, description="the route's downloaded_at: a resident changed after it is a conflict"
    )
    visited_on: PastDate | None = None
    mode: Choice(VisitMode) = VisitMode.HOME
    visitors: ModelText(Visit, "visitors") = ""
    checklist: Checklist = Checklist()
    needs: ModelText(Visit, "needs") = ""
    needs_categories: list[Choice(AssistanceKind)] = Field([], max_length=10)
    photo: Text(MAX_PHOTO_TEXT) = ""
    position: Position | None = None


class PartyIn(Schema):
    name: Text(50, min_length=1)
    phone: Text(20) = ""


class FindingPayload(Schema):
    region_code: Text(12, pattern="^([0-9]{12})?$") = ""
    resident_id: Id | None = None
    category: Text(40, min_length=1)
    summary: Text(4000, min_length=1)
    facts: Text(4000) = ""
    address: Text(200) = ""
    urgency: Choice(Urgency) = Urgency.NORMAL
    parties: list[PartyIn] = Field([], max_length=20)
    photo: Text(MAX_PHOTO_TEXT) = ""
    position: Position | None = None


class NotReachedPayload(Schema):
    resident_id: Id
    plan_id: Id | None = None
    route_version: datetime | None = None
    attempted_on: PastDate | None = None
    reason: Choice(NotReachedReason)
    note: Text(300) = ""
    position: Position | None = None


def day_of(given: date | None, recorded_at: datetime) -> date:
    """The day a record is about: the one given, else the day the phone recorded it."""
    if given is not None:
        return given
    from django.utils import timezone

    if timezone.is_aware(recorded_at):
        return timezone.localtime(recorded_at).date()
    return recorded_at.date()
