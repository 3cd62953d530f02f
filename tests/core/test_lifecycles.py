"""Every lifecycle in the product is declared in the one format (core.workflow), and each of its
transitions is reachable from the page and from the API, and refused to a user of another county
and to a role without the permission — on both routes, with nothing changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shegong.accounts.models import Role
from shegong.api import api
from shegong.core.permissions import role_has_perm
from shegong.core.workflow import all_lifecycles
from tests.lifecycles import MODULES, OTHER_COUNTY, builder_for
from tests.signin import verify_session

# Every lifecycle of the product. A new one is added here, with its builder in MODULES.
EXPECTED = set(MODULES)


def test_every_lifecycle_is_declared_and_has_a_builder():
    declared = {lc.key for lc in all_lifecycles()}
    assert declared == EXPECTED


def _transitions():
    return [
        pytest.param(lc, t, id=f"{lc.key}.{t.name}")
        for lc in sorted(all_lifecycles(), key=lambda lc: lc.key)
        for t in lc.transitions
        if t.offered
    ]


def _api_path(lc, pk, name) -> str:
    schema = api.get_openapi_schema()
    operation_id = f"{lc.key.replace('.', '_')}_action"
    for path, methods in schema["paths"].items():
        if methods.get("post", {}).get("operationId") == operation_id:
            return path.replace("{pk}", str(pk)).replace("{action}", name)
    raise AssertionError(f"{lc.key} has no API action route")


def _fresh(lc, subject):
    return lc.model_class._default_manager.get(pk=subject.pk)


def _observed(lc, scenario, subject):
    fresh = _fresh(lc, subject)
    return (lc.state_of(fresh), scenario.effect(fresh) if scenario.effect else None)


def _assert_taken(lc, t, scenario, before):
    fresh = _fresh(lc, scenario.subject)
    if t.target is not None:
        assert lc.state_of(fresh) == t.target
    else:
        assert scenario.effect is not None, f"{lc.key}.{t.name} keeps the state: give an effect"
        assert scenario.effect(fresh) != before[1]


def _sign_in(client, user):
    client.force_login(user)
    session = client.session
    session["active_membership_id"] = user.active_membership.pk
    session.save()
    verify_session(client, user)  # signed in with the second factor, as the role may require
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("lc,t", _transitions())
def test_reachable_from_the_page(lc, t, client, make_member):
    scenario = builder_for(lc.key).scenario(t, make_member=make_member)
    before = _observed(lc, scenario, scenario.subject)
    response = _sign_in(client, scenario.actor).post(
        reverse(lc.url_name, args=[scenario.subject.pk, t.name]), scenario.payload
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    _assert_taken(lc, t, scenario, before)


@pytest.mark.django_db
@pytest.mark.parametrize("lc,t", _transitions())
def test_reachable_from_the_api(lc, t, client, make_member):
    scenario = builder_for(lc.key).scenario(t, make_member=make_member)
    before = _observed(lc, scenario, scenario.subject)
    response = _sign_in(client, scenario.actor).post(
        _api_path(lc, scenario.subject.pk, t.name),
        scenario.payload,
        content_type="application/json",
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    _assert_taken(lc, t, scenario, before)


def _outsider(scenario, make_member):
    membership = scenario.actor.active_membership
    return make_member(membership.role, OTHER_COUNTY, kind=membership.organisation.kind)


def _without_permission(t, scenario, make_member):
    membership = scenario.actor.active_membership
    role = next(
        (r for r in Role.values if r != Role.SYSADMIN and not role_has_perm(r, t.perm)), None
    )
    assert role is not None, f"every role holds {t.perm}"
    return make_member(role, membership.organisation.region_id, kind=membership.organisation.kind)


@pytest.mark.django_db
@pytest.mark.parametrize("lc,t", _transitions())
def test_refused_across_jurisdictions_and_roles(lc, t, client, make_member):
    scenario = builder_for(lc.key).scenario(t, make_member=make_member)
    before = _observed(lc, scenario, scenario.subject)
    page = reverse(lc.url_name, args=[scenario.subject.pk, t.name])
    api_path = _api_path(lc, scenario.subject.pk, t.name)
    for user, page_status, api_status in (
        (_outsider(scenario, make_member), 404, 404),
        (_without_permission(t, scenario, make_member), 403, 403),
    ):
        client.logout()
        _sign_in(client, user)
        assert client.post(page, scenario.payload).status_code == page_status
        response = client.post(api_path, scenario.payload, content_type="application/json")
        assert response.status_code == api_status
        assert _observed(lc, scenario, scenario.subject) == before
