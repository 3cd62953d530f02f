"""The routing form of a registered matter suggests, read only, the units of the matter's
county whose published duty list (职责清单) matches its title and request."""

import pytest

from shegong.orgs import services as orgs_services
from tests.factories import MembershipFactory, OrganisationFactory

WAGES_DUTY = {
    "title": "根治拖欠农民工工资，查处欠薪行为",
    "basis": "《保障农民工工资支付条例》第十条",
    "keywords": "拖欠、农民工工资、欠薪",
}


def _publish_for(org):
    membership = MembershipFactory(organisation=org, role="org_staff")
    user = membership.user
    user.active_membership = membership
    orgs_services.duty_list_publish(acting_user=user, organisation=org, items=[WAGES_DUTY])


@pytest.mark.django_db
def test_the_route_form_names_the_unit_whose_duty_it_is(register, county_user, hr_dept, login):
    _publish_for(hr_dept)
    yingde_hr = OrganisationFactory(
        name="英德市人力资源和社会保障局",
        kind="gov_department",
        sector="human_resources",
        region_id="441881000000",
    )
    _publish_for(yingde_hr)
    matter = register()
    page = login(county_user).get(f"/petitions/{matter.pk}/").content.decode()
    start = page.index('data-testid="hint-route"')
    hint = page[start : page.index("</p>", start)]
    assert "天河区人力资源和社会保障局" in hint and WAGES_DUTY["title"] in hint
    assert "英德市" not in hint
    assert matter.status == "registered"  # a hint only: nothing changed


@pytest.mark.django_db
def test_no_hint_without_a_matching_duty_list(register, county_user, login):
    matter = register()
    page = login(county_user).get(f"/petitions/{matter.pk}/").content.decode()
    assert 'data-testid="hint-route"' not in page
