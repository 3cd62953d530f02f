"""On the demo data, the daily reminders reach the right people: handlers of matters near or past
their deadline, owners and supervisors of overdue case tasks, reviewers of overdue reviews, and
each social worker with the day's visit counts; every one inside the recipient's jurisdiction."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from shegong.accounts.models import Membership, User
from shegong.cases.models import Review, Task
from shegong.core.permissions import role_has_perm
from shegong.inbox.models import Notification
from shegong.inbox.services import notify_due
from shegong.people import selectors as people_selectors
from shegong.petitions.models import Matter


@pytest.fixture
def demo(db):
    call_command("demo", only=["orgs", "accounts", "people", "cases", "petitions", "inbox"])


@pytest.mark.django_db
def test_daily_reminders_on_the_demo(demo):
    assert Notification.objects.exists()  # made by the demo's inbox step
    assert notify_due() == 0  # each event once
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {"matter_due", "matter_overdue", "case_task_overdue", "visits_due"} <= kinds

    for n in Notification.objects.filter(
        kind__in=["matter_due", "matter_overdue", "matter_assigned"]
    ):
        matter = Matter.objects.get(pk=int(n.url.strip("/").split("/")[-1]))
        assert Membership.objects.filter(
            user_id=n.recipient_id, organisation=matter.handling_org, is_active=True
        ).exists()
        assert role_has_perm(
            Membership.objects.filter(user_id=n.recipient_id, organisation=matter.handling_org)
            .first()
            .role,
            "petitions.handle",
        )
        if n.kind != "matter_assigned":  # made when routed; the others each morning
            assert (n.kind == "matter_overdue") == matter.is_overdue

    for n in Notification.objects.filter(kind="case_task_overdue"):
        task = Task.objects.get(pk=int(n.key.split(":")[1]))
        assert n.recipient_id in {task.owner_id, task.case.supervisor_id}
    for n in Notification.objects.filter(kind="case_review_overdue"):
        review = Review.objects.get(pk=int(n.key.split(":")[1]))
        assert n.recipient_id in {review.reviewer_id, review.case.worker_id}

    worker = User.objects.get(username="worker")
    worker.active_membership = Membership.objects.filter(user=worker).first()
    digest = Notification.objects.get(recipient=worker, kind="visits_due")
    mine = people_selectors.my_visits(fetched_by=worker)
    due_or_overdue = sum(1 for g in mine["groups"] for p in g.plans if p.is_overdue or p.is_today)
    assert digest.title == f"今天应探访 {due_or_overdue} 人，其中逾期 {mine['overdue']} 人"

    # Every notification is about a record inside its recipient's jurisdiction.
    for n in Notification.objects.select_related("recipient"):
        prefixes = [m.jurisdiction.prefix for m in Membership.objects.filter(user=n.recipient)]
        assert any(n.region_code.startswith(p) for p in prefixes), n.title
