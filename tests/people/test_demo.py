from datetime import date

import pytest
from django.core.management import call_command

from shegong.cases.models import Case, Referral
from shegong.people.models import Resident, VisitPlan

LOADERS = ["orgs", "accounts", "people", "cases"]


@pytest.mark.django_db
def test_demo_gives_the_worker_overdue_visits_and_cases_and_is_idempotent(login):
    call_command("demo", only=LOADERS)
    residents, cases = Resident.objects.count(), Case.objects.count()
    plans = VisitPlan.objects.filter(worker__username="worker")
    assert plans.filter(next_due_date__lt=date.today()).exists()
    assert plans.filter(next_due_date=date.today()).exists()
    states = set(Case.objects.values_list("status", flat=True))
    assert states >= {"intake", "assessment", "planning", "intervention", "evaluation", "closed"}
    assert set(Case.objects.values_list("supervisor__username", flat=True)) == {"supervisor"}
    assert Referral.objects.filter(status="pending").exists()
    assert Resident.objects.filter(county_code="441881").exists()
    call_command("demo", only=LOADERS)
    assert (Resident.objects.count(), Case.objects.count()) == (residents, cases)
