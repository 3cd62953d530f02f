"""Accounts and memberships are written only by the audited services
(`accounts/membership_services.py`): a new write path elsewhere — a view, an import, a demo
loader, a command — would change someone's rights without a trace in the audit log."""

import re
from pathlib import Path

import shegong

ROOT = Path(shegong.__file__).parent
ALLOWED = {
    "accounts/membership_services.py",  # the services themselves
    "accounts/models.py",  # the classes (and the manager that routes create_user to the services)
}
WRITES = re.compile(
    r"\bMembership\(|\bUser\("
    r"|\b(Membership|User)\.objects\.(create|get_or_create|update_or_create|bulk_create"
    r"|create_user|create_superuser)\b"
    r"|\.memberships\.(create|get_or_create|update_or_create|add|set)\("
    r"|\.(is_staff|is_superuser)\s*=(?!=)"
)
UPDATES = re.compile(r"\.update\([^)]*\b(is_staff|is_superuser|is_active|role)\s*=")


def _offenders() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED or "/migrations/" in relative:
            continue
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            code = line.split("#", 1)[0]
            if re.match(r"\s*class\s", code):
                continue
            if WRITES.search(code) or (
                UPDATES.search(code) and re.search(r"\b(Membership|User|memberships)\b", code)
            ):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_accounts_and_memberships_are_written_only_through_the_audited_services():
    assert _offenders() == []


def test_the_guard_sees_a_direct_write(tmp_path):
    sample = [
        "Membership.objects.create(user=u, organisation=o, role=r)",
        "user = User(username='x')",
        "user.is_superuser = True",
        "Membership.objects.filter(pk=1).update(role='dept_leader')",
    ]
    assert all(
        WRITES.search(line)
        or (UPDATES.search(line) and re.search(r"\b(Membership|User|memberships)\b", line))
        for line in sample
    )
    assert not WRITES.search("if user.is_superuser == True:")
