"""Pages, exports, search and API: scoped to the jurisdiction; actions through the pages."""

import pytest

from shegong.petitions import services
from shegong.petitions.models import Matter
from tests.pdf import pdf_text

from .conftest import TIANHE_STREET

pytestmark = pytest.mark.django_db


@pytest.fixture
def matter(register):
    return register()


def test_county_staff_see_list_detail_and_timeline(login, county_user, matter):
    client = login(county_user)
    page = client.get("/petitions/").content.decode()
    assert matter.number in page
    detail = client.get(f"/petitions/{matter.pk}/").content.decode()
    assert 'data-testid="timeline"' in detail and "登记" in detail
    assert "天河区人力资源和社会保障局" not in detail  # no HR department exists yet


def test_the_routing_proposal_is_shown_and_confirmed(login, county_user, matter, hr_dept):
    client = login(county_user)
    detail = client.get(f"/petitions/{matter.pk}/").content.decode()
    assert 'data-testid="proposal">天河区人力资源和社会保障局' in detail
    response = client.post(
        f"/petitions/{matter.pk}/do/route/", {"organisation": hr_dept.pk, "note": ""}
    )
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.status == "assigned" and matter.handling_org == hr_dept
    assert matter.assignments.get().proposed


def test_another_county_cannot_see_or_act(login, other_county_user, matter, hr_dept):
    client = login(other_county_user)
    assert matter.number not in client.get("/petitions/").content.decode()
    search = client.get(f"/petitions/?q={matter.number}").content.decode()
    assert 'data-testid="matter-row"' not in search and matter.title not in search
    assert client.get(f"/petitions/{matter.pk}/").status_code == 404
    assert (
        client.post(f"/petitions/{matter.pk}/do/route/", {"organisation": hr_dept.pk}).status_code
        == 404
    )
    assert client.get(f"/petitions/{matter.pk}/reply.pdf").status_code == 404
    export = client.get("/petitions/export/")
    assert export.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export.content)).active
    assert matter.number not in [c.value for row in sheet.iter_rows() for c in row]
    api = client.get("/api/v1/petitions/matters")
    assert api.status_code == 200 and api.json()["count"] == 0
    assert client.get(f"/api/v1/petitions/matters/{matter.pk}").status_code == 404
    assert client.get(f"/api/v1/petitions/matters/{matter.pk}/events").status_code == 404
    assert client.post(f"/api/v1/petitions/matters/{matter.pk}/accept").status_code in (403, 404)
    matter.refresh_from_db()
    assert matter.status == "registered"


def test_export_for_own_county(login, county_user, matter):
    from io import BytesIO

    from openpyxl import load_workbook

    response = login(county_user).get("/petitions/export/")
    sheet = load_workbook(BytesIO(response.content)).active
    assert matter.number in [c.value for row in sheet.iter_rows() for c in row]


def test_register_through_the_form(login, county_user, wages):
    response = login(county_user).post(
        "/petitions/new/",
        {
            "kind": "petition",
            "channel": "letter",
            "received_on": "2026-11-20",
            "region": TIANHE_STREET,
            "category": wages.pk,
            "title": "欠薪",
            "urgency": "normal",
            "request": "请求支付工资",
            "name": "刘洋",
            "phone": "13912345678",
            "people_count": 1,
            "others": "王芳 13700001111 代表",
        },
    )
    matter = Matter.objects.get()
    assert response.status_code == 302 and response.url == f"/petitions/{matter.pk}/"
    assert matter.channel == "letter" and matter.petitioners.count() == 2
    assert matter.petitioners.filter(is_representative=True).count() == 1


def test_register_outside_jurisdiction_is_refused_next_to_the_field(login, county_user, wages):
    response = login(county_user).post(
        "/petitions/new/",
        {
            "kind": "petition",
            "channel": "letter",
            "received_on": "2026-11-20",
            "region": "441881001000",
            "category": wages.pk,
            "title": "x",
            "urgency": "normal",
            "request": "y",
            "name": "刘洋",
            "phone": "13912345678",
            "people_count": 1,
        },
    )
    assert response.status_code == 200
    assert 'data-testid="error-region"' in response.content.decode()
    assert not Matter.objects.exists()


