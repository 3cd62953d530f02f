"""Review (复查) and re-review (复核) on the petitioner's request, and hearings during them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.core.errors import ApplicationError
from shegong.petitions import deadlines
from shegong.petitions.models import (
    Matter,
    ReplyKind,
)
from shegong.petitions.services._common import _check_action, _event, _save, _today
from shegong.petitions.workflow import Status
from shegong.workdays.calendar import current


@transaction.atomic
def matter_request_review(*, matter: Matter, acting_user, reason: str) -> Matter:
    """复查 (first) or 复核 (second) on the petitioner's request, within 30 days of the reply."""
    if matter.chain_ended or matter.review_level >= 2:
        raise ApplicationError(_("复核意见已作出，同一事实和理由不再受理。"), field="reason")
    action = "request_review" if matter.review_level == 0 else "request_rereview"
    _check_action(action, matter, acting_user)
    return review_request_record(matter=matter, acting_user=acting_user, reason=reason)


def review_request_record(*, matter: Matter, acting_user, reason: str, via: str = "") -> Matter:
    """Record the request and start the answer period (the caller checked who may: staff
    through `matter_request_review`, or registration matching the petitioner of a public
    filing to the matter)."""
    if matter.chain_ended or matter.review_level >= 2:
        raise ApplicationError(_("复核意见已作出，同一事实和理由不再受理。"), field="reason")
    if matter.status != Status.CLOSED or matter.replied_on is None:
        raise ApplicationError(_("该事项尚未答复办结，不能申请复查（复核）。"), field="reason")
    action = "request_review" if matter.review_level == 0 else "request_rereview"
    key = "review_request" if matter.review_level == 0 else "rereview_request"
    window = deadlines.period(key, matter.replied_on)
    if _today() > window.due:
        raise ApplicationError(_("已超过申请期限（%s）。") % window.due.isoformat(), field="reason")
    if not reason.strip():
        raise ValidationError({"reason": _("请填写申请理由。")})
    before = matter.status
    matter.status = Status.REVIEW if matter.review_level == 0 else Status.REREVIEW
    stage = "review_answer" if matter.review_level == 0 else "rereview_answer"
    deadlines.set_stage(matter, stage, _today())
    _save(matter, acting_user, ["status", *deadlines.DUE_FIELDS])
    note = reason.strip() if not via else f"{via}：{reason.strip()}"
    _event(
        matter,
        action,
        actor=acting_user,
        from_status=before,
        note=note,
        actor_name="" if acting_user else _("信访人"),
    )
    return matter


@transaction.atomic
def matter_answer_review(*, matter: Matter, acting_user, reply_kind: str, text: str) -> Matter:
    action = "answer_review" if matter.status == Status.REVIEW else "answer_rereview"
    _check_action(action, matter, acting_user)
    if reply_kind not in ReplyKind.values or not text.strip():
        raise ValidationError({"text": _("请选择意见并填写内容。")})
    before = matter.status
    matter.review_level += 1
    matter.chain_ended = matter.review_level >= 2
    matter.status = Status.CLOSED
    matter.reply_kind = reply_kind
    matter.reply_text = text.strip()
    matter.replied_on = _today()
    deadlines.set_stage(matter, None, None)
    _save(
        matter,
        acting_user,
        [
            "status",
            "review_level",
            "chain_ended",
            "reply_kind",
            "reply_text",
            "replied_on",
            *deadlines.DUE_FIELDS,
        ],
    )
    _event(
        matter,
        action,
        actor=acting_user,
        from_status=before,
        note=_("意见：%s") % ReplyKind(reply_kind).label,
    )
    return matter


@transaction.atomic
def matter_hearing(*, matter: Matter, acting_user, days: int, note: str = "") -> Matter:
    """A hearing held by the reviewing organ. Its days are excluded from the re-review (复核)
    answer period only (Art. 36), so that deadline moves by them; the review (复查) period of
    Art. 35 excludes nothing and runs on."""
    _check_action("hearing", matter, acting_user)
    if not 1 <= int(days) <= 60:
        raise ValidationError({"days": _("听证天数应为 1–60 天。")})
    if matter.status == Status.REREVIEW:
        matter.due_days = (matter.due_days or 0) + int(days)
        result = current().add(matter.due_from, matter.due_days, matter.due_rule)
        matter.due_date, matter.due_provisional = result.due, result.provisional
        matter.is_overdue, matter.overdue_since = False, None
        _save(matter, acting_user, deadlines.DUE_FIELDS)
        text = _("听证 %(d)d 天，不计入复核答复期限，期限顺延至 %(due)s。%(n)s")
    else:
        text = _("听证 %(d)d 天；复查答复期限不因听证顺延（%(due)s）。%(n)s")
    _event(
        matter,
        "hearing",
        actor=acting_user,
        note=text % {"d": int(days), "due": matter.due_date.isoformat(), "n": note.strip()},
    )
    return matter
