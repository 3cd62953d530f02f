"""Sent after a year's holiday schedule is loaded, so apps recompute provisional deadlines."""

from django.dispatch import Signal

# kwargs: year (int), calendar (WorkCalendar)
schedule_loaded = Signal()
