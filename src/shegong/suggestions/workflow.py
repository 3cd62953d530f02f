"""The lifecycle of a suggestion, in the one format of core.workflow.

received (待答复) → answered (答复, alone or with its whole group) → published (公开答复: the
portal shows the answer with the text anonymised); received → converted (转为信访事项: a matter
registered through petitions, linked both ways).

Any unit of the jurisdiction with the permission may act: a suggestion is addressed to the
department and stations of the place, not to a named unit. Pages take the transitions at
`/suggestions/<pk>/actions/<action>/`, the API at `POST /api/v1/suggestions/{pk}/actions/{action}`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shegong.core.workflow import Lifecycle, Transition
from shegong.suggestions.models import Suggestion

_S = "shegong.suggestions.services."
_F = "shegong.suggestions.forms."
_HISTORY = "suggestions.HistoricalSuggestion"

S = Suggestion.Status
RECEIVED, ANSWERED = S.RECEIVED.value, S.ANSWERED.value
PUBLISHED, CONVERTED = S.PUBLISHED.value, S.CONVERTED.value
ANSWER = "suggestions.answer"

SUGGESTION = Lifecycle(
    key="suggestions.suggestion",
    label=_("群众意见建议"),
    model="suggestions.Suggestion",
    states=S,
    object_arg="suggestion",
    fetch="shegong.suggestions.selectors.get_suggestion_for",
    view_perm="suggestions.view",
    url_name="suggestions:transition",
    transitions=(
        Transition(
            "answer",
            _("答复"),
            (RECEIVED,),
            ANSWERED,
            ANSWER,
            _S + "suggestion_answer",
            form=_F + "AnswerForm",
            records=_HISTORY,
            style="success",
            done=_("已答复。"),
        ),
        Transition(
            "publish",
            _("公开答复"),
            (ANSWERED,),
            PUBLISHED,
            ANSWER,
            _S + "suggestion_publish",
            form=_F + "PublishForm",
            records=_HISTORY,
            help=_("门户只显示隐去个人信息后的意见内容和答复，不显示姓名和联系方式。"),
            done=_("已在门户公开答复。"),
        ),
        Transition(
            "convert",
            _("转为信访事项"),
            (RECEIVED,),
            CONVERTED,
            ANSWER,
            _S + "suggestion_convert",
            form="shegong.contact.forms.ConvertForm",
            records=_HISTORY,
            style="outline-danger",
            help=_("属于矛盾纠纷、信访或求助的意见，转入信访事项办理，并保留关联。"),
            done=_("已转为信访事项。"),
        ),
    ),
)

LIFECYCLES = (SUGGESTION,)
