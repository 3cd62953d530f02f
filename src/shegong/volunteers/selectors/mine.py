"""The volunteer's own page and certificates, and the public certificate check."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum

from shegong.accounts.models import User
from shegong.orgs.models import Organisation
from shegong.volunteers.models import (
    Certificate,
    ServiceRecord,
    SignUp,
    Volunteer,
)

OWN_ROWS = (
    "Rows of a team, activity or volunteer the caller already read through its scope (or "
    "the signed-in volunteer's own record, sign-ups, records and certifying "
    "organisations)."
)

PUBLIC_VERIFY = (
    "The public certificate check (portal/verify): a certificate is found only by its "
    "full number and shows only what the certificate itself states."
)


def volunteer_of(*, fetched_by: User) -> Volunteer | None:
    """The signed-in user's own volunteer record (None: they are not a volunteer)."""
    if not fetched_by.is_authenticated:
        return None
    return (
        Volunteer.objects.unscoped(reason=OWN_ROWS)
        .filter(user=fetched_by)
        .select_related("region")
        .first()
    )


def my_page(volunteer: Volunteer) -> dict:
    from shegong.volunteers.rules import star_level, star_thresholds

    signups = (
        SignUp.objects.unscoped(reason=OWN_ROWS)
        .filter(volunteer=volunteer)
        .select_related("shift__activity")
        .order_by("-shift__starts_at")[:50]
    )
    records = (
        ServiceRecord.objects.unscoped(reason=OWN_ROWS)
        .filter(volunteer=volunteer)
        .select_related("organisation")
    )
    by_org = (
        records.filter(status=ServiceRecord.Status.CONFIRMED)
        .values("organisation_id", "organisation__name")
        .annotate(hours=Sum("hours"), n=Count("id"))
        .order_by("organisation__name")
    )
    hours = volunteer.certified_hours
    thresholds = star_thresholds()
    nxt = next((t for t in thresholds if hours < t), None)
    return {
        "volunteer": volunteer,
        "signups": signups,
        "records": records.order_by("-service_date", "-id")[:50],
        "by_org": list(by_org),
        "certificates": volunteer.certificates.select_related("organisation")[:20],
        "notices": volunteer.notices.all()[:10],
        "stars": star_level(hours),
        "next_threshold": nxt,
        "to_next": (nxt - hours) if nxt is not None else None,
    }


def volunteer_hours_total(volunteer_id: int) -> Decimal:
    """The certified total straight from the records (the benchmarked query)."""
    total = (
        ServiceRecord.objects.unscoped(reason=OWN_ROWS)
        .filter(volunteer_id=volunteer_id, status=ServiceRecord.Status.CONFIRMED)
        .aggregate(t=Sum("hours"))["t"]
    )
    return total or Decimal("0")


def my_certificate(*, volunteer: Volunteer, pk: int) -> Certificate | None:
    """One of the volunteer's own certificates."""
    return volunteer.certificates.select_related("volunteer", "organisation").filter(pk=pk).first()


def my_signup(*, volunteer: Volunteer, pk: int) -> SignUp | None:
    """One of the volunteer's own sign-ups."""
    return SignUp.objects.unscoped(reason=OWN_ROWS).filter(pk=pk, volunteer=volunteer).first()


def certifying_organisation(*, volunteer: Volunteer, org_id: int) -> Organisation | None:
    """An organisation that recorded confirmed service for this volunteer (it may certify it)."""
    return (
        Organisation.objects.unscoped(reason=OWN_ROWS)
        .filter(
            pk=org_id,
            pk__in=ServiceRecord.objects.unscoped(reason=OWN_ROWS)
            .confirmed()
            .filter(volunteer=volunteer)
            .values("organisation_id"),
        )
        .first()
    )


def certificate_by_number(number: str) -> Certificate | None:
    return (
        Certificate.objects.unscoped(reason=PUBLIC_VERIFY)
        .select_related("volunteer", "organisation")
        .filter(number=(number or "").strip().upper())
        .first()
    )
