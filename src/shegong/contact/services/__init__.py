"""Contact services, by subdomain: meetings (plan, invite, attend, minutes), raised items."""

from shegong.contact.services.items import (
    item_answer,
    item_assign,
    item_convert,
    item_feed_back,
    item_record,
)
from shegong.contact.services.meetings import (
    attachment_add,
    attendance_record,
    invitation_add,
    meeting_cancel,
    meeting_hold,
    meeting_minutes_record,
    meeting_plan,
)

__all__ = [
    "attachment_add",
    "attendance_record",
    "invitation_add",
    "item_answer",
    "item_assign",
    "item_convert",
    "item_feed_back",
    "item_record",
    "meeting_cancel",
    "meeting_hold",
    "meeting_minutes_record",
    "meeting_plan",
]
