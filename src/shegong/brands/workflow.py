"""The recognition of a brand (品牌认定), in the one format of core.workflow.

applied (申报) → recommended (推荐, by the department one level below the awarding one; a
county recognition needs none) → awarded (认定, by the department of the level) or declined
(不予认定). Pages take the transitions at `/brands/recognitions/<pk>/actions/<action>/`, the API
at `POST /api/v1/brands/recognitions/{pk}/actions/{action}`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shegong.brands import selectors
from shegong.brands.models import Recognition
from shegong.core.workflow import Lifecycle, Transition

_S = "shegong.brands.services."
_F = "shegong.brands.forms."
_HISTORY = "brands.HistoricalRecognition"

R = Recognition.Status
APPLIED, RECOMMENDED, AWARDED, DECLINED = (
    R.APPLIED.value,
    R.RECOMMENDED.value,
    R.AWARDED.value,
    R.DECLINED.value,
)
AWARD = "brands.award"

RECOGNITION = Lifecycle(
    key="brands.recognition",
    label=_("品牌认定申报"),
    model="brands.Recognition",
    states=R,
    object_arg="recognition",
    fetch="shegong.brands.selectors.get_recognition_for",
    view_perm="brands.view",
    url_name="brands:recognition_transition",
    actors="shegong.brands.workflow.recognition_actors",
    transitions=(
        Transition(
            "recommend",
            _("推荐"),
            (APPLIED,),
            RECOMMENDED,
            AWARD,
            _S + "recognition_recommend",
            form="shegong.core.forms.NoteForm",
            actor="recommender",
            records=_HISTORY,
            help=_("市级、省级品牌由下一级社会工作部推荐后，由认定级别的社会工作部认定。"),
            done=_("已推荐。"),
        ),
        Transition(
            "award",
            _("认定"),
            (RECOMMENDED, APPLIED),
            AWARDED,
            AWARD,
            _S + "recognition_award",
            form="shegong.core.forms.NoteForm",
            actor="awarder",
            records=_HISTORY,
            style="success",
            done=_("已认定。"),
        ),
        Transition(
            "decline",
            _("不予认定"),
            (APPLIED, RECOMMENDED),
            DECLINED,
            AWARD,
            _S + "recognition_decline",
            form=_F + "DeclineForm",
            actor="reviewer",
            records=_HISTORY,
            style="outline-danger",
            done=_("已记录不予认定。"),
        ),
    ),
)

LIFECYCLES = (RECOGNITION,)


def recognition_actors(recognition, user) -> set[str]:
    """ "recommender": the user's unit is the department below the awarding level; "awarder":
    the department of the level; both are "reviewer" (they may decline)."""
    region = selectors.unit_region(fetched_by=user)
    if region is None:
        return set()
    brand = recognition.brand
    found = set()
    if region == selectors.recommending_code(brand=brand, level=recognition.level):
        found |= {"recommender", "reviewer"}
    if region == selectors.awarding_code(brand=brand, level=recognition.level):
        found |= {"awarder", "reviewer"}
    return found
