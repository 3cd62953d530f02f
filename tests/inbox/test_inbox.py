"""The inbox: reminders become notifications once; each user reads only their own, about records
in their jurisdiction; opening one marks it read and goes to the record."""

from __future__ import annotations

import pytest

from shegong.accounts.services import token_create
from shegong.core import registry
from shegong.core.registry import Reminder
from shegong.inbox.models import Notification
from shegong.inbox.services import notify_due

TIANHE_VILLAGE = "440106001001"
YINGDE_VILLAGE = "441881001001"


@pytest.fixture
def reminders(monkeypatch, county_user, other_county_user):
    """A source with one reminder each for two county users, and one for the 天河 user about a
    record in 英德 (outside their jurisdiction)."""

    def matter(title):
        return {"number": "N1", "title": title, "due": "2026-12-01"}

    def source(today):
        for user, village, title, key in (
            (county_user, TIANHE_VILLAGE, "天河的事项", "a"),
            (other_county_user, YINGDE_VILLAGE, "英德的事项", "b"),
            (county_user, YINGDE_VILLAGE, "辖区外的事项", "c"),
        ):
            yield Reminder(user.pk, village, "matter_due", matter(title), "/petitions/", key)

    monkeypatch.setattr(registry, "reminder_sources", [source])
    return source


@pytest.mark.django_db
def test_each_reminder_becomes_one_notification(reminders):
    assert notify_due() == 3
    assert notify_due() == 0
    assert Notification.objects.count() == 3


@pytest.mark.django_db
def test_a_user_sees_only_their_own_notifications_inside_their_jurisdiction(
    reminders, county_user, other_county_user, login
):
    notify_due()
    client = login(county_user)
    page = client.get("/inbox/").content.decode()
    assert "天河的事项" in page
    assert "英德的事项" not in page and "辖区外的事项" not in page
    assert 'data-testid="inbox-unread">1<' in client.get("/inbox/badge/").content.decode()
    others = Notification.objects.get(recipient=other_county_user)
    outside = Notification.objects.get(key="c")
    for pk in (others.pk, outside.pk):
        assert client.get(f"/inbox/{pk}/").status_code == 404
        assert client.post(f"/api/v1/inbox/{pk}/read").status_code == 404
    others.refresh_from_db()
    assert others.read_at is None


@pytest.mark.django_db
def test_opening_marks_read_and_goes_to_the_record(reminders, county_user, login):
    notify_due()
    client = login(county_user)
    mine = Notification.objects.get(key="a")
    answer = client.get(f"/inbox/{mine.pk}/")
    assert answer.status_code == 302 and answer["Location"] == "/petitions/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert 'data-testid="inbox-unread"' not in client.get("/inbox/badge/").content.decode()


@pytest.mark.django_db
def test_a_link_elsewhere_is_not_followed(county_user, login):
    n = Notification.objects.create(
        recipient=county_user,
        region_code=TIANHE_VILLAGE,
        kind="matter_due",
        params={"number": "N1", "title": "x", "due": "2026-12-01"},
        url="https://example.com/",
        key="x",
    )
    answer = login(county_user).get(f"/inbox/{n.pk}/")
    assert answer["Location"] == "/inbox/"


@pytest.mark.django_db
def test_read_all_and_the_api(reminders, county_user, login):
    notify_due()
    _token, raw = token_create(
        acting_user=county_user, membership=county_user.active_membership, name="t"
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = login(county_user)
    listed = client.get("/api/v1/inbox/?unread=true", **auth).json()
    assert [item["title"] for item in listed["items"]] == ["N1 天河的事项：将于 2026-12-01 到期"]
    pk = listed["items"][0]["id"]
    assert client.post(f"/api/v1/inbox/{pk}/read", **auth).json()["read_at"] is not None
    assert client.get("/api/v1/inbox/?unread=true", **auth).json()["count"] == 0

    Notification.objects.filter(pk=pk).update(read_at=None)
    client.post("/inbox/read-all/")
    assert Notification.objects.get(pk=pk).read_at is not None
    # The one outside the jurisdiction is left as it was.
    assert Notification.objects.get(key="c").read_at is None


@pytest.mark.django_db
def test_a_notification_reads_in_the_readers_language(reminders, county_user, login):
    notify_due()
    client = login(county_user)
    assert "N1 天河的事项：将于 2026-12-01 到期" in client.get("/inbox/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/inbox/"})
    assert "N1 天河的事项: due on 2026-12-01" in client.get("/inbox/").content.decode()


@pytest.mark.django_db
def test_the_badge_is_empty_for_a_visitor_and_sets_no_csrf_cookie(client):
    answer = client.get("/inbox/badge/")
    assert answer.status_code == 200 and answer.content == b""
    assert "csrftoken" not in answer.cookies


@pytest.mark.django_db
def test_notify_now_sends_each_event_once_per_person(county_user, other_county_user):
    from shegong.inbox.services import notify

    args = {
        "region_code": TIANHE_VILLAGE,
        "kind": "matter_assigned",
        "params": {"number": "N1", "title": "t", "due": "2026-12-01"},
        "url": "/petitions/",
        "key": "matter:1:assigned",
    }
    assert notify(recipient_ids=[county_user.pk, county_user.pk, None], **args) == 1
    assert notify(recipient_ids=[county_user.pk, other_county_user.pk], **args) == 1
    assert notify(recipient_ids=[], **args) == 0
    assert Notification.objects.filter(key="matter:1:assigned").count() == 2
