"""Issuing, cascading, handling a copy, the roll-up and the sweep (services and selectors)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shegong.directives import selectors, services
from shegong.directives.models import Directive, DirectiveTarget, Event
from shegong.inbox.models import Notification
from tests.directives.conftest import refetch

pytestmark = pytest.mark.django_db


def issue_to_provinces(world, **kwargs):
    return services.directive_issue(
        acting_user=world["central"],
        title="开展社工站建设专项督查",
        level=1,
        due_days=20,
        **kwargs,
    )


def copy_of(directive, world, key) -> DirectiveTarget:
    return DirectiveTarget.objects.unscoped(reason="test").get(
        directive=directive, unit=world.units[key]
    )


def test_issue_sends_one_copy_to_each_province(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        directive = issue_to_provinces(world)
    copies = DirectiveTarget.objects.unscoped(reason="test").filter(directive=directive)
    assert {c.unit_id for c in copies} == {world.units["guangdong"].pk, world.units["guizhou"].pk}
    gd = copy_of(directive, world, "guangdong")
    assert gd.status == "received" and gd.sender_id == world.units["central"].pk
    assert gd.due_date == directive.due_date and gd.ack_due is not None
    # The members of each receiving unit are told, in their own region.
    note = Notification.objects.unscoped(reason="test").get(recipient=world["guangdong"])
    assert note.region_code == "440000000000" and note.kind == "directive_received"
    assert Event.objects.unscoped(reason="test").filter(directive=directive, kind="issued").exists()


def test_issue_to_named_regions_and_a_level(world):
    directive = services.directive_issue(
        acting_user=world["guangdong"],
        title="县级任务",
        level=3,
        due_days=10,
        regions=["441800000000"],
    )
    units = set(
        DirectiveTarget.objects.unscoped(reason="test")
        .filter(directive=directive)
        .values_list("unit_id", flat=True)
    )
    assert units == {world.units["yingde"].pk}


def test_issue_only_downwards(world):
    with pytest.raises(ValidationError):
        services.directive_issue(acting_user=world["tianhe"], title="x", level=2, due_days=5)


def test_issuing_takes_the_same_number_of_queries_whatever_the_number_of_targets(world):
    from tests.factories import OrganisationFactory

    # The first issue fills the process's caches (the calendar, region names).
    services.directive_issue(acting_user=world["tianhe"], title="warm", level=4, due_days=5)
    with CaptureQueriesContext(connection) as few:
        services.directive_issue(acting_user=world["tianhe"], title="a", level=4, due_days=5)
    OrganisationFactory.create_batch(
        4, kind="sw_station", region_id="440106003000", name="车陂街道社工站"
    )
    for code in ("440106004000", "440106006000", "440106007000"):
        OrganisationFactory(kind="sw_station", region_id=code)
    with CaptureQueriesContext(connection) as many:
        directive = services.directive_issue(
            acting_user=world["tianhe"], title="b", level=4, due_days=5
        )
    assert directive.targets.count() == 9
    assert len(many.captured_queries) == len(few.captured_queries)


def test_national_cascade_in_one_act_is_set_based(world):
    with CaptureQueriesContext(connection) as ctx:
        directive = issue_to_provinces(world, through_level=4)
    copies = DirectiveTarget.objects.unscoped(reason="test").filter(directive=directive)
    assert copies.count() == 9  # 2 provinces, 2 cities, 2 counties, 3 stations
    wushan = copies.get(unit=world.units["wushan"])
    assert wushan.parent.unit == world.units["tianhe"]
    assert wushan.parent.parent.unit == world.units["guangzhou"]
    assert wushan.sender == world.units["tianhe"]
    assert len(ctx.captured_queries) < 40


def test_acknowledge_cascade_report_complete_accept(world):
    directive = issue_to_provinces(world)
    gd = copy_of(directive, world, "guangdong")
    services.target_acknowledge(target=gd, acting_user=world["guangdong"])
    earlier = gd.due_date - timedelta(days=3)
    children = services.target_cascade(
        target=refetch(gd),
        acting_user=world["guangdong"],
        level=2,
        instructions="各市抓落实",
        due_date=earlier,
    )
    assert {c.unit_id for c in children} == {
        world.units["guangzhou"].pk,
        world.units["qingyuan"].pk,
    }
    gz = copy_of(directive, world, "guangzhou")
    assert gz.due_date == earlier and gz.parent_id == gd.pk and gz.instructions == "各市抓落实"
    assert refetch(gd).status == "in_progress"
    services.target_acknowledge(target=gz, acting_user=world["guangzhou"])
    services.target_cascade(target=refetch(gz), acting_user=world["guangzhou"], level=3)
    th = copy_of(directive, world, "tianhe")
    assert th.due_date == earlier  # the cascading unit's own deadline by default
    services.target_acknowledge(target=th, acting_user=world["tianhe"])
    services.progress_report(target=refetch(th), acting_user=world["tianhe"], text="已部署")
    services.target_complete(target=refetch(th), acting_user=world["tianhe"], text="已完成")
    assert refetch(th).status == "submitted"
    # Only the sending unit (广州) accepts: not the receiving unit, not the province.
    with pytest.raises(PermissionDenied):
        services.completion_accept(target=refetch(th), acting_user=world["guangdong"])
    services.completion_return(target=refetch(th), acting_user=world["guangzhou"], reason="缺佐证")
    assert refetch(th).status == "returned"
    services.target_complete(target=refetch(th), acting_user=world["tianhe"], text="补充佐证")
    services.completion_accept(target=refetch(th), acting_user=world["guangzhou"])
    assert refetch(th).status == "completed"


def test_cascade_deadline_not_later_than_own(world):
    directive = issue_to_provinces(world)
    gd = copy_of(directive, world, "guangdong")
    services.target_acknowledge(target=gd, acting_user=world["guangdong"])
    with pytest.raises(ValidationError) as err:
        services.target_cascade(
            target=refetch(gd),
            acting_user=world["guangdong"],
            level=2,
            due_date=gd.due_date + timedelta(days=1),
        )
    assert "due_date" in err.value.message_dict


def test_cascade_cannot_widen_the_audience(world):
    """Cascading reaches only leading units inside the cascading unit's own jurisdiction: naming
    another province's region adds nobody, and a unit without a copy cannot cascade at all."""
    directive = services.directive_issue(
        acting_user=world["central"],
        title="仅广东",
        level=1,
        due_days=20,
        regions=["440000000000"],
    )
    gd = copy_of(directive, world, "guangdong")
    services.target_acknowledge(target=gd, acting_user=world["guangdong"])
    with pytest.raises(ValidationError):
        services.target_cascade(
            target=refetch(gd),
            acting_user=world["guangdong"],
            level=1,
        )
    with pytest.raises(ValidationError):
        services.target_cascade(
            target=refetch(gd), acting_user=world["guangdong"], level=3, regions=["522722000000"]
        )
    # Cascading to every county reaches only 广东's.
    services.target_cascade(target=refetch(gd), acting_user=world["guangdong"], level=3)
    units = set(
        DirectiveTarget.objects.unscoped(reason="test")
        .filter(directive=directive)
        .values_list("unit__region_id", flat=True)
    )
    assert all(code.startswith("44") for code in units)
    # 贵州 has no copy: it cannot act on 广东's.
    with pytest.raises(PermissionDenied):
        services.target_cascade(target=refetch(gd), acting_user=world["guizhou"], level=2)


