"""Changes of rights are security events: every create/change/deactivation of a membership or a
role, account (de)activation and staff/superuser flags are audited with old and new values —
through the services, the Django admin, `createsuperuser` and the demo."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from shegong.accounts import membership_services as rights
from shegong.accounts.models import Membership, Role, User
from shegong.core import auditchain
from shegong.core.models import AuditLog
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.signin import verify_session

pytestmark = pytest.mark.django_db


def _events(*actions: str) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action__in=actions).order_by("seq"))


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    return user


def test_membership_create_role_change_and_deactivation_are_audited(county_user):
    leader = county_user  # acts inside 天河区
    org = OrganisationFactory(region_id="440106001000", name="五山街道社工站", kind="sw_station")
    worker = UserFactory(username="xiaowang")

    membership = rights.membership_create(
        acting_user=leader, user=worker, organisation=org, role=Role.STATION_WORKER
    )
    rights.membership_change_role(acting_user=leader, membership=membership, role=Role.SUPERVISOR)
    rights.membership_set_active(acting_user=leader, membership=membership, is_active=False)

    created, role, deactivated = _events("membership_change", "permission_change")
    assert created.action == "membership_change" and created.detail["op"] == "create"
    assert created.detail["new"]["role"] == "station_worker"
    assert created.detail["user"] == "xiaowang" and created.actor == leader
    assert created.region_code == "440106001000"
    assert created.object_type == "accounts.membership"
    assert created.object_id == str(membership.pk)
    assert role.action == "permission_change"
    assert (role.detail["old"], role.detail["new"]) == (
        {"role": "station_worker"},
        {"role": "supervisor"},
    )
    assert deactivated.detail["op"] == "deactivate"
    assert (deactivated.detail["old"], deactivated.detail["new"]) == (
        {"is_active": True},
        {"is_active": False},
    )
    assert auditchain.verify().ok


def test_a_membership_outside_the_jurisdiction_is_refused_and_nothing_is_recorded(county_user):
    from django.core.exceptions import ValidationError

    elsewhere = OrganisationFactory(region_id="441881000000")
    with pytest.raises(ValidationError) as refused:
        rights.membership_create(
            acting_user=county_user,
            user=UserFactory(),
            organisation=elsewhere,
            role=Role.DEPT_LEADER,
        )
    assert "organisation" in refused.value.message_dict
    assert not Membership.objects.filter(organisation=elsewhere).exists()
    assert _events("membership_change", "permission_change") == []


def test_account_activation_and_admin_flags_are_audited(county_user, admin_user):
    person = county_user
    rights.user_set_active(acting_user=admin_user, user=person, is_active=False)
    rights.user_set_admin_flags(acting_user=admin_user, user=person, is_staff=True)
    deactivated, flags = _events("user_change", "permission_change")
    assert deactivated.detail["op"] == "deactivate" and deactivated.actor == admin_user
    assert deactivated.region_code == "440106000000"  # the account's own jurisdiction
    assert flags.action == "permission_change"
    assert (flags.detail["old"], flags.detail["new"]) == ({"is_staff": False}, {"is_staff": True})


def test_createsuperuser_is_audited():
    call_command(
        "createsuperuser", interactive=False, username="root2", email="r@x.cn", stdout=StringIO()
    )
    created, flags = _events("user_change", "permission_change")
    assert created.detail["op"] == "create" and created.detail["via"] == "create_user"
    assert created.actor_name == "" and created.detail["user"] == "root2"
    assert flags.detail["new"] == {"is_staff": True, "is_superuser": True}
    assert not User.objects.get(username="root2").has_usable_password()


def test_the_admin_audits_flags_roles_and_memberships_edited_on_the_user_page(
    client, admin_user, county_user
):
    person = county_user
    membership = person.active_membership
    new_org = OrganisationFactory(region_id="440106001000", kind="sw_station")
    client.force_login(admin_user)
    verify_session(client, admin_user)  # administrators sign in with a second factor
    page = client.get(f"/admin/accounts/user/{person.pk}/change/")
    assert page.status_code == 200
    data = {
        "username": person.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",  # granted
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "full_name": person.full_name,
        "phone": "",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(membership.pk),
        "memberships-0-user": str(person.pk),
        "memberships-0-organisation": str(membership.organisation_id),
        "memberships-0-role": "dept_leader",  # was dept_staff
        "memberships-0-title": "",
        "memberships-0-is_active": "on",
        "memberships-1-id": "",
        "memberships-1-user": str(person.pk),
        "memberships-1-organisation": str(new_org.pk),
        "memberships-1-role": "station_worker",
        "memberships-1-title": "兼职",
        "memberships-1-is_active": "on",
    }
    response = client.post(
        f"/admin/accounts/user/{person.pk}/change/", data, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    events = _events("user_change", "permission_change", "membership_change")
    summary = sorted((e.action, e.detail["op"]) for e in events)
    assert summary == [
        ("membership_change", "create"),
        ("permission_change", "admin_flags"),
        ("permission_change", "role"),
    ]
    assert {e.detail["via"] for e in events} == {"admin"}
    assert {e.actor_id for e in events} == {admin_user.pk}
    assert {e.ip for e in events} == {"10.1.2.3"}
    role = next(e for e in events if e.detail["op"] == "role")
    assert role.detail["new"] == {"role": "dept_leader"}
    membership.refresh_from_db()
    assert membership.role == "dept_leader"


def test_the_admin_audits_membership_deactivation_and_deletion(client, admin_user, county_user):
    membership = county_user.active_membership
    client.force_login(admin_user)
    verify_session(client, admin_user)  # administrators sign in with a second factor
    url = f"/admin/accounts/membership/{membership.pk}/change/"
    response = client.post(
        url,
        {
            "user": county_user.pk,
            "organisation": membership.organisation_id,
            "role": membership.role,
            "title": "",
            # is_active left out: unticked
        },
    )
    assert response.status_code == 302
    response = client.post(f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    deactivated, deleted = _events("membership_change")
    assert deactivated.detail["op"] == "deactivate"
    assert deleted.detail["op"] == "delete"
    assert deleted.detail["old"]["role"] == "dept_staff"
    assert deleted.region_code == "440106000000"


def test_an_account_that_acted_cannot_be_deleted_and_stays_in_the_log(admin_user, county_user):
    from shegong.core.audit import audit_record
    from shegong.core.errors import ApplicationError

    audit_record(action="login", actor=county_user)
    with pytest.raises(ApplicationError):
        rights.user_delete(acting_user=admin_user, user=county_user)
    assert User.objects.filter(pk=county_user.pk).exists()
    assert AuditLog.objects.filter(actor=county_user).count() == 1
    assert _events("user_change", "membership_change") == []  # rolled back with the refusal

    newcomer = MembershipFactory().user
    rights.user_delete(acting_user=admin_user, user=newcomer)
    gone = _events("user_change", "membership_change")
    assert [(e.action, e.detail["op"]) for e in gone] == [
        ("membership_change", "delete"),
        ("user_change", "delete"),
    ]


def test_the_demo_accounts_are_created_through_the_audited_services():
    from shegong.accounts import demo

    OrganisationFactory(region_id="440000000000", kind="sw_department", name="广东省委社会工作部")
    demo.load(stdout=StringIO())
    auditor = User.objects.get(username="auditor")
    assert auditor.check_password("Shegong@2026")
    assert auditor.memberships.get().role == Role.SECURITY_AUDITOR
    created = _events("user_change", "membership_change", "permission_change")
    assert {e.detail["via"] for e in created} == {"demo"}
    assert ("membership_change", "auditor") in {(e.action, e.detail["user"]) for e in created}
    assert "auditor" in demo.logins_text()
    count = AuditLog.objects.count()
    demo.load(stdout=StringIO())  # again: nothing new, nothing recorded
    assert AuditLog.objects.count() == count
