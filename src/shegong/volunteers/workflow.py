"""The volunteers' lifecycles, declared in the one format of core.workflow: activities (志愿活动),
sign-ups (报名), service records (服务记录) and registrations from the portal (志愿者注册申请).

Pages take them at `…/<pk>/actions/<action>/` (the old paths stay as aliases), the API at
`POST /api/v1/volunteers/<objects>/{pk}/actions/{action}`; the buttons on the activity, record
and registration pages come from these declarations.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shegong.core.workflow import ANY_STATE, Lifecycle, Transition
from shegong.volunteers.models import Activity, ServiceRecord, VolunteerApplication

_S = "shegong.volunteers.services."
_F = "shegong.volunteers.forms."
_SEL = "shegong.volunteers.selectors."
_HISTORY = "history"  # each object's own change history (django-simple-history)

ORGANISE = "volunteers.organise"

# ---- activities --------------------------------------------------------------------------------

ActivityStatus = Activity.Status
A_DRAFT = ActivityStatus.DRAFT.value
A_PUBLISHED = ActivityStatus.PUBLISHED.value
A_CANCELLED = ActivityStatus.CANCELLED.value

ACTIVITY = Lifecycle(
    key="volunteers.activity",
    label=_("志愿活动"),
    model="volunteers.Activity",
    states=ActivityStatus,
    object_arg="activity",
    fetch=_SEL + "get_activity_for",
    view_perm="volunteers.view",
    url_name="volunteers:activity_transition",
    transitions=(
        Transition(
            "publish",
            _("发布"),
            (A_DRAFT,),
            A_PUBLISHED,
            ORGANISE,
            _S + "activity_publish",
            records=_HISTORY,
            done=_("活动已发布。"),
        ),
        # Adds a shift; the activity stays where it is.
        Transition(
            "shift",
            _("添加班次"),
            (A_DRAFT, A_PUBLISHED),
            None,
            ORGANISE,
            _S + "shift_add",
            form=_F + "ShiftForm",
            records=_HISTORY,
            style="secondary",
            done=_("已添加班次。"),
        ),
        Transition(
            "cancel",
            _("取消活动"),
            (A_DRAFT, A_PUBLISHED),
            A_CANCELLED,
            ORGANISE,
            _S + "activity_cancel",
            form=_F + "CancelForm",
            records=_HISTORY,
            style="outline-danger",
            done=_("活动已取消。"),
        ),
    ),
)

# ---- sign-ups ----------------------------------------------------------------------------------


class SignUpStage(models.TextChoices):
    """A sign-up's status, with an accepted one told apart by check-in and check-out
    (`SignUp.stage`)."""

    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已录用")
    CHECKED_IN = "checked_in", _("已签到")
    SERVED = "served", _("已签退")
    WAITLISTED = "waitlisted", _("候补")
    WITHDRAWN = "withdrawn", _("已退出")
    REJECTED = "rejected", _("未录用")
    INVITED = "invited", _("已邀请")


S_PENDING = SignUpStage.PENDING.value
S_ACCEPTED = SignUpStage.ACCEPTED.value
S_CHECKED_IN = SignUpStage.CHECKED_IN.value
S_SERVED = SignUpStage.SERVED.value
S_WAITLISTED = SignUpStage.WAITLISTED.value
S_WITHDRAWN = SignUpStage.WITHDRAWN.value
S_REJECTED = SignUpStage.REJECTED.value
S_INVITED = SignUpStage.INVITED.value

SIGNUP = Lifecycle(
    key="volunteers.signup",
    label=_("报名"),
    model="volunteers.SignUp",
    states=SignUpStage,
    state_field="stage",
    object_arg="signup",
    fetch=_SEL + "get_signup_for",
    view_perm="volunteers.view",
    url_name="volunteers:signup_transition",
    transitions=(
        # When the shift is full, an accepted sign-up goes to the waiting list instead.
        Transition(
            "accept",
            _("录用"),
            (S_PENDING,),
            S_ACCEPTED,
            ORGANISE,
            _S + "signup_accept",
            records=_HISTORY,
            style="success",
        ),
        Transition(
            "reject",
            _("不录用"),
            (S_PENDING,),
            S_REJECTED,
            ORGANISE,
            _S + "signup_reject",
            records=_HISTORY,
            style="secondary",
        ),
        Transition(
            "checkin",
            _("签到"),
            (S_ACCEPTED,),
            S_CHECKED_IN,
            ORGANISE,
            _S + "signup_check_in",
            records=_HISTORY,
        ),
        # Writes the pending service record with the hours served.
        Transition(
            "checkout",
            _("签退"),
            (S_CHECKED_IN,),
            S_SERVED,
            ORGANISE,
            _S + "signup_check_out",
            records="volunteers.ServiceRecord",
        ),
        # A freed seat goes to the first on the waiting list ("promote").
        Transition(
            "withdraw",
            _("退出"),
            (S_PENDING, S_ACCEPTED, S_WAITLISTED, S_INVITED),
            S_WITHDRAWN,
            ORGANISE,
            _S + "signup_withdraw",
            records=_HISTORY,
            style="secondary",
        ),
        # Taken by signup_withdraw when a seat is freed: the first on the waiting list moves up.
        Transition(
            "promote",
            _("候补递补"),
            (S_WAITLISTED,),
            S_ACCEPTED,
            ORGANISE,
            _S + "signup_withdraw",
            records=_HISTORY,
            offered=False,
        ),
    ),
)

# ---- service records ---------------------------------------------------------------------------

RecordStatus = ServiceRecord.Status
R_PENDING = RecordStatus.PENDING.value
R_CONFIRMED = RecordStatus.CONFIRMED.value


def _confirmed(record) -> str:
    return gettext("已确认服务时长 %(h)s 小时。") % {"h": record.hours}


RECORD = Lifecycle(
    key="volunteers.record",
    label=_("服务记录"),
    model="volunteers.ServiceRecord",
    states=RecordStatus,
    object_arg="record",
    fetch=_SEL + "get_record_for",
    view_perm="volunteers.view",
    url_name="volunteers:record_transition",
    transitions=(
        Transition(
            "confirm",
            _("确认时长"),
            (R_PENDING,),
            R_CONFIRMED,
            ORGANISE,
            _S + "record_confirm",
            records=_HISTORY,
            style="success",
            done=_confirmed,
        ),
        # The hours change; the original stays in the history with the reason.
        Transition(
            "correct",
            _("更正时长"),
            (R_PENDING, R_CONFIRMED),
            None,
            ORGANISE,
            _S + "record_correct",
            form=_F + "CorrectionForm",
            records=_HISTORY,
            style="secondary",
            done=_("已更正服务时长，原值保留在变更历史中。"),
        ),
        Transition(
            "rate",
            _("服务评价"),
            ANY_STATE,
            None,
            ORGANISE,
            _S + "record_set_rating",
            form=_F + "RatingForm",
            records=_HISTORY,
            style="secondary",
            inputs=lambda data, record: {"rating": data["quality_rating"]},
            done=_("已保存服务评价。"),
        ),
    ),
)

# ---- registrations from the public portal ------------------------------------------------------

ApplicationStatus = VolunteerApplication.Status
P_PENDING = ApplicationStatus.PENDING.value


def _approved(application) -> str:
    return gettext(
        "已通过：%(name)s 已登记为志愿者（编号 %(number)s），登录账号为 %(username)s，请通知申请人。"
    ) % {
        "name": application.name,
        "number": application.volunteer.number,
        "username": application.volunteer.user.username,
    }


APPLICATION = Lifecycle(
    key="volunteers.application",
    label=_("志愿者注册申请"),
    model="volunteers.VolunteerApplication",
    states=ApplicationStatus,
    object_arg="application",
    fetch=_SEL + "get_application_for",
    view_perm="volunteers.edit",
    url_name="volunteers:application_transition",
    transitions=(
        # Registers the volunteer and creates the login (accounts services).
        Transition(
            "approve",
            _("通过"),
            (P_PENDING,),
            ApplicationStatus.APPROVED.value,
            "volunteers.edit",
            "shegong.volunteers.applications.application_approve",
            records=_HISTORY,
            style="success",
            done=_approved,
        ),
        Transition(
            "reject",
            _("不通过"),
            (P_PENDING,),
            ApplicationStatus.REJECTED.value,
            "volunteers.edit",
            "shegong.volunteers.applications.application_reject",
            form=_F + "RejectionForm",
            records=_HISTORY,
            style="outline-danger",
            done=_("已标记为不通过，请通知申请人。"),
        ),
    ),
)

LIFECYCLES = (ACTIVITY, SIGNUP, RECORD, APPLICATION)
