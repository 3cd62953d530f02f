"""Emergency services, by subdomain: events (declare with their tasks, start, close),
outcomes (recording what a worker found), reminders (escalating as the target time nears)."""

from shegong.emergency.services.events import (
    event_close,
    event_declare,
    event_start,
    tasks_create,
    volunteers_mobilise,
)
from shegong.emergency.services.outcomes import outcome_record
from shegong.emergency.services.reminders import sweep_reminders, thresholds_reached

__all__ = [
    "event_close",
    "event_declare",
    "event_start",
    "outcome_record",
    "sweep_reminders",
    "tasks_create",
    "thresholds_reached",
    "volunteers_mobilise",
]
