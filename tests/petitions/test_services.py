"""Intake, routing, handling, deadlines and repeats."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shegong.core.errors import ApplicationError
from shegong.petitions import deadlines, selectors, services
from shegong.petitions.models import Matter, MatterEvent
from shegong.workdays.calendar import WorkCalendar
from shegong.workdays.services import parse_days, schedule_load

from .conftest import TIANHE_STREET

pytestmark = pytest.mark.django_db


def test_registration_number_is_region_date_sequence(register):
    first, second = (
        register(),
        register(
            request="另一件事：小区路灯损坏请求维修",
            petitioners=[{"name": "李四", "phone": "13900139000"}],
        ),
    )
    today = timezone.localdate().strftime("%Y%m%d")
    assert first.number == f"440106{today}0001"
    assert second.number == f"440106{today}0002"
    assert first.due_stage == "register"
    assert first.due_date == WorkCalendar.load().add(first.received_on, 15).due


def test_anonymous_only_for_online_complaints(register):
    with pytest.raises(ValidationError) as exc:
        register(anonymous=True, petitioners=[])
    assert "只有网上投诉可以匿名" in str(exc.value)
    matter = register(anonymous=True, channel="online", petitioners=[])
    assert matter.anonymous and matter.petitioners.count() == 0


def test_group_visit_has_at_most_five_representatives(register):
    people = [
        {"name": f"代表{i}", "phone": f"1380000000{i}", "is_representative": True} for i in range(6)
    ]
    with pytest.raises(ValidationError) as exc:
        register(petitioners=people, is_group=True)
    assert "不得超过 5 人" in str(exc.value)


def test_a_repeat_is_linked_to_the_open_matter_and_not_counted(register, county_user):
    original = register()
    again = register(
        channel="phone", request="请求督促某建筑公司支付拖欠的三个月工资共计四万五千元！"
    )
    assert again.is_repeat and again.repeat_of_id == original.pk
    assert again.status == "merged"
    original.refresh_from_db()
    assert original.repeat_count == 1
    assert Matter.objects.counted().count() == 1
    assert original.events.filter(action="repeat").exists()
    today = timezone.localdate()
    counts = selectors.analysis(fetched_by=county_user, start=today, end=today)
    assert counts.total == 1 and counts.repeats == 1


def test_one_identical_co_petitioner_is_enough_for_a_repeat(register):
    original = register(
        petitioners=[
            {"name": "张建国", "phone": "13800138000"},
            {"name": "王芳", "phone": "13700137000"},
        ]
    )
    again = register(petitioners=[{"name": "王芳", "phone": "137-0013-7000"}])
    assert again.repeat_of_id == original.pk


def test_a_different_request_by_the_same_person_is_new(register):
    register()
    other = register(title="邻居噪音", request="楼上住户每晚装修噪音扰民，请求协调")
    assert not other.is_repeat


def test_a_closed_matter_within_its_review_window_does_not_swallow_a_new_one(
    register, hr_dept, hr_user, county_user
):
    """Nor is the filing a new matter: it is offered as a review request
    (tests/petitions/test_fidelity.py covers the choices)."""
    matter = register()
    services.matter_route(matter=matter, organisation=hr_dept, acting_user=county_user)
    services.matter_accept(matter=matter, acting_user=hr_user)
    services.matter_reply(
        matter=matter, acting_user=hr_user, reply_kind="support", text="已责令支付"
    )
    services.matter_close(matter=matter, acting_user=hr_user)
    with pytest.raises(services.ReviewOffered) as offered:
        register()
    assert offered.value.earlier == matter
    assert Matter.objects.count() == 1


def test_merge_duplicates(register, county_user):
    a = register()
    b = register(petitioners=[{"name": "李四", "phone": "13900139000"}])
    services.matter_merge(matter=b, target=a, acting_user=county_user)
    b.refresh_from_db()
    a.refresh_from_db()
    assert b.status == "merged" and b.repeat_of_id == a.pk and a.repeat_count == 1


def test_routing_proposes_the_human_resources_department_of_the_county(register, hr_dept):
    matter = register()
    assert services.routing_proposal(matter) == hr_dept


def test_full_handling_chain_writes_the_timeline(register, hr_dept, hr_user, county_user):
    matter = register()
    services.matter_route(matter=matter, organisation=hr_dept, acting_user=county_user)
    assert matter.status == "assigned" and matter.escalation_code == "440100000000"
    services.matter_accept(matter=matter, acting_user=hr_user)
    assert matter.due_stage == "reply"
    assert matter.due_date == WorkCalendar.load().add(timezone.localdate(), 60).due
    services.matter_reply(
        matter=matter, acting_user=hr_user, reply_kind="support", text="已责令支付"
    )
    services.matter_close(matter=matter, acting_user=hr_user)
    assert matter.replied_on_time is True
    actions = list(matter.events.values_list("action", "actor_id"))
    assert actions == [
        ("register", county_user.pk),
        ("route", county_user.pk),
        ("accept", hr_user.pk),
        ("reply", hr_user.pk),
        ("close", hr_user.pk),
    ]


def test_only_the_receiving_unit_accepts(register, hr_dept, county_user):
    matter = register()
    services.matter_route(matter=matter, organisation=hr_dept, acting_user=county_user)
    with pytest.raises(ApplicationError):
        services.matter_accept(matter=matter, acting_user=county_user)


def test_objection_within_five_working_days_returns_to_dispatcher(
    register, hr_dept, hr_user, county_user
):
    matter = register()
    services.matter_route(matter=matter, organisation=hr_dept, acting_user=county_user)
    assert matter.objection_due == WorkCalendar.load().add(timezone.localdate(), 5, "working").due
    with pytest.raises(ValidationError):
        services.matter_object(matter=matter, acting_user=hr_user, reason="  ")
    services.matter_object(matter=matter, acting_user=hr_user, reason="属于住建部门职责")
    matter.refresh_from_db()
    assert matter.status == "registered" and matter.handling_org is None
    assert matter.due_stage == "register"
    event = matter.events.get(action="object")
    assert "属于住建部门职责" in event.note and event.actor == hr_user and not event.is_public
    assert matter.assignments.get().outcome == "objected"


def test_objection_after_the_window_is_refused(register, hr_dept, hr_user, county_user):
    matter = register()
    services.matter_route(matter=matter, organisation=hr_dept, acting_user=county_user)
    Matter.objects.filter(pk=matter.pk).update(
        objection_due=timezone.localdate() - timedelta(days=1)
    )
    matter.refresh_from_db()
    with pytest.raises(ApplicationError) as exc:
        services.matter_object(matter=matter, acting_user=hr_user, reason="不归我们管")
    assert "已超过异议期限" in str(exc.value)


def _accepted(register, hr_dept, hr_user, county_user, *, accepted_on):
    matter = register()
    services.matter_route(matter=matter, organisation=hr_dept, acting_user=county_user)
    services.matter_accept(matter=matter, acting_user=hr_user)
    # The matter was accepted on `accepted_on`: restart the 60-day clock from then.
    matter.accepted_on = accepted_on
    deadlines.set_stage(matter, "reply", accepted_on)
    matter.save()
    return matter


def test_overdue_matter_shows_to_the_handler_and_escalates_after_the_sweep(
    register, hr_dept, hr_user, county_user, city_user, django_assert_max_num_queries
):
    today = timezone.localdate()
    late = _accepted(
        register, hr_dept, hr_user, county_user, accepted_on=today - timedelta(days=80)
    )
    on_time = register(
        request="小区电梯长期停运请求维修", petitioners=[{"name": "赵六", "phone": "13600136000"}]
    )
    assert late.due_date < today
    assert not selectors.matter_list(fetched_by=hr_user, view="overdue").exists()
    # 9: one more INSERT … SELECT for the follow-ups due (still constant, whatever the volume).
    with django_assert_max_num_queries(9):
        result = deadlines.deadline_sweep()
    assert result.overdue == 1
    overdue_for_handler = selectors.matter_list(fetched_by=hr_user, view="overdue")
    assert list(overdue_for_handler) == [late]
    assert list(selectors.matter_list(fetched_by=city_user, view="escalated")) == [late]
    assert not selectors.matter_list(fetched_by=county_user, view="escalated").exists()
    assert late.events.filter(action="overdue").count() == 1
    assert on_time.pk not in selectors.matter_list(fetched_by=hr_user, view="overdue").values_list(
        "pk", flat=True
    )
    # A second sweep adds nothing.
    assert deadlines.deadline_sweep().overdue == 0
    assert late.events.filter(action="overdue").count() == 1


def test_sweep_issues_a_constant_number_of_queries(register, django_assert_max_num_queries):
    today = timezone.localdate()
    for i in range(30):
        m = register(
            request=f"第{i}件：不同的诉求内容{i * 7919}",
            petitioners=[{"name": f"人{i}", "phone": f"139{i:08d}"}],
        )
        Matter.objects.filter(pk=m.pk).update(
            due_date=today - timedelta(days=i % 3) if i % 2 else today + timedelta(days=2)
        )
    with django_assert_max_num_queries(9):
        result = deadlines.deadline_sweep()
    # odd i: overdue unless i % 3 == 0 (due today: reminded); even i: due in 2 days (reminded)
    assert (result.overdue, result.reminded) == (10, 20)


def test_reminder_three_days_before(register):
    matter = register()
    Matter.objects.filter(pk=matter.pk).update(due_date=timezone.localdate() + timedelta(days=3))
    assert deadlines.deadline_sweep().reminded == 1
    assert deadlines.deadline_sweep().reminded == 0
    assert matter.events.filter(action="reminder").count() == 1


def test_sweep_task_runs_through_django_tasks(register):
    from shegong.petitions.tasks import deadline_sweep_task

    matter = register()
    Matter.objects.filter(pk=matter.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    result = deadline_sweep_task.enqueue()
    assert result.return_value == {"overdue": 1, "reminded": 0}
    matter.refresh_from_db()
    assert matter.is_overdue


def test_extension_moves_the_deadline_and_records_approver_and_reason(
    register, hr_dept, hr_user, county_user, county_leader
):
    today = timezone.localdate()
    matter = _accepted(
        register, hr_dept, hr_user, county_user, accepted_on=today - timedelta(days=70)
    )
    deadlines.deadline_sweep()
    matter.refresh_from_db()
    assert matter.is_overdue
    with pytest.raises(PermissionDenied):
        services.matter_extend(matter=matter, days=30, reason="需现场核查", acting_user=hr_user)
    extension = services.matter_extend(
        matter=matter, days=30, reason="涉及多家分包单位，需现场核查", acting_user=county_leader
    )
    expected = WorkCalendar.load().add(today - timedelta(days=70), 90).due
    assert matter.due_date == expected == extension.new_due
    assert extension.approver == county_leader
    assert extension.reason == "涉及多家分包单位，需现场核查"
    assert matter.is_overdue is False
    event = matter.events.get(action="extend")
    assert event.is_public and "30 天" in event.note
    with pytest.raises(ApplicationError):
        services.matter_extend(matter=matter, days=5, reason="再延", acting_user=county_leader)


def test_extension_is_limited_to_thirty_days(
    register, hr_dept, hr_user, county_user, county_leader
):
    matter = _accepted(register, hr_dept, hr_user, county_user, accepted_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.matter_extend(matter=matter, days=31, reason="太久", acting_user=county_leader)


def test_a_2027_deadline_is_provisional_and_recomputed_when_2027_is_loaded(
    register, hr_dept, hr_user, county_user
):
    accepted = date(2026, 12, 3)  # +60 days = 2027-02-01 (Monday)
    matter = _accepted(register, hr_dept, hr_user, county_user, accepted_on=accepted)
    assert matter.due_date == date(2027, 2, 1) and matter.due_provisional
    closed = register(
        request="另一个诉求：低保审批进度", petitioners=[{"name": "孙七", "phone": "13500135000"}]
    )
    Matter.objects.filter(pk=closed.pk).update(
        status="closed",
        due_provisional=True,
        due_from=accepted,
        due_days=60,
        due_rule="calendar",
        due_date=date(2027, 2, 1),
    )
    schedule_load(
        year=2027,
        holidays=parse_days(
            "2027-01-01 元旦\n2027-01-30..2027-02-04 春节（假设）", year=2027, field="h"
        ),
        workdays=parse_days("2027-02-06 春节", year=2027, field="w"),
    )
    matter.refresh_from_db()
    assert matter.due_date == date(2027, 2, 5)
    assert matter.due_provisional is False
    closed.refresh_from_db()
    assert closed.due_date == date(2027, 2, 1) and closed.due_provisional  # closed: untouched


def test_review_then_rereview_then_no_more(register, hr_dept, hr_user, county_user, city_user):
    matter = register()
    services.matter_route(matter=matter, organisation=hr_dept, acting_user=county_user)
    services.matter_accept(matter=matter, acting_user=hr_user)
    services.matter_reply(
        matter=matter, acting_user=hr_user, reply_kind="not_support", text="不予支持"
    )
    services.matter_close(matter=matter, acting_user=hr_user)
    services.matter_request_review(matter=matter, acting_user=county_user, reason="不服")
    assert matter.status == "review" and matter.due_stage == "review_answer"
    services.matter_answer_review(  # by the superior organ (Art. 35)
        matter=matter, acting_user=city_user, reply_kind="explain", text="维持"
    )
    services.matter_request_review(matter=matter, acting_user=county_user, reason="仍不服")
    assert matter.status == "rereview"
    services.matter_answer_review(
        matter=matter, acting_user=city_user, reply_kind="explain", text="维持"
    )
    assert matter.chain_ended
    with pytest.raises(ApplicationError) as exc:
        services.matter_request_review(matter=matter, acting_user=county_user, reason="再申请")
    assert "不再受理" in str(exc.value)
    # The same request again after the chain ended is a repeat, not a new matter.
    assert register().repeat_of_id == matter.pk


def test_supervision_only_from_a_higher_department(register, hr_dept, county_user, city_user):
    matter = register()
    services.matter_route(matter=matter, organisation=hr_dept, acting_user=county_user)
    with pytest.raises(ApplicationError):
        services.matter_supervise(
            matter=matter, acting_user=county_user, due_date=timezone.localdate(), note="尽快"
        )
    services.matter_supervise(
        matter=matter,
        acting_user=city_user,
        due_date=timezone.localdate() + timedelta(days=5),
        note="限期办结",
    )
    assert matter.is_supervised
    assert list(selectors.matter_list(fetched_by=city_user, view="supervised")) == [matter]


def test_another_county_cannot_act(register, hr_dept, other_county_user):
    matter = register()
    with pytest.raises(PermissionDenied):
        services.matter_route(matter=matter, organisation=hr_dept, acting_user=other_county_user)
    assert not selectors.matter_list(fetched_by=other_county_user).exists()


def test_followup_and_worker_rating(register, hr_dept, hr_user, county_user):
    matter = register()
    services.matter_route(matter=matter, organisation=hr_dept, acting_user=county_user)
    services.matter_accept(matter=matter, acting_user=hr_user)
    services.matter_reply(matter=matter, acting_user=hr_user, reply_kind="support", text="已支付")
    services.matter_close(matter=matter, acting_user=hr_user)
    assert matter.followup_due == WorkCalendar.load().add(timezone.localdate(), 7).due
    assert list(selectors.matter_list(fetched_by=county_user, view="followup")) == [matter]
    services.followup_record(
        matter=matter,
        acting_user=county_user,
        method="phone",
        notes="已收到工资",
        rating="dissatisfied",
    )
    assert matter.rating == "dissatisfied"
    assert list(selectors.matter_list(fetched_by=county_user, view="dissatisfied")) == [matter]
    assert not selectors.matter_list(fetched_by=county_user, view="followup").exists()


def test_route_out_with_written_notice(register, county_user):
    matter = register()
    services.matter_route_out(
        matter=matter,
        procedure="劳动人事争议仲裁",
        notice="请向天河区劳动人事争议仲裁委员会申请仲裁。",
        acting_user=county_user,
    )
    assert matter.status == "routed_out" and "仲裁" in matter.routed_out_notice


def test_hot_spot_rises_week_on_week(register, county_user, wages):
    today = timezone.localdate()
    for i in range(4):
        register(
            request=f"不同的欠薪诉求{i}号工地{i * 31}",
            received_on=today - timedelta(days=i),
            petitioners=[{"name": f"工人{i}", "phone": f"1380000{i:04d}"}],
        )
    register(
        request="上周的欠薪诉求",
        received_on=today - timedelta(days=9),
        petitioners=[{"name": "工人九", "phone": "13811112222"}],
    )
    spots = selectors.hot_spots(fetched_by=county_user, today=today)
    assert [(s.region_name, s.category, s.this_week, s.last_week) for s in spots] == [
        ("五山街道", "劳动和欠薪", 4, 1)
    ]
    figures = selectors.home_figures(fetched_by=county_user)
    assert any("热点预警" in str(f.label) for f in figures)


def test_matter_from_a_care_visit_finding(county_user):
    from shegong.petitions.models import Category

    category = Category.objects.get(code="neighbour.adjacent")
    matter = services.matter_create_from_finding(
        acting_user=county_user,
        finding_ref="visit-42",
        region_code="440106001001",
        category=category,
        summary="探访发现：独居老人与邻居因排水管漏水发生纠纷",
        parties=[{"name": "陈阿婆", "phone": "13411112222"}],
    )
    assert matter.channel == "field" and matter.kind == "dispute" and matter.tier == 5
    again = services.matter_create_from_finding(
        acting_user=county_user,
        finding_ref="visit-42",
        region_code="440106001001",
        category=category,
        summary="x",
        parties=[],
    )
    assert again.pk == matter.pk
    assert MatterEvent.objects.filter(matter=matter, action="register").exists()
    assert TIANHE_STREET.startswith(matter.county_code)


def test_a_deadline_setting_in_working_days_is_honoured(register, hr_dept, county_user):
    from shegong.petitions.models import DeadlineSetting

    DeadlineSetting.objects.filter(key="accept").update(day_rule="working", days=10)
    matter = register()
    services.matter_route(matter=matter, organisation=hr_dept, acting_user=county_user)
    assert matter.due_date == WorkCalendar.load().add(timezone.localdate(), 10, "working").due
    assert matter.due_rule == "working"


def test_tier_escalation_and_leader_in_charge(county_user, county_leader):
    from shegong.petitions.models import Category

    matter = services.matter_register(
        acting_user=county_user,
        kind="dispute",
        channel="field",
        region_code="440106001001",
        category=Category.objects.get(code="neighbour.noise"),
        title="噪音",
        request="楼上噪音",
        petitioners=[{"name": "周明", "phone": "13800001111"}],
        tier=5,
    )
    services.matter_escalate_tier(matter=matter, acting_user=county_user, reason="社区调解未果")
    assert matter.tier == 4
    services.matter_escalate_tier(matter=matter, acting_user=county_user, reason="街道调解未果")
    assert matter.tier == 3
    with pytest.raises(ApplicationError):
        services.matter_escalate_tier(matter=matter, acting_user=county_user, reason="再提")
    with pytest.raises(ValidationError):
        services.matter_assign_leader(matter=matter, leader=county_user, acting_user=county_user)
    services.matter_assign_leader(matter=matter, leader=county_leader, acting_user=county_user)
    assert matter.lead_leader == county_leader
    assert matter.events.filter(action="assign_leader").exists()


def test_petitioner_is_linked_to_a_known_resident_and_shown_on_the_residents_page(
    register, county_user, rf
):
    from shegong.core.crypto import blind_index, sensitive_columns
    from shegong.people.models import Resident

    number = "11010519491231002X"
    cols = sensitive_columns(number)
    fields = {f.name for f in Resident._meta.get_fields()}
    data = {"name": "王秀英", "region_id": "440106001001", "county_code": "440106"}
    data.update(
        {
            k: v
            for k, v in {
                "id_number_encrypted": cols.get("encrypted"),
                "id_number_hash": cols.get("hash"),
                "id_number_masked": cols.get("masked"),
                "birth_date": "1949-12-31",
                "sex": "F",
                "region_code": "440106001001",
            }.items()
            if k in fields
        }
    )
    resident = Resident.objects.create(**data)
    assert resident.id_number_hash == blind_index(number)
    matter = register(
        petitioners=[{"name": resident.name, "phone": "13800001111", "id_number": number}]
    )
    assert matter.petitioners.get().resident == resident
    request = rf.get("/")
    request.user = county_user
    panel = selectors.person_panel(request, resident)
    assert panel["rows"][0][0].startswith(matter.number)


def test_each_deadline_is_reminded_once_even_when_a_night_is_missed(register):
    today = timezone.localdate()
    matters = [
        register(
            request=f"不同诉求{i}号：{i * 7919}",
            petitioners=[{"name": f"人{i}", "phone": f"1390000{i:04d}"}],
        )
        for i in range(7)
    ]
    for offset, matter in enumerate(matters):  # deadlines today .. today + 6
        Matter.objects.filter(pk=matter.pk).update(due_date=today + timedelta(days=offset))
    assert deadlines.deadline_sweep(today=today).reminded == 4  # today .. +3
    assert deadlines.deadline_sweep(today=today).reminded == 0  # same night again
    assert deadlines.deadline_sweep(today=today + timedelta(days=1)).reminded == 1  # +4
    # The night of +2 is missed; +3 catches up +5 and +6.
    assert deadlines.deadline_sweep(today=today + timedelta(days=3)).reminded == 2
    assert MatterEvent.objects.filter(action="reminder").count() == 7
    assert all(m.events.filter(action="reminder").count() == 1 for m in matters)
