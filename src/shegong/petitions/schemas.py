from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from shegong.core.api_schema import Choice, Count, Digits, Id, ModelText, PastDate, Text
from shegong.petitions.models import (
    Category,
    Channel,
    Extension,
    FollowUp,
    Kind,
    Matter,
    Petitioner,
    Rating,
    RatingReview,
    ReplyKind,
    Urgency,
)


class MatterOut(Schema):
    id: int
    number: str
    kind: str
    channel: str
    status: str
    status_label: str
    region_code: str
    category_code: str
    category: str
    title: str
    received_on: date
    handling_org: str | None
    due_stage: str
    due_date: date | None
    due_provisional: bool
    objection_due: date | None
    objection_due_provisional: bool
    hotline_due: date | None
    hotline_due_provisional: bool
    is_overdue: bool
    is_repeat: bool
    repeat_of: str | None
    rating: str

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_region_code(obj):
        return obj.region_id

    @staticmethod
    def resolve_category_code(obj):
        return obj.category.code

    @staticmethod
    def resolve_category(obj):
        return str(obj.category)

    @staticmethod
    def resolve_handling_org(obj):
        return obj.handling_org.name if obj.handling_org_id else None

    @staticmethod
    def resolve_repeat_of(obj):
        return obj.repeat_of.number if obj.repeat_of_id else None


class MatterDetailOut(MatterOut):
    request: str
    facts: str
    reply_kind: str
    reply_text: str
    replied_on: date | None
    closed_on: date | None
    followup_due: date | None
    followup_due_provisional: bool


class PetitionerIn(Schema):
    name: ModelText(Petitioner, "name") = ""
    phone: ModelText(Petitioner, "phone") = ""
    id_number: Text(18) = ""
    address: ModelText(Petitioner, "address") = ""
    is_representative: bool = False


class MatterCreatedOut(MatterDetailOut):
    """A registered matter, with what the registering staff must be told (e.g. that the same
    petitioner's request is handled in another jurisdiction, and whom to contact there)."""

    notices: list[str] = []
    # "review": the filing was recorded as a review request on this (earlier) matter.
    recorded_as: str = ""

    @staticmethod
    def resolve_recorded_as(obj):
        return getattr(obj, "recorded_as", "")

    @staticmethod
    def resolve_notices(obj):
        return [str(n) for n in getattr(obj, "notices", [])]


class MatterIn(Schema):
    kind: Choice(Kind)
    channel: Choice(Channel)
    region_code: Digits = Field(description="事发地的 12 位区划代码（县级或以下）")
    category_code: ModelText(Category, "code", min_length=1)
    title: ModelText(Matter, "title", min_length=1)
    request: ModelText(Matter, "request", min_length=1)
    facts: ModelText(Matter, "facts") = ""
    address: ModelText(Matter, "address") = ""
    urgency: Choice(Urgency) = "normal"
    anonymous: bool = False
    received_on: PastDate | None = None
    petitioners: list[PetitionerIn] = Field([], max_length=50)
    review_choice: Literal["", "review", "repeat"] = Field(
        "",
        description="同一信访人的相同诉求与仍在复查（复核）申请期限内的已答复事项重复时：review 在原"
        "事项上登记复查（复核）申请，repeat 作为重复件登记；不填时返回 409 及原事项",
    )


class EventOut(Schema):
    at: datetime
    action: str
    label: str
    actor_name: str
    org_name: str
    from_status: str
    to_status: str
    note: str
    is_public: bool


class RouteIn(Schema):
    organisation_id: Id
    note: Text(300) = ""


class ReasonIn(Schema):
    reason: Text(1000, min_length=1)


class ReplyIn(Schema):
    reply_kind: Choice(ReplyKind)
    text: ModelText(Matter, "reply_text", min_length=1)


class ExtendIn(Schema):
    days: Count(1, 30)
    reason: ModelText(Extension, "reason", min_length=1)


class FollowUpIn(Schema):
    method: Choice(FollowUp.Method)
    notes: ModelText(FollowUp, "notes", min_length=1)
    rating: Choice(Rating, blank=True) = ""


class FollowUpOut(Schema):
    id: int
    method: str
    notes: str
    rating: str
    on: date
    by: str

    @staticmethod
    def resolve_by(obj):
        return str(obj.by)


class SessionOut(Schema):
    held_on: date
    place: str
    participants: str
    record: str


class MediationConsentOut(Schema):
    side: str
    party: str
    decision: str
    given_on: date
    method: str


class MediationOut(Schema):
    id: int
    matter_number: str
    committee: str
    mediators: str
    started_on: date
    due_date: date
    due_provisional: bool
    outcome: str
    ended_on: date | None
    sessions: list[SessionOut]
    consents: list[MediationConsentOut]
    agreement_terms: str | None
    confirmation_deadline: date | None
    confirmation_deadline_provisional: bool
    confirmation_choice: str | None
    agreement_form: str | None

    @staticmethod
    def resolve_consents(obj):
        return list(obj.consents.all())

    @staticmethod
    def resolve_agreement_form(obj):
        agreement = getattr(obj, "agreement", None)
        return agreement.form if agreement else None

    @staticmethod
    def resolve_matter_number(obj):
        return obj.matter.number

    @staticmethod
    def resolve_committee(obj):
        return obj.committee.name

    @staticmethod
    def resolve_sessions(obj):
        return list(obj.sessions.all())

    @staticmethod
    def resolve_agreement_terms(obj):
        agreement = getattr(obj, "agreement", None)
        return agreement.terms if agreement else None

    @staticmethod
    def resolve_confirmation_deadline(obj):
        agreement = getattr(obj, "agreement", None)
        return agreement.confirmation_deadline if agreement else None

    @staticmethod
    def resolve_confirmation_deadline_provisional(obj):
        agreement = getattr(obj, "agreement", None)
        return bool(agreement and agreement.confirmation_deadline_provisional)

    @staticmethod
    def resolve_confirmation_choice(obj):
        agreement = getattr(obj, "agreement", None)
        return agreement.confirmation_choice if agreement else None


class ConfirmationIn(Schema):
    choice: Literal["apply", "decline"]


class RatingReviewOut(Schema):
    id: int
    matter_id: int
    matter_number: str
    opened_on: date
    due_date: date
    due_provisional: bool
    closed_on: date | None
    outcome: str
    note: str

    @staticmethod
    def resolve_matter_number(obj):
        return obj.matter.number


class RatingReviewCloseIn(Schema):
    outcome: Choice(RatingReview.Outcome)
    note: Text(2000)
