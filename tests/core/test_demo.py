import pytest
from django.core.management import call_command

from shegong.accounts.models import User
from shegong.orgs.models import Organisation


@pytest.mark.django_db
def test_demo_is_idempotent_and_keeps_what_people_entered():
    call_command("demo", only=["orgs", "accounts"])
    orgs, users = Organisation.objects.count(), User.objects.count()
    assert users >= 8 and orgs > 50
    station = (
        Organisation.objects.filter(kind="sw_station", region__code__startswith="440106")
        .order_by("id")
        .first()
    )
    station.phone = "020-00000000"
    station.save()
    Organisation.objects.create(
        name="有人新建的站点", kind="service_site", region_id="440106001000"
    )
    call_command("demo", only=["orgs", "accounts"])
    assert Organisation.objects.count() == orgs + 1
    assert User.objects.count() == users
    station.refresh_from_db()
    assert station.phone == "020-00000000"
    tianhe = User.objects.get(username="tianhe")
    assert tianhe.check_password("Shegong@2026")
    assert tianhe.memberships.get().organisation.region_id == "440106000000"