def test_api_lists_and_registers(login, county_user, wages):
    client = login(county_user)
    created = client.post(
        "/api/v1/petitions/matters",
        {
            "kind": "complaint",
            "channel": "hotline",
            "region_code": TIANHE_STREET,
            "category_code": "labour.wages",
            "title": "欠薪",
            "request": "请求支付工资",
            "petitioners": [{"name": "刘洋", "phone": "13912345678"}],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    listed = client.get("/api/v1/petitions/matters").json()
    assert [m["number"] for m in listed["items"]] == [number]
    events = client.get(f"/api/v1/petitions/matters/{created.json()['id']}/events").json()
    assert events[0]["label"] == "登记"


def test_analysis_page(login, county_user, matter):
    page = login(county_user).get("/petitions/analysis/").content.decode()
    assert 'data-testid="total">1<' in page
    assert "劳动和欠薪" in page


def test_mediation_agreement_pdf_shows_parties_terms_and_deadlines(login, county_user, make_member):
    from datetime import timedelta

    from django.utils import timezone

    from shegong.petitions.models import Category
    from tests.factories import OrganisationFactory

    committee = OrganisationFactory(
        name="天河区人民调解委员会", kind="mediation_committee", region_id="440106000000"
    )
    mediator = make_member("mediator", "440106000000", kind="mediation_committee")
    mediator.active_membership.organisation = committee
    mediator.active_membership.save()
    matter = services.matter_register(
        acting_user=county_user,
        kind="dispute",
        channel="field",
        region_code=TIANHE_STREET,
        category=Category.objects.get(code="neighbour.adjacent"),
        title="楼上漏水",
        request="楼上漏水导致天花板损坏，请求赔偿",
        petitioners=[
            {"name": "周明", "phone": "13800001111"},
            {"name": "吴芳", "phone": "13800002222"},
        ],
    )
    assert services.routing_proposal(matter) == committee
    services.matter_route(matter=matter, organisation=committee, acting_user=county_user)
    services.matter_accept(matter=matter, acting_user=mediator)
    mediation = services.mediation_start(
        matter=matter, acting_user=mediator, committee=committee, mediators="黄调解"
    )
    client = login(mediator)
    for side, party in (("applicant", "周明"), ("other", "吴芳")):  # both willing (Art. 17)
        consent = client.post(
            f"/petitions/mediations/{mediation.pk}/actions/consent/",
            {
                "side": side,
                "party": party,
                "given_on": timezone.localdate().isoformat(),
                "method": "written",
            },
        )
        assert consent.status_code == 302
    response = client.post(
        f"/petitions/mediations/{mediation.pk}/session/",
        {
            "held_on": timezone.localdate().isoformat(),
            "participants": "周明、吴芳、黄调解",
            "record": "双方陈述",
        },
    )
    assert mediation.sessions.count() == 1
    deadline = timezone.localdate() + timedelta(days=15)
    response = client.post(
        f"/petitions/mediations/{mediation.pk}/conclude/",
        {
            "outcome": "agreement",
            "parties": "周明（楼上住户）\n吴芳（楼下住户）",
            "facts": "卫生间漏水",
            "disputed_points": "维修责任和赔偿数额",
            "terms": "周明赔偿吴芳修复费用三千二百元",
            "performance_manner": "银行转账",
            "performance_deadline": deadline.isoformat(),
        },
    )
    assert response.status_code == 302
    mediation.refresh_from_db()
    assert mediation.outcome == "agreement"
    pdf = client.get(f"/petitions/mediations/{mediation.pk}/agreement.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert "人民调解协议书" in text
    assert "周明（楼上住户）" in text and "吴芳（楼下住户）" in text
    assert "周明赔偿吴芳修复费用三千二百元" in text
    assert f"{deadline:%Y年%m月%d日}前" in text
    assert "三十日内共同向人民法院申请司法确认" in text
    matter.refresh_from_db()
    assert matter.status == "accepted"


def test_mediation_failure_tells_the_parties_of_other_channels(county_user, make_member):
    from shegong.petitions.models import Category
    from tests.factories import OrganisationFactory

    committee = OrganisationFactory(
        name="调委会", kind="mediation_committee", region_id="440106000000"
    )
    mediator = make_member("mediator", "440106000000")
    mediator.active_membership.organisation = committee
    matter = services.matter_register(
        acting_user=county_user,
        kind="dispute",
        channel="field",
        region_code=TIANHE_STREET,
        category=Category.objects.get(code="family.support"),
        title="赡养",
        request="赡养费分担",
        petitioners=[{"name": "周明", "phone": "13800001111"}],
    )
    services.matter_route(matter=matter, organisation=committee, acting_user=county_user)
    services.matter_accept(matter=matter, acting_user=mediator)
    mediation = services.mediation_start(
        matter=matter, acting_user=mediator, committee=committee, mediators="黄调解"
    )
    services.mediation_conclude(mediation=mediation, acting_user=mediator, outcome="failed")
    assert "仲裁、行政、司法等途径" in mediation.outcome_note


def test_attachment_upload_and_scoped_download(login, county_user, other_county_user, wages):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(county_user)
    client.post(
        "/petitions/new/",
        {
            "kind": "petition",
            "channel": "letter",
            "received_on": "2026-11-20",
            "region": TIANHE_STREET,
            "category": wages.pk,
            "title": "来信",
            "urgency": "normal",
            "request": "请求支付工资",
            "name": "刘洋",
            "phone": "13912345678",
            "people_count": 1,
            "attachment": SimpleUploadedFile("来信.txt", "来信内容".encode()),
        },
    )
    matter = Matter.objects.get()
    attachment = matter.attachments.get()
    url = f"/petitions/{matter.pk}/attachments/{attachment.pk}/"
    assert "来信.txt" in client.get(f"/petitions/{matter.pk}/").content.decode()
    assert b"".join(client.get(url).streaming_content) == "来信内容".encode()
    client.logout()
    assert login(other_county_user).get(url).status_code == 404


def test_public_region_suggestions(client):
    page = client.get("/petitions/public/regions/?region=五山").content.decode()
    assert '<option value="440106001000">五山街道' in page


def test_home_shows_due_soon_and_escalated(
    login, county_user, city_user, register, hr_dept, hr_user
):
    from datetime import timedelta

    from django.utils import timezone

    from shegong.petitions import deadlines

    matter = register()
    services.matter_route(matter=matter, organisation=hr_dept, acting_user=county_user)
    Matter.objects.filter(pk=matter.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    deadlines.deadline_sweep()
    city_home = login(city_user).get("/").content.decode()
    assert "下级超期上报" in city_home


def test_routing_table_is_configurable_by_a_leader(
    login, county_user, county_leader, register, make_member
):
    from shegong.petitions.models import Category, RoutingRule
    from tests.factories import OrganisationFactory

    staff_page = login(county_user).get("/petitions/routing/").content.decode()
    assert "劳动和欠薪" in staff_page and 'data-testid="routing-form"' not in staff_page
    assert login(county_user).post("/petitions/routing/", {}).status_code == 403
    housing = OrganisationFactory(
        name="天河区住房和城乡建设局",
        kind="gov_department",
        sector="housing",
        region_id="440106000000",
    )
    client = login(county_leader)
    category = Category.objects.get(code="labour.wages")
    response = client.post(
        "/petitions/routing/",
        {
            "category": category.pk,
            "level": 3,
            "org_kind": "gov_department",
            "sector": "housing",
            "statutory_procedure": "",
        },
    )
    assert response.status_code == 302
    assert RoutingRule.objects.get(category=category, level=3).sector == "housing"
    assert services.routing_proposal(register()) == housing
    refused = client.post(
        "/petitions/routing/",
        {"category": category.pk, "level": 3, "org_kind": "gov_department", "sector": ""},
    )
    assert 'data-testid="error-sector"' in refused.content.decode()


def test_one_click_from_a_care_visit_finding(login, county_user):
    from datetime import date

    from shegong.core.crypto import sensitive_columns
    from shegong.people.models import Resident, Visit

    cols = sensitive_columns("11010519491231002X")
    resident = Resident.objects.create(
        name="王秀英",
        sex="F",
        birth_date=date(1949, 12, 31),
        region_id="440106001001",
        county_code="440106",
        phone="13800001111",
        id_number_encrypted=cols["encrypted"],
        id_number_hash=cols["hash"],
        id_number_masked=cols["masked"],
    )
    visit = Visit.objects.create(
        resident=resident,
        region_code="440106001001",
        visited_on=date(2026, 11, 20),
        mode=Visit._meta.get_field("mode").choices[0][0],
        finding_living="与楼下邻居因排水管漏水发生争执",
    )
    client = login(county_user)
    response = client.post(f"/petitions/from-visit/{visit.pk}/")
    matter = Matter.objects.get(finding_ref=f"visit:{visit.pk}")
    assert response.url == f"/petitions/{matter.pk}/"
    assert matter.kind == "dispute" and matter.channel == "field"
    assert "排水管漏水" in matter.request
    assert matter.petitioners.get().resident == resident
    client.post(f"/petitions/from-visit/{visit.pk}/")  # a second click opens the same matter
    assert Matter.objects.filter(finding_ref=f"visit:{visit.pk}").count() == 1


def test_registration_form_prefilled_from_a_finding_reference(login, county_user):
    page = login(county_user).get("/petitions/from-finding/visit-7/").content.decode()
    assert 'value="visit-7"' in page and "来自探访发现" in page


def test_a_matter_routed_out_has_its_written_notice_as_pdf(login, county_user, matter):
    client = login(county_user)
    assert client.get(f"/petitions/{matter.pk}/notice.pdf").status_code == 404
    services.matter_route_out(
        matter=matter,
        procedure="劳动人事争议仲裁",
        notice="请向天河区劳动人事争议仲裁委员会申请仲裁。",
        acting_user=county_user,
    )
    assert 'data-testid="notice-pdf"' in client.get(f"/petitions/{matter.pk}/").content.decode()
    pdf = client.get(f"/petitions/{matter.pk}/notice.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert "信访事项告知书" in text and matter.number in text
    assert "《信访工作条例》第三十一条" in text
    assert "请向天河区劳动人事争议仲裁委员会申请仲裁。" in text


def test_the_notice_pdf_is_not_served_outside_the_jurisdiction(
    login, county_user, other_county_user, matter
):
    services.matter_route_out(
        matter=matter, procedure="仲裁", notice="请申请仲裁。", acting_user=county_user
    )
    assert login(other_county_user).get(f"/petitions/{matter.pk}/notice.pdf").status_code == 404


def test_routing_notifies_the_handling_unit_at_once(login, county_user, hr_user, matter, hr_dept):
    from shegong.inbox.models import Notification

    login(county_user).post(f"/petitions/{matter.pk}/do/route/", {"organisation": hr_dept.pk})
    notice = Notification.objects.get(recipient=hr_user, kind="matter_assigned")
    matter.refresh_from_db()
    assert notice.title == (
        f"{matter.number} {matter.title}：已交办本单位，请于 {matter.due_date.isoformat()} 前受理"
    )
    assert not Notification.objects.filter(recipient=county_user).exists()
    page = login(hr_user).get("/inbox/").content.decode()
    assert matter.number in page
