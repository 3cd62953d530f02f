"""Pure helpers of the duty lists (职责清单): how keywords are split and normalised, and who may
edit a unit's list. No queries here."""

from __future__ import annotations

import re
from typing import Any

from shegong.core.permissions import has_perm

KEYWORD_SEPARATORS = re.compile(r"[,，、;；/\s]+")
KEYWORD_MAX = 12  # a longer keyword is cut (duty_holders looks up pieces this long)


def normalise(text: str) -> str:
    """Lower-case, without spaces: how keywords are stored and texts are compared."""
    return re.sub(r"\s+", "", (text or "").lower())


def split_keywords(text: str) -> list[str]:
    """The distinct keywords of a typed line (顿号、逗号、分号、空格 separate), in order."""
    seen: list[str] = []
    for part in KEYWORD_SEPARATORS.split(text or ""):
        word = normalise(part)[:KEYWORD_MAX]
        if word and word not in seen:
            seen.append(word)
    return seen


def may_edit_duties(user: Any, organisation: Any) -> bool:
    """Only the unit itself edits its duty list: a user whose active membership is in that very
    organisation, in a role granted `orgs.duties_edit`. A superior level reads, never edits."""
    membership = getattr(user, "active_membership", None)
    if membership is None or organisation is None:
        return False
    return membership.organisation_id == organisation.pk and has_perm(user, "orgs.duties_edit")


def duty_role_choices() -> list[tuple[str, str]]:
    """The lists a unit may keep: the whole unit's ("") and one per post (role)."""
    from django.utils.translation import gettext as _

    from shegong.accounts.models import Role

    return [("", _("本单位")), *((k, str(v)) for k, v in Role.choices)]
