import pytest

from shegong.orgs.models import Organisation
from tests.factories import OrganisationFactory


@pytest.mark.django_db
def test_home_shows_real_figures_for_the_jurisdiction(login, county_user):
    OrganisationFactory(region_id="440106001000", kind="sw_station")
    OrganisationFactory(region_id="441881101000", kind="sw_station")
    client = login(county_user)
    response = client.get("/")
    figures = {str(f.label): f.value for f in response.context["figures"]}
    expected = Organisation.objects.filter(
        region_id__gte="440106000000", region_id__lte="440106999999"
    ).count()
    assert figures["组织总数"] == expected
    assert figures["社工站"] == 1
    assert response.context["root"].code == "440106000000"
    assert [r.region.parent_id for r in response.context["rows"]] == ["440106000000"] * len(
        response.context["rows"]
    )


@pytest.mark.django_db
def test_english_switch_translates_the_shell(login, county_user):
    client = login(county_user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/orgs/"})
    text = client.get("/orgs/").content.decode()
    assert 'lang="en"' in text
    assert "Organisations" in text and "组织总数" not in text
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/orgs/"})
    assert 'lang="zh-hans"' in client.get("/orgs/").content.decode()


@pytest.mark.django_db
def test_user_without_membership_is_told_so(client):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 403
    assert "没有有效的任职" in response.content.decode()
    assert client.get("/orgs/").status_code == 403
