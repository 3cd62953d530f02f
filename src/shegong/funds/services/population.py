"""Population figures (常住人口) uploaded by a department: one of the need indicators of plans."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.scoping import jurisdiction_of
from shegong.funds.models import PopulationFigure


@transaction.atomic
def population_save(
    *, acting_user: Any, year: int, figures: Sequence[tuple[str, int]]
) -> list[PopulationFigure]:
    """Record uploaded population figures (区划代码, 常住人口) for a year, each region inside the
    user's jurisdiction; a figure already recorded for that region and year is replaced."""
    jurisdiction = jurisdiction_of(acting_user)
    outside = [code for code, _n in figures if not jurisdiction.contains(code)]
    if outside:
        raise ValidationError(
            {"figures": _("以下区划不在您的辖区范围内：%(c)s") % {"c": "、".join(outside)}}
        )
    rows = dict(figures)  # a region given twice: its last line counts
    existing = {
        f.region_code: f
        for f in PopulationFigure.objects.visible_to(acting_user).filter(
            year=year, region_code__in=list(rows)
        )
    }
    saved = []
    for code, value in rows.items():
        figure = existing.get(code) or PopulationFigure(region_code=code, year=year)
        figure.population = value
        figure._history_user = acting_user
        figure.save()
        saved.append(figure)
    audit_record(
        action=AuditLog.Action.IMPORT,
        actor=acting_user,
        region_code=jurisdiction.region_code,
        detail={"population_year": year, "regions": list(rows)},
    )
    return saved
