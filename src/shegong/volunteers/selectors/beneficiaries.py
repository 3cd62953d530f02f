"""Who a service record served: the registered residents linked to a record, the residents an
organiser may link (inside the record's jurisdiction and visible to them), and the volunteer help
a resident received, for the resident's page. All read through the scoping layer."""

from __future__ import annotations

from django.db.models import QuerySet

from shegong.accounts.models import User
from shegong.core.permissions import has_perm
from shegong.core.regioncode import RegionCode
from shegong.people.models import Resident, ResidentStatus
from shegong.people.selectors import residents_visible
from shegong.volunteers.models import RecordBeneficiary, ServiceRecord

CHOICES_SHOWN = 20


def record_prefix(record: ServiceRecord) -> str:
    """The jurisdiction of a record: the significant digits of where the service took place."""
    return RegionCode(record.region_code).prefix


def linkable_residents(
    *, fetched_by: User, record: ServiceRecord, q: str = ""
) -> QuerySet[Resident]:
    """Residents the caller may link to `record`: visible to them (children and the like only
    to those who serve them), registered (not merged) and inside the record's jurisdiction.
    `q` is a name (or the start of one) or a phone number."""
    if not has_perm(fetched_by, "people.view"):
        return Resident.objects.none()
    qs = (
        residents_visible(fetched_by=fetched_by)
        .in_subtree(record_prefix(record))
        .filter(status=ResidentStatus.ACTIVE, merged_into__isnull=True)
    )
    q = (q or "").strip()
    if q:
        qs = qs.filter(phone=q) if q.isdigit() else qs.filter(name__contains=q)
    return qs.select_related("region").order_by("name", "id")


def record_beneficiaries(*, fetched_by: User, record: ServiceRecord) -> list[RecordBeneficiary]:
    """The registered residents a record served, as far as the caller may see them."""
    if not has_perm(fetched_by, "people.view"):
        return []
    visible = residents_visible(fetched_by=fetched_by).filter(volunteer_services__record=record)
    return list(
        RecordBeneficiary.objects.visible_to(fetched_by)
        .filter(record=record, resident__in=visible)
        .select_related("resident", "resident__region")
        .order_by("linked_at", "id")
    )


def volunteer_help_of(*, fetched_by: User, resident: Resident) -> QuerySet[RecordBeneficiary]:
    """The volunteer service a resident received (the caller fetched the resident through a
    scoped selector): links inside the caller's jurisdiction, void records left out."""
    return (
        RecordBeneficiary.objects.visible_to(fetched_by)
        .filter(resident=resident)
        .exclude(record__status=ServiceRecord.Status.VOID)
        .select_related("record", "record__volunteer", "record__organisation")
        .order_by("-record__service_date", "-id")
    )
