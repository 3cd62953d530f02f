"""A service record's beneficiaries link to registered residents (服务对象): only residents
inside the record's jurisdiction and visible to the organiser, not after the resident withdrew
consent to volunteer service; the resident's page and the API show the help to users of the
jurisdiction and to nobody outside it; a resident merge moves the links."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from shegong.people import services as people
from shegong.people.models import Category
from shegong.people.synthetic import make_id_number
from shegong.privacy.services import consent_record, consent_withdraw
from shegong.regions.models import Region
from shegong.volunteers import selectors, services
from shegong.volunteers.models import RecordBeneficiary
from tests.volunteers.helpers import make_activity, make_volunteer

pytestmark = pytest.mark.django_db

WUSHAN_VILLAGE = "440106001001"  # 五山街道 岳洲社区
OTHER_TOWNSHIP_VILLAGE = "440106002008"  # 天河区, another street
OTHER_COUNTY_VILLAGE = "441881001001"  # 英德市


def _resident(user, name, village, serial, birth=date(1944, 4, 4)):
    return people.resident_create(
        acting_user=user,
        name=name,
        id_number=make_id_number(village[:6], birth, serial, "F"),
        region=Region.objects.get(code=village),
        categories=[Category.objects.get(code="living_alone")],
        confirm_duplicates=True,
    )


@pytest.fixture
def station(make_member):
    """A station worker of 五山街道 (organises volunteers, sees residents)."""
    return make_member("station_worker", "440106001000", kind="sw_station", name="五山社工站")


@pytest.fixture
def record(station):
    v = make_volunteer(name="林志愿", by=station)
    activity = make_activity(station, start=timezone.now() - timedelta(hours=1))
    shift = activity.shifts.get()
    signup = services.signup_create(shift=shift, volunteer=v)
    services.signup_check_in(signup=signup, acting_user=station, at=shift.starts_at)
    return services.signup_check_out(
        signup=signup, acting_user=station, at=shift.starts_at + timedelta(hours=2)
    )


def test_an_organiser_links_a_resident_of_the_records_area_and_the_resident_shows_it(
    station, record, county_user
):
    resident = _resident(station, "何阿姨", WUSHAN_VILLAGE, 1)
    choices = selectors.linkable_residents(fetched_by=station, record=record, q="何")
    assert list(choices) == [resident]
    link = services.record_link_resident(
        record=record, resident_id=resident.pk, acting_user=station
    )
    assert link.region_code == WUSHAN_VILLAGE and link.linked_by == station
    assert link.history.filter(history_user=station, history_type="+").exists()
    # the county department (the same jurisdiction, higher up) sees it on the resident
    help_ = selectors.volunteer_help_of(fetched_by=county_user, resident=resident)
    assert [h.record for h in help_] == [record]
    with pytest.raises(ValidationError) as again:
        services.record_link_resident(record=record, resident_id=resident.pk, acting_user=station)
    assert "已关联" in str(again.value)


def test_a_resident_outside_the_records_jurisdiction_cannot_be_linked(
    station, record, county_user, other_county_user
):
    # 天河区 staff see a resident of another street, but the service was in 五山街道
    elsewhere = _resident(county_user, "黄伯", OTHER_TOWNSHIP_VILLAGE, 2)
    county_record_choices = selectors.linkable_residents(fetched_by=county_user, record=record)
    assert elsewhere not in county_record_choices
    with pytest.raises(ValidationError) as refused:
        services.record_link_resident(
            record=record, resident_id=elsewhere.pk, acting_user=county_user
        )
    assert "没有找到该服务对象" in str(refused.value)
    # a resident of another county: the same answer as a resident that does not exist
    far = _resident(other_county_user, "周婆婆", OTHER_COUNTY_VILLAGE, 3)
    for pk in (far.pk, 999_999):
        with pytest.raises(ValidationError) as refused:
            services.record_link_resident(record=record, resident_id=pk, acting_user=station)
        assert "没有找到该服务对象" in str(refused.value)
    # another county's user cannot act on the record at all
    with pytest.raises(ValidationError):
        services.record_link_resident(
            record=record, resident_id=far.pk, acting_user=other_county_user
        )
    assert not RecordBeneficiary.objects.unscoped(reason="test").exists()


def test_a_resident_who_withdrew_consent_to_volunteer_service_cannot_be_linked(station, record):
    resident = _resident(station, "何阿姨", WUSHAN_VILLAGE, 1)
    consent = consent_record(
        acting_user=station,
        resident=resident,
        purpose="volunteer_visits",
        basis="consent",
        method="written",
        given_by="self",
        given_on=date.today() - timedelta(days=3),
    )
    consent_withdraw(
        acting_user=station, consent=consent, withdrawn_on=date.today(), withdrawn_by_name="何阿姨"
    )
    with pytest.raises(ValidationError) as refused:
        services.record_link_resident(record=record, resident_id=resident.pk, acting_user=station)
    assert "已撤回" in str(refused.value)
    assert not RecordBeneficiary.objects.unscoped(reason="test").exists()


def test_pages_link_show_on_the_residents_page_and_hide_from_another_county(
    station, record, county_user, other_county_user, login
):
    resident = _resident(station, "何阿姨", WUSHAN_VILLAGE, 1)
    client = login(station)
    page = client.get(reverse("volunteers:record", args=[record.pk]), {"resident_q": "何阿姨"})
    assert "何阿姨" in page.content.decode()
    resp = client.post(
        reverse("volunteers:record_beneficiary_add", args=[record.pk]),
        {"resident": resident.pk},
        follow=True,
    )
    assert "已关联服务对象：何阿姨" in resp.content.decode()
    client.logout()
    detail = login(county_user).get(reverse("people:detail", args=[resident.pk])).content.decode()
    assert 'data-testid="volunteer-help"' in detail and record.activity_name in detail
    client.logout()
    other = login(other_county_user)
    assert other.get(reverse("people:detail", args=[resident.pk])).status_code == 404
    assert other.get(f"/api/v1/volunteers/residents/{resident.pk}/services").status_code == 404
    assert other.get(f"/api/v1/volunteers/records/{record.pk}/beneficiaries").status_code == 404
    removed = other.post(
        reverse("volunteers:record_beneficiary_remove", args=[record.pk, resident.pk])
    )
    assert removed.status_code == 404
    assert RecordBeneficiary.objects.unscoped(reason="test").count() == 1


def test_api_links_lists_and_removes(station, record, county_user, other_county_user, login):
    resident = _resident(station, "何阿姨", WUSHAN_VILLAGE, 1)
    far = _resident(other_county_user, "周婆婆", OTHER_COUNTY_VILLAGE, 3)
    client = login(station)
    base = f"/api/v1/volunteers/records/{record.pk}"
    choices = client.get(f"{base}/resident-choices", {"q": "何"}).json()
    assert [c["id"] for c in choices] == [resident.pk]
    refused = client.post(
        f"{base}/beneficiaries", {"resident_id": far.pk}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "resident"
    made = client.post(
        f"{base}/beneficiaries", {"resident_id": resident.pk}, content_type="application/json"
    )
    assert made.status_code == 201, made.content
    assert made.json()["resident_name"] == "何阿姨"
    assert [b["resident_id"] for b in client.get(f"{base}/beneficiaries").json()] == [resident.pk]
    client.logout()
    help_ = login(county_user).get(f"/api/v1/volunteers/residents/{resident.pk}/services").json()
    assert [(h["record_id"], h["volunteer_name"]) for h in help_] == [(record.pk, "林志愿")]
    client.logout()
    client = login(station)
    assert client.delete(f"{base}/beneficiaries/{resident.pk}").status_code == 204
    assert client.get(f"/api/v1/volunteers/residents/{resident.pk}/services").json() == []


def test_a_child_is_not_shown_to_a_user_who_may_not_see_children(
    station, record, make_member, login
):
    child = _resident(station, "小明", WUSHAN_VILLAGE, 4, birth=date.today().replace(year=2018))
    services.record_link_resident(record=record, resident_id=child.pk, acting_user=station)
    org_staff = make_member("org_staff", "440106001000", kind="sw_organisation")
    assert selectors.record_beneficiaries(fetched_by=org_staff, record=record) == []
    assert child not in selectors.linkable_residents(fetched_by=org_staff, record=record)


def test_a_merge_moves_the_links_and_keeps_one_per_record(station, record, make_member):
    supervisor = make_member("supervisor", "440106001000", kind="sw_station")
    keep = _resident(station, "何阿姨", WUSHAN_VILLAGE, 1)
    remove = _resident(station, "何阿姨", WUSHAN_VILLAGE, 2)
    services.record_link_resident(record=record, resident_id=keep.pk, acting_user=station)
    services.record_link_resident(record=record, resident_id=remove.pk, acting_user=station)
    people.resident_merge(keep=keep, remove=remove, acting_user=supervisor)
    links = RecordBeneficiary.objects.unscoped(reason="test")
    assert list(links.values_list("resident_id", flat=True)) == [keep.pk]
    assert RecordBeneficiary.history.filter(
        history_user=supervisor, history_type="-", resident_id=remove.pk
    ).exists()


def test_the_processing_log_lists_the_link(station, record):
    from shegong.privacy.selectors import processing_log

    resident = _resident(station, "何阿姨", WUSHAN_VILLAGE, 1)
    services.record_link_resident(record=record, resident_id=resident.pk, acting_user=station)
    _, entries = processing_log(fetched_by=station, resident_id=resident.pk)
    assert [e.what for e in entries if e.what == "志愿服务记录的服务对象"] == [
        "志愿服务记录的服务对象"
    ]
