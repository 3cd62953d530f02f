"""Issue #10, first leak: repeat detection searched the whole country. A 英德 or 荔波 user who
filed with a 天河 petitioner's phone and a similar request had their matter merged into 天河's,
bumped its repeat count, wrote a timeline event there and learnt its number; anonymously too,
through Open311, after which the tracking page showed 天河's matter.

Now a repeat is merged only into a matter the filer may see (staff: their jurisdiction; public
channels: the new matter's own county). Elsewhere nothing is written, no number leaves, staff are
told only whom to contact and anonymous filers are told nothing."""

import re
import time

import pytest

from shegong.petitions import public, services
from shegong.petitions.models import Matter, MatterEvent

from .conftest import TIANHE_STREET, YINGDE_STREET

pytestmark = pytest.mark.django_db

PHONE = "13800138000"
REQUEST = "请求督促某建筑公司支付拖欠的三个月工资共计四万五千元"
SIMILAR = "请求督促某建筑公司支付拖欠三个月的工资共计四万五千元！"
# Open311 has no title: the description stands for both.
DESCRIPTION = "工地拖欠农民工工资，" + REQUEST
LIBO = "522722000000"  # 荔波县, Guizhou


@pytest.fixture
def tianhe_matter(register):
    """A 天河区 matter of 张建国 (phone 13800138000) about unpaid wages."""
    return register()


@pytest.fixture
def tianhe_department(db):
    from tests.factories import OrganisationFactory

    return OrganisationFactory(
        name="天河区委社会工作部", kind="sw_department", region_id="440106000000"
    )


def _snapshot(matter: Matter) -> tuple:
    matter.refresh_from_db()
    return (
        matter.repeat_count,
        matter.status,
        matter.updated_at,
        matter.events.count(),
        matter.history.count(),
    )


def _api_register(client, region_code: str, request: str = SIMILAR):
    return client.post(
        "/api/v1/petitions/matters",
        {
            "kind": "complaint",
            "channel": "hotline",
            "region_code": region_code,
            "category_code": "labour.wages",
            "title": "工地拖欠农民工工资",
            "request": request,
            "petitioners": [{"name": "张建国", "phone": PHONE}],
        },
        content_type="application/json",
    )


@pytest.mark.parametrize("county", ["441881000000", LIBO])
def test_staff_of_another_county_are_not_merged_into_tianhe(
    login, make_member, tianhe_matter, tianhe_department, county
):
    other = make_member("dept_staff", county, name="外县社会工作部")
    before = _snapshot(tianhe_matter)
    region = YINGDE_STREET if county.startswith("441881") else LIBO
    response = _api_register(login(other), region)
    assert response.status_code == 201, response.content
    body = response.json()
    # Their own matter, registered as new: not merged, no foreign number anywhere.
    assert body["status"] != "merged" and body["repeat_of"] is None
    assert body["number"].startswith(county[:6])
    assert tianhe_matter.number not in response.content.decode()
    # Told only that a match exists and whom to contact.
    assert body["notices"] == ["同一信访人的相同诉求正在其他辖区办理，请联系天河区委社会工作部。"]
    # Nothing written into 天河's matter: no count, no event, no history row.
    assert _snapshot(tianhe_matter) == before
    new = Matter.objects.get(number=body["number"])
    assert not new.is_repeat and new.repeat_of is None
    assert not MatterEvent.objects.filter(matter=tianhe_matter, action="repeat").exists()


def test_the_registration_form_of_another_county_warns_without_the_number(
    login, other_county_user, tianhe_matter, tianhe_department, wages
):
    before = _snapshot(tianhe_matter)
    response = login(other_county_user).post(
        "/petitions/new/",
        {
            "kind": "complaint",
            "channel": "visit",
            "received_on": tianhe_matter.received_on.isoformat(),
            "region": YINGDE_STREET,
            "category": wages.pk,
            "title": "工地拖欠农民工工资",
            "urgency": "normal",
            "request": SIMILAR,
            "name": "张建国",
            "phone": PHONE,
            "people_count": 1,
        },
        follow=True,
    )
    page = response.content.decode()
    new = Matter.objects.exclude(pk=tianhe_matter.pk).get()
    assert response.redirect_chain[-1][0] == f"/petitions/{new.pk}/"
    assert "请联系天河区委社会工作部" in page
    assert tianhe_matter.number not in page and f"/petitions/{tianhe_matter.pk}/" not in page
    assert _snapshot(tianhe_matter) == before


