"""Demo accounts, one per level, all with the printed demo password."""

from __future__ import annotations

from shegong.accounts.models import Membership, Role, User
from shegong.core.demo_utils import DEMO_PASSWORD
from shegong.core.registry import register_demo
from shegong.orgs.models import Kind, Organisation

# Every read of a scoped model in this module may see every jurisdiction (declared, listed
# by tests/core/test_unscoped_reads.py):
UNSCOPED_READS = (
    "Seeds the demo data as the system (make demo), across the jurisdictions it creates; "
    "it answers no user's request."
)

# username, full name, region code of the organisation, organisation kind, role, description
DEMO_ACCOUNTS = [
    (
        "central",
        "赵中央",
        "000000000000",
        Kind.SOCIAL_WORK_DEPARTMENT,
        Role.DEPT_LEADER,
        "中央社会工作部 · 部门领导",
    ),
    (
        "guangdong",
        "钱广东",
        "440000000000",
        Kind.SOCIAL_WORK_DEPARTMENT,
        Role.DEPT_LEADER,
        "广东省委社会工作部 · 部门领导",
    ),
    (
        "guangzhou",
        "孙广州",
        "440100000000",
        Kind.SOCIAL_WORK_DEPARTMENT,
        Role.DEPT_LEADER,
        "广州市委社会工作部 · 部门领导",
    ),
    (
        "tianhe",
        "李天河",
        "440106000000",
        Kind.SOCIAL_WORK_DEPARTMENT,
        Role.DEPT_STAFF,
        "天河区委社会工作部 · 工作人员（县级）",
    ),
    (
        "yingde",
        "周英德",
        "441881000000",
        Kind.SOCIAL_WORK_DEPARTMENT,
        Role.DEPT_STAFF,
        "英德市委社会工作部 · 工作人员（另一县）",
    ),
    (
        "libo",
        "吴荔波",
        "522722000000",
        Kind.SOCIAL_WORK_DEPARTMENT,
        Role.DEPT_STAFF,
        "荔波县委社会工作部 · 工作人员（外省）",
    ),
    (
        "worker",
        "郑社工",
        "440106",
        Kind.SOCIAL_WORK_STATION,
        Role.STATION_WORKER,
        "天河区第一个街道社工站 · 社工",
    ),
    (
        "supervisor",
        "王督导",
        "440106",
        Kind.SOCIAL_WORK_STATION,
        Role.SUPERVISOR,
        "同一社工站 · 督导",
    ),
    (
        "admin",
        "系统管理员",
        "000000000000",
        Kind.SOCIAL_WORK_DEPARTMENT,
        Role.SYSADMIN,
        "系统管理员（含管理后台）",
    ),
]


def _organisation(region_code: str, kind: str) -> Organisation | None:
    qs = Organisation.objects.filter(kind=kind)
    if len(region_code) == 12:
        return qs.filter(region_id=region_code).order_by("id").first()
    return qs.filter(region__code__startswith=region_code).order_by("region_id", "id").first()


def load(*, stdout) -> None:
    for username, full_name, region_code, kind, role, _desc in DEMO_ACCOUNTS:
        org = _organisation(region_code, kind)
        if org is None:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                full_name=full_name,
                is_superuser=role == Role.SYSADMIN,
                is_staff=role == Role.SYSADMIN,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, organisation=org, role=role)


# Accounts that the domain apps' demo loaders add (printed when they exist).
OTHER_DEMO_LOGINS = [
    ("tianhe_leader", "天河区委社会工作部 · 部门领导（督办、延期审批）"),
    ("tianhe_hr", "天河区人力资源和社会保障局 · 经办人（信访承办）"),
    ("tianhe_mediator", "天河区人民调解委员会 · 调解员"),
    ("yingde_hr", "英德市人力资源和社会保障局 · 经办人"),
    ("jigou", "天河区社会工作服务机构 · 工作人员（个案转介接收）"),
    ("volunteer", "天河区志愿者（志愿者个人页面、服务证明）"),
]


def logins_text() -> str:
    lines = [f"演示账号（密码均为 {DEMO_PASSWORD}）/ Demo logins (password {DEMO_PASSWORD}):"]
    accounts = [(a[0], a[5]) for a in DEMO_ACCOUNTS] + OTHER_DEMO_LOGINS
    existing = set(
        User.objects.filter(username__in=[a[0] for a in accounts], is_active=True).values_list(
            "username", flat=True
        )
    )
    for username, desc in accounts:
        if username in existing:
            lines.append(f"  {username:<16} {desc}")
    return "\n".join(lines)


register_demo(20, "accounts", load)
