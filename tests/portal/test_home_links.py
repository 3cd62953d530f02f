"""Issue #12: the portal's home leads a resident to every public service — service sites,
activities, submitting and tracking a petition, the donation disclosures, certificate
verification and the statistics — and each link opens for an anonymous visitor."""

from __future__ import annotations

import re
from datetime import date

import pytest

from shegong.funds import services as funds_services

SERVICES = {
    "service-sites": "/portal/sites/",
    "service-activities": "/portal/activities/",
    "service-petition-submit": "/petitions/public/submit/",
    "service-petition-track": "/petitions/public/track/",
    "service-verify": "/portal/verify/",
    "service-stats": "/portal/stats/",
}


def _links(html: str, testid: str) -> list[str]:
    """The hrefs of the element with `data-testid`, or inside it (a list of links)."""
    own = re.findall(rf'<a [^>]*href="([^"]+)"[^>]*data-testid="{testid}"', html)
    if own:
        return own
    block = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</ul>', html, re.S)
    return re.findall(r'href="([^"]+)"', block.group(1)) if block else []


@pytest.fixture
def donation(county_user):
    org = county_user.active_membership.organisation
    donor = funds_services.donor_create(acting_user=county_user, kind="person", name="张爱心")
    return funds_services.donation_receive(
        acting_user=county_user,
        organisation=org,
        donor=donor,
        kind="money",
        amount=1_000_00,
        received_on=date(2026, 3, 1),
    )


@pytest.mark.django_db
def test_every_public_service_is_linked_from_the_portal_home_and_opens(client, donation):
    home = client.get("/portal/")
    assert home.status_code == 200
    html = home.content.decode()
    for testid, path in SERVICES.items():
        links = _links(html, testid)
        assert [link.split("?")[0] for link in links] == [path], testid
        assert client.get(links[0]).status_code == 200, links[0]
    disclosures = _links(html, "service-transparency")
    assert f"/funds/public/{donation.organisation_id}/" in disclosures
    for link in disclosures:
        page = client.get(link)
        assert page.status_code == 200 and "张爱心" in page.content.decode()


@pytest.mark.django_db
def test_the_disclosures_follow_the_chosen_region(client, donation):
    """A visitor who picked another county sees that county's disclosures, not this one's."""
    here = _links(client.get("/portal/?region=440106").content.decode(), "service-transparency")
    assert here == [f"/funds/public/{donation.organisation_id}/"]
    elsewhere = client.get("/portal/?region=441881").content.decode()
    assert _links(elsewhere, "service-transparency") == []
    assert "暂无公开的慈善捐赠" in elsewhere
