"""The service plan of a case: goals, tasks and service records."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.cases.models import Case, Goal, ServiceRecord, Task
from shegong.cases.workflow import (
    Status,
)
from shegong.core.errors import ApplicationError
from shegong.core.validation import check_past_event_date


def _ensure_open(case: Case) -> None:
    if case.status == Status.CLOSED:
        raise ApplicationError(_("个案已结案，请先重新开案。"))


def goal_add(*, case: Case, acting_user: User, text: str) -> Goal:
    _ensure_open(case)
    if not text.strip():
        raise ValidationError({"text": _("请填写服务目标。")})
    goal = Goal(case=case, text=text.strip())
    goal._history_user = acting_user
    goal.save()
    return goal


def task_add(
    *,
    case: Case,
    acting_user: User,
    title: str,
    owner: User,
    due_date: date,
    goal: Goal | None = None,
) -> Task:
    _ensure_open(case)
    if not title.strip():
        raise ValidationError({"title": _("请填写任务内容。")})
    task = Task(case=case, title=title.strip(), owner=owner, due_date=due_date, goal=goal)
    task._history_user = acting_user
    task.save()
    return task


def task_done(*, task: Task, acting_user: User) -> Task:
    task.done_on = date.today()
    task._history_user = acting_user
    task.save(update_fields=["done_on"])
    return task


def record_add(
    *,
    case: Case,
    acting_user: User,
    served_on: date,
    kind: str,
    content: str,
    duration_minutes: int = 60,
    goods: str = "",
) -> ServiceRecord:
    if case.status != Status.INTERVENTION:
        raise ApplicationError(_("只有在「服务介入」阶段才能登记服务记录。"))
    check_past_event_date(served_on, field="served_on")
    record = ServiceRecord(
        case=case,
        served_on=served_on,
        kind=kind,
        content=content,
        duration_minutes=duration_minutes,
        goods=goods,
        recorded_by=acting_user,
    )
    record._history_user = acting_user
    record.full_clean(exclude=["case"])
    record.save()
    return record
