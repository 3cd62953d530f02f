"""Registration (登记): a matter from a counter, a letter, the public form, Open311 or a care
visit; its petitioners, its attachments and repeat detection."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from shegong.core.attachments import check_attachment
from shegong.core.crypto import (
    blind_index,
    encrypt,
    mask_id,
    validate_resident_id,
)
from shegong.core.errors import ApplicationError
from shegong.core.permissions import has_perm
from shegong.core.scoping import jurisdiction_of
from shegong.core.validation import check_past_event_date
from shegong.orgs.selectors import department_to_contact
from shegong.people.models import Resident
from shegong.petitions import deadlines
from shegong.petitions.models import (
    Attachment,
    Category,
    Channel,
    Kind,
    Matter,
    MatterSequence,
    Petitioner,
    Tier,
)
from shegong.petitions.repeats import filer_scope, find_repeat, id_number_keys, phone_key
from shegong.petitions.services._common import _event, _org_of, _today
from shegong.petitions.workflow import Status
from shegong.regions.models import Region
from shegong.workdays import obligations

MAX_REPRESENTATIVES = 5


class ReviewChoice:
    """What the filer chose when a filing repeats a matter still within its review window."""

    ASK = ""  # not chosen yet: registration stops and offers the review path
    REVIEW = "review"  # a review (re-review) request on the earlier matter
    REPEAT = "repeat"  # no review: recorded as a repeat of the earlier matter, not counted
    VALUES = (ASK, REVIEW, REPEAT)


class ReviewOffered(ApplicationError):
    """The filing repeats a replied matter still within its review window (Arts. 35–36): the
    filer chooses between a review request on it and a repeat; it is never a new matter."""

    status_code = 409

    def __init__(self, earlier: Matter, due: date):
        review = earlier.review_level == 0
        super().__init__(
            _(
                "与已答复事项 %(n)s（%(t)s）为同一信访人的相同诉求，仍在%(k)s申请期限内"
                "（至 %(d)s），不作为新事项登记。请选择：申请%(k)s，或不申请%(k)s、"
                "作为重复件登记。"
            )
            % {
                "n": earlier.number,
                "t": earlier.title,
                "k": _("复查") if review else _("复核"),
                "d": due.isoformat(),
            },
            field="review_choice",
            code="review_offered",
            details={
                "code": "review_offered",
                "matter": {"id": earlier.pk, "number": earlier.number, "title": earlier.title},
                "review_due": due.isoformat(),
                "choices": [ReviewChoice.REVIEW, ReviewChoice.REPEAT],
            },
        )
        self.earlier = earlier


def _next_number(county_code: str, on: date) -> str:
    key = f"{county_code}{on:%Y%m%d}"
    MatterSequence.objects.get_or_create(key=key)
    MatterSequence.objects.filter(key=key).update(last=F("last") + 1)
    last = MatterSequence.objects.values_list("last", flat=True).get(key=key)
    return f"{key}{last:04d}"


def _clean_petitioners(rows: list[dict[str, Any]], *, anonymous: bool) -> list[Petitioner]:
    people = []
    for index, row in enumerate(rows):
        name = (row.get("name") or "").strip()
        phone = re.sub(r"[^\d+-]", "", row.get("phone") or "")
        if not name and not phone and not row.get("id_number"):
            continue
        if not name and not anonymous:
            raise ValidationError({"petitioners": _("请填写信访人姓名。")})
        p = Petitioner(
            name=name,
            phone=phone,
            phone_key=phone_key(phone),
            address=(row.get("address") or "").strip(),
            is_representative=bool(row.get("is_representative")),
            resident_ref=(row.get("resident_ref") or "").strip(),
            resident_id=row.get("resident_id"),
        )
        id_number = (row.get("id_number") or "").strip()
        if id_number:
            rid = validate_resident_id(id_number, field="petitioners")
            p.id_number_encrypted = encrypt(rid.number)
            p.id_number_hash = blind_index(rid.number)
            p.id_number_masked = mask_id(rid.number)
        p.is_primary = index == 0
        people.append(p)
    if people and not any(p.is_primary for p in people):
        people[0].is_primary = True
    return people


def _link_residents(people: list[Petitioner], *, fetched_by=None, county_code: str = "") -> None:
    """Link petitioners to residents' records where the ID number is known (one query), among
    the residents the filer may see (staff: their jurisdiction; public channels: the county).
    The ID number is looked up under every key or scheme still in use."""
    wanted: dict[str, list[Petitioner]] = {}
    for p in people:
        if p.id_number_hash and p.resident_id is None:
            for h in id_number_keys(p):
                wanted.setdefault(h, []).append(p)
    if not wanted:
        return
    if fetched_by is not None:
        residents = Resident.objects.visible_to(fetched_by)
    elif county_code:
        residents = Resident.objects.in_subtree(county_code)
    else:
        return
    found = residents.filter(id_number_hash__in=list(wanted)).values_list("id_number_hash", "pk")
    for h, pk in found:
        for p in wanted[h]:
            if p.resident_id is None:
                p.resident_id = pk


@transaction.atomic
def matter_register(
    *,
    acting_user=None,
    kind: str,
    channel: str,
    region_code: str,
    category: Category,
    title: str,
    request: str,
    petitioners: list[dict[str, Any]],
    facts: str = "",
    address: str = "",
    urgency: str = "normal",
    anonymous: bool = False,
    is_group: bool = False,
    people_count: int = 1,
    received_on: date | None = None,
    finding_ref: str = "",
    tier: int = Tier.COUNTY,
    review_choice: str = ReviewChoice.ASK,
) -> Matter:
    """Register a matter (登记). A repeat is linked to the earlier matter and not counted.

    A filing that repeats a replied matter still within its review window is the petitioner's
    review request, never a new matter: without `review_choice` it is refused with the earlier
    matter (`ReviewOffered`); "review" records the request on the earlier matter and returns it
    (`recorded_as == "review"`); "repeat" records a repeat of it (not counted)."""
    today = _today()
    if review_choice not in ReviewChoice.VALUES:
        raise ValidationError({"review_choice": _("请选择是否申请复查（复核）。")})
    received_on = received_on or today
    check_past_event_date(received_on, field="received_on")
    if kind not in Kind.values:
        raise ValidationError({"kind": _("请选择类型。")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("请选择来源渠道。")})
    if anonymous and not (channel == Channel.ONLINE and kind == Kind.COMPLAINT):
        raise ValidationError({"anonymous": _("只有网上投诉可以匿名。")})
    if not (request or "").strip():
        raise ValidationError({"request": _("请填写诉求。")})
    region = Region.objects.filter(code=region_code).first()
    if region is None or region.level < 3:
        raise ValidationError({"region": _("请选择县级或以下的事发地。")})
    if acting_user is not None and getattr(acting_user, "is_authenticated", False):
        if not jurisdiction_of(acting_user).contains(region.code):
            raise ValidationError({"region": _("该区划不在您的辖区范围内。")})
    people = _clean_petitioners(petitioners, anonymous=anonymous)
    if not people and not anonymous:
        raise ValidationError({"petitioners": _("请至少填写一位信访人。")})
    representatives = sum(1 for p in people if p.is_representative)
    if representatives > MAX_REPRESENTATIVES:
        raise ValidationError({"petitioners": _("集体访代表不得超过 5 人。")})
    if category.children.exists():
        raise ValidationError({"category": _("请选择二级分类。")})
    primary_phone = re.sub(r"\D", "", people[0].phone) if people else ""
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    matter = Matter(
        number="",  # issued once the filing is known to be a matter (not a review request)
        kind=kind,
        channel=channel,
        region=region,
        county_code=region.code[:6],
        address=address.strip(),
        category=category,
        title=title.strip()[:100] or request.strip()[:30],
        request=request.strip(),
        facts=facts.strip(),
        urgency=urgency,
        anonymous=anonymous,
        is_group=is_group or len(people) > 1,
        people_count=max(people_count, len(people), 1),
        received_on=received_on,
        track_suffix=primary_phone[-4:] if len(primary_phone) >= 4 else "",
        registered_by=user,
        registering_org=_org_of(user) if user else None,
        finding_ref=finding_ref,
        tier=tier,
    )
    repeat = find_repeat(
        petitioners=people,
        title=matter.title,
        request=matter.request,
        acting_user=user,
        county_code=matter.county_code,
    )
    if repeat.review_of is not None:
        if review_choice == ReviewChoice.ASK:
            raise ReviewOffered(repeat.review_of, review_window_due(repeat.review_of))
        if review_choice == ReviewChoice.REVIEW:
            return _record_review_request(
                repeat.review_of,
                user=user,
                channel=channel,
                reason=matter.request,
                county_code=matter.county_code,
            )
    earlier = repeat.earlier or repeat.review_of
    if earlier is not None:
        matter.is_repeat = True
        matter.repeat_of = earlier
        matter.status = Status.MERGED
    else:
        deadlines.set_stage(matter, "register", received_on)
        if channel == Channel.HOTLINE:  # the 12345 centre's own time limit, by urgency
            obligations.obligation_set(matter, "matter_hotline")
    # Told to the registering staff only (never stored where the other county's data is).
    matter.notices = []
    if repeat.elsewhere:
        matter.notices.append(
            _("同一信访人的相同诉求正在其他辖区办理，请联系%(dept)s。")
            % {"dept": department_to_contact(repeat.elsewhere)}
        )
    matter.number = _next_number(region.code[:6], today)
    matter._history_user = user
    matter.save()
    for p in people:
        p.matter = matter
    _link_residents(people, fetched_by=user, county_code=matter.county_code)
    Petitioner.objects.bulk_create(people)
    channel_label = Channel(channel).label
    if earlier is not None:
        filer_scope(user, matter.county_code).filter(pk=earlier.pk).update(
            repeat_count=F("repeat_count") + 1
        )
        _event(
            matter,
            "register",
            actor=user,
            note=_("经%(c)s登记；与 %(n)s 为同一信访人的相同诉求，作为重复件并入，不重复计数。")
            % {"c": channel_label, "n": earlier.number},
            actor_name="" if user else _("信访人"),
        )
        _event(
            earlier,
            "repeat",
            actor=user,
            note=_("同一信访人再次反映相同诉求（%(c)s，编号 %(n)s），已并入本件。")
            % {"c": channel_label, "n": matter.number},
            actor_name="" if user else _("信访人"),
        )
    else:
        _event(
            matter,
            "register",
            actor=user,
            note=_("经%(c)s登记，编号 %(n)s。") % {"c": channel_label, "n": matter.number},
            actor_name="" if user else _("信访人（网上提交）"),
        )
    for notice in matter.notices:
        _event(matter, "note", actor=user, note=notice, is_public=False)
    return matter


def review_window_due(matter: Matter) -> date:
    """The last day the petitioner may ask for the next review of `matter`."""
    key = "review_request" if matter.review_level == 0 else "rereview_request"
    return deadlines.period(key, matter.replied_on).due


def _record_review_request(
    earlier: Matter, *, user, channel: str, reason: str, county_code: str
) -> Matter:
    """The filing recorded as the review (re-review) request on `earlier`: by staff through
    the request service (its gate and checks), from a public channel in the petitioner's name
    (the repeat check matched them to the earlier matter in its own county)."""
    from shegong.petitions.services.review import matter_request_review, review_request_record

    # Re-read for the write through the same scope the repeat check read it from.
    earlier = filer_scope(user, county_code).select_for_update().get(pk=earlier.pk)
    if user is not None:
        matter_request_review(matter=earlier, acting_user=user, reason=reason)
    else:
        review_request_record(
            matter=earlier,
            acting_user=None,
            reason=reason,
            via=_("信访人经%(c)s提出") % {"c": Channel(channel).label},
        )
    earlier.recorded_as = ReviewChoice.REVIEW
    earlier.notices = []
    return earlier


@transaction.atomic
def attachment_add(*, matter: Matter, upload, acting_user) -> Attachment:
    if not jurisdiction_of(acting_user).contains(matter.region_id) or not has_perm(
        acting_user, "petitions.register"
    ):
        raise PermissionDenied("petitions.register")
    check_attachment(upload)
    attachment = Attachment(
        matter=matter, file=upload, name=upload.name[:200], uploaded_by=acting_user
    )
    attachment.save()
    _event(
        matter, "note", actor=acting_user, note=_("上传附件：%s") % attachment.name, is_public=False
    )
    return attachment


def matter_create_from_finding(
    *,
    acting_user,
    finding_ref: str,
    region_code: str,
    category: Category,
    summary: str,
    parties: list[dict[str, Any]],
    facts: str = "",
) -> Matter:
    """A dispute found during a care visit (探访发现) becomes a matter (channel: field)."""
    if not finding_ref.strip():
        raise ValidationError({"finding_ref": _("缺少探访发现的编号。")})
    existing = (
        Matter.objects.visible_to(acting_user).filter(finding_ref=finding_ref.strip()).first()
    )
    if existing is not None:
        return existing
    return matter_register(
        acting_user=acting_user,
        kind=Kind.DISPUTE,
        channel=Channel.FIELD,
        region_code=region_code,
        category=category,
        title=summary[:100],
        request=summary,
        facts=facts,
        petitioners=parties,
        finding_ref=finding_ref.strip(),
        tier=Tier.VILLAGE
        if len(region_code) == 12 and not region_code.endswith("000")
        else Tier.COUNTY,
    )
