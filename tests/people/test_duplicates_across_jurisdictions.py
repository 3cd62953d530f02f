"""Issue #10, second leak: the "possible duplicates" warning on /people/new/ matched by phone in
any county and showed another county's resident — name, masked ID, birth date, phone, village and
a link. Within the jurisdiction the warning works as before; across it says only that a resident
with this phone (or ID number) is registered in another jurisdiction and whom to contact."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from shegong.core.crypto import decrypt
from shegong.people import selectors, services
from shegong.people.models import Resident
from shegong.people.synthetic import make_id_number
from shegong.regions.models import Region

from .conftest import OTHER_VILLAGE, VILLAGE

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
ELSEWHERE_PHONE = "已有使用该联系电话的服务对象在其他辖区登记，请联系天河区委社会工作部核实。"
ELSEWHERE_ID = "该身份证号码的服务对象已在其他辖区登记，请联系天河区委社会工作部。"


@pytest.fixture
def tianhe_resident(station_worker):
    """陈阿珍 of 岳洲社区 (天河区), phone 13912345678."""
    from tests.factories import OrganisationFactory

    OrganisationFactory(name="天河区委社会工作部", kind="sw_department", region_id="440106000000")
    return services.resident_create(
        acting_user=station_worker,
        name="陈阿珍",
        id_number=make_id_number("440106", date(1940, 5, 5), 1, "F"),
        region=Region.objects.get(code=VILLAGE),
        phone=PHONE,
        address="五山路 1 号",
    )


@pytest.fixture
def yingde_worker(make_member):
    return make_member("station_worker", "441881001000", kind="sw_station", name="英城街道社工站")


def _identifying(resident: Resident) -> list[str]:
    return [
        resident.name,
        resident.id_number_masked,
        resident.birth_date.isoformat(),
        resident.region.name,
        f"/people/{resident.pk}/",
    ]


def _new_resident_form(**extra):
    data = {
        "name": "陈阿真",  # similar to 陈阿珍: the phone rule matches
        "id_number": make_id_number("441881", date(1950, 2, 2), 5, "F"),
        "region": OTHER_VILLAGE,
        "phone": PHONE,
        "sex": "F",
        "birth_date": "1950-02-02",
    }
    data.update(extra)
    return data


def test_the_warning_across_jurisdictions_names_only_whom_to_contact(
    login, yingde_worker, tianhe_resident
):
    history = tianhe_resident.history.count()
    response = login(yingde_worker).post("/people/new/", _new_resident_form())
    page = response.content.decode()
    assert response.status_code == 200
    for value in _identifying(tianhe_resident):
        assert value not in page, value
    assert ELSEWHERE_PHONE in page
    assert 'data-testid="duplicates"' not in page  # no table of someone else's residents
    # Confirming registers the new resident; the other county's record is untouched.
    confirmed = login(yingde_worker).post(
        "/people/new/", _new_resident_form(confirm_duplicates="on")
    )
    created = Resident.objects.get(name="陈阿真")
    assert confirmed.status_code == 302 and confirmed.url == f"/people/{created.pk}/"
    assert tianhe_resident.history.count() == history


def test_the_warning_within_the_jurisdiction_shows_the_records_as_before(
    login, make_member, tianhe_resident
):
    other_station = make_member(
        "station_worker", "440106002000", kind="sw_station", name="天河区另一社工站"
    )
    county = make_member("dept_staff", "440106000000", name="天河区委社会工作部")
    form = _new_resident_form(
        region="440106001002", id_number=make_id_number("440106", date(1950, 2, 2), 5, "F")
    )
    page = login(county).post("/people/new/", form).content.decode()
    assert 'data-testid="duplicates"' in page
    for value in _identifying(tianhe_resident):
        assert value in page, value
    assert "其他辖区" not in page
    # A station of another township of the same county is another jurisdiction.
    township_page = login(other_station).post(
        "/people/new/", _new_resident_form(region="440106002008")
    )
    assert ELSEWHERE_PHONE in township_page.content.decode()


def test_the_api_says_the_same(login, yingde_worker, tianhe_resident):
    response = login(yingde_worker).post(
        "/api/v1/people/residents", _new_resident_form(), content_type="application/json"
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "__all__", "reason": ELSEWHERE_PHONE}]
    for value in _identifying(tianhe_resident):
        assert value not in body, value


def test_an_id_number_registered_elsewhere_says_whom_to_contact(
    login, yingde_worker, tianhe_resident
):
    number = decrypt(tianhe_resident.id_number_encrypted)
    response = login(yingde_worker).post(
        "/api/v1/people/residents",
        _new_resident_form(id_number=number, phone="", name="王五", birth_date="1940-05-05"),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "id_number", "reason": ELSEWHERE_ID}]
    # Within the jurisdiction: "already registered", as before.
    with pytest.raises(ValidationError) as exc:
        services.resident_create(
            acting_user=tianhe_resident.assigned_worker,
            name="王五",
            id_number=number,
            region=Region.objects.get(code=VILLAGE),
        )
    assert exc.value.message_dict["id_number"] == ["该身份证号码已登记，不能重复登记。"]


def test_find_duplicates_splits_what_the_user_may_see(
    station_worker, yingde_worker, tianhe_resident
):
    mine = selectors.find_duplicates(
        fetched_by=station_worker,
        name="陈阿真",
        birth_date=None,
        county_code="440106",
        phone=PHONE,
    )
    assert mine.found == [tianhe_resident] and mine.elsewhere == []
    theirs = selectors.find_duplicates(
        fetched_by=yingde_worker, name="陈阿真", birth_date=None, county_code="441881", phone=PHONE
    )
    assert theirs.found == [] and theirs.elsewhere == [ELSEWHERE_PHONE]
