"""Worker profiles made directly through the ORM (the workforce services are another branch's)."""

from __future__ import annotations

from datetime import date
from itertools import count

from shegong.orgs.models import Organisation
from shegong.workforce.models import Certificate, WorkerProfile

_n = count(1)


def make_worker(
    employer: Organisation,
    *,
    name: str | None = None,
    user=None,
    education: str = "bachelor",
    status: str = "in_post",
    post_start_date: date | None = date(2020, 3, 1),
    left_on: date | None = None,
    leave_reason: str = "",
    certified: str | None = None,
    **fields,
) -> WorkerProfile:
    worker = WorkerProfile.objects.create(
        name=name or f"社工{next(_n)}",
        user=user,
        education=education,
        employer=employer,
        region_code=employer.region_id,
        status=status,
        post_start_date=post_start_date,
        left_on=left_on,
        leave_reason=leave_reason,
        social_work_major=True,
        **fields,
    )
    if certified:
        Certificate.objects.create(
            worker=worker,
            region_code=worker.region_code,
            level=certified,
            number=f"T{worker.pk:08d}{certified[:2]}",
            issued_on=date(2019, 6, 1),
        )
    return worker
