"""Directive services, by subdomain: issuing and cascading, handling a copy, the daily sweep, inspections."""

from shegong.directives.services.handling import (
    completion_accept,
    completion_return,
    directive_close,
    progress_report,
    remind_laggards,
    target_acknowledge,
    target_complete,
)
from shegong.directives.services.inspections import Item, inspection_record, rectification_assign
from shegong.directives.services.issuing import directive_issue, target_cascade
from shegong.directives.services.sweep import SweepResult, directive_sweep

__all__ = [
    "Item",
    "SweepResult",
    "completion_accept",
    "completion_return",
    "directive_close",
    "directive_issue",
    "directive_sweep",
    "inspection_record",
    "progress_report",
    "rectification_assign",
    "remind_laggards",
    "target_acknowledge",
    "target_cascade",
    "target_complete",
]
