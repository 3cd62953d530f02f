import pytest
from django.core.management import call_command

from shegong.contact.models import Meeting, RaisedItem


@pytest.mark.django_db
def test_the_demo_has_past_meetings_with_minutes_and_items_at_various_states():
    call_command("demo", only=["orgs", "accounts", "volunteers", "contact"])
    meetings = Meeting.objects.unscoped(reason="test")
    assert meetings.filter(status="closed").exclude(minutes="").count() == 2
    assert meetings.filter(status="planned").count() == 1
    states = set(RaisedItem.objects.unscoped(reason="test").values_list("status", flat=True))
    assert states == {"fed_back", "assigned", "raised", "converted"}
    call_command("demo", only=["contact"])  # idempotent
    assert meetings.count() == 3
