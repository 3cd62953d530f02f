"""Demo cases for the station of the first street of 天河区: every state, supervisor reviews, an
overdue task, a pending plan review and a referral waiting at a social work organisation.
Idempotent: a case is identified by its resident and title."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from shegong.accounts.membership_services import membership_ensure, user_create
from shegong.accounts.models import Role, User
from shegong.cases import services
from shegong.cases.models import Case, Review
from shegong.core.demo_utils import DEMO_PASSWORD
from shegong.orgs.models import Kind, Organisation
from shegong.people.models import Resident

# Every read of a scoped model in this module may see every jurisdiction (declared, listed
# by tests/core/test_unscoped_reads.py):
UNSCOPED_READS = (
    "Seeds the demo data as the system (make demo), across the jurisdictions it creates; "
    "it answers no user's request."
)

PLAN = [
    # (title, target status, extra)
    ("独居老人日常照料", "intake", None),
    ("失能老人照护需求评估", "assessment", None),
    ("低保家庭就业支持", "planning", "pending_review"),
    ("空巢老人心理疏导", "intervention", "overdue_task"),
    ("特困人员居家安全", "intervention", None),
    ("留守老人社会支持网络", "evaluation", None),
    ("出院老人康复衔接", "closed", None),
    ("残疾人辅具申请", "intervention", "referral"),
]


def _acting(username: str) -> User | None:
    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    user.active_membership = user.memberships.select_related("organisation__region").first()
    return user if user.active_membership else None


def _partner_user(region_prefix: str) -> User | None:
    """A demo login for a social work organisation in 天河区 that receives referrals."""
    org = (
        Organisation.objects.filter(
            kind=Kind.SOCIAL_WORK_ORGANISATION, region__code__startswith=region_prefix
        )
        .order_by("id")
        .first()
    )
    if org is None:
        return None
    user = User.objects.filter(username="jigou").first()
    if user is None:
        user = user_create(
            acting_user=None,
            username="jigou",
            password=DEMO_PASSWORD,
            full_name="冯机构",
            via="demo",
        )
    membership, _ = membership_ensure(
        acting_user=None, user=user, organisation=org, role=Role.ORG_STAFF, via="demo"
    )
    user.active_membership = membership
    return user


@transaction.atomic
def load(*, stdout) -> None:
    worker = _acting("worker")
    supervisor = _acting("supervisor")
    if worker is None or supervisor is None:
        stdout.write("cases: demo users missing, skipped")
        return
    partner = _partner_user("440106")
    residents = list(
        Resident.objects.filter(assigned_worker=worker).order_by("id")[: len(PLAN) * 3 : 3]
    )
    made = 0
    today = date.today()
    for resident, (title, target, extra) in zip(residents, PLAN, strict=False):
        if Case.objects.filter(resident=resident, title=title).exists():
            continue
        case = services.case_open(
            acting_user=worker,
            resident=resident,
            title=title,
            source="visit" if made % 2 == 0 else "self",
            problem=f"{resident.name}：{title}。",
            supervisor=supervisor,
        )
        Case.objects.filter(pk=case.pk).update(opened_on=today - timedelta(days=60 - made * 5))
        made += 1
        _advance(case, target, extra, worker, supervisor, partner)
    stdout.write(f"cases: {made} cases created")


def _consent_to_sharing(resident, worker) -> None:
    """The resident agreed in writing to their information going to the organisation."""
    from shegong.privacy.selectors import processing_allowed
    from shegong.privacy.services import consent_record

    if not processing_allowed(resident, "referral"):
        consent_record(
            acting_user=worker,
            resident=resident,
            purpose="referral",
            basis="consent",
            method="written",
            given_by="guardian" if resident.is_child else "self",
            guardian_name=f"{resident.name[:1]}家长" if resident.is_child else "",
            guardian_relation="parent" if resident.is_child else "",
            given_on=date.today() - timedelta(days=3),
        )


def _advance(case, target, extra, worker, supervisor, partner) -> None:
    order = ["intake", "assessment", "planning", "intervention", "evaluation", "closed"]
    today = date.today()
    steps = order[1 : order.index(target) + 1]
    for status in steps:
        if status == "planning":
            services.case_transition(
                case=case,
                to_status="planning",
                acting_user=worker,
                note="评估：需要上门照料与资源链接",
            )
            goal = services.goal_add(case=case, acting_user=worker, text="改善日常生活照料")
            services.task_add(
                case=case,
                acting_user=worker,
                title="链接社区助餐点",
                owner=worker,
                due_date=today - timedelta(days=4)
                if extra == "overdue_task"
                else today + timedelta(7),
                goal=goal,
            )
            if target == "planning" and extra == "pending_review":
                review = services.review_request(case=case, kind="plan", acting_user=worker)
                Review.objects.filter(pk=review.pk).update(due_date=today - timedelta(days=1))
                return
            review = services.review_request(case=case, kind="plan", acting_user=worker)
            services.review_decide(
                review=review, acting_user=supervisor, approve=True, comment="同意"
            )
            continue
        if status == "evaluation":
            services.record_add(
                case=case,
                acting_user=worker,
                served_on=today - timedelta(days=3),
                kind="home",
                content="上门服务，协助整理居室",
                duration_minutes=90,
            )
        if status == "closed":
            review = services.review_request(
                case=case, kind="closure", acting_user=worker, closure_reason="服务目标达成"
            )
            services.review_decide(
                review=review, acting_user=supervisor, approve=True, comment="同意结案"
            )
        services.case_transition(case=case, to_status=status, acting_user=worker, note="")
        if status == "intervention":
            services.record_add(
                case=case,
                acting_user=worker,
                served_on=today - timedelta(days=5),
                kind="counselling",
                content="个别辅导，倾听老人诉求",
                duration_minutes=60,
            )
    if extra == "referral" and partner is not None:
        _consent_to_sharing(case.resident, worker)
        services.referral_create(
            case=case,
            acting_user=worker,
            to_organisation=partner.active_membership.organisation,
            reason="需要专业康复辅具评估与适配",
        )
