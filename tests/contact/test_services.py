"""Meetings and raised items: the lifecycles, the working-day deadline, feedback to the raiser's
inbox, conversion into a petitions matter, attendance per organisation, the on-time roll-up."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shegong.contact import selectors, services
from shegong.contact.models import Meeting, RaisedItem
from shegong.inbox.models import Notification
from shegong.petitions.models import Matter
from shegong.petitions.selectors import leaf_categories
from shegong.workdays.services import parse_days, schedule_load
from tests.contact.conftest import refetch

pytestmark = pytest.mark.django_db


@pytest.fixture
def today_is(monkeypatch):
    real = timezone.localdate

    def set_day(day: date):
        monkeypatch.setattr(
            timezone,
            "localdate",
            lambda value=None, timezone=None: day if value is None else real(value, timezone),
        )

    return set_day


def _item(world, held_meeting, text="小区路灯损坏，夜间出行不便。", consent=True):
    meeting, invitation = held_meeting
    return services.item_record(
        meeting=meeting,
        acting_user=world["wushan"],
        raiser=invitation,
        text=text,
        consent_publish=consent,
    )


def test_meeting_lifecycle_planned_held_minutes_closed(world, held_meeting):
    meeting, _ = held_meeting
    assert refetch(meeting).status == Meeting.Status.HELD
    services.meeting_minutes_record(
        meeting=meeting, acting_user=world["wushan"], minutes="会议纪要正文", summary="摘要"
    )
    fresh = refetch(meeting)
    assert (fresh.status, fresh.minutes, fresh.summary) == ("closed", "会议纪要正文", "摘要")
    assert fresh.history.count() == 3  # planned, held, minutes


def test_a_held_meeting_cannot_be_cancelled_and_a_planned_one_can(world, held_meeting):
    meeting, _ = held_meeting
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=meeting, acting_user=world["wushan"], reason="下雨")
    planned = services.meeting_plan(
        acting_user=world["wushan"],
        kind="volunteers",
        title="志愿者骨干座谈",
        held_on=date(2026, 12, 20),
        place="社工站",
    )
    services.meeting_cancel(meeting=planned, acting_user=world["wushan"], reason="改期")
    assert refetch(planned).status == Meeting.Status.CANCELLED


def test_only_the_organising_unit_manages_its_meeting(world, held_meeting):
    meeting, _ = held_meeting
    with pytest.raises(PermissionDenied):
        services.meeting_minutes_record(meeting=meeting, acting_user=world["yuancun"], minutes="x")
    assert refetch(meeting).status == Meeting.Status.HELD


def test_attendance_is_recorded_per_invitee_and_counted_per_organisation(world, held_meeting):
    meeting, invitation = held_meeting
    other = services.invitation_add(
        meeting=meeting,
        acting_user=world["wushan"],
        kind="organisation",
        reference=world.units["committee"],
    )
    assert (
        services.attendance_record(
            meeting=meeting, acting_user=world["wushan"], present=[invitation.pk]
        )
        == 1
    )
    assert refetch(invitation).attended is True
    assert refetch(other).attended is False
    rows = selectors.attendance_by_organisation(fetched_by=world["tianhe"])
    assert rows == [
        {"organiser": "五山街道社工站", "meetings": 1, "invited": 2, "attended": 1, "share": 0.5}
    ]


def test_an_invitee_is_invited_once(world, held_meeting):
    meeting, _ = held_meeting
    with pytest.raises(ValidationError):
        services.invitation_add(
            meeting=meeting,
            acting_user=world["wushan"],
            kind="account",
            reference=world["committee"],
        )


def test_the_answer_deadline_counts_working_days(world, held_meeting, today_is):
    # Friday 2026-12-25; 2027's holiday schedule is not loaded: provisional, weekends only.
    today_is(date(2026, 12, 25))
    item = _item(world, held_meeting)
    services.item_assign(
        item=item, acting_user=world["wushan"], unit=world.units["civil"], due_days=5
    )
    fresh = refetch(item)
    assert (fresh.status, fresh.due_date, fresh.due_provisional) == (
        "assigned",
        date(2027, 1, 1),
        True,
    )
    schedule_load(
        year=2027,
        holidays=parse_days("2027-01-01 元旦", year=2027, field="holidays"),
        workdays={},
    )
    fresh = refetch(item)
    assert (fresh.due_date, fresh.due_provisional) == (date(2027, 1, 4), False)


def test_a_unit_outside_the_meetings_county_or_path_cannot_be_responsible(world, held_meeting):
    item = _item(world, held_meeting)
    for unit in ("yingde", "yuancun"):
        with pytest.raises(ValidationError):
            services.item_assign(item=item, acting_user=world["wushan"], unit=world.units[unit])
    assert refetch(item).status == RaisedItem.Status.RAISED
    units = set(selectors.responsible_units(fetched_by=world["wushan"], meeting=held_meeting[0]))
    assert {world.units["civil"], world.units["tianhe"], world.units["wushan"]} <= units
    assert world.units["yuancun"] not in units and world.units["yingde"] not in units


def test_answered_in_time_and_fed_back_to_the_raisers_inbox(
    world, held_meeting, today_is, django_capture_on_commit_callbacks
):
    today_is(date(2026, 12, 1))
    item = _item(world, held_meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.item_assign(item=item, acting_user=world["wushan"], unit=world.units["civil"])
    assert (
        Notification.objects.unscoped(reason="test")
        .filter(recipient=world["civil"], kind="contact_assigned")
        .exists()
    )
    today_is(date(2026, 12, 8))
    services.item_answer(item=refetch(item), acting_user=world["civil"], answer="已安排维修。")
    fresh = refetch(item)
    assert (fresh.status, fresh.on_time, fresh.answered_on) == ("answered", True, date(2026, 12, 8))
    with django_capture_on_commit_callbacks(execute=True):
        services.item_feed_back(item=fresh, acting_user=world["wushan"])
    note = Notification.objects.unscoped(reason="test").get(
        recipient=world["committee"], kind="contact_answered"
    )
    assert "已安排维修。" in note.title
    assert refetch(item).status == RaisedItem.Status.FED_BACK
    published = selectors.published_answers(fetched_by=world["tianhe"], meeting=held_meeting[0])
    assert list(published) == [refetch(item)]
    assert selectors.get_answer_for(fetched_by=world["committee"], pk=item.pk) == refetch(item)


def test_an_answer_without_consent_is_not_published(world, held_meeting):
    item = _item(world, held_meeting, consent=False)
    services.item_assign(item=item, acting_user=world["wushan"], unit=world.units["civil"])
    services.item_answer(item=refetch(item), acting_user=world["civil"], answer="答复")
    services.item_feed_back(item=refetch(item), acting_user=world["wushan"])
    assert not selectors.published_answers(fetched_by=world["tianhe"], meeting=held_meeting[0])


def test_only_the_responsible_unit_answers(world, held_meeting):
    item = _item(world, held_meeting)
    services.item_assign(item=item, acting_user=world["wushan"], unit=world.units["civil"])
    with pytest.raises(PermissionDenied):
        services.item_answer(item=refetch(item), acting_user=world["wushan"], answer="x")
    assert refetch(item).status == RaisedItem.Status.ASSIGNED


def test_a_late_answer_is_not_on_time_and_the_overdue_item_is_reminded(
    world, held_meeting, today_is
):
    today_is(date(2026, 12, 1))
    item = _item(world, held_meeting)
    services.item_assign(
        item=item, acting_user=world["wushan"], unit=world.units["civil"], due_days=2
    )
    reminders = selectors.reminders_due(date(2026, 12, 10))
    assert [(r.recipient_id, r.kind) for r in reminders] == [(world["civil"].pk, "contact_overdue")]
    today_is(date(2026, 12, 10))
    services.item_answer(item=refetch(item), acting_user=world["civil"], answer="迟复")
    assert refetch(item).on_time is False
    assert selectors.reminders_due(date(2026, 12, 11)) == []


def test_conversion_creates_a_matter_with_the_link_both_ways(world, held_meeting):
    item = _item(world, held_meeting, text="邻居装修噪音扰民，协商未果，请求调解。")
    category = leaf_categories().first()
    services.item_convert(item=item, acting_user=world["wushan"], kind="dispute", category=category)
    fresh = refetch(item)
    matter = Matter.objects.unscoped(reason="test").get(pk=fresh.matter_id)
    assert fresh.status == RaisedItem.Status.CONVERTED
    assert (matter.channel, matter.kind, matter.request) == (
        "meeting",
        "dispute",
        "邻居装修噪音扰民，协商未果，请求调解。",
    )
    assert matter.contact_item == fresh
    assert matter.region_id == "440106001000"


def test_on_time_share_per_child_region_drills_down(world, held_meeting, today_is):
    today_is(date(2026, 12, 1))
    on_time = _item(world, held_meeting, text="一")
    late = _item(world, held_meeting, text="二")
    for item, days in ((on_time, 10), (late, 1)):
        services.item_assign(
            item=item, acting_user=world["wushan"], unit=world.units["civil"], due_days=days
        )
    today_is(date(2026, 12, 4))
    for item in (on_time, late):
        services.item_answer(item=refetch(item), acting_user=world["civil"], answer="答复")
    county = selectors.on_time_rollup(fetched_by=world["tianhe"])
    assert [(r.prefix, r.answered, r.on_time, r.share) for r in county["rows"]] == [
        ("440106001", 2, 1, 0.5)
    ]
    township = selectors.on_time_rollup(fetched_by=world["tianhe"], prefix="440106001")
    assert township["share"] == 0.5 and township["up"] == "440106"
    outsider = selectors.on_time_rollup(fetched_by=world["yingde"])
    assert outsider["rows"] == []
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.on_time_rollup(fetched_by=world["yingde"], prefix="440106")


def test_the_region_page_counts_meetings_held_per_child_region(world, held_meeting):
    from shegong.core.registry import region_counters
    from shegong.core.scoping import code_range

    services.meeting_plan(
        acting_user=world["yuancun"],
        kind="residents",
        title="员村议事会（计划）",
        held_on=date(2026, 12, 20),
        place="员村",
    )
    counter = next(c for c in region_counters if c.key == "contact_meetings")
    low, high = code_range("440106")
    assert counter.count(low, high, 9) == {"440106001": 1}