def test_rollup_groups_by_child_region_slowest_first(world):
    directive = issue_to_provinces(world, through_level=4)
    wushan = copy_of(directive, world, "wushan")
    services.target_acknowledge(target=wushan, acting_user=world["wushan"])
    services.target_complete(target=refetch(wushan), acting_user=world["wushan"], text="完成")
    services.completion_accept(target=refetch(wushan), acting_user=world["tianhe"])
    national = selectors.rollup(fetched_by=world["central"], directive=directive)
    rows = {r.prefix: r for r in national["rows"]}
    assert rows["44"].total == 8 and rows["44"].completed == 1
    assert rows["52"].total == 1 and rows["52"].received == 1
    assert national["rows"][0].prefix == "52"  # slowest (nothing done) first
    county = selectors.rollup(fetched_by=world["central"], directive=directive, prefix="440106")
    rows = {r.prefix: r for r in county["rows"]}
    assert rows["440106001"].completed == 1 and rows["440106002"].received == 1
    assert rows["440106"].is_self  # the county department's own copy
    # The province sees its subtree only; a drill outside it is refused.
    own = selectors.rollup(fetched_by=world["guangdong"], directive=directive)
    assert {r.prefix for r in own["rows"]} == {"44", "4401", "4418"}
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.rollup(fetched_by=world["guangdong"], directive=directive, prefix="52")


