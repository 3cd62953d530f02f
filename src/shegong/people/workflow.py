"""The home adaptation project's lifecycle (适老化/无障碍改造), declared in the one format of
core.workflow: 入户评估 → 方案设计 → 施工 → 待验收 → 已验收. A project is an `Assistance` of kind
"adaptation"; its state is `project_status`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shegong.core.workflow import Lifecycle, Transition
from shegong.people.models import AdaptationStatus

SURVEY = AdaptationStatus.SURVEY.value
DESIGN = AdaptationStatus.DESIGN.value
CONSTRUCTION = AdaptationStatus.CONSTRUCTION.value
INSPECTION = AdaptationStatus.INSPECTION.value
ACCEPTED = AdaptationStatus.ACCEPTED.value

_ADVANCE = "shegong.people.services.adaptation_advance"
_LOG = "people.HistoricalAssistance"


def _step(name: str, label, source: str, target: str) -> Transition:
    return Transition(name, label, (source,), target, "people.assist", _ADVANCE, records=_LOG)


ADAPTATION = Lifecycle(
    key="people.adaptation",
    label=_("改造项目"),
    model="people.Assistance",
    states=AdaptationStatus,
    state_field="project_status",
    object_arg="assistance",
    fetch="shegong.people.selectors.get_adaptation_for",
    view_perm="people.view",
    url_name="people:adaptation_transition",
    transitions=(
        _step("design", _("评估完成，设计方案"), SURVEY, DESIGN),
        _step("build", _("开始施工"), DESIGN, CONSTRUCTION),
        _step("inspect", _("施工完成，申请验收"), CONSTRUCTION, INSPECTION),
        _step("accept", _("验收通过"), INSPECTION, ACCEPTED),
    ),
)

LIFECYCLES = (ADAPTATION,)
