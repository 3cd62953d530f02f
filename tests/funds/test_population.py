"""Population figures uploaded by a department: saved through a service, with history and audit,
and only for regions inside the department's jurisdiction."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from shegong.core.models import AuditLog
from shegong.funds import services
from shegong.funds.models import PopulationFigure


@pytest.fixture
def county_staff(make_member):
    return make_member("dept_staff", "440106000000")


def test_a_figure_saved_again_is_replaced_with_its_history_and_an_audit_row(county_staff):
    services.population_save(
        acting_user=county_staff, year=2025, figures=[("440106001000", 50_000)]
    )
    services.population_save(
        acting_user=county_staff, year=2025, figures=[("440106001000", 52_000)]
    )
    figure = PopulationFigure.objects.get(region_code="440106001000", year=2025)
    assert figure.population == 52_000
    assert figure.history.count() == 2
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT, actor=county_staff).count() == 2


def test_a_region_outside_the_jurisdiction_is_refused_and_nothing_is_saved(county_staff):
    with pytest.raises(ValidationError) as caught:
        services.population_save(
            acting_user=county_staff,
            year=2025,
            figures=[("440106001000", 50_000), ("441881000000", 900_000)],
        )
    assert "441881000000" in caught.value.message_dict["figures"][0]
    assert not PopulationFigure.objects.exists()


def test_the_page_saves_figures_typed_as_prefixes(login, county_staff):
    response = login(county_staff).post(
        "/funds/population/", {"year": "2025", "figures": "440106001 50000"}, follow=True
    )
    assert response.status_code == 200
    assert PopulationFigure.objects.get(year=2025).region_code == "440106001000"
