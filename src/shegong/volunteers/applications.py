"""Public volunteer registration (志愿者注册申请): submitted on the portal, reviewed by staff.

The portal answers every well-formed submission with the same "申请已提交" page, so it never
tells whether an ID number is already a volunteer or a login name is taken. A submission whose
ID number is already registered (or waiting for review) records nothing new and changes nothing;
the attempt is audited in the region that holds the record, so that department sees it. Only an
approval by staff of the applicant's home region creates the volunteer and the login; if the
chosen login name has been taken by then, the volunteer number becomes the login name and the
reviewer tells the applicant (docs/decisions/0007-client-address-rate-limits-tokens.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.membership_services import password_check
from shegong.accounts.models import User
from shegong.core import crypto
from shegong.core.audit import audit_record
from shegong.core.errors import ApplicationError
from shegong.core.models import AuditLog
from shegong.core.scoping import ensure_in_jurisdiction
from shegong.volunteers.models import Volunteer, VolunteerApplication
from shegong.volunteers.services import (
    volunteer_account_create,
    volunteer_person,
    volunteer_register,
)

NATIONAL = "A volunteer registers once in the whole country and a login name is unique nationally: these checks read every jurisdiction, and nothing read is shown to the person submitting; an application is locked, then checked against the reviewer's jurisdiction."


def application_submit(
    *,
    data: dict[str, Any],
    consent: bool,
    username: str,
    password: str,
    request=None,
) -> VolunteerApplication | None:
    """Record a registration from the public portal for review; None if nothing was recorded.

    Errors are only about the form itself (a wrong ID checksum, a weak password); whether the
    person or the login name is known is never an error, and the work done (the password is
    hashed either way) is the same."""
    if not consent:
        raise ValidationError({"consent": _("请阅读并同意个人信息使用说明后再注册。")})
    resident, region, fields = volunteer_person(data)
    username = (username or "").strip()
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise ValidationError({"username": exc.messages}) from exc
    password_check(password, username=username, full_name=fields["name"], phone=fields["phone"])
    password_hash = make_password(password)
    digest = crypto.blind_index(resident.number)
    with transaction.atomic():
        if _repeated(digest, resident.number, request=request):
            return None
        application = VolunteerApplication(
            **fields,
            id_number_encrypted=crypto.encrypt(resident.number),
            id_number_hash=digest,
            id_number_masked=crypto.mask_id(resident.number),
            region=region,
            consent_at=timezone.now(),
            username=username,
            password=password_hash,
        )
        application.full_clean(exclude=["decided_by", "volunteer"], validate_constraints=False)
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:  # the same ID submitted at the same moment: one is kept
            return None
    return application


def _repeated(digest: str, id_number: str, *, request) -> bool:
    """The ID number is already a volunteer or waiting for review; if so, audit the attempt
    where the record is held. Reads the whole country on purpose (an ID is registered once
    nationally); nothing read here is shown to the person submitting."""
    digests = crypto.blind_indexes(id_number)  # under every key or scheme still in use
    held = (
        Volunteer.objects.unscoped(reason=NATIONAL)
        .filter(id_number_hash__in=digests)
        .values_list("region_id", "number")
    )
    found = held.first()
    if found is None:
        waiting = (
            VolunteerApplication.objects.unscoped(reason=NATIONAL)
            .pending()
            .filter(id_number_hash__in=digests)
        )
        found = waiting.values_list("region_id", "id").first()
    if found is None:
        return False
    region_code, record = found
    audit_record(
        action=AuditLog.Action.OTHER,
        region_code=region_code,
        detail={
            "event": "volunteer_registration_repeated",
            "id_number": crypto.mask_id(id_number),
            "record": str(record),
        },
        request=request,
    )
    return True


def _pending_for(acting_user: User, application: VolunteerApplication) -> VolunteerApplication:
    locked = (
        VolunteerApplication.objects.unscoped(reason=NATIONAL)
        .select_for_update()
        .get(pk=application.pk)
    )
    ensure_in_jurisdiction(acting_user, locked.region_id)
    if locked.status != VolunteerApplication.Status.PENDING:
        raise ApplicationError(_("该申请已审核，不能重复处理。"), field="status")
    return locked


@transaction.atomic
def application_approve(
    *, application: VolunteerApplication, acting_user: User, request=None
) -> VolunteerApplication:
    """Register the applicant as a volunteer and create their login (志愿者 role)."""
    application = _pending_for(acting_user, application)
    volunteer = volunteer_register(
        data={
            "name": application.name,
            "id_number": crypto.decrypt(application.id_number_encrypted),
            "phone": application.phone,
            "region": application.region,
            "political_status": application.political_status,
            "skills": application.skills,
            "availability": application.availability,
            "languages": application.languages,
            "consent_public": application.consent_public,
        },
        source=Volunteer.Source.PUBLIC,
        acting_user=acting_user,
        consent=True,
        consent_at=application.consent_at,
    )
    username = application.username
    if User.objects.unscoped(reason=NATIONAL).filter(username__iexact=username).exists():
        username = volunteer.number
    user = volunteer_account_create(
        volunteer, username=username, password_hash=application.password, acting_user=acting_user
    )
    application.status = VolunteerApplication.Status.APPROVED
    application.volunteer = volunteer
    application.password = ""
    application.decided_by = acting_user
    application.decided_at = timezone.now()
    application._history_user = acting_user
    application.save(
        update_fields=["status", "volunteer", "password", "decided_by", "decided_at", "updated_at"]
    )
    audit_record(
        action=AuditLog.Action.USER_CHANGE,
        actor=acting_user,
        obj=user,
        region_code=volunteer.region_id,
        detail={"event": "volunteer_login_created", "username": user.username},
        request=request,
    )
    return application


@transaction.atomic
def application_reject(
    *, application: VolunteerApplication, acting_user: User, reason: str
) -> VolunteerApplication:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("请填写不通过的原因。"), field="reason")
    application = _pending_for(acting_user, application)
    application.status = VolunteerApplication.Status.REJECTED
    application.decision_note = reason[:200]
    application.password = ""
    application.decided_by = acting_user
    application.decided_at = timezone.now()
    application._history_user = acting_user
    application.save(
        update_fields=[
            "status",
            "decision_note",
            "password",
            "decided_by",
            "decided_at",
            "updated_at",
        ]
    )
    return application
