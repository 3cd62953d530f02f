"""Role permissions: what a role may do inside its jurisdiction.

Each app declares `GRANTS = {"app.action": {Role..., ...}}` in its `permissions.py`; they are
collected when the apps are ready. A system administrator holds every permission. A permission
that no app declared is granted to nobody.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps

_GRANTS: dict[str, frozenset[str]] = {}
SYSADMIN = "sysadmin"


def collect() -> None:
    _GRANTS.clear()
    for config in apps.get_app_configs():
        if not config.name.startswith("shegong."):
            continue
        try:
            module = import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.permissions":
                raise
            continue
        for perm, roles in getattr(module, "GRANTS", {}).items():
            _GRANTS[perm] = frozenset(_GRANTS.get(perm, frozenset()) | {str(r) for r in roles})


def all_permissions() -> dict[str, frozenset[str]]:
    return dict(_GRANTS)


def role_has_perm(role: str, perm: str) -> bool:
    if role == SYSADMIN:
        return True
    return role in _GRANTS.get(perm, frozenset())


def has_perm(user: Any, perm: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    membership = getattr(user, "active_membership", None)
    if membership is None:
        return False
    return role_has_perm(membership.role, perm)
