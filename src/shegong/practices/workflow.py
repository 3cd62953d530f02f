"""The review chain of a model practice, in the one format of core.workflow.

draft or returned → submitted (报送, to the level above) → recommended (推荐入库: published in
the library) or returned (退回, an unpublished one); a recommended practice may be recommended
upward (推荐上报: submitted to the next level, staying in the library), where that level
recommends it again or holds it (不再上报: back to recommended) — each level in turn, up to the
centre. Pages: `/practices/<pk>/actions/<action>/`; API:
`POST /api/v1/practices/practices/{pk}/actions/{action}`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shegong.core.workflow import Lifecycle, Transition
from shegong.orgs.selectors import unit_of
from shegong.practices.models import Practice

_S = "shegong.practices.services."
_F = "shegong.practices.forms."
_NOTE = "shegong.core.forms.NoteForm"
_REVIEWS = "practices.Review"

P = Practice.Status
DRAFT, SUBMITTED, RECOMMENDED, RETURNED = (
    P.DRAFT.value,
    P.SUBMITTED.value,
    P.RECOMMENDED.value,
    P.RETURNED.value,
)
SUBMIT, REVIEW = "practices.submit", "practices.review"

PRACTICE = Lifecycle(
    key="practices.practice",
    label=_("经验做法"),
    model="practices.Practice",
    states=P,
    object_arg="practice",
    fetch="shegong.practices.selectors.get_own_practice_for",
    view_perm="practices.view",
    url_name="practices:transition",
    actors="shegong.practices.workflow.practice_actors",
    transitions=(
        Transition(
            "submit",
            _("报送上级"),
            (DRAFT, RETURNED),
            SUBMITTED,
            SUBMIT,
            _S + "practice_submit",
            form=_NOTE,
            actor="author",
            records=_REVIEWS,
            done=_("已报送上一级审核。"),
        ),
        Transition(
            "recommend",
            _("推荐入库"),
            (SUBMITTED,),
            RECOMMENDED,
            REVIEW,
            _S + "practice_recommend",
            form=_NOTE,
            actor="reviewer",
            records=_REVIEWS,
            style="success",
            help=_("推荐后做法在经验做法库公开；内部意见仅报送单位及其上级可见。"),
            done=_("已推荐，做法已在经验做法库公开。"),
        ),
        Transition(
            "return",
            _("退回"),
            (SUBMITTED,),
            RETURNED,
            REVIEW,
            _S + "practice_return",
            form=_F + "ReturnForm",
            actor="reviewer",
            records=_REVIEWS,
            style="outline-danger",
            done=_("已退回报送单位。"),
        ),
        Transition(
            "hold",
            _("不再上报"),
            (SUBMITTED,),
            RECOMMENDED,
            REVIEW,
            _S + "practice_hold",
            form=_NOTE,
            actor="reviewer",
            records=_REVIEWS,
            style="secondary",
            help=_("已入库的做法留在下级推荐的层级。"),
            done=_("已办结，做法保留在经验做法库。"),
        ),
        Transition(
            "escalate",
            _("推荐上报"),
            (RECOMMENDED,),
            SUBMITTED,
            REVIEW,
            _S + "practice_escalate",
            form=_NOTE,
            actor="recommender",
            records=_REVIEWS,
            done=_("已推荐上报上一级。"),
        ),
    ),
)

LIFECYCLES = (PRACTICE,)


def practice_actors(practice, user) -> set[str]:
    """ "author": the user's unit submitted it; "reviewer": the level whose turn it is;
    "recommender": the highest level that recommended it."""
    unit = unit_of(fetched_by=user)
    if unit is None:
        return set()
    found = set()
    if unit.pk == practice.department_id:
        found.add("author")
    if practice.review_code and unit.region_id == practice.review_code:
        found.add("reviewer")
    if practice.recommended_code and unit.region_id == practice.recommended_code:
        found.add("recommender")
    return found
