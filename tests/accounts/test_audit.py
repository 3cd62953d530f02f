import pytest

from shegong.core.models import AuditLog


@pytest.mark.django_db
def test_login_failed_login_and_logout_are_logged(client, county_user):
    client.post("/accounts/login/", {"username": county_user.username, "password": "wrong"})
    client.post("/accounts/login/", {"username": county_user.username, "password": "pass12345!"})
    client.post("/accounts/logout/")
    actions = list(AuditLog.objects.order_by("id").values_list("action", "actor_name"))
    assert actions == [
        ("login_failed", county_user.username),
        ("login", county_user.username),
        ("logout", county_user.username),
    ]


@pytest.mark.django_db
def test_switching_membership_changes_the_jurisdiction(login, county_user):
    from tests.factories import MembershipFactory, OrganisationFactory

    other = MembershipFactory(
        user=county_user, organisation=OrganisationFactory(region_id="441881000000")
    )
    client = login(county_user)
    assert client.get("/regions/441881000000/").status_code == 404
    client.post("/accounts/switch/", {"membership": other.pk, "next": "/"})
    assert client.get("/regions/441881000000/").status_code == 200
    assert client.get("/regions/440106000000/").status_code == 404
    assert AuditLog.objects.filter(action="switch_membership", actor=county_user).exists()


@pytest.mark.django_db
def test_cannot_switch_to_someone_elses_membership(login, county_user, other_county_user):
    client = login(county_user)
    client.post("/accounts/switch/", {"membership": other_county_user.active_membership.pk})
    assert client.get("/regions/441881000000/").status_code == 404


@pytest.mark.django_db
def test_tokens_page_creates_and_revokes(login, county_user):
    from django.test import Client

    client = login(county_user)
    api_client = Client()
    response = client.post(
        "/accounts/tokens/",
        {
            "name": "报表脚本",
            "membership": county_user.active_membership.pk,
            "scope": "read",
            "days": 30,
        },
    )
    raw = response.context["new_token"]
    assert raw.startswith("sg_")
    me = api_client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert me["jurisdiction_prefix"] == "440106"
    token = county_user.active_membership.tokens.get()
    assert token.digest != raw and raw not in token.hint
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert (
        api_client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    )
