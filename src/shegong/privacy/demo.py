"""Demo consent records for the residents of the demo social worker (天河区): sharing on referral
by written consent (a guardian's for children), a statutory basis for residents on minimum
livelihood or special-hardship support, photo consents, one of them withdrawn. Idempotent: a
resident who has any record is left alone."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from shegong.accounts.models import User
from shegong.people.models import Resident
from shegong.privacy import services
from shegong.privacy.models import Consent, Purpose

UNSCOPED_READS = (
    "Demo seeding, run once as the system by `shegong demo` over the demo data it created."
)

STATUTES = {"dibao": "subsistence", "dibao_margin": "subsistence", "tekun": "extreme_poverty"}


def _acting(username: str) -> User | None:
    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    user.active_membership = user.memberships.select_related("organisation__region").first()
    return user if user.active_membership else None


@transaction.atomic
def load(*, stdout) -> None:
    worker = _acting("worker")
    if worker is None:
        stdout.write("privacy: demo users missing, skipped")
        return
    residents = (
        Resident.objects.filter(assigned_worker=worker)
        .exclude(pk__in=Consent.objects.values("resident_id"))
        .prefetch_related("category_links__category")
        .order_by("id")
    )
    today = date.today()
    made = 0
    for index, resident in enumerate(residents):
        codes = {link.category.code for link in resident.category_links.all()}
        statute = next((STATUTES[c] for c in codes if c in STATUTES), "")
        given_on = max(resident.birth_date, today - timedelta(days=30 + index))
        common = {"acting_user": worker, "resident": resident, "given_on": given_on}
        if statute:
            for purpose in (Purpose.REFERRAL, Purpose.HEALTH):
                services.consent_record(
                    purpose=purpose, basis="statutory", statute=statute, **common
                )
                made += 1
        else:
            guardian = {}
            if resident.is_child:
                guardian = {
                    "guardian_name": f"{resident.name[:1]}家长",
                    "guardian_relation": "parent",
                }
            services.consent_record(
                purpose=Purpose.REFERRAL,
                basis="consent",
                method="written",
                given_by="guardian" if guardian else "self",
                **guardian,
                **common,
            )
            made += 1
        if index % 4 == 0 and not resident.is_child:
            photos = services.consent_record(
                purpose=Purpose.PHOTOS, basis="consent", method="oral", given_by="self", **common
            )
            made += 1
            if index % 8 == 0:
                services.consent_withdraw(
                    acting_user=worker,
                    consent=photos,
                    withdrawn_on=today - timedelta(days=2),
                    withdrawn_by_name=resident.name,
                )
    stdout.write(f"privacy: {made} consent records")
