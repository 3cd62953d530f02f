"""API schemas of contact."""

from datetime import date

from ninja import Field, Schema

from shegong.contact.models import Invitation, Meeting
from shegong.core.api_schema import Choice, Id, Text


class ContactMeetingOut(Schema):
    id: int
    title: str
    kind: str
    organiser_id: int
    organiser_name: str
    region_code: str
    held_on: date
    place: str
    agenda: str
    status: str
    minutes: str
    summary: str

    @staticmethod
    def resolve_organiser_name(obj) -> str:
        return obj.organiser.name


class ContactMeetingIn(Schema):
    kind: Choice(Meeting.Kind)
    title: Text(200, min_length=1)
    held_on: date
    place: Text(200, min_length=1)
    agenda: Text(20000) = ""


class ContactInvitationOut(Schema):
    id: int
    kind: str
    name: str
    attended: bool | None

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.display_name


class ContactInvitationIn(Schema):
    kind: Choice(Invitation.Kind)
    id: Id  # the record invited: an account, volunteer, organisation or resident id


class ContactAttendanceIn(Schema):
    present: list[Id] = Field(default_factory=list, max_length=2000)


class ContactAttendanceOut(Schema):
    present: int


class RaisedItemIn(Schema):
    raised_by: Id  # an invitation of this meeting
    text: Text(5000, min_length=1)
    consent_publish: bool = False


class RaisedItemOut(Schema):
    id: int
    meeting_id: int
    region_code: str
    raised_by_id: int
    raised_by_name: str
    text: str
    consent_publish: bool
    status: str
    unit_id: int | None
    assigned_on: date | None
    due_date: date | None
    due_provisional: bool
    answer: str
    answered_on: date | None
    on_time: bool | None
    matter_id: int | None

    @staticmethod
    def resolve_raised_by_name(obj) -> str:
        return obj.raised_by.display_name
