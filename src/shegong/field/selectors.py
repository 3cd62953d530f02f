"""Reads of the field app: the route a worker downloads, their devices, what their phones sent,
and the conflicts a supervisor sees. Every read starts from `visible_to` (core.scoping)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from shegong.accounts.models import User
from shegong.core.permissions import has_perm
from shegong.core.scoping import get_visible_or_404, jurisdiction_of
from shegong.field.models import (
    FieldConflict,
    FieldDevice,
    FieldSubmission,
    NotReachedReason,
    SubmissionKind,
    VisitAttempt,
)
from shegong.people import selectors as people_selectors
from shegong.people.models import (
    AssistanceKind,
    ResidentCategory,
    RiskLevel,
    Visit,
    VisitMode,
)
from shegong.petitions import selectors as petition_selectors
from shegong.petitions.models import Urgency

RECENT_VISITS = 3
MAX_ROUTE = 300
CHECKLIST = ("finding_health", "finding_living", "finding_safety", "finding_mood")


def wipe_after_days() -> int:
    return int(getattr(settings, "SHEGONG_FIELD_WIPE_DAYS", 3))


def checklist() -> list[dict]:
    """The areas a visit looks at (the visit form's findings), the same for every visit."""
    return [
        {
            "field": name,
            "label": str(Visit._meta.get_field(name).verbose_name),
            "sensitive": name in Visit.SENSITIVE_FINDINGS,
        }
        for name in CHECKLIST
    ]


def _pairs(choices) -> list[dict]:
    return [{"value": str(value), "label": str(label)} for value, label in choices]


def form_choices() -> list:
    return {
        "visit_modes": _pairs(VisitMode.choices),
        "visit_outcomes": _pairs(
            [(SubmissionKind.VISIT, SubmissionKind.VISIT.label)]
            + [(SubmissionKind.NOT_REACHED, SubmissionKind.NOT_REACHED.label)]
        ),
        "needs_categories": _pairs(AssistanceKind.choices),
        "not_reached_reasons": _pairs(NotReachedReason.choices),
        "finding_categories": [
            {"value": c.code, "label": f"{c.parent.name} · {c.name}" if c.parent else c.name}
            for c in petition_selectors.leaf_categories()
        ],
        "finding_urgency": _pairs(Urgency.choices),
    }


# Other apps add their work to the route download (e.g. emergency: the worker's open sweep
# tasks): name -> fn(fetched_by=user) returning a JSON-ready list; registered in their AppConfig.ready.
# Their form choices go into the route's "choices" (fn() -> {name: [{value, label}]}).
ROUTE_SECTIONS: dict = {}
ROUTE_CHOICES: list = []


def register_route_section(name: str, provider, choices=None) -> None:
    ROUTE_SECTIONS[name] = provider
    if choices is not None:
        ROUTE_CHOICES.append(choices)


ROUTE_LINKS = "The category links of residents the route already read through their scope."


def route_for(*, fetched_by: User, horizon_days: int = 0, today: date | None = None) -> dict:
    """The worker's due visits (due within the horizon or overdue) with what the phone needs
    offline: the resident's essentials (masked ID only), the checklist, the last notes."""
    today = today or date.today()
    residents = people_selectors.residents_visible(fetched_by=fetched_by)
    plans = list(
        people_selectors.my_visit_plans(
            fetched_by=fetched_by, today=today, horizon_days=horizon_days
        )
        .filter(resident__in=residents)
        .select_related("resident__region")
        .prefetch_related(
            Prefetch(
                "resident__category_links",
                queryset=ResidentCategory.objects.unscoped(reason=ROUTE_LINKS).select_related(
                    "category"
                ),
            )
        )[:MAX_ROUTE]
    )
    resident_ids = [p.resident_id for p in plans]
    sensitive = people_selectors.may_see_sensitive(fetched_by=fetched_by)
    recent: dict[int, list] = defaultdict(list)
    visits = (
        Visit.objects.visible_to(fetched_by)
        .filter(resident_id__in=resident_ids)
        .select_related("visited_by")
        .order_by("resident_id", "-visited_on", "-id")
    )
    for visit in visits.iterator():
        if len(recent[visit.resident_id]) < RECENT_VISITS:
            recent[visit.resident_id].append(visit)
    shows_phone = has_perm(fetched_by, "people.visit")
    items = []
    steps = checklist()
    for plan in plans:
        resident = plan.resident
        items.append(
            {
                "plan_id": plan.pk,
                "due_date": plan.next_due_date,
                "overdue": plan.next_due_date < today,
                "last_visit_date": plan.last_visit_date,
                "event_note": plan.event_note,
                "resident": {
                    "id": resident.pk,
                    "name": resident.name,
                    "id_number_masked": resident.id_number_masked,
                    "sex": resident.sex,
                    "age": resident.age,
                    "address": resident.address,
                    "phone": resident.phone if shows_phone else None,
                    "categories": [
                        {"code": link.category.code, "name": link.category.name}
                        for link in resident.category_links.all()
                        if link.end_date is None or link.end_date >= today
                    ],
                    "risk_level": resident.risk_level or plan.risk_level,
                    "risk_label": str(
                        RiskLevel(resident.risk_level or plan.risk_level).label
                        if (resident.risk_level or plan.risk_level) in RiskLevel.values
                        else ""
                    ),
                    "region_code": resident.region_id,
                    "region_name": resident.region.name,
                    "updated_at": resident.updated_at,
                },
                "checklist": steps,
                "recent_notes": [
                    {
                        "visited_on": v.visited_on,
                        "mode": v.mode,
                        "by": v.visitors or (str(v.visited_by) if v.visited_by else ""),
                        "notes": [
                            {"label": label, "text": text}
                            for label, text in v.findings_shown(sensitive=sensitive)
                        ],
                    }
                    for v in recent[resident.pk]
                ],
            }
        )
    return {
        "downloaded_at": timezone.now(),
        "wipe_after_days": wipe_after_days(),
        "worker": {"id": fetched_by.pk, "name": fetched_by.full_name or fetched_by.username},
        "visits": items,
        "choices": form_choices() | {k: v for fn in ROUTE_CHOICES for k, v in fn().items()},
        **{name: provider(fetched_by=fetched_by) for name, provider in ROUTE_SECTIONS.items()},
    }


# ---- devices --------------------------------------------------------------------------------


def devices_of(*, fetched_by: User) -> QuerySet[FieldDevice]:
    """The caller's own devices (wherever they were registered)."""
    return FieldDevice.objects.unscoped(reason=OWN_DEVICES).filter(user=fetched_by)


OWN_DEVICES = "The caller's own devices and records: their owner reads them wherever they sit."


def devices_supervised(*, fetched_by: User) -> QuerySet[FieldDevice]:
    """Other users' devices registered inside the supervisor's jurisdiction."""
    if not has_perm(fetched_by, "field.supervise"):
        return FieldDevice.objects.none()
    return (
        FieldDevice.objects.visible_to(fetched_by)
        .exclude(user=fetched_by)
        .select_related("user", "revoked_by")
    )


def get_device_for(*, fetched_by: User, pk) -> FieldDevice:
    """A device the caller may act on: their own, or (supervisors) one in their jurisdiction;
    the same 404 for missing and not yours."""
    own = devices_of(fetched_by=fetched_by).filter(pk=pk).first() if _is_uuid(pk) else None
    if own is not None:
        return own
    return get_visible_or_404(devices_supervised(fetched_by=fetched_by), fetched_by, pk=pk)


def device_for_sync(*, fetched_by: User, pk) -> FieldDevice | None:
    """The caller's own device by its id (None: unknown or another user's)."""
    if not _is_uuid(pk):
        return None
    return devices_of(fetched_by=fetched_by).filter(pk=pk).first()


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except (TypeError, ValueError):
        return False
    return True


# ---- submissions and conflicts --------------------------------------------------------------


def submissions_of(
    *, fetched_by: User, status: str = "", device_id: str = ""
) -> QuerySet[FieldSubmission]:
    qs = (
        FieldSubmission.objects.unscoped(reason=OWN_DEVICES)
        .filter(user=fetched_by)
        .select_related("conflict")
    )
    if status:
        qs = qs.filter(status=status)
    if device_id and _is_uuid(device_id):
        qs = qs.filter(device_id=device_id)
    return qs.order_by("-received_at", "-id")


def submissions_by_client_id(*, client_ids: list) -> dict[str, FieldSubmission]:
    """Earlier submissions of these client ids, whoever sent them (a client id is unique
    nationally: a record is stored once; only the sender is told which)."""
    found = FieldSubmission.objects.unscoped(reason=CLIENT_IDS).filter(client_id__in=client_ids)
    return {str(s.client_id): s for s in found}


CLIENT_IDS = (
    "Idempotency: a phone's record id is unique nationally, so an earlier send is found "
    "wherever it was stored; only its own sender is told about it."
)


def conflicts_of(*, fetched_by: User) -> QuerySet[FieldConflict]:
    """Conflicts on the caller's own records."""
    return (
        FieldConflict.objects.unscoped(reason=OWN_DEVICES)
        .filter(submission__user=fetched_by)
        .select_related("submission", "resident", "resolved_by")
    )


def conflicts_supervised(*, fetched_by: User, open_only: bool = True) -> QuerySet[FieldConflict]:
    """Conflicts on residents of the supervisor's jurisdiction, open ones first."""
    if not has_perm(fetched_by, "field.supervise"):
        return FieldConflict.objects.none()
    qs = FieldConflict.objects.visible_to(fetched_by).select_related(
        "submission__user", "resident", "resolved_by"
    )
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    return qs.order_by("resolved_at", "-created_at")


def get_conflict_for(*, fetched_by: User, pk: int) -> FieldConflict:
    return get_visible_or_404(
        conflicts_supervised(fetched_by=fetched_by, open_only=False), fetched_by, pk=pk
    )


def open_conflict_count(*, fetched_by: User) -> int:
    return conflicts_supervised(fetched_by=fetched_by).count()


def jurisdiction_code(*, fetched_by: User) -> str:
    """The region a user's device and submissions sit in: their active membership's region."""
    return jurisdiction_of(fetched_by).region_code


def attempts_of_resident(*, fetched_by: User, resident) -> QuerySet[VisitAttempt]:
    """The visits that did not reach the resident (探访未遇), newest first, inside scope."""
    return (
        VisitAttempt.objects.visible_to(fetched_by)
        .filter(resident=resident)
        .select_related("attempted_by")
        .order_by("-attempted_on", "-id")
    )
