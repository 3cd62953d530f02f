"""Demo of the field app: the demo station worker ("worker", 郑社工) has visits due today so the
route is not empty, a registered phone, a visit already sent from it, and one conflict for the
station's supervisor ("supervisor", 王督导): a resident reassigned to the supervisor while the
worker was offline. Idempotent: records carry fixed client ids (a second run finds them)."""

from __future__ import annotations

import uuid
from datetime import date

from django.db import transaction
from django.utils import timezone

from shegong.accounts.models import User
from shegong.field import services
from shegong.field.models import FieldDevice, FieldSubmission
from shegong.people import services as people_services
from shegong.people.models import Resident, VisitPlan

# Every read of a scoped model in this module may see every jurisdiction (declared, listed
# by tests/core/test_unscoped_reads.py):
UNSCOPED_READS = (
    "Seeds the demo data as the system (make demo), across the jurisdictions it creates; "
    "it answers no user's request."
)
DUE_TODAY = 4
DEVICE_NAME = "郑社工的手机"
NAMESPACE = uuid.UUID("5b9b3f0e-8f3c-4d38-9d1e-6a1f0e1f1901")


def _acting(username: str) -> User | None:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        return None
    user.active_membership = user.memberships.select_related("organisation__region").first()
    return user if user.active_membership else None


def load(*, stdout) -> None:
    worker, supervisor = _acting("worker"), _acting("supervisor")
    if worker is None or supervisor is None:
        stdout.write("field: demo users missing, skipped")
        return
    plans = list(
        VisitPlan.objects.filter(worker=worker, is_active=True).order_by("next_due_date", "id")
    )
    if len(plans) < DUE_TODAY + 2:
        stdout.write("field: the demo worker has no visit plans, skipped")
        return
    with transaction.atomic():
        _due_today(plans)
        device = _device(worker)
        sent = _send(worker, device, plans, supervisor)
    stdout.write(f"field: route of {worker.username} ready, {sent} records sent from the phone")


def _due_today(plans: list[VisitPlan]) -> None:
    today = date.today()
    due = [p for p in plans if p.next_due_date <= today]
    later = [p for p in plans if p.next_due_date > today]
    missing = max(0, DUE_TODAY + 2 - len(due))
    if missing:
        VisitPlan.objects.filter(pk__in=[p.pk for p in later[:missing]]).update(next_due_date=today)
        for plan in later[:missing]:
            plan.next_due_date = today


def _device(worker: User) -> FieldDevice:
    device = FieldDevice.objects.filter(user=worker, name=DEVICE_NAME).first()
    return device or services.device_register(
        acting_user=worker,
        name=DEVICE_NAME,
        user_agent="Mozilla/5.0 (Linux; Android 14; 演示手机) Mobile",
    )


def _client_id(key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, key))


def _send(worker: User, device: FieldDevice, plans: list[VisitPlan], supervisor: User) -> int:
    """A visit sent from the phone, then a visit to a resident the supervisor took over
    meanwhile (kept, flagged as a conflict)."""
    stored_id, conflict_id = _client_id("visit-stored"), _client_id("visit-conflict")
    if FieldSubmission.objects.filter(client_id__in=[stored_id, conflict_id]).count() == 2:
        return 0
    first, second = plans[-1], plans[-2]  # the latest due: today's route keeps the others
    resident = Resident.objects.get(pk=second.resident_id)
    if second.worker_id == worker.pk:
        people_services.resident_update(
            resident=resident, acting_user=supervisor, data={"assigned_worker": supervisor}
        )
    now = timezone.now()
    results = services.sync_records(
        acting_user=worker,
        device_id=str(device.pk),
        records=[
            {
                "client_id": stored_id,
                "kind": "visit",
                "recorded_at": now,
                "payload": {
                    "resident_id": first.resident_id,
                    "plan_id": first.pk,
                    "mode": "home",
                    "checklist": {
                        "finding_living": "独自在家，午饭已吃",
                        "finding_safety": "燃气阀门已关",
                    },
                    "needs": "希望有人陪同复诊",
                    "needs_categories": ["service"],
                },
            },
            {
                "client_id": conflict_id,
                "kind": "visit",
                "recorded_at": now,
                "payload": {
                    "resident_id": second.resident_id,
                    "plan_id": second.pk,
                    "mode": "home",
                    "checklist": {"finding_living": "家中整洁，老人精神尚可"},
                },
            },
        ],
    )
    return sum(1 for r in results if r["status"] in ("stored", "conflict"))
