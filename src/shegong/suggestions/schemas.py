"""API schemas of the suggestions box. Staff see the text; a name or contact given with the
resident's consent is shown only on the staff page, never in the API or exports."""

from datetime import date, datetime

from ninja import Schema


class SuggestionOut(Schema):
    id: int
    region_code: str
    submitted_on: date
    text: str
    topic: str
    topic_suggested: str
    keywords: str
    cluster_id: int | None
    status: str
    answer: str
    answered_on: date | None
    published_at: datetime | None
    public_text: str
    matter_number: str

    @staticmethod
    def resolve_matter_number(obj) -> str:
        return obj.matter.number if obj.matter_id else ""


class SuggestionGroupOut(Schema):
    cluster_id: int | None
    topic: str
    count: int
    waiting: int
    latest: date
