import pytest
from django.core.management import call_command

from shegong.field.models import FieldConflict, FieldDevice, FieldSubmission

LOADERS = ["orgs", "accounts", "people", "field"]


@pytest.mark.django_db
def test_demo_worker_has_a_route_a_phone_and_the_supervisor_a_conflict(login, client):
    call_command("demo", only=LOADERS)
    assert FieldDevice.objects.filter(user__username="worker").count() == 1
    conflict = FieldConflict.objects.get()
    assert conflict.reason == "plan_reassigned" and conflict.resolved_at is None
    from shegong.accounts.models import User

    worker = User.objects.get(username="worker")
    worker.active_membership = worker.memberships.first()
    route = login(worker).get("/api/v1/field/route").json()
    assert len(route["visits"]) >= 4
    supervisor = User.objects.get(username="supervisor")
    supervisor.active_membership = supervisor.memberships.first()
    page = login(supervisor).get("/field/conflicts/").content.decode()
    assert conflict.resident.name in page
    submissions = FieldSubmission.objects.count()
    call_command("demo", only=LOADERS)
    assert FieldSubmission.objects.count() == submissions
    assert FieldConflict.objects.count() == 1 and FieldDevice.objects.count() == 1
