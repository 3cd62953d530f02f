"""The workforce demo loads on the foundation demo and is idempotent."""

import pytest
from django.core.management import call_command

from shegong.workforce.models import MentorPair, Registration, WorkerProfile


@pytest.mark.django_db
def test_demo_loads_every_level_and_is_idempotent():
    call_command("demo", only=["orgs", "accounts", "workforce"])
    workers = WorkerProfile.objects.unscoped(reason="The test counts what the demo made.")
    levels = set(workers.values_list("highest_level", flat=True))
    assert levels == {"", "assistant", "social_worker", "senior"}
    assert {w.region_code[:6] for w in workers} == {"440106", "441881"}
    statuses = set(
        Registration.objects.unscoped(reason="The test counts what the demo made.").values_list(
            "status", flat=True
        )
    )
    assert {"active", "lapsed"} <= statuses
    assert MentorPair.objects.unscoped(reason="The test counts what the demo made.").exists()
    count = workers.count()
    call_command("demo", only=["orgs", "accounts", "workforce"])
    assert workers.count() == count
