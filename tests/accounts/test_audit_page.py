"""The security auditor (安全审计员) searches and exports the audit log of its jurisdiction and
sees the last verification; it holds no other right and cannot open a resident. Department
leaders keep the page they had."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from shegong.core import auditchain
from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.permissions import all_permissions, role_has_perm

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(make_member):
    """安全审计员 of the Guangdong provincial department."""
    return make_member("security_auditor", "440000000000", name="广东省委社会工作部")


@pytest.fixture
def entries(county_user):
    """Rows in Tianhe, Yingde and Guizhou, of several kinds, days and addresses."""
    now = timezone.now()

    class Request:
        def __init__(self, ip):
            self.META = {"REMOTE_ADDR": ip}

    made = {
        "reveal": audit_record(
            action="reveal",
            actor=county_user,
            region_code="440106001001",
            detail={"field": "id_number", "resident": "王老伯"},
            request=Request("10.0.0.5"),
        ),
        "export": audit_record(
            action="export",
            actor=county_user,
            region_code="440106000000",
            detail={"list": "residents", "rows": 12},
            request=Request("10.0.0.6"),
        ),
        "failed": audit_record(
            action="login_failed", actor_name="yingde", region_code="441881000000"
        ),
        "guizhou": audit_record(
            action="reveal", actor_name="libo", region_code="522722000000", detail={"x": "王"}
        ),
        "old": auditchain.append(
            action="login",
            actor_name="tianhe",
            region_code="440106000000",
            at=now - timedelta(days=40),
        ),
    }
    return made


def _ids(response) -> set[int]:
    return {log.pk for log in response.context["listing"].object_list}


def test_the_auditor_holds_the_audit_rights_and_nothing_else():
    granted = {perm for perm in all_permissions() if role_has_perm("security_auditor", perm)}
    assert granted == {"accounts.view_audit", "accounts.export_audit"}


def test_the_auditor_searches_by_every_filter_inside_its_jurisdiction(login, auditor, entries):
    client = login(auditor)
    page = client.get("/accounts/audit/")
    assert page.status_code == 200
    everything = {e.pk for k, e in entries.items() if k != "guizhou"}
    assert everything <= _ids(page)  # with the auditor's own sign-in
    assert entries["guizhou"].pk not in _ids(page)  # Guangdong only: nothing from Guizhou

    def found(**params):
        response = client.get("/accounts/audit/", params)
        assert response.status_code == 200
        assert not response.context["form"].errors, response.context["form"].errors
        return _ids(response)

    assert found(action=["reveal", "export"]) == {entries["reveal"].pk, entries["export"].pk}
    assert found(actor="yingde") == {entries["failed"].pk}
    assert found(ip="10.0.0.6") == {entries["export"].pk}
    assert found(object_type="", q="王老伯") == {entries["reveal"].pk}
    assert found(q="residents") == {entries["export"].pk}
    assert found(region="440106") == {
        entries["reveal"].pk,
        entries["export"].pk,
        entries["old"].pk,
    }
    assert found(region="440106001") == {entries["reveal"].pk}
    today = timezone.localdate()
    assert entries["old"].pk not in found(date_from=today.isoformat())
    assert found(date_to=(today - timedelta(days=30)).isoformat()) == {entries["old"].pk}
    assert found(action="reveal", region="441881") == set()


def test_object_filters_find_the_rows_about_one_record(login, auditor, county_user):
    membership = county_user.active_membership
    about = audit_record(
        action="token_create", actor=county_user, obj=membership, region_code="440106000000"
    )
    audit_record(action="login", actor=county_user, region_code="440106000000")
    client = login(auditor)
    response = client.get(
        "/accounts/audit/", {"object_type": "accounts.membership", "object_id": membership.pk}
    )
    assert _ids(response) == {about.pk}


def test_bad_filters_are_explained_and_show_nothing(login, auditor, entries):
    client = login(auditor)
    response = client.get(
        "/accounts/audit/",
        {"region": "522722", "ip": "not-an-ip", "date_from": "2026-05-02", "date_to": "2026-05-01"},
    )
    form = response.context["form"]
    assert form.errors["region"] == ["该区划不在您的辖区范围内。"]
    assert "ip" in form.errors and form.errors["date_to"] == ["结束日期不能早于开始日期。"]
    assert _ids(response) == set()
    assert "该区划不在您的辖区范围内。" in response.content.decode()


def test_the_auditor_exports_what_it_searched_and_the_export_is_audited(login, auditor, entries):
    client = login(auditor)
    response = client.get("/accounts/audit/export/", {"action": "reveal"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("时间", "操作人账号", "动作")
    body = rows[1:]
    assert [r[1] for r in body] == [entries["reveal"].actor_name]  # not Guizhou's reveal
    assert body[0][2] == "查看敏感信息" and "王老伯" in body[0][7]
    assert (body[0][8], body[0][10]) == (entries["reveal"].seq, entries["reveal"].hash)
    export = AuditLog.objects.filter(action="export", actor=auditor).get()
    assert export.detail["list"] == "audit" and export.detail["actions"] == ["reveal"]
    assert export.detail["rows"] == 1 and export.region_code == "440000000000"


def test_leaders_keep_the_page_without_export_and_staff_have_neither(
    login, make_member, county_user, entries
):
    leader = make_member("dept_leader", "440106000000")
    client = login(leader)
    page = client.get("/accounts/audit/")
    assert page.status_code == 200 and entries["reveal"].pk in _ids(page)
    assert entries["failed"].pk not in _ids(page)  # Yingde is not theirs
    assert b'data-testid="audit-export"' not in page.content
    assert client.get("/accounts/audit/export/").status_code == 403
    staff = login(county_user)
    assert staff.get("/accounts/audit/").status_code == 403


def test_the_page_shows_the_last_verification(login, auditor, entries):
    from tests.audit_guards import guards_suspended

    client = login(auditor)
    assert "尚未校验" in client.get("/accounts/audit/").content.decode()
    kept = auditchain.verify_and_record(run_by="test")
    page = client.get("/accounts/audit/").content.decode()
    assert "链完整" in page and kept.head_hash in page
    with guards_suspended():
        AuditLog.objects.filter(pk=entries["export"].pk).update(actor_name="someone-else")
    auditchain.verify_and_record(run_by="test")
    page = client.get("/accounts/audit/").content.decode()
    assert "发现问题" in page and "记录被修改" in page
    assert f"首个断点链序号 {entries['export'].seq}" in page


def test_the_auditor_cannot_open_a_resident_or_any_other_page(login, auditor, make_member):
    from shegong.people import services
    from shegong.people.models import Category
    from shegong.people.synthetic import make_id_number
    from shegong.regions.models import Region

    worker = make_member("station_worker", "440106001000", kind="sw_station")
    resident = services.resident_create(
        acting_user=worker,
        name="测试老人",
        id_number=make_id_number("440106", date(1945, 3, 8), 1, "M"),
        region=Region.objects.get(code="440106001001"),
        categories=[Category.objects.get(code="living_alone")],
        confirm_duplicates=True,
    )
    client = login(auditor)
    for url in (
        f"/people/{resident.pk}/",
        "/people/",
        "/people/export/",
        "/accounts/users/",
        "/orgs/",
        "/regions/440000000000/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "测试老人" not in response.content.decode()
    reveal = client.post(f"/people/{resident.pk}/reveal/", {"field": "id_number"})
    assert reveal.status_code == 403
    api = client.get(f"/api/v1/people/residents/{resident.pk}")
    assert api.status_code in (401, 403) and "测试老人" not in api.content.decode()
    assert client.get("/").status_code == 200  # the auditor still gets in
