"""The item list reads every raiser's name with the items, whatever kind of record the invitee
is (an account or an organisation's contact here): the page's query count does not grow with
the number of items (the 200,000-meeting benchmark found 32 queries for a page of 25)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shegong.contact import services
from shegong.contact.models import Invitation


def _raise(meeting, worker, invitation, n):
    for i in range(n):
        services.item_record(
            meeting=meeting, acting_user=worker, raiser=invitation, text=f"反映事项{i}"
        )


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/contact/items/")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_item_list_reads_raisers_with_the_items(world, held_meeting, client, login):
    meeting, account = held_meeting
    worker = world["wushan"]
    organisation = services.invitation_add(
        meeting=meeting,
        acting_user=worker,
        kind=Invitation.Kind.ORGANISATION,
        reference=world.units["committee"],
    )
    _raise(meeting, worker, account, 1)
    _raise(meeting, worker, organisation, 1)
    login(worker)
    _queries(client)  # the first request of a session reads what later ones have cached
    few = _queries(client)
    _raise(meeting, worker, account, 5)
    _raise(meeting, worker, organisation, 5)
    page = client.get("/contact/items/").content.decode()
    assert "五山社区居委会" in page
    assert _queries(client) == few
