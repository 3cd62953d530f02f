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
    MediationConsent,
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


def mediation_consented(mediation: Mediation) -> bool:
    """Both sides said they are willing (人民调解法 Art. 17), and no one refused."""
    decisions = set(mediation.consents.values_list("side", "decision"))
    sides = {side for side, decision in decisions if decision == MediationConsent.Decision.CONSENT}
    refused = any(decision == MediationConsent.Decision.REFUSE for _s, decision in decisions)
    return not refused and sides >= set(MediationConsent.Side.values)


def _check_consented(mediation: Mediation, field: str) -> None:
    if not mediation_consented(mediation):
        raise ApplicationError(
            _("调解须经双方当事人同意：请先记录申请方和对方当事人同意调解。"), field=field
        )


@transaction.atomic
def mediation_record_consent(
    *,
    mediation: Mediation,
    acting_user,
    side: str,
    party: str,
    decision: str,
    given_on: date,
    method: str,
    note: str = "",
) -> Mediation:
    """Record one party's willingness or refusal to mediate (Art. 17). A refusal ends the
    mediation (`refused`): the matter returns to its handling unit, the parties are told of
    the other channels (Art. 26)."""
    _check_mediation(mediation, acting_user)
    if side not in MediationConsent.Side.values:
        raise ValidationError({"side": _("请选择当事人一方。")})
    if decision not in MediationConsent.Decision.values:
        raise ValidationError({"decision": _("请选择同意或拒绝调解。")})
    if method not in MediationConsent.Method.values:
        raise ValidationError({"method": _("请选择表示方式。")})
    if not party.strip():
        raise ValidationError({"party": _("请填写当事人姓名。")})
    if given_on > _today():
        raise ValidationError({"given_on": _("表示日期不能晚于今天。")})
    consent = MediationConsent(
        mediation=mediation,
        side=side,
        party=party.strip()[:100],
        decision=decision,
        given_on=given_on,
        method=method,
        note=note.strip(),
        recorded_by=acting_user,
    )
    consent._history_user = acting_user
    consent.save()
    matter = mediation.matter
    summary = _("%(side)s %(party)s %(on)s %(how)s%(what)s") % {
        "side": consent.get_side_display(),
        "party": consent.party,
        "on": given_on.isoformat(),
        "how": consent.get_method_display(),
        "what": consent.get_decision_display(),
    }
    if decision == MediationConsent.Decision.CONSENT:
        _event(matter, "mediation_consent", actor=acting_user, note=summary, is_public=False)
        return mediation
    _check_action("end_mediation", matter, acting_user)
    text = (
        summary
        + _("；当事人一方拒绝调解的，不得调解。")
        + _("已告知当事人可依法通过仲裁、行政、司法等途径维护权利。")
    )
    mediation.outcome = Mediation.Outcome.REFUSED
    mediation.ended_on = _today()
    mediation.outcome_note = text
    mediation._history_user = acting_user
    mediation.save(update_fields=["outcome", "ended_on", "outcome_note", "updated_at"])
    before = matter.status
    matter.status = Status.ACCEPTED
    _save(matter, acting_user, ["status"])
    _event(
        matter,
        "end_mediation",
        actor=acting_user,
        from_status=before,
        note=f"{Mediation.Outcome.REFUSED.label}：{text}",
    )
    return mediation


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
    if held_on < mediation.started_on:
        raise ValidationError(
            {
                "held_on": _("调解会日期不能早于调解开始日期（%s）。")
                % mediation.started_on.isoformat()
            }
        )
    _check_consented(mediation, "held_on")
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
    data = agreement or {}
    oral = data.get("agreement_form") == MediationAgreement.Form.ORAL
    if outcome == Mediation.Outcome.AGREEMENT:
        _check_consented(mediation, "terms")
    if outcome == Mediation.Outcome.AGREEMENT and oral:
        # Art. 30: an oral agreement takes effect when the parties reach it; what they agreed
        # is recorded (the written fields of Art. 29 are not required).
        content = (data.get("content") or "").strip()
        if not content:
            raise ValidationError({"content": _("口头协议须记录协议内容。")})
        deadline = data.get("performance_deadline")
        if deadline and deadline < today:
            raise ValidationError({"performance_deadline": _("履行期限不能早于今天。")})
        MediationAgreement.objects.create(
            mediation=mediation,
            form=MediationAgreement.Form.ORAL,
            content=content,
            parties=(data.get("parties") or "").strip(),
            facts=(data.get("facts") or "").strip(),
            disputed_points=(data.get("disputed_points") or "").strip(),
            responsibilities=(data.get("responsibilities") or "").strip(),
            terms=(data.get("terms") or "").strip() or content,
            performance_manner=(data.get("performance_manner") or "").strip(),
            performance_deadline=deadline,
            signed_on=today,
            parties_signed=False,
            mediator_signed=False,
            sealed=False,
        )
        text = text or _("当事人达成口头调解协议，协议内容已记录在案。")
    elif outcome == Mediation.Outcome.AGREEMENT:
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
