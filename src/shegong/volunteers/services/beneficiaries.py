"""Linking a service record to the registered residents it served (服务对象), so that the help
shows on the resident's page. Who may link: an organiser of the record's jurisdiction who may see
the resident; which residents: registered, inside the record's jurisdiction, and who have not
withdrawn their consent to volunteer service (privacy purpose `volunteer_visits`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.errors import ApplicationError
from shegong.core.scoping import ensure_in_jurisdiction
from shegong.privacy.models import Purpose
from shegong.privacy.selectors import ensure_processing_allowed
from shegong.volunteers.models import RecordBeneficiary, ServiceRecord
from shegong.volunteers.selectors.beneficiaries import linkable_residents

OWN_ROWS = "The links of a service record the caller already read through its scope."


@transaction.atomic
def record_link_resident(
    *, record: ServiceRecord, resident_id: int, acting_user: User
) -> RecordBeneficiary:
    ensure_in_jurisdiction(acting_user, record.region_code)
    if record.status == ServiceRecord.Status.VOID:
        raise ApplicationError(_("已作废的记录不能关联服务对象。"), field="status")
    # One answer for "no such resident", "not yours" and "outside this service's area".
    resident = (
        linkable_residents(fetched_by=acting_user, record=record).filter(pk=resident_id).first()
    )
    if resident is None:
        raise ValidationError(
            {"resident": _("在本次服务所在辖区内没有找到该服务对象（或您无权查看）。")},
            code="not_found",
        )
    ensure_processing_allowed(resident, Purpose.VOLUNTEER_VISITS, field="resident")
    if (
        RecordBeneficiary.objects.unscoped(reason=OWN_ROWS)
        .filter(record=record, resident=resident)
        .exists()
    ):
        raise ValidationError({"resident": _("该服务对象已关联到本条记录。")}, code="duplicate")
    link = RecordBeneficiary(
        record=record,
        resident=resident,
        region_code=resident.region_id,
        linked_by=acting_user,
        linked_at=timezone.now(),
    )
    link._history_user = acting_user
    link.save()
    return link


@transaction.atomic
def record_unlink_resident(*, record: ServiceRecord, resident_id: int, acting_user: User) -> None:
    ensure_in_jurisdiction(acting_user, record.region_code)
    link = (
        RecordBeneficiary.objects.visible_to(acting_user)
        .filter(record=record, resident_id=resident_id)
        .first()
    )
    if link is None:
        raise ValidationError({"resident": _("该服务对象未关联到本条记录。")}, code="not_linked")
    link._history_user = acting_user
    link.delete()