def test_within_the_jurisdiction_a_repeat_is_merged_as_before(login, make_member, tianhe_matter):
    city = make_member("dept_staff", "440100000000", name="广州市委社会工作部")
    response = _api_register(login(city), TIANHE_STREET)
    body = response.json()
    assert body["status"] == "merged" and body["repeat_of"] == tianhe_matter.number
    assert body["notices"] == []
    tianhe_matter.refresh_from_db()
    assert tianhe_matter.repeat_count == 1


def test_open311_from_another_county_is_not_merged_and_tracks_only_its_own_matter(
    client, tianhe_matter
):
    before = _snapshot(tianhe_matter)
    created = client.post(
        "/open311/v2/requests.json",
        {
            "service_code": "labour.wages",
            "address_id": YINGDE_STREET,
            "description": DESCRIPTION,
            "first_name": "建国",
            "last_name": "张",
            "phone": PHONE,
        },
    )
    assert created.status_code == 200, created.content
    row = created.json()[0]
    assert row["service_request_id"] != tianhe_matter.number
    assert row["service_request_id"].startswith("441881")
    assert row["service_notice"] == "已登记，可凭编号和手机号后四位查询进度"
    assert tianhe_matter.number not in created.content.decode()
    assert _snapshot(tianhe_matter) == before
    # The tracking page (number + last four phone digits) opens the filer's own matter only.
    page = client.post(
        "/petitions/public/track/", {"number": row["service_request_id"], "suffix": PHONE[-4:]}
    ).content.decode()
    assert row["service_request_id"] in page and tianhe_matter.number not in page
    assert "并入" not in page


def test_the_public_form_of_another_county_is_not_merged(client, tianhe_matter, wages):
    before = _snapshot(tianhe_matter)
    response = client.post(
        "/petitions/public/submit/",
        {
            "kind": "complaint",
            "category": wages.pk,
            "region": YINGDE_STREET,
            "title": "工地拖欠农民工工资",
            "request": SIMILAR,
            "name": "张建国",
            "phone": PHONE,
            "website": "",
            "token": public.form_token(time.time() - 30),
        },
    )
    page = response.content.decode()
    number = re.search(r'data-testid="registration-number">(\d+)<', page).group(1)
    assert number.startswith("441881") and tianhe_matter.number not in page
    assert "并入原事项" not in page and "其他辖区" not in page
    assert _snapshot(tianhe_matter) == before


def test_a_public_submission_in_the_same_county_is_still_merged(client, tianhe_matter, wages):
    created = client.post(
        "/open311/v2/requests.json",
        {
            "service_code": "labour.wages",
            "address_id": TIANHE_STREET,
            "description": DESCRIPTION,
            "phone": PHONE,
        },
    )
    assert created.json()[0]["service_request_id"] == tianhe_matter.number
    tianhe_matter.refresh_from_db()
    assert tianhe_matter.repeat_count == 1


def test_find_repeat_only_looks_where_the_filer_may_see(county_user, other_county_user, register):
    earlier = register()
    people = services._clean_petitioners([{"name": "张建国", "phone": PHONE}], anonymous=False)
    mine = services.find_repeat(
        petitioners=people, title="", request=SIMILAR, acting_user=county_user
    )
    assert mine.earlier == earlier and mine.elsewhere == ""
    theirs = services.find_repeat(
        petitioners=people, title="", request=SIMILAR, acting_user=other_county_user
    )
    assert theirs.earlier is None and theirs.elsewhere == "440106"
    public_same = services.find_repeat(
        petitioners=people, title="", request=SIMILAR, county_code="440106"
    )
    assert public_same.earlier == earlier
    public_other = services.find_repeat(
        petitioners=people, title="", request=SIMILAR, county_code="441881"
    )
    assert public_other.earlier is None and public_other.elsewhere == ""
