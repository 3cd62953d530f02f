"""Reads behind a registration: the station serving a home region, whether an ID number is
already a volunteer anywhere, and what staff may be told about it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core import crypto
from shegong.core.scoping import code_range, jurisdiction_of
from shegong.orgs.models import Kind, Organisation
from shegong.orgs.selectors import department_to_contact
from shegong.volunteers.models import (
    Volunteer,
)

HOME_STATION = (
    "The station or department serving a home region (public bodies), found by region "
    "code for a volunteer who registers there."
)


def home_organisation(region_code: str) -> Organisation | None:
    """The social work station (or the nearest department above) that serves a home region."""
    prefixes = [region_code[:n] for n in (9, 6, 4, 2)]
    for prefix in prefixes:
        low, high = code_range(prefix)
        candidates = (
            Organisation.objects.unscoped(reason=HOME_STATION)
            .filter(
                region_id__gte=low,
                region_id__lte=high,
                kind__in=(Kind.SOCIAL_WORK_STATION, Kind.SOCIAL_WORK_DEPARTMENT),
                is_active=True,
            )
            .order_by("kind", "region_id", "id")
        )
        found = candidates.first()
        if found is not None:
            return found
    return None


def volunteer_id_holders(numbers: list[str]) -> dict[str, str]:
    """`{ID number: region code}` of volunteers registered with these ID numbers anywhere (under
    any key or scheme still in use): a volunteer registers once in the whole country. Only the
    region code leaves here."""
    candidates = {h: number for number in numbers for h in crypto.blind_indexes(number)}
    found = (
        Volunteer.objects.unscoped(
            reason="A volunteer registers once in the whole country: an ID number already "
            "registered is refused wherever it is; only the holder's region code is read."
        )
        .filter(id_number_hash__in=list(candidates))
        .values_list("id_number_hash", "region_id")
    )
    return {candidates[h]: region for h, region in found}


def id_taken_message(holder_region: str, *, fetched_by: User | None) -> str:
    """Staff of the holder's jurisdiction learn that the ID number is registered; staff elsewhere
    only whom to contact."""
    if fetched_by is None or jurisdiction_of(fetched_by).contains(holder_region):
        return _("该身份证号已注册为志愿者。")
    return _("该身份证号已在其他辖区注册为志愿者，请联系%(dept)s。") % {
        "dept": department_to_contact(holder_region)
    }
