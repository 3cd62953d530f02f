"""A merge of two records of one resident moves every row of every app that points at a
resident, each app through its own hook (core.registry) and with history; a foreign key to a
resident that no app's hook moves fails here."""

from __future__ import annotations

from datetime import date

import pytest

from shegong.cases import services as cases
from shegong.core.registry import resident_merge_hooks
from shegong.people import services
from shegong.people.models import Category, Resident
from shegong.people.synthetic import make_id_number
from shegong.petitions import services as petitions
from shegong.petitions.models import Category as MatterCategory
from shegong.privacy.services import consent_record
from shegong.regions.models import Region

VILLAGE = "440106001001"


def _relations():
    """Every foreign key to a resident, but the merged record's own pointer to the one kept."""
    return [
        rel
        for rel in Resident._meta.related_objects
        if rel.related_model is not Resident and not rel.many_to_many
    ]


def test_every_foreign_key_to_a_resident_has_a_merge_hook():
    covered = {label.lower() for hook in resident_merge_hooks() for label in hook.models}
    missing = {rel.related_model._meta.label_lower for rel in _relations()} - covered
    assert not missing, (
        f"no resident_merge hook moves {sorted(missing)}: add <app>/resident_merge.py"
    )


def _resident(worker, serial, category):
    return services.resident_create(
        acting_user=worker,
        name="何阿姨",
        id_number=make_id_number("440106", date(1944, 4, 4), serial, "F"),
        region=Region.objects.get(code=VILLAGE),
        categories=[Category.objects.get(code=category)],
        confirm_duplicates=True,
    )


def _volunteer_help(worker, resident) -> None:
    """A volunteer service record that served the resident (volunteers.RecordBeneficiary)."""
    from datetime import timedelta

    from django.utils import timezone

    from shegong.volunteers import services as volunteers
    from tests.volunteers.helpers import make_activity, make_volunteer

    activity = make_activity(worker, start=timezone.now() - timedelta(hours=1))
    shift = activity.shifts.get()
    signup = volunteers.signup_create(shift=shift, volunteer=make_volunteer(by=worker))
    volunteers.signup_check_in(signup=signup, acting_user=worker, at=shift.starts_at)
    record = volunteers.signup_check_out(
        signup=signup, acting_user=worker, at=shift.starts_at + timedelta(hours=1)
    )
    volunteers.record_link_resident(record=record, resident_id=resident.pk, acting_user=worker)


def _meeting_invitation(worker, resident) -> None:
    """The resident invited to a mass-contact meeting (contact.Invitation)."""
    from shegong.contact import services as contact

    meeting = contact.meeting_plan(
        acting_user=worker, kind="residents", title="居民议事会", held_on=date.today(), place="站"
    )
    contact.invitation_add(meeting=meeting, acting_user=worker, kind="resident", reference=resident)


def _field_and_sweep_rows(worker, make_member, keep, remove) -> None:
    """A not-reached attempt and a sync conflict from the field app (field.VisitAttempt,
    field.FieldConflict), and a sweep of an event in which both records have a task, the
    removed one's with an outcome (emergency.SweepTask, emergency.SweepOutcome)."""
    import uuid

    from django.utils import timezone

    from shegong.emergency import services as emergency
    from shegong.field.models import FieldConflict, FieldDevice, FieldSubmission, VisitAttempt

    VisitAttempt.objects.create(
        resident=remove,
        region_code=remove.region_code,
        attempted_on=date.today(),
        reason="nobody_home",
        attempted_by=worker,
    )
    device = FieldDevice.objects.create(user=worker, region_code=remove.region_code, name="手机")
    submission = FieldSubmission.objects.create(
        client_id=uuid.uuid4(),
        device=device,
        user=worker,
        region_code=remove.region_code,
        kind="visit",
        status="conflict",
        recorded_at=timezone.now(),
    )
    FieldConflict.objects.create(
        submission=submission,
        region_code=remove.region_code,
        reason="plan_reassigned",
        resident=remove,
    )
    county = make_member("dept_staff", "440106000000", kind="sw_department")
    event = emergency.event_declare(
        acting_user=county,
        kind="typhoon",
        title="台风应急排查",
        areas=[Region.objects.get(code=VILLAGE)],
        categories=list(Category.objects.filter(code__in=["living_alone", "dibao"])),
    )
    task = event.tasks.get(resident=remove)
    assert event.tasks.filter(resident=keep).exists()
    emergency.outcome_record(task=task, acting_user=worker, outcome="reached_safe")


@pytest.mark.django_db
def test_a_merge_moves_every_related_row_of_every_app_with_history(make_member):
    worker = make_member("station_worker", "440106001000", kind="sw_station")
    supervisor = make_member("supervisor", "440106001000", kind="sw_station")
    keep = _resident(worker, 1, "living_alone")
    remove = _resident(worker, 2, "dibao")
    today = date.today()
    services.member_add(
        resident=remove, acting_user=worker, data={"name": "何小明", "relation": "child"}
    )
    answers = {
        "lives_alone": True,
        "health": "serious",
        "self_care": "partial",
        "income": "tight",
        "housing": "safe",
        "support": "none",
    }
    services.assessment_create(resident=remove, acting_user=worker, answers=answers)
    services.visit_record(resident=remove, acting_user=worker, visited_on=today, mode="phone")
    services.assistance_create(
        resident=remove,
        acting_user=worker,
        data={"kind": "adaptation", "description": "扶手", "given_on": today},
    )
    cases.case_open(acting_user=worker, resident=remove, title="居家照料", source="self")
    consent_record(
        acting_user=worker,
        resident=remove,
        purpose="referral",
        basis="consent",
        method="written",
        given_by="self",
        given_on=today,
    )
    petitions.matter_register(
        kind="dispute",
        channel="visit",
        region_code="440106001000",
        category=MatterCategory.objects.get(code="labour.wages"),
        title="邻里纠纷",
        request="请求调解",
        petitioners=[{"name": "何阿姨", "phone": "13500135000", "resident_id": remove.pk}],
    )
    _volunteer_help(worker, remove)
    _meeting_invitation(worker, remove)
    _field_and_sweep_rows(worker, make_member, keep, remove)
    before = {
        rel.related_model._meta.label_lower: rel.related_model._base_manager.filter(
            **{rel.field.name: remove}
        ).count()
        for rel in _relations()
    }
    empty = sorted(label for label, n in before.items() if n == 0)
    assert not empty, f"give the removed record a row of {empty}"

    services.resident_merge(keep=keep, remove=remove, acting_user=supervisor)

    for rel in _relations():
        model = rel.related_model
        assert not model._base_manager.filter(**{rel.field.name: remove}).exists(), model
        assert model._base_manager.filter(**{rel.field.name: keep}).exists(), model
        if hasattr(model, "history"):  # each move is in the row's history, by who merged
            assert model.history.filter(
                history_user=supervisor, history_change_reason__contains=str(remove.pk)
            ).exists(), model
    remove.refresh_from_db()
    assert remove.status == "merged" and remove.merged_into == keep
