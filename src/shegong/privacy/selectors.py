"""Reads for consent records, the checks other apps make before processing, and the
per-resident processing log. Scoped like the resident (`people.selectors.get_resident_for`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.models import AuditLog
from shegong.core.permissions import has_perm
from shegong.core.regioncode import RegionCode
from shegong.core.scoping import get_visible_or_404
from shegong.people.models import Resident
from shegong.privacy.models import Consent, Purpose
from shegong.privacy.purposes import RULES, SHARING_KINDS

RESIDENT_ROWS = "Rows about one resident whom the caller already read through its scope: its consents, visits and the audit entries about it."

# ---- consents ----------------------------------------------------------------------------------


def consents_of(*, fetched_by: User, resident: Resident) -> QuerySet[Consent]:
    """A resident's consent records (the caller fetched the resident through a scoped selector)."""
    return (
        Consent.objects.visible_to(fetched_by)
        .filter(resident=resident)
        .select_related("recorded_by", "withdrawal_recorded_by")
        .order_by("purpose", "-given_on", "-id")
    )


def get_consent_for(*, fetched_by: User, pk: int) -> Consent:
    """A consent record inside the user's jurisdiction whose resident the user may see."""
    user = fetched_by
    from shegong.people.selectors import residents_visible

    consent = get_visible_or_404(Consent.objects.select_related("resident"), user, pk=pk)
    if not residents_visible(fetched_by=user).filter(pk=consent.resident_id).exists():
        from django.http import Http404

        raise Http404("Not found")
    return consent


def consent_in_effect(resident: Resident, purpose: str) -> Consent | None:
    return (
        Consent.objects.unscoped(reason=RESIDENT_ROWS)
        .filter(resident=resident, purpose=purpose)
        .in_effect()
        .first()
    )


def processing_allowed(resident: Resident, purpose: str) -> bool:
    """Whether the processing of `purpose` may happen now (see `purposes`)."""
    rows = list(
        Consent.objects.unscoped(reason=RESIDENT_ROWS)
        .filter(resident=resident, purpose=purpose)
        .values_list("withdrawn_on", flat=True)
    )
    if any(withdrawn is None for withdrawn in rows):
        return True
    if RULES[purpose].requires_basis:
        return False
    return not rows  # nothing recorded: allowed; only withdrawn records: stopped


def ensure_processing_allowed(resident: Resident, purpose: str, *, field: str) -> None:
    """Refuse processing the resident has not consented to (or has withdrawn consent from)."""
    if processing_allowed(resident, purpose):
        return
    label = Purpose(purpose).label
    if RULES[purpose].requires_basis:
        message = _("服务对象未同意「%(p)s」，也未登记法定职责依据，不能办理。") % {"p": label}
    else:
        message = _("服务对象已撤回对「%(p)s」的同意，不能再处理。") % {"p": label}
    raise ValidationError({field: message}, code="no_consent")


def ensure_sharing_allowed(resident: Resident, organisation: Any, *, field: str) -> None:
    """A referral to an organisation outside the public administration needs the sharing
    consent or a statutory basis."""
    if getattr(organisation, "kind", "") in SHARING_KINDS:
        ensure_processing_allowed(resident, Purpose.REFERRAL, field=field)


def purpose_rules() -> list[dict]:
    return [
        {
            "purpose": rule.purpose,
            "label": Purpose(rule.purpose).label,
            "requires_basis": rule.requires_basis,
            "statutory_allowed": rule.statutory_allowed,
            "enforced_at": rule.enforced_at,
            "on_withdrawal": rule.on_withdrawal,
        }
        for rule in RULES.values()
    ]


def may_record_consent(*, fetched_by: User) -> bool:
    return has_perm(fetched_by, "privacy.record_consent")


# ---- the processing log ------------------------------------------------------------------------


@dataclass
class LogEntry:
    at: datetime
    category: str
    what: str
    actor: str
    detail: str = ""
    category_label: str = ""


# Tables whose history rows belong to a resident: (app, model, the resident's column in them).
HISTORY_SOURCES = (
    ("people", "Resident", "id"),
    ("people", "HouseholdMember", "resident_id"),
    ("people", "ResidentCategory", "resident_id"),
    ("people", "Assessment", "resident_id"),
    ("people", "VisitPlan", "resident_id"),
    ("people", "Visit", "resident_id"),
    ("people", "Assistance", "resident_id"),
    ("cases", "Case", "resident_id"),
    ("volunteers", "RecordBeneficiary", "resident_id"),  # linked to a volunteer service record
)
AUDIT_LABELS = {
    AuditLog.Action.REVEAL: "access",
    AuditLog.Action.MERGE: "change",
    AuditLog.Action.CONSENT: "consent",
    AuditLog.Action.CONSENT_WITHDRAWN: "consent",
    AuditLog.Action.EXPORT: "export",
    AuditLog.Action.IMPORT: "import",
    AuditLog.Action.ANONYMISE: "change",
}


def category_labels() -> dict[str, str]:
    return {
        "change": _("变更"),
        "access": _("查看敏感信息"),
        "export": _("导出"),
        "import": _("导入"),
        "visit": _("探访"),
        "referral": _("转介"),
        "consent": _("同意记录"),
    }


