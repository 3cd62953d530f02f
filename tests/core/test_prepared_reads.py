"""The reads every request makes (session, user, memberships), each one statement written once,
give exactly what the ORM gives, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shegong.accounts.backends import UserBackend
from shegong.accounts.middleware import memberships_of
from shegong.accounts.models import User
from shegong.accounts.selectors import active_memberships
from shegong.core.sessions import SessionStore
from tests.factories import MembershipFactory, OrganisationFactory


def _values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _assert_same(a, b):
    va, vb = _values(a), _values(b)
    assert va == vb
    assert {k: type(v) for k, v in va.items()} == {k: type(v) for k, v in vb.items()}


@pytest.mark.django_db
def test_active_memberships_equal_the_orm_with_organisation_and_region_loaded(make_member):
    user = make_member("station_worker", "440106001000", kind="sw_station")
    second = OrganisationFactory(region_id="441881000000", kind="sw_department")
    MembershipFactory(user=user, organisation=second, role="dept_staff")
    inactive = OrganisationFactory(region_id="440106000000", kind="sw_department")
    MembershipFactory(user=user, organisation=inactive, role="dept_leader", is_active=False)

    expected = list(memberships_of(user))
    got = active_memberships(user.pk)

    assert [m.pk for m in got] == [m.pk for m in expected]
    assert len(got) == 2  # the inactive one is left out
    with CaptureQueriesContext(connection) as queries:
        for a, b in zip(expected, got, strict=True):
            _assert_same(a, b)
            _assert_same(a.organisation, b.organisation)
            _assert_same(a.organisation.region, b.organisation.region)
            assert b.jurisdiction == a.jurisdiction
    assert len(queries) == 0  # organisation and region came with the memberships


@pytest.mark.django_db
def test_active_memberships_of_a_user_without_any_is_empty(db):
    user = User.objects.create_user(username="nobody", password="x")  # noqa: S106
    assert active_memberships(user.pk) == []


@pytest.mark.django_db
def test_user_backend_reads_the_same_user_and_refuses_an_inactive_one(county_user):
    backend = UserBackend()
    _assert_same(backend.get_user(county_user.pk), User.objects.get(pk=county_user.pk))
    assert backend.get_user(10**9) is None
    User.objects.filter(pk=county_user.pk).update(is_active=False)
    assert backend.get_user(county_user.pk) is None


@pytest.mark.django_db
def test_session_store_loads_a_live_session_and_not_an_expired_one(db):
    store = SessionStore()
    store["answer"] = 42
    store.create()
    assert SessionStore(store.session_key).load() == {"answer": 42}
    assert SessionStore(store.session_key).load() == DjangoSessionStore(store.session_key).load()

    store.model.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new key is issued, as Django's store does
    assert SessionStore("no-such-session-key-at-all").load() == {}


@pytest.mark.django_db
def test_a_statement_compiled_once_runs_with_other_values_of_the_same_shape(make_member):
    """`CompiledRows.rows(key, build, params=…)`: compiled from the first values, run with the
    next ones; the rows are those the ORM gives for each; a statement that does not take the
    values in the order given is refused."""
    from shegong.core.prepared import CompiledRows

    users = [make_member("county_staff", "440106000000") for _ in range(3)]
    names = [u.username for u in users]
    compiled = CompiledRows()

    def rows_for(wanted: list[str]) -> list[tuple]:
        def build():
            return User.objects.filter(username__in=wanted).order_by("id").values_list("id")

        return compiled.rows((len(wanted),), build, params=wanted)

    for pair in (names[:2], names[1:], [names[0], "nobody"]):
        expected = list(User.objects.filter(username__in=pair).order_by("id").values_list("id"))
        assert rows_for(pair) == expected
    with pytest.raises(ValueError):
        CompiledRows().rows(
            ("x",),
            lambda: User.objects.filter(username__in=names[:2]).values_list("id"),
            params=list(reversed(names[:2])),
        )


@pytest.mark.django_db
def test_the_id_number_holder_check_finds_each_number_under_any_of_its_indexes(county_user):
    """The registration's uniqueness check (one compiled statement for every number) answers
    for each number, under the current and the older blind indexes, and not for another."""
    from datetime import date

    from shegong.core.crypto import blind_indexes
    from shegong.people import services
    from shegong.people.selectors import id_number_holder, id_number_holder_of
    from shegong.people.synthetic import make_id_number
    from shegong.regions.models import Region

    village = Region.objects.get(code="440106001001")
    numbers = [make_id_number("440106", date(1950, 1, 1 + i), i) for i in range(3)]
    for i, number in enumerate(numbers[:2]):
        services.resident_create(
            acting_user=county_user, name=f"甲{i}", id_number=number, region=village
        )
    assert id_number_holder(numbers[0]) == village.code
    assert id_number_holder(numbers[1]) == village.code
    assert id_number_holder(numbers[2]) is None
    current = blind_indexes(numbers[1])[:1]
    assert id_number_holder_of(current) == village.code
    from shegong.people.models import Resident

    pk = Resident.objects.unscoped(reason="test").get(name="甲1").pk
    assert id_number_holder(numbers[1], exclude_pk=pk) is None
    assert id_number_holder(numbers[0], exclude_pk=pk) == village.code
