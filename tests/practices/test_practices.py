"""Model practices: the review chain level by level, the library, adoptions, and who sees
whose private notes (issue 17, Done-when 5)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from shegong.practices import selectors, services
from shegong.practices.models import Practice
from tests.practices.conftest import (
    LIBO_NOTES,
    LIBO_RESULTS,
    PROVINCE_NOTE,
    REVIEW_NOTE,
    draft,
)

pytestmark = pytest.mark.django_db


def _export_text(client) -> str:
    response = client.get(reverse("practices:export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return "\n".join(
        "\t".join("" if v is None else str(v) for v in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def test_each_level_reviews_in_turn_up_to_the_centre(users):
    practice = draft(users["tianhe"])
    with pytest.raises(PermissionDenied):  # not its turn: Guangdong waits for Guangzhou
        services.practice_submit(practice=practice, acting_user=users["guangzhou"])
    services.practice_submit(practice=practice, acting_user=users["tianhe"])
    assert practice.review_code == "440100000000"
    with pytest.raises(PermissionDenied):
        services.practice_recommend(practice=practice, acting_user=users["guangdong"])
    services.practice_recommend(practice=practice, acting_user=users["guangzhou"])
    assert practice.status == Practice.Status.RECOMMENDED and practice.published_on
    services.practice_escalate(practice=practice, acting_user=users["guangzhou"])
    assert (practice.status, practice.review_code) == ("submitted", "440000000000")
    # Guangdong does not take it further: it stays in the library, recommended by Guangzhou.
    with pytest.raises(ValidationError):
        services.practice_return(practice=practice, acting_user=users["guangdong"], note="否")
    services.practice_hold(practice=practice, acting_user=users["guangdong"])
    assert (practice.status, practice.review_code) == ("recommended", "440100000000")
    assert selectors.library().filter(pk=practice.pk).exists()
    services.practice_escalate(practice=practice, acting_user=users["guangzhou"])
    services.practice_recommend(practice=practice, acting_user=users["guangdong"])
    services.practice_escalate(practice=practice, acting_user=users["guangdong"])
    services.practice_recommend(practice=practice, acting_user=users["central"])
    with pytest.raises(ValidationError):
        services.practice_escalate(practice=practice, acting_user=users["central"])
    actions = list(practice.reviews.values_list("action", flat=True))
    assert actions[0] == "submit" and actions[-1] == "recommend" and actions.count("hold") == 1


def test_an_unpublished_practice_is_returned_and_can_be_changed(users):
    practice = draft(users["tianhe"])
    services.practice_submit(practice=practice, acting_user=users["tianhe"])
    with pytest.raises(ValidationError):
        services.practice_return(practice=practice, acting_user=users["guangzhou"], note="")
    services.practice_return(practice=practice, acting_user=users["guangzhou"], note="补充数据")
    assert practice.status == "returned"
    assert not selectors.library().filter(pk=practice.pk).exists()
    services.practice_update(
        acting_user=users["tianhe"],
        practice=practice,
        title="改后的名称",
        topic="elderly",
        problem="p",
        actions="a",
        results="r",
        figures=[{"label": "覆盖率", "value": "98.5", "unit": "%"}],
    )
    assert [f.value for f in selectors.figures_of(practice)] == [pytest.approx(98.5)]


def test_only_a_published_practice_is_adopted_once_per_department(users, spread):
    unpublished = draft(users["tianhe"], title="另一个做法")
    with pytest.raises(ValidationError):
        services.adoption_record(
            acting_user=users["libo"],
            practice=unpublished,
            kind="adopted",
            adopted_on=date(2026, 1, 1),
            results="x",
        )
    with pytest.raises(ValidationError):
        services.adoption_record(
            acting_user=users["libo"],
            practice=spread,
            kind="adopted",
            adopted_on=date(2026, 1, 1),
            results="again",
        )
    with pytest.raises(ValidationError):  # the submitting department does not adopt its own
        services.adoption_record(
            acting_user=users["tianhe"],
            practice=spread,
            kind="adopted",
            adopted_on=date(2026, 1, 1),
            results="x",
        )


def test_done_when_5_adoption_seen_by_the_centre_private_notes_by_neither_province(
    users, spread, login
):
    """A Guangdong practice recommended upward and adopted by Libo shows the adoption on the
    practice's page for the central user, and on neither province's page for the other's private
    notes (pages, API, exports)."""
    page = reverse("practices:detail", args=[spread.pk])
    api = f"/api/v1/practices/practices/{spread.pk}"

    central = login(users["central"])
    html = central.get(page).content.decode()
    assert "荔波县委社会工作部" in html and LIBO_RESULTS in html
    assert LIBO_NOTES in html and PROVINCE_NOTE in html  # the centre holds both chains
    body = central.get(api).json()
    assert [a["department_name"] for a in body["adoptions"]] == ["荔波县委社会工作部"]
    assert body["adoptions"][0]["private_notes"] == LIBO_NOTES

    for key in ("guangdong", "guangzhou", "tianhe"):
        client = login(users[key])
        html = client.get(page).content.decode()
        assert LIBO_RESULTS in html, key  # where the practice spread and how it worked
        assert LIBO_NOTES not in html, key
        body = client.get(api).json()
        assert body["adoptions"][0]["results"] == LIBO_RESULTS
        assert body["adoptions"][0]["private_notes"] is None
        assert LIBO_NOTES not in str(body)
        assert LIBO_NOTES not in _export_text(client)
    assert REVIEW_NOTE in login(users["guangdong"]).get(page).content.decode()

    for key in ("libo", "guizhou"):
        client = login(users[key])
        html = client.get(page).content.decode()
        assert LIBO_RESULTS in html, key
        assert REVIEW_NOTE not in html and PROVINCE_NOTE not in html, key
        body = client.get(api).json()
        assert body["reviews"] == []
        assert REVIEW_NOTE not in str(body) and PROVINCE_NOTE not in str(body)
        assert body["adoptions"][0]["private_notes"] == LIBO_NOTES
        exported = _export_text(client)
        assert REVIEW_NOTE not in exported and spread.title not in exported


def test_a_county_outside_cannot_see_another_countys_draft(users, login):
    practice = draft(users["tianhe"], title="天河未公开的做法")
    client = login(users["yingde"])
    assert client.get(reverse("practices:detail", args=[practice.pk])).status_code == 404
    assert client.get(f"/api/v1/practices/practices/{practice.pk}").status_code == 404
    assert "天河未公开的做法" not in client.get(reverse("practices:list")).content.decode()
    assert "天河未公开的做法" not in _export_text(client)
    listed = client.get("/api/v1/practices/practices").json()
    assert listed["count"] == 0
    assert (
        client.post(
            f"/api/v1/practices/practices/{practice.pk}/actions/submit",
            {},
            content_type="application/json",
        ).status_code
        == 404
    )
    # the portal shows only published practices
    assert "天河未公开的做法" not in client.get(reverse("portal:practices")).content.decode()
    assert client.get(reverse("portal:practice", args=[practice.pk])).status_code == 404


def test_the_library_is_searchable_by_topic_and_region_and_on_the_portal(users, spread, client):
    assert list(selectors.library(topic="elderly", region="44")) == [spread]
    assert list(selectors.library(topic="children")) == []
    assert list(selectors.library(region="52")) == []
    assert list(selectors.library(q="网格员")) == [spread]
    listing = client.get(reverse("portal:practices"), {"region": "440106", "topic": "elderly"})
    assert spread.title in listing.content.decode()
    detail = client.get(reverse("portal:practice", args=[spread.pk])).content.decode()
    assert LIBO_RESULTS in detail and "荔波县委社会工作部" in detail
    assert LIBO_NOTES not in detail and REVIEW_NOTE not in detail


def test_pages_write_a_practice_and_upload_a_document(users, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(users["tianhe"])
    response = client.post(
        reverse("practices:create"),
        {
            "title": "页面写的做法",
            "topic": "party",
            "problem": "p",
            "actions": "a",
            "results": "r",
            "figure1_label": "服务人次",
            "figure1_value": "1200",
            "figure1_unit": "人次",
        },
    )
    assert response.status_code == 302
    practice = Practice.objects.get(title="页面写的做法")
    assert selectors.figures_of(practice)[0].unit == "人次"
    upload = SimpleUploadedFile("做法.txt", b"text", content_type="text/plain")
    response = client.post(
        reverse("practices:document_add", args=[practice.pk]), {"upload": upload}
    )
    assert response.status_code == 302
    document = selectors.documents_of(practice)[0]
    assert client.get(reverse("practices:document", args=[document.pk])).status_code == 200
    assert (
        login(users["libo"]).get(reverse("practices:document", args=[document.pk])).status_code
        == 404
    )
    client = login(users["tianhe"])
    response = client.post(reverse("practices:transition", args=[practice.pk, "submit"]), {})
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == "submitted"
    queue = login(users["guangzhou"]).get(reverse("practices:list"), {"queue": "1"})
    assert "页面写的做法" in queue.content.decode()
