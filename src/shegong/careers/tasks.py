"""Daily background work of the careers app, booked by `shegong schedule_tasks` (see
`shegong.core.schedule`): the sweep (06:10) that lets title results take effect after their
public notice, and the workforce summary rows (00:40) that the staffing roll-up of the country,
a province or a city reads."""

from __future__ import annotations

from datetime import time

from django_tasks import task

from shegong.core.schedule import book_next

SWEEP_AT = time(6, 10)
TALLY_AT = time(0, 40)


@task()
def title_notice_sweep_task(reschedule: bool = False) -> int:
    from shegong.careers.services.titles import notice_sweep

    taken = notice_sweep()
    if reschedule:
        book_next(title_notice_sweep_task, SWEEP_AT)
    return taken


@task()
def staffing_tally_task(reschedule: bool = True) -> dict:
    from shegong.careers.services.tally import staffing_tally_refresh

    rows = staffing_tally_refresh()
    if reschedule:
        book_next(staffing_tally_task, TALLY_AT)
    return {"rows": rows}


DAILY = [(title_notice_sweep_task, SWEEP_AT), (staffing_tally_task, TALLY_AT)]
