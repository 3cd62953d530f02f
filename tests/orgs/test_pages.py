import pytest

from shegong.orgs.models import Organisation


@pytest.mark.django_db
def test_create_page_shows_the_field_error_and_keeps_input(login, county_user):
    client = login(county_user)
    response = client.post(
        "/orgs/new/",
        {
            "name": "天河区向阳社工服务中心",
            "kind": "sw_organisation",
            "region": "440106",
            "credit_code": "91110000600037341X",
            "phone": "020-88886666",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-credit_code"' in text and "校验位错误" in text
    assert 'value="020-88886666"' in text
    assert not Organisation.objects.filter(name="天河区向阳社工服务中心").exists()
    response = client.post(
        "/orgs/new/",
        {
            "name": "天河区向阳社工服务中心",
            "kind": "sw_organisation",
            "region": "440106",
            "credit_code": "52440106MJ0000001J",
            "phone": "020-88886666",
        },
    )
    org = Organisation.objects.get(name="天河区向阳社工服务中心")
    assert response.status_code == 302 and response["Location"] == f"/orgs/{org.pk}/"


@pytest.mark.django_db
def test_list_filters_survive_in_the_url(login, county_user):
    Organisation.objects.create(name="天河某站", kind="sw_station", region_id="440106001000")
    client = login(county_user)
    text = client.get("/orgs/?kind=sw_station&sort=name").content.decode()
    assert "天河某站" in text
    assert 'value="sw_station" selected' in text


@pytest.mark.django_db
def test_role_without_edit_permission_cannot_create(login, make_member):
    worker = make_member("station_worker", "440106001000", kind="sw_station")
    client = login(worker)
    assert client.get("/orgs/").status_code == 200
    assert client.get("/orgs/new/").status_code == 403