def _who(user) -> str:
    if user is None:
        return _("系统")
    return getattr(user, "full_name", "") or user.get_username()


def _history_entries(resident: Resident) -> list[LogEntry]:
    entries = []
    for app_label, model_name, column in HISTORY_SOURCES:
        model = apps.get_model(app_label, model_name)
        records = list(
            model.history.filter(**{column: resident.pk})
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        previous: dict[Any, Any] = {}
        label = str(model._meta.verbose_name)
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            if model_name == "Visit" and record.history_type == "+":
                continue  # the visit itself is listed (below)
            if record.history_type == "~" and before is not None:
                changed = record.diff_against(before).changed_fields
                if not changed:
                    continue
                fields = "、".join(str(model._meta.get_field(n).verbose_name) for n in changed)
                detail = _("修改：%(f)s") % {"f": fields}
            else:
                detail = record.get_history_type_display()
            if record.history_change_reason:
                detail += f"（{record.history_change_reason}）"
            entries.append(
                LogEntry(record.history_date, "change", label, _who(record.history_user), detail)
            )
    return entries


def _ancestor_codes(code: str) -> list[str]:
    from shegong.regions.models import NATION_CODE

    return [NATION_CODE, ""] + [RegionCode.from_prefix(code[:n]) for n in (2, 4, 6, 9, 12)]


def _audit_entries(resident: Resident) -> list[LogEntry]:
    labels = dict(AuditLog.Action.choices)
    entries = []
    about = AuditLog.objects.unscoped(reason=RESIDENT_ROWS).filter(
        object_type="people.resident", object_id=str(resident.pk)
    )
    for row in about.order_by("at", "id"):
        detail = ""
        if row.action in (AuditLog.Action.CONSENT, AuditLog.Action.CONSENT_WITHDRAWN):
            purpose = row.detail.get("purpose", "")
            detail = str(Purpose(purpose).label) if purpose in Purpose.values else purpose
        elif row.action == AuditLog.Action.REVEAL:
            detail = _("身份证号码")
        entries.append(
            LogEntry(
                row.at,
                AUDIT_LABELS.get(row.action, "access"),
                str(labels.get(row.action, row.action)),
                row.actor_name,
                detail,
            )
        )
    # Lists of residents exported by someone whose jurisdiction covered this resident's village.
    exports = AuditLog.objects.unscoped(reason=RESIDENT_ROWS).filter(
        action=AuditLog.Action.EXPORT,
        detail__list="residents",
        region_code__in=_ancestor_codes(resident.region_id),
    )
    for row in exports.order_by("at", "id"):
        prefix = str(row.detail.get("region_prefix", "") or "")
        if prefix and not resident.region_id.startswith(prefix):
            continue
        entries.append(
            LogEntry(
                row.at,
                "export",
                str(labels[AuditLog.Action.EXPORT]),
                row.actor_name,
                _("服务对象名单 %(f)s（%(n)s 行，导出范围包含本人所在村（社区））")
                % {"f": row.detail.get("file", ""), "n": row.detail.get("rows", "")},
            )
        )
    return entries


def _visit_entries(resident: Resident) -> list[LogEntry]:
    from shegong.people.models import Visit

    rows = (
        Visit.objects.unscoped(reason=RESIDENT_ROWS)
        .filter(resident=resident)
        .select_related("visited_by")
    )
    return [
        LogEntry(
            v.created_at,
            "visit",
            str(Visit._meta.verbose_name),
            _who(v.visited_by),
            f"{v.visited_on:%Y-%m-%d} {v.get_mode_display()}",
        )
        for v in rows.order_by("created_at", "id")
    ]


def _referral_entries(resident: Resident) -> list[LogEntry]:
    referral_model = apps.get_model("cases", "Referral")
    rows = referral_model.objects.filter(case__resident=resident).select_related(
        "to_organisation", "from_organisation", "referred_by", "responded_by"
    )
    entries = []
    for r in rows.order_by("created_at", "id"):
        entries.append(
            LogEntry(
                r.created_at,
                "referral",
                _("转介"),
                _who(r.referred_by),
                f"{r.from_organisation.name} → {r.to_organisation.name}",
            )
        )
        if r.responded_at:
            entries.append(
                LogEntry(
                    r.responded_at,
                    "referral",
                    _("转介答复"),
                    _who(r.responded_by),
                    f"{r.to_organisation.name}：{r.get_status_display()}",
                )
            )
    return entries


def processing_log(*, fetched_by: User, resident_id: int) -> tuple[Resident, list[LogEntry]]:
    """Everything done with one resident's personal information, oldest first: changes (history
    rows), reveals, exports and imports (audit rows), visits, referrals and consent events.
    The resident is fetched through the scoped selector (404 outside the jurisdiction)."""
    from shegong.people.selectors import get_resident_for

    resident = get_resident_for(fetched_by=fetched_by, pk=resident_id)
    entries = (
        _history_entries(resident)
        + _audit_entries(resident)
        + _visit_entries(resident)
        + _referral_entries(resident)
    )
    epoch = timezone.make_aware(datetime(1970, 1, 1))
    entries.sort(key=lambda e: e.at or epoch)
    labels = category_labels()
    for entry in entries:
        entry.category_label = labels.get(entry.category, entry.category)
    return resident, entries
