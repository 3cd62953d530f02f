"""Mediation (人民调解) of a dispute: start, sessions, conclusion with an agreement."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.core.errors import ApplicationError
from shegong.core.permissions import has_perm
from shegong.core.scoping import jurisdiction_of
from shegong.orgs.models import Kind as OrgKind
from shegong.orgs.models import Organisation
from shegong.petitions.models import (
    ConfirmationChoice,
    Kind,
    Matter,
    Mediation,
    MediationAgreement,
    MediationSession,
)
from shegong.petitions.services._common import _check_action, _event, _save, _today
from shegong.petitions.workflow import Status
from shegong.workdays import obligations


@transaction.atomic
def mediation_start(
    *, matter: Matter, acting_user, committee: Organisation, mediators: str
) -> Mediation:
    _check_action("start_mediation", matter, acting_user)
    if matter.kind != Kind.DISPUTE:
        raise ApplicationError(_("只有矛盾纠纷可以转入调解。"), field="committee")
    if committee.kind != OrgKind.MEDIATION_COMMITTEE:
        raise ValidationError({"committee": _("请选择人民调解委员会。")})
    if not mediators.strip():
        raise ValidationError({"mediators": _("请填写调解员。")})
    if hasattr(matter, "mediation"):
        raise ApplicationError(_("该事项已有调解记录。"), field="committee")
    today = _today()
    mediation = Mediation(
        matter=matter,
        committee=committee,
        mediators=mediators.strip(),
    )
    obligations.obligation_set(mediation, "mediation", today)
    mediation._history_user = acting_user
    mediation.save()
    before = matter.status
    matter.status = Status.MEDIATING
    _save(matter, acting_user, ["status"])
    _event(
        matter,
        "start_mediation",
        actor=acting_user,
        from_status=before,
        note=_("由%(c)s调解，调解员：%(m)s，调解期限 %(d)s。")
        % {"c": committee.name, "m": mediators.strip(), "d": mediation.due_date.isoformat()},
    )
    return mediation


def _check_mediation(mediation: Mediation, user) -> None:
    matter = mediation.matter
    if not jurisdiction_of(user).contains(matter.region_id) or not has_perm(
        user, "petitions.mediate"
    ):
        raise PermissionDenied("petitions.mediate")
    if mediation.outcome != Mediation.Outcome.PENDING:
        raise ApplicationError(_("调解已结束。"))


@transaction.atomic
def mediation_add_session(
    *,
    mediation: Mediation,
    acting_user,
    held_on: date,
    participants: str,
    record: str,
    place: str = "",
) -> MediationSession:
    _check_mediation(mediation, acting_user)
    if held_on > _today():
        raise ValidationError({"held_on": _("调解日期不能晚于今天。")})
    if not participants.strip() or not record.strip():
        raise ValidationError({"record": _("请填写参加人员和调解记录。")})
    session = MediationSession.objects.create(
        mediation=mediation,
        held_on=held_on,
        place=place.strip(),
        participants=participants.strip(),
        record=record.strip(),
    )
    _event(
        mediation.matter,
        "mediation_session",
        actor=acting_user,
        note=_("%(d)s 调解，参加：%(p)s") % {"d": held_on.isoformat(), "p": participants.strip()},
        is_public=False,
    )
    return session


@transaction.atomic
def mediation_conclude(
    *,
    mediation: Mediation,
    acting_user,
    outcome: str,
    note: str = "",
    agreement: dict[str, Any] | None = None,
) -> Mediation:
    """End a mediation: agreement (with the Art. 29 fields), failure (the parties are told of
    other channels) or withdrawal. The matter returns to its handling unit for the reply."""
    _check_mediation(mediation, acting_user)
    matter = mediation.matter
    _check_action("end_mediation", matter, acting_user)
    if outcome not in (
        Mediation.Outcome.AGREEMENT,
        Mediation.Outcome.FAILED,
        Mediation.Outcome.WITHDRAWN,
    ):
        raise ValidationError({"outcome": _("请选择调解结果。")})
    today = _today()
    text = note.strip()
    if outcome == Mediation.Outcome.AGREEMENT:
        data = agreement or {}
        required = [
            "parties",
            "facts",
            "disputed_points",
            "terms",
            "performance_manner",
            "performance_deadline",
        ]
        missing = [f for f in required if not data.get(f)]
        if missing:
            raise ValidationError(
                {
                    missing[0]: _(
                        "调解协议须写明当事人、纠纷事实、争议事项、协议内容及履行方式和期限。"
                    )
                }
            )
        if data["performance_deadline"] < today:
            raise ValidationError({"performance_deadline": _("履行期限不能早于今天。")})
        signed = MediationAgreement(
            mediation=mediation,
            parties=data["parties"].strip(),
            facts=data["facts"].strip(),
            disputed_points=data["disputed_points"].strip(),
            responsibilities=(data.get("responsibilities") or "").strip(),
            terms=data["terms"].strip(),
            performance_manner=data["performance_manner"].strip(),
            performance_deadline=data["performance_deadline"],
            signed_on=today,
        )
        obligations.obligation_set(signed, "court_confirmation")
        signed.save()
        text = text or _("当事人达成调解协议；可自协议生效之日起 30 日内共同申请司法确认。")
    elif outcome == Mediation.Outcome.FAILED:
        text = (text + " " if text else "") + _(
            "已告知当事人可依法通过仲裁、行政、司法等途径维护权利。"
        )
    mediation.outcome = outcome
    mediation.ended_on = today
    mediation.outcome_note = text
    mediation._history_user = acting_user
    mediation.save(update_fields=["outcome", "ended_on", "outcome_note", "updated_at"])
    before = matter.status
    matter.status = Status.ACCEPTED
    _save(matter, acting_user, ["status"])
    _event(
        matter,
        "agreement" if outcome == Mediation.Outcome.AGREEMENT else "end_mediation",
        actor=acting_user,
        from_status=before,
        note=f"{Mediation.Outcome(outcome).label}：{text}",
    )
    return mediation


@transaction.atomic
def agreement_record_confirmation(
    *, agreement: MediationAgreement, acting_user, choice: str
) -> MediationAgreement:
    """Record whether the parties chose to apply jointly for court confirmation (司法确认,
    人民调解法 Art. 33) within the 30 days."""
    matter = agreement.mediation.matter
    if not jurisdiction_of(acting_user).contains(matter.region_id) or not has_perm(
        acting_user, "petitions.mediate"
    ):
        raise PermissionDenied("petitions.mediate")
    if choice not in (ConfirmationChoice.APPLY, ConfirmationChoice.DECLINE):
        raise ValidationError({"choice": _("请选择是否申请司法确认。")})
    agreement.confirmation_choice = choice
    agreement.confirmation_recorded_on = _today()
    agreement.save(update_fields=["confirmation_choice", "confirmation_recorded_on"])
    _event(
        matter,
        "confirmation",
        actor=acting_user,
        note=_("当事人%(c)s（期限 %(d)s）。")
        % {
            "c": ConfirmationChoice(choice).label,
            "d": agreement.confirmation_deadline.isoformat()
            if agreement.confirmation_deadline
            else "—",
        },
        is_public=False,
    )
    return agreement
