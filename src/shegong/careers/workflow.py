"""The lifecycle of a title application (职称申报), in the one format of core.workflow:
apply → the employer confirms → the panel scores and decides → the result is publicly
notified (公示, at least 5 working days) → it takes effect (the daily sweep), or an objection
is upheld or dismissed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shegong.careers.models import TitleApplicationStatus as S
from shegong.core.workflow import Lifecycle, Transition

_S = "shegong.careers.services.titles."
_NOTE = "shegong.core.forms.NoteForm"
_EVENT = "careers.TitleEvent"

APPLIED, RETURNED, CONFIRMED, SCORED = (
    S.APPLIED.value,
    S.RETURNED.value,
    S.CONFIRMED.value,
    S.SCORED.value,
)
PASSED, FAILED, NOTICE, OBJECTED, EFFECTIVE = (
    S.PASSED.value,
    S.FAILED.value,
    S.NOTICE.value,
    S.OBJECTED.value,
    S.EFFECTIVE.value,
)
STATES = dict(S.choices)

APPLICATION = Lifecycle(
    key="careers.application",
    label=_("职称申报"),
    model="careers.TitleApplication",
    states=S,
    object_arg="application",
    fetch="shegong.careers.selectors.get_application_for",
    view_perm="careers.view",
    url_name="careers:application_action",
    actors="shegong.careers.workflow.application_actors",
    transitions=(
        Transition(
            "confirm",
            _("单位确认"),
            (APPLIED,),
            CONFIRMED,
            "careers.title_confirm",
            _S + "application_confirm",
            form=_NOTE,
            actor="employer",
            records=_EVENT,
        ),
        Transition(
            "return",
            _("单位退回"),
            (APPLIED,),
            RETURNED,
            "careers.title_confirm",
            _S + "application_return",
            form=_NOTE,
            actor="employer",
            records=_EVENT,
            style="outline-secondary",
        ),
        Transition(
            "score",
            _("评审评分"),
            (CONFIRMED,),
            SCORED,
            "careers.title_manage",
            _S + "application_score",
            form="shegong.careers.forms.ScoreForm",
            records=_EVENT,
        ),
        Transition(
            "pass",
            _("评审通过"),
            (SCORED,),
            PASSED,
            "careers.title_decide",
            _S + "application_pass",
            form=_NOTE,
            records=_EVENT,
            style="success",
        ),
        Transition(
            "fail",
            _("评审不通过"),
            (SCORED,),
            FAILED,
            "careers.title_decide",
            _S + "application_fail",
            form=_NOTE,
            records=_EVENT,
            style="danger",
        ),
        Transition(
            "publish",
            _("公示"),
            (PASSED,),
            NOTICE,
            "careers.title_manage",
            _S + "application_publish",
            records=_EVENT,
            help=_("公示期不少于 5 个工作日，期满无异议后生效。"),
        ),
        Transition(
            "object",
            _("登记异议"),
            (NOTICE,),
            OBJECTED,
            "careers.title_manage",
            _S + "application_object",
            form="shegong.careers.forms.ObjectionForm",
            records=_EVENT,
            style="warning",
        ),
        Transition(
            "dismiss",
            _("异议不成立"),
            (OBJECTED,),
            NOTICE,
            "careers.title_decide",
            _S + "application_dismiss",
            form=_NOTE,
            records=_EVENT,
        ),
        Transition(
            "uphold",
            _("异议成立"),
            (OBJECTED,),
            FAILED,
            "careers.title_decide",
            _S + "application_uphold",
            form=_NOTE,
            records=_EVENT,
            style="danger",
        ),
        # Taken by the daily sweep when the notice period has passed without objection.
        Transition(
            "take_effect",
            _("公示期满生效"),
            (NOTICE,),
            EFFECTIVE,
            "careers.title_manage",
            _S + "application_take_effect",
            records=_EVENT,
            offered=False,
        ),
    ),
)

LIFECYCLES = (APPLICATION,)


def label_of(state: str) -> str:
    return str(STATES.get(state, state))


def application_actors(application, user) -> set[str]:
    found = set()
    membership = getattr(user, "active_membership", None)
    if membership is not None and membership.organisation_id == application.worker.employer_id:
        found.add("employer")
    if application.worker.user_id and application.worker.user_id == getattr(user, "pk", None):
        found.add("candidate")
    return found
