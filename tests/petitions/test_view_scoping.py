"""Choices on the matter page come from selectors bounded by the matter's county."""

import pytest

from shegong.petitions import selectors, services
from shegong.petitions.models import Category, Mediation

from .conftest import TIANHE_STREET

pytestmark = pytest.mark.django_db


@pytest.fixture
def committees(db):
    from tests.factories import OrganisationFactory

    own = OrganisationFactory(
        name="天河区人民调解委员会", kind="mediation_committee", region_id="440106000000"
    )
    other = OrganisationFactory(
        name="英德市人民调解委员会", kind="mediation_committee", region_id="441881000000"
    )
    return own, other


@pytest.fixture
def accepted_dispute(county_user, make_member, committees):
    own, _other = committees
    mediator = make_member("mediator", "440106000000", kind="mediation_committee")
    mediator.active_membership.organisation = own
    mediator.active_membership.save()
    matter = services.matter_register(
        acting_user=county_user,
        kind="dispute",
        channel="field",
        region_code=TIANHE_STREET,
        category=Category.objects.get(code="neighbour.adjacent"),
        title="楼上漏水",
        request="楼上漏水导致天花板损坏，请求赔偿",
        petitioners=[{"name": "周明", "phone": "13800001111"}],
    )
    services.matter_route(matter=matter, organisation=own, acting_user=county_user)
    services.matter_accept(matter=matter, acting_user=mediator)
    return matter, mediator


def test_a_committee_of_another_county_cannot_be_chosen(login, accepted_dispute, committees):
    matter, mediator = accepted_dispute
    own, other = committees
    client = login(mediator)
    detail = client.get(f"/petitions/{matter.pk}/").content.decode()
    assert own.name in detail and other.name not in detail
    response = client.post(
        f"/petitions/{matter.pk}/do/start_mediation/",
        {"committee": other.pk, "mediators": "黄调解"},
    )
    assert response.status_code == 422
    assert 'data-testid="error-committee"' in response.content.decode()
    assert not Mediation.objects.filter(matter=matter).exists()
    matter.refresh_from_db()
    assert matter.status == "accepted"
    # the committee of the matter's county is accepted by the same path
    client.post(
        f"/petitions/{matter.pk}/do/start_mediation/", {"committee": own.pk, "mediators": "黄调解"}
    )
    assert Mediation.objects.get(matter=matter).committee == own


def test_leaders_are_of_the_matter_county_and_above(make_member, register):
    matter = register()
    county = make_member("dept_leader", "440106000000")
    city = make_member("dept_leader", "440100000000")
    province = make_member("dept_leader", "440000000000")
    neighbour = make_member("dept_leader", "440104000000")  # 越秀区: another county
    leaders = set(selectors.leaders_for(matter=matter))
    assert {county, city, province} <= leaders
    assert neighbour not in leaders
