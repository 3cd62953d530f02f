"""Repeat detection (重复件): the same petitioner with substantially the same request.

Reads only: `find_repeat` tells registration which earlier matter a new one repeats; the keys
and the similarity measure are shared with the sensitive-column index (core.sensitive)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from shegong.core.crypto import (
    blind_index,
    blind_indexes,
    decrypt,
)
from shegong.core.scoping import jurisdiction_of
from shegong.petitions import deadlines
from shegong.petitions.models import (
    Matter,
    Petitioner,
)
from shegong.petitions.workflow import OPEN_STATUSES, Status

REPEAT_SIMILARITY = 0.6


_NON_WORD = re.compile(r"[\s\W_]+", re.UNICODE)


def _normalise(text: str) -> str:
    return _NON_WORD.sub("", text or "").lower()


def similar(a: str, b: str) -> float:
    a, b = _normalise(a), _normalise(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def phone_index_text(phone: str) -> str:
    """What a phone number's blind index is computed from ("" when too short to be one)."""
    digits = re.sub(r"\D", "", phone or "")
    return f"phone:{digits}" if len(digits) >= 7 else ""


def phone_key(phone: str) -> str:
    return blind_index(phone_index_text(phone))


def phone_keys(phone: str) -> list[str]:
    """`phone_key` under every key and scheme still in use, for lookups (`phone_key__in`)."""
    return blind_indexes(phone_index_text(phone))


def id_number_keys(petitioner: Petitioner) -> list[str]:
    """The petitioner's ID blind index under every key and scheme still in use."""
    token = petitioner.id_number_encrypted
    return blind_indexes(decrypt(token)) if token else []


@dataclass(frozen=True)
class RepeatCheck:
    """What repeat detection found. `earlier` is a matter the filer may see: the new one is
    merged into it. `elsewhere` is the county code of a repeat outside the filer's jurisdiction
    (staff only): nothing is merged or written there, the filer is told whom to contact."""

    earlier: Matter | None = None
    elsewhere: str = ""
    # A closed matter of the filer's scope whose review window is still open: the filing is
    # the petitioner's review (or re-review) request on it, not a new matter (Arts. 35–36).
    review_of: Matter | None = None


def in_review_window(matter: Matter, today: date) -> bool:
    """Whether the petitioner may still ask for a review (复查) or re-review (复核) of `matter`:
    closed with a reply, the chain not ended, and within the request period after the reply."""
    if matter.status != Status.CLOSED or matter.chain_ended or matter.replied_on is None:
        return False
    key = "review_request" if matter.review_level == 0 else "rereview_request"
    return today <= deadlines.period(key, matter.replied_on).due


def _first_similar(candidates, text: str) -> Matter | None:
    for candidate in candidates:
        if similar(text, f"{candidate.title} {candidate.request}") >= REPEAT_SIMILARITY:
            return candidate
    return None


def filer_scope(user, county_code: str):
    """The matters a filer may be merged into: staff's jurisdiction, or for public channels the
    new matter's own county."""
    if user is not None and getattr(user, "is_authenticated", False):
        return Matter.objects.visible_to(user)
    return Matter.objects.in_subtree(county_code) if county_code else Matter.objects.none()


def find_repeat(
    *,
    petitioners: list[Petitioner],
    title: str,
    request: str,
    acting_user=None,
    county_code: str = "",
    today: date | None = None,
) -> RepeatCheck:
    """The earlier matter this one repeats: same petitioner (phone or ID number; one identical
    co-petitioner or representative is enough) with substantially the same request, while the
    earlier one is open or after its review chain ended. Staff (`acting_user`) are merged only
    into matters of their jurisdiction and learn only the county of a repeat elsewhere; public
    channels (no user) only into matters of the new matter's own county (`county_code`)."""
    today = today or timezone.localdate()
    phones = {k for p in petitioners if p.phone_key for k in phone_keys(p.phone)}
    ids = {k for p in petitioners if p.id_number_hash for k in id_number_keys(p)}
    staff = acting_user is not None and getattr(acting_user, "is_authenticated", False)
    if (not phones and not ids) or (not staff and not county_code):
        return RepeatCheck()
    same_person = Q()
    if phones:
        same_person |= Q(petitioners__phone_key__in=phones)
    if ids:
        same_person |= Q(petitioners__id_number_hash__in=ids)
    window_over = today - timedelta(days=deadlines.setting("review_request")[0])
    wanted = Q(same_person, is_repeat=False) & (
        Q(status__in=OPEN_STATUSES)
        | Q(chain_ended=True)
        | Q(status=Status.CLOSED, replied_on__lt=window_over)
    )
    fields = ("id", "title", "request", "status", "number", "region_id", "handling_org_id")
    scope = filer_scope(acting_user, county_code)
    text = f"{title} {request}"
    # Closed matters still within (or near) their review window, read through the same scope:
    # a filing that repeats one of them is a review request on it.
    reviewable = Q(same_person, is_repeat=False, status=Status.CLOSED, chain_ended=False)
    candidates = (
        scope.filter(wanted | reviewable)
        .distinct()
        .order_by("received_on", "id")
        .only(*fields, "chain_ended", "replied_on", "review_level", "received_on")[:50]
    )
    earlier = _first_similar(candidates, text)
    if earlier is not None and in_review_window(earlier, today):
        return RepeatCheck(review_of=earlier)
    if earlier is not None or not staff:
        return RepeatCheck(earlier=earlier)
    jurisdiction = jurisdiction_of(acting_user)
    if jurisdiction.is_national:
        return RepeatCheck()
    low, high = jurisdiction.range()
    outside = (
        Matter.objects.unscoped(
            reason="Repeat detection tells staff that the same petitioner's request is handled "
            "in another county and whom to contact there; only that county's code leaves here."
        )
        .filter(wanted | reviewable)
        .exclude(region_id__gte=low, region_id__lte=high)
        .distinct()
        .order_by("received_on", "id")
        .only("id", "title", "request", "county_code")[:50]
    )
    found = _first_similar(outside, text)
    return RepeatCheck(elsewhere=found.county_code if found is not None else "")
