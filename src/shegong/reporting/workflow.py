"""The lifecycle of a report submission (报表填报), in the one format of core.workflow.

A unit fills and submits (上报); the reviewing unit — the leading unit above it
(`orgs.selectors.superior_unit`) — approves it up the chain (审核通过，报上级) or returns it
with a comment (退回); the defining department's level gives the final approval (终审通过).
Any approval locks the figures; only the person who approved last may reopen them (重新开放),
with the reason in the history.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shegong.core.workflow import Lifecycle, Transition
from shegong.reporting.models import SubmissionStatus

DRAFT = SubmissionStatus.DRAFT.value
SUBMITTED = SubmissionStatus.SUBMITTED.value
REVIEWING = SubmissionStatus.REVIEWING.value
RETURNED = SubmissionStatus.RETURNED.value
APPROVED = SubmissionStatus.APPROVED.value

RECEIVED = (SUBMITTED, REVIEWING, APPROVED)  # what completeness counts as received
LOCKED = (REVIEWING, APPROVED)  # approved at one level at least

_S = "shegong.reporting.services.flow."
_NOTE = "shegong.core.forms.NoteForm"
_COMMENT = "shegong.reporting.forms.CommentForm"
_RECORDS = "reporting.StatusChange"

SUBMISSION = Lifecycle(
    key="reporting.submission",
    label=_("报表填报"),
    model="reporting.Submission",
    states=SubmissionStatus,
    object_arg="submission",
    fetch="shegong.reporting.selectors.get_submission_for",
    view_perm="reporting.view",
    url_name="reporting:submission_transition",
    actors="shegong.reporting.relations.submission_actors",
    transitions=(
        Transition(
            "submit",
            _("上报"),
            (DRAFT, RETURNED),
            SUBMITTED,
            "reporting.fill",
            _S + "submission_submit",
            actor="unit",
            records=_RECORDS,
        ),
        Transition(
            "forward",
            _("审核通过，报上级"),
            (SUBMITTED, REVIEWING),
            REVIEWING,
            "reporting.review",
            _S + "submission_forward",
            form=_NOTE,
            actor="reviewer",
            records=_RECORDS,
            style="success",
        ),
        Transition(
            "approve",
            _("终审通过"),
            (SUBMITTED, REVIEWING),
            APPROVED,
            "reporting.review",
            _S + "submission_approve",
            form=_NOTE,
            actor="final_reviewer",
            records=_RECORDS,
            style="success",
        ),
        Transition(
            "return",
            _("退回"),
            (SUBMITTED, REVIEWING),
            RETURNED,
            "reporting.review",
            _S + "submission_return",
            form=_COMMENT,
            actor="current_reviewer",
            records=_RECORDS,
            style="warning",
        ),
        Transition(
            "reopen",
            _("重新开放"),
            (REVIEWING, APPROVED),
            RETURNED,
            "reporting.review",
            _S + "submission_reopen",
            form=_COMMENT,
            actor="last_approver",
            records=_RECORDS,
            style="outline-danger",
            help=_("只有最近审核通过的人可以重新开放；开放后数据解锁，退回填报单位修改。"),
        ),
    ),
)

LIFECYCLES = (SUBMISSION,)
