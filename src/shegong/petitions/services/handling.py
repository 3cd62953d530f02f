"""Handling (办理): acceptance, extension, the reply, closing, supervision, the leader in charge,
internal notes, the follow-up and the petitioner's rating."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.errors import ApplicationError
from shegong.core.scoping import jurisdiction_of
from shegong.petitions import deadlines
from shegong.petitions.models import (
    Assignment,
    Extension,
    FollowUp,
    Matter,
    MatterEvent,
    Rating,
    ReplyKind,
    Supervision,
)
from shegong.petitions.services._common import _check_action, _event, _org_of, _save, _today
from shegong.petitions.services.ratings import rating_review_open
from shegong.petitions.workflow import TRANSITIONS, Status
from shegong.workdays import obligations


@transaction.atomic
def matter_accept(*, matter: Matter, acting_user) -> Matter:
    _check_action("accept", matter, acting_user)
    today = _today()
    before = matter.status
    matter.status = Status.ACCEPTED
    matter.accepted_on = today
    deadlines.set_stage(matter, "reply", today)
    _save(matter, acting_user, ["status", "accepted_on", *deadlines.DUE_FIELDS])
    matter.assignments.filter(outcome=Assignment.Outcome.PENDING).update(
        outcome=Assignment.Outcome.ACCEPTED, resolved_at=timezone.now()
    )
    _event(
        matter,
        "accept",
        actor=acting_user,
        from_status=before,
        note=_("已受理并告知信访人，办理期限至 %s。") % matter.due_date.isoformat(),
    )
    return matter


@transaction.atomic
def matter_extend(*, matter: Matter, days: int, reason: str, acting_user) -> Extension:
    """Extend the handling period once, by up to 30 days; the approver and reason are kept and
    the reason is told to the petitioner (public timeline)."""
    _check_action("extend", matter, acting_user)
    limit, _rule = deadlines.setting("extension")
    if Extension.objects.filter(matter=matter).exists():
        raise ApplicationError(_("办理期限只能延长一次。"), field="days")
    if not 1 <= int(days) <= limit:
        raise ValidationError({"days": _("延长天数应为 1–%d 天。") % limit})
    if not reason.strip():
        raise ValidationError({"reason": _("请填写延期理由。")})
    old_due = matter.due_date
    matter.extended_days = int(days)
    deadlines.set_stage(matter, "reply", matter.accepted_on or matter.due_from)
    _save(matter, acting_user, ["extended_days", *deadlines.DUE_FIELDS])
    extension = Extension.objects.create(
        matter=matter,
        days=days,
        reason=reason.strip(),
        approver=acting_user,
        approved_at=timezone.now(),
        old_due=old_due,
        new_due=matter.due_date,
    )
    _event(
        matter,
        "extend",
        actor=acting_user,
        note=_("经 %(who)s 批准延期 %(d)d 天，期限由 %(old)s 延至 %(new)s。理由：%(r)s")
        % {
            "who": acting_user,
            "d": int(days),
            "old": old_due.isoformat(),
            "new": matter.due_date.isoformat(),
            "r": reason.strip(),
        },
    )
    return extension


@transaction.atomic
def matter_reply(*, matter: Matter, acting_user, reply_kind: str, text: str) -> Matter:
    """处理意见书: support, explain, or not support."""
    _check_action("reply", matter, acting_user)
    if reply_kind not in ReplyKind.values:
        raise ValidationError({"reply_kind": _("请选择处理意见。")})
    if not text.strip():
        raise ValidationError({"text": _("请填写处理意见书内容。")})
    today = _today()
    before = matter.status
    matter.status = Status.REPLIED
    matter.reply_kind = reply_kind
    matter.reply_text = text.strip()
    matter.replied_on = today
    matter.replied_on_time = matter.due_date is None or today <= matter.due_date
    deadlines.set_stage(matter, None, None)
    _save(
        matter,
        acting_user,
        [
            "status",
            "reply_kind",
            "reply_text",
            "replied_on",
            "replied_on_time",
            *deadlines.DUE_FIELDS,
        ],
    )
    _event(
        matter,
        "reply",
        actor=acting_user,
        from_status=before,
        note=_("处理意见：%s") % ReplyKind(reply_kind).label,
    )
    return matter


@transaction.atomic
def matter_close(*, matter: Matter, acting_user) -> Matter:
    _check_action("close", matter, acting_user)
    today = _today()
    before = matter.status
    matter.status = Status.CLOSED
    matter.closed_on = today
    obligations.obligation_set(matter, "matter_followup", today)
    _save(matter, acting_user, ["status", *obligations.fields_of("matter_followup")])
    _event(
        matter,
        "close",
        actor=acting_user,
        from_status=before,
        note=_("已办结，回访期限 %s。") % matter.followup_due.isoformat(),
    )
    return matter


@transaction.atomic
def matter_supervise(*, matter: Matter, acting_user, due_date: date, note: str) -> Supervision:
    """督办 by a department above the handling unit, with its own due date."""
    _check_action("supervise", matter, acting_user)
    level = jurisdiction_of(acting_user).level
    handling_level = matter.handling_org.region.level if matter.handling_org else 3
    if level >= handling_level:
        raise ApplicationError(_("只有上级部门可以督办。"), field="note")
    if not note.strip():
        raise ValidationError({"note": _("请填写督办意见。")})
    if due_date < _today():
        raise ValidationError({"due_date": _("督办期限不能早于今天。")})
    supervision = Supervision.objects.create(
        matter=matter,
        organisation=_org_of(acting_user),
        by=acting_user,
        due_date=due_date,
        note=note.strip(),
    )
    matter.is_supervised = True
    _save(matter, acting_user, ["is_supervised"])
    _event(
        matter,
        "supervise",
        actor=acting_user,
        note=_("督办，期限 %(d)s：%(n)s") % {"d": due_date.isoformat(), "n": note.strip()},
        is_public=False,
    )
    return supervision


@transaction.atomic
def matter_assign_leader(*, matter: Matter, leader, acting_user) -> Matter:
    """包案: a leader takes personal charge of a difficult matter."""
    _check_action("assign_leader", matter, acting_user)
    if not leader.memberships.filter(role__in=["dept_leader"], is_active=True).exists():
        raise ValidationError({"leader": _("包案人应为部门领导。")})
    matter.lead_leader = leader
    _save(matter, acting_user, ["lead_leader"])
    _event(
        matter, "assign_leader", actor=acting_user, note=_("由 %s 包案") % leader, is_public=False
    )
    return matter


@transaction.atomic
def matter_note(*, matter: Matter, acting_user, text: str) -> MatterEvent:
    _check_action("note", matter, acting_user)
    if not text.strip():
        raise ValidationError({"text": _("请填写备注。")})
    return _event(matter, "note", actor=acting_user, note=text.strip(), is_public=False)


@transaction.atomic
def followup_record(
    *, matter: Matter, acting_user, method: str, notes: str, rating: str = ""
) -> FollowUp:
    _check_action("follow_up", matter, acting_user)
    if method not in FollowUp.Method.values:
        raise ValidationError({"method": _("请选择回访方式。")})
    if not notes.strip():
        raise ValidationError({"notes": _("请填写回访记录。")})
    if rating and rating not in Rating.values:
        raise ValidationError({"rating": _("评价无效。")})
    followup = FollowUp(
        matter=matter,
        method=method,
        notes=notes.strip(),
        rating=rating,
        by=acting_user,
        on=_today(),
    )
    followup._history_user = acting_user
    followup.save()
    matter.followed_up_on = followup.on
    fields = ["followed_up_on"]
    if rating:
        matter.rating, matter.rating_via, matter.rated_on = rating, "worker", followup.on
        fields += ["rating", "rating_via", "rated_on"]
    _save(matter, acting_user, fields)
    if rating == Rating.DISSATISFIED:
        rating_review_open(matter=matter, via="worker")
    note = FollowUp.Method(method).label
    if rating:
        note += _("，信访人评价：%s") % Rating(rating).label
    _event(matter, "follow_up", actor=acting_user, note=note)
    return followup


@transaction.atomic
def matter_rate_public(*, matter: Matter, rating: str, comment: str = "") -> Matter:
    """The petitioner rates the handling on the tracking page (once)."""
    if rating not in Rating.values:
        raise ValidationError({"rating": _("请选择评价。")})
    if matter.status not in TRANSITIONS["rate"].sources:
        raise ApplicationError(_("事项答复后才能评价。"), field="rating")
    if matter.rating and matter.rating_via == "public":
        raise ApplicationError(_("您已评价过。"), field="rating")
    matter.rating, matter.rating_via, matter.rated_on = rating, "public", _today()
    _save(matter, None, ["rating", "rating_via", "rated_on"])
    if rating == Rating.DISSATISFIED:
        rating_review_open(matter=matter, via="public")
    note = Rating(rating).label + (f"：{comment.strip()[:200]}" if comment.strip() else "")
    _event(matter, "public_rate", note=note, actor_name=_("信访人"))
    return matter
