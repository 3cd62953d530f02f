"""The workforce's lifecycle, declared in the one format of core.workflow: continuing-education
hours earned elsewhere (外部继续教育学时), submitted with their evidence and counted once approved
(the approval writes the hours to the ledger)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shegong.core.workflow import Lifecycle, Transition
from shegong.workforce.models import ExternalHours

_S = "shegong.workforce.services."


Status = ExternalHours.Status
SUBMITTED = Status.SUBMITTED.value
APPROVED = Status.APPROVED.value
REJECTED = Status.REJECTED.value

EXTERNAL = Lifecycle(
    key="workforce.external",
    label=_("外部继续教育学时"),
    model="workforce.ExternalHours",
    states=Status,
    object_arg="record",
    fetch="shegong.workforce.selectors.get_external_for",
    view_perm="workforce.view",
    url_name="workforce:external_transition",
    transitions=(
        Transition(
            "approve",
            _("认定学时"),
            (SUBMITTED,),
            APPROVED,
            "workforce.approve",
            _S + "external_approve",
            form="shegong.core.forms.NoteForm",
            records="workforce.HoursCredit",
            style="success",
            done=_("已认定，学时已计入。"),
        ),
        Transition(
            "reject",
            _("不予认定"),
            (SUBMITTED,),
            REJECTED,
            "workforce.approve",
            _S + "external_reject",
            form="shegong.core.forms.NoteForm",
            records="history",
            style="outline-danger",
            done=_("已不予认定。"),
        ),
    ),
)

LIFECYCLES = (EXTERNAL,)
