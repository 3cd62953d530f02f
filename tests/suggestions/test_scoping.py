"""Issue 17, Done-when 4 (the suggestions half): a county outside cannot see 天河's unpublished
suggestions on the pages, in the API or in the export; the portal shows a published answer
without the resident's name or contact, and nothing unpublished."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from shegong.suggestions import services
from tests.signin import verify_session
from tests.suggestions.conftest import refetch

pytestmark = pytest.mark.django_db
TEXT = "小区垃圾清运不及时，垃圾桶满了溢出来，臭味很大"


def _client(client, user):
    client.force_login(user)
    session = client.session
    session["active_membership_id"] = user.active_membership.pk
    session.save()
    verify_session(client, user)
    return client


@pytest.fixture
def hidden(submit):
    return submit(TEXT, name="陈晓", contact="13812345678", contact_consent=True)


def test_pages_show_tianhe_to_tianhe_and_not_to_yingde(client, staff, hidden):
    own = _client(client, staff["tianhe"])
    assert TEXT[:20] in own.get("/suggestions/").content.decode()
    assert own.get(f"/suggestions/{hidden.pk}/").status_code == 200
    outsider = _client(client, staff["yingde"])
    assert TEXT[:20] not in outsider.get("/suggestions/").content.decode()
    assert outsider.get(f"/suggestions/{hidden.pk}/").status_code == 404
    assert "天河" not in outsider.get("/suggestions/analysis/").content.decode()


def test_api_and_export_are_scoped(client, staff, hidden):
    from tests.api.conftest import TokenClient, token_for

    own = TokenClient(client, token_for(staff["tianhe"]))
    assert [r["id"] for r in own.get("/api/v1/suggestions/").json()["items"]] == [hidden.pk]
    outsider = TokenClient(client, token_for(staff["yingde"]))
    assert outsider.get("/api/v1/suggestions/").json()["items"] == []
    assert outsider.get(f"/api/v1/suggestions/{hidden.pk}").status_code == 404
    assert outsider.get("/api/v1/suggestions/groups").json()["items"] == []
    refused = outsider.post(f"/api/v1/suggestions/{hidden.pk}/actions/answer", {"answer": "x"})
    assert refused.status_code == 404
    assert refetch(hidden).status == "received"

    def exported(user):
        response = _client(client, user).get("/suggestions/export/")
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [row for row in sheet.iter_rows(min_row=2, values_only=True)]

    assert [r[0] for r in exported(staff["tianhe"])] == [hidden.pk]
    assert "13812345678" not in str(exported(staff["tianhe"]))
    assert exported(staff["yingde"]) == []


def test_the_portal_shows_only_published_answers_without_personal_data(client, staff, hidden):
    assert TEXT[:10] not in client.get("/suggestions/public/").content.decode()
    services.suggestion_answer(suggestion=hidden, acting_user=staff["tianhe"], answer="已加密清运")
    services.suggestion_publish(suggestion=refetch(hidden), acting_user=staff["tianhe"])
    page = client.get("/suggestions/public/").content.decode()
    assert TEXT[:10] in page and "已加密清运" in page
    assert "陈晓" not in page and "13812345678" not in page
