"""Demo accounts, one per level, all with the printed demo password. Those whose role must use
two-factor sign-in come with a demo authenticator: `shegong demo_otp <account>` prints its code
(see docs/decisions/0006-sign-in-and-sessions.md)."""

from __future__ import annotations

from shegong.accounts.membership_services import membership_ensure, user_create
from shegong.accounts.models import Role, User
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
        "auditor",
        "冯审计",
        "440000000000",
        Kind.SOCIAL_WORK_DEPARTMENT,
        Role.SECURITY_AUDITOR,
        "广东省委社会工作部 · 安全审计员（审计日志查询、导出）",
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
            user = user_create(
                acting_user=None,
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                is_superuser=role == Role.SYSADMIN,
                is_staff=role == Role.SYSADMIN,
                via="demo",
            )
        membership_ensure(acting_user=None, user=user, organisation=org, role=role, via="demo")


# Accounts that the domain apps' demo loaders add (printed when they exist).
OTHER_DEMO_LOGINS = [
    ("tianhe_leader", "天河区委社会工作部 · 部门领导（督办、延期审批）"),
    ("tianhe_hr", "天河区人力资源和社会保障局 · 经办人（信访承办）"),
    ("tianhe_mediator", "天河区人民调解委员会 · 调解员"),
    ("yingde_hr", "英德市人力资源和社会保障局 · 经办人"),
    ("jigou", "天河区社会工作服务机构 · 工作人员（个案转介接收）"),
    ("volunteer", "天河区志愿者（志愿者个人页面、服务证明）"),
]


def demo_usernames() -> list[str]:
    return [a[0] for a in DEMO_ACCOUNTS] + [a[0] for a in OTHER_DEMO_LOGINS]


def load_second_factor(*, stdout) -> None:
    """Runs after every app's demo accounts exist: each one whose role must use two-factor
    sign-in gets a demo authenticator (unless it already has one)."""
    from shegong.accounts.signin.second_factor import demo_enrol, requires_second_factor

    for user in User.objects.filter(username__in=demo_usernames(), is_active=True):
        if requires_second_factor(user):
            demo_enrol(user=user)


def logins_text() -> str:
    from shegong.accounts.signin.second_factor import DEMO_DEVICE, authenticator_of

    lines = [f"演示账号（密码均为 {DEMO_PASSWORD}）/ Demo logins (password {DEMO_PASSWORD}):"]
    accounts = [(a[0], a[5]) for a in DEMO_ACCOUNTS] + OTHER_DEMO_LOGINS
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[a[0] for a in accounts], is_active=True)
    }
    with_code = False
    for username, desc in accounts:
        user = users.get(username)
        if user is None:
            continue
        device = authenticator_of(user)
        mark = "*" if device is not None and device.name == DEMO_DEVICE else " "
        with_code = with_code or mark == "*"
        lines.append(f"  {username:<16}{mark} {desc}")
    if with_code:
        lines.append(
            "  * 登录时还要输入 6 位验证码：另开一个终端，在项目目录运行 "
            ".venv/bin/shegong demo_otp <账号>"
        )
        lines.append(
            "    * also asks for a 6-digit code: in another terminal, in the project folder, run "
            ".venv/bin/shegong demo_otp <username>"
        )
    return "\n".join(lines)


register_demo(20, "accounts", load)
# After every app's demo loader (they add accounts of their own).
register_demo(990, "two_factor", load_second_factor)
