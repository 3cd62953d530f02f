"""Consent records (PIPL Arts. 13, 14, 15, 29, 31): by the resident or, for a child under 14 or
a person without capacity, by a guardian with name and relation; a statutory duty marked as such
needs no consent; withdrawal does what each purpose declares, where the processing happens."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from shegong.cases import services as cases
from shegong.core.models import AuditLog
from shegong.people import services as people
from shegong.people.models import Resident, Visit
from shegong.privacy import services
from shegong.privacy.models import Consent

pytestmark = pytest.mark.django_db


def child_of(make_resident, worker):
    return make_resident(worker, birth=date.today() - timedelta(days=365 * 9), sex="F")


def test_an_adult_consents_and_a_child_needs_a_guardian_with_name_and_relation(
    station_worker, make_resident, record_consent
):
    adult = make_resident(station_worker)
    consent = record_consent(adult, "photos", method="oral")
    assert consent.in_effect and consent.given_by_label == "本人"
    assert consent.recorded_by == station_worker

    child = child_of(make_resident, station_worker)
    with pytest.raises(ValidationError) as exc:
        record_consent(child)
    assert "第三十一条" in exc.value.message_dict["given_by"][0]
    with pytest.raises(ValidationError) as exc:
        record_consent(child, given_by="guardian", guardian_relation="parent")
    assert "监护人姓名" in exc.value.message_dict["guardian_name"][0]
    consent = record_consent(
        child, given_by="guardian", guardian_name="林美华", guardian_relation="parent"
    )
    assert consent.given_by_label == "林美华（父母）"

    incapable = make_resident(station_worker)
    with pytest.raises(ValidationError) as exc:
        record_consent(incapable, lacks_capacity=True)
    assert "监护人" in exc.value.message_dict["given_by"][0]


def test_a_statutory_duty_is_recorded_as_such_and_needs_no_consent(
    station_worker, make_resident, record_consent, login
):
    resident = make_resident(station_worker)
    consent = record_consent(
        resident, "health", basis="statutory", statute="subsistence", method="", given_by=""
    )
    assert consent.is_statutory and consent.method == "" and consent.given_by == ""
    with pytest.raises(ValidationError) as exc:
        record_consent(resident, "photos", basis="statutory", statute="subsistence")
    assert "须取得本人或监护人同意" in exc.value.message_dict["basis"][0]
    with pytest.raises(ValidationError) as exc:
        record_consent(resident, "referral", basis="statutory", statute="")
    assert "法定职责依据" in exc.value.message_dict["statute"][0]

    page = login(station_worker).get(f"/people/{resident.pk}/").content.decode()
    assert 'data-testid="consent-health"' in page
    assert "法定职责" in page and "最低生活保障" in page


def test_one_record_per_purpose_is_in_effect_and_a_withdrawal_is_dated_and_signed(
    station_worker, make_resident, record_consent
):
    resident = make_resident(station_worker)
    first = record_consent(resident, "volunteer_visits")
    with pytest.raises(ValidationError) as exc:
        record_consent(resident, "volunteer_visits")
    assert "先撤回" in exc.value.message_dict["purpose"][0]
    with pytest.raises(ValidationError):  # before it was given
        services.consent_withdraw(
            acting_user=station_worker,
            consent=first,
            withdrawn_on=date.today() - timedelta(days=1),
            withdrawn_by_name=resident.name,
        )
    services.consent_withdraw(
        acting_user=station_worker,
        consent=first,
        withdrawn_on=date.today(),
        withdrawn_by_name=resident.name,
    )
    first.refresh_from_db()
    assert (first.withdrawn_on, first.withdrawn_by_name) == (date.today(), resident.name)
    assert first.withdrawal_recorded_by == station_worker
    again = record_consent(resident, "volunteer_visits")  # a new grant is a new row
    assert again.pk != first.pk
    assert first.history.count() == 2  # created, withdrawn
    actions = list(
        AuditLog.objects.filter(object_id=str(resident.pk), object_type="people.resident")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["consent", "consent_withdrawn", "consent"]


def test_a_referral_to_an_organisation_needs_the_sharing_consent_or_a_statutory_basis(
    station_worker, make_resident, record_consent, open_case, partner, make_member
):
    organisation = partner.active_membership.organisation
    resident = make_resident(station_worker)
    case = open_case(resident)
    with pytest.raises(ValidationError) as exc:
        cases.referral_create(
            case=case, acting_user=station_worker, to_organisation=organisation, reason="康复"
        )
    assert "未同意" in exc.value.message_dict["to_organisation"][0]
    # Inside the public administration (another station) no sharing consent is asked for.
    station = make_member("station_worker", "440106002000", kind="sw_station")
    referral = cases.referral_create(
        case=case,
        acting_user=station_worker,
        to_organisation=station.active_membership.organisation,
        reason="搬迁",
    )
    cases.referral_respond(
        referral=referral, acting_user=station, accept=False, reason="不在服务范围"
    )

    consent = record_consent(resident, "referral")
    referral = cases.referral_create(
        case=case, acting_user=station_worker, to_organisation=organisation, reason="康复"
    )
    # Withdrawn while the referral waits: the organisation cannot take it.
    services.consent_withdraw(
        acting_user=station_worker,
        consent=consent,
        withdrawn_on=date.today(),
        withdrawn_by_name="本人",
    )
    with pytest.raises(ValidationError) as exc:
        cases.referral_respond(referral=referral, acting_user=partner, accept=True)
    assert "未同意" in exc.value.message_dict["to_organisation"][0]
    case.refresh_from_db()
    assert case.organisation == station_worker.active_membership.organisation

    # A statutory basis (special-hardship support) allows it without consent.
    record_consent(resident, "referral", basis="statutory", statute="extreme_poverty")
    cases.referral_respond(referral=referral, acting_user=partner, accept=True)
    case.refresh_from_db()
    assert case.organisation == organisation


def raw(table: str, column: str, where: str, value) -> list:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {where} = %s", [value])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_withdrawing_health_consent_erases_health_data_with_its_history_and_stops_new_records(
    station_worker, make_resident, record_consent
):
    resident = make_resident(station_worker, health_notes="糖尿病，胰岛素治疗")
    people.resident_update(
        resident=resident,
        acting_user=station_worker,
        data={"health_notes": "糖尿病，并发视网膜病变"},
    )
    visit = people.visit_record(
        resident=resident,
        acting_user=station_worker,
        visited_on=date.today(),
        mode="home",
        finding_health="血糖偏高",
        finding_mood="情绪低落",
        needs="需要送药",
    )
    consent = record_consent(resident, "health")
    services.consent_withdraw(
        acting_user=station_worker,
        consent=consent,
        withdrawn_on=date.today(),
        withdrawn_by_name="本人",
    )
    resident.refresh_from_db()
    visit.refresh_from_db()
    assert (resident.health_notes, visit.finding_health, visit.finding_mood) == ("", "", "")
    assert visit.needs == "需要送药"  # not health information: kept
    assert set(raw("people_historicalresident", "health_notes", "id", resident.pk)) == {""}
    assert set(raw("people_historicalvisit", "finding_health", "id", visit.pk)) == {""}
    withdrawn = AuditLog.objects.get(action="consent_withdrawn")
    assert withdrawn.detail["erased"]["resident_history"] == 2

    with pytest.raises(ValidationError) as exc:
        people.resident_update(
            resident=resident, acting_user=station_worker, data={"health_notes": "高血压"}
        )
    assert "撤回" in exc.value.message_dict["health_notes"][0]
    with pytest.raises(ValidationError) as exc:
        people.visit_record(
            resident=resident,
            acting_user=station_worker,
            visited_on=date.today(),
            mode="phone",
            finding_health="头晕",
        )
    assert "撤回" in exc.value.message_dict["finding_health"][0]
    # Other visits go on; consent given again allows health details again.
    people.visit_record(
        resident=resident, acting_user=station_worker, visited_on=date.today(), mode="phone"
    )
    record_consent(resident, "health")
    people.resident_update(
        resident=resident, acting_user=station_worker, data={"health_notes": "高血压"}
    )
    assert Resident.objects.get(pk=resident.pk).health_notes == "高血压"


def png() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="PNG")
    return SimpleUploadedFile("屋内.png", buffer.getvalue(), content_type="image/png")


def test_withdrawing_photo_consent_deletes_the_photos_and_refuses_new_ones(
    station_worker, make_resident, record_consent
):
    resident = make_resident(station_worker)
    visit = people.visit_record(
        resident=resident,
        acting_user=station_worker,
        visited_on=date.today(),
        mode="home",
        photo=png(),
    )
    name = visit.photo.name
    storage = Visit._meta.get_field("photo").storage
    assert storage.exists(name)
    consent = record_consent(resident, "photos")
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.consent_withdraw(
            acting_user=station_worker,
            consent=consent,
            withdrawn_on=date.today(),
            withdrawn_by_name="本人",
        )
    visit.refresh_from_db()
    assert not visit.photo and not storage.exists(name)
    with pytest.raises(ValidationError) as exc:
        people.visit_record(
            resident=resident,
            acting_user=station_worker,
            visited_on=date.today(),
            mode="home",
            photo=png(),
        )
    assert "照片" in exc.value.message_dict["photo"][0]


def test_consents_are_added_and_withdrawn_from_the_residents_page(
    station_worker, make_resident, login
):
    resident = make_resident(station_worker)
    client = login(station_worker)
    page = client.get(f"/people/{resident.pk}/").content.decode()
    assert 'data-testid="consents"' in page and 'data-testid="add-consent"' in page
    form = client.get(f"/privacy/residents/{resident.pk}/consents/new/")
    assert "撤回后" in form.content.decode()  # the declared rules are shown beside the form
    response = client.post(
        f"/privacy/residents/{resident.pk}/consents/new/",
        {"purpose": "referral", "basis": "consent", "given_on": date.today(), "method": "oral"},
    )
    assert "请选择同意人" in response.content.decode()  # the field and the reason
    response = client.post(
        f"/privacy/residents/{resident.pk}/consents/new/",
        {
            "purpose": "referral",
            "basis": "consent",
            "given_on": date.today(),
            "method": "oral",
            "given_by": "self",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(resident=resident)
    page = client.get(f"/privacy/consents/{consent.pk}/withdraw/").content.decode()
    assert "不能再向上述机构转介" in page  # what the withdrawal will do
    response = client.post(
        f"/privacy/consents/{consent.pk}/withdraw/",
        {"withdrawn_on": date.today(), "withdrawn_by_name": resident.name},
    )
    assert response.status_code == 302
    page = client.get(f"/people/{resident.pk}/").content.decode()
    assert 'data-testid="withdrawn"' in page and resident.name in page


def test_consents_of_another_county_cannot_be_read_added_or_withdrawn(
    station_worker, make_resident, record_consent, other_county_worker, login
):
    resident = make_resident(station_worker)
    consent = record_consent(resident)
    client = login(other_county_worker)
    assert client.get(f"/privacy/residents/{resident.pk}/consents/new/").status_code == 404
    assert (
        client.post(
            f"/privacy/consents/{consent.pk}/withdraw/",
            {"withdrawn_on": date.today(), "withdrawn_by_name": "x"},
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/privacy/residents/{resident.pk}/consents").status_code == 404
    response = client.post(
        f"/api/v1/privacy/consents/{consent.pk}/withdraw",
        {"withdrawn_on": date.today().isoformat(), "withdrawn_by_name": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.in_effect


def test_consents_through_the_api(station_worker, make_resident, login):
    resident = make_resident(station_worker)
    client = login(station_worker)
    url = f"/api/v1/privacy/residents/{resident.pk}/consents"
    bad = client.post(
        url,
        {"purpose": "health", "basis": "statutory", "given_on": date.today().isoformat()},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "statute"
    created = client.post(
        url,
        {
            "purpose": "health",
            "basis": "statutory",
            "statute": "extreme_poverty",
            "given_on": date.today().isoformat(),
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["in_effect"] is True
    unknown = client.post(
        url,
        {"purpose": "marketing", "basis": "consent", "given_on": date.today().isoformat()},
        content_type="application/json",
    )
    assert unknown.status_code == 422
    listed = client.get(url).json()
    assert [c["purpose"] for c in listed] == ["health"]
    withdrawn = client.post(
        f"/api/v1/privacy/consents/{created.json()['id']}/withdraw",
        {"withdrawn_on": date.today().isoformat(), "withdrawn_by_name": resident.name},
        content_type="application/json",
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["in_effect"] is False
