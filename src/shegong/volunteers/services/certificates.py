"""Service certificates (志愿服务证明) issued for confirmed records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.errors import ApplicationError
from shegong.orgs.models import Organisation
from shegong.volunteers import rules
from shegong.volunteers.models import (
    Certificate,
    ServiceRecord,
    Volunteer,
)

NUMBERS = (
    "Numbers run per county (volunteers) or per organisation and year (certificates): the "
    "highest number issued there gives the next one; nothing else is read."
)

OWN_ROWS = (
    "Rows of a team, shift, activity, volunteer or record the caller already read through "
    "its scope (or the signed-in volunteer's own), read or locked before they change."
)


@transaction.atomic
def certificate_issue(
    *,
    volunteer: Volunteer,
    organisation: Organisation,
    period_start: date | None = None,
    period_end: date | None = None,
    acting_user: User | None = None,
) -> Certificate:
    """Issue a certificate for the confirmed records this organisation recorded in the period.
    The same request again returns the same certificate (same number)."""
    records = (
        ServiceRecord.objects.unscoped(reason=OWN_ROWS)
        .confirmed()
        .filter(volunteer=volunteer, organisation=organisation)
    )
    if period_start:
        records = records.filter(service_date__gte=period_start)
    if period_end:
        records = records.filter(service_date__lte=period_end)
    rows = list(records.order_by("service_date", "id"))
    if not rows:
        raise ApplicationError(_("所选期间没有该组织确认的服务记录。"), field="organisation")
    start = period_start or rows[0].service_date
    end = period_end or rows[-1].service_date
    total = sum((r.hours for r in rows), Decimal("0"))
    existing = (
        Certificate.objects.unscoped(reason=OWN_ROWS)
        .filter(
            volunteer=volunteer,
            organisation=organisation,
            period_start=start,
            period_end=end,
            hours=total,
        )
        .first()
    )
    if existing is not None:
        return existing
    names = list(dict.fromkeys(r.activity_name for r in rows))
    content = "；".join(names[:8]) + (
        _("等 %(n)d 项活动") % {"n": len(names)} if len(names) > 8 else ""
    )
    year = timezone.localdate().year
    prefix = f"ZYZM-{organisation.region_id[:6]}-{year}-"
    last = (
        Certificate.objects.unscoped(reason=NUMBERS)
        .filter(number__startswith=prefix)
        .aggregate(m=Max("number"))["m"]
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    last_record = rows[-1]
    cert = Certificate(
        number=rules.certificate_number(organisation.region_id, year, sequence),
        volunteer=volunteer,
        organisation=organisation,
        region_code=organisation.region_id,
        period_start=start,
        period_end=end,
        hours=total,
        record_count=len(rows),
        content=content,
        person_in_charge=last_record.person_in_charge or organisation.contact_person or "—",
        handler=last_record.recorder_name or "—",
        contact=organisation.phone or "—",
        issued_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
    )
    try:
        with transaction.atomic():
            cert.save()
    except IntegrityError:
        raise ApplicationError(_("证明编号冲突，请重试。"))
    return cert
