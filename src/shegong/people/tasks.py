"""The residents' summary rows (people.ResidentTally) as a nightly background task: refreshed at
00:20 local time, after midnight so that "overdue" and the age of 14 are those of the new day;
each run books the next (see `shegong.core.schedule`)."""

from __future__ import annotations

from datetime import time

from django_tasks import task

from shegong.core.schedule import book_next

TALLY_AT = time(0, 20)


@task()
def tally_refresh_task(reschedule: bool = True) -> dict:
    from shegong.people.services import tally_refresh

    rows = tally_refresh()
    if reschedule:
        book_next(tally_refresh_task, TALLY_AT)
    return {"rows": rows}


DAILY = [(tally_refresh_task, TALLY_AT)]
