"""Fixtures for sign-in and sessions: a department leader (who must use two-factor sign-in),
signing in through the forms, and the audit rows of an action."""

from __future__ import annotations

import pytest

from shegong.core.models import AuditLog

PASSWORD = "pass12345!"  # noqa: S105 - the factories' password


@pytest.fixture
def leader(make_member):
    """The 天河区 department leader: must use two-factor sign-in by default."""
    return make_member("dept_leader", "440106000000", name="天河区委社会工作部")


@pytest.fixture
def sign_in(client):
    """Post the password step of the sign-in form; returns the response."""

    def do(username: str, password: str = PASSWORD, **extra):
        return client.post(
            "/accounts/login/", {"username": username, "password": password}, **extra
        )

    return do


def audited(action: str, **filters) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=action, **filters).order_by("id"))
