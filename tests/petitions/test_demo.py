import pytest
from django.core.management import call_command

from shegong.accounts.models import User
from shegong.petitions import selectors
from shegong.petitions.models import Matter, Mediation

pytestmark = pytest.mark.django_db


def _as(username):
    user = User.objects.get(username=username)
    user.active_membership = user.memberships.select_related("organisation__region").get()
    return user


def test_demo_matters_and_accounts_are_walkable_and_idempotent():
    call_command("demo", only=["orgs", "accounts", "petitions"])
    count = Matter.objects.count()
    assert Matter.objects.filter(county_code="440106").count() >= 20
    assert Matter.objects.filter(county_code="441881").count() >= 20
    assert set(Matter.objects.values_list("channel", flat=True)) == {
        "visit",
        "letter",
        "phone",
        "hotline",
        "online",
        "field",
        "meeting",
    }
    assert Matter.objects.filter(is_overdue=True).exists()
    assert Mediation.objects.filter(outcome="agreement", agreement__isnull=False).exists()
    hr = _as("tianhe_hr")
    assert hr.active_membership.organisation.name == "天河区人力资源和社会保障局"
    assert hr.check_password("Shegong@2026")
    assert selectors.matter_list(fetched_by=hr, view="mine").filter(status="assigned").exists()
    mediator = _as("tianhe_mediator")
    assert mediator.active_membership.role == "mediator"
    tianhe = _as("tianhe")
    assert selectors.matter_list(fetched_by=tianhe, view="dispatch").exists()
    assert selectors.hot_spots(fetched_by=tianhe)
    assert not selectors.matter_list(fetched_by=tianhe).filter(county_code="441881").exists()
    edited = Matter.objects.filter(county_code="440106").first()
    Matter.objects.filter(pk=edited.pk).update(internal_note="有人写的备注")
    call_command("demo", only=["orgs", "accounts", "petitions"])
    assert Matter.objects.count() == count
    edited.refresh_from_db()
    assert edited.internal_note == "有人写的备注"
