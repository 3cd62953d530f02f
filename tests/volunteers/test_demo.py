"""The demo loader: realistic data in the demo counties, idempotent, with the journeys' cases."""

import io

import pytest

from shegong.volunteers.models import Activity, Certificate, ServiceRecord, SignUp, Team, Volunteer

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_shows_every_state():
    from shegong.accounts import demo as accounts_demo
    from shegong.orgs import demo as orgs_demo
    from shegong.volunteers import demo

    out = io.StringIO()
    orgs_demo.load(stdout=out)
    accounts_demo.load(stdout=out)
    demo.load(stdout=out)
    counts = [
        m.objects.count() for m in (Volunteer, Team, Activity, SignUp, ServiceRecord, Certificate)
    ]
    demo.load(stdout=out)
    assert [
        m.objects.count() for m in (Volunteer, Team, Activity, SignUp, ServiceRecord, Certificate)
    ] == counts
    assert Volunteer.objects.in_subtree("441881").exists()
    assert Team.objects.filter(kind="party", name__contains="党员志愿服务队").exists()
    assert ServiceRecord.objects.filter(status="pending").exists()  # awaiting confirmation
    assert Certificate.objects.exists()
    assert SignUp.objects.filter(status="waitlisted", shift__activity__status="published").exists()
    me = Volunteer.objects.get(user__username="volunteer")
    assert me.user.check_password("Shegong@2026")
    assert me.user.memberships.get().role == "volunteer"
    assert SignUp.objects.filter(volunteer=me, status="accepted").exists()


def test_demo_links_some_services_to_the_residents_they_served():
    from shegong.accounts import demo as accounts_demo
    from shegong.orgs import demo as orgs_demo
    from shegong.people import demo as people_demo
    from shegong.volunteers import demo
    from shegong.volunteers.models import RecordBeneficiary
    from shegong.volunteers.selectors import record_prefix

    out = io.StringIO()
    for loader in (orgs_demo, accounts_demo, people_demo, demo):
        loader.load(stdout=out)
    links = list(RecordBeneficiary.objects.select_related("record", "resident"))
    assert links
    for link in links:  # inside the service's area, scoped by the resident's village
        assert link.resident.region_id.startswith(record_prefix(link.record))
        assert link.region_code == link.resident.region_id
    demo.load(stdout=out)
    assert RecordBeneficiary.objects.count() == len(links)
