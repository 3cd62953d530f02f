"""The portal's 会议答复: a closed meeting's public summary with the answers to the items whose
raisers agreed to publication, without who raised them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shegong.contact import services
from tests.contact.conftest import refetch

pytestmark = pytest.mark.django_db


def _answered(world, meeting, invitation, text, *, consent):
    worker = world["wushan"]
    item = services.item_record(
        meeting=meeting, acting_user=worker, raiser=invitation, text=text, consent_publish=consent
    )
    services.item_assign(item=item, acting_user=worker, unit=world.units["civil"])
    services.item_answer(item=refetch(item), acting_user=world["civil"], answer=f"{text}的答复")
    services.item_feed_back(item=refetch(item), acting_user=worker)
    return item


def test_published_answers_show_with_the_summary_and_without_the_raiser(
    world, held_meeting, client
):
    meeting, invitation = held_meeting
    _answered(world, meeting, invitation, "小区路灯不亮", consent=True)
    _answered(world, meeting, invitation, "邻居噪音扰民", consent=False)
    url = reverse("portal:answers")
    assert "小区路灯不亮" not in client.get(url).content.decode()  # no summary yet: unpublished
    services.meeting_minutes_record(
        meeting=meeting, acting_user=world["wushan"], minutes="内部纪要", summary="公开摘要：路灯"
    )
    page = client.get(url, {"region": "440106"}).content.decode()
    assert "公开摘要：路灯" in page
    assert "小区路灯不亮" in page and "小区路灯不亮的答复" in page
    assert "邻居噪音扰民" not in page  # the raiser did not agree
    assert "内部纪要" not in page
    raiser = world["committee"]
    assert raiser.full_name not in page and raiser.username not in page
    assert "小区路灯不亮" not in client.get(url, {"region": "441881"}).content.decode()