def test_sweep_marks_overdue_and_escalates(world, django_capture_on_commit_callbacks):
    directive = issue_to_provinces(world)
    gd = copy_of(directive, world, "guangdong")
    services.target_acknowledge(target=gd, acting_user=world["guangdong"])
    gz = copy_of(directive, world, "guizhou")
    later = gz.ack_due + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.directive_sweep(today=later)
    assert result.overdue == 1 and result.escalated == 1
    assert refetch(gz).overdue and not refetch(gd).overdue
    late = selectors.laggards(fetched_by=world["central"], directive=directive)
    assert [t.unit_id for t in late] == [world.units["guizhou"].pk]
    kinds = set(
        Notification.objects.unscoped(reason="test")
        .filter(kind="directive_overdue")
        .values_list("recipient__username", flat=True)
    )
    assert {world["guizhou"].username, world["central"].username} <= kinds
    national = {
        r.prefix: r
        for r in selectors.rollup(fetched_by=world["central"], directive=directive)["rows"]
    }
    assert national["52"].overdue == 1
    # A second sweep escalates nobody again.
    assert services.directive_sweep(today=later).escalated == 0


def test_a_weekly_cadence_reminds_a_copy_that_has_not_reported_once_per_week(
    world, django_capture_on_commit_callbacks
):
    directive = issue_to_provinces(world, cadence=Directive.Cadence.WEEKLY)
    gd = copy_of(directive, world, "guangdong")
    services.target_acknowledge(target=gd, acting_user=world["guangdong"])
    today = timezone.localdate()

    def sweep(day) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.directive_sweep(today=day).cadence_reminded

    def reminders() -> list[str]:
        return sorted(
            Notification.objects.unscoped(reason="test")
            .filter(kind="directive_reminded", key__contains=":cadence:")
            .values_list("recipient__username", flat=True)
        )

    assert sweep(today + timedelta(days=3)) == 0 and reminders() == []
    # A week after acknowledging without a report: reminded, once in that week. 贵州 has not
    # acknowledged (the overdue sweep is its reminder), so it owes no progress report yet.
    assert sweep(today + timedelta(days=8)) == 1
    assert sweep(today + timedelta(days=8)) == 1
    assert reminders() == [world["guangdong"].username]
    # A progress report restarts the clock: nothing owed until a week after it.
    DirectiveTarget.objects.unscoped(reason="test").filter(pk=gd.pk).update(
        acknowledged_at=timezone.now() - timedelta(days=8)
    )
    assert sweep(today) == 1
    services.progress_report(target=refetch(gd), acting_user=world["guangdong"], text="进展")
    assert sweep(today) == 0 and sweep(today + timedelta(days=6)) == 0
    assert sweep(today + timedelta(days=15)) == 1


def test_remind_laggards_notifies_every_late_unit_at_once(
    world, django_capture_on_commit_callbacks
):
    directive = issue_to_provinces(world)
    services.directive_sweep(today=timezone.localdate() + timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        n = services.remind_laggards(directive=directive, acting_user=world["central"])
    assert n == 2
    reminded = Notification.objects.unscoped(reason="test").filter(kind="directive_reminded")
    assert {r.recipient_id for r in reminded} == {world["guangdong"].pk, world["guizhou"].pk}


def test_close_freezes_the_rollup(world):
    directive = issue_to_provinces(world)
    services.directive_close(directive=directive, acting_user=world["central"])
    closed = refetch(directive)
    assert closed.status == "closed" and closed.closed_at is not None
    assert {row["prefix"] for row in closed.rollup["rows"]} == {"44", "52"}
    gd = copy_of(directive, world, "guangdong")
    with pytest.raises(ValidationError):
        services.target_acknowledge(target=gd, acting_user=world["guangdong"])


def test_task_list_of_a_unit(world):
    directive = issue_to_provinces(world, through_level=4)
    tasks = list(selectors.task_list(fetched_by=world["wushan"]))
    assert [t.directive_id for t in tasks] == [directive.pk]
    assert all(t.unit_id == world.units["wushan"].pk for t in tasks)


def test_a_deadline_in_a_year_without_a_schedule_is_provisional_and_recomputed(world):
    """Issued on 2026-12-25 with 20 working days: the deadline falls in 2027, whose holiday
    schedule is not loaded: provisional; loading 2027 recomputes the directive and its copies."""
    from tests.petitions.test_obligations import load_2027

    directive = issue_to_provinces(world, issued_on=date(2026, 12, 25), through_level=2)
    assert directive.due_provisional
    gd = copy_of(directive, world, "guangdong")
    assert gd.due_provisional and gd.due_date == directive.due_date
    before = directive.due_date
    load_2027()
    directive = refetch(directive)
    gd = copy_of(directive, world, "guangdong")
    assert not directive.due_provisional and not gd.due_provisional
    # 2027-01-01 and 2027-01-25..27 are holidays in the loaded schedule: three more days.
    assert directive.due_date > before
    assert gd.due_date == directive.due_date
    assert Directive.objects.unscoped(reason="test").filter(due_provisional=True).count() == 0
