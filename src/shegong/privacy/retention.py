"""Retention: how long each kind of record keeps its personal information, declared here in one
place (years overridable per kind in `settings.SHEGONG_RETENTION_YEARS`), and the anonymisation
that runs daily (`privacy.tasks`) and on demand (`shegong anonymise_expired [--dry-run]`).

Anonymisation is set-based, in batches (each its own transaction, keyset over the key): personal
columns are cleared or replaced, encrypted columns and blind indexes cleared (a unique index gets
`anon:<row id>`), and the same columns of the history rows (django-simple-history) likewise. A
run writes one ANONYMISE audit row with the counts. An anonymised row no longer matches its
kind's condition, so a stopped run is simply run again.

The clock starts when the record was last changed at or after it left care, was closed or was
deactivated (`updated_at`, or `closed_on` for matters): never earlier than the event itself, so
nothing is anonymised too soon. The audit log (at least 6 months, Cybersecurity Law Art. 21) is
kept by the audit module and is not handled here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat, TruncYear
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shegong.core.crypto import ANONYMISED_INDEX

ANONYMISED_NAME = "（已匿名）"
ANONYMISED_TEXT = "（已匿名化处理）"
BATCH = 500


@dataclass(frozen=True)
class RetentionKind:
    key: str
    label: Promise
    default_years: int
    starts: Promise
    cleared: Promise
    app: str
    eligible: Callable[[date], models.QuerySet]
    anonymise: Callable[[list[int]], dict[str, int]]

    @property
    def years(self) -> int:
        overrides = getattr(settings, "SHEGONG_RETENTION_YEARS", {}) or {}
        return int(overrides.get(self.key, self.default_years))

    def cutoff(self, today: date | None = None) -> date:
        today = today or date.today()
        try:
            return today.replace(year=today.year - self.years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - self.years, day=28)


def _model(label: str) -> type[models.Model]:
    return apps.get_model(label)


def _anon_index() -> Concat:
    return Concat(Value(ANONYMISED_INDEX), Cast("id", output_field=CharField()))


def _clear(model: type[models.Model], where: Q, values: dict) -> dict[str, int]:
    """Update the rows and their history rows (only the columns the history keeps)."""
    counts = {model._meta.label_lower: model._base_manager.filter(where).update(**values)}
    history = getattr(model, "history", None)
    if history is not None and hasattr(history, "model"):
        kept = {f.name for f in history.model._meta.concrete_fields}
        shown = {k: v for k, v in values.items() if k in kept}
        if shown:
            counts[f"{model._meta.label_lower} (history)"] = history.model.objects.filter(
                where
            ).update(**shown)
    return counts


def _delete_files(model: type[models.Model], where: Q, field: str) -> list[str]:
    names = [n for n in model._base_manager.filter(where).values_list(field, flat=True) if n]
    storage = model._meta.get_field(field).storage
    transaction.on_commit(lambda: [storage.delete(n) for n in names])
    return names


# ---- residents who left care or died -----------------------------------------------------------


def _residents_eligible(cutoff: date) -> models.QuerySet:
    return (
        _model("people.Resident")
        ._base_manager.filter(status__in=["moved", "deceased"], updated_at__date__lte=cutoff)
        .exclude(id_number_hash__startswith=ANONYMISED_INDEX)
    )


def _anonymise_residents(ids: list[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    residents = Q(id__in=ids)
    counts |= _clear(
        _model("people.Resident"),
        residents,
        {
            "name": ANONYMISED_NAME,
            "phone": "",
            "address": "",
            "health_notes": "",
            "disability_level": "",
            "latitude": None,
            "longitude": None,
            "id_number_encrypted": "",
            "id_number_masked": "",
            "id_number_hash": _anon_index(),
            "birth_date": TruncYear("birth_date"),  # the year stays, for statistics by age
        },
    )
    of_them = Q(resident_id__in=ids)
    counts |= _clear(
        _model("people.ResidentCategory"),
        of_them,
        {"resident_birth_date": TruncYear("resident_birth_date")},
    )
    counts |= _clear(
        _model("people.HouseholdMember"), of_them, {"name": ANONYMISED_NAME, "phone": ""}
    )
    visit = _model("people.Visit")
    _delete_files(visit, of_them, "photo")
    counts |= _clear(
        visit,
        of_them,
        {
            "visitors": "",
            "finding_health": "",
            "finding_living": "",
            "finding_safety": "",
            "finding_mood": "",
            "needs": "",
            "photo": "",
        },
    )
    counts |= _clear(_model("people.Assessment"), of_them, {"notes": ""})
    counts |= _clear(
        _model("privacy.Consent"),
        of_them,
        {"guardian_name": "", "withdrawn_by_name": "", "note": ""},
    )
    counts |= _clear(
        _model("cases.Case"),
        of_them,
        {
            "title": ANONYMISED_NAME,
            "problem": "",
            "assessment_note": "",
            "plan_summary": "",
            "evaluation_note": "",
            "closure_reason": "",
        },
    )
    of_cases = Q(case__resident_id__in=ids)
    counts |= _clear(_model("cases.ServiceRecord"), of_cases, {"content": ANONYMISED_TEXT})
    counts |= _clear(
        _model("cases.Referral"), of_cases, {"reason": ANONYMISED_TEXT, "response_reason": ""}
    )
    return counts


# ---- closed petitions --------------------------------------------------------------------------


def _matters_eligible(cutoff: date) -> models.QuerySet:
    from shegong.petitions.workflow import TERMINAL_STATUSES

    return (
        _model("petitions.Matter")
        ._base_manager.filter(status__in=TERMINAL_STATUSES)
        .filter(Q(closed_on__lte=cutoff) | Q(closed_on__isnull=True, updated_at__date__lte=cutoff))
        .exclude(request=ANONYMISED_TEXT)
    )


def _anonymise_matters(ids: list[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    counts |= _clear(
        _model("petitions.Matter"),
        Q(id__in=ids),
        {
            "title": ANONYMISED_NAME,
            "address": "",
            "request": ANONYMISED_TEXT,
            "facts": "",
            "reply_text": "",
            "routed_out_notice": "",
            "internal_note": "",
            "track_suffix": "",
        },
    )
    of_them = Q(matter_id__in=ids)
    counts |= _clear(
        _model("petitions.Petitioner"),
        of_them,
        {
            "name": "",
            "phone": "",
            "phone_key": "",
            "id_number_encrypted": "",
            "id_number_hash": "",
            "id_number_masked": "",
            "address": "",
            "resident_ref": "",
            "resident": None,
        },
    )
    counts |= _clear(_model("petitions.MatterEvent"), of_them, {"note": ""})
    counts |= _clear(_model("petitions.FollowUp"), of_them, {"notes": ANONYMISED_TEXT})
    counts |= _clear(_model("petitions.Mediation"), of_them, {"outcome_note": ""})
    attachment = _model("petitions.Attachment")
    _delete_files(attachment, of_them, "file")
    counts["petitions.attachment (deleted)"] = attachment._base_manager.filter(of_them).delete()[0]
    return counts


# ---- volunteers who left -----------------------------------------------------------------------


def _volunteers_eligible(cutoff: date) -> models.QuerySet:
    return (
        _model("volunteers.Volunteer")
        ._base_manager.filter(is_active=False, updated_at__date__lte=cutoff)
        .exclude(id_number_hash__startswith=ANONYMISED_INDEX)
    )


def _anonymise_volunteers(ids: list[int]) -> dict[str, int]:
    return _clear(
        _model("volunteers.Volunteer"),
        Q(id__in=ids),
        {
            "name": ANONYMISED_NAME,
            "phone": "",
            "id_number_encrypted": "",
            "id_number_masked": "",
            "id_number_hash": _anon_index(),
            "birth_date": TruncYear("birth_date"),
            "consent_public": False,
        },
    )


KINDS: tuple[RetentionKind, ...] = (
    RetentionKind(
        key="residents_left",
        label=_("服务对象（已迁出、已故）"),
        default_years=5,
        starts=_("迁出或死亡后最后一次变更之日"),
        cleared=_(
            "姓名、电话、住址、坐标、身份证号码（密文、索引、掩码）、健康状况、残疾等级，出生日期只留年份；"
            "家庭成员姓名电话、探访发现与照片、评估说明、同意记录中的监护人姓名、个案记录文字"
        ),
        app="people",
        eligible=_residents_eligible,
        anonymise=_anonymise_residents,
    ),
    RetentionKind(
        key="petitions_closed",
        label=_("信访事项（已办结、已转法定途径、已并单）"),
        default_years=10,
        starts=_("办结之日"),
        cleared=_(
            "标题、地址、诉求、事实理由、答复和告知书、内部备注、查询后四位；信访人姓名、电话、"
            "身份证号码（密文、索引、掩码）、住址；办理记录说明、回访记录、调解结果说明；附件删除"
        ),
        app="petitions",
        eligible=_matters_eligible,
        anonymise=_anonymise_matters,
    ),
    RetentionKind(
        key="volunteers_left",
        label=_("志愿者（已注销）"),
        default_years=3,
        starts=_("注销后最后一次变更之日"),
        cleared=_(
            "姓名、电话、身份证号码（密文、索引、掩码），出生日期只留年份；服务记录和时长保留"
        ),
        app="volunteers",
        eligible=_volunteers_eligible,
        anonymise=_anonymise_volunteers,
    ),
)


def policy() -> list[dict]:
    """The policy as shown to administrators (and in the API)."""
    rows = [
        {
            "key": k.key,
            "label": k.label,
            "years": k.years,
            "default_years": k.default_years,
            "starts": k.starts,
            "cleared": k.cleared,
            "cutoff": k.cutoff(),
        }
        for k in KINDS
    ]
    return rows


def _id_batches(qs: models.QuerySet, size: int) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(qs.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield ids
        last = ids[-1]


def due(*, prefix: str = "", today: date | None = None) -> dict[str, int]:
    """How many records of each kind (inside the region `prefix`) are past their retention
    period and not yet anonymised."""
    from shegong.core.scoping import code_range

    counts = {}
    for kind in KINDS:
        qs = kind.eligible(kind.cutoff(today))
        if prefix:
            low, high = code_range(prefix)
            qs = qs.filter(region_id__gte=low, region_id__lte=high)
        counts[kind.key] = qs.count()
    return counts


def anonymise_expired(
    *, today: date | None = None, batch_size: int = BATCH, actor=None, actor_name: str = ""
) -> dict[str, dict]:
    """Anonymise every record past its retention period; one ANONYMISE audit row with counts."""
    from shegong.core.audit import audit_record
    from shegong.core.models import AuditLog

    summary: dict[str, dict] = {}
    for kind in KINDS:
        cutoff = kind.cutoff(today)
        records, tables = 0, {}
        for ids in _id_batches(kind.eligible(cutoff), batch_size):
            with transaction.atomic():
                for table, n in kind.anonymise(ids).items():
                    tables[table] = tables.get(table, 0) + n
            records += len(ids)
        summary[kind.key] = {
            "years": kind.years,
            "cutoff": cutoff.isoformat(),
            "records": records,
            "rows": tables,
        }
    audit_record(
        action=AuditLog.Action.ANONYMISE,
        actor=actor,
        actor_name=actor_name or "retention",
        detail=summary,
    )
    return summary
